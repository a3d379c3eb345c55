package ui_test

import (
	"fmt"
	"html"
	"math"
	"net/url"
	"regexp"
	"sort"
	"testing"
)

// The actions of the property test (journal_property_test.go): every kind of change a
// manager makes, through the API and through the forms, each drawn at random with valid
// and invalid values, fresh and stale versions, by accounts with and without the right.
// Every POST, PATCH, PUT and DELETE route of routes.go is here but the account ones
// (sign-in, profile, tokens, administration of accounts), which touch no relocation.
// More in journal_property_partner_actions_test.go, journal_property_question_actions_test.go
// and journal_property_form_actions_test.go.

// propertyAction is one kind of action: run makes one on relocation rel and returns what
// it did and the status it got (a form's 303 counts as 200).
type propertyAction struct {
	name   string
	weight int
	run    func(t *testing.T, w *propertyWorld, rel int64) (string, int)
}

var propertyActions = []propertyAction{
	{"relocation PATCH", 10, patchRelocationAction},
	{"milestone POST", 7, createMilestoneAction},
	{"milestone PATCH", 10, patchMilestoneAction},
	{"milestone DELETE", 3, deleteMilestoneAction},
	{"site POST", 5, createSiteAction},
	{"site PATCH", 9, patchSiteAction},
	{"criterion POST", 3, createCriterionAction},
	{"criterion PATCH", 5, patchCriterionAction},
	{"criterion DELETE", 2, deleteCriterionAction},
	{"score PUT", 8, putScoreAction},
	{"AHP POST", 3, ahpAction},
	{"managers PUT", 3, putManagersAction},
	{"roster PUT", 3, putRosterAction},
	{"relocation form", 4, relocationFormAction},
	{"milestone forms", 5, milestoneFormAction},
	{"site form", 2, siteFormAction},
	{"criterion form", 2, criterionFormAction},
	{"managers form", 2, managersFormAction},
	{"roster DELETE", 2, deleteRosterAction},
	{"partner POST", 3, createPartnerAction},
	{"partner PATCH", 3, patchPartnerAction},
	{"partner DELETE", 3, deletePartnerAction},
	{"partner forms", 3, partnerFormAction},
	{"question POST", 4, importQuestionAction},
	{"question forms", 4, questionFormAction},
	{"new site form", 2, newSiteFormAction},
	{"criterion forms", 2, criterionFormsAction},
	{"scores form", 3, scoresFormAction},
	{"AHP form", 2, ahpFormAction},
	{"roster forms", 2, rosterFormAction},
	{"relocation creations", 2, createRelocationAction},
	{"visibility", 3, visibilityAction},
}

// pick draws an action by weight.
func (w *propertyWorld) pick() propertyAction {
	total := 0
	for _, a := range propertyActions {
		total += a.weight
	}
	n := w.rng.IntN(total)
	for _, a := range propertyActions {
		if n < a.weight {
			return a
		}
		n -= a.weight
	}
	panic("unreachable")
}

var (
	fuzzyValues = []string{"2021-09", "2021-Q4", "2022-early", "2022-mid", "2022-late", "2022-S2", "2023",
		"2023-Q1", "2022-03-15", "2024-early"}
	fuzzyLabels = []string{"septembre 2021", "T4 2021", "début 2022", "mi-2022", "fin 2022", "2e semestre 2022",
		"2023", "1er trimestre 2023", "15/03/2022", "début 2024"}
	statuses       = []string{"announced", "site_search", "site_selected", "committed", "works", "moved", "cancelled"}
	milestoneKinds = []string{"decision", "parliamentary_question", "site_search", "site_decision", "letter_of_intent",
		"lease", "staff_consultation", "works", "move", "other"}
	siteKinds = []string{"colocation", "lease", "state_owned"}
	words     = []string{"Montreuil", "Saint-Ouen", "Pantin", "Bobigny", "Noisy", "Valmy", "Pleyel", "Rosny"}
)

func (w *propertyWorld) chance(p float64) bool    { return w.rng.Float64() < p }
func (w *propertyWorld) oneOf(xs []string) string { return xs[w.rng.IntN(len(xs))] }
func (w *propertyWorld) word() string             { return w.oneOf(words) + " " + fmt.Sprint(w.rng.IntN(100)) }

// of returns the resources of entity of relocation rel in the last observation, by id.
func (w *propertyWorld) of(rel int64, entity string) []resource {
	var out []resource
	for _, r := range w.last.res {
		if r.rel == rel && r.entity == entity {
			out = append(out, r)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		return out[i].id < out[j].id || out[i].id == out[j].id && out[i].criterion < out[j].criterion
	})
	return out
}

// any returns one of the resources of entity of rel, false when there is none.
func (w *propertyWorld) any(rel int64, entity string) (resource, bool) {
	rs := w.of(rel, entity)
	if len(rs) == 0 {
		return resource{}, false
	}
	return rs[w.rng.IntN(len(rs))], true
}

// as returns the headers of who acts: mostly the administrator, sometimes the first
// manager (who may or may not be assigned), sometimes a viewer (always refused).
func (w *propertyWorld) as() ([]string, string) {
	switch n := w.rng.IntN(100); {
	case n < 12:
		return bearer(w.managerToken), " as manager"
	case n < 17:
		return bearer(w.viewerToken), " as viewer"
	}
	return nil, ""
}

// ifMatch returns the If-Match header for a resource at version v: mostly right,
// sometimes stale, sometimes missing.
func (w *propertyWorld) ifMatch(v float64) ([]string, string) {
	switch n := w.rng.IntN(100); {
	case n < 7:
		return []string{"If-Match", etag(int(v) - 1)}, " stale"
	case n < 10:
		return nil, " without If-Match"
	}
	return []string{"If-Match", etag(int(v))}, ""
}

// send makes an API call as who w.as draws, with extra headers.
func (w *propertyWorld) send(t *testing.T, method, path, body string, extra []string, what string) (string, int) {
	t.Helper()
	who, whoDesc := w.as()
	r := w.do(t, method, path, body, append(who, extra...)...)
	if r.StatusCode >= 500 {
		t.Fatalf("%s %s %s: %s", method, path, body, r)
	}
	w.apiSteps++
	return fmt.Sprintf("%s %s %s%s%s", method, path, body, whoDesc, what), r.StatusCode
}

func patchRelocationAction(t *testing.T, w *propertyWorld, rel int64) (string, int) {
	cur := w.last.res[fmt.Sprintf("relocation:%d", rel)]
	body := map[string]any{}
	for n := 1 + w.rng.IntN(3); len(body) < n; {
		switch w.rng.IntN(12) {
		case 0:
			body["name"] = "Relocalisation " + w.word()
		case 1, 2:
			body["target_move"] = w.oneOf(fuzzyValues)
		case 3:
			body["status"] = w.oneOf(statuses)
		case 4:
			body["visibility"] = w.oneOf([]string{"internal", "public"})
		case 5:
			body["headcount"] = 20 + w.rng.IntN(200)
		case 6:
			body["residents"] = math.Round(w.rng.Float64()*2000) / 10
		case 7:
			body["notes"] = "Note " + w.word()
		case 8:
			body["surface_ratio_m2"] = 12 + w.rng.IntN(8)
		case 9:
			body["decision"] = "CITP du " + fmt.Sprint(1+w.rng.IntN(28)) + " mars 2021"
		case 11: // what the commute figures rest on: they are recomputed
			switch w.rng.IntN(3) {
			case 0:
				body["commute_increase_limit_min"] = 15 + w.rng.IntN(30)
			case 1:
				body["commute_speed_kmh"] = 15 + w.rng.IntN(30)
			case 2:
				body["origin_lat"], body["origin_lon"] = 48.85+w.rng.Float64()/20, 2.30+w.rng.Float64()/20
			}
		case 10: // refused: 422
			body[w.oneOf([]string{"headcount", "target_move", "status"})] = w.oneOf([]string{"0", "bientôt", "perdu"})
		}
	}
	im, imDesc := w.ifMatch(cur.version)
	return w.send(t, "PATCH", fmt.Sprintf("/api/v1/relocations/%d", rel), jsonOf(body), im, imDesc)
}

// milestoneInput draws the fields of a milestone.
func (w *propertyWorld) milestoneInput() map[string]any {
	kind := w.oneOf(milestoneKinds)
	m := map[string]any{"kind": kind, "title": "Étape " + w.word(), "planned": w.oneOf(fuzzyValues),
		"source": "Compte rendu du comité " + fmt.Sprint(w.rng.IntN(50)), "public": w.chance(0.5)}
	if w.chance(0.4) {
		m["notes"] = "Note interne " + w.word()
	}
	if w.chance(0.15) {
		m["actual"] = "2021-05-1" + fmt.Sprint(w.rng.IntN(10))
	}
	return m
}

// hasMove reports whether relocation rel had a move milestone at the last observation.
func (w *propertyWorld) hasMove(rel int64) bool {
	for _, m := range w.of(rel, "milestone") {
		if m.fields["kind"] == "move" {
			return true
		}
	}
	return false
}

func createMilestoneAction(t *testing.T, w *propertyWorld, rel int64) (string, int) {
	m := w.milestoneInput()
	if !w.hasMove(rel) && w.chance(0.5) {
		m["kind"] = "move" // the move date follows it
	}
	if w.chance(0.05) {
		delete(m, "source") // refused: 422
	}
	return w.send(t, "POST", fmt.Sprintf("/api/v1/relocations/%d/milestones", rel), jsonOf(m), nil, "")
}

func patchMilestoneAction(t *testing.T, w *propertyWorld, rel int64) (string, int) {
	m, ok := w.any(rel, "milestone")
	if !ok {
		return createMilestoneAction(t, w, rel)
	}
	body := map[string]any{}
	switch w.rng.IntN(8) {
	case 0, 1, 2:
		body["planned"] = w.oneOf(fuzzyValues)
		if w.chance(0.6) {
			body["reason"] = "Motif : " + w.word()
		}
	case 3:
		body["title"] = "Étape " + w.word()
	case 4:
		body["public"] = !m.fields["public"].(bool)
		body["notes"] = "Note " + w.word()
	case 5:
		if m.fields["actual"] == nil {
			body["actual"] = "2021-06-0" + fmt.Sprint(1+w.rng.IntN(9))
		} else {
			body["actual"] = nil
		}
	case 6:
		body["kind"] = w.oneOf(milestoneKinds) // move: 409 while another is
	case 7:
		body["source"] = " " // refused: 422
	}
	im, imDesc := w.ifMatch(m.version)
	return w.send(t, "PATCH", fmt.Sprintf("/api/v1/milestones/%d", m.id), jsonOf(body), im, imDesc)
}

func deleteMilestoneAction(t *testing.T, w *propertyWorld, rel int64) (string, int) {
	m, ok := w.any(rel, "milestone")
	if !ok || len(w.of(rel, "milestone")) < 3 {
		return createMilestoneAction(t, w, rel)
	}
	im, imDesc := w.ifMatch(m.version)
	return w.send(t, "DELETE", fmt.Sprintf("/api/v1/milestones/%d", m.id), "", im, imDesc)
}

func createSiteAction(t *testing.T, w *propertyWorld, rel int64) (string, int) {
	if len(w.of(rel, "site")) >= 5 {
		return patchSiteAction(t, w, rel)
	}
	s := map[string]any{"name": "Site " + w.word(), "kind": w.oneOf(siteKinds), "commune": w.oneOf(words),
		"lat": 48.80 + w.rng.Float64()/10, "lon": 2.30 + w.rng.Float64()/5, "surface_m2": 500 + w.rng.IntN(3000)}
	switch n := w.rng.IntN(10); {
	case n == 0:
		s["status"], s["decision_reason"] = "selected", "Meilleure desserte" // 409 while another is
	case n == 1:
		s["status"], s["decision_reason"] = "rejected", "Trop petit"
	case n == 2:
		s["status"] = "rejected" // refused: 422, no reason
	}
	return w.send(t, "POST", fmt.Sprintf("/api/v1/relocations/%d/sites", rel), jsonOf(s), nil, "")
}

func patchSiteAction(t *testing.T, w *propertyWorld, rel int64) (string, int) {
	s, ok := w.any(rel, "site")
	if !ok {
		return createSiteAction(t, w, rel)
	}
	body := map[string]any{}
	switch w.rng.IntN(9) {
	case 0, 1:
		body["name"] = "Site " + w.word()
	case 2, 3:
		body["status"], body["decision_reason"] = "selected", "Choix du comité "+w.word()
	case 4:
		body["status"] = w.oneOf([]string{"candidate", "shortlisted"})
	case 5:
		body["status"], body["decision_reason"] = "rejected", "Écarté : "+w.word()
	case 6:
		body["surface_m2"] = 500 + w.rng.IntN(3000)
		body["annual_cost_eur"] = 100000 + w.rng.IntN(900000)
	case 7:
		body["commune"] = w.oneOf(words)
	case 8:
		body["kind"] = "hangar" // refused: 422
	}
	im, imDesc := w.ifMatch(s.version)
	return w.send(t, "PATCH", fmt.Sprintf("/api/v1/sites/%d", s.id), jsonOf(body), im, imDesc)
}

func createCriterionAction(t *testing.T, w *propertyWorld, rel int64) (string, int) {
	if len(w.of(rel, "criterion")) >= 7 {
		return patchCriterionAction(t, w, rel)
	}
	c := map[string]any{"name": "Critère " + w.word(), "weight": 5 + w.rng.IntN(30),
		"direction": w.oneOf([]string{"higher_is_better", "lower_is_better"}), "scale_min": 0, "scale_max": 10}
	if w.chance(0.2) {
		c["source"] = "cost_per_resident"
		c["scale_max"] = 20000
	}
	if w.chance(0.1) {
		c["scale_max"] = -1 // refused: 422
	}
	return w.send(t, "POST", fmt.Sprintf("/api/v1/relocations/%d/criteria", rel), jsonOf(c), nil, "")
}

func patchCriterionAction(t *testing.T, w *propertyWorld, rel int64) (string, int) {
	c, ok := w.any(rel, "criterion")
	if !ok {
		return createCriterionAction(t, w, rel)
	}
	body := map[string]any{}
	switch w.rng.IntN(6) {
	case 0, 1:
		body["weight"] = 5 + w.rng.IntN(40)
	case 2:
		body["active"] = !c.fields["active"].(bool)
	case 3:
		if w.chance(0.5) {
			body["threshold"] = nil
		} else {
			body["threshold"] = c.fields["scale_min"].(float64) + 1
		}
	case 4:
		body["description"] = "Précision : " + w.word()
	case 5:
		body["weight"] = 0 // refused: 422
	}
	im, imDesc := w.ifMatch(c.version)
	return w.send(t, "PATCH", fmt.Sprintf("/api/v1/criteria/%d", c.id), jsonOf(body), im, imDesc)
}

func deleteCriterionAction(t *testing.T, w *propertyWorld, rel int64) (string, int) {
	if len(w.of(rel, "criterion")) <= 3 {
		return createCriterionAction(t, w, rel)
	}
	c, _ := w.any(rel, "criterion")
	im, imDesc := w.ifMatch(c.version)
	return w.send(t, "DELETE", fmt.Sprintf("/api/v1/criteria/%d", c.id), "", im, imDesc)
}

// track adds a (site, criterion) pair to the scores the observations read, reading it
// into the last observation when it exists already.
func (w *propertyWorld) track(t *testing.T, site, criterion, rel int64) {
	t.Helper()
	pair := [2]int64{site, criterion}
	if _, ok := w.scorePairs[pair]; ok {
		return
	}
	w.scorePairs[pair] = rel
	r := w.do(t, "GET", fmt.Sprintf("/api/v1/sites/%d/scores/%d", site, criterion), "")
	if r.StatusCode == 200 {
		res := w.last.add(t, "score", site, rel, r.json, r.Header.Get("ETag"))
		res.criterion = criterion
		delete(w.last.res, fmt.Sprintf("score:%d", site))
		w.last.res[fmt.Sprintf("score:%d:%d", site, criterion)] = res
	}
}

func putScoreAction(t *testing.T, w *propertyWorld, rel int64) (string, int) {
	s, okS := w.any(rel, "site")
	c, okC := w.any(rel, "criterion")
	if !okS || !okC {
		return createSiteAction(t, w, rel)
	}
	w.track(t, s.id, c.id, rel)
	lo, hi := c.fields["scale_min"].(float64), c.fields["scale_max"].(float64)
	value := math.Round((lo+w.rng.Float64()*(hi-lo))*10) / 10
	if w.chance(0.08) {
		value = hi + 1 // refused: 422
	}
	var im []string
	imDesc := ""
	if sc, ok := w.last.res[fmt.Sprintf("score:%d:%d", s.id, c.id)]; ok && w.chance(0.5) {
		im, imDesc = w.ifMatch(sc.version)
	}
	body := jsonOf(map[string]any{"value": value, "justification": "Visite du " + fmt.Sprint(1+w.rng.IntN(28)) + " mai"})
	return w.send(t, "PUT", fmt.Sprintf("/api/v1/sites/%d/scores/%d", s.id, c.id), body, im, imDesc)
}

func ahpAction(t *testing.T, w *propertyWorld, rel int64) (string, int) {
	var active []int64
	for _, c := range w.of(rel, "criterion") {
		if c.fields["active"] == true {
			active = append(active, c.id)
		}
	}
	weights := map[int64]float64{}
	for _, id := range active {
		weights[id] = 1 + float64(w.rng.IntN(5))
	}
	var comps []map[string]any
	for i, a := range active {
		for _, b := range active[i+1:] {
			v := weights[a] / weights[b]
			if w.chance(0.1) {
				v = 1 / v // inconsistent, most likely: not applied
			}
			comps = append(comps, map[string]any{"a": a, "b": b, "value": v})
		}
	}
	if w.chance(0.1) && len(comps) > 0 {
		comps = comps[1:] // refused: 422, the grid is not covered
	}
	return w.send(t, "POST", fmt.Sprintf("/api/v1/relocations/%d/ahp", rel), jsonOf(map[string]any{"comparisons": comps}), nil, "")
}

func putManagersAction(t *testing.T, w *propertyWorld, rel int64) (string, int) {
	emails := []string{}
	for _, e := range w.managerEmails {
		if w.chance(0.5) {
			emails = append(emails, e)
		}
	}
	if w.chance(0.1) {
		emails = append(emails, w.oneOf([]string{w.viewerEmail, "inconnu@exemple.gouv.fr"})) // refused: 422
	}
	return w.send(t, "PUT", fmt.Sprintf("/api/v1/relocations/%d/managers", rel), jsonOf(map[string]any{"emails": emails}), nil, "")
}

func putRosterAction(t *testing.T, w *propertyWorld, rel int64) (string, int) {
	return w.send(t, "PUT", fmt.Sprintf("/api/v1/relocations/%d/agents", rel), w.rosterCSV(rel), []string{"Content-Type", "text/csv"}, " (roster)")
}

// formFields reads the fields of the form posting to action in page, as a browser
// would send them: inputs (checked boxes only), selected options, textareas.
func formFields(t *testing.T, page, action string) url.Values {
	t.Helper()
	m := regexp.MustCompile(`(?s)<form[^>]*action="` + regexp.QuoteMeta(action) + `"[^>]*>(.*?)</form>`).FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no form posting to %s", action)
	}
	form := m[1]
	attr := func(tag, name string) (string, bool) {
		a := regexp.MustCompile(`\s` + name + `="([^"]*)"`).FindStringSubmatch(tag)
		if a == nil {
			return "", regexp.MustCompile(`\s` + name + `[\s>]`).MatchString(tag)
		}
		return html.UnescapeString(a[1]), true
	}
	out := url.Values{}
	for _, tag := range regexp.MustCompile(`<input[^>]*>`).FindAllString(form, -1) {
		name, _ := attr(tag, "name")
		typ, _ := attr(tag, "type")
		value, hasValue := attr(tag, "value")
		if name == "" || typ == "submit" {
			continue
		}
		if typ == "checkbox" || typ == "radio" {
			if _, checked := attr(tag, "checked"); !checked {
				continue
			}
			if !hasValue {
				value = "on"
			}
		}
		out.Add(name, value)
	}
	for _, s := range regexp.MustCompile(`(?s)<select[^>]*\sname="([^"]*)"[^>]*>(.*?)</select>`).FindAllStringSubmatch(form, -1) {
		if o := regexp.MustCompile(`<option value="([^"]*)" selected>`).FindStringSubmatch(s[2]); o != nil {
			out.Set(s[1], html.UnescapeString(o[1]))
		}
	}
	for _, ta := range regexp.MustCompile(`(?s)<textarea[^>]*\sname="([^"]*)"[^>]*>(.*?)</textarea>`).FindAllStringSubmatch(form, -1) {
		out.Set(ta[1], html.UnescapeString(ta[2]))
	}
	return out
}

// submitForm posts fields as the administrator's browser and returns what it did and its
// status (303 counts as 200).
func (w *propertyWorld) submitForm(t *testing.T, path string, fields url.Values) (string, int) {
	t.Helper()
	r := w.submit(t, path, fields)
	if r.StatusCode >= 500 || r.StatusCode == 200 {
		t.Fatalf("form %s %v: %s", path, fields, r)
	}
	w.formSteps++
	status := r.StatusCode
	if status == 303 {
		status = 200
	}
	shown := url.Values{}
	for k, v := range fields {
		if k != "_csrf" {
			shown[k] = v
		}
	}
	return fmt.Sprintf("form POST %s %v", path, shown), status
}

// editForm reads the edit form of page posting to action; sometimes its version goes
// stale, as when another saved in between.
func (w *propertyWorld) editForm(t *testing.T, page, action string) url.Values {
	t.Helper()
	p := w.page(t, page)
	expect(t, p, 200)
	f := formFields(t, p.raw, action)
	if w.chance(0.07) {
		v := 0
		fmt.Sscan(f.Get("version"), &v)
		f.Set("version", fmt.Sprint(v-1))
	}
	return f
}

func relocationFormAction(t *testing.T, w *propertyWorld, rel int64) (string, int) {
	action := fmt.Sprintf("/projets/%d", rel)
	f := w.editForm(t, action+"/modifier", action)
	switch w.rng.IntN(6) {
	case 0:
		f.Set("name", "Relocalisation "+w.word())
	case 1, 2:
		f.Set("target_move", w.oneOf(fuzzyLabels))
	case 3:
		f.Set("status", w.oneOf(statuses))
	case 4:
		f.Set("visibility", w.oneOf([]string{"internal", "public"}))
	case 5:
		f.Set("headcount", "-3") // refused: 422
	}
	return w.submitForm(t, action, f)
}

func milestoneFormAction(t *testing.T, w *propertyWorld, rel int64) (string, int) {
	m, ok := w.any(rel, "milestone")
	switch n := w.rng.IntN(10); {
	case !ok || n < 3:
		over := map[string]string{"kind": w.oneOf(milestoneKinds), "title": "Étape " + w.word(), "planned": w.oneOf(fuzzyLabels)}
		if !w.hasMove(rel) && w.chance(0.5) {
			over["kind"] = "move"
		}
		if w.chance(0.5) {
			over["notes"] = "Note interne " + w.word()
		}
		return w.submitForm(t, fmt.Sprintf("/projets/%d/jalons", rel), milestoneFields(over))
	case n < 9:
		action := fmt.Sprintf("/jalons/%d", m.id)
		f := w.editForm(t, action+"/modifier", action)
		switch w.rng.IntN(4) {
		case 0, 1:
			f.Set("planned", w.oneOf(fuzzyLabels))
			f.Set("reason", "Motif : "+w.word())
		case 2:
			f.Set("title", "Étape "+w.word())
		case 3:
			f.Set("planned", "quand ce sera prêt") // refused: 422
		}
		return w.submitForm(t, action, f)
	default:
		if len(w.of(rel, "milestone")) < 3 {
			return createMilestoneAction(t, w, rel)
		}
		v := int(m.version)
		if w.chance(0.1) {
			v--
		}
		return w.submitForm(t, fmt.Sprintf("/jalons/%d/supprimer", m.id), url.Values{"version": {fmt.Sprint(v)}})
	}
}

func siteFormAction(t *testing.T, w *propertyWorld, rel int64) (string, int) {
	s, ok := w.any(rel, "site")
	if !ok {
		return createSiteAction(t, w, rel)
	}
	action := fmt.Sprintf("/sites/%d", s.id)
	f := w.editForm(t, action+"/modifier", action)
	switch w.rng.IntN(3) {
	case 0:
		f.Set("name", "Site "+w.word())
	case 1:
		f.Set("status", "selected")
		f.Set("decision_reason", "Choix du comité "+w.word())
	case 2:
		f.Set("surface_m2", fmt.Sprint(500+w.rng.IntN(3000)))
	}
	return w.submitForm(t, action, f)
}

func criterionFormAction(t *testing.T, w *propertyWorld, rel int64) (string, int) {
	c, ok := w.any(rel, "criterion")
	if !ok {
		return createCriterionAction(t, w, rel)
	}
	action := fmt.Sprintf("/criteres/%d", c.id)
	f := w.editForm(t, action+"/modifier", action)
	f.Set("weight", fmt.Sprint(5+w.rng.IntN(40)))
	return w.submitForm(t, action, f)
}

func managersFormAction(t *testing.T, w *propertyWorld, rel int64) (string, int) {
	f := url.Values{}
	for _, e := range w.managerEmails {
		if w.chance(0.5) {
			f.Add("emails", e)
		}
	}
	return w.submitForm(t, fmt.Sprintf("/projets/%d/responsables", rel), f)
}
