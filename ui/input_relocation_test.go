package ui

import (
	"maps"
	"testing"

	"github.com/ministere/tracker/relocation"
)

// TestRelocationInputRoundTrip: the input made from the tags writes back every field a
// client may write (newInput[relocationInput], then apply over a new relocation), and only
// those: the chosen site is not a client's to write.
func TestRelocationInputRoundTrip(t *testing.T) {
	lat, lon, residents := 48.8794, 2.3358, 120.4
	site := int64(9)
	r := relocation.NewRelocation()
	r.Slug, r.Name, r.Body, r.BodyName, r.Origin = "cleiss", "Relocalisation", "CLEISS", "Centre", "Paris"
	r.OriginLat, r.OriginLon, r.Destination, r.Decision, r.Notes = &lat, &lon, "Montreuil", "4e CITP", "Notes"
	r.Headcount, r.Residents, r.SurfaceRatioM2, r.Status, r.Visibility = 140, &residents, 12, "works", "public"
	r.TargetMove, _ = relocation.ParseFuzzyDate("2022-early")
	r.CommuteIncreaseLimitMin, r.CommuteAccessMin, r.CommuteDetour, r.CommuteSpeedKmh, r.MaxDistanceKm = 45, 5, 1.5, 20, 800
	r.ChosenSiteID = &site

	got := newInput[relocationInput](r).apply(relocation.NewRelocation())
	want := r
	want.ChosenSiteID = nil
	if !maps.Equal(got.Fields(), want.Fields()) {
		t.Errorf("round trip:\n%v\nwant\n%v", got.Fields(), want.Fields())
	}
	if got.OriginLat == r.OriginLat {
		t.Error("apply shares the input's pointer with the relocation")
	}
}

// TestRelocationInputAbsentValues: an absent value keeps a setting (it has a default)
// and clears a text or an optional number.
func TestRelocationInputAbsentValues(t *testing.T) {
	residents := 12.5
	base := relocation.NewRelocation()
	base.SurfaceRatioM2, base.Decision, base.Residents, base.Status = 20, "4e CITP", &residents, "works"
	var in relocationInput
	got := in.apply(base)
	if got.SurfaceRatioM2 != 20 || got.Status != "works" {
		t.Errorf("settings: ratio %v, status %q: want base's 20 and works kept", got.SurfaceRatioM2, got.Status)
	}
	if got.Decision != "" || got.Residents != nil {
		t.Errorf("decision %q, residents %v: want cleared", got.Decision, got.Residents)
	}
	blank := formValues(newRelocationDefaults())
	if blank["headcount"] != "" || blank["surface_ratio_m2"] != "16" || blank["status"] != "announced" {
		t.Errorf("new form: headcount %q, ratio %q, status %q: want blank, 16, announced", blank["headcount"], blank["surface_ratio_m2"], blank["status"])
	}
}
