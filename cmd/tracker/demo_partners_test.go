package main

import (
	"context"
	"strings"
	"testing"

	"github.com/ministere/tracker/criteria"
	"github.com/ministere/tracker/migrations/dbtest"
)

// TestDemoPartners: the demo lists the three partner bodies SPEC names, marked as
// illustrative, with a proximity criterion that every site has a value on; a demo that
// lacks them gets them back, once.
func TestDemoPartners(t *testing.T) {
	t.Parallel()
	db, url := dbtest.OpenURL(t)
	if out, err := runCmd(t, url, "demo"); err != nil {
		t.Fatalf("demo: %v\n%s", err, out)
	}
	check := func(when string) {
		t.Helper()
		var names []string
		if err := db.Select(&names, `SELECT name FROM partners ORDER BY id`); err != nil {
			t.Fatal(err)
		}
		if len(names) != 3 || !strings.HasPrefix(names[0], "Urssaf Caisse nationale") ||
			!strings.HasPrefix(names[1], "Caisse nationale de l’Assurance Maladie") ||
			!strings.HasPrefix(names[2], "Caisse nationale d’assurance vieillesse") {
			t.Fatalf("%s: partners %q", when, names)
		}
		for _, n := range names {
			if !strings.Contains(n, "valeurs d’illustration") {
				t.Errorf("%s: partner %q not marked as illustrative", when, n)
			}
		}
		var proximity int
		if err := db.Get(&proximity, `SELECT count(*) FROM criteria WHERE source = 'partner_proximity'`); err != nil || proximity != 1 {
			t.Errorf("%s: %d proximity criteria (%v), want 1", when, proximity, err)
		}
		r, err := criteria.NewRelocationStore(db).RelocationBySlug(context.Background(), demoSlug)
		if err != nil {
			t.Fatal(err)
		}
		g, err := criteria.NewStore(db).Grid(context.Background(), r)
		if err != nil {
			t.Fatal(err)
		}
		for _, site := range g.Sites {
			for _, c := range g.Criteria {
				if cell := g.Cell(site.ID, c.ID); c.Source == criteria.SourcePartnerProximity && (cell.Value == nil || len(cell.Proximity.ByPartner) != 3) {
					t.Errorf("%s: %s has no proximity value (%s)", when, site.Name, cell.Missing)
				}
			}
		}
		// Bas Montreuil is the one ranked site: first whatever the weights.
		acc, err := g.Acceptability(criteria.AcceptabilityOptions{Samples: criteria.DefaultSamples, Seed: criteria.DefaultSeed})
		if err != nil || len(acc.Items) != 1 || acc.Items[0].Name != "Bas Montreuil" || acc.Items[0].Acceptability[0] != 100 {
			t.Errorf("%s: acceptability %+v (%v)", when, acc.Items, err)
		}
	}
	check("first run")
	db.MustExec(`DELETE FROM partners`)
	db.MustExec(`DELETE FROM criteria WHERE source = 'partner_proximity'`)
	if out, err := runCmd(t, url, "demo"); err != nil || !strings.Contains(out, "démo complétée") {
		t.Fatalf("demo without partners: %v\n%s", err, out)
	}
	check("completed")
	if out, err := runCmd(t, url, "demo"); err != nil || !strings.Contains(out, "déjà chargée") {
		t.Fatalf("third demo: %v\n%s", err, out)
	}
	check("third run")
}
