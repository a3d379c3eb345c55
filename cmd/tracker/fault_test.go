package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ministere/tracker/migrations/dbtest"
)

// The fault tests: the tracker keeps its promises when things fail, run against the real
// binary or two real servers and the private PostgreSQL.

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

// trackerBinary builds the tracker once for the tests that must kill a real process.
func trackerBinary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "tracker-bin-")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "tracker")
		out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

// adminToken creates an administrator through the command line and returns its token.
func adminToken(t *testing.T, dbURL, email string) string {
	t.Helper()
	if out, err := runCmdIn(t, dbURL, "un mot de passe solide\n", "user", "add", "--email", email, "--name", "Admin", "--role", "admin"); err != nil {
		t.Fatalf("user add: %v\n%s", err, out)
	}
	out, err := runCmd(t, dbURL, "token", "create", "--email", email)
	if err != nil {
		t.Fatalf("token create: %v\n%s", err, out)
	}
	return strings.TrimSpace(out)
}

// apiCall sends one API request; it returns the status (0 when the server did not answer).
func apiCall(client *http.Client, method, u, token, body string, headers ...string) (int, string) {
	req, err := http.NewRequest(method, u, strings.NewReader(body))
	if err != nil {
		return 0, err.Error()
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := client.Do(req)
	if err != nil {
		return 0, err.Error()
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(raw)
}

const faultRelocation = `{"slug":"panne","name":"Panne","body":"TEST","origin":"Paris","destination":"Lyon","headcount":10,"target_move":"2027"}`

// TestCrashKeepsEveryAnsweredWrite: kill -9 the server during a write load; every write
// that got a 2xx is in the database with its journal entry, nothing is half-written, and
// a restarted server serves.
func TestCrashKeepsEveryAnsweredWrite(t *testing.T) {
	t.Parallel()
	bin := trackerBinary(t)
	db, dbURL := dbtest.OpenURL(t)
	token := adminToken(t, dbURL, "panne@exemple.gouv.fr")
	start := func() (*exec.Cmd, string) {
		addr := freeAddr(t)
		cmd := exec.Command(bin, "serve")
		cmd.Env = append(os.Environ(), "DATABASE_URL="+dbURL, "LISTEN_ADDR="+addr)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		waitHealthy(t, addr, nil)
		return cmd, "http://" + addr
	}
	cmd, base := start()
	client := &http.Client{Timeout: 5 * time.Second}
	if status, body := apiCall(client, "POST", base+"/api/v1/relocations", token, faultRelocation); status != 201 {
		t.Fatalf("create: %d %s", status, body)
	}
	var relID int64
	if err := db.Get(&relID, `SELECT id FROM relocations WHERE slug = 'panne'`); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var answered []string
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				title := fmt.Sprintf("Jalon %d-%d", g, i)
				status, _ := apiCall(client, "POST", fmt.Sprintf("%s/api/v1/relocations/%d/milestones", base, relID), token,
					`{"kind":"other","title":"`+title+`","planned":"2027","source":"essai de panne"}`)
				if status == 201 {
					mu.Lock()
					answered = append(answered, title)
					mu.Unlock()
				}
				if status == 0 {
					return
				}
			}
		}()
	}
	time.Sleep(800 * time.Millisecond)
	if err := cmd.Process.Kill(); err != nil { // SIGKILL: no shutdown of any kind
		t.Fatal(err)
	}
	cmd.Wait()
	close(stop)
	wg.Wait()
	if len(answered) == 0 {
		t.Fatal("no write was answered before the crash")
	}
	for _, title := range answered {
		var n int
		if err := db.Get(&n, `SELECT count(*) FROM milestones WHERE relocation_id = $1 AND title = $2`, relID, title); err != nil || n != 1 {
			t.Errorf("answered write %q: %d rows (%v), want 1", title, n, err)
		}
	}
	var milestones, journaled int
	db.Get(&milestones, `SELECT count(*) FROM milestones WHERE relocation_id = $1`, relID)
	db.Get(&journaled, `SELECT count(*) FROM journal WHERE relocation_id = $1 AND entity = 'milestone' AND action = 'create'`, relID)
	if milestones != journaled || milestones < len(answered) {
		t.Errorf("%d milestones, %d journal entries of their creation, %d answered: a write is half-done", milestones, journaled, len(answered))
	}
	t.Logf("%d writes answered before the crash, %d stored", len(answered), milestones)

	cmd, base = start()
	defer func() { cmd.Process.Kill(); cmd.Wait() }()
	if status, body := apiCall(client, "POST", fmt.Sprintf("%s/api/v1/relocations/%d/milestones", base, relID), token,
		`{"kind":"other","title":"Après la panne","planned":"2027","source":"essai"}`); status != 201 {
		t.Errorf("after the restart: %d %s", status, body)
	}
}

// browser is an HTTP client with cookies, as a browser signs in.
type browser struct {
	*http.Client
}

func newBrowser(t *testing.T) browser {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return browser{&http.Client{Jar: jar, Timeout: 30 * time.Second, // bcrypt at cost 12 on a loaded 2-core machine
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

var hiddenCSRF = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

// formToken reads the _csrf of the first form of a page.
func (b browser) formToken(t *testing.T, page string) string {
	t.Helper()
	resp, err := b.Get(page)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	m := hiddenCSRF.FindSubmatch(raw)
	if m == nil {
		t.Fatalf("%s has no _csrf field (status %d)", page, resp.StatusCode)
	}
	return string(m[1])
}

// post submits a form and returns the status.
func (b browser) post(t *testing.T, u string, fields url.Values) int {
	t.Helper()
	resp, err := b.PostForm(u, fields)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// TestTwoInstances: two servers on one database act as one: a login on one is valid on
// the other, an edit on one is seen on the other, a session's CSRF token and the login
// throttling hold across both.
func TestTwoInstances(t *testing.T) {
	t.Parallel()
	_, dbURL := dbtest.OpenURL(t)
	token := adminToken(t, dbURL, "deux@exemple.gouv.fr")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var bases []string
	for range 2 {
		addr := freeAddr(t)
		done := make(chan error, 1)
		go func() {
			done <- run(ctx, []string{"serve"}, strings.NewReader(""), io.Discard,
				env(map[string]string{"DATABASE_URL": dbURL, "LISTEN_ADDR": addr, "BCRYPT_COST": "10"}))
		}()
		waitHealthy(t, addr, done)
		bases = append(bases, "http://"+addr)
	}
	a, b := bases[0], bases[1]
	client := &http.Client{Timeout: 10 * time.Second}

	// An edit on A is seen on B.
	if status, body := apiCall(client, "POST", a+"/api/v1/relocations", token, faultRelocation); status != 201 {
		t.Fatalf("create on A: %d %s", status, body)
	}
	if status, body := apiCall(client, "PATCH", a+"/api/v1/relocations/1", token, `{"name":"Nom changé sur A"}`, "If-Match", `"1"`); status != 200 {
		t.Fatalf("edit on A: %d %s", status, body)
	}
	if _, body := apiCall(client, "GET", b+"/api/v1/relocations/1", token, ""); !strings.Contains(body, "Nom changé sur A") {
		t.Errorf("B does not see A's edit: %s", body)
	}

	// A login on A is valid on B, and B accepts the session's CSRF token in a form.
	br := newBrowser(t)
	fields := url.Values{"email": {"deux@exemple.gouv.fr"}, "password": {"un mot de passe solide"}, "_csrf": {br.formToken(t, a+"/login")}}
	if status := br.post(t, a+"/login", fields); status != http.StatusSeeOther {
		t.Fatalf("login on A: %d", status)
	}
	// Cookies are per host: give B the session A set (the two are one site behind a proxy).
	au, _ := url.Parse(a)
	bu, _ := url.Parse(b)
	br.Jar.SetCookies(bu, br.Jar.Cookies(au))
	csrf := br.formToken(t, b+"/projets/1/modifier")
	edit := url.Values{"_csrf": {csrf}, "version": {"2"}, "slug": {"panne"}, "name": {"Nom changé sur B"}, "body": {"TEST"},
		"origin": {"Paris"}, "destination": {"Lyon"}, "headcount": {"10"}, "target_move": {"2027"}, "status": {"announced"}, "visibility": {"internal"}}
	if status := br.post(t, b+"/projets/1", edit); status != http.StatusSeeOther {
		t.Errorf("a form on B with the session from A: %d, want 303", status)
	}
	if _, body := apiCall(client, "GET", a+"/api/v1/relocations/1", token, ""); !strings.Contains(body, "Nom changé sur B") {
		t.Errorf("A does not see B's form: %s", body)
	}

	// Throttling holds across both: failures on A and B add up.
	for i := 0; i < 10; i++ {
		base := []string{a, b}[i%2]
		guess := newBrowser(t)
		f := url.Values{"email": {"deux@exemple.gouv.fr"}, "password": {"mauvais mot de passe"}, "_csrf": {guess.formToken(t, base+"/login")}}
		guess.post(t, base+"/login", f)
	}
	guess := newBrowser(t)
	f := url.Values{"email": {"deux@exemple.gouv.fr"}, "password": {"un mot de passe solide"}, "_csrf": {guess.formToken(t, a+"/login")}}
	if status := guess.post(t, a+"/login", f); status != http.StatusTooManyRequests {
		t.Errorf("after 10 failures spread over A and B: %d, want 429", status)
	}
}

// cuttableProxy forwards TCP connections to PostgreSQL until cut, which closes them all
// and refuses new ones; mend listens again on the same address. It stands for losing the
// database without stopping the cluster other tests share.
type cuttableProxy struct {
	t      *testing.T
	addr   string
	target string
	mu     sync.Mutex
	ln     net.Listener
	conns  []net.Conn
}

func newCuttableProxy(t *testing.T, target string) *cuttableProxy {
	p := &cuttableProxy{t: t, target: target}
	p.addr = freeAddr(t)
	p.mend()
	t.Cleanup(p.cut)
	return p
}

func (p *cuttableProxy) mend() {
	ln, err := net.Listen("tcp", p.addr)
	if err != nil {
		p.t.Fatal(err)
	}
	p.mu.Lock()
	p.ln = ln
	p.mu.Unlock()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			up, err := net.Dial("tcp", p.target)
			if err != nil {
				c.Close()
				continue
			}
			p.mu.Lock()
			p.conns = append(p.conns, c, up)
			p.mu.Unlock()
			go func() { io.Copy(up, c); up.Close() }()
			go func() { io.Copy(c, up); c.Close() }()
		}
	}()
}

func (p *cuttableProxy) cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ln != nil {
		p.ln.Close()
		p.ln = nil
	}
	for _, c := range p.conns {
		c.Close()
	}
	p.conns = nil
}

// TestDatabaseLoss: with the database gone, requests answer 503 problem+json with
// Retry-After within the request timeout (no 500, no hang) and /readyz says 503; once it
// is back, the same process serves again within 5 s.
func TestDatabaseLoss(t *testing.T) {
	t.Parallel()
	_, dbURL := dbtest.OpenURL(t)
	token := adminToken(t, dbURL, "perte@exemple.gouv.fr")
	u, err := url.Parse(dbURL)
	if err != nil {
		t.Fatal(err)
	}
	proxy := newCuttableProxy(t, u.Host)
	u.Host = proxy.addr
	addr := freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve"}, strings.NewReader(""), io.Discard, env(map[string]string{"DATABASE_URL": u.String(),
			"LISTEN_ADDR": addr, "REQUEST_TIMEOUT": "3s", "DB_CONNECT_TIMEOUT": "2s"}))
	}()
	waitHealthy(t, addr, done)
	base := "http://" + addr
	client := &http.Client{Timeout: 10 * time.Second}
	if status, body := apiCall(client, "GET", base+"/api/v1/relocations", token, ""); status != 200 {
		t.Fatalf("before the loss: %d %s", status, body)
	}

	proxy.cut()
	for _, path := range []string{"/api/v1/relocations", "/readyz"} {
		begun := time.Now()
		req, _ := http.NewRequest("GET", base+path, nil)
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := client.Do(req)
		if err != nil {
			t.Fatalf("%s with the database gone: %v (a hang?)", path, err)
		}
		raw, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusServiceUnavailable || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/problem+json") ||
			resp.Header.Get("Retry-After") == "" {
			t.Errorf("%s with the database gone: %d %q Retry-After %q: %s", path, resp.StatusCode, resp.Header.Get("Content-Type"), resp.Header.Get("Retry-After"), raw)
		}
		if took := time.Since(begun); took > 6*time.Second {
			t.Errorf("%s took %v with the database gone, want within the request timeout", path, took)
		}
	}

	proxy.mend()
	deadline := time.Now().Add(5 * time.Second)
	for {
		status, _ := apiCall(client, "GET", base+"/api/v1/relocations", token, "")
		if status == 200 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("5 s after the database came back: %d", status)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
