package ui_test

import (
	"net/http"
	"net/url"
	"regexp"
	"testing"

	"github.com/ministere/tracker/ui/account"
)

// Helpers of the page tests that look at one page through each role: the relocation's
// manager, a viewer (who reads every relocation and writes none) and a visitor.

// pageRoles is a relocation (the CLEISS fixture) and the signed-in browsers of its
// manager and of a viewer.
type pageRoles struct {
	*apiEnv
	rel             int64
	manager, viewer session
}

// newPageRoles creates the relocation, its manager and a viewer, both signed in.
func newPageRoles(t *testing.T) *pageRoles {
	t.Helper()
	e := newAPIEnv(t)
	rel := idOf(t, e.createRelocation(t, nil))
	m := e.user(t, "responsable@exemple.gouv.fr", account.RoleManager)
	v := e.user(t, "lecteur@exemple.gouv.fr", account.RoleViewer)
	e.assign(t, rel, m.Email)
	return &pageRoles{apiEnv: e, rel: rel, manager: e.login(t, m.Email, testPassword), viewer: e.login(t, v.Email, testPassword)}
}

// okPage GETs path as s, expects 200 and checks the page's HTML; it returns the page.
func (p *pageRoles) okPage(t *testing.T, s session, path string) string {
	t.Helper()
	r := p.get(t, s, path)
	if r.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: status %d, want 200\n%s", path, r.StatusCode, r)
	}
	checkPageHTML(t, "GET "+path, r)
	return r.raw
}

// visitorSentToLogin checks that a visitor asking path is sent to the login page, and
// back to path once signed in.
func (p *pageRoles) visitorSentToLogin(t *testing.T, path string) {
	t.Helper()
	seeOther(t, p.get(t, session{}, path), regexp.QuoteMeta("/login?next="+url.QueryEscape(path)))
}

// hasForm reports whether page holds a form posting to action.
func hasForm(page, action string) bool {
	return regexp.MustCompile(`<form [^>]*action="` + regexp.QuoteMeta(action) + `"`).MatchString(page)
}

// refusedForm posts values to path as the manager and checks the refusal: 422, msg beside
// field, the input kept still holding keptValue, and nothing written.
func (p *pageRoles) refusedForm(t *testing.T, what, path string, values url.Values, field, msg, kept, keptValue string) {
	t.Helper()
	before := p.snapshot(t)
	r := p.form(t, p.manager, path, values)
	if r.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("%s: status %d, want 422\n%s", what, r.StatusCode, r)
	}
	if got := checkFieldError(t, r.raw, field); got != msg {
		t.Errorf("%s: the error beside %s is %q, want %q", what, field, got, msg)
	}
	if got := inputValue(t, r.raw, kept); got != keptValue {
		t.Errorf("%s: the refused form lost its %s: %q, want %q", what, kept, got, keptValue)
	}
	p.unchanged(t, before, "%s wrote", what)
}
