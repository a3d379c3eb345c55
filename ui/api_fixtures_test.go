package ui_test

import (
	"fmt"
	"math"
	"reflect"
	"strconv"
	"testing"
)

// Valid bodies of relocations and milestones, the helpers that create them, and those
// that compare what the API answers.

// cleiss is the body of a valid relocation creation.
var cleiss = map[string]any{
	"slug":        "cleiss-montreuil",
	"name":        "Relocalisation du CLEISS",
	"body":        "CLEISS",
	"body_name":   "Centre des liaisons européennes et internationales de sécurité sociale",
	"origin":      "11 rue de la Tour des Dames, 75009 Paris",
	"destination": "Seine-Saint-Denis (93)",
	"decision":    "4e CITP, 15 novembre 2019",
	"headcount":   140,
	"target_move": "2022-early",
}

// move is the body of a valid milestone creation. Its kind is not "move": a relocation
// has one move milestone, which carries its target move (see one_move_date tests); the
// tests that create many milestones need a kind that may repeat.
var move = map[string]any{
	"kind":    "works",
	"title":   "Déménagement",
	"planned": "2022-early",
	"source":  "Réponse à la QE n° 25585, JO du 15 juin 2021, p. 4892",
}

func relocationBody(over map[string]any, drop ...string) string { return with(cleiss, over, drop...) }
func milestoneBody(over map[string]any, drop ...string) string  { return with(move, over, drop...) }

// create posts body to path, expects 201 and returns the resource.
func (e *apiEnv) create(t *testing.T, path, body string) map[string]any {
	t.Helper()
	r := e.do(t, "POST", path, body)
	expect(t, r, 201)
	return r.json
}

func (e *apiEnv) createRelocation(t *testing.T, over map[string]any) map[string]any {
	t.Helper()
	return e.create(t, "/api/v1/relocations", relocationBody(over))
}

func (e *apiEnv) createMilestone(t *testing.T, relocationID int64, over map[string]any) map[string]any {
	t.Helper()
	return e.create(t, fmt.Sprintf("/api/v1/relocations/%d/milestones", relocationID), milestoneBody(over))
}

// idOf returns the id of a resource.
func idOf(t *testing.T, m map[string]any) int64 {
	t.Helper()
	id, ok := m["id"].(float64)
	if !ok || id <= 0 || id != math.Trunc(id) {
		t.Fatalf("no id in %v", m)
	}
	return int64(id)
}

// etag is the ETag of version v.
func etag(v int) string { return `"` + strconv.Itoa(v) + `"` }

// checkFields compares fields of m with want (numbers as float64, FuzzyDates as maps).
func checkFields(t *testing.T, what string, m map[string]any, want map[string]any) {
	t.Helper()
	for k, w := range want {
		got, ok := m[k]
		if !ok {
			t.Errorf("%s: no field %q in %v", what, k, m)
			continue
		}
		if wf, isNum := toFloat(w); isNum {
			gf, gok := got.(float64)
			if !gok || math.Abs(gf-wf) > 1e-9*math.Max(1, math.Abs(wf)) {
				t.Errorf("%s: %s = %v, want %v", what, k, got, w)
			}
			continue
		}
		if !reflect.DeepEqual(got, w) {
			t.Errorf("%s: %s = %#v, want %#v", what, k, got, w)
		}
	}
}

func toFloat(v any) (float64, bool) {
	switch n := v.(type) {
	case int:
		return float64(n), true
	case int64:
		return float64(n), true
	case float64:
		return n, true
	}
	return 0, false
}

// fuzzy is the API form of a FuzzyDate.
func fuzzy(value, label, start, end string) map[string]any {
	return map[string]any{"value": value, "label": label, "start": start, "end": end}
}

// patchStep PATCHes path, drawn at version from, with body and checks the answer: 200,
// the fields of want, version and ETag to; then a read of path that gives the same
// representation under the same ETag. It returns the PATCH's answer.
func (e *apiEnv) patchStep(t *testing.T, path, body string, from, to int, want map[string]any) apiResp {
	t.Helper()
	r := e.do(t, "PATCH", path, body, "If-Match", etag(from))
	expect(t, r, 200)
	checkFields(t, body, r.json, want)
	checkFields(t, body, r.json, map[string]any{"version": to})
	if got := r.Header.Get("ETag"); got != etag(to) {
		t.Errorf("ETag = %q, want %q", got, etag(to))
	}
	g := e.do(t, "GET", path, "")
	expect(t, g, 200)
	if got := g.Header.Get("ETag"); got != etag(to) {
		t.Errorf("read ETag = %q, want %q", got, etag(to))
	}
	if !reflect.DeepEqual(g.json, r.json) {
		t.Errorf("read after PATCH differs from the PATCH answer:\n%v\n%v", g.json, r.json)
	}
	return r
}
