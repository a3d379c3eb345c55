package ui_test

import (
	"fmt"
	"html"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/ministere/tracker/ui/account"
)

// portfolioNames returns the relocations the portfolio page lists, in order.
func portfolioNames(page string) []string {
	var out []string
	for _, m := range regexp.MustCompile(`<td><a href="/projets/\d+">([^<]*)</a></td>`).FindAllStringSubmatch(page, -1) {
		out = append(out, html.UnescapeString(m[1]))
	}
	return out
}

// TestPortfolioSearchAndFilters: the portfolio finds a relocation by a few letters of
// its name, body, a commune (its origin, destination or a site's) or the ministry in its
// decision, ignoring case and accents, every word having to match; it keeps those late
// (next milestone past its planned end, today 1 July 2021) or managed by the account;
// the filters combine, stay in the URL and in the form, and the export follows them.
func TestPortfolioSearchAndFilters(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t)
	e.user(t, "responsable@exemple.gouv.fr", account.RoleManager)
	admin := e.login(t, adminEmail, testPassword)
	manager := e.login(t, "responsable@exemple.gouv.fr", testPassword)

	cleiss := idOf(t, e.createRelocation(t, map[string]any{"slug": "cleiss", "name": "Relocalisation du CLEISS",
		"decision": "Ministère des Solidarités, 4e CITP", "target_move": "2022-early"}))
	e.createMilestone(t, cleiss, map[string]any{"title": "Bail signé", "kind": "lease", "planned": "2021-05"}) // late on 1 July 2021
	ans := idOf(t, e.createRelocation(t, map[string]any{"slug": "ans", "name": "Transfert de l’Agence du numérique", "body": "ANS",
		"body_name": "Agence du numérique en santé", "origin": "Paris", "destination": "Ille-et-Vilaine (35)",
		"decision": "Ministère de l’Économie", "target_move": "2030", "status": "site_search"}))
	e.createMilestone(t, ans, map[string]any{"title": "Bail", "kind": "lease", "planned": "2029"})
	e.createSite(t, ans, map[string]any{"name": "Immeuble du campus", "commune": "Cesson-Sévigné"})
	lyon := idOf(t, e.createRelocation(t, map[string]any{"slug": "lyon", "name": "=HYPERLINK(\"http://x\")", "body": "XYZ",
		"decision": "", "destination": "Rhône (69)", "target_move": "2023-Q2"}))
	e.assign(t, lyon, "responsable@exemple.gouv.fr")
	// The written question n° 25585 (ministries « Action et comptes publics », « Comptes
	// publics »), imported into the ANS's relocation for the test's sake.
	expect(t, e.do(t, "POST", fmt.Sprintf("/api/v1/relocations/%d/questions", ans), jsonOf(map[string]string{"text": readQuestionPage(t)})), 200)
	const formula = `=HYPERLINK("http://x")`

	for _, tc := range []struct {
		who   session
		query string
		want  []string
	}{
		{admin, "", []string{formula, "Relocalisation du CLEISS", "Transfert de l’Agence du numérique"}},
		{admin, "?q=cle", []string{"Relocalisation du CLEISS"}},
		{admin, "?q=CL%C3%89ISS", []string{"Relocalisation du CLEISS"}},                 // case and accents
		{admin, "?q=s%C3%A9vign%C3%A9", []string{"Transfert de l’Agence du numérique"}}, // a site's commune
		{admin, "?q=cesson+sevigne", []string{"Transfert de l’Agence du numérique"}},    // every word, anywhere
		{admin, "?q=economie", []string{"Transfert de l’Agence du numérique"}},          // the ministry, in the decision
		{admin, "?q=comptes+publics", []string{"Transfert de l’Agence du numérique"}},   // a written question's ministry
		{admin, "?q=minist%C3%A8re", []string{"Relocalisation du CLEISS", "Transfert de l’Agence du numérique"}},
		{admin, "?q=sant%C3%A9+paris", []string{"Transfert de l’Agence du numérique"}}, // body name and origin
		{admin, "?q=cle+rennes", nil}, // every word must match
		{admin, "?q=100%25", nil},     // LIKE's wildcards are letters
		{admin, "?q=_", nil},
		{admin, "?q=rh%C3%B4ne", []string{formula}}, // the destination
		{admin, "?retard=1", []string{"Relocalisation du CLEISS"}},
		{admin, "?statut=site_search&q=agence", []string{"Transfert de l’Agence du numérique"}},
		{admin, "?statut=announced&q=agence", nil},
		{admin, "?mes=1", nil},
		{manager, "?mes=1", []string{formula}},
		{manager, "?mes=1&retard=1", nil},
		{admin, "?statut=inconnu&retard=oui", []string{formula, "Relocalisation du CLEISS", "Transfert de l’Agence du numérique"}},
	} {
		page := e.get(t, tc.who, "/"+tc.query)
		expect(t, page, http.StatusOK)
		if got := portfolioNames(page.raw); strings.Join(got, "|") != strings.Join(tc.want, "|") {
			t.Errorf("/%s lists %q, want %q", tc.query, got, tc.want)
		}
		if len(tc.want) == 0 && !strings.Contains(page.raw, "Aucun projet ne correspond à ces critères.") {
			t.Errorf("/%s: no message for an empty result", tc.query)
		}
	}

	// The form shows the filter it answers; the export link carries it.
	page := e.get(t, admin, "/?q=cle&retard=1&statut=announced").raw
	for _, want := range []string{`id="f-q" name="q" value="cle"`, `id="f-retard" name="retard" value="1" checked`,
		`<option value="announced" selected>`, `href="/portefeuille.csv?q=cle&amp;retard=1&amp;statut=announced"`} {
		if !strings.Contains(page, want) {
			t.Errorf("the filtered portfolio lacks %s", want)
		}
	}
	if strings.Contains(page, `id="f-mes" name="mes" value="1" checked`) {
		t.Error("« Mes projets » is checked though not asked")
	}
}

// TestPortfolioTimeline: the portfolio draws every listed relocation's target move as
// a band over its announced interval, today marked, and says each in words.
func TestPortfolioTimeline(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t)
	admin := e.login(t, adminEmail, testPassword)
	e.createRelocation(t, map[string]any{"slug": "a", "name": "Projet A", "target_move": "2022-early"})
	e.createRelocation(t, map[string]any{"slug": "b", "name": "Projet B", "target_move": "2021-05", "status": "moved"})
	e.createRelocation(t, map[string]any{"slug": "c", "name": "Projet C", "target_move": "2021-Q1"})
	page := html.UnescapeString(e.get(t, admin, "/").raw)
	for _, want := range []string{
		`aria-label="Frise des déménagements visés de 3 projets, de 1er trimestre 2021 à début 2022 (détail dans le tableau)"`,
		"<title>Projet A (CLEISS) — déménagement visé début 2022, du 1er janvier 2022 au 30 avril 2022 ; Annoncée</title>",
		"<title>Projet B (CLEISS) — déménagement visé mai 2021, du 1er mai 2021 au 31 mai 2021 ; Réalisée</title>",
		"<title>Projet C (CLEISS) — déménagement visé 1er trimestre 2021, du 1er janvier 2021 au 31 mars 2021 ; Annoncée ; date dépassée</title>",
		`class="timeline-today"`, "aujourd’hui",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the portfolio's timeline lacks %s", want)
		}
	}
	bands := regexp.MustCompile(`<rect class="timeline-band([^"]*)"`).FindAllStringSubmatch(page, -1)
	if len(bands) != 3 || bands[0][1] != "" || bands[1][1] != " timeline-band--done" || bands[2][1] != " timeline-band--overdue" {
		t.Errorf("bands %q, want plain (A), done (B), overdue (C)", bands)
	}
}
