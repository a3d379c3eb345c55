package relocation_test

import (
	"context"
	"testing"

	"github.com/ministere/tracker/migrations/dbtest"
	"github.com/ministere/tracker/relocation"
)

// tester is the program acting with every right: these tests are not about rights
// (action_test.go is).
var tester = relocation.System("test")

// newStore returns a store over a fresh database of its own.
func newStore(t *testing.T) *relocation.Store {
	t.Helper()
	return relocation.NewStore(dbtest.Open(t), relocation.Hooks{})
}

func mustFuzzy(t *testing.T, s string) relocation.FuzzyDate {
	t.Helper()
	d, err := relocation.ParseFuzzyDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func sampleRelocation(t *testing.T, slug string) relocation.Relocation {
	r := relocation.NewRelocation()
	r.Slug, r.Name, r.Body, r.Origin, r.Destination = slug, "Projet "+slug, "ORG", "Paris", "Lille"
	r.Headcount = 10
	r.TargetMove = mustFuzzy(t, "2022-early")
	return r
}

func TestStoreRelocationLifecycle(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := newStore(t)

	created, err := s.CreateRelocation(ctx, tester, relocation.Given(sampleRelocation(t, "alpha")))
	if err != nil {
		t.Fatal(err)
	}
	if created.ID == 0 || created.Version != 1 || created.Status != "announced" || created.SurfaceRatioM2 != 16 {
		t.Fatalf("created = %+v", created)
	}
	if got, computed := created.RequiredSurface(); got != 160 || !computed {
		t.Errorf("required surface = %v (computed %v), want 160 = 10 × 16", got, computed)
	}

	// A duplicate slug is a conflict on the slug field.
	if _, err := s.CreateRelocation(ctx, tester, relocation.Given(sampleRelocation(t, "alpha"))); relocation.ErrorCode(err) != relocation.ECONFLICT {
		t.Errorf("duplicate slug: err = %v, want conflict", err)
	}

	// An update bumps the version and journals the change.
	next := created
	residents := 37.4
	next.Residents = &residents
	updated, err := s.UpdateRelocation(ctx, tester, created.ID, relocation.Version(1), relocation.Replace(next))
	if err != nil {
		t.Fatal(err)
	}
	if updated.Version != 2 {
		t.Errorf("version = %d, want 2", updated.Version)
	}
	if got, _ := updated.RequiredSurface(); got < 598.39 || got > 598.41 {
		t.Errorf("required surface = %v, want 37.4 × 16 = 598.4", got)
	}

	// The same values again change nothing: same version, no journal entry.
	same, err := s.UpdateRelocation(ctx, tester, created.ID, relocation.Version(2), relocation.Replace(updated))
	if err != nil || same.Version != 2 {
		t.Fatalf("no-op update: version %d, err %v", same.Version, err)
	}
	// A stale version is refused.
	if _, err := s.UpdateRelocation(ctx, tester, created.ID, relocation.Version(1), relocation.Replace(next)); relocation.ErrorCode(err) != relocation.EPRECONDITION {
		t.Errorf("stale update: err = %v, want precondition", err)
	}
	if _, err := s.Relocation(ctx, 999999); relocation.ErrorCode(err) != relocation.ENOTFOUND {
		t.Errorf("unknown id: err = %v, want not found", err)
	}

	entries, err := s.Journal(ctx, created.ID, 10, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 2 || entries[0].Action != "update" || entries[1].Action != "create" {
		t.Fatalf("journal = %+v, want update then create", entries)
	}
	if c := entries[0].Changes["residents"]; c.Before != nil || c.After != 37.4 || len(entries[0].Changes) != 1 {
		t.Errorf("journal changes = %+v, want residents nil → 37.4 only", entries[0].Changes)
	}
}

func TestStoreMilestonesOrderHistoryAndDelete(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := newStore(t)
	r, err := s.CreateRelocation(ctx, tester, relocation.Given(sampleRelocation(t, "beta")))
	if err != nil {
		t.Fatal(err)
	}
	// Planned order is start, then end, then id: the day 2021-06-01 sorts before the
	// month 2021-06 (same start, earlier end), which sorts before 2021-06-15.
	var ids []int64
	for _, planned := range []string{"2022", "2021-06", "2022-Q1", "2021-06-15", "2021-06-01"} {
		m, err := s.CreateMilestone(ctx, tester, r.ID, relocation.Given(relocation.Milestone{Kind: "other",
			Title: "Jalon " + planned, Planned: mustFuzzy(t, planned), Source: "test"}))
		if err != nil {
			t.Fatal(err)
		}
		if m.Baseline != m.Planned || m.SlipDays() != 0 {
			t.Errorf("new milestone baseline %v slip %d", m.Baseline, m.SlipDays())
		}
		ids = append(ids, m.ID)
	}
	ms, err := s.Milestones(ctx, r.ID)
	if err != nil {
		t.Fatal(err)
	}
	var order []string
	for _, m := range ms {
		order = append(order, m.Planned.String())
	}
	// 2022 and 2022-Q1 share their start: the year ends later, so the quarter first.
	want := []string{"2021-06-01", "2021-06", "2021-06-15", "2022-Q1", "2022"}
	if len(order) != len(want) {
		t.Fatalf("order = %v", order)
	}
	for i := range want {
		if order[i] != want[i] {
			t.Fatalf("order = %v, want %v", order, want)
		}
	}

	// Moving 2022-Q1 to 2022-mid with a reason: history and slip (Mar 31 → Aug 31 = 153 days).
	m, err := s.Milestone(ctx, ids[2])
	if err != nil {
		t.Fatal(err)
	}
	next := m
	next.Planned = mustFuzzy(t, "2022-mid")
	moved, err := s.UpdateMilestone(ctx, tester, m.ID, relocation.Version(m.Version),
		func(relocation.Milestone) (relocation.Milestone, string, error) {
			return next, "retard du bailleur", nil
		})
	if err != nil {
		t.Fatal(err)
	}
	if moved.SlipDays() != 153 || len(moved.History) != 1 {
		t.Fatalf("slip %d history %+v", moved.SlipDays(), moved.History)
	}
	if h := moved.History[0]; h.From.String() != "2022-Q1" || h.To.String() != "2022-mid" || h.By != "test" || h.Reason != "retard du bailleur" {
		t.Errorf("history = %+v", h)
	}

	// Delete needs the current version; afterwards the milestone is gone.
	if err := s.DeleteMilestone(ctx, tester, m.ID, relocation.Version(m.Version)); relocation.ErrorCode(err) != relocation.EPRECONDITION {
		t.Errorf("stale delete: err = %v", err)
	}
	if err := s.DeleteMilestone(ctx, tester, m.ID, relocation.Version(moved.Version)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Milestone(ctx, m.ID); relocation.ErrorCode(err) != relocation.ENOTFOUND {
		t.Errorf("deleted milestone: err = %v", err)
	}
	// A milestone of an unknown relocation is refused as not found.
	_, err = s.CreateMilestone(ctx, tester, 424242, relocation.Given(relocation.Milestone{Kind: "other",
		Title: "x", Planned: mustFuzzy(t, "2022"), Source: "test"}))
	if relocation.ErrorCode(err) != relocation.ENOTFOUND {
		t.Errorf("unknown relocation: err = %v", err)
	}
}

func TestStoreDatabaseRefusesWhatValidationMissed(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := newStore(t)
	bad := sampleRelocation(t, "gamma")
	bad.Headcount = 0
	if _, err := s.CreateRelocation(ctx, tester, relocation.Given(bad)); relocation.ErrorCode(err) != relocation.EINVALID {
		t.Errorf("headcount 0: err = %v, want invalid from the CHECK constraint", err)
	}
	bad = sampleRelocation(t, "Not A Slug")
	if _, err := s.CreateRelocation(ctx, tester, relocation.Given(bad)); relocation.ErrorCode(err) != relocation.EINVALID {
		t.Errorf("bad slug: err = %v, want invalid", err)
	}
	bad = sampleRelocation(t, "delta")
	bad.Status = "flying"
	if _, err := s.CreateRelocation(ctx, tester, relocation.Given(bad)); relocation.ErrorCode(err) != relocation.EINVALID {
		t.Errorf("bad status: err = %v, want invalid", err)
	}
}
