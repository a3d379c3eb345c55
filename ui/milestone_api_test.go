package ui_test

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"
)

// The API tests of milestones: create, list, patch, delete, status against the clock,
// and every refusal.

func TestAPIMilestones(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t)
	rel := idOf(t, e.createRelocation(t, nil))
	list := fmt.Sprintf("/api/v1/relocations/%d/milestones", rel)

	r := e.do(t, "GET", list, "")
	expect(t, r, 200)
	if r.raw != `{"items":[]}` {
		t.Errorf("empty milestone list = %s", r.raw)
	}

	// Creation: 201, Location, ETag, derived fields.
	r = e.do(t, "POST", list, milestoneBody(map[string]any{"kind": "move", "notes": "Annoncé par le ministre"}))
	expect(t, r, 201)
	m := r.json
	id := idOf(t, m)
	mpath := fmt.Sprintf("/api/v1/milestones/%d", id)
	if got := r.Header.Get("Location"); got != mpath {
		t.Errorf("Location = %q, want %q", got, mpath)
	}
	if got := r.Header.Get("ETag"); got != `"1"` {
		t.Errorf("ETag = %q", got)
	}
	early := fuzzy("2022-early", "début 2022", "2022-01-01", "2022-04-30")
	checkFields(t, "created milestone", m, map[string]any{
		"relocation_id": rel, "kind": "move", "title": "Déménagement", "planned": early, "baseline": early,
		"actual": nil, "source": move["source"], "source_url": nil, "notes": "Annoncé par le ministre",
		"public": false, "slip_days": 0, "status": "planned", "history": []any{}, "version": 1,
	})
	r = e.do(t, "GET", mpath, "")
	expect(t, r, 200)
	if got := r.Header.Get("ETag"); got != `"1"` {
		t.Errorf("read ETag = %q", got)
	}
	if !reflect.DeepEqual(r.json, m) {
		t.Errorf("read differs from created:\n%v\n%v", r.json, m)
	}

	// Planned order: start, then end, then id, whatever the order of creation.
	ids := map[string]int64{"move": id}
	for _, c := range []struct{ key, planned string }{
		{"2022", "2022"}, {"2021-06-15", "2021-06-15"}, {"2021-06 a", "2021-06"}, {"2022-Q1", "2022-Q1"},
		{"2021-06 b", "2021-06"}, {"2022-S1", "2022-S1"},
	} {
		ids[c.key] = idOf(t, e.createMilestone(t, rel, map[string]any{"kind": "other", "title": c.key, "planned": c.planned}))
	}
	want := []int64{ids["2021-06 a"], ids["2021-06 b"], ids["2021-06-15"], ids["2022-Q1"], ids["move"], ids["2022-S1"], ids["2022"]}
	r = e.do(t, "GET", list, "")
	expect(t, r, 200)
	var got []int64
	items, _ := r.json["items"].([]any)
	for _, item := range items {
		got = append(got, idOf(t, item.(map[string]any)))
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("milestone order %v, want %v", got, want)
	}
	for _, item := range items {
		if mm := item.(map[string]any); idOf(t, mm) == id && !reflect.DeepEqual(mm, m) {
			t.Errorf("listed milestone differs from the resource:\n%v\n%v", mm, m)
		}
	}

	// Updates, each with the ETag of the previous answer.
	mid := fuzzy("2022-mid", "mi-2022", "2022-05-01", "2022-08-31")
	dec := fuzzy("2021-12", "décembre 2021", "2021-12-01", "2021-12-31")
	steps := []struct {
		name    string
		body    string
		version int
		want    map[string]any
		history []map[string]any // from, to, reason of each change, oldest first
	}{
		{"planned later, with a reason", `{"planned":"2022-mid","reason":"Travaux de désamiantage"}`, 2,
			map[string]any{"planned": mid, "baseline": early, "slip_days": 123, "status": "planned"},
			[]map[string]any{{"from": early, "to": mid, "reason": "Travaux de désamiantage"}}},
		{"no-op with the same planned", `{"planned":"2022-mid","title":"Déménagement"}`, 2,
			map[string]any{"planned": mid, "slip_days": 123},
			[]map[string]any{{"from": early, "to": mid, "reason": "Travaux de désamiantage"}}},
		{"reason alone changes nothing", `{"reason":"rien"}`, 2, map[string]any{"planned": mid},
			[]map[string]any{{"from": early, "to": mid, "reason": "Travaux de désamiantage"}}},
		{"planned earlier, no reason", `{"planned":"2021-12"}`, 3,
			map[string]any{"planned": dec, "baseline": early, "slip_days": -120, "status": "planned"},
			[]map[string]any{{"from": early, "to": mid, "reason": "Travaux de désamiantage"}, {"from": mid, "to": dec, "reason": ""}}},
		{"other fields keep the history", `{"title":"Emménagement à Montreuil","public":true,"source_url":"https://www.assemblee-nationale.fr/"}`, 4,
			map[string]any{"title": "Emménagement à Montreuil", "public": true, "source_url": "https://www.assemblee-nationale.fr/", "slip_days": -120},
			[]map[string]any{{"from": early, "to": mid, "reason": "Travaux de désamiantage"}, {"from": mid, "to": dec, "reason": ""}}},
		{"actual set", `{"actual":"2021-06-20"}`, 5,
			map[string]any{"actual": "2021-06-20", "status": "done", "planned": dec},
			[]map[string]any{{"from": early, "to": mid, "reason": "Travaux de désamiantage"}, {"from": mid, "to": dec, "reason": ""}}},
		{"actual cleared", `{"actual":null,"source_url":null}`, 6,
			map[string]any{"actual": nil, "status": "planned", "source_url": nil},
			[]map[string]any{{"from": early, "to": mid, "reason": "Travaux de désamiantage"}, {"from": mid, "to": dec, "reason": ""}}},
	}
	version := 1
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			r := e.patchStep(t, mpath, s.body, version, s.version, s.want)
			history, _ := r.json["history"].([]any)
			if len(history) != len(s.history) {
				t.Fatalf("history has %d changes, want %d: %v", len(history), len(s.history), r.json["history"])
			}
			for i, h := range history {
				hm, _ := h.(map[string]any)
				checkFields(t, fmt.Sprintf("history[%d]", i), hm, s.history[i])
				if by, _ := hm["by"].(string); by == "" {
					t.Errorf("history[%d] has no by: %v", i, hm)
				}
				if at, _ := hm["at"].(string); at == "" {
					t.Errorf("history[%d] has no at: %v", i, hm)
				} else if _, err := time.Parse(time.RFC3339Nano, at); err != nil {
					t.Errorf("history[%d].at = %q: %v", i, at, err)
				}
			}
			version = s.version
		})
	}

	// Delete: preconditions first, then 204 and gone.
	runRefusals(t, e, []refusal{
		{name: "DELETE without If-Match", method: "DELETE", path: mpath, status: 428},
		{name: "DELETE stale", method: "DELETE", path: mpath, headers: []string{"If-Match", `"1"`}, status: 412},
	})
	r = e.do(t, "DELETE", mpath, "", "If-Match", etag(version))
	expect(t, r, 204)
	if r.raw != "" {
		t.Errorf("204 with a body: %q", r.raw)
	}
	runRefusals(t, e, []refusal{
		{name: "GET deleted", method: "GET", path: mpath, status: 404},
		{name: "DELETE deleted", method: "DELETE", path: mpath, headers: []string{"If-Match", etag(version)}, status: 404},
		{name: "PATCH deleted", method: "PATCH", path: mpath, body: `{"title":"x"}`, headers: []string{"If-Match", etag(version)}, status: 404},
	})
	r = e.do(t, "GET", list, "")
	expect(t, r, 200)
	if items, _ := r.json["items"].([]any); len(items) != len(want)-1 {
		t.Errorf("after delete the list has %d items, want %d", len(items), len(want)-1)
	}
}

// TestAPIMilestoneStatus checks status against the fixed clock, "today" in Europe/Paris.
func TestAPIMilestoneStatus(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t)
	rel := idOf(t, e.createRelocation(t, nil))
	for _, c := range []struct {
		planned string
		actual  any
		status  string
	}{
		{"2021-06", nil, "overdue"}, // ends 30 June; today in Paris is 1 July
		{"2021-06-30", nil, "overdue"},
		{"2021-07-01", nil, "planned"},
		{"2021-Q2", nil, "overdue"},
		{"2021-Q3", nil, "planned"},
		{"2021-S1", nil, "overdue"},
		{"2021-early", nil, "overdue"},
		{"2021-mid", nil, "planned"},
		{"2021", nil, "planned"},
		{"2019-11-15", "2019-11-15", "done"},
		{"2022-early", "2021-06-20", "done"},
	} {
		t.Run(c.planned, func(t *testing.T) {
			m := e.createMilestone(t, rel, map[string]any{"planned": c.planned, "actual": c.actual})
			checkFields(t, c.planned, m, map[string]any{"status": c.status, "actual": c.actual, "slip_days": 0})
			r := e.do(t, "GET", fmt.Sprintf("/api/v1/milestones/%d", idOf(t, m)), "")
			expect(t, r, 200)
			checkFields(t, c.planned+" read", r.json, map[string]any{"status": c.status})
		})
	}
}

func TestAPIMilestoneRefused(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t)
	rel := idOf(t, e.createRelocation(t, nil))
	m := e.createMilestone(t, rel, nil)
	mpath := fmt.Sprintf("/api/v1/milestones/%d", idOf(t, m))
	r := e.do(t, "PATCH", mpath, `{"planned":"2022-mid"}`, "If-Match", `"1"`)
	expect(t, r, 200)
	im := []string{"If-Match", `"2"`}
	list := fmt.Sprintf("/api/v1/relocations/%d/milestones", rel)

	runRefusals(t, e, []refusal{
		// 404.
		{name: "create under an unknown relocation", method: "POST", path: "/api/v1/relocations/999999/milestones", body: milestoneBody(nil), status: 404},
		{name: "create under a non-numeric id", method: "POST", path: "/api/v1/relocations/abc/milestones", body: milestoneBody(nil), status: 404},
		{name: "list of an unknown relocation", method: "GET", path: "/api/v1/relocations/999999/milestones", status: 404},
		{name: "unknown milestone", method: "GET", path: "/api/v1/milestones/999999", status: 404},
		{name: "non-numeric milestone", method: "GET", path: "/api/v1/milestones/abc", status: 404},
		{name: "negative milestone", method: "GET", path: "/api/v1/milestones/-3", status: 404},
		{name: "PATCH unknown milestone", method: "PATCH", path: "/api/v1/milestones/999999", body: `{"title":"x"}`, headers: im, status: 404},
		{name: "DELETE unknown milestone", method: "DELETE", path: "/api/v1/milestones/999999", headers: im, status: 404},
		// 422.
		{name: "planned demain", method: "POST", path: list, body: milestoneBody(map[string]any{"planned": "demain"}), status: 422,
			fields: []string{"planned"}, contains: map[string]string{"planned": "2022-Q1"}},
		{name: "planned French label", method: "POST", path: list, body: milestoneBody(map[string]any{"planned": "T1 2022"}), status: 422, fields: []string{"planned"}},
		{name: "planned 2022-Q5", method: "POST", path: list, body: milestoneBody(map[string]any{"planned": "2022-Q5"}), status: 422, fields: []string{"planned"}},
		{name: "actual 15/06/2021", method: "POST", path: list, body: milestoneBody(map[string]any{"actual": "15/06/2021"}), status: 422,
			fields: []string{"actual"}, contains: map[string]string{"actual": "AAAA-MM-JJ"}},
		{name: "actual 2021-02-29", method: "POST", path: list, body: milestoneBody(map[string]any{"actual": "2021-02-29"}), status: 422, fields: []string{"actual"}},
		{name: "actual fuzzy", method: "POST", path: list, body: milestoneBody(map[string]any{"actual": "2021-06"}), status: 422, fields: []string{"actual"}},
		{name: "source missing", method: "POST", path: list, body: milestoneBody(nil, "source"), status: 422, fields: []string{"source"}},
		{name: "source blank", method: "POST", path: list, body: milestoneBody(map[string]any{"source": "  "}), status: 422, fields: []string{"source"}},
		{name: "every required field missing", method: "POST", path: list, body: `{}`, status: 422, fields: []string{"kind", "title", "planned", "source"}},
		{name: "unknown kind", method: "POST", path: list, body: milestoneBody(map[string]any{"kind": "banquet"}), status: 422, fields: []string{"kind"}},
		{name: "source_url not http", method: "POST", path: list, body: milestoneBody(map[string]any{"source_url": "javascript:alert(1)"}), status: 422, fields: []string{"source_url"}},
		{name: "public as text", method: "POST", path: list, body: milestoneBody(map[string]any{"public": "oui"}), status: 422, fields: []string{"public"}},
		{name: "title too long", method: "POST", path: list, body: milestoneBody(map[string]any{"title": strings.Repeat("t", 201)}), status: 422, fields: []string{"title"}},
		// 400, 415.
		{name: "id on creation", method: "POST", path: list, body: milestoneBody(map[string]any{"id": 3}), status: 400},
		{name: "baseline on creation", method: "POST", path: list, body: milestoneBody(map[string]any{"baseline": "2020"}), status: 400},
		{name: "status on creation", method: "POST", path: list, body: milestoneBody(map[string]any{"status": "done"}), status: 400},
		{name: "malformed", method: "POST", path: list, body: `{"kind":"move"`, status: 400},
		{name: "array", method: "POST", path: list, body: "[" + milestoneBody(nil) + "]", status: 400},
		{name: "text/plain", method: "POST", path: list, body: milestoneBody(nil), headers: []string{"Content-Type", "text/plain"}, status: 415},
		// PATCH.
		{name: "PATCH without If-Match", method: "PATCH", path: mpath, body: `{"title":"x"}`, status: 428},
		{name: "PATCH stale", method: "PATCH", path: mpath, body: `{"title":"x"}`, headers: []string{"If-Match", `"1"`}, status: 412},
		{name: "PATCH planned demain", method: "PATCH", path: mpath, body: `{"planned":"demain"}`, headers: im, status: 422, fields: []string{"planned"}},
		{name: "PATCH planned null", method: "PATCH", path: mpath, body: `{"planned":null}`, headers: im, status: 422, fields: []string{"planned"}},
		{name: "PATCH actual French", method: "PATCH", path: mpath, body: `{"actual":"15/06/2021"}`, headers: im, status: 422, fields: []string{"actual"}},
		{name: "PATCH source null", method: "PATCH", path: mpath, body: `{"source":null}`, headers: im, status: 422, fields: []string{"source"}},
		{name: "PATCH reason too long", method: "PATCH", path: mpath, body: jsonOf(map[string]any{"planned": "2022-late", "reason": strings.Repeat("r", 1001)}), headers: im, status: 422, fields: []string{"reason"}},
		{name: "PATCH relocation_id", method: "PATCH", path: mpath, body: `{"relocation_id":2}`, headers: im, status: 400},
		{name: "PATCH id", method: "PATCH", path: mpath, body: `{"id":3}`, headers: im, status: 400},
		{name: "PATCH history", method: "PATCH", path: mpath, body: `{"history":[]}`, headers: im, status: 400},
		{name: "PATCH text/plain", method: "PATCH", path: mpath, body: `{"title":"x"}`, headers: []string{"If-Match", `"2"`, "Content-Type", "text/plain"}, status: 415},
		// DELETE.
		{name: "DELETE without If-Match", method: "DELETE", path: mpath, status: 428},
		{name: "DELETE stale", method: "DELETE", path: mpath, headers: []string{"If-Match", `"1"`}, status: 412},
		{name: "DELETE unreadable If-Match", method: "DELETE", path: mpath, headers: []string{"If-Match", "abc"}, status: 412},
	})
}
