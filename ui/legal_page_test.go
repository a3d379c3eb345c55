package ui_test

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
)

// The tests of the legal pages (SPEC, Pages): /accessibilite and /mentions-legales
// answer visitors, and every page's DSFR header (with its mobile menu) and footer link
// the three legal pages.

// TestLegalPagesPublic opens both pages without an account.
func TestLegalPagesPublic(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t)
	for _, tc := range []struct {
		path, h1 string
		want     []string
	}{
		{"/accessibilite", "Déclaration d’accessibilité", []string{
			"État de conformité", "<strong>non conforme</strong>", "RGAA", "4.1", "aucun audit de conformité",
			"Résultats des tests", "axe-core 4.14.1", "<code>RGAAv4</code>", "375 pixels de large", "1 280 pixels", "Contenus non accessibles",
			"Retour d’information et contact", "accessibilite@<ministère>.gouv.fr", "Voies de recours",
			"Défenseur des droits", "[à compléter]",
		}},
		{"/mentions-legales", "Mentions légales", []string{
			"Éditeur", "Directeur ou directrice de la publication", "Hébergement", "licence etalab-2.0",
			"aucun cookie de mesure d’audience", "tracker_session", "tracker_csrf", "tracker_notice",
			"tracker_proconnect", "tracker_proconnect_logout", `href="/donnees-personnelles"`,
			"[à compléter]",
		}},
	} {
		r := e.get(t, session{}, tc.path)
		if r.StatusCode != http.StatusOK {
			t.Fatalf("GET %s as a visitor: status %d, want 200\n%s", tc.path, r.StatusCode, r)
		}
		checkPageHTML(t, "GET "+tc.path, r)
		if h1 := regexp.MustCompile(`<h1>(.*?)</h1>`).FindStringSubmatch(r.raw); h1 == nil || h1[1] != tc.h1 {
			t.Errorf("GET %s: <h1> %v, want %q", tc.path, h1, tc.h1)
		}
		if !strings.Contains(r.raw, "<title>"+tc.h1+" — ") {
			t.Errorf("GET %s: the <title> does not start with %q", tc.path, tc.h1)
		}
		contains(t, "GET "+tc.path, r.raw, tc.want...)
		checkLayout(t, "GET "+tc.path, r.raw)
		contains(t, "the visitor's header on "+tc.path, headerOf(t, r.raw), `href="/login"`, "Se connecter")
	}
}

// TestLegalLayoutOnEveryPage checks the header, its mobile menu, the footer and the
// tables of the pages a visitor and an administrator see.
func TestLegalLayoutOnEveryPage(t *testing.T) {
	t.Parallel()
	c := newFormClient(t)
	id := c.createRelocationForm(t, map[string]string{"visibility": "public"})
	c.createMilestoneForm(t, id, nil)
	for _, path := range []string{"/login", "/donnees-personnelles", "/accessibilite", "/mentions-legales", "/r", "/r/cleiss-montreuil"} {
		r := c.get(t, session{}, path)
		if r.StatusCode != http.StatusOK {
			t.Fatalf("GET %s as a visitor: status %d\n%s", path, r.StatusCode, r)
		}
		checkLayout(t, "visitor GET "+path, r.raw)
	}
	for _, path := range []string{"/", "/projets/nouveau", fmt.Sprintf("/projets/%d", id), fmt.Sprintf("/projets/%d/classement", id),
		fmt.Sprintf("/projets/%d/criteres", id), fmt.Sprintf("/projets/%d/notes", id), fmt.Sprintf("/projets/%d/trajets", id),
		fmt.Sprintf("/projets/%d/note-de-decision", id), "/profil", "/admin/comptes", "/admin/journal", "/accessibilite"} {
		raw := c.okPage(t, path)
		checkLayout(t, "GET "+path, raw)
		contains(t, "the administrator's header on "+path, headerOf(t, raw),
			`href="/admin/comptes"`, "Comptes", `href="/profil"`, "Mon profil", `action="/logout"`, "Se déconnecter")
		if path != "/" && !strings.Contains(raw, `class="fr-breadcrumb__button"`) {
			t.Errorf("GET %s: no « Voir le fil d’Ariane » button", path)
		}
	}
}

var (
	toolsLinks = regexp.MustCompile(`(?s)<div class="fr-header__tools-links">(.*?)</div>`)
	menuLinks  = regexp.MustCompile(`(?s)<div class="fr-header__menu-links">(.*?)</div>`)
	oldTable   = regexp.MustCompile(`class="fr-table(?: [^"]*)?"[^>]*>\s*<table`)
	anyTable   = regexp.MustCompile(`(?s)<table\b`)
	newTable   = regexp.MustCompile(`(?s)<div class="fr-table__content">\s*<table\b`)
)

// headerOf returns the page's <header> element.
func headerOf(t *testing.T, raw string) string {
	t.Helper()
	start, end := strings.Index(raw, `<header role="banner" class="fr-header">`), strings.Index(raw, "</header>")
	if start < 0 || end < start {
		t.Errorf("no DSFR header")
		return ""
	}
	return raw[start:end]
}

// checkLayout checks what the layout gives every page: the DSFR header with its burger
// button opening a menu that repeats the header's tools, the footer with its
// institutional links and the three legal pages, and tables in the current DSFR markup.
func checkLayout(t *testing.T, what, raw string) {
	t.Helper()
	header := headerOf(t, raw)
	contains(t, what+": header", header,
		`<button class="fr-btn--menu fr-btn" type="button" data-fr-opened="false" aria-controls="menu-mobile" id="bouton-menu"`,
		`<div class="fr-header__menu fr-modal" id="menu-mobile">`, // named by the DSFR script when it becomes a dialog
		`class="fr-btn--close fr-btn" type="button" aria-controls="menu-mobile"`)
	tools, menu := toolsLinks.FindStringSubmatch(header), menuLinks.FindStringSubmatch(header)
	if tools == nil || menu == nil {
		t.Errorf("%s: the header lacks fr-header__tools-links or fr-header__menu-links", what)
	} else if strings.TrimSpace(tools[1]) == "" || tools[1] != menu[1] {
		t.Errorf("%s: the mobile menu does not repeat the header's tools:\n%s\n---\n%s", what, tools[1], menu[1])
	}
	start := strings.Index(raw, `<footer class="fr-footer" role="contentinfo" id="pied-de-page">`)
	if start < 0 {
		t.Errorf("%s: no DSFR footer", what)
		return
	}
	footer := raw[start:]
	contains(t, what+": footer", footer,
		`href="https://www.info.gouv.fr"`, `href="https://www.service-public.fr"`,
		`href="https://www.legifrance.gouv.fr"`, `href="https://www.data.gouv.fr"`,
		`<a class="fr-footer__bottom-link" href="/accessibilite">Accessibilité : non conforme</a>`,
		`<a class="fr-footer__bottom-link" href="/mentions-legales">Mentions légales</a>`,
		`<a class="fr-footer__bottom-link" href="/donnees-personnelles">Données personnelles</a>`,
		"licence etalab-2.0")
	contains(t, what+": skip links", raw, `href="#contenu"`, `href="#pied-de-page"`)
	if m := oldTable.FindString(raw); m != "" {
		t.Errorf("%s: a table in the old DSFR markup: %q", what, m)
	}
	if n, m := len(anyTable.FindAllString(raw, -1)), len(newTable.FindAllString(raw, -1)); n != m {
		t.Errorf("%s: %d tables, %d of them in fr-table__wrapper > __container > __content", what, n, m)
	}
}
