package main

import (
	"context"
	_ "embed"
	"fmt"
	"io"
	"slices"

	"github.com/jmoiron/sqlx"

	"github.com/ministere/tracker/criteria"
	"github.com/ministere/tracker/relocation"
	"github.com/ministere/tracker/sites"
)

// demoSlug identifies the CLEISS demo relocation.
const demoSlug = "cleiss-montreuil"

// qe25585 is the answer to written question n° 25585 that the demo's facts come from.
const (
	qe25585    = "Réponse à la QE n° 25585, JO du 15 juin 2021, p. 4892"
	qe25585URL = "https://questions.assemblee-nationale.fr/q15/15-25585QE.htm"
)

// demoActor is who the journals name for what the demo loader writes.
var demoActor = relocation.System("démo")

// loadDemo loads the CLEISS relocation of SPEC (from the answer published on 15 June
// 2021): the relocation, its milestones, its sites with their scores, the partner bodies
// with a proximity criterion, an illustrative roster of agents. Each part is
// added only when missing, so running it twice changes nothing, and a run stopped
// half-way is completed by the next.
func loadDemo(ctx context.Context, db *sqlx.DB, out io.Writer) error {
	store := criteria.NewRelocationStore(db)
	by := demoActor
	r, err := store.RelocationBySlug(ctx, demoSlug)
	created := false
	switch relocation.ErrorCode(err) {
	case "":
	case relocation.ENOTFOUND:
		if r, err = createDemoRelocation(ctx, store, by); err != nil {
			return err
		}
		created = true
	default:
		return err
	}
	addedMilestones, err := loadDemoMilestones(ctx, store, by, r)
	if err != nil {
		return err
	}
	addedSites, err := loadDemoSites(ctx, db, by, r)
	if err != nil {
		return err
	}
	addedPartners, err := loadDemoPartners(ctx, db, by, r)
	if err != nil {
		return err
	}
	if r, err = store.Relocation(ctx, r.ID); err != nil {
		return err
	}
	addedRoster, err := loadDemoRoster(ctx, db, by, r)
	if err != nil {
		return err
	}
	switch {
	case created:
		fmt.Fprintf(out, "démo chargée : %s (projet n° %d)\n", r.Name, r.ID)
	case addedMilestones || addedSites || addedPartners || addedRoster:
		fmt.Fprintf(out, "démo complétée : %s (projet n° %d)\n", r.Name, r.ID)
	default:
		fmt.Fprintf(out, "démo déjà chargée : %s (projet n° %d)\n", r.Name, r.ID)
	}
	return nil
}

// createDemoRelocation creates the CLEISS relocation with the default criteria grid.
func createDemoRelocation(ctx context.Context, store *relocation.Store, by relocation.Actor) (relocation.Relocation, error) {
	r := relocation.NewRelocation()
	r.Slug = demoSlug
	r.Name = "Relocalisation du CLEISS à Montreuil"
	r.Body = "CLEISS"
	r.BodyName = "Centre des liaisons européennes et internationales de sécurité sociale"
	r.Origin = "11 rue de la Tour des Dames, 75009 Paris"
	r.OriginLat, r.OriginLon = ptr(48.8791), ptr(2.3346)
	r.Destination = "Seine-Saint-Denis (93)"
	r.Decision = "4e Comité interministériel de la transformation publique, 15 novembre 2019"
	r.Headcount = 140 // the answer gives no headcount: marked as illustrative in Notes
	r.Notes = "Valeurs d’illustration : l’effectif (140 agents), les surfaces des deux sites et leurs notes ne figurent pas " +
		"dans la réponse publiée le 15 juin 2021 ; elles servent à montrer l’outil." + rosterNote
	r.Status = relocation.StatusSiteSelected
	r.TargetMove = mustFuzzy("2022-early")
	r.Visibility = relocation.VisibilityPublic
	r, err := store.CreateRelocation(ctx, by, relocation.Given(r))
	if err != nil {
		return r, fmt.Errorf("demo: %w", err)
	}
	return r, nil
}

// questionPage is the page of written question n° 25585 as the Assemblée publishes it
// (a copy of ../shared/data/question-ecrite-25585.txt): the demo imports it as a manager
// would, and so makes the question's and the answer's milestones.
//
//go:embed question-ecrite-25585.txt
var questionPage string

// loadDemoMilestones adds the dated facts of the answer when the relocation has none of
// them yet, then imports the written question (which makes its two milestones once,
// however often it runs); it reports whether it added anything.
func loadDemoMilestones(ctx context.Context, store *relocation.Store, by relocation.Actor, r relocation.Relocation) (bool, error) {
	existing, err := store.Milestones(ctx, r.ID)
	if err != nil {
		return false, err
	}
	added := false
	if !slices.ContainsFunc(existing, func(m relocation.Milestone) bool { return m.Kind != "parliamentary_question" }) {
		for _, m := range demoMilestones() {
			if _, err := store.CreateMilestone(ctx, by, r.ID, relocation.Given(m)); err != nil {
				return false, fmt.Errorf("demo: milestone %q: %w", m.Title, err)
			}
		}
		added = true
	}
	imported, err := store.ImportQuestion(ctx, by, r.ID, func() (relocation.Question, error) {
		return relocation.ParseQuestion(questionPage)
	}, false)
	if err != nil {
		return false, fmt.Errorf("demo: written question: %w", err)
	}
	return added || imported.Changed, nil
}

// illustration marks every figure the published answer does not give.
const illustration = "valeurs d’illustration"

// loadDemoSites adds the two sites of the CLEISS answer, with illustrative surfaces and
// manual scores, when the relocation has no site yet. It reports whether it added them.
func loadDemoSites(ctx context.Context, db *sqlx.DB, by relocation.Actor, r relocation.Relocation) (bool, error) {
	siteStore, critStore := sites.NewStore(db), criteria.NewStore(db)
	existing, err := siteStore.Sites(ctx, r.ID)
	if err != nil || len(existing) > 0 {
		return false, err
	}
	partner := sites.Site{RelocationID: r.ID, Name: "Locaux d’un organisme partenaire de sécurité sociale",
		Department: "Seine-Saint-Denis (93)", Kind: "colocation", SurfaceM2: ptr(1500.0), Status: sites.StatusRejected,
		Lat: ptr(demoPartnerLat), Lon: ptr(demoPartnerLon),
		DecisionReason: "Écarté « faute d’espaces disponibles » (" + qe25585 + "). Surface et emplacement : " + illustration + "."}
	montreuil := sites.Site{RelocationID: r.ID, Name: "Bas Montreuil", Commune: "Montreuil", Department: "Seine-Saint-Denis (93)",
		Lat: ptr(48.8555), Lon: ptr(2.4255), Kind: "lease", SurfaceM2: ptr(2400.0), AvailableFrom: mustFuzzy("2022-early"),
		Status: sites.StatusSelected, Decided: mustFuzzy("2021-06"), // the letter of intent
		DecisionReason: "Retenu au regard des quatre critères de la réponse : surface et offres immobilières, visibilité et accessibilité, " +
			"temps de trajet des agents, nécessités des métiers (" + qe25585 + "). Surface : " + illustration + "."}
	cs, err := critStore.Criteria(ctx, r.ID)
	if err != nil {
		return false, err
	}
	manual := map[string][2]float64{ // criterion name → [partner, Montreuil]
		"Visibilité et accessibilité":                    {6, 8},
		"Nécessités des métiers et pratiques de travail": {7, 8},
	}
	for i, site := range []sites.Site{partner, montreuil} {
		created, err := siteStore.CreateSite(ctx, by, r.ID, relocation.Given(site))
		if err != nil {
			return false, fmt.Errorf("demo: site %q: %w", site.Name, err)
		}
		for _, c := range cs {
			v, ok := manual[c.Name]
			if !ok {
				continue
			}
			just := "Valeur d’illustration : la réponse publiée ne note pas les sites."
			score := func() (float64, string, error) { return v[i], just, nil }
			if _, _, err := critStore.SetScore(ctx, by, created.ID, c.ID, relocation.Unconditional(), score); err != nil {
				return false, fmt.Errorf("demo: score: %w", err)
			}
		}
	}
	return true, nil
}

// demoMilestones are the dated facts of the CLEISS case, each with its source, but the
// written question's two (its import makes them: see questionPage).
func demoMilestones() []relocation.Milestone {
	url := qe25585URL
	return []relocation.Milestone{
		{Kind: "decision", Title: "Annonce de la relocalisation au 4e CITP", Planned: mustFuzzy("2019-11-15"),
			Actual: mustDate("2019-11-15"), Public: true,
			Source: "4e Comité interministériel de la transformation publique, 15 novembre 2019 ; " + qe25585, SourceURL: &url},
		{Kind: "letter_of_intent", Title: "Signature d’une lettre d’intention avec un bailleur à Montreuil",
			Planned: mustFuzzy("2021-06"), Actual: mustDate("2021-06-15"), Public: true, Source: qe25585, SourceURL: &url,
			Notes: "Date exacte non publiée : la réponse du 15 juin 2021 indique une signature « il y a quelques jours »."},
		{Kind: "move", Title: "Déménagement dans les locaux du bas Montreuil", Planned: mustFuzzy("2022-early"),
			Public: true, Source: qe25585, SourceURL: &url},
	}
}

func mustFuzzy(s string) relocation.FuzzyDate {
	d, err := relocation.ParseFuzzyDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

func mustDate(s string) relocation.Date {
	d, err := relocation.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

func ptr[T any](v T) *T { return &v }
