package ui_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// The rules of values: what real users and probes send, refused with a
// French message and nothing stored, whatever the path (API JSON or form).

// TestValuesRefusedEverywhere: degenerate numbers (subnormal weights and surfaces),
// texts that hide or disguise themselves, and nested duplicate or case-variant keys are
// refused by the API; texts are stored in NFC.
func TestValuesRefusedEverywhere(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t)
	rel := idOf(t, e.createRelocation(t, nil))
	cs := e.criteriaOf(t, rel)
	a, b := idOf(t, cs[0]), idOf(t, cs[1])
	sites := fmt.Sprintf("/api/v1/relocations/%d/sites", rel)
	ahp := fmt.Sprintf("/api/v1/relocations/%d/ahp", rel)
	runRefusals(t, e, []refusal{
		{name: "weight 5e-324", method: "POST", path: fmt.Sprintf("/api/v1/relocations/%d/criteria", rel),
			body: `{"name":"Coût","weight":5e-324,"direction":"lower_is_better","scale_min":0,"scale_max":10}`, status: 422, fields: []string{"weight"},
			contains: map[string]string{"weight": "trop proche de zéro"}},
		{name: "surface 1e-320", method: "POST", path: sites, body: `{"name":"Pantin","kind":"lease","surface_m2":1e-320}`, status: 422,
			fields: []string{"surface_m2"}},
		{name: "required surface 1e-320", method: "PATCH", path: fmt.Sprintf("/api/v1/relocations/%d", rel), headers: []string{"If-Match", etag(1)},
			body: `{"required_surface_m2":1e-320}`, status: 422, fields: []string{"required_surface_m2"}},
		{name: "zero-width name", method: "POST", path: sites, body: `{"name":"\u200b\u200b\u2060","kind":"lease"}`, status: 422,
			fields: []string{"name"}, contains: map[string]string{"name": "invisibles"}},
		{name: "right-to-left override", method: "POST", path: sites, body: `{"name":"Site \u202eniatnaP","kind":"lease"}`, status: 422,
			fields: []string{"name"}, contains: map[string]string{"name": "bidirectionnelle"}},
		{name: "control character", method: "POST", path: sites, body: `{"name":"Pantin\u001c","kind":"lease"}`, status: 422,
			fields: []string{"name"}, contains: map[string]string{"name": "contrôle"}},
		{name: "Latin and Cyrillic in a word", method: "POST", path: "/api/v1/relocations",
			body: relocationBody(map[string]any{"slug": "cleiss-bis", "name": "Relocalisation du \u0421LEISS"}), status: 422,
			fields: []string{"name"}, contains: map[string]string{"name": "cyrillique"}},
		{name: "nested duplicate key", method: "POST", path: ahp,
			body: fmt.Sprintf(`{"comparisons":[{"a":%d,"b":%d,"value":3,"value":1}]}`, a, b), status: 400},
		{name: "nested case-variant key", method: "POST", path: ahp,
			body: fmt.Sprintf(`{"comparisons":[{"A":%d,"b":%d,"value":3}]}`, a, b), status: 400},
		{name: "subnormal AHP value", method: "POST", path: ahp,
			body: fmt.Sprintf(`{"comparisons":[{"a":%d,"b":%d,"value":1e-320}]}`, a, b), status: 422, fields: []string{"comparisons[0].value"}},
		{name: "duplicate key in a date object", method: "POST", path: sites,
			body: `{"name":"Pantin","kind":"lease","available_from":{"value":"2022","value":"2023"}}`, status: 400},
	})
	site := e.create(t, sites, `{"name":"Ope\u0301ra","kind":"lease"}`)
	if site["name"] != "Opéra" {
		t.Errorf("a decomposed name is stored as %q, want it in NFC", site["name"])
	}
}

// TestFormsReadNumbersAsTyped: forms take decimal notation only (1_6 and 0x1p4, which
// read as 16 before, are refused) and numbers as people type them: « 35 % » for a
// weight, « 150 000 € » and « 150 000,50 » for an amount, with any kind of space.
func TestFormsReadNumbersAsTyped(t *testing.T) {
	t.Parallel()
	c := newFormClient(t)
	rel := c.createRelocationForm(t, nil)
	criteria := fmt.Sprintf("/projets/%d/criteres", rel)
	criterion := func(weight string) url.Values {
		return url.Values{"name": {"Critère " + weight}, "weight": {weight}, "direction": {"higher_is_better"},
			"scale_min": {"0"}, "scale_max": {"10"}, "source": {"manual"}}
	}
	for _, weight := range []string{"1_6", "0x1p4", "1e1", "5e-324", "16 km"} {
		before := c.snapshot(t)
		r := c.submit(t, criteria, criterion(weight))
		expect(t, r, http.StatusUnprocessableEntity)
		contains(t, "weight "+weight, r.raw, "nombre")
		c.unchanged(t, before, "weight %q", weight)
	}
	seeOther(t, c.submit(t, criteria, criterion("35 %")), `/projets/\d+/criteres.*`)
	weights := map[string]float64{}
	for _, cr := range c.criteriaOf(t, rel) {
		weights[cr["name"].(string)] = cr["weight"].(float64)
	}
	if weights["Critère 35 %"] != 35 {
		t.Errorf("weight « 35 %% » stored as %v", weights["Critère 35 %"])
	}
	for typed, want := range map[string]float64{"150 000 €": 150000, "150\u202f000,50": 150000.5, "150\u00a0000 EUR": 150000} {
		seeOther(t, c.submit(t, fmt.Sprintf("/projets/%d/sites", rel), url.Values{"name": {"Site " + typed}, "kind": {"lease"},
			"status": {"candidate"}, "annual_cost_eur": {typed}, "surface_m2": {"2 240 m²"}}), `/sites/\d+.*`)
		var cost, surface float64
		if err := c.db.QueryRow(`SELECT annual_cost_eur, surface_m2 FROM sites WHERE name = $1`, "Site "+typed).Scan(&cost, &surface); err != nil {
			t.Fatal(err)
		}
		if cost != want || surface != 2240 {
			t.Errorf("« %s » stored as %v €, « 2 240 m² » as %v", typed, cost, surface)
		}
	}
}

// TestCoordinatesRule: SPEC's coordinates rule on the origin, sites and partners, through the
// API and the forms: ranges, max_distance_km (default 1,200, settable) from the origin,
// « latitude et longitude semblent inversées », degrees-minutes-seconds in forms, and
// the site page showing coordinates with a link to a map.
func TestCoordinatesRule(t *testing.T) {
	t.Parallel()
	c := newFormClient(t)
	created := c.createRelocation(t, map[string]any{"origin_lat": 48.8794, "origin_lon": 2.3358})
	rel := idOf(t, created)
	if created["max_distance_km"] != 1200.0 {
		t.Errorf("max_distance_km = %v, want the default 1200", created["max_distance_km"])
	}
	sites := fmt.Sprintf("/api/v1/relocations/%d/sites", rel)
	runRefusals(t, c.apiEnv, []refusal{
		{name: "swapped site", method: "POST", path: sites, body: siteBody(map[string]any{"lat": 2.4255, "lon": 48.8555}), status: 422,
			fields: []string{"lat"}, contains: map[string]string{"lat": "latitude et longitude semblent inversées"}},
		{name: "site in New York", method: "POST", path: sites, body: siteBody(map[string]any{"lat": 40.7128, "lon": -74.006}), status: 422,
			fields: []string{"lat"}, contains: map[string]string{"lat": "distance maximale de 1\u202f200 km"}},
		{name: "swapped origin", method: "POST", path: "/api/v1/relocations",
			body: relocationBody(map[string]any{"slug": "autre", "origin_lat": 120, "origin_lon": 48}), status: 422,
			fields: []string{"origin_lat"}, contains: map[string]string{"origin_lat": "semblent inversées"}},
		{name: "swapped partner", method: "POST", path: fmt.Sprintf("/api/v1/relocations/%d/partners", rel),
			body: `{"name":"Urssaf Caisse nationale","lat":2.44,"lon":48.86}`, status: 422,
			fields: []string{"lat"}, contains: map[string]string{"lat": "semblent inversées"}},
		{name: "max_distance_km 0", method: "PATCH", path: fmt.Sprintf("/api/v1/relocations/%d", rel), headers: []string{"If-Match", etag(1)},
			body: `{"max_distance_km":0}`, status: 422, fields: []string{"max_distance_km"}},
	})
	site := idOf(t, c.create(t, sites, siteBody(map[string]any{"lat": 48.8555, "lon": 2.4255})))
	// A wider reach lets New York in.
	r := c.do(t, "PATCH", fmt.Sprintf("/api/v1/relocations/%d", rel), `{"max_distance_km":8000}`, "If-Match", etag(1))
	expect(t, r, http.StatusOK)
	if r.json["max_distance_km"] != 8000.0 {
		t.Errorf("PATCH max_distance_km: %v", r.json["max_distance_km"])
	}
	c.create(t, sites, siteBody(map[string]any{"name": "New York", "lat": 40.7128, "lon": -74.006}))

	// The site form reads degrees, minutes, seconds, and says when they look swapped.
	form := func(lat, lon string) url.Values {
		return url.Values{"name": {"Bas Montreuil"}, "kind": {"lease"}, "status": {"candidate"}, "lat": {lat}, "lon": {lon},
			"version": {fmt.Sprint(c.version(t, "sites", site))}}
	}
	r = c.submit(t, fmt.Sprintf("/sites/%d", site), form(`48°55'07"E`, `2°26'40"N`))
	expect(t, r, http.StatusUnprocessableEntity)
	contains(t, "swapped DMS", r.raw, "semblent inversées")
	seeOther(t, c.submit(t, fmt.Sprintf("/sites/%d", site), form(`48°55'07"N`, `2°26'40"E`)), `/sites/\d+.*`)
	var lat, lon float64
	if err := c.db.QueryRow(`SELECT lat, lon FROM sites WHERE id = $1`, site).Scan(&lat, &lon); err != nil {
		t.Fatal(err)
	}
	if d := lat - (48 + 55.0/60 + 7.0/3600); d > 1e-12 || d < -1e-12 || lon < 2.4444 || lon > 2.4445 {
		t.Errorf("48°55'07\"N, 2°26'40\"E stored as %v, %v", lat, lon)
	}
	page := c.okPage(t, fmt.Sprintf("/sites/%d", site))
	contains(t, "site page", page, "Coordonnées", "48,918611°\u00a0N, 2,444444°\u00a0E",
		`href="https://www.openstreetmap.org/?mlat=48.91861111111111&mlon=2.4444444444444446#map=17/48.91861111111111/2.4444444444444446"`)
	if strings.Contains(page, "<iframe") {
		t.Error("the site page embeds a map")
	}

	// The relocation form carries max_distance_km.
	edit := c.okPage(t, fmt.Sprintf("/projets/%d/modifier", rel))
	if got := inputValue(t, edit, "max_distance_km"); got != "8000" {
		t.Errorf("the relocation form shows max_distance_km %q", got)
	}
}

// TestRosterHomesBeyondReach: a roster line whose home is beyond the relocation's
// max_distance_km, or swapped, is refused with its line (422), nothing imported.
func TestRosterHomesBeyondReach(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t)
	rel := idOf(t, e.createRelocation(t, map[string]any{"origin_lat": 48.8794, "origin_lon": 2.3358}))
	before := e.snapshot(t)
	r := e.do(t, "PUT", fmt.Sprintf("/api/v1/relocations/%d/agents", rel),
		"agent_ref;home_lat;home_lon\nA1;48,85;2,43\nA2;2,43;48,85\n", "Content-Type", "text/csv")
	expect(t, r, http.StatusUnprocessableEntity)
	errs, _ := r.json["errors"].([]any)
	if len(errs) != 1 || !strings.Contains(fmt.Sprint(errs[0]), "semblent inversées") || !strings.Contains(fmt.Sprint(errs[0]), "line:3") {
		t.Errorf("errors %v, want line 3's swapped coordinates", errs)
	}
	e.unchanged(t, before, "a refused roster")
}
