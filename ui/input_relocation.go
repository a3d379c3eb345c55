package ui

import (
	"reflect"

	"github.com/ministere/tracker/relocation"
)

// relocationInput is a relocation as clients write it, in the API (JSON) and in forms,
// made from the `input` tags of relocation.Relocation (tagInput).
type relocationInput struct {
	tagInput[relocation.Relocation]
}

// newRelocationDefaults returns the input of a new relocation's form: the defaults
// (relocation.NewRelocation), blank where there is none (the headcount, not 0).
func newRelocationDefaults() relocationInput {
	in := newInput[relocationInput](relocation.NewRelocation())
	v := reflect.ValueOf(in.target()).Elem()
	for _, f := range shapeOf[relocation.Relocation]().fields {
		if !f.keeps {
			v.Field(f.in).SetZero()
		}
	}
	return in
}

// check refuses half a position (tagInput.pairs).
func (in relocationInput) check() error { return in.pairs() }

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
