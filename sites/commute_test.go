package sites

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/ministere/tracker/relocation"
)

// u is one degree of a great circle in km: 6371 × π / 180 = 111.19492664455873.
var u = 6371 * math.Pi / 180

func ptr(v float64) *float64 { return &v }

func near(got, want, tol float64) bool {
	return math.Abs(got-want) <= tol*math.Max(1, math.Abs(want))
}

func TestHaversineKm(t *testing.T) {
	tests := []struct {
		name                   string
		lat1, lon1, lat2, lon2 float64
		want, tol              float64 // tol: relative
	}{
		// 11 rue de la Tour des Dames (Paris 9e) → Montreuil, by hand:
		//   Δφ = (48.8555 − 48.8791)° = −0.0236° = −4.11898e-4 rad
		//   Δλ = (2.4255 − 2.3346)°   =  0.0909° =  1.58650e-3 rad
		//   sin²(Δφ/2) = (−2.05949e-4)² = 4.24149e-8
		//   sin²(Δλ/2) = ( 7.93249e-4)² = 6.29249e-7
		//   cos φ1 = cos 48.8791° = 0.657650, cos φ2 = cos 48.8555° = 0.657960
		//   a = 4.24149e-8 + 0.657650 × 0.657960 × 6.29249e-7 = 4.24149e-8 + 2.72281e-7 = 3.14696e-7
		//   d = 2 × 6371 × asin(√a) = 12742 × asin(5.60977e-4) = 12742 × 5.60977e-4 = 7.148 km
		{"Paris 9e → Montreuil", 48.8791, 2.3346, 48.8555, 2.4255, 7.148, 0.01},
		// one degree of longitude on the equator: 6371 × π / 180 = 111.195 km
		{"1° of longitude on the equator", 0, 0, 0, 1, 111.19492664455873, 1e-12},
		{"1° of latitude", 45, 3, 46, 3, 111.19492664455873, 1e-12},
		// a quarter of a meridian: 6371 × π / 2 = 10007.543 km
		{"equator → pole", 0, 0, 90, 0, 10007.543398010286, 1e-12},
		// half the equator: 6371 × π = 20015.087 km
		{"antipodes", 0, 0, 0, 180, 20015.086796020572, 1e-12},
		{"across the date line", 0, 179.5, 0, -179.5, 111.19492664455873, 1e-9},
		{"same point", 48.8566, 2.3522, 48.8566, 2.3522, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := haversineKm(tt.lat1, tt.lon1, tt.lat2, tt.lon2)
			if !near(got, tt.want, tt.tol) {
				t.Errorf("haversineKm = %.12g km, want %.12g (±%g)", got, tt.want, tt.tol)
			}
			if back := haversineKm(tt.lat2, tt.lon2, tt.lat1, tt.lon1); back != got {
				t.Errorf("not symmetric: %.17g and %.17g", got, back)
			}
		})
	}
}

// TestHaversineKmTextbook compares haversineKm with the textbook formula over random pairs,
// near and far, inside and outside [−180°, 180°].
func TestHaversineKmTextbook(t *testing.T) {
	textbook := func(lat1, lon1, lat2, lon2 float64) float64 {
		p1, p2 := lat1*math.Pi/180, lat2*math.Pi/180
		dp, dl := p2-p1, (lon2-lon1)*math.Pi/180
		a := math.Pow(math.Sin(dp/2), 2) + math.Cos(p1)*math.Cos(p2)*math.Pow(math.Sin(dl/2), 2)
		return 2 * 6371 * math.Asin(math.Min(1, math.Sqrt(a)))
	}
	rng := rand.New(rand.NewPCG(3, 4))
	for i := range 100000 {
		lat1, lon1 := 180*rng.Float64()-90, 360*rng.Float64()-180
		spread := []float64{0.01, 1, 10, 180}[i%4]
		lat2 := math.Max(-90, math.Min(90, lat1+spread*(rng.Float64()-0.5)))
		lon2 := lon1 + spread*(rng.Float64()-0.5)
		got, want := haversineKm(lat1, lon1, lat2, lon2), textbook(lat1, lon1, lat2, lon2)
		// 1e-12 relative, or 1 µm for short distances (the two forms round differently)
		if math.Abs(got-want) > math.Max(1e-12*want, 1e-9) && want < 20000 {
			t.Fatalf("(%v, %v) → (%v, %v): %.17g km, textbook %.17g", lat1, lon1, lat2, lon2, got, want)
		}
	}
}

func TestHaversineSincosDeg(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	check := func(deg float64) {
		t.Helper()
		s, c := sincosDeg(deg)
		ws, wc := math.Sincos(deg * radPerDeg)
		// both round the angle in radians, each its own way: up to an ulp of the angle
		// (4.4e-16 near π) apart before the functions' own rounding
		if math.Abs(s-ws) > 1e-15 || math.Abs(c-wc) > 1e-15 {
			t.Fatalf("sincosDeg(%v) = %.17g, %.17g; math.Sincos: %.17g, %.17g", deg, s, c, ws, wc)
		}
	}
	for k := -2880; k <= 2880; k++ { // every sixteenth, and half-way to the next
		check(float64(k) / 16)
		check((float64(k) + 0.5) / 16)
		check(math.Nextafter((float64(k)+0.5)/16, math.Inf(-1)))
	}
	for range 200000 {
		check(360*rng.Float64() - 180)
	}
	for _, deg := range []float64{-180, 180, 0, 1e-300, 190, -725.5, 1e6} {
		check(deg)
	}
}

func TestHaversineAsin(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for i := range 300000 {
		x := rng.Float64() * []float64{0.01, 0.05, 1}[i%3]
		// two units in the last place (e.g. asin(0.02883413702852652) = 0.028838134010207288…:
		// asin gives …284, math.Asin …291)
		if got, want := asin(x), math.Asin(x); math.Abs(got-want) > 4.5e-16*want {
			t.Fatalf("asin(%v) = %.17g, math.Asin %.17g", x, got, want)
		}
	}
	if got := asin(1.0000000000000002); got != math.Pi/2 {
		t.Errorf("asin above 1 = %v, want π/2", got)
	}
}

func TestEstimateMinutes(t *testing.T) {
	defaults := CommuteSettings{AccessMin: relocation.DefaultCommuteAccessMin, Detour: relocation.DefaultCommuteDetour,
		SpeedKmh: relocation.DefaultCommuteSpeedKmh, IncreaseLimitMin: relocation.DefaultCommuteLimitMin}
	custom := CommuteSettings{AccessMin: 5, Detour: 1.5, SpeedKmh: 30}
	tests := []struct {
		name string
		s    CommuteSettings
		km   float64
		want float64
	}{
		{"defaults, 0 km: the access time", defaults, 0, 10},
		{"defaults, 9 km: 10 + 1.3 × 9 ÷ 18 × 60 = 10 + 39", defaults, 9, 49},
		{"defaults, 18 km: 10 + 1.3 × 18 ÷ 18 × 60 = 10 + 78", defaults, 18, 88},
		// Paris 9e → Montreuil: 10 + 1.3 × 7.147975 ÷ 18 × 60 = 10 + 30.974559 = 40.974559
		{"defaults, Paris 9e → Montreuil", defaults, 7.147975252061175, 40.97455942559843},
		{"custom, 10 km: 5 + 1.5 × 10 ÷ 30 × 60 = 5 + 30", custom, 10, 35},
		{"custom, 2.5 km: 5 + 1.5 × 2.5 ÷ 30 × 60 = 5 + 7.5", custom, 2.5, 12.5},
		{"1 km a minute, no access: minutes = km", CommuteSettings{Detour: 1, SpeedKmh: 60}, 42.25, 42.25},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.s.estimateMinutes(tt.km); !near(got, tt.want, 1e-12) {
				t.Errorf("estimateMinutes(%v) = %.15g, want %.15g", tt.km, got, tt.want)
			}
		})
	}
}

// measuredAgents returns agents whose minutes to site 7 and current minutes are measured:
// site[i] and current[i].
func measuredAgents(site, current []float64) []Agent {
	agents := make([]Agent, len(site))
	for i := range site {
		agents[i] = Agent{Ref: "A" + string(rune('a'+i%26)), SiteMinutes: map[int64]float64{7: site[i]},
			CurrentMinutes: ptr(current[i])}
	}
	return agents
}

func same(n int, v float64) []float64 {
	s := make([]float64, n)
	for i := range s {
		s[i] = v
	}
	return s
}

// want is a shown figure's expected values.
type want struct {
	estimated, estimatedCurrent                                int
	mean, median, p90, meanDelta, shareOverLimit, shareShorter float64
	changes                                                    [8]int
}

func TestComputeFiguresShown(t *testing.T) {
	limit30 := CommuteSettings{IncreaseLimitMin: 30}
	// Equator geometry: site 7 at (0, 0), origin at (0, 1); with no access time, a detour of 1
	// and 60 km/h, minutes = km, and a home at (0, L) is L·u minutes from the site and
	// |1 − L|·u from the origin (u = 111.19492664455873).
	equator := CommuteSettings{OriginLat: ptr(0), OriginLon: ptr(1), Detour: 1, SpeedKmh: 60, IncreaseLimitMin: 30}
	home := func(a Agent, lon float64) Agent { a.HomeLat, a.HomeLon = ptr(0), ptr(lon); return a }
	tests := []struct {
		name     string
		agents   []Agent
		siteLat  *float64
		siteLon  *float64
		settings CommuteSettings
		want     want
	}{
		{
			// site [30 10 50 20 40], current 20 each. sorted: 10 20 30 40 50
			// mean = 150/5 = 30; median = 3rd = 30; p90 = ⌈0.9·5⌉ = 5th = 50
			// d = [10 −10 30 0 20]: mean 50/5 = 10; d > 30: none (30 is not over) → 0 %;
			// d < 0: 1 → 20 %; buckets: −10 → [3]; 0, 10 → [4]; 20, 30 → [5]
			name: "odd count", agents: measuredAgents([]float64{30, 10, 50, 20, 40}, same(5, 20)), settings: limit30,
			want: want{mean: 30, median: 30, p90: 50, meanDelta: 10, shareOverLimit: 0, shareShorter: 20,
				changes: [8]int{3: 1, 4: 2, 5: 2}},
		},
		{
			// site [65 5 95 35 15 85 45 25 75 55], current 40 each. sorted: 5 15 … 95
			// mean = 500/10 = 50; median = (5th + 6th)/2 = (45 + 55)/2 = 50;
			// p90 = ⌈0.9·10⌉ = 9th = 85
			// d = −35 −25 −15 −5 5 15 25 35 45 55: mean 100/10 = 10; d > 30: 35 45 55 → 30 %;
			// d < 0: 4 → 40 %; buckets: −35 → [1]; −25 → [2]; −15, −5 → [3]; 5, 15 → [4];
			// 25 → [5]; 35, 45 → [6]; 55 → [7]
			name:   "even count",
			agents: measuredAgents([]float64{65, 5, 95, 35, 15, 85, 45, 25, 75, 55}, same(10, 40)), settings: limit30,
			want: want{mean: 50, median: 50, p90: 85, meanDelta: 10, shareOverLimit: 30, shareShorter: 40,
				changes: [8]int{1: 1, 2: 1, 3: 2, 4: 2, 5: 1, 6: 2, 7: 1}},
		},
		{
			// n = 6: median = (3rd + 4th)/2 = (3 + 4)/2 = 3.5; p90 = ⌈5.4⌉ = 6th = 60
			// site [1 2 3 4 5 60], current 0: mean = 75/6 = 12.5; d = site: mean 12.5;
			// d > 30: 60 → 1/6 = 16.67 %; none shorter; buckets: 1…5 → [4], 60 → [7]
			name: "n = 6: p90 is the 6th", agents: measuredAgents([]float64{60, 5, 4, 3, 2, 1}, same(6, 0)), settings: limit30,
			want: want{mean: 12.5, median: 3.5, p90: 60, meanDelta: 12.5, shareOverLimit: 100.0 / 6, shareShorter: 0,
				changes: [8]int{4: 5, 7: 1}},
		},
		{
			// n = 11: median = 6th = 6; p90 = ⌈9.9⌉ = 10th = 10; mean = 66/11 = 6
			name: "n = 11: p90 is the 10th", agents: measuredAgents([]float64{11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1}, same(11, 6)),
			settings: limit30,
			want: want{mean: 6, median: 6, p90: 10, meanDelta: 0, shareOverLimit: 0, shareShorter: 100.0 * 5 / 11,
				changes: [8]int{3: 5, 4: 6}},
		},
		{
			// the limit: d = 30 is not over, 30.5 and 31 are; site = 100 + d, current 100
			// d = [30 30.5 0 −1 31]: over 2/5 = 40 %; shorter 1/5 = 20 %; mean d = 90.5/5 = 18.1
			// site sorted: 99 100 130 130.5 131 → median 130, p90 5th 131, mean 590.5/5 = 118.1
			name:   "limit boundary",
			agents: measuredAgents([]float64{130, 130.5, 100, 99, 131}, same(5, 100)), settings: limit30,
			want: want{mean: 118.1, median: 130, p90: 131, meanDelta: 18.1, shareOverLimit: 40, shareShorter: 20,
				changes: [8]int{3: 1, 4: 1, 5: 1, 6: 2}},
		},
		{
			// a custom limit of 15: d = [15 16 −20 0 40] → over: 16, 40 → 40 %
			name:   "custom limit",
			agents: measuredAgents([]float64{65, 66, 30, 50, 90}, same(5, 50)), settings: CommuteSettings{IncreaseLimitMin: 15},
			want: want{mean: 60.2, median: 65, p90: 90, meanDelta: 10.2, shareOverLimit: 40, shareShorter: 20,
				changes: [8]int{2: 1, 4: 2, 5: 1, 6: 1}},
		},
		{
			// bucket boundaries, current 100, d = −46 −45 −30 −15 0 15 30 45 46:
			// −46 → [0]; −45 → [1]; −30 → [2]; −15 → [3]; 0, 15 → [4]; 30 → [5]; 45 → [6]; 46 → [7]
			// site sorted: 54 55 70 85 100 115 130 145 146: median 5th = 100, p90 ⌈8.1⌉ = 9th = 146
			// mean = 900/9 = 100; mean d = 0; d > 30: 45, 46 → 2/9; d < 0: 4/9
			name:   "bucket boundaries",
			agents: measuredAgents([]float64{54, 55, 70, 85, 100, 115, 130, 145, 146}, same(9, 100)), settings: limit30,
			want: want{mean: 100, median: 100, p90: 146, meanDelta: 0, shareOverLimit: 200.0 / 9, shareShorter: 400.0 / 9,
				changes: [8]int{1, 1, 1, 1, 2, 1, 1, 1}},
		},
		{
			// all equal: every figure is that value
			name: "all equal", agents: measuredAgents(same(7, 42.5), same(7, 42.5)), settings: limit30,
			want: want{mean: 42.5, median: 42.5, p90: 42.5, changes: [8]int{4: 7}},
		},
		{
			// Measured minutes win over estimates (equator geometry, see above):
			//  a1 home L=0.5, site measured 12      → site 12 (measured), current 0.5u = 55.597 (est.)
			//  a2 home L=0.5, current measured 3    → site 0.5u = 55.597 (est.), current 3
			//  a3 home L=0.2                        → site 0.2u = 22.239, current 0.8u = 88.956
			//  a4 home L=0.9                        → site 0.9u = 100.075, current 0.1u = 11.119
			//  a5 no home, site 40 (and 1000 to site 8), current 35 → 40, 35
			// estimated: a2 a3 a4 = 3; estimated current: a1 a3 a4 = 3
			// mean = (12 + 40 + 1.6u)/5 = (52 + 177.912)/5 = 45.982
			// sorted: 12, 0.2u, 40, 0.5u, 0.9u → median 40, p90 5th = 0.9u = 100.075
			// d = 12 − 0.5u = −43.597, 0.5u − 3 = 52.597, −0.6u = −66.717, 0.8u = 88.956, 5
			// mean d = (14 + 0.2u)/5 = 7.2478; d > 30: 2 → 40 %; d < 0: 2 → 40 %
			// buckets: −66.7 → [0]; −43.6 → [1]; 5 → [4]; 52.6, 89.0 → [7]
			name: "measured wins, estimated counted",
			agents: []Agent{
				home(Agent{Ref: "a1", SiteMinutes: map[int64]float64{7: 12}}, 0.5),
				home(Agent{Ref: "a2", CurrentMinutes: ptr(3)}, 0.5),
				home(Agent{Ref: "a3"}, 0.2),
				home(Agent{Ref: "a4", SiteMinutes: map[int64]float64{8: 1}}, 0.9),
				{Ref: "a5", SiteMinutes: map[int64]float64{7: 40, 8: 1000}, CurrentMinutes: ptr(35)},
			},
			siteLat: ptr(0), siteLon: ptr(0), settings: equator,
			want: want{estimated: 3, estimatedCurrent: 3, mean: (52 + 1.6*u) / 5, median: 40, p90: 0.9 * u,
				meanDelta: (14 + 0.2*u) / 5, shareOverLimit: 40, shareShorter: 40, changes: [8]int{0: 1, 1: 1, 4: 1, 7: 2}},
		},
		{
			// Paris 9e → Montreuil with the defaults: 10 + 1.3 × 7.147975 ÷ 18 × 60 = 40.974559
			// for the 5 agents living at 11 rue de la Tour des Dames, measured current 40:
			// d = 0.974559 → [4]
			name: "defaults, Paris → Montreuil",
			agents: func() []Agent {
				a := make([]Agent, 5)
				for i := range a {
					a[i] = Agent{Ref: "P" + string(rune('0'+i)), HomeLat: ptr(48.8791), HomeLon: ptr(2.3346), CurrentMinutes: ptr(40)}
				}
				return a
			}(),
			siteLat: ptr(48.8555), siteLon: ptr(2.4255),
			settings: CommuteSettings{AccessMin: 10, Detour: 1.3, SpeedKmh: 18, IncreaseLimitMin: 30},
			want: want{estimated: 5, mean: 40.97455942559843, median: 40.97455942559843, p90: 40.97455942559843,
				meanDelta: 0.97455942559843, changes: [8]int{4: 5}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := cloneAgents(tt.agents)
			f := ComputeFigures(tt.agents, 7, tt.siteLat, tt.siteLon, tt.settings)
			if f.Withheld != nil {
				t.Fatalf("withheld: %s", *f.Withheld)
			}
			if f.SiteID != 7 || f.Agents != len(tt.agents) || f.Estimated != tt.want.estimated ||
				f.EstimatedCurrent != tt.want.estimatedCurrent {
				t.Errorf("site %d, agents %d, estimated %d, estimated current %d; want 7, %d, %d, %d",
					f.SiteID, f.Agents, f.Estimated, f.EstimatedCurrent, len(tt.agents), tt.want.estimated, tt.want.estimatedCurrent)
			}
			for _, c := range []struct {
				name string
				got  *float64
				want float64
			}{
				{"mean", f.Mean, tt.want.mean}, {"median", f.Median, tt.want.median}, {"p90", f.P90, tt.want.p90},
				{"mean_delta", f.MeanDelta, tt.want.meanDelta}, {"share_over_limit", f.ShareOverLimit, tt.want.shareOverLimit},
				{"share_shorter", f.ShareShorter, tt.want.shareShorter},
			} {
				if c.got == nil || !near(*c.got, c.want, 1e-9) {
					t.Errorf("%s = %v, want %.12g", c.name, deref(c.got), c.want)
				}
			}
			if f.Changes != tt.want.changes {
				t.Errorf("changes = %v, want %v", f.Changes, tt.want.changes)
			}
			if !reflect.DeepEqual(tt.agents, before) {
				t.Error("ComputeFigures changed its agents")
			}
		})
	}
}

func cloneAgents(agents []Agent) []Agent {
	out := slices.Clone(agents)
	for i := range out {
		if out[i].SiteMinutes != nil {
			out[i].SiteMinutes = make(map[int64]float64)
			for k, v := range agents[i].SiteMinutes {
				out[i].SiteMinutes[k] = v
			}
		}
	}
	return out
}

func TestComputeFiguresWithheld(t *testing.T) {
	s := CommuteSettings{OriginLat: ptr(48.8791), OriginLon: ptr(2.3346), AccessMin: 10, Detour: 1.3, SpeedKmh: 18, IncreaseLimitMin: 30}
	noOrigin := s
	noOrigin.OriginLat, noOrigin.OriginLon = nil, nil
	located := func(n int) []Agent { // homes in Montreuil, current minutes measured
		a := make([]Agent, n)
		for i := range a {
			a[i] = Agent{Ref: "M" + string(rune('0'+i)), HomeLat: ptr(48.86), HomeLon: ptr(2.44), CurrentMinutes: ptr(30)}
		}
		return a
	}
	withMinutes := func(agents []Agent, n int) []Agent { // the first n measured to site 7
		for i := range n {
			agents[i].SiteMinutes = map[int64]float64{7: 25}
		}
		return agents
	}
	tests := []struct {
		name             string
		agents           []Agent
		siteLat, siteLon *float64
		s                CommuteSettings
		want             string
		estimated        int
	}{
		{"no roster", nil, ptr(48.85), ptr(2.42), s, "aucun fichier des agents importé", 0},
		{"one agent", located(1), ptr(48.85), ptr(2.42), s, "moins de 5 agents dans le fichier (1)", 1},
		{"four agents", measuredAgents(same(4, 20), same(4, 20)), nil, nil, s, "moins de 5 agents dans le fichier (4)", 0},
		{
			// the site has no coordinates: 3 of 5 agents have no measured minutes to it
			"site without coordinates", withMinutes(located(5), 2), nil, nil, s,
			"temps de trajet inconnus pour 3 agents : ni mesurés, ni estimables (coordonnées du site manquantes)", 0,
		},
		{
			// the relocation has no origin: 1 agent has no measured current minutes
			"relocation without origin", func() []Agent { a := located(6); a[4].CurrentMinutes = nil; return a }(),
			ptr(48.85), ptr(2.42), noOrigin,
			"temps de trajet inconnus pour 1 agent : ni mesurés, ni estimables (coordonnées de l’origine manquantes)", 6,
		},
		{
			// an agent without home coordinates nor measures
			"agent without home", func() []Agent { a := located(5); a[0].HomeLat, a[0].HomeLon = nil, nil; return a }(),
			ptr(48.85), ptr(2.42), s,
			"temps de trajet inconnus pour 1 agent : ni mesurés, ni estimables (coordonnées du domicile manquantes)", 4,
		},
		{
			// every cause at once: no site coordinates, no origin, one agent without home
			"every cause", func() []Agent {
				a := withMinutes(located(5), 1)
				a[2].HomeLat, a[2].HomeLon = nil, nil
				a[3].CurrentMinutes = nil
				return a
			}(),
			nil, nil, noOrigin,
			"temps de trajet inconnus pour 4 agents : ni mesurés, ni estimables (coordonnées du domicile, du site ou de l’origine manquantes)", 0,
		},
		{
			// a home out of range counts as no home; a NaN measure as no measure
			"unusable values", func() []Agent {
				a := measuredAgents(same(5, 20), same(5, 20))
				a[0].HomeLat, a[0].HomeLon, a[0].SiteMinutes = ptr(91), ptr(2), nil
				a[1].CurrentMinutes = ptr(math.NaN())
				return a
			}(),
			ptr(48.85), ptr(2.42), noOrigin,
			"temps de trajet inconnus pour 2 agents : ni mesurés, ni estimables (coordonnées du domicile ou de l’origine manquantes)", 0,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := ComputeFigures(tt.agents, 7, tt.siteLat, tt.siteLon, tt.s)
			if f.Withheld == nil || *f.Withheld != tt.want {
				t.Fatalf("withheld = %q, want %q", deref(f.Withheld), tt.want)
			}
			if f.Mean != nil || f.Median != nil || f.P90 != nil || f.MeanDelta != nil || f.ShareOverLimit != nil ||
				f.ShareShorter != nil || f.Changes != [8]int{} {
				t.Errorf("withheld figures show values: %+v", f)
			}
			if f.Agents != len(tt.agents) || f.Estimated != tt.estimated {
				t.Errorf("agents %d, estimated %d; want %d, %d", f.Agents, f.Estimated, len(tt.agents), tt.estimated)
			}
		})
	}
}

func TestFiguresJSON(t *testing.T) {
	shown := ComputeFigures(measuredAgents([]float64{30, 10, 50, 20, 40}, same(5, 20)), 7, nil, nil, CommuteSettings{IncreaseLimitMin: 30})
	withheld := ComputeFigures(nil, 8, nil, nil, CommuteSettings{})
	tests := []struct {
		f    Figures
		want string
	}{
		{shown, `{"site_id":7,"agents":5,"estimated":0,"mean":30,"median":30,"p90":50,"mean_delta":10,"share_over_limit":0,"share_shorter":20,"withheld":null}`},
		{withheld, `{"site_id":8,"agents":0,"estimated":0,"mean":null,"median":null,"p90":null,"mean_delta":null,"share_over_limit":null,"share_shorter":null,"withheld":"aucun fichier des agents importé"}`},
	}
	for _, tt := range tests {
		got, err := json.Marshal(tt.f)
		if err != nil || string(got) != tt.want {
			t.Errorf("json = %s, %v\nwant %s", got, err, tt.want)
		}
	}
}

func TestFiguresChangeBucket(t *testing.T) {
	below := func(x float64) float64 { return math.Nextafter(x, math.Inf(-1)) }
	above := func(x float64) float64 { return math.Nextafter(x, math.Inf(1)) }
	tests := []struct {
		d    float64
		want int
	}{
		{math.Inf(-1), 0}, {-1000, 0}, {below(-45), 0},
		{-45, 1}, {below(-30), 1},
		{-30, 2}, {below(-15), 2},
		{-15, 3}, {below(0), 3}, {math.Copysign(0, -1), 4},
		{0, 4}, {15, 4},
		{above(15), 5}, {30, 5},
		{above(30), 6}, {45, 6},
		{above(45), 7}, {1e9, 7},
	}
	for _, tt := range tests {
		if got := changeBucket(tt.d); got != tt.want {
			t.Errorf("changeBucket(%v) = %d (%s), want %d (%s)", tt.d, got, ChangeBuckets[got], tt.want, ChangeBuckets[tt.want])
		}
	}
	if !strings.HasPrefix(ChangeBuckets[0], "plus court de plus de 45") || ChangeBuckets[4] != "plus long de 0 à 15 min" {
		t.Errorf("labels: %q", ChangeBuckets)
	}
}

// TestMedianP90 compares medianP90 with sorting, on random sets with and without ties.
func TestFiguresMedianP90(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	for i := range 3000 {
		n := 1 + i%60
		if i%10 == 0 {
			n = 1 + rng.IntN(20000)
		}
		x := make([]float64, n)
		for j := range x {
			switch i % 5 {
			case 0:
				x[j] = 100 * rng.Float64()
			case 1:
				x[j] = float64(rng.IntN(7)) * 15 // many ties
			case 2:
				x[j] = 30 // all equal
			case 3:
				x[j] = 10 + 1e-13*float64(rng.IntN(5)) // a tiny range
			default:
				x[j] = math.Exp(10 * rng.Float64()) // skewed: a long tail
			}
		}
		if i%7 == 0 {
			x[rng.IntN(n)] = 1e12 // an outlier crowding every other value into one bucket
		}
		if i%15 == 3 { // a range so small that 1024 buckets of it overflow: 0 and the least float
			for j := range x {
				x[j] = float64(j%2) * 5e-324
			}
		}
		sorted := slices.Sorted(slices.Values(x))
		wantMedian := sorted[n/2]
		if n%2 == 0 {
			wantMedian = (sorted[n/2-1] + sorted[n/2]) / 2
		}
		wantP90 := sorted[int(math.Ceil(0.9*float64(n)-1e-9))-1]
		median, p90 := medianP90(x, sorted[0], sorted[n-1])
		if median != wantMedian || p90 != wantP90 {
			t.Fatalf("case %d, n = %d: median %v, p90 %v; want %v, %v", i, n, median, p90, wantMedian, wantP90)
		}
	}
}

// TestComputeFiguresReference compares ComputeFigures with a plain computation over random
// rosters mixing measured and estimated minutes.
func TestComputeFiguresReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	s := CommuteSettings{OriginLat: ptr(48.8791), OriginLon: ptr(2.3346), AccessMin: 10, Detour: 1.3, SpeedKmh: 18, IncreaseLimitMin: 30}
	siteLat, siteLon := 48.8555, 2.4255
	for i := range 200 {
		n := MinAgents + rng.IntN(500)
		agents := make([]Agent, n)
		var site, delta []float64
		estimated := 0
		for j := range agents {
			a := Agent{Ref: "R", HomeLat: ptr(48.5 + rng.Float64()), HomeLon: ptr(1.8 + 1.2*rng.Float64())}
			m := s.estimateMinutes(haversineKm(*a.HomeLat, *a.HomeLon, siteLat, siteLon))
			c := s.estimateMinutes(haversineKm(*a.HomeLat, *a.HomeLon, *s.OriginLat, *s.OriginLon))
			if rng.IntN(2) == 0 {
				m = float64(5 * rng.IntN(20))
				a.SiteMinutes = map[int64]float64{7: m}
			} else {
				estimated++
			}
			if rng.IntN(3) == 0 {
				c = float64(rng.IntN(90))
				a.CurrentMinutes = &c
			}
			agents[j] = a
			site, delta = append(site, m), append(delta, m-c)
		}
		f := ComputeFigures(agents, 7, &siteLat, &siteLon, s)
		if f.Withheld != nil {
			t.Fatalf("withheld: %s", *f.Withheld)
		}
		sorted := slices.Sorted(slices.Values(site))
		median := sorted[n/2]
		if n%2 == 0 {
			median = (sorted[n/2-1] + sorted[n/2]) / 2
		}
		var sum, sumDelta float64
		over, shorter := 0, 0
		for j := range site {
			sum += site[j]
			sumDelta += delta[j]
			if delta[j] > 30 {
				over++
			}
			if delta[j] < 0 {
				shorter++
			}
		}
		want := []float64{sum / float64(n), median, sorted[(9*n+9)/10-1], sumDelta / float64(n),
			100 * float64(over) / float64(n), 100 * float64(shorter) / float64(n)}
		got := []*float64{f.Mean, f.Median, f.P90, f.MeanDelta, f.ShareOverLimit, f.ShareShorter}
		for k := range want {
			if *got[k] != want[k] {
				t.Fatalf("case %d (n = %d), figure %d: %.17g, want %.17g", i, n, k, *got[k], want[k])
			}
		}
		if f.Estimated != estimated {
			t.Fatalf("case %d: estimated %d, want %d", i, f.Estimated, estimated)
		}
	}
}
