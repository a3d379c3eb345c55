package ui_test

import (
	"fmt"
	"strings"
	"testing"
)

// The API tests of scores: write, read, journal, and refusals.

func TestAPIScores(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t)
	rel := idOf(t, e.createRelocation(t, nil))
	cs := e.criteriaOf(t, rel)
	vis := criterionNamed(t, cs, critVis)
	site := idOf(t, e.createSite(t, rel, nil))
	path := fmt.Sprintf("/api/v1/sites/%d/scores/%d", site, vis)

	// First time: 201 with Location, ETag and the score.
	r := e.do(t, "PUT", path, `{"value":7,"justification":"  Visite du 3 mai 2021 : RER A et ligne 9 à 200 m  "}`)
	expect(t, r, 201)
	if loc := r.Header.Get("Location"); loc != path {
		t.Errorf("Location = %q, want %q", loc, path)
	}
	if got := r.Header.Get("ETag"); got != `"1"` {
		t.Errorf("ETag = %q, want \"1\"", got)
	}
	checkFields(t, "created score", r.json, map[string]any{"site_id": site, "criterion_id": vis, "value": 7,
		"justification": "Visite du 3 mai 2021 : RER A et ligne 9 à 200 m", "version": 1, "updated_by": adminEmail})

	// The Location answers: the score with its ETag; before any entry, 404.
	r = e.do(t, "GET", path, "")
	expect(t, r, 200)
	checkFields(t, "read score", r.json, map[string]any{"value": 7, "version": 1})
	if got := r.Header.Get("ETag"); got != `"1"` {
		t.Errorf("GET ETag = %q, want \"1\"", got)
	}
	checkProblem(t, e.do(t, "GET", fmt.Sprintf("/api/v1/sites/%d/scores/%d", site, criterionNamed(t, cs, critNeeds)), ""), 404)

	// Then 200, a new version.
	r = e.do(t, "PUT", path, `{"value":7.5,"justification":"Contre-visite"}`)
	expect(t, r, 200)
	if r.Header.Get("Location") != "" {
		t.Errorf("an update answers a Location: %q", r.Header.Get("Location"))
	}
	if got := r.Header.Get("ETag"); got != `"2"` {
		t.Errorf("ETag = %q, want \"2\"", got)
	}
	checkFields(t, "updated score", r.json, map[string]any{"value": 7.5, "justification": "Contre-visite", "version": 2})

	// The same value again: 200, nothing written.
	before := e.snapshot(t)
	r = e.do(t, "PUT", path, `{"value":7.5,"justification":"Contre-visite"}`)
	expect(t, r, 200)
	checkFields(t, "same score", r.json, map[string]any{"version": 2})
	e.unchanged(t, before, "an unchanged score wrote")

	// If-Match honoured: the current version passes, a stale one is 412.
	checkProblem(t, e.do(t, "PUT", path, `{"value":9,"justification":"x"}`, "If-Match", `"1"`), 412)
	r = e.do(t, "PUT", path, `{"value":10,"justification":"Borne haute de l’échelle"}`, "If-Match", `"2"`)
	expect(t, r, 200)
	checkFields(t, "score with If-Match", r.json, map[string]any{"value": 10, "version": 3})
	// The scale's bounds are inside it.
	needs := criterionNamed(t, cs, critNeeds)
	expect(t, e.putScore(t, site, needs, 0, "Borne basse"), 201)

	// The ranking reads the value.
	rk := e.read(t, fmt.Sprintf("/api/v1/relocations/%d/ranking", rel))
	items := itemsOf(t, map[string]any{"items": rk["items"]})
	found := false
	for _, item := range items {
		for _, b := range item["breakdown"].([]any) {
			m := b.(map[string]any)
			if v, _ := m["criterion_id"].(float64); int64(v) == vis {
				found = near(m["value"], 10)
			}
		}
	}
	if !found {
		t.Errorf("the ranking does not show the entered value 10: %v", rk)
	}

	// The journal: "score" entries, before → after.
	entries := e.journalOf(t, rel, "score")
	if len(entries) != 4 {
		t.Fatalf("%d score journal entries, want 4 (2 creations, 2 changes)", len(entries))
	}
	checkFields(t, "newest score entry", entries[0], map[string]any{"action": "create", "by": adminEmail})
	checkFields(t, "newest score value", changeOf(t, entries[0], "value"), map[string]any{"before": nil, "after": 0})
	checkFields(t, "last change", entries[1], map[string]any{"action": "update"})
	checkFields(t, "last change value", changeOf(t, entries[1], "value"), map[string]any{"before": 7.5, "after": 10})
	checkFields(t, "last change justification", changeOf(t, entries[1], "justification"),
		map[string]any{"before": "Contre-visite", "after": "Borne haute de l’échelle"})
	checkFields(t, "first change value", changeOf(t, entries[2], "value"), map[string]any{"before": 7, "after": 7.5})
	checkFields(t, "creation", entries[3], map[string]any{"action": "create"})
	checkFields(t, "creation value", changeOf(t, entries[3], "value"), map[string]any{"before": nil, "after": 7})
	checkFields(t, "creation justification", changeOf(t, entries[3], "justification"),
		map[string]any{"before": nil, "after": "Visite du 3 mai 2021 : RER A et ligne 9 à 200 m"})
	// Every entry says which criterion the value is of.
	for i, entry := range entries {
		crit := changeOf(t, entry, "criterion_id")
		if crit == nil || (!near(crit["after"], float64(vis)) && !near(crit["after"], float64(needs))) {
			t.Errorf("score entry %d does not name its criterion: %v", i, entry["changes"])
		}
	}
}

func TestAPIScoresRefused(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t)
	rel := idOf(t, e.createRelocation(t, nil))
	cs := e.criteriaOf(t, rel)
	vis, surface, commute := criterionNamed(t, cs, critVis), criterionNamed(t, cs, critSurface), criterionNamed(t, cs, critCommute)
	site := idOf(t, e.createSite(t, rel, map[string]any{"surface_m2": 1000}))
	other := idOf(t, e.createRelocation(t, map[string]any{"slug": "autre-projet"}))
	otherVis := criterionNamed(t, e.criteriaOf(t, other), critVis)
	otherSite := idOf(t, e.createSite(t, other, nil))
	path := func(sid, cid int64) string { return fmt.Sprintf("/api/v1/sites/%d/scores/%d", sid, cid) }
	p := path(site, vis)
	// A second site with a score at version 1, to check If-Match against.
	scored := idOf(t, e.createSite(t, rel, map[string]any{"name": "Pantin"}))
	expect(t, e.putScore(t, scored, vis, 5, "visite"), 201)
	sp := path(scored, vis)
	const ok = `{"value":7,"justification":"visite"}`

	runRefusals(t, e, []refusal{
		{name: "value above the scale", method: "PUT", path: p, body: `{"value":11,"justification":"visite"}`, status: 422,
			fields: []string{"value"}, contains: map[string]string{"value": "10"}},
		{name: "value below the scale", method: "PUT", path: p, body: `{"value":-0.5,"justification":"visite"}`, status: 422, fields: []string{"value"}},
		{name: "value just above the scale", method: "PUT", path: p, body: `{"value":10.000001,"justification":"visite"}`, status: 422, fields: []string{"value"}},
		{name: "value missing", method: "PUT", path: p, body: `{"justification":"visite"}`, status: 422, fields: []string{"value"}},
		{name: "value null", method: "PUT", path: p, body: `{"value":null,"justification":"visite"}`, status: 422, fields: []string{"value"}},
		{name: "value as text", method: "PUT", path: p, body: `{"value":"7","justification":"visite"}`, status: 422, fields: []string{"value"}},
		{name: "value 1e400", method: "PUT", path: p, body: `{"value":1e400,"justification":"visite"}`, status: 422, fields: []string{"value"}},
		{name: "justification missing", method: "PUT", path: p, body: `{"value":7}`, status: 422, fields: []string{"justification"}},
		{name: "blank justification", method: "PUT", path: p, body: `{"value":7,"justification":"  "}`, status: 422, fields: []string{"justification"}},
		{name: "both missing", method: "PUT", path: p, body: `{}`, status: 422, fields: []string{"value", "justification"}},
		{name: "justification too long", method: "PUT", path: p, body: jsonOf(map[string]any{"value": 7, "justification": strings.Repeat("j", 5001)}), status: 422, fields: []string{"justification"}},
		{name: "computed criterion surface_coverage", method: "PUT", path: path(site, surface), body: `{"value":1,"justification":"visite"}`, status: 422, fields: []string{"value"}},
		{name: "computed criterion commute_median", method: "PUT", path: path(site, commute), body: `{"value":30,"justification":"visite"}`, status: 422, fields: []string{"value"}},
		{name: "criterion of another relocation", method: "PUT", path: path(site, otherVis), body: ok, status: 422},
		{name: "site of another relocation", method: "PUT", path: path(otherSite, vis), body: ok, status: 422},
		{name: "unknown site", method: "PUT", path: path(999999, vis), body: ok, status: 404},
		{name: "unknown criterion", method: "PUT", path: path(site, 999999), body: ok, status: 404},
		{name: "non-numeric site", method: "PUT", path: fmt.Sprintf("/api/v1/sites/abc/scores/%d", vis), body: ok, status: 404},
		{name: "non-numeric criterion", method: "PUT", path: fmt.Sprintf("/api/v1/sites/%d/scores/abc", site), body: ok, status: 404},
		{name: "stale If-Match", method: "PUT", path: sp, body: ok, headers: []string{"If-Match", `"2"`}, status: 412},
		{name: "If-Match on a score not entered yet", method: "PUT", path: p, body: ok, headers: []string{"If-Match", `"1"`}, status: 412},
		{name: "unreadable If-Match", method: "PUT", path: sp, body: ok, headers: []string{"If-Match", "abc"}, status: 412},
		{name: "unknown field", method: "PUT", path: p, body: `{"value":7,"justification":"visite","source":"moi"}`, status: 400},
		{name: "malformed", method: "PUT", path: p, body: `{"value":7,`, status: 400},
		{name: "text/plain", method: "PUT", path: p, body: ok, headers: []string{"Content-Type", "text/plain"}, status: 415},
		{name: "GET of an unknown site's score", method: "GET", path: "/api/v1/sites/999999/scores/1", status: 404},
		{name: "DELETE of a score", method: "DELETE", path: sp, status: 405},
	})
	// The criterion of another relocation is named.
	r := e.do(t, "PUT", path(site, otherVis), ok)
	if got := checkProblem(t, r, 422); len(got) != 1 || got["criterion_id"] == "" {
		t.Errorf("criterion of another relocation: errors %v, want one on criterion_id", got)
	}
	// A weak ETag never matches (If-Match uses the strong comparison, RFC 9110 §13.1.1).
	checkProblem(t, e.do(t, "PUT", sp, `{"value":6,"justification":"contre-visite"}`, "If-Match", `W/"1"`), 412)
	r = e.do(t, "PUT", sp, `{"value":6,"justification":"contre-visite"}`, "If-Match", `"1"`)
	expect(t, r, 200)
	checkFields(t, "PUT with the strong ETag", r.json, map[string]any{"value": 6, "version": 2})
	// If-Match: * is not stale when the score exists (RFC 9110 §13.1.1).
	r = e.do(t, "PUT", sp, `{"value":6.5,"justification":"nouvelle visite"}`, "If-Match", "*")
	// Regression: If-Match: * on a score was once refused with 412.
	if r.StatusCode != 200 {
		t.Errorf("PUT with If-Match: * over an existing score: status %d, want 200\n%s", r.StatusCode, r)
	}
}
