package main

import (
	"context"
	"fmt"
	"io"

	"github.com/jmoiron/sqlx"

	"github.com/ministere/tracker/relocation"
)

// demoSlug identifies the CLEISS demo relocation.
const demoSlug = "cleiss-montreuil"

// qe25585 is the answer to written question n° 25585 that the demo's facts come from.
const (
	qe25585    = "Réponse à la QE n° 25585, JO du 15 juin 2021, p. 4892"
	qe25585URL = "https://questions.assemblee-nationale.fr/q15/15-25585QE.htm"
)

// loadDemo loads the CLEISS relocation of SPEC (from the answer published on 15 June
// 2021) unless it is already there: running it twice changes nothing.
func loadDemo(ctx context.Context, db *sqlx.DB, out io.Writer) error {
	store := relocation.NewStore(db)
	by := relocation.Actor{Name: "démo"}
	if r, err := store.RelocationBySlug(ctx, demoSlug); err == nil {
		fmt.Fprintf(out, "démo déjà chargée : %s (projet n° %d)\n", r.Name, r.ID)
		return nil
	} else if relocation.ErrorCode(err) != relocation.ENOTFOUND {
		return err
	}
	r := relocation.NewRelocation()
	r.Slug = demoSlug
	r.Name = "Relocalisation du CLEISS à Montreuil"
	r.Body = "CLEISS"
	r.BodyName = "Centre des liaisons européennes et internationales de sécurité sociale"
	r.Origin = "11 rue de la Tour des Dames, 75009 Paris"
	r.OriginLat, r.OriginLon = ptr(48.8791), ptr(2.3346)
	r.Destination = "Seine-Saint-Denis (93)"
	r.Decision = "4e Comité interministériel de la transformation publique, 15 novembre 2019"
	r.Headcount = 140 // valeur d'illustration: the answer gives no headcount
	r.Status = "site_selected"
	r.TargetMove = mustFuzzy("2022-early")
	r.Visibility = "public"
	r, err := store.CreateRelocation(ctx, by, r)
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	for _, m := range demoMilestones() {
		m.RelocationID = r.ID
		if _, err := store.CreateMilestone(ctx, by, m); err != nil {
			return fmt.Errorf("demo: milestone %q: %w", m.Title, err)
		}
	}
	fmt.Fprintf(out, "démo chargée : %s (projet n° %d)\n", r.Name, r.ID)
	return nil
}

// demoMilestones are the dated facts of the CLEISS case, each with its source.
func demoMilestones() []relocation.Milestone {
	url := qe25585URL
	return []relocation.Milestone{
		{Kind: "decision", Title: "Annonce de la relocalisation au 4e CITP", Planned: mustFuzzy("2019-11-15"),
			Actual: mustDate("2019-11-15"), Public: true,
			Source: "4e Comité interministériel de la transformation publique, 15 novembre 2019 ; " + qe25585, SourceURL: &url},
		{Kind: "parliamentary_question", Title: "Question écrite n° 25585 de M. Patrice Anato",
			Planned: mustFuzzy("2019-12-24"), Actual: mustDate("2019-12-24"),
			Source: "Question écrite n° 25585, JO du 24 décembre 2019, p. 11254", SourceURL: &url},
		{Kind: "letter_of_intent", Title: "Signature d’une lettre d’intention avec un bailleur à Montreuil",
			Planned: mustFuzzy("2021-06"), Actual: mustDate("2021-06-15"), Public: true, Source: qe25585, SourceURL: &url,
			Notes: "Date exacte non publiée : la réponse du 15 juin 2021 indique une signature « il y a quelques jours »."},
		{Kind: "parliamentary_question", Title: "Réponse du Gouvernement à la question n° 25585",
			Planned: mustFuzzy("2021-06-15"), Actual: mustDate("2021-06-15"), Source: qe25585, SourceURL: &url},
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
