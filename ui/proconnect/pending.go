package proconnect

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/ministere/tracker/relocation"
)

// PendingLife is how long a sign-in may take between the click on the button and the
// provider's redirect back.
const PendingLife = 10 * time.Minute

// Pending keeps the sign-ins under way in PostgreSQL (table proconnect_logins): the
// state and the nonce of each, bound to the browser that asked. A browser is known by a
// secret in a short-lived cookie; the table holds only SHA-256 digests.
type Pending struct {
	db  *sqlx.DB
	now func() time.Time
}

// NewPending returns the store of sign-ins under way over db, with the clock now.
func NewPending(db *sqlx.DB, now func() time.Time) *Pending { return &Pending{db: db, now: now} }

// Login is one sign-in under way: what the authorization request carries.
type Login struct {
	State, Nonce string
}

// errState is what a user is told when the provider's redirect matches no sign-in of
// this browser.
var errState = relocation.Errorf(relocation.EBADREQUEST,
	"Cette connexion par ProConnect n’a pas été demandée depuis ce navigateur, ou a expiré : recommencez.")

// RandomSecret returns 32 random bytes written in URL-safe base64 (43 characters).
func RandomSecret() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic("proconnect: crypto/rand failed: " + err.Error())
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

func digest(s string) []byte {
	h := sha256.Sum256([]byte(s))
	return h[:]
}

// Start records a new sign-in of the browser holding browser, which goes on to next
// (a local path) once signed in, and returns its random state and nonce (43
// characters each). Sign-ins past PendingLife are forgotten here.
func (p *Pending) Start(ctx context.Context, browser, next string) (Login, error) {
	l := Login{State: RandomSecret(), Nonce: RandomSecret()}
	now := p.now()
	_, err := p.db.ExecContext(ctx, `WITH purged AS (DELETE FROM proconnect_logins WHERE expires_at <= $5)
		INSERT INTO proconnect_logins (state_hash, browser_hash, nonce_hash, next, expires_at) VALUES ($1, $2, $3, $4, $6)`,
		digest(l.State), digest(browser), digest(l.Nonce), next, now, now.Add(PendingLife))
	return l, relocation.DBError("proconnect: begin sign-in", err, "")
}

// Take ends the sign-in of state for the browser holding browser, once: it returns
// the digest of its nonce and where to go next. EBADREQUEST when the state is unknown,
// already taken, expired, or another browser's (which ends it all the same).
func (p *Pending) Take(ctx context.Context, state, browser string) (nonceHash []byte, next string, err error) {
	var row struct {
		BrowserHash []byte    `db:"browser_hash"`
		NonceHash   []byte    `db:"nonce_hash"`
		Next        string    `db:"next"`
		ExpiresAt   time.Time `db:"expires_at"`
	}
	err = p.db.GetContext(ctx, &row, `DELETE FROM proconnect_logins WHERE state_hash = $1
		RETURNING browser_hash, nonce_hash, next, expires_at`, digest(state))
	if relocation.ErrorCode(relocation.DBError("", err, "")) == relocation.ENOTFOUND {
		return nil, "", errState
	}
	if err != nil {
		return nil, "", relocation.DBError("proconnect: take sign-in", err, "")
	}
	if browser == "" || subtle.ConstantTimeCompare(row.BrowserHash, digest(browser)) != 1 || !row.ExpiresAt.After(p.now()) {
		return nil, "", errState
	}
	return row.NonceHash, row.Next, nil
}

// NonceMatches reports whether nonce is the one whose digest Take returned.
func NonceMatches(nonceHash []byte, nonce string) bool {
	return nonce != "" && subtle.ConstantTimeCompare(nonceHash, digest(nonce)) == 1
}
