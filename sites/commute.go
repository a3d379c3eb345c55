package sites

import (
	"fmt"
	"math"
	"math/bits"
	"slices"
	"strings"
	"sync"
)

// Agent is one line of a relocation's roster: pseudonymous, never a name.
type Agent struct {
	Ref            string            // agent_ref
	HomeCommune    string            // "" when not given
	HomeLat        *float64          // degrees; set together with HomeLon
	HomeLon        *float64          // degrees
	CurrentMinutes *float64          // measured current commute, nil when not given
	SiteMinutes    map[int64]float64 // measured minutes to a site, by site id (nil or empty when none)
}

// CommuteSettings are a relocation's settings of the estimator and of the figures.
// ComputeFigures and estimateMinutes use them as given: a zero field is not replaced by its
// default (CommuteSettingsOf fills them from a relocation, whose defaults live in package
// relocation). SpeedKmh must be > 0.
type CommuteSettings struct {
	OriginLat, OriginLon *float64 // the relocation's origin, for estimating current commutes
	AccessMin            float64  // minutes; default 10
	Detour               float64  // default 1.3
	SpeedKmh             float64  // default 18
	IncreaseLimitMin     float64  // default 30: share_over_limit counts site − current > this
}

// earthRadiusKm is the radius of the sphere of SPEC's great-circle distance.
const earthRadiusKm = 6371.0

const radPerDeg = math.Pi / 180

// haversineKm is the great-circle distance on a sphere of radius 6,371 km between two points
// given in degrees (latitude, longitude), in km: 2R·asin(√a) with the haversine
// a = sin²(Δφ/2) + cos φ1·cos φ2·sin²(Δλ/2). It computes a in its equal form |p1 − p2|²/4,
// p1 and p2 being the points as unit vectors, so that ComputeFigures, which turns each home
// into a vector once, gets the very same kilometres.
func haversineKm(lat1, lon1, lat2, lon2 float64) float64 {
	return unitVector(lat1, lon1).km(unitVector(lat2, lon2))
}

// vec is a point of the unit sphere.
type vec struct{ x, y, z float64 }

func unitVector(lat, lon float64) vec {
	sinPhi, cosPhi := sincosDeg(lat)
	sinLambda, cosLambda := sincosDeg(lon)
	return vec{cosPhi * cosLambda, cosPhi * sinLambda, sinPhi}
}

// sincosDeg returns the sine and cosine of an angle in degrees. Within [−180°, 180°] it
// adds a small remainder r to the nearest sixteenth of a degree k/16, whose sine and
// cosine a table holds: sin(a+r) = sin a·cos r + cos a·sin r with sin r = r − r³/6 + r⁵/120
// and cos r = 1 − r²/2 + r⁴/24 (|r| ≤ 5.5e-4 rad, the next terms are below 1e-22): within
// 1e-15 of math.Sincos, both being that close to the exact value (TestHaversineSincosDeg),
// and faster.
func sincosDeg(deg float64) (sin, cos float64) {
	if !(deg >= -180 && deg <= 180) {
		return math.Sincos(deg * radPerDeg)
	}
	k := int(deg*16 + 2880.5) // deg = (k − 2880)/16 + r; the offset keeps it ≥ 0, where int() rounds down
	r := (deg - float64(k-2880)/16) * radPerDeg
	t := &degTable[k]
	r2 := r * r
	sr := r * (1 - r2*(1.0/6-r2*(1.0/120)))
	cr := 1 - r2*(0.5-r2*(1.0/24))
	return t[0]*cr + t[1]*sr, t[1]*cr - t[0]*sr
}

// degTable holds the sine and cosine of every sixteenth of a degree from −180° to 180°.
var degTable = func() *[5761][2]float64 {
	var t [5761][2]float64
	for k := range t {
		t[k][0], t[k][1] = math.Sincos(float64(k-2880) / 16 * radPerDeg)
	}
	return &t
}()

// km is the great-circle distance from p to q on the Earth's sphere.
func (p vec) km(q vec) float64 {
	dx, dy, dz := p.x-q.x, p.y-q.y, p.z-q.z
	return 2 * earthRadiusKm * asin(math.Sqrt(dx*dx+dy*dy+dz*dz)/2)
}

// asin is math.Asin for x in [0, 1] (clamped to 1 above), through its Taylor series
// x + x³/6 + 3x⁵/40 + 5x⁷/112 + 35x⁹/1152 + 63x¹¹/2816 + … when x < 0.05, i.e. below 637 km:
// the first term left out is under 1e-17 of the sum (under 5e-18 to x⁷ when x < 0.01, below
// 127 km), so it is within two units in the last place of math.Asin (TestHaversineAsin),
// and several times faster for commutes.
func asin(x float64) float64 {
	x2 := x * x
	switch {
	case x < 0.01:
		return x * (1 + x2*(1.0/6+x2*(3.0/40+x2*(5.0/112))))
	case x < 0.05:
		return x * (1 + x2*(1.0/6+x2*(3.0/40+x2*(5.0/112+x2*(35.0/1152+x2*(63.0/2816))))))
	}
	return math.Asin(math.Min(1, x))
}

// estimateMinutes is SPEC's access + detour × km ÷ speed × 60: the estimated door-to-door
// minutes for a great-circle distance of km kilometres. It computes access + km × (detour ÷
// speed × 60), as ComputeFigures does with the factor computed once.
func (s CommuteSettings) estimateMinutes(km float64) float64 {
	return estimate(s.AccessMin, s.minutesPerKm(), km)
}

func (s CommuteSettings) minutesPerKm() float64 { return s.Detour / s.SpeedKmh * 60 }

func estimate(access, perKm, km float64) float64 { return access + km*perKm }

// MinAgents is the smallest roster whose figures are shown (SPEC: below 5, withheld).
const MinAgents = 5

// ChangeBuckets are the French labels of Figures.Changes, index for index.
var ChangeBuckets = [8]string{
	"plus court de plus de 45 min",
	"plus court de 30 à 45 min",
	"plus court de 15 à 30 min",
	"plus court de 0 à 15 min",
	"plus long de 0 à 15 min",
	"plus long de 15 à 30 min",
	"plus long de 30 à 45 min",
	"plus long de plus de 45 min",
}

// Figures are one site's commute figures (SPEC), unrounded, in minutes (shares in percent).
// Every pointer is nil when Withheld is set.
//
// Changes is the distribution of d = site − current over the agents, counts by bucket
// (labels in ChangeBuckets):
//
//	[0] d < −45            shorter by more than 45 min
//	[1] −45 ≤ d < −30      shorter by (30, 45]
//	[2] −30 ≤ d < −15      shorter by (15, 30]
//	[3] −15 ≤ d < 0        shorter by (0, 15]
//	[4]   0 ≤ d ≤ 15       longer by [0, 15] (unchanged counts here)
//	[5]  15 < d ≤ 30       longer by (15, 30]
//	[6]  30 < d ≤ 45       longer by (30, 45]
//	[7]  45 < d            longer by more than 45 min
//
// It is all zeros when the figures are withheld. Estimated and EstimatedCurrent are counted
// even then (over the agents whose minutes could be estimated).
type Figures struct {
	SiteID           int64    `json:"site_id"`
	Agents           int      `json:"agents"`
	Estimated        int      `json:"estimated"` // how many agents' minutes TO THIS SITE were estimated
	Mean             *float64 `json:"mean"`
	Median           *float64 `json:"median"`
	P90              *float64 `json:"p90"`
	MeanDelta        *float64 `json:"mean_delta"`
	ShareOverLimit   *float64 `json:"share_over_limit"`
	ShareShorter     *float64 `json:"share_shorter"`
	Withheld         *string  `json:"withheld"` // French sentence saying why, nil when shown
	Changes          [8]int   `json:"-"`        // distribution of site − current; zeros when withheld
	EstimatedCurrent int      `json:"-"`        // how many current commutes were estimated
}

// what lacks coordinates, for the withheld sentence
const (
	lackHome = 1 << iota
	lackSite
	lackOrigin
	lackTooLong // an estimate over MaxMinutes: refused like a measure would be
)

// point is a place ready for km; ok is false when its coordinates are missing or not a
// place on Earth.
type point struct {
	v  vec
	ok bool
}

func pointOf(lat, lon *float64) point {
	if lat == nil || lon == nil || !(*lat >= -90 && *lat <= 90) || !(*lon >= -180 && *lon <= 180) {
		return point{}
	}
	return point{unitVector(*lat, *lon), true}
}

// measured reports a measured value usable as minutes: finite and ≥ 0 (anything else counts
// as not given).
func measured(v float64) bool { return v >= 0 && v <= math.MaxFloat64 }

// minutesPool holds the buffers of ComputeFigures, which RefreshCommutes calls once per site
// over the same roster.
var minutesPool = sync.Pool{New: func() any { return new([]float64) }}

// ComputeFigures computes the figures of site siteID from the roster (siteLat/siteLon nil
// when the site has no coordinates). An agent's minutes to the site are the measured
// SiteMinutes[siteID] when present, else estimated from the home and site coordinates; the
// current minutes are CurrentMinutes when present, else estimated from the home and the
// relocation's origin coordinates (s.OriginLat/OriginLon). The figures are withheld when the
// roster has fewer than MinAgents agents, or when some agent's minutes to the site or current
// minutes can be neither read nor estimated. A measure that is negative, NaN or infinite
// counts as not given, and so do coordinates out of range. It does not modify agents.
func ComputeFigures(agents []Agent, siteID int64, siteLat, siteLon *float64, s CommuteSettings) Figures {
	f := Figures{SiteID: siteID, Agents: len(agents)}
	site, origin := pointOf(siteLat, siteLon), pointOf(s.OriginLat, s.OriginLon)
	perKm := s.minutesPerKm()
	n := len(agents)
	var minutes []float64 // minutes to the site, for the median and p90
	if n >= MinAgents {
		buf := minutesPool.Get().(*[]float64)
		defer minutesPool.Put(buf)
		if cap(*buf) < n {
			*buf = make([]float64, 0, n)
		}
		minutes = (*buf)[:0]
	}
	var sum, sumDelta float64
	lowest, highest := math.Inf(1), math.Inf(-1)
	var over, shorter, unknown, lacks int
	var changes [8]int
	// leg is one commute of an agent, to the site or the current one: m when measured
	// (known), else estimated from home to place (counted in *estimated), else unknown,
	// with what lacks.
	leg := func(m float64, known bool, home, place point, lackPlace int, estimated *int) (float64, bool) {
		switch {
		case known:
			return m, true
		case home.ok && place.ok:
			m = estimate(s.AccessMin, perKm, home.v.km(place.v))
			*estimated++
			lacks |= lack(m <= MaxMinutes, lackTooLong)
			return m, m <= MaxMinutes
		}
		lacks |= lack(home.ok, lackHome) | lack(place.ok, lackPlace)
		return m, false
	}
	for i := range agents {
		a := &agents[i]
		var m float64
		okSite := false
		if a.SiteMinutes != nil {
			m, okSite = a.SiteMinutes[siteID]
			okSite = okSite && measured(m)
		}
		okCur := a.CurrentMinutes != nil && measured(*a.CurrentMinutes)
		var home point
		if !okSite || !okCur {
			home = pointOf(a.HomeLat, a.HomeLon)
		}
		m, okSite = leg(m, okSite, home, site, lackSite, &f.Estimated)
		var cur float64
		if okCur {
			cur = *a.CurrentMinutes
		}
		cur, okCur = leg(cur, okCur, home, origin, lackOrigin, &f.EstimatedCurrent)
		if !okSite || !okCur {
			unknown++
			continue
		}
		if minutes == nil {
			continue
		}
		minutes = append(minutes, m)
		if m < lowest {
			lowest = m
		}
		if m > highest {
			highest = m
		}
		d := m - cur
		sum += m
		sumDelta += d
		over += b2i(d > s.IncreaseLimitMin)
		shorter += b2i(d < 0)
		changes[changeBucket(d)]++
	}
	switch {
	case n == 0:
		return withhold(f, "aucun fichier des agents importé")
	case n < MinAgents:
		return withhold(f, fmt.Sprintf("moins de %d agents dans le fichier (%d)", MinAgents, n))
	case unknown > 0:
		return withhold(f, unknownSentence(unknown, lacks))
	}
	median, p90 := medianP90(minutes, lowest, highest)
	fn := float64(n)
	v := &[6]float64{sum / fn, median, p90, sumDelta / fn, 100 * float64(over) / fn, 100 * float64(shorter) / fn}
	f.Mean, f.Median, f.P90, f.MeanDelta, f.ShareOverLimit, f.ShareShorter = &v[0], &v[1], &v[2], &v[3], &v[4], &v[5]
	f.Changes = changes
	return f
}

func lack(ok bool, what int) int {
	if ok {
		return 0
	}
	return what
}

func withhold(f Figures, why string) Figures {
	f.Withheld = &why
	return f
}

// unknownSentence says how many agents' minutes are unknown and which coordinates lack.
func unknownSentence(unknown, lacks int) string {
	var parts []string
	for _, p := range []struct {
		bit  int
		name string
	}{{lackHome, "du domicile"}, {lackSite, "du site"}, {lackOrigin, "de l’origine"}} {
		if lacks&p.bit != 0 {
			parts = append(parts, p.name)
		}
	}
	agents := "agents"
	if unknown == 1 {
		agents = "agent"
	}
	if len(parts) == 0 && lacks&lackTooLong != 0 {
		return fmt.Sprintf("temps de trajet inconnus pour %d %s : estimés à plus de %d min (24 h), refusés comme le serait une mesure (coordonnées à vérifier)",
			unknown, agents, MaxMinutes)
	}
	if len(parts) == 0 { // cannot happen: an unknown time always lacks some coordinates
		parts = []string{"du domicile", "du site", "de l’origine"}
	}
	what := parts[len(parts)-1]
	if len(parts) > 1 {
		what = strings.Join(parts[:len(parts)-1], ", ") + " ou " + what
	}
	tooLong := ""
	if lacks&lackTooLong != 0 {
		tooLong = fmt.Sprintf(", ou estimés à plus de %d min", MaxMinutes)
	}
	return fmt.Sprintf("temps de trajet inconnus pour %d %s : ni mesurés, ni estimables (coordonnées %s manquantes%s)",
		unknown, agents, what, tooLong)
}

// changeBucket is the index in Figures.Changes of d = site − current: how many of the
// buckets' lower bounds d reaches, counted without branches (d is unpredictable).
func changeBucket(d float64) int {
	return b2i(d >= -45) + b2i(d >= -30) + b2i(d >= -15) + b2i(d >= 0) + b2i(d > 15) + b2i(d > 30) + b2i(d > 45)
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// medianP90 returns the median (mean of the two middle values when len(x) is even) and the
// nearest-rank 90th percentile (the ⌈0.9·n⌉-th smallest) of x, which must not be empty and
// whose values lie in [lo, hi]. It reorders x.
//
// It spreads the values over equal-width buckets of [lo, hi] (a bucket's values are all
// below the next bucket's), counts them, and selects within the buckets holding the wanted
// ranks: two passes over x instead of sorting it.
func medianP90(x []float64, lo, hi float64) (median, p90 float64) {
	n := len(x)
	mid := n / 2                             // the upper middle (the middle when n is odd)
	k90 := (9*n+9)/10 - 1                    // ⌈9n/10⌉ − 1, in integers so that 0.9·n never rounds up; ≥ mid
	ranks := [3]int{max(mid-1, 0), mid, k90} // ascending
	if !(hi > lo) {
		return lo, lo
	}
	const nb = 1024
	scale := nb / (hi - lo)
	if scale > math.MaxFloat64 { // hi − lo is tiny: select in x itself
		return orderStats(x, ranks, n)
	}
	bucket := func(v float64) int { return min(int((v-lo)*scale), nb-1) } // monotone in v
	var count [nb]int32
	for _, v := range x {
		count[bucket(v)]++
	}
	var at [3]int    // bucket of each rank
	var below [3]int // values in the buckets before it
	r, seen := 0, 0
	for b := 0; b < nb && r < 3; b++ {
		for r < 3 && ranks[r] < seen+int(count[b]) {
			at[r], below[r] = b, seen
			r++
		}
		seen += int(count[b])
	}
	// gather the values of the wanted buckets at the front of x: once sorted, they come
	// bucket after bucket
	j := 0
	for i, v := range x {
		if b := bucket(v); b == at[0] || b == at[1] || b == at[2] {
			x[i], x[j] = x[j], x[i]
			j++
		}
	}
	var pos [3]int // each rank's place in x[:j] once sorted
	for i := range ranks {
		before := 0 // values of x[:j] in wanted buckets before at[i]
		for k, b := range at[:i] {
			if b < at[i] && (k == 0 || b != at[k-1]) {
				before += int(count[b])
			}
		}
		pos[i] = ranks[i] - below[i] + before
	}
	return orderStats(x[:j], pos, n)
}

// orderStats returns the median and p90 of a set of n values from seg, where the values of
// ranks (mid − 1, mid, p90) are at places pos once seg is sorted.
func orderStats(seg []float64, pos [3]int, n int) (median, p90 float64) {
	selectNth(seg, pos[0])
	selectNth(seg[pos[0]:], pos[1]-pos[0])
	selectNth(seg[pos[1]:], pos[2]-pos[1])
	median = seg[pos[1]]
	if n%2 == 0 {
		median = (seg[pos[0]] + seg[pos[1]]) / 2
	}
	return median, seg[pos[2]]
}

// selectNth reorders x so that x[k] holds the value it would have once x is sorted, with
// x[i] ≤ x[k] for i < k and x[i] ≥ x[k] for i > k (Hoare's selection, median-of-three pivot;
// it sorts what remains when partitions keep going badly, so it stays O(n log n) at worst).
func selectNth(x []float64, k int) {
	lo, hi := 0, len(x)-1
	budget := 2*bits.Len(uint(len(x))) + 8
	for hi > lo {
		if budget == 0 {
			slices.Sort(x[lo : hi+1])
			return
		}
		budget--
		mid := lo + (hi-lo)/2
		if x[mid] < x[lo] {
			x[mid], x[lo] = x[lo], x[mid]
		}
		if x[hi] < x[lo] {
			x[hi], x[lo] = x[lo], x[hi]
		}
		if x[hi] < x[mid] {
			x[hi], x[mid] = x[mid], x[hi]
		}
		p := x[mid]
		i, j := lo, hi
		for i <= j {
			for x[i] < p {
				i++
			}
			for x[j] > p {
				j--
			}
			if i <= j {
				x[i], x[j] = x[j], x[i]
				i++
				j--
			}
		}
		switch {
		case k <= j:
			hi = j
		case k >= i:
			lo = i
		default:
			return // j < k < i: x[k] equals the pivot, in place
		}
	}
}
