package ui_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
)

// The refusals made below the routes, by fasthttp itself or before Fiber's router, seen
// as a client sees them: raw bytes on a TCP connection.

// rawServer serves app on a free port of 127.0.0.1 and returns its address.
func rawServer(t *testing.T, app *fiber.App) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go app.Listener(ln)
	t.Cleanup(func() { ln.Close() })
	return ln.Addr().String()
}

// rawResp is an answer read off the wire, its body whole.
type rawResp struct {
	*http.Response
	body string
}

var rawDeadline = 10 * time.Second

// rawExchange sends request as is on a new connection and reads one answer (10 s at most).
func rawExchange(t *testing.T, addr, request string) rawResp {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(rawDeadline))
	if _, err := io.WriteString(conn, request); err != nil {
		t.Fatalf("write %q: %v", clipText(request), err)
	}
	return readRaw(t, conn, request)
}

// readRaw reads one answer from conn.
func readRaw(t *testing.T, conn net.Conn, what string) rawResp {
	t.Helper()
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("%q: no answer: %v", clipText(what), err)
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		t.Fatalf("%q: read the answer's body: %v", clipText(what), err)
	}
	return rawResp{resp, string(body)}
}

func clipText(s string) string {
	if len(s) > 80 {
		return s[:80] + "…"
	}
	return s
}

// checkRawRefusal checks a refusal read off the wire: its status, the security headers,
// and its form: problem+json with a French title and detail (and nothing of Go or
// fasthttp) when json, else the French HTML error page.
func checkRawRefusal(t *testing.T, what string, r rawResp, status int, json bool) map[string]any {
	t.Helper()
	if r.StatusCode != status {
		t.Errorf("%s: status %d, want %d\n%s", what, r.StatusCode, status, clipText(r.body))
		return nil
	}
	checkSecurityHeaders(t, what, r.Header)
	ct := r.Header.Get("Content-Type")
	if !json {
		if !strings.HasPrefix(ct, "text/html") || !strings.Contains(r.body, `<html lang="fr"`) {
			t.Errorf("%s: Content-Type %q, want the French HTML error page\n%s", what, ct, clipText(r.body))
		}
		return nil
	}
	if !strings.HasPrefix(ct, "application/problem+json") {
		t.Errorf("%s: Content-Type %q, want application/problem+json\n%s", what, ct, clipText(r.body))
		return nil
	}
	p := problemOf(t, what, r.body)
	if title, _ := p["title"].(string); title == "" || title == http.StatusText(status) {
		t.Errorf("%s: title %q, want a French title", what, title)
	}
	if d, _ := p["detail"].(string); p["status"] != float64(status) || d == "" {
		t.Errorf("%s: problem %v", what, p)
	}
	low := strings.ToLower(r.body)
	for _, leak := range []string{"error when", "fasthttp", "buffer", "contents", "chunk", "cannot", "invalid http"} {
		if strings.Contains(low, leak) {
			t.Errorf("%s: the problem shows %q: %s", what, leak, r.body)
		}
	}
	return p
}

func problemOf(t *testing.T, what, body string) map[string]any {
	t.Helper()
	var p map[string]any
	if err := json.Unmarshal([]byte(body), &p); err != nil {
		t.Errorf("%s: the problem is not JSON: %v\n%s", what, err, body)
	}
	return p
}

// TestMalformedRequestsRefusedWithHeaders: every request fasthttp or the guard before
// the router refuses is answered with the security headers, as problem+json under /api/
// (and when no path could be read) and as the HTML error page elsewhere (regression: a
// folded header, a malformed request line or a bad chunked body got fasthttp's bare 400).
func TestMalformedRequestsRefusedWithHeaders(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t)
	addr := rawServer(t, e.app)
	manyHeaders := strings.Repeat("X-N: 1\r\n", 5000)
	for _, tc := range []struct {
		name, request string
		status        int
		json          bool
	}{
		{"folded header (obs-fold) on the first header line, API",
			"GET /api/v1/relocations HTTP/1.1\r\n X-A: b\r\nHost: t\r\n\r\n", 400, true},
		{"folded header (tab) on the first header line, page",
			"GET /login HTTP/1.1\r\n\tX-A: b\r\nHost: t\r\n\r\n", 400, false},
		// A fold after a header is joined to it (RFC 9112 § 5.2 allows replacing it by a
		// space): the request goes on, and is refused for what it lacks.
		{"folded header value, API", "GET /api/v1/relocations HTTP/1.1\r\nHost: t\r\nX-A: b\r\n c\r\n\r\n", 401, true},
		{"malformed request line", "GARBAGE\r\n\r\n", 400, true},
		{"space in a header name, API", "GET /api/v1/relocations HTTP/1.1\r\nHost: t\r\nX A: b\r\n\r\n", 400, true},
		{"space in a header name, page", "GET /login HTTP/1.1\r\nHost: t\r\nX A: b\r\n\r\n", 400, false},
		{"bad Content-Length, API", "POST /api/v1/relocations HTTP/1.1\r\nHost: t\r\nContent-Length: abc\r\n\r\n", 400, true},
		// (with credentials: a large or chunked body without any is never read, 401)
		{"bad chunk size, API", "POST /api/v1/relocations HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer " + e.token + "\r\nContent-Type: application/json\r\n" +
			"Transfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n", 400, true},
		{"bad chunk size, page", "POST /login HTTP/1.1\r\nHost: t\r\nContent-Type: application/x-www-form-urlencoded\r\n" +
			"Transfer-Encoding: chunked\r\n\r\nzz\r\nab\r\n0\r\n\r\n", 400, false},
		{"Host that would reroute the path (x?y routes to /)", "GET /api/v1/relocations HTTP/1.1\r\nHost: x?y\r\n\r\n", 400, true},
		{"Host with a space", "GET /api/v1/relocations HTTP/1.1\r\nHost: x y\r\n\r\n", 400, true},
		// Request smuggling: the body framed two ways is refused, and the connection closed.
		{"two different Content-Length", "POST /api/v1/relocations HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n" +
			"Content-Length: 2\r\nContent-Length: 3\r\n\r\n{} ", 400, true},
		{"Content-Length and chunked", "POST /api/v1/relocations HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n" +
			"Content-Length: 7\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n", 400, true},
		{"unknown method", "PROPFIND /api/v1/relocations HTTP/1.1\r\nHost: t\r\n\r\n", 405, true},
		{"unknown method, page", "PROPFIND /login HTTP/1.1\r\nHost: t\r\n\r\n", 405, false},
		{"compressed body", "POST /api/v1/relocations HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n" +
			"Content-Encoding: gzip\r\nContent-Length: 2\r\n\r\n{}", 415, true},
		{"200 KB header, API", "GET /api/v1/relocations HTTP/1.1\r\nHost: t\r\nX-Big: " + strings.Repeat("a", 200<<10) + "\r\n\r\n", 431, true},
		{"200 KB header, page", "GET /login HTTP/1.1\r\nHost: t\r\nX-Big: " + strings.Repeat("a", 200<<10) + "\r\n\r\n", 431, false},
		{"5,000 headers, API", "GET /api/v1/relocations HTTP/1.1\r\nHost: t\r\n" + manyHeaders + "\r\n", 431, true},
		{"100 KB URL, API", "GET /api/v1/relocations?q=" + strings.Repeat("a", 100<<10) + " HTTP/1.1\r\nHost: t\r\n\r\n", 431, true},
		{"body over the login form's limit", "POST /login HTTP/1.1\r\nHost: t\r\nContent-Type: application/x-www-form-urlencoded\r\n" +
			"Content-Length: 30000000\r\n\r\n", 413, false},
	} {
		r := rawExchange(t, addr, tc.request)
		checkRawRefusal(t, tc.name, r, tc.status, tc.json)
		if strings.Contains(tc.name, "Content-Length") && !r.Close {
			t.Errorf("%s: the connection stays open after an ambiguous body", tc.name)
		}
	}
	// The same length twice is no ambiguity.
	r0 := rawExchange(t, addr, "POST /api/v1/relocations HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer "+e.token+"\r\n"+
		"Content-Type: application/json\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\n{}")
	if r0.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("Content-Length given twice, the same: status %d, want 422 (the empty relocation refused)", r0.StatusCode)
	}
	// A long ?next= and an ordinary large cookie header pass, on the wire too.
	r := rawExchange(t, addr, "GET /login?next=/"+strings.Repeat("a", 4100)+" HTTP/1.1\r\nHost: t\r\nAccept: text/html\r\n"+
		"Cookie: autre="+strings.Repeat("b", 6<<10)+"\r\nUser-Agent: "+strings.Repeat("c", 500)+"\r\n\r\n")
	if r.StatusCode != http.StatusOK {
		t.Errorf("a 4,100-character next= and a 6 KB cookie: status %d, want 200", r.StatusCode)
	}
}

// chunkedExchange sends head, then a chunked body of size bytes in 64 KiB chunks while
// reading the answer, which may come (and the connection close) before it is all sent.
func chunkedExchange(t *testing.T, addr, head string, size int) rawResp {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(30 * time.Second))
	go func() {
		chunk := fmt.Sprintf("%x\r\n%s\r\n", 64<<10, strings.Repeat("a", 64<<10))
		if _, err := io.WriteString(conn, head); err != nil {
			return
		}
		for sent := 0; sent < size; sent += 64 << 10 {
			if _, err := io.WriteString(conn, chunk); err != nil {
				return // the server answered and closed
			}
		}
		io.WriteString(conn, "0\r\n\r\n")
	}()
	return readRaw(t, conn, head)
}

// bigRoster returns a valid roster of at least size bytes.
func bigRoster(size int) *bytes.Buffer {
	var b bytes.Buffer
	b.WriteString("agent_ref;home_commune;current_minutes\n")
	commune := strings.Repeat("Saint-Rémy-lès-Chevreuse ", 3)
	for i := 0; b.Len() < size; i++ {
		fmt.Fprintf(&b, "agent-%07d;%s;%d\n", i, commune, 20+i%60)
	}
	return &b
}

// TestRefusalsBelowTheRoutes: what Fiber or fasthttp refuse before any route still
// carries the security headers, as problem+json under /api/: an unknown method, and
// headers too large to read.
func TestRefusalsBelowTheRoutes(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t)
	r := apiDo(t, e.app, "PROPFIND", "/api/v1/relocations", "")
	checkProblem(t, r, 405)
	resp := rawExchange(t, rawServer(t, e.app),
		fmt.Sprintf("GET /api/v1/relocations HTTP/1.1\r\nHost: tracker\r\nX-Big: %s\r\n\r\n", strings.Repeat("a", 200<<10)))
	if resp.StatusCode != http.StatusRequestHeaderFieldsTooLarge || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/problem+json") {
		t.Errorf("a 200 KB header: %d %q, want 431 problem+json", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	checkSecurityHeaders(t, "431", resp.Header)
	// A long ?next= and an ordinary large cookie header pass.
	long := apiDo(t, e.app, "GET", "/login?next=/"+strings.Repeat("a", 4100), "", "Accept", "text/html",
		"Cookie", "autre="+strings.Repeat("b", 6<<10))
	expect(t, long, 200)
}
