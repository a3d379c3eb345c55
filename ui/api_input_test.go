package ui_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// TestRoutingIsCaseSensitive: /API/ is not the API, with a token or without (regression:
// 303 to the login page), and nothing is written.
func TestRoutingIsCaseSensitive(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t)
	rel := idOf(t, e.createRelocation(t, nil))
	path := fmt.Sprintf("/api/v1/relocations/%d", rel)
	before := e.snapshot(t)
	if r := e.do(t, "GET", strings.ToUpper(path), ""); r.StatusCode != http.StatusNotFound {
		t.Errorf("GET %s: %d, want 404", strings.ToUpper(path), r.StatusCode)
	}
	if r := apiDo(t, e.app, "GET", strings.ToUpper(path), ""); r.StatusCode != http.StatusNotFound {
		t.Errorf("GET %s without a token: %d, want 404 (regression: 303 to the login page)", strings.ToUpper(path), r.StatusCode)
	}
	e.unchanged(t, before, "a refused request wrote")
}

// TestQueryNumbersAreRefusedNotDefaulted: a bad number in the query string is refused
// (422), not replaced by the default, and nothing is written.
func TestQueryNumbersAreRefusedNotDefaulted(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t)
	rel := idOf(t, e.createRelocation(t, nil))
	path := fmt.Sprintf("/api/v1/relocations/%d", rel)
	before := e.snapshot(t)
	for _, q := range []string{"abc", "1e3", "99999999999999999999"} {
		checkProblem(t, e.do(t, "GET", path+"/journal?limit="+q, ""), 422)
	}
	e.unchanged(t, before, "a refused request wrote")
}

// TestJSONKeysAreExactAndUnique: a JSON body whose keys differ from the fields by case
// or by a look-alike letter, or repeat a key, is refused (400), and nothing is written.
func TestJSONKeysAreExactAndUnique(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t)
	rel := idOf(t, e.createRelocation(t, nil))
	path := fmt.Sprintf("/api/v1/relocations/%d", rel)
	before := e.snapshot(t)
	for _, body := range []string{`{"HEADCOUNT":5}`, `{"ſlug":"autre"}`, `{"name":"a","name":"b"}`} {
		checkProblem(t, e.do(t, "PATCH", path, body, "If-Match", etag(1)), 400)
	}
	e.unchanged(t, before, "a refused request wrote")
}

// TestEscapedBackslashIsNotNUL: an escaped backslash before « u0000 » is text, kept as
// sent; a NUL in a JSON string is refused (422).
func TestEscapedBackslashIsNotNUL(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t)
	rel := idOf(t, e.createRelocation(t, nil))
	path := fmt.Sprintf("/api/v1/relocations/%d", rel)
	r := e.do(t, "PATCH", path, `{"notes":"C:\\u0000dir"}`, "If-Match", etag(1))
	expect(t, r, 200)
	if r.json["notes"] != `C:\u0000dir` {
		t.Errorf("notes = %q, want the text C:\\u0000dir", r.json["notes"])
	}
	checkProblem(t, e.do(t, "PATCH", path, `{"notes":"a\u0000b"}`, "If-Match", etag(2)), 422)
}
