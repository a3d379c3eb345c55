package sites

import (
	"math/rand/v2"
	"strconv"
	"syscall"
	"testing"
	"time"
)

// benchRoster returns n agents living within about 40 km of Paris, none of whose minutes are
// measured when measuredShare is 0 (the worst case: every minute is estimated), else that
// share of them has measured current minutes and minutes to the first 5 sites (a team
// measures the shortlisted ones).
func benchRoster(n int, sites []int64, measuredShare float64) []Agent {
	rng := rand.New(rand.NewPCG(1, 2))
	agents := make([]Agent, n)
	for i := range agents {
		lat, lon := 48.5+0.7*rng.Float64(), 1.9+1.0*rng.Float64()
		a := Agent{Ref: "A" + strconv.Itoa(i), HomeLat: &lat, HomeLon: &lon}
		if rng.Float64() < measuredShare {
			cur := 10 + 80*rng.Float64()
			a.CurrentMinutes = &cur
			a.SiteMinutes = make(map[int64]float64, 5)
			for _, id := range sites[:5] {
				a.SiteMinutes[id] = 10 + 80*rng.Float64()
			}
		}
		agents[i] = a
	}
	return agents
}

func benchFigures(b *testing.B, measuredShare float64) {
	const nSites = 50
	ids := make([]int64, nSites)
	lats, lons := make([]float64, nSites), make([]float64, nSites)
	for i := range ids {
		ids[i] = int64(100 + i)
		lats[i], lons[i] = 48.80+0.002*float64(i), 2.30+0.003*float64(i)
	}
	agents := benchRoster(10000, ids, measuredShare)
	olat, olon := 48.8791, 2.3346
	s := CommuteSettings{OriginLat: &olat, OriginLon: &olon, AccessMin: 10, Detour: 1.3, SpeedKmh: 18, IncreaseLimitMin: 30}
	b.ReportAllocs()
	cpu0 := cpuTime()
	for b.Loop() {
		for i, id := range ids {
			f := ComputeFigures(agents, id, &lats[i], &lons[i], s)
			if f.Withheld != nil {
				b.Fatal(*f.Withheld)
			}
		}
	}
	// On a busy machine ns/op counts the time other processes hold the core; the process's
	// CPU time (GC included) says what the work costs.
	b.ReportMetric(float64(cpuTime()-cpu0)/float64(b.N), "cpu-ns/op")
}

// cpuTime is the CPU time this process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkFigures10000x50 is one op = the figures of 50 sites for 10,000 agents whose
// minutes are all estimated (the worst case); the budget is 30 ms per op.
func BenchmarkFigures10000x50(b *testing.B) { benchFigures(b, 0) }

// BenchmarkFigures10000x50Measured is the same with half the agents' current minutes and
// minutes to 5 sites measured.
func BenchmarkFigures10000x50Measured(b *testing.B) { benchFigures(b, 0.5) }
