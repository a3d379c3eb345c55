package criteria

import (
	"cmp"
	"math"
	"slices"
)

// MethodWeightedSum is the name of the ranking method, reported in Ranking.Method.
const MethodWeightedSum = "weighted_sum"

// TieTolerance is the largest score difference (on the 0–100 scale) for which two ranked
// sites share a rank.
const TieTolerance = 1e-9

// Alternative is a site with its values by criterion id. A missing key, NaN or an infinite
// value counts as a missing value.
type Alternative struct {
	SiteID int64
	Name   string
	Values map[int64]float64
}

// Contribution is one criterion's part in a site's score. Value, Normalized and Weighted are
// nil when the site has no value for the criterion. Weighted = 100 × wᵢnᵢ / Σw, so the
// breakdown of a complete site sums to its score (up to floating-point rounding); it is 0
// when Σw = 0.
type Contribution struct {
	CriterionID int64    `json:"criterion_id"`
	Value       *float64 `json:"value"`
	Normalized  *float64 `json:"normalized"`
	Weighted    *float64 `json:"weighted"`
}

// Ranked is one site in a Ranking.
//
// Score is nil when the site is incomplete and kept (for information) when it is
// eliminated. Rank is nil when the site is eliminated or incomplete. EliminatedBy and
// Missing list criterion ids in the order the criteria were given; they are never nil (so
// JSON shows []). A site that misses a value and fails a threshold on another is both
// incomplete and eliminated. Breakdown has one Contribution per criterion, in the order
// the criteria were given, including the values an incomplete site does have.
type Ranked struct {
	SiteID       int64          `json:"site_id"`
	Name         string         `json:"name"`
	Score        *float64       `json:"score"`
	Rank         *int           `json:"rank"`
	Eliminated   bool           `json:"eliminated"`
	EliminatedBy []int64        `json:"eliminated_by"`
	Incomplete   bool           `json:"incomplete"`
	Missing      []int64        `json:"missing"`
	Breakdown    []Contribution `json:"breakdown"`
}

// Ranking is the result of Rank. Method is always MethodWeightedSum. Sensitivity has one
// Interval per criterion, in the order the criteria were given, and is nil (JSON null) when
// fewer than two sites are ranked or when rank 1 is shared.
type Ranking struct {
	Method      string     `json:"method"`
	Items       []Ranked   `json:"items"`
	Sensitivity []Interval `json:"sensitivity"`
}

// Rank scores and ranks the alternatives on the criteria by the weighted sum of the SPEC:
// n = clamp((v − min)/(max − min), 0, 1) (or (max − v)/(max − min) for lower-is-better),
// score = 100 × Σ wᵢnᵢ / Σ wᵢ. A site missing any value is incomplete (no score, no rank);
// a site worse than a threshold is eliminated (score kept, no rank). Ranked sites share a
// rank when their scores lie within TieTolerance of the best score of their group
// (competition ranking: 1, 2, 2, 4).
//
// Items come in this order: ranked sites by rank, then by name; then eliminated sites by
// score (highest first), then by name; then incomplete sites by name. Names compare
// byte-wise; equal names fall back to SiteID.
//
// With no criteria, or when every weight is 0, every complete site scores 0 and, unless
// eliminated, shares rank 1 (so Sensitivity is nil when two or more are ranked).
//
// Rank is pure: it neither keeps nor changes its arguments.
func Rank(criteria []Criterion, alts []Alternative) Ranking {
	out, _ := rank(criteria, alts)
	return out
}

// rank is Rank that also returns the unrounded sensitivity bounds (shares in [0, 1], one
// pair per criterion; nil with the Sensitivity).
func rank(criteria []Criterion, alts []Alternative) (Ranking, [][2]float64) {
	g := newGrid(criteria, alts)
	ranked := make([]int, 0, len(alts))
	var eliminated, incomplete []int
	for k := range alts {
		switch g.score(k) {
		case siteIncomplete:
			incomplete = append(incomplete, k)
		case siteEliminated:
			eliminated = append(eliminated, k)
		default:
			ranked = append(ranked, k)
		}
	}
	ranks, shared := rankedOrder(g, alts, ranked)
	slices.SortFunc(eliminated, byScore(g, alts))
	slices.SortFunc(incomplete, byName(alts))

	out := Ranking{Method: MethodWeightedSum, Items: make([]Ranked, 0, len(alts))}
	for p, k := range ranked {
		out.Items = append(out.Items, g.item(k, &ranks[p]))
	}
	for _, k := range slices.Concat(eliminated, incomplete) {
		out.Items = append(out.Items, g.item(k, nil))
	}
	if len(ranked) < 2 || shared {
		return out, nil
	}
	raw := g.sensitivityRaw(ranked[0], ranked[1:])
	out.Sensitivity = g.intervals(raw)
	return out, raw
}

// byName orders sites by name, then by id.
func byName(alts []Alternative) func(a, b int) int {
	return func(a, b int) int {
		if c := cmp.Compare(alts[a].Name, alts[b].Name); c != 0 {
			return c
		}
		return cmp.Compare(alts[a].SiteID, alts[b].SiteID)
	}
}

// byScore orders sites by score, highest first, then by name.
func byScore(g *grid, alts []Alternative) func(a, b int) int {
	named := byName(alts)
	return func(a, b int) int {
		if c := cmp.Compare(g.scores[b], g.scores[a]); c != 0 {
			return c
		}
		return named(a, b)
	}
}

// rankedOrder puts the ranked sites in the ranking's order — by score, highest first,
// each group of ties by name — and returns their competition ranks and whether rank 1 is
// shared: the one order of the ranking, its acceptability and its note.
func rankedOrder(g *grid, alts []Alternative, ranked []int) (ranks []int, shared bool) {
	slices.SortFunc(ranked, byScore(g, alts))
	return competitionRanks(ranked, g.scores, byName(alts))
}

// competitionRanks gives competition ranks (1, 2, 2, 4) to the ranked sites, sorted by score
// highest first: a site shares the rank of its group when its score lies within
// TieTolerance of the group's best. Each group is re-sorted by name in place. It returns
// the ranks by position and whether rank 1 is shared.
func competitionRanks(ranked []int, scores []float64, byName func(a, b int) int) (ranks []int, shared bool) {
	ranks = make([]int, len(ranked))
	for start := 0; start < len(ranked); {
		end := start + 1
		for end < len(ranked) && scores[ranked[start]]-scores[ranked[end]] <= TieTolerance {
			end++
		}
		slices.SortFunc(ranked[start:end], byName)
		for p := start; p < end; p++ {
			ranks[p] = start + 1
		}
		shared = shared || (start == 0 && end > 1)
		start = end
	}
	return ranks, shared
}

// Outcomes of scoring one site.
const (
	siteRanked = iota
	siteEliminated
	siteIncomplete
)

// grid holds the figures of every site, criterion by criterion, for the ranking and the
// sensitivity analysis. Everything lives in a few flat slices: one allocation each.
type grid struct {
	criteria []Criterion
	alts     []Alternative
	weights  Weights        // Σw and the shares
	cells    []float64      // cells[3(k·nc+i)…+2] = value, n, weighted of site k on criterion i
	contribs []Contribution // contribs[k·nc+i], pointing into cells (nil when missing)
	scores   []float64      // by site; NaN when incomplete
	status   []uint8        // by site: siteRanked, siteEliminated or siteIncomplete
}

func newGrid(criteria []Criterion, alts []Alternative) *grid {
	g := &grid{
		criteria: criteria, alts: alts,
		cells:    make([]float64, 3*len(alts)*len(criteria)),
		contribs: make([]Contribution, len(alts)*len(criteria)),
		scores:   make([]float64, len(alts)),
		status:   make([]uint8, len(alts)),
	}
	g.weights = WeightsOf(criteria)
	return g
}

// score computes site k's cells, contributions and score, and returns its status.
func (g *grid) score(k int) uint8 {
	nc := len(g.criteria)
	values := g.alts[k].Values
	contribs, cells := g.contribs[k*nc:(k+1)*nc], g.cells[3*k*nc:3*(k+1)*nc]
	sum, status := 0.0, uint8(siteRanked)
	for i := range g.criteria {
		c := &g.criteria[i]
		contribs[i].CriterionID = c.ID
		v, ok := values[c.ID]
		if !ok || math.IsNaN(v) || math.IsInf(v, 0) {
			status = siteIncomplete
			continue
		}
		n := normalize(c, v)
		w := 0.0
		if g.weights.Total() > 0 {
			w = 100 * c.Weight * n / g.weights.Total()
		}
		sum += c.Weight * n
		cell := cells[3*i : 3*i+3]
		cell[0], cell[1], cell[2] = v, n, w
		contribs[i].Value, contribs[i].Normalized, contribs[i].Weighted = &cell[0], &cell[1], &cell[2]
		if status == siteRanked && fails(c, v) {
			status = siteEliminated
		}
	}
	switch {
	case status == siteIncomplete:
		g.scores[k] = math.NaN()
	case g.weights.Total() > 0:
		g.scores[k] = 100 * sum / g.weights.Total()
	}
	g.status[k] = status
	return status
}

// item returns the Ranked of site k, with the given rank (nil unless ranked).
func (g *grid) item(k int, rank *int) Ranked {
	nc := len(g.criteria)
	a := g.alts[k]
	r := Ranked{SiteID: a.SiteID, Name: a.Name, Rank: rank, EliminatedBy: []int64{}, Missing: []int64{},
		Breakdown: g.contribs[k*nc : (k+1)*nc : (k+1)*nc]}
	if g.status[k] == siteRanked {
		r.Score = &g.scores[k]
		return r
	}
	for i := range g.criteria {
		c := &g.criteria[i]
		switch v := g.contribs[k*nc+i].Value; {
		case v == nil:
			r.Missing = append(r.Missing, c.ID)
		case fails(c, *v):
			r.EliminatedBy = append(r.EliminatedBy, c.ID)
		}
	}
	r.Incomplete, r.Eliminated = len(r.Missing) > 0, len(r.EliminatedBy) > 0
	if !r.Incomplete {
		r.Score = &g.scores[k]
	}
	return r
}

// n returns the normalised value of site k on criterion i.
func (g *grid) n(k, i int) float64 { return g.cells[3*(k*len(g.criteria)+i)+1] }

// normalize maps v onto [0, 1] along the criterion's scale, 1 being best. A degenerate scale
// (max ≤ min, refused by the store) gives 1 when v is at or beyond the scale's best end, else 0.
func normalize(c *Criterion, v float64) float64 {
	span := c.ScaleMax - c.ScaleMin
	lower := c.Direction == LowerIsBetter
	if !(span > 0) {
		if (!lower && v >= c.ScaleMax) || (lower && v <= c.ScaleMin) {
			return 1
		}
		return 0
	}
	n := (v - c.ScaleMin) / span
	if lower {
		n = (c.ScaleMax - v) / span
	}
	return min(max(n, 0), 1)
}

// fails reports whether v is strictly worse than the criterion's threshold.
func fails(c *Criterion, v float64) bool {
	if c.Threshold == nil {
		return false
	}
	if c.Direction == LowerIsBetter {
		return v > *c.Threshold
	}
	return v < *c.Threshold
}
