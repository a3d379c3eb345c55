package ui_test

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestBodyLimitsPerRoute: each route refuses a body over its limit from the request's
// header, before reading it (413, problem+json under /api/ with the route's French
// message, the HTML error page elsewhere), and reads a chunked body only up to it. The
// roster routes alone take up to 8 MiB.
func TestBodyLimitsPerRoute(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t)
	addr := rawServer(t, e.app)
	rel := idOf(t, e.createRelocation(t, nil))
	roster := fmt.Sprintf("/api/v1/relocations/%d/agents", rel)
	auth := "Authorization: Bearer " + e.token + "\r\n"
	before := e.snapshot(t)

	// Headers only, announcing 2 MiB of JSON: the answer comes before any byte of the body.
	for _, tc := range []struct {
		name, request, detail string
		json                  bool
	}{
		{"2 MiB of JSON", "POST /api/v1/relocations HTTP/1.1\r\nHost: t\r\n" + auth +
			"Content-Type: application/json\r\nContent-Length: 2097152\r\n\r\n", "1 Mio", true},
		{"2 MiB of JSON, anonymous", "PATCH /api/v1/relocations/1 HTTP/1.1\r\nHost: t\r\n" +
			"Content-Type: application/json\r\nContent-Length: 2097152\r\n\r\n", "1 Mio", true},
		{"9 MiB roster", "PUT " + roster + " HTTP/1.1\r\nHost: t\r\n" + auth +
			"Content-Type: text/csv\r\nContent-Length: 9437184\r\n\r\n", "Le fichier des agents dépasse 8 Mio", true},
		{"9 MiB roster through the form", fmt.Sprintf("POST /projets/%d/agents HTTP/1.1\r\nHost: t\r\n", rel) +
			"Content-Type: multipart/form-data; boundary=x\r\nContent-Length: 9437184\r\n\r\n", "", false},
		{"2 MiB page form", fmt.Sprintf("POST /projets/%d HTTP/1.1\r\nHost: t\r\n", rel) +
			"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 2097152\r\n\r\n", "", false},
	} {
		start := time.Now()
		r := rawExchange(t, addr, tc.request) // the body is never sent
		p := checkRawRefusal(t, tc.name, r, http.StatusRequestEntityTooLarge, tc.json)
		if d, _ := p["detail"].(string); tc.json && !strings.Contains(d, tc.detail) {
			t.Errorf("%s: detail %q, want it to say %q", tc.name, d, tc.detail)
		}
		if !tc.json && !strings.Contains(r.body, "Requête trop volumineuse") {
			t.Errorf("%s: the error page does not say « Requête trop volumineuse »", tc.name)
		}
		if time.Since(start) > 5*time.Second {
			t.Errorf("%s: the answer took %v", tc.name, time.Since(start))
		}
	}

	// A chunked body is read up to the route's limit, then refused.
	for _, tc := range []struct {
		name, head, detail string
		size               int
	}{
		{"chunked JSON over 1 MiB", "POST /api/v1/relocations HTTP/1.1\r\nHost: t\r\n" + auth +
			"Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n", "1 Mio", 3 << 20},
		{"chunked roster over 8 MiB", "PUT " + roster + " HTTP/1.1\r\nHost: t\r\n" + auth +
			"Content-Type: text/csv\r\nTransfer-Encoding: chunked\r\n\r\n", "Le fichier des agents dépasse 8 Mio", 9 << 20},
	} {
		r := chunkedExchange(t, addr, tc.head, tc.size)
		p := checkRawRefusal(t, tc.name, r, http.StatusRequestEntityTooLarge, true)
		if d, _ := p["detail"].(string); !strings.Contains(d, tc.detail) {
			t.Errorf("%s: detail %q, want it to say %q", tc.name, d, tc.detail)
		}
	}
	e.unchanged(t, before, "a refused body wrote")

	// Within their limits, bodies are read as before: a 5 MiB roster is imported (API),
	// so is one through the upload form, and a small chunked JSON body is taken.
	big := bigRoster(5 << 20)
	r := e.do(t, "PUT", roster, big.String(), "Content-Type", "text/csv")
	expect(t, r, http.StatusOK)
	if n, _ := r.json["imported"].(float64); n < 10000 {
		t.Errorf("5 MiB roster: imported %v", r.json["imported"])
	}
	s := e.login(t, adminEmail, testPassword)
	var form bytes.Buffer
	mw := multipart.NewWriter(&form)
	mw.WriteField("_csrf", s.csrf)
	fw, _ := mw.CreateFormFile("fichier", "agents.csv")
	fw.Write([]byte("agent_ref;current_minutes\nB1;30\nB2;31\nB3;32\nB4;33\nB5;34\nB6;35\n"))
	mw.Close()
	r = apiDo(t, e.app, "POST", fmt.Sprintf("/projets/%d/agents", rel), form.String(),
		"Content-Type", mw.FormDataContentType(), "Cookie", s.cookie, "Accept", "text/html")
	seeOther(t, r, fmt.Sprintf("/projets/%d/trajets", rel))
	if page := e.get(t, s, fmt.Sprintf("/projets/%d/trajets", rel)); !strings.Contains(page.raw, "6 agents") {
		t.Errorf("the roster sent through the form was not imported")
	}
	body := `{"name":"Par morceaux"}`
	cr := rawExchange(t, addr, fmt.Sprintf("PATCH /api/v1/relocations/%d HTTP/1.1\r\nHost: t\r\n%sIf-Match: \"1\"\r\n"+
		"Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n%x\r\n%s\r\n0\r\n\r\n", rel, auth, len(body), body))
	if cr.StatusCode != http.StatusOK || !strings.Contains(cr.body, "Par morceaux") {
		t.Errorf("a small chunked JSON body: %d %s", cr.StatusCode, clipText(cr.body))
	}
}
