package ui_test

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/ministere/tracker/ui/account"
)

// The API tests of AHP: criterion weights from pairwise comparisons, and refusals.

// ahpBody is the body of POST /ahp comparing every pair (i < j) of the criteria with the
// ratio of the given weights, except the pairs in over.
func ahpBody(order []int64, weights map[int64]float64, over map[[2]int64]float64, drop ...[2]int64) string {
	var comps []map[string]any
	for i := range order {
		for j := i + 1; j < len(order); j++ {
			pair := [2]int64{order[i], order[j]}
			skip := false
			for _, d := range drop {
				skip = skip || d == pair
			}
			if skip {
				continue
			}
			v := weights[order[i]] / weights[order[j]]
			if o, ok := over[pair]; ok {
				v = o
			}
			comps = append(comps, map[string]any{"a": order[i], "b": order[j], "value": v})
		}
	}
	return jsonOf(map[string]any{"comparisons": comps})
}

func TestAPIAHP(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t)
	rel := idOf(t, e.createRelocation(t, nil))
	path := fmt.Sprintf("/api/v1/relocations/%d/ahp", rel)
	cs := e.criteriaOf(t, rel)
	S, V, T, N := criterionNamed(t, cs, critSurface), criterionNamed(t, cs, critVis), criterionNamed(t, cs, critCommute), criterionNamed(t, cs, critNeeds)
	order := []int64{S, V, T, N}
	wanted := map[int64]float64{S: 8, V: 4, T: 2, N: 1} // a consistent matrix: weights 8/15, 4/15, 2/15, 1/15
	other := idOf(t, e.createRelocation(t, map[string]any{"slug": "autre-projet"}))
	otherCrit := idOf(t, e.criteriaOf(t, other)[0])
	viewerToken := e.tokenOf(t, e.user(t, "lecteur@exemple.gouv.fr", account.RoleViewer))
	comparisons := func(list ...map[string]any) string { return jsonOf(map[string]any{"comparisons": list}) }

	// Inconsistent: S ≻ V ≻ T ≻ N pairwise, yet N is 8 times S. CR > 0,10; the
	// comparison that departs most is S/N; nothing changes.
	before := e.snapshot(t)
	r := e.do(t, "POST", path, ahpBody(order, wanted, map[[2]int64]float64{{S, N}: 1.0 / 8}))
	expect(t, r, 200)
	if r.json["applied"] != false {
		t.Errorf("inconsistent comparisons applied: %s", r)
	}
	if cr, _ := r.json["consistency_ratio"].(float64); !(cr > 0.10) {
		t.Errorf("consistency_ratio = %v, want > 0.10", r.json["consistency_ratio"])
	}
	checkFields(t, "worst", map[string]any{"worst": r.json["worst"]}, map[string]any{"worst": map[string]any{"a": float64(S), "b": float64(N)}})
	if w, _ := r.json["weights"].(map[string]any); len(w) != 4 {
		t.Errorf("weights of the refused comparisons = %v, want 4", r.json["weights"])
	}
	e.unchanged(t, before, "inconsistent comparisons wrote")

	// Consistent: applied, weights = eigenvector × 100.
	r = e.do(t, "POST", path, ahpBody(order, wanted, nil))
	expect(t, r, 200)
	checkFields(t, "consistent", r.json, map[string]any{"applied": true})
	if cr, ok := r.json["consistency_ratio"].(float64); !ok || math.Abs(cr) > 1e-9 {
		t.Errorf("consistency_ratio = %v, want ~0", r.json["consistency_ratio"])
	}
	if _, present := r.json["worst"]; present {
		t.Errorf("an applied answer names a worst comparison: %v", r.json["worst"])
	}
	weights, _ := r.json["weights"].(map[string]any)
	if len(weights) != 4 {
		t.Fatalf("weights = %v, want 4", r.json["weights"])
	}
	for _, id := range order {
		if w := weights[strconv.FormatInt(id, 10)]; !near(w, wanted[id]/15) {
			t.Errorf("weight of %d = %v, want %v", id, w, wanted[id]/15)
		}
	}
	for _, c := range e.criteriaOf(t, rel) {
		id := idOf(t, c)
		if !near(c["weight"], 100*wanted[id]/15) || versionIn(t, c) != 2 {
			t.Errorf("criterion %d: weight %v version %v, want %v, version 2", id, c["weight"], c["version"], 100*wanted[id]/15)
		}
	}
	entries := e.journalOf(t, rel, "criterion")
	updates := 0
	for _, entry := range entries {
		if entry["action"] == "update" {
			updates++
			if c := changeOf(t, entry, "weight"); c != nil && !near(c["before"], 30) && !near(c["before"], 25) && !near(c["before"], 20) {
				t.Errorf("weight change %v, want before the default weight", c)
			}
		}
	}
	if updates != 4 {
		t.Errorf("%d criterion update entries, want 4 (one per weight)", updates)
	}
	// The same comparisons again change nothing.
	before = e.snapshot(t)
	expect(t, e.do(t, "POST", path, ahpBody(order, wanted, nil)), 200)
	e.unchanged(t, before, "the same comparisons again wrote")

	// Refusals: nothing changes.
	runRefusals(t, e, []refusal{
		{name: "missing pair", method: "POST", path: path, body: ahpBody(order, wanted, nil, [2]int64{V, N}), status: 422, fields: []string{"comparisons"}},
		{name: "value 10", method: "POST", path: path, body: ahpBody(order, wanted, map[[2]int64]float64{{S, V}: 10}), status: 422, fields: []string{"comparisons"}},
		{name: "value 1/10", method: "POST", path: path, body: ahpBody(order, wanted, map[[2]int64]float64{{S, V}: 0.1}), status: 422, fields: []string{"comparisons"}},
		{name: "value 0", method: "POST", path: path, body: ahpBody(order, wanted, map[[2]int64]float64{{S, V}: 0}), status: 422},
		{name: "negative value", method: "POST", path: path, body: ahpBody(order, wanted, map[[2]int64]float64{{S, V}: -2}), status: 422},
		{name: "unknown criterion", method: "POST", path: path, body: ahpBody([]int64{S, V, T, N, 999999},
			map[int64]float64{S: 8, V: 4, T: 2, N: 1, 999999: 1}, nil), status: 422},
		{name: "criterion of another relocation", method: "POST", path: path, body: ahpBody([]int64{S, V, T, N, otherCrit},
			map[int64]float64{S: 8, V: 4, T: 2, N: 1, otherCrit: 1}, nil), status: 422},
		{name: "criteria of another relocation only", method: "POST", path: path,
			body: comparisons(map[string]any{"a": otherCrit, "b": otherCrit + 1, "value": 2}), status: 422},
		{name: "a pair given twice", method: "POST", path: path, body: strings.Replace(ahpBody(order, wanted, nil), `"comparisons":[`,
			fmt.Sprintf(`"comparisons":[{"a":%d,"b":%d,"value":2},`, V, S), 1), status: 422, fields: []string{"comparisons"}},
		{name: "a criterion with itself", method: "POST", path: path, body: strings.Replace(ahpBody(order, wanted, nil), `"comparisons":[`,
			fmt.Sprintf(`"comparisons":[{"a":%d,"b":%d,"value":1},`, S, S), 1), status: 422, fields: []string{"comparisons"}},
		{name: "no comparison", method: "POST", path: path, body: `{"comparisons":[]}`, status: 422},
		{name: "comparisons missing", method: "POST", path: path, body: `{}`, status: 422},
		{name: "a missing", method: "POST", path: path, body: comparisons(map[string]any{"b": V, "value": 2}), status: 422},
		{name: "value as text", method: "POST", path: path, body: comparisons(map[string]any{"a": S, "b": V, "value": "3"}), status: 422},
		{name: "unknown field", method: "POST", path: path, body: `{"comparisons":[],"method":"ahp"}`, status: 400},
		{name: "malformed", method: "POST", path: path, body: `{"comparisons":[`, status: 400},
		{name: "unknown relocation", method: "POST", path: "/api/v1/relocations/999999/ahp", body: ahpBody(order, wanted, nil), status: 404},
		{name: "as a viewer", method: "POST", path: path, body: ahpBody(order, map[int64]float64{S: 1, V: 1, T: 1, N: 1}, nil),
			headers: bearer(viewerToken), status: 403},
		{name: "anonymous", method: "POST", path: path, body: ahpBody(order, map[int64]float64{S: 1, V: 1, T: 1, N: 1}, nil),
			headers: []string{"Authorization", ""}, status: 401},
	})
	for _, c := range e.criteriaOf(t, rel) {
		if id := idOf(t, c); !near(c["weight"], 100*wanted[id]/15) {
			t.Errorf("criterion %d: weight %v after refused comparisons, want %v", id, c["weight"], 100*wanted[id]/15)
		}
	}

	// Two criteria: CR = 0 whatever the value; weights 3/4 and 1/4.
	two := idOf(t, e.createRelocation(t, map[string]any{"slug": "deux-criteres"}))
	tcs := e.criteriaOf(t, two)
	for _, c := range tcs[2:] {
		expect(t, e.do(t, "DELETE", fmt.Sprintf("/api/v1/criteria/%d", idOf(t, c)), "", "If-Match", etag(1)), 204)
	}
	a, b := idOf(t, tcs[0]), idOf(t, tcs[1])
	r = e.do(t, "POST", fmt.Sprintf("/api/v1/relocations/%d/ahp", two), comparisons(map[string]any{"a": b, "b": a, "value": 1.0 / 3}))
	expect(t, r, 200)
	checkFields(t, "two criteria", r.json, map[string]any{"applied": true, "consistency_ratio": 0,
		"weights": map[string]any{strconv.FormatInt(a, 10): 0.75, strconv.FormatInt(b, 10): 0.25}})
	tcs = e.criteriaOf(t, two)
	if !near(tcs[0]["weight"], 75) || !near(tcs[1]["weight"], 25) {
		t.Errorf("two criteria: weights %v and %v, want 75 and 25", tcs[0]["weight"], tcs[1]["weight"])
	}

	// More than 10 criteria: refused.
	many := idOf(t, e.createRelocation(t, map[string]any{"slug": "onze-criteres"}))
	for i := 0; i < 7; i++ {
		e.create(t, fmt.Sprintf("/api/v1/relocations/%d/criteria", many), criterionBody(map[string]any{"name": fmt.Sprintf("Critère %d", i)}))
	}
	var manyIDs []int64
	ones := map[int64]float64{}
	for _, c := range e.criteriaOf(t, many) {
		manyIDs = append(manyIDs, idOf(t, c))
		ones[idOf(t, c)] = 1
	}
	runRefusals(t, e, []refusal{{name: "11 criteria", method: "POST", path: fmt.Sprintf("/api/v1/relocations/%d/ahp", many),
		body: ahpBody(manyIDs, ones, nil), status: 422, fields: []string{"comparisons"}}})
}
