package ui

import (
	"strings"

	"github.com/ministere/tracker/criteria"
	"github.com/ministere/tracker/relocation"
)

// criterionInput is a criterion as clients write it (API and forms).
type criterionInput struct {
	Name        *string  `json:"name" validate:"required,notblank,max=200"`
	Description *string  `json:"description" validate:"omitnil,max=2000"`
	Weight      *float64 `json:"weight" validate:"gte=0.001,lte=1000000" unit:"%"`
	Direction   *string  `json:"direction" validate:"required,criterion_direction"`
	ScaleMin    *float64 `json:"scale_min" validate:"gte=-1000000000,lte=1000000000"`
	ScaleMax    *float64 `json:"scale_max" validate:"gte=-1000000000,lte=1000000000"`
	Threshold   *float64 `json:"threshold" validate:"omitnil,gte=-1000000000,lte=1000000000"`
	Source      *string  `json:"source" validate:"omitnil,criterion_source"`
	Active      *bool    `json:"active"`
}

// newCriterionInput returns the input that would write c as it is.
func newCriterionInput(c criteria.Criterion) criterionInput {
	return criterionInput{Name: &c.Name, Description: &c.Description, Weight: &c.Weight, Direction: &c.Direction,
		ScaleMin: &c.ScaleMin, ScaleMax: &c.ScaleMax, Threshold: c.Threshold, Source: &c.Source, Active: &c.Active}
}

// check adds what tags cannot say: the scale must run from a smaller to a larger value.
func (in criterionInput) check() error {
	if in.ScaleMin != nil && in.ScaleMax != nil && *in.ScaleMin >= *in.ScaleMax {
		return relocation.Invalid(relocation.FieldError{Field: "scale_max", Message: "doit être supérieur au minimum de l’échelle"})
	}
	return nil
}

// apply writes the validated input over base.
func (in criterionInput) apply(base criteria.Criterion) criteria.Criterion {
	c := base
	c.Name = strings.TrimSpace(*in.Name)
	c.Description = strings.TrimSpace(val(in.Description))
	c.Weight = *in.Weight
	c.Direction = *in.Direction
	c.ScaleMin, c.ScaleMax = *in.ScaleMin, *in.ScaleMax
	c.Threshold = in.Threshold
	set(&c.Source, in.Source)
	set(&c.Active, in.Active)
	return c
}
