package account

import (
	"context"
	"database/sql"
	"time"

	"github.com/jmoiron/sqlx"
	"golang.org/x/crypto/bcrypt"

	"github.com/ministere/tracker/relocation"
)

// ETOOMANY is the code of a login refused while its email is locked (HTTP 429).
const ETOOMANY = "too_many"

var errBadLogin = relocation.Errorf(relocation.EUNAUTHORIZED, "Adresse électronique ou mot de passe incorrect.")

// Authenticate checks an email and password. It returns EUNAUTHORIZED for a wrong pair
// (the same message, and about the same time, whether the account exists, is disabled
// or not), and ETOOMANY while the email is locked after MaxFailedLogins failures within
// ThrottleWindow, even with the right password. Every attempt is counted before the
// password is checked, in PostgreSQL, so parallel guesses on several instances cannot
// slip past the limit; a success clears the count.
func (s *Store) Authenticate(ctx context.Context, email, password string) (User, error) {
	key, err := NormalizeEmail(email)
	if err != nil || len(key) > 254 {
		s.spendPasswordCheck(password)
		return User{}, errBadLogin
	}
	if err := s.countAttempt(ctx, key); err != nil {
		return User{}, err
	}
	u, err := s.UserByEmail(ctx, key)
	switch relocation.ErrorCode(err) {
	case "":
		ok := bcrypt.CompareHashAndPassword([]byte(u.PasswordHash), []byte(password)) == nil
		if !ok || u.Disabled {
			return User{}, errBadLogin
		}
	case relocation.ENOTFOUND:
		s.spendPasswordCheck(password)
		return User{}, errBadLogin
	default:
		return User{}, err
	}
	_, err = s.db.ExecContext(ctx, `DELETE FROM login_throttle WHERE email = $1`, key)
	return u, relocation.DBError("account: throttle reset", err, "")
}

// countAttempt records an attempt for email, refusing it (ETOOMANY, without counting it)
// while the email is locked. The MaxFailedLogins-th attempt within ThrottleWindow of
// the first locks the email for ThrottleWindow, unless it succeeds.
func (s *Store) countAttempt(ctx context.Context, email string) error {
	now := s.now()
	return relocation.InTx(ctx, s.db, func(tx *sqlx.Tx) error {
		var row struct {
			Failures    int          `db:"failures"`
			WindowStart time.Time    `db:"window_start"`
			LockedUntil sql.NullTime `db:"locked_until"`
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO login_throttle (email, failures, window_start) VALUES ($1, 0, $2)
			ON CONFLICT (email) DO NOTHING`, email, now)
		if err == nil {
			err = tx.GetContext(ctx, &row, `SELECT failures, window_start, locked_until FROM login_throttle
				WHERE email = $1 FOR UPDATE`, email)
		}
		if err != nil {
			return relocation.DBError("account: throttle", err, "")
		}
		if row.LockedUntil.Valid && row.LockedUntil.Time.After(now) {
			return relocation.Errorf(ETOOMANY, "Trop de tentatives de connexion pour ce compte : réessayez à partir de %s.", parisClock(row.LockedUntil.Time))
		}
		if now.Sub(row.WindowStart) >= ThrottleWindow {
			row.Failures, row.WindowStart = 0, now
		}
		row.Failures++
		row.LockedUntil = sql.NullTime{}
		if row.Failures >= MaxFailedLogins {
			row.LockedUntil = sql.NullTime{Time: now.Add(ThrottleWindow), Valid: true}
		}
		_, err = tx.ExecContext(ctx, `UPDATE login_throttle SET failures = $2, window_start = $3, locked_until = $4
			WHERE email = $1`, email, row.Failures, row.WindowStart, row.LockedUntil)
		return relocation.DBError("account: count attempt", err, "")
	})
}

// spendPasswordCheck takes the time of a real password check, so that a wrong email
// cannot be told from a wrong password by the time the answer takes.
func (s *Store) spendPasswordCheck(password string) {
	s.dummyOnce.Do(func() { s.dummyHash, _ = bcrypt.GenerateFromPassword([]byte("not anyone's password"), s.cost) })
	bcrypt.CompareHashAndPassword(s.dummyHash, []byte(password))
}

// parisClock writes a time as a French reader in France expects it: « 21 h 05 ».
func parisClock(t time.Time) string { return t.In(relocation.Paris).Format("15 h 04") }
