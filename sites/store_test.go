package sites_test

import (
	"context"
	"errors"
	"reflect"
	"sync"
	"testing"

	"github.com/jmoiron/sqlx"

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
}

func newEnv(t *testing.T) env {
	t.Helper()
	db := dbtest.Open(t)
	return env{db: db, rel: relocation.NewStore(db, relocation.Hooks{}), sites: sites.NewStore(db)}
}

func mustFuzzy(t *testing.T, s string) relocation.FuzzyDate {
	t.Helper()
	d, err := relocation.ParseFuzzyDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func ptr[T any](v T) *T { return &v }

// relocationFor creates a relocation with the given slug.
func (e env) relocationFor(t *testing.T, slug string) relocation.Relocation {
	t.Helper()
	r := relocation.NewRelocation()
	r.Slug, r.Name, r.Body, r.Origin, r.Destination = slug, "Projet "+slug, "CLEISS", "Paris", "Seine-Saint-Denis (93)"
	r.Headcount = 140
	r.TargetMove = mustFuzzy(t, "2022-early")
	out, err := e.rel.CreateRelocation(context.Background(), tester, relocation.Given(r))
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func (e env) relocation(t *testing.T, id int64) relocation.Relocation {
	t.Helper()
	r, err := e.rel.Relocation(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func (e env) site(t *testing.T, id int64) sites.Site {
	t.Helper()
	s, err := e.sites.Site(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// mustCreate creates a candidate site of relocation rid.
func (e env) mustCreate(t *testing.T, rid int64, name string) sites.Site {
	t.Helper()
	s, err := e.sites.CreateSite(context.Background(), tester, rid,
		relocation.Given(sites.Site{Name: name, Kind: "lease", Status: sites.StatusCandidate}))
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

func (e env) siteCount(t *testing.T) int {
	t.Helper()
	var n int
	if err := e.db.Get(&n, `SELECT count(*) FROM sites`); err != nil {
		t.Fatal(err)
	}
	return n
}

// sameSite compares two sites field by field (times with Equal).
func sameSite(t *testing.T, what string, got, want sites.Site) {
	t.Helper()
	if !got.CreatedAt.Equal(want.CreatedAt) || !got.UpdatedAt.Equal(want.UpdatedAt) {
		t.Errorf("%s: times %v/%v, want %v/%v", what, got.CreatedAt, got.UpdatedAt, want.CreatedAt, want.UpdatedAt)
	}
	got.CreatedAt, got.UpdatedAt = want.CreatedAt, want.UpdatedAt
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s:\n got %+v\nwant %+v", what, got, want)
	}
}

// checkEntry checks one journal entry exactly (changes as decoded from JSON: numbers
// are float64).
func checkEntry(t *testing.T, got relocation.Entry, entity string, entityID int64, action string, changes map[string]relocation.Change) {
	t.Helper()
	if got.Entity != entity || got.EntityID != entityID || got.Action != action || got.By != "test" {
		t.Errorf("entry = %s %d %s by %q, want %s %d %s by test", got.Entity, got.EntityID, got.Action, got.By, entity, entityID, action)
	}
	if !reflect.DeepEqual(got.Changes, changes) {
		t.Errorf("%s %d %s changes:\n got %v\nwant %v", entity, entityID, action, got.Changes, changes)
	}
}

func code(err error) string { return relocation.ErrorCode(err) }

func TestSiteCreateReadList(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newEnv(t)
	r := e.relocationFor(t, "cleiss")
	other := e.relocationFor(t, "autre")

	// Only name, kind and the default status: every optional field stays empty.
	minimal, err := e.sites.CreateSite(ctx, tester, r.ID, relocation.Given(sites.Site{Name: "Locaux partenaire",
		Kind: "colocation", Status: sites.StatusCandidate}))
	if err != nil {
		t.Fatal(err)
	}
	if minimal.ID == 0 || minimal.RelocationID != r.ID || minimal.Version != 1 || minimal.Status != "candidate" ||
		minimal.Name != "Locaux partenaire" || minimal.Kind != "colocation" || minimal.Address != "" ||
		minimal.Commune != "" || minimal.Department != "" || minimal.Lat != nil || minimal.Lon != nil ||
		minimal.SurfaceM2 != nil || minimal.AnnualCostEUR != nil || !minimal.AvailableFrom.IsZero() ||
		minimal.DecisionReason != "" || minimal.CreatedAt.IsZero() || !minimal.CreatedAt.Equal(minimal.UpdatedAt) {
		t.Fatalf("minimal site = %+v", minimal)
	}

	full := sites.Site{RelocationID: r.ID, Name: "Bas Montreuil", Address: "12 rue de Paris", Commune: "Montreuil",
		Department: "Seine-Saint-Denis (93)", Lat: ptr(48.8589), Lon: ptr(2.4314), Kind: "lease", SurfaceM2: ptr(2400.0),
		AnnualCostEUR: ptr(1.2e6), AvailableFrom: mustFuzzy(t, "2021-06"), Status: "shortlisted"}
	created, err := e.sites.CreateSite(ctx, tester, r.ID, relocation.Given(full))
	if err != nil {
		t.Fatal(err)
	}
	want := full
	want.ID, want.Version, want.CreatedAt, want.UpdatedAt = created.ID, 1, created.CreatedAt, created.UpdatedAt
	sameSite(t, "created", created, want)
	sameSite(t, "read back", e.site(t, created.ID), want)
	sameSite(t, "minimal read back", e.site(t, minimal.ID), minimal)

	// A site of another relocation does not show in this one's list.
	elsewhere := e.mustCreate(t, other.ID, "Ailleurs")

	list, err := e.sites.Sites(ctx, r.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 || list[0].ID != minimal.ID || list[1].ID != created.ID {
		t.Fatalf("list = %+v, want ids %d, %d", list, minimal.ID, created.ID)
	}
	sameSite(t, "listed", list[1], want)
	if list, err := e.sites.Sites(ctx, other.ID); err != nil || len(list) != 1 || list[0].ID != elsewhere.ID {
		t.Errorf("other relocation's list = %+v, %v", list, err)
	}
	if list, err := e.sites.Sites(ctx, 424242); err != nil || list == nil || len(list) != 0 {
		t.Errorf("unknown relocation's list = %#v, %v, want an empty non-nil list", list, err)
	}
	if _, err := e.sites.Site(ctx, 424242); code(err) != relocation.ENOTFOUND {
		t.Errorf("unknown site: err = %v, want not found", err)
	}

	// Creating a site changes nothing on the relocation (no chosen site, same version).
	if got := e.relocation(t, r.ID); got.Version != 1 || got.ChosenSiteID != nil {
		t.Errorf("relocation after creating candidates: version %d chosen %v", got.Version, got.ChosenSiteID)
	}

	// The journal records each creation with every field that has a value.
	entries := e.journal(t, r.ID)
	if len(entries) != 3 { // relocation create, two site creates
		t.Fatalf("journal has %d entries, want 3: %+v", len(entries), entries)
	}
	checkEntry(t, entries[0], "site", created.ID, "create", map[string]relocation.Change{
		"name": {After: "Bas Montreuil"}, "address": {After: "12 rue de Paris"}, "commune": {After: "Montreuil"},
		"department": {After: "Seine-Saint-Denis (93)"}, "lat": {After: 48.8589}, "lon": {After: 2.4314},
		"kind": {After: "lease"}, "surface_m2": {After: 2400.0}, "annual_cost_eur": {After: 1.2e6},
		"available_from": {After: "2021-06"}, "status": {After: "shortlisted"}, "decision_reason": {After: ""},
	})
	checkEntry(t, entries[1], "site", minimal.ID, "create", map[string]relocation.Change{
		"name": {After: "Locaux partenaire"}, "address": {After: ""}, "commune": {After: ""},
		"department": {After: ""}, "kind": {After: "colocation"}, "status": {After: "candidate"},
		"decision_reason": {After: ""},
	})
}

func TestSiteCreateRefused(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newEnv(t)
	r := e.relocationFor(t, "cleiss")
	base := sites.Site{RelocationID: r.ID, Name: "Site", Kind: "lease", Status: sites.StatusCandidate}
	with := func(f func(*sites.Site)) sites.Site { s := base; f(&s); return s }

	cases := []struct {
		name string
		site sites.Site
		code string
	}{
		{"unknown relocation", with(func(s *sites.Site) { s.RelocationID = 424242 }), relocation.ENOTFOUND},
		{"rejected without reason", with(func(s *sites.Site) { s.Status = sites.StatusRejected }), relocation.EINVALID},
		{"selected without reason", with(func(s *sites.Site) { s.Status = sites.StatusSelected }), relocation.EINVALID},
		{"selected with a blank reason", with(func(s *sites.Site) { s.Status, s.DecisionReason = sites.StatusSelected, "   " }), relocation.EINVALID},
		{"blank name", with(func(s *sites.Site) { s.Name = "   " }), relocation.EINVALID},
		{"unknown kind", with(func(s *sites.Site) { s.Kind = "tent" }), relocation.EINVALID},
		{"unknown status", with(func(s *sites.Site) { s.Status = "maybe" }), relocation.EINVALID},
		{"zero surface", with(func(s *sites.Site) { s.SurfaceM2 = ptr(0.0) }), relocation.EINVALID},
		{"negative cost", with(func(s *sites.Site) { s.AnnualCostEUR = ptr(-1.0) }), relocation.EINVALID},
		{"latitude out of range", with(func(s *sites.Site) { s.Lat = ptr(91.0) }), relocation.EINVALID},
		{"longitude out of range", with(func(s *sites.Site) { s.Lon = ptr(-180.5) }), relocation.EINVALID},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := e.sites.CreateSite(ctx, tester, tc.site.RelocationID, relocation.Given(tc.site)); code(err) != tc.code {
				t.Errorf("err = %v (%s), want %s", err, code(err), tc.code)
			}
		})
	}
	// Nothing was written: no site, no journal entry beyond the relocation's creation.
	if n := e.siteCount(t); n != 0 {
		t.Errorf("%d sites stored, want 0", n)
	}
	if entries := e.journal(t, r.ID); len(entries) != 1 {
		t.Errorf("journal has %d entries, want only the relocation's creation", len(entries))
	}
	// A rejected site with a reason is fine.
	if _, err := e.sites.CreateSite(ctx, tester, r.ID, relocation.Given(with(func(s *sites.Site) {
		s.Status, s.DecisionReason = sites.StatusRejected, "faute d’espaces disponibles"
	}))); err != nil {
		t.Errorf("rejected with a reason: %v", err)
	}
}

func TestSiteReasonOfWhitespaceOnlyRefused(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newEnv(t)
	r := e.relocationFor(t, "cleiss")
	// Regression: the CHECK once used btrim, which strips spaces only, so a reason of
	// tabs and newlines passed.
	_, err := e.sites.CreateSite(ctx, tester, r.ID, relocation.Given(sites.Site{Name: "Site", Kind: "lease",
		Status: sites.StatusSelected, DecisionReason: "\t\n"}))
	if code(err) != relocation.EINVALID {
		t.Errorf("selected with a reason of a tab and a newline: err = %v, want invalid", err)
	}
}

func TestSiteUpdateVersionsAndJournal(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newEnv(t)
	r := e.relocationFor(t, "cleiss")
	s := e.mustCreate(t, r.ID, "Bas Montreuil")

	next := s
	next.SurfaceM2 = ptr(2400.0)
	next.Status = "shortlisted"
	next.AvailableFrom = mustFuzzy(t, "2022-Q1")
	updated, err := e.sites.UpdateSite(ctx, tester, s.ID, relocation.Version(1), relocation.Replace(next))
	if err != nil {
		t.Fatal(err)
	}
	if updated.Version != 2 || *updated.SurfaceM2 != 2400 || updated.Status != "shortlisted" ||
		updated.AvailableFrom.String() != "2022-Q1" || !updated.UpdatedAt.After(s.UpdatedAt) || !updated.CreatedAt.Equal(s.CreatedAt) {
		t.Fatalf("updated = %+v", updated)
	}
	sameSite(t, "read back", e.site(t, s.ID), updated)

	entries := e.journal(t, r.ID)
	if len(entries) != 3 {
		t.Fatalf("journal has %d entries, want 3", len(entries))
	}
	checkEntry(t, entries[0], "site", s.ID, "update", map[string]relocation.Change{
		"surface_m2":     {Before: nil, After: 2400.0},
		"status":         {Before: "candidate", After: "shortlisted"},
		"available_from": {Before: nil, After: "2022-Q1"},
	})

	// A stale version is refused and changes nothing.
	stale := updated
	stale.Name = "Autre nom"
	if _, err := e.sites.UpdateSite(ctx, tester, s.ID, relocation.Version(1), relocation.Replace(stale)); code(err) != relocation.EPRECONDITION {
		t.Errorf("stale update: err = %v, want precondition", err)
	}
	// The same values again: same version, same updated_at, no journal entry.
	same, err := e.sites.UpdateSite(ctx, tester, s.ID, relocation.Version(2), relocation.Replace(updated))
	if err != nil {
		t.Fatal(err)
	}
	sameSite(t, "no-op update", same, updated)
	// Refused by the CHECK: rejected without a reason.
	bad := updated
	bad.Status = sites.StatusRejected
	if _, err := e.sites.UpdateSite(ctx, tester, s.ID, relocation.Version(2), relocation.Replace(bad)); code(err) != relocation.EINVALID {
		t.Errorf("rejected without reason: err = %v, want invalid", err)
	}
	bad.Status, bad.DecisionReason = sites.StatusSelected, " "
	if _, err := e.sites.UpdateSite(ctx, tester, s.ID, relocation.Version(2), relocation.Replace(bad)); code(err) != relocation.EINVALID {
		t.Errorf("selected with a blank reason: err = %v, want invalid", err)
	}
	if _, err := e.sites.UpdateSite(ctx, tester, 424242, relocation.Version(1), relocation.Replace(updated)); code(err) != relocation.ENOTFOUND {
		t.Errorf("unknown site: err = %v, want not found", err)
	}
	sameSite(t, "after refusals", e.site(t, s.ID), updated)
	if n := len(e.journal(t, r.ID)); n != 3 {
		t.Errorf("journal has %d entries after no-op and refusals, want 3", n)
	}
	if got := e.relocation(t, r.ID); got.Version != 1 || got.ChosenSiteID != nil {
		t.Errorf("relocation: version %d chosen %v, want 1 and none", got.Version, got.ChosenSiteID)
	}

	// Rejecting with a reason works and journals both fields.
	rejected := updated
	rejected.Status, rejected.DecisionReason = sites.StatusRejected, "faute d’espaces disponibles"
	got, err := e.sites.UpdateSite(ctx, tester, s.ID, relocation.Version(2), relocation.Replace(rejected))
	if err != nil || got.Version != 3 {
		t.Fatalf("reject: version %d, err %v", got.Version, err)
	}
	checkEntry(t, e.journal(t, r.ID)[0], "site", s.ID, "update", map[string]relocation.Change{
		"status":          {Before: "shortlisted", After: "rejected"},
		"decision_reason": {Before: "", After: "faute d’espaces disponibles"},
	})
	if got := e.relocation(t, r.ID); got.Version != 1 || got.ChosenSiteID != nil {
		t.Errorf("relocation after rejecting: version %d chosen %v, want 1 and none", got.Version, got.ChosenSiteID)
	}
}

func TestSiteSelectionSetsChosenSite(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newEnv(t)
	r := e.relocationFor(t, "cleiss")
	a := e.mustCreate(t, r.ID, "Bas Montreuil")
	b := e.mustCreate(t, r.ID, "Locaux partenaire")

	// Selecting a: the relocation's chosen site, version bumped and journaled, same transaction.
	selA := a
	selA.Status, selA.DecisionReason = sites.StatusSelected, "surface suffisante, bonne desserte"
	a, err := e.sites.UpdateSite(ctx, tester, a.ID, relocation.Version(1), relocation.Replace(selA))
	if err != nil {
		t.Fatal(err)
	}
	if a.Version != 2 || a.Status != "selected" {
		t.Fatalf("selected site = %+v", a)
	}
	rel := e.relocation(t, r.ID)
	if rel.ChosenSiteID == nil || *rel.ChosenSiteID != a.ID || rel.Version != 2 || !rel.UpdatedAt.After(r.UpdatedAt) {
		t.Fatalf("relocation after selecting: chosen %v version %d, want %d and 2", rel.ChosenSiteID, rel.Version, a.ID)
	}
	entries := e.journal(t, r.ID)
	if len(entries) != 5 { // relocation create, 2 site creates, site update, relocation update
		t.Fatalf("journal has %d entries, want 5", len(entries))
	}
	// The status follows the selection (the relocation was announced).
	checkEntry(t, entries[0], "relocation", r.ID, "update", map[string]relocation.Change{
		"chosen_site_id": {Before: nil, After: float64(a.ID)}, "status": {Before: "announced", After: "site_selected"},
	})
	checkEntry(t, entries[1], "site", a.ID, "update", map[string]relocation.Change{
		"status":          {Before: "candidate", After: "selected"},
		"decision_reason": {Before: "", After: "surface suffisante, bonne desserte"},
	})
	// A relocation edit from before the selection is now stale.
	stale := r
	stale.Name = "Nouveau nom"
	if _, err := e.rel.UpdateRelocation(ctx, tester, r.ID, relocation.Version(r.Version), relocation.Replace(stale)); code(err) != relocation.EPRECONDITION {
		t.Errorf("relocation edit over the pre-selection version: err = %v, want precondition", err)
	}

	// Selecting b while a is selected: conflict on status, and nothing changes.
	selB := b
	selB.Status, selB.DecisionReason = sites.StatusSelected, "plus proche"
	_, err = e.sites.UpdateSite(ctx, tester, b.ID, relocation.Version(1), relocation.Replace(selB))
	checkSelectionConflict(t, err)
	sameSite(t, "b after the conflict", e.site(t, b.ID), b)
	sameSite(t, "a after the conflict", e.site(t, a.ID), a)
	if got := e.relocation(t, r.ID); got.Version != 2 || *got.ChosenSiteID != a.ID || !got.UpdatedAt.Equal(rel.UpdatedAt) {
		t.Errorf("relocation after the conflict: version %d chosen %v", got.Version, *got.ChosenSiteID)
	}
	// Nor can a second site be created as selected.
	_, err = e.sites.CreateSite(ctx, tester, r.ID, relocation.Given(sites.Site{Name: "Troisième", Kind: "state_owned",
		Status: sites.StatusSelected, DecisionReason: "pourquoi pas"}))
	checkSelectionConflict(t, err)
	if n := e.siteCount(t); n != 2 {
		t.Errorf("%d sites after the refused creation, want 2", n)
	}
	if n := len(e.journal(t, r.ID)); n != 5 {
		t.Errorf("journal has %d entries after the conflicts, want 5", n)
	}

	// a back to shortlisted: chosen_site_id cleared, journaled, version bumped.
	back := a
	back.Status = "shortlisted"
	a, err = e.sites.UpdateSite(ctx, tester, a.ID, relocation.Version(2), relocation.Replace(back))
	if err != nil {
		t.Fatal(err)
	}
	if got := e.relocation(t, r.ID); got.ChosenSiteID != nil || got.Version != 3 {
		t.Fatalf("relocation after unselecting: chosen %v version %d, want none and 3", got.ChosenSiteID, got.Version)
	}
	checkEntry(t, e.journal(t, r.ID)[0], "relocation", r.ID, "update", map[string]relocation.Change{
		"chosen_site_id": {Before: float64(a.ID), After: nil},
	})

	// Now b can be selected.
	b, err = e.sites.UpdateSite(ctx, tester, b.ID, relocation.Version(1), relocation.Replace(selB))
	if err != nil {
		t.Fatal(err)
	}
	if got := e.relocation(t, r.ID); got.ChosenSiteID == nil || *got.ChosenSiteID != b.ID || got.Version != 4 {
		t.Fatalf("relocation after selecting b: chosen %v version %d, want %d and 4", got.ChosenSiteID, got.Version, b.ID)
	}
	checkEntry(t, e.journal(t, r.ID)[0], "relocation", r.ID, "update", map[string]relocation.Change{
		"chosen_site_id": {Before: nil, After: float64(b.ID)},
	})

	// Editing the selected site without unselecting it leaves the relocation alone.
	edit := b
	edit.Commune = "Bagnolet"
	if _, err := e.sites.UpdateSite(ctx, tester, b.ID, relocation.Version(b.Version), relocation.Replace(edit)); err != nil {
		t.Fatal(err)
	}
	if got := e.relocation(t, r.ID); *got.ChosenSiteID != b.ID || got.Version != 4 {
		t.Errorf("relocation after editing the selected site: chosen %v version %d, want %d and 4", *got.ChosenSiteID, got.Version, b.ID)
	}
	checkEntry(t, e.journal(t, r.ID)[0], "site", b.ID, "update", map[string]relocation.Change{
		"commune": {Before: "", After: "Bagnolet"},
	})
}

func checkSelectionConflict(t *testing.T, err error) {
	t.Helper()
	var coded *relocation.Error
	if code(err) != relocation.ECONFLICT {
		t.Fatalf("second selected site: err = %v, want conflict", err)
	}
	if !errors.As(err, &coded) || len(coded.Fields) != 1 || coded.Fields[0].Field != "status" {
		t.Errorf("conflict = %+v, want one field error on status", err)
	}
}

func TestSiteCreatedSelectedBecomesChosen(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newEnv(t)
	r := e.relocationFor(t, "cleiss")
	s, err := e.sites.CreateSite(ctx, tester, r.ID, relocation.Given(sites.Site{Name: "Bas Montreuil", Kind: "lease",
		Status: sites.StatusSelected, DecisionReason: "lettre d’intention signée"}))
	if err != nil {
		t.Fatal(err)
	}
	got := e.relocation(t, r.ID)
	if got.ChosenSiteID == nil || *got.ChosenSiteID != s.ID || got.Version != 2 {
		t.Fatalf("relocation: chosen %v version %d, want %d and 2", got.ChosenSiteID, got.Version, s.ID)
	}
	entries := e.journal(t, r.ID)
	if len(entries) != 3 {
		t.Fatalf("journal has %d entries, want 3", len(entries))
	}
	checkEntry(t, entries[0], "relocation", r.ID, "update", map[string]relocation.Change{
		"chosen_site_id": {Before: nil, After: float64(s.ID)}, "status": {Before: "announced", After: "site_selected"},
	})
	if entries[1].Entity != "site" || entries[1].Action != "create" || entries[1].EntityID != s.ID {
		t.Errorf("entry = %+v, want the site's creation", entries[1])
	}
}

func TestChosenSiteBelongsToItsRelocation(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newEnv(t)
	a := e.relocationFor(t, "projet-a")
	b := e.relocationFor(t, "projet-b")
	siteA := e.mustCreate(t, a.ID, "Site de A")

	// B cannot point at A's site: the composite foreign key (id, chosen_site_id) refuses it.
	next := b
	next.ChosenSiteID = &siteA.ID
	if _, err := e.rel.UpdateRelocation(ctx, tester, b.ID, relocation.Version(b.Version), relocation.Replace(next)); code(err) != relocation.ECONFLICT {
		t.Errorf("B choosing A's site: err = %v, want conflict (foreign key)", err)
	}
	if got := e.relocation(t, b.ID); got.ChosenSiteID != nil || got.Version != 1 {
		t.Errorf("B after the refusal: chosen %v version %d", got.ChosenSiteID, got.Version)
	}
	// Straight SQL is refused too, by the constraint itself.
	_, err := e.db.Exec(`UPDATE relocations SET chosen_site_id = $1 WHERE id = $2`, siteA.ID, b.ID)
	if code(relocation.DBError("raw", err, "")) != relocation.ECONFLICT {
		t.Errorf("raw update of B: err = %v, want a foreign-key violation", err)
	}
	// The same site is accepted for its own relocation (so the refusal above is the pairing).
	if _, err := e.db.Exec(`UPDATE relocations SET chosen_site_id = $1 WHERE id = $2`, siteA.ID, a.ID); err != nil {
		t.Errorf("raw update of A: %v", err)
	}
}

func TestSiteConcurrentSelectionsLeaveOneChosen(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newEnv(t)
	r := e.relocationFor(t, "cleiss")
	var candidates []sites.Site
	for _, name := range []string{"A", "B", "C", "D", "E"} {
		candidates = append(candidates, e.mustCreate(t, r.ID, name))
	}
	errs := make([]error, len(candidates))
	var wg sync.WaitGroup
	for i, s := range candidates {
		wg.Add(1)
		go func() {
			defer wg.Done()
			next := s
			next.Status, next.DecisionReason = sites.StatusSelected, "le meilleur"
			_, errs[i] = e.sites.UpdateSite(ctx, tester, s.ID, relocation.Version(s.Version), relocation.Replace(next))
		}()
	}
	wg.Wait()
	var winner int64
	for i, err := range errs {
		switch code(err) {
		case "":
			if winner != 0 {
				t.Errorf("two selections succeeded: %d and %d", winner, candidates[i].ID)
			}
			winner = candidates[i].ID
		case relocation.ECONFLICT:
		default:
			t.Errorf("selecting %s: err = %v, want success or conflict", candidates[i].Name, err)
		}
	}
	if winner == 0 {
		t.Fatal("no selection succeeded")
	}
	got := e.relocation(t, r.ID)
	if got.ChosenSiteID == nil || *got.ChosenSiteID != winner || got.Version != 2 {
		t.Errorf("relocation: chosen %v version %d, want %d and 2", got.ChosenSiteID, got.Version, winner)
	}
	var selected int
	if err := e.db.Get(&selected, `SELECT count(*) FROM sites WHERE status = 'selected'`); err != nil || selected != 1 {
		t.Errorf("%d selected sites (%v), want 1", selected, err)
	}
}
