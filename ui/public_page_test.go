package ui_test

import (
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ministere/tracker/ui"
)

// publicFixture is a public relocation, cleiss-public, with a public move milestone
// (both returned) whose title holds a <script>, an internal milestone and a site under study
// (neither to be shown), and an internal relocation, projet-interne, with a public
// milestone (not to be shown either).
func publicFixture(t *testing.T) (e *apiEnv, rel, move int64) {
	t.Helper()
	e = newAPIEnv(t)
	rel = idOf(t, e.createRelocation(t, map[string]any{"visibility": "public", "slug": "cleiss-public"}))
	move = idOf(t, e.createMilestone(t, rel, map[string]any{"title": "Déménagement <script>alert(1)</script>", "public": true}))
	e.createMilestone(t, rel, map[string]any{"title": "Réunion interne confidentielle", "planned": "2021-06"})
	e.createSite(t, rel, map[string]any{"name": "Site à l’étude secret"})
	internal := idOf(t, e.createRelocation(t, map[string]any{"slug": "projet-interne"}))
	e.createMilestone(t, internal, map[string]any{"public": true})
	return e, rel, move
}

// TestPublicPages: an agent without an account sees a public relocation's page with its
// public milestones only, nothing internal; an internal relocation is 404 like an
// unknown slug; a stored <script> is escaped; re-planning changes the validators. Its
// calendar and feed: TestPublicCalendarAndFeed (public_feeds_test.go).
func TestPublicPages(t *testing.T) {
	t.Parallel()
	e, _, move := publicFixture(t)

	page := apiDo(t, e.app, "GET", "/r/cleiss-public", "", "Accept", "text/html")
	expect(t, page, 200)
	checkPageHTML(t, "public page", page)
	if !strings.Contains(page.raw, "Déménagement &lt;script&gt;alert(1)&lt;/script&gt;") {
		t.Errorf("the public page does not show the escaped title")
	}
	contains(t, "public page", page.raw, "début 2022")
	for _, secret := range []string{"Réunion interne confidentielle", "Site à l’étude secret", adminEmail, "<script>alert"} {
		if strings.Contains(page.raw, secret) {
			t.Errorf("the public page shows %q", secret)
		}
	}
	unknown := apiDo(t, e.app, "GET", "/r/nulle-part", "", "Accept", "text/html")
	hidden := apiDo(t, e.app, "GET", "/r/projet-interne", "", "Accept", "text/html")
	if unknown.StatusCode != 404 || hidden.StatusCode != 404 || hidden.raw != strings.ReplaceAll(unknown.raw, "/r/nulle-part", "/r/projet-interne") {
		t.Errorf("internal relocation: %d, unknown: %d; want the same 404", hidden.StatusCode, unknown.StatusCode)
	}
	list := apiDo(t, e.app, "GET", "/r", "", "Accept", "text/html")
	expect(t, list, 200)
	if !strings.Contains(list.raw, "/r/cleiss-public") || strings.Contains(list.raw, "projet-interne") {
		t.Errorf("/r lists the wrong relocations")
	}

	// Validators: a repeat answers 304, by ETag or by date.
	tag := page.Header.Get("ETag")
	if tag == "" || page.Header.Get("Last-Modified") == "" {
		t.Fatalf("public page without ETag or Last-Modified: %v", page.Header)
	}
	if r := apiDo(t, e.app, "GET", "/r/cleiss-public", "", "If-None-Match", tag); r.StatusCode != 304 {
		t.Errorf("If-None-Match: %d, want 304", r.StatusCode)
	}
	if r := apiDo(t, e.app, "GET", "/r/cleiss-public", "", "If-Modified-Since", page.Header.Get("Last-Modified")); r.StatusCode != 304 {
		t.Errorf("If-Modified-Since: %d, want 304", r.StatusCode)
	}
	// A manager re-plans: new validators.
	time.Sleep(2 * time.Millisecond)
	expect(t, e.do(t, "PATCH", fmt.Sprintf("/api/v1/milestones/%d", move), `{"planned":"2022-mid","reason":"travaux"}`, "If-Match", etag(1)), 200)
	again := apiDo(t, e.app, "GET", "/r/cleiss-public", "", "If-None-Match", tag)
	if again.StatusCode != 200 || again.Header.Get("ETag") == tag {
		t.Errorf("after a re-plan: %d with ETag %q, want 200 with a new one", again.StatusCode, again.Header.Get("ETag"))
	}
}

// TestPublicHostNotKept: a request with a forged Host header gets its own links, but
// never changes the page, calendar or feed the next visitors get (they are kept per host).
func TestPublicHostNotKept(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t)
	rel := idOf(t, e.createRelocation(t, map[string]any{"visibility": "public", "slug": "hote"}))
	e.createMilestone(t, rel, map[string]any{"title": "Déménagement", "public": true})
	for _, path := range []string{"/r/hote", "/r/hote/feed.atom", "/r/hote/calendar.ics"} {
		forged := apiDo(t, e.app, "GET", path, "", "Host", "pirate.example")
		expect(t, forged, 200)
		if path != "/r/hote/calendar.ics" && !strings.Contains(forged.raw, "pirate.example") {
			t.Fatalf("%s: the forged request's own answer does not name its host: the test shows nothing", path)
		}
		if r := apiDo(t, e.app, "GET", path, ""); strings.Contains(r.raw, "pirate.example") {
			t.Errorf("%s: a visitor gets the links of a forged Host header", path)
		}
	}
}

// TestPublicPageQueries: a public page is drawn from at most 3 statements, and a repeat
// with its ETag from 1.
func TestPublicPageQueries(t *testing.T) {
	t.Parallel()
	e := newCountingEnv(t)
	app, queries := e.app, e.queries
	rel := idOf(t, e.createRelocation(t, map[string]any{"visibility": "public", "slug": "public-count"}))
	for i := range 10 {
		e.createMilestone(t, rel, map[string]any{"title": fmt.Sprintf("Étape %d", i), "public": true})
	}
	before := queries.Load()
	r := apiDo(t, app, "GET", "/r/public-count", "")
	expect(t, r, 200)
	if n := queries.Load() - before; n > 3 {
		t.Errorf("the public page took %d statements, want at most 3", n)
	}
	before = queries.Load()
	if r := apiDo(t, app, "GET", "/r/public-count", "", "If-None-Match", r.Header.Get("ETag")); r.StatusCode != http.StatusNotModified {
		t.Errorf("repeat: %d, want 304", r.StatusCode)
	}
	if n := queries.Load() - before; n > 1 {
		t.Errorf("a 304 took %d statements, want 1", n)
	}
	// Another instance of the same program gives the same validator: the ETag names the
	// state and the look of the templates and assets, nothing of the process.
	other, err := ui.New(ui.Config{BcryptCost: testBcryptCost}, e.db, slog.New(slog.NewTextHandler(io.Discard, nil)), e.clock.now)
	if err != nil {
		t.Fatal(err)
	}
	if o := apiDo(t, other, "GET", "/r/public-count", ""); o.Header.Get("ETag") != r.Header.Get("ETag") {
		t.Errorf("two instances tag the same page %q and %q", r.Header.Get("ETag"), o.Header.Get("ETag"))
	}
}

// TestPublicETagPerViewer: a visitor's and an account's copy of a public answer have
// different ETags, so that a browser that signs in never gets 304 to the visitor's copy
// and keeps it (and the reverse), nor on its date; the same viewer asking again gets 304.
// Public answers of two host names are both kept (the host is in the key, not the stamp)
// and tagged apart (each names its own address).
func TestPublicETagPerViewer(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t)
	rel := idOf(t, e.createRelocation(t, map[string]any{"visibility": "public", "slug": "etiquette"}))
	e.createMilestone(t, rel, map[string]any{"title": "Lettre d’intention", "public": true})
	e.user(t, "lecteur@exemple.gouv.fr", "viewer")
	s := e.login(t, "lecteur@exemple.gouv.fr", testPassword)
	for _, path := range []string{"/r/etiquette", "/r/etiquette/feed.atom", "/r/etiquette/calendar.ics"} {
		visitor := e.get(t, session{}, path)
		expect(t, visitor, 200)
		account := e.get(t, s, path)
		expect(t, account, 200)
		vTag, aTag := visitor.Header.Get("ETag"), account.Header.Get("ETag")
		if vTag == "" || aTag == "" || vTag == aTag {
			t.Errorf("%s: visitor ETag %q, account ETag %q: want two different tags", path, vTag, aTag)
		}
		if r := e.do(t, "GET", path, "", "Cookie", s.cookie, "If-None-Match", vTag); r.StatusCode != 200 {
			t.Errorf("%s: an account sending the visitor's ETag got %d, want 200", path, r.StatusCode)
		}
		if r := apiDo(t, e.app, "GET", path, "", "If-None-Match", aTag); r.StatusCode != 200 {
			t.Errorf("%s: a visitor sending the account's ETag got %d, want 200", path, r.StatusCode)
		}
		if r := apiDo(t, e.app, "GET", path, "", "If-None-Match", vTag); r.StatusCode != 304 {
			t.Errorf("%s: a visitor sending its own ETag got %d, want 304", path, r.StatusCode)
		}
		if r := apiDo(t, e.app, "GET", path, "", "If-None-Match", vTag, "Host", "autre.example"); r.StatusCode != 200 ||
			r.Header.Get("ETag") == vTag {
			t.Errorf("%s: a visitor of another host name sending the first one's ETag got %d and ETag %q, want 200 and its own tag",
				path, r.StatusCode, r.Header.Get("ETag"))
		}
		since := visitor.Header.Get("Last-Modified")
		if r := apiDo(t, e.app, "GET", path, "", "If-Modified-Since", since); r.StatusCode != 304 {
			t.Errorf("%s: a visitor sending its copy's date got %d, want 304", path, r.StatusCode)
		}
		if r := e.do(t, "GET", path, "", "Cookie", s.cookie, "If-Modified-Since", since); r.StatusCode != 200 {
			t.Errorf("%s: an account sending the visitor's copy's date got %d, want 200 (a date cannot tell the copies apart)", path, r.StatusCode)
		}
	}
	page := e.get(t, session{}, "/r/etiquette")
	for _, link := range []string{`<link rel="alternate" type="application/atom+xml"`, `<link rel="alternate" type="text/calendar"`} {
		if !strings.Contains(page.raw, link) {
			t.Errorf("the public page lacks %s", link)
		}
	}
}
