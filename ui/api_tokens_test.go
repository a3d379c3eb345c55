package ui_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"testing"

	"github.com/ministere/tracker/relocation"
	"github.com/ministere/tracker/ui/account"
)

// TestTokensAreForTheAPIAlone: a Bearer token opens the API but no page or form: it
// cannot mint tokens or end its owner's sessions (regression: a stolen token minted
// tokens that outlived it).
func TestTokensAreForTheAPIAlone(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t)
	before := e.snapshot(t)
	r := apiDo(t, e.app, "POST", "/profil/jetons", "", append(bearer(e.token), "Content-Type", "application/x-www-form-urlencoded")...)
	if r.StatusCode == http.StatusOK || r.StatusCode == http.StatusSeeOther && r.Header.Get("Location") != "/login?next=%2F" {
		t.Errorf("POST /profil/jetons with a token: %d %s", r.StatusCode, r.Header.Get("Location"))
	}
	e.unchanged(t, before, "a token minted something through a form")
	if r := apiDo(t, e.app, "GET", "/profil", "", bearer(e.token)...); r.StatusCode != http.StatusSeeOther {
		t.Errorf("GET /profil with a token: %d, want 303 to the login page", r.StatusCode)
	}
	// Nor can it end its owner's browser sessions.
	s1, s2 := e.login(t, adminEmail, testPassword), e.login(t, adminEmail, testPassword)
	key := regexp.MustCompile(`action="/profil/sessions/([0-9a-f]+)/fin"`).FindStringSubmatch(e.get(t, s1, "/profil").raw)
	if key == nil {
		t.Fatal("the profile lists no other session to end")
	}
	r = apiDo(t, e.app, "POST", "/profil/sessions/"+key[1]+"/fin", "", append(bearer(e.token),
		"Content-Type", "application/x-www-form-urlencoded", "Accept", "text/html")...)
	if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/login?next=%2F" {
		t.Errorf("POST /profil/sessions/{key}/fin with a token: %d %s, want 303 to the login page", r.StatusCode, r.Header.Get("Location"))
	}
	expect(t, e.get(t, s2, "/"), 200)
	expect(t, e.do(t, "GET", "/api/v1/relocations", ""), 200)
}

// TestDisablingRevokesTokens: disabling an account or resetting its password ends its
// sessions and revokes its API tokens.
func TestDisablingRevokesTokens(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t)
	for _, change := range []account.UserChange{
		{Name: "Agent", Role: account.RoleManager, Disabled: true},
		{Name: "Agent", Role: account.RoleManager, Password: "un tout nouveau mot de passe"},
	} {
		u := e.user(t, "agent"+url.QueryEscape(change.Password)+"@exemple.gouv.fr", account.RoleManager)
		token := e.tokenOf(t, u)
		expect(t, apiDo(t, e.app, "GET", "/api/v1/relocations", "", bearer(token)...), 200)
		if _, err := e.accounts.UpdateUser(context.Background(), testActor, u.ID, relocation.Version(u.Version), change); err != nil {
			t.Fatal(err)
		}
		if r := apiDo(t, e.app, "GET", "/api/v1/relocations", "", bearer(token)...); r.StatusCode != http.StatusUnauthorized {
			t.Errorf("after %+v: the token still answers %d, want 401", change, r.StatusCode)
		}
	}
}
