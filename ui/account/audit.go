package account

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/ministere/tracker/relocation"
)

// Audit actions: what happened to an account. The database's CHECK on
// account_audit.action lists the same values.
const (
	AuditCreate         = "create"          // the account was created
	AuditUpdate         = "update"          // its name or role changed
	AuditDisable        = "disable"         // it was disabled
	AuditEnable         = "enable"          // it was enabled again
	AuditPasswordReset  = "password_reset"  // an administrator replaced its password (no value recorded)
	AuditPasswordChange = "password_change" // its owner changed its password (no value recorded)
	AuditTokenCreate    = "token_create"    // an API token was made for it
	AuditTokenRevoke    = "token_revoke"    // one of its API tokens was revoked
)

// auditActions lists every audit action, in the order a change writes them; the CHECK on
// account_audit.action allows the same (TestAllowedValuesMatchDatabase compares them).
var auditActions = []string{AuditCreate, AuditUpdate, AuditDisable, AuditEnable, AuditPasswordReset,
	AuditPasswordChange, AuditTokenCreate, AuditTokenRevoke}

// AuditActions returns every audit action (a copy).
func AuditActions() []string { return slices.Clone(auditActions) }

// AuditEntry is one line of the account audit: who (By) did what (Action) to which
// account (UserID, Email), when, and the fields before → after. It never holds a
// password, a hash or a token secret.
type AuditEntry struct {
	ID         int64                        `db:"id"`
	At         time.Time                    `db:"at"`
	By         string                       `db:"by"`
	UserID     int64                        `db:"user_id"`
	Email      string                       `db:"email"` // the changed account's, as it is now
	Action     string                       `db:"action"`
	Changes    map[string]relocation.Change `db:"-"`
	RawChanges []byte                       `db:"changes"`
}

// writeAudit records one account change inside the caller's transaction (the count of
// account changes that drawn pages depend on is raised by the users table's trigger,
// migration 013).
func writeAudit(ctx context.Context, tx sqlx.ExecerContext, by relocation.Actor, userID int64, action string, changes map[string]relocation.Change) error {
	raw, err := relocation.EncodeChanges(changes)
	if err != nil {
		return fmt.Errorf("account: encode audit: %w", err)
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO account_audit (by, user_id, action, changes) VALUES ($1, $2, $3, $4)`,
		by.Name, userID, action, raw)
	return relocation.DBError("account: write audit", err, "")
}

// Audit returns the account audit, newest first, limit entries from offset, each with
// the changed account's email. Errors are database errors (EUNAVAILABLE when it does
// not answer).
func (s *Store) Audit(ctx context.Context, limit, offset int) ([]AuditEntry, error) {
	entries := []AuditEntry{}
	err := s.db.SelectContext(ctx, &entries, `SELECT a.id, a.at, a.by, a.user_id, u.email, a.action, a.changes
		FROM account_audit a JOIN users u ON u.id = a.user_id ORDER BY a.id DESC LIMIT $1 OFFSET $2`, limit, offset)
	if err != nil {
		return nil, relocation.DBError("account: audit", err, "")
	}
	for i := range entries {
		if entries[i].Changes, err = relocation.DecodeChanges(entries[i].RawChanges); err != nil {
			return nil, fmt.Errorf("account: decode audit %d: %w", entries[i].ID, err)
		}
	}
	return entries, nil
}

// AuditCount returns how many entries the account audit holds. Errors are database
// errors (EUNAVAILABLE when it does not answer).
func (s *Store) AuditCount(ctx context.Context) (int, error) {
	var n int
	err := s.db.GetContext(ctx, &n, `SELECT count(*) FROM account_audit`)
	return n, relocation.DBError("account: audit count", err, "")
}

// auditUserChange writes the audit rows of one change of an account, one row per kind
// of change: update (name, role: before → after), disable or enable (disabled: before →
// after), password_reset (no field: only the fact). A change of nothing writes nothing.
func auditUserChange(ctx context.Context, tx sqlx.ExecerContext, by relocation.Actor, before, after User, passwordReset bool) error {
	named := relocation.Diff(relocation.Fields{"name": before.Name, "role": before.Role},
		relocation.Fields{"name": after.Name, "role": after.Role})
	if len(named) > 0 {
		if err := writeAudit(ctx, tx, by, after.ID, AuditUpdate, named); err != nil {
			return err
		}
	}
	if before.Disabled != after.Disabled {
		action := AuditEnable
		if after.Disabled {
			action = AuditDisable
		}
		ch := map[string]relocation.Change{"disabled": {Before: before.Disabled, After: after.Disabled}}
		if err := writeAudit(ctx, tx, by, after.ID, action, ch); err != nil {
			return err
		}
	}
	if passwordReset {
		return writeAudit(ctx, tx, by, after.ID, AuditPasswordReset, nil)
	}
	return nil
}

// tokenFields are what the audit records of a token: its number and name, never its
// secret or hash.
func tokenFields(t Token) relocation.Fields {
	return relocation.Fields{"token_id": t.ID, "token_name": t.Name}
}
