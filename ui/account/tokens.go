package account

import (
	"context"
	"strings"
	"time"

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

// CreateToken makes a token for a user and returns its secret (to show once).
func (s *Store) CreateToken(ctx context.Context, userID int64, name string) (string, Token, error) {
	name = strings.TrimSpace(name)
	if len(name) > 100 {
		return "", Token{}, relocation.Invalid(relocation.FieldError{Field: "name", Message: "100 caractères au maximum"})
	}
	secret, _ := newSecret()
	secret = tokenPrefix + secret
	var t Token
	err := s.db.GetContext(ctx, &t, `INSERT INTO api_tokens (user_id, name, token_hash, created_at)
		VALUES ($1, $2, $3, $4) RETURNING `+tokenColumns, userID, name, hashSecret(secret), s.now())
	return secret, t, relocation.DBError("account: create token", err, "")
}

// UserByToken returns the user of a live token; EUNAUTHORIZED when the token is
// unknown, revoked, or its account disabled.
func (s *Store) UserByToken(ctx context.Context, secret string) (User, error) {
	var row struct {
		TokenID    int64      `db:"token_id"`
		LastUsedAt *time.Time `db:"last_used_at"`
		User
	}
	err := s.db.GetContext(ctx, &row, `SELECT t.id AS token_id, t.last_used_at, `+prefixed("u", userColumns)+`
		FROM api_tokens t JOIN users u ON u.id = t.user_id
		WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND NOT u.disabled`, hashSecret(secret))
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

// RevokeToken revokes one of a user's tokens; ENOTFOUND when the user has no such
// live token.
func (s *Store) RevokeToken(ctx context.Context, userID, tokenID int64) error {
	res, err := s.db.ExecContext(ctx, `UPDATE api_tokens SET revoked_at = $3 WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL`,
		tokenID, userID, s.now())
	if err != nil {
		return relocation.DBError("account: revoke token", err, "")
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return relocation.Errorf(relocation.ENOTFOUND, "Ce jeton n’existe pas ou est déjà révoqué.")
	}
	return nil
}

// prefixed qualifies a column list with a table alias: "a, b" → "u.a, u.b".
func prefixed(alias, columns string) string {
	cols := strings.Split(columns, ",")
	for i, c := range cols {
		cols[i] = alias + "." + strings.TrimSpace(c)
	}
	return strings.Join(cols, ", ")
}
