package ui_test

import (
	"fmt"
	"math"
	"testing"
)

// acceptabilityGrid makes a relocation of 2 000 m² whose commute criterion is set aside,
// with two complete sites and one eliminated by the surface threshold; it returns the
// relocation and its site ids by name.
func (e *apiEnv) acceptabilityGrid(t *testing.T, slug string) (int64, map[string]int64) {
	t.Helper()
	rel := idOf(t, e.createRelocation(t, map[string]any{"slug": slug, "required_surface_m2": 2000}))
	cs := e.criteriaOf(t, rel)
	V, T, N := criterionNamed(t, cs, critVis), criterionNamed(t, cs, critCommute), criterionNamed(t, cs, critNeeds)
	expect(t, e.do(t, "PATCH", fmt.Sprintf("/api/v1/criteria/%d", T), `{"active":false}`, "If-Match", etag(1)), 200)
	sites := map[string]int64{}
	for _, d := range []struct {
		name    string
		surface float64
		v, n    float64
	}{{"Bas Montreuil", 2400, 8, 6}, {"Pantin", 3000, 5, 7}, {"Trop petit", 1000, 9, 9}} {
		id := idOf(t, e.createSite(t, rel, map[string]any{"name": d.name, "surface_m2": d.surface}))
		expect(t, e.putScore(t, id, V, d.v, "visite"), 201)
		expect(t, e.putScore(t, id, N, d.n, "visite"), 201)
		sites[d.name] = id
	}
	return rel, sites
}

func TestAPIAcceptabilityAnswersPerRankedSite(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t)
	rel, sites := e.acceptabilityGrid(t, "smaa-api")
	path := fmt.Sprintf("/api/v1/relocations/%d/ranking/acceptability", rel)
	r := e.do(t, "GET", path, "")
	expect(t, r, 200)
	if r.json["samples"] != 10000.0 || r.json["seed"] != 20191115.0 || r.json["around"] != nil {
		t.Errorf("defaults: samples %v seed %v around %v", r.json["samples"], r.json["seed"], r.json["around"])
	}
	items := itemsOf(t, r.json)
	if len(items) != 2 {
		t.Fatalf("%d items, want the 2 ranked sites (not the eliminated one)\n%s", len(items), r)
	}
	for _, it := range items {
		if it["site_id"] == float64(sites["Trop petit"]) {
			t.Errorf("eliminated site listed: %v", it)
		}
		acc, _ := it["acceptability"].([]any)
		if len(acc) != 2 {
			t.Fatalf("acceptability %v, want one entry per rank", it["acceptability"])
		}
		if sum := acc[0].(float64) + acc[1].(float64); math.Abs(sum-100) > 1e-9 {
			t.Errorf("site %v: shares sum to %v", it["name"], sum)
		}
	}

	// The same options give the same bytes; the options are echoed.
	q := path + "?samples=2000&seed=42&around=5,5"
	one, two := e.do(t, "GET", q, ""), e.do(t, "GET", q, "")
	expect(t, one, 200)
	if one.raw != two.raw {
		t.Errorf("same seed, different answers:\n%s\n%s", one.raw, two.raw)
	}
	if one.json["samples"] != 2000.0 || one.json["seed"] != 42.0 || one.json["around"] != 5.5 {
		t.Errorf("options not echoed: %s", one)
	}
}

func TestAPIAcceptabilityRefusesBadOptions(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t)
	rel, _ := e.acceptabilityGrid(t, "smaa-refus")
	path := fmt.Sprintf("/api/v1/relocations/%d/ranking/acceptability", rel)
	for _, c := range []struct {
		query  string
		fields []string
	}{
		{"samples=99", []string{"samples"}},
		{"samples=100001", []string{"samples"}},
		{"samples=1e4", []string{"samples"}},
		{"seed=-1", []string{"seed"}},
		{"seed=9007199254740992", []string{"seed"}},
		{"around=0", []string{"around"}},
		{"around=100.5", []string{"around"}},
		{"around=NaN", []string{"around"}},
		{"around=abc&samples=x&seed=y", []string{"around", "samples", "seed"}},
	} {
		got := checkProblem(t, e.do(t, "GET", path+"?"+c.query, ""), 422, c.fields...)
		for _, f := range c.fields {
			if got[f] == "" {
				t.Errorf("?%s: no French message for %s", c.query, f)
			}
		}
	}
	for _, ok := range []string{"samples=100", "samples=100000&around=100", "seed=0", "seed=9007199254740991", "around=0.5"} {
		expect(t, e.do(t, "GET", path+"?"+ok, ""), 200)
	}
	checkProblem(t, e.do(t, "GET", "/api/v1/relocations/999999/ranking/acceptability", ""), 404)
}
