package ui

import (
	"github.com/ministere/tracker/relocation"
)

// relocationJSON is a relocation as the API returns it: its fields by their `json`
// tags (relocation.Relocation declares them), residents and the required surface
// effective (these fields, shallower, hide the stored ones of the same name), and
// whether the surface was computed.
type relocationJSON struct {
	relocation.Relocation
	Residents               float64 `json:"residents"`
	RequiredSurfaceM2       float64 `json:"required_surface_m2"`
	RequiredSurfaceComputed bool    `json:"required_surface_computed"`
}

func toRelocationJSON(r relocation.Relocation) relocationJSON {
	surface, computed := r.RequiredSurface()
	return relocationJSON{Relocation: r, Residents: r.EffectiveResidents(), RequiredSurfaceM2: surface,
		RequiredSurfaceComputed: computed}
}

// milestoneJSON is a milestone as the API returns it: its fields by their `json` tags
// (relocation.Milestone), with the derived slip and status, and its history never null.
type milestoneJSON struct {
	relocation.Milestone
	SlipDays int                        `json:"slip_days"`
	Status   string                     `json:"status"`
	History  []relocation.PlannedChange `json:"history"`
}

func toMilestoneJSON(m relocation.Milestone, today relocation.Date) milestoneJSON {
	history := m.History
	if history == nil {
		history = []relocation.PlannedChange{}
	}
	return milestoneJSON{Milestone: m, SlipDays: m.SlipDays(), Status: m.Status(today), History: history}
}

// items is the envelope of every list response.
type items[T any] struct {
	Items []T `json:"items"`
}
