package criteria_test

import (
	"context"
	"errors"
	"math"
	"reflect"
	"testing"

	"github.com/jmoiron/sqlx"

	"github.com/ministere/tracker/criteria"
	"github.com/ministere/tracker/migrations/dbtest"
	"github.com/ministere/tracker/relocation"
	"github.com/ministere/tracker/sites"
)

// tester is the program acting with every right: these tests are not about rights.
var tester = relocation.System("test")

// env is one test's own database with its stores.
type env struct {
	db    *sqlx.DB
	rel   *relocation.Store
	sites *sites.Store
	crit  *criteria.Store
}

func newEnv(t *testing.T) env {
	t.Helper()
	db := dbtest.Open(t)
	return env{db: db, rel: criteria.NewRelocationStore(db), sites: sites.NewStore(db), crit: criteria.NewStore(db)}
}

func ptr[T any](v T) *T { return &v }

func code(err error) string { return relocation.ErrorCode(err) }

func sampleRelocation(t *testing.T, slug string) relocation.Relocation {
	t.Helper()
	r := relocation.NewRelocation()
	r.Slug, r.Name, r.Body, r.Origin, r.Destination = slug, "Projet "+slug, "CLEISS", "Paris", "Seine-Saint-Denis (93)"
	r.Headcount = 140 // × 16 m² = 2,240 m² required
	d, err := relocation.ParseFuzzyDate("2022-early")
	if err != nil {
		t.Fatal(err)
	}
	r.TargetMove = d
	return r
}

// relocationWithGrid creates a relocation with the default grid, as the API and the demo
// do (the store's CreateHook is criteria.DefaultGrid).
func (e env) relocationWithGrid(t *testing.T, slug string) relocation.Relocation {
	t.Helper()
	r, err := e.rel.CreateRelocation(context.Background(), tester, relocation.Given(sampleRelocation(t, slug)))
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// grid returns the relocation's criteria: surface, visibility, commute, métiers.
func (e env) grid(t *testing.T, rid int64) []criteria.Criterion {
	t.Helper()
	cs, err := e.crit.Criteria(context.Background(), rid)
	if err != nil {
		t.Fatal(err)
	}
	return cs
}

func (e env) criterion(t *testing.T, id int64) criteria.Criterion {
	t.Helper()
	c, err := e.crit.Criterion(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func (e env) site(t *testing.T, rid int64, name string, surface *float64) sites.Site {
	t.Helper()
	s, err := e.sites.CreateSite(context.Background(), tester, rid, relocation.Given(sites.Site{Name: name, Kind: "lease",
		SurfaceM2: surface, Status: sites.StatusCandidate}))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func (e env) journal(t *testing.T, rid int64) []relocation.Entry {
	t.Helper()
	entries, err := e.rel.Journal(context.Background(), rid, 1000, 0)
	if err != nil {
		t.Fatal(err)
	}
	return entries
}

func (e env) scores(t *testing.T, rid int64) []criteria.Score {
	t.Helper()
	out, err := e.crit.Scores(context.Background(), rid)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func (e env) count(t *testing.T, table string) int {
	t.Helper()
	var n int
	if err := e.db.Get(&n, `SELECT count(*) FROM `+table); err != nil {
		t.Fatal(err)
	}
	return n
}

func (e env) setScore(t *testing.T, siteID, criterionID int64, v float64, why string) criteria.Score {
	t.Helper()
	sc, _, err := e.crit.SetScore(context.Background(), tester, siteID, criterionID, relocation.Unconditional(), value(v, why))
	if err != nil {
		t.Fatal(err)
	}
	return sc
}

// value is SetScore's input giving v and why.
func value(v float64, why string) func() (float64, string, error) {
	return func() (float64, string, error) { return v, why, nil }
}

// checkEntry checks one journal entry exactly (changes decoded from JSON: numbers are float64).
func checkEntry(t *testing.T, got relocation.Entry, entity string, entityID int64, action string, changes map[string]relocation.Change) {
	t.Helper()
	if got.Entity != entity || got.EntityID != entityID || got.Action != action || got.By != "test" {
		t.Errorf("entry = %s %d %s by %q, want %s %d %s by test", got.Entity, got.EntityID, got.Action, got.By, entity, entityID, action)
	}
	if !reflect.DeepEqual(got.Changes, changes) {
		t.Errorf("%s %d %s changes:\n got %v\nwant %v", entity, entityID, action, got.Changes, changes)
	}
}

// fieldsOf returns the field names of an EINVALID error.
func fieldsOf(err error) []string {
	var e *relocation.Error
	if !errors.As(err, &e) {
		return nil
	}
	out := []string{}
	for _, f := range e.Fields {
		out = append(out, f.Field)
	}
	return out
}

// sameCriterion compares two criteria, times with Equal.
func sameCriterion(t *testing.T, what string, got, want criteria.Criterion) {
	t.Helper()
	if !got.CreatedAt.Equal(want.CreatedAt) || !got.UpdatedAt.Equal(want.UpdatedAt) {
		t.Errorf("%s: times %v/%v, want %v/%v", what, got.CreatedAt, got.UpdatedAt, want.CreatedAt, want.UpdatedAt)
	}
	got.CreatedAt, got.UpdatedAt = want.CreatedAt, want.UpdatedAt
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s:\n got %+v\nwant %+v", what, got, want)
	}
}

func TestDefaultGridOfANewRelocation(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	r := e.relocationWithGrid(t, "cleiss")
	cs := e.grid(t, r.ID)
	type row struct {
		name, source, direction string
		min, max                float64
		threshold               *float64
		weight                  float64
	}
	want := []row{
		{"Surface nécessaire et offres immobilières", "surface_coverage", "higher_is_better", 0, 1.5, ptr(1.0), 30},
		{"Visibilité et accessibilité", "manual", "higher_is_better", 0, 10, nil, 25},
		{"Situation des agents, temps de trajet", "commute_median", "lower_is_better", 0, 120, nil, 25},
		{"Nécessités des métiers et pratiques de travail", "manual", "higher_is_better", 0, 10, nil, 20},
	}
	if len(cs) != len(want) {
		t.Fatalf("%d criteria, want 4: %+v", len(cs), cs)
	}
	for i, w := range want {
		c := cs[i]
		got := row{c.Name, c.Source, c.Direction, c.ScaleMin, c.ScaleMax, c.Threshold, c.Weight}
		if !reflect.DeepEqual(got, w) || c.RelocationID != r.ID || c.Version != 1 || c.Description != "" || c.ID == 0 {
			t.Errorf("criterion %d = %+v, want %+v", i, c, w)
		}
		if i > 0 && c.ID <= cs[i-1].ID {
			t.Errorf("criteria not in id order: %d after %d", c.ID, cs[i-1].ID)
		}
	}

	// Each default criterion is journaled as a creation, after the relocation's.
	entries := e.journal(t, r.ID)
	if len(entries) != 5 {
		t.Fatalf("journal has %d entries, want 5", len(entries))
	}
	if last := entries[4]; last.Entity != "relocation" || last.Action != "create" {
		t.Errorf("oldest entry = %+v, want the relocation's creation", last)
	}
	checkEntry(t, entries[3], "criterion", cs[0].ID, "create", map[string]relocation.Change{
		"name": {After: "Surface nécessaire et offres immobilières"}, "description": {After: ""},
		"weight": {After: 30.0}, "direction": {After: "higher_is_better"}, "scale_min": {After: 0.0},
		"scale_max": {After: 1.5}, "threshold": {After: 1.0}, "source": {After: "surface_coverage"}, "active": {After: true},
	})
	checkEntry(t, entries[0], "criterion", cs[3].ID, "create", map[string]relocation.Change{
		"name": {After: "Nécessités des métiers et pratiques de travail"}, "description": {After: ""},
		"weight": {After: 20.0}, "direction": {After: "higher_is_better"}, "scale_min": {After: 0.0},
		"scale_max": {After: 10.0}, "source": {After: "manual"}, "active": {After: true},
	})

	// The defaults belong to the creation's transaction: when it fails, no criteria remain.
	failing := relocation.NewStore(e.db, relocation.Hooks{Created: func(ctx context.Context, tx *relocation.Tx) error {
		if err := criteria.DefaultGrid(ctx, tx); err != nil {
			return err
		}
		return relocation.Errorf(relocation.EINVALID, "échec voulu")
	}})
	_, err := failing.CreateRelocation(context.Background(), tester, relocation.Given(sampleRelocation(t, "rate")))
	if code(err) != relocation.EINVALID {
		t.Fatalf("failing creation: err = %v", err)
	}
	if n := e.count(t, "criteria"); n != 4 {
		t.Errorf("%d criteria stored after a failed creation, want the first relocation's 4", n)
	}
	if n := e.count(t, "relocations"); n != 1 {
		t.Errorf("%d relocations stored, want 1", n)
	}
}

func TestCriterionCreateUpdate(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newEnv(t)
	r := e.relocationWithGrid(t, "cleiss")
	cost := criteria.Criterion{RelocationID: r.ID, Name: "Coût annuel", Description: "Loyer et charges",
		Weight: 12.5, Direction: criteria.LowerIsBetter, ScaleMin: 0, ScaleMax: 2e6, Source: criteria.SourceManual, Active: true}
	created, err := e.crit.CreateCriterion(ctx, tester, r.ID, relocation.Given(cost))
	if err != nil {
		t.Fatal(err)
	}
	want := cost
	want.ID, want.Version, want.CreatedAt, want.UpdatedAt = created.ID, 1, created.CreatedAt, created.UpdatedAt
	sameCriterion(t, "created", created, want)
	sameCriterion(t, "read back", e.criterion(t, created.ID), want)
	if cs := e.grid(t, r.ID); len(cs) != 5 || cs[4].ID != created.ID {
		t.Errorf("grid = %+v, want the new criterion fifth", cs)
	}
	checkEntry(t, e.journal(t, r.ID)[0], "criterion", created.ID, "create", map[string]relocation.Change{
		"name": {After: "Coût annuel"}, "description": {After: "Loyer et charges"}, "weight": {After: 12.5},
		"direction": {After: "lower_is_better"}, "scale_min": {After: 0.0}, "scale_max": {After: 2e6},
		"source": {After: "manual"}, "active": {After: true},
	})
	if _, err := e.crit.Criterion(ctx, 424242); code(err) != relocation.ENOTFOUND {
		t.Errorf("unknown criterion: err = %v, want not found", err)
	}

	// Refused creations write nothing.
	with := func(f func(*criteria.Criterion)) criteria.Criterion { c := cost; f(&c); return c }
	for _, tc := range []struct {
		name string
		c    criteria.Criterion
		code string
	}{
		{"unknown relocation", with(func(c *criteria.Criterion) { c.RelocationID = 424242 }), relocation.ENOTFOUND},
		{"zero weight", with(func(c *criteria.Criterion) { c.Weight = 0 }), relocation.EINVALID},
		{"negative weight", with(func(c *criteria.Criterion) { c.Weight = -5 }), relocation.EINVALID},
		{"empty scale", with(func(c *criteria.Criterion) { c.ScaleMin, c.ScaleMax = 3, 3 }), relocation.EINVALID},
		{"reversed scale", with(func(c *criteria.Criterion) { c.ScaleMin, c.ScaleMax = 10, 0 }), relocation.EINVALID},
		{"unknown direction", with(func(c *criteria.Criterion) { c.Direction = "sideways" }), relocation.EINVALID},
		{"unknown source", with(func(c *criteria.Criterion) { c.Source = "oracle" }), relocation.EINVALID},
		{"blank name", with(func(c *criteria.Criterion) { c.Name = "  " }), relocation.EINVALID},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := e.crit.CreateCriterion(ctx, tester, tc.c.RelocationID, relocation.Given(tc.c)); code(err) != tc.code {
				t.Errorf("err = %v (%s), want %s", err, code(err), tc.code)
			}
		})
	}
	if n := e.count(t, "criteria"); n != 5 {
		t.Errorf("%d criteria after refusals, want 5", n)
	}
	if n := len(e.journal(t, r.ID)); n != 6 {
		t.Errorf("journal has %d entries after refusals, want 6", n)
	}

	// Update with the version: bumped, journaled field by field.
	next := created
	next.Weight, next.Threshold = 15, ptr(1.5e6)
	updated, err := e.crit.UpdateCriterion(ctx, tester, created.ID, relocation.Version(1), relocation.Replace(next))
	if err != nil {
		t.Fatal(err)
	}
	if updated.Version != 2 || updated.Weight != 15 || updated.Threshold == nil || *updated.Threshold != 1.5e6 ||
		!updated.UpdatedAt.After(created.UpdatedAt) {
		t.Fatalf("updated = %+v", updated)
	}
	checkEntry(t, e.journal(t, r.ID)[0], "criterion", created.ID, "update", map[string]relocation.Change{
		"weight": {Before: 12.5, After: 15.0}, "threshold": {Before: nil, After: 1.5e6},
	})
	stale := updated
	stale.Name = "Coût"
	if _, err := e.crit.UpdateCriterion(ctx, tester, created.ID, relocation.Version(1), relocation.Replace(stale)); code(err) != relocation.EPRECONDITION {
		t.Errorf("stale update: err = %v, want precondition", err)
	}
	same, err := e.crit.UpdateCriterion(ctx, tester, created.ID, relocation.Version(2), relocation.Replace(updated))
	if err != nil {
		t.Fatal(err)
	}
	sameCriterion(t, "no-op update", same, updated)
	bad := updated
	bad.ScaleMin = 3e6
	if _, err := e.crit.UpdateCriterion(ctx, tester, created.ID, relocation.Version(2), relocation.Replace(bad)); code(err) != relocation.EINVALID {
		t.Errorf("reversed scale: err = %v, want invalid", err)
	}
	if _, err := e.crit.UpdateCriterion(ctx, tester, 424242, relocation.Version(1), relocation.Replace(updated)); code(err) != relocation.ENOTFOUND {
		t.Errorf("unknown criterion: err = %v, want not found", err)
	}
	sameCriterion(t, "after refusals", e.criterion(t, created.ID), updated)
	if n := len(e.journal(t, r.ID)); n != 7 {
		t.Errorf("journal has %d entries after no-op and refusals, want 7", n)
	}
	// Clearing the threshold journals it back to null.
	cleared := updated
	cleared.Threshold = nil
	if got, err := e.crit.UpdateCriterion(ctx, tester, created.ID, relocation.Version(2), relocation.Replace(cleared)); err != nil || got.Version != 3 || got.Threshold != nil {
		t.Fatalf("clear threshold: %+v, %v", got, err)
	}
	checkEntry(t, e.journal(t, r.ID)[0], "criterion", created.ID, "update", map[string]relocation.Change{
		"threshold": {Before: 1.5e6, After: nil},
	})
}

func TestCriterionDeleteRemovesItsScores(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newEnv(t)
	r := e.relocationWithGrid(t, "cleiss")
	cs := e.grid(t, r.ID)
	visibility, metiers := cs[1], cs[3]
	a := e.site(t, r.ID, "Bas Montreuil", nil)
	b := e.site(t, r.ID, "Locaux partenaire", nil)
	e.setScore(t, a.ID, visibility.ID, 8, "métro")
	e.setScore(t, b.ID, visibility.ID, 6, "RER")
	kept := e.setScore(t, a.ID, metiers.ID, 7, "open space")
	journalBefore := len(e.journal(t, r.ID))

	if err := e.crit.DeleteCriterion(ctx, tester, visibility.ID, relocation.Version(2)); code(err) != relocation.EPRECONDITION {
		t.Errorf("stale delete: err = %v, want precondition", err)
	}
	if n := len(e.scores(t, r.ID)); n != 3 {
		t.Errorf("%d scores after a refused delete, want 3", n)
	}
	if err := e.crit.DeleteCriterion(ctx, tester, visibility.ID, relocation.Version(1)); err != nil {
		t.Fatal(err)
	}
	if _, err := e.crit.Criterion(ctx, visibility.ID); code(err) != relocation.ENOTFOUND {
		t.Errorf("deleted criterion: err = %v, want not found", err)
	}
	if got := e.grid(t, r.ID); len(got) != 3 || got[0].ID != cs[0].ID || got[1].ID != cs[2].ID || got[2].ID != cs[3].ID {
		t.Errorf("grid after delete = %+v", got)
	}
	scores := e.scores(t, r.ID)
	if len(scores) != 1 || scores[0].SiteID != kept.SiteID || scores[0].CriterionID != kept.CriterionID {
		t.Errorf("scores after delete = %+v, want only the métiers score of a", scores)
	}
	entries := e.journal(t, r.ID)
	if len(entries) != journalBefore+1 {
		t.Fatalf("journal grew by %d entries, want 1", len(entries)-journalBefore)
	}
	checkEntry(t, entries[0], "criterion", visibility.ID, "delete", map[string]relocation.Change{
		"name": {Before: "Visibilité et accessibilité"}, "description": {Before: ""}, "weight": {Before: 25.0},
		"direction": {Before: "higher_is_better"}, "scale_min": {Before: 0.0}, "scale_max": {Before: 10.0},
		"source": {Before: "manual"}, "active": {Before: true},
	})
	if err := e.crit.DeleteCriterion(ctx, tester, visibility.ID, relocation.Version(1)); code(err) != relocation.ENOTFOUND {
		t.Errorf("second delete: err = %v, want not found", err)
	}
}

// pairs compares every pair of cs once, in id order, with the value v gives.
func pairs(cs []criteria.Criterion, v func(a, b criteria.Criterion) float64) []criteria.Comparison {
	var out []criteria.Comparison
	for i := range cs {
		for j := i + 1; j < len(cs); j++ {
			out = append(out, criteria.Comparison{A: cs[i].ID, B: cs[j].ID, Value: v(cs[i], cs[j])})
		}
	}
	return out
}

func equally(a, b criteria.Criterion) float64 { return 1 }

// TestApplyAHP is what TestApplyWeights checked, through ApplyAHP, which replaced
// ApplyWeights: the comparisons are made over the grid as read under the relocation's
// lock, only changed weights are written and journaled, and refusals write nothing.
func TestApplyAHP(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newEnv(t)
	r := e.relocationWithGrid(t, "cleiss")
	other := e.relocationWithGrid(t, "autre")
	cs, foreign := e.grid(t, r.ID), e.grid(t, other.ID)
	surface, visibility, commute, metiers := cs[0], cs[1], cs[2], cs[3]
	journalBefore := len(e.journal(t, r.ID))

	// Every criterion as important as the others: weights 25 each (exactly: the power
	// iteration from the uniform vector stops at once), so only surface (30) and métiers
	// (20) change; visibility and commute already weigh 25.
	var seen []criteria.Criterion
	out, err := e.crit.ApplyAHP(ctx, tester, r.ID, func(grid []criteria.Criterion) ([]criteria.Comparison, error) {
		seen = grid
		return pairs(grid, equally), nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(seen) != 4 {
		t.Fatalf("input was given %d criteria, want the grid's 4", len(seen))
	}
	for i := range cs {
		sameCriterion(t, "criterion given to input", seen[i], cs[i])
	}
	if !out.Applied || out.ConsistencyRatio != 0 || len(out.Weights) != 4 || out.Worst == nil {
		t.Fatalf("outcome = %+v, want applied with ratio 0", out)
	}
	for _, c := range cs {
		if w := out.Weights[c.ID]; w != 0.25 {
			t.Errorf("weight of %s = %v, want 0.25", c.Name, w)
		}
	}
	got := e.grid(t, r.ID)
	for i, w := range []struct {
		weight  float64
		version int
	}{{25, 2}, {25, 1}, {25, 1}, {25, 2}} {
		if got[i].Weight != w.weight || got[i].Version != w.version {
			t.Errorf("%s: weight %v version %d, want %v and %d", got[i].Name, got[i].Weight, got[i].Version, w.weight, w.version)
		}
	}
	sameCriterion(t, "untouched visibility", got[1], visibility)
	sameCriterion(t, "untouched commute", got[2], commute)
	entries := e.journal(t, r.ID)
	if len(entries) != journalBefore+3 {
		t.Fatalf("journal grew by %d entries, want 3 (two weights and the ratio)", len(entries)-journalBefore)
	}
	// The weighting's entry keeps the ratio and the comparisons it came from (the note
	// quotes both), as JSON numbers.
	var recorded []any
	for _, c := range pairs(cs, equally) {
		recorded = append(recorded, map[string]any{"a": float64(c.A), "b": float64(c.B), "value": c.Value})
	}
	checkEntry(t, entries[0], "ahp", r.ID, "update", map[string]relocation.Change{"consistency_ratio": {Before: nil, After: 0.0},
		"comparisons": {Before: nil, After: recorded}})
	checkEntry(t, entries[1], "criterion", metiers.ID, "update", map[string]relocation.Change{"weight": {Before: 20.0, After: 25.0}})
	checkEntry(t, entries[2], "criterion", surface.ID, "update", map[string]relocation.Change{"weight": {Before: 30.0, After: 25.0}})

	// The same comparisons again change nothing: no version, no journal entry, not even
	// the ratio's.
	again, err := e.crit.ApplyAHP(ctx, tester, r.ID, func(grid []criteria.Criterion) ([]criteria.Comparison, error) {
		return pairs(grid, equally), nil
	})
	if err != nil || !again.Applied {
		t.Fatalf("same comparisons again: %+v, %v", again, err)
	}
	for i, c := range e.grid(t, r.ID) {
		sameCriterion(t, "after the same comparisons", c, got[i])
	}
	if n := len(e.journal(t, r.ID)); n != journalBefore+3 {
		t.Errorf("journal has %d entries after the same comparisons, want %d", n, journalBefore+3)
	}

	// Comparisons naming a criterion of another relocation (or an unknown one), leaving a
	// pair out (once a stale grid, EPRECONDITION, when weights were computed outside the
	// transaction; now the input is built from the grid read under lock, so an invalid
	// input), or off the Saaty scale are refused, and nothing changes, even the weights of
	// this relocation's criteria compared alongside. The input's own error comes back as is.
	with := func(extra ...criteria.Comparison) func([]criteria.Criterion) ([]criteria.Comparison, error) {
		return func(grid []criteria.Criterion) ([]criteria.Comparison, error) {
			return append(pairs(grid, func(a, b criteria.Criterion) float64 { return 3 }), extra...), nil
		}
	}
	for _, tc := range []struct {
		name  string
		input func([]criteria.Criterion) ([]criteria.Comparison, error)
		code  string
	}{
		{"another relocation's criterion", with(criteria.Comparison{A: surface.ID, B: foreign[1].ID, Value: 2}), relocation.EINVALID},
		{"unknown criterion", with(criteria.Comparison{A: surface.ID, B: 424242, Value: 2}), relocation.EINVALID},
		{"a criterion compared with itself", with(criteria.Comparison{A: surface.ID, B: surface.ID, Value: 1}), relocation.EINVALID},
		{"a pair compared twice", with(criteria.Comparison{A: metiers.ID, B: surface.ID, Value: 2}), relocation.EINVALID},
		{"a pair left out", func(grid []criteria.Criterion) ([]criteria.Comparison, error) {
			return pairs(grid, equally)[1:], nil
		}, relocation.EINVALID},
		{"off the Saaty scale", func(grid []criteria.Criterion) ([]criteria.Comparison, error) {
			comps := pairs(grid, equally)
			comps[0].Value = 10
			return comps, nil
		}, relocation.EINVALID},
		{"the input's own error", func([]criteria.Criterion) ([]criteria.Comparison, error) {
			return nil, relocation.Errorf(relocation.EBADREQUEST, "illisible")
		}, relocation.EBADREQUEST},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, err := e.crit.ApplyAHP(ctx, tester, r.ID, tc.input)
			if code(err) != tc.code {
				t.Fatalf("err = %v, want %s", err, tc.code)
			}
			if tc.code == relocation.EINVALID && !reflect.DeepEqual(fieldsOf(err), []string{"comparisons"}) {
				t.Errorf("fields = %v, want comparisons", fieldsOf(err))
			}
			if out.Applied {
				t.Errorf("outcome = %+v, want not applied", out)
			}
		})
	}

	// Inconsistent comparisons (a cycle: surface > visibility > commute > surface) are
	// reported with their ratio and the worst pair, and change nothing.
	cyclic, err := e.crit.ApplyAHP(ctx, tester, r.ID, func(grid []criteria.Criterion) ([]criteria.Comparison, error) {
		return pairs(grid, func(a, b criteria.Criterion) float64 {
			switch {
			case a.ID == surface.ID && b.ID == visibility.ID, a.ID == visibility.ID && b.ID == commute.ID:
				return 9
			case a.ID == surface.ID && b.ID == commute.ID:
				return 1.0 / 9
			}
			return 1
		}), nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if cyclic.Applied || cyclic.ConsistencyRatio <= criteria.MaxConsistencyRatio || cyclic.Worst == nil {
		t.Errorf("inconsistent comparisons: %+v, want not applied, ratio above %v and a worst pair", cyclic, criteria.MaxConsistencyRatio)
	}

	after := e.grid(t, r.ID)
	for i := range got {
		sameCriterion(t, "after refusals", after[i], got[i])
	}
	sameCriterion(t, "foreign criterion", e.criterion(t, foreign[1].ID), foreign[1])
	if n := len(e.journal(t, r.ID)); n != journalBefore+3 {
		t.Errorf("journal has %d entries after refusals, want %d", n, journalBefore+3)
	}
	if n := len(e.journal(t, other.ID)); n != 5 {
		t.Errorf("other relocation's journal has %d entries, want 5", n)
	}
}

func TestSetScore(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newEnv(t)
	r := e.relocationWithGrid(t, "cleiss")
	other := e.relocationWithGrid(t, "autre")
	cs, foreign := e.grid(t, r.ID), e.grid(t, other.ID)
	surface, visibility, commute, metiers := cs[0], cs[1], cs[2], cs[3]
	a := e.site(t, r.ID, "Bas Montreuil", ptr(2400.0))
	unscored := e.site(t, r.ID, "Sans note", nil)
	foreignSite := e.site(t, other.ID, "Ailleurs", nil)
	journalBefore := len(e.journal(t, r.ID))

	// Creation: version 1, justification trimmed, who entered it.
	sc, created, err := e.crit.SetScore(ctx, tester, a.ID, visibility.ID, relocation.Unconditional(), value(7, "  Métro ligne 9 à 200 m  "))
	if err != nil {
		t.Fatal(err)
	}
	if !created || sc.Version != 1 || sc.SiteID != a.ID || sc.CriterionID != visibility.ID || sc.Value != 7 ||
		sc.Justification != "Métro ligne 9 à 200 m" || sc.UpdatedBy != "test" || sc.UpdatedAt.IsZero() {
		t.Fatalf("created score = %+v (created %v)", sc, created)
	}
	entries := e.journal(t, r.ID)
	if len(entries) != journalBefore+1 {
		t.Fatalf("journal grew by %d entries, want 1", len(entries)-journalBefore)
	}
	checkEntry(t, entries[0], "score", a.ID, "create", map[string]relocation.Change{
		"value": {After: 7.0}, "justification": {After: "Métro ligne 9 à 200 m"},
		"criterion_id": {Before: float64(visibility.ID), After: float64(visibility.ID)},
	})

	// The same value and justification (after trimming): nothing changes.
	for name, pre := range map[string]relocation.Precondition{"unconditional": relocation.Unconditional(), "version 1": relocation.Version(1)} {
		same, created, err := e.crit.SetScore(ctx, tester, a.ID, visibility.ID, pre, value(7, "Métro ligne 9 à 200 m "))
		if err != nil || created || same.Version != 1 || !same.UpdatedAt.Equal(sc.UpdatedAt) {
			t.Errorf("no-op (%s): %+v created %v err %v", name, same, created, err)
		}
	}
	if n := len(e.journal(t, r.ID)); n != journalBefore+1 {
		t.Errorf("journal has %d entries after no-ops, want %d", n, journalBefore+1)
	}

	// Update: version 2, only the changed field journaled.
	up, created, err := e.crit.SetScore(ctx, tester, a.ID, visibility.ID, relocation.Version(1), value(8, "Métro ligne 9 à 200 m"))
	if err != nil {
		t.Fatal(err)
	}
	if created || up.Version != 2 || up.Value != 8 || !up.UpdatedAt.After(sc.UpdatedAt) {
		t.Fatalf("updated score = %+v (created %v)", up, created)
	}
	checkEntry(t, e.journal(t, r.ID)[0], "score", a.ID, "update", map[string]relocation.Change{
		"value":        {Before: 7.0, After: 8.0},
		"criterion_id": {Before: float64(visibility.ID), After: float64(visibility.ID)},
	})
	up, _, err = e.crit.SetScore(ctx, tester, a.ID, visibility.ID, relocation.Version(2), value(8, "Métro et RER"))
	if err != nil || up.Version != 3 {
		t.Fatalf("justification change: %+v, %v", up, err)
	}
	checkEntry(t, e.journal(t, r.ID)[0], "score", a.ID, "update", map[string]relocation.Change{
		"justification": {Before: "Métro ligne 9 à 200 m", After: "Métro et RER"},
		"criterion_id":  {Before: float64(visibility.ID), After: float64(visibility.ID)},
	})
	// The scale's bounds are inside it.
	if lo, _, err := e.crit.SetScore(ctx, tester, a.ID, metiers.ID, relocation.Unconditional(), value(0, "rien")); err != nil || lo.Value != 0 {
		t.Errorf("value 0 (scale min): %+v, %v", lo, err)
	}
	if hi, _, err := e.crit.SetScore(ctx, tester, a.ID, metiers.ID, relocation.Unconditional(), value(10, "tout")); err != nil || hi.Value != 10 || hi.Version != 2 {
		t.Errorf("value 10 (scale max): %+v, %v", hi, err)
	}
	stored := e.scores(t, r.ID)
	journalNow := len(e.journal(t, r.ID))

	// Refusals: nothing is written.
	for _, tc := range []struct {
		name       string
		site, crit int64
		value      float64
		why        string
		pre        relocation.Precondition // zero: unconditional
		code       string
		fields     []string // for EINVALID
	}{
		{name: "above the scale", site: a.ID, crit: visibility.ID, value: 10.5, why: "x", code: relocation.EINVALID, fields: []string{"value"}},
		{name: "below the scale", site: a.ID, crit: visibility.ID, value: -0.1, why: "x", code: relocation.EINVALID, fields: []string{"value"}},
		{name: "infinite", site: a.ID, crit: visibility.ID, value: math.Inf(1), why: "x", code: relocation.EINVALID, fields: []string{"value"}},
		{name: "out of scale and no justification", site: a.ID, crit: visibility.ID, value: 11, why: "", code: relocation.EINVALID, fields: []string{"value", "justification"}},
		{name: "empty justification", site: a.ID, crit: visibility.ID, value: 5, why: "", code: relocation.EINVALID, fields: []string{"justification"}},
		{name: "blank justification", site: a.ID, crit: visibility.ID, value: 5, why: " \t\n ", code: relocation.EINVALID, fields: []string{"justification"}},
		{name: "computed surface_coverage", site: a.ID, crit: surface.ID, value: 1, why: "x", code: relocation.EINVALID, fields: []string{"value"}},
		{name: "computed commute_median", site: a.ID, crit: commute.ID, value: 40, why: "x", code: relocation.EINVALID, fields: []string{"value"}},
		{name: "criterion of another relocation", site: a.ID, crit: foreign[1].ID, value: 5, why: "x", code: relocation.EINVALID, fields: []string{"criterion_id"}},
		{name: "site of another relocation", site: foreignSite.ID, crit: visibility.ID, value: 5, why: "x", code: relocation.EINVALID, fields: []string{"criterion_id"}},
		{name: "unknown site", site: 424242, crit: visibility.ID, value: 5, why: "x", code: relocation.ENOTFOUND},
		{name: "unknown criterion", site: a.ID, crit: 424242, value: 5, why: "x", code: relocation.ENOTFOUND},
		{name: "stale version", site: a.ID, crit: visibility.ID, value: 9, why: "x", pre: relocation.Version(2), code: relocation.EPRECONDITION},
		{name: "version of a score that does not exist", site: unscored.ID, crit: metiers.ID, value: 9, why: "x", pre: relocation.Version(1), code: relocation.EPRECONDITION},
		// Regression: NaN once passed the scale check (it compares false both ways).
		{name: "NaN", site: a.ID, crit: visibility.ID, value: math.NaN(), why: "x", code: relocation.EINVALID, fields: []string{"value"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := e.crit.SetScore(ctx, tester, tc.site, tc.crit, tc.pre, value(tc.value, tc.why))
			if code(err) != tc.code {
				t.Errorf("err = %v (%s), want %s", err, code(err), tc.code)
				return
			}
			if tc.fields != nil && !reflect.DeepEqual(fieldsOf(err), tc.fields) {
				t.Errorf("fields = %v, want %v", fieldsOf(err), tc.fields)
			}
		})
	}
	if got := e.scores(t, r.ID); !reflect.DeepEqual(got, stored) {
		t.Errorf("scores after refusals:\n got %+v\nwant %+v", got, stored)
	}
	if n := len(e.journal(t, r.ID)); n != journalNow {
		t.Errorf("journal has %d entries after refusals, want %d", n, journalNow)
	}
	if n := e.count(t, "scores"); n != 2 {
		t.Errorf("%d scores stored, want 2", n)
	}
	// Scores lists the relocation's scores by site, then criterion.
	if len(stored) != 2 || stored[0].CriterionID != visibility.ID || stored[1].CriterionID != metiers.ID ||
		stored[0].Value != 8 || stored[1].Value != 10 || stored[0].Justification != "Métro et RER" {
		t.Errorf("scores = %+v", stored)
	}
	if got := e.scores(t, other.ID); len(got) != 0 {
		t.Errorf("other relocation's scores = %+v, want none", got)
	}
}

func TestGridAlternativesAndRanking(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newEnv(t)
	r := e.relocationWithGrid(t, "cleiss") // 140 agents × 16 m² = 2,240 m²
	if req, computed := r.RequiredSurface(); req != 2240 || !computed {
		t.Fatalf("required surface = %v (computed %v), want 2240", req, computed)
	}
	cs := e.grid(t, r.ID)
	surface, visibility, commute, metiers := cs[0], cs[1], cs[2], cs[3]
	montreuil := e.site(t, r.ID, "Bas Montreuil", ptr(2400.0))
	partner := e.site(t, r.ID, "Locaux partenaire", ptr(1500.0))
	atThreshold := e.site(t, r.ID, "Site au seuil", ptr(2240.0))
	unknown := e.site(t, r.ID, "Site sans surface", nil)
	for _, s := range []struct {
		site        sites.Site
		vis, metier float64
	}{{montreuil, 8, 7}, {partner, 6, 9}, {atThreshold, 5, 5}, {unknown, 5, 5}} {
		e.setScore(t, s.site.ID, visibility.ID, s.vis, "valeur d’illustration")
		e.setScore(t, s.site.ID, metiers.ID, s.metier, "valeur d’illustration")
	}

	g, err := e.crit.Grid(ctx, r)
	if err != nil {
		t.Fatal(err)
	}
	if len(g.Criteria) != 4 || len(g.Sites) != 4 || len(g.Scores) != 8 || g.Relocation.ID != r.ID {
		t.Fatalf("grid: %d criteria, %d sites, %d scores", len(g.Criteria), len(g.Sites), len(g.Scores))
	}
	const coverMontreuil = 1.0714285714285714 // 2400 / 2240
	const coverPartner = 0.6696428571428571   // 1500 / 2240
	alts := g.Alternatives()
	want := []criteria.Alternative{
		{SiteID: montreuil.ID, Name: "Bas Montreuil", Values: map[int64]float64{surface.ID: coverMontreuil, visibility.ID: 8, metiers.ID: 7}},
		{SiteID: partner.ID, Name: "Locaux partenaire", Values: map[int64]float64{surface.ID: coverPartner, visibility.ID: 6, metiers.ID: 9}},
		{SiteID: atThreshold.ID, Name: "Site au seuil", Values: map[int64]float64{surface.ID: 1, visibility.ID: 5, metiers.ID: 5}},
		{SiteID: unknown.ID, Name: "Site sans surface", Values: map[int64]float64{visibility.ID: 5, metiers.ID: 5}},
	}
	if !reflect.DeepEqual(alts, want) {
		t.Fatalf("alternatives:\n got %+v\nwant %+v", alts, want)
	}
	// Each cell says where its value comes from, or why it has none.
	for _, tc := range []struct {
		name            string
		site, crit      int64
		value           *float64
		origin, missing string
	}{
		{"an entered score", montreuil.ID, visibility.ID, ptr(8.0), criteria.OriginManual, ""},
		{"a computed coverage", montreuil.ID, surface.ID, ptr(coverMontreuil), criteria.OriginSurface, ""},
		{"a site without surface", unknown.ID, surface.ID, nil, criteria.OriginSurface, criteria.MissingSurface},
		{"a commute without roster", montreuil.ID, commute.ID, nil, criteria.OriginCommute, criteria.MissingRoster},
	} {
		c := g.Cell(tc.site, tc.crit)
		if c.SiteID != tc.site || c.CriterionID != tc.crit || !reflect.DeepEqual(c.Value, tc.value) || c.Origin != tc.origin || c.Missing != tc.missing {
			t.Errorf("cell of %s = %+v (value %v), want value %v origin %q missing %q", tc.name, c, deref(c.Value), deref(tc.value), tc.origin, tc.missing)
		}
	}
	if c := g.Cell(montreuil.ID, visibility.ID); c.Score == nil || c.Score.Justification != "valeur d’illustration" || c.Score.Version != 1 {
		t.Errorf("entered cell's score = %+v, want the score itself", c.Score)
	}
	if c := g.Cell(montreuil.ID, surface.ID); c.SurfaceM2 != 2400 || c.Required != 2240 || c.Score != nil {
		t.Errorf("coverage cell = %+v, want the terms 2400 and 2240 and no score", c)
	}
	blank := criteria.Grid{Relocation: r, Criteria: g.Criteria, Sites: g.Sites} // no score entered
	if c := blank.Cell(montreuil.ID, visibility.ID); c.Value != nil || c.Score != nil || c.Origin != criteria.OriginManual || c.Missing != criteria.MissingScore {
		t.Errorf("manual cell without a score = %+v, want missing score", c)
	}
	if math.Abs(alts[0].Values[surface.ID]-1.0714285714) > 1e-10 || math.Abs(alts[1].Values[surface.ID]-0.6696) > 1e-4 {
		t.Errorf("coverages = %v, %v", alts[0].Values[surface.ID], alts[1].Values[surface.ID])
	}

	// With the commute criterion still missing (no roster), every site is incomplete; the
	// partner's premises are also eliminated by the surface threshold.
	ranking := g.Rank()
	type outcome struct {
		site         int64
		rank         *int
		score        *float64
		eliminated   bool
		eliminatedBy []int64
		incomplete   bool
		missing      []int64
	}
	outcomes := func(rk criteria.Ranking) []outcome {
		out := []outcome{}
		for _, it := range rk.Items {
			out = append(out, outcome{it.SiteID, it.Rank, it.Score, it.Eliminated, it.EliminatedBy, it.Incomplete, it.Missing})
		}
		return out
	}
	wantIncomplete := []outcome{
		{montreuil.ID, nil, nil, false, []int64{}, true, []int64{commute.ID}},
		{partner.ID, nil, nil, true, []int64{surface.ID}, true, []int64{commute.ID}},
		{atThreshold.ID, nil, nil, false, []int64{}, true, []int64{commute.ID}},
		{unknown.ID, nil, nil, false, []int64{}, true, []int64{surface.ID, commute.ID}},
	}
	if got := outcomes(ranking); !reflect.DeepEqual(got, wantIncomplete) {
		t.Errorf("ranking with commute missing:\n got %+v\nwant %+v", got, wantIncomplete)
	}
	if ranking.Method != "weighted_sum" || ranking.Sensitivity != nil {
		t.Errorf("method %q sensitivity %v", ranking.Method, ranking.Sensitivity)
	}

	// Without the commute criterion: Montreuil first, the site at exactly the threshold
	// (coverage 1.0, not strictly below) second, the partner eliminated « faute d'espaces
	// disponibles » with its score kept, the site without surface incomplete.
	if err := e.crit.DeleteCriterion(ctx, tester, commute.ID, relocation.Version(commute.Version)); err != nil {
		t.Fatal(err)
	}
	if g, err = e.crit.Grid(ctx, r); err != nil {
		t.Fatal(err)
	}
	ranking = g.Rank()
	score := func(cover, vis, met float64) float64 { // weights 30, 25, 20
		return 100 * (30*(cover/1.5) + 25*(vis/10) + 20*(met/10)) / 75
	}
	sMontreuil, sSeuil, sPartner := score(coverMontreuil, 8, 7), score(1, 5, 5), score(coverPartner, 6, 9)
	if math.Abs(sMontreuil-73.9047619047619) > 1e-9 || math.Abs(sSeuil-56.666666666666664) > 1e-9 || math.Abs(sPartner-61.857142857142854) > 1e-9 {
		t.Fatalf("hand-computed scores %v %v %v", sMontreuil, sSeuil, sPartner)
	}
	got := outcomes(ranking)
	if len(got) != 4 {
		t.Fatalf("ranking = %+v", got)
	}
	checkRanked := func(o outcome, site int64, rank int, s float64) {
		t.Helper()
		if o.site != site || o.rank == nil || *o.rank != rank || o.score == nil || math.Abs(*o.score-s) > 1e-9 ||
			o.eliminated || o.incomplete || len(o.eliminatedBy) != 0 || len(o.missing) != 0 {
			t.Errorf("ranked item = %+v (rank %v score %v), want site %d rank %d score %v", o, deref(o.rank), deref(o.score), site, rank, s)
		}
	}
	checkRanked(got[0], montreuil.ID, 1, sMontreuil)
	checkRanked(got[1], atThreshold.ID, 2, sSeuil)
	if o := got[2]; o.site != partner.ID || o.rank != nil || o.score == nil || math.Abs(*o.score-sPartner) > 1e-9 ||
		!o.eliminated || !reflect.DeepEqual(o.eliminatedBy, []int64{surface.ID}) || o.incomplete || len(o.missing) != 0 {
		t.Errorf("partner = %+v (score %v), want eliminated by the surface criterion with score %v", o, deref(o.score), sPartner)
	}
	if o := got[3]; o.site != unknown.ID || o.rank != nil || o.score != nil || o.eliminated ||
		!o.incomplete || !reflect.DeepEqual(o.missing, []int64{surface.ID}) {
		t.Errorf("site without surface = %+v, want incomplete missing the surface criterion", o)
	}
	if len(ranking.Sensitivity) != 3 {
		t.Errorf("sensitivity = %+v, want one interval per criterion", ranking.Sensitivity)
	}
	// The partner's breakdown still shows its coverage.
	if b := ranking.Items[2].Breakdown; len(b) != 3 || b[0].CriterionID != surface.ID || b[0].Value == nil || *b[0].Value != coverPartner {
		t.Errorf("partner breakdown = %+v", b)
	}

	// A required surface set by hand replaces residents × ratio: 2400 / 3000 = 0.8, and
	// every site with a surface falls below the threshold.
	// (A new Grid: a Grid derives its cells once, on first use.)
	byHand := r
	byHand.RequiredSurfaceM2 = ptr(3000.0)
	g = criteria.Grid{Relocation: byHand, Criteria: g.Criteria, Sites: g.Sites, Scores: g.Scores}
	if v := g.Alternatives()[0].Values[surface.ID]; v != 0.8 {
		t.Errorf("coverage with 3000 m² required = %v, want 0.8", v)
	}
	if c := g.Cell(montreuil.ID, surface.ID); c.Value == nil || *c.Value != 0.8 || c.SurfaceM2 != 2400 || c.Required != 3000 {
		t.Errorf("Montreuil's surface cell with 3000 m² required = %+v, want 2400 / 3000", c)
	}
	for _, it := range g.Rank().Items[:3] {
		if it.Rank != nil || !it.Eliminated || !reflect.DeepEqual(it.EliminatedBy, []int64{surface.ID}) {
			t.Errorf("with 3000 m² required, %s: rank %v eliminated by %v", it.Name, deref(it.Rank), it.EliminatedBy)
		}
	}
}

func deref[T any](p *T) any {
	if p == nil {
		return nil
	}
	return *p
}
