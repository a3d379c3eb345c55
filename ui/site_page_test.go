package ui_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// The site pages (site_page.go): a candidate site's page, its new and edit forms.

// TestSitePages: the relocation's manager creates a site through its form and finds it
// on its page, with its facts and a link to edit it, and edits it; a viewer reads the
// site's page without any link or form to change it and is refused the forms; a visitor
// is sent to the login page; a refused form says why in French, beside the field, and
// stores nothing.
func TestSitePages(t *testing.T) {
	t.Parallel()
	p := newPageRoles(t)
	newPath := fmt.Sprintf("/projets/%d/sites/nouveau", p.rel)

	form := p.okPage(t, p.manager, newPath)
	contains(t, "new site form", form, "Relocalisation du CLEISS")
	if !hasForm(form, fmt.Sprintf("/projets/%d/sites", p.rel)) {
		t.Fatalf("the new site page holds no form posting to the relocation's sites")
	}
	loc := seeOther(t, p.form(t, p.manager, fmt.Sprintf("/projets/%d/sites", p.rel), url.Values{
		"name": {"Tour Pleyel"}, "kind": {"lease"}, "commune": {"Saint-Denis"}, "surface_m2": {"1 200"}}), `/sites/(\d+)`)
	sitePath := "/sites/" + loc[1]

	page := p.okPage(t, p.manager, sitePath)
	contains(t, "site page", page, "<h1 class=\"fr-mb-1v\">Tour Pleyel</h1>", "Saint-Denis", "1\u202f200", "Valeurs sur chaque critère")
	if !strings.Contains(page, `href="`+sitePath+`/modifier"`) {
		t.Errorf("the manager's site page has no link to edit the site")
	}
	edit := p.okPage(t, p.manager, sitePath+"/modifier")
	if got := inputValue(t, edit, "name"); got != "Tour Pleyel" {
		t.Errorf("edit form: name = %q, want Tour Pleyel", got)
	}
	seeOther(t, p.form(t, p.manager, sitePath, url.Values{"version": {inputValue(t, edit, "version")},
		"name": {"Tour Pleyel B"}, "kind": {"lease"}, "commune": {"Saint-Denis"}, "surface_m2": {"1200"}}), regexp.QuoteMeta(sitePath))
	contains(t, "site page after the edit", p.okPage(t, p.manager, sitePath), "Tour Pleyel B")

	// A refused form: the French message beside its field, the values as typed, nothing stored.
	p.refusedForm(t, "a site without a name", fmt.Sprintf("/projets/%d/sites", p.rel), url.Values{
		"name": {"  "}, "kind": {"lease"}, "commune": {"Bobigny"}}, "name", "champ obligatoire", "commune", "Bobigny")

	// A viewer reads the page, without any way to change it, and may not use the forms.
	before := p.snapshot(t)
	page = p.okPage(t, p.viewer, sitePath)
	contains(t, "viewer's site page", page, "Tour Pleyel B")
	if strings.Contains(page, sitePath+"/modifier") {
		t.Errorf("the viewer's site page links to the edit form")
	}
	for _, path := range []string{newPath, sitePath + "/modifier"} {
		if r := p.get(t, p.viewer, path); r.StatusCode != http.StatusForbidden {
			t.Errorf("viewer GET %s: status %d, want 403", path, r.StatusCode)
		}
	}
	r := p.form(t, p.viewer, sitePath, url.Values{"version": {"2"}, "name": {"Piraté"}, "kind": {"lease"}})
	if r.StatusCode != http.StatusForbidden {
		t.Errorf("viewer POST %s: status %d, want 403", sitePath, r.StatusCode)
	}
	p.unchanged(t, before, "a viewer's form wrote")

	for _, path := range []string{sitePath, newPath, sitePath + "/modifier"} {
		p.visitorSentToLogin(t, path)
	}
}
