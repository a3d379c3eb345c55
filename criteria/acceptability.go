package criteria

import (
	"errors"
	"strconv"
)

// Bounds and defaults of a rank acceptability analysis (SMAA-2).
const (
	// DefaultSamples is the number of weight vectors drawn when the caller names none.
	DefaultSamples = 10000
	// MinSamples and MaxSamples bound the number of weight vectors a caller may ask for.
	MinSamples, MaxSamples = 100, 100000
	// DefaultSeed seeds the generator when the caller names no seed (the date of the 4th
	// CITP): the same inputs then give the same answer.
	DefaultSeed uint64 = 20191115
	// MaxSeed is the largest seed accepted (2⁵³ − 1: a JSON number any client reads exactly).
	MaxSeed uint64 = 1<<53 - 1
	// MaxAround is the widest band around the current weights, in percentage points (at
	// 100 points the band is the whole simplex).
	MaxAround = 100.0
)

// acceptabilityStream is the second word of the PCG state: the seed is the first.
const acceptabilityStream = 0x534d4141 // "SMAA"

// ErrAroundUnreachable is returned when the band around the current weights is so thin,
// against the number of criteria, that the rejection sampler exceeded its budget of draws.
var ErrAroundUnreachable = errors.New("criteria: acceptability: too few draws fall within the band around the weights")

// AcceptabilityOptions says how to sample weight vectors: Samples (MinSamples …
// MaxSamples), Seed (≤ MaxSeed), and Around, when set, the half-width in percentage points
// (in (0, MaxAround]) of the band around the current weights the vectors are drawn from.
type AcceptabilityOptions struct {
	Samples int
	Seed    uint64
	Around  *float64
}

// SiteAcceptability is one ranked site's result: Acceptability[r] is the percentage of
// weight vectors that give it rank r+1 (one entry per rank, as many as ranked sites);
// CentralWeights is the mean of the vectors that rank it first, by criterion id (decimal
// string) as shares summing to 1, nil (JSON null) when no vector does.
type SiteAcceptability struct {
	SiteID         int64              `json:"site_id"`
	Name           string             `json:"name"`
	Acceptability  []float64          `json:"acceptability"`
	CentralWeights map[string]float64 `json:"central_weights"`
}

// Acceptability is the result of RankAcceptability: the options it ran with, and one item
// per ranked site in the order of the ranking at the current weights.
type Acceptability struct {
	Samples int                 `json:"samples"`
	Seed    uint64              `json:"seed"`
	Around  *float64            `json:"around"`
	Items   []SiteAcceptability `json:"items"`
}

// RankAcceptability is the rank acceptability analysis (SMAA-2) of the SPEC. It draws
// opts.Samples weight vectors over the criteria (pass the active ones) and ranks, with
// each, the sites that are neither eliminated nor incomplete (thresholds do not depend on
// the weights), by the weighted sum of their normalised values, with the ranking's tie
// rule (scores within TieTolerance share a rank, 1, 2, 2, 4).
//
// Sampling. Without Around, vectors are uniform on the simplex: exponential spacings,
// wᵢ = Eᵢ / ΣE with Eᵢ independent Exp(1) draws. With Around = P, vectors are uniform on the
// intersection of the simplex with the box |wᵢ − pᵢ| ≤ P/100 around the current shares
// pᵢ = weightᵢ/Σweight, by rejection from one of two exact proposals: (a) the simplex
// sampler above, kept when the vector lies in the box; (b) the box itself on every
// coordinate but the widest, that one being 1 − Σ(others) and kept when it lies within
// its own bounds (uniform on the box's projection, hence uniform on the intersection,
// the projection being linear). Proposal (a) suits wide bands, (b) thin ones; a pilot of
// 256 draws of each picks the one that accepts more. The draws are bounded: more than
// 1,000 × Samples proposals return ErrAroundUnreachable.
//
// The generator is math/rand/v2's PCG seeded with (opts.Seed, a fixed stream): the same
// inputs and options give the same result, bit for bit. No allocation happens per
// sample. RankAcceptability is pure: it neither keeps nor changes its arguments.
func RankAcceptability(criteria []Criterion, alts []Alternative, opts AcceptabilityOptions) (Acceptability, error) {
	out := Acceptability{Samples: opts.Samples, Seed: opts.Seed, Around: opts.Around, Items: []SiteAcceptability{}}
	g := newGrid(criteria, alts)
	var ranked []int
	for k := range alts {
		if g.score(k) == siteRanked {
			ranked = append(ranked, k)
		}
	}
	rankedOrder(g, alts, ranked) // the order of the ranking at the current weights
	m, nc := len(ranked), len(criteria)
	if m == 0 || opts.Samples <= 0 {
		return out, nil
	}
	s := newSampler(criteria, opts)
	// norm[k·nc+i] = normalised value of ranked site k on criterion i.
	norm := make([]float64, m*nc)
	for k, site := range ranked {
		for i := range nc {
			norm[k*nc+i] = g.n(site, i)
		}
	}
	counts := make([]int, m*m)       // counts[k·m+r]: vectors giving site k rank r+1
	central := make([]float64, m*nc) // Σ of the vectors ranking site k first
	scores, order := make([]float64, m), make([]int, m)
	for range opts.Samples {
		w, err := s.next()
		if err != nil {
			return out, err
		}
		for k := range m {
			sum, row := 0.0, norm[k*nc:(k+1)*nc]
			for i, x := range row {
				sum += w[i] * x
			}
			scores[k] = 100 * sum
			order[k] = k
		}
		sortByScore(order, scores)
		for start := 0; start < m; {
			end := start + 1
			for end < m && scores[order[start]]-scores[order[end]] <= TieTolerance {
				end++
			}
			for _, k := range order[start:end] {
				counts[k*m+start]++
				if start == 0 {
					row := central[k*nc : (k+1)*nc]
					for i := range row {
						row[i] += w[i]
					}
				}
			}
			start = end
		}
	}
	for k, site := range ranked {
		item := SiteAcceptability{SiteID: alts[site].SiteID, Name: alts[site].Name, Acceptability: make([]float64, m)}
		for r := range m {
			item.Acceptability[r] = 100 * float64(counts[k*m+r]) / float64(opts.Samples)
		}
		if first := counts[k*m]; first > 0 {
			item.CentralWeights = make(map[string]float64, nc)
			for i, c := range criteria {
				item.CentralWeights[strconv.FormatInt(c.ID, 10)] = central[k*nc+i] / float64(first)
			}
		}
		out.Items = append(out.Items, item)
	}
	return out, nil
}

// sortByScore sorts the site indices by score, highest first (insertion sort: a few dozen
// sites, no allocation).
func sortByScore(order []int, scores []float64) {
	for i := 1; i < len(order); i++ {
		k := order[i]
		j := i
		for ; j > 0 && scores[order[j-1]] < scores[k]; j-- {
			order[j] = order[j-1]
		}
		order[j] = k
	}
}
