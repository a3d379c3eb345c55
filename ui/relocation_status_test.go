package ui_test

import (
	"fmt"
	"testing"
)

// A relocation's status follows its sites only through a selection: selecting a site sets
// site_selected (journaled, version up); other site actions leave the status alone.

// TestStatusOnlyASelectionChanges: only selecting a site changes the relocation's status.
func TestStatusOnlyASelectionChanges(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t)
	relID := idOf(t, e.createRelocation(t, map[string]any{"status": "site_search"}))
	relPath := fmt.Sprintf("/api/v1/relocations/%d", relID)
	a := idOf(t, e.createSite(t, relID, map[string]any{"name": "Bas Montreuil"}))

	// Selecting a site: site_selected, journaled, version up.
	expect(t, e.do(t, "PATCH", fmt.Sprintf("/api/v1/sites/%d", a), `{"status":"selected","decision_reason":"desserte RER"}`, "If-Match", etag(1)), 200)
	r := e.read(t, relPath)
	if r["status"] != "site_selected" || versionIn(t, r) != 2 {
		t.Fatalf("after the selection: status %v version %d, want site_selected, 2", r["status"], versionIn(t, r))
	}
	if es := e.journalOf(t, relID, "relocation"); len(es) < 1 || changeOf(t, es[0], "status")["after"] != "site_selected" {
		t.Errorf("journal %v, want the status change", es)
	}

	// A manager sets the status back; other site actions leave it alone.
	expect(t, e.do(t, "PATCH", relPath, `{"status":"site_search"}`, "If-Match", etag(2)), 200)
	journal := len(e.journalOf(t, relID, "relocation"))
	b := idOf(t, e.createSite(t, relID, map[string]any{"name": "Saint-Ouen"}))
	expect(t, e.do(t, "PATCH", fmt.Sprintf("/api/v1/sites/%d", a), `{"name":"Bas Montreuil, îlot Valmy"}`, "If-Match", etag(2)), 200)
	expect(t, e.do(t, "PATCH", fmt.Sprintf("/api/v1/sites/%d", b), `{"name":"Saint-Ouen Pleyel"}`, "If-Match", etag(1)), 200)
	r = e.read(t, relPath)
	if r["status"] != "site_search" || versionIn(t, r) != 3 {
		t.Errorf("after creating and renaming sites: status %v version %d, want site_search, 3", r["status"], versionIn(t, r))
	}
	if got := len(e.journalOf(t, relID, "relocation")); got != journal {
		t.Errorf("relocation journal grew from %d to %d entries", journal, got)
	}
	// A form opened before the site actions saves without a conflict, as nothing changed.
	expect(t, e.do(t, "PATCH", relPath, `{"status":"committed"}`, "If-Match", etag(3)), 200)
}
