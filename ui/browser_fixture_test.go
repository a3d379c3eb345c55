package ui_test

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/ministere/tracker/criteria"
	"github.com/ministere/tracker/relocation"
	"github.com/ministere/tracker/sites"
	"github.com/ministere/tracker/ui/account"
)

// crawlFixture is what the browser checks crawl: one public relocation with everything
// a page can show (milestones done, late, internal and slipped; sites candidate,
// rejected and selected with coordinates; manual scores; a roster), its manager, a
// viewer, and the ids the pages are reached by.
type crawlFixture struct {
	relocation, milestone, site, criterion int64
	question, partner                      int64   // the CLEISS question, imported; a partner body
	criteria                               []int64 // in the order the AHP page pairs them
	managerID                              int64
	slug                                   string
}

// Accounts of the browser checks (password testPassword); adminEmail comes from
// serveForBrowser.
const (
	crawlManagerEmail = "responsable@exemple.gouv.fr"
	crawlViewerEmail  = "lecteur@exemple.gouv.fr"
)

// newCrawlFixture loads the fixture through the domain's actions, as the demo does.
func newCrawlFixture(t *testing.T, store *relocation.Store) crawlFixture {
	t.Helper()
	ctx := context.Background()
	db := store.DB()
	by := relocation.System("test")
	must := func(what string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("fixture, %s: %v", what, err)
		}
	}
	fuzzy := func(s string) relocation.FuzzyDate {
		d, err := relocation.ParseFuzzyDate(s)
		must("date "+s, err)
		return d
	}
	day := func(s string) relocation.Date {
		d, err := relocation.ParseDate(s)
		must("date "+s, err)
		return d
	}
	ptr := func(f float64) *float64 { return &f }
	accounts := account.NewStore(db, time.Now, testBcryptCost)
	manager, err := accounts.CreateUser(ctx, testActor, account.NewUser{Email: crawlManagerEmail, Name: "Camille Responsable",
		Role: account.RoleManager, Password: testPassword})
	must("manager", err)
	_, err = accounts.CreateUser(ctx, testActor, account.NewUser{Email: crawlViewerEmail, Name: "Dominique Lecteur",
		Role: account.RoleViewer, Password: testPassword})
	must("viewer", err)

	r := relocation.NewRelocation()
	r.Slug, r.Name, r.Body = "cleiss-montreuil", "Relocalisation du CLEISS à Montreuil", "CLEISS"
	r.BodyName = "Centre des liaisons européennes et internationales de sécurité sociale"
	r.Origin, r.OriginLat, r.OriginLon = "11 rue de la Tour des Dames, 75009 Paris", ptr(48.8791), ptr(2.3346)
	r.Destination, r.Decision = "Seine-Saint-Denis (93)", "4e Comité interministériel de la transformation publique, 15 novembre 2019"
	r.Headcount, r.Status, r.Visibility = 140, "site_selected", "public"
	r.TargetMove = fuzzy("2022-early")
	r.Notes = "Valeurs d’illustration : effectif, surfaces, notes et fichier des agents servent à montrer l’outil."
	r, err = store.CreateRelocation(ctx, by, relocation.Given(r))
	must("relocation", err)
	_, err = store.SetManagers(ctx, by, r.ID, relocation.Unconditional(), func() ([]string, error) { return []string{crawlManagerEmail}, nil })
	must("managers", err)

	source := "Réponse à la QE n° 25585, JO du 15 juin 2021, p. 4892"
	url := "https://questions.assemblee-nationale.fr/q15/15-25585QE.htm"
	var moveID int64
	for _, m := range []relocation.Milestone{
		{Kind: "decision", Title: "Annonce de la relocalisation au 4e CITP", Planned: fuzzy("2019-11-15"), Actual: day("2019-11-15"),
			Public: true, Source: "4e CITP, 15 novembre 2019", SourceURL: &url},
		{Kind: "parliamentary_question", Title: "Question écrite n° 25585", Planned: fuzzy("2019-12-24"), Actual: day("2019-12-24"),
			Source: "JO du 24 décembre 2019, p. 11254"},
		{Kind: "letter_of_intent", Title: "Signature d’une lettre d’intention", Planned: fuzzy("2021-06"), Actual: day("2021-06-15"),
			Public: true, Source: source, Notes: "Date exacte non publiée."},
		{Kind: "move", Title: "Déménagement dans les locaux du bas Montreuil", Planned: fuzzy("2022-early"), Public: true, Source: source},
	} {
		created, err := store.CreateMilestone(ctx, by, r.ID, relocation.Given(m))
		must("milestone "+m.Title, err)
		moveID = created.ID
	}
	// The move slips once, so that pages show a history, a slip and a feed entry.
	_, err = store.UpdateMilestone(ctx, by, moveID, relocation.Unconditional(), func(cur relocation.Milestone) (relocation.Milestone, string, error) {
		cur.Planned = fuzzy("2022-mid")
		return cur, "Travaux d’aménagement plus longs que prévu", nil
	})
	must("slip the move", err)

	// The written question, imported over the milestone made by hand above (linked).
	page, err := os.ReadFile("../relocation/testdata/question-ecrite-25585.txt")
	must("question page", err)
	imported, err := store.ImportQuestion(ctx, by, r.ID, func() (relocation.Question, error) { return relocation.ParseQuestion(string(page)) }, false)
	must("question", err)

	siteStore, critStore := sites.NewStore(db), criteria.NewStore(db)
	var siteIDs []int64
	for _, s := range []sites.Site{
		{Name: "Locaux d’un organisme partenaire", Department: "Seine-Saint-Denis (93)", Kind: "colocation", SurfaceM2: ptr(1500),
			Lat: ptr(48.9077), Lon: ptr(2.4397), Status: sites.StatusRejected, DecisionReason: "faute d’espaces disponibles"},
		{Name: "Bas Montreuil", Commune: "Montreuil", Department: "Seine-Saint-Denis (93)", Kind: "lease", SurfaceM2: ptr(2400),
			Lat: ptr(48.8555), Lon: ptr(2.4255), Status: sites.StatusSelected, Decided: fuzzy("2021-06"),
			DecisionReason: "retenu au regard des quatre critères", AvailableFrom: fuzzy("2022-early")},
		{Name: "Immeuble domanial à Pantin", Address: "12 avenue Jean-Lolive", Commune: "Pantin", Department: "Seine-Saint-Denis (93)",
			Kind: "state_owned", SurfaceM2: ptr(2300), AnnualCostEUR: ptr(410000), Lat: ptr(48.8944), Lon: ptr(2.4094),
			Status: "shortlisted"},
	} {
		s.RelocationID = r.ID
		created, err := siteStore.CreateSite(ctx, by, r.ID, relocation.Given(s))
		must("site "+s.Name, err)
		siteIDs = append(siteIDs, created.ID)
	}
	cs, err := critStore.Criteria(ctx, r.ID)
	must("criteria", err)
	var manualID int64
	for _, c := range cs {
		if c.Source != "manual" {
			continue
		}
		manualID = c.ID
		for i, sid := range siteIDs {
			v := float64(6 + i)
			_, _, err := critStore.SetScore(ctx, by, sid, c.ID, relocation.Unconditional(), func() (float64, string, error) {
				return v, "Valeur d’illustration.", nil
			})
			must("score", err)
		}
	}
	if manualID == 0 {
		t.Fatal("fixture: the default grid has no manual criterion")
	}
	var agents []sites.Agent
	for i := 0; i < 40; i++ {
		agents = append(agents, sites.Agent{Ref: fmt.Sprintf("A%03d", i+1), HomeCommune: "Commune " + fmt.Sprint(i%8),
			HomeLat: ptr(48.80 + float64(i%8)*0.02), HomeLon: ptr(2.25 + float64(i/8)*0.05)})
	}
	_, err = siteStore.ImportRoster(ctx, by, r.ID, func(sites.RosterSites, sites.Reach) ([]sites.Agent, error) { return agents, nil })
	must("roster", err)
	partner, err := siteStore.CreatePartner(ctx, by, r.ID, relocation.Given(sites.Partner{Name: "Urssaf Caisse nationale",
		Address: "36 rue de Valmy, 93100 Montreuil", Lat: 48.8589, Lon: 2.4364, Weight: 1}))
	must("partner", err)
	var ids []int64
	for _, c := range cs {
		ids = append(ids, c.ID)
	}
	return crawlFixture{relocation: r.ID, milestone: moveID, site: siteIDs[2], criterion: manualID,
		managerID: manager.ID, slug: r.Slug, criteria: ids, question: imported.Question.ID, partner: partner.ID}
}
