package ui_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/ministere/tracker/ui/account"
)

// Stored XSS: names and texts <script>alert(1)</script> come out escaped on every page
// that prints them.

// TestStoredXSS names a relocation, a milestone and an account
// <script>alert(1)</script>: every page that prints them escapes them.
func TestStoredXSS(t *testing.T) {
	t.Parallel()
	const evil = `<script>alert(1)</script>`
	const escaped = `&lt;script&gt;alert(1)&lt;/script&gt;`
	e := newAPIEnv(t)
	admin := e.login(t, adminEmail, testPassword)
	rel := idOf(t, e.createRelocation(t, map[string]any{"name": evil, "body": evil, "decision": evil}))
	mid := idOf(t, e.createMilestone(t, rel, map[string]any{"title": evil, "source": evil, "notes": evil}))
	r := e.do(t, "PATCH", fmt.Sprintf("/api/v1/milestones/%d", mid), `{"planned":"2022-mid","reason":"<script>alert(1)</script>"}`, "If-Match", etag(1))
	expect(t, r, 200)
	u, err := e.accounts.CreateUser(context.Background(), testActor, account.NewUser{Email: "xss@exemple.gouv.fr", Name: evil,
		Role: account.RoleManager, Password: testPassword})
	if err != nil {
		t.Fatal(err)
	}
	e.assign(t, rel, u.Email)
	theirs := e.login(t, u.Email, testPassword)

	check := func(what string, r apiResp) {
		t.Helper()
		if r.StatusCode != http.StatusOK {
			t.Errorf("%s: status %d", what, r.StatusCode)
		}
		checkPageHTML(t, what, r)
		if strings.Contains(r.raw, evil) {
			t.Errorf("%s prints a name raw", what)
		}
		if !strings.Contains(r.raw, escaped) {
			t.Errorf("%s lacks the escaped name %s", what, escaped)
		}
	}
	for _, path := range []string{"/", fmt.Sprintf("/projets/%d", rel), fmt.Sprintf("/projets/%d/modifier", rel),
		fmt.Sprintf("/projets/%d/jalons/nouveau", rel), fmt.Sprintf("/jalons/%d/modifier", mid),
		"/admin/comptes", fmt.Sprintf("/admin/comptes/%d/modifier", u.ID), "/admin/journal"} {
		check("GET "+path, e.get(t, admin, path))
	}
	// Their own pages show their name in the header; the profile, their sessions'
	// browsers and their tokens' names.
	if _, _, err := e.accounts.CreateSession(context.Background(), u.ID, evil); err != nil {
		t.Fatal(err)
	}
	if _, _, err := e.accounts.CreateToken(context.Background(), testActor, u.ID, evil); err != nil {
		t.Fatal(err)
	}
	check("GET /profil as the account", e.get(t, theirs, "/profil"))
	if n := strings.Count(e.get(t, theirs, "/profil").raw, escaped); n < 4 {
		t.Errorf("the profile shows the escaped name %d times, want at least 4 (header, name, browser, token)", n)
	}
	login := apiDo(t, e.app, "GET", "/login?next="+url.QueryEscape("/"+evil), "")
	if strings.Contains(login.raw, evil) {
		t.Errorf("the login page prints next raw")
	}
	check("GET / as the account", e.get(t, theirs, "/"))
	// Each part of the relocation page that prints a value escapes it: the milestones,
	// the managers, the journal.
	rest := e.get(t, admin, fmt.Sprintf("/projets/%d", rel)).raw
	parts := []string{`id="jalons"`, `id="responsables"`, `id="journal"`}
	for i, part := range parts {
		_, after, ok := strings.Cut(rest, part)
		if !ok {
			t.Fatalf("relocation page: no %s", part)
		}
		section := after
		if i+1 < len(parts) {
			section, _, _ = strings.Cut(after, parts[i+1])
		}
		if !strings.Contains(section, escaped) {
			t.Errorf("relocation page, %s: the escaped name is missing", part)
		}
		rest = after
	}
	// The journal answers JSON, never HTML.
	r = e.do(t, "GET", fmt.Sprintf("/api/v1/relocations/%d/journal", rel), "")
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("journal Content-Type %q", ct)
	}
}

// TestSiteStoredXSS names a site and a criterion <script>alert(1)</script> (and puts it
// in every text they carry): every page that prints them escapes them.
func TestSiteStoredXSS(t *testing.T) {
	t.Parallel()
	const evil = `<script>alert(1)</script>`
	const escaped = `&lt;script&gt;alert(1)&lt;/script&gt;`
	e := newAPIEnv(t)
	admin := e.login(t, adminEmail, testPassword)
	rel := idOf(t, e.createRelocation(t, map[string]any{"required_surface_m2": 1000}))
	crit := idOf(t, e.create(t, fmt.Sprintf("/api/v1/relocations/%d/criteria", rel), jsonOf(map[string]any{
		"name": evil, "description": evil, "weight": 10, "direction": "higher_is_better", "scale_min": 0, "scale_max": 10})))
	cs := e.criteriaOf(t, rel)
	expect(t, e.do(t, "DELETE", fmt.Sprintf("/api/v1/criteria/%d", criterionNamed(t, cs, critCommute)), "", "If-Match", etag(1)), 204)
	site := idOf(t, e.createSite(t, rel, map[string]any{"name": evil, "address": evil, "commune": evil, "department": evil,
		"surface_m2": 1200, "status": "selected", "decision_reason": evil}))
	plain := idOf(t, e.createSite(t, rel, map[string]any{"name": "Pantin", "surface_m2": 1100}))
	for _, sid := range []int64{site, plain} {
		for _, cid := range []int64{crit, criterionNamed(t, cs, critVis), criterionNamed(t, cs, critNeeds)} {
			expect(t, e.putScore(t, sid, cid, 6, evil), 201)
		}
	}
	expect(t, e.putScore(t, site, crit, 9, evil), 200) // rank 1 for the site named evil

	check := func(what string, r apiResp, status, atLeast int) {
		t.Helper()
		if r.StatusCode != status {
			t.Errorf("%s: status %d, want %d", what, r.StatusCode, status)
		}
		checkPageHTML(t, what, r)
		if strings.Contains(r.raw, evil) {
			t.Errorf("%s prints a value raw", what)
		}
		if n := strings.Count(r.raw, escaped); n < atLeast {
			t.Errorf("%s shows the escaped value %d times, want at least %d", what, n, atLeast)
		}
	}
	for _, p := range []struct {
		path    string
		atLeast int // the site's name and reason, the criterion's name…
	}{
		{fmt.Sprintf("/projets/%d", rel), 2},
		{fmt.Sprintf("/sites/%d", site), 3},
		{fmt.Sprintf("/sites/%d/modifier", site), 2},
		{fmt.Sprintf("/projets/%d/notes", rel), 2},
		{fmt.Sprintf("/projets/%d/criteres", rel), 1},
		{fmt.Sprintf("/criteres/%d/modifier", crit), 1},
		{fmt.Sprintf("/projets/%d/classement", rel), 2},
		{fmt.Sprintf("/projets/%d/ahp", rel), 1},
		{fmt.Sprintf("/projets/%d/note-de-decision", rel), 3},
	} {
		check("GET "+p.path, e.get(t, admin, p.path), http.StatusOK, p.atLeast)
	}
	// The ranking's chart (built by hand, not by html/template) escapes the names.
	page := e.get(t, admin, fmt.Sprintf("/projets/%d/classement", rel)).raw
	svg := regexp.MustCompile(`(?s)<svg.*?</svg>`).FindString(page)
	if svg == "" || !strings.Contains(svg, escaped) || strings.Contains(svg, "<script") {
		t.Errorf("the ranking chart does not escape the names:\n%s", svg)
	}
	// Refused forms show what was typed, escaped.
	r := e.form(t, admin, fmt.Sprintf("/projets/%d/sites", rel), url.Values{"name": {evil}, "kind": {"chateau"}})
	check("refused site form", r, http.StatusUnprocessableEntity, 1)
	var scoreVersion int
	if err := e.db.Get(&scoreVersion, `SELECT version FROM scores WHERE site_id = $1 AND criterion_id = $2`, site, crit); err != nil {
		t.Fatal(err)
	}
	r = e.form(t, admin, fmt.Sprintf("/projets/%d/notes", rel), url.Values{fmt.Sprintf("value_%d_%d", site, crit): {"beaucoup"},
		fmt.Sprintf("justification_%d_%d", site, crit): {evil}, fmt.Sprintf("version_%d_%d", site, crit): {fmt.Sprint(scoreVersion)}})
	check("refused score", r, http.StatusUnprocessableEntity, 1)
	r = e.form(t, admin, fmt.Sprintf("/projets/%d/criteres", rel), url.Values{"name": {evil}, "weight": {"0"},
		"direction": {"higher_is_better"}, "scale_min": {"0"}, "scale_max": {"10"}, "source": {"manual"}})
	check("refused criterion form", r, http.StatusUnprocessableEntity, 2)
	// The CSV export is not HTML: it is served as text/csv, as an attachment.
	r = e.get(t, admin, fmt.Sprintf("/projets/%d/classement.csv", rel))
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") || !strings.HasPrefix(r.Header.Get("Content-Disposition"), "attachment") {
		t.Errorf("CSV served as %q, %q", ct, r.Header.Get("Content-Disposition"))
	}
	// The API answers JSON, never HTML.
	for _, p := range []string{fmt.Sprintf("/api/v1/sites/%d", site), fmt.Sprintf("/api/v1/relocations/%d/ranking", rel)} {
		if ct := e.do(t, "GET", p, "").Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
			t.Errorf("GET %s: Content-Type %q", p, ct)
		}
	}
}
