package ui

import (
	"strings"

	"github.com/ministere/tracker/relocation"
)

// relocationInput is a relocation as clients write it, in the API (JSON) and in forms.
// Pointers tell a missing or null value from a zero one. A PATCH decodes onto the input
// made from the stored relocation, so the same rules check creations and updates.
type relocationInput struct {
	Slug                    *string  `json:"slug" validate:"required,slug"`
	Name                    *string  `json:"name" validate:"required,notblank,max=200"`
	Body                    *string  `json:"body" validate:"required,notblank,max=40"`
	BodyName                *string  `json:"body_name" validate:"omitnil,max=300"`
	Origin                  *string  `json:"origin" validate:"required,notblank,max=300"`
	OriginLat               *float64 `json:"origin_lat" coordinate:"lat"`
	OriginLon               *float64 `json:"origin_lon" coordinate:"lon"`
	Destination             *string  `json:"destination" validate:"required,notblank,max=300"`
	Decision                *string  `json:"decision" validate:"omitnil,max=500"`
	Notes                   *string  `json:"notes" validate:"omitnil,max=5000"`
	Headcount               *int     `json:"headcount" validate:"gt=0,lte=1000000"`
	Residents               *float64 `json:"residents" validate:"omitnil,gte=0,lte=1000000"`
	SurfaceRatioM2          *float64 `json:"surface_ratio_m2" validate:"omitnil,gte=1,lte=1000" unit:"m² m2"`
	RequiredSurfaceM2       *float64 `json:"required_surface_m2" validate:"omitnil,gte=1,lte=10000000" unit:"m² m2"`
	Status                  *string  `json:"status" validate:"omitnil,relocation_status"`
	TargetMove              *string  `json:"target_move" validate:"required,fuzzydate"`
	Visibility              *string  `json:"visibility" validate:"omitnil,visibility"`
	CommuteIncreaseLimitMin *float64 `json:"commute_increase_limit_min" validate:"omitnil,gte=0,lte=600" unit:"minutes min"`
	CommuteAccessMin        *float64 `json:"commute_access_min" validate:"omitnil,gte=0,lte=600" unit:"minutes min"`
	CommuteDetour           *float64 `json:"commute_detour" validate:"omitnil,gte=1,lte=5"`
	CommuteSpeedKmh         *float64 `json:"commute_speed_kmh" validate:"omitnil,gte=1,lte=300" unit:"km/h"`
	MaxDistanceKm           *float64 `json:"max_distance_km" validate:"omitnil,gte=1,lte=20000" unit:"km"`
}

// check refuses half a position: coordinates come in pairs (their ranges are checked
// with every input's coordinates: see checkCoordinates).
func (in relocationInput) check() error {
	return bothOrNeither(in.OriginLat, in.OriginLon, "origin_lat", "origin_lon")
}

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

// newRelocationInput returns the input that would write r as it is.
func newRelocationInput(r relocation.Relocation) relocationInput {
	return relocationInput{
		Slug: &r.Slug, Name: &r.Name, Body: &r.Body, BodyName: &r.BodyName, Origin: &r.Origin,
		OriginLat: r.OriginLat, OriginLon: r.OriginLon, Destination: &r.Destination,
		Decision: &r.Decision, Notes: &r.Notes, Headcount: &r.Headcount, Residents: r.Residents,
		SurfaceRatioM2: &r.SurfaceRatioM2, RequiredSurfaceM2: r.RequiredSurfaceM2,
		Status: &r.Status, TargetMove: ptr(r.TargetMove.String()), Visibility: &r.Visibility,
		CommuteIncreaseLimitMin: &r.CommuteIncreaseLimitMin, CommuteAccessMin: &r.CommuteAccessMin,
		CommuteDetour: &r.CommuteDetour, CommuteSpeedKmh: &r.CommuteSpeedKmh, MaxDistanceKm: &r.MaxDistanceKm,
	}
}

// apply writes the validated input over base (a stored relocation, or NewRelocation
// for a creation); absent optional values keep base's.
func (in relocationInput) apply(base relocation.Relocation) relocation.Relocation {
	r := base
	r.Slug = *in.Slug
	r.Name = strings.TrimSpace(*in.Name)
	r.Body = strings.TrimSpace(*in.Body)
	r.BodyName = strings.TrimSpace(val(in.BodyName))
	r.Origin = strings.TrimSpace(*in.Origin)
	r.OriginLat, r.OriginLon = in.OriginLat, in.OriginLon
	r.Destination = strings.TrimSpace(*in.Destination)
	r.Decision = strings.TrimSpace(val(in.Decision))
	r.Notes = strings.TrimSpace(val(in.Notes))
	r.Headcount = *in.Headcount
	r.Residents = in.Residents
	set(&r.SurfaceRatioM2, in.SurfaceRatioM2)
	r.RequiredSurfaceM2 = in.RequiredSurfaceM2
	set(&r.Status, in.Status)
	r.TargetMove, _ = relocation.ParseFuzzyDate(*in.TargetMove)
	set(&r.Visibility, in.Visibility)
	set(&r.CommuteIncreaseLimitMin, in.CommuteIncreaseLimitMin)
	set(&r.CommuteAccessMin, in.CommuteAccessMin)
	set(&r.CommuteDetour, in.CommuteDetour)
	set(&r.CommuteSpeedKmh, in.CommuteSpeedKmh)
	set(&r.MaxDistanceKm, in.MaxDistanceKm)
	return r
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

// set copies *p into dst when p is not nil.
func set[T any](dst *T, p *T) {
	if p != nil {
		*dst = *p
	}
}
