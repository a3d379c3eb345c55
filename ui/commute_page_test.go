package ui_test

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"
)

// The commute page (commute_page.go): each site's commute figures, and for those who
// may change the relocation the roster's import form (posted to roster_page.go).

// TestCommutePage: before any roster the page says so; once a roster is imported it
// gives its count and each site's figures; the manager has the import form and the
// templates, and a file with an error is refused on the page, in French by line and
// column, the roster unchanged; a viewer sees the figures without any form and may not
// post one; a visitor is sent to the login page.
func TestCommutePage(t *testing.T) {
	t.Parallel()
	p := newPageRoles(t)
	path := fmt.Sprintf("/projets/%d/trajets", p.rel)
	site := idOf(t, p.createSite(t, p.rel, map[string]any{"name": "Tour Pleyel", "lat": 48.9192, "lon": 2.3436}))

	page := p.okPage(t, p.manager, path)
	contains(t, "commute page", page, "<h1>Trajets des agents</h1>", "aucun fichier importé", "Tour Pleyel")
	csv := fmt.Sprintf("agent_ref;current_minutes;minutes_%d\nA1;30;40\nA2;30;41\nA3;30;42\nA4;30;43\nA5;30;44\nA6;30;45\n", site)
	expect(t, p.do(t, "PUT", fmt.Sprintf("/api/v1/relocations/%d/agents", p.rel), csv, "Content-Type", "text/csv"), 200)

	page = p.okPage(t, p.manager, path)
	// Six agents, 40 to 45 minutes to the site: median (42 + 43) / 2 = 42,5.
	contains(t, "commute page with a roster", page, "6 agents", "Tour Pleyel", "42,5")
	if !hasForm(page, fmt.Sprintf("/projets/%d/agents", p.rel)) || !strings.Contains(page, path+"/modele.csv") {
		t.Errorf("the manager's commute page lacks the import form or the templates")
	}

	// A file with an error: refused on the page, by line and column, the roster unchanged.
	before := p.snapshot(t)
	r := postRoster(t, p.apiEnv, p.manager, p.rel, "agent_ref;current_minutes\nA1;trente\n")
	if r.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("a roster with an error: status %d, want 422\n%s", r.StatusCode, r)
	}
	contains(t, "refused roster", r.raw, "Trajets des agents", "Ligne 2, colonne « current_minutes »", "6 agents")
	p.unchanged(t, before, "a refused roster wrote")

	page = p.okPage(t, p.viewer, path)
	contains(t, "viewer's commute page", page, "6 agents", "42,5")
	if strings.Contains(page, "<form method=\"post\" action=\"/projets/") || strings.Contains(page, "/agents/supprimer") {
		t.Errorf("the viewer's commute page offers to import or delete the roster")
	}
	if r := postRoster(t, p.apiEnv, p.viewer, p.rel, csv); r.StatusCode != http.StatusForbidden {
		t.Errorf("a viewer's roster: status %d, want 403", r.StatusCode)
	}
	p.unchanged(t, before, "a viewer's roster wrote")

	p.visitorSentToLogin(t, path)
}

// postRoster posts file as the roster import form of relocation rel, as the browser of s.
func postRoster(t *testing.T, e *apiEnv, s session, rel int64, file string) apiResp {
	t.Helper()
	var form bytes.Buffer
	mw := multipart.NewWriter(&form)
	mw.WriteField("_csrf", s.csrf)
	fw, _ := mw.CreateFormFile("fichier", "agents.csv")
	fw.Write([]byte(file))
	mw.Close()
	return apiDo(t, e.app, "POST", fmt.Sprintf("/projets/%d/agents", rel), form.String(),
		"Content-Type", mw.FormDataContentType(), "Cookie", s.cookie, "Accept", "text/html")
}
