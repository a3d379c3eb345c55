package ui_test

import (
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// The browser checks: every page a visitor, a viewer, a manager and an
// administrator can reach, at 1280 and 375 px wide, in headless Chromium (one browser,
// one isolated browser context per role), is checked by axe-core (vendored in
// ui/testdata/axe by `make axe`) on the WCAG 2.1 A/AA and RGAA 4 rules, for sideways
// scrolling, for console errors, and, on narrow screens, for a header menu that opens
// and reaches « Se déconnecter » (« Se connecter » for a visitor).

// axeTags are the rule tags axe-core runs: WCAG 2.0 and 2.1, levels A and AA, and the
// RGAA 4 rules (axe-core's tag "RGAAv4").
var axeTags = []string{"wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "RGAAv4"}

// crawlWidths are the widths checked, each page loaded at the first: a phone and a
// desktop (emulated: headless Chromium's windows are at least about 500 px wide).
var crawlWidths = []struct{ w, h int64 }{{375, 812}, {1280, 800}}

// crawlPage is one state of a page: what GET path shows, or, with submit, what the
// form of path answers to the values set.
type crawlPage struct {
	path   string
	h1     string // the page's h1 starts with it: the crawl is on the page it means
	status int    // of the document (default 200)
	submit *crawlSubmit
	lands  string // the path the document lands on through redirects, when not path
}

// crawlSubmit fills a form of the page and sends it: values by CSS selector, then a
// click on the button at the XPath.
type crawlSubmit struct {
	label  string
	values [][2]string
	files  [][2]string // file inputs by CSS selector, and the file each gets
	button string
}

// ahpInconsistent answers every pair of the AHP form « égale importance » but three that
// go round in a circle: the first criterion far above the second, the second far above
// the third, the third far above the first.
func ahpInconsistent(ids []int64) [][2]string {
	var out [][2]string
	for i, a := range ids {
		for j, b := range ids[i+1:] {
			v := "1"
			switch {
			case i == 0 && j == 0, i == 1 && j == 0: // (1, 2) and (2, 3)
				v = "9"
			case i == 0 && j == 1: // (1, 3): the third far above the first
				v = "1/9"
			}
			out = append(out, [2]string{fmt.Sprintf("#f-c-%d-%d", a, b), v})
		}
	}
	return out
}

// crawlSenatQuestion is a written question of the Sénat, answered, for the preview.
const crawlSenatQuestion = "15e législature\nQuestion écrite n° 13599 de M. Jean-Pierre Sueur (Loiret - SOCR)\n" +
	"publiée dans le JO Sénat du 26/12/2019 - page 6299\nM. Jean-Pierre Sueur appelle l'attention de M. le ministre de " +
	"l'action et des comptes publics sur la relocalisation de services de l'État à Orléans.\n" +
	"Réponse du Ministère de l'action et des comptes publics\npubliée dans le JO Sénat du 25/06/2020 - page 2888\n" +
	"Les premiers agents s'installeront à Orléans au 2e semestre 2021 et les travaux seront achevés d'ici fin 2022."

// badRoster writes a roster file the import refuses (a minute count that is no number).
func badRoster(t *testing.T) string {
	p := filepath.Join(t.TempDir(), "agents.csv")
	if err := os.WriteFile(p, []byte("agent_ref;home_lat;home_lon;current_minutes\nA001;48,85;2,42;beaucoup\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func (p crawlPage) String() string {
	if p.submit != nil {
		return p.path + " (" + p.submit.label + ")"
	}
	return p.path
}

// crawlRole is a browser of one role: its account (none for the visitor) and its pages.
type crawlRole struct {
	name, email string
	pages       []crawlPage
}

// TestBrowserPageChecks crawls every page of every role at both widths.
func TestBrowserPageChecks(t *testing.T) {
	start := time.Now()
	base, store := serveForBrowser(t)
	tServe := time.Since(start)
	fx := newCrawlFixture(t, store)
	tFixture := time.Since(start)
	axe := readAxe(t)
	root := newCrawlBrowser(t)
	t.Logf("server %s, fixture %s, browser %s", tServe.Round(time.Millisecond), tFixture.Round(time.Millisecond), time.Since(start).Round(time.Millisecond))

	rel := fmt.Sprintf("/projets/%d", fx.relocation)
	save := `//main//button[normalize-space()="Enregistrer"]`
	preview := `//main//button[normalize-space()="Voir ce qui sera importé"]`
	roles := []crawlRole{
		{name: "visiteur", pages: []crawlPage{
			{path: "/login", h1: "Connexion"},
			{path: "/login", h1: "Connexion", status: 401, submit: &crawlSubmit{label: "mot de passe refusé",
				values: [][2]string{{"#f-email", adminEmail}, {"#f-password", "pas le bon mot de passe"}},
				button: `//main//button[normalize-space()="Se connecter"]`}},
			// A ProConnect callback that no sign-in of this browser asked for.
			{path: "/login/proconnect/callback?code=x&state=inconnu", h1: "Connexion avec ProConnect impossible", status: 400},
			// Through the crawl's provider, as an agent whose address has no account.
			{path: "/login/proconnect", h1: "Connexion avec ProConnect impossible", status: 403, lands: "/login/proconnect/callback"},
			{path: "/r", h1: "Relocalisations"},
			{path: "/r/" + fx.slug, h1: "Relocalisation du CLEISS"},
			{path: "/r/inconnue", h1: "", status: 404},
			{path: "/accessibilite", h1: "Déclaration d’accessibilité"},
			{path: "/mentions-legales", h1: "Mentions légales"},
			{path: "/donnees-personnelles", h1: "Données personnelles"},
		}},
		{name: "responsable", email: crawlManagerEmail, pages: []crawlPage{
			{path: "/", h1: "Portefeuille des relocalisations"},
			{path: "/?q=cleiss&retard=1&mes=1", h1: "Portefeuille des relocalisations"},
			{path: "/?q=introuvable", h1: "Portefeuille des relocalisations"},
			{path: "/projets/nouveau", h1: "Nouveau projet"},
			{path: rel, h1: "Relocalisation du CLEISS"},
			{path: rel + "/modifier", h1: "Modifier"},
			{path: rel + "/modifier", h1: "Modifier", status: 422, submit: &crawlSubmit{label: "date refusée",
				values: [][2]string{{"#f-target_move", "bientôt"}}, button: save}},
			{path: rel + "/jalons/nouveau", h1: "Nouveau jalon"},
			{path: rel + "/jalons/nouveau", h1: "Nouveau jalon", status: 422, submit: &crawlSubmit{label: "date refusée",
				values: [][2]string{{"#f-title", "Bail signé"}, {"#f-source", "Compte rendu du comité"}, {"#f-planned", "bientôt"}},
				button: save}},
			{path: fmt.Sprintf("/jalons/%d/modifier", fx.milestone), h1: "Modifier"},
			// Saved as it is: the relocation's page with its success notice.
			{path: fmt.Sprintf("/jalons/%d/modifier", fx.milestone), h1: "Relocalisation du CLEISS", submit: &crawlSubmit{
				label: "enregistré, avec l’avis de réussite", button: save}},
			{path: fmt.Sprintf("/jalons/%d/supprimer", fx.milestone), h1: "Supprimer le jalon"},
			{path: fmt.Sprintf("/criteres/%d/supprimer", fx.criterion), h1: "Supprimer le critère"},
			{path: rel + "/agents/supprimer", h1: "Supprimer le fichier des agents"},
			{path: "/profil", h1: "Mon profil"},
			{path: "/profil/mot-de-passe", h1: "Changer mon mot de passe"},
			{path: "/profil/mot-de-passe", h1: "Changer mon mot de passe", status: 422, submit: &crawlSubmit{label: "nouveau mot de passe trop court",
				values: [][2]string{{"#f-current_password", testPassword}, {"#f-new_password", "court"}, {"#f-new_password_confirm", "court"}},
				button: `//main//button[normalize-space()="Changer le mot de passe"]`}},
			{path: "/r/" + fx.slug, h1: "Relocalisation du CLEISS"},
			// Written questions: the paste page, a text refused, a preview, the imported question.
			{path: rel + "/questions", h1: "Importer une question écrite"},
			{path: rel + "/questions", h1: "Importer une question écrite", status: 422, submit: &crawlSubmit{label: "texte refusé",
				values: [][2]string{{"#f-text", "Bonjour, ceci n’est pas une question."}}, button: preview}},
			{path: rel + "/questions", h1: "Aperçu de la question écrite n° 13599", submit: &crawlSubmit{label: "aperçu",
				values: [][2]string{{"#f-text", crawlSenatQuestion}}, button: preview}},
			{path: fmt.Sprintf("%s/questions/%d", rel, fx.question), h1: "Question écrite n° 25585"},
		}},
		// The manager's other pages, in a second tab of their own so that the roles take
		// about the same time.
		{name: "responsable (sites)", email: crawlManagerEmail, pages: []crawlPage{
			{path: rel + "/sites/nouveau", h1: "Nouveau site"},
			{path: fmt.Sprintf("/sites/%d", fx.site), h1: "Immeuble domanial à Pantin"},
			{path: fmt.Sprintf("/sites/%d/modifier", fx.site), h1: "Modifier"},
			{path: fmt.Sprintf("/sites/%d/modifier", fx.site), h1: "Modifier", status: 422, submit: &crawlSubmit{label: "motif manquant",
				values: [][2]string{{"#f-status", "rejected"}, {"#f-decision_reason", ""}}, button: save}},
			{path: rel + "/criteres", h1: "Critères de choix du site"},
			{path: fmt.Sprintf("/criteres/%d/modifier", fx.criterion), h1: "Modifier"},
			{path: fmt.Sprintf("/criteres/%d/modifier", fx.criterion), h1: "Modifier", status: 422, submit: &crawlSubmit{label: "échelle refusée",
				values: [][2]string{{"#f-scale_min", "20"}}, button: save}},
			{path: rel + "/notes", h1: "Notes des sites"},
			{path: rel + "/notes", h1: "Notes des sites", status: 422, submit: &crawlSubmit{label: "note hors échelle",
				values: [][2]string{{`main form input[name^="value_"]`, "12"}}, button: `(//main//form//button[starts-with(normalize-space(), "Enregistrer")])[1]`}},
			{path: rel + "/classement", h1: "Classement des sites"},
			{path: rel + "/ahp", h1: ""},
			// Inconsistent comparisons (1 ≫ 2, 2 ≫ 3, 3 ≫ 1): the weights are not applied.
			{path: rel + "/ahp", h1: "", status: 422, submit: &crawlSubmit{label: "comparaisons incohérentes",
				values: ahpInconsistent(fx.criteria), button: `//main//form//button[@type="submit"]`}},
			{path: rel + "/note-de-decision", h1: "Note de décision"},
			{path: rel + "/trajets", h1: ""},
			{path: rel + "/partenaires", h1: "Organismes partenaires"},
			{path: rel + "/partenaires", h1: "Organismes partenaires", status: 422, submit: &crawlSubmit{label: "coordonnées refusées",
				values: [][2]string{{"#f-name", "CNAV"}, {"#f-lat", "123"}}, button: `//main//button[normalize-space()="Ajouter l’organisme"]`}},
			{path: fmt.Sprintf("/partenaires/%d/modifier", fx.partner), h1: "Modifier"},
			{path: fmt.Sprintf("/partenaires/%d/modifier", fx.partner), h1: "Modifier", status: 422, submit: &crawlSubmit{label: "poids refusé",
				values: [][2]string{{"#f-weight", "0"}}, button: save}},
			{path: fmt.Sprintf("/partenaires/%d/supprimer", fx.partner), h1: "Supprimer l’organisme partenaire"},
			{path: rel + "/trajets", h1: "", status: 422, submit: &crawlSubmit{label: "fichier des agents refusé",
				files: [][2]string{{"#f-fichier", badRoster(t)}}, button: `//main//form[.//input[@type="file"]]//button[@type="submit"]`}},
		}},
		{name: "lecteur", email: crawlViewerEmail, pages: []crawlPage{
			{path: "/", h1: "Portefeuille des relocalisations"},
			{path: rel, h1: "Relocalisation du CLEISS"},
			{path: rel + "/modifier", h1: "", status: 403},
			{path: fmt.Sprintf("/sites/%d", fx.site), h1: "Immeuble domanial à Pantin"},
			{path: rel + "/criteres", h1: "Critères de choix du site"},
			{path: rel + "/notes", h1: "Notes des sites"},
			{path: rel + "/classement", h1: "Classement des sites"},
			{path: rel + "/ahp", h1: ""},
			{path: rel + "/note-de-decision", h1: "Note de décision"},
			{path: rel + "/trajets", h1: ""},
			{path: rel + "/partenaires", h1: "Organismes partenaires"},
			{path: "/profil", h1: "Mon profil"},
			{path: fmt.Sprintf("%s/questions/%d", rel, fx.question), h1: "Question écrite n° 25585"},
			{path: rel + "/questions", h1: "", status: 403},
		}},
		{name: "administrateur", email: adminEmail, pages: []crawlPage{
			{path: "/", h1: "Portefeuille des relocalisations"},
			{path: rel, h1: "Relocalisation du CLEISS"},
			{path: "/admin/comptes", h1: "Comptes"},
			{path: "/admin/comptes", h1: "Comptes", status: 422, submit: &crawlSubmit{label: "mot de passe trop court",
				values: [][2]string{{"#f-email", "nouveau@exemple.gouv.fr"}, {"#f-name", "Nouvel agent"}, {"#f-password", "court"}},
				button: `//main//button[normalize-space()="Créer le compte"]`}},
			{path: fmt.Sprintf("/admin/comptes/%d/modifier", fx.managerID), h1: ""},
			{path: "/admin/journal", h1: ""},
		}},
	}
	// The roles crawl at the same time, each in its tab: the browser and the server wait
	// on each other less. (t.Run from goroutines, not t.Parallel: -parallel would run
	// only GOMAXPROCS of them at once.)
	var checked atomic.Int64
	var wg sync.WaitGroup
	for _, role := range roles {
		wg.Add(1)
		go func() {
			defer wg.Done()
			t.Run(role.name, func(t *testing.T) {
				c := newCrawlTab(t, root, base, axe)
				if role.email != "" {
					c.login(t, role.email)
				}
				for _, p := range role.pages {
					c.check(t, role, p)
					checked.Add(int64(len(crawlWidths)))
				}
				if role.email != "" {
					c.logoutFromMobileMenu(t, role)
				}
			})
		}()
	}
	wg.Wait()
	// The accessibility statement reports these checks: the same axe-core, the same tags.
	checkStatementReports(t, base, axe)
	n := int(checked.Load())
	t.Logf("browser checks: %d page states at %d widths (%d checks) in %s with axe-core %s",
		n/len(crawlWidths), len(crawlWidths), n, time.Since(start).Round(time.Millisecond), axe.version)
}
