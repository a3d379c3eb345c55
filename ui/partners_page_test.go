package ui_test

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// TestPartnersPages walks the partner pages as a manager would: add one (decimal commas),
// see it listed, refuse a bad one with French messages, edit it, see the minutes on a
// site's page, delete it through the confirmation page.
func TestPartnersPages(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t)
	s := rkLogin(t, e, adminEmail)
	rel := idOf(t, e.createRelocation(t, map[string]any{"slug": "partenaires-pages"}))
	site := idOf(t, e.createSite(t, rel, map[string]any{"name": "Bas Montreuil", "lat": 48.8, "lon": 2.4}))
	list := fmt.Sprintf("/projets/%d/partenaires", rel)
	rkContains(t, "empty list", s.page(t, list), "Aucun organisme partenaire enregistré", "Ajouter un organisme partenaire")
	rkContains(t, "site without partners", s.page(t, fmt.Sprintf("/sites/%d", site)), "Aucun organisme partenaire n’est enregistré pour ce projet.")

	r := s.post(t, list, url.Values{"name": {"Urssaf Caisse nationale"}, "address": {"36 rue de Valmy, Montreuil"},
		"lat": {"48,9"}, "lon": {"2,4"}, "weight": {"2"}})
	seeOther(t, r, quotedPath(list))
	page := s.page(t, list)
	if row := rkRow(t, page, "Urssaf Caisse nationale"); !strings.Contains(row, "36 rue de Valmy, Montreuil 48,9 ; 2,4 2") {
		t.Errorf("listed partner: %q", row)
	}

	// A refused form: French messages, nothing stored.
	before := e.snapshot(t)
	r = s.post(t, list, url.Values{"name": {" "}, "lat": {"123"}, "lon": {""}, "weight": {"0"}})
	if r.StatusCode != 422 {
		t.Fatalf("refused form: status %d\n%s", r.StatusCode, r)
	}
	rkContains(t, "refused form", r.raw, "Le formulaire contient des erreurs", "latitude hors limites")
	e.unchanged(t, before, "a refused form")

	// The site's page: 0,1° south on the same meridian, default estimator: 10 + 1,3 ×
	// 11,11949 ÷ 18 × 60 = 58,18 minutes.
	rkContains(t, "site page", s.page(t, fmt.Sprintf("/sites/%d", site)),
		"Temps vers les organismes partenaires", "Urssaf Caisse nationale 58,18 2", "Moyenne pondérée : 58,18 minutes (estimation).")

	pid := idOf(t, itemsOf(t, e.read(t, fmt.Sprintf("/api/v1/relocations/%d/partners", rel)))[0])
	edit := s.page(t, fmt.Sprintf("/partenaires/%d/modifier", pid))
	if !strings.Contains(edit, `name="version" value="1"`) || !strings.Contains(edit, `value="Urssaf Caisse nationale"`) {
		t.Error("edit form lacks the version or the current values")
	}
	r = s.post(t, fmt.Sprintf("/partenaires/%d", pid), url.Values{"name": {"Urssaf"}, "address": {""}, "lat": {"48,9"}, "lon": {"2,4"},
		"weight": {"1"}, "version": {"1"}})
	seeOther(t, r, quotedPath(list))
	rkContains(t, "after edit", s.page(t, list), "Urssaf")

	confirm := s.page(t, fmt.Sprintf("/partenaires/%d/supprimer", pid))
	rkContains(t, "confirmation", confirm, "Supprimer l’organisme partenaire « Urssaf » ?", "Supprimer l’organisme partenaire")
	r = s.post(t, fmt.Sprintf("/partenaires/%d/supprimer", pid), url.Values{"version": {"2"}})
	seeOther(t, r, quotedPath(list))
	rkContains(t, "after deletion", s.page(t, list), "Aucun organisme partenaire enregistré")
}

// quotedPath quotes a path for seeOther.
func quotedPath(path string) string { return regexp.QuoteMeta(path) }

// TestStalePartnerDelete: the same for a partner body.
func TestStalePartnerDelete(t *testing.T) {
	t.Parallel()
	c := newFormClient(t)
	rel := idOf(t, c.createRelocation(t, nil))
	pid := idOf(t, c.create(t, fmt.Sprintf("/api/v1/relocations/%d/partners", rel), partnerBody(nil)))
	expect(t, c.do(t, "PATCH", fmt.Sprintf("/api/v1/partners/%d", pid), `{"weight":3}`, "If-Match", `"1"`), 200)

	c.staleDelete(t, fmt.Sprintf("/partenaires/%d/supprimer", pid), fmt.Sprintf("/projets/%d/partenaires", rel), "Organisme non supprimé", `value="3"`)
}
