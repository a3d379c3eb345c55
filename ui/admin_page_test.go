package ui_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/ministere/tracker/ui/account"
)

// The administrators' account pages (admin_page.go): the list of accounts with the form
// to add one, and each account's edit form.

// TestAdminAccountsPages: an administrator sees every account and adds one through the
// form, then edits it; an e-mail already used is refused in French beside its field,
// the values as typed, nothing stored; a manager or a viewer is refused the pages and
// the forms; a visitor is sent to the login page.
func TestAdminAccountsPages(t *testing.T) {
	t.Parallel()
	p := newPageRoles(t)
	admin := p.login(t, adminEmail, testPassword)

	page := p.okPage(t, admin, "/admin/comptes")
	contains(t, "accounts page", page, "<h1>Comptes</h1>", "responsable@exemple.gouv.fr", "lecteur@exemple.gouv.fr", "Ajouter un compte")
	if !hasForm(page, "/admin/comptes") {
		t.Fatalf("the accounts page holds no form to add an account")
	}
	seeOther(t, p.form(t, admin, "/admin/comptes", url.Values{"email": {"nouvelle@exemple.gouv.fr"}, "name": {"Nouvelle Agente"},
		"role": {account.RoleManager}, "password": {"une phrase de passe assez longue"}}), "/admin/comptes")
	contains(t, "accounts page after the addition", p.okPage(t, admin, "/admin/comptes"), "Nouvelle Agente", "nouvelle@exemple.gouv.fr")
	var id int64
	if err := p.db.Get(&id, `SELECT id FROM users WHERE email = 'nouvelle@exemple.gouv.fr'`); err != nil {
		t.Fatalf("the account added through the form is not stored: %v", err)
	}
	editPath := fmt.Sprintf("/admin/comptes/%d/modifier", id)
	edit := p.okPage(t, admin, editPath)
	if got := inputValue(t, edit, "name"); got != "Nouvelle Agente" {
		t.Errorf("edit form: name = %q, want Nouvelle Agente", got)
	}
	seeOther(t, p.form(t, admin, fmt.Sprintf("/admin/comptes/%d", id), url.Values{"name": {"Agente renommée"},
		"role": {account.RoleViewer}, "version": {inputValue(t, edit, "version")}}), "/admin/comptes")
	contains(t, "accounts page after the edit", p.okPage(t, admin, "/admin/comptes"), "Agente renommée")

	before := p.snapshot(t)
	r := p.form(t, admin, "/admin/comptes", url.Values{"email": {"lecteur@exemple.gouv.fr"}, "name": {"Doublon"},
		"role": {account.RoleViewer}, "password": {"une autre phrase de passe"}})
	if r.StatusCode != http.StatusConflict {
		t.Fatalf("an e-mail already used: status %d, want 409\n%s", r.StatusCode, r)
	}
	if msg := checkFieldError(t, r.raw, "email"); msg != "déjà utilisée par un autre compte" {
		t.Errorf("the e-mail's error is %q", msg)
	}
	if got := inputValue(t, r.raw, "name"); got != "Doublon" {
		t.Errorf("the refused form lost the name: %q", got)
	}
	if strings.Contains(r.raw, "une autre phrase de passe") {
		t.Errorf("the refused form shows the password back")
	}
	p.unchanged(t, before, "a refused account form wrote")

	for name, s := range map[string]session{"manager": p.manager, "viewer": p.viewer} {
		for _, path := range []string{"/admin/comptes", editPath} {
			if r := p.get(t, s, path); r.StatusCode != http.StatusForbidden || strings.Contains(r.raw, "nouvelle@exemple.gouv.fr") {
				t.Errorf("%s GET %s: status %d, want 403 without the accounts", name, path, r.StatusCode)
			}
		}
		r := p.form(t, s, "/admin/comptes", url.Values{"email": {"intrus@exemple.gouv.fr"}, "name": {"Intrus"},
			"role": {account.RoleAdmin}, "password": {"une phrase de passe assez longue"}})
		if r.StatusCode != http.StatusForbidden {
			t.Errorf("%s POST /admin/comptes: status %d, want 403", name, r.StatusCode)
		}
	}
	p.unchanged(t, before, "a manager's or viewer's form wrote")

	p.visitorSentToLogin(t, "/admin/comptes")
	p.visitorSentToLogin(t, editPath)
}
