package ui_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// The milestone forms: create, edit, stale edits, delete, status, and saving forms as
// drawn.

func TestPageMilestoneForm(t *testing.T) {
	t.Parallel()
	c := newFormClient(t)
	rid := c.createRelocationForm(t, nil)

	form := c.okPage(t, fmt.Sprintf("/projets/%d/jalons/nouveau", rid))
	contains(t, "new milestone form", form, fmt.Sprintf(`action="/projets/%d/jalons"`, rid))

	// Refused: no source, a garbled date; kept as typed.
	before := c.snapshot(t)
	r := c.submit(t, fmt.Sprintf("/projets/%d/jalons", rid), milestoneFields(map[string]string{"source": "", "planned": "bientôt"}))
	if r.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("invalid milestone: status %d, want 422\n%s", r.StatusCode, r)
	}
	checkFieldError(t, r.raw, "source")
	checkFieldError(t, r.raw, "planned")
	checkNoFieldError(t, r.raw, "title")
	if got := inputValue(t, r.raw, "planned"); got != "bientôt" {
		t.Errorf("planned = %q, want the typed bientôt", got)
	}
	if got := inputValue(t, r.raw, "title"); got != "Signature de la lettre d’intention" {
		t.Errorf("title = %q, want the typed one", got)
	}
	if got := selectedValue(t, r.raw, "kind"); got != "letter_of_intent" {
		t.Errorf("kind = %q, want the chosen letter_of_intent", got)
	}
	c.unchanged(t, before, "an invalid milestone wrote")

	// Created.
	mid := c.createMilestoneForm(t, rid, nil)
	page := c.okPage(t, fmt.Sprintf("/projets/%d", rid))
	contains(t, "relocation page", page, "Signature de la lettre d’intention", "Lettre d’intention", "début 2022",
		"Réponse à la QE n° 25585, JO du 15 juin 2021, p. 4892", fmt.Sprintf(`href="/jalons/%d/modifier"`, mid))

	// Edited: a new planned date with a reason.
	edit := c.okPage(t, fmt.Sprintf("/jalons/%d/modifier", mid))
	if got := inputValue(t, edit, "planned"); got != "début 2022" {
		t.Errorf("edit form: planned = %q, want début 2022", got)
	}
	if got := textareaValue(t, edit, "source"); got != "Réponse à la QE n° 25585, JO du 15 juin 2021, p. 4892" {
		t.Errorf("edit form: source = %q", got)
	}
	if !regexp.MustCompile(`<input[^>]*name="public"[^>]* checked>`).MatchString(edit) {
		t.Errorf("edit form: the public box is not checked")
	}
	if got := inputValue(t, edit, "version"); got != "1" {
		t.Fatalf("edit form: version = %q, want 1", got)
	}
	r = c.submit(t, fmt.Sprintf("/jalons/%d", mid), milestoneFields(map[string]string{
		"version": "1", "planned": "mi-2022", "reason": "Retard des travaux du bailleur"}))
	seeOther(t, r, fmt.Sprintf(`/projets/%d#jalons`, rid))
	page = c.okPage(t, fmt.Sprintf("/projets/%d", rid))
	contains(t, "relocation page after the edit", page, "début 2022 → mi-2022 : Retard des travaux du bailleur", "+123 j")

	// Stale: the form drawn at version 1, posted after the edit.
	before = c.snapshot(t)
	r = c.submit(t, fmt.Sprintf("/jalons/%d", mid), milestoneFields(map[string]string{
		"version": "1", "planned": "fin 2022", "title": "Titre écrasé", "reason": "écrasement"}))
	if r.StatusCode != http.StatusPreconditionFailed {
		t.Fatalf("stale milestone form: status %d, want 412\n%s", r.StatusCode, r)
	}
	checkPageHTML(t, "stale form", r)
	contains(t, "stale form", r.raw, "Cette fiche a été modifiée entre-temps")
	for f, v := range map[string]string{"planned": "mi-2022", "title": "Signature de la lettre d’intention", "version": "2"} {
		if got := inputValue(t, r.raw, f); got != v {
			t.Errorf("stale form: %s = %q, want the current %q", f, got, v)
		}
	}
	c.unchanged(t, before, "a stale form wrote")

	// Deleted: a stale version is refused, the current one deletes.
	before = c.snapshot(t)
	r = c.submit(t, fmt.Sprintf("/jalons/%d/supprimer", mid), url.Values{"version": {"1"}})
	if r.StatusCode != http.StatusPreconditionFailed {
		t.Errorf("stale delete: status %d, want 412\n%s", r.StatusCode, r)
	}
	// The form is drawn again, at the current version, saying who changed it.
	for _, want := range []string{"Jalon non supprimé", "modifiée entre-temps par", `name="version" value="2"`} {
		if !strings.Contains(r.raw, want) {
			t.Errorf("stale delete page lacks %q", want)
		}
	}
	c.unchanged(t, before, "a stale delete wrote")
	r = c.submit(t, fmt.Sprintf("/jalons/%d/supprimer", mid), url.Values{"version": {"2"}})
	seeOther(t, r, fmt.Sprintf(`/projets/%d#jalons`, rid))
	page = c.okPage(t, fmt.Sprintf("/projets/%d", rid))
	// The journal keeps the deletion (title before → —): look above it.
	milestones, _, _ := strings.Cut(page, `id="journal"`)
	if strings.Contains(milestones, "Signature de la lettre d’intention") || strings.Contains(page, fmt.Sprintf("/jalons/%d/", mid)) {
		t.Errorf("the deleted milestone still shows")
	}
	contains(t, "page after the delete", page, "Aucun jalon")
	if r := c.page(t, fmt.Sprintf("/jalons/%d/modifier", mid)); r.StatusCode != http.StatusNotFound {
		t.Errorf("GET the deleted milestone's form: status %d, want 404", r.StatusCode)
	}

	// Status as of today in Paris (apiNow is 30 June 23:30 UTC, 1 July in Paris): a
	// milestone of « juin 2021 » not done is late; the actual date takes the French form.
	late := c.createMilestoneForm(t, rid, map[string]string{"title": "Consultation du CSA", "kind": "staff_consultation", "planned": "juin 2021"})
	done := c.createMilestoneForm(t, rid, map[string]string{"title": "Lettre signée", "planned": "juin 2021", "actual": "15/06/2021"})
	page = c.okPage(t, fmt.Sprintf("/projets/%d", rid))
	for id, want := range map[int64][]string{late: {"Consultation du CSA", "En retard"}, done: {"Lettre signée", "15 juin 2021", "Réalisé"}} {
		row := milestoneRow(t, page, id)
		contains(t, "milestone row", row, want...)
	}
	r = c.do(t, "GET", fmt.Sprintf("/api/v1/milestones/%d", done), "")
	expect(t, r, 200)
	if r.json["actual"] != "2021-06-15" {
		t.Errorf("actual typed 15/06/2021 stored as %v, want 2021-06-15", r.json["actual"])
	}
	if got := inputValue(t, c.okPage(t, fmt.Sprintf("/jalons/%d/modifier", done)), "actual"); got != "2021-06-15" {
		t.Errorf("the date input shows actual %q, want 2021-06-15 (the form of <input type=date>)", got)
	}
}

// milestoneEditFields returns the fields of a milestone edit form as drawn; with crlf,
// textareas send their line breaks as CRLF, as browsers do (HTML, form submission).
func milestoneEditFields(t *testing.T, page string, crlf bool) url.Values {
	t.Helper()
	fields := url.Values{}
	for _, f := range []string{"version", "title", "planned", "reason", "actual", "source_url"} {
		fields.Set(f, inputValue(t, page, f))
	}
	fields.Set("kind", selectedValue(t, page, "kind"))
	breaks := strings.NewReplacer()
	if crlf {
		breaks = strings.NewReplacer("\r\n", "\r\n", "\n", "\r\n")
	}
	fields.Set("source", breaks.Replace(textareaValue(t, page, "source")))
	fields.Set("notes", breaks.Replace(textareaValue(t, page, "notes")))
	if regexp.MustCompile(`<input[^>]*name="public"[^>]* checked>`).MatchString(page) {
		fields.Set("public", "on")
	}
	return fields
}

// TestPageMilestoneFormRoundTrip saves milestone forms as drawn: every precision of
// date comes back from its French label, and nothing is written.
func TestPageMilestoneFormRoundTrip(t *testing.T) {
	t.Parallel()
	c := newFormClient(t)
	rid := idOf(t, c.createRelocation(t, nil))
	for _, planned := range []string{"2021-06-01", "2021-06-15", "2021-06", "2022-Q1", "2022-Q4", "2022-S1", "2022-S2",
		"2022-early", "2022-mid", "2022-late", "2022"} {
		t.Run(planned, func(t *testing.T) {
			m := c.createMilestone(t, rid, map[string]any{"planned": planned, "actual": "2021-06-01", "public": true,
				"source_url": "https://questions.assemblee-nationale.fr/q15/15-25585QE.htm", "notes": "Note « citée »\nsur deux lignes"})
			id := idOf(t, m)
			edit := c.okPage(t, fmt.Sprintf("/jalons/%d/modifier", id))
			before := c.snapshot(t)
			r := c.submit(t, fmt.Sprintf("/jalons/%d", id), milestoneEditFields(t, edit, false))
			seeOther(t, r, fmt.Sprintf(`/projets/%d#jalons`, rid))
			c.unchanged(t, before, "saving the form of %s unchanged wrote", planned)
		})
	}
	t.Run("line breaks as a browser sends them", func(t *testing.T) {
		m := c.createMilestone(t, rid, map[string]any{"notes": "Première ligne\nseconde ligne"})
		id := idOf(t, m)
		edit := c.okPage(t, fmt.Sprintf("/jalons/%d/modifier", id))
		before := c.snapshot(t)
		r := c.submit(t, fmt.Sprintf("/jalons/%d", id), milestoneEditFields(t, edit, true))
		seeOther(t, r, fmt.Sprintf(`/projets/%d#jalons`, rid))
		// Regression: browsers send textarea line breaks as CRLF; saving a milestone with
		// multi-line notes unchanged once wrote a new version.
		c.unchanged(t, before, "saving the form unchanged (CRLF line breaks) wrote")
	})
}

// milestoneRow returns the table row of milestone id on a relocation page.
func milestoneRow(t *testing.T, page string, id int64) string {
	t.Helper()
	end := strings.Index(page, fmt.Sprintf(`href="/jalons/%d/modifier"`, id))
	if end < 0 {
		t.Fatalf("no row for milestone %d", id)
	}
	start := strings.LastIndex(page[:end], "<tr>")
	return page[start:end]
}
