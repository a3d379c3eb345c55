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
// ComputeFigures and EstimateMinutes use them as given: a zero field is not replaced by its
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

// HaversineKm is the great-circle distance on a sphere of radius 6,371 km between two points
// given in degrees (latitude, longitude), in km: 2R·asin(√a) with the haversine
// a = sin²(Δφ/2) + cos φ1·cos φ2·sin²(Δλ/2). It computes a in its equal form |p1 − p2|²/4,
// p1 and p2 being the points as unit vectors, so that ComputeFigures, which turns each home
// into a vector once, gets the very same kilometres.
func HaversineKm(lat1, lon1, lat2, lon2 float64) float64 {
	return unitVector(lat1, lon1).km(unitVector(lat2, lon2))
}

// vec is a point of the unit sphere.
type vec struct{ x, y, z float64 }

func unitVector(lat, lon float64) vec {
	sinPhi, cosPhi := math.Sincos(lat * radPerDeg)
	sinLambda, cosLambda := math.Sincos(lon * radPerDeg)
	return vec{cosPhi * cosLambda, cosPhi * sinLambda, sinPhi}
}

// km is the great-circle distance from p to q on the Earth's sphere.
func (p vec) km(q vec) float64 {
	dx, dy, dz := p.x-q.x, p.y-q.y, p.z-q.z
	return 2 * earthRadiusKm * asin(math.Sqrt(dx*dx+dy*dy+dz*dz)/2)
}

// asin is math.Asin for x in [0, 1] (clamped to 1 above), through its Taylor series when
// x < 0.05, i.e. below 637 km, where the first term left out (231/13312·x¹³) is under
// 5e-18 of the sum: as exact as math.Asin, and three times faster for commutes.
func asin(x float64) float64 {
	if x >= 0.05 {
		return math.Asin(math.Min(1, x))
	}
	x2 := x * x
	return x * (1 + x2*(1.0/6+x2*(3.0/40+x2*(5.0/112+x2*(35.0/1152+x2*(63.0/2816))))))
}

// EstimateMinutes is SPEC's access + detour × km ÷ speed × 60: the estimated door-to-door
// minutes for a great-circle distance of km kilometres.
func (s CommuteSettings) EstimateMinutes(km float64) float64 {
	return s.AccessMin + s.Detour*km/s.SpeedKmh*60
}

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

// minutesTo is the estimate from home h to p; both must be ok.
func (s CommuteSettings) minutesTo(h, p point) float64 {
	return s.EstimateMinutes(h.v.km(p.v))
}

// measured reports a measured value usable as minutes: finite and ≥ 0 (anything else counts
// as not given).
func measured(v float64) bool { return v >= 0 && v <= math.MaxFloat64 }

// minutesPool holds the buffers of ComputeFigures, which a relocation's page calls once per
// site over the same roster.
var minutesPool = sync.Pool{New: func() any { return new([]float64) }}

// ComputeFigures computes the figures of site siteID from the roster (siteLat/siteLon nil
// when the site has no coordinates). An agent's minutes to the site are the measured
// SiteMinutes[siteID] when present, else estimated from the home and site coordinates; the
// current minutes are CurrentMinutes when present, else estimated from the home and the
// relocation's origin coordinates (s.OriginLat/OriginLon). The figures are withheld when the
// roster has fewer than MinAgents agents, or when some agent's minutes to the site or current
// minutes can be neither read nor estimated. It does not modify agents.
func ComputeFigures(agents []Agent, siteID int64, siteLat, siteLon *float64, s CommuteSettings) Figures {
	f := Figures{SiteID: siteID, Agents: len(agents)}
	site, origin := pointOf(siteLat, siteLon), pointOf(s.OriginLat, s.OriginLon)
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
	var over, shorter, unknown, lacks int
	var changes [8]int
	for i := range agents {
		a := &agents[i]
		m, okSite := a.SiteMinutes[siteID]
		okSite = okSite && measured(m)
		okCur := a.CurrentMinutes != nil && measured(*a.CurrentMinutes)
		var home point
		if !okSite || !okCur {
			home = pointOf(a.HomeLat, a.HomeLon)
		}
		switch {
		case okSite:
		case home.ok && site.ok:
			m, okSite = s.minutesTo(home, site), true
			f.Estimated++
		default:
			lacks |= lack(home.ok, lackHome) | lack(site.ok, lackSite)
		}
		var cur float64
		switch {
		case okCur:
			cur = *a.CurrentMinutes
		case home.ok && origin.ok:
			cur, okCur = s.minutesTo(home, origin), true
			f.EstimatedCurrent++
		default:
			lacks |= lack(home.ok, lackHome) | lack(origin.ok, lackOrigin)
		}
		if !okSite || !okCur {
			unknown++
			continue
		}
		if minutes == nil {
			continue
		}
		minutes = append(minutes, m)
		d := m - cur
		sum += m
		sumDelta += d
		if d > s.IncreaseLimitMin {
			over++
		}
		if d < 0 {
			shorter++
		}
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
	median, p90 := medianP90(minutes)
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
	if len(parts) == 0 { // cannot happen: an unknown time always lacks some coordinates
		parts = []string{"du domicile", "du site", "de l’origine"}
	}
	what := parts[len(parts)-1]
	if len(parts) > 1 {
		what = strings.Join(parts[:len(parts)-1], ", ") + " ou " + what
	}
	agents := "agents"
	if unknown == 1 {
		agents = "agent"
	}
	return fmt.Sprintf("temps de trajet inconnus pour %d %s : ni mesurés, ni estimables (coordonnées %s manquantes)",
		unknown, agents, what)
}

// changeBucket is the index in Figures.Changes of d = site − current.
func changeBucket(d float64) int {
	switch {
	case d < -45:
		return 0
	case d < -30:
		return 1
	case d < -15:
		return 2
	case d < 0:
		return 3
	case d <= 15:
		return 4
	case d <= 30:
		return 5
	case d <= 45:
		return 6
	default:
		return 7
	}
}

// medianP90 returns the median (mean of the two middle values when len(x) is even) and the
// nearest-rank 90th percentile (the ⌈0.9·n⌉-th smallest) of x, which must not be empty.
// It reorders x.
func medianP90(x []float64) (median, p90 float64) {
	n := len(x)
	hi := n / 2           // the upper middle (the middle when n is odd)
	k90 := (9*n+9)/10 - 1 // ⌈9n/10⌉ − 1, in integers so that 0.9·n never rounds up; ≥ hi
	selectNth(x, hi)
	selectNth(x[hi:], k90-hi) // x[hi:] holds the n − hi largest values
	median = x[hi]
	if n%2 == 0 {
		median = (slices.Max(x[:hi]) + x[hi]) / 2 // x[:hi] holds the hi smallest values
	}
	return median, x[k90]
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
