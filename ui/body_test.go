package ui_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ministere/tracker/ui/account"
)

// TestLargeBodyReadOnlyWhenAllowed: a body over 64 KiB is read only once the caller is
// known and allowed to send it. Header only, no byte of the body sent: a caller without
// credentials is answered 401 at once, a viewer sending a roster 403 at once, and their
// connections closed (regression: the server waited for the declared body, and
// allocated its length, before anyone was looked up).
func TestLargeBodyReadOnlyWhenAllowed(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t)
	addr := rawServer(t, e.app)
	rel := idOf(t, e.createRelocation(t, nil))
	viewer := e.tokenOf(t, e.user(t, "lecteur@exemple.gouv.fr", account.RoleViewer))
	roster := fmt.Sprintf("/api/v1/relocations/%d/agents", rel)
	for _, tc := range []struct {
		name, request string
		status        int
	}{
		{"roster, no credentials", "PUT " + roster + " HTTP/1.1\r\nHost: t\r\nContent-Type: text/csv\r\nContent-Length: 8000000\r\n\r\n", 401},
		{"chunked roster, no credentials", "PUT " + roster + " HTTP/1.1\r\nHost: t\r\nContent-Type: text/csv\r\nTransfer-Encoding: chunked\r\n\r\n", 401},
		{"JSON, no credentials", "POST /api/v1/relocations HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nContent-Length: 900000\r\n\r\n", 401},
		{"roster, a viewer", "PUT " + roster + " HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer " + viewer + "\r\n" +
			"Content-Type: text/csv\r\nContent-Length: 8000000\r\n\r\n", 403},
		{"roster, an unknown token", "PUT " + roster + " HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer trk_inconnu\r\n" +
			"Content-Type: text/csv\r\nContent-Length: 8000000\r\n\r\n", 401},
	} {
		start := time.Now()
		r := rawExchange(t, addr, tc.request)
		checkRawRefusal(t, tc.name, r, tc.status, true)
		if !r.Close {
			t.Errorf("%s: the connection stays open with the body unread", tc.name)
		}
		if d := time.Since(start); d > 3*time.Second {
			t.Errorf("%s: answered after %v", tc.name, d)
		}
	}
	// A page form without a session is sent to the login page, its body unread.
	r := rawExchange(t, addr, fmt.Sprintf("POST /projets/%d/agents HTTP/1.1\r\nHost: t\r\n", rel)+
		"Content-Type: multipart/form-data; boundary=x\r\nContent-Length: 8000000\r\n\r\n")
	if r.StatusCode != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), "/login") || !r.Close {
		t.Errorf("upload form without a session: %d %q close=%v, want 303 to /login, connection closed", r.StatusCode, r.Header.Get("Location"), r.Close)
	}
}
