package account_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/ministere/tracker/migrations/dbtest"
	"github.com/ministere/tracker/relocation"
	"github.com/ministere/tracker/ui/account"
)

// TestLockedAddressWritesNothing: once an address is locked, attempts from it with new
// emails add no throttle row (regression: 500 requests, 500 rows); and rows whose window
// and lock have passed are purged by a later failed attempt, not only by a sign-in.
func TestLockedAddressWritesNothing(t *testing.T) {
	t.Parallel()
	db := dbtest.Open(t)
	clk := &clock{t: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
	s := account.NewStore(db, clk.now, bcrypt.MinCost)
	ctx := context.Background()
	rows := func() int {
		var n int
		if err := db.Get(&n, `SELECT count(*) FROM login_throttle`); err != nil {
			t.Fatal(err)
		}
		return n
	}
	var err error
	for i := 0; i < account.MaxAddressFailures; i++ {
		_, err = s.Authenticate(ctx, fmt.Sprintf("essai%d@exemple.gouv.fr", i), "password123456", "192.0.2.1")
	}
	locked := rows()
	for i := 0; i < 100; i++ {
		_, err = s.Authenticate(ctx, fmt.Sprintf("autre%d@exemple.gouv.fr", i), "password123456", "192.0.2.1")
		if relocation.ErrorCode(err) != account.ETOOMANY {
			t.Fatalf("attempt %d from a locked address: %v, want too many", i, err)
		}
	}
	if n := rows(); n != locked {
		t.Errorf("100 attempts from a locked address: %d throttle rows, want %d as before", n, locked)
	}
	// An hour later, one failure from elsewhere purges what is stale: its own rows remain.
	clk.add(time.Hour)
	s.Authenticate(ctx, "inconnu@exemple.gouv.fr", "password123456", "198.51.100.7")
	if n := rows(); n != 3 {
		t.Errorf("an hour later, after one failure: %d throttle rows, want 3 (its pair, address and account)", n)
	}
}
