package ui_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/ministere/tracker/migrations/dbtest"
	"github.com/ministere/tracker/relocation"
	"github.com/ministere/tracker/ui"
	"github.com/ministere/tracker/ui/account"
	"github.com/ministere/tracker/ui/proconnect"
)

// The ProConnect tests: the tracker served over TCP, signing in through a real OpenID
// provider in-process (proconnect_op_test.go), driven by an HTTP client that keeps
// cookies as a browser does and follows redirects one by one, so that a test can change
// what a browser or an attacker could change on the way.

// Agents known to the provider, by username.
const (
	pcAgent    = "agent"     // has an enabled account, under another case of the address
	pcUnknown  = "inconnu"   // has no account
	pcDisabled = "desactive" // has a disabled account
)

var pcEmails = map[string]string{
	pcAgent:    "Agent.Connu@Exemple.GOUV.fr",
	pcUnknown:  "personne@exemple.gouv.fr",
	pcDisabled: "ancien@exemple.gouv.fr",
}

// pcEnv is the tracker with ProConnect set to a testOP.
type pcEnv struct {
	base     string
	op       *testOP
	db       *sqlx.DB
	clock    *testClock
	accounts *account.Store
	agent    account.User
	logs     *syncBuffer
}

// syncBuffer is a log sink the server writes to while the test reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

// serveTracker serves the tracker on ln with cfg over db, with the clock of e.
func (e *pcEnv) serveTracker(t *testing.T, ln net.Listener, cfg ui.Config) {
	t.Helper()
	cfg.BcryptCost, cfg.RequestTimeout = testBcryptCost, time.Minute
	app, err := ui.New(cfg, e.db, slog.New(slog.NewTextHandler(e.logs, nil)), e.clock.now)
	if err != nil {
		t.Fatalf("ui.New: %v", err)
	}
	go app.Listener(ln)
	t.Cleanup(func() { app.ShutdownWithTimeout(5 * time.Second) })
}

// newPCEnv starts a provider and the tracker registered with it, with an enabled
// manager account for pcAgent and a disabled one for pcDisabled.
func newPCEnv(t *testing.T) *pcEnv {
	t.Helper()
	e := &pcEnv{db: dbtest.Open(t), clock: &testClock{t: time.Now()}, logs: &syncBuffer{}}
	e.accounts = account.NewStore(e.db, e.clock.now, testBcryptCost)
	ctx := context.Background()
	var err error
	if e.agent, err = e.accounts.CreateUser(ctx, testActor, account.NewUser{Email: "agent.connu@exemple.gouv.fr",
		Name: "Agent connu", Role: account.RoleManager, Password: testPassword}); err != nil {
		t.Fatal(err)
	}
	old, err := e.accounts.CreateUser(ctx, testActor, account.NewUser{Email: pcEmails[pcDisabled], Name: "Ancien agent",
		Role: account.RoleViewer, Password: testPassword})
	if err == nil {
		_, err = e.accounts.UpdateUser(ctx, testActor, old.ID, relocation.Version(old.Version), account.UserChange{Name: old.Name, Role: old.Role, Disabled: true})
	}
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	e.base = "http://" + ln.Addr().String()
	e.op = startOP(t, nil, e.base, pcEmails)
	e.serveTracker(t, ln, ui.Config{ProConnect: e.config()})
	return e
}

// config is the tracker's registration with the provider.
func (e *pcEnv) config() proconnect.Config {
	return proconnect.Config{Issuer: e.op.issuer, ClientID: opClientID, ClientSecret: opClientSecret, BaseURL: e.base}
}

// pcBrowser returns a client that keeps cookies and follows no redirect by itself.
func pcBrowser(t *testing.T) *http.Client {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &http.Client{Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// fetch GETs u with b and returns the answer and its body.
func fetch(t *testing.T, b *http.Client, u string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Accept", "text/html")
	resp, err := b.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", u, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, string(body)
}

// start clicks « S’identifier avec ProConnect » (with next, when not empty) and
// returns the provider's authorization address it leads to, checked: this client, the
// callback, a state and a nonce of at least 32 characters.
func (e *pcEnv) start(t *testing.T, b *http.Client, next string) *url.URL {
	t.Helper()
	u := e.base + proconnect.StartPath
	if next != "" {
		u += "?next=" + url.QueryEscape(next)
	}
	resp, body := fetch(t, b, u)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("GET %s: status %d, want 303 to the provider\n%s", u, resp.StatusCode, body)
	}
	auth, err := resp.Location()
	if err != nil || !strings.HasPrefix(auth.String(), e.op.issuer+"/") {
		t.Fatalf("the start leads to %v (%v), not to the provider %s", auth, err, e.op.issuer)
	}
	q := auth.Query()
	if q.Get("client_id") != opClientID || q.Get("redirect_uri") != e.base+proconnect.CallbackPath || q.Get("response_type") != "code" {
		t.Errorf("authorization request %s: wrong client, redirect URI or response type", auth)
	}
	if len(q.Get("state")) < 32 || len(q.Get("nonce")) < 32 || q.Get("state") == q.Get("nonce") {
		t.Errorf("state %q and nonce %q: want two different values of at least 32 characters", q.Get("state"), q.Get("nonce"))
	}
	return auth
}

// authorize goes through the provider from auth, signed in there as username, and
// returns the address the provider sends the browser back to (the tracker's callback).
func (e *pcEnv) authorize(t *testing.T, b *http.Client, auth *url.URL, username string) string {
	t.Helper()
	e.op.signInAs(username)
	next := auth.String()
	for range 10 {
		resp, body := fetch(t, b, next)
		loc, err := resp.Location()
		if resp.StatusCode/100 != 3 || err != nil {
			t.Fatalf("GET %s at the provider: status %d, no redirect\n%s", next, resp.StatusCode, body)
		}
		if next = loc.String(); strings.HasPrefix(next, e.base+proconnect.CallbackPath+"?") {
			return next
		}
	}
	t.Fatalf("the provider never sent the browser back to the tracker")
	return ""
}

// signIn goes through the whole sign-in of username and returns the callback's answer.
func (e *pcEnv) signIn(t *testing.T, b *http.Client, username string) (*http.Response, string) {
	t.Helper()
	return fetch(t, b, e.authorize(t, b, e.start(t, b, ""), username))
}

// refusedPage checks a French refusal page with status, and that no session was made.
func refusedPage(t *testing.T, what string, resp *http.Response, body string, status int, want ...string) {
	t.Helper()
	if resp.StatusCode != status {
		t.Errorf("%s: status %d, want %d\n%s", what, resp.StatusCode, status, body)
		return
	}
	for _, w := range append([]string{"<h1>Connexion avec ProConnect impossible</h1>", `href="/login"`}, want...) {
		if !strings.Contains(body, w) {
			t.Errorf("%s: the page lacks %q\n%s", what, w, body)
		}
	}
	for _, ck := range resp.Cookies() {
		if strings.HasSuffix(ck.Name, "tracker_session") && ck.Value != "" {
			t.Errorf("%s: a session cookie was set", what)
		}
	}
}

// sessionCount returns how many sessions the tracker holds.
func (e *pcEnv) sessionCount(t *testing.T) int {
	t.Helper()
	var n int
	if err := e.db.Get(&n, `SELECT count(*) FROM sessions`); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestProConnectSignIn: a sign-in through the provider opens a session for the enabled
// account of the agent's address (another case of it), goes on to the page asked,
// keeps the ID token for logout, and its callback serves once; userinfo is read as a
// signed JWT and as JSON.
func TestProConnectSignIn(t *testing.T) {
	t.Parallel()
	e := newPCEnv(t)
	b := pcBrowser(t)

	login, body := fetch(t, b, e.base+"/login")
	if login.StatusCode != http.StatusOK || !strings.Contains(body, `class="fr-connect fr-connect--pro" href="/login/proconnect"`) ||
		!strings.Contains(body, "S’identifier avec") {
		t.Errorf("the login page has no ProConnect button\n%s", body)
	}
	if csp := login.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "form-action 'self' "+e.op.issuer+";") {
		t.Errorf("Content-Security-Policy %q does not let the logout form lead to the provider", csp)
	}

	callback := e.authorize(t, b, e.start(t, b, "/profil"), pcAgent)
	resp, body := fetch(t, b, callback)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/profil" {
		t.Fatalf("callback: status %d to %q, want 303 to /profil\n%s", resp.StatusCode, resp.Header.Get("Location"), body)
	}
	profile, body := fetch(t, b, e.base+"/profil")
	if profile.StatusCode != http.StatusOK || !strings.Contains(body, "agent.connu@exemple.gouv.fr") {
		t.Fatalf("the profile after signing in: status %d\n%s", profile.StatusCode, body)
	}
	var idTokens []string
	if err := e.db.Select(&idTokens, `SELECT id_token FROM sessions WHERE user_id = $1 AND id_token IS NOT NULL`, e.agent.ID); err != nil || len(idTokens) != 1 {
		t.Errorf("sessions keeping an ID token: %d (%v), want 1", len(idTokens), err)
	}
	e.op.mu.Lock()
	hits := e.op.userinfoHit
	e.op.mu.Unlock()
	if hits == 0 {
		t.Errorf("the provider's userinfo was never asked")
	}
	// The provider's redirect serves once: played again (the same state, the same code)
	// it is refused, and makes no session.
	before := e.sessionCount(t)
	resp, body = fetch(t, pcBrowser(t), callback)
	refusedPage(t, "the callback played again from another browser", resp, body, http.StatusBadRequest, "recommencez")
	resp, body = fetch(t, b, callback)
	refusedPage(t, "the callback played again", resp, body, http.StatusBadRequest)
	if n := e.sessionCount(t); n != before {
		t.Errorf("replays made %d sessions", n-before)
	}
	var pending int
	if err := e.db.Get(&pending, `SELECT count(*) FROM proconnect_logins`); err != nil || pending != 0 {
		t.Errorf("%d sign-ins still pending (%v), want 0", pending, err)
	}

	// Userinfo as plain JSON is read too.
	e.op.mu.Lock()
	e.op.jsonInfo = true
	e.op.mu.Unlock()
	resp, body = e.signIn(t, pcBrowser(t), pcAgent)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/" {
		t.Errorf("sign-in with a JSON userinfo: status %d to %q\n%s", resp.StatusCode, resp.Header.Get("Location"), body)
	}
}

// TestProConnectRefusals: every sign-in that does not hold is refused with a French
// page, never a 500, and opens no session: a state changed or another browser's, a
// nonce replayed from an earlier sign-in or missing, an ID token signed by a key the
// provider does not publish, an expired ID token, an address no account has (no account
// is made), a disabled account.
func TestProConnectRefusals(t *testing.T) {
	t.Parallel()
	e := newPCEnv(t)
	var users int
	if err := e.db.Get(&users, `SELECT count(*) FROM users`); err != nil {
		t.Fatal(err)
	}
	sessions := e.sessionCount(t)

	t.Run("wrong state", func(t *testing.T) {
		b := pcBrowser(t)
		cb, _ := url.Parse(e.authorize(t, b, e.start(t, b, ""), pcAgent))
		q := cb.Query()
		q.Set("state", proconnect.RandomSecret())
		cb.RawQuery = q.Encode()
		resp, body := fetch(t, b, cb.String())
		refusedPage(t, "a changed state", resp, body, http.StatusBadRequest, "n’a pas été demandée depuis ce navigateur")
		q.Del("state")
		cb.RawQuery = q.Encode()
		resp, body = fetch(t, b, cb.String())
		refusedPage(t, "no state", resp, body, http.StatusBadRequest)
	})
	t.Run("another browser's state", func(t *testing.T) {
		b := pcBrowser(t)
		cb := e.authorize(t, b, e.start(t, b, ""), pcAgent)
		resp, body := fetch(t, pcBrowser(t), cb)
		refusedPage(t, "the callback in another browser", resp, body, http.StatusBadRequest)
	})
	t.Run("replayed nonce", func(t *testing.T) {
		// An earlier sign-in's nonce, put in a new authorization request: the provider
		// signs an ID token with it, which is not this sign-in's.
		b := pcBrowser(t)
		earlier := e.start(t, b, "")
		if resp, body := fetch(t, b, e.authorize(t, b, earlier, pcAgent)); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("the earlier sign-in: status %d\n%s", resp.StatusCode, body)
		}
		b = pcBrowser(t)
		auth := e.start(t, b, "")
		q := auth.Query()
		q.Set("nonce", earlier.Query().Get("nonce"))
		auth.RawQuery = q.Encode()
		resp, body := fetch(t, b, e.authorize(t, b, auth, pcAgent))
		refusedPage(t, "a replayed nonce", resp, body, http.StatusUnauthorized, "n’a pas pu confirmer votre identité")
		if !strings.Contains(e.logs.String(), "nonce is missing or not this sign-in") {
			t.Errorf("the log does not say the nonce was refused")
		}
	})
	t.Run("missing nonce", func(t *testing.T) {
		b := pcBrowser(t)
		auth := e.start(t, b, "")
		q := auth.Query()
		q.Del("nonce")
		auth.RawQuery = q.Encode()
		resp, body := fetch(t, b, e.authorize(t, b, auth, pcAgent))
		refusedPage(t, "no nonce", resp, body, http.StatusUnauthorized)
	})
	t.Run("signed by another key", func(t *testing.T) {
		e.op.forgeSignatures(t, true)
		defer e.op.forgeSignatures(t, false)
		resp, body := e.signIn(t, pcBrowser(t), pcAgent)
		refusedPage(t, "a token signed by another key", resp, body, http.StatusUnauthorized)
		if !strings.Contains(e.logs.String(), "signature") {
			t.Errorf("the log does not say the signature was refused")
		}
	})
	t.Run("expired", func(t *testing.T) {
		// The provider's ID tokens live an hour: two hours later by the tracker's clock.
		e.clock.add(2 * time.Hour)
		defer e.clock.add(-2 * time.Hour)
		resp, body := e.signIn(t, pcBrowser(t), pcAgent)
		refusedPage(t, "an expired token", resp, body, http.StatusUnauthorized)
		if !strings.Contains(e.logs.String(), "expired") {
			t.Errorf("the log does not say the token expired")
		}
	})
	t.Run("sign-in under way expired", func(t *testing.T) {
		b := pcBrowser(t)
		cb := e.authorize(t, b, e.start(t, b, ""), pcAgent)
		e.clock.add(proconnect.PendingLife + time.Second)
		defer e.clock.add(-proconnect.PendingLife - time.Second)
		resp, body := fetch(t, b, cb)
		refusedPage(t, "a sign-in older than 10 minutes", resp, body, http.StatusBadRequest)
	})
	t.Run("unknown address", func(t *testing.T) {
		resp, body := e.signIn(t, pcBrowser(t), pcUnknown)
		refusedPage(t, "an address without account", resp, body, http.StatusForbidden,
			pcEmails[pcUnknown], "Aucun compte", "<strong>administrateurs</strong>", "jamais à la première connexion")
	})
	t.Run("disabled account", func(t *testing.T) {
		resp, body := e.signIn(t, pcBrowser(t), pcDisabled)
		refusedPage(t, "a disabled account", resp, body, http.StatusForbidden, "désactivé", "<strong>administrateur</strong>", "réactiver")
	})
	t.Run("provider refused", func(t *testing.T) {
		b := pcBrowser(t)
		auth := e.start(t, b, "")
		resp, body := fetch(t, b, e.base+proconnect.CallbackPath+"?error=access_denied&state="+url.QueryEscape(auth.Query().Get("state")))
		refusedPage(t, "the provider's error", resp, body, http.StatusUnauthorized, "connexion annulée ou refusée")
	})

	var after int
	if err := e.db.Get(&after, `SELECT count(*) FROM users`); err != nil || after != users {
		t.Errorf("accounts: %d after the refusals, %d before (%v): none may be made", after, users, err)
	}
	if n := e.sessionCount(t); n != sessions+1 { // the replayed-nonce case's earlier sign-in
		t.Errorf("sessions: %d after the refusals, want %d", n, sessions+1)
	}
}

// TestProConnectLogout: logging out of a session opened through ProConnect ends it,
// then sends the browser to the provider's end_session_endpoint with the session's ID
// token as id_token_hint, a state and the post-logout URI; the provider ends its
// session and comes back, and the tracker shows the login page with its notice. A
// password session logs out as before.
func TestProConnectLogout(t *testing.T) {
	t.Parallel()
	e := newPCEnv(t)
	b := pcBrowser(t)
	if resp, body := e.signIn(t, b, pcAgent); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign-in: status %d\n%s", resp.StatusCode, body)
	}
	var idToken string
	if err := e.db.Get(&idToken, `SELECT id_token FROM sessions WHERE user_id = $1`, e.agent.ID); err != nil {
		t.Fatal(err)
	}
	_, page := fetch(t, b, e.base+"/profil")
	csrf := inputValue(t, page, "_csrf")
	resp, err := b.PostForm(e.base+"/logout", url.Values{"_csrf": {csrf}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	end, err := resp.Location()
	if resp.StatusCode != http.StatusSeeOther || err != nil || !strings.HasPrefix(end.String(), e.op.issuer+"/end_session?") {
		t.Fatalf("logout: status %d to %v, want 303 to the provider's end_session_endpoint", resp.StatusCode, end)
	}
	q := end.Query()
	if q.Get("id_token_hint") != idToken || len(q.Get("state")) < 32 || q.Get("post_logout_redirect_uri") != e.base+proconnect.LoggedOutPath {
		t.Errorf("end_session parameters: %v", q)
	}
	if n := e.sessionCount(t); n != 0 {
		t.Errorf("%d sessions left after logout", n)
	}
	// The provider accepts the request and comes back with the state.
	resp, body := fetch(t, b, end.String())
	back, err := resp.Location()
	if resp.StatusCode != http.StatusFound || err != nil || back.String() != e.base+proconnect.LoggedOutPath+"?state="+url.QueryEscape(q.Get("state")) {
		t.Fatalf("the provider's logout: status %d to %v\n%s", resp.StatusCode, back, body)
	}
	resp, _ = fetch(t, b, back.String())
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/login" {
		t.Fatalf("back from the provider: status %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	_, body = fetch(t, b, e.base+"/login")
	if !strings.Contains(body, "Vous êtes déconnecté") {
		t.Errorf("the login page after logout has no notice")
	}
	// A return with a state this browser did not send: the login page, no notice.
	resp, _ = fetch(t, pcBrowser(t), e.base+proconnect.LoggedOutPath+"?state=forged")
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/login" {
		t.Errorf("a forged return: status %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	for _, ck := range resp.Cookies() {
		if strings.HasSuffix(ck.Name, "tracker_notice") && ck.Value != "" {
			t.Errorf("a forged return carries a notice")
		}
	}

	// A password session's logout stays on the tracker.
	pb := pcBrowser(t)
	_, page = fetch(t, pb, e.base+"/login")
	resp, err = pb.PostForm(e.base+"/login", url.Values{"_csrf": {inputValue(t, page, "_csrf")},
		"email": {e.agent.Email}, "password": {testPassword}})
	if err != nil || resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("password login: %v %v", resp, err)
	}
	resp.Body.Close()
	_, page = fetch(t, pb, e.base+"/profil")
	resp, err = pb.PostForm(e.base+"/logout", url.Values{"_csrf": {inputValue(t, page, "_csrf")}})
	if err != nil || resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/login" {
		t.Errorf("password logout: %v %v, want 303 to /login", resp, err)
	}
}

// TestProConnectOff: without the three variables the login page has no ProConnect
// button and the ProConnect addresses answer 404.
func TestProConnectOff(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t)
	r := e.get(t, session{}, "/login")
	expect(t, r, http.StatusOK)
	if strings.Contains(r.raw, "fr-connect") || strings.Contains(r.raw, "ProConnect") {
		t.Errorf("the login page offers ProConnect while it is not configured")
	}
	if csp := r.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "form-action 'self';") {
		t.Errorf("Content-Security-Policy %q: forms may leave the site", csp)
	}
	for _, p := range []string{proconnect.StartPath, proconnect.CallbackPath + "?code=x&state=y", proconnect.LoggedOutPath + "?state=z"} {
		if r := e.get(t, session{}, p); r.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s: status %d, want 404", p, r.StatusCode)
		}
	}
}

// TestProConnectProviderDown: a provider that does not answer at start does not stop
// the tracker (the log says so); a sign-in then gets a French 503 page while it is down,
// and discovery is tried again on first use once it is up.
func TestProConnectProviderDown(t *testing.T) {
	t.Parallel()
	e := &pcEnv{db: dbtest.Open(t), clock: &testClock{t: time.Now()}, logs: &syncBuffer{}}
	e.accounts = account.NewStore(e.db, e.clock.now, testBcryptCost)
	appLn, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	e.base = "http://" + appLn.Addr().String()
	// An address where nothing listens yet.
	opLn, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	opAddr := opLn.Addr().String()
	opLn.Close()
	e.op = &testOP{issuer: "http://" + opAddr}
	e.serveTracker(t, appLn, ui.Config{ProConnect: e.config()})
	if !strings.Contains(e.logs.String(), "discovery failed at start") {
		t.Errorf("the log does not say the provider was not found:\n%s", e.logs)
	}
	resp, body := fetch(t, pcBrowser(t), e.base+"/login")
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "fr-connect") {
		t.Errorf("the login page: status %d, or no ProConnect button", resp.StatusCode)
	}
	// The provider comes up: the first sign-in discovers it.
	opLn, err = net.Listen("tcp", opAddr)
	if err != nil {
		t.Skipf("the provider's port was taken meanwhile: %v", err)
	}
	e.op = startOP(t, opLn, e.base, pcEmails)
	b := pcBrowser(t)
	e.start(t, b, "")

	// Down again, on a tracker that never found it: a French page, 503.
	down := &pcEnv{db: e.db, clock: e.clock, logs: &syncBuffer{}, op: &testOP{issuer: "http://127.0.0.1:1"}} // nothing listens on port 1
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	down.base = "http://" + ln.Addr().String()
	down.serveTracker(t, ln, ui.Config{ProConnect: down.config()})
	resp, body = fetch(t, pcBrowser(t), down.base+proconnect.StartPath)
	if resp.StatusCode != http.StatusServiceUnavailable || !strings.Contains(body, "ProConnect ne répond pas") {
		t.Errorf("a sign-in while the provider is down: status %d\n%s", resp.StatusCode, body)
	}
}
