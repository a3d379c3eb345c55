package ui_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/ministere/tracker/ui/account"
)

// TestProfile: the profile page lists the user's sessions and ends another one, and
// creates an API token shown once, which works as Bearer until revoked.
func TestProfile(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t)
	u := e.user(t, "lecteur@exemple.gouv.fr", account.RoleViewer)
	s1, s2 := e.login(t, u.Email, testPassword), e.login(t, u.Email, testPassword)
	adminSession := e.login(t, adminEmail, testPassword)
	endForm := regexp.MustCompile(`action="/profil/sessions/([0-9a-f]+)/fin"`)

	page := e.get(t, s1, "/profil")
	expect(t, page, 200)
	checkPageHTML(t, "GET /profil", page)
	contains(t, "profile", page.raw, u.Email, "Cette session")
	ends := endForm.FindAllStringSubmatch(page.raw, -1)
	if len(ends) != 1 {
		t.Fatalf("profile lists %d other sessions, want 1 (s2)", len(ends))
	}
	adminKey := endForm.FindStringSubmatch(e.get(t, e.login(t, adminEmail, testPassword), "/profil").raw)
	// Another account's session cannot be ended from this profile.
	if r := e.form(t, s1, "/profil/sessions/"+adminKey[1]+"/fin", url.Values{}); r.StatusCode != http.StatusNotFound {
		t.Errorf("ending another account's session: status %d, want 404", r.StatusCode)
	}
	expect(t, e.get(t, adminSession, "/"), 200)
	seeOther(t, e.form(t, s1, "/profil/sessions/"+ends[0][1]+"/fin", url.Values{}), "/profil")
	seeOther(t, e.get(t, s2, "/"), `/login\?next=%2F`)
	page = e.get(t, s1, "/profil")
	expect(t, page, 200)
	if endForm.MatchString(page.raw) {
		t.Errorf("the ended session is still listed")
	}

	// A token, shown once.
	r := e.form(t, s1, "/profil/jetons", url.Values{"name": {"tableau de bord"}})
	expect(t, r, 200)
	if cc := r.Header.Get("Cache-Control"); !strings.Contains(cc, "no-store") {
		t.Errorf("the answer showing the token may be cached: Cache-Control %q", cc)
	}
	m := regexp.MustCompile(`<code id="new-token">([^<]+)</code>`).FindStringSubmatch(r.raw)
	if m == nil {
		t.Fatalf("the new token is not shown:\n%s", r)
	}
	secret := m[1]
	page = e.get(t, s1, "/profil")
	if strings.Contains(page.raw, secret) {
		t.Errorf("the token is shown again on the next GET /profil")
	}
	contains(t, "profile", page.raw, "tableau de bord")
	var stored int
	if err := e.db.Get(&stored, `SELECT count(*) FROM api_tokens WHERE token_hash = convert_to($1, 'UTF8')`, secret); err != nil || stored != 0 {
		t.Errorf("the token is stored as is (%d, %v)", stored, err)
	}
	r = e.do(t, "GET", "/api/v1/relocations", "", bearer(secret)...)
	expect(t, r, 200)
	// Viewer's token: reads, never writes.
	checkProblem(t, e.do(t, "POST", "/api/v1/relocations", relocationBody(nil), bearer(secret)...), 403)

	tokenID := regexp.MustCompile(`href="/profil/jetons/(\d+)/revoquer"`).FindStringSubmatch(page.raw)
	if tokenID == nil {
		t.Fatalf("no revoke link on the profile")
	}
	// Revoking asks first, and only the owner sees the question.
	confirm := e.get(t, s1, "/profil/jetons/"+tokenID[1]+"/revoquer")
	expect(t, confirm, http.StatusOK)
	contains(t, "token confirmation", confirm.raw, "Révoquer le jeton « tableau de bord » ?", `action="/profil/jetons/`+tokenID[1]+`/revoquer"`,
		`href="/profil"`)
	if r := e.get(t, adminSession, "/profil/jetons/"+tokenID[1]+"/revoquer"); r.StatusCode != http.StatusNotFound {
		t.Errorf("another account's token confirmation: status %d, want 404", r.StatusCode)
	}
	// Another account cannot revoke it.
	if r := e.form(t, adminSession, "/profil/jetons/"+tokenID[1]+"/revoquer", url.Values{}); r.StatusCode != http.StatusNotFound {
		t.Errorf("revoking another account's token: status %d, want 404", r.StatusCode)
	}
	expect(t, e.do(t, "GET", "/api/v1/relocations", "", bearer(secret)...), 200)
	noticeAfter(t, e, s1, e.form(t, s1, "/profil/jetons/"+tokenID[1]+"/revoquer", url.Values{}), "/profil", "token-revoked", "Jeton révoqué.")
	checkProblem(t, e.do(t, "GET", "/api/v1/relocations", "", bearer(secret)...), 401)
	contains(t, "profile", e.get(t, s1, "/profil").raw, "révoqué")
}

// TestProfileSessionWords: the session list names the browser in words and its times
// do not wrap.
func TestProfileSessionWords(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t)
	s := e.login(t, adminEmail, testPassword)
	page := e.get(t, s, "/profil")
	expect(t, page, http.StatusOK)
	contains(t, "profile", page.raw, "Navigateur inconnu")
	if !regexp.MustCompile(`\d{4} à\x{00a0}\d\d\x{00a0}h\x{00a0}\d\d`).MatchString(page.raw) {
		t.Errorf("the profile's times may wrap: %s", regexp.MustCompile(`\d{4} à.{0,12}`).FindString(page.raw))
	}
}
