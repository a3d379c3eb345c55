package account

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/jmoiron/sqlx"
	"golang.org/x/crypto/bcrypt"

	"github.com/ministere/tracker/relocation"
)

const userColumns = `id, email, name, role, password_hash, disabled, version, created_at, updated_at`

const userNotFound = "Ce compte n’existe pas."

// NewUser is what creating an account takes.
type NewUser struct {
	Email, Name, Role, Password string
}

// maxNameLength bounds an account's name, in characters.
const maxNameLength = 200

// checkName cleans an account's name (the one rule of texts, relocation.CleanText, for
// the command line and the pages alike; trimmed) and says why it is refused, or "": on
// creation and on every change alike.
func checkName(raw string) (string, string) {
	name, err := relocation.CleanText(raw)
	name = strings.TrimSpace(name)
	switch {
	case err != nil:
		return name, err.Error()
	case name == "" || utf8.RuneCountInString(name) > maxNameLength:
		return name, fmt.Sprintf("champ obligatoire, %d caractères au maximum", maxNameLength)
	}
	return name, ""
}

// checkPassword says why a password is refused, or "".
func checkPassword(p string) string {
	if utf8.RuneCountInString(p) < MinPasswordLength {
		return fmt.Sprintf("%d caractères au minimum", MinPasswordLength)
	}
	if len(p) > 72 {
		return "72 octets au maximum"
	}
	return ""
}

// CreateUser creates an account, by the actor by, and writes its audit row (email,
// name, role) in the same transaction; the password is hashed before it begins.
// EINVALID lists refused fields (email, name, role, password of at least 12
// characters); EFORBIDDEN unless by is an administrator (or the program); ECONFLICT
// when the email is taken; EUNAVAILABLE when the database does not answer.
func (s *Store) CreateUser(ctx context.Context, by relocation.Actor, in NewUser) (User, error) {
	var fields []relocation.FieldError
	email, err := NormalizeEmail(in.Email)
	if err != nil {
		fields = append(fields, relocation.FieldError{Field: "email", Message: "adresse électronique invalide"})
	}
	name, msg := checkName(in.Name)
	if msg != "" {
		fields = append(fields, relocation.FieldError{Field: "name", Message: msg})
	}
	if !IsRole(in.Role) {
		fields = append(fields, relocation.FieldError{Field: "role", Message: relocation.UnknownValue(Roles())})
	}
	if msg := checkPassword(in.Password); msg != "" {
		fields = append(fields, relocation.FieldError{Field: "password", Message: msg})
	}
	if len(fields) > 0 {
		return User{}, relocation.Invalid(fields...)
	}
	// bcrypt takes a noticeable time on purpose: never inside the transaction.
	hash, err := bcrypt.GenerateFromPassword([]byte(in.Password), s.cost)
	if err != nil {
		return User{}, fmt.Errorf("account: hash: %w", err)
	}
	var u User
	err = s.asAdmin(ctx, by, func(tx *sqlx.Tx) error {
		err := tx.GetContext(ctx, &u, `INSERT INTO users (email, name, role, password_hash) VALUES ($1, $2, $3, $4)
			RETURNING `+userColumns, email, name, in.Role, string(hash))
		if err != nil { // a taken email: the users_email refusal of relocation.DBError
			return relocation.DBError("account: create user", err, "")
		}
		created := relocation.Diff(nil, relocation.Fields{"email": u.Email, "name": u.Name, "role": u.Role})
		return writeAudit(ctx, tx, by, u.ID, AuditCreate, created)
	})
	if err != nil {
		return User{}, err
	}
	return u, nil
}

// asAdmin runs fn in one transaction, once by is found to be an administrator (or the
// program) inside it, and commits what fn did. EFORBIDDEN otherwise; fn's errors.
func (s *Store) asAdmin(ctx context.Context, by relocation.Actor, fn func(tx *sqlx.Tx) error) error {
	tx, err := s.db.BeginTxx(ctx, nil)
	if err != nil {
		return relocation.DBError("account: begin", err, "")
	}
	defer tx.Rollback()
	if err := relocation.RequireAdmin(ctx, tx, by); err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		return err
	}
	return relocation.DBError("account: commit", tx.Commit(), "")
}

// User returns one account; ENOTFOUND when there is none.
func (s *Store) User(ctx context.Context, id int64) (User, error) {
	var u User
	err := s.db.GetContext(ctx, &u, `SELECT `+userColumns+` FROM users WHERE id = $1`, id)
	return u, relocation.DBError(fmt.Sprintf("account: user %d", id), err, userNotFound)
}

// UserByEmail returns the account with this email; ENOTFOUND when there is none.
func (s *Store) UserByEmail(ctx context.Context, email string) (User, error) {
	var u User
	err := s.db.GetContext(ctx, &u, `SELECT `+userColumns+` FROM users WHERE email = lower(btrim($1))`, email)
	return u, relocation.DBError("account: user by email", err, userNotFound)
}

// Users returns every account, by name.
func (s *Store) Users(ctx context.Context) ([]User, error) { return Users(ctx, s.db) }

// Users returns every account, by name, read over q (a snapshot, say).
func Users(ctx context.Context, q sqlx.QueryerContext) ([]User, error) {
	us := []User{}
	err := sqlx.SelectContext(ctx, q, &us, `SELECT `+userColumns+` FROM users ORDER BY name, email`)
	return us, relocation.DBError("account: users", err, "")
}

// ErrSelfDemotion refuses an administrator's disabling or demoting their own account.
var ErrSelfDemotion = relocation.Errorf(relocation.ECONFLICT, "Vous ne pouvez ni désactiver votre propre compte ni lui retirer le rôle d’administrateur.")

// ErrLastAdmin refuses disabling or demoting the last enabled administrator.
var ErrLastAdmin = relocation.Errorf(relocation.ECONFLICT, "C’est le dernier compte administrateur actif : nommez-en un autre avant de le désactiver ou de lui retirer ce rôle.")

// checkAdminsKept refuses a change that would leave cur, an enabled administrator, no
// longer one when by is cur itself (ErrSelfDemotion) or cur is the last enabled one
// (ErrLastAdmin), whoever asks (the command line too). Such changes queue on one
// transaction-level advisory lock before counting, so that two demotions at once cannot
// each count the other (no row lock is taken: nothing to deadlock on).
func checkAdminsKept(ctx context.Context, tx *sqlx.Tx, by relocation.Actor, cur User, ch UserChange) error {
	if cur.Role != RoleAdmin || cur.Disabled || (ch.Role == RoleAdmin && !ch.Disabled) {
		return nil
	}
	if by.UserID == cur.ID {
		return ErrSelfDemotion
	}
	// Two statements: the count's snapshot must be taken once the lock is held.
	if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(hashtext('tracker.administrators'))`); err != nil {
		return relocation.DBError("account: queue administrators", err, "")
	}
	var others int
	err := tx.GetContext(ctx, &others, `SELECT count(*) FROM users WHERE role = $1 AND NOT disabled AND id <> $2`,
		RoleAdmin, cur.ID)
	if err != nil {
		return relocation.DBError("account: count administrators", err, "")
	}
	if others == 0 {
		return ErrLastAdmin
	}
	return nil
}

// UserChange is what an administrator may change of an account; an empty Password
// keeps the current one.
type UserChange struct {
	Name, Role, Password string
	Disabled             bool
}

// UpdateUser changes an account, if it still meets pre, by the actor by, and writes its audit rows
// in the same transaction (see auditUserChange: one per kind of change). A new
// password is hashed before the transaction begins. Disabling an account or changing
// its password ends its sessions and revokes its API tokens. A change of nothing (no new password, same name,
// role and state) keeps the version and writes nothing. EINVALID lists refused fields;
// ENOTFOUND when there is no such account; EPRECONDITION when pre fails (the
// current account is returned with it); EFORBIDDEN unless by is an administrator (or the
// program); ECONFLICT for ErrSelfDemotion and ErrLastAdmin; EUNAVAILABLE when the
// database does not answer.
func (s *Store) UpdateUser(ctx context.Context, by relocation.Actor, id int64, pre relocation.Precondition, ch UserChange) (User, error) {
	var fields []relocation.FieldError
	var msg string
	if ch.Name, msg = checkName(ch.Name); msg != "" {
		fields = append(fields, relocation.FieldError{Field: "name", Message: msg})
	}
	if !IsRole(ch.Role) {
		fields = append(fields, relocation.FieldError{Field: "role", Message: relocation.UnknownValue(Roles())})
	}
	if msg := checkPassword(ch.Password); ch.Password != "" && msg != "" {
		fields = append(fields, relocation.FieldError{Field: "password", Message: msg})
	}
	if len(fields) > 0 {
		return User{}, relocation.Invalid(fields...)
	}
	// bcrypt takes a noticeable time on purpose: hash first, so that the account's row
	// is never locked while it runs.
	var newHash string
	if ch.Password != "" {
		b, err := bcrypt.GenerateFromPassword([]byte(ch.Password), s.cost)
		if err != nil {
			return User{}, fmt.Errorf("account: hash: %w", err)
		}
		newHash = string(b)
	}
	var out User
	err := s.asAdmin(ctx, by, func(tx *sqlx.Tx) error {
		var cur User
		if err := tx.GetContext(ctx, &cur, `SELECT `+userColumns+` FROM users WHERE id = $1 FOR UPDATE`, id); err != nil {
			return relocation.DBError("account: lock user", err, userNotFound)
		}
		out = cur // what a refusal returns: the current account
		if err := pre.CheckVersion(cur.Version, true); err != nil {
			return err
		}
		if err := checkAdminsKept(ctx, tx, by, cur, ch); err != nil {
			return err
		}
		reset := newHash != ""
		if ch.Name == cur.Name && ch.Role == cur.Role && ch.Disabled == cur.Disabled && !reset {
			return nil
		}
		hash := cur.PasswordHash
		if reset {
			hash = newHash
		}
		if err := tx.GetContext(ctx, &out, `UPDATE users SET name = $2, role = $3, disabled = $4, password_hash = $5,
			version = version + 1, updated_at = now() WHERE id = $1 RETURNING `+userColumns,
			id, ch.Name, ch.Role, ch.Disabled, hash); err != nil {
			return relocation.DBError("account: update user", err, userNotFound)
		}
		if ch.Disabled || reset { // end its sessions and revoke its tokens: whoever held them is out
			if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = $1`, id); err != nil {
				return relocation.DBError("account: end sessions", err, "")
			}
			if _, err := tx.ExecContext(ctx, `UPDATE api_tokens SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL`, id, s.now()); err != nil {
				return relocation.DBError("account: revoke tokens", err, "")
			}
		}
		return auditUserChange(ctx, tx, by, cur, out, reset)
	})
	return out, err
}
