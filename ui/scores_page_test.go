package ui_test

import (
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// TestScoresFormOneGrid: the grid is one form for every site's manual criteria with one
// button; a value off the scale is refused at its field, every value typed for every site
// is kept, and nothing is saved; the corrected form saves both sites' scores in one
// action, each journaled; the same values again change nothing; a stale form saves
// nothing, shows the changed cell's stored value and keeps the other cells as typed.
func TestScoresFormOneGrid(t *testing.T) {
	t.Parallel()
	c := newFormClient(t)
	rid := idOf(t, c.createRelocation(t, nil))
	sid := idOf(t, c.createSite(t, rid, nil))
	other := idOf(t, c.createSite(t, rid, map[string]any{"name": "Bobigny"}))
	cs := c.criteriaOf(t, rid)
	vis := criterionNamed(t, cs, "Visibilité et accessibilité")
	met := criterionNamed(t, cs, "Nécessités des métiers et pratiques de travail")
	grid := fmt.Sprintf("/projets/%d/notes", rid)
	name := func(field string, site, cid int64) string { return fmt.Sprintf("%s_%d_%d", field, site, cid) }

	page := c.okPage(t, grid)
	forms := regexp.MustCompile(`(?s)<form method="post" action="([^"]*)"[^>]*>(.*?)</form>`).FindAllStringSubmatch(page, -1)
	var form string
	for _, f := range forms {
		if strings.Contains(f[2], "value_") {
			if form != "" {
				t.Fatal("the score grid has more than one form holding scores")
			}
			if f[1] != grid {
				t.Errorf("the score form posts to %s, want %s", f[1], grid)
			}
			form = f[2]
		}
	}
	if n := strings.Count(form, `type="submit"`); n != 1 {
		t.Errorf("the grid's form has %d buttons, want 1", n)
	}
	for _, site := range []int64{sid, other} {
		contains(t, "grid form", form, `name="`+name("value", site, vis)+`"`, `name="`+name("value", site, met)+`"`,
			`name="`+name("version", site, vis)+`" value="nouvelle"`)
	}
	scores := func() int {
		var n int
		if err := c.db.Get(&n, `SELECT count(*) FROM scores s JOIN sites t ON t.id = s.site_id WHERE t.relocation_id = $1`, rid); err != nil {
			t.Fatal(err)
		}
		return n
	}

	// Both sites typed; one value off the scale.
	fields := url.Values{}
	for _, site := range []int64{sid, other} {
		fields.Set(name("value", site, vis), "6")
		fields.Set(name("justification", site, vis), fmt.Sprintf("Métro ligne 9 (%d)", site))
		fields.Set(name("version", site, vis), "nouvelle")
		fields.Set(name("value", site, met), "7,5")
		fields.Set(name("justification", site, met), fmt.Sprintf("Plateau d’un seul tenant (%d)", site))
		fields.Set(name("version", site, met), "nouvelle")
	}
	fields.Set(name("value", sid, vis), "12")
	r := c.submit(t, grid, fields)
	expect(t, r, http.StatusUnprocessableEntity)
	cell := fmt.Sprintf("%d-%d", sid, vis)
	contains(t, "refused score form", r.raw, "<title>Erreur : ", `id="erreurs"`, `href="#f-v-`+cell+`"`,
		"sur « Visibilité et accessibilité » : doit être compris entre 0 et 10",
		`id="f-v-`+cell+`" name="`+name("value", sid, vis)+`" inputmode="decimal" value="12" aria-invalid="true" aria-describedby="e-v-`+cell+`"`,
		`<p id="e-v-`+cell+`" class="fr-error-text">doit être compris entre 0 et 10`,
		`name="`+name("value", other, met)+`" inputmode="decimal" value="7,5">`,
		fmt.Sprintf("Plateau d’un seul tenant (%d)", other), fmt.Sprintf("Métro ligne 9 (%d)", sid), fmt.Sprintf("Métro ligne 9 (%d)", other))
	if strings.Count(r.raw, `aria-invalid="true"`) != 1 {
		t.Errorf("refused score form: %d fields marked invalid, want 1", strings.Count(r.raw, `aria-invalid="true"`))
	}
	if n := scores(); n != 0 {
		t.Errorf("a refused form saved %d scores", n)
	}
	// An unreadable value, a hexadecimal one and a blank justification, at their fields.
	bad := maps.Clone(fields)
	bad.Set(name("value", sid, vis), "beaucoup")
	bad.Set(name("value", other, vis), "0x1p2")
	bad.Set(name("justification", sid, met), " ")
	r = c.submit(t, grid, bad)
	expect(t, r, http.StatusUnprocessableEntity)
	contains(t, "unreadable score", r.raw, "Erreur : 3 champs à corriger", `value="beaucoup"`, `value="0x1p2"`, "nombre attendu",
		fmt.Sprintf(`href="#f-j-%d-%d"`, sid, met), "champ obligatoire : dites d’où vient cette note")

	fields.Set(name("value", sid, vis), "8")
	r = c.submit(t, grid, fields)
	noticeAfter(t, c.apiEnv, c.session, r, grid, "scores-saved", "Notes enregistrées.")
	if n := scores(); n != 4 {
		t.Fatalf("%d scores saved, want 4 (two sites typed in one form)", n)
	}
	if got := c.journalOf(t, rid, "score"); len(got) != 4 {
		t.Errorf("%d score journal entries, want 4", len(got))
	}
	// The same values from the redrawn form: nothing changes.
	page = c.okPage(t, grid)
	again := url.Values{}
	for _, site := range []int64{sid, other} {
		for _, cid := range []int64{vis, met} {
			for _, f := range []string{"value", "version"} {
				again.Set(name(f, site, cid), inputValue(t, page, name(f, site, cid)))
			}
			again.Set(name("justification", site, cid), fields.Get(name("justification", site, cid)))
		}
	}
	noticeAfter(t, c.apiEnv, c.session, c.submit(t, grid, again), grid, "scores-unchanged", "Aucune note modifiée")
	if got := c.journalOf(t, rid, "score"); len(got) != 4 {
		t.Errorf("an unchanged form journaled: %d entries", len(got))
	}
	// A form drawn before the scores existed is stale: nothing is saved; the changed
	// cells show their stored value, and what was typed elsewhere is kept.
	stale := maps.Clone(again)
	stale.Set(name("version", sid, met), "nouvelle")
	stale.Set(name("value", sid, met), "3")
	stale.Set(name("value", other, met), "9")
	r = c.submit(t, grid, stale)
	expect(t, r, http.StatusPreconditionFailed)
	contains(t, "stale score form", r.raw, "non enregistrées", "modifiée entre-temps",
		`name="`+name("value", sid, met)+`" inputmode="decimal" value="7,5"`,
		`name="`+name("value", other, met)+`" inputmode="decimal" value="9">`)
	var v float64
	if err := c.db.Get(&v, `SELECT value FROM scores WHERE site_id = $1 AND criterion_id = $2`, other, met); err != nil || v != 7.5 {
		t.Errorf("a stale form changed another site's score to %v (%v)", v, err)
	}
}
