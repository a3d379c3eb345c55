package proconnect_test

import (
	"context"
	"testing"
	"time"

	"github.com/ministere/tracker/migrations/dbtest"
	"github.com/ministere/tracker/relocation"
	"github.com/ministere/tracker/ui/proconnect"
)

// TestConfig: ProConnect is on with its three settings only; the issuer's origin is its
// scheme and host.
func TestConfig(t *testing.T) {
	full := proconnect.Config{Issuer: "https://auth.agentconnect.gouv.fr/api/v2", ClientID: "id", ClientSecret: "secret"}
	if !full.Enabled() {
		t.Errorf("%+v: not enabled", full)
	}
	for _, c := range []proconnect.Config{{}, {Issuer: full.Issuer, ClientID: "id"}, {ClientID: "id", ClientSecret: "s"}} {
		if c.Enabled() {
			t.Errorf("%+v: enabled", c)
		}
	}
	for issuer, want := range map[string]string{
		"https://auth.agentconnect.gouv.fr/api/v2": "https://auth.agentconnect.gouv.fr",
		"http://127.0.0.1:5556":                    "http://127.0.0.1:5556",
		"auth.agentconnect.gouv.fr":                "",
		"":                                         "",
	} {
		if got := (proconnect.Config{Issuer: issuer}).Origin(); got != want {
			t.Errorf("Origin of %q = %q, want %q", issuer, got, want)
		}
	}
}

// TestPendingSignIns: a sign-in under way has a state and a nonce of 43 random
// characters; its state is taken once, by the browser that began it, within
// PendingLife; the nonce's digest comes back with where to go next.
func TestPendingSignIns(t *testing.T) {
	t.Parallel()
	db := dbtest.Open(t)
	ctx := context.Background()
	now := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	p := proconnect.NewPending(db, clock)
	browser, other := proconnect.RandomSecret(), proconnect.RandomSecret()

	l, err := p.Start(ctx, browser, "/profil")
	if err != nil {
		t.Fatal(err)
	}
	if len(l.State) != 43 || len(l.Nonce) != 43 || l.State == l.Nonce || l.State == browser {
		t.Fatalf("state %q, nonce %q: want two fresh 43-character secrets", l.State, l.Nonce)
	}
	hash, next, err := p.Take(ctx, l.State, browser)
	if err != nil || next != "/profil" || !proconnect.NonceMatches(hash, l.Nonce) || proconnect.NonceMatches(hash, "") ||
		proconnect.NonceMatches(hash, l.State) {
		t.Fatalf("Take: next %q, %v; the nonce's digest does not match it alone", next, err)
	}
	if _, _, err := p.Take(ctx, l.State, browser); relocation.ErrorCode(err) != relocation.EBADREQUEST {
		t.Errorf("a state taken twice: %v, want %s", err, relocation.EBADREQUEST)
	}

	l, _ = p.Start(ctx, browser, "/")
	if _, _, err := p.Take(ctx, l.State, other); relocation.ErrorCode(err) != relocation.EBADREQUEST {
		t.Errorf("another browser's state: %v, want %s", err, relocation.EBADREQUEST)
	}
	if _, _, err := p.Take(ctx, l.State, browser); relocation.ErrorCode(err) != relocation.EBADREQUEST {
		t.Errorf("a state tried by another browser stays usable: %v", err)
	}

	l, _ = p.Start(ctx, browser, "/")
	now = now.Add(proconnect.PendingLife)
	if _, _, err := p.Take(ctx, l.State, browser); relocation.ErrorCode(err) != relocation.EBADREQUEST {
		t.Errorf("a state %s old: %v, want %s", proconnect.PendingLife, err, relocation.EBADREQUEST)
	}
	if _, err := p.Start(ctx, browser, "/"); err != nil { // left to expire
		t.Fatal(err)
	}
	now = now.Add(proconnect.PendingLife)
	l, _ = p.Start(ctx, browser, "/") // purges what expired
	var n int
	if err := db.Get(&n, `SELECT count(*) FROM proconnect_logins`); err != nil || n != 1 {
		t.Errorf("%d sign-ins kept (%v), want the last one only", n, err)
	}
	if _, _, err := p.Take(ctx, "", browser); relocation.ErrorCode(err) != relocation.EBADREQUEST {
		t.Errorf("no state: %v", err)
	}
	if _, _, err := p.Take(ctx, l.State, ""); relocation.ErrorCode(err) != relocation.EBADREQUEST {
		t.Errorf("no browser cookie: %v", err)
	}
}
