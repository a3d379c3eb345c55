package ui_test

import (
	"fmt"
	"reflect"
	"testing"
	"time"
)

// TestAPIJournal checks the journal: newest first, before → after, nothing for a no-op.
func TestAPIJournal(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t)
	rel := e.createRelocation(t, map[string]any{"headcount": 10})
	relID := idOf(t, rel)
	path := fmt.Sprintf("/api/v1/relocations/%d", relID)
	journal := path + "/journal"

	entries := func(t *testing.T) []map[string]any {
		t.Helper()
		r := e.do(t, "GET", journal, "")
		expect(t, r, 200)
		list, ok := r.json["items"].([]any)
		if !ok {
			t.Fatalf("journal without items: %s", r)
		}
		// A new relocation's default criteria are journaled too: this test follows
		// the relocation and its milestones.
		var out []map[string]any
		for _, item := range list {
			if entry, _ := item.(map[string]any); entry["entity"] != "criterion" {
				out = append(out, entry)
			}
		}
		return out
	}

	r := e.do(t, "PATCH", path, `{"headcount":12}`, "If-Match", `"1"`)
	expect(t, r, 200)
	r = e.do(t, "PATCH", path, `{"headcount":12}`, "If-Match", `"2"`)
	expect(t, r, 200)
	before := len(entries(t))
	r = e.do(t, "PATCH", path, `{"headcount":12,"decision":"4e CITP, 15 novembre 2019"}`, "If-Match", `"2"`)
	expect(t, r, 200)
	if n := len(entries(t)); n != before {
		t.Errorf("a no-op PATCH wrote %d journal entries", n-before)
	}
	m := e.createMilestone(t, relID, nil)
	mpath := fmt.Sprintf("/api/v1/milestones/%d", idOf(t, m))
	r = e.do(t, "PATCH", mpath, `{"planned":"2022-mid","reason":"Retard des travaux"}`, "If-Match", `"1"`)
	expect(t, r, 200)
	r = e.do(t, "PATCH", mpath, `{"planned":"2022-mid"}`, "If-Match", `"2"`)
	expect(t, r, 200)
	r = e.do(t, "DELETE", mpath, "", "If-Match", `"2"`)
	expect(t, r, 204)

	got := entries(t)
	want := []struct {
		entity string
		id     int64
		action string
	}{
		{"milestone", idOf(t, m), "delete"},
		{"milestone", idOf(t, m), "update"},
		{"milestone", idOf(t, m), "create"},
		{"relocation", relID, "update"},
		{"relocation", relID, "create"},
	}
	if len(got) != len(want) {
		t.Fatalf("journal has %d entries, want %d: %v", len(got), len(want), got)
	}
	var last time.Time
	for i, w := range want {
		checkFields(t, fmt.Sprintf("entry %d", i), got[i], map[string]any{"entity": w.entity, "entity_id": w.id, "action": w.action})
		if by, _ := got[i]["by"].(string); by == "" {
			t.Errorf("entry %d has no by", i)
		}
		at, err := time.Parse(time.RFC3339Nano, fmt.Sprint(got[i]["at"]))
		if err != nil {
			t.Errorf("entry %d: at = %v: %v", i, got[i]["at"], err)
		}
		if i > 0 && at.After(last) {
			t.Errorf("entry %d is newer than entry %d: not newest first", i, i-1)
		}
		last = at
	}
	change := func(i int, field string) map[string]any {
		changes, _ := got[i]["changes"].(map[string]any)
		c, _ := changes[field].(map[string]any)
		if c == nil {
			t.Errorf("entry %d has no change of %s: %v", i, field, got[i]["changes"])
		}
		return c
	}
	if changes, _ := got[3]["changes"].(map[string]any); !reflect.DeepEqual(changes,
		map[string]any{"headcount": map[string]any{"before": 10.0, "after": 12.0}}) {
		t.Errorf("relocation update changes = %v, want only headcount 10 → 12", changes)
	}
	checkFields(t, "relocation create", change(4, "slug"), map[string]any{"before": nil, "after": "cleiss-montreuil"})
	checkFields(t, "relocation create", change(4, "headcount"), map[string]any{"before": nil, "after": 10})
	checkFields(t, "milestone create", change(2, "planned"), map[string]any{"before": nil, "after": "2022-early"})
	checkFields(t, "milestone update", change(1, "planned"), map[string]any{"before": "2022-early", "after": "2022-mid"})
	if changes, _ := got[1]["changes"].(map[string]any); len(changes) > 2 {
		t.Errorf("milestone update records unchanged fields: %v", changes)
	}
	checkFields(t, "milestone delete", change(0, "title"), map[string]any{"before": "Déménagement", "after": nil})

	// The journal is per relocation: another one's changes do not show.
	other := e.createRelocation(t, map[string]any{"slug": "autre-projet"})
	if n := len(entries(t)); n != len(want) {
		t.Errorf("another relocation's creation shows in this journal (%d entries)", n)
	}
	r = e.do(t, "GET", fmt.Sprintf("/api/v1/relocations/%d/journal", idOf(t, other)), "")
	expect(t, r, 200)
	if items, _ := r.json["items"].([]any); len(items) != 5 {
		t.Errorf("new relocation's journal has %d entries, want 5 (itself and its 4 default criteria)", len(items))
	}
	r = e.do(t, "GET", journal+"?limit=2", "")
	expect(t, r, 200)
	if items, _ := r.json["items"].([]any); len(items) != 2 {
		t.Errorf("?limit=2 gave %d entries", len(items))
	}
}
