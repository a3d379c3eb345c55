package ui_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// The tests of every page: their HTML, escaping, unknown ids.

// TestPagesHTML checks every page (and an error page) for the CSP header, the French
// html element, and no inline script or style.
func TestPagesHTML(t *testing.T) {
	t.Parallel()
	c := newFormClient(t)
	rid := idOf(t, c.createRelocation(t, nil))
	mid := idOf(t, c.createMilestone(t, rid, nil))
	for _, path := range []string{"/", "/projets/nouveau", fmt.Sprintf("/projets/%d", rid),
		fmt.Sprintf("/projets/%d/modifier", rid), fmt.Sprintf("/projets/%d/jalons/nouveau", rid),
		fmt.Sprintf("/jalons/%d/modifier", mid)} {
		c.okPage(t, path)
	}
	for _, path := range []string{"/projets/999999", "/nulle-part"} {
		r := c.page(t, path)
		if r.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s: status %d, want 404", path, r.StatusCode)
		}
		checkPageHTML(t, "GET "+path, r)
	}
	// A refused form is a page too.
	r := c.submit(t, "/projets", relocationFields(map[string]string{"headcount": "0"}))
	if r.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("POST /projets with headcount 0: status %d, want 422", r.StatusCode)
	}
	checkPageHTML(t, "POST /projets (refused)", r)
	// So is the CSRF refusal.
	r = c.post(t, "/projets", relocationFields(nil), c.cookie)
	if r.StatusCode != http.StatusForbidden {
		t.Errorf("POST /projets without CSRF: status %d, want 403", r.StatusCode)
	}
	checkPageHTML(t, "POST /projets (403)", r)
}

func TestPageEscaping(t *testing.T) {
	t.Parallel()
	c := newFormClient(t)
	const evil = `<script>alert(1)</script>`
	const escaped = `&lt;script&gt;alert(1)&lt;/script&gt;`
	const breakout = `"><i>x</i>`
	rid := c.createRelocationForm(t, map[string]string{"name": evil, "body": breakout})
	mid := c.createMilestoneForm(t, rid, map[string]string{"title": evil, "source": evil, "notes": evil})

	check := func(what string, r apiResp) {
		t.Helper()
		checkPageHTML(t, what, r)
		if strings.Contains(r.raw, evil) || strings.Contains(r.raw, "<i>x</i>") {
			t.Errorf("%s prints a name raw", what)
		}
		if !strings.Contains(r.raw, escaped) {
			t.Errorf("%s lacks the escaped name %s", what, escaped)
		}
	}
	for _, path := range []string{"/", fmt.Sprintf("/projets/%d", rid), fmt.Sprintf("/projets/%d/modifier", rid),
		fmt.Sprintf("/projets/%d/jalons/nouveau", rid), fmt.Sprintf("/jalons/%d/modifier", mid)} {
		r := c.page(t, path)
		expect(t, r, 200)
		check("GET "+path, r)
	}
	edit := c.okPage(t, fmt.Sprintf("/projets/%d/modifier", rid))
	if got := inputValue(t, edit, "name"); got != evil {
		t.Errorf("edit form: name = %q, want %q", got, evil)
	}
	if got := inputValue(t, edit, "body"); got != breakout {
		t.Errorf("edit form: body = %q, want %q", got, breakout)
	}
	medit := c.okPage(t, fmt.Sprintf("/jalons/%d/modifier", mid))
	if got := textareaValue(t, medit, "notes"); got != evil {
		t.Errorf("milestone form: notes = %q, want %q", got, evil)
	}
	// A script URL is refused as a source link.
	before := c.snapshot(t)
	r := c.submit(t, fmt.Sprintf("/projets/%d/jalons", rid), milestoneFields(map[string]string{"source_url": "javascript:alert(1)"}))
	if r.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("javascript: source URL: status %d, want 422", r.StatusCode)
	} else {
		checkFieldError(t, r.raw, "source_url")
	}
	c.unchanged(t, before, "a refused source URL wrote")
	// Refused forms show the typed values escaped as well.
	r = c.submit(t, "/projets", relocationFields(map[string]string{"name": evil, "body": breakout, "headcount": "0", "slug": "autre"}))
	if r.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("refused form: status %d, want 422", r.StatusCode)
	}
	check("refused relocation form", r)
	r = c.submit(t, fmt.Sprintf("/jalons/%d", mid), milestoneFields(map[string]string{"title": evil, "version": "1", "planned": "demain"}))
	if r.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("refused milestone form: status %d, want 422", r.StatusCode)
	}
	check("refused milestone form", r)
}

func TestPageUnknownIDs(t *testing.T) {
	t.Parallel()
	c := newFormClient(t)
	rid := idOf(t, c.createRelocation(t, nil))
	for _, path := range []string{"/projets/999999", "/projets/abc", "/projets/0", "/projets/-1", "/projets/1.5",
		"/projets/99999999999999999999", "/projets/999999/modifier", "/projets/999999/jalons/nouveau",
		"/jalons/999999/modifier", "/jalons/abc/modifier", "/introuvable"} {
		r := c.page(t, path)
		if r.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s: status %d, want 404", path, r.StatusCode)
			continue
		}
		checkPageHTML(t, "GET "+path, r)
		if strings.HasPrefix(strings.TrimSpace(r.raw), "{") {
			t.Errorf("GET %s: answers JSON to a browser: %s", path, r)
		}
		contains(t, "404 page of "+path, r.raw, "Introuvable", "Erreur 404", `href="/"`)
	}
	before := c.snapshot(t)
	for _, path := range []string{"/projets/999999", "/projets/999999/jalons", "/jalons/999999", "/jalons/999999/supprimer", "/projets/abc"} {
		r := c.submit(t, path, milestoneFields(relocationFieldsMap()))
		if r.StatusCode != http.StatusNotFound {
			t.Errorf("POST %s: status %d, want 404", path, r.StatusCode)
		}
	}
	c.unchanged(t, before, "posts to unknown ids wrote")
	// A page of an existing relocation still answers.
	c.okPage(t, fmt.Sprintf("/projets/%d", rid))
}

// relocationFieldsMap is a valid relocation form as a map, so a post can carry the
// fields of both forms.
func relocationFieldsMap() map[string]string {
	out := map[string]string{}
	for k, v := range relocationFields(nil) {
		out[k] = v[0]
	}
	return out
}
