package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/jmoiron/sqlx"

	"github.com/ministere/tracker/criteria"
	"github.com/ministere/tracker/relocation"
	"github.com/ministere/tracker/sites"
)

// demoHomes are the communes where the demo's illustrative agents live, with their
// coordinates (town halls, rounded): ten agents each, 140 in all.
var demoHomes = []struct {
	Commune  string
	Lat, Lon float64
}{
	{"Paris 9e", 48.8768, 2.3375}, {"Paris 18e", 48.8925, 2.3444}, {"Paris 11e", 48.8590, 2.3800},
	{"Paris 15e", 48.8412, 2.3003}, {"Saint-Denis", 48.9362, 2.3574}, {"Montreuil", 48.8611, 2.4437},
	{"Vincennes", 48.8474, 2.4390}, {"Boulogne-Billancourt", 48.8397, 2.2399}, {"Créteil", 48.7904, 2.4556},
	{"Argenteuil", 48.9472, 2.2467}, {"Versailles", 48.8049, 2.1204}, {"Bobigny", 48.9077, 2.4397},
	{"Nanterre", 48.8924, 2.2071}, {"Noisy-le-Grand", 48.8486, 2.5528},
}

// demoPartnerLat and demoPartnerLon place the partner body's premises (illustrative:
// the answer does not say where they are).
const demoPartnerLat, demoPartnerLon = 48.9077, 2.4397

// rosterNote is added to the relocation's notes, which every commute view shows.
const rosterNote = " Le fichier des agents (140 agents pseudonymisés, domiciles dans 14 communes d’Île-de-France) et " +
	"l’emplacement des locaux du partenaire sont aussi des valeurs d’illustration : la réponse n’en donne aucun."

// loadDemoRoster gives the demo its illustrative roster when it has none: the partner's
// premises get coordinates (so that commutes to both sites can be estimated), the
// notes say the roster is illustrative, and the roster is imported. It reports whether
// it added it.
func loadDemoRoster(ctx context.Context, db *sqlx.DB, by relocation.Actor, r relocation.Relocation) (bool, error) {
	siteStore := sites.NewStore(db)
	if n, err := siteStore.RosterSize(ctx, r.ID); err != nil || n > 0 {
		return false, err
	}
	ss, err := siteStore.Sites(ctx, r.ID)
	if err != nil {
		return false, err
	}
	for _, site := range ss {
		if site.Lat != nil || site.Status != sites.StatusRejected {
			continue
		}
		placed := site
		placed.Lat, placed.Lon = ptr(demoPartnerLat), ptr(demoPartnerLon)
		if _, err := siteStore.UpdateSite(ctx, by, site.ID, relocation.Version(site.Version), relocation.Replace(placed)); err != nil {
			return false, fmt.Errorf("demo: place the partner's premises: %w", err)
		}
	}
	store := criteria.NewRelocationStore(db)
	if !strings.Contains(r.Notes, "fichier des agents") {
		noted := r
		noted.Notes += rosterNote
		if _, err := store.UpdateRelocation(ctx, by, r.ID, relocation.Version(r.Version), relocation.Replace(noted)); err != nil {
			return false, fmt.Errorf("demo: notes: %w", err)
		}
	}
	if _, err := siteStore.ImportRoster(ctx, by, r.ID, func(sites.RosterSites, sites.Reach) ([]sites.Agent, error) { return demoAgents(), nil }); err != nil {
		return false, fmt.Errorf("demo: roster: %w", err)
	}
	return true, nil
}

// demoAgents is the illustrative roster: ten agents around each commune of demoHomes,
// their homes a few hundred metres apart, their current commutes estimated from the
// origin's coordinates.
func demoAgents() []sites.Agent {
	var out []sites.Agent
	for i, h := range demoHomes {
		for j := 0; j < 10; j++ {
			n := i*10 + j + 1
			lat := h.Lat + float64(j%5-2)*0.004
			lon := h.Lon + float64(j/5)*0.006
			out = append(out, sites.Agent{Ref: fmt.Sprintf("A%03d", n), HomeCommune: h.Commune, HomeLat: ptr(lat), HomeLon: ptr(lon)})
		}
	}
	return out
}
