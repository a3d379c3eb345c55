package relocation

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
)

// The user actions of the relocation room, each one transaction through Act (or actNew
// for a creation): rights, then the precondition, then the input, then the write and
// its journal entry. Input comes as a function run under lock, so that partial updates
// merge onto the current values and refusals keep one order: rights (401/403), version
// (428/412), body (415/400), values (422). A body over the size limit is refused (413)
// before any route, when its headers arrive (ui/body.go), so it never reaches an action.

// CreateRelocation creates the relocation input returns (its ID, version and times are
// ignored), runs the store's Created hook (the default criteria grid) and assigns its
// creator when a manager, all journaled. EFORBIDDEN unless by is an administrator or a
// manager; ECONFLICT when the slug is taken; input's errors.
func (s *Store) CreateRelocation(ctx context.Context, by Actor, input func() (Relocation, error)) (Relocation, error) {
	var out Relocation
	err := actNew(ctx, s.db, by, func(tx *Tx) error {
		r, err := input()
		if err != nil {
			return err
		}
		err = tx.WriteGet(ctx, &out, insertRelocation, r.writtenValues()...)
		if err != nil {
			return DBError("relocation: create", err, "")
		}
		tx.Relocation = out
		if err := tx.Journal(ctx, EntityRelocation, out.ID, ActionCreate, Diff(nil, out.Fields())); err != nil {
			return err
		}
		if s.hooks.Created != nil {
			if err := s.hooks.Created(ctx, tx); err != nil {
				return err
			}
		}
		if tx.rights.admin || by.system {
			return nil
		}
		err = tx.Write(ctx, `INSERT INTO relocation_managers (relocation_id, user_id) VALUES ($1, $2)`, out.ID, by.UserID)
		return DBError("relocation: assign creator", err, "")
	})
	return out, err
}

// UpdateRelocation changes relocation id to what edit makes of its current values,
// provided pre holds. A change of the target move re-plans the move milestone, if any
// (One move date). A change that changes nothing keeps the version and journals
// nothing. Errors: see Act; EPRECONDREQ/EPRECONDITION; ECONFLICT for a taken slug;
// edit's.
func (s *Store) UpdateRelocation(ctx context.Context, by Actor, id int64, pre Precondition, edit func(cur Relocation) (Relocation, error)) (Relocation, error) {
	var out Relocation
	err := Act(ctx, s.db, by, id, func(tx *Tx) error {
		cur := tx.Relocation
		r, changes, err := Revise(pre, cur.Version, cur, Relocation.Fields, edit)
		if err != nil {
			return err
		}
		if len(changes) == 0 {
			out = cur
			return nil
		}
		err = tx.WriteGet(ctx, &out, updateRelocation, append([]any{id}, r.writtenValues()...)...)
		if err != nil {
			return DBError(fmt.Sprintf("relocation: update %d", id), err, relocationNotFound)
		}
		tx.Relocation = out
		if err := tx.Journal(ctx, EntityRelocation, id, ActionUpdate, changes); err != nil {
			return err
		}
		if err := tx.publicRelocationEvent(ctx, cur, out); err != nil {
			return err
		}
		if cur.TargetMove != out.TargetMove {
			if err := tx.replanMove(ctx, out.TargetMove, ""); err != nil {
				return err
			}
		}
		if s.hooks.Updated != nil {
			return s.hooks.Updated(ctx, tx, cur)
		}
		return nil
	})
	return out, err
}

// CreateMilestone adds the milestone input returns to relocation relocationID; its
// baseline is its planned date. A move milestone sets the relocation's target move (One
// move date). Errors: see Act; ECONFLICT for a second move milestone; input's.
func (s *Store) CreateMilestone(ctx context.Context, by Actor, relocationID int64, input func() (Milestone, error)) (Milestone, error) {
	var out Milestone
	err := Act(ctx, s.db, by, relocationID, func(tx *Tx) error {
		m, err := input()
		if err != nil {
			return err
		}
		out, err = tx.insertMilestone(ctx, m)
		return err
	})
	out.History = []PlannedChange{}
	return out, err
}

// insertMilestone adds m to the action's relocation, journaled, with its public event,
// the relocation's target move following a move milestone (One move date): the one way
// a milestone is made, by CreateMilestone or by a written question's import.
func (tx *Tx) insertMilestone(ctx context.Context, m Milestone) (Milestone, error) {
	var out Milestone
	err := tx.WriteGet(ctx, &out, `INSERT INTO milestones (relocation_id, kind, title, planned,
		planned_start, planned_end, baseline, baseline_end, actual, source, source_url, notes, public)
		VALUES ($1, $2, $3, $4, $5, $6, $4, $6, $7, $8, $9, $10, $11) RETURNING `+milestoneColumns,
		tx.Relocation.ID, m.Kind, m.Title, m.Planned, m.Planned.Start(), m.Planned.End(),
		m.Actual, m.Source, m.SourceURL, m.Notes, m.Public)
	if err != nil {
		return out, DBError("milestone: create", err, "")
	}
	out.History = []PlannedChange{}
	if err := tx.Journal(ctx, EntityMilestone, out.ID, ActionCreate, Diff(nil, out.Fields())); err != nil {
		return out, err
	}
	if err := tx.publicMilestoneEvent(ctx, nil, &out, ""); err != nil {
		return out, err
	}
	if out.Kind == KindMove {
		return out, tx.followMove(ctx, out.Planned, "")
	}
	return out, nil
}

// UpdateMilestone changes milestone id to what edit makes of its current values,
// provided pre holds. A change of the planned date joins the history with the reason
// edit gives; for the move milestone, the relocation's target move follows (One move
// date). A change that changes nothing keeps the version and journals nothing.
// Errors: ENOTFOUND; see Act; EPRECONDREQ/EPRECONDITION; ECONFLICT for a second move
// milestone; edit's.
func (s *Store) UpdateMilestone(ctx context.Context, by Actor, id int64, pre Precondition, edit func(cur Milestone) (next Milestone, reason string, err error)) (Milestone, error) {
	var out Milestone
	err := s.actOnMilestone(ctx, by, id, func(tx *Tx, cur Milestone) error {
		var reason string
		m, changes, err := Revise(pre, cur.Version, cur, Milestone.Fields, func(cur Milestone) (next Milestone, err error) {
			next, reason, err = edit(cur)
			return next, err
		})
		if err != nil {
			return err
		}
		if len(changes) == 0 {
			out = cur
			return nil
		}
		// The update runs with the journal line, at the end (its outcome is known here:
		// the values, the next version, the transaction's time).
		tx.writeAtEnd(`UPDATE milestones SET kind = $2, title = $3, planned = $4,
			planned_start = $5, planned_end = $6, actual = $7, source = $8, source_url = $9, notes = $10,
			public = $11, version = version + 1, updated_at = now() WHERE id = $1`,
			id, m.Kind, m.Title, m.Planned, m.Planned.Start(), m.Planned.End(), m.Actual, m.Source,
			m.SourceURL, m.Notes, m.Public)
		out = m
		out.ID, out.RelocationID, out.Baseline, out.CreatedAt = cur.ID, cur.RelocationID, cur.Baseline, cur.CreatedAt
		out.Version, out.UpdatedAt = cur.Version+1, tx.started
		out.History = slices.Clip(cur.History)
		if cur.Planned != out.Planned {
			change, err := tx.writeHistory(ctx, id, cur.Planned, out.Planned, reason)
			if err != nil {
				return err
			}
			out.History = append(out.History, change)
			if reason != "" {
				changes["reason"] = Change{After: reason}
			}
		}
		if err := tx.Journal(ctx, EntityMilestone, id, ActionUpdate, changes); err != nil {
			return err
		}
		if err := tx.publicMilestoneEvent(ctx, &cur, &out, reason); err != nil {
			return err
		}
		if out.Kind == KindMove {
			return tx.followMove(ctx, out.Planned, reason)
		}
		return nil
	})
	return out, err
}

// DeleteMilestone removes milestone id and its history, provided pre holds; the
// journal keeps its last values. Errors: ENOTFOUND; see Act; EPRECONDREQ/EPRECONDITION.
func (s *Store) DeleteMilestone(ctx context.Context, by Actor, id int64, pre Precondition) error {
	return s.actOnMilestone(ctx, by, id, func(tx *Tx, cur Milestone) error {
		if err := pre.CheckVersion(cur.Version, true); err != nil {
			return err
		}
		if err := tx.Write(ctx, `DELETE FROM milestones WHERE id = $1`, id); err != nil {
			return DBError(fmt.Sprintf("milestone: delete %d", id), err, MilestoneNotFound)
		}
		if err := tx.Journal(ctx, EntityMilestone, id, ActionDelete, Diff(cur.Fields(), nil)); err != nil {
			return err
		}
		return tx.publicMilestoneEvent(ctx, &cur, nil, "")
	})
}

// actOnMilestone runs fn as an action on milestone id's relocation, with the milestone
// and its history as read under the relocation's lock.
func (s *Store) actOnMilestone(ctx context.Context, by Actor, id int64, fn func(tx *Tx, cur Milestone) error) error {
	return act(ctx, s.db, by, "milestones", id, MilestoneNotFound, milestoneRead,
		func(tx *Tx, rows []milestoneWithHistory) error { return fn(tx, withHistory(rows)) })
}

// EntityManagers is the journal's name for a relocation's list of managers.
const EntityManagers = "managers"

// ManagersTag is the strong entity tag of a list of managers' emails (sorted), which
// has no version of its own.
func ManagersTag(emails []string) string {
	sum := sha256.Sum256([]byte(strings.Join(emails, "\n")))
	return "m-" + hex.EncodeToString(sum[:8])
}

// SetManagers replaces the managers of relocation relocationID by the accounts whose
// emails input returns, provided pre holds against the current list's ManagersTag; it
// returns the new list, sorted. Administrators only. Errors: see Act; EFORBIDDEN;
// EPRECONDITION; EINVALID naming unknown emails and accounts that cannot manage
// (viewers, disabled ones); input's.
func (s *Store) SetManagers(ctx context.Context, by Actor, relocationID int64, pre Precondition, input func() ([]string, error)) ([]string, error) {
	var out []string
	err := Act(ctx, s.db, by, relocationID, func(tx *Tx) error {
		if err := tx.RequireAdmin(); err != nil {
			return err
		}
		before, err := managerEmails(ctx, tx.reader(), relocationID)
		if err != nil {
			return err
		}
		stale := Errorf(EPRECONDITION, "La liste des responsables a été modifiée entre-temps : relisez-la avant de la changer.")
		if err := pre.CheckTag(ManagersTag(before), true, stale); err != nil {
			return err
		}
		emails, err := input()
		if err != nil {
			return err
		}
		wanted := normalizeEmails(emails)
		var found []candidate
		if err := tx.Select(ctx, &found, `SELECT id, email, role, disabled FROM users WHERE email = ANY($1) ORDER BY email`, pq.Array(wanted)); err != nil {
			return DBError("managers: find", err, "")
		}
		var problems []string
		ids := make([]int64, 0, len(found))
		for _, e := range wanted {
			i := slices.IndexFunc(found, func(u candidate) bool { return u.Email == e })
			switch {
			case i < 0:
				problems = append(problems, e+" : aucun compte")
			case found[i].Disabled:
				problems = append(problems, e+" : compte désactivé")
			case found[i].Role == RoleViewer:
				problems = append(problems, e+" : compte en lecture seule")
			default:
				ids = append(ids, found[i].ID)
			}
		}
		if len(problems) > 0 {
			return Invalid(FieldError{Field: "emails", Message: strings.Join(problems, " ; ")})
		}
		out = wanted
		if slices.Equal(before, wanted) {
			return nil
		}
		if err := tx.Write(ctx, `DELETE FROM relocation_managers WHERE relocation_id = $1`, relocationID); err != nil {
			return DBError("managers: clear", err, "")
		}
		if err := tx.Write(ctx, `INSERT INTO relocation_managers (relocation_id, user_id)
			SELECT $1, unnest($2::bigint[])`, relocationID, pq.Array(ids)); err != nil {
			return DBError("managers: add", err, "")
		}
		return tx.Journal(ctx, EntityManagers, relocationID, ActionUpdate,
			map[string]Change{"managers": {Before: strings.Join(before, ", "), After: strings.Join(wanted, ", ")}})
	})
	return out, err
}

// candidate is an account named as a manager.
type candidate struct {
	ID       int64  `db:"id"`
	Email    string `db:"email"`
	Role     string `db:"role"`
	Disabled bool   `db:"disabled"`
}

// ManagerEmails returns the emails of relocation relocationID's managers, sorted.
func (s *Store) ManagerEmails(ctx context.Context, relocationID int64) ([]string, error) {
	return managerEmails(ctx, s.q, relocationID)
}

// Manager is an account assigned to a relocation, as its page names it.
type Manager struct {
	Name  string `db:"name"`
	Email string `db:"email"`
}

// Managers returns relocation relocationID's managers, by email.
func (s *Store) Managers(ctx context.Context, relocationID int64) ([]Manager, error) {
	out := []Manager{}
	err := sqlx.SelectContext(ctx, s.q, &out, `SELECT u.name, u.email FROM relocation_managers m JOIN users u ON u.id = m.user_id
		WHERE m.relocation_id = $1 ORDER BY u.email`, relocationID)
	return out, DBError("managers: list", err, "")
}

func managerEmails(ctx context.Context, q sqlx.QueryerContext, relocationID int64) ([]string, error) {
	out := []string{}
	err := sqlx.SelectContext(ctx, q, &out, `SELECT u.email FROM relocation_managers m JOIN users u ON u.id = m.user_id
		WHERE m.relocation_id = $1 ORDER BY u.email`, relocationID)
	return out, DBError("managers: list", err, "")
}

// normalizeEmails trims, lower-cases, de-duplicates and sorts emails.
func normalizeEmails(emails []string) []string {
	out := make([]string, 0, len(emails))
	for _, e := range emails {
		if n := strings.ToLower(strings.TrimSpace(e)); n != "" && !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	slices.Sort(out)
	return out
}
