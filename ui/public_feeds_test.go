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

// TestPublicCalendarAndFeed: the calendar and the feed of a public relocation hold its
// public milestones only, a stored <script> kept as text in iCalendar and escaped in
// Atom; an internal relocation's are 404; a repeat answers 304; a re-plan adds a feed
// entry in words and keeps the event's UID with a higher SEQUENCE; the authenticated
// calendar has every milestone.
func TestPublicCalendarAndFeed(t *testing.T) {
	t.Parallel()
	e, rel, move := publicFixture(t)

	for _, suffix := range []string{"/calendar.ics", "/feed.atom"} {
		if r := apiDo(t, e.app, "GET", "/r/projet-interne"+suffix, ""); r.StatusCode != 404 {
			t.Errorf("internal %s: %d, want 404", suffix, r.StatusCode)
		}
	}

	feed := apiDo(t, e.app, "GET", "/r/cleiss-public/feed.atom", "")
	expect(t, feed, 200)
	if r := apiDo(t, e.app, "GET", "/r/cleiss-public/feed.atom", "", "If-None-Match", feed.Header.Get("ETag")); r.StatusCode != 304 {
		t.Errorf("feed repeat: %d, want 304", r.StatusCode)
	}
	cal := apiDo(t, e.app, "GET", "/r/cleiss-public/calendar.ics", "")
	expect(t, cal, 200)
	uid := icsField(cal.raw, "UID")
	if !strings.Contains(cal.raw, "SUMMARY:Déménagement <script>alert(1)</script> (début 2022)") || strings.Contains(cal.raw, "confidentielle") {
		t.Errorf("calendar:\n%s", cal.raw)
	}

	// A manager re-plans: a feed entry in words, the same UID with a higher SEQUENCE.
	expect(t, e.do(t, "PATCH", fmt.Sprintf("/api/v1/milestones/%d", move), `{"planned":"2022-mid","reason":"travaux"}`, "If-Match", etag(1)), 200)
	feed = apiDo(t, e.app, "GET", "/r/cleiss-public/feed.atom", "")
	var doc struct {
		Entries []struct {
			Title string `xml:"title"`
		} `xml:"entry"`
	}
	if err := xml.Unmarshal([]byte(feed.raw), &doc); err != nil {
		t.Fatalf("the feed is not XML: %v\n%s", err, feed.raw)
	}
	if len(doc.Entries) == 0 || !strings.Contains(doc.Entries[0].Title, "reporté de début 2022 à mi-2022") {
		t.Errorf("feed entries %+v, want the re-plan first", doc.Entries)
	}
	if strings.Contains(feed.raw, "confidentielle") || strings.Contains(feed.raw, "Site à l’étude secret") {
		t.Errorf("the feed tells something internal:\n%s", feed.raw)
	}
	if strings.Contains(feed.raw, "<script>") || !strings.Contains(feed.raw, "&lt;script&gt;") {
		t.Errorf("the feed does not escape the title:\n%s", feed.raw)
	}
	cal2 := apiDo(t, e.app, "GET", "/r/cleiss-public/calendar.ics", "")
	if icsField(cal2.raw, "UID") != uid || icsField(cal2.raw, "SEQUENCE") != "1" || icsField(cal.raw, "SEQUENCE") != "0" {
		t.Errorf("UID %q → %q, SEQUENCE %q → %q; want the same UID, 0 → 1", uid, icsField(cal2.raw, "UID"),
			icsField(cal.raw, "SEQUENCE"), icsField(cal2.raw, "SEQUENCE"))
	}
	// The authenticated calendar has every milestone.
	all := e.do(t, "GET", fmt.Sprintf("/api/v1/relocations/%d/calendar.ics", rel), "")
	expect(t, all, 200)
	if !strings.Contains(all.raw, "Réunion interne confidentielle") {
		t.Errorf("the API calendar lacks the internal milestone")
	}
}

// icsField returns the value of the first line of a property in an iCalendar text.
func icsField(ics, name string) string {
	for _, line := range strings.Split(ics, "\r\n") {
		if strings.HasPrefix(line, name+":") {
			return strings.TrimPrefix(line, name+":")
		}
	}
	return ""
}
