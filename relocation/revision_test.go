package relocation_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/ministere/tracker/relocation"
)

// A relocation's revision, the stamp kept pages are drawn under, rises with every change
// of its rows, even one made outside any action (a hand-made UPDATE), and only once per
// action.

// revision reads relocation id's revision (also used by action_journal_test.go,
// lock_wait_test.go and read_methods_test.go).
func (e actionEnv) revision(t *testing.T, id int64) int64 {
	t.Helper()
	var rev int64
	if err := e.db.Get(&rev, `SELECT revision FROM relocations WHERE id = $1`, id); err != nil {
		t.Fatal(err)
	}
	return rev
}

// TestHandMadeUpdateRaisesTheRevision: an INSERT, UPDATE or DELETE made by hand, outside
// any action, raises the relocation's revision and the change count.
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

	// A scored site of the other relocation: scores reach their relocation through their site.
	var otherSite, otherCriterion int64
	if err := e.db.Get(&otherSite, `INSERT INTO sites (relocation_id, name, kind) VALUES ($1, 'Site voisin', 'lease') RETURNING id`, other.ID); err != nil {
		t.Fatal(err)
	}
	if err := e.db.Get(&otherCriterion, `SELECT id FROM criteria WHERE relocation_id = $1 AND source = 'manual' LIMIT 1`, other.ID); err != nil {
		if err := e.db.Get(&otherCriterion, `INSERT INTO criteria (relocation_id, name, weight, direction, scale_min, scale_max, source)
			VALUES ($1, 'Critère voisin', 1, 'higher_is_better', 0, 10, 'manual') RETURNING id`, other.ID); err != nil {
			t.Fatal(err)
		}
	}
	e.db.MustExec(`INSERT INTO scores (site_id, criterion_id, value, justification, updated_by) VALUES ($1, $2, 5, 'test', 'test')`, otherSite, otherCriterion)

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
	for _, q := range []string{ // rows that reach the other relocation through a parent
		`UPDATE scores SET value = 6 WHERE site_id = $1`,
		`INSERT INTO milestone_history (milestone_id, from_value, to_value, by) SELECT id, '2023', '2024', 'test' FROM milestones WHERE relocation_id = (SELECT relocation_id FROM sites WHERE id = $1)`,
		`DELETE FROM scores WHERE site_id = $1`,
	} {
		otherRev = e.revision(t, other.ID)
		err = relocation.Act(ctx, e.db, tester, e.r.ID, func(tx *relocation.Tx) error {
			if err := tx.Write(ctx, q, otherSite); err != nil {
				return err
			}
			return tx.Journal(ctx, relocation.EntityMilestone, ms[0].ID, relocation.ActionUpdate,
				map[string]relocation.Change{"notes": {Before: "", After: "x"}})
		})
		if err != nil {
			t.Fatal(err)
		}
		if got := e.revision(t, other.ID); got <= otherRev {
			t.Errorf("%s in an action on another relocation: revision %d, want more than %d", q, got, otherRev)
		}
	}

	rev = e.revision(t, e.r.ID)
	if _, err := e.s.UpdateMilestone(ctx, tester, ms[1].ID, relocation.AnyVersion(),
		func(cur relocation.Milestone) (relocation.Milestone, string, error) { return cur, "", nil }); err != nil {
		t.Fatal(err)
	}
	if got := e.revision(t, e.r.ID); got != rev {
		t.Errorf("after an action that changes nothing: revision %d, want %d", got, rev)
	}

	rev = e.revision(t, e.r.ID)
	if _, err := e.s.UpdateMilestone(ctx, tester, ms[1].ID, relocation.AnyVersion(),
		func(cur relocation.Milestone) (relocation.Milestone, string, error) {
			cur.Title, cur.Planned = "Jalon replanifié", mustFuzzy(t, "2023")
			return cur, "bail signé plus tard", nil
		}); err != nil {
		t.Fatal(err)
	}
	if got := e.revision(t, e.r.ID); got != rev+1 {
		t.Errorf("after a milestone update (history, update at the end): revision %d, want %d", got, rev+1)
	}
	rev = e.revision(t, e.r.ID)
	cur, err := e.s.Relocation(ctx, e.r.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.s.UpdateRelocation(ctx, tester, e.r.ID, relocation.Version(cur.Version),
		func(cur relocation.Relocation) (relocation.Relocation, error) {
			cur.Name = "Projet renommé"
			return cur, nil
		}); err != nil {
		t.Fatal(err)
	}
	if got := e.revision(t, e.r.ID); got != rev+1 {
		t.Errorf("after an update of the relocation's row: revision %d, want %d", got, rev+1)
	}

	rev = e.revision(t, e.r.ID)
	// After the action, the setting is gone: a hand-made change raises the revision.
	e.db.MustExec(`UPDATE milestones SET title = 'À la main' WHERE id = $1`, ms[2].ID)
	if got := e.revision(t, e.r.ID); got != rev+1 {
		t.Errorf("after a hand-made UPDATE following an action: revision %d, want %d", got, rev+1)
	}
}
