package ui_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// CSRF: the session-bound token of the forms, the double-submit token of the login form.

// TestPageCSRF checks the session-bound CSRF token: the forms of a signed-in browser
// carry its session's token, and a form without it, with a wrong one or with another
// session's is refused (403) and writes nothing.
func TestPageCSRF(t *testing.T) {
	t.Parallel()
	c := newFormClient(t)
	rid := idOf(t, c.createRelocation(t, nil))
	mid := idOf(t, c.createMilestone(t, rid, nil))

	r := c.page(t, "/projets/nouveau")
	expect(t, r, 200)
	if got := inputValue(t, r.raw, "_csrf"); got != c.csrf {
		t.Errorf("the form's _csrf = %q, want the session's %q", got, c.csrf)
	}
	// Signed-in pages set no cookie: the token lives with the session, in the database.
	if ck := r.Header.Values("Set-Cookie"); len(ck) > 0 {
		t.Errorf("a page of a signed-in browser sets cookies: %v", ck)
	}
	// A second page carries the same token: the forms of two open tabs stay valid.
	if got := inputValue(t, c.page(t, fmt.Sprintf("/projets/%d", rid)).raw, "_csrf"); got != c.csrf {
		t.Errorf("another page's _csrf = %q, want the session's %q", got, c.csrf)
	}
	// Another session, of the same account or of another, has its own token.
	mine := c.login(t, adminEmail, testPassword)
	c.user(t, "autre@exemple.gouv.fr", "admin")
	theirs := c.login(t, "autre@exemple.gouv.fr", testPassword)
	if mine.csrf == c.csrf || theirs.csrf == c.csrf {
		t.Fatalf("two sessions share a CSRF token")
	}

	// The login page's double-submit token is not a session's token.
	login := apiDo(t, c.app, "GET", "/login", "", "Accept", "text/html")
	ck := cookieNamed(login, "tracker_csrf")
	if ck == nil {
		t.Fatalf("GET /login sets no tracker_csrf cookie: %v", login.Header.Values("Set-Cookie"))
	}
	withToken := func(f url.Values, token string) url.Values {
		out := url.Values{}
		for k, v := range f {
			out[k] = v
		}
		out.Set("_csrf", token)
		return out
	}
	newRelocation := relocationFields(map[string]string{"slug": "autre-projet"})
	newMilestone := milestoneFields(nil)
	deletion := url.Values{"version": {"1"}}
	type attempt struct {
		name, path string
		fields     url.Values
		cookie     string
	}
	var attempts []attempt
	for _, target := range []struct {
		name, path string
		fields     url.Values
	}{
		{"create relocation", "/projets", newRelocation},
		{"update relocation", fmt.Sprintf("/projets/%d", rid), relocationFields(map[string]string{"name": "Écrasé", "version": "1"})},
		{"create milestone", fmt.Sprintf("/projets/%d/jalons", rid), newMilestone},
		{"update milestone", fmt.Sprintf("/jalons/%d", mid), milestoneFields(map[string]string{"title": "Écrasé", "version": "1"})},
		{"delete milestone", fmt.Sprintf("/jalons/%d/supprimer", mid), deletion},
		{"assign managers", fmt.Sprintf("/projets/%d/responsables", rid), url.Values{"emails": {adminEmail}}},
		{"create account", "/admin/comptes", url.Values{"email": {"x@exemple.gouv.fr"}, "name": {"X"}, "role": {"viewer"}, "password": {testPassword}}},
		{"log out", "/logout", url.Values{}},
	} {
		attempts = append(attempts,
			attempt{target.name + ", session without _csrf", target.path, target.fields, c.cookie},
			attempt{target.name + ", wrong _csrf", target.path, withToken(target.fields, strings.Repeat("ab", 32)), c.cookie},
			attempt{target.name + ", empty _csrf", target.path, withToken(target.fields, ""), c.cookie},
			attempt{target.name + ", _csrf of another session of the same account", target.path, withToken(target.fields, mine.csrf), c.cookie},
			attempt{target.name + ", _csrf of another account's session", target.path, withToken(target.fields, theirs.csrf), c.cookie},
			attempt{target.name + ", the login page's double-submit pair", target.path, withToken(target.fields, ck.Value),
				c.cookie + "; tracker_csrf=" + ck.Value},
		)
	}
	for _, a := range attempts {
		t.Run(a.name, func(t *testing.T) {
			before := c.snapshot(t)
			r := c.post(t, a.path, a.fields, a.cookie)
			if r.StatusCode != http.StatusForbidden {
				t.Errorf("POST %s: status %d, want 403\n%s", a.path, r.StatusCode, r)
			}
			checkPageHTML(t, "403", r)
			contains(t, "403 page", r.raw, "Accès refusé")
			c.unchanged(t, before, "a refused form wrote")
		})
	}
	// The session survived the refused logouts.
	expect(t, c.page(t, "/"), http.StatusOK)
	// The session's token without its cookie is no credential: sent to the login page.
	before := c.snapshot(t)
	seeOther(t, c.post(t, "/projets", withToken(newRelocation, c.csrf), ""), `/login\?next=%2F`)
	c.unchanged(t, before, "an anonymous form wrote")

	// With the session's token, the same forms work.
	seeOther(t, c.submit(t, "/projets", newRelocation), `/projets/\d+`)
	seeOther(t, c.submit(t, fmt.Sprintf("/projets/%d/jalons", rid), newMilestone), fmt.Sprintf(`/projets/%d#jalons`, rid))
	seeOther(t, c.submit(t, fmt.Sprintf("/jalons/%d/supprimer", mid), deletion), fmt.Sprintf(`/projets/%d#jalons`, rid))
	// A script may send the token in the X-CSRF-Token header instead.
	r = c.post(t, "/projets", relocationFields(map[string]string{"slug": "par-en-tete"}), c.cookie, "X-CSRF-Token", c.csrf)
	seeOther(t, r, `/projets/\d+`)
	// So must the API called with a session cookie; a Bearer token needs none.
	path := fmt.Sprintf("/api/v1/relocations/%d", rid)
	before = c.snapshot(t)
	checkProblem(t, c.do(t, "PATCH", path, `{"headcount":141}`, "If-Match", etag(1), "Cookie", c.cookie), 403)
	checkProblem(t, c.do(t, "PATCH", path, `{"headcount":141}`, "If-Match", etag(1), "Cookie", c.cookie, "X-CSRF-Token", mine.csrf), 403)
	c.unchanged(t, before, "a refused API call wrote")
	expect(t, c.do(t, "PATCH", path, `{"headcount":141}`, "If-Match", etag(1), "Cookie", c.cookie, "X-CSRF-Token", c.csrf), 200)
	expect(t, c.do(t, "PATCH", path, `{"headcount":142}`, "If-Match", etag(2)), 200)
	var n int
	if err := c.db.Get(&n, `SELECT count(*) FROM relocations`); err != nil {
		t.Fatal(err)
	}
	if n != 3 {
		t.Errorf("%d relocations after the accepted forms, want 3", n)
	}
}

// TestLoginCSRF checks the login form's double-submit token: a random value in an
// HttpOnly, SameSite=Lax cookie, repeated in the form; without either, or when they
// differ, the login is refused and opens no session.
func TestLoginCSRF(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t)
	r := apiDo(t, e.app, "GET", "/login", "", "Accept", "text/html")
	expect(t, r, 200)
	checkPageHTML(t, "GET /login", r)
	ck := cookieNamed(r, "tracker_csrf")
	if ck == nil {
		t.Fatalf("GET /login sets no tracker_csrf cookie: %v", r.Header.Values("Set-Cookie"))
	}
	if !regexp.MustCompile(`^[0-9a-f]{64}$`).MatchString(ck.Value) {
		t.Errorf("tracker_csrf = %q, want 32 random bytes in hex", ck.Value)
	}
	if !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode || ck.Path != "/" || ck.Secure {
		t.Errorf("tracker_csrf cookie: HttpOnly=%v SameSite=%v Path=%q Secure=%v, want HttpOnly, Lax, /, not Secure over HTTP",
			ck.HttpOnly, ck.SameSite, ck.Path, ck.Secure)
	}
	// The form's token is bound to the cookie by a key the server keeps: not the cookie itself.
	formToken := inputValue(t, r.raw, "_csrf")
	if !regexp.MustCompile(`^[0-9a-f]{64}$`).MatchString(formToken) || formToken == ck.Value {
		t.Errorf("the login form's _csrf = %q, want an HMAC of the cookie %q", formToken, ck.Value)
	}
	// The login page again keeps the token.
	if again := apiDo(t, e.app, "GET", "/login", "", "Accept", "text/html", "Cookie", "tracker_csrf="+ck.Value); cookieNamed(again, "tracker_csrf") != nil {
		t.Errorf("a second GET /login replaced the token")
	}
	good := url.Values{"email": {adminEmail}, "password": {testPassword}}
	with := func(token string) string {
		f := url.Values{"_csrf": {token}}
		for k, v := range good {
			f[k] = v
		}
		return f.Encode()
	}
	other := strings.Repeat("cd", 32)
	for _, a := range []struct{ name, body, cookie string }{
		{"no _csrf", good.Encode(), "tracker_csrf=" + ck.Value},
		// Regression: a planted cookie repeated in the form signed the victim in.
		{"planted cookie repeated in the form", with(other), "tracker_csrf=" + other},
		{"the cookie's value as the token", with(ck.Value), "tracker_csrf=" + ck.Value},
		{"wrong _csrf", with(other), "tracker_csrf=" + ck.Value},
		{"no cookie", with(formToken), ""},
		{"short token in both", with("abc"), "tracker_csrf=abc"},
		{"empty in both", with(""), "tracker_csrf="},
	} {
		headers := []string{"Accept", "text/html", "Content-Type", "application/x-www-form-urlencoded"}
		if a.cookie != "" {
			headers = append(headers, "Cookie", a.cookie)
		}
		r := apiDo(t, e.app, "POST", "/login", a.body, headers...)
		if r.StatusCode != http.StatusForbidden {
			t.Errorf("login, %s: status %d, want 403\n%s", a.name, r.StatusCode, r)
		}
		if s := cookieNamed(r, "tracker_session"); s != nil && s.Value != "" {
			t.Errorf("login, %s: a session was opened", a.name)
		}
	}
	var n int
	if err := e.db.Get(&n, `SELECT count(*) FROM sessions`); err != nil || n != 0 {
		t.Errorf("%d sessions (%v) after the refused logins, want 0", n, err)
	}
	seeOther(t, apiDo(t, e.app, "POST", "/login", with(formToken), "Accept", "text/html",
		"Content-Type", "application/x-www-form-urlencoded", "Cookie", "tracker_csrf="+ck.Value), "/")
}

// TestCSRFTokenReadFromBodyOnly: a form's CSRF token is read from its body, never from
// the query string (403).
func TestCSRFTokenReadFromBodyOnly(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t)
	s := e.login(t, adminEmail, testPassword)
	fields := url.Values{"name": {"jeton"}}
	r := apiDo(t, e.app, "POST", "/profil/jetons?_csrf="+url.QueryEscape(s.csrf), fields.Encode(),
		"Content-Type", "application/x-www-form-urlencoded", "Cookie", s.cookie, "Accept", "text/html")
	if r.StatusCode != http.StatusForbidden {
		t.Errorf("_csrf in the query string: %d, want 403", r.StatusCode)
	}
}
