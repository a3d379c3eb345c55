package ui

import (
	"time"

	"github.com/ministere/tracker/relocation"
)

// relocationJSON is a relocation as the API returns it: the stored fields plus the
// effective residents and required surface.
type relocationJSON struct {
	ID                      int64                `json:"id"`
	Slug                    string               `json:"slug"`
	Name                    string               `json:"name"`
	Body                    string               `json:"body"`
	BodyName                string               `json:"body_name"`
	Origin                  string               `json:"origin"`
	OriginLat               *float64             `json:"origin_lat"`
	OriginLon               *float64             `json:"origin_lon"`
	Destination             string               `json:"destination"`
	Decision                string               `json:"decision"`
	Notes                   string               `json:"notes"`
	Headcount               int                  `json:"headcount"`
	Residents               float64              `json:"residents"`
	SurfaceRatioM2          float64              `json:"surface_ratio_m2"`
	RequiredSurfaceM2       float64              `json:"required_surface_m2"`
	RequiredSurfaceComputed bool                 `json:"required_surface_computed"`
	Status                  string               `json:"status"`
	TargetMove              relocation.FuzzyDate `json:"target_move"`
	ChosenSiteID            *int64               `json:"chosen_site_id"`
	Visibility              string               `json:"visibility"`
	CommuteIncreaseLimitMin float64              `json:"commute_increase_limit_min"`
	CommuteAccessMin        float64              `json:"commute_access_min"`
	CommuteDetour           float64              `json:"commute_detour"`
	CommuteSpeedKmh         float64              `json:"commute_speed_kmh"`
	MaxDistanceKm           float64              `json:"max_distance_km"`
	Version                 int                  `json:"version"`
	CreatedAt               time.Time            `json:"created_at"`
	UpdatedAt               time.Time            `json:"updated_at"`
}

func toRelocationJSON(r relocation.Relocation) relocationJSON {
	surface, computed := r.RequiredSurface()
	return relocationJSON{
		ID: r.ID, Slug: r.Slug, Name: r.Name, Body: r.Body, BodyName: r.BodyName, Origin: r.Origin,
		OriginLat: r.OriginLat, OriginLon: r.OriginLon, Destination: r.Destination, Decision: r.Decision, Notes: r.Notes,
		Headcount: r.Headcount, Residents: r.EffectiveResidents(), SurfaceRatioM2: r.SurfaceRatioM2,
		RequiredSurfaceM2: surface, RequiredSurfaceComputed: computed, Status: r.Status,
		TargetMove: r.TargetMove, ChosenSiteID: r.ChosenSiteID, Visibility: r.Visibility,
		CommuteIncreaseLimitMin: r.CommuteIncreaseLimitMin, CommuteAccessMin: r.CommuteAccessMin,
		CommuteDetour: r.CommuteDetour, CommuteSpeedKmh: r.CommuteSpeedKmh, MaxDistanceKm: r.MaxDistanceKm, Version: r.Version,
		CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt,
	}
}

// milestoneJSON is a milestone as the API returns it, with its derived fields.
type milestoneJSON struct {
	ID           int64                      `json:"id"`
	RelocationID int64                      `json:"relocation_id"`
	Kind         string                     `json:"kind"`
	Title        string                     `json:"title"`
	Planned      relocation.FuzzyDate       `json:"planned"`
	Actual       relocation.Date            `json:"actual"`
	Source       string                     `json:"source"`
	SourceURL    *string                    `json:"source_url"`
	Notes        string                     `json:"notes"`
	Public       bool                       `json:"public"`
	Baseline     relocation.FuzzyDate       `json:"baseline"`
	SlipDays     int                        `json:"slip_days"`
	Status       string                     `json:"status"`
	History      []relocation.PlannedChange `json:"history"`
	Version      int                        `json:"version"`
	CreatedAt    time.Time                  `json:"created_at"`
	UpdatedAt    time.Time                  `json:"updated_at"`
}

func toMilestoneJSON(m relocation.Milestone, today relocation.Date) milestoneJSON {
	history := m.History
	if history == nil {
		history = []relocation.PlannedChange{}
	}
	return milestoneJSON{
		ID: m.ID, RelocationID: m.RelocationID, Kind: m.Kind, Title: m.Title, Planned: m.Planned,
		Actual: m.Actual, Source: m.Source, SourceURL: m.SourceURL, Notes: m.Notes, Public: m.Public,
		Baseline: m.Baseline, SlipDays: m.SlipDays(), Status: m.Status(today), History: history,
		Version: m.Version, CreatedAt: m.CreatedAt, UpdatedAt: m.UpdatedAt,
	}
}

// items is the envelope of every list response.
type items[T any] struct {
	Items []T `json:"items"`
}
