package account

import (
	"context"
	"fmt"

	"golang.org/x/crypto/bcrypt"

	"github.com/ministere/tracker/relocation"
)

// PasswordChange is what changing one's own password takes: the current password and
// the new one twice.
type PasswordChange struct {
	Current, New, Confirm string
}

// Fields of the own-password form, as errors name them.
const (
	FieldCurrentPassword = "current_password"
	FieldNewPassword     = "new_password"
	FieldConfirmPassword = "new_password_confirm"
)

// ChangePassword changes the password of the account u, asked by its owner from the
// browser session whose hash is keep, at the client address client. The current
// password is checked by Authenticate, so the login throttling guards it too: a guesser
// holding a stolen session cannot try passwords faster than at the login form. The new
// password is hashed before the transaction; in it the account's other sessions end
// (keep stays; its API tokens stay too: they are listed on the profile, which revokes
// them) and the account audit records password_change by the owner.
//
// EINVALID lists refused fields (current_password: missing or wrong; new_password: fewer
// than MinPasswordLength characters, more than 72 bytes or the current one;
// new_password_confirm: not the same); ETOOMANY while the login throttling locks the
// account at this address; ECONFLICT when the password changed meanwhile; EUNAVAILABLE
// when the database does not answer.
func (s *Store) ChangePassword(ctx context.Context, u User, keep []byte, ch PasswordChange, client string) error {
	var fields []relocation.FieldError
	refuse := func(field, msg string) { fields = append(fields, relocation.FieldError{Field: field, Message: msg}) }
	var checked User
	if ch.Current == "" {
		refuse(FieldCurrentPassword, "champ obligatoire")
	} else {
		var err error
		checked, err = s.Authenticate(ctx, u.Email, ch.Current, client)
		switch relocation.ErrorCode(err) {
		case "":
		case relocation.EUNAUTHORIZED:
			refuse(FieldCurrentPassword, "mot de passe incorrect")
		default:
			return err
		}
	}
	if msg := checkPassword(ch.New); msg != "" {
		refuse(FieldNewPassword, msg)
	} else if ch.New == ch.Current {
		refuse(FieldNewPassword, "doit être différent du mot de passe actuel")
	}
	if ch.Confirm != ch.New {
		refuse(FieldConfirmPassword, "ne correspond pas au nouveau mot de passe")
	}
	if len(fields) > 0 {
		return relocation.Invalid(fields...)
	}
	// bcrypt takes a noticeable time on purpose: never inside the transaction.
	hash, err := bcrypt.GenerateFromPassword([]byte(ch.New), s.cost)
	if err != nil {
		return fmt.Errorf("account: hash: %w", err)
	}
	tx, err := s.db.BeginTxx(ctx, nil)
	if err != nil {
		return relocation.DBError("account: begin", err, "")
	}
	defer tx.Rollback()
	var cur User
	if err := tx.GetContext(ctx, &cur, `SELECT `+userColumns+` FROM users WHERE id = $1 FOR UPDATE`, u.ID); err != nil {
		return relocation.DBError("account: lock user", err, userNotFound)
	}
	if cur.Disabled || cur.PasswordHash != checked.PasswordHash {
		return relocation.Errorf(relocation.ECONFLICT, "Le mot de passe de ce compte a été changé entre-temps : recommencez.")
	}
	if _, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = $2, version = version + 1, updated_at = now()
		WHERE id = $1`, u.ID, string(hash)); err != nil {
		return relocation.DBError("account: change password", err, "")
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = $1 AND ($2::bytea IS NULL OR id_hash <> $2)`,
		u.ID, keep); err != nil {
		return relocation.DBError("account: end other sessions", err, "")
	}
	if err := writeAudit(ctx, tx, u.Actor(), u.ID, AuditPasswordChange, nil); err != nil {
		return err
	}
	return relocation.DBError("account: commit", tx.Commit(), "")
}
