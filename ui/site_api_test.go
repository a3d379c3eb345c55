package ui_test

import (
	"fmt"
	"math"
	"net/url"
	"strconv"
	"testing"
)

// Who may read sites, criteria, scores and AHP, and the mx… helpers that build the
// write rows of authz_test.go's matrix (whose snapshot covers every table).

// TestAPISiteReadsAuthorization: every account reads sites, criteria and the ranking;
// the anonymous visitor gets 401 from the API and is sent to log in by the pages; the
// forms of changes open only to those who may make them; reading writes nothing.
func TestAPISiteReadsAuthorization(t *testing.T) {
	t.Parallel()
	e := newAuthzEnv(t)
	rel := e.relA
	site := idOf(t, e.createSite(t, rel, nil))
	crit := idOf(t, e.criteriaOf(t, rel)[1])
	partner := e.mxFreshPartner(t)
	api := []string{fmt.Sprintf("/api/v1/relocations/%d/sites", rel), fmt.Sprintf("/api/v1/sites/%d", site),
		fmt.Sprintf("/api/v1/partners/%d", partner),
		fmt.Sprintf("/api/v1/relocations/%d/criteria", rel), fmt.Sprintf("/api/v1/relocations/%d/ranking", rel)}
	all := []string{viewer, otherManager, manager, admin}
	editors := []string{manager, admin}
	pages := []readRule{
		{fmt.Sprintf("/sites/%d", site), all},
		{fmt.Sprintf("/projets/%d/criteres", rel), all},
		{fmt.Sprintf("/projets/%d/notes", rel), all},
		{fmt.Sprintf("/projets/%d/classement", rel), all},
		{fmt.Sprintf("/projets/%d/ahp", rel), all},
		{fmt.Sprintf("/projets/%d/note-de-decision", rel), all},
		{fmt.Sprintf("/projets/%d/sites/nouveau", rel), editors},
		{fmt.Sprintf("/sites/%d/modifier", site), editors},
		{fmt.Sprintf("/criteres/%d/modifier", crit), editors},
		{fmt.Sprintf("/projets/%d/partenaires", rel), all},
		{fmt.Sprintf("/partenaires/%d/modifier", partner), editors},
		{fmt.Sprintf("/partenaires/%d/supprimer", partner), editors},
	}
	before := e.snapshot(t)
	checkReads(t, e, api, pages)
	e.unchanged(t, before, "reading wrote")
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
