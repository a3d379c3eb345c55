package relocation_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/ministere/tracker/relocation"
)

// Issue 16's rules held by the code, not by habit: an action that writes without
// journaling is refused and rolled back, and a change made outside any action (a
// hand-made UPDATE) still raises the relocation's revision, the stamp kept pages are
// drawn under.

// revision reads relocation id's revision.
func (e actionEnv) revision(t *testing.T, id int64) int64 {
	t.Helper()
	var rev int64
	if err := e.db.Get(&rev, `SELECT revision FROM relocations WHERE id = $1`, id); err != nil {
		t.Fatal(err)
	}
	return rev
}

func TestActRefusesAWriteWithoutJournal(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newActionEnv(t)
	before, rev := e.state(t, e.r.ID), e.revision(t, e.r.ID)
	var name string

	err := relocation.Act(ctx, e.db, tester, e.r.ID, func(tx *relocation.Tx) error {
		return tx.Write(ctx, `UPDATE relocations SET name = 'Renommé en douce', version = version + 1 WHERE id = $1`, tx.Relocation.ID)
	})
	if !errors.Is(err, relocation.ErrUnjournaled) {
		t.Fatalf("an action that wrote without journaling: err = %v, want ErrUnjournaled", err)
	}
	if after := e.state(t, e.r.ID); after != before {
		t.Errorf("the refused action changed something: %+v, was %+v", after, before)
	}
	if err := e.db.Get(&name, `SELECT name FROM relocations WHERE id = $1`, e.r.ID); err != nil || name != e.r.Name {
		t.Errorf("name = %q (%v), want %q: the write was not rolled back", name, err, e.r.Name)
	}
	if got := e.revision(t, e.r.ID); got != rev {
		t.Errorf("revision = %d, want %d kept", got, rev)
	}

	// The same write journaled goes through; one that only reads needs no journal.
	err = relocation.Act(ctx, e.db, tester, e.r.ID, func(tx *relocation.Tx) error {
		if err := tx.Write(ctx, `UPDATE relocations SET name = 'Renommé', version = version + 1 WHERE id = $1`, tx.Relocation.ID); err != nil {
			return err
		}
		return tx.Journal(ctx, relocation.EntityRelocation, tx.Relocation.ID, relocation.ActionUpdate,
			map[string]relocation.Change{"name": {Before: e.r.Name, After: "Renommé"}})
	})
	if err != nil {
		t.Fatalf("a journaled write: %v", err)
	}
	err = relocation.Act(ctx, e.db, tester, e.r.ID, func(tx *relocation.Tx) error {
		return tx.Get(ctx, &name, `SELECT name FROM relocations WHERE id = $1`, tx.Relocation.ID)
	})
	if err != nil || name != "Renommé" {
		t.Errorf("a read-only action: name %q, err %v", name, err)
	}
}

func TestHandMadeUpdateRaisesTheRevision(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newActionEnv(t)
	m, err := e.s.CreateMilestone(ctx, tester, e.r.ID, relocation.Given(relocation.Milestone{
		Kind: "letter_of_intent", Title: "Lettre d’intention", Planned: mustFuzzy(t, "2021-06"), Source: "JO"}))
	if err != nil {
		t.Fatal(err)
	}
	other, err := e.s.CreateRelocation(ctx, tester, relocation.Given(sampleRelocation(t, "autre")))
	if err != nil {
		t.Fatal(err)
	}
	rev, otherRev := e.revision(t, e.r.ID), e.revision(t, other.ID)
	stamp, err := e.s.Stamp(ctx, tester, e.r.ID)
	if err != nil {
		t.Fatal(err)
	}
	count, err := e.s.ChangeCount(ctx)
	if err != nil {
		t.Fatal(err)
	}

	// Plain SQL, outside any action, as an operator in psql would.
	e.db.MustExec(`UPDATE milestones SET title = 'Lettre d’intention signée' WHERE id = $1`, m.ID)

	if got := e.revision(t, e.r.ID); got <= rev {
		t.Errorf("after a hand-made UPDATE of milestone %d: revision %d, want more than %d", m.ID, got, rev)
	}
	if got := e.revision(t, other.ID); got != otherRev {
		t.Errorf("another relocation's revision moved: %d, was %d", got, otherRev)
	}
	if st, err := e.s.Stamp(ctx, tester, e.r.ID); err != nil || st.Revision <= stamp.Revision {
		t.Errorf("stamp %+v (err %v), want a revision above %d", st, err, stamp.Revision)
	}
	if n, err := e.s.ChangeCount(ctx); err != nil || n <= count {
		t.Errorf("change count %d (err %v), want more than %d", n, err, count)
	}

	// So does a hand-made deletion, and a change of the relocation row itself.
	rev = e.revision(t, e.r.ID)
	e.db.MustExec(`DELETE FROM milestones WHERE id = $1`, m.ID)
	if got := e.revision(t, e.r.ID); got <= rev {
		t.Errorf("after a hand-made DELETE: revision %d, want more than %d", got, rev)
	}
	rev = e.revision(t, e.r.ID)
	e.db.MustExec(`UPDATE relocations SET name = 'Renommé à la main' WHERE id = $1`, e.r.ID)
	if got := e.revision(t, e.r.ID); got <= rev {
		t.Errorf("after a hand-made UPDATE of the relocation: revision %d, want more than %d", got, rev)
	}
}

// TestAnActionRaisesItsRevisionOnce: an action raises its relocation's revision once,
// whatever number of statements it runs (migration 022: the triggers skip the
// relocation the action locked), and an action that changes nothing leaves it; rows of
// another relocation the action changes still raise that one's, and the triggers still
// raise it once the action's transaction is over.
func TestAnActionRaisesItsRevisionOnce(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newActionEnv(t)
	other, err := e.s.CreateRelocation(ctx, tester, relocation.Given(sampleRelocation(t, "voisine")))
	if err != nil {
		t.Fatal(err)
	}
	var ms [3]relocation.Milestone
	for i := range ms {
		ms[i], err = e.s.CreateMilestone(ctx, tester, e.r.ID, relocation.Given(relocation.Milestone{Kind: "other",
			Title: fmt.Sprintf("Jalon %d", i), Planned: mustFuzzy(t, "2022"), Source: "test"}))
		if err != nil {
			t.Fatal(err)
		}
	}
	var otherMilestone int64
	if err := e.db.Get(&otherMilestone, `INSERT INTO milestones (relocation_id, kind, title, planned, planned_start, planned_end, baseline, baseline_end, source)
		VALUES ($1, 'other', 'Jalon voisin', '2023', '2023-01-01', '2023-12-31', '2023', '2023-12-31', 'test') RETURNING id`, other.ID); err != nil {
		t.Fatal(err)
	}

	rev, otherRev := e.revision(t, e.r.ID), e.revision(t, other.ID)
	err = relocation.Act(ctx, e.db, tester, e.r.ID, func(tx *relocation.Tx) error {
		for _, m := range ms { // three statements on the action's relocation
			if err := tx.Write(ctx, `UPDATE milestones SET title = title || ' (revu)' WHERE id = $1`, m.ID); err != nil {
				return err
			}
		}
		// and one on another relocation's row (no action does it; the triggers must hold anyway)
		if err := tx.Write(ctx, `UPDATE milestones SET title = 'Jalon voisin revu' WHERE id = $1`, otherMilestone); err != nil {
			return err
		}
		return tx.Journal(ctx, relocation.EntityMilestone, ms[0].ID, relocation.ActionUpdate,
			map[string]relocation.Change{"title": {Before: "Jalon 0", After: "Jalon 0 (revu)"}})
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := e.revision(t, e.r.ID); got != rev+1 {
		t.Errorf("after one action of four statements: revision %d, want %d (once)", got, rev+1)
	}
	if got := e.revision(t, other.ID); got <= otherRev {
		t.Errorf("the other relocation's row changed in the action: revision %d, want more than %d", got, otherRev)
	}

	rev = e.revision(t, e.r.ID)
	if _, err := e.s.UpdateMilestone(ctx, tester, ms[1].ID, relocation.AnyVersion(),
		func(cur relocation.Milestone) (relocation.Milestone, string, error) { return cur, "", nil }); err != nil {
		t.Fatal(err)
	}
	if got := e.revision(t, e.r.ID); got != rev {
		t.Errorf("after an action that changes nothing: revision %d, want %d", got, rev)
	}

	// After the action, the setting is gone: a hand-made change raises the revision.
	e.db.MustExec(`UPDATE milestones SET title = 'À la main' WHERE id = $1`, ms[2].ID)
	if got := e.revision(t, e.r.ID); got != rev+1 {
		t.Errorf("after a hand-made UPDATE following an action: revision %d, want %d", got, rev+1)
	}
}
