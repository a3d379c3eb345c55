package ui_test

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/ministere/tracker/ui/account"
)

// readQuestionPage returns the CLEISS question's page as pasted (the parser's test data).
func readQuestionPage(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("../relocation/testdata/question-ecrite-25585.txt")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestAPIImportQuestion: a dry run says what the CLEISS page holds and would make,
// writing nothing; the import makes the two milestones; the same page again makes none.
func TestAPIImportQuestion(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t)
	rel := idOf(t, e.createRelocation(t, nil))
	path := fmt.Sprintf("/api/v1/relocations/%d/questions", rel)
	body := jsonOf(map[string]string{"text": readQuestionPage(t)})

	before := e.snapshot(t)
	r := e.do(t, "POST", path+"?dry_run=true", body)
	expect(t, r, 200)
	q, _ := r.json["question"].(map[string]any)
	checkFields(t, "dry run question", q, map[string]any{
		"id": nil, "chamber": "AN", "legislature": 15, "number": 25585, "author": "M. Patrice Anato",
		"constituency": "Seine-Saint-Denis (3e circonscription)", "ministry_asked": "Action et comptes publics",
		"ministry_answering": "Comptes publics", "question_published": "2019-12-24", "question_page": 11254,
		"answer_published": "2021-06-15", "answer_page": 4892, "days_to_answer": 539, "days_without_answer": nil,
		"source_url": "https://questions.assemblee-nationale.fr/q15/15-25585QE.htm", "question_milestone_id": nil,
	})
	announced, _ := q["announced_dates"].([]any)
	if len(announced) != 2 {
		t.Fatalf("announced_dates = %v", q["announced_dates"])
	}
	checkFields(t, "announced date", announced[0].(map[string]any), map[string]any{"value": "2022-early", "label": "début 2022",
		"start": "2022-01-01", "end": "2022-04-30", "kind": "move",
		"sentence": "Son déménagement en Seine-Saint-Denis aura lieu début 2022."})
	ms, _ := r.json["milestones"].([]any)
	if len(ms) != 2 {
		t.Fatalf("dry run milestones = %v", r.json["milestones"])
	}
	first := ms[0].(map[string]any)
	if _, hasID := first["id"]; hasID {
		t.Errorf("a milestone not made has an id: %v", first)
	}
	checkFields(t, "question milestone", first, map[string]any{"kind": "parliamentary_question",
		"title": "Question écrite n° 25585 (M. Patrice Anato)", "actual": "2019-12-24", "status": "done",
		"source": "JO du 24 décembre 2019, p. 11254"})
	e.unchanged(t, before, "the dry run wrote")

	r = e.do(t, "POST", path, body)
	expect(t, r, 200)
	ms, _ = r.json["milestones"].([]any)
	if len(ms) != 2 || r.json["changed"] != true {
		t.Fatalf("import = %s", r)
	}
	answer := ms[1].(map[string]any)
	checkFields(t, "answer milestone", answer, map[string]any{"title": "Réponse à la question écrite n° 25585",
		"planned": fuzzy("2021-06-15", "15 juin 2021", "2021-06-15", "2021-06-15"), "actual": "2021-06-15",
		"source": "JO du 15 juin 2021, p. 4892", "relocation_id": rel, "version": 1})
	q, _ = r.json["question"].(map[string]any)
	if q["id"] == nil || q["answer_milestone_id"] != answer["id"] {
		t.Errorf("question %v does not link the answer %v", q, answer["id"])
	}
	list := e.do(t, "GET", fmt.Sprintf("/api/v1/relocations/%d/milestones", rel), "")
	if items, _ := list.json["items"].([]any); len(items) != 2 {
		t.Errorf("milestones after the import: %s", list)
	}

	before = e.snapshot(t)
	r = e.do(t, "POST", path, body)
	expect(t, r, 200)
	if ms, _ := r.json["milestones"].([]any); len(ms) != 0 || r.json["changed"] != false {
		t.Errorf("second import = %s", r)
	}
	e.unchanged(t, before, "the second import wrote")
}

// TestAPIImportQuestionRefusals: what is not a written question, or lacks its number or
// date, is a 422 naming it; bad bodies and parameters, the usual 4xx; nothing stored.
func TestAPIImportQuestionRefusals(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t)
	rel := idOf(t, e.createRelocation(t, nil))
	path := fmt.Sprintf("/api/v1/relocations/%d/questions", rel)
	text := func(s string) string { return jsonOf(map[string]string{"text": s}) }
	viewerToken := e.tokenOf(t, e.user(t, "lecteur@exemple.gouv.fr", account.RoleViewer))
	otherToken := e.tokenOf(t, e.user(t, "autre@exemple.gouv.fr", account.RoleManager))
	runRefusals(t, e, []refusal{
		{name: "not a question", method: "POST", path: path, body: text("Communiqué : le CLEISS s'installe à Montreuil."),
			status: 422, fields: []string{"text"}, contains: map[string]string{"text": "pas la page d’une question écrite"}},
		{name: "no number", method: "POST", path: path + "?dry_run=true",
			body:   text("ASSEMBLÉE NATIONALE Question écrite de M. X. Question publiée au JO le : 24/12/2019 page : 11254"),
			status: 422, fields: []string{"number"}, contains: map[string]string{"number": "numéro"}},
		{name: "no date", method: "POST", path: path, body: text("Question écrite n° 25585 de M. Patrice Anato (Assemblée nationale)"),
			status: 422, fields: []string{"question_published"}},
		{name: "empty", method: "POST", path: path, body: text(""), status: 422, fields: []string{"text"}},
		{name: "no text", method: "POST", path: path, body: `{}`, status: 422, fields: []string{"text"}},
		{name: "text not a string", method: "POST", path: path, body: `{"text":12}`, status: 422, fields: []string{"text"}},
		{name: "unknown field", method: "POST", path: path, body: `{"text":"x","url":"y"}`, status: 400},
		{name: "malformed", method: "POST", path: path, body: `{"text":`, status: 400},
		{name: "not JSON", method: "POST", path: path, body: "Question écrite", headers: []string{"Content-Type", "text/plain"}, status: 415},
		{name: "dry_run neither true nor false", method: "POST", path: path + "?dry_run=peut-etre", body: text(readQuestionPage(t)),
			status: 422, fields: []string{"dry_run"}},
		{name: "unknown relocation", method: "POST", path: "/api/v1/relocations/999999/questions", body: text(readQuestionPage(t)), status: 404},
		{name: "viewer", method: "POST", path: path, body: text(readQuestionPage(t)), headers: bearer(viewerToken), status: 403},
		{name: "viewer, bad dry_run: the rights first", method: "POST", path: path + "?dry_run=oui", body: text(readQuestionPage(t)), headers: bearer(viewerToken), status: 403},
		{name: "viewer, dry run", method: "POST", path: path + "?dry_run=true", body: text(readQuestionPage(t)), headers: bearer(viewerToken), status: 403},
		{name: "manager of another", method: "POST", path: path, body: text(readQuestionPage(t)), headers: bearer(otherToken), status: 403},
		{name: "anonymous", method: "POST", path: path, body: text(readQuestionPage(t)), headers: []string{"Authorization", "Bearer faux"}, status: 401},
		{name: "too long", method: "POST", path: path, body: text("Question écrite n° 1 " + strings.Repeat("x", 600<<10)), status: 422, fields: []string{"text"}},
	})
}
