package ui_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/ministere/tracker/ui/account"
)

// TestBrowserCLEISSDecision holds that a manager reproduces the CLEISS
// decision in the UI from an empty relocation, with the reasons shown. Everything goes
// through the pages in headless Chromium: the relocation form, the site form, the
// criterion's delete button, the score grid, then the ranking, the relocation page and
// the decision note are read as a person reads them.
//
// The figures, by hand. Required surface = 140 residents × 16 m² = 2 240 m² SUB. Once
// the commute criterion is deleted (no roster yet), the weights are 30, 25, 20 (Σ 75).
//
//	Bas Montreuil: surface 2400/2240 = 1.0714…, normalised 1.0714/1.5 = 0.7143;
//	  visibility 8 → 0.8; métiers 8 → 0.8.
//	  score = 100 × (30×0.7143 + 25×0.8 + 20×0.8)/75 = 100 × 57.4286/75 = 76.571 → « 76,6 »
//	  contributions 28.571 → « 28,6 », 26.667 → « 26,7 », 21.333 → « 21,3 ».
//	Partner's premises: surface 1500/2240 = 0.6696 < threshold 1 → eliminated (no rank),
//	  score kept for information: 100 × (30×0.4464 + 25×0.7 + 20×0.6)/75 = 57.190 → « 57,2 ».
//
// Only one site is then ranked, so SPEC gives no sensitivity (null when fewer than two
// sites are ranked): the page must say why instead of printing « … reste premier … ».
func TestBrowserCLEISSDecision(t *testing.T) {
	start := time.Now()
	base, store := serveForBrowser(t)
	const (
		managerEmail = "responsable.cleiss@exemple.gouv.fr"
		managerName  = "Responsable CLEISS"
		partner      = "Locaux d’un organisme partenaire"
		montreuil    = "Bas Montreuil"
		surfaceName  = "Surface nécessaire et offres immobilières"
		visibility   = "Visibilité et accessibilité"
		commute      = "Situation des agents, temps de trajet"
		metiers      = "Nécessités des métiers et pratiques de travail"
		partnerWhy   = "faute d’espaces disponibles"
		montreuilWhy = "retenu au regard des quatre critères"
	)
	if _, err := account.NewStore(store.DB(), time.Now, testBcryptCost).CreateUser(context.Background(), testActor, account.NewUser{
		Email: managerEmail, Name: managerName, Role: account.RoleManager, Password: testPassword}); err != nil {
		t.Fatal(err)
	}

	ctx := newBrowser(t)
	must := func(step string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("browser, %s: %v", step, err)
		}
	}
	text := func(step string, sel string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Text(chromedp.Search(sel)))
		must(step, err)
		return strings.Join(strings.Fields(s), " ")
	}
	// row reads the cells of the table row at the XPath sel, joined by " | ": their
	// textContent, since innerText has the badges uppercased by the DSFR's CSS.
	row := func(step string, sel string) string {
		t.Helper()
		js := fmt.Sprintf(`(() => {
			const r = document.evaluate(%q, document, null, XPathResult.FIRST_ORDERED_NODE_TYPE, null).singleNodeValue;
			return r ? Array.from(r.cells, c => c.textContent.replace(/\s+/g, " ").trim()).join(" | ") : "";
		})()`, sel)
		s, err := chromedp.Run(ctx, chromedp.Evaluate[string](js))
		must(step, err)
		if s == "" {
			t.Fatalf("browser, %s: no row %s", step, sel)
		}
		return s
	}
	location := func() string {
		t.Helper()
		loc, err := chromedp.Run(ctx, chromedp.Location())
		must("read the location", err)
		return loc
	}
	// idAfter reads the number that follows prefix in the current URL (/projets/12 → 12).
	idAfter := func(prefix string) int64 {
		t.Helper()
		loc := location()
		var id int64
		if _, err := fmt.Sscanf(strings.TrimPrefix(loc, base+prefix), "%d", &id); err != nil || !strings.HasPrefix(loc, base+prefix) {
			t.Fatalf("the browser is at %s, want %s<id>", loc, base+prefix)
		}
		return id
	}

	// The manager signs in.
	must("sign in", chromedp.Do(ctx,
		chromedp.Navigate(base+"/login"),
		chromedp.WaitVisible(chromedp.CSS("#f-email")),
		chromedp.SendKeys(chromedp.CSS("#f-email"), managerEmail),
		chromedp.SendKeys(chromedp.CSS("#f-password"), testPassword),
		chromedp.Click(chromedp.Search(`//button[normalize-space()="Se connecter"]`)),
		chromedp.WaitVisible(chromedp.Search(`//h1[normalize-space()="Portefeuille des relocalisations"]`)),
	))
	if header := text("read the header", "//header"); !strings.Contains(header, managerName) {
		t.Errorf("the header does not show the signed-in manager:\n%s", header)
	}

	// An empty relocation, through « Nouveau projet ».
	must("create the relocation", chromedp.Do(ctx,
		chromedp.Click(chromedp.Search(`//a[normalize-space()="Nouveau projet"]`)),
		chromedp.WaitVisible(chromedp.CSS("#f-name")),
		chromedp.SendKeys(chromedp.CSS("#f-name"), "Relocalisation du CLEISS à Montreuil"),
		chromedp.SendKeys(chromedp.CSS("#f-slug"), "cleiss-montreuil"),
		chromedp.SendKeys(chromedp.CSS("#f-decision"), "4e CITP, 15 novembre 2019"),
		chromedp.SendKeys(chromedp.CSS("#f-target_move"), "début 2022"),
		chromedp.SendKeys(chromedp.CSS("#f-body"), "CLEISS"),
		chromedp.SendKeys(chromedp.CSS("#f-body_name"), "Centre des liaisons européennes et internationales de sécurité sociale"),
		chromedp.SendKeys(chromedp.CSS("#f-origin"), "11 rue de la Tour des Dames, 75009 Paris"),
		chromedp.SendKeys(chromedp.CSS("#f-destination"), "Seine-Saint-Denis (93)"),
		chromedp.SendKeys(chromedp.CSS("#f-headcount"), "140"),
		chromedp.Click(chromedp.Search(`//button[normalize-space()="Enregistrer"]`)),
		chromedp.WaitVisible(chromedp.Search(`//h1[normalize-space()="Relocalisation du CLEISS à Montreuil"]`)),
	))
	relID := idAfter("/projets/")
	if summary := text("read the relocation", "//main"); !strings.Contains(summary, "2 240 m² SUB") && !strings.Contains(summary, "2\u202f240 m² SUB") {
		t.Errorf("the relocation page does not show the required surface of 2 240 m² SUB:\n%s", summary)
	}

	// Two sites, each through « Ajouter un site » on the relocation page.
	addSite := func(name, kind, surface, status, reason string) int64 {
		t.Helper()
		must("add the site "+name, chromedp.Do(ctx,
			chromedp.Navigate(fmt.Sprintf("%s/projets/%d", base, relID)),
			chromedp.Click(chromedp.Search(`//a[normalize-space()="Ajouter un site"]`)),
			chromedp.WaitVisible(chromedp.CSS("#f-name")),
			chromedp.SendKeys(chromedp.CSS("#f-name"), name),
			chromedp.SetValue(chromedp.CSS("#f-kind"), kind),
			chromedp.SendKeys(chromedp.CSS("#f-commune"), "Montreuil"),
			chromedp.SendKeys(chromedp.CSS("#f-surface_m2"), surface),
			chromedp.SetValue(chromedp.CSS("#f-status"), status),
			chromedp.SendKeys(chromedp.CSS("#f-decision_reason"), reason),
			chromedp.Click(chromedp.Search(`//button[normalize-space()="Enregistrer"]`)),
			chromedp.WaitVisible(chromedp.Search(`//h1[normalize-space()="`+name+`"]`)),
		))
		return idAfter("/sites/")
	}
	partnerID := addSite(partner, "colocation", "1500", "rejected", partnerWhy)
	montreuilID := addSite(montreuil, "lease", "2400", "selected", montreuilWhy)

	// No roster yet: the commute criterion is deleted from its edit page.
	must("delete the commute criterion", chromedp.Do(ctx,
		chromedp.Navigate(fmt.Sprintf("%s/projets/%d", base, relID)),
		chromedp.Click(chromedp.Search(`//a[normalize-space()="Critères et poids"]`)),
		chromedp.WaitVisible(chromedp.Search(`//h1[normalize-space()="Critères de choix du site"]`)),
		chromedp.Click(chromedp.Search(`//tr[td/strong[normalize-space()="`+commute+`"]]//a[starts-with(normalize-space(), "Modifier")]`)),
		chromedp.WaitVisible(chromedp.Search(`//h1[contains(., "`+commute+`")]`)),
		chromedp.Click(chromedp.Search(`//a[normalize-space()="Supprimer ce critère et ses notes…"]`)),
		chromedp.WaitVisible(chromedp.Search(`//h1[starts-with(normalize-space(), "Supprimer le critère")]`)),
		chromedp.Click(chromedp.Search(`//button[normalize-space()="Supprimer le critère et ses notes"]`)),
		chromedp.WaitVisible(chromedp.Search(`//h1[normalize-space()="Critères de choix du site"]`)),
		chromedp.WaitVisible(chromedp.Search(`//div[@role="status"][contains(., "Critère et notes supprimés.")]`)),
	))
	criteriaText := text("read the criteria", "//main//table")
	if strings.Contains(criteriaText, commute) {
		t.Errorf("the commute criterion is still listed after its deletion:\n%s", criteriaText)
	}
	for _, want := range []string{surfaceName, "30 (40 %)", visibility, "25 (33,33 %)", metiers, "20 (26,67 %)"} {
		if !strings.Contains(criteriaText, want) {
			t.Errorf("the criteria page lacks %q:\n%s", want, criteriaText)
		}
	}
	criterionID := func(name string) int64 {
		t.Helper()
		href, err := chromedp.Run(ctx, chromedp.AttributeValue(chromedp.Search(`//tr[td/strong[normalize-space()="`+name+`"]]//a`), "href"))
		must("read the id of "+name, err)
		var id int64
		if _, err := fmt.Sscanf(href.Value, "/criteres/%d/modifier", &id); err != nil {
			t.Fatalf("criterion %s: link %q", name, href.Value)
		}
		return id
	}
	visID, metID := criterionID(visibility), criterionID(metiers)

	// The two manual criteria, on the score grid, with their justifications.
	scores := []struct {
		site, criterion int64
		value, why      string
	}{
		{partnerID, visID, "7", "Valeur d’illustration : siège d’un organisme partenaire, bien desservi."},
		{partnerID, metID, "6", "Valeur d’illustration : services à partager avec l’organisme hôte."},
		{montreuilID, visID, "8", "Valeur d’illustration : métro ligne 9 (Robespierre), à la porte de Paris."},
		{montreuilID, metID, "8", "Valeur d’illustration : plateau d’un seul tenant pour l’accueil et les archives."},
	}
	must("open the score grid", chromedp.Do(ctx,
		chromedp.Navigate(fmt.Sprintf("%s/projets/%d", base, relID)),
		chromedp.Click(chromedp.Search(`//a[normalize-space()="Notes des sites"]`)),
		chromedp.WaitVisible(chromedp.Search(`//h1[normalize-space()="Notes des sites"]`)),
	))
	// One form for the whole grid: type every site's notes, then its one button.
	for _, sc := range scores {
		cell := fmt.Sprintf("%d-%d", sc.site, sc.criterion)
		must("score "+cell, chromedp.Do(ctx,
			chromedp.WaitVisible(chromedp.CSS("#f-v-"+cell)),
			chromedp.SendKeys(chromedp.CSS("#f-v-"+cell), sc.value),
			chromedp.SendKeys(chromedp.CSS("#f-j-"+cell), sc.why),
		))
	}
	// The saved page draws the values in the inputs' value attributes and the notice; the
	// page it replaces has them only as typed, so this waits for the new page.
	last := scores[len(scores)-1]
	must("save the notes", chromedp.Do(ctx,
		chromedp.Click(chromedp.Search(fmt.Sprintf(`//form[@action="/projets/%d/notes"]//button[@type="submit"]`, relID))),
		chromedp.WaitVisible(chromedp.Search(fmt.Sprintf(`//input[@id="f-v-%d-%d" and @value="%s"]`, last.site, last.criterion, last.value))),
		chromedp.WaitVisible(chromedp.Search(`//div[@role="status"]`)),
	))
	if grid := text("read the grid", "//main"); strings.Contains(grid, "non enregistrée") {
		t.Errorf("the score grid refused a score:\n%s", grid)
	}

	// The ranking.
	must("open the ranking", chromedp.Do(ctx,
		chromedp.Click(chromedp.Search(`//a[normalize-space()="Voir le classement"]`)),
		chromedp.WaitVisible(chromedp.Search(`//h1[normalize-space()="Classement des sites"]`)),
		chromedp.WaitVisible(chromedp.CSS("#sensibilite")),
	))
	ranking := text("read the ranking", "//main")
	montreuilRow := row("read Bas Montreuil's row", `//div[@id="classement"]//tr[th/a[normalize-space()="`+montreuil+`"]]`)
	partnerRow := row("read the partner's row", `//div[@id="classement"]//tr[th/a[normalize-space()="`+partner+`"]]`)
	contribution := row("read Bas Montreuil's contributions", `//h2[@id="contributions"]/following::table[1]//tr[th[starts-with(normalize-space(), "`+montreuil+`")]]`)
	shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	must("screenshot the ranking", err)
	if dir := os.Getenv("SCREENSHOT_DIR"); dir != "" {
		if err := os.WriteFile(filepath.Join(dir, "ranking.png"), shot, 0o644); err != nil {
			t.Error(err)
		}
	}
	if want := "1 | " + montreuil + " | 76,6 | classé | Retenu"; montreuilRow != want {
		t.Errorf("Bas Montreuil's row reads %q, want %q", montreuilRow, want)
	}
	for _, want := range []string{"— | " + partner + " | 57,2 | écarté : " + surfaceName + " sous le seuil de 1 (valeur 0,67)", "| Écarté"} {
		if !strings.Contains(partnerRow, want) {
			t.Errorf("the partner's row lacks %q:\n%s", want, partnerRow)
		}
	}
	if want := montreuil + " rang 1 | 28,6 (1,07) | 26,7 (8) | 21,3 (8) | 76,6"; contribution != want {
		t.Errorf("Bas Montreuil's contributions read %q, want %q", contribution, want)
	}
	for _, want := range []string{"2 sites, 1 classé",
		// SPEC: no sensitivity with fewer than two ranked sites; the page says why.
		"Pas d’analyse de sensibilité : il faut au moins deux sites classés"} {
		if !strings.Contains(ranking, want) {
			t.Errorf("the ranking page lacks %q:\n%s", want, ranking)
		}
	}
	if strings.Contains(ranking, "reste premier") {
		t.Errorf("the ranking page shows a sensitivity with one ranked site:\n%s", ranking)
	}
	if strings.Contains(montreuilRow+partnerRow, "incomplet") {
		t.Errorf("a site is incomplete once the commute criterion is deleted:\n%s\n%s", montreuilRow, partnerRow)
	}

	// The decision note: who selected and rejected, and why.
	must("open the decision note", chromedp.Do(ctx,
		chromedp.Click(chromedp.Search(`//a[normalize-space()="Note de décision"]`)),
		chromedp.WaitVisible(chromedp.Search(`//h1[normalize-space()="Note de décision : choix du site"]`)),
	))
	note := text("read the decision note", "//main")
	for _, want := range []string{
		"Site retenu " + montreuil,
		partner + " : écarté, décision dont la date n’est pas publiée",
		"(enregistré par " + managerName + " le ",
		"motif : « " + partnerWhy + " »",
		montreuil + " : retenu, décision dont la date n’est pas publiée",
		"motif : « " + montreuilWhy + " »",
		"Valeur d’illustration : métro ligne 9",
	} {
		if !strings.Contains(note, want) {
			t.Errorf("the decision note lacks %q:\n%s", want, note)
		}
	}

	// The relocation page: Bas Montreuil is « Retenu » with its reason.
	must("open the relocation", chromedp.Do(ctx,
		chromedp.Navigate(fmt.Sprintf("%s/projets/%d", base, relID)),
		chromedp.WaitVisible(chromedp.CSS("#sites")),
	))
	siteRow := func(name string) string {
		return row("read the row of "+name, `//div[@id="sites"]/following::table[1]//tr[td/a[normalize-space()="`+name+`"]]`)
	}
	if got, want := siteRow(montreuil), montreuil+" | Location | Montreuil | 2 400 m² | Retenu | "+montreuilWhy; strings.ReplaceAll(got, "\u202f", " ") != want {
		t.Errorf("the relocation page's row of Bas Montreuil reads %q, want %q", got, want)
	}
	if got, want := siteRow(partner), "| Écarté | "+partnerWhy; !strings.HasSuffix(got, want) {
		t.Errorf("the relocation page's row of the partner reads %q, want it to end with %q", got, want)
	}
	t.Logf("CLEISS decision reproduced in the browser in %s", time.Since(start).Round(time.Millisecond))
}
