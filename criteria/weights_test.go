package criteria_test

import (
	"testing"

	"github.com/ministere/tracker/criteria"
)

// TestWeightsShares: a criterion's share of the weights is wᵢ/Σw (in percent 100·wᵢ/Σw),
// and 0 for every criterion when nothing weighs anything. Expectations computed by hand.
func TestWeightsShares(t *testing.T) {
	cases := []struct {
		name    string
		weights []float64
		total   float64
		shares  []float64
		percent []float64
	}{
		{"one and three", []float64{1, 3}, 4, []float64{0.25, 0.75}, []float64{25, 75}},
		{"a zero among others", []float64{0, 2, 6}, 8, []float64{0, 0.25, 0.75}, []float64{0, 25, 75}},
		{"one criterion", []float64{7}, 7, []float64{1}, []float64{100}},
		{"fifths", []float64{10, 40}, 50, []float64{0.2, 0.8}, []float64{20, 80}},
		{"all zero", []float64{0, 0, 0}, 0, []float64{0, 0, 0}, []float64{0, 0, 0}},
		{"none", nil, 0, nil, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cs := make([]criteria.Criterion, len(tc.weights))
			for i, w := range tc.weights {
				cs[i] = criteria.Criterion{ID: int64(i + 1), Weight: w, Active: true}
			}
			w := criteria.WeightsOf(cs)
			if w.Total() != tc.total {
				t.Errorf("Total() = %v, want %v", w.Total(), tc.total)
			}
			for i := range cs {
				if got := w.Share(i); got != tc.shares[i] {
					t.Errorf("Share(%d) = %v, want %v", i, got, tc.shares[i])
				}
				if got := w.Percent(i); got != tc.percent[i] {
					t.Errorf("Percent(%d) = %v, want %v", i, got, tc.percent[i])
				}
			}
		})
	}
}

// TestSensitivityWeightIsTheShare: the ranking's sensitivity reports each criterion's
// current weight as the same percentage Weights gives (1, 3 → 25 %, 75 %).
func TestSensitivityWeightIsTheShare(t *testing.T) {
	cs := []criteria.Criterion{
		{ID: 1, Weight: 1, Direction: criteria.HigherIsBetter, ScaleMin: 0, ScaleMax: 10, Active: true},
		{ID: 2, Weight: 3, Direction: criteria.HigherIsBetter, ScaleMin: 0, ScaleMax: 10, Active: true},
	}
	alts := []criteria.Alternative{
		{SiteID: 1, Name: "A", Values: map[int64]float64{1: 9, 2: 8}},
		{SiteID: 2, Name: "B", Values: map[int64]float64{1: 2, 2: 3}},
	}
	rk := criteria.Rank(cs, alts)
	if len(rk.Sensitivity) != 2 {
		t.Fatalf("sensitivity = %+v, want two intervals", rk.Sensitivity)
	}
	for i, want := range []float64{25, 75} {
		if got := rk.Sensitivity[i].Weight; got != want {
			t.Errorf("criterion %d: sensitivity weight %v, want %v", i+1, got, want)
		}
	}
}
