package criteria

import (
	"math/rand/v2"
	"testing"
)

// BenchmarkRank1000x20 ranks 1,000 sites on 20 criteria with random values (fixed seed),
// sensitivity included. A few sites fall under a threshold; all are complete.
func BenchmarkRank1000x20(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	crit := make([]Criterion, 20)
	for i := range crit {
		crit[i] = Criterion{ID: int64(i + 1), Weight: 1 + r.Float64()*99, Direction: HigherIsBetter, ScaleMin: 0, ScaleMax: 10}
		if i%2 == 1 {
			crit[i].Direction = LowerIsBetter
		}
	}
	crit[0].Threshold = ptr(0.5)
	alts := make([]Alternative, 1000)
	for k := range alts {
		vals := make(map[int64]float64, len(crit))
		for _, c := range crit {
			vals[c.ID] = r.Float64() * 10
		}
		alts[k] = Alternative{SiteID: int64(k + 1), Name: "Site " + string(rune('A'+k%26)) + string(rune('a'+k/26%26)), Values: vals}
	}
	if Rank(crit, alts).Sensitivity == nil {
		b.Fatal("no sensitivity computed")
	}
	b.ReportAllocs()
	for b.Loop() {
		Rank(crit, alts)
	}
}
