package ui_test

import (
	"net/http"
	"regexp"
	"strings"
	"testing"
)

// TestSlugProposedFromName: a relocation created from the form with its public page
// address left empty gets one drawn from its name; the API, where SPEC requires the
// slug, proposes nothing.
func TestSlugProposedFromName(t *testing.T) {
	t.Parallel()
	c := newFormClient(t)
	page := c.okPage(t, "/projets/nouveau")
	contains(t, "new relocation form", page, "Adresse de la page publique", "Laissée vide, elle est tirée du nom du projet")
	if strings.Contains(page, "(slug)") || strings.Contains(page, "Identifiant d’adresse") {
		t.Errorf("the form still speaks of slugs")
	}
	id := c.createRelocationForm(t, map[string]string{"slug": "", "name": "Relocalisation de l’Agence à Évry-Courcouronnes"})
	var slug string
	if err := c.db.Get(&slug, `SELECT slug FROM relocations WHERE id = $1`, id); err != nil || slug != "relocalisation-de-l-agence-a-evry-courcouronnes" {
		t.Errorf("slug %q (%v), want one drawn from the name", slug, err)
	}
	// The same name again: the proposal is taken, said at the field, and shown to edit.
	r := c.submit(t, "/projets", relocationFields(map[string]string{"slug": "", "name": "Relocalisation de l’Agence à Évry-Courcouronnes"}))
	expect(t, r, http.StatusConflict)
	contains(t, "duplicate proposed slug", r.raw, `value="relocalisation-de-l-agence-a-evry-courcouronnes"`, `aria-invalid="true"`)
	// No name and no address: both refused, nothing invented.
	r = c.submit(t, "/projets", relocationFields(map[string]string{"slug": "", "name": ""}))
	expect(t, r, http.StatusUnprocessableEntity)
	contains(t, "no name", r.raw, `href="#f-name"`, `href="#f-slug"`)
	// The API still requires the slug.
	checkProblem(t, c.do(t, "POST", "/api/v1/relocations", relocationBody(map[string]any{"name": "Sans adresse"}, "slug"),
		"Content-Type", "application/json"), http.StatusUnprocessableEntity, "slug")
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
