package criteria

import "math/rand/v2"

// pilotDraws is how many proposals of each kind the band sampler tries before choosing.
const pilotDraws = 256

// proposalsPerSample bounds the band sampler's proposals, per sample asked for.
const proposalsPerSample = 1000

// sampler draws weight vectors for RankAcceptability (see its doc comment for the method).
// next reuses one buffer: it allocates nothing.
type sampler struct {
	r      *rand.Rand
	w      []float64 // the vector next returns
	band   bool      // a band around the current weights is set
	lo, hi []float64 // the band's bounds, by criterion, clipped to [0, 1]
	free   int       // the coordinate the box proposal solves for: the widest
	useBox bool      // the box proposal accepts more often than the simplex one
	budget int       // proposals left
}

// newSampler returns the sampler of opts over the criteria's current weights.
func newSampler(criteria []Criterion, opts AcceptabilityOptions) *sampler {
	nc := len(criteria)
	s := &sampler{r: rand.New(rand.NewPCG(opts.Seed, acceptabilityStream)), w: make([]float64, nc)}
	if opts.Around == nil || nc == 0 {
		return s
	}
	s.band, s.lo, s.hi = true, make([]float64, nc), make([]float64, nc)
	weights := WeightsOf(criteria)
	d := *opts.Around / 100
	for i := range criteria {
		p := 1 / float64(nc) // no weight at all: the band centres on equal shares
		if weights.Total() > 0 {
			p = weights.Share(i)
		}
		s.lo[i], s.hi[i] = max(p-d, 0), min(p+d, 1)
		if s.hi[i]-s.lo[i] > s.hi[s.free]-s.lo[s.free] {
			s.free = i
		}
	}
	boxHits, simplexHits := 0, 0
	for range pilotDraws {
		if s.proposeBox() {
			boxHits++
		}
		if s.proposeSimplex() {
			simplexHits++
		}
	}
	s.useBox = boxHits > simplexHits
	s.budget = proposalsPerSample * max(opts.Samples, 1)
	return s
}

// next returns the next weight vector (shares summing to 1, by criterion), valid until
// the following call; ErrAroundUnreachable when the band's budget of proposals is spent.
func (s *sampler) next() ([]float64, error) {
	if !s.band {
		s.simplex()
		return s.w, nil
	}
	for s.budget > 0 {
		s.budget--
		ok := false
		if s.useBox {
			ok = s.proposeBox()
		} else {
			ok = s.proposeSimplex()
		}
		if ok {
			return s.w, nil
		}
	}
	return nil, ErrAroundUnreachable
}

// simplex draws s.w uniformly on the simplex by exponential spacings.
func (s *sampler) simplex() {
	sum := 0.0
	for i := range s.w {
		e := s.r.ExpFloat64()
		s.w[i] = e
		sum += e
	}
	for i := range s.w {
		s.w[i] /= sum
	}
}

// proposeSimplex draws s.w on the simplex and reports whether it lies in the band.
func (s *sampler) proposeSimplex() bool {
	s.simplex()
	for i, x := range s.w {
		if x < s.lo[i] || x > s.hi[i] {
			return false
		}
	}
	return true
}

// proposeBox draws every coordinate but the free one uniformly within its bounds, sets the
// free one to 1 − their sum, and reports whether it lies within its own bounds.
func (s *sampler) proposeBox() bool {
	sum := 0.0
	for i := range s.w {
		if i == s.free {
			continue
		}
		s.w[i] = s.lo[i] + (s.hi[i]-s.lo[i])*s.r.Float64()
		sum += s.w[i]
	}
	s.w[s.free] = 1 - sum
	return s.w[s.free] >= s.lo[s.free] && s.w[s.free] <= s.hi[s.free]
}
