package ui_test

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/ministere/tracker/ui"
)

// TestSecurityHeaders: every response, of every kind, carries the CSP, nosniff and a
// Referrer-Policy (apiDo checks them on each), and HSTS only when served over HTTPS.
func TestSecurityHeaders(t *testing.T) {
	t.Parallel()
	for _, secure := range []bool{false, true} {
		t.Run(fmt.Sprintf("SecureCookies=%v", secure), func(t *testing.T) {
			t.Parallel()
			e := newAPIEnvWith(t, ui.Config{SecureCookies: secure})
			s := e.login(t, adminEmail, testPassword)
			rel := idOf(t, e.createRelocation(t, nil))
			responses := []apiResp{
				apiDo(t, e.app, "GET", "/healthz", ""),
				apiDo(t, e.app, "GET", "/readyz", ""),
				apiDo(t, e.app, "GET", "/login", ""),
				apiDo(t, e.app, "GET", "/static/app.css", ""),
				apiDo(t, e.app, "GET", "/", ""),
				apiDo(t, e.app, "GET", "/api/v1/relocations", ""),
				apiDo(t, e.app, "POST", "/login", "email=x", "Content-Type", "application/x-www-form-urlencoded"),
				apiDo(t, e.app, "GET", "/nulle-part", ""),
				e.do(t, "GET", "/api/v1/relocations", ""),
				e.do(t, "GET", "/api/v1/relocations/999", ""),
				e.do(t, "PATCH", fmt.Sprintf("/api/v1/relocations/%d", rel), `{"headcount":2}`),
				e.get(t, s, "/"),
				e.get(t, s, fmt.Sprintf("/projets/%d", rel)),
				e.get(t, s, "/admin/comptes"),
				e.post(t, "/projets", url.Values{}, s.cookie),
				e.form(t, s, "/logout", url.Values{}),
			}
			for _, r := range responses {
				what := r.Request.Method + " " + r.Request.URL.Path
				csp := r.Header.Get("Content-Security-Policy")
				if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
					t.Errorf("%s: CSP allows inline code: %q", what, csp)
				}
				hsts := r.Header.Get("Strict-Transport-Security")
				if secure && !regexp.MustCompile(`max-age=[1-9]\d*`).MatchString(hsts) {
					t.Errorf("%s over HTTPS: Strict-Transport-Security = %q, want a max-age", what, hsts)
				}
				if !secure && hsts != "" {
					t.Errorf("%s over HTTP: Strict-Transport-Security = %q, want none", what, hsts)
				}
			}
		})
	}
}
