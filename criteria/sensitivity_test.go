package criteria

import (
	"math"
	"math/rand/v2"
	"testing"
)

// scale010 returns a higher-is-better criterion on a 0–10 scale.
func scale010(id int64, w float64) Criterion {
	return Criterion{ID: id, Weight: w, Direction: HigherIsBetter, ScaleMin: 0, ScaleMax: 10}
}

func TestSensitivityByHand(t *testing.T) {
	type bounds struct{ weight, lo, hi, rawLo, rawHi float64 }
	tests := []struct {
		name     string
		criteria []Criterion
		alts     []Alternative
		want     []bounds
	}{
		{
			// p = (0.6, 0.4). A: n = (0.8, 0.2), score 56; B: n = (0.3, 0.9), score 54.
			// c1 at t: S_A = 100·(0.8t + 0.2(1−t)) = 100·(0.2 + 0.6t),
			//          S_B = 100·(0.3t + 0.9(1−t)) = 100·(0.9 − 0.6t);
			//   S_A − S_B = 100·(1.2t − 0.7) ≥ 0 ⇔ t ≥ 7/12 = 0.58333… → [58.3, 100].
			// c2 at t: S_A = 100·(0.8 − 0.6t), S_B = 100·(0.3 + 0.6t);
			//   S_A − S_B = 100·(0.5 − 1.2t) ≥ 0 ⇔ t ≤ 5/12 = 0.41666… → [0, 41.7].
			name:     "two sites, two criteria",
			criteria: []Criterion{scale010(1, 60), scale010(2, 40)},
			alts: []Alternative{
				site(1, "A", map[int64]float64{1: 8, 2: 2}),
				site(2, "B", map[int64]float64{1: 3, 2: 9}),
			},
			want: []bounds{{60, 58.3, 100, 7.0 / 12, 1}, {40, 0, 41.7, 0, 5.0 / 12}},
		},
		{
			// p = (0.2, 0.3, 0.5). A: n = (0.2, 0.9, 0.6), score 4 + 27 + 30 = 61;
			// B: n = (1, 0.5, 0.5), score 20 + 15 + 25 = 60.
			// c1: the others keep 30:50 = 3/8, 5/8. B_A = (3·0.9 + 5·0.6)/8 = 0.7125, B_B = 0.5.
			//   (S_A − S_B)/100 = (0.2 − 1)t + (0.7125 − 0.5)(1−t) = 0.2125 − 1.0125t
			//   ≥ 0 ⇔ t ≤ 17/81 = 0.209876… → [0, 21.0].
			// c2: the others keep 20:50 = 2/7, 5/7. B_A = 3.4/7, B_B = 4.5/7.
			//   (S_A − S_B)/100 = 0.4t − (1.1/7)(1−t) ≥ 0 ⇔ 3.9t ≥ 1.1 ⇔ t ≥ 11/39 = 0.282051…
			//   → [28.2, 100].
			// c3: the others keep 20:30 = 2/5, 3/5. B_A = 0.62, B_B = 0.7.
			//   (S_A − S_B)/100 = 0.1t − 0.08(1−t) = 0.18t − 0.08 ≥ 0 ⇔ t ≥ 4/9 → [44.4, 100].
			name:     "two sites, three criteria",
			criteria: []Criterion{scale010(1, 20), scale010(2, 30), scale010(3, 50)},
			alts: []Alternative{
				site(1, "A", map[int64]float64{1: 2, 2: 9, 3: 6}),
				site(2, "B", map[int64]float64{1: 10, 2: 5, 3: 5}),
			},
			want: []bounds{{20, 0, 21.0, 0, 17.0 / 81}, {30, 28.2, 100, 11.0 / 39, 1}, {50, 44.4, 100, 4.0 / 9, 1}},
		},
		{
			// p = (0.5, 0.5). A: (0.6, 0.6) → 60; B: (1, 0.1) → 55; C: (0.1, 1) → 55.
			// c1: S_A = 60 for every t; S_B = 100·(t + 0.1(1−t)) = 100·(0.1 + 0.9t) ≤ 60 ⇔ t ≤ 5/9;
			//     S_C = 100·(0.1t + (1−t)) = 100·(1 − 0.9t) ≤ 60 ⇔ t ≥ 4/9 → [44.4, 55.6].
			// c2 is symmetric → [44.4, 55.6].
			// E (n = (0.04, 1)) would beat A for p2 > 0.58 but is eliminated (c1 value 0.4 is
			// below the threshold 0.5); the incomplete site I does not count either.
			name: "three ranked sites bound both sides; eliminated and incomplete ignored",
			criteria: []Criterion{
				{ID: 1, Weight: 50, Direction: HigherIsBetter, ScaleMin: 0, ScaleMax: 10, Threshold: ptr(0.5)},
				scale010(2, 50),
			},
			alts: []Alternative{
				site(1, "A", map[int64]float64{1: 6, 2: 6}),
				site(2, "B", map[int64]float64{1: 10, 2: 1}),
				site(3, "C", map[int64]float64{1: 1, 2: 10}),
				site(4, "E", map[int64]float64{1: 0.4, 2: 10}),
				site(5, "I", map[int64]float64{1: 10}),
			},
			want: []bounds{{50, 44.4, 55.6, 4.0 / 9, 5.0 / 9}, {50, 44.4, 55.6, 4.0 / 9, 5.0 / 9}},
		},
		{
			// One criterion: p = 1 and there are no others (B = 0); S_A − S_B = 100·t·(0.9 − 0.2)
			// ≥ 0 on all of [0, 1] → [0, 100].
			name:     "single criterion",
			criteria: []Criterion{scale010(1, 3)},
			alts: []Alternative{
				site(1, "A", map[int64]float64{1: 9}),
				site(2, "B", map[int64]float64{1: 2}),
			},
			want: []bounds{{100, 0, 100, 0, 1}},
		},
		{
			// Weights (1, 0): p1 = 1, so for c1 the others' proportions are undefined and are
			// taken as equal. A: (0.8, 0), 80; B: (0.6, 1), 60.
			// c1: (S_A − S_B)/100 = 0.2t − 1·(1−t) ≥ 0 ⇔ t ≥ 5/6 → [83.3, 100].
			// c2 (p2 = 0, the other is c1 alone): 0.2(1−t) − t ≥ 0 ⇔ t ≤ 1/6 → [0, 16.7].
			name:     "other weights zero: equal proportions",
			criteria: []Criterion{scale010(1, 1), scale010(2, 0)},
			alts: []Alternative{
				site(1, "A", map[int64]float64{1: 8, 2: 0}),
				site(2, "B", map[int64]float64{1: 6, 2: 10}),
			},
			want: []bounds{{100, 83.3, 100, 5.0 / 6, 1}, {0, 0, 16.7, 0, 1.0 / 6}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, raw := rank(tt.criteria, tt.alts)
			if len(got.Sensitivity) != len(tt.want) || len(raw) != len(tt.want) {
				t.Fatalf("got %d intervals (%d raw), want %d", len(got.Sensitivity), len(raw), len(tt.want))
			}
			for i, w := range tt.want {
				s := got.Sensitivity[i]
				if s.CriterionID != tt.criteria[i].ID || math.Abs(s.Weight-w.weight) > 1e-12 ||
					s.Lo == nil || s.Hi == nil || *s.Lo != w.lo || *s.Hi != w.hi {
					t.Errorf("criterion %d: got {%d %v %v %v}, want {%v %v %v}", i, s.CriterionID, s.Weight,
						deref(s.Lo), deref(s.Hi), w.weight, w.lo, w.hi)
				}
				if math.Abs(raw[i][0]-w.rawLo) > 1e-12 || math.Abs(raw[i][1]-w.rawHi) > 1e-12 {
					t.Errorf("criterion %d: raw [%.15f, %.15f], want [%.15f, %.15f]", i, raw[i][0], raw[i][1], w.rawLo, w.rawHi)
				}
			}
		})
	}
}

func TestSensitivityNull(t *testing.T) {
	crit := []Criterion{{ID: 1, Weight: 1, Direction: HigherIsBetter, ScaleMin: 0, ScaleMax: 10, Threshold: ptr(3.0)}, scale010(2, 1)}
	tests := []struct {
		name     string
		criteria []Criterion
		alts     []Alternative
	}{
		{"no sites", crit, nil},
		{"one site", crit, []Alternative{site(1, "A", map[int64]float64{1: 5, 2: 5})}},
		{"one ranked, one eliminated, one incomplete", crit, []Alternative{
			site(1, "A", map[int64]float64{1: 5, 2: 5}),
			site(2, "B", map[int64]float64{1: 2, 2: 10}),
			site(3, "C", map[int64]float64{1: 9}),
		}},
		{"rank 1 shared", crit, []Alternative{
			site(1, "A", map[int64]float64{1: 5, 2: 7}),
			site(2, "B", map[int64]float64{1: 7, 2: 5}),
			site(3, "C", map[int64]float64{1: 4, 2: 4}),
		}},
		{"zero total weight", []Criterion{scale010(1, 0)}, []Alternative{
			site(1, "A", map[int64]float64{1: 5}),
			site(2, "B", map[int64]float64{1: 7}),
		}},
		{"no criteria", nil, []Alternative{site(1, "A", nil), site(2, "B", nil)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got, raw := rank(tt.criteria, tt.alts); got.Sensitivity != nil || raw != nil {
				t.Errorf("sensitivity = %+v, want nil", got.Sensitivity)
			}
		})
	}
}

// scoresAt ranks alts with criterion i's share set to t and every other share rescaled by
// (1−t)/(1−pᵢ) (equal shares when the others weigh nothing), as the SPEC defines, and
// returns the scores by site id.
func scoresAt(crit []Criterion, alts []Alternative, i int, t float64) map[int64]float64 {
	total, others := 0.0, 0.0
	for j, c := range crit {
		total += c.Weight
		if j != i {
			others += c.Weight
		}
	}
	moved := make([]Criterion, len(crit))
	copy(moved, crit)
	for j := range moved {
		switch {
		case j == i:
			moved[j].Weight = t
		case others > 0:
			moved[j].Weight = (crit[j].Weight / total) * (1 - t) / (others / total)
		default:
			moved[j].Weight = (1 - t) / float64(len(crit)-1)
		}
	}
	out := map[int64]float64{}
	for _, it := range Rank(moved, alts).Items {
		if it.Score != nil {
			out[it.SiteID] = *it.Score
		}
	}
	return out
}

// margin returns S_top − max over the other ranked sites at share t of criterion i.
func margin(crit []Criterion, alts []Alternative, ranked []int64, i int, t float64) float64 {
	s := scoresAt(crit, alts, i, t)
	best := math.Inf(-1)
	for _, id := range ranked[1:] {
		best = max(best, s[id])
	}
	return s[ranked[0]] - best
}

func TestSensitivityProperty(t *testing.T) {
	r := rand.New(rand.NewPCG(15, 11254))
	checked := 0
	for n := range 500 {
		crit, alts := randomGrid(r)
		got, raw := rank(crit, alts)
		if got.Sensitivity == nil {
			continue
		}
		var ranked []int64 // top first
		for _, it := range got.Items {
			if it.Rank != nil {
				ranked = append(ranked, it.SiteID)
			}
		}
		total := 0.0
		for _, c := range crit {
			total += c.Weight
		}
		for i, c := range crit {
			lo, hi, p := raw[i][0], raw[i][1], c.Weight/total
			s := got.Sensitivity[i]
			if !(0 <= lo && lo <= p && p <= hi && hi <= 1) || *s.Lo != roundPercent(lo) || *s.Hi != roundPercent(hi) {
				t.Fatalf("grid %d criterion %d: raw [%v, %v] p %v, reported [%v, %v]", n, i, lo, hi, p, *s.Lo, *s.Hi)
			}
			// At both bounds and a bit inside them, the rank-1 site is still first.
			inside := []float64{lo, hi, lo + min(5e-4, (p-lo)/2), hi - min(5e-4, (hi-p)/2)}
			for _, x := range inside {
				if m := margin(crit, alts, ranked, i, x); m < -1e-9 {
					t.Errorf("grid %d criterion %d: at %v inside [%v, %v], top behind by %v", n, i, x, lo, hi, -m)
				}
			}
			// Just outside a bound that is not 0 % or 100 %, another ranked site scores more.
			if hi < 1-1e-6 {
				checked++
				if m := margin(crit, alts, ranked, i, hi+1e-6); !(m < 0) {
					t.Errorf("grid %d criterion %d: above hi %v the top still leads by %v", n, i, hi, m)
				}
			}
			if lo > 1e-6 {
				checked++
				if m := margin(crit, alts, ranked, i, lo-1e-6); !(m < 0) {
					t.Errorf("grid %d criterion %d: below lo %v the top still leads by %v", n, i, lo, m)
				}
			}
		}
	}
	if checked < 200 {
		t.Errorf("only %d finite bounds checked", checked)
	}
	t.Logf("%d finite bounds checked", checked)
}
