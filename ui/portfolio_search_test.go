package ui_test

import (
	"encoding/csv"
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

// readExcelCSV checks the French Excel form of a CSV answer and returns its records.
func readExcelCSV(t *testing.T, what string, r apiResp) [][]string {
	t.Helper()
	expect(t, r, http.StatusOK)
	if ct := r.Header.Get("Content-Type"); ct != "text/csv; charset=utf-8" {
		t.Errorf("%s: Content-Type %q", what, ct)
	}
	if !strings.HasPrefix(r.raw, "\xEF\xBB\xBF") || !strings.Contains(r.raw, "\r\n") {
		t.Fatalf("%s: no BOM or no CRLF:\n%q", what, r.raw)
	}
	cr := csv.NewReader(strings.NewReader(strings.TrimPrefix(r.raw, "\xEF\xBB\xBF")))
	cr.Comma = ';'
	recs, err := cr.ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	return recs
}

// TestPortfolioAndMilestonesCSV: the portfolio's export lists every relocation the
// filter selects (beyond the page), with dates French Excel reads and text guarded
// against formulas; a relocation's milestones export in planned order; both need an
// account, and an unknown relocation is 404.
func TestPortfolioAndMilestonesCSV(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t)
	e.user(t, "lecteur@exemple.gouv.fr", account.RoleViewer)
	viewer := e.login(t, "lecteur@exemple.gouv.fr", testPassword)
	rel := idOf(t, e.createRelocation(t, map[string]any{"slug": "cleiss", "visibility": "public"}))
	e.createMilestone(t, rel, map[string]any{"title": "Bail signé", "kind": "lease", "planned": "2021-05",
		"source": "-compte rendu", "source_url": "https://exemple.gouv.fr/cr", "public": true})
	done := idOf(t, e.createMilestone(t, rel, map[string]any{"title": "Décision", "kind": "decision", "planned": "2019-11-15"}))
	expect(t, e.do(t, "PATCH", fmt.Sprintf("/api/v1/milestones/%d", done), `{"planned":"2019-11-20","actual":"2019-11-20"}`, "If-Match", etag(1)), 200)
	for i := 0; i < 55; i++ {
		e.createRelocation(t, map[string]any{"slug": fmt.Sprintf("p-%02d", i), "name": fmt.Sprintf("@Projet %02d", i), "headcount": 12 + i})
	}

	all := readExcelCSV(t, "portfolio CSV", e.get(t, viewer, "/portefeuille.csv"))
	if len(all) != 57 {
		t.Fatalf("the portfolio CSV has %d lines, want the header and 56 relocations", len(all))
	}
	wantHeader := "Projet;Organisme;Nom de l’organisme;Origine;Destination;Statut;Déménagement visé;Début de la période;Fin de la période;Déménagé le;Prochain jalon;Prévu;En retard;Glissement (jours);Agents;Visibilité;Page publique"
	if got := strings.Join(all[0], ";"); got != wantHeader {
		t.Errorf("portfolio header\n%s\nwant\n%s", got, wantHeader)
	}
	if got, want := strings.Join(all[1], ";"), "'@Projet 00;CLEISS;"; !strings.HasPrefix(got, want) {
		t.Errorf("first line %q, want it to start with %q (formula guard)", got, want)
	}
	cleiss := all[56]
	want := []string{"Relocalisation du CLEISS", "CLEISS", "Centre des liaisons européennes et internationales de sécurité sociale",
		"11 rue de la Tour des Dames, 75009 Paris", "Seine-Saint-Denis (93)", "Annoncée", "début 2022", "01/01/2022", "30/04/2022", "",
		"Bail signé", "mai 2021", "oui", "0", "140", "Publique", "/r/cleiss"}
	if strings.Join(cleiss, "|") != strings.Join(want, "|") {
		t.Errorf("the CLEISS line\n%q\nwant\n%q", cleiss, want)
	}
	filtered := readExcelCSV(t, "filtered portfolio CSV", e.get(t, viewer, "/portefeuille.csv?q=cleiss&retard=1"))
	if len(filtered) != 2 || filtered[1][0] != "Relocalisation du CLEISS" {
		t.Errorf("the filtered export lists %q, want the CLEISS alone", filtered)
	}
	if r := e.get(t, viewer, "/portefeuille.csv"); !strings.Contains(r.Header.Get("Content-Disposition"), `attachment; filename="portefeuille-2021-07-01.csv"`) {
		t.Errorf("Content-Disposition %q", r.Header.Get("Content-Disposition"))
	}

	ms := readExcelCSV(t, "milestones CSV", e.get(t, viewer, fmt.Sprintf("/projets/%d/jalons.csv", rel)))
	wantMs := [][]string{
		{"Jalon", "Nature", "Prévu", "Début de la période", "Fin de la période", "Réalisé le", "Date initiale", "Glissement (jours)", "Statut", "Source", "Lien de la source", "Public", "Notes"},
		{"Décision", "Décision", "20 novembre 2019", "20/11/2019", "20/11/2019", "20/11/2019", "15 novembre 2019", "5", "Réalisé", "Réponse à la QE n° 25585, JO du 15 juin 2021, p. 4892", "", "non", ""},
		{"Bail signé", "Bail", "mai 2021", "01/05/2021", "31/05/2021", "", "mai 2021", "0", "En retard", "'-compte rendu", "https://exemple.gouv.fr/cr", "oui", ""},
	}
	if fmt.Sprint(ms) != fmt.Sprint(wantMs) {
		t.Errorf("milestones CSV\n%q\nwant\n%q", ms, wantMs)
	}
	if r := e.get(t, viewer, fmt.Sprintf("/projets/%d/jalons.csv", rel)); r.Header.Get("Content-Disposition") != `attachment; filename="jalons-cleiss.csv"` {
		t.Errorf("Content-Disposition %q", r.Header.Get("Content-Disposition"))
	}
	if r := e.get(t, viewer, "/projets/99999/jalons.csv"); r.StatusCode != http.StatusNotFound {
		t.Errorf("unknown relocation: %d, want 404", r.StatusCode)
	}
	for _, path := range []string{"/portefeuille.csv", fmt.Sprintf("/projets/%d/jalons.csv", rel)} {
		if r := e.get(t, session{}, path); r.StatusCode == http.StatusOK || strings.Contains(r.raw, "CLEISS") {
			t.Errorf("anonymous %s: %d, want a refusal", path, r.StatusCode)
		}
	}
}
