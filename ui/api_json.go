package ui

import (
	"time"

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

// milestoneFacts are the fields a milestone is written with, as the API names them (a
// milestone's answer and a dry run's planned milestone both have them).
type milestoneFacts struct {
	Kind      string               `json:"kind"`
	Title     string               `json:"title"`
	Planned   relocation.FuzzyDate `json:"planned"`
	Actual    relocation.Date      `json:"actual"`
	Source    string               `json:"source"`
	SourceURL *string              `json:"source_url"`
	Notes     string               `json:"notes"`
	Public    bool                 `json:"public"`
}

func factsOf(m relocation.Milestone) milestoneFacts {
	return milestoneFacts{Kind: m.Kind, Title: m.Title, Planned: m.Planned, Actual: m.Actual,
		Source: m.Source, SourceURL: m.SourceURL, Notes: m.Notes, Public: m.Public}
}

// milestoneJSON is a milestone as the API returns it, with its derived fields.
type milestoneJSON struct {
	ID           int64 `json:"id"`
	RelocationID int64 `json:"relocation_id"`
	milestoneFacts
	Baseline  relocation.FuzzyDate       `json:"baseline"`
	SlipDays  int                        `json:"slip_days"`
	Status    string                     `json:"status"`
	History   []relocation.PlannedChange `json:"history"`
	Version   int                        `json:"version"`
	CreatedAt time.Time                  `json:"created_at"`
	UpdatedAt time.Time                  `json:"updated_at"`
}

func toMilestoneJSON(m relocation.Milestone, today relocation.Date) milestoneJSON {
	history := m.History
	if history == nil {
		history = []relocation.PlannedChange{}
	}
	return milestoneJSON{
		ID: m.ID, RelocationID: m.RelocationID, milestoneFacts: factsOf(m), Baseline: m.Baseline, SlipDays: m.SlipDays(), Status: m.Status(today), History: history,
		Version: m.Version, CreatedAt: m.CreatedAt, UpdatedAt: m.UpdatedAt,
	}
}

// items is the envelope of every list response.
type items[T any] struct {
	Items []T `json:"items"`
}
