package ui_test

import (
	"encoding/csv"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/ministere/tracker/ui/account"
)

// readExcelCSV checks the French Excel form of a CSV answer and returns its records.
func readExcelCSV(t *testing.T, what string, r apiResp) [][]string {
	t.Helper()
	expect(t, r, http.StatusOK)
	if ct := r.Header.Get("Content-Type"); ct != "text/csv; charset=utf-8" {
		t.Errorf("%s: Content-Type %q", what, ct)
	}
	if !strings.HasPrefix(r.raw, "\xEF\xBB\xBF") || !strings.Contains(r.raw, "\r\n") {
		t.Fatalf("%s: no BOM or no CRLF:\n%q", what, r.raw)
	}
	cr := csv.NewReader(strings.NewReader(strings.TrimPrefix(r.raw, "\xEF\xBB\xBF")))
	cr.Comma = ';'
	recs, err := cr.ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	return recs
}

// exportFixture is what the export tests read: a viewer's session and a public relocation
// with two milestones, one late with a source that would start a formula, one done five
// days after its first planned date.
func exportFixture(t *testing.T) (e *apiEnv, viewer session, rel int64) {
	t.Helper()
	e = newAPIEnv(t)
	e.user(t, "lecteur@exemple.gouv.fr", account.RoleViewer)
	viewer = e.login(t, "lecteur@exemple.gouv.fr", testPassword)
	rel = idOf(t, e.createRelocation(t, map[string]any{"slug": "cleiss", "visibility": "public"}))
	e.createMilestone(t, rel, map[string]any{"title": "Bail signé", "kind": "lease", "planned": "2021-05",
		"source": "-compte rendu", "source_url": "https://exemple.gouv.fr/cr", "public": true})
	done := idOf(t, e.createMilestone(t, rel, map[string]any{"title": "Décision", "kind": "decision", "planned": "2019-11-15"}))
	expect(t, e.do(t, "PATCH", fmt.Sprintf("/api/v1/milestones/%d", done), `{"planned":"2019-11-20","actual":"2019-11-20"}`, "If-Match", etag(1)), 200)
	return e, viewer, rel
}
