package ui_test

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestFramingRefused: a body framed any other way than one Content-Length or
// « Transfer-Encoding: chunked » exactly, a bare CR or a NUL in a header, a Host with
// '%', are refused 400 and the connection closed: the request piggy-backed behind is
// never served (regression: « xchunked », « chunked, identity », « gzip, chunked » and
// two Transfer-Encoding headers were read as chunked and the second request answered; a
// bare CR or NUL was accepted; « Host: a%b » got 404).
func TestFramingRefused(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t)
	addr := rawServer(t, e.app)
	auth := "Authorization: Bearer " + e.token + "\r\n"
	smuggled := "GET /api/v1/relocations HTTP/1.1\r\nHost: t\r\n" + auth + "\r\n"
	body := "2\r\n{}\r\n0\r\n\r\n"
	for _, tc := range []struct{ name, headers string }{
		{"xchunked", "Transfer-Encoding: xchunked\r\n"},
		{"chunked, identity", "Transfer-Encoding: chunked, identity\r\n"},
		{"gzip, chunked", "Transfer-Encoding: gzip, chunked\r\n"},
		{"identity", "Transfer-Encoding: identity\r\n"},
		{"two Transfer-Encoding headers", "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n"},
		{"bare CR in a header value", "Transfer-Encoding: chunked\r\nX-A: b\rc\r\n"},
		{"NUL in a header value", "Transfer-Encoding: chunked\r\nX-A: b\x00c\r\n"},
	} {
		request := "POST /api/v1/relocations HTTP/1.1\r\nHost: t\r\n" + auth + "Content-Type: application/json\r\n" +
			tc.headers + "\r\n" + body + smuggled
		status, answers := exchangeAll(t, addr, request)
		if status != http.StatusBadRequest && status != http.StatusNotImplemented {
			t.Errorf("%s: status %d, want 400", tc.name, status)
		}
		if answers != 1 {
			t.Errorf("%s: %d answers on the connection, want 1 (the piggy-backed request served)", tc.name, answers)
		}
	}
	// A GET announcing a body: fasthttp reads none, and would serve what follows.
	get := "GET /api/v1/relocations HTTP/1.1\r\nHost: t\r\n" + auth
	for name, request := range map[string]string{
		"GET with a Content-Length": get + fmt.Sprintf("Content-Length: %d\r\n\r\n", len(smuggled)) + smuggled,
		"GET chunked":               get + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n" + smuggled,
	} {
		status, answers := exchangeAll(t, addr, request)
		if status != http.StatusBadRequest || answers != 1 {
			t.Errorf("%s: status %d, %d answers, want 400 and 1", name, status, answers)
		}
	}
	r := rawExchange(t, addr, "GET /api/v1/relocations HTTP/1.1\r\nHost: a%62\r\n"+auth+"\r\n")
	checkRawRefusal(t, "Host with %", r, http.StatusBadRequest, true)
	// Exactly chunked is read, and the connection kept; so is a GET of length 0.
	status, answers := exchangeAll(t, addr, "PATCH /api/v1/relocations/999999 HTTP/1.1\r\nHost: t\r\n"+auth+
		"Content-Type: application/json\r\nIf-Match: \"1\"\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n"+smuggled)
	if status != http.StatusNotFound || answers != 2 {
		t.Errorf("chunked then a second request: status %d, %d answers, want 404 and 2", status, answers)
	}
	status, answers = exchangeAll(t, addr, get+"Content-Length: 0\r\n\r\n"+smuggled)
	if status != http.StatusOK || answers != 2 {
		t.Errorf("chunked then a second request: status %d, %d answers, want 200 and 2", status, answers)
	}
}

// exchangeAll sends request on a new connection and reads every answer until the server
// closes it or stays silent: the first status and how many answers came.
func exchangeAll(t *testing.T, addr, request string) (int, int) {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := io.WriteString(conn, request); err != nil {
		t.Fatal(err)
	}
	br := bufio.NewReader(conn)
	first, n := 0, 0
	for {
		conn.SetReadDeadline(time.Now().Add(time.Second))
		resp, err := http.ReadResponse(br, nil)
		if err != nil {
			return first, n
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if n == 0 {
			first = resp.StatusCode
		}
		n++
		if strings.EqualFold(resp.Header.Get("Connection"), "close") {
			return first, n
		}
	}
}
