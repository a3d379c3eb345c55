package criteria_test

import (
	"math"
	"testing"

	"github.com/ministere/tracker/criteria"
	"github.com/ministere/tracker/relocation"
	"github.com/ministere/tracker/sites"
)

// TestSetAsideCriterion: a criterion set aside keeps its weight but takes no part in the
// ranking: a site that misses its value is not incomplete, its threshold eliminates
// nobody, and the scores are those of the active criteria alone.
func TestSetAsideCriterion(t *testing.T) {
	one := 5.0
	g := criteria.Grid{
		Relocation: relocation.Relocation{ID: 1, Headcount: 10, SurfaceRatioM2: 16},
		Criteria: []criteria.Criterion{
			{ID: 1, Name: "Visibilité", Weight: 60, Direction: criteria.HigherIsBetter, ScaleMin: 0, ScaleMax: 10, Source: criteria.SourceManual, Active: true},
			{ID: 2, Name: "Trajets", Weight: 40, Direction: criteria.LowerIsBetter, ScaleMin: 0, ScaleMax: 120, Source: criteria.SourceCommuteMedian, Active: false},
			{ID: 3, Name: "Métiers", Weight: 40, Direction: criteria.HigherIsBetter, ScaleMin: 0, ScaleMax: 10, Threshold: &one, Source: criteria.SourceManual, Active: false},
		},
		Sites: []sites.Site{{ID: 10, Name: "A"}, {ID: 11, Name: "B"}},
		Scores: []criteria.Score{
			{SiteID: 10, CriterionID: 1, Value: 8}, {SiteID: 11, CriterionID: 1, Value: 4},
			{SiteID: 10, CriterionID: 3, Value: 2}, // below the threshold of a criterion set aside
		},
	}
	rk := g.Rank()
	// Only « Visibilité » counts: A = 100 × 8/10 = 80, B = 100 × 4/10 = 40.
	want := map[string]float64{"A": 80, "B": 40}
	for _, it := range rk.Items {
		if it.Incomplete || it.Eliminated || it.Score == nil || math.Abs(*it.Score-want[it.Name]) > 1e-9 {
			t.Errorf("%s: incomplete %v eliminated %v score %v, want ranked with %v", it.Name, it.Incomplete, it.Eliminated, it.Score, want[it.Name])
		}
		if len(it.Breakdown) != 1 || it.Breakdown[0].CriterionID != 1 {
			t.Errorf("%s: breakdown %+v, want the active criterion alone", it.Name, it.Breakdown)
		}
	}
	if len(rk.Sensitivity) != 1 || rk.Sensitivity[0].CriterionID != 1 {
		t.Errorf("sensitivity %+v, want the active criterion alone", rk.Sensitivity)
	}
	if got := criteria.Active(g.Criteria); len(got) != 1 || got[0].ID != 1 {
		t.Errorf("Active = %+v, want criterion 1", got)
	}
}
