package ui

import (
	"strings"

	"github.com/ministere/tracker/relocation"
)

// milestoneInput is a milestone as clients write it (API and forms). Reason explains a
// change of the planned date; it is kept in the history, not on the milestone.
type milestoneInput struct {
	Kind      *string `json:"kind" validate:"required,milestone_kind"`
	Title     *string `json:"title" validate:"required,notblank,max=200"`
	Planned   *string `json:"planned" validate:"required,fuzzydate"`
	Actual    *string `json:"actual" validate:"omitnil,isodate"`
	Source    *string `json:"source" validate:"required,notblank,max=1000"`
	SourceURL *string `json:"source_url" validate:"omitnil,max=2000,httpurl"`
	Notes     *string `json:"notes" validate:"omitnil,max=5000"`
	Public    *bool   `json:"public"`
	Reason    *string `json:"reason" validate:"omitnil,max=1000"`
}

// newMilestoneInput returns the input that would write m as it is.
func newMilestoneInput(m relocation.Milestone) milestoneInput {
	in := milestoneInput{
		Kind: &m.Kind, Title: &m.Title, Planned: ptr(m.Planned.String()), Source: &m.Source,
		SourceURL: m.SourceURL, Notes: &m.Notes, Public: &m.Public,
	}
	if !m.Actual.IsZero() {
		in.Actual = ptr(m.Actual.String())
	}
	return in
}

// apply writes the validated input over base.
func (in milestoneInput) apply(base relocation.Milestone) relocation.Milestone {
	m := base
	m.Kind = *in.Kind
	m.Title = strings.TrimSpace(*in.Title)
	m.Planned, _ = relocation.ParseFuzzyDate(*in.Planned)
	m.Actual = relocation.Date{}
	if in.Actual != nil {
		m.Actual, _ = relocation.ParseDate(*in.Actual)
	}
	m.Source = strings.TrimSpace(*in.Source)
	m.SourceURL = nil
	if u := strings.TrimSpace(val(in.SourceURL)); u != "" {
		m.SourceURL = &u
	}
	m.Notes = strings.TrimSpace(val(in.Notes))
	m.Public = val(in.Public)
	return m
}
