package relocation_test

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/ministere/tracker/migrations/dbtest"
	"github.com/ministere/tracker/relocation"
)

// actionEnv is one test's own database, its store and a relocation created by the
// program.
type actionEnv struct {
	db *sqlx.DB
	s  *relocation.Store
	r  relocation.Relocation
}

func newActionEnv(t *testing.T) actionEnv {
	t.Helper()
	db := dbtest.Open(t)
	s := relocation.NewStore(db, relocation.Hooks{})
	r, err := s.CreateRelocation(context.Background(), tester, relocation.Given(sampleRelocation(t, "projet")))
	if err != nil {
		t.Fatal(err)
	}
	return actionEnv{db: db, s: s, r: r}
}

// user inserts an account and returns it as an actor named by its email.
func (e actionEnv) user(t *testing.T, email, role string, disabled bool) relocation.Actor {
	t.Helper()
	var id int64
	err := e.db.Get(&id, `INSERT INTO users (email, name, role, password_hash, disabled)
		VALUES ($1, $2, $3, 'x', $4) RETURNING id`, email, "Compte "+email, role, disabled)
	if err != nil {
		t.Fatal(err)
	}
	return relocation.Actor{UserID: id, Name: email}
}

// assign makes the account a manager of relocation relocationID.
func (e actionEnv) assign(t *testing.T, relocationID int64, by relocation.Actor) {
	t.Helper()
	e.db.MustExec(`INSERT INTO relocation_managers (relocation_id, user_id) VALUES ($1, $2)`, relocationID, by.UserID)
}

// state is what a refused action must leave as it was.
type state struct {
	version, journal, relocations, managers int
}

func (e actionEnv) state(t *testing.T, relocationID int64) state {
	t.Helper()
	var st state
	err := e.db.Get(&st.version, `SELECT version FROM relocations WHERE id = $1`, relocationID)
	if err == nil {
		err = e.db.Get(&st.journal, `SELECT count(*) FROM journal`)
	}
	if err == nil {
		err = e.db.Get(&st.relocations, `SELECT count(*) FROM relocations`)
	}
	if err == nil {
		err = e.db.Get(&st.managers, `SELECT count(*) FROM relocation_managers`)
	}
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// rename is an edit that changes the relocation's name, counting its calls.
func rename(calls *int, name string) func(relocation.Relocation) (relocation.Relocation, error) {
	return func(cur relocation.Relocation) (relocation.Relocation, error) {
		*calls++
		cur.Name = name
		return cur, nil
	}
}

func TestActRightsReadInTheTransaction(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newActionEnv(t)
	admin := e.user(t, "admin@example.org", relocation.RoleAdmin, false)
	assigned := e.user(t, "responsable@example.org", relocation.RoleManager, false)
	unassigned := e.user(t, "autre@example.org", relocation.RoleManager, false)
	viewer := e.user(t, "lecteur@example.org", relocation.RoleViewer, false)
	disabled := e.user(t, "parti@example.org", relocation.RoleAdmin, true)
	e.assign(t, e.r.ID, assigned)
	for _, by := range []relocation.Actor{viewer, disabled} {
		e.assign(t, e.r.ID, by) // assigned, yet without the rights to write
	}

	cases := []struct {
		name string
		by   relocation.Actor
		code string // "" when allowed
	}{
		{"an administrator", admin, ""},
		{"an assigned manager", assigned, ""},
		{"a manager not assigned", unassigned, relocation.EFORBIDDEN},
		{"a viewer, even assigned", viewer, relocation.EFORBIDDEN},
		{"a disabled account", disabled, relocation.EUNAUTHORIZED},
		{"an unknown account", relocation.Actor{UserID: 424242, Name: "fantôme"}, relocation.EUNAUTHORIZED},
		{"a name without an account", relocation.Actor{Name: "test"}, relocation.EUNAUTHORIZED},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := relocation.ErrorCode(relocation.MayWrite(ctx, e.db, tc.by, e.r.ID)); got != tc.code {
				t.Errorf("MayWrite = %q, want %q", got, tc.code)
			}
			before := e.state(t, e.r.ID)
			calls := 0
			name := fmt.Sprintf("Nom %d", i)
			out, err := e.s.UpdateRelocation(ctx, tc.by, e.r.ID, relocation.AnyVersion(), rename(&calls, name))
			if got := relocation.ErrorCode(err); got != tc.code {
				t.Fatalf("update: err = %v, want %q", err, tc.code)
			}
			after := e.state(t, e.r.ID)
			if tc.code != "" {
				if calls != 0 {
					t.Errorf("the edit ran %d times on a refused action", calls)
				}
				if after != before {
					t.Errorf("a refusal wrote: %+v, then %+v", before, after)
				}
				return
			}
			if out.Name != name || after.version != before.version+1 || after.journal != before.journal+1 {
				t.Errorf("allowed update: name %q, %+v then %+v", out.Name, before, after)
			}
			last, err := e.s.LastChange(ctx, relocation.EntityRelocation, e.r.ID)
			if err != nil || last.By != tc.by.Name {
				t.Errorf("journal names %q (%v), want %q", last.By, err, tc.by.Name)
			}
		})
	}

	// Rights are read at the time of the action, not remembered: unassigning the manager
	// or disabling the administrator takes effect on their next action.
	e.db.MustExec(`DELETE FROM relocation_managers WHERE user_id = $1`, assigned.UserID)
	e.db.MustExec(`UPDATE users SET disabled = true WHERE id = $1`, admin.UserID)
	calls := 0
	if _, err := e.s.UpdateRelocation(ctx, assigned, e.r.ID, relocation.AnyVersion(), rename(&calls, "x")); relocation.ErrorCode(err) != relocation.EFORBIDDEN {
		t.Errorf("manager once assigned: err = %v, want forbidden", err)
	}
	if _, err := e.s.UpdateRelocation(ctx, admin, e.r.ID, relocation.AnyVersion(), rename(&calls, "x")); relocation.ErrorCode(err) != relocation.EUNAUTHORIZED {
		t.Errorf("administrator since disabled: err = %v, want unauthorized", err)
	}
	// And a viewer promoted manager, then assigned, may.
	e.db.MustExec(`UPDATE users SET role = 'manager' WHERE id = $1`, viewer.UserID)
	if _, err := e.s.UpdateRelocation(ctx, viewer, e.r.ID, relocation.AnyVersion(), rename(&calls, "Promu")); err != nil {
		t.Errorf("viewer promoted manager, assigned: %v", err)
	}
	if calls != 1 {
		t.Errorf("the edit ran %d times, want once (the promoted viewer's)", calls)
	}

	// The other actions go through the same rights: a milestone, say.
	if _, err := e.s.CreateMilestone(ctx, unassigned, e.r.ID, relocation.Given(relocation.Milestone{Kind: "other",
		Title: "x", Planned: mustFuzzy(t, "2022"), Source: "test"})); relocation.ErrorCode(err) != relocation.EFORBIDDEN {
		t.Errorf("milestone by a manager not assigned: err = %v, want forbidden", err)
	}
}

func TestCreateRelocationRights(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newActionEnv(t)
	manager := e.user(t, "responsable@example.org", relocation.RoleManager, false)
	admin := e.user(t, "admin@example.org", relocation.RoleAdmin, false)
	viewer := e.user(t, "lecteur@example.org", relocation.RoleViewer, false)
	disabled := e.user(t, "parti@example.org", relocation.RoleManager, true)

	// A manager who creates a relocation is assigned to it, and so may change it.
	mine, err := e.s.CreateRelocation(ctx, manager, relocation.Given(sampleRelocation(t, "le-mien")))
	if err != nil {
		t.Fatal(err)
	}
	var managers []int64
	if err := e.db.Select(&managers, `SELECT user_id FROM relocation_managers WHERE relocation_id = $1`, mine.ID); err != nil {
		t.Fatal(err)
	}
	if len(managers) != 1 || managers[0] != manager.UserID {
		t.Errorf("managers of the manager's relocation = %v, want [%d]", managers, manager.UserID)
	}
	if emails, err := e.s.ManagerEmails(ctx, mine.ID); err != nil || len(emails) != 1 || emails[0] != "responsable@example.org" {
		t.Errorf("manager emails = %v (%v)", emails, err)
	}
	if last, err := e.s.LastChange(ctx, relocation.EntityRelocation, mine.ID); err != nil || last.By != manager.Name || last.Action != relocation.ActionCreate {
		t.Errorf("creation journaled as %+v (%v), want a creation by the manager", last, err)
	}
	calls := 0
	if _, err := e.s.UpdateRelocation(ctx, manager, mine.ID, relocation.Version(1), rename(&calls, "Le mien")); err != nil {
		t.Errorf("the creator updating their relocation: %v", err)
	}
	// An administrator creates without being assigned (they need not be).
	theirs, err := e.s.CreateRelocation(ctx, admin, relocation.Given(sampleRelocation(t, "le-leur")))
	if err != nil {
		t.Fatal(err)
	}
	var n int
	if err := e.db.Get(&n, `SELECT count(*) FROM relocation_managers WHERE relocation_id = $1`, theirs.ID); err != nil || n != 0 {
		t.Errorf("the administrator's relocation has %d managers (%v), want none", n, err)
	}

	// A viewer cannot create; a disabled or unknown account is not recognised. Nothing
	// is written, and the input is not even read.
	for _, tc := range []struct {
		name string
		by   relocation.Actor
		code string
	}{
		{"a viewer", viewer, relocation.EFORBIDDEN},
		{"a disabled manager", disabled, relocation.EUNAUTHORIZED},
		{"an unknown account", relocation.Actor{UserID: 424242, Name: "fantôme"}, relocation.EUNAUTHORIZED},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := e.state(t, e.r.ID)
			read := false
			input := func() (relocation.Relocation, error) {
				read = true
				return sampleRelocation(t, "refuse"), nil
			}
			if _, err := e.s.CreateRelocation(ctx, tc.by, input); relocation.ErrorCode(err) != tc.code {
				t.Errorf("err = %v, want %s", err, tc.code)
			}
			if read {
				t.Error("the input was read before the refusal")
			}
			if after := e.state(t, e.r.ID); after != before {
				t.Errorf("a refusal wrote: %+v, then %+v", before, after)
			}
		})
	}
}

func TestSetManagersAdminOnly(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newActionEnv(t)
	admin := e.user(t, "admin@example.org", relocation.RoleAdmin, false)
	manager := e.user(t, "responsable@example.org", relocation.RoleManager, false)
	e.user(t, "autre@example.org", relocation.RoleManager, false)
	e.assign(t, e.r.ID, manager)
	current := relocation.Tags(relocation.ManagersTag([]string{"responsable@example.org"}))

	// An assigned manager may change the relocation, not its managers.
	before := e.state(t, e.r.ID)
	read := false
	input := func() ([]string, error) { read = true; return []string{"autre@example.org"}, nil }
	_, err := e.s.SetManagers(ctx, manager, e.r.ID, current, input)
	if relocation.ErrorCode(err) != relocation.EFORBIDDEN {
		t.Fatalf("SetManagers by a manager: err = %v, want forbidden", err)
	}
	if !strings.Contains(relocation.ErrorMessage(err), "administrateurs") {
		t.Errorf("refusal says %q, want it reserved to administrators", relocation.ErrorMessage(err))
	}
	if read {
		t.Error("the input was read before the refusal")
	}
	if after := e.state(t, e.r.ID); after != before {
		t.Errorf("a refusal wrote: %+v, then %+v", before, after)
	}
	if emails, err := e.s.ManagerEmails(ctx, e.r.ID); err != nil || len(emails) != 1 || emails[0] != "responsable@example.org" {
		t.Errorf("managers after the refusal = %v (%v)", emails, err)
	}

	// An administrator may, against the list's current tag.
	got, err := e.s.SetManagers(ctx, admin, e.r.ID, current, relocation.Given([]string{" Autre@Example.org ", "responsable@example.org"}))
	if err != nil || len(got) != 2 || got[0] != "autre@example.org" || got[1] != "responsable@example.org" {
		t.Fatalf("SetManagers by an administrator = %v, %v", got, err)
	}
	if after := e.state(t, e.r.ID); after.managers != before.managers+1 || after.journal != before.journal+1 {
		t.Errorf("SetManagers wrote %+v, then %+v: want one more manager and one journal entry", before, after)
	}
	// The old tag is now stale.
	if _, err := e.s.SetManagers(ctx, admin, e.r.ID, current, relocation.Given([]string{})); relocation.ErrorCode(err) != relocation.EPRECONDITION {
		t.Errorf("SetManagers over a stale list: err = %v, want precondition", err)
	}
}

func TestRefusalOrder(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newActionEnv(t)
	admin := e.user(t, "admin@example.org", relocation.RoleAdmin, false)
	unassigned := e.user(t, "autre@example.org", relocation.RoleManager, false)
	calls := 0
	invalid := func(relocation.Relocation) (relocation.Relocation, error) {
		calls++
		return relocation.Relocation{}, relocation.Invalid(relocation.FieldError{Field: "name", Message: "obligatoire"})
	}
	stale := relocation.Version(e.r.Version + 7)

	for _, tc := range []struct {
		name     string
		by       relocation.Actor
		pre      relocation.Precondition
		code     string
		editRuns int
	}{
		// Rights first: a stranger learns nothing of the version or the values.
		{"no rights, stale version, invalid values", unassigned, stale, relocation.EFORBIDDEN, 0},
		{"no rights, no version, invalid values", unassigned, relocation.Missing(), relocation.EFORBIDDEN, 0},
		// Then the version: the values are not even looked at.
		{"rights, stale version, invalid values", admin, stale, relocation.EPRECONDITION, 0},
		{"rights, no version, invalid values", admin, relocation.Missing(), relocation.EPRECONDREQ, 0},
		// Then the values.
		{"rights, current version, invalid values", admin, relocation.Version(e.r.Version), relocation.EINVALID, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			calls = 0
			before := e.state(t, e.r.ID)
			_, err := e.s.UpdateRelocation(ctx, tc.by, e.r.ID, tc.pre, invalid)
			if relocation.ErrorCode(err) != tc.code {
				t.Errorf("err = %v, want %s", err, tc.code)
			}
			if calls != tc.editRuns {
				t.Errorf("the edit ran %d times, want %d", calls, tc.editRuns)
			}
			if after := e.state(t, e.r.ID); after != before {
				t.Errorf("a refusal wrote: %+v, then %+v", before, after)
			}
		})
	}

	// The same order for an entity of the relocation: a milestone.
	m, err := e.s.CreateMilestone(ctx, tester, e.r.ID, relocation.Given(relocation.Milestone{Kind: "other",
		Title: "Jalon", Planned: mustFuzzy(t, "2022"), Source: "test"}))
	if err != nil {
		t.Fatal(err)
	}
	edits := 0
	invalidMilestone := func(relocation.Milestone) (relocation.Milestone, string, error) {
		edits++
		return relocation.Milestone{}, "", relocation.Invalid(relocation.FieldError{Field: "title", Message: "obligatoire"})
	}
	if _, err := e.s.UpdateMilestone(ctx, unassigned, m.ID, relocation.Version(9), invalidMilestone); relocation.ErrorCode(err) != relocation.EFORBIDDEN {
		t.Errorf("milestone, no rights: err = %v, want forbidden", err)
	}
	if _, err := e.s.UpdateMilestone(ctx, admin, m.ID, relocation.Version(9), invalidMilestone); relocation.ErrorCode(err) != relocation.EPRECONDITION {
		t.Errorf("milestone, stale version: err = %v, want precondition", err)
	}
	if _, err := e.s.UpdateMilestone(ctx, admin, m.ID, relocation.Missing(), invalidMilestone); relocation.ErrorCode(err) != relocation.EPRECONDREQ {
		t.Errorf("milestone, no version: err = %v, want precondition required", err)
	}
	if err := e.s.DeleteMilestone(ctx, admin, m.ID, relocation.Missing()); relocation.ErrorCode(err) != relocation.EPRECONDREQ {
		t.Errorf("milestone delete, no version: err = %v, want precondition required", err)
	}
	if edits != 0 {
		t.Errorf("the milestone edit ran %d times on refused actions", edits)
	}
	if _, err := e.s.Milestone(ctx, m.ID); err != nil {
		t.Errorf("milestone after the refusals: %v", err)
	}
}

func TestPreconditionCheckVersion(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		pre     relocation.Precondition
		current int
		exists  bool
		code    string // "" when it holds
	}{
		{"unconditional, existing", relocation.Unconditional(), 3, true, ""},
		{"unconditional, none yet", relocation.Unconditional(), 0, false, ""},
		{"zero value is unconditional", relocation.Precondition{}, 3, true, ""},
		{"missing, existing", relocation.Missing(), 3, true, relocation.EPRECONDREQ},
		{"missing, none yet", relocation.Missing(), 0, false, relocation.EPRECONDREQ},
		{"any version, existing", relocation.AnyVersion(), 3, true, ""},
		{"any version, none yet", relocation.AnyVersion(), 0, false, relocation.EPRECONDITION},
		{"version, match", relocation.Version(3), 3, true, ""},
		{"version, older", relocation.Version(2), 3, true, relocation.EPRECONDITION},
		{"version, newer", relocation.Version(4), 3, true, relocation.EPRECONDITION},
		{"version, none yet", relocation.Version(1), 0, false, relocation.EPRECONDITION},
		{"version 0, none yet", relocation.Version(0), 0, false, relocation.EPRECONDITION},
		{"tags, one matches", relocation.Tags("2", "3"), 3, true, ""},
		{"tags, none matches", relocation.Tags("2", "4"), 3, true, relocation.EPRECONDITION},
		{"tags, a weak or quoted tag never matches", relocation.Tags(`"3"`, `W/"3"`), 3, true, relocation.EPRECONDITION},
		{"tags, empty list, existing", relocation.Tags(), 3, true, relocation.EPRECONDITION},
		{"tags, empty list, none yet", relocation.Tags(), 0, false, relocation.EPRECONDITION},
		{"none yet, none yet", relocation.NoneYet(), 0, false, ""},
		{"none yet, existing", relocation.NoneYet(), 1, true, relocation.EPRECONDITION},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.pre.CheckVersion(tc.current, tc.exists)
			if got := relocation.ErrorCode(err); got != tc.code {
				t.Errorf("CheckVersion(%d, %v) = %v, want %q", tc.current, tc.exists, err, tc.code)
			}
			if tc.code == relocation.EPRECONDITION && tc.exists &&
				!strings.Contains(relocation.ErrorMessage(err), fmt.Sprintf("version actuelle : %d", tc.current)) {
				t.Errorf("stale message %q does not give the current version", relocation.ErrorMessage(err))
			}
		})
	}

	// CheckTag gives the caller's own stale error.
	stale := relocation.Errorf(relocation.EPRECONDITION, "liste changée")
	if err := relocation.Tags("m-1").CheckTag("m-2", true, stale); err != stale {
		t.Errorf("CheckTag mismatch = %v, want the given error", err)
	}
	if err := relocation.Tags("m-1").CheckTag("m-1", true, stale); err != nil {
		t.Errorf("CheckTag match = %v", err)
	}
	if err := relocation.Missing().CheckTag("m-1", true, stale); relocation.ErrorCode(err) != relocation.EPRECONDREQ {
		t.Errorf("CheckTag missing = %v, want precondition required", err)
	}

	// Given and Replace.
	if v, err := relocation.Given(5)(); v != 5 || err != nil {
		t.Errorf("Given(5)() = %v, %v", v, err)
	}
	if v, err := relocation.Replace("neuf")("ancien"); v != "neuf" || err != nil {
		t.Errorf("Replace(neuf)(ancien) = %v, %v", v, err)
	}
}

func TestNoOpUpdateKeepsVersionAndJournal(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newActionEnv(t)
	m, err := e.s.CreateMilestone(ctx, tester, e.r.ID, relocation.Given(relocation.Milestone{Kind: "other",
		Title: "Jalon", Planned: mustFuzzy(t, "2022"), Source: "test"}))
	if err != nil {
		t.Fatal(err)
	}
	before := e.state(t, e.r.ID)

	same, err := e.s.UpdateRelocation(ctx, tester, e.r.ID, relocation.Version(e.r.Version),
		func(cur relocation.Relocation) (relocation.Relocation, error) { return cur, nil })
	if err != nil {
		t.Fatal(err)
	}
	if same.Version != e.r.Version || !same.UpdatedAt.Equal(e.r.UpdatedAt) {
		t.Errorf("no-op relocation update: version %d updated %v, want %d and %v", same.Version, same.UpdatedAt, e.r.Version, e.r.UpdatedAt)
	}
	// Values equal to the current ones, from another value (a full PUT of the same body).
	copyOf := e.r
	copyOf.ID, copyOf.Version = 0, 0
	if same, err := e.s.UpdateRelocation(ctx, tester, e.r.ID, relocation.AnyVersion(), relocation.Replace(copyOf)); err != nil || same.Version != e.r.Version {
		t.Errorf("same values again: version %d, err %v", same.Version, err)
	}
	sameM, err := e.s.UpdateMilestone(ctx, tester, m.ID, relocation.Version(m.Version),
		func(cur relocation.Milestone) (relocation.Milestone, string, error) { return cur, "sans raison", nil })
	if err != nil {
		t.Fatal(err)
	}
	if sameM.Version != m.Version || !sameM.UpdatedAt.Equal(m.UpdatedAt) || len(sameM.History) != 0 {
		t.Errorf("no-op milestone update: %+v", sameM)
	}
	if after := e.state(t, e.r.ID); after != before {
		t.Errorf("no-op updates wrote: %+v, then %+v", before, after)
	}
	var history int
	if err := e.db.Get(&history, `SELECT count(*) FROM milestone_history`); err != nil || history != 0 {
		t.Errorf("%d history rows (%v), want none", history, err)
	}
}

func TestActSerializesEditsOfOneRelocation(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newActionEnv(t)
	// Each edit reads the headcount under the relocation's lock and adds one: none is
	// lost however they interleave.
	const n = 8
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = e.s.UpdateRelocation(ctx, tester, e.r.ID, relocation.AnyVersion(),
				func(cur relocation.Relocation) (relocation.Relocation, error) {
					cur.Headcount++
					return cur, nil
				})
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	got, err := e.s.Relocation(ctx, e.r.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Headcount != e.r.Headcount+n || got.Version != e.r.Version+n {
		t.Errorf("after %d concurrent increments: headcount %d version %d, want %d and %d",
			n, got.Headcount, got.Version, e.r.Headcount+n, e.r.Version+n)
	}
	if _, err := e.s.UpdateRelocation(ctx, tester, 424242, relocation.AnyVersion(), relocation.Replace(got)); relocation.ErrorCode(err) != relocation.ENOTFOUND {
		t.Errorf("unknown relocation: err = %v, want not found", err)
	}
}

func TestActRetriesDeadlocksInAFreshTransaction(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newActionEnv(t)
	before := e.state(t, e.r.ID)
	journal := func(tx *relocation.Tx) error {
		return tx.Journal(ctx, relocation.EntityRelocation, tx.Relocation.ID, relocation.ActionUpdate,
			map[string]relocation.Change{"notes": {After: "essai"}})
	}

	// Aborted once: the second try runs on a fresh transaction, the first one's writes gone.
	tries := 0
	err := relocation.Act(ctx, e.db, tester, e.r.ID, func(tx *relocation.Tx) error {
		tries++
		if err := journal(tx); err != nil {
			return err
		}
		if tries == 1 {
			return fmt.Errorf("wrapped: %w", &pq.Error{Code: "40P01", Message: "deadlock detected"})
		}
		return nil
	})
	if err != nil || tries != 2 {
		t.Fatalf("Act aborted once: %d tries, err %v", tries, err)
	}
	if after := e.state(t, e.r.ID); after.journal != before.journal+1 {
		t.Errorf("journal grew by %d, want 1 (the first try rolled back)", after.journal-before.journal)
	}

	// Aborted every time: EUNAVAILABLE after a bounded number of tries, nothing written.
	before = e.state(t, e.r.ID)
	tries = 0
	err = relocation.Act(ctx, e.db, tester, e.r.ID, func(tx *relocation.Tx) error {
		tries++
		if err := journal(tx); err != nil {
			return err
		}
		return &pq.Error{Code: "40001", Message: "could not serialize access"}
	})
	if relocation.ErrorCode(err) != relocation.EUNAVAILABLE || tries < 2 || tries > 10 {
		t.Errorf("Act always aborted: %d tries, err %v, want a few tries then unavailable", tries, err)
	}
	if after := e.state(t, e.r.ID); after != before {
		t.Errorf("aborted tries wrote: %+v, then %+v", before, after)
	}

	// Any other error is not retried.
	tries = 0
	err = relocation.Act(ctx, e.db, tester, e.r.ID, func(*relocation.Tx) error {
		tries++
		return relocation.Errorf(relocation.EINVALID, "non")
	})
	if relocation.ErrorCode(err) != relocation.EINVALID || tries != 1 {
		t.Errorf("Act refused: %d tries, err %v, want one try", tries, err)
	}
}

// timeoutError is a net.Error that timed out.
type timeoutError struct{}

func (timeoutError) Error() string   { return "i/o timeout" }
func (timeoutError) Timeout() bool   { return true }
func (timeoutError) Temporary() bool { return true }

func TestDBErrorMapping(t *testing.T) {
	t.Parallel()
	// What the driver says must never reach the user: every case carries it.
	const driverSays = "SECRET-DRIVER-TEXT"
	pqErr := func(code, constraint string) *pq.Error {
		return &pq.Error{Code: pq.ErrorCode(code), Constraint: constraint, Severity: "ERROR",
			Message: driverSays + " message", Detail: driverSays + " detail", Table: "relocations"}
	}
	cases := []struct {
		name   string
		err    error
		code   string
		fields []string
	}{
		{"23505 on relocations_slug_key", pqErr("23505", "relocations_slug_key"), relocation.ECONFLICT, []string{"slug"}},
		{"23505 on sites_one_selected", pqErr("23505", "sites_one_selected"), relocation.ECONFLICT, []string{"status"}},
		{"23505 on users_email", pqErr("23505", "users_email"), relocation.ECONFLICT, []string{"email"}},
		{"23505 on an unknown constraint", pqErr("23505", "something_key"), relocation.ECONFLICT, nil},
		{"23503 foreign key", pqErr("23503", "relocations_chosen_site_fkey"), relocation.ECONFLICT, nil},
		{"23514 check", pqErr("23514", "relocations_headcount_check"), relocation.EINVALID, nil},
		{"23502 not null", pqErr("23502", ""), relocation.EINVALID, nil},
		{"22001 string too long", pqErr("22001", ""), relocation.EINVALID, nil},
		{"54000 too large", pqErr("54000", ""), relocation.EINVALID, nil},
		{"40P01 deadlock", pqErr("40P01", ""), relocation.EUNAVAILABLE, nil},
		{"40001 serialization failure", pqErr("40001", ""), relocation.EUNAVAILABLE, nil},
		{"08006 connection failure", pqErr("08006", ""), relocation.EUNAVAILABLE, nil},
		{"53300 too many connections", pqErr("53300", ""), relocation.EUNAVAILABLE, nil},
		{"57P01 admin shutdown", pqErr("57P01", ""), relocation.EUNAVAILABLE, nil},
		{"42P01 undefined table", pqErr("42P01", ""), relocation.EINTERNAL, nil},
		{"0A000 stale kept statement", &pq.Error{Code: "0A000", Message: "cached plan must not change result type"}, relocation.EUNAVAILABLE, nil},
		{"0A000 another unsupported feature", &pq.Error{Code: "0A000", Message: "cannot use a subquery here"}, relocation.EINTERNAL, nil},
		{"a wrapped pq error", fmt.Errorf("query: %w", pqErr("23505", "relocations_slug_key")), relocation.ECONFLICT, []string{"slug"}},
		{"deadline exceeded", fmt.Errorf("%s: %w", driverSays, context.DeadlineExceeded), relocation.EUNAVAILABLE, nil},
		{"canceled", fmt.Errorf("%s: %w", driverSays, context.Canceled), relocation.EUNAVAILABLE, nil},
		{"bad connection", fmt.Errorf("%s: %w", driverSays, driver.ErrBadConn), relocation.EUNAVAILABLE, nil},
		{"connection done", fmt.Errorf("%s: %w", driverSays, sql.ErrConnDone), relocation.EUNAVAILABLE, nil},
		{"network timeout", fmt.Errorf("%s: %w", driverSays, timeoutError{}), relocation.EUNAVAILABLE, nil},
		{"another error", errors.New(driverSays), relocation.EINTERNAL, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := relocation.DBError("op-name", tc.err, "introuvable")
			if got := relocation.ErrorCode(err); got != tc.code {
				t.Fatalf("code = %q (%v), want %q", got, err, tc.code)
			}
			var coded *relocation.Error
			hasCoded := errors.As(err, &coded)
			if tc.code != relocation.EINTERNAL && !hasCoded {
				t.Fatalf("no *relocation.Error in %v", err)
			}
			var fields []string
			if hasCoded {
				for _, f := range coded.Fields {
					fields = append(fields, f.Field)
				}
			}
			if strings.Join(fields, ",") != strings.Join(tc.fields, ",") {
				t.Errorf("fields = %v, want %v", fields, tc.fields)
			}
			msg := relocation.ErrorMessage(err)
			if msg == "" || strings.Contains(msg, driverSays) || strings.Contains(msg, "pq:") {
				t.Errorf("message shown %q carries the driver's words", msg)
			}
			for _, f := range fieldsOf(err) {
				if strings.Contains(f.Message, driverSays) {
					t.Errorf("field message %q carries the driver's words", f.Message)
				}
			}
			// The log keeps the operation and the cause.
			if !strings.Contains(err.Error(), "op-name") || !errors.Is(err, tc.err) {
				t.Errorf("err = %v, want the operation and the cause kept", err)
			}
		})
	}

	// No rows: ENOTFOUND with the caller's message, whatever wraps it.
	for _, err := range []error{sql.ErrNoRows, fmt.Errorf("get: %w", sql.ErrNoRows)} {
		got := relocation.DBError("op-name", err, "Ce projet n’existe pas.")
		if relocation.ErrorCode(got) != relocation.ENOTFOUND || relocation.ErrorMessage(got) != "Ce projet n’existe pas." {
			t.Errorf("DBError(%v) = %v, want not found with the given message", err, got)
		}
	}
	// nil stays nil; an error already coded passes as is.
	if err := relocation.DBError("op-name", nil, "x"); err != nil {
		t.Errorf("DBError(nil) = %v", err)
	}
	coded := relocation.Errorf(relocation.EFORBIDDEN, "non")
	if err := relocation.DBError("op-name", coded, "x"); err != coded {
		t.Errorf("DBError(coded) = %v, want it unchanged", err)
	}
}

// fieldsOf returns the field errors of err's *relocation.Error, if any.
func fieldsOf(err error) []relocation.FieldError {
	var e *relocation.Error
	if errors.As(err, &e) {
		return e.Fields
	}
	return nil
}

// TestDBErrorFromTheDatabase checks the mapping on errors the server really sends: the
// slug's unique constraint through the action that breaks it.
func TestDBErrorFromTheDatabase(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newActionEnv(t)
	before := e.state(t, e.r.ID)
	_, err := e.s.CreateRelocation(ctx, tester, relocation.Given(sampleRelocation(t, e.r.Slug)))
	fields := fieldsOf(err)
	if relocation.ErrorCode(err) != relocation.ECONFLICT || len(fields) != 1 || fields[0].Field != "slug" {
		t.Errorf("duplicate slug: err = %v, fields %+v, want a conflict on slug", err, fields)
	}
	var pqErr *pq.Error
	if !errors.As(err, &pqErr) || pqErr.Constraint != "relocations_slug_key" {
		t.Errorf("the cause is not the server's unique violation: %v", err)
	}
	if strings.Contains(relocation.ErrorMessage(err), pqErr.Message) {
		t.Errorf("message %q carries the server's", relocation.ErrorMessage(err))
	}
	if after := e.state(t, e.r.ID); after != before {
		t.Errorf("the refused creation wrote: %+v, then %+v", before, after)
	}
}
