package ui_test

import (
	"encoding/xml"
	"fmt"
	"regexp"
	"strings"
	"testing"
)

// The public calendar and Atom feed of a public relocation (public_feeds.go): they tell
// only what was public when it happened, and answer only for public relocations.

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

// TestPublicFeedBoundary: what happened while the relocation was internal, and notes,
// never reach the public page, calendar or feed; what happens after publication does.
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
