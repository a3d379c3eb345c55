package ui_test

import (
	"fmt"
	"strings"
	"testing"
)

// A relocation has one move date: its target_move, which its move milestone's planned
// date follows and which every page, export and feed shows the same.

// label reads the French label of a FuzzyDate field of a resource.
func label(t *testing.T, m map[string]any, field string) string {
	t.Helper()
	d, _ := m[field].(map[string]any)
	l, _ := d["label"].(string)
	if l == "" {
		t.Fatalf("no %s label in %v", field, m)
	}
	return l
}

// entriesAbout returns the journal entries of one entity id among entries.
func entriesAbout(entries []map[string]any, id int64) []map[string]any {
	var out []map[string]any
	for _, e := range entries {
		if f, _ := e["entity_id"].(float64); int64(f) == id {
			out = append(out, e)
		}
	}
	return out
}

// TestOneMoveDate: creating or re-planning the move milestone sets the target move and
// changing the target move re-plans the milestone, each journaled with its version up; a
// second move milestone is refused in French; every view shows the same date.
func TestOneMoveDate(t *testing.T) {
	t.Parallel()
	c := newFormClient(t)
	rel := c.createRelocation(t, map[string]any{"slug": "une-date", "target_move": "2022-early", "visibility": "public"})
	relID := idOf(t, rel)
	relPath := fmt.Sprintf("/api/v1/relocations/%d", relID)

	// Creating the move milestone sets the target move: both versions, one journal entry each.
	mv := c.createMilestone(t, relID, map[string]any{"kind": "move", "planned": "2022-late", "public": true})
	mvID := idOf(t, mv)
	mvPath := fmt.Sprintf("/api/v1/milestones/%d", mvID)
	r := c.read(t, relPath)
	if got := label(t, r, "target_move"); got != "fin 2022" || versionIn(t, r) != 2 {
		t.Fatalf("after the move milestone's creation: target %q version %d, want fin 2022, 2", got, versionIn(t, r))
	}
	if es := c.journalOf(t, relID, "relocation"); len(es) != 2 || changeOf(t, es[0], "target_move")["after"] != "2022-late" {
		t.Errorf("relocation journal %v, want its creation and one target_move change", es)
	}
	if es := entriesAbout(c.journalOf(t, relID, "milestone"), mvID); len(es) != 1 || es[0]["action"] != "create" {
		t.Errorf("milestone journal %v, want its creation once", es)
	}

	// Re-planning the milestone with a reason moves the target; the history keeps the reason.
	expect(t, c.do(t, "PATCH", mvPath, `{"planned":"2023-early","reason":"Travaux de désamiantage"}`, "If-Match", etag(1)), 200)
	r = c.read(t, relPath)
	if got := label(t, r, "target_move"); got != "début 2023" || versionIn(t, r) != 3 {
		t.Errorf("after the re-plan: target %q version %d, want début 2023, 3", got, versionIn(t, r))
	}
	m := c.read(t, mvPath)
	history, _ := m["history"].([]any)
	if len(history) != 1 || history[0].(map[string]any)["reason"] != "Travaux de désamiantage" {
		t.Errorf("history %v, want the re-plan with its reason", history)
	}
	if es := c.journalOf(t, relID, "relocation"); len(es) != 3 || changeOf(t, es[0], "target_move")["after"] != "2023-early" {
		t.Errorf("relocation journal %v, want the target move's change once more", es)
	}

	// Changing the target move re-plans the milestone: its history and version follow.
	expect(t, c.do(t, "PATCH", relPath, `{"target_move":"2023-mid"}`, "If-Match", etag(3)), 200)
	m = c.read(t, mvPath)
	history, _ = m["history"].([]any)
	if got := label(t, m, "planned"); got != "mi-2023" || versionIn(t, m) != 3 || len(history) != 2 {
		t.Fatalf("after the target's change: milestone %q version %d history %v, want mi-2023, 3, two changes", got, versionIn(t, m), history)
	}
	last := history[1].(map[string]any)
	if last["from"].(map[string]any)["value"] != "2023-early" || last["to"].(map[string]any)["value"] != "2023-mid" {
		t.Errorf("last history entry %v, want 2023-early → 2023-mid", last)
	}
	if es := entriesAbout(c.journalOf(t, relID, "milestone"), mvID); len(es) != 3 || changeOf(t, es[0], "planned")["after"] != "2023-mid" {
		t.Errorf("milestone journal %v, want the re-plan journaled", es)
	}

	// A second move milestone, created or made so, is a conflict said in French that
	// changes nothing.
	other := c.createMilestone(t, relID, map[string]any{"kind": "other", "title": "Bilan", "planned": "2024"})
	before := c.snapshot(t)
	refused := []apiResp{
		c.do(t, "POST", relPath+"/milestones", milestoneBody(map[string]any{"kind": "move", "title": "Second déménagement"})),
		c.do(t, "PATCH", fmt.Sprintf("/api/v1/milestones/%d", idOf(t, other)), `{"kind":"move"}`, "If-Match", etag(1)),
	}
	for _, r := range refused {
		checkProblem(t, r, 409)
		if detail, _ := r.json["detail"].(string); !strings.Contains(strings.ToLower(detail), "déménagement") {
			t.Errorf("%s %s: detail %q, want it to say there is already a move milestone", r.Request.Method, r.Request.URL, detail)
		}
	}
	c.unchanged(t, before, "a refused second move milestone changed something")

	// Every view says the same date, and none the former ones.
	views := map[string]string{
		"portfolio":       portfolioRow(t, c.okPage(t, "/"), relID),
		"relocation page": c.okPage(t, fmt.Sprintf("/projets/%d", relID)),
	}
	for path, name := range map[string]string{"/r/une-date": "public page", "/r": "public list"} {
		p := apiDo(t, c.app, "GET", path, "", "Accept", "text/html")
		expect(t, p, 200)
		views[name] = p.raw
	}
	cal := apiDo(t, c.app, "GET", "/r/une-date/calendar.ics", "")
	expect(t, cal, 200)
	views["public calendar"] = cal.raw
	for name, text := range views {
		contains(t, name, text, "mi-2023")
	}
	for _, name := range []string{"portfolio", "public list"} {
		for _, old := range []string{"début 2022", "fin 2022", "début 2023"} {
			if strings.Contains(views[name], old) {
				t.Errorf("%s still shows %q", name, old)
			}
		}
	}
}
