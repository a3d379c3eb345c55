package criteria_test

import (
	"context"
	"testing"

	"github.com/ministere/tracker/criteria"
	"github.com/ministere/tracker/relocation"
)

// TestSetScoreVersionSentinels: a form drawn over an empty cell (relocation.NoneYet) must
// not overwrite a score entered meanwhile; If-Match: * (relocation.AnyVersion) needs a
// score to exist.
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
	if _, _, err := e.crit.SetScore(ctx, tester, site.ID, manual.ID, relocation.AnyVersion(), value(5, "visite")); relocation.ErrorCode(err) != relocation.EPRECONDITION {
		t.Errorf("AnyVersion without a score: err = %v, want precondition", err)
	}
	if _, created, err := e.crit.SetScore(ctx, tester, site.ID, manual.ID, relocation.NoneYet(), value(5, "visite")); err != nil || !created {
		t.Fatalf("NoneYet on an empty cell: created %v, err %v", created, err)
	}
	// A second form drawn over the same empty cell comes too late: refused, not written.
	if _, _, err := e.crit.SetScore(ctx, tester, site.ID, manual.ID, relocation.NoneYet(), value(9, "autre visite")); relocation.ErrorCode(err) != relocation.EPRECONDITION {
		t.Errorf("NoneYet over an existing score: err = %v, want precondition", err)
	}
	if got := e.scores(t, r.ID); len(got) != 1 || got[0].Value != 5 {
		t.Errorf("scores = %+v, want the first value 5 only", got)
	}
	if sc, _, err := e.crit.SetScore(ctx, tester, site.ID, manual.ID, relocation.AnyVersion(), value(6, "revisite")); err != nil || sc.Version != 2 {
		t.Errorf("AnyVersion over a score: version %d, err %v", sc.Version, err)
	}
}
