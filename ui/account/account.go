// Package account holds the people who use the tracker: accounts and roles, browser
// sessions, API tokens, login throttling and the account audit, all kept in PostgreSQL so
// that several instances share them. (Assigning managers to a relocation is a
// relocation action: relocation.Store.SetManagers.)
package account

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"net/mail"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jmoiron/sqlx"
	"golang.org/x/crypto/bcrypt"

	"github.com/ministere/tracker/relocation"
)

// Roles, from the most to the least powerful.
const (
	RoleAdmin   = relocation.RoleAdmin   // everything, accounts included
	RoleManager = relocation.RoleManager // reads all, writes the relocations assigned to them
	RoleViewer  = relocation.RoleViewer  // reads all internal data
)

// Roles returns the roles in the order forms offer them, least powerful first (a copy:
// the caller may change it). The list lives in relocation, where the rights they give
// are decided; the CHECK on users.role allows the same (TestAllowedValuesMatchDatabase).
func Roles() []string { return relocation.Roles() }

// IsRole reports whether s is a role.
func IsRole(s string) bool { return relocation.IsRole(s) }

// Session and throttling rules.
const (
	SessionIdle        = 30 * time.Minute // a session unused this long ends
	SessionAbsolute    = 12 * time.Hour   // no session lasts longer
	MinPasswordLength  = 12
	MaxFailedLogins    = 10               // failures within ThrottleWindow that lock an account for one client address
	ThrottleWindow     = 15 * time.Minute // and for how long
	DefaultBcryptCost  = 12
	MinBcryptCost      = 10          // the least the configuration accepts (tests use bcrypt.MinCost)
	tokenTouchInterval = time.Minute // a token's last_used_at is refreshed at most this often
)

// User is an account.
type User struct {
	ID           int64     `db:"id" json:"id"`
	Email        string    `db:"email" json:"email"`
	Name         string    `db:"name" json:"name"`
	Role         string    `db:"role" json:"role"`
	PasswordHash string    `db:"password_hash" json:"-"`
	Disabled     bool      `db:"disabled" json:"disabled"`
	Version      int       `db:"version" json:"version"`
	CreatedAt    time.Time `db:"created_at" json:"created_at"`
	UpdatedAt    time.Time `db:"updated_at" json:"updated_at"`
}

// Actor returns the user acting, named in the journal by email (which is unique).
func (u User) Actor() relocation.Actor { return relocation.Actor{UserID: u.ID, Name: u.Email} }

// IsAdmin reports whether the user administers everything.
func (u User) IsAdmin() bool { return u.Role == RoleAdmin }

// Store reads and writes accounts, sessions and tokens.
type Store struct {
	db   *sqlx.DB
	now  func() time.Time
	cost int

	dummyOnce sync.Once // a hash to check wrong emails against, at this store's cost
	dummyHash []byte
	lastPurge atomic.Int64 // when login attempts last purged the throttle (unix ns)

	// The reads of every signed-in request, prepared once.
	sessionStmt, tokenStmt relocation.Prepared
}

// NewStore returns a store over db with the clock now; bcryptCost below bcrypt.MinCost
// is raised to it.
func NewStore(db *sqlx.DB, now func() time.Time, bcryptCost int) *Store {
	return &Store{db: db, now: now, cost: max(bcryptCost, bcrypt.MinCost)}
}

// NormalizeEmail trims and lower-cases an address; EINVALID when it is not one.
func NormalizeEmail(email string) (string, error) {
	email = strings.ToLower(strings.TrimSpace(email))
	if a, err := mail.ParseAddress(email); err != nil || a.Address != email || a.Name != "" {
		return "", relocation.Invalid(relocation.FieldError{Field: "email", Message: "adresse électronique invalide"})
	}
	return email, nil
}

// newSecret returns a random URL-safe secret of 32 bytes and its SHA-256.
func newSecret() (string, []byte) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic("account: crypto/rand failed: " + err.Error())
	}
	s := base64.RawURLEncoding.EncodeToString(b)
	return s, hashSecret(s)
}

// hashSecret is how secrets are stored and looked up.
func hashSecret(s string) []byte {
	h := sha256.Sum256([]byte(s))
	return h[:]
}
