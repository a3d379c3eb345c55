package ui_test

import (
	"fmt"
	"math"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"testing"
)

// Who may read and write sites, criteria, scores and AHP, and the mx… helpers that
// build those rows here and in authz_test.go's matrix.

// TestAPISiteReadsAuthorization: every account reads sites, criteria and the ranking;
// the anonymous visitor gets 401 from the API and is sent to log in by the pages; the
// forms of changes open only to those who may make them; reading writes nothing.
func TestAPISiteReadsAuthorization(t *testing.T) {
	t.Parallel()
	e := newAuthzEnv(t)
	rel := e.relA
	site := idOf(t, e.createSite(t, rel, nil))
	crit := idOf(t, e.criteriaOf(t, rel)[1])
	api := []string{fmt.Sprintf("/api/v1/relocations/%d/sites", rel), fmt.Sprintf("/api/v1/sites/%d", site),
		fmt.Sprintf("/api/v1/relocations/%d/criteria", rel), fmt.Sprintf("/api/v1/relocations/%d/ranking", rel)}
	all := []string{viewer, otherManager, manager, admin}
	editors := []string{manager, admin}
	pages := []struct {
		path    string
		allowed []string
	}{
		{fmt.Sprintf("/sites/%d", site), all},
		{fmt.Sprintf("/projets/%d/criteres", rel), all},
		{fmt.Sprintf("/projets/%d/notes", rel), all},
		{fmt.Sprintf("/projets/%d/classement", rel), all},
		{fmt.Sprintf("/projets/%d/ahp", rel), all},
		{fmt.Sprintf("/projets/%d/note-de-decision", rel), all},
		{fmt.Sprintf("/projets/%d/sites/nouveau", rel), editors},
		{fmt.Sprintf("/sites/%d/modifier", site), editors},
		{fmt.Sprintf("/criteres/%d/modifier", crit), editors},
	}
	before := e.snapshot(t)
	for _, a := range e.actors {
		for _, path := range api {
			r := e.send(t, a, request{method: "GET", path: path})
			if a.name == anonymous {
				checkProblem(t, r, http.StatusUnauthorized)
				continue
			}
			if r.StatusCode != http.StatusOK {
				t.Errorf("GET %s as %s: status %d, want 200\n%s", path, a.name, r.StatusCode, r)
			}
		}
		for _, p := range pages {
			r := e.get(t, a.sess, p.path)
			allowed := false
			for _, name := range p.allowed {
				allowed = allowed || name == a.name
			}
			switch {
			case a.name == anonymous:
				seeOther(t, r, regexp.QuoteMeta("/login?next="+url.QueryEscape(p.path)))
			case allowed:
				if r.StatusCode != http.StatusOK {
					t.Errorf("GET %s as %s: status %d, want 200\n%s", p.path, a.name, r.StatusCode, r)
				}
				checkPageHTML(t, "GET "+p.path, r)
			default:
				if r.StatusCode != http.StatusForbidden {
					t.Errorf("GET %s as %s: status %d, want 403", p.path, a.name, r.StatusCode)
				}
				checkPageHTML(t, "GET "+p.path, r)
			}
		}
	}
	if after := e.snapshot(t); after != before {
		t.Errorf("reading wrote:\nbefore %s\nafter  %s", before, after)
	}
}

// TestAPISiteWritesAuthorization sends every write of sites, criteria, scores and AHP
// through the API as each actor, checking all tables with the grid snapshot (the
// matrix of authz_test.go has the same rows, with the forms).
func TestAPISiteWritesAuthorization(t *testing.T) {
	t.Parallel()
	e := newAuthzEnv(t)
	rel := e.relA
	n := 0
	next := func() int { n++; return n }
	cases := []struct {
		name    string
		allowed []string
		status  int
		prepare func(t *testing.T) request
	}{
		{"POST /api/v1/relocations/{id}/ahp", []string{manager, admin}, 200, func(t *testing.T) request {
			return request{method: "POST", path: fmt.Sprintf("/api/v1/relocations/%d/ahp", rel), body: e.mxAHPBody(t)}
		}},
		{"POST /api/v1/relocations/{id}/sites", []string{manager, admin}, 201, func(t *testing.T) request {
			return request{method: "POST", path: fmt.Sprintf("/api/v1/relocations/%d/sites", rel), body: siteBody(map[string]any{"name": fmt.Sprintf("Site %d", next())})}
		}},
		{"PATCH /api/v1/sites/{id}", []string{manager, admin}, 200, func(t *testing.T) request {
			id := e.mxSite(t)
			return request{method: "PATCH", path: fmt.Sprintf("/api/v1/sites/%d", id), body: fmt.Sprintf(`{"name":"Site %d"}`, next()),
				headers: []string{"If-Match", etag(e.version(t, "sites", id))}}
		}},
		{"PUT /api/v1/sites/{sid}/scores/{cid}", []string{manager, admin}, 200, func(t *testing.T) request {
			id, crit := e.mxSite(t), e.mxCriterion(t)
			return request{method: "PUT", path: fmt.Sprintf("/api/v1/sites/%d/scores/%d", id, idOf(t, crit)),
				body: jsonOf(map[string]any{"value": 5, "justification": fmt.Sprintf("visite %d", next())})}
		}},
		{"POST /api/v1/relocations/{id}/criteria", []string{manager, admin}, 201, func(t *testing.T) request {
			return request{method: "POST", path: fmt.Sprintf("/api/v1/relocations/%d/criteria", rel), body: criterionBody(map[string]any{"name": fmt.Sprintf("Critère %d", next())})}
		}},
		{"PATCH /api/v1/criteria/{id}", []string{manager, admin}, 200, func(t *testing.T) request {
			crit := e.mxCriterion(t)
			return request{method: "PATCH", path: fmt.Sprintf("/api/v1/criteria/%d", idOf(t, crit)), body: fmt.Sprintf(`{"weight":%d}`, 10+next()),
				headers: []string{"If-Match", etag(versionIn(t, crit))}}
		}},
		{"DELETE /api/v1/criteria/{id}", []string{manager, admin}, 204, func(t *testing.T) request {
			return request{method: "DELETE", path: fmt.Sprintf("/api/v1/criteria/%d", e.mxFreshCriterion(t)), headers: []string{"If-Match", etag(1)}}
		}},
	}
	for _, c := range cases {
		for _, a := range e.actors {
			t.Run(c.name+"/"+a.name, func(t *testing.T) {
				req := c.prepare(t)
				before := e.snapshot(t)
				r := e.send(t, a, req)
				after := e.snapshot(t)
				allowed := false
				for _, name := range c.allowed {
					allowed = allowed || name == a.name
				}
				switch {
				case allowed:
					if r.StatusCode != c.status && !(c.status == 200 && r.StatusCode == 201) {
						t.Fatalf("status %d, want %d\n%s", r.StatusCode, c.status, r)
					}
					if after == before {
						t.Errorf("an allowed request wrote nothing")
					}
					return
				case a.name == anonymous:
					checkProblem(t, r, http.StatusUnauthorized)
				default:
					checkProblem(t, r, http.StatusForbidden)
				}
				if after != before {
					t.Errorf("a refused request wrote:\nbefore %s\nafter  %s", before, after)
				}
			})
		}
	}
}

// The helpers of the authorization rows (here and in authz_test.go's matrix), all on
// relocation A.

// mxSite returns the first site of relocation A, creating one when there is none.
func (e *authzEnv) mxSite(t *testing.T) int64 {
	t.Helper()
	var id *int64
	if err := e.db.Get(&id, `SELECT min(id) FROM sites WHERE relocation_id = $1`, e.relA); err != nil {
		t.Fatal(err)
	}
	if id != nil {
		return *id
	}
	return e.mxFreshSite(t)
}

// mxFreshSite creates a site of relocation A.
func (e *authzEnv) mxFreshSite(t *testing.T) int64 {
	t.Helper()
	return idOf(t, e.createSite(t, e.relA, map[string]any{"name": "Site de la matrice"}))
}

// mxCriterion returns relocation A's first manual criterion, as the API lists it.
func (e *authzEnv) mxCriterion(t *testing.T) map[string]any {
	t.Helper()
	for _, c := range e.criteriaOf(t, e.relA) {
		if c["source"] == "manual" {
			return c
		}
	}
	t.Fatal("relocation A has no manual criterion")
	return nil
}

// mxFreshCriterion creates a criterion of relocation A.
func (e *authzEnv) mxFreshCriterion(t *testing.T) int64 {
	t.Helper()
	return idOf(t, e.create(t, fmt.Sprintf("/api/v1/relocations/%d/criteria", e.relA), criterionBody(map[string]any{"name": "Critère de la matrice"})))
}

// mxAHPRatios returns relocation A's criteria ids and consistent comparisons over every
// pair (i < j) that change their weights: all equal unless they are equal already,
// else the first twice as important as each other.
func (e *authzEnv) mxAHPRatios(t *testing.T) ([]int64, map[[2]int64]float64) {
	t.Helper()
	cs := e.criteriaOf(t, e.relA)
	equal := true
	order := make([]int64, len(cs))
	for i, c := range cs {
		order[i] = idOf(t, c)
		equal = equal && math.Abs(c["weight"].(float64)-cs[0]["weight"].(float64)) < 1e-6
	}
	ratios := map[[2]int64]float64{}
	for i := range order {
		for j := i + 1; j < len(order); j++ {
			ratios[[2]int64{order[i], order[j]}] = 1
			if equal && i == 0 {
				ratios[[2]int64{order[i], order[j]}] = 2
			}
		}
	}
	return order, ratios
}

// mxAHPBody is the API body of mxAHPRatios.
func (e *authzEnv) mxAHPBody(t *testing.T) string {
	t.Helper()
	order, ratios := e.mxAHPRatios(t)
	ones := map[int64]float64{}
	for _, id := range order {
		ones[id] = 1
	}
	return ahpBody(order, ones, ratios)
}

// mxAHPForm is the AHP form of mxAHPRatios.
func (e *authzEnv) mxAHPForm(t *testing.T) url.Values {
	t.Helper()
	_, ratios := e.mxAHPRatios(t)
	f := url.Values{}
	for pair, v := range ratios {
		f.Set(fmt.Sprintf("c-%d-%d", pair[0], pair[1]), strconv.Itoa(int(v)))
	}
	return f
}

// mxCriterionForm is the edit form of relocation A's first manual criterion with a new weight.
func (e *authzEnv) mxCriterionForm(t *testing.T, weight int) (int64, url.Values) {
	t.Helper()
	c := e.mxCriterion(t)
	return idOf(t, c), url.Values{"name": {c["name"].(string)}, "description": {c["description"].(string)},
		"weight": {strconv.Itoa(weight)}, "direction": {c["direction"].(string)}, "source": {c["source"].(string)},
		"scale_min": {fmt.Sprint(c["scale_min"])}, "scale_max": {fmt.Sprint(c["scale_max"])},
		"version": {strconv.Itoa(versionIn(t, c))}}
}
