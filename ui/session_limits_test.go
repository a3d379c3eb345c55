package ui_test

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ministere/tracker/ui/account"
	"github.com/ministere/tracker/ui/proconnect"
)

// TestPagesSayTheSessionLimits: the profile, the legal notices and the personal data
// page say the session limits the code enforces (account.SessionIdle, 30 minutes;
// account.SessionAbsolute, 12 hours), the ProConnect cookies' life and the login
// throttle's window, written from the constants; no template types them by hand.
func TestPagesSayTheSessionLimits(t *testing.T) {
	t.Parallel()
	minutes := func(n float64) string { return fmt.Sprintf("%d minutes", int(n)) }
	idle, absolute := minutes(account.SessionIdle.Minutes()), fmt.Sprintf("%d heures", int(account.SessionAbsolute.Hours()))
	if idle != "30 minutes" || absolute != "12 heures" {
		t.Fatalf("the limits are %s and %s: check the wording of the pages below, then this test", idle, absolute)
	}
	pending, window := minutes(proconnect.PendingLife.Minutes()), minutes(account.ThrottleWindow.Minutes())

	e := newAPIEnv(t)
	admin := e.login(t, adminEmail, testPassword)
	for _, tc := range []struct {
		path string
		as   session
		want []string
	}{
		{"/profil", admin, []string{"après " + idle + " sans activité, et au plus tard " + absolute + " après la connexion"}},
		{"/mentions-legales", session{}, []string{"la session prend fin après " + idle + " sans activité, " + absolute + " au plus.",
			"<td>" + absolute + ".</td>", "<td>" + pending + ".</td>", "<td>" + pending + " au plus.</td>"}},
		{"/donnees-personnelles", session{}, []string{"une session prend fin après " + idle + " sans activité, " + absolute + " au plus,",
			"comptées pendant " + window + " pour"}},
	} {
		r := e.get(t, tc.as, tc.path)
		if r.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: status %d, want 200", tc.path, r.StatusCode)
		}
		contains(t, "GET "+tc.path, r.raw, tc.want...)
	}

	for _, name := range []string{"profile.html", "legal.html", "personal_data.html"} {
		src, err := os.ReadFile(filepath.Join("templates", name))
		if err != nil {
			t.Fatal(err)
		}
		for _, typed := range []string{idle, absolute, pending, window} {
			if strings.Contains(string(src), typed) {
				t.Errorf("templates/%s types %q by hand: print it from its constant (session_limits.go)", name, typed)
			}
		}
	}
}
