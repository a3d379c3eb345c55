package ui

import (
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ministere/tracker/criteria"
	"github.com/ministere/tracker/relocation"
	"github.com/ministere/tracker/sites"
)

// TestInputNames: the inputs made from the domain's tags take the API names of SPEC, in
// the order the forms and the problems list them, with their rules.
func TestInputNames(t *testing.T) {
	for _, tc := range []struct {
		fields any
		want   []string
	}{
		{milestoneInput{}.values(), []string{"kind", "title", "planned", "actual", "source", "source_url", "notes", "public", "reason"}},
		{siteInput{}.values(), []string{"name", "address", "commune", "department", "lat", "lon", "kind", "surface_m2",
			"annual_cost_eur", "available_from", "status", "decision_reason", "decided"}},
		{criterionInput{}.values(), []string{"name", "description", "weight", "direction", "scale_min", "scale_max", "threshold", "source", "active"}},
		{partnerInput{}.values(), []string{"name", "address", "lat", "lon", "weight"}},
	} {
		typ := reflect.TypeOf(tc.fields).Elem()
		var got []string
		for i := 0; i < typ.NumField(); i++ {
			got = append(got, typ.Field(i).Tag.Get("json"))
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("input names %v, want %v", got, tc.want)
		}
	}
	sf, _ := reflect.TypeOf(siteInput{}.values()).Elem().FieldByName("AnnualCostEUR")
	if sf.Tag.Get("validate") != "omitnil,gte=0,lte=10000000000" || sf.Tag.Get("unit") != "€ EUR euros" || sf.Type != reflect.TypeFor[*float64]() {
		t.Errorf("annual_cost_eur: %s %s", sf.Type, sf.Tag)
	}
	sf, _ = reflect.TypeOf(milestoneInput{}.values()).Elem().FieldByName("Actual")
	if sf.Tag.Get("validate") != "omitnil,isodate" || sf.Type != reflect.TypeFor[*string]() {
		t.Errorf("actual: %s %s", sf.Type, sf.Tag)
	}
}

// TestMilestoneInputRoundTrip: the input made from the tags writes back every field a
// client may write, and only those; an absent value clears its field.
func TestMilestoneInputRoundTrip(t *testing.T) {
	url := "https://www.senat.fr/questions/base/2021/qSEQ210622927.html"
	m := relocation.Milestone{ID: 4, RelocationID: 2, Kind: "move", Title: "Déménagement", Source: "QE n° 22927",
		SourceURL: &url, Notes: "Annoncé", Public: true, Version: 3, CreatedAt: time.Unix(1, 0)}
	m.Planned, _ = relocation.ParseFuzzyDate("2022-early")
	m.Baseline, _ = relocation.ParseFuzzyDate("2021-H2")
	m.Actual, _ = relocation.ParseDate("2022-03-14")

	got := newInput[milestoneInput](m).apply(relocation.Milestone{})
	want := relocation.Milestone{Kind: m.Kind, Title: m.Title, Planned: m.Planned, Actual: m.Actual, Source: m.Source,
		SourceURL: &url, Notes: m.Notes, Public: true}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("round trip:\n%+v\nwant\n%+v", got, want)
	}
	if got.SourceURL == m.SourceURL {
		t.Error("apply shares the input's pointer with the milestone")
	}

	var in milestoneInput
	if got := in.apply(m); got.Actual != (relocation.Date{}) || got.SourceURL != nil || got.Notes != "" || got.Public {
		t.Errorf("absent values: actual %v, url %v, notes %q, public %v: want cleared", got.Actual, got.SourceURL, got.Notes, got.Public)
	}
	if in.reason() != "" {
		t.Errorf("absent reason %q", in.reason())
	}
	v := reflect.ValueOf(in.target()).Elem()
	v.FieldByName("Reason").Set(reflect.ValueOf(ptr("Travaux")))
	v.FieldByName("SourceURL").Set(reflect.ValueOf(ptr("  https://example.fr/a  ")))
	v.FieldByName("Title").Set(reflect.ValueOf(ptr("  Bail signé ")))
	if got := in.apply(m); in.reason() != "Travaux" || val(got.SourceURL) != "https://example.fr/a" || got.Title != "Bail signé" {
		t.Errorf("reason %q, url %v, title %q: want Travaux and both trimmed", in.reason(), got.SourceURL, got.Title)
	}
	if vals := formValues(newInput[milestoneInput](relocation.Milestone{Kind: "move"})); vals["actual"] != "" || vals["planned"] != "" || vals["kind"] != "move" {
		t.Errorf("form of a milestone without dates: %v", vals)
	}
}

// TestSiteInputRoundTrip: the same for a site; an absent status keeps the site's (a new
// site is a candidate), an absent text, number or date clears its field.
func TestSiteInputRoundTrip(t *testing.T) {
	lat, lon, surface, cost := 48.8614, 2.4432, 2300.5, 150000.0
	s := sites.Site{ID: 7, RelocationID: 2, Name: "Bas Montreuil", Address: "12 rue de Paris", Commune: "Montreuil",
		Department: "Seine-Saint-Denis", Lat: &lat, Lon: &lon, Kind: "lease", SurfaceM2: &surface, AnnualCostEUR: &cost,
		Status: sites.StatusSelected, DecisionReason: "Le moins cher", Version: 5}
	s.AvailableFrom, _ = relocation.ParseFuzzyDate("2021-Q4")
	s.Decided, _ = relocation.ParseFuzzyDate("2021-06")

	got := newInput[siteInput](s).apply(sites.NewSite())
	want := s
	want.ID, want.RelocationID, want.Version = 0, 0, 0
	if !reflect.DeepEqual(got, want) {
		t.Errorf("round trip:\n%+v\nwant\n%+v", got, want)
	}
	if got.Lat == s.Lat || got.SurfaceM2 == s.SurfaceM2 {
		t.Error("apply shares the input's pointers with the site")
	}

	var in siteInput
	got = in.apply(s)
	if got.Status != sites.StatusSelected || in.apply(sites.NewSite()).Status != sites.StatusCandidate {
		t.Errorf("absent status: %q over a selected site, want it kept; a new site a candidate", got.Status)
	}
	if got.Address != "" || got.Lat != nil || got.SurfaceM2 != nil || !got.AvailableFrom.IsZero() || !got.Decided.IsZero() || got.DecisionReason != "" {
		t.Errorf("absent values not cleared: %+v", got)
	}
	// A stored site without dates gives an input that passes as it is (a PATCH of its name).
	bare := sites.NewSite()
	bare.Name, bare.Kind = "Pantin", "lease"
	if err := (&Server{validator: newValidator()}).validate(newInput[siteInput](bare)); err != nil {
		t.Errorf("a site without dates, unchanged: %v", err)
	}
}

// TestCriterionInputRoundTrip: the same for a criterion; an absent source or active
// keeps the criterion's, an explicit false is written.
func TestCriterionInputRoundTrip(t *testing.T) {
	threshold := 60.0
	c := criteria.Criterion{ID: 3, Name: "Trajet", Description: "Allongement médian", Weight: 35, Direction: criteria.LowerIsBetter,
		ScaleMin: 0, ScaleMax: 120, Threshold: &threshold, Source: criteria.SourceCommuteMedian, Active: false, Version: 2}

	got := newInput[criterionInput](c).apply(criteria.NewCriterion())
	want := c
	want.ID, want.Version = 0, 0
	if !reflect.DeepEqual(got, want) {
		t.Errorf("round trip:\n%+v\nwant\n%+v", got, want)
	}

	var in criterionInput
	got = in.apply(c)
	if got.Source != criteria.SourceCommuteMedian || got.Active || got.Description != "" || got.Threshold != nil {
		t.Errorf("absent values: source %q, active %v kept; description %q, threshold %v cleared", got.Source, got.Active, got.Description, got.Threshold)
	}
	if got := in.apply(criteria.NewCriterion()); got.Source != criteria.SourceManual || !got.Active {
		t.Errorf("new criterion: source %q, active %v: want manual, active", got.Source, got.Active)
	}
}

// TestPartnerInputRoundTrip: the same for a partner; an absent weight keeps the
// partner's (1 for a new one).
func TestPartnerInputRoundTrip(t *testing.T) {
	p := sites.Partner{ID: 5, RelocationID: 2, Name: "CPAM", Address: "  Paris ", Lat: 48.85, Lon: 2.35, Weight: 2.5, Version: 1}

	got := newInput[partnerInput](p).apply(sites.NewPartner())
	want := p
	want.ID, want.RelocationID, want.Version, want.Address = 0, 0, 0, strings.TrimSpace(p.Address)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("round trip:\n%+v\nwant\n%+v", got, want)
	}
	var in partnerInput
	if got := in.apply(p); got.Weight != 2.5 || got.Address != "" {
		t.Errorf("absent values: weight %v (want 2.5 kept), address %q (want cleared)", got.Weight, got.Address)
	}
	if got := in.apply(sites.NewPartner()); got.Weight != 1 {
		t.Errorf("new partner: weight %v, want 1", got.Weight)
	}
}
