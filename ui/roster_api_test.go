package ui_test

import (
	"fmt"
	"net/http"
	"testing"
)

// TestCommuteImportRefused: each bad file is refused with its own message by line and
// column, and the previous roster and figures stay as they were.
func TestCommuteImportRefused(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t)
	rel := idOf(t, e.createRelocation(t, nil))
	site := idOf(t, e.createSite(t, rel, map[string]any{"lat": 48.8555, "lon": 2.4255}))
	path := fmt.Sprintf("/api/v1/relocations/%d/agents", rel)
	good := "agent_ref,current_minutes,minutes_" + fmt.Sprint(site) + "\nA1,30,40\nA2,30,41\nA3,30,42\nA4,30,43\nA5,30,44\n"
	expect(t, e.do(t, "PUT", path, good, "Content-Type", "text/csv"), 200)
	before := e.snapshot(t)
	for _, tc := range []struct {
		name, body string
		line       int
		column     string
	}{
		{"empty file", "", 0, ""},
		{"header only", "agent_ref;home_lat;home_lon\n", 0, ""},
		{"duplicate agent_ref", "agent_ref\nA1\nA2\nA1\n", 4, "agent_ref"},
		{"a name as agent_ref", "agent_ref\nJean Dupont\n", 2, "agent_ref"},
		{"latitude out of range", "agent_ref;home_lat;home_lon\nA1;95;2,3\n", 2, "home_lat"},
		{"negative minutes", "agent_ref;current_minutes\nA1;-5\n", 2, "current_minutes"},
		{"minutes not a number", "agent_ref;current_minutes\nA1;trente\n", 2, "current_minutes"},
		{"a column naming no site", "agent_ref;minutes_999999\nA1;30\n", 1, "minutes_999999"},
	} {
		r := e.do(t, "PUT", path, tc.body, "Content-Type", "text/csv")
		if r.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("%s: status %d, want 422\n%s", tc.name, r.StatusCode, r)
			continue
		}
		errs, _ := r.json["errors"].([]any)
		if len(errs) == 0 {
			t.Errorf("%s: no errors listed: %s", tc.name, r)
			continue
		}
		first, _ := errs[0].(map[string]any)
		if msg, _ := first["message"].(string); msg == "" {
			t.Errorf("%s: error without a message: %v", tc.name, first)
		}
		if tc.line > 0 && (first["line"] != float64(tc.line) || first["column"] != tc.column) {
			t.Errorf("%s: error at line %v column %v, want line %d column %q: %v", tc.name, first["line"], first["column"], tc.line, tc.column, first)
		}
		checkNoLeak(t, tc.name, r)
	}
	checkProblem(t, e.do(t, "PUT", path, good, "Content-Type", "text/plain"), 415)
	// Over 8 MiB, over a real connection (the server refuses it before any handler).
	resp := rawExchange(t, rawServer(t, e.app), fmt.Sprintf("PUT %s HTTP/1.1\r\nHost: tracker\r\nContent-Type: text/csv\r\n"+
		"Authorization: Bearer %s\r\nContent-Length: %d\r\n\r\nagent_ref\n", path, e.token, 8<<20+1))
	if resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("PUT of 8 MiB + 1: status %d, want 413", resp.StatusCode)
	}
	e.unchanged(t, before, "a refused file changed the database")
}
