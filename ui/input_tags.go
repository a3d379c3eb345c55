package ui

import (
	"fmt"
	"reflect"
	"strings"

	"github.com/ministere/tracker/criteria"
	"github.com/ministere/tracker/relocation"
	"github.com/ministere/tracker/sites"
)

// tagInput is a T as clients write it, in the API (JSON) and in forms. Its fields are
// not listed in ui: they are made once, at start-up, from the tags of T's fields that
// have an `input` tag (inputShapes), so that a field is declared once, on the domain's
// struct. A PATCH decodes onto the input made from the stored T (newInput), so the
// same rules check creations and updates. Decoding, binding and validating read the
// struct inputFields returns. The input types of the handlers embed it and add their
// rules across fields (a check method).
type tagInput[T any] struct {
	p any // *struct of the shape's type; nil until first used
}

// inputShape is the input struct made from the tags of a domain struct: a struct of one
// pointer field per field with an `input` tag (*string for texts and dates, the field's
// own type otherwise; a nil pointer is a value missing or null), tagged json (the API
// name), validate (the `input` tag), unit and coordinate; then the extra fields a
// handler reads beside the domain's (a milestone's reason).
type inputShape struct {
	typ    reflect.Type
	fields []inputField
	byName map[string]int // API name → field of typ
}

// inputField is a field of an inputShape: its place in the domain struct and in the
// input, and how apply writes it.
type inputField struct {
	index int  // in the domain struct
	in    int  // in the input struct
	keeps bool // an absent value keeps base's (the field has a default) instead of clearing it
	// date reads a date written as text (FuzzyDate, Date; validated by its tag); nil
	// for any other field.
	date func(string) reflect.Value
}

// inputShapes are the inputs made from the domain's tags, by domain type, each from the
// value holding the domain's defaults (its absent values keep them).
var inputShapes = map[reflect.Type]*inputShape{
	reflect.TypeFor[relocation.Relocation](): makeInputShape(relocation.NewRelocation()),
	reflect.TypeFor[relocation.Milestone]():  makeInputShape(relocation.Milestone{}, milestoneReason),
	reflect.TypeFor[sites.Site]():            makeInputShape(sites.NewSite()),
	reflect.TypeFor[sites.Partner]():         makeInputShape(sites.NewPartner()),
	reflect.TypeFor[criteria.Criterion]():    makeInputShape(criteria.NewCriterion()),
}

// dateReaders read the dates written as text, by domain type.
var dateReaders = map[reflect.Type]func(string) reflect.Value{
	reflect.TypeFor[relocation.FuzzyDate](): func(s string) reflect.Value {
		d, _ := relocation.ParseFuzzyDate(s)
		return reflect.ValueOf(d)
	},
	reflect.TypeFor[relocation.Date](): func(s string) reflect.Value {
		d, _ := relocation.ParseDate(s)
		return reflect.ValueOf(d)
	},
}

// makeInputShape makes the input of defaults' type from its tags, extra fields last; it
// panics (at start-up) on a field it cannot write.
func makeInputShape(defaults any, extra ...reflect.StructField) *inputShape {
	dv := reflect.ValueOf(defaults)
	t := dv.Type()
	shape := &inputShape{byName: map[string]int{}}
	var fields []reflect.StructField
	for i := 0; i < t.NumField(); i++ {
		sf := t.Field(i)
		rules, typed := sf.Tag.Lookup("input")
		if !typed {
			continue
		}
		name, _, _ := strings.Cut(sf.Tag.Get("json"), ",")
		f := inputField{index: i, in: len(fields), date: dateReaders[sf.Type],
			keeps: sf.Type.Kind() != reflect.Pointer && !dv.Field(i).IsZero()}
		typ := sf.Type
		switch {
		case f.date != nil:
			typ = reflect.TypeFor[string]()
		case typ.Kind() == reflect.Pointer:
			typ = typ.Elem()
		case typ.Kind() == reflect.Struct || name == "":
			panic(fmt.Sprintf("ui: %s.%s: no input for type %s or no json name", t.Name(), sf.Name, typ))
		}
		tag := fmt.Sprintf(`json:%q validate:%q`, name, rules)
		for _, k := range []string{"unit", "coordinate"} {
			if v, ok := sf.Tag.Lookup(k); ok {
				tag += fmt.Sprintf(` %s:%q`, k, v)
			}
		}
		shape.fields = append(shape.fields, f)
		fields = append(fields, reflect.StructField{Name: sf.Name, Type: reflect.PointerTo(typ), Tag: reflect.StructTag(tag)})
	}
	fields = append(fields, extra...)
	for i, f := range fields {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		shape.byName[name] = i
	}
	shape.typ = reflect.StructOf(fields)
	return shape
}

// shapeOf returns the input made from T's tags.
func shapeOf[T any]() *inputShape {
	shape, ok := inputShapes[reflect.TypeFor[T]()]
	if !ok {
		panic(fmt.Sprintf("ui: no input made for %s", reflect.TypeFor[T]()))
	}
	return shape
}

// target returns the input's struct (a pointer to the shape's type), made empty on
// first use: decoding and binding fill it.
func (in *tagInput[T]) target() any {
	if in.p == nil {
		in.p = reflect.New(shapeOf[T]().typ).Interface()
	}
	return in.p
}

// values returns the input's struct to read (an empty one when nothing was written).
func (in tagInput[T]) values() any { return in.target() }

// inputFields returns the struct that decoding, binding and validating fill and read
// for in: in itself, or the struct of an input made from the domain's tags (tagInput).
func inputFields(in any) any {
	switch x := in.(type) {
	case interface{ target() any }:
		return x.target()
	case interface{ values() any }:
		return x.values()
	}
	return in
}

// value returns the input's field of API name name: a pointer, nil when absent or null.
func (in tagInput[T]) value(name string) any {
	i, ok := shapeOf[T]().byName[name]
	if !ok {
		panic(fmt.Sprintf("ui: %s has no input %q", reflect.TypeFor[T](), name))
	}
	return reflect.ValueOf(in.values()).Elem().Field(i).Interface()
}

// newInput returns the input I (relocationInput, siteInput…) that would write x as it
// is; a date not set is absent.
func newInput[I ~struct{ tagInput[T] }, T any](x T) I {
	var in tagInput[T]
	dst := reflect.ValueOf(in.target()).Elem()
	src := reflect.ValueOf(x)
	for _, f := range shapeOf[T]().fields {
		v := src.Field(f.index)
		switch {
		case f.date != nil && v.Interface().(interface{ IsZero() bool }).IsZero():
			continue
		case f.date != nil:
			v = reflect.ValueOf(ptr(v.Interface().(fmt.Stringer).String()))
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
	return I{in}
}

// apply writes the validated input over base (a stored T, or the T holding the defaults
// for a creation), texts trimmed, an optional text left blank unset. An absent value
// (nil) keeps base's when the field has a default (a setting is never reset by a form
// that leaves it blank) and clears it otherwise (a text, an optional number).
func (in tagInput[T]) apply(base T) T {
	src := reflect.ValueOf(in.values()).Elem()
	x := base
	dst := reflect.ValueOf(&x).Elem()
	for _, f := range shapeOf[T]().fields {
		v, d := src.Field(f.in), dst.Field(f.index)
		switch {
		case v.IsNil() && f.keeps:
		case v.IsNil():
			d.SetZero()
		case f.date != nil:
			d.Set(f.date(v.Elem().String()))
		case d.Kind() == reflect.Pointer && v.Elem().Kind() == reflect.String:
			d.SetZero()
			if s := strings.TrimSpace(v.Elem().String()); s != "" {
				d.Set(reflect.ValueOf(&s))
			}
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
	return x
}

// pairs refuses half a position: coordinates (the fields tagged `coordinate`) come in
// pairs (their ranges are checked with every input's coordinates: see
// checkCoordinates).
func (in tagInput[T]) pairs() error {
	v := reflect.ValueOf(in.values()).Elem()
	var lat, lon *float64
	var latName, lonName string
	for i := 0; i < v.NumField(); i++ {
		sf := v.Type().Field(i)
		p, _ := v.Field(i).Interface().(*float64)
		switch sf.Tag.Get("coordinate") {
		case "lat":
			lat, latName = p, sf.Tag.Get("json")
		case "lon":
			lon, lonName = p, sf.Tag.Get("json")
		}
	}
	return bothOrNeither(lat, lon, latName, lonName)
}
