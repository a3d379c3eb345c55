package account

import (
	"context"
	"database/sql"
	"errors"
	"sync"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/ministere/tracker/relocation"
)

// ETOOMANY is the code of a login refused while its email is locked (HTTP 429).
const ETOOMANY = "too_many"

var (
	dummyOnce sync.Once
	dummyHash []byte
)

// Authenticate checks an email and password. It returns EUNAUTHORIZED for a wrong pair
// (the same message whether the account exists or not), and ETOOMANY while the email is
// locked after MaxFailedLogins failures within ThrottleWindow, even with the right
// password. The lock is kept in PostgreSQL, so it holds across instances.
func (s *Store) Authenticate(ctx context.Context, email, password string) (User, error) {
	now := s.now()
	key, err := NormalizeEmail(email)
	if err != nil {
		key = email
	}
	var locked sql.NullTime
	err = s.db.GetContext(ctx, &locked, `SELECT locked_until FROM login_throttle WHERE email = $1`, key)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return User{}, relocation.DBError("account: throttle", err, "")
	}
	if locked.Valid && locked.Time.After(now) {
		return User{}, relocation.Errorf(ETOOMANY, "Trop de tentatives de connexion pour ce compte : réessayez à partir de %s.", parisClock(locked.Time))
	}
	u, err := s.UserByEmail(ctx, key)
	switch relocation.ErrorCode(err) {
	case "":
	case relocation.ENOTFOUND:
		dummyOnce.Do(func() { dummyHash, _ = bcrypt.GenerateFromPassword([]byte("not a password of anyone"), s.cost) })
		bcrypt.CompareHashAndPassword(dummyHash, []byte(password)) // same time as a known account
	default:
		return User{}, err
	}
	if err != nil || u.Disabled || bcrypt.CompareHashAndPassword([]byte(u.PasswordHash), []byte(password)) != nil {
		if err := s.recordFailure(ctx, key, now); err != nil {
			return User{}, err
		}
		return User{}, relocation.Errorf(relocation.EUNAUTHORIZED, "Adresse électronique ou mot de passe incorrect.")
	}
	if _, err := s.db.ExecContext(ctx, `DELETE FROM login_throttle WHERE email = $1`, key); err != nil {
		return User{}, relocation.DBError("account: throttle reset", err, "")
	}
	return u, nil
}

// recordFailure counts a failed login; the MaxFailedLogins-th failure within
// ThrottleWindow of the first locks the email for ThrottleWindow.
func (s *Store) recordFailure(ctx context.Context, email string, now time.Time) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO login_throttle AS t (email, failures, window_start)
		VALUES ($1, 1, $2)
		ON CONFLICT (email) DO UPDATE SET
			failures = CASE WHEN t.window_start <= $2 - $3 * interval '1 second' THEN 1 ELSE t.failures + 1 END,
			window_start = CASE WHEN t.window_start <= $2 - $3 * interval '1 second' THEN $2 ELSE t.window_start END,
			locked_until = CASE WHEN t.window_start > $2 - $3 * interval '1 second' AND t.failures + 1 >= $4
				THEN $2 + $3 * interval '1 second' ELSE t.locked_until END`,
		email, now, ThrottleWindow.Seconds(), MaxFailedLogins)
	return relocation.DBError("account: record failure", err, "")
}

// paris is where the tracker's users read the time (time/tzdata is linked in by
// package relocation).
var paris, _ = time.LoadLocation("Europe/Paris")

// parisClock writes a time as a French reader in France expects it: « 21 h 05 ».
func parisClock(t time.Time) string { return t.In(paris).Format("15 h 04") }
