package sites_test

import (
	"bytes"
	"context"
	"fmt"
	"runtime"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/ministere/tracker/migrations/dbtest"
	"github.com/ministere/tracker/relocation"
	"github.com/ministere/tracker/sites"
)

// rosterFile writes a CSV roster of n agents living around Paris, with current minutes
// and measured minutes to the first of siteIDs for one agent in two.
func rosterFile(n int, siteIDs []int64) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "identifiant;commune;latitude;longitude;minutes actuelles;minutes_%d\n", siteIDs[0])
	for i := range n {
		lat, lon := 48.5+0.7*float64(i%997)/997, 1.9+float64(i%991)/991
		measured := ""
		if i%2 == 0 {
			measured = fmt.Sprintf("%d,5", 20+i%70)
		}
		fmt.Fprintf(&b, "A%06d;Commune %d;%.5f;%.5f;%d;%s\n", i, i%300, lat, lon, 15+i%60, measured)
	}
	return b.Bytes()
}

// BenchmarkImportRoster100000 is one op = a 100,000-agent CSV roster parsed and imported
// into a relocation of 10 sites, its commute figures recomputed, in one action (what
// PUT /relocations/{id}/agents does once the body is read). It reports the peak of the
// Go heap during the op (peak-heap-MiB, sampled every 5 ms), the slowest op (worst-s:
// the request deadline is 10 s) and this process's CPU time per op (PostgreSQL's not
// counted; on a busy machine, wall time counts other processes too).
func BenchmarkImportRoster100000(b *testing.B) {
	db := dbtest.Open(b)
	ctx := context.Background()
	tester := relocation.System("bench")
	var err error
	rel := relocation.NewRelocation()
	rel.Slug, rel.Name, rel.Body, rel.Origin, rel.Destination = "bench", "Banc d’essai", "CLEISS", "Paris", "Paris"
	rel.Headcount = 100000
	if rel.TargetMove, err = relocation.ParseFuzzyDate("2027"); err != nil {
		b.Fatal(err)
	}
	lat, lon := 48.8791, 2.3346
	rel.OriginLat, rel.OriginLon = &lat, &lon
	created, err := relocation.NewStore(db, relocation.Hooks{}).CreateRelocation(ctx, tester, relocation.Given(rel))
	if err != nil {
		b.Fatal(err)
	}
	store := sites.NewStore(db)
	var ids []int64
	for i := range 10 {
		slat, slon := 48.80+0.01*float64(i), 2.30+0.01*float64(i)
		s, err := store.CreateSite(ctx, tester, created.ID, relocation.Given(sites.Site{Name: fmt.Sprintf("Site %d", i),
			Kind: "lease", Status: sites.StatusCandidate, Lat: &slat, Lon: &slon}))
		if err != nil {
			b.Fatal(err)
		}
		ids = append(ids, s.ID)
	}
	file := rosterFile(sites.MaxRosterAgents, ids)
	var peak uint64
	var worst time.Duration
	cpu0 := processCPU()
	for b.Loop() {
		runtime.GC()
		stop := sampleHeap(&peak)
		start := time.Now()
		n, err := store.ImportRoster(ctx, tester, created.ID, func(rs sites.RosterSites, reach sites.Reach) ([]sites.Agent, error) {
			agents, errs := sites.ParseRosterWithin(file, rs, reach)
			if len(errs) > 0 {
				return nil, sites.RosterRefused(errs)
			}
			return agents, nil
		})
		stop()
		if err != nil || n != sites.MaxRosterAgents {
			b.Fatalf("import: %d, %v", n, err)
		}
		worst = max(worst, time.Since(start))
	}
	b.ReportMetric(float64(len(file))/(1<<20), "file-MiB")
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
	b.ReportMetric(worst.Seconds(), "worst-s")
	b.ReportMetric(float64(processCPU()-cpu0)/float64(b.N)/1e9, "go-cpu-s/op")
}

// sampleHeap records the largest heap in use into peak until stop is called.
func sampleHeap(peak *uint64) (stop func()) {
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		var m runtime.MemStats
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		for {
			runtime.ReadMemStats(&m)
			*peak = max(*peak, m.HeapInuse)
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	})
	return func() { close(done); wg.Wait() }
}

// processCPU is the CPU time this process has used.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
