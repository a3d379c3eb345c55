package criteria

import "math"

// Interval is the sensitivity of the ranking to one criterion's weight: over [Lo, Hi] the
// rank-1 site still scores at least as much as every other ranked site, all other weights
// keeping their proportions. Weight is the criterion's current share pᵢ = wᵢ/Σw in percent,
// unrounded; Lo and Hi are in percent of total weight, rounded to the nearest 0.1. Rank
// always sets Lo and Hi; they are pointers so a caller may leave them unknown (JSON null).
//
// How it is computed: with pᵢ set to t and every other p_j to p_j·(1−t)/(1−pᵢ), a site's
// score is linear in t, S_k(t) = 100·(t·n_ki + (1−t)·B_k) with B_k = Σ_{j≠i} w_j n_kj /
// Σ_{j≠i} w_j. For each competitor the difference S_top − S_k is linear and positive at the
// current pᵢ; where it crosses 0 bounds the interval. Eliminated and incomplete sites do not
// compete (thresholds do not depend on weights). When every other criterion weighs 0 (or
// there is no other), the others' proportions are undefined: they are then taken as equal
// (B_k is the plain mean of the other normalised values), and with a single criterion
// B_k = 0, which gives [0, 100] since no weight can change the winner of a single criterion.
type Interval struct {
	CriterionID int64    `json:"criterion_id"`
	Weight      float64  `json:"weight"`
	Lo          *float64 `json:"lo"`
	Hi          *float64 `json:"hi"`
}

// intervals turns the unrounded bounds of sensitivityRaw into the reported intervals.
func (g *grid) intervals(raw [][2]float64) []Interval {
	bounds := make([]float64, 2*len(raw))
	out := make([]Interval, len(raw))
	for i, c := range g.criteria {
		bounds[2*i], bounds[2*i+1] = roundPercent(raw[i][0]), roundPercent(raw[i][1])
		out[i] = Interval{CriterionID: c.ID, Weight: g.weights.Percent(i), Lo: &bounds[2*i], Hi: &bounds[2*i+1]}
	}
	return out
}

// roundPercent turns a share in [0, 1] into a percentage rounded to the nearest 0.1.
func roundPercent(x float64) float64 { return math.Round(x*1000) / 10 }

// sensitivityRaw returns, for each criterion i, the unrounded interval [lo, hi] ⊆ [0, 1] of
// shares pᵢ over which site top scores at least as much as every site in others. It takes
// O(criteria × sites) time: for each competitor, sums over "every criterion but i" come
// from prefix and suffix sums (no subtraction, hence no cancellation when pᵢ is near 1).
// The grid must have Σw > 0 and top and others must be complete.
func (g *grid) sensitivityRaw(top int, others []int) [][2]float64 {
	nc := len(g.criteria)
	out := make([][2]float64, nc)
	share := make([]float64, nc)
	for i := range g.criteria {
		share[i] = g.weights.Share(i)
		out[i] = [2]float64{0, 1}
	}
	// wPre[i] = Σ_{j<i} w_j; wSuf[i] = Σ_{j≥i} w_j; likewise for w_j·d_j and d_j.
	wPre, wSuf := make([]float64, nc+1), make([]float64, nc+1)
	for i, c := range g.criteria {
		wPre[i+1] = wPre[i] + c.Weight
	}
	for i := nc - 1; i >= 0; i-- {
		wSuf[i] = wSuf[i+1] + g.criteria[i].Weight
	}
	buf := make([]float64, 5*(nc+1))
	d, wdPre, wdSuf, dPre, dSuf := buf[:nc], buf[nc+1:2*nc+2], buf[2*nc+2:3*nc+3], buf[3*nc+3:4*nc+4], buf[4*nc+4:]
	for _, k := range others {
		for j := range nc {
			d[j] = g.n(top, j) - g.n(k, j)
			wdPre[j+1] = wdPre[j] + g.criteria[j].Weight*d[j]
			dPre[j+1] = dPre[j] + d[j]
		}
		for j := nc - 1; j >= 0; j-- {
			wdSuf[j] = wdSuf[j+1] + g.criteria[j].Weight*d[j]
			dSuf[j] = dSuf[j+1] + d[j]
		}
		for i := range nc {
			// D(t)/100 = a·t + b·(1−t): a at pᵢ = 1, b at pᵢ = 0.
			a, b := d[i], 0.0
			if wo := wPre[i] + wSuf[i+1]; wo > 0 {
				b = (wdPre[i] + wdSuf[i+1]) / wo
			} else if nc > 1 {
				b = (dPre[i] + dSuf[i+1]) / float64(nc-1)
			}
			switch {
			case a < 0 && b > 0: // D falls to 0 above pᵢ
				out[i][1] = min(out[i][1], b/(b-a))
			case b < 0 && a > 0: // D rises from below 0 under pᵢ
				out[i][0] = max(out[i][0], b/(b-a))
			}
		}
	}
	for i := range out { // guard against rounding: the interval contains pᵢ
		out[i][0], out[i][1] = min(out[i][0], share[i]), max(out[i][1], share[i])
	}
	return out
}
