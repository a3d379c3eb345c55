package criteria

import (
	"errors"
	"math"
	"strings"
	"testing"
)

func TestAHP(t *testing.T) {
	tests := []struct {
		name    string
		ids     []int64
		comps   []Comparison
		weights map[int64]float64
		lambda  float64
		cr      float64
		tol     float64
		worst   *[2]int64 // nil: not checked
	}{
		{
			// Two criteria: a_12 = 3 → w = (3, 1)/4, λmax = 2, CR = 0 by definition.
			name:    "2x2",
			ids:     []int64{5, 8},
			comps:   []Comparison{{A: 8, B: 5, Value: 1.0 / 3}},
			weights: map[int64]float64{5: 0.75, 8: 0.25},
			lambda:  2, cr: 0, tol: 1e-12,
		},
		{
			// Consistent: a_12 = 2, a_13 = 4, a_23 = 2 = a_13/a_12 → A = w·(1/w)ᵀ with
			// w = (4, 2, 1)/7; A·w = 3w, λmax = 3, CI = 0, CR = 0.
			name:    "3x3 consistent",
			ids:     []int64{1, 2, 3},
			comps:   []Comparison{{1, 2, 2}, {1, 3, 4}, {2, 3, 2}},
			weights: map[int64]float64{1: 4.0 / 7, 2: 2.0 / 7, 3: 1.0 / 7},
			lambda:  3, cr: 0, tol: 1e-12,
		},
		{
			// Consistent 4×4 from w = (4, 3, 2, 1)/10, a_ij = w_i/w_j; some pairs given in the
			// reverse order (a_31 = 1/2 for a_13 = 2, a_42 = 1/3 for a_24 = 3). λmax = 4, CR = 0.
			name: "4x4 consistent, either order",
			ids:  []int64{10, 20, 30, 40},
			comps: []Comparison{
				{10, 20, 4.0 / 3}, {30, 10, 0.5}, {10, 40, 4},
				{20, 30, 1.5}, {40, 20, 1.0 / 3}, {30, 40, 2},
			},
			weights: map[int64]float64{10: 0.4, 20: 0.3, 30: 0.2, 40: 0.1},
			lambda:  4, cr: 0, tol: 1e-12,
		},
		{
			// Textbook inconsistent example [1 3 5; 1/3 1 3; 1/5 1/3 1]: published weights
			// 0.637, 0.258, 0.105, λmax ≈ 3.039, CR ≈ 0.033. Checked independently (exact
			// characteristic polynomial by Faddeev–LeVerrier over the rationals, largest real
			// root by bisection, then the null space of A − λI): λmax = 3.038511,
			// CI = 0.019256, CR = 0.019256/0.58 = 0.033199, w = (0.636986, 0.258285, 0.104729).
			// For n = 3 the three deviations |ln(a_ij w_j/w_i)| are equal (0.195929): the
			// first given wins the tie.
			name:    "3x3 textbook inconsistent",
			ids:     []int64{1, 2, 3},
			comps:   []Comparison{{1, 2, 3}, {1, 3, 5}, {2, 3, 3}},
			weights: map[int64]float64{1: 0.636986, 2: 0.258285, 3: 0.104729},
			lambda:  3.038511, cr: 0.033199, tol: 1e-3,
			worst: &[2]int64{1, 2},
		},
		{
			// [1 5 3 7; 1/5 1 1/3 3; 1/3 3 1 5; 1/7 1/3 1/5 1], computed the same independent
			// way: λmax = 4.116982, CI = 0.038994, CR = 0.038994/0.90 = 0.043327,
			// w = (0.565009, 0.117504, 0.262201, 0.055285). Largest deviation: (1, 4), 0.378.
			name: "4x4 inconsistent",
			ids:  []int64{1, 2, 3, 4},
			comps: []Comparison{
				{1, 2, 5}, {1, 3, 3}, {1, 4, 7}, {2, 3, 1.0 / 3}, {2, 4, 3}, {3, 4, 5},
			},
			weights: map[int64]float64{1: 0.565009, 2: 0.117504, 3: 0.262201, 4: 0.055285},
			lambda:  4.116982, cr: 0.043327, tol: 1e-3,
			worst: &[2]int64{1, 4},
		},
		{
			// The consistent (4, 3, 2, 1) matrix with a_14 turned from 4 into 1/4 (given as
			// a_41 = 4): λmax = 5.086894, CI = 0.362298, CR = 0.402553 > 0.10,
			// w = (0.218558, 0.310162, 0.206774, 0.264506). The reversed comparison departs
			// most: |ln(4 · w_1/w_4)| = 1.195 against 0.939 for the next.
			name: "4x4 one comparison reversed: worst",
			ids:  []int64{1, 2, 3, 4},
			comps: []Comparison{
				{1, 2, 4.0 / 3}, {1, 3, 2}, {4, 1, 4}, {2, 3, 1.5}, {2, 4, 3}, {3, 4, 2},
			},
			weights: map[int64]float64{1: 0.218558, 2: 0.310162, 3: 0.206774, 4: 0.264506},
			lambda:  5.086894, cr: 0.402553, tol: 1e-3,
			worst: &[2]int64{4, 1},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := AHP(tt.ids, tt.comps)
			if err != nil {
				t.Fatal(err)
			}
			sum := 0.0
			for id, w := range tt.weights {
				if math.Abs(got.Weights[id]-w) > tt.tol {
					t.Errorf("weight of %d = %.9f, want %.9f", id, got.Weights[id], w)
				}
				sum += got.Weights[id]
			}
			if len(got.Weights) != len(tt.ids) || math.Abs(sum-1) > 1e-12 {
				t.Errorf("weights %v sum to %v", got.Weights, sum)
			}
			if math.Abs(got.LambdaMax-tt.lambda) > tt.tol || math.Abs(got.ConsistencyRatio-tt.cr) > tt.tol {
				t.Errorf("λmax = %.9f, CR = %.9f; want %v, %v", got.LambdaMax, got.ConsistencyRatio, tt.lambda, tt.cr)
			}
			if got.Worst == nil || (tt.worst != nil && *got.Worst != *tt.worst) {
				t.Errorf("worst = %v, want %v", deref(got.Worst), deref(tt.worst))
			}
		})
	}
}

func TestAHPAppliedThreshold(t *testing.T) {
	ok, _ := AHP([]int64{1, 2, 3, 4}, []Comparison{{1, 2, 5}, {1, 3, 3}, {1, 4, 7}, {2, 3, 1.0 / 3}, {2, 4, 3}, {3, 4, 5}})
	bad, _ := AHP([]int64{1, 2, 3, 4}, []Comparison{{1, 2, 4.0 / 3}, {1, 3, 2}, {4, 1, 4}, {2, 3, 1.5}, {2, 4, 3}, {3, 4, 2}})
	if ok.ConsistencyRatio > MaxConsistencyRatio || bad.ConsistencyRatio <= MaxConsistencyRatio {
		t.Errorf("CR %v and %v against %v", ok.ConsistencyRatio, bad.ConsistencyRatio, MaxConsistencyRatio)
	}
}

func TestAHPErrors(t *testing.T) {
	three := []int64{3, 5, 7}
	full := func(extra ...Comparison) []Comparison {
		return append([]Comparison{{3, 5, 2}, {3, 7, 4}, {5, 7, 2}}, extra...)
	}
	tests := []struct {
		name  string
		ids   []int64
		comps []Comparison
		want  string // a fragment of the French message
	}{
		{"no criteria", nil, nil, "au moins 2 critères"},
		{"one criterion", []int64{3}, nil, "au moins 2 critères"},
		{"eleven criteria", []int64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, nil, "10 critères au plus"},
		{"repeated id", []int64{3, 5, 3}, full(), "le critère 3 figure deux fois"},
		{"missing pair", three, []Comparison{{3, 5, 2}, {5, 7, 2}}, "la comparaison entre les critères 3 et 7 manque"},
		{"no comparisons", three, nil, "la comparaison entre les critères 3 et 5 manque"},
		{"duplicate, same order", three, full(Comparison{5, 7, 3}), "entre les critères 5 et 7 est donnée deux fois"},
		{"duplicate, reverse order", three, full(Comparison{7, 3, 0.25}), "entre les critères 7 et 3 est donnée deux fois"},
		{"above 9", three, []Comparison{{3, 5, 10}, {3, 7, 4}, {5, 7, 2}}, "comprise entre 1/9 et 9"},
		{"below 1/9", three, []Comparison{{3, 5, 0.1}, {3, 7, 4}, {5, 7, 2}}, "comprise entre 1/9 et 9"},
		{"zero", three, []Comparison{{3, 5, 0}, {3, 7, 4}, {5, 7, 2}}, "comprise entre 1/9 et 9"},
		{"negative", three, []Comparison{{3, 5, -2}, {3, 7, 4}, {5, 7, 2}}, "comprise entre 1/9 et 9"},
		{"NaN", three, []Comparison{{3, 5, math.NaN()}, {3, 7, 4}, {5, 7, 2}}, "comprise entre 1/9 et 9"},
		{"unknown a", three, full(Comparison{4, 5, 2}), "le critère 4 ne fait pas partie de la grille"},
		{"unknown b", three, full(Comparison{5, 6, 2}), "le critère 6 ne fait pas partie de la grille"},
		{"self", three, full(Comparison{5, 5, 1}), "le critère 5 ne peut pas être comparé à lui-même"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := AHP(tt.ids, tt.comps)
			var ie *InputError
			if !errors.As(err, &ie) {
				t.Fatalf("error %v, want an *InputError", err)
			}
			if !strings.Contains(ie.Message, tt.want) || err.Error() != ie.Message {
				t.Errorf("message %q, want it to contain %q", ie.Message, tt.want)
			}
		})
	}
}

func TestAHPScaleBounds(t *testing.T) {
	// 1/9 and 9 themselves are accepted, with 1e-9 slack for clients' rounding.
	for _, v := range []float64{1.0 / 9, 9, 9 + 1e-10, 1.0/9 - 1e-10} {
		if _, err := AHP([]int64{1, 2}, []Comparison{{1, 2, v}}); err != nil {
			t.Errorf("value %v: %v", v, err)
		}
	}
}

func TestAHPTenCriteria(t *testing.T) {
	// Consistent 10×10 from w_i ∝ i + 1 (ratios stay within [1/9, 9] since 10/2 = 5).
	var ids []int64
	var comps []Comparison
	for i := range 10 {
		ids = append(ids, int64(i+1))
		for j := i + 1; j < 10; j++ {
			comps = append(comps, Comparison{int64(i + 1), int64(j + 1), float64(i+2) / float64(j+2)})
		}
	}
	got, err := AHP(ids, comps)
	if err != nil {
		t.Fatal(err)
	}
	// Σ (i+2) for i = 0…9 = 65.
	for i, id := range ids {
		if w := float64(i+2) / 65; math.Abs(got.Weights[id]-w) > 1e-12 {
			t.Errorf("weight %d = %v, want %v", id, got.Weights[id], w)
		}
	}
	if got.ConsistencyRatio > 1e-12 || math.Abs(got.LambdaMax-10) > 1e-9 {
		t.Errorf("CR %v, λmax %v", got.ConsistencyRatio, got.LambdaMax)
	}
}
