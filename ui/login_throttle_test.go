package ui_test

import (
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ministere/tracker/ui/account"
)

// TestLoginThrottleUI: after 10 failed logins for one email, the 11th is refused with
// 429 and a French message even with the right password; other emails are not
// affected; fewer failures do not slow a good login; the lock lifts after 15 minutes.
func TestLoginThrottleUI(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t)
	locked := e.user(t, "bloque@exemple.gouv.fr", account.RoleViewer)
	nine := e.user(t, "neuf@exemple.gouv.fr", account.RoleViewer)
	// The count is per account, whatever the case or spaces the email is typed with.
	typed := []string{locked.Email, "Bloque@Exemple.GOUV.fr", " bloque@exemple.gouv.fr "}
	for i := 1; i <= 10; i++ {
		r := e.postLogin(t, typed[i%len(typed)], "mauvais mot de passe")
		if r.StatusCode != http.StatusUnauthorized {
			t.Fatalf("failure %d: status %d, want 401", i, r.StatusCode)
		}
		contains(t, "refused login", r.raw, "Adresse électronique ou mot de passe incorrect")
		if got := inputValue(t, r.raw, "email"); got != strings.TrimSpace(typed[i%len(typed)]) {
			t.Errorf("the refused login form does not keep the email: %q", got)
		}
	}
	r := e.postLogin(t, locked.Email, testPassword)
	if r.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("11th login, right password: status %d, want 429\n%s", r.StatusCode, r)
	}
	checkPageHTML(t, "429", r)
	contains(t, "429 page", r.raw, "Trop de tentatives de connexion", "réessayez à partir de")
	if ck := cookieNamed(r, "tracker_session"); ck != nil {
		t.Errorf("a locked login opened a session")
	}
	// Other emails are not affected; nine failures do not lock.
	expect(t, e.get(t, e.login(t, adminEmail, testPassword), "/"), 200)
	for i := 1; i <= 9; i++ {
		e.postLogin(t, nine.Email, "mauvais mot de passe")
	}
	expect(t, e.get(t, e.login(t, nine.Email, testPassword), "/"), 200)
	// The lock holds 15 minutes.
	e.clock.add(14 * time.Minute)
	if r := e.postLogin(t, locked.Email, testPassword); r.StatusCode != http.StatusTooManyRequests {
		t.Errorf("14 minutes later: status %d, want 429", r.StatusCode)
	}
	e.clock.add(time.Minute + time.Second)
	expect(t, e.get(t, e.login(t, locked.Email, testPassword), "/"), 200)
}

// TestConcurrentSignIns: one account signing in from several tabs at once signs in from
// each (a sign-in clears the throttle row another is reading: it must not answer 404).
func TestConcurrentSignIns(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t)
	for round := range 5 {
		var wg sync.WaitGroup
		statuses := make([]int, 8)
		for i := range statuses {
			wg.Go(func() { statuses[i] = e.postLogin(t, adminEmail, testPassword).StatusCode })
		}
		wg.Wait()
		for i, st := range statuses {
			if st != http.StatusSeeOther {
				t.Fatalf("round %d, sign-in %d of 8 at once: status %d, want 303", round, i, st)
			}
		}
	}
}
