package ui_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math"
	"math/rand"
	"net"
	"net/http"
	"net/http/httptest"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/jmoiron/sqlx"

	"github.com/ministere/tracker/migrations/dbtest"
	"github.com/ministere/tracker/ui"
	"github.com/ministere/tracker/ui/account"
)

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
	e := &apiEnv{app: newAPIApp(t, db, cfg, clk.now), db: db, clock: clk, accounts: account.NewStore(db, clk.now, 10)}
	e.token = e.tokenOf(t, e.user(t, adminEmail, account.RoleAdmin))
	return e
}

func newAPIApp(t *testing.T, db *sqlx.DB, cfg ui.Config, now func() time.Time) *fiber.App {
	t.Helper()
	cfg.BcryptCost = 10
	app, err := ui.New(cfg, db, slog.New(slog.NewTextHandler(io.Discard, nil)), now)
	if err != nil {
		t.Fatalf("ui.New: %v", err)
	}
	return app
}

// user creates an account named "Agent <email>" with testPassword.
func (e *apiEnv) user(t *testing.T, email, role string) account.User {
	t.Helper()
	u, err := e.accounts.CreateUser(context.Background(), account.NewUser{Email: email, Name: "Agent " + email, Role: role, Password: testPassword})
	if err != nil {
		t.Fatalf("create user %s: %v", email, err)
	}
	return u
}

// tokenOf creates an API token for u.
func (e *apiEnv) tokenOf(t *testing.T, u account.User) string {
	t.Helper()
	secret, _, err := e.accounts.CreateToken(context.Background(), u.ID, "test")
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
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := app.Test(req, -1)
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
	{"users", "id"}, {"relocation_managers", "relocation_id, user_id"},
	{"sites", "id"}, {"criteria", "id"}, {"scores", "site_id, criterion_id"},
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
			if after := e.snapshot(t); after != before {
				t.Errorf("something was stored by a refused request:\nbefore %s\nafter  %s", before, after)
			}
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

// cleiss is the body of a valid relocation creation.
var cleiss = map[string]any{
	"slug":        "cleiss-montreuil",
	"name":        "Relocalisation du CLEISS",
	"body":        "CLEISS",
	"body_name":   "Centre des liaisons européennes et internationales de sécurité sociale",
	"origin":      "11 rue de la Tour des Dames, 75009 Paris",
	"destination": "Seine-Saint-Denis (93)",
	"decision":    "4e CITP, 15 novembre 2019",
	"headcount":   140,
	"target_move": "2022-early",
}

// move is the body of a valid milestone creation.
var move = map[string]any{
	"kind":    "move",
	"title":   "Déménagement",
	"planned": "2022-early",
	"source":  "Réponse à la QE n° 25585, JO du 15 juin 2021, p. 4892",
}

func relocationBody(over map[string]any, drop ...string) string { return with(cleiss, over, drop...) }
func milestoneBody(over map[string]any, drop ...string) string  { return with(move, over, drop...) }

// create posts body to path, expects 201 and returns the resource.
func (e *apiEnv) create(t *testing.T, path, body string) map[string]any {
	t.Helper()
	r := e.do(t, "POST", path, body)
	expect(t, r, 201)
	return r.json
}

func (e *apiEnv) createRelocation(t *testing.T, over map[string]any) map[string]any {
	t.Helper()
	return e.create(t, "/api/v1/relocations", relocationBody(over))
}

func (e *apiEnv) createMilestone(t *testing.T, relocationID int64, over map[string]any) map[string]any {
	t.Helper()
	return e.create(t, fmt.Sprintf("/api/v1/relocations/%d/milestones", relocationID), milestoneBody(over))
}

// idOf returns the id of a resource.
func idOf(t *testing.T, m map[string]any) int64 {
	t.Helper()
	id, ok := m["id"].(float64)
	if !ok || id <= 0 || id != math.Trunc(id) {
		t.Fatalf("no id in %v", m)
	}
	return int64(id)
}

// etag is the ETag of version v.
func etag(v int) string { return `"` + strconv.Itoa(v) + `"` }

// checkFields compares fields of m with want (numbers as float64, FuzzyDates as maps).
func checkFields(t *testing.T, what string, m map[string]any, want map[string]any) {
	t.Helper()
	for k, w := range want {
		got, ok := m[k]
		if !ok {
			t.Errorf("%s: no field %q in %v", what, k, m)
			continue
		}
		if wf, isNum := toFloat(w); isNum {
			gf, gok := got.(float64)
			if !gok || math.Abs(gf-wf) > 1e-9*math.Max(1, math.Abs(wf)) {
				t.Errorf("%s: %s = %v, want %v", what, k, got, w)
			}
			continue
		}
		if !reflect.DeepEqual(got, w) {
			t.Errorf("%s: %s = %#v, want %#v", what, k, got, w)
		}
	}
}

func toFloat(v any) (float64, bool) {
	switch n := v.(type) {
	case int:
		return float64(n), true
	case int64:
		return float64(n), true
	case float64:
		return n, true
	}
	return 0, false
}

// fuzzy is the API form of a FuzzyDate.
func fuzzy(value, label, start, end string) map[string]any {
	return map[string]any{"value": value, "label": label, "start": start, "end": end}
}

func TestAPIRelocationCreateReadList(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t)

	r := e.do(t, "GET", "/api/v1/relocations", "")
	expect(t, r, 200)
	if got := r.raw; got != `{"items":[]}` {
		t.Errorf("empty list = %s, want {\"items\":[]}", got)
	}

	r = e.do(t, "POST", "/api/v1/relocations", relocationBody(nil))
	expect(t, r, 201)
	id := idOf(t, r.json)
	if loc, want := r.Header.Get("Location"), fmt.Sprintf("/api/v1/relocations/%d", id); loc != want {
		t.Errorf("Location = %q, want %q", loc, want)
	}
	if got := r.Header.Get("ETag"); got != `"1"` {
		t.Errorf("ETag = %q, want \"1\"", got)
	}
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("Content-Type = %q", ct)
	}
	checkFields(t, "created", r.json, map[string]any{
		"slug": "cleiss-montreuil", "name": "Relocalisation du CLEISS", "body": "CLEISS",
		"body_name": cleiss["body_name"], "origin": cleiss["origin"], "destination": "Seine-Saint-Denis (93)",
		"decision": "4e CITP, 15 novembre 2019", "headcount": 140,
		"residents": 140, "surface_ratio_m2": 16, "required_surface_m2": 140 * 16,
		"status": "announced", "visibility": "internal", "version": 1,
		"target_move": fuzzy("2022-early", "début 2022", "2022-01-01", "2022-04-30"),
		"origin_lat":  nil, "origin_lon": nil, "chosen_site_id": nil,
		"commute_increase_limit_min": 30,
	})
	created := r.json

	r = e.do(t, "GET", r.Header.Get("Location"), "")
	expect(t, r, 200)
	if got := r.Header.Get("ETag"); got != `"1"` {
		t.Errorf("read ETag = %q, want \"1\"", got)
	}
	if !reflect.DeepEqual(r.json, created) {
		t.Errorf("read differs from created:\nread    %v\ncreated %v", r.json, created)
	}

	// Optional values given at creation are kept; the required surface follows them.
	other := e.createRelocation(t, map[string]any{"slug": "dgfip-lille", "name": "Autre projet",
		"residents": 100.8, "surface_ratio_m2": 12, "status": "site_search", "visibility": "public",
		"origin_lat": 48.8785, "origin_lon": 2.3364, "commute_increase_limit_min": 45, "target_move": "2023-S2"})
	checkFields(t, "created with options", other, map[string]any{
		"residents": 100.8, "surface_ratio_m2": 12, "required_surface_m2": 100.8 * 12,
		"status": "site_search", "visibility": "public", "origin_lat": 48.8785, "origin_lon": 2.3364,
		"commute_increase_limit_min": 45, "headcount": 140,
		"target_move": fuzzy("2023-S2", "2e semestre 2023", "2023-07-01", "2023-12-31"),
	})

	r = e.do(t, "GET", "/api/v1/relocations", "")
	expect(t, r, 200)
	list, _ := r.json["items"].([]any)
	if len(list) != 2 {
		t.Fatalf("list has %d items, want 2: %s", len(list), r)
	}
	byID := map[int64]any{}
	for _, item := range list {
		m, _ := item.(map[string]any)
		byID[idOf(t, m)] = m
	}
	if !reflect.DeepEqual(byID[id], created) {
		t.Errorf("listed item differs from the resource:\n%v\n%v", byID[id], created)
	}
	if !reflect.DeepEqual(byID[idOf(t, other)], other) {
		t.Errorf("listed item differs from the resource:\n%v\n%v", byID[idOf(t, other)], other)
	}
}

// TestAPIRelocationTargetMoveForms creates a relocation for every canonical form of SPEC.
func TestAPIRelocationTargetMoveForms(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t)
	for i, f := range []struct{ value, label, start, end string }{
		{"2021-06-15", "15 juin 2021", "2021-06-15", "2021-06-15"},
		{"2021-06-01", "1er juin 2021", "2021-06-01", "2021-06-01"},
		{"2021-06", "juin 2021", "2021-06-01", "2021-06-30"},
		{"2024-02", "février 2024", "2024-02-01", "2024-02-29"},
		{"2022-Q1", "1er trimestre 2022", "2022-01-01", "2022-03-31"},
		{"2022-Q4", "4e trimestre 2022", "2022-10-01", "2022-12-31"},
		{"2022-S1", "1er semestre 2022", "2022-01-01", "2022-06-30"},
		{"2022-S2", "2e semestre 2022", "2022-07-01", "2022-12-31"},
		{"2022-early", "début 2022", "2022-01-01", "2022-04-30"},
		{"2022-mid", "mi-2022", "2022-05-01", "2022-08-31"},
		{"2022-late", "fin 2022", "2022-09-01", "2022-12-31"},
		{"2022", "2022", "2022-01-01", "2022-12-31"},
	} {
		t.Run(f.value, func(t *testing.T) {
			got := e.createRelocation(t, map[string]any{"slug": fmt.Sprintf("projet-%d", i), "target_move": f.value})
			checkFields(t, f.value, got, map[string]any{"target_move": fuzzy(f.value, f.label, f.start, f.end)})
		})
	}
}

// TestAPIRelocationPatch walks a relocation through updates, each with the ETag of the
// previous answer.
func TestAPIRelocationPatch(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t)
	created := e.createRelocation(t, map[string]any{"headcount": 10})
	path := fmt.Sprintf("/api/v1/relocations/%d", idOf(t, created))

	steps := []struct {
		name    string
		body    string
		version int // expected after the step
		want    map[string]any
	}{
		{"headcount", `{"headcount":12}`, 2,
			map[string]any{"headcount": 12, "residents": 12, "required_surface_m2": 192, "required_surface_computed": true}},
		{"no-op with the same values", `{"headcount":12,"name":"Relocalisation du CLEISS","target_move":"2022-early"}`, 2,
			map[string]any{"headcount": 12}},
		{"empty object", `{}`, 2, map[string]any{"headcount": 12}},
		{"required surface set by hand", `{"required_surface_m2":500}`, 3,
			map[string]any{"required_surface_m2": 500, "required_surface_computed": false, "residents": 12}},
		{"required surface back to computed", `{"required_surface_m2":null}`, 4,
			map[string]any{"required_surface_m2": 192, "required_surface_computed": true}},
		{"residents in full-time equivalents", `{"residents":37.4}`, 5,
			map[string]any{"residents": 37.4, "required_surface_m2": 598.4, "headcount": 12}},
		{"ratio", `{"surface_ratio_m2":12}`, 6,
			map[string]any{"surface_ratio_m2": 12, "required_surface_m2": 37.4 * 12}},
		{"residents back to headcount", `{"residents":null,"surface_ratio_m2":16}`, 7,
			map[string]any{"residents": 12, "required_surface_m2": 192}},
		{"status, visibility and target", `{"status":"site_search","visibility":"public","target_move":"2022-mid"}`, 8,
			map[string]any{"status": "site_search", "visibility": "public",
				"target_move": fuzzy("2022-mid", "mi-2022", "2022-05-01", "2022-08-31")}},
		{"trimmed name is a no-op", `{"name":"  Relocalisation du CLEISS  "}`, 8,
			map[string]any{"name": "Relocalisation du CLEISS"}},
		{"slug and coordinates", `{"slug":"cleiss-bas-montreuil","origin_lat":48.8785,"origin_lon":2.3364}`, 9,
			map[string]any{"slug": "cleiss-bas-montreuil", "origin_lat": 48.8785, "origin_lon": 2.3364}},
	}
	version := 1
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			r := e.do(t, "PATCH", path, s.body, "If-Match", etag(version))
			expect(t, r, 200)
			checkFields(t, s.name, r.json, s.want)
			checkFields(t, s.name, r.json, map[string]any{"version": s.version})
			if got := r.Header.Get("ETag"); got != etag(s.version) {
				t.Errorf("ETag = %q, want %q", got, etag(s.version))
			}
			g := e.do(t, "GET", path, "")
			expect(t, g, 200)
			if got := g.Header.Get("ETag"); got != etag(s.version) {
				t.Errorf("read ETag = %q, want %q", got, etag(s.version))
			}
			if !reflect.DeepEqual(g.json, r.json) {
				t.Errorf("read after PATCH differs from the PATCH answer:\n%v\n%v", g.json, r.json)
			}
			version = s.version
		})
	}

	// Preconditions: stale, missing, unreadable. Nothing changes.
	runRefusals(t, e, []refusal{
		{name: "stale If-Match", method: "PATCH", path: path, body: `{"headcount":13}`, headers: []string{"If-Match", `"1"`}, status: 412},
		{name: "future If-Match", method: "PATCH", path: path, body: `{"headcount":13}`, headers: []string{"If-Match", etag(version + 1)}, status: 412},
		{name: "no If-Match", method: "PATCH", path: path, body: `{"headcount":13}`, status: 428},
		{name: "unreadable If-Match", method: "PATCH", path: path, body: `{"headcount":13}`, headers: []string{"If-Match", "abc"}, status: 412},
	})
}

func TestAPIRelocationRefused(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t)
	a := e.createRelocation(t, nil)
	e.createRelocation(t, map[string]any{"slug": "autre-projet"})
	path := fmt.Sprintf("/api/v1/relocations/%d", idOf(t, a))
	r := e.do(t, "PATCH", path, `{"headcount":141}`, "If-Match", `"1"`)
	expect(t, r, 200)
	im := []string{"If-Match", `"2"`}
	huge := relocationBody(map[string]any{"decision": strings.Repeat("a", 1<<20)})
	const create = "/api/v1/relocations"

	runRefusals(t, e, []refusal{
		// 422: values.
		{name: "headcount 0", method: "POST", path: create, body: relocationBody(map[string]any{"headcount": 0}), status: 422,
			fields: []string{"headcount"}, messages: map[string]string{"headcount": "doit être supérieur à 0"}},
		{name: "negative headcount", method: "POST", path: create, body: relocationBody(map[string]any{"headcount": -5}), status: 422, fields: []string{"headcount"}},
		{name: "unknown status", method: "POST", path: create, body: relocationBody(map[string]any{"status": "demenage"}), status: 422,
			fields: []string{"status"}, contains: map[string]string{"status": "site_search"}},
		{name: "unknown visibility", method: "POST", path: create, body: relocationBody(map[string]any{"visibility": "secret"}), status: 422, fields: []string{"visibility"}},
		{name: "target_move 2022-Q5", method: "POST", path: create, body: relocationBody(map[string]any{"target_move": "2022-Q5"}), status: 422,
			fields: []string{"target_move"}, contains: map[string]string{"target_move": "2022-early"}},
		{name: "target_move French label", method: "POST", path: create, body: relocationBody(map[string]any{"target_move": "début 2022"}), status: 422, fields: []string{"target_move"}},
		{name: "target_move T1 2022", method: "POST", path: create, body: relocationBody(map[string]any{"target_move": "T1 2022"}), status: 422, fields: []string{"target_move"}},
		{name: "target_move lower-case q", method: "POST", path: create, body: relocationBody(map[string]any{"target_move": "2022-q1"}), status: 422, fields: []string{"target_move"}},
		{name: "target_move 15/06/2021", method: "POST", path: create, body: relocationBody(map[string]any{"target_move": "15/06/2021"}), status: 422, fields: []string{"target_move"}},
		{name: "target_move 2021-02-29", method: "POST", path: create, body: relocationBody(map[string]any{"target_move": "2021-02-29"}), status: 422, fields: []string{"target_move"}},
		{name: "target_move as an object", method: "POST", path: create, body: relocationBody(map[string]any{"target_move": map[string]any{"value": "2022"}}), status: 422, fields: []string{"target_move"}},
		{name: "bad slug", method: "POST", path: create, body: relocationBody(map[string]any{"slug": "Pas Un Slug"}), status: 422, fields: []string{"slug"}},
		{name: "slug with double hyphen", method: "POST", path: create, body: relocationBody(map[string]any{"slug": "cleiss--montreuil"}), status: 422, fields: []string{"slug"}},
		{name: "slug too long", method: "POST", path: create, body: relocationBody(map[string]any{"slug": strings.Repeat("a", 81)}), status: 422, fields: []string{"slug"}},
		{name: "every required field missing", method: "POST", path: create, body: `{}`, status: 422,
			fields: []string{"slug", "name", "body", "origin", "destination", "headcount", "target_move"}},
		{name: "name missing", method: "POST", path: create, body: relocationBody(nil, "name"), status: 422, fields: []string{"name"}},
		{name: "headcount missing", method: "POST", path: create, body: relocationBody(nil, "headcount"), status: 422, fields: []string{"headcount"}},
		{name: "target_move missing", method: "POST", path: create, body: relocationBody(nil, "target_move"), status: 422, fields: []string{"target_move"}},
		{name: "blank name", method: "POST", path: create, body: relocationBody(map[string]any{"name": "   "}), status: 422, fields: []string{"name"}},
		{name: "name too long", method: "POST", path: create, body: relocationBody(map[string]any{"name": strings.Repeat("é", 201)}), status: 422, fields: []string{"name"}},
		{name: "headcount as text", method: "POST", path: create, body: relocationBody(map[string]any{"headcount": "douze"}), status: 422, fields: []string{"headcount"}},
		{name: "headcount not an integer", method: "POST", path: create, body: relocationBody(map[string]any{"headcount": 12.5}), status: 422, fields: []string{"headcount"}},
		{name: "name as a number", method: "POST", path: create, body: relocationBody(map[string]any{"name": 12}), status: 422, fields: []string{"name"}},
		{name: "negative residents", method: "POST", path: create, body: relocationBody(map[string]any{"residents": -1}), status: 422, fields: []string{"residents"}},
		{name: "latitude 91", method: "POST", path: create, body: relocationBody(map[string]any{"origin_lat": 91}), status: 422, fields: []string{"origin_lat"}},
		{name: "ratio 0", method: "POST", path: create, body: relocationBody(map[string]any{"surface_ratio_m2": 0}), status: 422, fields: []string{"surface_ratio_m2"}},
		{name: "negative required surface", method: "POST", path: create, body: relocationBody(map[string]any{"required_surface_m2": -10}), status: 422, fields: []string{"required_surface_m2"}},
		{name: "several errors at once", method: "POST", path: create,
			body:   relocationBody(map[string]any{"headcount": 0, "status": "x", "slug": "Pas Un Slug"}, "origin"),
			status: 422, fields: []string{"headcount", "status", "slug", "origin"}},
		// 400: unreadable bodies.
		{name: "malformed JSON", method: "POST", path: create, body: `{"slug":`, status: 400},
		{name: "trailing comma", method: "POST", path: create, body: `{"slug":"a",}`, status: 400},
		{name: "trailing garbage", method: "POST", path: create, body: relocationBody(nil) + " x", status: 400},
		{name: "two objects", method: "POST", path: create, body: relocationBody(nil) + relocationBody(nil), status: 400},
		{name: "unknown field", method: "POST", path: create, body: relocationBody(map[string]any{"foo": 1}), status: 400},
		{name: "id on creation", method: "POST", path: create, body: relocationBody(map[string]any{"id": 3}), status: 400},
		{name: "JSON array", method: "POST", path: create, body: "[" + relocationBody(nil) + "]", status: 400},
		{name: "JSON string", method: "POST", path: create, body: `"cleiss"`, status: 400},
		{name: "empty JSON body", method: "POST", path: create, headers: []string{"Content-Type", "application/json"}, status: 400},
		// 415, 413, 409.
		{name: "text/plain", method: "POST", path: create, body: relocationBody(nil), headers: []string{"Content-Type", "text/plain"}, status: 415},
		{name: "form body", method: "POST", path: create, body: "slug=x", headers: []string{"Content-Type", "application/x-www-form-urlencoded"}, status: 415},
		{name: "no Content-Type", method: "POST", path: create, body: relocationBody(nil), headers: []string{"Content-Type", ""}, status: 415},
		{name: "over 1 MiB", method: "POST", path: create, body: huge, status: 413},
		{name: "duplicate slug", method: "POST", path: create, body: relocationBody(nil), status: 409, fields: []string{"slug"}},
		// 404.
		{name: "unknown id", method: "GET", path: "/api/v1/relocations/999999", status: 404},
		{name: "non-numeric id", method: "GET", path: "/api/v1/relocations/abc", status: 404},
		{name: "negative id", method: "GET", path: "/api/v1/relocations/-1", status: 404},
		{name: "zero id", method: "GET", path: "/api/v1/relocations/0", status: 404},
		{name: "id over int64", method: "GET", path: "/api/v1/relocations/99999999999999999999", status: 404},
		{name: "decimal id", method: "GET", path: "/api/v1/relocations/1.5", status: 404},
		{name: "PATCH unknown id", method: "PATCH", path: "/api/v1/relocations/999999", body: `{"headcount":3}`, headers: im, status: 404},
		{name: "PATCH non-numeric id", method: "PATCH", path: "/api/v1/relocations/abc", body: `{"headcount":3}`, headers: im, status: 404},
		{name: "journal of unknown id", method: "GET", path: "/api/v1/relocations/999999/journal", status: 404},
		{name: "unknown route", method: "GET", path: "/api/v1/nothing-here", status: 404},
		// Regression: the pages' CSRF check once caught unmatched API paths (403, not 404/405).
		{name: "no DELETE of relocations", method: "DELETE", path: path, headers: im, status: 405},
		{name: "POST to an unknown API route", method: "POST", path: "/api/v1/nothing-here", body: `{}`, status: 404},
		{name: "journal limit 0", method: "GET", path: path + "/journal?limit=0", status: 422},
		// PATCH refusals.
		{name: "PATCH headcount 0", method: "PATCH", path: path, body: `{"headcount":0}`, headers: im, status: 422,
			fields: []string{"headcount"}, messages: map[string]string{"headcount": "doit être supérieur à 0"}},
		{name: "PATCH headcount null", method: "PATCH", path: path, body: `{"headcount":null}`, headers: im, status: 422, fields: []string{"headcount"}},
		{name: "PATCH slug null", method: "PATCH", path: path, body: `{"slug":null}`, headers: im, status: 422, fields: []string{"slug"}},
		{name: "PATCH target_move null", method: "PATCH", path: path, body: `{"target_move":null}`, headers: im, status: 422, fields: []string{"target_move"}},
		{name: "PATCH target_move 2022-Q5", method: "PATCH", path: path, body: `{"target_move":"2022-Q5"}`, headers: im, status: 422, fields: []string{"target_move"}},
		{name: "PATCH target_move French label", method: "PATCH", path: path, body: `{"target_move":"début 2022"}`, headers: im, status: 422, fields: []string{"target_move"}},
		{name: "PATCH unknown status", method: "PATCH", path: path, body: `{"status":"termine"}`, headers: im, status: 422, fields: []string{"status"}},
		{name: "PATCH bad slug", method: "PATCH", path: path, body: `{"slug":"Pas Un Slug"}`, headers: im, status: 422, fields: []string{"slug"}},
		{name: "PATCH headcount as text", method: "PATCH", path: path, body: `{"headcount":"douze"}`, headers: im, status: 422, fields: []string{"headcount"}},
		{name: "PATCH valid and invalid together", method: "PATCH", path: path, body: `{"name":"Nouveau nom","headcount":0}`, headers: im, status: 422, fields: []string{"headcount"}},
		{name: "PATCH unknown field", method: "PATCH", path: path, body: `{"foo":1}`, headers: im, status: 400},
		{name: "PATCH id", method: "PATCH", path: path, body: `{"id":3}`, headers: im, status: 400},
		{name: "PATCH version", method: "PATCH", path: path, body: `{"version":5}`, headers: im, status: 400},
		{name: "PATCH derived field", method: "PATCH", path: path, body: `{"required_surface_computed":false}`, headers: im, status: 400},
		{name: "PATCH malformed", method: "PATCH", path: path, body: `{"headcount":`, headers: im, status: 400},
		{name: "PATCH trailing garbage", method: "PATCH", path: path, body: `{"headcount":150}garbage`, headers: im, status: 400},
		{name: "PATCH array", method: "PATCH", path: path, body: `[{"headcount":150}]`, headers: im, status: 400},
		// Regression: a top-level null once decoded as an empty PATCH (200).
		{name: "PATCH null body", method: "PATCH", path: path, body: `null`, headers: im, status: 400},
		{name: "PATCH text/plain", method: "PATCH", path: path, body: `{"headcount":150}`, headers: []string{"If-Match", `"2"`, "Content-Type", "text/plain"}, status: 415},
		{name: "PATCH over 1 MiB", method: "PATCH", path: path, body: huge, headers: im, status: 413},
		{name: "PATCH duplicate slug", method: "PATCH", path: path, body: `{"slug":"autre-projet"}`, headers: im, status: 409, fields: []string{"slug"}},
		{name: "PATCH stale", method: "PATCH", path: path, body: `{"headcount":150}`, headers: []string{"If-Match", `"1"`}, status: 412},
		{name: "PATCH without If-Match", method: "PATCH", path: path, body: `{"headcount":150}`, status: 428},
	})
}

func TestAPIMilestones(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t)
	rel := idOf(t, e.createRelocation(t, nil))
	list := fmt.Sprintf("/api/v1/relocations/%d/milestones", rel)

	r := e.do(t, "GET", list, "")
	expect(t, r, 200)
	if r.raw != `{"items":[]}` {
		t.Errorf("empty milestone list = %s", r.raw)
	}

	// Creation: 201, Location, ETag, derived fields.
	r = e.do(t, "POST", list, milestoneBody(map[string]any{"notes": "Annoncé par le ministre"}))
	expect(t, r, 201)
	m := r.json
	id := idOf(t, m)
	mpath := fmt.Sprintf("/api/v1/milestones/%d", id)
	if got := r.Header.Get("Location"); got != mpath {
		t.Errorf("Location = %q, want %q", got, mpath)
	}
	if got := r.Header.Get("ETag"); got != `"1"` {
		t.Errorf("ETag = %q", got)
	}
	early := fuzzy("2022-early", "début 2022", "2022-01-01", "2022-04-30")
	checkFields(t, "created milestone", m, map[string]any{
		"relocation_id": rel, "kind": "move", "title": "Déménagement", "planned": early, "baseline": early,
		"actual": nil, "source": move["source"], "source_url": nil, "notes": "Annoncé par le ministre",
		"public": false, "slip_days": 0, "status": "planned", "history": []any{}, "version": 1,
	})
	r = e.do(t, "GET", mpath, "")
	expect(t, r, 200)
	if got := r.Header.Get("ETag"); got != `"1"` {
		t.Errorf("read ETag = %q", got)
	}
	if !reflect.DeepEqual(r.json, m) {
		t.Errorf("read differs from created:\n%v\n%v", r.json, m)
	}

	// Planned order: start, then end, then id, whatever the order of creation.
	ids := map[string]int64{"move": id}
	for _, c := range []struct{ key, planned string }{
		{"2022", "2022"}, {"2021-06-15", "2021-06-15"}, {"2021-06 a", "2021-06"}, {"2022-Q1", "2022-Q1"},
		{"2021-06 b", "2021-06"}, {"2022-S1", "2022-S1"},
	} {
		ids[c.key] = idOf(t, e.createMilestone(t, rel, map[string]any{"kind": "other", "title": c.key, "planned": c.planned}))
	}
	want := []int64{ids["2021-06 a"], ids["2021-06 b"], ids["2021-06-15"], ids["2022-Q1"], ids["move"], ids["2022-S1"], ids["2022"]}
	r = e.do(t, "GET", list, "")
	expect(t, r, 200)
	var got []int64
	items, _ := r.json["items"].([]any)
	for _, item := range items {
		got = append(got, idOf(t, item.(map[string]any)))
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("milestone order %v, want %v", got, want)
	}
	for _, item := range items {
		if mm := item.(map[string]any); idOf(t, mm) == id && !reflect.DeepEqual(mm, m) {
			t.Errorf("listed milestone differs from the resource:\n%v\n%v", mm, m)
		}
	}

	// Updates, each with the ETag of the previous answer.
	mid := fuzzy("2022-mid", "mi-2022", "2022-05-01", "2022-08-31")
	dec := fuzzy("2021-12", "décembre 2021", "2021-12-01", "2021-12-31")
	steps := []struct {
		name    string
		body    string
		version int
		want    map[string]any
		history []map[string]any // from, to, reason of each change, oldest first
	}{
		{"planned later, with a reason", `{"planned":"2022-mid","reason":"Travaux de désamiantage"}`, 2,
			map[string]any{"planned": mid, "baseline": early, "slip_days": 123, "status": "planned"},
			[]map[string]any{{"from": early, "to": mid, "reason": "Travaux de désamiantage"}}},
		{"no-op with the same planned", `{"planned":"2022-mid","title":"Déménagement"}`, 2,
			map[string]any{"planned": mid, "slip_days": 123},
			[]map[string]any{{"from": early, "to": mid, "reason": "Travaux de désamiantage"}}},
		{"reason alone changes nothing", `{"reason":"rien"}`, 2, map[string]any{"planned": mid},
			[]map[string]any{{"from": early, "to": mid, "reason": "Travaux de désamiantage"}}},
		{"planned earlier, no reason", `{"planned":"2021-12"}`, 3,
			map[string]any{"planned": dec, "baseline": early, "slip_days": -120, "status": "planned"},
			[]map[string]any{{"from": early, "to": mid, "reason": "Travaux de désamiantage"}, {"from": mid, "to": dec, "reason": ""}}},
		{"other fields keep the history", `{"title":"Emménagement à Montreuil","public":true,"source_url":"https://www.assemblee-nationale.fr/"}`, 4,
			map[string]any{"title": "Emménagement à Montreuil", "public": true, "source_url": "https://www.assemblee-nationale.fr/", "slip_days": -120},
			[]map[string]any{{"from": early, "to": mid, "reason": "Travaux de désamiantage"}, {"from": mid, "to": dec, "reason": ""}}},
		{"actual set", `{"actual":"2021-06-20"}`, 5,
			map[string]any{"actual": "2021-06-20", "status": "done", "planned": dec},
			[]map[string]any{{"from": early, "to": mid, "reason": "Travaux de désamiantage"}, {"from": mid, "to": dec, "reason": ""}}},
		{"actual cleared", `{"actual":null,"source_url":null}`, 6,
			map[string]any{"actual": nil, "status": "planned", "source_url": nil},
			[]map[string]any{{"from": early, "to": mid, "reason": "Travaux de désamiantage"}, {"from": mid, "to": dec, "reason": ""}}},
	}
	version := 1
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			r := e.do(t, "PATCH", mpath, s.body, "If-Match", etag(version))
			expect(t, r, 200)
			checkFields(t, s.name, r.json, s.want)
			checkFields(t, s.name, r.json, map[string]any{"version": s.version})
			if got := r.Header.Get("ETag"); got != etag(s.version) {
				t.Errorf("ETag = %q, want %q", got, etag(s.version))
			}
			history, _ := r.json["history"].([]any)
			if len(history) != len(s.history) {
				t.Fatalf("history has %d changes, want %d: %v", len(history), len(s.history), r.json["history"])
			}
			for i, h := range history {
				hm, _ := h.(map[string]any)
				checkFields(t, fmt.Sprintf("history[%d]", i), hm, s.history[i])
				if by, _ := hm["by"].(string); by == "" {
					t.Errorf("history[%d] has no by: %v", i, hm)
				}
				if at, _ := hm["at"].(string); at == "" {
					t.Errorf("history[%d] has no at: %v", i, hm)
				} else if _, err := time.Parse(time.RFC3339Nano, at); err != nil {
					t.Errorf("history[%d].at = %q: %v", i, at, err)
				}
			}
			g := e.do(t, "GET", mpath, "")
			expect(t, g, 200)
			if !reflect.DeepEqual(g.json, r.json) {
				t.Errorf("read after PATCH differs from the PATCH answer:\n%v\n%v", g.json, r.json)
			}
			version = s.version
		})
	}

	// Delete: preconditions first, then 204 and gone.
	runRefusals(t, e, []refusal{
		{name: "DELETE without If-Match", method: "DELETE", path: mpath, status: 428},
		{name: "DELETE stale", method: "DELETE", path: mpath, headers: []string{"If-Match", `"1"`}, status: 412},
	})
	r = e.do(t, "DELETE", mpath, "", "If-Match", etag(version))
	expect(t, r, 204)
	if r.raw != "" {
		t.Errorf("204 with a body: %q", r.raw)
	}
	runRefusals(t, e, []refusal{
		{name: "GET deleted", method: "GET", path: mpath, status: 404},
		{name: "DELETE deleted", method: "DELETE", path: mpath, headers: []string{"If-Match", etag(version)}, status: 404},
		{name: "PATCH deleted", method: "PATCH", path: mpath, body: `{"title":"x"}`, headers: []string{"If-Match", etag(version)}, status: 404},
	})
	r = e.do(t, "GET", list, "")
	expect(t, r, 200)
	if items, _ := r.json["items"].([]any); len(items) != len(want)-1 {
		t.Errorf("after delete the list has %d items, want %d", len(items), len(want)-1)
	}
}

// TestAPIMilestoneStatus checks status against the fixed clock, "today" in Europe/Paris.
func TestAPIMilestoneStatus(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t)
	rel := idOf(t, e.createRelocation(t, nil))
	for _, c := range []struct {
		planned string
		actual  any
		status  string
	}{
		{"2021-06", nil, "overdue"}, // ends 30 June; today in Paris is 1 July
		{"2021-06-30", nil, "overdue"},
		{"2021-07-01", nil, "planned"},
		{"2021-Q2", nil, "overdue"},
		{"2021-Q3", nil, "planned"},
		{"2021-S1", nil, "overdue"},
		{"2021-early", nil, "overdue"},
		{"2021-mid", nil, "planned"},
		{"2021", nil, "planned"},
		{"2019-11-15", "2019-11-15", "done"},
		{"2022-early", "2021-06-20", "done"},
	} {
		t.Run(c.planned, func(t *testing.T) {
			m := e.createMilestone(t, rel, map[string]any{"planned": c.planned, "actual": c.actual})
			checkFields(t, c.planned, m, map[string]any{"status": c.status, "actual": c.actual, "slip_days": 0})
			r := e.do(t, "GET", fmt.Sprintf("/api/v1/milestones/%d", idOf(t, m)), "")
			expect(t, r, 200)
			checkFields(t, c.planned+" read", r.json, map[string]any{"status": c.status})
		})
	}
}

func TestAPIMilestoneRefused(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t)
	rel := idOf(t, e.createRelocation(t, nil))
	m := e.createMilestone(t, rel, nil)
	mpath := fmt.Sprintf("/api/v1/milestones/%d", idOf(t, m))
	r := e.do(t, "PATCH", mpath, `{"planned":"2022-mid"}`, "If-Match", `"1"`)
	expect(t, r, 200)
	im := []string{"If-Match", `"2"`}
	list := fmt.Sprintf("/api/v1/relocations/%d/milestones", rel)

	runRefusals(t, e, []refusal{
		// 404.
		{name: "create under an unknown relocation", method: "POST", path: "/api/v1/relocations/999999/milestones", body: milestoneBody(nil), status: 404},
		{name: "create under a non-numeric id", method: "POST", path: "/api/v1/relocations/abc/milestones", body: milestoneBody(nil), status: 404},
		{name: "list of an unknown relocation", method: "GET", path: "/api/v1/relocations/999999/milestones", status: 404},
		{name: "unknown milestone", method: "GET", path: "/api/v1/milestones/999999", status: 404},
		{name: "non-numeric milestone", method: "GET", path: "/api/v1/milestones/abc", status: 404},
		{name: "negative milestone", method: "GET", path: "/api/v1/milestones/-3", status: 404},
		{name: "PATCH unknown milestone", method: "PATCH", path: "/api/v1/milestones/999999", body: `{"title":"x"}`, headers: im, status: 404},
		{name: "DELETE unknown milestone", method: "DELETE", path: "/api/v1/milestones/999999", headers: im, status: 404},
		// 422.
		{name: "planned demain", method: "POST", path: list, body: milestoneBody(map[string]any{"planned": "demain"}), status: 422,
			fields: []string{"planned"}, contains: map[string]string{"planned": "2022-Q1"}},
		{name: "planned French label", method: "POST", path: list, body: milestoneBody(map[string]any{"planned": "T1 2022"}), status: 422, fields: []string{"planned"}},
		{name: "planned 2022-Q5", method: "POST", path: list, body: milestoneBody(map[string]any{"planned": "2022-Q5"}), status: 422, fields: []string{"planned"}},
		{name: "actual 15/06/2021", method: "POST", path: list, body: milestoneBody(map[string]any{"actual": "15/06/2021"}), status: 422,
			fields: []string{"actual"}, contains: map[string]string{"actual": "AAAA-MM-JJ"}},
		{name: "actual 2021-02-29", method: "POST", path: list, body: milestoneBody(map[string]any{"actual": "2021-02-29"}), status: 422, fields: []string{"actual"}},
		{name: "actual fuzzy", method: "POST", path: list, body: milestoneBody(map[string]any{"actual": "2021-06"}), status: 422, fields: []string{"actual"}},
		{name: "source missing", method: "POST", path: list, body: milestoneBody(nil, "source"), status: 422, fields: []string{"source"}},
		{name: "source blank", method: "POST", path: list, body: milestoneBody(map[string]any{"source": "  "}), status: 422, fields: []string{"source"}},
		{name: "every required field missing", method: "POST", path: list, body: `{}`, status: 422, fields: []string{"kind", "title", "planned", "source"}},
		{name: "unknown kind", method: "POST", path: list, body: milestoneBody(map[string]any{"kind": "banquet"}), status: 422, fields: []string{"kind"}},
		{name: "source_url not http", method: "POST", path: list, body: milestoneBody(map[string]any{"source_url": "javascript:alert(1)"}), status: 422, fields: []string{"source_url"}},
		{name: "public as text", method: "POST", path: list, body: milestoneBody(map[string]any{"public": "oui"}), status: 422, fields: []string{"public"}},
		{name: "title too long", method: "POST", path: list, body: milestoneBody(map[string]any{"title": strings.Repeat("t", 201)}), status: 422, fields: []string{"title"}},
		// 400, 415.
		{name: "id on creation", method: "POST", path: list, body: milestoneBody(map[string]any{"id": 3}), status: 400},
		{name: "baseline on creation", method: "POST", path: list, body: milestoneBody(map[string]any{"baseline": "2020"}), status: 400},
		{name: "status on creation", method: "POST", path: list, body: milestoneBody(map[string]any{"status": "done"}), status: 400},
		{name: "malformed", method: "POST", path: list, body: `{"kind":"move"`, status: 400},
		{name: "array", method: "POST", path: list, body: "[" + milestoneBody(nil) + "]", status: 400},
		{name: "text/plain", method: "POST", path: list, body: milestoneBody(nil), headers: []string{"Content-Type", "text/plain"}, status: 415},
		// PATCH.
		{name: "PATCH without If-Match", method: "PATCH", path: mpath, body: `{"title":"x"}`, status: 428},
		{name: "PATCH stale", method: "PATCH", path: mpath, body: `{"title":"x"}`, headers: []string{"If-Match", `"1"`}, status: 412},
		{name: "PATCH planned demain", method: "PATCH", path: mpath, body: `{"planned":"demain"}`, headers: im, status: 422, fields: []string{"planned"}},
		{name: "PATCH planned null", method: "PATCH", path: mpath, body: `{"planned":null}`, headers: im, status: 422, fields: []string{"planned"}},
		{name: "PATCH actual French", method: "PATCH", path: mpath, body: `{"actual":"15/06/2021"}`, headers: im, status: 422, fields: []string{"actual"}},
		{name: "PATCH source null", method: "PATCH", path: mpath, body: `{"source":null}`, headers: im, status: 422, fields: []string{"source"}},
		{name: "PATCH reason too long", method: "PATCH", path: mpath, body: jsonOf(map[string]any{"planned": "2022-late", "reason": strings.Repeat("r", 1001)}), headers: im, status: 422, fields: []string{"reason"}},
		{name: "PATCH relocation_id", method: "PATCH", path: mpath, body: `{"relocation_id":2}`, headers: im, status: 400},
		{name: "PATCH id", method: "PATCH", path: mpath, body: `{"id":3}`, headers: im, status: 400},
		{name: "PATCH history", method: "PATCH", path: mpath, body: `{"history":[]}`, headers: im, status: 400},
		{name: "PATCH text/plain", method: "PATCH", path: mpath, body: `{"title":"x"}`, headers: []string{"If-Match", `"2"`, "Content-Type", "text/plain"}, status: 415},
		// DELETE.
		{name: "DELETE without If-Match", method: "DELETE", path: mpath, status: 428},
		{name: "DELETE stale", method: "DELETE", path: mpath, headers: []string{"If-Match", `"1"`}, status: 412},
		{name: "DELETE unreadable If-Match", method: "DELETE", path: mpath, headers: []string{"If-Match", "abc"}, status: 412},
	})
}

// TestAPIJournal checks the journal: newest first, before → after, nothing for a no-op.
func TestAPIJournal(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t)
	rel := e.createRelocation(t, map[string]any{"headcount": 10})
	relID := idOf(t, rel)
	path := fmt.Sprintf("/api/v1/relocations/%d", relID)
	journal := path + "/journal"

	entries := func(t *testing.T) []map[string]any {
		t.Helper()
		r := e.do(t, "GET", journal, "")
		expect(t, r, 200)
		list, ok := r.json["items"].([]any)
		if !ok {
			t.Fatalf("journal without items: %s", r)
		}
		// A new relocation's default criteria are journaled too: this test follows
		// the relocation and its milestones.
		var out []map[string]any
		for _, item := range list {
			if entry, _ := item.(map[string]any); entry["entity"] != "criterion" {
				out = append(out, entry)
			}
		}
		return out
	}

	r := e.do(t, "PATCH", path, `{"headcount":12}`, "If-Match", `"1"`)
	expect(t, r, 200)
	r = e.do(t, "PATCH", path, `{"headcount":12}`, "If-Match", `"2"`)
	expect(t, r, 200)
	before := len(entries(t))
	r = e.do(t, "PATCH", path, `{"headcount":12,"decision":"4e CITP, 15 novembre 2019"}`, "If-Match", `"2"`)
	expect(t, r, 200)
	if n := len(entries(t)); n != before {
		t.Errorf("a no-op PATCH wrote %d journal entries", n-before)
	}
	m := e.createMilestone(t, relID, nil)
	mpath := fmt.Sprintf("/api/v1/milestones/%d", idOf(t, m))
	r = e.do(t, "PATCH", mpath, `{"planned":"2022-mid","reason":"Retard des travaux"}`, "If-Match", `"1"`)
	expect(t, r, 200)
	r = e.do(t, "PATCH", mpath, `{"planned":"2022-mid"}`, "If-Match", `"2"`)
	expect(t, r, 200)
	r = e.do(t, "DELETE", mpath, "", "If-Match", `"2"`)
	expect(t, r, 204)

	got := entries(t)
	want := []struct {
		entity string
		id     int64
		action string
	}{
		{"milestone", idOf(t, m), "delete"},
		{"milestone", idOf(t, m), "update"},
		{"milestone", idOf(t, m), "create"},
		{"relocation", relID, "update"},
		{"relocation", relID, "create"},
	}
	if len(got) != len(want) {
		t.Fatalf("journal has %d entries, want %d: %v", len(got), len(want), got)
	}
	var last time.Time
	for i, w := range want {
		checkFields(t, fmt.Sprintf("entry %d", i), got[i], map[string]any{"entity": w.entity, "entity_id": w.id, "action": w.action})
		if by, _ := got[i]["by"].(string); by == "" {
			t.Errorf("entry %d has no by", i)
		}
		at, err := time.Parse(time.RFC3339Nano, fmt.Sprint(got[i]["at"]))
		if err != nil {
			t.Errorf("entry %d: at = %v: %v", i, got[i]["at"], err)
		}
		if i > 0 && at.After(last) {
			t.Errorf("entry %d is newer than entry %d: not newest first", i, i-1)
		}
		last = at
	}
	change := func(i int, field string) map[string]any {
		changes, _ := got[i]["changes"].(map[string]any)
		c, _ := changes[field].(map[string]any)
		if c == nil {
			t.Errorf("entry %d has no change of %s: %v", i, field, got[i]["changes"])
		}
		return c
	}
	if changes, _ := got[3]["changes"].(map[string]any); !reflect.DeepEqual(changes,
		map[string]any{"headcount": map[string]any{"before": 10.0, "after": 12.0}}) {
		t.Errorf("relocation update changes = %v, want only headcount 10 → 12", changes)
	}
	checkFields(t, "relocation create", change(4, "slug"), map[string]any{"before": nil, "after": "cleiss-montreuil"})
	checkFields(t, "relocation create", change(4, "headcount"), map[string]any{"before": nil, "after": 10})
	checkFields(t, "milestone create", change(2, "planned"), map[string]any{"before": nil, "after": "2022-early"})
	checkFields(t, "milestone update", change(1, "planned"), map[string]any{"before": "2022-early", "after": "2022-mid"})
	if changes, _ := got[1]["changes"].(map[string]any); len(changes) > 2 {
		t.Errorf("milestone update records unchanged fields: %v", changes)
	}
	checkFields(t, "milestone delete", change(0, "title"), map[string]any{"before": "Déménagement", "after": nil})

	// The journal is per relocation: another one's changes do not show.
	other := e.createRelocation(t, map[string]any{"slug": "autre-projet"})
	if n := len(entries(t)); n != len(want) {
		t.Errorf("another relocation's creation shows in this journal (%d entries)", n)
	}
	r = e.do(t, "GET", fmt.Sprintf("/api/v1/relocations/%d/journal", idOf(t, other)), "")
	expect(t, r, 200)
	if items, _ := r.json["items"].([]any); len(items) != 5 {
		t.Errorf("new relocation's journal has %d entries, want 5 (itself and its 4 default criteria)", len(items))
	}
	r = e.do(t, "GET", journal+"?limit=2", "")
	expect(t, r, 200)
	if items, _ := r.json["items"].([]any); len(items) != 2 {
		t.Errorf("?limit=2 gave %d entries", len(items))
	}
}

func TestAPIHealthAndHeaders(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t)
	for _, path := range []string{"/healthz", "/readyz"} {
		r := e.do(t, "GET", path, "")
		expect(t, r, 200)
		if r.json["status"] != "ok" {
			t.Errorf("%s = %s", path, r)
		}
	}
	// A sane X-Request-ID is echoed; anything else is replaced.
	r := e.do(t, "GET", "/api/v1/relocations", "", "X-Request-ID", "trace-42.a_b")
	if got := r.Header.Get("X-Request-ID"); got != "trace-42.a_b" {
		t.Errorf("X-Request-ID = %q, want the caller's", got)
	}
	r = e.do(t, "GET", "/api/v1/relocations", "", "X-Request-ID", "bad id <script>")
	if got := r.Header.Get("X-Request-ID"); got == "" || strings.ContainsAny(got, " <>") {
		t.Errorf("X-Request-ID = %q, want a fresh id", got)
	}
	a := e.do(t, "GET", "/healthz", "").Header.Get("X-Request-ID")
	b := e.do(t, "GET", "/healthz", "").Header.Get("X-Request-ID")
	if a == b {
		t.Errorf("two requests share the X-Request-ID %q", a)
	}
	// Error answers carry the headers too (apiDo checks every response).
	e.do(t, "GET", "/api/v1/relocations/abc", "")
	e.do(t, "POST", "/api/v1/relocations", "{")
	e.do(t, "GET", "/no-such-page", "")

	// The API is cookie-free: its answers set no cookie, found or not.
	if c := e.do(t, "GET", "/api/v1/relocations", "").Header.Get("Set-Cookie"); c != "" {
		t.Errorf("GET /api/v1/relocations sets a cookie: %s", c)
	}
	r = e.do(t, "GET", "/api/v1/nothing-here", "")
	checkProblem(t, r, 404)
	// Regression: the pages' CSRF middleware once set its cookie on unmatched API paths.
	if c := r.Header.Get("Set-Cookie"); c != "" {
		t.Errorf("GET /api/v1/nothing-here sets a cookie: %s", c)
	}
}

// TestAPIConcurrentPatch sends PATCHes with the same If-Match at once: exactly one wins.
func TestAPIConcurrentPatch(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t)
	path := fmt.Sprintf("/api/v1/relocations/%d", idOf(t, e.createRelocation(t, map[string]any{"headcount": 10})))
	const n = 8
	statuses := make(chan int, n)
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			req := httptest.NewRequest("PATCH", path, strings.NewReader(fmt.Sprintf(`{"headcount":%d}`, 20+i)))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("If-Match", `"1"`)
			req.Header.Set("Authorization", "Bearer "+e.token)
			resp, err := e.app.Test(req, -1)
			if err != nil {
				t.Error(err)
				statuses <- 0
				return
			}
			resp.Body.Close()
			statuses <- resp.StatusCode
		}(i)
	}
	wg.Wait()
	close(statuses)
	count := map[int]int{}
	for s := range statuses {
		count[s]++
	}
	if count[200] != 1 || count[412] != n-1 {
		t.Errorf("statuses %v, want one 200 and %d × 412", count, n-1)
	}
	r := e.do(t, "GET", path, "")
	expect(t, r, 200)
	checkFields(t, "after the race", r.json, map[string]any{"version": 2})
	r = e.do(t, "GET", path+"/journal", "")
	expect(t, r, 200)
	relocationEntries := 0
	items, _ := r.json["items"].([]any)
	for _, item := range items {
		if entry, _ := item.(map[string]any); entry["entity"] == "relocation" {
			relocationEntries++
		}
	}
	if relocationEntries != 2 {
		t.Errorf("journal has %d relocation entries, want 2 (create, one update)", relocationEntries)
	}
}

// TestAPIDatabaseUnavailable points the app at a port where no database listens.
func TestAPIDatabaseUnavailable(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	db, err := sqlx.Open("postgres", "postgres://tracker:x@"+addr+"/tracker?sslmode=disable&connect_timeout=2")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	app := newAPIApp(t, db, ui.Config{}, func() time.Time { return apiNow })
	r := apiDo(t, app, "GET", "/healthz", "")
	expect(t, r, 200)
	checkProblem(t, apiDo(t, app, "GET", "/readyz", ""), 503)
	// The token cannot be checked without the database: 503, not 401.
	tok := bearer("trk_" + strings.Repeat("x", 43))
	checkProblem(t, apiDo(t, app, "GET", "/api/v1/relocations", "", tok...), 503)
	checkProblem(t, apiDo(t, app, "POST", "/api/v1/relocations", relocationBody(nil), tok...), 503)
	checkProblem(t, apiDo(t, app, "GET", "/api/v1/relocations/1/milestones", "", tok...), 503)
}

// TestAPINeverServerError sends garbage: no answer may be a 500, and every error is a problem.
func TestAPINeverServerError(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t)
	rel := e.createRelocation(t, nil)
	relPath := fmt.Sprintf("/api/v1/relocations/%d", idOf(t, rel))
	m := e.createMilestone(t, idOf(t, rel), nil)
	mPath := fmt.Sprintf("/api/v1/milestones/%d", idOf(t, m))

	rnd := rand.New(rand.NewSource(1))
	randomBytes := func(n int) string {
		b := make([]byte, n)
		rnd.Read(b)
		return string(b)
	}
	nested := strings.Repeat(`{"a":`, 20000) + "1" + strings.Repeat("}", 20000)
	type req struct{ method, path, body string }
	var reqs []req
	for i := 0; i < 6; i++ {
		reqs = append(reqs, req{"POST", "/api/v1/relocations", randomBytes(1 + rnd.Intn(300))})
		reqs = append(reqs, req{"PATCH", relPath, randomBytes(1 + rnd.Intn(300))})
		reqs = append(reqs, req{"POST", relPath + "/milestones", randomBytes(1 + rnd.Intn(300))})
	}
	for _, body := range []string{
		relocationBody(map[string]any{"slug": "a1"}, "headcount") + `,"headcount":1e400}`,
		`{"headcount":1e400}`, `{"residents":1e400}`, `{"headcount":9223372036854775808}`,
		`{"headcount":-9223372036854775809}`, `{"origin_lat":1e308}`, `{"residents":-0}`,
		`{"slug":{"a":{"b":[1,2,{}]}}}`, `{"target_move":[[[["2022"]]]]}`, nested,
		strings.Repeat("[", 100000), `{"name":"\u0000"}`, `{"name":"\ud800"}`, "\xff\xfe{}",
		relocationBody(map[string]any{"slug": "nul-byte", "name": "a\u0000b"}),
		relocationBody(map[string]any{"slug": "tres-gros", "headcount": 1000000, "residents": 1e6, "surface_ratio_m2": 1000}),
		relocationBody(map[string]any{"slug": "minuscule", "residents": 5e-324, "required_surface_m2": 1e-300}),
		relocationBody(map[string]any{"slug": "an-0", "target_move": "0000"}),
		relocationBody(map[string]any{"slug": "an-9999", "target_move": "9999-late"}),
	} {
		reqs = append(reqs, req{"POST", "/api/v1/relocations", body})
		reqs = append(reqs, req{"PATCH", relPath, body})
	}
	for _, body := range []string{
		milestoneBody(map[string]any{"title": "a\u0000b"}),
		milestoneBody(map[string]any{"actual": "0000-01-01"}),
		milestoneBody(map[string]any{"actual": "2201-01-01"}),
		milestoneBody(map[string]any{"planned": "1899"}),
		milestoneBody(map[string]any{"planned": 2022}),
		milestoneBody(map[string]any{"public": nil, "notes": nil, "source_url": nil}),
		milestoneBody(map[string]any{"source_url": "http://" + strings.Repeat("a", 3000)}),
		`{"planned":{"value":{"value":"2022"}}}`,
	} {
		reqs = append(reqs, req{"POST", relPath + "/milestones", body})
		reqs = append(reqs, req{"PATCH", mPath, body})
	}
	for _, p := range []string{
		"/api/v1/relocations/-1", "/api/v1/relocations/0", "/api/v1/relocations/1e3",
		"/api/v1/relocations/0x10", "/api/v1/relocations/%00", "/api/v1/relocations/%ff",
		"/api/v1/relocations/" + strings.Repeat("9", 400), "/api/v1/milestones/-9223372036854775808",
		"/api/v1/relocations/1/journal?limit=-1&offset=-5", "/api/v1/relocations/1/journal?limit=abc",
		"/api/v1/relocations/1/journal?offset=99999999999999999999", "/api/v1/relocations//milestones",
		"/api/v1/milestones/" + strconv.FormatInt(math.MaxInt64, 10), "/api/v1/../../etc/passwd",
	} {
		reqs = append(reqs, req{"GET", p, ""}, req{"PATCH", p, `{"title":"x"}`}, req{"DELETE", p, ""})
	}
	for _, r := range reqs {
		headers := []string{}
		if r.method == "PATCH" || r.method == "DELETE" {
			headers = []string{"If-Match", `"1"`}
		}
		resp := e.do(t, r.method, r.path, r.body, headers...)
		what := fmt.Sprintf("%s %s %.80q", r.method, r.path, r.body)
		if resp.StatusCode >= 500 {
			t.Errorf("%s: status %d\n%s", what, resp.StatusCode, resp)
			continue
		}
		if resp.StatusCode >= 400 {
			if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/problem+json") {
				t.Errorf("%s: error %d as %q", what, resp.StatusCode, ct)
			}
			checkNoLeak(t, what, resp)
		}
	}
	// A PATCH that some garbage above accepted must still leave readable resources.
	expect(t, e.do(t, "GET", "/api/v1/relocations", ""), 200)
	expect(t, e.do(t, "GET", relPath+"/milestones", ""), 200)
	expect(t, e.do(t, "GET", relPath+"/journal", ""), 200)
}
