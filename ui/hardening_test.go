package ui_test

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/ministere/tracker/ui/account"
)

// TestTokensAreForTheAPIAlone: a Bearer token opens the API but no page or form: it
// cannot mint tokens or end its owner's sessions (regression: a stolen token minted
// tokens that outlived it).
func TestTokensAreForTheAPIAlone(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t)
	before := e.snapshot(t)
	r := apiDo(t, e.app, "POST", "/profil/jetons", "", append(bearer(e.token), "Content-Type", "application/x-www-form-urlencoded")...)
	if r.StatusCode == http.StatusOK || r.StatusCode == http.StatusSeeOther && r.Header.Get("Location") != "/login?next=%2F" {
		t.Errorf("POST /profil/jetons with a token: %d %s", r.StatusCode, r.Header.Get("Location"))
	}
	if after := e.snapshot(t); after != before {
		t.Errorf("a token minted something through a form")
	}
	if r := apiDo(t, e.app, "GET", "/profil", "", bearer(e.token)...); r.StatusCode != http.StatusSeeOther {
		t.Errorf("GET /profil with a token: %d, want 303 to the login page", r.StatusCode)
	}
	// Nor can it end its owner's browser sessions.
	s1, s2 := e.login(t, adminEmail, testPassword), e.login(t, adminEmail, testPassword)
	key := regexp.MustCompile(`action="/profil/sessions/([0-9a-f]+)/fin"`).FindStringSubmatch(e.get(t, s1, "/profil").raw)
	if key == nil {
		t.Fatal("the profile lists no other session to end")
	}
	r = apiDo(t, e.app, "POST", "/profil/sessions/"+key[1]+"/fin", "", append(bearer(e.token),
		"Content-Type", "application/x-www-form-urlencoded", "Accept", "text/html")...)
	if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/login?next=%2F" {
		t.Errorf("POST /profil/sessions/{key}/fin with a token: %d %s, want 303 to the login page", r.StatusCode, r.Header.Get("Location"))
	}
	expect(t, e.get(t, s2, "/"), 200)
	expect(t, e.do(t, "GET", "/api/v1/relocations", ""), 200)
}

// TestDisablingRevokesTokens: disabling an account or resetting its password ends its
// sessions and revokes its API tokens.
func TestDisablingRevokesTokens(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t)
	for _, change := range []account.UserChange{
		{Name: "Agent", Role: account.RoleManager, Disabled: true},
		{Name: "Agent", Role: account.RoleManager, Password: "un tout nouveau mot de passe"},
	} {
		u := e.user(t, "agent"+url.QueryEscape(change.Password)+"@exemple.gouv.fr", account.RoleManager)
		token := e.tokenOf(t, u)
		expect(t, apiDo(t, e.app, "GET", "/api/v1/relocations", "", bearer(token)...), 200)
		if _, err := e.accounts.UpdateUser(context.Background(), testActor, u.ID, u.Version, change); err != nil {
			t.Fatal(err)
		}
		if r := apiDo(t, e.app, "GET", "/api/v1/relocations", "", bearer(token)...); r.StatusCode != http.StatusUnauthorized {
			t.Errorf("after %+v: the token still answers %d, want 401", change, r.StatusCode)
		}
	}
}

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

// TestSmallerFindings: the probe's smaller findings, each refused as it should be.
func TestSmallerFindings(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t)
	rel := idOf(t, e.createRelocation(t, nil))
	path := fmt.Sprintf("/api/v1/relocations/%d", rel)
	before := e.snapshot(t)
	// Routing is case-sensitive: /API/ is not the API, with a token or without.
	if r := e.do(t, "GET", strings.ToUpper(path), ""); r.StatusCode != http.StatusNotFound {
		t.Errorf("GET %s: %d, want 404", strings.ToUpper(path), r.StatusCode)
	}
	if r := apiDo(t, e.app, "GET", strings.ToUpper(path), ""); r.StatusCode != http.StatusNotFound {
		t.Errorf("GET %s without a token: %d, want 404 (regression: 303 to the login page)", strings.ToUpper(path), r.StatusCode)
	}
	// Bad numbers in the query are refused, not replaced by the default.
	for _, q := range []string{"abc", "1e3", "99999999999999999999"} {
		checkProblem(t, e.do(t, "GET", path+"/journal?limit="+q, ""), 422)
	}
	// JSON keys are exact and unique.
	for _, body := range []string{`{"HEADCOUNT":5}`, `{"ſlug":"autre"}`, `{"name":"a","name":"b"}`} {
		checkProblem(t, e.do(t, "PATCH", path, body, "If-Match", etag(1)), 400)
	}
	if after := e.snapshot(t); after != before {
		t.Errorf("a refused request wrote")
	}
	// An escaped backslash before « u0000 » is not a NUL.
	r := e.do(t, "PATCH", path, `{"notes":"C:\\u0000dir"}`, "If-Match", etag(1))
	expect(t, r, 200)
	if r.json["notes"] != `C:\u0000dir` {
		t.Errorf("notes = %q, want the text C:\\u0000dir", r.json["notes"])
	}
	checkProblem(t, e.do(t, "PATCH", path, `{"notes":"a\u0000b"}`, "If-Match", etag(2)), 422)
	// A form's CSRF token is read from its body, never from the query string.
	s := e.login(t, adminEmail, testPassword)
	fields := url.Values{"name": {"jeton"}}
	r = apiDo(t, e.app, "POST", "/profil/jetons?_csrf="+url.QueryEscape(s.csrf), fields.Encode(),
		"Content-Type", "application/x-www-form-urlencoded", "Cookie", s.cookie, "Accept", "text/html")
	if r.StatusCode != http.StatusForbidden {
		t.Errorf("_csrf in the query string: %d, want 403", r.StatusCode)
	}
}

// TestRefusalsBelowTheRoutes: what Fiber or fasthttp refuse before any route still
// carries the security headers, as problem+json under /api/: an unknown method, and
// headers too large to read.
func TestRefusalsBelowTheRoutes(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t)
	r := apiDo(t, e.app, "PROPFIND", "/api/v1/relocations", "")
	checkProblem(t, r, 405)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go e.app.Listener(ln)
	conn, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "GET /api/v1/relocations HTTP/1.1\r\nHost: tracker\r\nX-Big: %s\r\n\r\n", strings.Repeat("a", 200<<10))
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("a 200 KB header: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestHeaderFieldsTooLarge || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/problem+json") {
		t.Errorf("a 200 KB header: %d %q, want 431 problem+json", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	checkSecurityHeaders(t, "431", resp.Header)
	// A long ?next= and an ordinary large cookie header pass.
	long := apiDo(t, e.app, "GET", "/login?next=/"+strings.Repeat("a", 4100), "", "Accept", "text/html",
		"Cookie", "autre="+strings.Repeat("b", 6<<10))
	expect(t, long, 200)
}

// TestSignedInAnswersAreNotStored: every answer to a signed-in account, by session or by
// token, page or API, success or refusal, carries Cache-Control: no-store; public
// answers to visitors may be cached.
func TestSignedInAnswersAreNotStored(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t)
	rel := idOf(t, e.createRelocation(t, nil))
	s := e.login(t, adminEmail, testPassword)
	viewer := e.login(t, e.user(t, "lecteur@exemple.gouv.fr", account.RoleViewer).Email, testPassword)
	api := fmt.Sprintf("/api/v1/relocations/%d", rel)
	for _, r := range []apiResp{
		e.do(t, "GET", api, ""),
		e.do(t, "GET", "/api/v1/relocations", ""),
		e.do(t, "GET", api+"/calendar.ics", ""),
		e.do(t, "GET", "/api/v1/relocations/999999", ""),                                  // 404
		e.do(t, "PATCH", api, `{"headcount":0}`, "If-Match", etag(1)),                     // 422
		e.do(t, "PATCH", api, `{"headcount":3}`),                                          // 428
		e.do(t, "GET", api+"/journal?limit=abc", ""),                                      // 422
		e.do(t, "GET", api, "", "Cookie", s.cookie),                                       // session on the API
		e.do(t, "PATCH", api, `{"headcount":3}`, "Cookie", s.cookie, "If-Match", etag(1)), // 403: no CSRF token
		e.get(t, s, "/"),
		e.get(t, s, fmt.Sprintf("/projets/%d", rel)),
		e.get(t, s, "/profil"),
		e.get(t, s, "/projets/999999"),        // 404 page
		e.get(t, viewer, "/admin/comptes"),    // 403 page
		e.form(t, s, "/logout", url.Values{}), // 303
	} {
		what := r.Request.Method + " " + r.Request.URL.String()
		if cc := r.Header.Get("Cache-Control"); cc != "no-store" {
			t.Errorf("%s (%d) to a signed-in account: Cache-Control %q, want no-store", what, r.StatusCode, cc)
		}
	}
}
