package ui_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ministere/tracker/ui"
)

// TestRequestTimeoutCutsSlowRequests: a request the database holds up (another
// transaction keeps the relocations table locked) is cut at Config.RequestTimeout and
// answered 503 in French with Retry-After — problem+json on the API, the error page on
// the pages — not left to hang; once the lock is gone the same server answers again.
func TestRequestTimeoutCutsSlowRequests(t *testing.T) {
	e := newAPIEnv(t) // fixtures with the tests' long deadline
	rel := idOf(t, e.createRelocation(t, nil))
	browser := e.login(t, adminEmail, testPassword)
	const timeout = 500 * time.Millisecond
	slow := newAPIApp(t, e.db, ui.Config{RequestTimeout: timeout}, e.clock.now) // same database, short deadline

	tx, err := e.db.Beginx()
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if _, err := tx.Exec(`LOCK TABLE relocations IN ACCESS EXCLUSIVE MODE`); err != nil {
		t.Fatal(err)
	}
	// Without the timeout the requests would wait for the lock: it is released after a
	// while so that such a failure shows as one, not as a test that never ends.
	const bound = timeout + 5*time.Second
	unlock := time.AfterFunc(bound, func() { tx.Rollback() })
	api := fmt.Sprintf("/api/v1/relocations/%d", rel)
	for _, c := range []struct {
		what, path string
		headers    []string
	}{
		{"API", api, bearer(e.token)},
		{"page", fmt.Sprintf("/projets/%d", rel), []string{"Cookie", browser.cookie, "Accept", "text/html"}},
	} {
		begun := time.Now()
		r := apiDo(t, slow, "GET", c.path, "", c.headers...)
		took := time.Since(begun)
		if took < timeout {
			t.Errorf("%s: answered in %v, before the %v timeout: was the query held up?\n%s", c.what, took, timeout, r)
		}
		if took > bound {
			t.Errorf("%s: answered in %v, want soon after the %v timeout", c.what, took, timeout)
		}
		if r.Header.Get("Retry-After") == "" {
			t.Errorf("%s: no Retry-After on %s", c.what, r)
		}
		if c.what == "API" {
			checkProblem(t, r, http.StatusServiceUnavailable)
			continue
		}
		if r.StatusCode != http.StatusServiceUnavailable || !strings.HasPrefix(r.Header.Get("Content-Type"), "text/html") ||
			!strings.Contains(r.raw, "La base de données ne répond pas") {
			t.Errorf("%s: want the French 503 page, got %s", c.what, r)
		}
	}

	unlock.Stop()
	tx.Rollback()
	expect(t, apiDo(t, slow, "GET", api, "", bearer(e.token)...), http.StatusOK)
}
