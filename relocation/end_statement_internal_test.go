package relocation

import (
	"context"
	"errors"
	"testing"

	"github.com/ministere/tracker/migrations/dbtest"
)

// TestShiftParams: parameters are renumbered by the offset, quoted literals and
// identifiers are left as they are.
func TestShiftParams(t *testing.T) {
	cases := []struct {
		in   string
		by   int
		want string
	}{
		{`UPDATE m SET a = $2 WHERE id = $1`, 13, `UPDATE m SET a = $15 WHERE id = $14`},
		{`SELECT $10, $1`, 3, `SELECT $13, $4`},
		{`SELECT '$1', "$2", $3`, 10, `SELECT '$1', "$2", $13`},
		{`SELECT 'it''s $1', $1`, 1, `SELECT 'it''s $1', $2`},
		{`SELECT $1`, 0, `SELECT $1`},
		{`no parameter at all`, 5, `no parameter at all`},
		{`trailing $`, 5, `trailing $`},
	}
	for _, c := range cases {
		if got := shiftParams(c.in, c.by); got != c.want {
			t.Errorf("shiftParams(%q, %d) = %q, want %q", c.in, c.by, got, c.want)
		}
	}
}

// TestWritesLeftToTheEndChangeTheirRow: a write left to the end that changes no row (its
// row gone, or changed twice in the end statement, where PostgreSQL would keep one change
// silently) or that targets the relocations row fails the action, and nothing is kept.
func TestWritesLeftToTheEndChangeTheirRow(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := dbtest.Open(t)
	s := NewStore(db, Hooks{})
	by := System("test")
	sample := NewRelocation()
	sample.Slug, sample.Name, sample.Body, sample.Origin, sample.Destination = "projet", "Projet", "ORG", "Paris", "Lille"
	sample.Headcount, sample.TargetMove = 10, mustParse(t, "2022-early")
	r, err := s.CreateRelocation(ctx, by, Given(sample))
	if err != nil {
		t.Fatal(err)
	}
	m, err := s.CreateMilestone(ctx, by, r.ID, Given(Milestone{Kind: "other", Title: "Jalon",
		Planned: mustParse(t, "2022"), Source: "test"}))
	if err != nil {
		t.Fatal(err)
	}
	journal := func(tx *Tx) error {
		return tx.Journal(ctx, EntityMilestone, m.ID, ActionUpdate, map[string]Change{"title": {Before: "a", After: "b"}})
	}
	cases := map[string]func(tx *Tx){
		"no such row": func(tx *Tx) { tx.writeAtEnd(`UPDATE milestones SET title = $2 WHERE id = $1`, m.ID+1000, "x") },
		"one row twice": func(tx *Tx) {
			tx.writeAtEnd(`UPDATE milestones SET title = $2 WHERE id = $1`, m.ID, "x")
			tx.writeAtEnd(`UPDATE milestones SET notes = $2 WHERE id = $1`, m.ID, "y")
		},
		"the relocations row": func(tx *Tx) { tx.writeAtEnd(`UPDATE relocations SET name = $2 WHERE id = $1`, r.ID, "x") },
	}
	for name, write := range cases {
		err := Act(ctx, db, by, r.ID, func(tx *Tx) error {
			write(tx)
			return journal(tx)
		})
		if !errors.Is(err, errEndWrite) {
			t.Errorf("%s: %v, want errEndWrite", name, err)
		}
	}
	got, err := s.Milestone(ctx, m.ID)
	if err != nil || got.Title != "Jalon" || got.Notes != "" || got.Version != m.Version {
		t.Errorf("milestone after refused actions: %+v (err %v)", got, err)
	}
	if err := Act(ctx, db, by, r.ID, func(tx *Tx) error {
		tx.writeAtEnd(`UPDATE milestones SET title = $2 WHERE id = $1`, m.ID, "Jalon revu")
		return journal(tx)
	}); err != nil {
		t.Fatal(err)
	}
	if got, err := s.Milestone(ctx, m.ID); err != nil || got.Title != "Jalon revu" {
		t.Errorf("after a write left to the end: %q (err %v)", got.Title, err)
	}
}

func mustParse(t *testing.T, s string) FuzzyDate {
	t.Helper()
	d, err := ParseFuzzyDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}
