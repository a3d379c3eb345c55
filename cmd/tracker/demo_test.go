package main

import (
	"strings"
	"testing"

	"github.com/ministere/tracker/migrations/dbtest"
)

// TestDemoCompletesAHalfLoadedDemo: a demo stopped after creating the relocation is
// completed by the next run, and only what was missing is added.
func TestDemoCompletesAHalfLoadedDemo(t *testing.T) {
	t.Parallel()
	db, url := dbtest.OpenURL(t)
	if out, err := runCmd(t, url, "demo"); err != nil {
		t.Fatalf("demo: %v\n%s", err, out)
	}
	// As if the first run had stopped before the milestones and the sites.
	db.MustExec(`DELETE FROM milestones`)
	db.MustExec(`DELETE FROM sites`)
	out, err := runCmd(t, url, "demo")
	if err != nil || !strings.Contains(out, "démo complétée") {
		t.Fatalf("second demo: %v\n%s", err, out)
	}
	var milestones, sites, scores int
	db.Get(&milestones, `SELECT count(*) FROM milestones`)
	db.Get(&sites, `SELECT count(*) FROM sites`)
	db.Get(&scores, `SELECT count(*) FROM scores`)
	if milestones != 5 || sites != 2 || scores != 4 {
		t.Errorf("after completion: %d milestones, %d sites, %d scores; want 5, 2, 4", milestones, sites, scores)
	}
	var relocations int
	db.Get(&relocations, `SELECT count(*) FROM relocations`)
	if relocations != 1 {
		t.Errorf("%d relocations, want the one", relocations)
	}
	// The figures the published answer does not give are said to be illustrative.
	var notes string
	db.Get(&notes, `SELECT notes FROM relocations`)
	if !strings.Contains(notes, "Valeurs d’illustration") || !strings.Contains(notes, "140") {
		t.Errorf("demo notes %q do not mark the illustrative figures", notes)
	}
}
