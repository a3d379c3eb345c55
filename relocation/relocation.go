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

// IsPublic reports whether r's page is published: anyone may read it.
func (r Relocation) IsPublic() bool { return r.Visibility == VisibilityPublic }

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
	DefaultStatus           = StatusAnnounced
	DefaultVisibility       = VisibilityInternal
	EntityRelocation        = "relocation"
	EntityMilestone         = "milestone"
	relocationNotFound      = "Ce projet de relocalisation n’existe pas."
)

// Relocation is the move of one public body, e.g. the CLEISS from Paris to Montreuil.
// Its tags declare each field once (columns.go): `db` its column, `json` its API and
// journal name, `label` its French name in the journal (a field without one is never
// written by an action), `input` the rules clients write it under (a field without one
// is not theirs to write), `unit` and `coordinate` how forms read it.
type Relocation struct {
	ID                      int64     `db:"id" json:"id"`
	Slug                    string    `db:"slug" json:"slug" label:"adresse de la page publique" input:"required,slug"`
	Name                    string    `db:"name" json:"name" label:"nom" input:"required,notblank,max=200"`
	Body                    string    `db:"body" json:"body" label:"sigle" input:"required,notblank,max=40"` // acronym, e.g. CLEISS
	BodyName                string    `db:"body_name" json:"body_name" label:"nom de l’organisme" input:"omitnil,max=300"`
	Origin                  string    `db:"origin" json:"origin" label:"origine" input:"required,notblank,max=300"`
	OriginLat               *float64  `db:"origin_lat" json:"origin_lat" label:"latitude de l’origine" input:"omitnil" coordinate:"lat"`
	OriginLon               *float64  `db:"origin_lon" json:"origin_lon" label:"longitude de l’origine" input:"omitnil" coordinate:"lon"`
	Destination             string    `db:"destination" json:"destination" label:"destination" input:"required,notblank,max=300"`
	Decision                string    `db:"decision" json:"decision" label:"décision" input:"omitnil,max=500"`
	Notes                   string    `db:"notes" json:"notes" label:"notes" input:"omitnil,max=5000"` // what a reader must know (figures given for illustration…)
	Headcount               int       `db:"headcount" json:"headcount" label:"effectif" input:"gt=0,lte=1000000"`
	Residents               *float64  `db:"residents" json:"residents" label:"résidents (ETP)" input:"omitnil,gte=0,lte=1000000"` // full-time equivalents on site; nil: Headcount
	SurfaceRatioM2          float64   `db:"surface_ratio_m2" json:"surface_ratio_m2" label:"ratio (m² par résident)" input:"omitnil,gte=1,lte=1000" unit:"m² m2"`
	RequiredSurfaceM2       *float64  `db:"required_surface_m2" json:"required_surface_m2" label:"surface nécessaire imposée (m²)" input:"omitnil,gte=1,lte=10000000" unit:"m² m2"` // set by hand; nil: computed
	Status                  string    `db:"status" json:"status" label:"statut" input:"omitnil,relocation_status"`
	TargetMove              FuzzyDate `db:"target_move" json:"target_move" label:"déménagement visé" input:"required,fuzzydate"`
	ChosenSiteID            *int64    `db:"chosen_site_id" json:"chosen_site_id" label:"site retenu"` // set by selecting a site
	Visibility              string    `db:"visibility" json:"visibility" label:"visibilité" input:"omitnil,visibility"`
	CommuteIncreaseLimitMin float64   `db:"commute_increase_limit_min" json:"commute_increase_limit_min" label:"allongement de trajet acceptable (min)" input:"omitnil,gte=0,lte=600" unit:"minutes min"`
	CommuteAccessMin        float64   `db:"commute_access_min" json:"commute_access_min" label:"temps d’accès (min)" input:"omitnil,gte=0,lte=600" unit:"minutes min"`
	CommuteDetour           float64   `db:"commute_detour" json:"commute_detour" label:"coefficient de détour" input:"omitnil,gte=1,lte=5"`
	CommuteSpeedKmh         float64   `db:"commute_speed_kmh" json:"commute_speed_kmh" label:"vitesse (km/h)" input:"omitnil,gte=1,lte=300" unit:"km/h"`
	MaxDistanceKm           float64   `db:"max_distance_km" json:"max_distance_km" label:"distance maximale à l’origine (km)" input:"omitnil,gte=1,lte=20000" unit:"km"` // sites and homes lie within it of the origin
	Version                 int       `db:"version" json:"version"`
	CreatedAt               time.Time `db:"created_at" json:"created_at"`
	UpdatedAt               time.Time `db:"updated_at" json:"updated_at"`
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

// deref returns *p, or nil when p is nil, so that Fields compare by value.
func deref[T any](p *T) any {
	if p == nil {
		return nil
	}
	return *p
}
