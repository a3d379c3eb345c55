package relocation_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/ministere/tracker/relocation"
)

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
