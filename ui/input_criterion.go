package ui

import (
	"github.com/ministere/tracker/criteria"
	"github.com/ministere/tracker/relocation"
)

// criterionInput is a criterion as clients write it (API and forms), made from the
// `input` tags of criteria.Criterion (tagInput).
type criterionInput struct {
	tagInput[criteria.Criterion]
}

// check adds what tags cannot say: the scale must run from a smaller to a larger value.
func (in criterionInput) check() error {
	low, _ := in.value("scale_min").(*float64)
	high, _ := in.value("scale_max").(*float64)
	if low != nil && high != nil && *low >= *high {
		return relocation.Invalid(relocation.FieldError{Field: "scale_max", Message: "doit être supérieur au minimum de l’échelle"})
	}
	return nil
}
