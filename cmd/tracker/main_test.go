package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/ministere/tracker/criteria"
	"github.com/ministere/tracker/migrations"
	"github.com/ministere/tracker/migrations/dbtest"
	"github.com/ministere/tracker/relocation"
)

// env is a getenv over a map: the process environment is never read, so tests run in
// parallel with their own settings.
func env(vars map[string]string) func(string) string {
	return func(k string) string { return vars[k] }
}

// syncBuffer is an io.Writer the server's goroutines and the test share.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// freeAddr returns a loopback address nothing listens on (at the time of the call).
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// runCmd runs one sub-command against url and returns its output.
func runCmd(t *testing.T, url string, args ...string) (string, error) {
	t.Helper()
	return runCmdIn(t, url, "", args...)
}

// runCmdIn is runCmd with stdin (and the fastest password hashing allowed).
func runCmdIn(t *testing.T, url, stdin string, args ...string) (string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	var out syncBuffer
	err := run(ctx, args, strings.NewReader(stdin), &out, env(map[string]string{"DATABASE_URL": url, "LISTEN_ADDR": freeAddr(t), "BCRYPT_COST": "10"}))
	return out.String(), err
}

func TestMigrateTwice(t *testing.T) {
	t.Parallel()
	db, url := dbtest.OpenEmpty(t)
	all, err := migrations.All()
	if err != nil {
		t.Fatal(err)
	}
	out, err := runCmd(t, url, "migrate")
	if err != nil {
		t.Fatalf("first migrate: %v\n%s", err, out)
	}
	if want := fmt.Sprintf("(version %d, %d migration(s) appliquée(s))", migrations.Latest(), len(all)); !strings.Contains(out, want) {
		t.Errorf("first migrate says %q, want %q", out, want)
	}
	if v, err := migrations.Version(context.Background(), db); err != nil || v != migrations.Latest() {
		t.Errorf("after migrate: version %d (%v), want %d", v, err, migrations.Latest())
	}
	out, err = runCmd(t, url, "migrate")
	if err != nil {
		t.Fatalf("second migrate: %v\n%s", err, out)
	}
	if want := fmt.Sprintf("(version %d, 0 migration(s) appliquée(s))", migrations.Latest()); !strings.Contains(out, want) {
		t.Errorf("second migrate says %q, want %q", out, want)
	}
	var n int
	if err := db.Get(&n, `SELECT count(*) FROM schema_migrations`); err != nil || n != len(all) {
		t.Errorf("schema_migrations holds %d rows (%v), want %d", n, err, len(all))
	}
}

// counts sums up the rows the demo writes.
func counts(t *testing.T, db *sqlx.DB) string {
	t.Helper()
	var s string
	err := db.Get(&s, `SELECT format('relocations=%s milestones=%s history=%s journal=%s questions=%s',
		(SELECT count(*) FROM relocations), (SELECT count(*) FROM milestones),
		(SELECT count(*) FROM milestone_history), (SELECT count(*) FROM journal),
		(SELECT string_agg(format('%s/%s/%s/v%s', number, question_milestone_id, answer_milestone_id, version), ',') FROM written_questions))`)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestDemoIdempotent(t *testing.T) {
	t.Parallel()
	db, url := dbtest.OpenURL(t)
	out, err := runCmd(t, url, "demo")
	if err != nil {
		t.Fatalf("demo: %v\n%s", err, out)
	}
	if !strings.Contains(out, "démo chargée") {
		t.Errorf("first demo says %q, want « démo chargée »", out)
	}
	first := counts(t, db)
	out, err = runCmd(t, url, "demo")
	if err != nil {
		t.Fatalf("second demo: %v\n%s", err, out)
	}
	if !strings.Contains(out, "déjà chargée") {
		t.Errorf("second demo says %q, want « déjà chargée »", out)
	}
	if second := counts(t, db); second != first {
		t.Errorf("the second demo changed the rows: %s, then %s", first, second)
	}

	ctx := context.Background()
	store := criteria.NewRelocationStore(db)
	r, err := store.RelocationBySlug(ctx, "cleiss-montreuil")
	if err != nil {
		t.Fatalf("the demo has no CLEISS relocation: %v", err)
	}
	if r.Body != "CLEISS" || r.TargetMove.String() != "2022-early" || !strings.Contains(r.Origin, "Tour des Dames") ||
		!strings.Contains(r.Destination, "Seine-Saint-Denis") || !strings.Contains(r.Decision, "15 novembre 2019") {
		t.Errorf("demo relocation: body %q target %q origin %q destination %q decision %q",
			r.Body, r.TargetMove, r.Origin, r.Destination, r.Decision)
	}
	ms, err := store.Milestones(ctx, r.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) != 5 {
		t.Fatalf("the demo has %d milestones, want 5", len(ms))
	}
	want := []struct{ kind, planned, source, title string }{
		{"decision", "2019-11-15", "", ""},
		{"parliamentary_question", "2019-12-24", "JO du 24 décembre 2019, p. 11254", "Question écrite n° 25585 (M. Patrice Anato)"},
		{"letter_of_intent", "2021-06", "4892", ""},
		{"parliamentary_question", "2021-06-15", "JO du 15 juin 2021, p. 4892", "Réponse à la question écrite n° 25585"},
		{"move", "2022-early", "4892", ""},
	}
	for i, m := range ms {
		if strings.TrimSpace(m.Source) == "" {
			t.Errorf("milestone %q has no source", m.Title)
		}
		if m.Kind != want[i].kind || m.Planned.String() != want[i].planned || !strings.Contains(m.Source, want[i].source) ||
			(want[i].title != "" && m.Title != want[i].title) {
			t.Errorf("milestone %d: %s %s %q %q, want %s %s, a source citing %q, title %q",
				i, m.Kind, m.Planned, m.Source, m.Title, want[i].kind, want[i].planned, want[i].source, want[i].title)
		}
	}
	// The two question milestones are the import's: linked to the imported question.
	qs, err := store.Questions(ctx, r.ID)
	if err != nil || len(qs) != 1 {
		t.Fatalf("imported questions: %v, %v", qs, err)
	}
	if q := qs[0]; q.QuestionMilestoneID == nil || *q.QuestionMilestoneID != ms[1].ID || q.AnswerMilestoneID == nil ||
		*q.AnswerMilestoneID != ms[3].ID || q.Author != "M. Patrice Anato" {
		t.Errorf("imported question %+v does not link the milestones %d and %d", q, ms[1].ID, ms[3].ID)
	}
	if n, _ := qs[0].DaysToAnswer(); n != 539 {
		t.Errorf("days to answer %d, want 539", n)
	}
	var n int
	if err := db.Get(&n, `SELECT count(*) FROM relocations`); err != nil || n != 1 {
		t.Errorf("%d relocations (%v), want 1", n, err)
	}
	checkDemoRanking(t, db, r)
}

// checkDemoRanking: with its illustrative roster, the demo ranks every site: bas
// Montreuil first, the partner's premises eliminated by the surface threshold (« faute
// d'espaces disponibles »), their score kept for information.
func checkDemoRanking(t *testing.T, db *sqlx.DB, r relocation.Relocation) {
	t.Helper()
	g, err := criteria.NewStore(db).Grid(context.Background(), r)
	if err != nil {
		t.Fatal(err)
	}
	rk := g.Rank()
	surface := int64(0)
	for _, c := range g.Criteria {
		if c.Source == criteria.SourceSurfaceCoverage {
			surface = c.ID
		}
	}
	if len(rk.Items) != 2 {
		t.Fatalf("the demo ranks %d sites, want 2", len(rk.Items))
	}
	for _, it := range rk.Items {
		if it.Incomplete {
			t.Errorf("%s is incomplete: misses %v", it.Name, it.Missing)
		}
		switch {
		case it.Name == "Bas Montreuil" && (it.Rank == nil || *it.Rank != 1):
			t.Errorf("Bas Montreuil: rank %v, want 1", it.Rank)
		case it.Name != "Bas Montreuil" && (!it.Eliminated || len(it.EliminatedBy) != 1 || it.EliminatedBy[0] != surface || it.Score == nil):
			t.Errorf("%s: eliminated %v by %v (score %v), want eliminated by the surface criterion %d with its score",
				it.Name, it.Eliminated, it.EliminatedBy, it.Score, surface)
		}
	}
	if rk.Sensitivity != nil {
		t.Errorf("one site ranked: sensitivity %v, want none", rk.Sensitivity)
	}
}

func TestServeRefusesNewerSchema(t *testing.T) {
	t.Parallel()
	db, url := dbtest.OpenURL(t)
	if _, err := db.Exec(`INSERT INTO schema_migrations (version, name) VALUES (9999, '9999_future.sql')`); err != nil {
		t.Fatal(err)
	}
	addr := freeAddr(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	done := make(chan error, 1)
	start := time.Now()
	go func() {
		done <- run(ctx, []string{"serve"}, strings.NewReader(""), io.Discard, env(map[string]string{"DATABASE_URL": url, "LISTEN_ADDR": addr}))
	}()
	select {
	case err := <-done:
		if !errors.Is(err, migrations.ErrSchemaTooNew) {
			t.Errorf("serve on a newer schema: %v, want ErrSchemaTooNew", err)
		}
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("serve took %v to refuse", d)
		}
	case <-time.After(10 * time.Second):
		cancel()
		t.Fatal("serve on a newer schema did not return within 10 s")
	}
	if c, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
		c.Close()
		t.Errorf("something listens on %s after the refusal", addr)
	}
	if _, err := runCmd(t, url, "migrate"); !errors.Is(err, migrations.ErrSchemaTooNew) {
		t.Errorf("migrate on a newer schema: %v, want ErrSchemaTooNew", err)
	}
}

// waitHealthy polls /healthz until it answers 200.
func waitHealthy(t *testing.T, addr string, done <-chan error) {
	t.Helper()
	client := &http.Client{Timeout: time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case err := <-done:
			t.Fatalf("serve returned before answering: %v", err)
		default:
		}
		resp, err := client.Get("http://" + addr + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("%s/healthz never answered", addr)
}

func TestServeGracefulShutdown(t *testing.T) {
	t.Parallel()
	_, url := dbtest.OpenURL(t)
	addr := freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var logs syncBuffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve"}, strings.NewReader(""), &logs,
			env(map[string]string{"DATABASE_URL": url, "LISTEN_ADDR": addr, "SHUTDOWN_TIMEOUT": "10s"}))
	}()
	waitHealthy(t, addr, done)

	stopWithRequestInFlight(t, addr, "the shutdown began", cancel, done, 5*time.Second, &logs)
	if c, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
		c.Close()
		t.Errorf("%s still accepts connections after serve returned", addr)
	}
	if !strings.Contains(logs.String(), "shutting down") {
		t.Errorf("no shutdown line in the log:\n%s", logs.String())
	}
}

func TestServeShutdownIdle(t *testing.T) {
	t.Parallel()
	_, url := dbtest.OpenURL(t)
	addr := freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, nil, strings.NewReader(""), io.Discard, env(map[string]string{"DATABASE_URL": url, "LISTEN_ADDR": addr}))
	}()
	waitHealthy(t, addr, done)
	// An idle keep-alive connection must not hold the shutdown up to its timeout (30 s).
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	io.WriteString(conn, "GET /healthz HTTP/1.1\r\nHost: "+addr+"\r\n\r\n")
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("keep-alive request: %v", err)
	}
	resp.Body.Close()
	start := time.Now()
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve after cancel: %v, want nil", err)
		}
		if d := time.Since(start); d > 3*time.Second {
			t.Errorf("shutdown took %v with only an idle connection", d)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not return within 10 s of the cancel")
	}
}

func TestBadConfiguration(t *testing.T) {
	t.Parallel()
	_, url := dbtest.OpenURL(t)
	const secret = "s3cr3t-Pa55word"
	cases := []struct {
		name    string
		vars    map[string]string
		mention string
	}{
		{"DATABASE_URL unset", map[string]string{}, "DATABASE_URL"},
		{"DB_MAX_OPEN_CONNS not a number", map[string]string{"DATABASE_URL": url, "DB_MAX_OPEN_CONNS": "abc"}, "DB_MAX_OPEN_CONNS"},
		{"DB_MAX_OPEN_CONNS zero", map[string]string{"DATABASE_URL": url, "DB_MAX_OPEN_CONNS": "0"}, "DB_MAX_OPEN_CONNS"},
		{"DB_CONNECT_TIMEOUT garbled", map[string]string{"DATABASE_URL": url, "DB_CONNECT_TIMEOUT": "bientôt"}, "DB_CONNECT_TIMEOUT"},
		{"SHUTDOWN_TIMEOUT negative", map[string]string{"DATABASE_URL": url, "SHUTDOWN_TIMEOUT": "-1s"}, "SHUTDOWN_TIMEOUT"},
		{"LOG_LEVEL unknown", map[string]string{"DATABASE_URL": url, "LOG_LEVEL": "bavard"}, "LOG_LEVEL"},
		{"ProConnect without its issuer", map[string]string{"DATABASE_URL": url, "PROCONNECT_CLIENT_ID": "tracker",
			"PROCONNECT_CLIENT_SECRET": secret}, "PROCONNECT_ISSUER"},
		{"PROCONNECT_ISSUER no URL", map[string]string{"DATABASE_URL": url, "PROCONNECT_ISSUER": "auth.agentconnect.gouv.fr",
			"PROCONNECT_CLIENT_ID": "tracker", "PROCONNECT_CLIENT_SECRET": secret}, "PROCONNECT_ISSUER"},
		{"PROCONNECT_BASE_URL no URL", map[string]string{"DATABASE_URL": url, "PROCONNECT_BASE_URL": "/suivi"}, "PROCONNECT_BASE_URL"},
		{"unreachable database", map[string]string{
			"DATABASE_URL":       "postgres://tracker:" + secret + "@127.0.0.1:1/tracker?sslmode=disable",
			"DB_CONNECT_TIMEOUT": "1s"}, "DATABASE_URL"},
		// Regression: a DATABASE_URL that url.Parse rejects once reached lib/pq, whose error
		// quoted the URL, password included.
		{"DATABASE_URL with a garbled port", map[string]string{
			"DATABASE_URL":       "postgres://tracker:" + secret + "@127.0.0.1:54x2/tracker?sslmode=disable",
			"DB_CONNECT_TIMEOUT": "1s"}, "DATABASE_URL"},
		{"unreachable database, key=value form", map[string]string{
			"DATABASE_URL":       "host=127.0.0.1 port=1 user=tracker password=" + secret + " dbname=tracker sslmode=disable",
			"DB_CONNECT_TIMEOUT": "1s"}, "DATABASE_URL"},
	}
	for _, tc := range cases {
		for _, cmd := range []string{"serve", "migrate", "demo"} {
			t.Run(tc.name+"/"+cmd, func(t *testing.T) {
				t.Parallel()
				vars := map[string]string{"LISTEN_ADDR": freeAddr(t)}
				for k, v := range tc.vars {
					vars[k] = v
				}
				ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
				defer cancel()
				var out syncBuffer
				start := time.Now()
				err := run(ctx, []string{cmd}, strings.NewReader(""), &out, env(vars))
				if err == nil {
					t.Fatalf("run %s succeeded", cmd)
				}
				if d := time.Since(start); d > 3*time.Second {
					t.Errorf("run %s took %v to fail", cmd, d)
				}
				if !strings.Contains(err.Error(), tc.mention) {
					t.Errorf("error %q does not mention %s", err, tc.mention)
				}
				if strings.Contains(err.Error(), secret) || strings.Contains(out.String(), secret) {
					t.Errorf("the password shows: error %q, output %q", err, out.String())
				}
			})
		}
	}
}

// TestUnreachableDatabaseTimeout checks DB_CONNECT_TIMEOUT bounds the wait on a server
// that accepts the connection but never answers (a hung host or a black-holing
// firewall), not only on one that refuses it.
func TestUnreachableDatabaseTimeout(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var held []net.Conn
	var mu sync.Mutex
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			held = append(held, c) // never read, never answered
			mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		mu.Lock()
		defer mu.Unlock()
		for _, c := range held {
			c.Close()
		}
	})
	const secret = "s3cr3t-Pa55word"
	for _, cmd := range []string{"migrate", "serve"} {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		start := time.Now()
		err := run(ctx, []string{cmd}, strings.NewReader(""), io.Discard, env(map[string]string{
			"DATABASE_URL":       "postgres://tracker:" + secret + "@" + ln.Addr().String() + "/tracker?sslmode=disable",
			"DB_CONNECT_TIMEOUT": "1s", "LISTEN_ADDR": freeAddr(t)}))
		cancel()
		if err == nil {
			t.Fatalf("%s on a silent server succeeded", cmd)
		}
		if d := time.Since(start); d > 3*time.Second {
			t.Errorf("%s took %v to fail with DB_CONNECT_TIMEOUT=1s", cmd, d)
		}
		if strings.Contains(err.Error(), secret) {
			t.Errorf("the password shows: %v", err)
		}
	}
}

func TestServePortTaken(t *testing.T) {
	t.Parallel()
	_, url := dbtest.OpenURL(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve"}, strings.NewReader(""), io.Discard,
			env(map[string]string{"DATABASE_URL": url, "LISTEN_ADDR": ln.Addr().String()}))
	}()
	select {
	case err := <-done:
		if err == nil {
			t.Error("serve on a taken port returned nil")
		}
	case <-time.After(10 * time.Second):
		cancel()
		t.Fatal("serve on a taken port did not fail within 10 s")
	}
}

func TestUnknownCommand(t *testing.T) {
	t.Parallel()
	_, url := dbtest.OpenURL(t)
	_, err := runCmd(t, url, "frobnicate")
	if err == nil || !strings.Contains(err.Error(), "frobnicate") {
		t.Errorf("unknown command: %v, want an error naming it", err)
	}
}

// stopWithRequestInFlight checks a graceful stop of the server on addr: with a request
// in flight (its request line sent, its header not finished), stop makes the listener
// refuse new connections, the server does not end (exited stays empty) until that
// request is answered 200 "ok", and then it ends without error within wait.
func stopWithRequestInFlight(t *testing.T, addr, what string, stop func(), exited <-chan error, wait time.Duration, logs *syncBuffer) {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := io.WriteString(conn, "GET /healthz HTTP/1.1\r\nHost: "+addr+"\r\n"); err != nil {
		t.Fatal(err)
	}
	time.Sleep(200 * time.Millisecond) // let the server accept the connection
	stop()
	waitRefused(t, addr, what) // the listener closes
	select {
	case err := <-exited:
		t.Fatalf("the server ended (%v) with a request in flight\n%s", err, logs.String())
	default:
	}
	if _, err := io.WriteString(conn, "\r\n"); err != nil {
		t.Fatalf("finish the request: %v", err)
	}
	conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("the request in flight got no answer: %v", err)
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil || resp.StatusCode != 200 || !strings.Contains(string(body), "ok") {
		t.Errorf("the request in flight: %d %q (%v), want 200 ok", resp.StatusCode, body, err)
	}
	select {
	case err := <-exited:
		if err != nil {
			t.Errorf("the server ended after %s with %v, want no error\n%s", what, err, logs.String())
		}
	case <-time.After(wait):
		t.Fatalf("still running %v after %s\n%s", wait, what, logs.String())
	}
}

// waitRefused waits up to 5 s for addr to refuse new connections after what happened.
func waitRefused(t *testing.T, addr, after string) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", addr, 200*time.Millisecond)
		if err != nil {
			return
		}
		c.Close()
		if time.Now().After(deadline) {
			t.Fatalf("%s still accepts connections 5 s after %s", addr, after)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
