package ui_test

import (
	"encoding/xml"
	"fmt"
	"regexp"
	"strings"
	"testing"
)

// Issue 16's cases, each of which failed before it: one move date everywhere, a status
// that only a selection changes, and a public feed that tells only what was public when
// it happened.

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
	if after := c.snapshot(t); after != before {
		t.Errorf("a refused second move milestone changed something")
	}

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

func TestStatusOnlyASelectionChanges(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t)
	relID := idOf(t, e.createRelocation(t, map[string]any{"status": "site_search"}))
	relPath := fmt.Sprintf("/api/v1/relocations/%d", relID)
	a := idOf(t, e.createSite(t, relID, map[string]any{"name": "Bas Montreuil"}))

	// Selecting a site: site_selected, journaled, version up.
	expect(t, e.do(t, "PATCH", fmt.Sprintf("/api/v1/sites/%d", a), `{"status":"selected","decision_reason":"desserte RER"}`, "If-Match", etag(1)), 200)
	r := e.read(t, relPath)
	if r["status"] != "site_selected" || versionIn(t, r) != 2 {
		t.Fatalf("after the selection: status %v version %d, want site_selected, 2", r["status"], versionIn(t, r))
	}
	if es := e.journalOf(t, relID, "relocation"); len(es) < 1 || changeOf(t, es[0], "status")["after"] != "site_selected" {
		t.Errorf("journal %v, want the status change", es)
	}

	// A manager sets the status back; other site actions leave it alone.
	expect(t, e.do(t, "PATCH", relPath, `{"status":"site_search"}`, "If-Match", etag(2)), 200)
	journal := len(e.journalOf(t, relID, "relocation"))
	b := idOf(t, e.createSite(t, relID, map[string]any{"name": "Saint-Ouen"}))
	expect(t, e.do(t, "PATCH", fmt.Sprintf("/api/v1/sites/%d", a), `{"name":"Bas Montreuil, îlot Valmy"}`, "If-Match", etag(2)), 200)
	expect(t, e.do(t, "PATCH", fmt.Sprintf("/api/v1/sites/%d", b), `{"name":"Saint-Ouen Pleyel"}`, "If-Match", etag(1)), 200)
	r = e.read(t, relPath)
	if r["status"] != "site_search" || versionIn(t, r) != 3 {
		t.Errorf("after creating and renaming sites: status %v version %d, want site_search, 3", r["status"], versionIn(t, r))
	}
	if got := len(e.journalOf(t, relID, "relocation")); got != journal {
		t.Errorf("relocation journal grew from %d to %d entries", journal, got)
	}
	// A form opened before the site actions saves without a conflict, as nothing changed.
	expect(t, e.do(t, "PATCH", relPath, `{"status":"committed"}`, "If-Match", etag(3)), 200)
}

// feedEntry is one entry of an Atom feed.
type feedEntry struct {
	Title   string `xml:"title"`
	Summary string `xml:"summary"`
}

// publicFeed reads and parses relocation slug's Atom feed.
func publicFeed(t *testing.T, e *apiEnv, slug string) (raw string, entries []feedEntry) {
	t.Helper()
	r := apiDo(t, e.app, "GET", "/r/"+slug+"/feed.atom", "")
	expect(t, r, 200)
	var doc struct {
		Entries []feedEntry `xml:"entry"`
	}
	if err := xml.Unmarshal([]byte(r.raw), &doc); err != nil {
		t.Fatalf("the feed is not XML: %v\n%s", err, r.raw)
	}
	return r.raw, doc.Entries
}

// linkTag matches an HTML <link> element.
var linkTag = regexp.MustCompile(`<link\b[^>]*>`)

func TestPublicFeedBoundary(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t)
	relID := idOf(t, e.createRelocation(t, map[string]any{"slug": "bord", "target_move": "2022-early"}))
	relPath := fmt.Sprintf("/api/v1/relocations/%d", relID)
	const secret = "Loyer négocié à 410 € le m², confidentiel"

	// While internal: a public milestone created then deleted, two target changes, a
	// public milestone with internal notes.
	gone := idOf(t, e.createMilestone(t, relID, map[string]any{"kind": "other", "title": "Réunion d’information", "planned": "2021-09", "public": true}))
	expect(t, e.do(t, "DELETE", fmt.Sprintf("/api/v1/milestones/%d", gone), "", "If-Match", etag(1)), 204)
	expect(t, e.do(t, "PATCH", relPath, `{"target_move":"2022-mid"}`, "If-Match", etag(1)), 200)
	expect(t, e.do(t, "PATCH", relPath, `{"target_move":"2022-late"}`, "If-Match", etag(2)), 200)
	lease := idOf(t, e.createMilestone(t, relID, map[string]any{"kind": "lease", "title": "Signature du bail",
		"planned": "2021-12", "public": true, "notes": secret}))

	// Published: nothing of the above is news.
	expect(t, e.do(t, "PATCH", relPath, `{"visibility":"public"}`, "If-Match", etag(3)), 200)
	raw, entries := publicFeed(t, e, "bord")
	if len(entries) != 0 {
		t.Errorf("the feed tells what happened while internal: %+v", entries)
	}
	for _, never := range []string{"Réunion d’information", "mi-2022", secret} {
		if strings.Contains(raw, never) {
			t.Errorf("the feed shows %q", never)
		}
	}

	// After publication: a re-plan with its reason, the target move, the chosen site.
	expect(t, e.do(t, "PATCH", fmt.Sprintf("/api/v1/milestones/%d", lease), `{"planned":"2022-Q1","reason":"Négociation du bail prolongée"}`, "If-Match", etag(1)), 200)
	expect(t, e.do(t, "PATCH", relPath, `{"target_move":"2023-early"}`, "If-Match", etag(4)), 200)
	site := idOf(t, e.createSite(t, relID, map[string]any{"name": "Bas Montreuil", "commune": "Montreuil"}))
	expect(t, e.do(t, "PATCH", fmt.Sprintf("/api/v1/sites/%d", site), `{"status":"selected","decision_reason":"desserte RER"}`, "If-Match", etag(1)), 200)
	raw, entries = publicFeed(t, e, "bord")
	if len(entries) != 3 {
		t.Fatalf("feed entries %+v, want the three changes made since publication", entries)
	}
	if got := entries[0].Title; got != "Site retenu : Bas Montreuil, Montreuil" {
		t.Errorf("newest entry %q, want « Site retenu : Bas Montreuil, Montreuil »", got)
	}
	if !strings.Contains(entries[1].Title, "fin 2022") || !strings.Contains(entries[1].Title, "début 2023") {
		t.Errorf("target move entry %+v, want fin 2022 → début 2023", entries[1])
	}
	if !strings.Contains(entries[2].Title, "Signature du bail") || !strings.Contains(entries[2].Summary, "Négociation du bail prolongée") {
		t.Errorf("re-plan entry %+v, want the milestone and its reason in the summary", entries[2])
	}
	for _, en := range entries {
		if en.Summary == "" || en.Summary == en.Title {
			t.Errorf("entry %q: summary %q, want words of its own", en.Title, en.Summary)
		}
	}

	// Notes are internal: never in the public page, calendar or feed.
	page := apiDo(t, e.app, "GET", "/r/bord", "", "Accept", "text/html")
	expect(t, page, 200)
	cal := apiDo(t, e.app, "GET", "/r/bord/calendar.ics", "")
	expect(t, cal, 200)
	if !strings.Contains(cal.raw, "Signature du bail") {
		t.Errorf("the public calendar lacks the public milestone:\n%s", cal.raw)
	}
	for name, text := range map[string]string{"public page": page.raw, "public calendar": unfoldICS(cal.raw), "feed": raw} {
		if strings.Contains(text, secret) || strings.Contains(text, "confidentiel") {
			t.Errorf("the %s shows the milestone's notes", name)
		}
	}

	// The public page links its feed.
	found := false
	for _, tag := range linkTag.FindAllString(page.raw, -1) {
		found = found || strings.Contains(tag, `rel="alternate"`) && strings.Contains(tag, `type="application/atom+xml"`)
	}
	if !found {
		t.Errorf(`the public page has no <link rel="alternate" type="application/atom+xml">`)
	}
}

// unfoldICS joins an iCalendar text's folded lines (RFC 5545 §3.1).
func unfoldICS(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "\r\n ", ""), "\r\n\t", "")
}
