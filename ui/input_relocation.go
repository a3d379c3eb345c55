package ui

import (
	"fmt"
	"reflect"
	"strings"

	"github.com/ministere/tracker/relocation"
)

// relocationInput is a relocation as clients write it, in the API (JSON) and in forms.
// Its fields are not listed here: they are made once, at start-up, from the `input`
// tags of relocation.Relocation (relocationInputType), so that a new field is declared
// once. A PATCH decodes onto the input made from the stored relocation, so the same
// rules check creations and updates. Decoding, binding and validating read the struct
// inputFields returns.
type relocationInput struct {
	p any // *struct of relocationInputType; nil until first used
}

// relocationInputField is a field of relocationInputType: its place in
// relocation.Relocation and in the input, and the default it keeps when absent.
type relocationInputField struct {
	spec    relocation.FieldSpec
	in      int  // index in relocationInputType
	keeps   bool // an absent value keeps base's (the field has a default) instead of clearing it
	isFuzzy bool // a FuzzyDate, written as its API form or a French label
}

// relocationInputType is a struct of one pointer field per field of
// relocation.Relocation with an `input` tag: *string for texts and FuzzyDates, the
// field's own type otherwise; a nil pointer is a value missing or null. Its tags are
// json (the API name), validate (the `input` tag: fuzzydate added for a FuzzyDate),
// unit and coordinate.
var relocationInputType, relocationInputFields = makeRelocationInput()

var fuzzyDateType = reflect.TypeFor[relocation.FuzzyDate]()

func makeRelocationInput() (reflect.Type, []relocationInputField) {
	defaults := reflect.ValueOf(relocation.NewRelocation())
	var fields []reflect.StructField
	var out []relocationInputField
	for _, f := range relocation.RelocationFields() {
		if !f.Typed {
			continue
		}
		sf := defaults.Type().Field(f.Index)
		typ := sf.Type
		switch {
		case typ == fuzzyDateType:
			typ = reflect.TypeFor[string]()
		case typ.Kind() == reflect.Pointer:
			typ = typ.Elem()
		case typ.Kind() == reflect.Struct:
			panic(fmt.Sprintf("ui: relocation field %s: no input for type %s", sf.Name, typ))
		}
		tag := fmt.Sprintf(`json:%q validate:%q`, f.Name, f.Input)
		for _, k := range []string{"unit", "coordinate"} {
			if v, ok := f.Tag.Lookup(k); ok {
				tag += fmt.Sprintf(` %s:%q`, k, v)
			}
		}
		out = append(out, relocationInputField{spec: f, in: len(fields), isFuzzy: sf.Type == fuzzyDateType,
			keeps: sf.Type.Kind() != reflect.Pointer && !defaults.Field(f.Index).IsZero()})
		fields = append(fields, reflect.StructField{Name: sf.Name, Type: reflect.PointerTo(typ), Tag: reflect.StructTag(tag)})
	}
	return reflect.StructOf(fields), out
}

// target returns the input's struct (a pointer to relocationInputType), made empty on
// first use.
func (in *relocationInput) target() any {
	if in.p == nil {
		in.p = reflect.New(relocationInputType).Interface()
	}
	return in.p
}

// inputFields returns the struct that decoding, binding and validating fill and read
// for in: in itself, or the struct of an input made at start-up (relocationInput).
func inputFields(in any) any {
	switch x := in.(type) {
	case *relocationInput:
		return x.target()
	case relocationInput:
		return x.target()
	}
	return in
}

// newRelocationInput returns the input that would write r as it is.
func newRelocationInput(r relocation.Relocation) relocationInput {
	var in relocationInput
	dst := reflect.ValueOf(in.target()).Elem()
	src := reflect.ValueOf(r)
	for _, f := range relocationInputFields {
		v := src.Field(f.spec.Index)
		switch {
		case f.isFuzzy:
			v = reflect.ValueOf(ptr(v.Interface().(relocation.FuzzyDate).String()))
		case v.Kind() != reflect.Pointer:
			p := reflect.New(v.Type())
			p.Elem().Set(v)
			v = p
		case !v.IsNil():
			p := reflect.New(v.Type().Elem())
			p.Elem().Set(v.Elem())
			v = p
		}
		dst.Field(f.in).Set(v)
	}
	return in
}

// newRelocationDefaults returns the input of a new relocation's form: the defaults
// (relocation.NewRelocation), blank where there is none (the headcount, not 0).
func newRelocationDefaults() relocationInput {
	in := newRelocationInput(relocation.NewRelocation())
	v := reflect.ValueOf(in.target()).Elem()
	for _, f := range relocationInputFields {
		if !f.keeps {
			v.Field(f.in).SetZero()
		}
	}
	return in
}

// apply writes the validated input over base (a stored relocation, or NewRelocation
// for a creation), texts trimmed. An absent value (nil) keeps base's when the field has
// a default (a setting is never reset by a form that leaves it blank) and clears it
// otherwise (a text, an optional number).
func (in relocationInput) apply(base relocation.Relocation) relocation.Relocation {
	src := reflect.ValueOf(in.target()).Elem()
	r := base
	dst := reflect.ValueOf(&r).Elem()
	for _, f := range relocationInputFields {
		v, d := src.Field(f.in), dst.Field(f.spec.Index)
		switch {
		case v.IsNil() && f.keeps:
		case v.IsNil():
			d.SetZero()
		case f.isFuzzy:
			date, _ := relocation.ParseFuzzyDate(v.Elem().String()) // validated: fuzzydate
			d.Set(reflect.ValueOf(date))
		case d.Kind() == reflect.Pointer:
			p := reflect.New(d.Type().Elem())
			p.Elem().Set(v.Elem())
			d.Set(p)
		case d.Kind() == reflect.String:
			d.SetString(strings.TrimSpace(v.Elem().String()))
		default:
			d.Set(v.Elem())
		}
	}
	return r
}

// check refuses half a position: coordinates (the fields tagged `coordinate`) come in
// pairs (their ranges are checked with every input's coordinates: see
// checkCoordinates).
func (in relocationInput) check() error {
	v := reflect.ValueOf(in.target()).Elem()
	var lat, lon *float64
	var latName, lonName string
	for _, f := range relocationInputFields {
		p, _ := v.Field(f.in).Interface().(*float64)
		switch f.spec.Tag.Get("coordinate") {
		case "lat":
			lat, latName = p, f.spec.Name
		case "lon":
			lon, lonName = p, f.spec.Name
		}
	}
	return bothOrNeither(lat, lon, latName, lonName)
}

// bothOrNeither refuses one coordinate without the other.
func bothOrNeither(lat, lon *float64, latName, lonName string) error {
	switch {
	case lat == nil && lon != nil:
		return relocation.Invalid(relocation.FieldError{Field: latName, Message: "obligatoire avec la longitude"})
	case lat != nil && lon == nil:
		return relocation.Invalid(relocation.FieldError{Field: lonName, Message: "obligatoire avec la latitude"})
	}
	return nil
}

func ptr[T any](v T) *T { return &v }

// val returns *p, or the zero value when p is nil.
func val[T any](p *T) T {
	if p == nil {
		var zero T
		return zero
	}
	return *p
}

// set copies *p into dst when p is not nil.
func set[T any](dst *T, p *T) {
	if p != nil {
		*dst = *p
	}
}
