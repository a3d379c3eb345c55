package account

import (
	"context"
	"database/sql"
	"encoding/hex"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/ministere/tracker/relocation"
)

// Session is a signed-in browser. The cookie holds a secret; the store keeps its hash.
type Session struct {
	IDHash     []byte    `db:"id_hash"`
	UserID     int64     `db:"user_id"`
	CSRFToken  string    `db:"csrf_token"`
	CreatedAt  time.Time `db:"created_at"`
	LastSeenAt time.Time `db:"last_seen_at"`
	ExpiresAt  time.Time `db:"expires_at"`
	UserAgent  string    `db:"user_agent"`
}

// Key names the session in pages and forms (the hex of its hash, never the secret).
func (s Session) Key() string { return hex.EncodeToString(s.IDHash) }

const sessionColumns = `id_hash, user_id, csrf_token, created_at, last_seen_at, expires_at, user_agent`

var errNoSession = relocation.Errorf(relocation.EUNAUTHORIZED, "Votre session a expiré : reconnectez-vous.")

// CreateSession opens a session for a user (a new id at every login) and returns the
// secret for the cookie.
func (s *Store) CreateSession(ctx context.Context, userID int64, userAgent string) (string, Session, error) {
	return s.createSession(ctx, userID, userAgent, sql.NullString{})
}

// CreateProConnectSession opens a session as CreateSession does, for a user whom
// ProConnect identified, and keeps ProConnect's ID token for logout (EndSession returns
// it).
func (s *Store) CreateProConnectSession(ctx context.Context, userID int64, userAgent, idToken string) (string, Session, error) {
	return s.createSession(ctx, userID, userAgent, sql.NullString{String: idToken, Valid: idToken != ""})
}

func (s *Store) createSession(ctx context.Context, userID int64, userAgent string, idToken sql.NullString) (string, Session, error) {
	secret, hash := newSecret()
	csrf, _ := newSecret()
	now := s.now()
	// Forget what has expired, here rather than on a timer: logins are rare enough.
	_, err := s.db.ExecContext(ctx, `DELETE FROM sessions WHERE expires_at <= $1 OR last_seen_at <= $2`, now, idleCutoff(now))
	if err == nil {
		err = s.purgeThrottle(ctx, true)
	}
	if err != nil {
		return "", Session{}, relocation.DBError("account: purge", err, "")
	}
	userAgent = cleanUserAgent(userAgent)
	var sess Session
	err = s.db.GetContext(ctx, &sess, `INSERT INTO sessions (id_hash, user_id, csrf_token, created_at, last_seen_at, expires_at, user_agent, id_token)
		VALUES ($1, $2, $3, $4, $4, $5, $6, $7) RETURNING `+sessionColumns,
		hash, userID, csrf, now, now.Add(SessionAbsolute), userAgent, idToken)
	return secret, sess, relocation.DBError("account: create session", err, "")
}

// sessionTouchInterval is how often a session's last use is written: a read costs no
// write, and the idle limit stays exact to the minute.
const sessionTouchInterval = time.Minute

// idleCutoff is the stored last use before which a session is dead at now: SessionIdle,
// plus the lag sessionTouchInterval allows the stored time. The one cut-off that reading,
// listing and purging sessions share.
func idleCutoff(now time.Time) time.Time { return now.Add(-(SessionIdle + sessionTouchInterval)) }

// Session returns the live session of a cookie secret and its user. EUNAUTHORIZED when
// the secret is unknown, the session idle for SessionIdle or past SessionAbsolute, or
// the account disabled. One read; its last use is written only when it is older than
// sessionTouchInterval (parallel requests of a session then rarely queue on its row), so
// the stored time may lag the last request by up to that interval: a session dies
// between SessionIdle and SessionIdle + sessionTouchInterval after its last request.
func (s *Store) Session(ctx context.Context, secret string) (Session, User, error) {
	var row struct {
		Session
		User `db:"u"`
	}
	now := s.now()
	hash := hashSecret(secret)
	stmt, err := s.sessionStmt.Get(ctx, s.db, `SELECT s.id_hash, s.user_id, s.csrf_token, s.created_at, s.last_seen_at, s.expires_at, s.user_agent,
			u.id AS "u.id", u.email AS "u.email", u.name AS "u.name", u.role AS "u.role",
			u.password_hash AS "u.password_hash", u.disabled AS "u.disabled", u.version AS "u.version",
			u.created_at AS "u.created_at", u.updated_at AS "u.updated_at"
		FROM sessions s JOIN users u ON u.id = s.user_id
		WHERE s.id_hash = $1 AND NOT u.disabled AND s.expires_at > $2 AND s.last_seen_at > $3`)
	if err != nil {
		return Session{}, User{}, err
	}
	err = stmt.GetContext(ctx, &row, hash, now, idleCutoff(now))
	if relocation.ErrorCode(relocation.DBError("", err, "")) == relocation.ENOTFOUND {
		return Session{}, User{}, errNoSession // dead ones are purged at the next login
	}
	if err != nil {
		return Session{}, User{}, relocation.DBError("account: session", err, "")
	}
	if now.Sub(row.LastSeenAt) >= sessionTouchInterval {
		if _, err := s.db.ExecContext(ctx, `UPDATE sessions SET last_seen_at = $2 WHERE id_hash = $1 AND last_seen_at < $2`, hash, now); err != nil {
			return Session{}, User{}, relocation.DBError("account: touch session", err, "")
		}
		row.Session.LastSeenAt = now
	}
	return row.Session, row.User, nil
}

// EndSession deletes the session of a cookie secret (logout) and returns the ProConnect
// ID token it kept ("" for a session opened with a password); unknown secrets are
// ignored.
func (s *Store) EndSession(ctx context.Context, secret string) (string, error) {
	var idToken []sql.NullString
	err := s.db.SelectContext(ctx, &idToken, `DELETE FROM sessions WHERE id_hash = $1 RETURNING id_token`, hashSecret(secret))
	if err != nil || len(idToken) == 0 {
		return "", relocation.DBError("account: end session", err, "")
	}
	return idToken[0].String, nil
}

// EndUserSession deletes one of a user's sessions by its Key; ENOTFOUND when the user
// has no such session.
func (s *Store) EndUserSession(ctx context.Context, userID int64, key string) error {
	hash, err := hex.DecodeString(key)
	if err != nil {
		return relocation.Errorf(relocation.ENOTFOUND, "Cette session n’existe pas.")
	}
	res, err := s.db.ExecContext(ctx, `DELETE FROM sessions WHERE id_hash = $1 AND user_id = $2`, hash, userID)
	if err != nil {
		return relocation.DBError("account: end user session", err, "")
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return relocation.Errorf(relocation.ENOTFOUND, "Cette session n’existe pas.")
	}
	return nil
}

// Sessions returns a user's live sessions, most recently used first.
func (s *Store) Sessions(ctx context.Context, userID int64) ([]Session, error) {
	var out []Session
	now := s.now()
	err := s.db.SelectContext(ctx, &out, `SELECT `+sessionColumns+` FROM sessions
		WHERE user_id = $1 AND expires_at > $2 AND last_seen_at > $3 ORDER BY last_seen_at DESC`,
		userID, now, idleCutoff(now))
	return out, relocation.DBError(fmt.Sprintf("account: sessions of %d", userID), err, "")
}

// cleanUserAgent makes a browser's User-Agent header storable text, whatever it holds:
// valid UTF-8 (bytes such as 0xFF or a Latin-1 é become U+FFFD), no NUL or other control
// characters (PostgreSQL text refuses NUL), 300 bytes at most, cut on a character.
func cleanUserAgent(ua string) string {
	ua = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return -1
		}
		return r
	}, strings.ToValidUTF8(ua, "\uFFFD"))
	for len(ua) > 300 {
		_, size := utf8.DecodeLastRuneInString(ua)
		ua = ua[:len(ua)-size]
	}
	return ua
}
