package ui_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/ministere/tracker/ui/account"
)

// passwordForm is the own-password form's fields.
func passwordForm(current, next, confirm string) url.Values {
	return url.Values{"current_password": {current}, "new_password": {next}, "new_password_confirm": {confirm}}
}

// TestOwnPasswordChange: /profil/mot-de-passe refuses a wrong current password, a
// confirmation that differs and a new password under 12 characters, each beside its
// field and changing nothing; it wants the session's CSRF token; a change keeps this
// session, ends the others, makes the new password the one that signs in and writes
// password_change to the account audit, by the owner. The profile links it first.
func TestOwnPasswordChange(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t)
	u := e.user(t, "responsable@exemple.gouv.fr", account.RoleManager)
	s1, s2 := e.login(t, u.Email, testPassword), e.login(t, u.Email, testPassword)
	const fresh = "une toute nouvelle phrase"

	profile := e.get(t, s1, "/profil")
	expect(t, profile, http.StatusOK)
	link, sessions := strings.Index(profile.raw, `href="/profil/mot-de-passe"`), strings.Index(profile.raw, "<h2>Mes sessions</h2>")
	if link < 0 || sessions < 0 || link > sessions {
		t.Errorf("the profile does not link /profil/mot-de-passe before the sessions (link at %d, sessions at %d)", link, sessions)
	}
	contains(t, "profile", profile.raw, "Accès pour les outils (API)", "Un jeton permet à un programme")
	if strings.Contains(profile.raw, "Mes jetons") {
		t.Errorf("the profile still says « Mes jetons d’API »")
	}

	page := e.get(t, s1, "/profil/mot-de-passe")
	expect(t, page, http.StatusOK)
	checkPageHTML(t, "GET /profil/mot-de-passe", page)
	for _, name := range []string{"current_password", "new_password", "new_password_confirm"} {
		if g := fieldGroup(t, page.raw, name); !strings.Contains(g, `type="password"`) {
			t.Errorf("field %s is not a password input:\n%s", name, g)
		}
	}
	contains(t, "password page", page.raw, `autocomplete="current-password"`, `autocomplete="new-password"`)

	before := e.snapshot(t)
	// No CSRF token: refused before anything is checked.
	if r := e.post(t, "/profil/mot-de-passe", passwordForm(testPassword, fresh, fresh), s1.cookie); r.StatusCode != http.StatusForbidden {
		t.Errorf("without the CSRF token: status %d, want 403", r.StatusCode)
	}
	refusals := []struct {
		name, current, next, confirm, field, message string
	}{
		{"wrong current password", "pas le bon mot de passe", fresh, fresh, "current_password", "mot de passe incorrect"},
		{"no current password", "", fresh, fresh, "current_password", "champ obligatoire"},
		{"confirmation differs", testPassword, fresh, fresh + "!", "new_password_confirm", "ne correspond pas au nouveau mot de passe"},
		{"too short", testPassword, "court", "court", "new_password", "12 caractères au minimum"},
		{"11 characters", testPassword, "onze carac.", "onze carac.", "new_password", "12 caractères au minimum"},
		{"the same", testPassword, testPassword, testPassword, "new_password", "doit être différent du mot de passe actuel"},
	}
	for _, c := range refusals {
		r := e.form(t, s1, "/profil/mot-de-passe", passwordForm(c.current, c.next, c.confirm))
		if r.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("%s: status %d, want 422", c.name, r.StatusCode)
			continue
		}
		if got := checkFieldError(t, r.raw, c.field); got != c.message {
			t.Errorf("%s: %s says %q, want %q", c.name, c.field, got, c.message)
		}
		if strings.Contains(r.raw, c.current) && c.current != "" || strings.Contains(r.raw, fresh) {
			t.Errorf("%s: the refused form shows a typed password again", c.name)
		}
	}
	e.unchanged(t, before, "refused changes changed the database")

	noticeAfter(t, e, s1, e.form(t, s1, "/profil/mot-de-passe", passwordForm(testPassword, fresh, fresh)),
		"/profil", "password-changed", "Mot de passe changé. Vos autres sessions sont fermées.")
	seeOther(t, e.get(t, s2, "/"), `/login\?next=%2F`)
	if r := e.postLogin(t, u.Email, testPassword); r.StatusCode != http.StatusUnauthorized {
		t.Errorf("the old password still signs in: status %d", r.StatusCode)
	}
	e.login(t, u.Email, fresh)

	audit, err := e.accounts.Audit(context.Background(), 1, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(audit) != 1 || audit[0].Action != account.AuditPasswordChange || audit[0].UserID != u.ID || audit[0].By != u.Email ||
		len(audit[0].Changes) != 0 {
		t.Errorf("the last audit entry is %+v, want password_change of %d by %s, no field", audit, u.ID, u.Email)
	}
	var n int
	if err := e.db.Get(&n, `SELECT count(*) FROM account_audit WHERE action = 'password_change'`); err != nil || n != 1 {
		t.Errorf("%d password_change rows (%v), want 1", n, err)
	}
	journal := e.get(t, e.login(t, adminEmail, testPassword), "/admin/journal")
	expect(t, journal, http.StatusOK)
	contains(t, "account journal", journal.raw, "Mot de passe changé par son titulaire")
}

// TestOwnPasswordThrottled: the current-password check counts as a login attempt; past
// MaxFailedLogins failures from one address the form answers 429, even with the right
// password, and the password stays.
func TestOwnPasswordThrottled(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t)
	u := e.user(t, "lecteur@exemple.gouv.fr", account.RoleViewer)
	s := e.login(t, u.Email, testPassword)
	for i := range account.MaxFailedLogins {
		r := e.form(t, s, "/profil/mot-de-passe", passwordForm("essai numéro "+string(rune('a'+i)), "une phrase assez longue", "une phrase assez longue"))
		if r.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("wrong password %d: status %d, want 422", i+1, r.StatusCode)
		}
	}
	r := e.form(t, s, "/profil/mot-de-passe", passwordForm(testPassword, "une phrase assez longue", "une phrase assez longue"))
	if r.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("right password while locked: status %d, want 429\n%s", r.StatusCode, r)
	}
	contains(t, "locked form", r.raw, "Trop de tentatives")
	if _, err := e.accounts.Authenticate(context.Background(), u.Email, testPassword, "elsewhere"); err != nil {
		t.Errorf("the password changed while locked: %v", err)
	}
}
