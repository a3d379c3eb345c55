package account

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/ministere/tracker/relocation"
)

// tokenPrefix marks the tracker's API tokens (helps secret scanners and people).
const tokenPrefix = "trk_"

// Token is an API token; its secret is shown once, at creation, and kept hashed.
type Token struct {
	ID         int64      `db:"id"`
	UserID     int64      `db:"user_id"`
	Name       string     `db:"name"`
	CreatedAt  time.Time  `db:"created_at"`
	LastUsedAt *time.Time `db:"last_used_at"`
	RevokedAt  *time.Time `db:"revoked_at"`
}

const tokenColumns = `id, user_id, name, created_at, last_used_at, revoked_at`

// CreateToken makes a token for a user, by the actor by, and returns its secret (to
// show once); its audit row (number and name, never the secret) is written in the same
// transaction. EINVALID when the name is longer than 100 characters; ECONFLICT when
// the user does not exist; EUNAVAILABLE when the database does not answer.
func (s *Store) CreateToken(ctx context.Context, by relocation.Actor, userID int64, name string) (string, Token, error) {
	name, err := relocation.CleanText(name) // the one rule of texts, for the CLI and the profile page
	if err != nil {
		return "", Token{}, relocation.Invalid(relocation.FieldError{Field: "name", Message: err.Error()})
	}
	name = strings.TrimSpace(name)
	if utf8.RuneCountInString(name) > 100 {
		return "", Token{}, relocation.Invalid(relocation.FieldError{Field: "name", Message: "100 caractères au maximum"})
	}
	secret, _ := newSecret()
	secret = tokenPrefix + secret
	tx, err := s.db.BeginTxx(ctx, nil)
	if err != nil {
		return "", Token{}, relocation.DBError("account: begin", err, "")
	}
	defer tx.Rollback()
	var t Token
	err = tx.GetContext(ctx, &t, `INSERT INTO api_tokens (user_id, name, token_hash, created_at)
		VALUES ($1, $2, $3, $4) RETURNING `+tokenColumns, userID, name, hashSecret(secret), s.now())
	if err != nil {
		return "", Token{}, relocation.DBError("account: create token", err, "")
	}
	if err := writeAudit(ctx, tx, by, userID, AuditTokenCreate, relocation.Diff(nil, tokenFields(t))); err != nil {
		return "", Token{}, err
	}
	if err := tx.Commit(); err != nil {
		return "", Token{}, relocation.DBError("account: commit", err, "")
	}
	return secret, t, nil
}

// UserByToken returns the user of a live token; EUNAUTHORIZED when the token is
// unknown, revoked, or its account disabled.
func (s *Store) UserByToken(ctx context.Context, secret string) (User, error) {
	var row struct {
		TokenID    int64      `db:"token_id"`
		LastUsedAt *time.Time `db:"last_used_at"`
		User
	}
	stmt, err := s.tokenStmt.Get(ctx, s.db, `SELECT t.id AS token_id, t.last_used_at, `+relocation.Qualified("u", userColumns)+`
		FROM api_tokens t JOIN users u ON u.id = t.user_id
		WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND NOT u.disabled`)
	if err != nil {
		return User{}, err
	}
	err = stmt.GetContext(ctx, &row, hashSecret(secret))
	if relocation.ErrorCode(relocation.DBError("", err, "")) == relocation.ENOTFOUND {
		return User{}, relocation.Errorf(relocation.EUNAUTHORIZED, "Jeton d’API inconnu ou révoqué.")
	}
	if err != nil {
		return User{}, relocation.DBError("account: token", err, "")
	}
	now := s.now()
	if row.LastUsedAt == nil || now.Sub(*row.LastUsedAt) > tokenTouchInterval {
		if _, err := s.db.ExecContext(ctx, `UPDATE api_tokens SET last_used_at = $2 WHERE id = $1`, row.TokenID, now); err != nil {
			return User{}, relocation.DBError("account: touch token", err, "")
		}
	}
	return row.User, nil
}

// Tokens returns a user's tokens, newest first, revoked ones included.
func (s *Store) Tokens(ctx context.Context, userID int64) ([]Token, error) {
	var out []Token
	err := s.db.SelectContext(ctx, &out, `SELECT `+tokenColumns+` FROM api_tokens WHERE user_id = $1 ORDER BY id DESC`, userID)
	return out, relocation.DBError("account: tokens", err, "")
}

// TokenNotFound refuses a token the account does not hold, or no longer.
const TokenNotFound = "Ce jeton n’existe pas ou est déjà révoqué."

// RevokeToken revokes one of a user's tokens, by the actor by, and writes its audit
// row (number and name) in the same transaction. ENOTFOUND when the user has no such
// live token; EUNAVAILABLE when the database does not answer.
func (s *Store) RevokeToken(ctx context.Context, by relocation.Actor, userID, tokenID int64) error {
	tx, err := s.db.BeginTxx(ctx, nil)
	if err != nil {
		return relocation.DBError("account: begin", err, "")
	}
	defer tx.Rollback()
	var t Token
	err = tx.GetContext(ctx, &t, `UPDATE api_tokens SET revoked_at = $3 WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL
		RETURNING `+tokenColumns, tokenID, userID, s.now())
	if err != nil {
		return relocation.DBError("account: revoke token", err, TokenNotFound)
	}
	if err := writeAudit(ctx, tx, by, userID, AuditTokenRevoke, relocation.Diff(tokenFields(t), nil)); err != nil {
		return err
	}
	return relocation.DBError("account: commit", tx.Commit(), "")
}
