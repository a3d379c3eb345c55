package ui_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/ministere/tracker/ui"
	"github.com/ministere/tracker/ui/account"
)

// Sessions: fixation, logout, expiry, cookie flags, disabled accounts.

// TestSessionFixation: the session id is chosen by the server at each login, never
// kept from a cookie the browser had before.
func TestSessionFixation(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t)
	const planted = "tracker_session=plante-par-un-attaquant-0123456789abcdef"
	r := e.postLogin(t, adminEmail, testPassword, planted)
	seeOther(t, r, "/")
	ck := cookieNamed(r, "tracker_session")
	if ck == nil || ck.Value == "" || "tracker_session="+ck.Value == planted {
		t.Fatalf("login over a planted cookie: session cookie %v, want a new id", ck)
	}
	seeOther(t, e.get(t, session{cookie: planted}, "/"), `/login\?next=%2F`)
	expect(t, e.get(t, session{cookie: "tracker_session=" + ck.Value}, "/"), 200)

	// A session that was valid before (here expired) is replaced, not renewed.
	old := e.login(t, adminEmail, testPassword)
	e.clock.add(31 * time.Minute)
	r = e.postLogin(t, adminEmail, testPassword, old.cookie)
	seeOther(t, r, "/")
	if ck := cookieNamed(r, "tracker_session"); ck == nil || "tracker_session="+ck.Value == old.cookie {
		t.Errorf("login over an old session kept its id")
	}
	seeOther(t, e.get(t, old, "/"), `/login\?next=%2F`)
	// Two logins, two ids and two CSRF tokens.
	a, b := e.login(t, adminEmail, testPassword), e.login(t, adminEmail, testPassword)
	if a.cookie == b.cookie || a.csrf == b.csrf {
		t.Errorf("two logins share a session id or CSRF token")
	}
	// The database keeps only a hash of the id.
	var raw int
	if err := e.db.Get(&raw, `SELECT count(*) FROM sessions WHERE id_hash = convert_to($1, 'UTF8')`, strings.TrimPrefix(a.cookie, "tracker_session=")); err != nil || raw != 0 {
		t.Errorf("the sessions table holds a cookie value as is (%d, %v)", raw, err)
	}
}

// TestSessionExpiry drives the app's clock: a session ends after 30 minutes without a
// request, and 12 hours after the login whatever the activity.
func TestSessionExpiry(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t)
	s := e.login(t, adminEmail, testPassword)
	for i := 0; i < 3; i++ {
		e.clock.add(29 * time.Minute)
		expect(t, e.get(t, s, "/"), 200)
	}
	e.clock.add(31 * time.Minute)
	r := e.get(t, s, "/")
	seeOther(t, r, `/login\?next=%2F`)
	if ck := cookieNamed(r, "tracker_session"); ck == nil || ck.Value != "" {
		t.Errorf("the expired session's cookie is not cleared: %v", r.Header.Values("Set-Cookie"))
	}
	checkProblem(t, e.do(t, "GET", "/api/v1/relocations", "", "Cookie", s.cookie), 401)

	// Idle means since the last request: a request 59 s after the login, then one 29 min
	// 59 s later, is within the 30 minutes.
	s = e.login(t, adminEmail, testPassword)
	e.clock.add(59 * time.Second)
	expect(t, e.get(t, s, "/"), 200)
	e.clock.add(29*time.Minute + 59*time.Second)
	// Regression: idleness was once measured from a last_seen_at refreshed once a minute,
	// so a session used 29 min 59 s ago could die.
	if r := e.get(t, s, "/"); r.StatusCode != http.StatusOK {
		t.Errorf("29 min 59 s after the last request: status %d, want 200 (still within the idle limit)", r.StatusCode)
	}

	// Absolute: used every 29 minutes, the session still ends 12 hours after the login.
	s = e.login(t, adminEmail, testPassword)
	elapsed := time.Duration(0)
	for elapsed+29*time.Minute < 12*time.Hour {
		e.clock.add(29 * time.Minute)
		elapsed += 29 * time.Minute
		if r := e.get(t, s, "/"); r.StatusCode != http.StatusOK {
			t.Fatalf("after %v of activity: status %d, want 200", elapsed, r.StatusCode)
		}
	}
	e.clock.add(29 * time.Minute)
	seeOther(t, e.get(t, s, "/"), `/login\?next=%2F`)
	// A new login works again.
	expect(t, e.get(t, e.login(t, adminEmail, testPassword), "/"), 200)
}

// TestSessionCookieFlags: the session cookie is HttpOnly, SameSite=Lax, for the whole
// site, ends with the browser, and is Secure when the site is served over HTTPS.
func TestSessionCookieFlags(t *testing.T) {
	t.Parallel()
	for _, secure := range []bool{false, true} {
		t.Run(fmt.Sprintf("SecureCookies=%v", secure), func(t *testing.T) {
			t.Parallel()
			e := newAPIEnvWith(t, ui.Config{SecureCookies: secure})
			r := e.postLogin(t, adminEmail, testPassword)
			seeOther(t, r, "/")
			// Over HTTPS the cookies take the __Host- prefix: only this host may set them.
			prefix := map[bool]string{true: "__Host-"}[secure]
			ck := cookieNamed(r, prefix+"tracker_session")
			if ck == nil {
				t.Fatalf("no %stracker_session cookie", prefix)
			}
			if !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode || ck.Path != "/" || ck.Secure != secure {
				t.Errorf("session cookie HttpOnly=%v SameSite=%v Path=%q Secure=%v, want HttpOnly, Lax, /, Secure=%v",
					ck.HttpOnly, ck.SameSite, ck.Path, ck.Secure, secure)
			}
			if !ck.Expires.IsZero() || ck.MaxAge != 0 {
				t.Errorf("session cookie persists (Expires %v, Max-Age %d), want a browser-session cookie", ck.Expires, ck.MaxAge)
			}
			login := apiDo(t, e.app, "GET", "/login", "")
			if ck := cookieNamed(login, prefix+"tracker_csrf"); ck == nil || ck.Secure != secure || !ck.HttpOnly {
				t.Errorf("tracker_csrf cookie %v, want HttpOnly and Secure=%v", ck, secure)
			}
		})
	}
	// Trusted proxies are off by default: a client's X-Forwarded-Proto is not believed.
	e := newAPIEnv(t)
	login := apiDo(t, e.app, "GET", "/login", "", "X-Forwarded-Proto", "https")
	if ck := cookieNamed(login, "tracker_csrf"); ck == nil || ck.Secure {
		t.Errorf("X-Forwarded-Proto from an untrusted client made the cookie Secure: %v", ck)
	}
	if h := login.Header.Get("Strict-Transport-Security"); h != "" {
		t.Errorf("X-Forwarded-Proto from an untrusted client set HSTS: %q", h)
	}
}

// TestDisabledAccount: disabling an account (by an administrator, through the form)
// ends its sessions and stops its tokens and its logins.
func TestDisabledAccount(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t)
	admin := e.login(t, adminEmail, testPassword)
	u := e.user(t, "responsable@exemple.gouv.fr", account.RoleManager)
	s := e.login(t, u.Email, testPassword)
	tok := e.tokenOf(t, u)
	expect(t, e.do(t, "GET", "/api/v1/relocations", "", bearer(tok)...), 200)

	r := e.form(t, admin, fmt.Sprintf("/admin/comptes/%d", u.ID), url.Values{"name": {u.Name}, "role": {u.Role},
		"disabled": {"on"}, "version": {fmt.Sprint(u.Version)}})
	seeOther(t, r, "/admin/comptes")
	seeOther(t, e.get(t, s, "/"), `/login\?next=%2F`)
	checkProblem(t, e.do(t, "GET", "/api/v1/relocations", "", "Cookie", s.cookie), 401)
	checkProblem(t, e.do(t, "GET", "/api/v1/relocations", "", bearer(tok)...), 401)
	r = e.postLogin(t, u.Email, testPassword)
	if r.StatusCode != http.StatusUnauthorized || cookieNamed(r, "tracker_session") != nil {
		t.Errorf("login of a disabled account: status %d, cookies %v, want 401 and no session", r.StatusCode, r.Header.Values("Set-Cookie"))
	}
	contains(t, "login page", r.raw, "Adresse électronique ou mot de passe incorrect")
	// A role change takes effect at the next request; a password change ends the
	// account's sessions.
	v := e.user(t, "demote@exemple.gouv.fr", account.RoleAdmin)
	vs := e.login(t, v.Email, testPassword)
	expect(t, e.get(t, vs, "/admin/comptes"), 200)
	seeOther(t, e.form(t, admin, fmt.Sprintf("/admin/comptes/%d", v.ID), url.Values{"name": {v.Name}, "role": {account.RoleViewer},
		"version": {fmt.Sprint(v.Version)}}), "/admin/comptes")
	if r := e.get(t, vs, "/admin/comptes"); r.StatusCode != http.StatusForbidden {
		t.Errorf("a demoted administrator: status %d, want 403", r.StatusCode)
	}
	seeOther(t, e.form(t, admin, fmt.Sprintf("/admin/comptes/%d", v.ID), url.Values{"name": {v.Name}, "role": {account.RoleViewer},
		"password": {"un tout nouveau mot de passe"}, "version": {fmt.Sprint(v.Version + 1)}}), "/admin/comptes")
	seeOther(t, e.get(t, vs, "/"), `/login\?next=%2F`)
	if r := e.postLogin(t, v.Email, testPassword); r.StatusCode != http.StatusUnauthorized {
		t.Errorf("login with the old password: status %d, want 401", r.StatusCode)
	}
	e.login(t, v.Email, "un tout nouveau mot de passe")
	// An administrator cannot disable their own account.
	me, err := e.accounts.UserByEmail(context.Background(), adminEmail)
	if err != nil {
		t.Fatal(err)
	}
	before := e.snapshot(t)
	r = e.form(t, admin, fmt.Sprintf("/admin/comptes/%d", me.ID), url.Values{"name": {me.Name}, "role": {me.Role},
		"disabled": {"on"}, "version": {fmt.Sprint(me.Version)}})
	if r.StatusCode != http.StatusConflict {
		t.Errorf("disabling one's own account: status %d, want 409", r.StatusCode)
	}
	e.unchanged(t, before, "disabling one's own account wrote")
}
