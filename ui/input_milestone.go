package ui

import (
	"reflect"

	"github.com/ministere/tracker/relocation"
)

// milestoneInput is a milestone as clients write it (API and forms), made from the
// `input` tags of relocation.Milestone (tagInput), and a reason (milestoneReason).
type milestoneInput struct {
	tagInput[relocation.Milestone]
}

// milestoneReason is the input's field beside the milestone's: the reason of a change
// of the planned date, kept in the history, not on the milestone.
var milestoneReason = reflect.StructField{Name: "Reason", Type: reflect.TypeFor[*string](),
	Tag: `json:"reason" validate:"omitnil,max=1000"`}

// reason returns the reason given for a change of the planned date ("" for none).
func (in milestoneInput) reason() string {
	r, _ := in.value("reason").(*string)
	return val(r)
}
