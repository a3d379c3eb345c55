package main

import (
	"context"
	"fmt"

	"github.com/jmoiron/sqlx"

	"github.com/ministere/tracker/criteria"
	"github.com/ministere/tracker/relocation"
	"github.com/ministere/tracker/sites"
)

// demoPartners are the partner bodies the CLEISS answer alludes to (« les organismes de
// protection sociale partenaires du CLEISS »), as SPEC names them. The answer names none
// and gives no coordinates: the coordinates are approximate, placed from the addresses,
// and the entries are marked as illustrative.
func demoPartners() []sites.Partner {
	return []sites.Partner{
		{Name: "Urssaf Caisse nationale (" + illustration + ")", Address: "36 rue de Valmy, 93100 Montreuil",
			Lat: 48.8578, Lon: 2.4264, Weight: 1},
		{Name: "Caisse nationale de l’Assurance Maladie (" + illustration + ")",
			Address: "50 avenue du Professeur André Lemierre, 75020 Paris", Lat: 48.8617, Lon: 2.4115, Weight: 1},
		{Name: "Caisse nationale d’assurance vieillesse (" + illustration + ")", Address: "110 avenue de Flandre, 75019 Paris",
			Lat: 48.8893, Lon: 2.3778, Weight: 1},
	}
}

// demoProximity is the demo's criterion of proximity to the partner bodies.
func demoProximity() criteria.Criterion {
	c := criteria.NewCriterion()
	c.Name = "Proximité des organismes partenaires"
	c.Description = "Temps moyen estimé vers les organismes de protection sociale partenaires du CLEISS (poids et organismes : " +
		illustration + ")."
	c.Source, c.Direction = criteria.SourcePartnerProximity, criteria.LowerIsBetter
	c.ScaleMin, c.ScaleMax, c.Weight = 0, 60, 15
	return c
}

// loadDemoPartners adds the partner bodies when the relocation has none, and the proximity
// criterion when its grid has no partner_proximity criterion; it reports whether it added
// anything.
func loadDemoPartners(ctx context.Context, db *sqlx.DB, by relocation.Actor, r relocation.Relocation) (bool, error) {
	siteStore, critStore := sites.NewStore(db), criteria.NewStore(db)
	added := false
	existing, err := siteStore.Partners(ctx, r.ID)
	if err != nil {
		return false, err
	}
	if len(existing) == 0 {
		for _, p := range demoPartners() {
			if _, err := siteStore.CreatePartner(ctx, by, r.ID, relocation.Given(p)); err != nil {
				return false, fmt.Errorf("demo: partner %q: %w", p.Name, err)
			}
		}
		added = true
	}
	cs, err := critStore.Criteria(ctx, r.ID)
	if err != nil {
		return false, err
	}
	for _, c := range cs {
		if c.Source == criteria.SourcePartnerProximity {
			return added, nil
		}
	}
	if _, err := critStore.CreateCriterion(ctx, by, r.ID, relocation.Given(demoProximity())); err != nil {
		return false, fmt.Errorf("demo: proximity criterion: %w", err)
	}
	return true, nil
}
