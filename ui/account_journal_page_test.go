package ui_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/ministere/tracker/ui/account"
)

// TestAccountJournal: the account changes made through the pages (creation, role,
// disabling, password reset by an administrator; a token created and revoked on a
// profile) show on /admin/journal, in French, newest first, to administrators only,
// without any password or token.
func TestAccountJournal(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t)
	admin := e.login(t, adminEmail, testPassword)
	mgr := e.user(t, "responsable@exemple.gouv.fr", account.RoleManager)
	vw := e.user(t, "lecteur@exemple.gouv.fr", account.RoleViewer)
	const newPassword, resetPassword = "mot de passe du nouveau", "mot de passe remplacé"

	seeOther(t, e.form(t, admin, "/admin/comptes", url.Values{"email": {"nouveau@exemple.gouv.fr"}, "name": {"Nouveau"},
		"role": {account.RoleViewer}, "password": {newPassword}}), "/admin/comptes")
	u, err := e.accounts.UserByEmail(context.Background(), "nouveau@exemple.gouv.fr")
	if err != nil {
		t.Fatal(err)
	}
	path := fmt.Sprintf("/admin/comptes/%d", u.ID)
	seeOther(t, e.form(t, admin, path, url.Values{"name": {"Nouveau"}, "role": {account.RoleManager}, "version": {"1"}}), "/admin/comptes")
	seeOther(t, e.form(t, admin, path, url.Values{"name": {"Nouveau"}, "role": {account.RoleManager}, "disabled": {"on"},
		"password": {resetPassword}, "version": {"2"}}), "/admin/comptes")
	vs := e.login(t, vw.Email, testPassword)
	page := e.form(t, vs, "/profil/jetons", url.Values{"name": {"tableau de bord"}})
	expect(t, page, http.StatusOK)
	secret := regexp.MustCompile(`<code id="new-token">([^<]+)</code>`).FindStringSubmatch(page.raw)
	tokens, err := e.accounts.Tokens(context.Background(), vw.ID)
	if err != nil || len(tokens) != 1 || secret == nil {
		t.Fatalf("the viewer's token: %v, %v", tokens, err)
	}
	seeOther(t, e.form(t, vs, fmt.Sprintf("/profil/jetons/%d/revoquer", tokens[0].ID), url.Values{}), "/profil")

	// Managers and viewers may not read it.
	for _, s := range []session{e.login(t, mgr.Email, testPassword), vs} {
		if r := e.get(t, s, "/admin/journal"); r.StatusCode != http.StatusForbidden {
			t.Errorf("GET /admin/journal as a non-administrator: status %d, want 403", r.StatusCode)
		}
	}
	r := e.get(t, admin, "/admin/journal")
	expect(t, r, http.StatusOK)
	checkPageHTML(t, "GET /admin/journal", r)
	rows := accountJournalRows(t, r.raw)
	want := []struct{ by, account, action string }{
		{vw.Email, vw.Email, "Révocation d’un jeton d’API"},
		{vw.Email, vw.Email, "Création d’un jeton d’API"},
		{adminEmail, u.Email, "Nouveau mot de passe"},
		{adminEmail, u.Email, "Désactivation"},
		{adminEmail, u.Email, "Modification"},
		{adminEmail, u.Email, "Création du compte"},
	}
	if len(rows) < len(want) {
		t.Fatalf("the journal shows %d rows, want at least %d:\n%s", len(rows), len(want), r.raw)
	}
	date := regexp.MustCompile(`^\d{1,2}(er)? \p{L}+ \d{4} à\x{00a0}\d{2}\x{00a0}h\x{00a0}\d{2}$`) // the time never wraps
	for i, w := range want {
		got := rows[i]
		if !date.MatchString(got[0]) || got[1] != w.by || got[2] != w.account || got[3] != w.action {
			t.Errorf("row %d = %q, want a French date, %s, %s, %s", i, got, w.by, w.account, w.action)
		}
	}
	contains(t, "the account journal", r.raw, "rôle : Lecteur → Responsable de projet", "désactivé : non → oui",
		"nom du jeton : tableau de bord → —", "adresse électronique : — → nouveau@exemple.gouv.fr")
	for _, s := range []string{newPassword, resetPassword, secret[1], u.PasswordHash} {
		if strings.Contains(html.UnescapeString(r.raw), s) {
			t.Errorf("the account journal shows a secret: %q", s)
		}
	}
	// The accounts page links it.
	contains(t, "the accounts page", e.get(t, admin, "/admin/comptes").raw, `href="/admin/journal"`, "Journal des comptes")
}

// TestAccountJournalPages: the account journal shows 50 entries a page, newest first,
// with links between pages; a page out of range shows the nearest one.
func TestAccountJournalPages(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t)
	admin := e.login(t, adminEmail, testPassword)
	u := e.user(t, "cible@exemple.gouv.fr", account.RoleViewer)
	// Rows written as the store would, numbered by who acted: « n° 1 » … « n° 55 ».
	for i := 1; i <= 55; i++ {
		if _, err := e.db.Exec(`INSERT INTO account_audit (by, user_id, action) VALUES ($1, $2, 'token_create')`,
			fmt.Sprintf("n° %d", i), u.ID); err != nil {
			t.Fatal(err)
		}
	}
	total := 55 + 3 // plus the creations of the administrator and of u, and the administrator's token
	for _, tc := range []struct {
		query           string
		rows            int
		first, pageText string
		prev, next      bool
	}{
		{"", 50, "n° 55", "Page 1 sur 2", false, true},
		{"?page=2", total - 50, "n° 5", "Page 2 sur 2", true, false},
		{"?page=9", total - 50, "n° 5", "Page 2 sur 2", true, false},
		{"?page=0", 50, "n° 55", "Page 1 sur 2", false, true},
		{"?page=abc", 50, "n° 55", "Page 1 sur 2", false, true},
	} {
		r := e.get(t, admin, "/admin/journal"+tc.query)
		expect(t, r, http.StatusOK)
		rows := accountJournalRows(t, r.raw)
		if len(rows) != tc.rows || rows[0][1] != tc.first {
			t.Errorf("%s: %d rows, the first by %q; want %d, by %q", tc.query, len(rows), rows[0][1], tc.rows, tc.first)
		}
		contains(t, tc.query, r.raw, tc.pageText)
		if got := strings.Contains(r.raw, `href="?page=1"`); got != tc.prev {
			t.Errorf("%s: link to page 1 = %v, want %v", tc.query, got, tc.prev)
		}
		if got := strings.Contains(r.raw, `href="?page=2"`); got != tc.next {
			t.Errorf("%s: link to page 2 = %v, want %v", tc.query, got, tc.next)
		}
	}
}

// accountJournalRows returns the cells of the account journal's rows (when, who, account,
// action, changes), as text.
func accountJournalRows(t *testing.T, page string) [][]string {
	t.Helper()
	body := regexp.MustCompile(`(?s)<tbody>(.*?)</tbody>`).FindStringSubmatch(page)
	if body == nil {
		t.Fatalf("no table body in the account journal:\n%s", page)
	}
	cell := regexp.MustCompile(`(?s)<td>(.*?)</td>`)
	tags := regexp.MustCompile(`<[^>]*>`)
	var rows [][]string
	for _, tr := range regexp.MustCompile(`(?s)<tr>(.*?)</tr>`).FindAllStringSubmatch(body[1], -1) {
		var cells []string
		for _, c := range cell.FindAllStringSubmatch(tr[1], -1) {
			cells = append(cells, strings.TrimSpace(html.UnescapeString(tags.ReplaceAllString(c[1], ""))))
		}
		rows = append(rows, cells)
	}
	return rows
}
