package ui_test

import (
	"fmt"
	"net/http"
	"testing"
	"time"
)

// TestSlowRequestTimesOut: a request whose header never ends (cut short, or with a line
// without a colon, which fasthttp reads as unfinished) is answered 408 problem+json when
// the read deadline passes (regression: 503 « service indisponible » with Retry-After,
// as if the server were down).
func TestSlowRequestTimesOut(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t)
	e.app.Server().ReadTimeout = time.Second // 30 s in production
	addr := rawServer(t, e.app)
	for _, request := range []string{
		"GET /api/v1/relocations HTTP/1.1\r\nHost: t\r\n",
		"GET /api/v1/relocations HTTP/1.1\r\nHost: t\r\nSansDeuxPoints\r\n\r\n",
	} {
		r := rawExchange(t, addr, request)
		checkRawRefusal(t, fmt.Sprintf("%q", request), r, http.StatusRequestTimeout, true)
		if r.Header.Get("Retry-After") != "" {
			t.Errorf("%q: Retry-After on a client's timeout", request)
		}
	}
}
