package ui_test

import (
	"fmt"
	"net/url"
	"testing"

	"github.com/ministere/tracker/ui/account"
)

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
