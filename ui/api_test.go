package ui_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"reflect"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/jmoiron/sqlx"
	"golang.org/x/crypto/bcrypt"

	"github.com/ministere/tracker/migrations/dbtest"
	"github.com/ministere/tracker/relocation"
	"github.com/ministere/tracker/ui"
	"github.com/ministere/tracker/ui/account"
)

// The harness of the API tests: the real app over a fresh database with a settable
// clock, accounts and tokens, requests, and the checks every answer goes through
// (security headers, problems, nothing leaked, nothing written by a refusal).

// apiNow is the clock of the API tests: 30 June 2021 at 23:30 UTC, already 1 July 2021
// in Europe/Paris. A milestone planned « juin 2021 » is overdue only when "today" is
// taken in Paris, as SPEC says.
var apiNow = time.Date(2021, 6, 30, 23, 30, 0, 0, time.UTC)

// apiEnv is the real app over a fresh database of its own, with a settable clock
// (starting at apiNow) and an administrator whose API token do sends.
type apiEnv struct {
	app      *fiber.App
	db       *sqlx.DB
	clock    *testClock
	accounts *account.Store
	token    string // the administrator's API token
}

// testClock is the app's settable clock.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *testClock) add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

// testBcryptCost is bcrypt's least cost: tests check passwords, not their strength, and
// the ui package logs in hundreds of times.
const testBcryptCost = bcrypt.MinCost

// testActor is who the tests' own account changes are recorded as.
var testActor = relocation.System("test")

// Test accounts: every one has testPassword; adminEmail is the env's administrator.
const (
	adminEmail   = "admin@exemple.gouv.fr"
	testPassword = "mot de passe de test"
)

func newAPIEnv(t *testing.T) *apiEnv { return newAPIEnvWith(t, ui.Config{}) }

// newAPIEnvWith is newAPIEnv with a configuration (BcryptCost is set to 10, fast).
func newAPIEnvWith(t *testing.T, cfg ui.Config) *apiEnv {
	t.Helper()
	db := dbtest.Open(t)
	clk := &testClock{t: apiNow}
	e := &apiEnv{app: newAPIApp(t, db, cfg, clk.now), db: db, clock: clk, accounts: account.NewStore(db, clk.now, testBcryptCost)}
	e.token = e.tokenOf(t, e.user(t, adminEmail, account.RoleAdmin))
	return e
}

func newAPIApp(t *testing.T, db *sqlx.DB, cfg ui.Config, now func() time.Time) *fiber.App {
	t.Helper()
	cfg.BcryptCost = testBcryptCost
	if cfg.RequestTimeout == 0 {
		cfg.RequestTimeout = time.Minute // CI machines are busy: the tests that need a short deadline set theirs
	}
	app, err := ui.New(cfg, db, slog.New(slog.NewTextHandler(io.Discard, nil)), now)
	if err != nil {
		t.Fatalf("ui.New: %v", err)
	}
	return app
}

// user creates an account named "Agent <email>" with testPassword.
func (e *apiEnv) user(t *testing.T, email, role string) account.User {
	t.Helper()
	u, err := e.accounts.CreateUser(context.Background(), testActor, account.NewUser{Email: email, Name: "Agent " + email, Role: role, Password: testPassword})
	if err != nil {
		t.Fatalf("create user %s: %v", email, err)
	}
	return u
}

// tokenOf creates an API token for u.
func (e *apiEnv) tokenOf(t *testing.T, u account.User) string {
	t.Helper()
	secret, _, err := e.accounts.CreateToken(context.Background(), testActor, u.ID, "test")
	if err != nil {
		t.Fatal(err)
	}
	return secret
}

// bearer is the header pair of an API token.
func bearer(token string) []string { return []string{"Authorization", "Bearer " + token} }

// apiResp is a response with its body read: raw, and decoded when it is a JSON object.
type apiResp struct {
	*http.Response
	raw  string
	json map[string]any
}

func (r apiResp) String() string {
	raw := r.raw
	if len(raw) > 800 {
		raw = raw[:800] + "…"
	}
	return fmt.Sprintf("%d %s", r.StatusCode, raw)
}

// apiDo sends one request to app (never with the default 1 s timeout). headers are
// name, value pairs; a body is sent as application/json unless they say otherwise.
// Every response is checked for the security headers SPEC asks of every response.
func apiDo(t *testing.T, app *fiber.App, method, path, body string, headers ...string) apiResp {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req := httptest.NewRequest(method, path, rd)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(headers); i += 2 {
		if headers[i] == "Host" { // Go writes the Host header from the request's Host
			req.Host = headers[i+1]
		}
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := app.Test(req, -1)
	if err != nil {
		// fasthttp refused the request below the routes (a body over the route's limit):
		// app.Test then drops the answer, so read it off a real connection.
		resp, err = overTCP(t, app, method, path, body, req.Header)
	}
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	raw, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		t.Fatalf("%s %s: read body: %v", method, path, err)
	}
	r := apiResp{Response: resp, raw: string(raw)}
	if strings.Contains(resp.Header.Get("Content-Type"), "json") && len(raw) > 0 {
		var v any
		if err := json.Unmarshal(raw, &v); err != nil {
			t.Errorf("%s %s: the response says JSON but is not: %v\n%s", method, path, err, r)
		}
		r.json, _ = v.(map[string]any)
	}
	checkSecurityHeaders(t, method+" "+path, resp.Header)
	return r
}

// overTCP sends one request to app over a real TCP connection (writing its body while
// reading, since the answer may come first) and returns the answer, its body read.
func overTCP(t *testing.T, app *fiber.App, method, path, body string, header http.Header) (*http.Response, error) {
	t.Helper()
	addr := rawServer(t, app)
	req, err := http.NewRequest(method, "http://"+addr+path, strings.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header = header.Clone()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(time.Minute))
	go req.Write(conn) // fails once the server has answered and closed: the answer is what counts
	resp, err := http.ReadResponse(bufio.NewReader(conn), req)
	if err != nil {
		return nil, err
	}
	raw, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(raw))
	return resp, err
}

// do sends a request as the administrator (Bearer token), unless headers carry their
// own Authorization or Cookie. apiDo sends anonymous requests.
func (e *apiEnv) do(t *testing.T, method, path, body string, headers ...string) apiResp {
	t.Helper()
	own := false
	for i := 0; i < len(headers); i += 2 {
		own = own || strings.EqualFold(headers[i], "Authorization") || strings.EqualFold(headers[i], "Cookie")
	}
	if !own {
		headers = append(bearer(e.token), headers...)
	}
	return apiDo(t, e.app, method, path, body, headers...)
}

// checkSecurityHeaders checks the headers every response carries.
func checkSecurityHeaders(t *testing.T, what string, h http.Header) {
	t.Helper()
	csp := h.Get("Content-Security-Policy")
	if !strings.Contains(csp, "default-src 'self'") || !strings.Contains(csp, "frame-ancestors 'none'") {
		t.Errorf("%s: Content-Security-Policy = %q, want default-src 'self' and frame-ancestors 'none'", what, csp)
	}
	if got := h.Get("X-Content-Type-Options"); got != "nosniff" {
		t.Errorf("%s: X-Content-Type-Options = %q, want nosniff", what, got)
	}
	if h.Get("Referrer-Policy") == "" {
		t.Errorf("%s: no Referrer-Policy", what)
	}
	if h.Get("X-Request-ID") == "" {
		t.Errorf("%s: no X-Request-ID", what)
	}
}

// expect fails the test now unless r has the status.
func expect(t *testing.T, r apiResp, status int) {
	t.Helper()
	if r.StatusCode != status {
		t.Fatalf("%s %s: status %d, want %d\n%s", r.Request.Method, r.Request.URL, r.StatusCode, status, r)
	}
}

// leaks are fragments of Go, driver or English library text that must never reach a client.
var leaks = []string{"pq:", "sql:", "json:", "strconv", "goroutine", ".go:", "panic", "sqlstate",
	"violates", "duplicate key", "runtime error", "cannot unmarshal", "invalid character",
	"unexpected end", "unknown field", "%!", "<nil>", "map[", "relocation.fuzzydate", "relocation.date",
	"cannot ", "not found", "bad request", "error"}

// checkNoLeak checks the texts a problem shows a person: title, detail, field messages.
func checkNoLeak(t *testing.T, what string, r apiResp) {
	t.Helper()
	texts := []string{fmt.Sprint(r.json["title"]), fmt.Sprint(r.json["detail"])}
	list, _ := r.json["errors"].([]any)
	for _, item := range list {
		m, _ := item.(map[string]any)
		texts = append(texts, fmt.Sprint(m["message"]))
	}
	low := strings.ToLower(strings.Join(texts, "\n"))
	for _, l := range leaks {
		if strings.Contains(low, l) {
			t.Errorf("%s: the response shows %q: %s", what, l, r)
		}
	}
}

// checkProblem checks an RFC 9457 answer: status, media type, French title and detail,
// nothing of Go or the driver. With fields, the validation errors must name exactly
// those fields. It returns the message of each named field.
func checkProblem(t *testing.T, r apiResp, status int, fields ...string) map[string]string {
	t.Helper()
	what := r.Request.Method + " " + r.Request.URL.String()
	if r.StatusCode != status {
		t.Errorf("%s: status %d, want %d\n%s", what, r.StatusCode, status, r)
		return nil
	}
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/problem+json") {
		t.Errorf("%s: Content-Type = %q, want application/problem+json", what, ct)
	}
	title, _ := r.json["title"].(string)
	detail, _ := r.json["detail"].(string)
	if title == "" || title == http.StatusText(status) {
		t.Errorf("%s: title %q, want a French title", what, title)
	}
	if detail == "" {
		t.Errorf("%s: no detail: %s", what, r)
	}
	if got, _ := r.json["status"].(float64); int(got) != status {
		t.Errorf("%s: problem status %v, want %d", what, r.json["status"], status)
	}
	checkNoLeak(t, what, r)
	got := map[string]string{}
	list, _ := r.json["errors"].([]any)
	for _, item := range list {
		m, _ := item.(map[string]any)
		f, _ := m["field"].(string)
		msg, _ := m["message"].(string)
		if f == "" || msg == "" {
			t.Errorf("%s: error without field or message: %v", what, item)
		}
		got[f] = msg
	}
	if fields != nil {
		names := make([]string, 0, len(got))
		for f := range got {
			names = append(names, f)
		}
		sort.Strings(names)
		want := append([]string(nil), fields...)
		sort.Strings(want)
		if !reflect.DeepEqual(names, want) {
			t.Errorf("%s: errors name %v, want %v\n%s", what, names, want, r)
		}
	}
	return got
}

// snapshotTables are the tables a refused request must leave as they were, with the
// order that lists their rows (sessions, tokens and the login throttle change with
// every request: left out).
var snapshotTables = []struct{ name, order string }{
	{"relocations", "id"}, {"milestones", "id"}, {"milestone_history", "id"}, {"journal", "id"},
	{"users", "id"}, {"account_audit", "id"}, {"relocation_managers", "relocation_id, user_id"},
	{"sites", "id"}, {"criteria", "id"}, {"scores", "site_id, criterion_id"},
	{"agents", "relocation_id, agent_ref"}, {"commute_figures", "site_id"}, {"public_events", "id"}, {"partners", "id"},
	{"written_questions", "id"},
}

// snapshot sums up everything stored: for each table, its row count and a digest of
// every row (versions included).
func (e *apiEnv) snapshot(t *testing.T) string {
	t.Helper()
	var out strings.Builder
	for _, table := range snapshotTables {
		var count int
		var digest string
		err := e.db.QueryRow(`SELECT count(*), md5(coalesce(string_agg(x::text, ',' ORDER BY `+table.order+`), '')) FROM `+table.name+` x`).
			Scan(&count, &digest)
		if err != nil {
			t.Fatalf("snapshot of %s: %v", table.name, err)
		}
		fmt.Fprintf(&out, "%s=%d md5=%s; ", table.name, count, digest)
	}
	return out.String()
}

// unchanged fails the test, saying what (a format and its args) wrote, when what is
// stored now differs from before, a snapshot taken earlier.
func (e *apiEnv) unchanged(t *testing.T, before string, what string, args ...any) {
	t.Helper()
	if after := e.snapshot(t); after != before {
		t.Errorf("%s:\nbefore %s\nafter  %s", fmt.Sprintf(what, args...), before, after)
	}
}

// refusal is a request the API must refuse, changing nothing.
type refusal struct {
	name     string
	method   string
	path     string
	body     string
	headers  []string
	status   int
	fields   []string          // when set, exactly the fields the problem names
	messages map[string]string // when set, the exact message of these fields
	contains map[string]string // when set, a fragment the message of these fields contains
}

// runRefusals sends each request and checks the problem and that nothing was stored.
func runRefusals(t *testing.T, e *apiEnv, cases []refusal) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before := e.snapshot(t)
			r := e.do(t, c.method, c.path, c.body, c.headers...)
			got := checkProblem(t, r, c.status, c.fields...)
			for f, msg := range c.messages {
				if got[f] != msg {
					t.Errorf("message of %s = %q, want %q", f, got[f], msg)
				}
			}
			for f, frag := range c.contains {
				if !strings.Contains(got[f], frag) {
					t.Errorf("message of %s = %q, want it to contain %q", f, got[f], frag)
				}
			}
			e.unchanged(t, before, "something was stored by a refused request")
		})
	}
}

// jsonOf encodes v (test data: cannot fail).
func jsonOf(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// with returns base with over applied and the drop keys removed, as JSON.
func with(base map[string]any, over map[string]any, drop ...string) string {
	m := map[string]any{}
	for k, v := range base {
		m[k] = v
	}
	for k, v := range over {
		m[k] = v
	}
	for _, k := range drop {
		delete(m, k)
	}
	return jsonOf(m)
}
