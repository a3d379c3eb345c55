// Package relocation is the root domain: relocation projects, their milestones with
// approximate dates (FuzzyDate), the journal of changes, and their PostgreSQL store.
package relocation

import (
	"slices"
	"time"
)

// Statuses of a relocation.
const (
	StatusAnnounced    = "announced"
	StatusSiteSearch   = "site_search"
	StatusSiteSelected = "site_selected"
	StatusCommitted    = "committed"
	StatusWorks        = "works"
	StatusMoved        = "moved"
	StatusCancelled    = "cancelled"
)

// statuses of a relocation, in the order a project goes through them; the CHECK on
// relocations.status allows the same (TestAllowedValuesMatchDatabase, in ui, compares
// them).
var statuses = []string{StatusAnnounced, StatusSiteSearch, StatusSiteSelected, StatusCommitted, StatusWorks,
	StatusMoved, StatusCancelled}

// Visibilities of a relocation: internal ones are seen by accounts only; public ones
// also by anyone.
const (
	VisibilityInternal = "internal"
	VisibilityPublic   = "public"
)

// visibilities; the CHECK on relocations.visibility allows the same.
var visibilities = []string{VisibilityInternal, VisibilityPublic}

// Statuses returns a relocation's possible statuses, in the order a project goes
// through them (a copy: the caller may change it).
func Statuses() []string { return slices.Clone(statuses) }

// IsStatus reports whether s is a relocation status.
func IsStatus(s string) bool { return slices.Contains(statuses, s) }

// Visibilities returns a relocation's possible visibilities, internal first (a copy).
func Visibilities() []string { return slices.Clone(visibilities) }

// IsVisibility reports whether s is a relocation visibility.
func IsVisibility(s string) bool { return slices.Contains(visibilities, s) }

// Defaults applied to a new relocation when the caller gives no value.
const (
	DefaultSurfaceRatioM2   = 16.0 // m² SUB per resident, circular n° 6392/SG of 8 February 2023
	DefaultCommuteLimitMin  = 30.0
	DefaultCommuteAccessMin = 10.0
	DefaultCommuteDetour    = 1.3
	DefaultCommuteSpeedKmh  = 18.0
	DefaultMaxDistanceKm    = 1200.0 // km from the origin beyond which coordinates are refused
	DefaultStatus           = "announced"
	DefaultVisibility       = "internal"
	EntityRelocation        = "relocation"
	EntityMilestone         = "milestone"
	relocationNotFound      = "Ce projet de relocalisation n’existe pas."
)

// Relocation is the move of one public body, e.g. the CLEISS from Paris to Montreuil.
type Relocation struct {
	ID                      int64     `db:"id"`
	Slug                    string    `db:"slug"`
	Name                    string    `db:"name"`
	Body                    string    `db:"body"`      // acronym, e.g. CLEISS
	BodyName                string    `db:"body_name"` // full name
	Origin                  string    `db:"origin"`
	OriginLat               *float64  `db:"origin_lat"`
	OriginLon               *float64  `db:"origin_lon"`
	Destination             string    `db:"destination"`
	Decision                string    `db:"decision"`
	Notes                   string    `db:"notes"` // what a reader must know (figures given for illustration…)
	Headcount               int       `db:"headcount"`
	Residents               *float64  `db:"residents"` // full-time equivalents on site; nil: Headcount
	SurfaceRatioM2          float64   `db:"surface_ratio_m2"`
	RequiredSurfaceM2       *float64  `db:"required_surface_m2"` // set by hand; nil: computed
	Status                  string    `db:"status"`
	TargetMove              FuzzyDate `db:"target_move"`
	ChosenSiteID            *int64    `db:"chosen_site_id"`
	Visibility              string    `db:"visibility"`
	CommuteIncreaseLimitMin float64   `db:"commute_increase_limit_min"`
	CommuteAccessMin        float64   `db:"commute_access_min"`
	CommuteDetour           float64   `db:"commute_detour"`
	CommuteSpeedKmh         float64   `db:"commute_speed_kmh"`
	MaxDistanceKm           float64   `db:"max_distance_km"` // sites and homes lie within it of the origin
	Version                 int       `db:"version"`
	CreatedAt               time.Time `db:"created_at"`
	UpdatedAt               time.Time `db:"updated_at"`
}

// NewRelocation returns a relocation holding the defaults of every optional field.
func NewRelocation() Relocation {
	return Relocation{
		SurfaceRatioM2:          DefaultSurfaceRatioM2,
		Status:                  DefaultStatus,
		Visibility:              DefaultVisibility,
		CommuteIncreaseLimitMin: DefaultCommuteLimitMin,
		CommuteAccessMin:        DefaultCommuteAccessMin,
		CommuteDetour:           DefaultCommuteDetour,
		CommuteSpeedKmh:         DefaultCommuteSpeedKmh,
		MaxDistanceKm:           DefaultMaxDistanceKm,
	}
}

// EffectiveResidents returns the people working on site in full-time equivalents:
// Residents when set, else Headcount.
func (r Relocation) EffectiveResidents() float64 {
	if r.Residents != nil {
		return *r.Residents
	}
	return float64(r.Headcount)
}

// RequiredSurface returns the required surface in m² SUB: the value set by hand, else
// residents × ratio. The boolean says whether it was computed.
func (r Relocation) RequiredSurface() (m2 float64, computed bool) {
	if r.RequiredSurfaceM2 != nil {
		return *r.RequiredSurfaceM2, false
	}
	return r.EffectiveResidents() * r.SurfaceRatioM2, true
}

// Fields returns the editable fields by API name, as the journal records them.
func (r Relocation) Fields() Fields {
	return Fields{
		"slug":                       r.Slug,
		"name":                       r.Name,
		"body":                       r.Body,
		"body_name":                  r.BodyName,
		"origin":                     r.Origin,
		"origin_lat":                 deref(r.OriginLat),
		"origin_lon":                 deref(r.OriginLon),
		"destination":                r.Destination,
		"decision":                   r.Decision,
		"notes":                      r.Notes,
		"headcount":                  r.Headcount,
		"residents":                  deref(r.Residents),
		"surface_ratio_m2":           r.SurfaceRatioM2,
		"required_surface_m2":        deref(r.RequiredSurfaceM2),
		"status":                     r.Status,
		"target_move":                r.TargetMove.String(),
		"chosen_site_id":             deref(r.ChosenSiteID),
		"visibility":                 r.Visibility,
		"commute_increase_limit_min": r.CommuteIncreaseLimitMin,
		"commute_access_min":         r.CommuteAccessMin,
		"commute_detour":             r.CommuteDetour,
		"commute_speed_kmh":          r.CommuteSpeedKmh,
		"max_distance_km":            r.MaxDistanceKm,
	}
}

// deref returns *p, or nil when p is nil, so that Fields compare by value.
func deref[T any](p *T) any {
	if p == nil {
		return nil
	}
	return *p
}
