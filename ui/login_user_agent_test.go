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
