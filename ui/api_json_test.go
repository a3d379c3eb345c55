package ui

import (
	"encoding/json"
	"maps"
	"slices"
	"testing"

	"github.com/ministere/tracker/relocation"
)

// TestMilestoneJSONNames: the API writes a milestone under SPEC's field names
// (Milestone), with its derived baseline, slip, status and history ([] when none).
func TestMilestoneJSONNames(t *testing.T) {
	planned, _ := relocation.ParseFuzzyDate("2022-Q1")
	baseline, _ := relocation.ParseFuzzyDate("2021-Q4")
	m := relocation.Milestone{Kind: "move", Planned: planned, Baseline: baseline}
	raw, err := json.Marshal(toMilestoneJSON(m, relocation.Date{Year: 2021, Month: 6, Day: 1}))
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(raw, &got); err != nil {
		t.Fatal(err)
	}
	want := []string{"id", "relocation_id", "kind", "title", "planned", "actual", "source", "source_url", "notes", "public",
		"baseline", "slip_days", "status", "history", "version", "created_at", "updated_at"}
	slices.Sort(want)
	if keys := slices.Sorted(maps.Keys(got)); !slices.Equal(keys, want) {
		t.Errorf("keys\n%v\nwant\n%v", keys, want)
	}
	// 2022-Q1 ends on 31 March 2022, 2021-Q4 on 31 December 2021: 31 + 28 + 31 days.
	if got["slip_days"] != 90.0 || got["status"] != "planned" || got["history"] == nil {
		t.Errorf("derived: slip %v, status %v, history %v", got["slip_days"], got["status"], got["history"])
	}
}

// TestRelocationJSONNames: the API writes a relocation under SPEC's field names
// (Relocation), plus whether the required surface was computed.
func TestRelocationJSONNames(t *testing.T) {
	raw, err := json.Marshal(toRelocationJSON(relocation.NewRelocation()))
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(raw, &got); err != nil {
		t.Fatal(err)
	}
	want := []string{"id", "slug", "name", "body", "body_name", "origin", "origin_lat", "origin_lon", "destination",
		"decision", "notes", "headcount", "residents", "surface_ratio_m2", "required_surface_m2", "required_surface_computed",
		"status", "target_move", "chosen_site_id", "visibility", "commute_increase_limit_min", "commute_access_min",
		"commute_detour", "commute_speed_kmh", "max_distance_km", "version", "created_at", "updated_at"}
	slices.Sort(want)
	if keys := slices.Sorted(maps.Keys(got)); !slices.Equal(keys, want) {
		t.Errorf("keys\n%v\nwant\n%v", keys, want)
	}
	if got["residents"] != 0.0 || got["required_surface_m2"] != 0.0 || got["required_surface_computed"] != true {
		t.Errorf("derived: residents %v, surface %v, computed %v", got["residents"], got["required_surface_m2"], got["required_surface_computed"])
	}
}
