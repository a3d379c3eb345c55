package ui_test

import (
	"fmt"
	"math"
	"testing"
)

// urssaf is the body of a valid partner creation.
var urssaf = map[string]any{"name": "Urssaf Caisse nationale", "address": "36 rue de Valmy, 93100 Montreuil", "lat": 48.8589, "lon": 2.4364}

func partnerBody(over map[string]any, drop ...string) string { return with(urssaf, over, drop...) }

func TestAPIPartnersLifecycle(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t)
	rel := idOf(t, e.createRelocation(t, map[string]any{"slug": "partenaires-api"}))
	list := fmt.Sprintf("/api/v1/relocations/%d/partners", rel)
	if items := itemsOf(t, e.read(t, list)); len(items) != 0 {
		t.Fatalf("a new relocation has partners: %v", items)
	}
	r := e.do(t, "POST", list, partnerBody(nil))
	expect(t, r, 201)
	id := idOf(t, r.json)
	if r.Header.Get("Location") != fmt.Sprintf("/api/v1/partners/%d", id) || r.Header.Get("ETag") != etag(1) {
		t.Errorf("Location %q ETag %q", r.Header.Get("Location"), r.Header.Get("ETag"))
	}
	checkFields(t, "created partner", r.json, map[string]any{"name": "Urssaf Caisse nationale", "weight": 1.0,
		"lat": 48.8589, "lon": 2.4364, "version": 1.0, "relocation_id": float64(rel)})

	path := fmt.Sprintf("/api/v1/partners/%d", id)
	checkProblem(t, e.do(t, "PATCH", path, `{"weight":2}`), 428)
	checkProblem(t, e.do(t, "PATCH", path, `{"weight":2}`, "If-Match", etag(7)), 412)
	r = e.do(t, "PATCH", path, `{"weight":2.5}`, "If-Match", etag(1))
	expect(t, r, 200)
	checkFields(t, "updated partner", r.json, map[string]any{"weight": 2.5, "version": 2.0, "name": "Urssaf Caisse nationale"})
	// The same values again change nothing.
	r = e.do(t, "PATCH", path, `{"weight":2.5}`, "If-Match", etag(2))
	expect(t, r, 200)
	checkFields(t, "unchanged partner", r.json, map[string]any{"version": 2.0})

	journal := e.journalOf(t, rel, "partner")
	if len(journal) != 2 || journal[0]["action"] != "update" || journal[1]["action"] != "create" {
		t.Fatalf("journal of the partner: %v", journal)
	}
	if c := changeOf(t, journal[0], "weight"); c["before"] != 1.0 || c["after"] != 2.5 {
		t.Errorf("weight change %v", c)
	}

	checkProblem(t, e.do(t, "DELETE", path, ""), 428)
	checkProblem(t, e.do(t, "DELETE", path, "", "If-Match", etag(1)), 412)
	expect(t, e.do(t, "DELETE", path, "", "If-Match", etag(2)), 204)
	checkProblem(t, e.do(t, "GET", path, ""), 404)
	if journal := e.journalOf(t, rel, "partner"); len(journal) != 3 || journal[0]["action"] != "delete" {
		t.Errorf("journal after deletion: %v", journal)
	}
}

func TestAPIPartnersRefusals(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t)
	rel := idOf(t, e.createRelocation(t, map[string]any{"slug": "partenaires-refus"}))
	list := fmt.Sprintf("/api/v1/relocations/%d/partners", rel)
	pid := idOf(t, e.create(t, list, partnerBody(nil)))
	path := fmt.Sprintf("/api/v1/partners/%d", pid)
	runRefusals(t, e, []refusal{
		{name: "blank name", method: "POST", path: list, body: partnerBody(map[string]any{"name": "  "}), status: 422, fields: []string{"name"}},
		{name: "no coordinates", method: "POST", path: list, body: partnerBody(nil, "lat", "lon"), status: 422, fields: []string{"lat", "lon"}},
		{name: "latitude out of range", method: "POST", path: list, body: partnerBody(map[string]any{"lat": 91}), status: 422, fields: []string{"lat"}},
		{name: "longitude out of range", method: "POST", path: list, body: partnerBody(map[string]any{"lon": -181}), status: 422, fields: []string{"lon"}},
		{name: "zero weight", method: "POST", path: list, body: partnerBody(map[string]any{"weight": 0}), status: 422, fields: []string{"weight"}},
		{name: "negative weight", method: "PATCH", path: path, body: `{"weight":-1}`, headers: []string{"If-Match", etag(1)}, status: 422, fields: []string{"weight"}},
		{name: "unknown field", method: "POST", path: list, body: partnerBody(map[string]any{"colour": "bleu"}), status: 400},
		{name: "malformed JSON", method: "POST", path: list, body: `{"name":`, status: 400},
		{name: "unknown relocation", method: "POST", path: "/api/v1/relocations/999999/partners", body: partnerBody(nil), status: 404},
		{name: "unknown partner", method: "PATCH", path: "/api/v1/partners/999999", body: `{"weight":2}`, headers: []string{"If-Match", etag(1)}, status: 404},
	})
}

// TestAPIPartnerProximityAndCostPerResident checks the two computed sources through the
// ranking's breakdown, against hand computations.
//
// Partner proximity, with the relocation's estimator (access 5 min, detour 1,5, 20 km/h):
// the site sits 0,1° of latitude south of partner A (weight 1) and 0,2° south of partner B
// (weight 3), on the same meridian: 11,11949 km and 22,23898 km (R·Δφ), so
//
//	A: 5 + 1,5 × 11,11949 ÷ 20 × 60 = 55,03771 min; B: 5 + 100,07542 = 105,07542 min;
//	mean = (55,03771 + 3 × 105,07542) ÷ 4 = 92,56600 min.
//
// Cost per resident: 480 000 € a year ÷ 60 residents = 8 000 €; without residents set, the
// headcount (80) counts: 6 000 €.
func TestAPIPartnerProximityAndCostPerResident(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t)
	rel := idOf(t, e.createRelocation(t, map[string]any{"slug": "proximite", "headcount": 80, "residents": 60,
		"commute_access_min": 5, "commute_detour": 1.5, "commute_speed_kmh": 20}))
	crit := func(name, source string) int64 {
		return idOf(t, e.create(t, fmt.Sprintf("/api/v1/relocations/%d/criteria", rel), criterionBody(map[string]any{
			"name": name, "source": source, "direction": "lower_is_better", "scale_min": 0, "scale_max": 100000})))
	}
	prox, cost := crit("Proximité des partenaires", "partner_proximity"), crit("Coût par résident", "cost_per_resident")
	site := idOf(t, e.createSite(t, rel, map[string]any{"lat": 48.8, "lon": 2.4, "annual_cost_eur": 480000}))
	bare := idOf(t, e.createSite(t, rel, map[string]any{"name": "Sans coordonnées ni coût"}))

	valueOf := func(siteID, criterionID int64) any {
		t.Helper()
		for _, it := range itemsOf(t, e.read(t, fmt.Sprintf("/api/v1/relocations/%d/ranking", rel))) {
			if it["site_id"] != float64(siteID) {
				continue
			}
			for _, b := range it["breakdown"].([]any) {
				if m := b.(map[string]any); m["criterion_id"] == float64(criterionID) {
					return m["value"]
				}
			}
		}
		t.Fatalf("no value of site %d on criterion %d", siteID, criterionID)
		return nil
	}
	if v := valueOf(site, prox); v != nil {
		t.Errorf("proximity without partners = %v, want missing", v)
	}
	e.create(t, fmt.Sprintf("/api/v1/relocations/%d/partners", rel), partnerBody(map[string]any{"name": "A", "lat": 48.9, "lon": 2.4}))
	e.create(t, fmt.Sprintf("/api/v1/relocations/%d/partners", rel), partnerBody(map[string]any{"name": "B", "lat": 49.0, "lon": 2.4, "weight": 3}))
	km := func(deg float64) float64 { return 6371 * deg * math.Pi / 180 }
	want := (5 + 1.5*km(0.1)/20*60 + 3*(5+1.5*km(0.2)/20*60)) / 4
	if math.Abs(want-92.56600) > 1e-5 {
		t.Fatalf("hand figure %v", want)
	}
	if v, ok := valueOf(site, prox).(float64); !ok || math.Abs(v-want) > 1e-9 {
		t.Errorf("proximity = %v, want %v", valueOf(site, prox), want)
	}
	if v := valueOf(bare, prox); v != nil {
		t.Errorf("proximity of a site without coordinates = %v, want missing", v)
	}

	if v := valueOf(site, cost); v != 8000.0 {
		t.Errorf("cost per resident = %v, want 480 000 ÷ 60 = 8 000", v)
	}
	if v := valueOf(bare, cost); v != nil {
		t.Errorf("cost per resident without a cost = %v, want missing", v)
	}
	r := e.read(t, fmt.Sprintf("/api/v1/relocations/%d", rel))
	expect(t, e.do(t, "PATCH", fmt.Sprintf("/api/v1/relocations/%d", rel), `{"residents":null}`, "If-Match", etag(versionIn(t, r))), 200)
	if v := valueOf(site, cost); v != 6000.0 {
		t.Errorf("cost per resident without residents = %v, want 480 000 ÷ 80 (headcount) = 6 000", v)
	}
}

// mxPartner returns the first partner body of relocation A, creating one when there is none.
func (e *authzEnv) mxPartner(t *testing.T) int64 {
	t.Helper()
	var id *int64
	if err := e.db.Get(&id, `SELECT min(id) FROM partners WHERE relocation_id = $1`, e.relA); err != nil {
		t.Fatal(err)
	}
	if id != nil {
		return *id
	}
	return e.mxFreshPartner(t)
}

// mxFreshPartner creates a partner body of relocation A.
func (e *authzEnv) mxFreshPartner(t *testing.T) int64 {
	t.Helper()
	return idOf(t, e.create(t, fmt.Sprintf("/api/v1/relocations/%d/partners", e.relA), partnerBody(map[string]any{"name": "Partenaire de la matrice"})))
}
