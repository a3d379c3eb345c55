package ui_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestStaleCriterionDelete: deleting a criterion from a form drawn over an older
// version deletes nothing and draws the form again, current, saying who changed it.
func TestStaleCriterionDelete(t *testing.T) {
	t.Parallel()
	c := newFormClient(t)
	rel := idOf(t, c.createRelocation(t, nil))
	crit := idOf(t, c.criteriaOf(t, rel)[0])
	path := fmt.Sprintf("/api/v1/criteria/%d", crit)
	expect(t, c.do(t, "PATCH", path, `{"weight":31}`, "If-Match", `"1"`), 200)

	before := c.snapshot(t)
	r := c.submit(t, fmt.Sprintf("/criteres/%d/supprimer", crit), url.Values{"version": {"1"}})
	if r.StatusCode != http.StatusPreconditionFailed {
		t.Fatalf("stale delete: status %d, want 412", r.StatusCode)
	}
	for _, want := range []string{"Critère non supprimé", "modifiée entre-temps par Agent " + adminEmail, `name="version" value="2"`, `value="31"`} {
		if !strings.Contains(r.raw, want) {
			t.Errorf("stale delete page lacks %q", want)
		}
	}
	if after := c.snapshot(t); after != before {
		t.Errorf("a stale delete wrote:\nbefore %s\nafter  %s", before, after)
	}
	seeOther(t, c.submit(t, fmt.Sprintf("/criteres/%d/supprimer", crit), url.Values{"version": {"2"}}), fmt.Sprintf("/projets/%d/criteres", rel))
}
