package ui_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestOddUserAgentLogin: a correct login succeeds whatever bytes the User-Agent holds
// (regression: 0xFF or a Latin-1 é gave 422 and no session). A NUL in a header is
// refused below the routes (framing.go).
func TestOddUserAgentLogin(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t)
	for _, ua := range []string{"Mozilla\xff", "Navigateur d\xe9fini", strings.Repeat("é", 3000)} {
		page := apiDo(t, e.app, "GET", "/login", "", "Accept", "text/html")
		jar := "tracker_csrf=" + cookieNamed(page, "tracker_csrf").Value
		f := url.Values{"email": {adminEmail}, "password": {testPassword}, "_csrf": {inputValue(t, page.raw, "_csrf")}}
		r := apiDo(t, e.app, "POST", "/login", f.Encode(), "Accept", "text/html",
			"Content-Type", "application/x-www-form-urlencoded", "Cookie", jar, "User-Agent", ua)
		if r.StatusCode != http.StatusSeeOther || cookieNamed(r, "tracker_session") == nil {
			t.Errorf("login with User-Agent %q: %d, no session", ua[:min(len(ua), 20)], r.StatusCode)
		}
	}
}

// TestLogout: POST /logout (with the CSRF token) ends the session on the server, so the
// old cookie, replayed, is worthless; other sessions live on.
func TestLogout(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t)
	s := e.login(t, adminEmail, testPassword)
	other := e.login(t, adminEmail, testPassword)
	r := e.post(t, "/logout", url.Values{}, s.cookie)
	if r.StatusCode != http.StatusForbidden {
		t.Errorf("logout without the CSRF token: status %d, want 403", r.StatusCode)
	}
	expect(t, e.get(t, s, "/"), 200)

	r = e.form(t, s, "/logout", url.Values{})
	seeOther(t, r, "/login")
	if ck := cookieNamed(r, "tracker_session"); ck == nil || ck.Value != "" {
		t.Errorf("logout does not clear the cookie: %v", r.Header.Values("Set-Cookie"))
	}
	// The browser could keep the cookie: the server no longer knows it.
	seeOther(t, e.get(t, s, "/"), `/login\?next=%2F`)
	checkProblem(t, e.do(t, "GET", "/api/v1/relocations", "", "Cookie", s.cookie), 401)
	before := e.snapshot(t)
	seeOther(t, e.form(t, s, "/projets", relocationFields(nil)), `/login\?next=%2F`)
	e.unchanged(t, before, "a form with the old cookie wrote")
	expect(t, e.get(t, other, "/"), 200)
	var n int
	if err := e.db.Get(&n, `SELECT count(*) FROM sessions`); err != nil || n != 1 {
		t.Errorf("%d sessions (%v) after the logout, want 1 (the other)", n, err)
	}
}

// TestLoginPage: the login page carries the form and the page to go back to; a wrong
// password is refused 401 in French, the e-mail kept, the password not, no session
// opened; the right one opens a session and goes back to the page asked for, or to the
// portfolio when that page is not on this site.
func TestLoginPage(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t)
	post := func(password, next string) apiResp {
		page := apiDo(t, e.app, "GET", "/login?next="+url.QueryEscape(next), "", "Accept", "text/html")
		expect(t, page, http.StatusOK)
		checkPageHTML(t, "login page", page)
		if shown := inputValue(t, page.raw, "next"); !hasForm(page.raw, "/login") || strings.HasPrefix(next, "/") && shown != next {
			t.Fatalf("the login page lacks its form or the page to go back to (%q)", next)
		}
		jar := "tracker_csrf=" + cookieNamed(page, "tracker_csrf").Value
		f := url.Values{"email": {adminEmail}, "password": {password}, "_csrf": {inputValue(t, page.raw, "_csrf")}, "next": {next}}
		return apiDo(t, e.app, "POST", "/login", f.Encode(), "Accept", "text/html",
			"Content-Type", "application/x-www-form-urlencoded", "Cookie", jar)
	}

	r := post("pas le bon mot de passe", "/profil")
	if r.StatusCode != http.StatusUnauthorized {
		t.Fatalf("a wrong password: status %d, want 401\n%s", r.StatusCode, r)
	}
	contains(t, "refused login", r.raw, "Adresse électronique ou mot de passe incorrect")
	if inputValue(t, r.raw, "email") != adminEmail || strings.Contains(r.raw, "pas le bon mot de passe") {
		t.Errorf("the refused login form does not keep the e-mail, or shows the password back")
	}
	if cookieNamed(r, "tracker_session") != nil {
		t.Errorf("a refused login opened a session")
	}

	r = post(testPassword, "/profil")
	seeOther(t, r, "/profil")
	ck := cookieNamed(r, "tracker_session")
	if ck == nil || ck.Value == "" {
		t.Fatalf("a good login opened no session")
	}
	expect(t, e.get(t, session{cookie: "tracker_session=" + ck.Value}, "/profil"), http.StatusOK)
	// A page elsewhere, posted as is (the login page itself never offers it): the portfolio.
	seeOther(t, post(testPassword, "https://ailleurs.example/piege"), "/")
}
