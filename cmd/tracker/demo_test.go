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
	// The question's milestones, deleted, are made again by its import, and linked.
	var linked int
	db.Get(&linked, `SELECT count(*) FROM written_questions w JOIN milestones q ON q.id = w.question_milestone_id
		JOIN milestones a ON a.id = w.answer_milestone_id`)
	if linked != 1 {
		t.Errorf("the imported question links %d pairs of milestones, want 1", linked)
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

// TestDemoAdoptsTheOldHandMadeQuestionMilestones: a database loaded by an older demo,
// whose question milestones were made by hand, gets its question imported over them:
// linked, not doubled.
func TestDemoAdoptsTheOldHandMadeQuestionMilestones(t *testing.T) {
	t.Parallel()
	db, url := dbtest.OpenURL(t)
	if out, err := runCmd(t, url, "demo"); err != nil {
		t.Fatalf("demo: %v\n%s", err, out)
	}
	// As the older demo left it: its own titles, no imported question.
	db.MustExec(`DELETE FROM written_questions`)
	db.MustExec(`UPDATE milestones SET title = 'Question écrite n° 25585 de M. Patrice Anato' WHERE actual = '2019-12-24'`)
	db.MustExec(`UPDATE milestones SET title = 'Réponse du Gouvernement à la question n° 25585' WHERE actual = '2021-06-15' AND kind = 'parliamentary_question'`)
	if out, err := runCmd(t, url, "demo"); err != nil || !strings.Contains(out, "démo complétée") {
		t.Fatalf("second demo: %v\n%s", err, out)
	}
	var milestones, linked int
	db.Get(&milestones, `SELECT count(*) FROM milestones`)
	db.Get(&linked, `SELECT count(*) FROM written_questions WHERE question_milestone_id IS NOT NULL AND answer_milestone_id IS NOT NULL`)
	if milestones != 5 || linked != 1 {
		t.Errorf("%d milestones, %d linked questions; want 5 and 1", milestones, linked)
	}
}
