package ui_test

import (
	"fmt"
	"html"
	"math"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// The ranking tests build a grid through the API whose figures can be checked by hand.
// The relocation needs 1 000 m²; its default commute criterion is deleted once its
// effect (every site incomplete until the roster exists) has been checked, which leaves
// Surface (30, surface ÷ 1 000 on 0–1.5, threshold 1), Visibilité (25, 0–10) and
// Nécessités (20, 0–10): Σw = 75.
//
//	site                  surface  vis  néc   n(surf)  n(vis)  n(néc)  score
//	Bas Montreuil           1 200    8    6    0,8      0,8     0,6     100·(24+20+12)/75   = 74,666…
//	Saint-Denis Pleyel      1 500    4    5    1        0,4     0,5     100·(30+10+10)/75   = 66,666…
//	Locaux du partenaire      600    9    9    0,4      0,9     0,9     100·(12+22,5+18)/75 = 70 (écarté: 0,6 < 1)
//	Site sans surface           —    5    5    incomplete (no surface)
//
// Sensitivity, Bas Montreuil (top) against Saint-Denis Pleyel (the eliminated site does
// not compete); d = n(top) − n(other) = (−0,2; 0,4; 0,1).
//   - Surface: at pᵢ = 1, D = a = −0,2; at pᵢ = 0, D = b = (25·0,4 + 20·0,1)/45 = 12/45.
//     D = a·t + b·(1−t) = 0 at t = b/(b−a) = (12/45)/(12/45 + 9/45) = 12/21 = 57,14 %:
//     « entre 0,0 % et 57,1 % (actuellement 40,0 %) ». Check: at t = 4/7 both score
//     4/7·n + 3/7·B: top 0,4571 + 0,4286·32/45 = 0,7619, other 0,5714 + 0,4286·20/45 = 0,7619.
//   - Visibilité: a = 0,4, b = (30·(−0,2) + 20·0,1)/50 = −0,08: lo = 0,08/0,48 = 16,7 %.
//   - Nécessités: a = 0,1, b = (−6 + 10)/55 > 0: [0, 100], « quel que soit ce poids ».
const (
	rkSurface = "Surface nécessaire et offres immobilières"
	rkVis     = "Visibilité et accessibilité"
	rkCommute = "Situation des agents, temps de trajet"
	rkNeeds   = "Nécessités des métiers et pratiques de travail"
)

// rkGrid is the test grid: the relocation and the ids of its sites and criteria by name.
type rkGrid struct {
	id       int64
	sites    map[string]int64
	criteria map[string]int64
}

// rkCriteria reads a relocation's criteria by name: id, weight and version.
func rkCriteria(t *testing.T, e *apiEnv, relocationID int64) map[string]map[string]any {
	t.Helper()
	r := e.do(t, "GET", fmt.Sprintf("/api/v1/relocations/%d/criteria", relocationID), "")
	expect(t, r, 200)
	out := map[string]map[string]any{}
	items, _ := r.json["items"].([]any)
	for _, it := range items {
		m := it.(map[string]any)
		out[m["name"].(string)] = m
	}
	return out
}

// rkNewGrid creates the relocation, checks that the commute criterion leaves every site
// incomplete, deletes it, then creates the four sites and enters their scores.
func rkNewGrid(t *testing.T, e *apiEnv, checkIncomplete func(g rkGrid)) rkGrid {
	t.Helper()
	rel := e.create(t, "/api/v1/relocations", relocationBody(map[string]any{"slug": "cleiss-classement", "required_surface_m2": 1000}))
	g := rkGrid{id: idOf(t, rel), sites: map[string]int64{}, criteria: map[string]int64{}}
	for name, c := range rkCriteria(t, e, g.id) {
		g.criteria[name] = int64(c["id"].(float64))
	}
	type site struct {
		name      string
		surface   any
		vis, need float64
	}
	all := []site{{"Bas Montreuil", 1200, 8, 6}, {"Saint-Denis Pleyel", 1500, 4, 5},
		{"Locaux du partenaire", 600, 9, 9}, {"Site sans surface", nil, 5, 5}}
	for _, s := range all {
		body := map[string]any{"name": s.name, "kind": "lease"}
		if s.surface != nil {
			body["surface_m2"] = s.surface
		}
		m := e.create(t, fmt.Sprintf("/api/v1/relocations/%d/sites", g.id), jsonOf(body))
		g.sites[s.name] = idOf(t, m)
		for crit, v := range map[string]float64{rkVis: s.vis, rkNeeds: s.need} {
			r := e.do(t, "PUT", fmt.Sprintf("/api/v1/sites/%d/scores/%d", g.sites[s.name], g.criteria[crit]),
				jsonOf(map[string]any{"value": v, "justification": "Visite du " + s.name}))
			if r.StatusCode != 200 && r.StatusCode != 201 {
				t.Fatalf("score %s/%s: %s", s.name, crit, r)
			}
		}
	}
	if checkIncomplete != nil {
		checkIncomplete(g)
	}
	commute := rkCriteria(t, e, g.id)[rkCommute]
	r := e.do(t, "DELETE", fmt.Sprintf("/api/v1/criteria/%d", g.criteria[rkCommute]), "",
		"If-Match", etag(int(commute["version"].(float64))))
	expect(t, r, 204)
	delete(g.criteria, rkCommute)
	return g
}

// rkSession is a browser signed in through the login form: its cookie and the
// session's CSRF token.
type rkSession struct {
	e      *apiEnv
	cookie string
	csrf   string
}

var rkCSRFField = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

// rkLogin signs email in: GET /login for the tracker_csrf cookie and the form's token,
// POST /login, then reads the session's CSRF token from a page.
func rkLogin(t *testing.T, e *apiEnv, email string) *rkSession {
	t.Helper()
	r := apiDo(t, e.app, "GET", "/login", "", "Accept", "text/html")
	expect(t, r, 200)
	var csrfCookie string
	for _, ck := range r.Cookies() {
		if ck.Name == "tracker_csrf" {
			csrfCookie = ck.Value
		}
	}
	m := rkCSRFField.FindStringSubmatch(r.raw)
	if m == nil || csrfCookie == "" {
		t.Fatalf("login page: no CSRF token\n%s", r)
	}
	form := url.Values{"email": {email}, "password": {testPassword}, "_csrf": {html.UnescapeString(m[1])}, "next": {"/"}}
	r = apiDo(t, e.app, "POST", "/login", form.Encode(), "Content-Type", "application/x-www-form-urlencoded",
		"Accept", "text/html", "Cookie", "tracker_csrf="+csrfCookie)
	expect(t, r, http.StatusSeeOther)
	s := &rkSession{e: e}
	for _, ck := range r.Cookies() {
		if ck.Name == "tracker_session" {
			s.cookie = "tracker_session=" + ck.Value
		}
	}
	if s.cookie == "" {
		t.Fatalf("login as %s: no session cookie", email)
	}
	page := s.get(t, "/")
	if m = rkCSRFField.FindStringSubmatch(page.raw); m == nil {
		t.Fatalf("no session CSRF token on the portfolio")
	}
	s.csrf = html.UnescapeString(m[1])
	return s
}

func (s *rkSession) get(t *testing.T, path string) apiResp {
	t.Helper()
	return apiDo(t, s.e.app, "GET", path, "", "Accept", "text/html", "Cookie", s.cookie)
}

// page GETs path, expects 200 and checks what every page must be (CSP, no inline code).
func (s *rkSession) page(t *testing.T, path string) string {
	t.Helper()
	r := s.get(t, path)
	expect(t, r, 200)
	checkPageHTML(t, "GET "+path, r)
	return r.raw
}

func (s *rkSession) post(t *testing.T, path string, form url.Values) apiResp {
	t.Helper()
	f := url.Values{}
	for k, v := range form {
		f[k] = v
	}
	f.Set("_csrf", s.csrf)
	return apiDo(t, s.e.app, "POST", path, f.Encode(), "Content-Type", "application/x-www-form-urlencoded",
		"Accept", "text/html", "Cookie", s.cookie)
}

// rkText is the page's text without tags, character references decoded and spaces
// collapsed, to find sentences whatever the markup inside them.
func rkText(page string) string {
	text := html.UnescapeString(regexp.MustCompile(`(?s)<[^>]*>`).ReplaceAllString(page, " "))
	return strings.Join(strings.Fields(text), " ")
}

func rkContains(t *testing.T, what, page string, fragments ...string) {
	t.Helper()
	text := rkText(page)
	for _, f := range fragments {
		if !strings.Contains(text, f) {
			t.Errorf("%s lacks %q", what, f)
		}
	}
}

// rkRow returns the text of the first table row whose header cell names site.
func rkRow(t *testing.T, page, site string) string {
	t.Helper()
	name := regexp.MustCompile(`>` + regexp.QuoteMeta(site) + `\s*<`)
	for _, row := range regexp.MustCompile(`(?s)<tr>.*?</tr>`).FindAllString(page, -1) {
		if name.MatchString(html.UnescapeString(row)) {
			return rkText(row)
		}
	}
	t.Fatalf("no row for %s", site)
	return ""
}

func TestRankingPage(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t)
	s := rkLogin(t, e, adminEmail)
	g := rkNewGrid(t, e, func(g rkGrid) {
		page := s.page(t, fmt.Sprintf("/projets/%d/classement", g.id))
		rkContains(t, "ranking with the commute criterion", page,
			"incomplet, il manque : "+rkCommute,
			"Les critères de temps de trajet restent sans valeur tant que le fichier des agents n’a pas été importé.",
			"Pas d’analyse de sensibilité : aucun site n’est classé.")
	})
	path := fmt.Sprintf("/projets/%d/classement", g.id)
	page := s.page(t, path)

	if row := rkRow(t, page, "Bas Montreuil"); !strings.HasPrefix(row, "1 Bas Montreuil 74,7 classé") {
		t.Errorf("Bas Montreuil row: %q", row)
	}
	if row := rkRow(t, page, "Saint-Denis Pleyel"); !strings.HasPrefix(row, "2 Saint-Denis Pleyel 66,7 classé") {
		t.Errorf("Saint-Denis Pleyel row: %q", row)
	}
	if row := rkRow(t, page, "Locaux du partenaire"); !strings.HasPrefix(row, "— Locaux du partenaire 70,0 écarté : "+rkSurface+" sous le seuil de 1 (valeur 0,6)") {
		t.Errorf("Locaux du partenaire row: %q", row)
	}
	if row := rkRow(t, page, "Site sans surface"); !strings.Contains(row, "incomplet, il manque : "+rkSurface) ||
		!strings.Contains(row, "La surface du site n’est pas renseignée") {
		t.Errorf("Site sans surface row: %q", row)
	}
	rkContains(t, "ranking", page,
		"Bas Montreuil reste premier tant que le poids de « "+rkSurface+" » reste entre 0,0 % et 57,1 % (actuellement 40,0 %).",
		"Bas Montreuil reste premier tant que le poids de « "+rkVis+" » reste entre 16,7 % et 100,0 % (actuellement 33,3 %).",
		"Poids de « "+rkNeeds+" » (actuellement 26,7 %) : Bas Montreuil reste premier quel que soit ce poids.",
	)
	for _, link := range []string{"/classement.csv", "/note-de-decision", "/ahp", "/criteres"} {
		if !strings.Contains(page, fmt.Sprintf(`href="/projets/%d%s"`, g.id, link)) {
			t.Errorf("ranking: no link to %s", link)
		}
	}

	// The chart: inline SVG with a role and a label, one segment per positive contribution
	// of the three sites with a score (the incomplete one is not drawn), coloured by class.
	svg := regexp.MustCompile(`(?s)<svg[^>]*>.*?</svg>`).FindString(page)
	if svg == "" {
		t.Fatal("ranking: no inline SVG")
	}
	open := regexp.MustCompile(`<svg[^>]*>`).FindString(svg)
	if !strings.Contains(open, `role="img"`) || !regexp.MustCompile(`aria-label="[^"]*Bas Montreuil : 74,7`).MatchString(html.UnescapeString(open)) {
		t.Errorf("SVG without role or label: %s", open)
	}
	if n := len(regexp.MustCompile(`<rect class="crit-[0-9]"`).FindAllString(svg, -1)); n != 9 {
		t.Errorf("SVG has %d segments, want 9 (3 sites × 3 criteria)", n)
	}
	if strings.Contains(svg, "Site sans surface") {
		t.Error("the incomplete site is drawn")
	}
	// The same figures in a table: Bas Montreuil's contributions 32 + 26,7 + 16 = 74,7.
	table := regexp.MustCompile(`(?s)<caption>Contribution de chaque critère.*?</table>`).FindString(page)
	if row := rkRow(t, table, "Bas Montreuil"); row != "Bas Montreuil rang 1 32,0 (1,2) 26,7 (8) 16,0 (6) 74,7" {
		t.Errorf("contribution table row: %q", row)
	}

	// Robustness (SMAA-2): with d = n(Bas Montreuil) − n(Saint-Denis Pleyel) = (−0,2; 0,4;
	// 0,1) and w₃ = 1 − w₁ − w₂, Bas Montreuil is first iff w₁ − w₂ < 1/3. On the uniform
	// 2-simplex (density 2), P(w₁ − w₂ ≥ 1/3) = 2·∫₀^{1/3} (2/3 − 2w₂) dw₂ = 2/9: first in
	// 7/9 = 77,8 % of the weightings. Within ±5 points of (40; 33,3; 26,7), w₁ − w₂ ≤
	// 45 − 28,3 = 16,7 points < 1/3: first in 100 %.
	m := regexp.MustCompile(`Bas Montreuil est premier dans (\d+) % des pondérations possibles ; dans 100 % à ±5 points des poids retenus\.`).
		FindStringSubmatch(rkText(page))
	if m == nil {
		t.Fatal("ranking: no robustness sentence")
	}
	if got, _ := strconv.Atoi(m[1]); math.Abs(float64(got)-700.0/9) > 1.5 {
		t.Errorf("Bas Montreuil first in %d %% of the weightings, want 77,8 %% (7/9)", got)
	}
	acc := regexp.MustCompile(`(?s)<caption>Part des pondérations.*?</table>`).FindString(page)
	if row := rkRow(t, acc, "Saint-Denis Pleyel"); !strings.HasPrefix(row, "Saint-Denis Pleyel ") || !strings.Contains(row, " 0 % ") {
		t.Errorf("acceptability row: %q (never first within ±5 points)", row)
	}
	if strings.Contains(acc, "Locaux du partenaire") || strings.Contains(acc, "Site sans surface") {
		t.Error("an eliminated or incomplete site is in the acceptability table")
	}
}

func TestRankingSensitivityReasons(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t)
	s := rkLogin(t, e, adminEmail)
	rel := e.create(t, "/api/v1/relocations", relocationBody(map[string]any{"slug": "egalite", "required_surface_m2": 1000}))
	id := idOf(t, rel)
	cs := rkCriteria(t, e, id)
	commute := cs[rkCommute]
	expect(t, e.do(t, "DELETE", fmt.Sprintf("/api/v1/criteria/%d", int64(commute["id"].(float64))), "",
		"If-Match", etag(int(commute["version"].(float64)))), 204)
	addSite := func(name string) {
		m := e.create(t, fmt.Sprintf("/api/v1/relocations/%d/sites", id), jsonOf(map[string]any{"name": name, "kind": "lease", "surface_m2": 1000}))
		for _, crit := range []string{rkVis, rkNeeds} {
			r := e.do(t, "PUT", fmt.Sprintf("/api/v1/sites/%d/scores/%d", idOf(t, m), int64(cs[crit]["id"].(float64))),
				`{"value":5,"justification":"même note"}`)
			if r.StatusCode != 201 {
				t.Fatalf("score: %s", r)
			}
		}
	}
	addSite("Site A")
	path := fmt.Sprintf("/projets/%d/classement", id)
	rkContains(t, "one ranked site", s.page(t, path), "il faut au moins deux sites classés")
	addSite("Site B")
	rkContains(t, "a tie", s.page(t, path), "la première place est partagée entre Site A et Site B")
}

// TestRankingQueries checks that the ranking page takes the same number of queries for
// 2 sites × 4 criteria and for 20 sites × 8 criteria.
func TestRankingQueries(t *testing.T) {
	t.Parallel()
	e := newCountingEnv(t)
	queries, admin := e.queries, e.session
	rel := e.create(t, "/api/v1/relocations", relocationBody(map[string]any{"required_surface_m2": 1000}))
	id := idOf(t, rel)
	var manual []int64
	for _, c := range rkCriteria(t, e.apiEnv, id) {
		if c["source"] == "manual" {
			manual = append(manual, int64(c["id"].(float64)))
		}
	}
	addSites := func(n int) {
		for range n {
			m := e.create(t, fmt.Sprintf("/api/v1/relocations/%d/sites", id), `{"name":"Site","kind":"lease","surface_m2":1200}`)
			for _, cid := range manual {
				e.do(t, "PUT", fmt.Sprintf("/api/v1/sites/%d/scores/%d", idOf(t, m), cid), `{"value":5,"justification":"j"}`)
			}
		}
	}
	count := func() int64 {
		before := queries.Load()
		r := e.get(t, admin, fmt.Sprintf("/projets/%d/classement", id))
		expect(t, r, 200)
		return queries.Load() - before
	}
	addSites(2)
	small := count()
	for i := range 4 {
		e.create(t, fmt.Sprintf("/api/v1/relocations/%d/criteria", id), jsonOf(map[string]any{
			"name": fmt.Sprintf("Critère %d", i), "weight": 10, "direction": "higher_is_better", "scale_min": 0, "scale_max": 10}))
	}
	addSites(18)
	large := count()
	t.Logf("ranking page: %d queries for 2 sites × 4 criteria, %d for 20 sites × 8 criteria", small, large)
	if large != small || small > 10 {
		t.Errorf("the ranking page takes %d queries for 2 sites and %d for 20 sites × 8 criteria", small, large)
	}
}
