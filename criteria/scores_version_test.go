package criteria_test

import (
	"context"
	"testing"

	"github.com/ministere/tracker/criteria"
	"github.com/ministere/tracker/relocation"
)

// TestSetScoreVersionSentinels: a form drawn over an empty cell (NoVersion) must not
// overwrite a score entered meanwhile; If-Match: * (AnyVersion) needs a score to exist.
func TestSetScoreVersionSentinels(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newEnv(t)
	r := e.relocationWithGrid(t, "sentinels")
	site := e.site(t, r.ID, "Site", nil)
	var manual criteria.Criterion
	for _, c := range e.grid(t, r.ID) {
		if c.Source == criteria.SourceManual {
			manual = c
			break
		}
	}
	if _, _, err := e.crit.SetScore(ctx, tester, site.ID, manual.ID, 5, "visite", criteria.AnyVersion); relocation.ErrorCode(err) != relocation.EPRECONDITION {
		t.Errorf("AnyVersion without a score: err = %v, want precondition", err)
	}
	if _, created, err := e.crit.SetScore(ctx, tester, site.ID, manual.ID, 5, "visite", criteria.NoVersion); err != nil || !created {
		t.Fatalf("NoVersion on an empty cell: created %v, err %v", created, err)
	}
	// A second form drawn over the same empty cell comes too late: refused, not written.
	if _, _, err := e.crit.SetScore(ctx, tester, site.ID, manual.ID, 9, "autre visite", criteria.NoVersion); relocation.ErrorCode(err) != relocation.EPRECONDITION {
		t.Errorf("NoVersion over an existing score: err = %v, want precondition", err)
	}
	if got := e.scores(t, r.ID); len(got) != 1 || got[0].Value != 5 {
		t.Errorf("scores = %+v, want the first value 5 only", got)
	}
	if sc, _, err := e.crit.SetScore(ctx, tester, site.ID, manual.ID, 6, "revisite", criteria.AnyVersion); err != nil || sc.Version != 2 {
		t.Errorf("AnyVersion over a score: version %d, err %v", sc.Version, err)
	}
}
