package ui_test

import (
	"fmt"
	"reflect"
	"testing"
)

// The API tests of the ranking: the weighted sum computed by hand, and when there is
// no sensitivity.

// TestAPIRankingWeightedSum checks GET /relocations/{id}/ranking on a grid whose every
// figure is computed by hand below.
//
// The relocation needs 2 000 m². Its commute criterion (no roster yet) first leaves
// every site incomplete; once it is deleted the grid is, in criterion order:
//
//	S  Surface      w 30  higher, 0–1.5, threshold 1   value = surface ÷ 2 000
//	V  Visibilité   w 25  higher, 0–10
//	N  Nécessités   w 20  higher, 0–10
//	C  Coût annuel  w 25  lower,  0–4 (M€)              Σw = 100
//
// Normalised n = (v − min)/(max − min), or (max − v)/(max − min) for C; score =
// 100 × Σ wᵢnᵢ / Σw = Σ wᵢnᵢ here.
//
//	site                  surface  V   N   C     n(S)   n(V) n(N) n(C)  score
//	Bas Montreuil           2 400  8   6   1     0,8    0,8  0,6  0,75  24+20+12+18,75  = 74,75  rank 1
//	Noisy-le-Grand          2 000 10   7   2,4   2/3    1    0,7  0,4   20+25+14+10     = 69     rank 2
//	Pantin                  3 000  5   7   2     1      0,5  0,7  0,5   30+12,5+14+12,5 = 69     rank 2 (tie, by name)
//	Saint-Ouen (rejected)   2 200  4   5   3     11/15  0,4  0,5  0,25  22+10+10+6,25   = 48,25  rank 4 (still ranked)
//	Locaux du partenaire    1 200  9   9   0     0,4    0,9  0,9  1     12+22,5+18+25   = 77,5   eliminated by S (0,6 < 1)
//	Site sans surface           —  5   5   2     —      0,5  0,5  0,5   incomplete, missing S
//
// Sensitivity of Bas Montreuil (A) against the other ranked sites. For criterion i at
// share t, others keeping their proportions: S_A − S_k = a·t + b·(1 − t) with a = dᵢ and
// b = Σ_{j≠i} w_j d_j / Σ_{j≠i} w_j, d = n(A) − n(k):
//
//	vs Pantin:     d = (−0,2; 0,3; −0,1; 0,25)
//	vs Noisy:      d = (2/15; −0,2; −0,1; 0,35)
//	vs Saint-Ouen: d = (1/15; 0,4; 0,1; 0,5), all ≥ 0: never overtakes.
//
//	S (30 %): Pantin a = −0,2, b = (7,5 − 2 + 6,25)/70 = 11,75/70 → t = b/(b − a) = 11,75/25,75 = 45,63 %;
//	          Noisy a > 0, b = (−5 − 2 + 8,75)/70 > 0: no bound.           → [0; 45,6]
//	V (25 %): Pantin a = 0,3, b = (−6 − 2 + 6,25)/75 = −1,75/75 → t = 1,75/24,25 = 7,22 % (lower bound);
//	          Noisy a = −0,2, b = (4 − 2 + 8,75)/75 = 10,75/75 → t = 10,75/25,75 = 41,75 %. → [7,2; 41,7]
//	N (20 %): Pantin a = −0,1, b = (−6 + 7,5 + 6,25)/80 = 7,75/80 → t = 7,75/15,75 = 49,21 %;
//	          Noisy a = −0,1, b = (4 − 5 + 8,75)/80 = 7,75/80: the same.   → [0; 49,2]
//	C (25 %): Pantin a = 0,25, b = (−6 + 7,5 − 2)/75 = −0,5/75 → t = 0,5/19,25 = 2,60 %;
//	          Noisy a = 0,35, b = (4 − 5 − 2)/75 = −3/75 → t = 3/29,25 = 10,26 %. → [10,3; 100]
func TestAPIRankingWeightedSum(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t)
	rel := idOf(t, e.createRelocation(t, map[string]any{"slug": "classement-api", "required_surface_m2": 2000}))
	cs := e.criteriaOf(t, rel)
	S, V, T, N := criterionNamed(t, cs, critSurface), criterionNamed(t, cs, critVis), criterionNamed(t, cs, critCommute), criterionNamed(t, cs, critNeeds)
	C := idOf(t, e.create(t, fmt.Sprintf("/api/v1/relocations/%d/criteria", rel), criterionBody(map[string]any{"weight": 25})))
	type siteData struct {
		name, kind string
		surface    any
		v, n, c    float64
	}
	// Saint-Ouen is rejected: the ranking still ranks it (it explains decisions).
	data := []siteData{
		{"Bas Montreuil", "lease", 2400, 8, 6, 1},
		{"Pantin", "lease", 3000, 5, 7, 2},
		{"Noisy-le-Grand", "state_owned", 2000, 10, 7, 2.4},
		{"Saint-Ouen", "lease", 2200, 4, 5, 3},
		{"Locaux du partenaire", "colocation", 1200, 9, 9, 0},
		{"Site sans surface", "lease", nil, 5, 5, 2},
	}
	site := map[string]int64{}
	for _, d := range data {
		body := map[string]any{"name": d.name, "kind": d.kind}
		if d.name == "Saint-Ouen" {
			body["status"], body["decision_reason"] = "rejected", "trop loin des agents"
		}
		if d.surface != nil {
			body["surface_m2"] = d.surface
		}
		site[d.name] = idOf(t, e.createSite(t, rel, body))
		for cid, v := range map[int64]float64{V: d.v, N: d.n, C: d.c} {
			expect(t, e.putScore(t, site[d.name], cid, v, "relevé du "+d.name), 201)
		}
	}
	rankingPath := fmt.Sprintf("/api/v1/relocations/%d/ranking", rel)

	// With the commute criterion: every site is incomplete, missing it; no sensitivity.
	rk := e.read(t, rankingPath)
	if rk["method"] != "weighted_sum" {
		t.Errorf("method = %v, want weighted_sum", rk["method"])
	}
	if s, present := rk["sensitivity"]; !present || s != nil {
		t.Errorf("sensitivity with no ranked site = %v (present %v), want null", s, present)
	}
	items := itemsOf(t, map[string]any{"items": rk["items"]})
	if len(items) != len(data) {
		t.Fatalf("ranking has %d items, want %d", len(items), len(data))
	}
	for _, item := range items {
		name, _ := item["name"].(string)
		wantMissing := []int64{T}
		if name == "Site sans surface" {
			wantMissing = []int64{S, T}
		}
		if item["incomplete"] != true || !reflect.DeepEqual(ids(item["missing"]), wantMissing) || item["score"] != nil || item["rank"] != nil {
			t.Errorf("%s with the commute criterion: incomplete %v missing %v score %v rank %v, want incomplete, missing %v, no score or rank",
				name, item["incomplete"], item["missing"], item["score"], item["rank"], wantMissing)
		}
		wantElim := []int64{}
		if name == "Locaux du partenaire" {
			wantElim = []int64{S}
		}
		if !reflect.DeepEqual(ids(item["eliminated_by"]), wantElim) || item["eliminated"] != (len(wantElim) > 0) {
			t.Errorf("%s with the commute criterion: eliminated %v by %v, want %v", name, item["eliminated"], item["eliminated_by"], wantElim)
		}
	}

	// Without it.
	expect(t, e.do(t, "DELETE", fmt.Sprintf("/api/v1/criteria/%d", T), "", "If-Match", etag(1)), 204)
	rk = e.read(t, rankingPath)
	if rk["method"] != "weighted_sum" {
		t.Errorf("method = %v, want weighted_sum", rk["method"])
	}
	items = itemsOf(t, map[string]any{"items": rk["items"]})
	order := []int64{S, V, N, C}
	weights := map[int64]float64{S: 30, V: 25, N: 20, C: 25}
	type want struct {
		name    string
		score   any // float64 or nil
		rank    any // int or nil
		elimBy  []int64
		missing []int64
		values  []any // by criterion in order; nil when missing
		norm    []float64
	}
	wants := []want{
		{"Bas Montreuil", 74.75, 1, []int64{}, []int64{}, []any{1.2, 8.0, 6.0, 1.0}, []float64{0.8, 0.8, 0.6, 0.75}},
		{"Noisy-le-Grand", 69.0, 2, []int64{}, []int64{}, []any{1.0, 10.0, 7.0, 2.4}, []float64{2.0 / 3, 1, 0.7, 0.4}},
		{"Pantin", 69.0, 2, []int64{}, []int64{}, []any{1.5, 5.0, 7.0, 2.0}, []float64{1, 0.5, 0.7, 0.5}},
		{"Saint-Ouen", 48.25, 4, []int64{}, []int64{}, []any{1.1, 4.0, 5.0, 3.0}, []float64{11.0 / 15, 0.4, 0.5, 0.25}},
		{"Locaux du partenaire", 77.5, nil, []int64{S}, []int64{}, []any{0.6, 9.0, 9.0, 0.0}, []float64{0.4, 0.9, 0.9, 1}},
		{"Site sans surface", nil, nil, []int64{}, []int64{S}, []any{nil, 5.0, 5.0, 2.0}, []float64{0, 0.5, 0.5, 0.5}},
	}
	if len(items) != len(wants) {
		t.Fatalf("ranking has %d items, want %d: %v", len(items), len(wants), items)
	}
	for i, w := range wants {
		item := items[i]
		what := fmt.Sprintf("item %d (%s)", i, w.name)
		if item["name"] != w.name {
			t.Errorf("%s: name %v — the order is wrong", what, item["name"])
			continue
		}
		checkFields(t, what, item, map[string]any{"site_id": site[w.name]})
		switch s := w.score.(type) {
		case nil:
			if item["score"] != nil {
				t.Errorf("%s: score %v, want null", what, item["score"])
			}
		case float64:
			if !near(item["score"], s) {
				t.Errorf("%s: score %v, want %v", what, item["score"], s)
			}
		}
		if w.rank == nil {
			if item["rank"] != nil {
				t.Errorf("%s: rank %v, want null", what, item["rank"])
			}
		} else if item["rank"] != float64(w.rank.(int)) {
			t.Errorf("%s: rank %v, want %v", what, item["rank"], w.rank)
		}
		if item["eliminated"] != (len(w.elimBy) > 0) || !reflect.DeepEqual(ids(item["eliminated_by"]), w.elimBy) {
			t.Errorf("%s: eliminated %v by %v, want by %v", what, item["eliminated"], item["eliminated_by"], w.elimBy)
		}
		if item["incomplete"] != (len(w.missing) > 0) || !reflect.DeepEqual(ids(item["missing"]), w.missing) {
			t.Errorf("%s: incomplete %v missing %v, want %v", what, item["incomplete"], item["missing"], w.missing)
		}
		breakdown, _ := item["breakdown"].([]any)
		if len(breakdown) != len(order) {
			t.Errorf("%s: breakdown has %d entries, want %d", what, len(breakdown), len(order))
			continue
		}
		sum := 0.0
		for k, cid := range order {
			b, _ := breakdown[k].(map[string]any)
			bw := fmt.Sprintf("%s, breakdown %d", what, k)
			checkFields(t, bw, b, map[string]any{"criterion_id": cid})
			if w.values[k] == nil {
				if b["value"] != nil || b["normalized"] != nil || b["weighted"] != nil {
					t.Errorf("%s: %v, want null value, normalized and weighted", bw, b)
				}
				continue
			}
			weighted := 100 * weights[cid] * w.norm[k] / 100
			sum += weighted
			if !near(b["value"], w.values[k].(float64)) || !near(b["normalized"], w.norm[k]) || !near(b["weighted"], weighted) {
				t.Errorf("%s: value %v normalized %v weighted %v, want %v %v %v", bw, b["value"], b["normalized"], b["weighted"],
					w.values[k], w.norm[k], weighted)
			}
		}
		if s, ok := w.score.(float64); ok && !near(s, sum) {
			t.Errorf("%s: the hand-computed breakdown sums to %v, not %v (test data)", what, sum, s)
		}
	}

	// Sensitivity, one interval per criterion in order.
	sens, ok := rk["sensitivity"].([]any)
	if !ok || len(sens) != len(order) {
		t.Fatalf("sensitivity = %v, want %d intervals", rk["sensitivity"], len(order))
	}
	wantSens := [][3]float64{{30, 0, 45.6}, {25, 7.2, 41.7}, {20, 0, 49.2}, {25, 10.3, 100}}
	for k, cid := range order {
		iv, _ := sens[k].(map[string]any)
		w := wantSens[k]
		checkFields(t, fmt.Sprintf("sensitivity %d", k), iv, map[string]any{"criterion_id": cid, "weight": w[0], "lo": w[1], "hi": w[2]})
	}

	// Eliminated sites keep their score but no rank, whatever the weights: with the
	// threshold gone, Locaux du partenaire (77,5) ranks first.
	r := e.do(t, "PATCH", fmt.Sprintf("/api/v1/criteria/%d", S), `{"threshold":null}`, "If-Match", etag(1))
	expect(t, r, 200)
	items = itemsOf(t, map[string]any{"items": e.read(t, rankingPath)["items"]})
	checkFields(t, "without the threshold", items[0], map[string]any{"name": "Locaux du partenaire", "rank": 1, "score": 77.5, "eliminated": false})
	if got := ids(items[0]["eliminated_by"]); got == nil || len(got) != 0 {
		t.Errorf("eliminated_by = %v, want []", items[0]["eliminated_by"])
	}

	checkProblem(t, e.do(t, "GET", "/api/v1/relocations/999999/ranking", ""), 404)
	checkProblem(t, e.do(t, "GET", "/api/v1/relocations/abc/ranking", ""), 404)
}

// TestAPIRankingSensitivityNull: no sensitivity with one ranked site, nor when rank 1
// is shared.
func TestAPIRankingSensitivityNull(t *testing.T) {
	t.Parallel()
	e := newAPIEnv(t)
	rel := idOf(t, e.createRelocation(t, map[string]any{"required_surface_m2": 1000}))
	cs := e.criteriaOf(t, rel)
	expect(t, e.do(t, "DELETE", fmt.Sprintf("/api/v1/criteria/%d", criterionNamed(t, cs, critCommute)), "", "If-Match", etag(1)), 204)
	path := fmt.Sprintf("/api/v1/relocations/%d/ranking", rel)
	add := func(name string, surface, v float64) {
		id := idOf(t, e.createSite(t, rel, map[string]any{"name": name, "surface_m2": surface}))
		expect(t, e.putScore(t, id, criterionNamed(t, cs, critVis), v, "visite"), 201)
		expect(t, e.putScore(t, id, criterionNamed(t, cs, critNeeds), v, "visite"), 201)
	}
	sensitivity := func(what string) any {
		rk := e.read(t, path)
		s, present := rk["sensitivity"]
		if !present {
			t.Errorf("%s: no sensitivity key", what)
		}
		return s
	}

	// No site: empty items.
	rk := e.read(t, path)
	if items, ok := rk["items"].([]any); !ok || len(items) != 0 || rk["sensitivity"] != nil {
		t.Errorf("ranking without sites = %v, want empty items and null sensitivity", rk)
	}
	add("Site A", 1200, 6)
	if s := sensitivity("one ranked site"); s != nil {
		t.Errorf("sensitivity with one ranked site = %v, want null", s)
	}
	// An eliminated site does not count.
	add("Site trop petit", 500, 9)
	if s := sensitivity("one ranked site and an eliminated one"); s != nil {
		t.Errorf("sensitivity with one ranked site and an eliminated one = %v, want null", s)
	}
	// Rank 1 shared: (surface 1 200 → 0,8; 6 → 0,6) for both.
	add("Site B", 1200, 6)
	items := itemsOf(t, map[string]any{"items": e.read(t, path)["items"]})
	checkFields(t, "tie A", items[0], map[string]any{"name": "Site A", "rank": 1})
	checkFields(t, "tie B", items[1], map[string]any{"name": "Site B", "rank": 1})
	if s := sensitivity("rank 1 shared"); s != nil {
		t.Errorf("sensitivity with rank 1 shared = %v, want null", s)
	}
	// A better third site: the sensitivity is back.
	add("Site C", 1400, 8)
	if s, ok := sensitivity("three ranked sites").([]any); !ok || len(s) != 3 {
		t.Errorf("sensitivity with a clear first = %v, want 3 intervals", s)
	}
}
