package relocation_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/ministere/tracker/migrations/dbtest"
	"github.com/ministere/tracker/relocation"
)

// TestNextMilestoneAgreesWithGo: the portfolio's next milestone and « en retard », worked
// out in PostgreSQL, are what the Go rules say for the same milestones and the same
// today: the next one is the first not done in planned order (planned start, planned
// end, id: NextMilestone over Milestones), late when today is past its planned end
// (Overdue). Seeded random milestones on a few relocations, with dates of every
// precision on few years (so that starts and ends often tie), some done; todays around
// every next milestone's end.
func TestNextMilestoneAgreesWithGo(t *testing.T) {
	t.Parallel()
	for seed := uint64(1); seed <= 3; seed++ {
		t.Run(fmt.Sprint("seed ", seed), func(t *testing.T) {
			t.Parallel()
			checkNextMilestoneAgreement(t, seed)
		})
	}
}

func checkNextMilestoneAgreement(t *testing.T, seed uint64) {
	ctx := context.Background()
	s := relocation.NewStore(dbtest.Open(t), relocation.Hooks{})
	rnd := rand.New(rand.NewPCG(seed, 18))
	by := relocation.System("test")

	type project struct {
		id   int64
		ms   []relocation.Milestone // as created, with their ids
		next relocation.Milestone   // the Go rule's next milestone (ID 0: none)
	}
	var projects []project
	for p := range 8 {
		var err error
		r := relocation.NewRelocation()
		r.Slug, r.Name, r.Body, r.Origin, r.Destination = fmt.Sprintf("suivant-%d", p), fmt.Sprintf("Projet %d", p), "ORG", "Paris", "Lille"
		r.Headcount = 10
		if r.TargetMove, err = relocation.ParseFuzzyDate("2027"); err != nil {
			t.Fatal(err)
		}
		created, err := s.CreateRelocation(ctx, by, relocation.Given(r))
		if err != nil {
			t.Fatal(err)
		}
		pr := project{id: created.ID}
		for i := range rnd.IntN(9) { // 0 to 8 milestones
			m := relocation.Milestone{Kind: "other", Title: fmt.Sprintf("Jalon %d.%d", p, i), Source: "essai",
				Planned: randomFuzzyDate(t, rnd)}
			if rnd.IntN(3) == 0 {
				m.Actual = relocation.DateOf(time.Date(2025+rnd.IntN(2), time.Month(1+rnd.IntN(12)), 1+rnd.IntN(28), 0, 0, 0, 0, time.UTC))
			}
			got, err := s.CreateMilestone(ctx, by, created.ID, func() (relocation.Milestone, error) { return m, nil })
			if err != nil {
				t.Fatal(err)
			}
			pr.ms = append(pr.ms, got)
		}
		// The Go rule, on the milestones sorted here in SPEC's planned order, and on the
		// store's own order.
		sorted := slices.Clone(pr.ms)
		slices.SortStableFunc(sorted, func(a, b relocation.Milestone) int {
			switch {
			case a.Planned.Start().Before(b.Planned.Start()):
				return -1
			case a.Planned.Start().After(b.Planned.Start()):
				return 1
			case a.Planned.End().Before(b.Planned.End()):
				return -1
			case a.Planned.End().After(b.Planned.End()):
				return 1
			}
			return int(a.ID - b.ID)
		})
		stored, err := s.Milestones(ctx, created.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := titles(stored), titles(sorted); !slices.Equal(got, want) {
			t.Errorf("%s: Milestones order %q, want planned order %q", r.Slug, got, want)
		}
		pr.next, _ = relocation.NextMilestone(sorted)
		if next, _ := relocation.NextMilestone(stored); next.ID != pr.next.ID {
			t.Errorf("%s: NextMilestone over Milestones = %d, over the planned order = %d", r.Slug, next.ID, pr.next.ID)
		}
		projects = append(projects, pr)
	}

	rows, err := s.Portfolio(ctx, relocation.PortfolioFilter{}, 100, 0)
	if err != nil {
		t.Fatal(err)
	}
	byID := map[int64]relocation.PortfolioRow{}
	for _, row := range rows {
		byID[row.ID] = row
	}
	withNext := 0
	todays := []relocation.Date{{Year: 2024, Month: 12, Day: 31}, {Year: 2026, Month: 1, Day: 1}, {Year: 2028, Month: 1, Day: 1}}
	for _, pr := range projects {
		row, ok := byID[pr.id]
		if !ok {
			t.Fatalf("relocation %d missing from the portfolio", pr.id)
		}
		if row.NextID != pr.next.ID || row.NextTitle != pr.next.Title || row.NextPlanned != pr.next.Planned {
			t.Errorf("%s: portfolio next = %d %q %s, Go next = %d %q %s", row.Slug,
				row.NextID, row.NextTitle, row.NextPlanned, pr.next.ID, pr.next.Title, pr.next.Planned)
		}
		if pr.next.ID != 0 {
			withNext++
			end := pr.next.Planned.End()
			todays = append(todays, end.AddDays(-1), end, end.AddDays(1))
		}
	}
	if withNext < 3 || withNext == len(projects) {
		t.Fatalf("seed %d: %d of %d relocations have a next milestone: too few cases (change the seed)", seed, withNext, len(projects))
	}

	lateSeen, onTimeSeen := false, false
	for _, today := range todays {
		lateRows, err := s.Portfolio(ctx, relocation.PortfolioFilter{Late: true, Today: today}, 100, 0)
		if err != nil {
			t.Fatal(err)
		}
		late := map[int64]bool{}
		for _, row := range lateRows {
			late[row.ID] = true
		}
		for _, pr := range projects {
			want := pr.next.ID != 0 && relocation.Overdue(pr.next.Planned, today)
			lateSeen, onTimeSeen = lateSeen || want, onTimeSeen || (pr.next.ID != 0 && !want)
			if late[pr.id] != want {
				t.Errorf("today %s, relocation %d (next %s): SQL late = %v, Go Overdue = %v",
					today, pr.id, pr.next.Planned, late[pr.id], want)
			}
			if got := byID[pr.id].NextOverdue(today); got != want {
				t.Errorf("today %s, relocation %d: NextOverdue = %v, want %v", today, pr.id, got, want)
			}
		}
	}
	if !lateSeen || !onTimeSeen {
		t.Fatalf("seed %d: the todays tried give no late (%v) or no on-time (%v) next milestone", seed, lateSeen, onTimeSeen)
	}
}

// randomFuzzyDate returns a planned date of any precision in 2025 or 2026.
func randomFuzzyDate(t *testing.T, rnd *rand.Rand) relocation.FuzzyDate {
	t.Helper()
	y := 2025 + rnd.IntN(2)
	forms := []string{
		fmt.Sprintf("%d-%02d-%02d", y, 1+rnd.IntN(12), 1+rnd.IntN(28)),
		fmt.Sprintf("%d-%02d", y, 1+rnd.IntN(12)),
		fmt.Sprintf("%d-Q%d", y, 1+rnd.IntN(4)),
		fmt.Sprintf("%d-S%d", y, 1+rnd.IntN(2)),
		fmt.Sprintf("%d-early", y), fmt.Sprintf("%d-mid", y), fmt.Sprintf("%d-late", y),
		fmt.Sprint(y),
	}
	d, err := relocation.ParseFuzzyDate(forms[rnd.IntN(len(forms))])
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// titles lists the milestones' titles, in their order.
func titles(ms []relocation.Milestone) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.Title
	}
	return out
}
