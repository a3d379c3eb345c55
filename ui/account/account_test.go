package account_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/ministere/tracker/migrations/dbtest"
	"github.com/ministere/tracker/relocation"
	"github.com/ministere/tracker/ui/account"
	"golang.org/x/crypto/bcrypt"
)

// clock is a settable time for session expiry and throttling.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

// testActor is who the tests' account changes are recorded as.
var testActor = relocation.System("admin@exemple.gouv.fr")

func newStore(t *testing.T) (*account.Store, *clock) {
	t.Helper()
	clk := &clock{t: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
	return account.NewStore(dbtest.Open(t), clk.now, bcrypt.MinCost), clk
}

func mustUser(t *testing.T, s *account.Store, email, role string) account.User {
	t.Helper()
	u, err := s.CreateUser(context.Background(), testActor, account.NewUser{Email: email, Name: "Agent " + email, Role: role, Password: "correct horse battery"})
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func TestCreateUserRules(t *testing.T) {
	t.Parallel()
	s, _ := newStore(t)
	ctx := context.Background()
	u := mustUser(t, s, " Alice@Exemple.GOUV.fr ", account.RoleManager)
	if u.Email != "alice@exemple.gouv.fr" || u.PasswordHash == "correct horse battery" || u.PasswordHash[:4] != "$2a$" {
		t.Errorf("user = %+v: email not normalised or password not hashed with bcrypt", u)
	}
	cases := []struct {
		name  string
		in    account.NewUser
		code  string
		field string
	}{
		{"short password", account.NewUser{Email: "b@x.fr", Name: "B", Role: "viewer", Password: "onze-chiffr"}, relocation.EINVALID, "password"},
		{"bad email", account.NewUser{Email: "pas une adresse", Name: "B", Role: "viewer", Password: "correct horse battery"}, relocation.EINVALID, "email"},
		{"bad role", account.NewUser{Email: "c@x.fr", Name: "C", Role: "root", Password: "correct horse battery"}, relocation.EINVALID, "role"},
		{"duplicate", account.NewUser{Email: "ALICE@exemple.gouv.fr", Name: "A", Role: "viewer", Password: "correct horse battery"}, relocation.ECONFLICT, "email"},
		// The one rule of texts holds for the command line (tracker user add) too.
		{"invisible name", account.NewUser{Email: "d@x.fr", Name: "\u200b\u200b", Role: "viewer", Password: "correct horse battery"}, relocation.EINVALID, "name"},
		{"overriding name", account.NewUser{Email: "e@x.fr", Name: "Alice \u202eecilA", Role: "viewer", Password: "correct horse battery"}, relocation.EINVALID, "name"},
		{"mixed-script name", account.NewUser{Email: "f@x.fr", Name: "\u0410lice", Role: "viewer", Password: "correct horse battery"}, relocation.EINVALID, "name"},
	}
	for _, tc := range cases {
		_, err := s.CreateUser(ctx, testActor, tc.in)
		var e *relocation.Error
		if relocation.ErrorCode(err) != tc.code {
			t.Errorf("%s: err = %v, want %s", tc.name, err, tc.code)
			continue
		}
		if !errors.As(err, &e) || len(e.Fields) == 0 || e.Fields[0].Field != tc.field {
			t.Errorf("%s: fields = %+v, want %s", tc.name, e, tc.field)
		}
	}
}

func TestSessionsExpireAndEnd(t *testing.T) {
	t.Parallel()
	s, clk := newStore(t)
	ctx := context.Background()
	u := mustUser(t, s, "bob@exemple.gouv.fr", account.RoleViewer)

	first, _, err := s.CreateSession(ctx, u.ID, "test")
	if err != nil {
		t.Fatal(err)
	}
	second, _, err := s.CreateSession(ctx, u.ID, "test")
	if err != nil || second == first {
		t.Fatalf("a new login must get a new session id (err %v)", err)
	}
	// Used every 29 minutes, a session lives until its absolute end (12 h).
	for elapsed := time.Duration(0); elapsed < 11*time.Hour+30*time.Minute; elapsed += 29 * time.Minute {
		if _, _, err := s.Session(ctx, first); err != nil {
			t.Fatalf("after %v of activity: %v", elapsed, err)
		}
		clk.add(29 * time.Minute)
	}
	clk.add(30 * time.Minute) // now past 12 h
	if _, _, err := s.Session(ctx, first); relocation.ErrorCode(err) != relocation.EUNAUTHORIZED {
		t.Errorf("past 12 h: err = %v, want unauthorized", err)
	}
	// The second, unused since its creation, died of idleness long ago.
	if _, _, err := s.Session(ctx, second); relocation.ErrorCode(err) != relocation.EUNAUTHORIZED {
		t.Errorf("idle 12 h: err = %v, want unauthorized", err)
	}

	third, sess, err := s.CreateSession(ctx, u.ID, "test")
	if err != nil {
		t.Fatal(err)
	}
	// The last use is written at most once a minute, so idleness is exact to the minute:
	// a session dies between 30 and 31 minutes after its last request.
	clk.add(31*time.Minute + time.Second)
	if _, _, err := s.Session(ctx, third); relocation.ErrorCode(err) != relocation.EUNAUTHORIZED {
		t.Errorf("idle 31 min 1 s: err = %v, want unauthorized", err)
	}
	fourth, _, _ := s.CreateSession(ctx, u.ID, "test")
	if _, err := s.EndSession(ctx, fourth); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Session(ctx, fourth); relocation.ErrorCode(err) != relocation.EUNAUTHORIZED {
		t.Errorf("after logout: err = %v, want unauthorized", err)
	}
	if err := s.EndUserSession(ctx, u.ID+1, sess.Key()); relocation.ErrorCode(err) != relocation.ENOTFOUND {
		t.Errorf("ending another user's session: err = %v, want not found", err)
	}
}

func TestThrottleAfterTenFailures(t *testing.T) {
	t.Parallel()
	s, clk := newStore(t)
	ctx := context.Background()
	mustUser(t, s, "carol@exemple.gouv.fr", account.RoleViewer)
	for i := 1; i <= 9; i++ {
		if _, err := s.Authenticate(ctx, "carol@exemple.gouv.fr", "wrong password!", ""); relocation.ErrorCode(err) != relocation.EUNAUTHORIZED {
			t.Fatalf("failure %d: err = %v", i, err)
		}
		clk.add(time.Minute)
	}
	// Nine failures do not lock: the right password still works, and resets the count.
	if _, err := s.Authenticate(ctx, "carol@exemple.gouv.fr", "correct horse battery", ""); err != nil {
		t.Fatalf("after 9 failures: %v", err)
	}
	for i := 1; i <= 10; i++ {
		s.Authenticate(ctx, "carol@exemple.gouv.fr", "wrong password!", "")
		clk.add(time.Minute)
	}
	// Locked: even the right password is refused, with a clear message.
	_, err := s.Authenticate(ctx, "carol@exemple.gouv.fr", "correct horse battery", "")
	if relocation.ErrorCode(err) != account.ETOOMANY {
		t.Fatalf("after 10 failures: err = %v, want too many", err)
	}
	// 15 minutes after the tenth failure, the lock is lifted.
	clk.add(14 * time.Minute)
	if _, err := s.Authenticate(ctx, "carol@exemple.gouv.fr", "correct horse battery", ""); err != nil {
		t.Errorf("15 min after the 10th failure: %v", err)
	}
	// Failures spread over more than 15 minutes never lock.
	for i := 1; i <= 12; i++ {
		s.Authenticate(ctx, "carol@exemple.gouv.fr", "wrong password!", "")
		clk.add(2 * time.Minute)
	}
	if _, err := s.Authenticate(ctx, "carol@exemple.gouv.fr", "correct horse battery", ""); err != nil {
		t.Errorf("12 failures over 24 minutes: %v", err)
	}
	// Unknown emails are counted too, with the same message as a wrong password.
	if _, err := s.Authenticate(ctx, "nobody@exemple.gouv.fr", "whatever it is", ""); relocation.ErrorMessage(err) != "Adresse électronique ou mot de passe incorrect." {
		t.Errorf("unknown email: %v", err)
	}
}

// TestThrottleIsPerAddress: a guesser locks the account for its own address only — the
// owner, elsewhere, still signs in — one address trying many accounts is locked, and an
// account attacked from many addresses is slowed, not locked.
func TestThrottleIsPerAddress(t *testing.T) {
	t.Parallel()
	s, clk := newStore(t)
	ctx := context.Background()
	mustUser(t, s, "dave@exemple.gouv.fr", account.RoleViewer)
	for i := 0; i < account.MaxFailedLogins; i++ {
		s.Authenticate(ctx, "dave@exemple.gouv.fr", "wrong password!", "203.0.113.9")
	}
	if _, err := s.Authenticate(ctx, "dave@exemple.gouv.fr", "correct horse battery", "203.0.113.9"); relocation.ErrorCode(err) != account.ETOOMANY {
		t.Errorf("the guesser's address after %d failures: %v, want too many", account.MaxFailedLogins, err)
	}
	if _, err := s.Authenticate(ctx, "dave@exemple.gouv.fr", "correct horse battery", "198.51.100.7"); err != nil {
		t.Errorf("the owner at another address: %v, want signed in (regression: anyone could lock any account out)", err)
	}
	// One password across many accounts from one address is locked too.
	clk.add(16 * time.Minute)
	var err error
	for i := 0; i < account.MaxAddressFailures+1; i++ {
		_, err = s.Authenticate(ctx, fmt.Sprintf("compte%d@exemple.gouv.fr", i), "password123456", "192.0.2.1")
	}
	if relocation.ErrorCode(err) != account.ETOOMANY {
		t.Errorf("after %d accounts tried from one address: %v, want too many", account.MaxAddressFailures+1, err)
	}
	// Successes are not held against an address (an office behind one NAT).
	for i := 0; i < account.MaxAddressFailures+5; i++ {
		if _, err := s.Authenticate(ctx, "dave@exemple.gouv.fr", "correct horse battery", "198.51.100.7"); err != nil {
			t.Fatalf("success %d from one address: %v", i, err)
		}
	}
}

// TestThrottleSlowsASpreadGuesser: past MaxAccountFailures failures on one account from
// many addresses, every attempt on it waits AccountSlowdown — the guesser is slowed —
// yet the owner's right password still signs in, and clears the count.
func TestThrottleSlowsASpreadGuesser(t *testing.T) {
	t.Parallel()
	s, _ := newStore(t)
	ctx := context.Background()
	mustUser(t, s, "erin@exemple.gouv.fr", account.RoleViewer)
	for i := 0; i < account.MaxAccountFailures; i++ {
		if _, err := s.Authenticate(ctx, "erin@exemple.gouv.fr", "wrong password!", fmt.Sprintf("203.0.113.%d", i)); relocation.ErrorCode(err) != relocation.EUNAUTHORIZED {
			t.Fatalf("failure %d: %v", i+1, err)
		}
	}
	start := time.Now()
	if _, err := s.Authenticate(ctx, "erin@exemple.gouv.fr", "correct horse battery", "198.51.100.7"); err != nil {
		t.Fatalf("the owner after %d failures from other addresses: %v, want signed in", account.MaxAccountFailures, err)
	}
	if d := time.Since(start); d < account.AccountSlowdown {
		t.Errorf("attempt %d took %v, want at least %v", account.MaxAccountFailures+1, d, account.AccountSlowdown)
	}
	// The success cleared the account's count: the next attempt is not slowed.
	start = time.Now()
	if _, err := s.Authenticate(ctx, "erin@exemple.gouv.fr", "correct horse battery", "198.51.100.7"); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d >= account.AccountSlowdown {
		t.Errorf("after a success the next attempt took %v, want no slowdown", d)
	}
}

func TestTokens(t *testing.T) {
	t.Parallel()
	s, _ := newStore(t)
	ctx := context.Background()
	u := mustUser(t, s, "dan@exemple.gouv.fr", account.RoleManager)
	secret, tok, err := s.CreateToken(ctx, testActor, u.ID, "tableau de bord")
	if err != nil {
		t.Fatal(err)
	}
	if got, err := s.UserByToken(ctx, secret); err != nil || got.ID != u.ID {
		t.Fatalf("UserByToken = %v, %v", got.ID, err)
	}
	if _, err := s.UserByToken(ctx, secret+"x"); relocation.ErrorCode(err) != relocation.EUNAUTHORIZED {
		t.Errorf("wrong token: err = %v", err)
	}
	if err := s.RevokeToken(ctx, testActor, u.ID, tok.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.UserByToken(ctx, secret); relocation.ErrorCode(err) != relocation.EUNAUTHORIZED {
		t.Errorf("revoked token: err = %v", err)
	}
}
