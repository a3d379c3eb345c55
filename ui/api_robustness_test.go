package ui_test

import (
	"fmt"
	"math"
	"math/rand"
	"net"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/ministere/tracker/ui"
)

// The API whatever comes: health and headers, concurrent PATCHes, the database down,
// garbage requests.

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
	r = apiDo(t, app, "GET", "/readyz", "")
	checkProblem(t, r, 503)
	if got := r.Header.Get("Retry-After"); got == "" {
		t.Error("503 without Retry-After")
	}
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
