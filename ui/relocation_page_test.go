package ui_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// The relocation forms: create, show, edit, stale edits, and invalid forms drawn again
// as typed.

func TestPageCreateRelocation(t *testing.T) {
	t.Parallel()
	c := newFormClient(t)
	c.okPage(t, "/projets/nouveau")

	cases := []struct{ input, value, label string }{
		{"début 2022", "2022-early", "début 2022"},
		{"T1 2022", "2022-Q1", "1er trimestre 2022"},
		{"15/06/2021", "2021-06-15", "15 juin 2021"},
		{"juin 2021", "2021-06", "juin 2021"},
		{"2e trimestre 2022", "2022-Q2", "2e trimestre 2022"},
		{"1er semestre 2022", "2022-S1", "1er semestre 2022"},
		{"mi-2022", "2022-mid", "mi-2022"},
		{"fin 2022", "2022-late", "fin 2022"},
		{"2022", "2022", "2022"},
		{"2022-early", "2022-early", "début 2022"},
	}
	for i, tc := range cases {
		t.Run(tc.input, func(t *testing.T) {
			slug := fmt.Sprintf("projet-%d", i)
			id := c.createRelocationForm(t, map[string]string{"slug": slug, "target_move": tc.input})
			page := c.okPage(t, fmt.Sprintf("/projets/%d", id))
			contains(t, "relocation page", page, "Relocalisation du CLEISS", "Déménagement visé", tc.label)
			r := c.do(t, "GET", fmt.Sprintf("/api/v1/relocations/%d", id), "")
			expect(t, r, 200)
			tm, _ := r.json["target_move"].(map[string]any)
			if tm["value"] != tc.value || tm["label"] != tc.label {
				t.Errorf("target_move %q stored as %v, want value %q label %q", tc.input, tm, tc.value, tc.label)
			}
			if r.json["slug"] != slug {
				t.Errorf("slug = %v, want %s", r.json["slug"], slug)
			}
			// The edit form shows the date by its French label.
			edit := c.okPage(t, fmt.Sprintf("/projets/%d/modifier", id))
			if got := inputValue(t, edit, "target_move"); got != tc.label {
				t.Errorf("edit form: target_move = %q, want %q", got, tc.label)
			}
		})
	}

	t.Run("thousands", func(t *testing.T) {
		id := c.createRelocationForm(t, map[string]string{"slug": "milliers", "headcount": "1 400"})
		page := c.okPage(t, fmt.Sprintf("/projets/%d", id))
		contains(t, "relocation page", page, "dont 1\u202f400 présents", "22\u202f400 m² SUB")
		// Regression: the summary once wrote the headcount without a thousands separator.
		contains(t, "relocation page", page, "1\u202f400 agents")
	})

	t.Run("decimal comma", func(t *testing.T) {
		id := c.createRelocationForm(t, map[string]string{"slug": "virgule", "headcount": "40",
			"residents": "37,4", "origin_lat": "48,8794", "origin_lon": "2,3358"})
		page := c.okPage(t, fmt.Sprintf("/projets/%d", id))
		contains(t, "relocation page", page, "598,4", "37,4")
		if strings.Contains(page, "598.4") {
			t.Errorf("the page writes 598.4 with a decimal point")
		}
		r := c.do(t, "GET", fmt.Sprintf("/api/v1/relocations/%d", id), "")
		expect(t, r, 200)
		checkFields(t, "relocation from the form", r.json, map[string]any{
			"headcount": 40, "residents": 37.4, "origin_lat": 48.8794, "origin_lon": 2.3358,
			"surface_ratio_m2": 16, "required_surface_m2": 598.4, "status": "announced", "visibility": "internal",
		})
		edit := c.okPage(t, fmt.Sprintf("/projets/%d/modifier", id))
		if got := inputValue(t, edit, "residents"); got != "37,4" {
			t.Errorf("edit form: residents = %q, want 37,4", got)
		}
		// Regression: the edit form once rounded numbers to two decimals, so saving it
		// unchanged moved the origin's coordinates.
		for f, want := range map[string]string{"origin_lat": "48,8794", "origin_lon": "2,3358"} {
			if got := inputValue(t, edit, f); got != want {
				t.Errorf("edit form: %s = %q, want %q", f, got, want)
			}
		}
		// Saving the form as drawn changes nothing: same version, no journal entry (fails
		// through the same BUG).
		before := c.snapshot(t)
		seeOther(t, c.submit(t, fmt.Sprintf("/projets/%d", id), editFormFields(t, edit)), fmt.Sprintf(`/projets/%d`, id))
		c.unchanged(t, before, "saving the edit form unchanged wrote")
	})

	t.Run("update", func(t *testing.T) {
		id := c.createRelocationForm(t, map[string]string{"slug": "a-modifier"})
		edit := c.okPage(t, fmt.Sprintf("/projets/%d/modifier", id))
		if v := inputValue(t, edit, "version"); v != "1" {
			t.Fatalf("edit form version = %q, want 1", v)
		}
		// Saving the form as drawn changes nothing: same version, no journal entry.
		before := c.snapshot(t)
		seeOther(t, c.submit(t, fmt.Sprintf("/projets/%d", id), editFormFields(t, edit)), fmt.Sprintf(`/projets/%d`, id))
		c.unchanged(t, before, "saving the edit form unchanged wrote")
		r := c.submit(t, fmt.Sprintf("/projets/%d", id), relocationFields(map[string]string{
			"slug": "a-modifier", "version": "1", "target_move": "T2 2022", "status": "site_search"}))
		seeOther(t, r, fmt.Sprintf(`/projets/%d`, id))
		page := c.okPage(t, fmt.Sprintf("/projets/%d", id))
		contains(t, "updated page", page, "2e trimestre 2022", "Recherche de site")
		// The same form again, now stale.
		before = c.snapshot(t)
		r = c.submit(t, fmt.Sprintf("/projets/%d", id), relocationFields(map[string]string{
			"slug": "a-modifier", "version": "1", "name": "Écrasé"}))
		if r.StatusCode != http.StatusPreconditionFailed {
			t.Fatalf("stale relocation form: status %d, want 412\n%s", r.StatusCode, r)
		}
		contains(t, "stale form", r.raw, "Cette fiche a été modifiée entre-temps")
		if got := inputValue(t, r.raw, "name"); got != "Relocalisation du CLEISS" {
			t.Errorf("stale form: name = %q, want the current name", got)
		}
		if got := inputValue(t, r.raw, "target_move"); got != "2e trimestre 2022" {
			t.Errorf("stale form: target_move = %q, want the current 2e trimestre 2022", got)
		}
		if got := inputValue(t, r.raw, "version"); got != "2" {
			t.Errorf("stale form: version = %q, want the current 2", got)
		}
		c.unchanged(t, before, "a stale form wrote")
	})
}

func TestPageRelocationFormInvalid(t *testing.T) {
	t.Parallel()
	c := newFormClient(t)
	before := c.snapshot(t)
	r := c.submit(t, "/projets", relocationFields(map[string]string{"name": "", "headcount": "0", "target_move": "demain"}))
	if r.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("invalid form: status %d, want 422\n%s", r.StatusCode, r)
	}
	checkPageHTML(t, "invalid form", r)
	if loc := r.Header.Get("Location"); loc != "" {
		t.Errorf("invalid form redirects to %q", loc)
	}
	contains(t, "invalid form", r.raw, "Le formulaire contient des erreurs")
	for _, f := range []string{"name", "headcount", "target_move"} {
		msg := checkFieldError(t, r.raw, f)
		if msg == "" {
			continue
		}
		low := strings.ToLower(msg)
		for _, l := range leaks {
			if strings.Contains(low, l) {
				t.Errorf("field %s: message %q shows %q", f, msg, l)
			}
		}
	}
	if msg := checkFieldError(t, r.raw, "target_move"); !strings.Contains(msg, "T1 2022") || !strings.Contains(msg, "début 2022") {
		t.Errorf("target_move message %q does not name the accepted forms", msg)
	}
	for _, f := range []string{"slug", "body", "origin", "destination", "decision"} {
		checkNoFieldError(t, r.raw, f)
	}
	want := map[string]string{"target_move": "demain", "headcount": "0", "name": "", "slug": "cleiss-montreuil",
		"body": "CLEISS", "origin": "11 rue de la Tour des Dames, 75009 Paris", "destination": "Seine-Saint-Denis (93)"}
	for f, v := range want {
		if got := inputValue(t, r.raw, f); got != v {
			t.Errorf("input %s = %q, want the typed %q", f, got, v)
		}
	}
	if got := selectedValue(t, r.raw, "status"); got != "announced" {
		t.Errorf("status select = %q, want the chosen announced", got)
	}
	if !strings.Contains(r.raw, `value="demain"`) {
		t.Errorf(`the page lacks value="demain"`)
	}
	c.unchanged(t, before, "an invalid form wrote")

	// A decimal where an integer is expected, a garbled number: refused beside the field,
	// kept as typed.
	r = c.submit(t, "/projets", relocationFields(map[string]string{"headcount": "douze", "residents": "12,5,3"}))
	if r.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("garbled numbers: status %d, want 422\n%s", r.StatusCode, r)
	}
	checkFieldError(t, r.raw, "headcount")
	checkFieldError(t, r.raw, "residents")
	if got := inputValue(t, r.raw, "residents"); got != "12,5,3" {
		t.Errorf("residents = %q, want the typed 12,5,3", got)
	}
	// A duplicate slug is refused on the form too (409), nothing written.
	c.createRelocationForm(t, nil)
	before = c.snapshot(t)
	r = c.submit(t, "/projets", relocationFields(nil))
	if r.StatusCode != http.StatusConflict {
		t.Errorf("duplicate slug: status %d, want 409\n%s", r.StatusCode, r)
	} else if got := inputValue(t, r.raw, "name"); got != "Relocalisation du CLEISS" {
		t.Errorf("duplicate slug: name = %q, want the typed value", got)
	}
	c.unchanged(t, before, "a duplicate wrote")
}

// TestSlugProposedFromName: a relocation created from the form with its public page
// address left empty gets one drawn from its name; the API, where SPEC requires the
// slug, proposes nothing.
func TestSlugProposedFromName(t *testing.T) {
	t.Parallel()
	c := newFormClient(t)
	page := c.okPage(t, "/projets/nouveau")
	contains(t, "new relocation form", page, "Adresse de la page publique", "Laissée vide, elle est tirée du nom du projet")
	if strings.Contains(page, "(slug)") || strings.Contains(page, "Identifiant d’adresse") {
		t.Errorf("the form still speaks of slugs")
	}
	id := c.createRelocationForm(t, map[string]string{"slug": "", "name": "Relocalisation de l’Agence à Évry-Courcouronnes"})
	var slug string
	if err := c.db.Get(&slug, `SELECT slug FROM relocations WHERE id = $1`, id); err != nil || slug != "relocalisation-de-l-agence-a-evry-courcouronnes" {
		t.Errorf("slug %q (%v), want one drawn from the name", slug, err)
	}
	// The same name again: the proposal is taken, said at the field, and shown to edit.
	r := c.submit(t, "/projets", relocationFields(map[string]string{"slug": "", "name": "Relocalisation de l’Agence à Évry-Courcouronnes"}))
	expect(t, r, http.StatusConflict)
	contains(t, "duplicate proposed slug", r.raw, `value="relocalisation-de-l-agence-a-evry-courcouronnes"`, `aria-invalid="true"`)
	// No name and no address: both refused, nothing invented.
	r = c.submit(t, "/projets", relocationFields(map[string]string{"slug": "", "name": ""}))
	expect(t, r, http.StatusUnprocessableEntity)
	contains(t, "no name", r.raw, `href="#f-name"`, `href="#f-slug"`)
	// The API still requires the slug.
	checkProblem(t, c.do(t, "POST", "/api/v1/relocations", relocationBody(map[string]any{"name": "Sans adresse"}, "slug"),
		"Content-Type", "application/json"), http.StatusUnprocessableEntity, "slug")
}
