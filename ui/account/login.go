package account

import (
	"context"
	"database/sql"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
	"golang.org/x/crypto/bcrypt"

	"github.com/ministere/tracker/relocation"
)

// ETOOMANY is the code of a login refused while its email is locked (HTTP 429).
const ETOOMANY = "too_many"

var errBadLogin = relocation.Errorf(relocation.EUNAUTHORIZED, "Adresse électronique ou mot de passe incorrect.")

// Login throttling. Failures are counted in PostgreSQL before the password is checked,
// so that parallel guesses on several instances cannot slip past:
//   - per account and client address: MaxFailedLogins failures within ThrottleWindow lock
//     that pair for ThrottleWindow (429) — a guesser at one address is stopped, and the
//     owner, elsewhere, is not locked out;
//   - per client address, whatever the account: MaxAddressFailures lock the address — one
//     password tried across many accounts is stopped too;
//   - per account, whatever the address: past MaxAccountFailures failures within the
//     window every attempt waits AccountSlowdown before its check — a guesser spread over
//     many addresses is slowed, never the owner refused.
//
// A success clears its pair's and its account's counts.
const (
	MaxAddressFailures = 30
	MaxAccountFailures = 50
	AccountSlowdown    = 2 * time.Second
)

// Authenticate checks an email and password tried from client (the caller's address;
// "" for the command line). It returns EUNAUTHORIZED for a wrong pair (the same message,
// and about the same time, whether the account exists, is disabled or not), and
// ETOOMANY while the pair or the address is locked (see above), even with the right
// password.
func (s *Store) Authenticate(ctx context.Context, email, password, client string) (User, error) {
	key, err := NormalizeEmail(email)
	if err != nil || len(key) > 254 {
		s.spendPasswordCheck(password)
		return User{}, errBadLogin
	}
	pair, account := "pair:"+key+"|"+client, "acct:"+key
	if err := s.purgeThrottle(ctx, false); err != nil {
		return User{}, err
	}
	// A locked pair or address writes nothing: a guesser trying new emails from a locked
	// address adds no row.
	if err := s.refuseLocked(ctx, pair, "addr:"+client); err != nil {
		return User{}, err
	}
	if _, err := s.countAttempt(ctx, pair, MaxFailedLogins); err != nil {
		return User{}, err
	}
	if client != "" {
		if _, err := s.countAttempt(ctx, "addr:"+client, MaxAddressFailures); err != nil {
			return User{}, err
		}
	}
	failures, err := s.countAttempt(ctx, account, 0)
	if err != nil {
		return User{}, err
	}
	if failures > MaxAccountFailures {
		select {
		case <-ctx.Done():
			return User{}, relocation.DBError("account: slowed login", ctx.Err(), "")
		case <-time.After(AccountSlowdown):
		}
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
	// A success clears its pair and account, and is not held against its address.
	_, err = s.db.ExecContext(ctx, `WITH cleared AS (DELETE FROM login_throttle WHERE key = ANY($1))
		UPDATE login_throttle SET failures = greatest(failures - 1, 0) WHERE key = $2`,
		pq.Array([]string{pair, account}), "addr:"+client)
	return u, relocation.DBError("account: throttle reset", err, "")
}

// refuseLocked returns ETOOMANY, without writing, while one of keys is locked.
func (s *Store) refuseLocked(ctx context.Context, keys ...string) error {
	var until sql.NullTime
	err := s.db.GetContext(ctx, &until, `SELECT max(locked_until) FROM login_throttle WHERE key = ANY($1) AND locked_until > $2`,
		pq.Array(keys), s.now())
	if err != nil {
		return relocation.DBError("account: throttle lock", err, "")
	}
	if until.Valid {
		return lockedError(until.Time)
	}
	return nil
}

func lockedError(until time.Time) error {
	return relocation.Errorf(ETOOMANY, "Trop de tentatives de connexion : réessayez à partir de %s.", parisClock(until))
}

// throttlePurgeEvery is how often a login attempt purges the throttle's stale rows.
const throttlePurgeEvery = time.Minute

// purgeThrottle deletes the throttle rows whose window and lock have passed: at every
// sign-in (always), and at any attempt at most once every throttlePurgeEvery — a table
// filled by failures alone is purged by age too.
func (s *Store) purgeThrottle(ctx context.Context, always bool) error {
	now := s.now()
	last := s.lastPurge.Load()
	if !always && (now.UnixNano()-last < int64(throttlePurgeEvery) || !s.lastPurge.CompareAndSwap(last, now.UnixNano())) {
		return nil
	}
	_, err := s.db.ExecContext(ctx, `DELETE FROM login_throttle WHERE window_start < $1 AND (locked_until IS NULL OR locked_until < $2)`,
		now.Add(-ThrottleWindow), now)
	return relocation.DBError("account: throttle purge", err, "")
}

// countAttempt records an attempt under key and returns how many it counts within the
// window, refusing it (ETOOMANY, without counting it) while the key is locked. With a
// limit, the limit-th attempt within ThrottleWindow of the first locks the key for
// ThrottleWindow; 0 counts without ever locking.
func (s *Store) countAttempt(ctx context.Context, key string, limit int) (int, error) {
	now := s.now()
	var failures int
	err := relocation.InTx(ctx, s.db, func(tx *sqlx.Tx) error {
		var row struct {
			Failures    int          `db:"failures"`
			WindowStart time.Time    `db:"window_start"`
			LockedUntil sql.NullTime `db:"locked_until"`
		}
		// One statement makes or locks the key's row and reads it: an INSERT … DO NOTHING
		// then a SELECT would find no row when a sign-in of the same account clears it in
		// between (two tabs signing in at once).
		err := tx.GetContext(ctx, &row, `INSERT INTO login_throttle (key, failures, window_start) VALUES ($1, 0, $2)
			ON CONFLICT (key) DO UPDATE SET key = excluded.key
			RETURNING failures, window_start, locked_until`, key, now)
		if err != nil {
			return relocation.DBError("account: throttle", err, "")
		}
		if row.LockedUntil.Valid && row.LockedUntil.Time.After(now) {
			return lockedError(row.LockedUntil.Time)
		}
		if now.Sub(row.WindowStart) >= ThrottleWindow {
			row.Failures, row.WindowStart = 0, now
		}
		row.Failures++
		failures = row.Failures
		row.LockedUntil = sql.NullTime{}
		if limit > 0 && row.Failures >= limit {
			row.LockedUntil = sql.NullTime{Time: now.Add(ThrottleWindow), Valid: true}
		}
		_, err = tx.ExecContext(ctx, `UPDATE login_throttle SET failures = $2, window_start = $3, locked_until = $4
			WHERE key = $1`, key, row.Failures, row.WindowStart, row.LockedUntil)
		return relocation.DBError("account: count attempt", err, "")
	})
	return failures, err
}

// spendPasswordCheck takes the time of a real password check, so that a wrong email
// cannot be told from a wrong password by the time the answer takes.
func (s *Store) spendPasswordCheck(password string) {
	s.dummyOnce.Do(func() { s.dummyHash, _ = bcrypt.GenerateFromPassword([]byte("not anyone's password"), s.cost) })
	bcrypt.CompareHashAndPassword(s.dummyHash, []byte(password))
}

// parisClock writes a time as a French reader in France expects it: « 21 h 05 », bound
// by no-break spaces so that it never breaks across lines.
func parisClock(t time.Time) string { return t.In(relocation.Paris).Format("15\u00a0h\u00a004") }
