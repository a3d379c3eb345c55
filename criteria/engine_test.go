package criteria

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

func ptr[T any](v T) *T { return &v }

// Criterion ids of the SPEC default grid, deliberately not in ascending order.
const (
	cSurface    = 7
	cVisibility = 3
	cCommute    = 9
	cMetiers    = 1
)

// defaultGrid is the SPEC grid of a new relocation (Σw = 100).
func defaultGrid() []Criterion {
	return []Criterion{
		{ID: cSurface, Name: "Surface nécessaire et offres immobilières", Weight: 30, Direction: HigherIsBetter, ScaleMin: 0, ScaleMax: 1.5, Threshold: ptr(1.0)},
		{ID: cVisibility, Name: "Visibilité et accessibilité", Weight: 25, Direction: HigherIsBetter, ScaleMin: 0, ScaleMax: 10},
		{ID: cCommute, Name: "Situation des agents, temps de trajet", Weight: 25, Direction: LowerIsBetter, ScaleMin: 0, ScaleMax: 120},
		{ID: cMetiers, Name: "Nécessités des métiers et pratiques de travail", Weight: 20, Direction: HigherIsBetter, ScaleMin: 0, ScaleMax: 10},
	}
}

func site(id int64, name string, values map[int64]float64) Alternative {
	return Alternative{SiteID: id, Name: name, Values: values}
}

// want describes one expected item of a ranking, in order.
type want struct {
	id         int64
	score      *float64 // nil: no score expected
	rank       *int     // nil: no rank expected
	eliminated []int64
	missing    []int64
}

func checkItems(t *testing.T, got Ranking, wants []want) {
	t.Helper()
	if got.Method != "weighted_sum" {
		t.Errorf("method = %q", got.Method)
	}
	if len(got.Items) != len(wants) {
		t.Fatalf("got %d items, want %d", len(got.Items), len(wants))
	}
	for p, w := range wants {
		it := got.Items[p]
		if it.SiteID != w.id {
			t.Errorf("item %d: site %d, want %d", p, it.SiteID, w.id)
			continue
		}
		switch {
		case (it.Score == nil) != (w.score == nil):
			t.Errorf("site %d: score %v, want %v", w.id, deref(it.Score), deref(w.score))
		case w.score != nil && math.Abs(*it.Score-*w.score) > 1e-9:
			t.Errorf("site %d: score %.12f, want %.12f", w.id, *it.Score, *w.score)
		}
		if (it.Rank == nil) != (w.rank == nil) || (w.rank != nil && *it.Rank != *w.rank) {
			t.Errorf("site %d: rank %v, want %v", w.id, deref(it.Rank), deref(w.rank))
		}
		if it.Eliminated != (len(w.eliminated) > 0) || !slices.Equal(it.EliminatedBy, nonNil(w.eliminated)) {
			t.Errorf("site %d: eliminated %v by %v, want %v", w.id, it.Eliminated, it.EliminatedBy, w.eliminated)
		}
		if it.Incomplete != (len(w.missing) > 0) || !slices.Equal(it.Missing, nonNil(w.missing)) {
			t.Errorf("site %d: incomplete %v missing %v, want %v", w.id, it.Incomplete, it.Missing, w.missing)
		}
		if it.EliminatedBy == nil || it.Missing == nil {
			t.Errorf("site %d: nil list (JSON would show null)", w.id)
		}
		checkBreakdown(t, it)
	}
}

// checkBreakdown checks that a scored site's breakdown sums to its score.
func checkBreakdown(t *testing.T, it Ranked) {
	t.Helper()
	if it.Score == nil {
		return
	}
	sum := 0.0
	for _, c := range it.Breakdown {
		sum += *c.Weighted
	}
	if math.Abs(sum-*it.Score) > 1e-9 {
		t.Errorf("site %d: breakdown sums to %v, score %v", it.SiteID, sum, *it.Score)
	}
}

func nonNil(s []int64) []int64 {
	if s == nil {
		return []int64{}
	}
	return s
}

func deref[T any](p *T) any {
	if p == nil {
		return nil
	}
	return *p
}

func TestRank(t *testing.T) {
	single := []Criterion{{ID: 1, Weight: 1, Direction: HigherIsBetter, ScaleMin: 0, ScaleMax: 100}}
	two := []Criterion{
		{ID: 1, Weight: 1, Direction: HigherIsBetter, ScaleMin: 0, ScaleMax: 10},
		{ID: 2, Weight: 1, Direction: HigherIsBetter, ScaleMin: 0, ScaleMax: 10},
	}
	tests := []struct {
		name     string
		criteria []Criterion
		alts     []Alternative
		want     []want
	}{
		{
			// SPEC grid, Σw = 100, so score = Σ wᵢnᵢ.
			// Bas Montreuil: surface 1.2 → 0.8; visibility 8 → 0.8; commute 48 → (120−48)/120 = 0.6;
			//   métiers 7 → 0.7. Score = 30·0.8 + 25·0.8 + 25·0.6 + 20·0.7 = 24 + 20 + 15 + 14 = 73.
			// Aubervilliers: surface 1.5 → 1; visibility 6 → 0.6; commute 60 → 0.5; métiers 7.75
			//   → 0.775. Score = 30 + 15 + 12.5 + 15.5 = 73: tied with Bas Montreuil, rank 1 both,
			//   Aubervilliers first by name.
			// Organisme partenaire (colocation): surface 0.8 < threshold 1.0 → eliminated
			//   « faute d'espaces disponibles »; score kept: 30·0.8/1.5 + 25·0.9 + 25·0.7 + 20·0.8
			//   = 16 + 22.5 + 17.5 + 16 = 72.
			name:     "SPEC grid: surface threshold and tie at rank 1",
			criteria: defaultGrid(),
			alts: []Alternative{
				site(10, "Organisme partenaire", map[int64]float64{cSurface: 0.8, cVisibility: 9, cCommute: 36, cMetiers: 8}),
				site(11, "Bas Montreuil", map[int64]float64{cSurface: 1.2, cVisibility: 8, cCommute: 48, cMetiers: 7}),
				site(12, "Aubervilliers", map[int64]float64{cSurface: 1.5, cVisibility: 6, cCommute: 60, cMetiers: 7.75}),
			},
			want: []want{
				{id: 12, score: ptr(73.0), rank: ptr(1)},
				{id: 11, score: ptr(73.0), rank: ptr(1)},
				{id: 10, score: ptr(72.0), eliminated: []int64{cSurface}},
			},
		},
		{
			// Two criteria 0–10, weights 1 and 1: score = 5·(v1 + v2).
			// Alpha 90, Zulu (8,6) 70, Bravo (6,8) 70, Delta 50 → ranks 1, 2, 2, 4; Bravo before
			// Zulu by name although Zulu has the smaller id.
			name:     "competition ranking 1, 2, 2, 4",
			criteria: two,
			alts: []Alternative{
				site(4, "Delta", map[int64]float64{1: 5, 2: 5}),
				site(1, "Zulu", map[int64]float64{1: 8, 2: 6}),
				site(2, "Bravo", map[int64]float64{1: 6, 2: 8}),
				site(3, "Alpha", map[int64]float64{1: 9, 2: 9}),
			},
			want: []want{
				{id: 3, score: ptr(90.0), rank: ptr(1)},
				{id: 2, score: ptr(70.0), rank: ptr(2)},
				{id: 1, score: ptr(70.0), rank: ptr(2)},
				{id: 4, score: ptr(50.0), rank: ptr(4)},
			},
		},
		{
			// One criterion 0–100, weight 1: score = v. 50 and 50+5e-10 lie within 1e-9 and
			// share rank 1 (ordered by name); 49.999999998 is 2.5e-9 below the best: rank 3.
			name:     "tie tolerance 1e-9",
			criteria: single,
			alts: []Alternative{
				site(1, "B", map[int64]float64{1: 50 + 5e-10}),
				site(2, "A", map[int64]float64{1: 50}),
				site(3, "C", map[int64]float64{1: 50 - 2e-9}),
			},
			want: []want{
				{id: 2, score: ptr(50.0), rank: ptr(1)},
				{id: 1, score: ptr(50 + 5e-10), rank: ptr(1)},
				{id: 3, score: ptr(50 - 2e-9), rank: ptr(3)},
			},
		},
		{
			// Site 2 lacks visibility (3) and métiers (1): listed in criteria order [3, 1], no
			// score, no rank, placed last. Site 1: surface 1.0 equals the threshold (not strictly
			// below: kept); 30·1/1.5 + 25·1 + 25·1 + 20·0.5 = 20 + 25 + 25 + 10 = 80.
			// Site 3 has NaN and +Inf values: they count as missing.
			name:     "incomplete site lists missing ids in criteria order",
			criteria: defaultGrid(),
			alts: []Alternative{
				site(2, "A incomplet", map[int64]float64{cSurface: 1.5, cCommute: 10}),
				site(1, "Z complet", map[int64]float64{cSurface: 1.0, cVisibility: 10, cCommute: 0, cMetiers: 5}),
				site(3, "B non fini", map[int64]float64{cSurface: 1.5, cVisibility: math.NaN(), cCommute: math.Inf(1), cMetiers: 5}),
			},
			want: []want{
				{id: 1, score: ptr(80.0), rank: ptr(1)},
				{id: 2, missing: []int64{cVisibility, cMetiers}},
				{id: 3, missing: []int64{cVisibility, cCommute}},
			},
		},
		{
			// Values outside the scale clamp: surface 3 → 1 (30), visibility −2 → 0 (0),
			// commute 150 → 0 (0), métiers 12 → 1 (20): 50. Commute −5 → 1.
			// Second site: 30·1 + 25·0.5 + 25·1 + 20·0 = 67.5.
			name:     "clamp outside the scale",
			criteria: defaultGrid(),
			alts: []Alternative{
				site(1, "Hors échelle", map[int64]float64{cSurface: 3, cVisibility: -2, cCommute: 150, cMetiers: 12}),
				site(2, "Négatif", map[int64]float64{cSurface: 1.5, cVisibility: 5, cCommute: -5, cMetiers: -1}),
			},
			want: []want{
				{id: 2, score: ptr(67.5), rank: ptr(1)},
				{id: 1, score: ptr(50.0), rank: ptr(2)},
			},
		},
		{
			// Commute 0–120 lower-is-better, threshold 60, weight 1: score = 100·(120−v)/120.
			// 60 is not strictly above: kept, 50. 60.5 is: eliminated, score 49.58333…
			// 90 eliminated, score 25. Eliminated sites sort by score, highest first.
			name:     "lower-is-better threshold strictly above",
			criteria: []Criterion{{ID: 5, Weight: 1, Direction: LowerIsBetter, ScaleMin: 0, ScaleMax: 120, Threshold: ptr(60.0)}},
			alts: []Alternative{
				site(1, "A", map[int64]float64{5: 90}),
				site(2, "B", map[int64]float64{5: 60.5}),
				site(3, "C", map[int64]float64{5: 60}),
			},
			want: []want{
				{id: 3, score: ptr(50.0), rank: ptr(1)},
				{id: 2, score: ptr(100 * 59.5 / 120), eliminated: []int64{5}},
				{id: 1, score: ptr(25.0), eliminated: []int64{5}},
			},
		},
		{
			// Order: ranked, then eliminated (score desc, then name), then incomplete (by name).
			// A site both incomplete and below a threshold is incomplete and eliminated.
			name: "item order and incomplete + eliminated",
			criteria: []Criterion{
				{ID: 1, Weight: 1, Direction: HigherIsBetter, ScaleMin: 0, ScaleMax: 10, Threshold: ptr(5.0)},
				{ID: 2, Weight: 1, Direction: HigherIsBetter, ScaleMin: 0, ScaleMax: 10},
			},
			alts: []Alternative{
				site(1, "Inc B", map[int64]float64{1: 2}),
				site(2, "Inc A", map[int64]float64{2: 9}),
				site(3, "Elim B", map[int64]float64{1: 4, 2: 10}), // 70
				site(4, "Elim A", map[int64]float64{1: 4, 2: 10}), // 70
				site(5, "Elim C", map[int64]float64{1: 4.5, 2: 10}),
				site(6, "Ranked", map[int64]float64{1: 5, 2: 0}), // 25
			},
			want: []want{
				{id: 6, score: ptr(25.0), rank: ptr(1)},
				{id: 5, score: ptr(72.5), eliminated: []int64{1}},
				{id: 4, score: ptr(70.0), eliminated: []int64{1}},
				{id: 3, score: ptr(70.0), eliminated: []int64{1}},
				{id: 2, missing: []int64{1}},
				{id: 1, missing: []int64{2}, eliminated: []int64{1}},
			},
		},
		{
			// Σw = 0: every complete site scores 0 and shares rank 1; thresholds still apply.
			name: "zero total weight",
			criteria: []Criterion{
				{ID: 1, Weight: 0, Direction: HigherIsBetter, ScaleMin: 0, ScaleMax: 10, Threshold: ptr(2.0)},
			},
			alts: []Alternative{
				site(1, "B", map[int64]float64{1: 9}),
				site(2, "A", map[int64]float64{1: 3}),
				site(3, "C", map[int64]float64{1: 1}),
			},
			want: []want{
				{id: 2, score: ptr(0.0), rank: ptr(1)},
				{id: 1, score: ptr(0.0), rank: ptr(1)},
				{id: 3, score: ptr(0.0), eliminated: []int64{1}},
			},
		},
		{
			// No criteria: complete by definition, score 0, rank 1 shared.
			name:     "no criteria",
			criteria: nil,
			alts:     []Alternative{site(1, "B", nil), site(2, "A", map[int64]float64{4: 1})},
			want: []want{
				{id: 2, score: ptr(0.0), rank: ptr(1)},
				{id: 1, score: ptr(0.0), rank: ptr(1)},
			},
		},
		{
			name:     "no sites",
			criteria: defaultGrid(),
			alts:     nil,
			want:     []want{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Rank(tt.criteria, tt.alts)
			checkItems(t, got, tt.want)
			for _, it := range got.Items {
				if len(it.Breakdown) != len(tt.criteria) {
					t.Errorf("site %d: %d contributions, want %d", it.SiteID, len(it.Breakdown), len(tt.criteria))
				}
				for i, c := range it.Breakdown {
					if c.CriterionID != tt.criteria[i].ID {
						t.Errorf("site %d: contribution %d is criterion %d", it.SiteID, i, c.CriterionID)
					}
				}
			}
		})
	}
}

func TestRankBreakdown(t *testing.T) {
	// Bas Montreuil on the SPEC grid: commute 48 → n = 0.6, weighted = 100·25·0.6/100 = 15.
	got := Rank(defaultGrid(), []Alternative{
		site(1, "Bas Montreuil", map[int64]float64{cSurface: 1.2, cVisibility: 8, cCommute: 48}),
	})
	c := got.Items[0].Breakdown[2]
	if c.CriterionID != cCommute || *c.Value != 48 || math.Abs(*c.Normalized-0.6) > 1e-12 || math.Abs(*c.Weighted-15) > 1e-12 {
		t.Errorf("commute contribution = %d %v %v %v", c.CriterionID, *c.Value, *c.Normalized, *c.Weighted)
	}
	if m := got.Items[0].Breakdown[3]; m.Value != nil || m.Normalized != nil || m.Weighted != nil {
		t.Errorf("missing métiers contribution should be all nil: %+v", m)
	}
}

func TestRankJSON(t *testing.T) {
	got := Rank(defaultGrid(), []Alternative{
		site(1, "Seul", map[int64]float64{cSurface: 1.2, cVisibility: 8, cCommute: 48, cMetiers: 7}),
		site(2, "Incomplet", map[int64]float64{}),
	})
	b, err := json.Marshal(got)
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	for _, frag := range []string{
		`"method":"weighted_sum"`, `"eliminated_by":[]`, `"missing":[]`, `"sensitivity":null`,
		`"score":null,"rank":null`, `"missing":[7,3,9,1]`, `"rank":1`,
		`{"criterion_id":1,"value":null,"normalized":null,"weighted":null}`,
	} {
		if !strings.Contains(s, frag) {
			t.Errorf("JSON lacks %s:\n%s", frag, s)
		}
	}
}

func TestRankDoesNotModifyInput(t *testing.T) {
	crit := defaultGrid()
	alts := []Alternative{
		site(1, "B", map[int64]float64{cSurface: 1.2, cVisibility: 8, cCommute: 48, cMetiers: 7}),
		site(2, "A", map[int64]float64{cSurface: 1.4, cVisibility: 2, cCommute: 48, cMetiers: 7}),
	}
	Rank(crit, alts)
	if alts[0].Name != "B" || alts[1].SiteID != 2 || len(alts[0].Values) != 4 || crit[0].ID != cSurface {
		t.Error("Rank changed its arguments")
	}
}

// randomGrid draws 1–6 criteria and 2–8 sites. Values are often on a coarse grid (so exact
// ties happen), sometimes outside the scale or missing; some criteria carry a threshold.
func randomGrid(r *rand.Rand) ([]Criterion, []Alternative) {
	crit := make([]Criterion, 1+r.IntN(6))
	for i := range crit {
		lo := float64(r.IntN(5))
		c := Criterion{ID: int64(100 + i), Weight: float64(1 + r.IntN(50)), Direction: HigherIsBetter, ScaleMin: lo, ScaleMax: lo + float64(1+r.IntN(20))}
		if r.IntN(2) == 0 {
			c.Direction = LowerIsBetter
		}
		if r.IntN(4) == 0 {
			c.Weight = r.Float64() * 10
		}
		if r.IntN(5) == 0 {
			c.Threshold = ptr(c.ScaleMin + r.Float64()*(c.ScaleMax-c.ScaleMin))
		}
		crit[i] = c
	}
	alts := make([]Alternative, 2+r.IntN(7))
	for k := range alts {
		vals := map[int64]float64{}
		for _, c := range crit {
			span := c.ScaleMax - c.ScaleMin
			switch x := r.IntN(20); {
			case x == 0: // missing
			case x < 10:
				vals[c.ID] = c.ScaleMin + float64(r.IntN(5))*span/4
			default:
				vals[c.ID] = c.ScaleMin - 0.1*span + r.Float64()*1.2*span
			}
		}
		alts[k] = site(int64(k+1), string(rune('A'+r.IntN(4)))+string(rune('a'+k)), vals)
	}
	return crit, alts
}

func TestRankPropertyWeightScaling(t *testing.T) {
	r := rand.New(rand.NewPCG(2021, 615))
	for n := range 500 {
		crit, alts := randomGrid(r)
		scaled := slices.Clone(crit)
		for i := range scaled {
			scaled[i].Weight *= 3.7
		}
		a, b := Rank(crit, alts), Rank(scaled, alts)
		for p := range a.Items {
			x, y := a.Items[p], b.Items[p]
			if x.SiteID != y.SiteID || !equalPtr(x.Rank, y.Rank) || (x.Score == nil) != (y.Score == nil) ||
				(x.Score != nil && math.Abs(*x.Score-*y.Score) > 1e-9) {
				t.Fatalf("grid %d, item %d: %d rank %v score %v vs %d rank %v score %v", n, p,
					x.SiteID, deref(x.Rank), deref(x.Score), y.SiteID, deref(y.Rank), deref(y.Score))
			}
			checkBreakdown(t, x)
		}
		if (a.Sensitivity == nil) != (b.Sensitivity == nil) {
			t.Fatalf("grid %d: sensitivity %v vs %v", n, a.Sensitivity, b.Sensitivity)
		}
		for i := range a.Sensitivity {
			if math.Abs(a.Sensitivity[i].Weight-b.Sensitivity[i].Weight) > 1e-9 {
				t.Errorf("grid %d: weight %v vs %v", n, a.Sensitivity[i].Weight, b.Sensitivity[i].Weight)
			}
		}
		checkOrder(t, a)
	}
}

// checkOrder checks the documented order of items: ranked by rank then name, eliminated by
// score then name, incomplete by name.
func checkOrder(t *testing.T, rk Ranking) {
	t.Helper()
	group := func(it Ranked) int {
		switch {
		case it.Incomplete:
			return 2
		case it.Eliminated:
			return 1
		}
		return 0
	}
	for p := 1; p < len(rk.Items); p++ {
		x, y := rk.Items[p-1], rk.Items[p]
		gx, gy := group(x), group(y)
		ok := gx < gy
		if gx == gy {
			switch gx {
			case 0:
				ok = *x.Rank < *y.Rank || (*x.Rank == *y.Rank && x.Name <= y.Name)
			case 1:
				ok = *x.Score > *y.Score || (*x.Score == *y.Score && x.Name <= y.Name)
			case 2:
				ok = x.Name <= y.Name
			}
		}
		if !ok {
			t.Errorf("items %d and %d out of order: %+v / %+v", p-1, p, x, y)
		}
	}
}

func equalPtr[T comparable](a, b *T) bool {
	return (a == nil && b == nil) || (a != nil && b != nil && *a == *b)
}
