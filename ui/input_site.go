package ui

import (
	"strings"

	"github.com/ministere/tracker/relocation"
	"github.com/ministere/tracker/sites"
)

// siteInput is a site as clients write it (API and forms).
type siteInput struct {
	Name           *string  `json:"name" validate:"required,notblank,max=200"`
	Address        *string  `json:"address" validate:"omitnil,max=300"`
	Commune        *string  `json:"commune" validate:"omitnil,max=200"`
	Department     *string  `json:"department" validate:"omitnil,max=100"`
	Lat            *float64 `json:"lat" coordinate:"lat"`
	Lon            *float64 `json:"lon" coordinate:"lon"`
	Kind           *string  `json:"kind" validate:"required,site_kind"`
	SurfaceM2      *float64 `json:"surface_m2" validate:"omitnil,gte=1,lte=10000000" unit:"m² m2"`
	AnnualCostEUR  *float64 `json:"annual_cost_eur" validate:"omitnil,gte=0,lte=10000000000" unit:"€ EUR euros"`
	AvailableFrom  *string  `json:"available_from" validate:"omitnil,fuzzydate"`
	Status         *string  `json:"status" validate:"omitnil,site_status"`
	DecisionReason *string  `json:"decision_reason" validate:"omitnil,max=2000"`
	Decided        *string  `json:"decided" validate:"omitnil,fuzzydate"`
}

// newSiteInput returns the input that would write s as it is.
func newSiteInput(s sites.Site) siteInput {
	in := siteInput{Name: &s.Name, Address: &s.Address, Commune: &s.Commune, Department: &s.Department,
		Lat: s.Lat, Lon: s.Lon, Kind: &s.Kind, SurfaceM2: s.SurfaceM2, AnnualCostEUR: s.AnnualCostEUR,
		Status: &s.Status, DecisionReason: &s.DecisionReason}
	if !s.AvailableFrom.IsZero() {
		in.AvailableFrom = ptr(s.AvailableFrom.String())
	}
	if s.DecisionReason == "" {
		in.DecisionReason = nil
	}
	if !s.Decided.IsZero() {
		in.Decided = ptr(s.Decided.String())
	}
	return in
}

// check adds the rules validator tags cannot say: coordinates come in pairs (their
// ranges: checkCoordinates; the distance to the origin is the store's to check, under
// lock), and a rejected or selected site needs a decision reason that is not blank.
func (in siteInput) check() error {
	if err := bothOrNeither(in.Lat, in.Lon, "lat", "lon"); err != nil {
		return err
	}
	if in.Status != nil && sites.NeedsReason(*in.Status) && strings.TrimSpace(val(in.DecisionReason)) == "" {
		return relocation.Invalid(relocation.FieldError{Field: "decision_reason",
			Message: "obligatoire quand le site est écarté ou retenu : dites pourquoi"})
	}
	return nil
}

// apply writes the validated input over base.
func (in siteInput) apply(base sites.Site) sites.Site {
	s := base
	s.Name = strings.TrimSpace(*in.Name)
	s.Address = strings.TrimSpace(val(in.Address))
	s.Commune = strings.TrimSpace(val(in.Commune))
	s.Department = strings.TrimSpace(val(in.Department))
	s.Lat, s.Lon = in.Lat, in.Lon
	s.Kind = *in.Kind
	s.SurfaceM2, s.AnnualCostEUR = in.SurfaceM2, in.AnnualCostEUR
	s.AvailableFrom = relocation.FuzzyDate{}
	if in.AvailableFrom != nil {
		s.AvailableFrom, _ = relocation.ParseFuzzyDate(*in.AvailableFrom)
	}
	if s.Status == "" {
		s.Status = sites.StatusCandidate
	}
	set(&s.Status, in.Status)
	s.DecisionReason = strings.TrimSpace(val(in.DecisionReason))
	s.Decided = relocation.FuzzyDate{}
	if in.Decided != nil {
		s.Decided, _ = relocation.ParseFuzzyDate(*in.Decided)
	}
	return s
}
