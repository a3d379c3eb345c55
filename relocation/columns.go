package relocation

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"
)

// A relocation's field is declared once, on the Relocation struct, by its tags: `db`
// (its column), `json` (its API and journal name) and, for a field users change,
// `label` (its French name in the journal) and `input` (its rules as clients write
// it). What follows reads those tags once, at start-up, into the column lists, the
// INSERT and UPDATE of the actions and the journal's Fields, so that a new field is
// the struct, its migration and its form (docs/developers.md).

// FieldSpec is one field of Relocation as its tags declare it.
type FieldSpec struct {
	Index  int    // in the struct
	Column string // `db`
	Name   string // `json`: the API's and the journal's name
	Label  string // `label`: the journal's French name; "" for a field no action writes
	Input  string // `input`: the validator rules of the field as clients write it
	Typed  bool   // the field has an `input` tag: clients write it
	Tag    reflect.StructTag
}

// Written reports whether actions write the field (and the journal records it).
func (f FieldSpec) Written() bool { return f.Label != "" }

// relocationFields are Relocation's fields, in struct order.
var relocationFields = readFields(reflect.TypeFor[Relocation]())

// relocationColumns are the columns a Relocation is read from.
var relocationColumns = columnList(relocationFields, false)

// Columns are the columns a Relocation is read from, for the rooms that update a
// relocation inside an action (… RETURNING Columns).
var Columns = relocationColumns

// insertRelocation and updateRelocation are the statements of CreateRelocation and
// UpdateRelocation: every written field, $1 the id in the UPDATE.
var insertRelocation, updateRelocation = relocationWrites(relocationFields)

// RelocationFields returns Relocation's fields as its tags declare them, in struct
// order (a copy).
func RelocationFields() []FieldSpec { return append([]FieldSpec(nil), relocationFields...) }

// readFields reads the tags of struct type t; it panics (at start-up) on a field
// without a `db` or a `json` tag.
func readFields(t reflect.Type) []FieldSpec {
	out := make([]FieldSpec, t.NumField())
	for i := range out {
		sf := t.Field(i)
		col, name := sf.Tag.Get("db"), sf.Tag.Get("json")
		if col == "" || name == "" {
			panic(fmt.Sprintf("relocation: field %s.%s has no db or json tag", t.Name(), sf.Name))
		}
		input, typed := sf.Tag.Lookup("input")
		out[i] = FieldSpec{Index: i, Column: col, Name: name, Label: sf.Tag.Get("label"), Input: input, Typed: typed, Tag: sf.Tag}
	}
	return out
}

// columnList joins the columns of fields (the written ones only when written).
func columnList(fields []FieldSpec, written bool) string {
	var cols []string
	for _, f := range fields {
		if !written || f.Written() {
			cols = append(cols, f.Column)
		}
	}
	return strings.Join(cols, ", ")
}

// relocationWrites builds the INSERT of a relocation (its written fields as $1…$n) and
// its UPDATE ($1 its id, then the written fields), both returning relocationColumns.
func relocationWrites(fields []FieldSpec) (insert, update string) {
	var places, sets []string
	for _, f := range fields {
		if f.Written() {
			places = append(places, "$"+strconv.Itoa(len(places)+1))
			sets = append(sets, f.Column+" = $"+strconv.Itoa(len(sets)+2))
		}
	}
	returning := ` RETURNING ` + columnList(fields, false)
	insert = `INSERT INTO relocations (` + columnList(fields, true) + `) VALUES (` + strings.Join(places, ", ") + `)` + returning
	update = `UPDATE relocations SET ` + strings.Join(sets, ", ") + `, version = version + 1, updated_at = now() WHERE id = $1` + returning
	return insert, update
}

// writtenValues returns r's written fields, in the order of insertRelocation's and
// updateRelocation's parameters.
func (r Relocation) writtenValues() []any {
	v := reflect.ValueOf(r)
	out := make([]any, 0, len(relocationFields))
	for _, f := range relocationFields {
		if f.Written() {
			out = append(out, v.Field(f.Index).Interface())
		}
	}
	return out
}

// Fields returns the written fields by API name, as the journal records them: plain
// comparable values, nil for an unset pointer, a FuzzyDate as its API form.
func (r Relocation) Fields() Fields {
	v := reflect.ValueOf(r)
	out := make(Fields, len(relocationFields))
	for _, f := range relocationFields {
		if f.Written() {
			out[f.Name] = plain(v.Field(f.Index))
		}
	}
	return out
}

// plain returns the value of field v as the journal compares and records it: pointers
// followed (nil for none), a fmt.Stringer (FuzzyDate) as its string.
func plain(v reflect.Value) any {
	if v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return nil
		}
		v = v.Elem()
	}
	if s, ok := v.Interface().(fmt.Stringer); ok {
		return s.String()
	}
	return v.Interface()
}
