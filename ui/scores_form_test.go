package ui_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// TestScoresFormPerSite: the grid has one form per site with all its manual criteria
// and one button; a value off the scale is refused at its field, every value typed is
// kept, and nothing is saved; the corrected form saves both scores in one action, each
// journaled; the same values again change nothing; a stale form saves nothing.
func TestScoresFormPerSite(t *testing.T) {
	t.Parallel()
	c := newFormClient(t)
	rid := idOf(t, c.createRelocation(t, nil))
	sid := idOf(t, c.createSite(t, rid, nil))
	other := idOf(t, c.createSite(t, rid, map[string]any{"name": "Bobigny"}))
	cs := c.criteriaOf(t, rid)
	vis := criterionNamed(t, cs, "Visibilité et accessibilité")
	met := criterionNamed(t, cs, "Nécessités des métiers et pratiques de travail")
	grid := fmt.Sprintf("/projets/%d/notes", rid)

	page := c.okPage(t, grid)
	for _, site := range []int64{sid, other} {
		form := regexp.MustCompile(`(?s)<form method="post" action="/sites/` + fmt.Sprint(site) + `/notes"[^>]*>(.*?)</form>`).FindStringSubmatch(page)
		if form == nil {
			t.Fatalf("no score form for site %d", site)
		}
		if n := strings.Count(form[1], `type="submit"`); n != 1 {
			t.Errorf("site %d's form has %d buttons, want 1", site, n)
		}
		contains(t, "site form", form[1], fmt.Sprintf(`name="value_%d"`, vis), fmt.Sprintf(`name="value_%d"`, met),
			fmt.Sprintf(`name="version_%d" value="nouvelle"`, vis))
	}
	scores := func() int {
		var n int
		if err := c.db.Get(&n, `SELECT count(*) FROM scores WHERE site_id = $1`, sid); err != nil {
			t.Fatal(err)
		}
		return n
	}

	fields := url.Values{
		fmt.Sprintf("value_%d", vis): {"12"}, fmt.Sprintf("justification_%d", vis): {"Métro ligne 9"}, fmt.Sprintf("version_%d", vis): {"nouvelle"},
		fmt.Sprintf("value_%d", met): {"7,5"}, fmt.Sprintf("justification_%d", met): {"Plateau d’un seul tenant"}, fmt.Sprintf("version_%d", met): {"nouvelle"},
	}
	r := c.submit(t, fmt.Sprintf("/sites/%d/notes", sid), fields)
	expect(t, r, http.StatusUnprocessableEntity)
	cell := fmt.Sprintf("%d-%d", sid, vis)
	contains(t, "refused score form", r.raw, "<title>Erreur : ", `id="erreurs"`, `href="#f-v-`+cell+`"`,
		"Note sur « Visibilité et accessibilité » : doit être compris entre 0 et 10",
		`id="f-v-`+cell+`" name="value_`+fmt.Sprint(vis)+`" inputmode="decimal" value="12" aria-invalid="true" aria-describedby="e-v-`+cell+`"`,
		`<p id="e-v-`+cell+`" class="fr-error-text">doit être compris entre 0 et 10`,
		`name="value_`+fmt.Sprint(met)+`" inputmode="decimal" value="7,5">`, "Plateau d’un seul tenant", "Métro ligne 9")
	if strings.Count(r.raw, `aria-invalid="true"`) != 1 {
		t.Errorf("refused score form: %d fields marked invalid, want 1", strings.Count(r.raw, `aria-invalid="true"`))
	}
	if n := scores(); n != 0 {
		t.Errorf("a refused form saved %d scores", n)
	}
	// An unreadable value and a blank justification, at their fields.
	bad := url.Values{}
	for k, v := range fields {
		bad[k] = v
	}
	bad.Set(fmt.Sprintf("value_%d", vis), "beaucoup")
	bad.Set(fmt.Sprintf("justification_%d", met), " ")
	r = c.submit(t, fmt.Sprintf("/sites/%d/notes", sid), bad)
	expect(t, r, http.StatusUnprocessableEntity)
	contains(t, "unreadable score", r.raw, "Erreur : 2 champs à corriger", `value="beaucoup"`, "nombre attendu",
		fmt.Sprintf(`href="#f-j-%d-%d"`, sid, met), "champ obligatoire : dites d’où vient cette note")

	fields.Set(fmt.Sprintf("value_%d", vis), "8")
	r = c.submit(t, fmt.Sprintf("/sites/%d/notes", sid), fields)
	noticeAfter(t, c.apiEnv, c.session, r, fmt.Sprintf(`/projets/%d/notes#site-%d`, rid, sid), "scores-saved", "Notes du site enregistrées.")
	if n := scores(); n != 2 {
		t.Fatalf("%d scores saved, want 2", n)
	}
	if got := c.journalOf(t, rid, "score"); len(got) != 2 {
		t.Errorf("%d score journal entries, want 2", len(got))
	}
	// The same values from the redrawn form: nothing changes.
	page = c.okPage(t, grid)
	again := url.Values{}
	for _, cid := range []int64{vis, met} {
		for _, f := range []string{"value", "version"} {
			name := fmt.Sprintf("%s_%d", f, cid)
			again.Set(name, inputValue(t, page, name))
		}
		again.Set(fmt.Sprintf("justification_%d", cid), fields.Get(fmt.Sprintf("justification_%d", cid)))
	}
	noticeAfter(t, c.apiEnv, c.session, c.submit(t, fmt.Sprintf("/sites/%d/notes", sid), again),
		fmt.Sprintf(`/projets/%d/notes#site-%d`, rid, sid), "scores-unchanged", "Aucune note modifiée")
	if got := c.journalOf(t, rid, "score"); len(got) != 2 {
		t.Errorf("an unchanged form journaled: %d entries", len(got))
	}
	// A form drawn before the scores existed is stale: nothing is saved.
	fields.Set(fmt.Sprintf("value_%d", met), "3")
	r = c.submit(t, fmt.Sprintf("/sites/%d/notes", sid), fields)
	expect(t, r, http.StatusPreconditionFailed)
	contains(t, "stale score form", r.raw, "non enregistrées", "modifiée entre-temps")
	var v float64
	if err := c.db.Get(&v, `SELECT value FROM scores WHERE site_id = $1 AND criterion_id = $2`, sid, met); err != nil || v != 7.5 {
		t.Errorf("a stale form changed the score to %v (%v)", v, err)
	}
}
