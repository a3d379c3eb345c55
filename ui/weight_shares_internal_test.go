package ui

import (
	"testing"

	"github.com/ministere/tracker/criteria"
	"github.com/ministere/tracker/relocation"
)

// TestPagesShowTheSameWeightShares: the criteria page, the ranking and the AHP form show a
// criterion's share of the weights as criteria.Weights says: active weights 1 and 3 give
// 25 % and 75 %, a criterion set aside shows none; with every weight 0, no share (0 on the
// criteria page and the ranking, « — » on the AHP form).
func TestPagesShowTheSameWeightShares(t *testing.T) {
	r := relocation.Relocation{ID: 1, Name: "Essai"}
	cs := []criteria.Criterion{
		{ID: 1, Name: "A", Weight: 1, Active: true},
		{ID: 2, Name: "Écarté", Weight: 5, Active: false},
		{ID: 3, Name: "B", Weight: 3, Active: true},
	}
	t.Run("criteria page", func(t *testing.T) {
		page := newCriteriaPage(r, cs, formState{})
		for i, want := range []float64{25, 0, 75} {
			if got := page.Criteria[i].Percent; got != want {
				t.Errorf("%s: %v %%, want %v", cs[i].Name, got, want)
			}
		}
	})
	t.Run("ranking", func(t *testing.T) {
		v := newRankingView(&criteria.Grid{Relocation: r, Criteria: cs})
		got := []string{}
		for _, c := range v.Criteria {
			got = append(got, c.Name+" "+c.Percent)
		}
		want := []string{"A 25,0\u00a0%", "B 75,0\u00a0%"}
		if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] {
			t.Errorf("ranking shares %q, want %q", got, want)
		}
	})
	t.Run("ahp form", func(t *testing.T) {
		p := newAHPPage(r, criteria.Active(cs), true)
		if p.Criteria[0].Current != "25,0\u00a0%" || p.Criteria[1].Current != "75,0\u00a0%" {
			t.Errorf("AHP current shares %q, %q, want 25,0 %%, 75,0 %%", p.Criteria[0].Current, p.Criteria[1].Current)
		}
	})
	t.Run("all zero", func(t *testing.T) {
		zero := []criteria.Criterion{{ID: 1, Name: "A", Active: true}, {ID: 2, Name: "B", Active: true}}
		for i, row := range newCriteriaPage(r, zero, formState{}).Criteria {
			if row.Percent != 0 {
				t.Errorf("criteria page, criterion %d: %v %%, want 0", i, row.Percent)
			}
		}
		for _, c := range newRankingView(&criteria.Grid{Relocation: r, Criteria: zero}).Criteria {
			if c.Percent != "0,0\u00a0%" {
				t.Errorf("ranking, %s: %q, want 0,0 %%", c.Name, c.Percent)
			}
		}
		for _, w := range newAHPPage(r, zero, true).Criteria {
			if w.Current != "—" {
				t.Errorf("AHP form, %s: %q, want —", w.Name, w.Current)
			}
		}
	})
}
