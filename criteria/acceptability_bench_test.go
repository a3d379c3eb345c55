package criteria

import (
	"math/rand/v2"
	"strconv"
	"testing"
)

// benchGrid returns nc criteria and ns complete sites with random values (fixed seed).
func benchGrid(nc, ns int) ([]Criterion, []Alternative) {
	r := rand.New(rand.NewPCG(5, 6))
	cs := make([]Criterion, nc)
	for i := range cs {
		cs[i] = Criterion{ID: int64(i + 1), Weight: 1 + r.Float64()*99, Direction: HigherIsBetter, ScaleMin: 0, ScaleMax: 10}
		if i%2 == 1 {
			cs[i].Direction = LowerIsBetter
		}
	}
	alts := make([]Alternative, ns)
	for k := range alts {
		vals := make(map[int64]float64, nc)
		for _, c := range cs {
			vals[c.ID] = r.Float64() * 10
		}
		alts[k] = Alternative{SiteID: int64(k + 1), Name: "Site " + strconv.Itoa(k+1), Values: vals}
	}
	return cs, alts
}

// BenchmarkAcceptability10000x20x8 is the SPEC's bound: 10,000 samples for 20 sites × 8
// criteria under 50 ms.
func BenchmarkAcceptability10000x20x8(b *testing.B) {
	cs, alts := benchGrid(8, 20)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := RankAcceptability(cs, alts, AcceptabilityOptions{Samples: 10000, Seed: DefaultSeed}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAcceptabilityAround5 is the same within ±5 points of the current weights.
func BenchmarkAcceptabilityAround5(b *testing.B) {
	cs, alts := benchGrid(8, 20)
	five := 5.0
	b.ReportAllocs()
	for b.Loop() {
		if _, err := RankAcceptability(cs, alts, AcceptabilityOptions{Samples: 10000, Seed: DefaultSeed, Around: &five}); err != nil {
			b.Fatal(err)
		}
	}
}

// TestAcceptabilityAllocatesNothingPerSample checks that the allocations do not grow with
// the number of samples. Each criterion has one clear best site (the others tie), so
// the same sites come first in both runs, for a fair share of the vectors, and both runs
// make the same central-weight maps.
func TestAcceptabilityAllocatesNothingPerSample(t *testing.T) {
	cs, alts := benchGrid(8, 20)
	for k := range alts {
		for _, c := range cs {
			alts[k].Values[c.ID] = 5
			if int(c.ID-1) == k%8 {
				alts[k].Values[c.ID] = 6 + float64(k)/100
				if c.Direction == LowerIsBetter {
					alts[k].Values[c.ID] = 4 - float64(k)/100
				}
			}
		}
	}
	five := 5.0
	for _, around := range []*float64{nil, &five} {
		few := testing.AllocsPerRun(3, func() {
			_, _ = RankAcceptability(cs, alts, AcceptabilityOptions{Samples: 10000, Seed: 1, Around: around})
		})
		many := testing.AllocsPerRun(3, func() {
			_, _ = RankAcceptability(cs, alts, AcceptabilityOptions{Samples: 40000, Seed: 1, Around: around})
		})
		if many != few {
			t.Errorf("around %v: %v allocations for 10,000 samples, %v for 40,000", around, few, many)
		}
	}
}
