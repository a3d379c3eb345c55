package ui_test

import (
	"bytes"
	"fmt"
	"html"
	"mime/multipart"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// More form actions of the property test (journal_property_actions_test.go), as a
// browser sends them: a new site, a new criterion and its deletion, the score grid, the
// AHP comparisons, the roster's upload and its deletion (with the API's), and other
// relocations created.

// pageForm reads the form of page posting to action, as drawn; ok is false when the page
// has no such form.
func (w *propertyWorld) pageForm(t *testing.T, page, action string) (url.Values, string, bool) {
	t.Helper()
	p := w.page(t, page)
	expect(t, p, 200)
	if !strings.Contains(p.raw, `action="`+action+`"`) {
		return nil, p.raw, false
	}
	return formFields(t, p.raw, action), p.raw, true
}

func newSiteFormAction(t *testing.T, w *propertyWorld, rel int64) (string, int) {
	if len(w.of(rel, "site")) >= 5 {
		return siteFormAction(t, w, rel)
	}
	action := fmt.Sprintf("/projets/%d/sites", rel)
	f, _, _ := w.pageForm(t, action+"/nouveau", action)
	f.Set("name", "Site "+w.word())
	f.Set("kind", w.oneOf(siteKinds))
	f.Set("commune", w.oneOf(words))
	f.Set("lat", frenchDecimal(48.80+float64(w.rng.IntN(1000))/10000))
	f.Set("lon", frenchDecimal(2.30+float64(w.rng.IntN(2000))/10000))
	f.Set("surface_m2", fmt.Sprint(500+w.rng.IntN(3000)))
	if w.chance(0.15) {
		f.Set("surface_m2", "grande") // refused: 422
	}
	return w.submitForm(t, action, f)
}

func criterionFormsAction(t *testing.T, w *propertyWorld, rel int64) (string, int) {
	c, ok := w.any(rel, "criterion")
	if w.chance(0.6) || !ok || len(w.of(rel, "criterion")) <= 3 {
		if len(w.of(rel, "criterion")) >= 7 {
			return criterionFormAction(t, w, rel)
		}
		action := fmt.Sprintf("/projets/%d/criteres", rel)
		f, _, _ := w.pageForm(t, action, action)
		f.Set("name", "Critère "+w.word())
		f.Set("weight", fmt.Sprint(5+w.rng.IntN(30)))
		f.Set("scale_min", "0")
		f.Set("scale_max", "10")
		f.Set("direction", w.oneOf([]string{"higher_is_better", "lower_is_better"}))
		if w.chance(0.15) {
			f.Set("scale_max", "-5") // refused: 422, below the minimum
		}
		return w.submitForm(t, action, f)
	}
	v := int(c.version)
	if w.chance(0.1) {
		v--
	}
	return w.submitForm(t, fmt.Sprintf("/criteres/%d/supprimer", c.id), url.Values{"version": {fmt.Sprint(v)}})
}

// gridValue is the name of a value field of the score grid: value_{site}_{criterion}.
var gridValue = regexp.MustCompile(`^value_(\d+)_(\d+)$`)

func scoresFormAction(t *testing.T, w *propertyWorld, rel int64) (string, int) {
	action := fmt.Sprintf("/projets/%d/notes", rel)
	f, _, ok := w.pageForm(t, action, action)
	var cells []string
	for name := range f {
		if gridValue.MatchString(name) {
			cells = append(cells, name)
		}
	}
	if !ok || len(cells) == 0 {
		return putScoreAction(t, w, rel)
	}
	sort.Strings(cells)
	cell := cells[w.rng.IntN(len(cells))]
	m := gridValue.FindStringSubmatch(cell)
	site, _ := strconv.ParseInt(m[1], 10, 64)
	crit, _ := strconv.ParseInt(m[2], 10, 64)
	w.track(t, site, crit, rel)
	c := w.last.res[fmt.Sprintf("criterion:%d", crit)]
	lo, hi := c.fields["scale_min"].(float64), c.fields["scale_max"].(float64)
	f.Set(cell, frenchDecimal(lo+float64(w.rng.IntN(int(hi-lo)*10+1))/10))
	f.Set(fmt.Sprintf("justification_%d_%d", site, crit), "Visite du "+fmt.Sprint(1+w.rng.IntN(28))+" juin")
	switch n := w.rng.IntN(10); {
	case n == 0:
		f.Set(cell, "beaucoup") // refused: 422
	case n == 1:
		v, _ := strconv.Atoi(f.Get(fmt.Sprintf("version_%d_%d", site, crit)))
		if v > 0 {
			f.Set(fmt.Sprintf("version_%d_%d", site, crit), fmt.Sprint(v-1)) // refused: stale
		}
	}
	return w.submitForm(t, action, f)
}

func ahpFormAction(t *testing.T, w *propertyWorld, rel int64) (string, int) {
	action := fmt.Sprintf("/projets/%d/ahp", rel)
	f, page, ok := w.pageForm(t, action, action)
	if !ok {
		return ahpAction(t, w, rel) // fewer than two active criteria: no form
	}
	selects := regexp.MustCompile(`(?s)<select[^>]*\sname="([^"]*)"[^>]*>(.*?)</select>`).FindAllStringSubmatch(page, -1)
	if w.chance(0.4) && len(selects) > 0 { // else as drawn: the values nearest the current weights
		s := selects[w.rng.IntN(len(selects))]
		opts := regexp.MustCompile(`<option value="([^"]+)"`).FindAllStringSubmatch(s[2], -1)
		f.Set(s[1], html.UnescapeString(opts[w.rng.IntN(len(opts))][1])) // inconsistent, perhaps: 422
	}
	if w.chance(0.05) && len(selects) > 0 {
		f.Set(selects[0][1], "12") // refused: 422, off Saaty's scale
	}
	return w.submitForm(t, action, f)
}

// rosterCSV draws a roster of a few agents, with measured minutes to the first site.
func (w *propertyWorld) rosterCSV(rel int64) string {
	sites := w.of(rel, "site")
	var b strings.Builder
	b.WriteString("agent_ref;home_lat;home_lon;current_minutes")
	if len(sites) > 0 {
		fmt.Fprintf(&b, ";minutes_%d", sites[0].id)
	}
	b.WriteString("\n")
	for i := range 5 + w.rng.IntN(4) {
		fmt.Fprintf(&b, "A%03d;%.4f;%.4f;%d", i, 48.7+w.rng.Float64()/3, 2.2+w.rng.Float64()/3, 20+w.rng.IntN(60))
		if len(sites) > 0 {
			if w.chance(0.5) {
				fmt.Fprintf(&b, ";%d", 15+w.rng.IntN(70))
			} else {
				b.WriteString(";")
			}
		}
		b.WriteString("\n")
	}
	if w.chance(0.1) {
		b.WriteString("A999;nord;sud;12\n") // refused: 422
	}
	return b.String()
}

func rosterFormAction(t *testing.T, w *propertyWorld, rel int64) (string, int) {
	if w.chance(0.25) {
		w.quiet = !w.hasRoster(rel) // deleting no roster changes nothing
		return w.submitForm(t, fmt.Sprintf("/projets/%d/agents/supprimer", rel), url.Values{})
	}
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("_csrf", w.session.csrf)
	fw, _ := mw.CreateFormFile("fichier", "agents.csv")
	fw.Write([]byte(w.rosterCSV(rel)))
	mw.Close()
	path := fmt.Sprintf("/projets/%d/agents", rel)
	r := apiDo(t, w.app, "POST", path, body.String(), "Content-Type", mw.FormDataContentType(), "Cookie", w.session.cookie, "Accept", "text/html")
	if r.StatusCode != 303 && r.StatusCode != 422 {
		t.Fatalf("form %s: %s", path, r)
	}
	w.formSteps++
	status := r.StatusCode
	if status == 303 {
		status = 200
	}
	return "form POST " + path + " (roster upload)", status
}

// hasRoster reports whether relocation rel had agents at the last observation (its
// commute figures count them).
func (w *propertyWorld) hasRoster(rel int64) bool {
	for _, f := range w.of(rel, "commute") {
		if n, _ := f.fields["agents"].(float64); n > 0 {
			return true
		}
	}
	return false
}

func deleteRosterAction(t *testing.T, w *propertyWorld, rel int64) (string, int) {
	w.quiet = !w.hasRoster(rel) // deleting no roster changes nothing
	return w.send(t, "DELETE", fmt.Sprintf("/api/v1/relocations/%d/agents", rel), "", nil, "")
}

// madeRelocations counts the relocations the sequence created.
func (w *propertyWorld) madeRelocations() int {
	n := 0
	for _, r := range w.last.res {
		if r.entity == "relocation" && !slices.Contains(w.rels, r.id) {
			n++
		}
	}
	return n
}

// createRelocationAction creates another relocation (read from then on in the relocation
// list), through the API or the form; a slug taken now and then (refused).
func createRelocationAction(t *testing.T, w *propertyWorld, rel int64) (string, int) {
	if w.madeRelocations() >= 5 {
		return patchRelocationAction(t, w, rel)
	}
	slug, name := fmt.Sprintf("nouvelle-%d", w.rng.IntN(8)), "Relocalisation "+w.word()
	if w.chance(0.5) {
		over := map[string]any{"slug": slug, "name": name, "visibility": w.oneOf([]string{"internal", "public"})}
		if w.chance(0.1) {
			over["headcount"] = 0 // refused: 422
		}
		return w.send(t, "POST", "/api/v1/relocations", relocationBody(over), nil, "")
	}
	f := relocationFields(map[string]string{"slug": slug, "name": name})
	if w.chance(0.1) {
		f.Set("target_move", "un jour") // refused: 422
	}
	return w.submitForm(t, "/projets", f)
}

// visibilityAction publishes the first relocation, or makes it internal again (one time
// in four), through the API or its form: the public answers are read while it is public.
func visibilityAction(t *testing.T, w *propertyWorld, _ int64) (string, int) {
	rel, visibility := w.rels[0], "public"
	if w.chance(0.25) {
		visibility = "internal"
	}
	if w.chance(0.5) {
		cur := w.last.res[fmt.Sprintf("relocation:%d", rel)]
		return w.send(t, "PATCH", fmt.Sprintf("/api/v1/relocations/%d", rel), jsonOf(map[string]any{"visibility": visibility}),
			[]string{"If-Match", etag(int(cur.version))}, "")
	}
	action := fmt.Sprintf("/projets/%d", rel)
	f := w.editForm(t, action+"/modifier", action)
	f.Set("visibility", visibility)
	return w.submitForm(t, action, f)
}
