package relocation_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/lib/pq"

	"github.com/ministere/tracker/relocation"
)

// facts is what a hand-made change must move: the stamps kept answers are drawn under
// and the versions writers check.
type facts struct {
	Revision         int64     `db:"revision"`
	PublicChangedAt  time.Time `db:"public_changed_at"`
	Version          int       `db:"version"`
	MilestoneVersion int       `db:"milestone_version"`
}

func (e actionEnv) facts(t *testing.T, milestoneID int64) facts {
	t.Helper()
	var f facts
	err := e.db.Get(&f, `SELECT r.revision, r.public_changed_at, r.version, m.version AS milestone_version
		FROM relocations r JOIN milestones m ON m.relocation_id = r.id WHERE m.id = $1`, milestoneID)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// TestHandMadeChangesShowAtOnce: a change typed in psql raises what an action's would
// (migration 023): the public stamp (public answers are kept under it), the version of
// the row whose field changed (so that a form or an If-Match read before it is stale),
// the relocation's revision for a deleted history row; an UPDATE that changes nothing
// raises no version, and an action still raises a version by exactly one.
func TestHandMadeChangesShowAtOnce(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newActionEnv(t)
	m, err := e.s.CreateMilestone(ctx, tester, e.r.ID, relocation.Given(relocation.Milestone{
		Kind: "letter_of_intent", Title: "Lettre d’intention", Planned: mustFuzzy(t, "2021-06"), Source: "JO", Public: true}))
	if err != nil {
		t.Fatal(err)
	}
	before := e.facts(t, m.ID)

	e.db.MustExec(`UPDATE milestones SET title = 'Lettre d’intention signée' WHERE id = $1`, m.ID)
	after := e.facts(t, m.ID)
	if after.MilestoneVersion != before.MilestoneVersion+1 {
		t.Errorf("a hand-made change of a milestone's title: its version %d, want %d", after.MilestoneVersion, before.MilestoneVersion+1)
	}
	if after.Version != before.Version {
		t.Errorf("a hand-made change of a milestone moved the relocation's version: %d, was %d", after.Version, before.Version)
	}
	if !after.PublicChangedAt.After(before.PublicChangedAt) || after.Revision <= before.Revision {
		t.Errorf("a hand-made change of a milestone: public stamp %v (was %v), revision %d (was %d): want both raised",
			after.PublicChangedAt, before.PublicChangedAt, after.Revision, before.Revision)
	}
	_, err = e.s.UpdateMilestone(ctx, tester, m.ID, relocation.Version(before.MilestoneVersion),
		func(cur relocation.Milestone) (relocation.Milestone, string, error) {
			cur.Title = "Écrasé"
			return cur, "", nil
		})
	if relocation.ErrorCode(err) != relocation.EPRECONDITION {
		t.Errorf("a write drawn before the hand-made change: %v, want EPRECONDITION (no silent overwrite)", err)
	}

	before = e.facts(t, m.ID)
	e.db.MustExec(`UPDATE milestones SET title = title WHERE id = $1`, m.ID)
	e.db.MustExec(`UPDATE relocations SET name = name WHERE id = $1`, e.r.ID)
	if after := e.facts(t, m.ID); after.MilestoneVersion != before.MilestoneVersion || after.Version != before.Version {
		t.Errorf("UPDATEs that change nothing raised versions: %+v, was %+v", after, before)
	}

	e.db.MustExec(`UPDATE relocations SET name = 'Renommé à la main' WHERE id = $1`, e.r.ID)
	after = e.facts(t, m.ID)
	if after.Version != before.Version+1 || !after.PublicChangedAt.After(before.PublicChangedAt) {
		t.Errorf("a hand-made change of the relocation's name: version %d (was %d), public stamp %v (was %v)",
			after.Version, before.Version, after.PublicChangedAt, before.PublicChangedAt)
	}

	before = after
	got, err := e.s.UpdateMilestone(ctx, tester, m.ID, relocation.Version(before.MilestoneVersion),
		func(cur relocation.Milestone) (relocation.Milestone, string, error) {
			cur.Planned = mustFuzzy(t, "2021-09")
			return cur, "Signature repoussée", nil
		})
	if err != nil {
		t.Fatal(err)
	}
	if after := e.facts(t, m.ID); got.Version != before.MilestoneVersion+1 || after.MilestoneVersion != got.Version {
		t.Errorf("an action's change: version %d, stored %d, want %d", got.Version, after.MilestoneVersion, before.MilestoneVersion+1)
	}

	// A hand-made transaction that began before an action committed still raises the
	// public stamp past the action's (its now() is older than the action's stamp).
	hand := e.db.MustBegin()
	hand.MustExec(`SELECT now()`)
	if _, err := e.s.UpdateRelocation(ctx, tester, e.r.ID, relocation.AnyVersion(), func(cur relocation.Relocation) (relocation.Relocation, error) {
		cur.Name = "Renommé par une action"
		return cur, nil
	}); err != nil {
		t.Fatal(err)
	}
	before = e.facts(t, m.ID)
	hand.MustExec(`UPDATE relocations SET body = 'Renommé à la main, plus tard' WHERE id = $1`, e.r.ID)
	if err := hand.Commit(); err != nil {
		t.Fatal(err)
	}
	if after := e.facts(t, m.ID); !after.PublicChangedAt.After(before.PublicChangedAt) {
		t.Errorf("a hand-made change begun before an action committed: public stamp %v, not past the action's %v",
			after.PublicChangedAt, before.PublicChangedAt)
	}

	// An account disabled by hand: a form drawn before cannot enable it again unseen.
	var userVersions [2]int
	e.db.MustExec(`INSERT INTO users (email, name, role, password_hash) VALUES ('main@exemple.gouv.fr', 'Main', 'manager', 'x')`)
	for i, change := range []string{"", `UPDATE users SET disabled = true WHERE email = 'main@exemple.gouv.fr'`} {
		if change != "" {
			e.db.MustExec(change)
		}
		if err := e.db.Get(&userVersions[i], `SELECT version FROM users WHERE email = 'main@exemple.gouv.fr'`); err != nil {
			t.Fatal(err)
		}
	}
	if userVersions[1] != userVersions[0]+1 {
		t.Errorf("an account disabled by hand: version %d, was %d", userVersions[1], userVersions[0])
	}

	before = e.facts(t, m.ID)
	e.db.MustExec(`DELETE FROM milestone_history WHERE milestone_id = $1`, m.ID)
	if after := e.facts(t, m.ID); after.Revision <= before.Revision || !after.PublicChangedAt.After(before.PublicChangedAt) {
		t.Errorf("a hand-made DELETE of a history row: revision %d (was %d), public stamp %v (was %v): want both raised",
			after.Revision, before.Revision, after.PublicChangedAt, before.PublicChangedAt)
	}
}

// TestHandMadeChangesKeepOneMoveDate: the database refuses, at commit, a hand-made change
// that would give a relocation a target move other than its move milestone's planned
// date (migration 023); both changed in one transaction pass, and a relocation with no
// move milestone takes any date.
func TestHandMadeChangesKeepOneMoveDate(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newActionEnv(t)
	e.db.MustExec(`UPDATE relocations SET target_move = '2023-S2' WHERE id = $1`, e.r.ID) // no move milestone yet
	move, err := e.s.CreateMilestone(ctx, tester, e.r.ID, relocation.Given(relocation.Milestone{
		Kind: relocation.KindMove, Title: "Déménagement", Planned: mustFuzzy(t, "2024-Q1"), Source: "CITP"}))
	if err != nil {
		t.Fatal(err)
	}
	refused := func(what string, err error) {
		t.Helper()
		var pqErr *pq.Error
		if !errors.As(err, &pqErr) || pqErr.Code.Name() != "check_violation" {
			t.Errorf("%s: %v, want a check_violation", what, err)
		}
	}
	_, err = e.db.Exec(`UPDATE relocations SET target_move = '2025' WHERE id = $1`, e.r.ID)
	refused("the relocation's target move alone", err)
	_, err = e.db.Exec(`UPDATE milestones SET planned = '2025', planned_start = '2025-01-01', planned_end = '2025-12-31' WHERE id = $1`, move.ID)
	refused("the move milestone's date alone", err)

	tx := e.db.MustBegin()
	tx.MustExec(`UPDATE relocations SET target_move = '2025' WHERE id = $1`, e.r.ID)
	tx.MustExec(`UPDATE milestones SET planned = '2025', planned_start = '2025-01-01', planned_end = '2025-12-31' WHERE id = $1`, move.ID)
	if err := tx.Commit(); err != nil {
		t.Fatalf("both in one transaction: %v", err)
	}
	r, err := e.s.Relocation(ctx, e.r.ID)
	if err != nil {
		t.Fatal(err)
	}
	m, err := e.s.Milestone(ctx, move.ID)
	if err != nil {
		t.Fatal(err)
	}
	if r.TargetMove.String() != "2025" || m.Planned.String() != "2025" {
		t.Errorf("after both changed: target move %s, move milestone %s; want 2025 twice", r.TargetMove, m.Planned)
	}
}
