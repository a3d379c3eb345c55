package criteria

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"testing"
)

// twoByTwo is two sites on two criteria on a 0–1 scale: A = (1, 0.2), B = (0.4, 1). With
// w₁ = t, S_A = 0.2 + 0.8t and S_B = 1 − 0.6t: A wins when t > 4/7.
func twoByTwo() ([]Criterion, []Alternative) {
	cs := []Criterion{
		{ID: 1, Weight: 50, Direction: HigherIsBetter, ScaleMin: 0, ScaleMax: 1},
		{ID: 2, Weight: 50, Direction: HigherIsBetter, ScaleMin: 0, ScaleMax: 1},
	}
	return cs, []Alternative{
		site(10, "A", map[int64]float64{1: 1, 2: 0.2}),
		site(20, "B", map[int64]float64{1: 0.4, 2: 1}),
	}
}

func mustAcceptability(t *testing.T, cs []Criterion, alts []Alternative, opts AcceptabilityOptions) Acceptability {
	t.Helper()
	got, err := RankAcceptability(cs, alts, opts)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func near(t *testing.T, what string, got, want, tol float64) {
	t.Helper()
	if math.Abs(got-want) > tol {
		t.Errorf("%s = %.4f, want %.4f ± %g", what, got, want, tol)
	}
}

func TestAcceptabilityTwoSitesTwoCriteriaIsTheIntervalLength(t *testing.T) {
	cs, alts := twoByTwo()
	got := mustAcceptability(t, cs, alts, AcceptabilityOptions{Samples: 100000, Seed: 7})
	a, b := itemOf(t, got, 10), itemOf(t, got, 20)
	// w₁ is uniform on [0, 1]: A is first on (4/7, 1], B on [0, 4/7).
	near(t, "A at rank 1", a.Acceptability[0], 100*3.0/7, 0.6)
	near(t, "B at rank 1", b.Acceptability[0], 100*4.0/7, 0.6)
	near(t, "A at rank 2", a.Acceptability[1], 100*4.0/7, 0.6)
	// Central weights: the midpoint of each interval.
	near(t, "A's central w₁", a.CentralWeights["1"], (4.0/7+1)/2, 0.005)
	near(t, "A's central w₂", a.CentralWeights["2"], 1-(4.0/7+1)/2, 0.005)
	near(t, "B's central w₁", b.CentralWeights["1"], 2.0/7, 0.005)

	// Within ±10 points of (0.5, 0.5), w₁ is uniform on [0.4, 0.6]: A wins on (4/7, 0.6].
	ten := 10.0
	got = mustAcceptability(t, cs, alts, AcceptabilityOptions{Samples: 100000, Seed: 7, Around: &ten})
	a = itemOf(t, got, 10)
	near(t, "A at rank 1 within ±10", a.Acceptability[0], 100*(0.6-4.0/7)/0.2, 0.6)
	near(t, "A's central w₁ within ±10", a.CentralWeights["1"], (4.0/7+0.6)/2, 0.003)
	if *got.Around != 10 || got.Samples != 100000 || got.Seed != 7 {
		t.Errorf("options not echoed: %+v", got)
	}
}

func TestAcceptabilityDominatedSiteIsNeverFirst(t *testing.T) {
	cs := []Criterion{
		{ID: 1, Weight: 40, Direction: HigherIsBetter, ScaleMin: 0, ScaleMax: 10},
		{ID: 2, Weight: 30, Direction: LowerIsBetter, ScaleMin: 0, ScaleMax: 120},
		{ID: 3, Weight: 30, Direction: HigherIsBetter, ScaleMin: 0, ScaleMax: 10},
	}
	alts := []Alternative{
		site(1, "A", map[int64]float64{1: 8, 2: 30, 3: 5}),
		site(2, "B", map[int64]float64{1: 4, 2: 20, 3: 9}),
		site(3, "C", map[int64]float64{1: 7, 2: 40, 3: 5}), // worse than A everywhere
	}
	got := mustAcceptability(t, cs, alts, AcceptabilityOptions{Samples: 20000, Seed: DefaultSeed})
	c := itemOf(t, got, 3)
	if c.Acceptability[0] != 0 || c.CentralWeights != nil {
		t.Errorf("dominated site: %v at rank 1, central %v; want 0 and nil", c.Acceptability[0], c.CentralWeights)
	}
	for _, it := range got.Items {
		if len(it.Acceptability) != 3 {
			t.Fatalf("site %d: %d ranks, want 3", it.SiteID, len(it.Acceptability))
		}
		near(t, "row sum", it.Acceptability[0]+it.Acceptability[1]+it.Acceptability[2], 100, 1e-9)
		if it.CentralWeights != nil {
			near(t, "central sum", it.CentralWeights["1"]+it.CentralWeights["2"]+it.CentralWeights["3"], 1, 1e-9)
		}
	}
	for r := range 3 {
		sum := 0.0
		for _, it := range got.Items {
			sum += it.Acceptability[r]
		}
		near(t, "column sum", sum, 100, 1e-9)
	}
}

func TestAcceptabilityIsUniformOnTheSimplex(t *testing.T) {
	// A wins iff w₁ > 1/2; on the 3-simplex P(w₁ > 1/2) = (1/2)² = 1/4.
	cs := []Criterion{
		{ID: 1, Weight: 1, ScaleMin: 0, ScaleMax: 1}, {ID: 2, Weight: 1, ScaleMin: 0, ScaleMax: 1}, {ID: 3, Weight: 1, ScaleMin: 0, ScaleMax: 1},
	}
	alts := []Alternative{site(1, "A", map[int64]float64{1: 1, 2: 0, 3: 0}), site(2, "B", map[int64]float64{1: 0, 2: 1, 3: 1})}
	got := mustAcceptability(t, cs, alts, AcceptabilityOptions{Samples: 100000, Seed: 3})
	near(t, "A first", itemOf(t, got, 1).Acceptability[0], 25, 0.6)
	// At ±100 points the band is the whole simplex (the simplex proposal serves).
	hundred := 100.0
	got = mustAcceptability(t, cs, alts, AcceptabilityOptions{Samples: 100000, Seed: 3, Around: &hundred})
	near(t, "A first at ±100", itemOf(t, got, 1).Acceptability[0], 25, 0.6)
	// At ±10 points around (1/3, 1/3, 1/3), w₁ ≤ 0.4333 < 1/2: A never wins.
	ten := 10.0
	got = mustAcceptability(t, cs, alts, AcceptabilityOptions{Samples: 10000, Seed: 3, Around: &ten})
	if a := itemOf(t, got, 1); a.Acceptability[0] != 0 {
		t.Errorf("A first at ±10: %v, want 0", a.Acceptability[0])
	}
	if b := itemOf(t, got, 2); b.CentralWeights["1"] < 1.0/3-0.1 || b.CentralWeights["1"] > 1.0/3+0.1 {
		t.Errorf("B's central w₁ %v outside the band", b.CentralWeights["1"])
	}
}

func TestAcceptabilityTiesShareTheRank(t *testing.T) {
	cs, _ := twoByTwo()
	alts := []Alternative{site(1, "A", map[int64]float64{1: 0.5, 2: 0.5}), site(2, "B", map[int64]float64{1: 0.5, 2: 0.5})}
	got := mustAcceptability(t, cs, alts, AcceptabilityOptions{Samples: 1000, Seed: 1})
	for _, it := range got.Items {
		if it.Acceptability[0] != 100 || it.Acceptability[1] != 0 {
			t.Errorf("site %d: %v, want [100 0]", it.SiteID, it.Acceptability)
		}
	}
}

// TestAcceptabilityListsSitesInTheRankingsOrder: sites tied within TieTolerance come in
// the ranking's order (by name), not by their scores' last bits.
func TestAcceptabilityListsSitesInTheRankingsOrder(t *testing.T) {
	cs, _ := twoByTwo()
	alts := []Alternative{
		site(1, "Alpha", map[int64]float64{1: 0.5, 2: 0.5}),
		site(2, "Zeta", map[int64]float64{1: 0.5 + 1e-15, 2: 0.5}),
		site(3, "Bêta", map[int64]float64{1: 0.1, 2: 0.1}),
	}
	want := Rank(cs, alts).Items
	got := mustAcceptability(t, cs, alts, AcceptabilityOptions{Samples: 100, Seed: 1}).Items
	if len(got) != len(want) {
		t.Fatalf("%d items, want %d", len(got), len(want))
	}
	for i := range want {
		if got[i].SiteID != want[i].SiteID {
			t.Errorf("item %d: site %d, want %d (the ranking's order)", i, got[i].SiteID, want[i].SiteID)
		}
	}
}

func TestAcceptabilityRanksOnlyCompleteUneliminatedSites(t *testing.T) {
	cs, alts := twoByTwo()
	cs[0].Threshold = ptr(0.3)
	alts = append(alts,
		site(30, "Éliminé", map[int64]float64{1: 0.1, 2: 1}),
		site(40, "Incomplet", map[int64]float64{1: 1}))
	got := mustAcceptability(t, cs, alts, AcceptabilityOptions{Samples: 500, Seed: 1})
	if len(got.Items) != 2 || got.Items[0].SiteID != 20 || got.Items[1].SiteID != 10 {
		t.Fatalf("items %+v, want B (0.7) then A (0.6), the current ranking's order", got.Items)
	}
}

func TestAcceptabilitySameSeedSameBytes(t *testing.T) {
	cs, alts := benchGrid(8, 20)
	five := 5.0
	for _, opts := range []AcceptabilityOptions{{Samples: 2000, Seed: 42}, {Samples: 2000, Seed: 42, Around: &five}} {
		one, _ := json.Marshal(mustAcceptability(t, cs, alts, opts))
		two, _ := json.Marshal(mustAcceptability(t, cs, alts, opts))
		if !bytes.Equal(one, two) {
			t.Errorf("same seed, different answers:\n%s\n%s", one, two)
		}
		opts.Seed = 43
		other, _ := json.Marshal(mustAcceptability(t, cs, alts, opts))
		if bytes.Equal(one, other) {
			t.Error("another seed gave the very same answer")
		}
	}
}

func TestAcceptabilityThinBandIsBounded(t *testing.T) {
	// 20 criteria, one weighing almost everything: ±0.001 point leaves a sliver the
	// simplex proposal never hits; the box proposal still works.
	cs, alts := benchGrid(20, 3)
	cs[0].Weight = 1e6
	thin := 0.001
	got, err := RankAcceptability(cs, alts, AcceptabilityOptions{Samples: 200, Seed: 1, Around: &thin})
	if err != nil && !errors.Is(err, ErrAroundUnreachable) {
		t.Fatal(err)
	}
	if err == nil && len(got.Items) != 3 {
		t.Errorf("%d items", len(got.Items))
	}
}

func itemOf(t *testing.T, a Acceptability, siteID int64) SiteAcceptability {
	t.Helper()
	for _, it := range a.Items {
		if it.SiteID == siteID {
			return it
		}
	}
	t.Fatalf("site %d not in %+v", siteID, a.Items)
	return SiteAcceptability{}
}
