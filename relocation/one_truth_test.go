package relocation_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

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

// TestWritesOnTwoRelocationsDoNotWait: while an action on one relocation holds its lock
// (and has written and journaled), a milestone update on another relocation commits: no
// row is shared by every write. An update of another milestone of the held relocation
// waits for it (the relocation's lock, not the milestone's), then answers what the
// database holds.
func TestWritesOnTwoRelocationsDoNotWait(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	e := newActionEnv(t)
	other, err := e.s.CreateRelocation(ctx, tester, relocation.Given(sampleRelocation(t, "voisine")))
	if err != nil {
		t.Fatal(err)
	}
	milestone := func(relocationID int64) relocation.Milestone {
		m, err := e.s.CreateMilestone(ctx, tester, relocationID, relocation.Given(relocation.Milestone{Kind: "other",
			Title: "Jalon", Planned: mustFuzzy(t, "2022"), Source: "test"}))
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	held, sibling, free := milestone(e.r.ID), milestone(e.r.ID), milestone(other.ID)
	retitle := func(title string) func(relocation.Milestone) (relocation.Milestone, string, error) {
		return func(cur relocation.Milestone) (relocation.Milestone, string, error) {
			cur.Title = title
			return cur, "", nil
		}
	}

	inside, release, done := make(chan struct{}), make(chan struct{}), make(chan error, 1)
	var once sync.Once
	free1 := func() { once.Do(func() { close(release) }) }
	t.Cleanup(free1) // a failed check must not leave the held action open
	go func() {
		done <- relocation.Act(ctx, e.db, tester, e.r.ID, func(tx *relocation.Tx) error {
			if err := tx.Write(ctx, `UPDATE milestones SET title = 'Tenu' WHERE id = $1`, held.ID); err != nil {
				return err
			}
			if err := tx.Journal(ctx, relocation.EntityMilestone, held.ID, relocation.ActionUpdate,
				map[string]relocation.Change{"title": {Before: "Jalon", After: "Tenu"}}); err != nil {
				return err
			}
			close(inside)
			<-release
			return nil
		})
	}()
	<-inside
	if _, err := e.s.UpdateMilestone(ctx, tester, free.ID, relocation.AnyVersion(), retitle("Libre")); err != nil {
		t.Fatalf("a write on another relocation, while the first is held: %v", err)
	}
	type answer struct {
		m   relocation.Milestone
		err error
	}
	waiting := make(chan answer, 1)
	go func() {
		m, err := e.s.UpdateMilestone(ctx, tester, sibling.ID, relocation.AnyVersion(), retitle("Après"))
		waiting <- answer{m, err}
	}()
	select {
	case a := <-waiting:
		t.Fatalf("a write on another milestone of the held relocation did not wait (err %v)", a.err)
	case <-time.After(300 * time.Millisecond):
	}
	free1()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	a := <-waiting
	if a.err != nil {
		t.Fatal(a.err)
	}
	stored, err := e.s.Milestone(ctx, sibling.ID)
	if err != nil {
		t.Fatal(err)
	}
	if a.m.Title != "Après" || a.m.Version != stored.Version || a.m.Title != stored.Title ||
		!a.m.UpdatedAt.Equal(stored.UpdatedAt) || stored.Version != sibling.Version+1 {
		t.Errorf("answered %q v%d at %v; stored %q v%d at %v (was v%d)", a.m.Title, a.m.Version, a.m.UpdatedAt,
			stored.Title, stored.Version, stored.UpdatedAt, sibling.Version)
	}
}

// TestAnActionReadsWhatCommittedWhileItWaited: an update that waited for its
// relocation's lock while another action re-planned the same milestone answers the
// milestone with that re-plan in its history (not the history as it was when its
// statement began), and journals from the committed values.
func TestAnActionReadsWhatCommittedWhileItWaited(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	e := newActionEnv(t)
	m, err := e.s.CreateMilestone(ctx, tester, e.r.ID, relocation.Given(relocation.Milestone{Kind: "other",
		Title: "Jalon", Planned: mustFuzzy(t, "2026"), Source: "test"}))
	if err != nil {
		t.Fatal(err)
	}
	inside, release, done := make(chan struct{}), make(chan struct{}), make(chan error, 1)
	var once sync.Once
	free := func() { once.Do(func() { close(release) }) }
	t.Cleanup(free)
	go func() {
		done <- relocation.Act(ctx, e.db, tester, e.r.ID, func(tx *relocation.Tx) error {
			if err := tx.Write(ctx, `UPDATE milestones SET planned = '2027', planned_start = '2027-01-01',
				planned_end = '2027-12-31', version = version + 1 WHERE id = $1`, m.ID); err != nil {
				return err
			}
			if err := tx.Write(ctx, `INSERT INTO milestone_history (milestone_id, from_value, to_value, by, reason)
				VALUES ($1, '2026', '2027', 'test', 'retard du bail')`, m.ID); err != nil {
				return err
			}
			if err := tx.Journal(ctx, relocation.EntityMilestone, m.ID, relocation.ActionUpdate,
				map[string]relocation.Change{"planned": {Before: "2026", After: "2027"}}); err != nil {
				return err
			}
			close(inside)
			<-release
			return nil
		})
	}()
	<-inside
	type answer struct {
		m   relocation.Milestone
		err error
	}
	waiting := make(chan answer, 1)
	go func() {
		got, err := e.s.UpdateMilestone(ctx, tester, m.ID, relocation.AnyVersion(),
			func(cur relocation.Milestone) (relocation.Milestone, string, error) {
				cur.Title = "Jalon renommé"
				return cur, "", nil
			})
		waiting <- answer{got, err}
	}()
	time.Sleep(200 * time.Millisecond) // let the update reach the lock and wait there
	free()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	a := <-waiting
	if a.err != nil {
		t.Fatal(a.err)
	}
	if a.m.Planned.String() != "2027" || len(a.m.History) != 1 || a.m.History[0].Reason != "retard du bail" {
		t.Errorf("answered planned %s with history %+v, want 2027 and the committed re-plan", a.m.Planned, a.m.History)
	}
	if a.m.Version != m.Version+2 {
		t.Errorf("answered version %d, want %d", a.m.Version, m.Version+2)
	}
	entries, err := e.s.Journal(ctx, e.r.ID, 1, 0)
	if err != nil || len(entries) != 1 {
		t.Fatalf("journal: %v, %v", entries, err)
	}
	if c := entries[0].Changes["title"]; c.Before != "Jalon" || c.After != "Jalon renommé" || len(entries[0].Changes) != 1 {
		t.Errorf("journaled %+v, want only the title", entries[0].Changes)
	}
}

// TestReadMethodsRefuseWrites: an action cannot change rows through Get, Select or Query
// (only the write methods make it raise its relocation's revision); locking reads pass.
func TestReadMethodsRefuseWrites(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newActionEnv(t)
	rev := e.revision(t, e.r.ID)
	err := relocation.Act(ctx, e.db, tester, e.r.ID, func(tx *relocation.Tx) error {
		var n int
		if err := tx.Get(ctx, &n, `SELECT count(*) FROM milestones WHERE relocation_id = $1`, e.r.ID); err != nil {
			t.Errorf("a read: %v", err)
		}
		var ids []int64
		if err := tx.Select(ctx, &ids, `WITH m AS (SELECT id FROM milestones WHERE relocation_id = $1 FOR UPDATE) SELECT id FROM m`, e.r.ID); err != nil {
			t.Errorf("a locking read: %v", err)
		}
		for _, q := range []string{
			`UPDATE relocations SET name = 'x' WHERE id = $1 RETURNING version`,
			"\n\tUPDATE\n\t\trelocations SET name = 'x' WHERE id = $1 RETURNING version",
			"DELETE\tFROM journal WHERE relocation_id = $1 RETURNING 1",
			`  insert into journal (by, relocation_id, entity, entity_id, action) values ('x', $1, 'x', 1, 'create') returning id`,
			`WITH d AS (DELETE FROM milestones WHERE relocation_id = $1 RETURNING id) SELECT count(*) FROM d`,
			`WITH u AS (UPDATE relocations r SET name = 'y' WHERE id = $1 RETURNING 1) SELECT count(*) FROM u`,
		} {
			if err := tx.Get(ctx, &n, q, e.r.ID); !errors.Is(err, relocation.ErrWriteInRead) {
				t.Errorf("Get(%q) = %v, want ErrWriteInRead", q, err)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := e.revision(t, e.r.ID); got != rev {
		t.Errorf("revision %d after an action that changed nothing, want %d", got, rev)
	}
}
