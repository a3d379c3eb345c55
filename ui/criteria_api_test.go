package ui_test

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
)

// The API tests of the criteria grid: the default criteria, writes, and refusals.

// The default criteria of SPEC.
const (
	critSurface = "Surface nécessaire et offres immobilières"
	critVis     = "Visibilité et accessibilité"
	critCommute = "Situation des agents, temps de trajet"
	critNeeds   = "Nécessités des métiers et pratiques de travail"
)

func TestAPICriteriaDefaults(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t)
	rel := idOf(t, e.createRelocation(t, nil))
	cs := e.criteriaOf(t, rel)
	want := []map[string]any{
		{"name": critSurface, "source": "surface_coverage", "direction": "higher_is_better", "scale_min": 0, "scale_max": 1.5, "threshold": 1, "weight": 30},
		{"name": critVis, "source": "manual", "direction": "higher_is_better", "scale_min": 0, "scale_max": 10, "threshold": nil, "weight": 25},
		{"name": critCommute, "source": "commute_median", "direction": "lower_is_better", "scale_min": 0, "scale_max": 120, "threshold": nil, "weight": 25},
		{"name": critNeeds, "source": "manual", "direction": "higher_is_better", "scale_min": 0, "scale_max": 10, "threshold": nil, "weight": 20},
	}
	if len(cs) != len(want) {
		t.Fatalf("a new relocation has %d criteria, want 4: %v", len(cs), cs)
	}
	for i, w := range want {
		w["relocation_id"], w["version"], w["description"] = rel, 1, ""
		checkFields(t, fmt.Sprintf("default criterion %d", i), cs[i], w)
	}
	// Each relocation has its own grid.
	other := idOf(t, e.createRelocation(t, map[string]any{"slug": "autre-projet"}))
	ocs := e.criteriaOf(t, other)
	if len(ocs) != 4 || idOf(t, ocs[0]) == idOf(t, cs[0]) {
		t.Errorf("another relocation's grid: %v", ocs)
	}
	// The creations are journaled.
	if n := len(e.journalOf(t, rel, "criterion")); n != 4 {
		t.Errorf("%d criterion journal entries for a new relocation, want 4", n)
	}
	checkProblem(t, e.do(t, "GET", "/api/v1/relocations/999999/criteria", ""), 404)
	checkProblem(t, e.do(t, "GET", "/api/v1/relocations/abc/criteria", ""), 404)
}

// cost is the body of a valid criterion creation.
var cost = map[string]any{"name": "Coût annuel", "description": "Loyer et charges, en M€", "weight": 12.5,
	"direction": "lower_is_better", "scale_min": 0, "scale_max": 4}

func criterionBody(over map[string]any, drop ...string) string { return with(cost, over, drop...) }

func TestAPICriteriaWrite(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t)
	rel := idOf(t, e.createRelocation(t, nil))
	list := fmt.Sprintf("/api/v1/relocations/%d/criteria", rel)

	r := e.do(t, "POST", list, criterionBody(nil))
	expect(t, r, 201)
	id := idOf(t, r.json)
	path := fmt.Sprintf("/api/v1/criteria/%d", id)
	if loc := r.Header.Get("Location"); loc != path {
		t.Errorf("Location = %q, want %q", loc, path)
	}
	if got := r.Header.Get("ETag"); got != `"1"` {
		t.Errorf("ETag = %q, want \"1\"", got)
	}
	checkFields(t, "created", r.json, map[string]any{"relocation_id": rel, "name": "Coût annuel", "description": "Loyer et charges, en M€",
		"weight": 12.5, "direction": "lower_is_better", "scale_min": 0, "scale_max": 4, "threshold": nil, "source": "manual", "version": 1})
	created := r.json
	cs := e.criteriaOf(t, rel)
	if len(cs) != 5 || !reflect.DeepEqual(cs[4], created) {
		t.Errorf("the list does not end with the new criterion: %v", cs)
	}
	// A threshold and a computed source may be given.
	share := e.create(t, list, criterionBody(map[string]any{"name": "Part des agents au trajet allongé", "source": "commute_share_over",
		"scale_max": 100, "threshold": 50, "weight": 10}, "description"))
	checkFields(t, "with threshold", share, map[string]any{"threshold": 50, "source": "commute_share_over", "description": ""})

	// Reweight: If-Match required, then a new version.
	checkProblem(t, e.do(t, "PATCH", path, `{"weight":40}`), 428)
	checkProblem(t, e.do(t, "PATCH", path, `{"weight":40}`, "If-Match", `"2"`), 412)
	r = e.do(t, "PATCH", path, `{"weight":40}`, "If-Match", `"1"`)
	expect(t, r, 200)
	if got := r.Header.Get("ETag"); got != `"2"` {
		t.Errorf("ETag after PATCH = %q, want \"2\"", got)
	}
	checkFields(t, "reweighted", r.json, map[string]any{"weight": 40, "version": 2, "name": "Coût annuel", "direction": "lower_is_better", "scale_max": 4})
	checkFields(t, "listed after reweighting", e.criteriaOf(t, rel)[4], map[string]any{"weight": 40, "version": 2})
	// A no-op keeps the version.
	r = e.do(t, "PATCH", path, `{"weight":40,"name":"Coût annuel"}`, "If-Match", `"2"`)
	expect(t, r, 200)
	checkFields(t, "no-op", r.json, map[string]any{"version": 2})
	// A threshold set then cleared.
	r = e.do(t, "PATCH", path, `{"threshold":3,"scale_min":0.5}`, "If-Match", `"2"`)
	expect(t, r, 200)
	checkFields(t, "threshold", r.json, map[string]any{"threshold": 3, "scale_min": 0.5, "version": 3})
	r = e.do(t, "PATCH", path, `{"threshold":null}`, "If-Match", `"3"`)
	expect(t, r, 200)
	checkFields(t, "threshold cleared", r.json, map[string]any{"threshold": nil, "version": 4})

	// Its scores go with it when it is deleted.
	site := idOf(t, e.createSite(t, rel, nil))
	expect(t, e.putScore(t, site, id, 2, "devis du bailleur"), 201)
	checkProblem(t, e.do(t, "DELETE", path, ""), 428)
	checkProblem(t, e.do(t, "DELETE", path, "", "If-Match", `"3"`), 412)
	r = e.do(t, "DELETE", path, "", "If-Match", `"4"`)
	expect(t, r, 204)
	if r.raw != "" {
		t.Errorf("204 with a body: %q", r.raw)
	}
	for _, c := range e.criteriaOf(t, rel) {
		if idOf(t, c) == id {
			t.Errorf("the deleted criterion is still listed")
		}
	}
	var n int
	if err := e.db.Get(&n, `SELECT count(*) FROM scores WHERE criterion_id = $1`, id); err != nil || n != 0 {
		t.Errorf("%d scores (%v) of the deleted criterion remain", n, err)
	}
	checkProblem(t, e.do(t, "DELETE", path, "", "If-Match", `"4"`), 404)
	checkProblem(t, e.do(t, "PATCH", path, `{"weight":1}`, "If-Match", `"4"`), 404)

	// The journal: create, updates with before → after, delete.
	entries := e.journalOf(t, rel, "criterion")
	var mine []map[string]any
	for _, entry := range entries {
		if v, _ := entry["entity_id"].(float64); int64(v) == id {
			mine = append(mine, entry)
		}
	}
	actions := []string{}
	for _, entry := range mine {
		actions = append(actions, fmt.Sprint(entry["action"]))
	}
	if strings.Join(actions, ",") != "delete,update,update,update,create" {
		t.Fatalf("journal of the criterion: %v, want delete, 3 updates, create", actions)
	}
	checkFields(t, "reweight entry", changeOf(t, mine[3], "weight"), map[string]any{"before": 12.5, "after": 40})
	if changes, _ := mine[3]["changes"].(map[string]any); len(changes) != 1 {
		t.Errorf("reweight entry records unchanged fields: %v", changes)
	}
	checkFields(t, "create entry", changeOf(t, mine[4], "name"), map[string]any{"before": nil, "after": "Coût annuel"})
	checkFields(t, "delete entry", changeOf(t, mine[0], "name"), map[string]any{"before": "Coût annuel", "after": nil})
}

func TestAPICriteriaRefused(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t)
	rel := idOf(t, e.createRelocation(t, nil))
	list := fmt.Sprintf("/api/v1/relocations/%d/criteria", rel)
	id := idOf(t, e.create(t, list, criterionBody(nil)))
	path := fmt.Sprintf("/api/v1/criteria/%d", id)
	im := []string{"If-Match", `"1"`}

	runRefusals(t, e, []refusal{
		{name: "weight 0", method: "POST", path: list, body: criterionBody(map[string]any{"weight": 0}), status: 422,
			fields: []string{"weight"}, messages: map[string]string{"weight": "doit être supérieur ou égal à 0,001"}},
		{name: "negative weight", method: "POST", path: list, body: criterionBody(map[string]any{"weight": -5}), status: 422, fields: []string{"weight"}},
		{name: "weight missing", method: "POST", path: list, body: criterionBody(nil, "weight"), status: 422, fields: []string{"weight"}},
		{name: "weight as text", method: "POST", path: list, body: criterionBody(map[string]any{"weight": "lourd"}), status: 422, fields: []string{"weight"}},
		{name: "name missing", method: "POST", path: list, body: criterionBody(nil, "name"), status: 422, fields: []string{"name"}},
		{name: "blank name", method: "POST", path: list, body: criterionBody(map[string]any{"name": " "}), status: 422, fields: []string{"name"}},
		{name: "direction missing", method: "POST", path: list, body: criterionBody(nil, "direction"), status: 422, fields: []string{"direction"}},
		{name: "unknown direction", method: "POST", path: list, body: criterionBody(map[string]any{"direction": "sideways"}), status: 422,
			fields: []string{"direction"}, contains: map[string]string{"direction": "higher_is_better"}},
		{name: "unknown source", method: "POST", path: list, body: criterionBody(map[string]any{"source": "magic"}), status: 422,
			fields: []string{"source"}, contains: map[string]string{"source": "surface_coverage"}},
		{name: "scale_min missing", method: "POST", path: list, body: criterionBody(nil, "scale_min"), status: 422, fields: []string{"scale_min"}},
		{name: "scale_max missing", method: "POST", path: list, body: criterionBody(nil, "scale_max"), status: 422, fields: []string{"scale_max"}},
		{name: "unknown field", method: "POST", path: list, body: criterionBody(map[string]any{"foo": 1}), status: 400},
		{name: "id on creation", method: "POST", path: list, body: criterionBody(map[string]any{"id": 1}), status: 400},
		{name: "malformed", method: "POST", path: list, body: `{"name":`, status: 400},
		{name: "text/plain", method: "POST", path: list, body: criterionBody(nil), headers: []string{"Content-Type", "text/plain"}, status: 415},
		{name: "unknown relocation", method: "POST", path: "/api/v1/relocations/999999/criteria", body: criterionBody(nil), status: 404},
		{name: "non-numeric relocation", method: "POST", path: "/api/v1/relocations/abc/criteria", body: criterionBody(nil), status: 404},
		// PATCH and DELETE.
		{name: "PATCH without If-Match", method: "PATCH", path: path, body: `{"weight":3}`, status: 428},
		{name: "PATCH stale", method: "PATCH", path: path, body: `{"weight":3}`, headers: []string{"If-Match", `"5"`}, status: 412},
		{name: "PATCH weight 0", method: "PATCH", path: path, body: `{"weight":0}`, headers: im, status: 422, fields: []string{"weight"}},
		{name: "PATCH negative weight", method: "PATCH", path: path, body: `{"weight":-1}`, headers: im, status: 422, fields: []string{"weight"}},
		{name: "PATCH weight null", method: "PATCH", path: path, body: `{"weight":null}`, headers: im, status: 422, fields: []string{"weight"}},
		{name: "PATCH name null", method: "PATCH", path: path, body: `{"name":null}`, headers: im, status: 422, fields: []string{"name"}},
		{name: "PATCH unknown direction", method: "PATCH", path: path, body: `{"direction":"up"}`, headers: im, status: 422, fields: []string{"direction"}},
		{name: "PATCH unknown source", method: "PATCH", path: path, body: `{"source":"magic"}`, headers: im, status: 422, fields: []string{"source"}},
		{name: "PATCH unknown field", method: "PATCH", path: path, body: `{"foo":1}`, headers: im, status: 400},
		{name: "PATCH relocation_id", method: "PATCH", path: path, body: `{"relocation_id":1}`, headers: im, status: 400},
		{name: "PATCH unknown criterion", method: "PATCH", path: "/api/v1/criteria/999999", body: `{"weight":3}`, headers: im, status: 404},
		{name: "PATCH non-numeric criterion", method: "PATCH", path: "/api/v1/criteria/abc", body: `{"weight":3}`, headers: im, status: 404},
		{name: "DELETE without If-Match", method: "DELETE", path: path, status: 428},
		{name: "DELETE stale", method: "DELETE", path: path, headers: []string{"If-Match", `"2"`}, status: 412},
		{name: "DELETE unreadable If-Match", method: "DELETE", path: path, headers: []string{"If-Match", "abc"}, status: 412},
		{name: "DELETE unknown criterion", method: "DELETE", path: "/api/v1/criteria/999999", headers: im, status: 404},
	})

	// scale_min ≥ scale_max: refused, naming one of the two bounds.
	for _, c := range []struct{ name, method, path, body string }{
		{"scale_min = scale_max", "POST", list, criterionBody(map[string]any{"scale_min": 10, "scale_max": 10})},
		{"scale_min > scale_max", "POST", list, criterionBody(map[string]any{"scale_min": 11, "scale_max": 10})},
		{"PATCH scale_min above scale_max", "PATCH", path, `{"scale_min":5}`},
		{"PATCH scale_max = scale_min", "PATCH", path, `{"scale_max":0}`},
	} {
		t.Run(c.name, func(t *testing.T) {
			before := e.snapshot(t)
			r := e.do(t, c.method, c.path, c.body, im...)
			got := checkProblem(t, r, 422)
			if len(got) != 1 || (got["scale_min"] == "" && got["scale_max"] == "") {
				t.Errorf("errors %v, want one naming scale_min or scale_max", got)
			}
			e.unchanged(t, before, "a refused request wrote")
		})
	}
}
