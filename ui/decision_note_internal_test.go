package ui

import (
	"slices"
	"testing"

	"github.com/ministere/tracker/criteria"
)

// TestComparisonSentences: each recorded AHP comparison said in words, the more important
// criterion first, a deleted criterion named by its number.
func TestComparisonSentences(t *testing.T) {
	cs := []criteria.Criterion{{ID: 1, Name: "Surface"}, {ID: 2, Name: "Visibilité"}, {ID: 3, Name: "Trajets"}}
	recorded := criteria.ComparisonsRecord([]criteria.Comparison{{A: 1, B: 2, Value: 3}, {A: 2, B: 3, Value: 0.2}, {A: 1, B: 3, Value: 1}, {A: 1, B: 9, Value: 2}})
	var asJSON []any // as the journal gives it back: numbers decoded as float64
	for _, m := range recorded {
		asJSON = append(asJSON, map[string]any{"a": float64(m["a"].(int64)), "b": float64(m["b"].(int64)), "value": m["value"]})
	}
	comps, ok := criteria.ReadComparisons(asJSON)
	if !ok {
		t.Fatal("the record does not read back")
	}
	got := comparisonSentences(comps, cs)
	want := []string{
		"« Surface » compte 3 fois plus que « Visibilité » (3).",
		"« Trajets » compte 5 fois plus que « Visibilité » (1/5).",
		"« Surface » et « Trajets » comptent autant (1).",
		"« Surface » compte 2 fois plus que le critère n° 9 (supprimé depuis) (2).",
	}
	if !slices.Equal(got, want) {
		t.Errorf("got %q\nwant %q", got, want)
	}
	if _, ok := criteria.ReadComparisons("pas une liste"); ok {
		t.Error("a string read as comparisons")
	}
}
