package ui_test

import (
	"fmt"
	"testing"

	"github.com/ministere/tracker/ui/account"
)

// TestAPIManagers: the list of managers is read with an ETag, replaced by an admin with
// If-Match, and a stale If-Match changes nothing (412).
func TestAPIManagers(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t)
	e.user(t, "alice@exemple.gouv.fr", account.RoleManager)
	e.user(t, "bob@exemple.gouv.fr", account.RoleManager)
	e.user(t, "vera@exemple.gouv.fr", account.RoleViewer)
	path := fmt.Sprintf("/api/v1/relocations/%d/managers", idOf(t, e.createRelocation(t, nil)))

	r := e.do(t, "GET", path, "")
	expect(t, r, 200)
	empty := r.Header.Get("ETag")
	r = e.do(t, "PUT", path, `{"emails":["Alice@exemple.gouv.fr"]}`, "If-Match", empty)
	expect(t, r, 200)
	if emails, _ := r.json["emails"].([]any); len(emails) != 1 || emails[0] != "alice@exemple.gouv.fr" {
		t.Fatalf("managers = %v, want alice only", r.json["emails"])
	}
	alice := r.Header.Get("ETag")
	if alice == "" || alice == empty {
		t.Fatalf("ETag %q after a change, was %q", alice, empty)
	}
	before := e.snapshot(t)
	r = e.do(t, "PUT", path, `{"emails":["bob@exemple.gouv.fr"]}`, "If-Match", empty) // stale
	checkProblem(t, r, 412)
	for _, bad := range []string{`{"emails":["vera@exemple.gouv.fr"]}`, `{"emails":["nobody@exemple.gouv.fr"]}`, `{}`} {
		checkProblem(t, e.do(t, "PUT", path, bad, "If-Match", alice), 422, "emails")
	}
	e.unchanged(t, before, "refused PUTs wrote")
	r = e.do(t, "PUT", path, `{"emails":["bob@exemple.gouv.fr","alice@exemple.gouv.fr"]}`, "If-Match", alice)
	expect(t, r, 200)
}
