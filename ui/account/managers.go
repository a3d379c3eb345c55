package account

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/ministere/tracker/relocation"
)

// EntityManagers is the journal's name for a relocation's list of managers.
const EntityManagers = "managers"

// Managers returns the accounts assigned to a relocation, by email.
func (s *Store) Managers(ctx context.Context, relocationID int64) ([]User, error) {
	us := []User{}
	err := s.db.SelectContext(ctx, &us, `SELECT `+prefixed("u", userColumns)+` FROM relocation_managers m
		JOIN users u ON u.id = m.user_id WHERE m.relocation_id = $1 ORDER BY u.email`, relocationID)
	return us, relocation.DBError("account: managers", err, "")
}

// Manages reports whether the user is assigned to the relocation.
func (s *Store) Manages(ctx context.Context, userID, relocationID int64) (bool, error) {
	var ok bool
	err := s.db.GetContext(ctx, &ok, `SELECT EXISTS (SELECT 1 FROM relocation_managers
		WHERE user_id = $1 AND relocation_id = $2)`, userID, relocationID)
	return ok, relocation.DBError("account: manages", err, "")
}

// SetManagers replaces the managers of a relocation by the accounts with these emails,
// journaled as one change. EINVALID names unknown emails and accounts that cannot
// manage (viewers, disabled); ENOTFOUND when the relocation does not exist. check,
// when not nil, sees the current emails under lock and may refuse the change (an
// If-Match that names another list).
func (s *Store) SetManagers(ctx context.Context, by relocation.Actor, relocationID int64, emails []string, check func(current []string) error) ([]User, error) {
	wanted := make([]string, 0, len(emails))
	for _, e := range emails {
		n, err := NormalizeEmail(e)
		if err != nil {
			return nil, relocation.Invalid(relocation.FieldError{Field: "emails", Message: fmt.Sprintf("adresse invalide : %q", e)})
		}
		if !slices.Contains(wanted, n) {
			wanted = append(wanted, n)
		}
	}
	slices.Sort(wanted)
	tx, err := s.db.BeginTxx(ctx, nil)
	if err != nil {
		return nil, relocation.DBError("account: begin", err, "")
	}
	defer tx.Rollback()
	if _, err := relocation.LockRelocation(ctx, tx, relocationID); err != nil {
		return nil, err
	}
	var found []User
	if err := tx.SelectContext(ctx, &found, `SELECT `+userColumns+` FROM users WHERE email = ANY($1) ORDER BY email`, pq.Array(wanted)); err != nil {
		return nil, relocation.DBError("account: find managers", err, "")
	}
	if msg := unfitManagers(wanted, found); msg != "" {
		return nil, relocation.Invalid(relocation.FieldError{Field: "emails", Message: msg})
	}
	var before []string
	if err := tx.SelectContext(ctx, &before, `SELECT u.email FROM relocation_managers m JOIN users u ON u.id = m.user_id
		WHERE m.relocation_id = $1 ORDER BY u.email`, relocationID); err != nil {
		return nil, relocation.DBError("account: current managers", err, "")
	}
	if check != nil {
		if err := check(before); err != nil {
			return nil, err
		}
	}
	if slices.Equal(before, wanted) {
		return found, nil
	}
	if err := replaceManagers(ctx, tx, relocationID, found); err != nil {
		return nil, err
	}
	changes := map[string]relocation.Change{"managers": {Before: strings.Join(before, ", "), After: strings.Join(wanted, ", ")}}
	if err := relocation.WriteJournal(ctx, tx, by, relocationID, EntityManagers, relocationID, relocation.ActionUpdate, changes); err != nil {
		return nil, err
	}
	return found, relocation.DBError("account: commit", tx.Commit(), "")
}

// unfitManagers says which wanted emails cannot manage, or "".
func unfitManagers(wanted []string, found []User) string {
	var problems []string
	for _, e := range wanted {
		i := slices.IndexFunc(found, func(u User) bool { return u.Email == e })
		switch {
		case i < 0:
			problems = append(problems, e+" : aucun compte")
		case found[i].Disabled:
			problems = append(problems, e+" : compte désactivé")
		case found[i].Role == RoleViewer:
			problems = append(problems, e+" : compte en lecture seule")
		}
	}
	return strings.Join(problems, " ; ")
}

func replaceManagers(ctx context.Context, tx *sqlx.Tx, relocationID int64, users []User) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM relocation_managers WHERE relocation_id = $1`, relocationID); err != nil {
		return relocation.DBError("account: clear managers", err, "")
	}
	for _, u := range users {
		if _, err := tx.ExecContext(ctx, `INSERT INTO relocation_managers (relocation_id, user_id) VALUES ($1, $2)`, relocationID, u.ID); err != nil {
			return relocation.DBError("account: add manager", err, "")
		}
	}
	return nil
}

// AssignCreator makes the manager who created a relocation one of its managers, in
// the creation's transaction.
func AssignCreator(ctx context.Context, tx *sqlx.Tx, relocationID, userID int64) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO relocation_managers (relocation_id, user_id) VALUES ($1, $2)
		ON CONFLICT DO NOTHING`, relocationID, userID)
	return relocation.DBError("account: assign creator", err, "")
}
