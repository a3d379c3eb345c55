package ui_test

import (
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// The written questions' actions of the property test (journal_property_actions_test.go):
// imports of the sample question (relocation/testdata/question-ecrite-25585.txt) under a
// few numbers, with or without its answer, through the API and the import form; dry runs
// and previews (which must change nothing); texts that are not a question (refused); and
// the button that makes an announced date a milestone (the move date follows one).

// questionNumbers are the numbers the sample question is imported under: few, so that
// most imports are re-imports (the same text: nothing changes) or completions (the
// answer came: its milestone is made).
var questionNumbers = []int{25585, 25586, 31002}

// questionVariant draws the text of an import and says it.
func (w *propertyWorld) questionVariant() (string, string) {
	n := questionNumbers[w.rng.IntN(len(questionNumbers))]
	text := strings.ReplaceAll(w.questionText, "25585", strconv.Itoa(n))
	switch {
	case w.chance(0.08):
		return "Ceci n’est pas une question écrite : juste une note.", "not a question" // refused: 422
	case w.chance(0.4):
		i, j := strings.Index(text, "Texte de la réponse"), strings.Index(text, "Données clés")
		text = text[:i] + text[j:]
		return text[:strings.Index(text, "Réponse publiée")], fmt.Sprintf("question %d without its answer", n)
	}
	return text, fmt.Sprintf("question %d with its answer", n)
}

// noteQuestion records an imported question's id, for the announced dates' button.
func (w *propertyWorld) noteQuestion(rel, id int64) {
	if id != 0 && !slices.Contains(w.questions[rel], id) {
		w.questions[rel] = append(w.questions[rel], id)
	}
}

func importQuestionAction(t *testing.T, w *propertyWorld, rel int64) (string, int) {
	text, what := w.questionVariant()
	query := ""
	switch w.rng.IntN(10) {
	case 0, 1:
		query = "?dry_run=true" // changes nothing
	case 2:
		query = "?dry_run=peut-être" // refused: 422
	}
	who, whoDesc := w.as()
	path := fmt.Sprintf("/api/v1/relocations/%d/questions%s", rel, query)
	r := w.do(t, "POST", path, jsonOf(map[string]any{"text": text}), who...)
	if r.StatusCode >= 500 {
		t.Fatalf("POST %s (%s): %s", path, what, r)
	}
	w.apiSteps++
	if r.StatusCode == 200 {
		if query != "" || r.json["changed"] == false {
			w.quiet = true // a dry run, or a re-import of what was imported
		}
		q, _ := r.json["question"].(map[string]any)
		if id, ok := q["id"].(float64); ok && query == "" {
			w.noteQuestion(rel, int64(id))
		}
	}
	return fmt.Sprintf("POST %s (%s)%s", path, what, whoDesc), r.StatusCode
}

func questionFormAction(t *testing.T, w *propertyWorld, rel int64) (string, int) {
	text, what := w.questionVariant()
	switch n := w.rng.IntN(10); {
	case n < 3: // the preview: the import run and rolled back
		path := fmt.Sprintf("/projets/%d/questions/apercu", rel)
		r := w.submit(t, path, url.Values{"text": {text}})
		if r.StatusCode != 200 && r.StatusCode != 422 {
			t.Fatalf("form %s (%s): %s", path, what, r)
		}
		w.formSteps++
		w.quiet = true
		return fmt.Sprintf("form POST %s (%s)", path, what), r.StatusCode
	case n < 7 || len(w.questions[rel]) == 0:
		path := fmt.Sprintf("/projets/%d/questions", rel)
		r := w.submit(t, path, url.Values{"text": {text}})
		w.formSteps++
		switch r.StatusCode {
		case 303:
			m := seeOther(t, r, fmt.Sprintf(`/projets/%d/questions/(\d+)`, rel))
			id, _ := strconv.ParseInt(m[1], 10, 64)
			w.noteQuestion(rel, id)
			return fmt.Sprintf("form POST %s (%s)", path, what), 200
		case 422:
			return fmt.Sprintf("form POST %s (%s)", path, what), 422
		}
		t.Fatalf("form %s (%s): %s", path, what, r)
	}
	return w.announcedMilestone(t, rel)
}

// announcedMilestone clicks the button making a date the answer of an imported question
// announces a milestone; a date already made (a second click: nothing more) or one the
// answer does not announce (404) now and then.
func (w *propertyWorld) announcedMilestone(t *testing.T, rel int64) (string, int) {
	qs := w.questions[rel]
	qid := qs[w.rng.IntN(len(qs))]
	page := w.page(t, fmt.Sprintf("/projets/%d/questions/%d", rel, qid))
	expect(t, page, 200)
	var open []int
	for _, m := range regexp.MustCompile(fmt.Sprintf(`action="/projets/%d/questions/%d/echeances/(\d+)"`, rel, qid)).FindAllStringSubmatch(page.raw, -1) {
		i, _ := strconv.Atoi(m[1])
		open = append(open, i)
	}
	made := strings.Count(page.raw, "Créé : «")
	i := w.rng.IntN(len(open) + made + 1)
	if len(open) > 0 && w.chance(0.7) {
		i = open[w.rng.IntN(len(open))]
	}
	path := fmt.Sprintf("/projets/%d/questions/%d/echeances/%d", rel, qid, i)
	desc, status := w.submitForm(t, path, url.Values{})
	if status < 400 && !slices.Contains(open, i) {
		w.quiet = true // made already: nothing more
	}
	return desc, status
}
