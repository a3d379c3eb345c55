package sites

import (
	"math"
	"strings"
	"testing"
)

func f64(v float64) *float64 { return &v }

// paris is the CLEISS's origin (11 rue de la Tour des Dames); montreuil its new site.
var (
	parisLat, parisLon         = 48.8794, 2.3358
	montreuilLat, montreuilLon = 48.8555, 2.4255
)

// TestReachCheck: SPEC's coordinates rule. Ranges; the distance to the origin (here
// 1,200 km); swapped coordinates named as such when exchanging them makes the point
// acceptable, and only then.
func TestReachCheck(t *testing.T) {
	paris := Reach{OriginLat: &parisLat, OriginLon: &parisLon, MaxKm: 1200}
	cases := []struct {
		name     string
		r        Reach
		lat, lon float64
		want     string // "" accepted; else a fragment of the message
		latBad   bool
	}{
		{"Montreuil from Paris", paris, montreuilLat, montreuilLon, "", false},
		{"swapped Montreuil", paris, montreuilLon, montreuilLat, "semblent inversées", true},
		{"Marseille (660 km)", paris, 43.2965, 5.3698, "", false},
		{"New York", paris, 40.7128, -74.0060, "au-delà de la distance maximale de 1\u202f200 km", true},
		{"latitude 91", paris, 91, 2, "latitude hors limites", true},
		{"longitude 181", Reach{}, 48, 181, "longitude hors limites", false},
		{"latitude 100 could be a longitude", Reach{}, 100, 45, "semblent inversées", true},
		{"both out", Reach{}, 200, 200, "latitude hors limites", true},
		{"no origin: anywhere on Earth", Reach{MaxKm: 1200}, -33.86, 151.2, "", false},
		{"NaN", paris, math.NaN(), 2, "latitude hors limites", true},
	}
	for _, c := range cases {
		e := c.r.Check(c.lat, c.lon)
		switch {
		case c.want == "" && e != nil:
			t.Errorf("%s: refused: %s", c.name, e.Message)
		case c.want != "" && (e == nil || !strings.Contains(e.Message, c.want) || e.Lat != c.latBad):
			t.Errorf("%s: %+v, want %q (latitude at fault: %v)", c.name, e, c.want, c.latBad)
		}
	}
	// New York is 5,837 km from Paris: its message says so.
	if e := paris.Check(40.7128, -74.0060); e == nil || !strings.Contains(e.Message, "5\u202f8") {
		t.Errorf("New York: %+v", e)
	}
	if f := paris.CheckFields(&montreuilLon, &montreuilLat, "home_lat", "home_lon"); len(f) != 1 || f[0].Field != "home_lat" {
		t.Errorf("CheckFields of swapped coordinates = %+v", f)
	}
	if f := paris.CheckFields(nil, &montreuilLat, "lat", "lon"); f != nil {
		t.Errorf("CheckFields of a half position = %+v (bothOrNeither's to refuse)", f)
	}
}

// TestParseCoordinateInput: degrees, minutes, seconds (48°55'07"N, 2°26'40"E) and
// decimal degrees as typed in forms; a cardinal point of the other axis says the two
// look swapped; minutes and seconds stay under 60; decimal notation only.
func TestParseCoordinateInput(t *testing.T) {
	for _, c := range []struct {
		in   string
		axis Axis
		want float64
	}{
		{`48°55'07"N`, Latitude, 48 + 55.0/60 + 7.0/3600},
		{`2°26'40"E`, Longitude, 2 + 26.0/60 + 40.0/3600},
		{`48° 55′ 07″ N`, Latitude, 48 + 55.0/60 + 7.0/3600},
		{`48°55’07”N`, Latitude, 48 + 55.0/60 + 7.0/3600},
		{`48°55'07''N`, Latitude, 48 + 55.0/60 + 7.0/3600},
		{`N 48°55'07"`, Latitude, 48 + 55.0/60 + 7.0/3600},
		{`33°52'S`, Latitude, -(33 + 52.0/60)},
		{`1°33'O`, Longitude, -(1 + 33.0/60)},
		{`1°33'w`, Longitude, -(1 + 33.0/60)},
		{`48°55,5'`, Latitude, 48 + 55.5/60},
		{`48°55'07,5"`, Latitude, 48 + 55.0/60 + 7.5/3600},
		{`-48°30'`, Latitude, -48.5},
		{`48,9186`, Latitude, 48.9186},
		{`48.9186° N`, Latitude, 48.9186},
		{`-2,35`, Longitude, -2.35},
		{`0`, Longitude, 0},
	} {
		got, err := ParseCoordinateInput(c.in, c.axis)
		if err != nil || math.Abs(got-c.want) > 1e-12 {
			t.Errorf("ParseCoordinateInput(%q) = %v, %v; want %v", c.in, got, err, c.want)
		}
	}
	for _, c := range []struct {
		in   string
		axis Axis
		want string
	}{
		{`48°55'07"E`, Latitude, "semblent inversées"},
		{`2°26'40"N`, Longitude, "semblent inversées"},
		{`48°61'`, Latitude, "moins de 60"},
		{`48°55'60"`, Latitude, "moins de 60"},
		{`48,5°30'`, Latitude, "non reconnue"},
		{`-48°30'N`, Latitude, "signe"},
		{`48'55°`, Latitude, "non reconnue"},
		{`1_6`, Latitude, "non reconnue"},
		{`0x1p4`, Latitude, "non reconnue"},
		{`1e1`, Latitude, "non reconnue"},
		{`°`, Latitude, "non reconnue"},
		{``, Latitude, "non reconnue"},
		{`N`, Latitude, "non reconnue"},
	} {
		got, err := ParseCoordinateInput(c.in, c.axis)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("ParseCoordinateInput(%q) = %v, %v; want a refusal saying %q", c.in, got, err, c.want)
		}
	}
}

// FuzzParseCoordinateInput: an accepted coordinate is finite, and its cardinal point,
// when given, decides its sign.
func FuzzParseCoordinateInput(f *testing.F) {
	for _, s := range []string{`48°55'07"N`, `2°26'40"E`, `48,9186`, `1°33'O`, `48°55,5'`, `-2.35`, `0x1p4`, `48'55°`} {
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, s string, lat bool) {
		axis := Longitude
		if lat {
			axis = Latitude
		}
		v, err := ParseCoordinateInput(s, axis)
		if err != nil {
			return
		}
		if math.IsNaN(v) || math.IsInf(v, 0) || (v == 0 && math.Signbit(v)) {
			t.Fatalf("ParseCoordinateInput(%q) = %v", s, v)
		}
		trimmed := strings.TrimSpace(s)
		if last := trimmed[len(trimmed)-1]; strings.ContainsRune("SOWsow", rune(last)) && v > 0 {
			t.Fatalf("ParseCoordinateInput(%q) = %v: south or west is negative", s, v)
		}
	})
}

// TestRosterHomesWithinReach: a roster line whose home lies beyond the relocation's
// reach, or whose coordinates look swapped, is an error of that line (SPEC: 422 per
// line); homes within reach pass.
func TestRosterHomesWithinReach(t *testing.T) {
	reach := Reach{OriginLat: &parisLat, OriginLon: &parisLon, MaxKm: 1200}
	file := "agent_ref;home_lat;home_lon\nA1;48,85;2,43\nA2;2,43;48,85\nA3;40,7128;-74,006\nA4;43,2965;5,3698\n"
	agents, errs := ParseRosterWithin([]byte(file), rosterSites, reach)
	if agents != nil || len(errs) != 2 {
		t.Fatalf("errors %+v, agents %d; want lines 3 and 4 refused", errs, len(agents))
	}
	if errs[0].Line != 3 || errs[0].Column != "home_lat" || !strings.Contains(errs[0].Message, "semblent inversées") {
		t.Errorf("swapped home: %+v", errs[0])
	}
	if errs[1].Line != 4 || !strings.Contains(errs[1].Message, "distance maximale") {
		t.Errorf("home in New York: %+v", errs[1])
	}
	if agents, errs := ParseRoster([]byte(file), rosterSites); errs != nil || len(agents) != 4 {
		t.Errorf("without an origin only ranges count: %+v", errs)
	}
	// With the default settings, a home in Lyon (394.9 km) is estimated at 10 + 1.3 × 394.9
	// ÷ 18 × 60 ≈ 1,721 minutes from Paris: refused, like a measured 1,721, unless its
	// current minutes are given.
	reach.Commute = CommuteSettings{AccessMin: 10, Detour: 1.3, SpeedKmh: 18}
	lyon := "agent_ref;home_lat;home_lon;current_minutes\nA1;48,85;2,43;\nA2;45,76;4,84;\nA3;45,76;4,84;95\n"
	_, errs = ParseRosterWithin([]byte(lyon), rosterSites, reach)
	if len(errs) != 1 || errs[0].Line != 3 || !strings.Contains(errs[0].Message, "1\u202f721 min") || !strings.Contains(errs[0].Message, "1440") {
		t.Errorf("a home a day away: %+v", errs)
	}
}

// TestEstimateOverADayRefused: an estimated commute over 1,440 minutes counts as unknown,
// as a measured one would be refused: the figures are withheld, saying why.
func TestEstimateOverADayRefused(t *testing.T) {
	s := CommuteSettings{OriginLat: &parisLat, OriginLon: &parisLon, AccessMin: 10, Detour: 1.3, SpeedKmh: 18, IncreaseLimitMin: 30}
	var agents []Agent
	for i := 0; i < 6; i++ {
		agents = append(agents, Agent{Ref: "A", HomeLat: f64(48.85), HomeLon: f64(2.40)})
	}
	// 400 km away: 10 + 1.3 × ~400 ÷ 18 × 60 ≈ 1,750 minutes.
	far := ComputeFigures(agents, 1, f64(45.76), f64(4.84), s)
	if far.Withheld == nil || !strings.Contains(*far.Withheld, "1440") || far.Median != nil {
		t.Errorf("a site 400 km away: %+v (withheld %v)", far, far.Withheld)
	}
	near := ComputeFigures(agents, 1, &montreuilLat, &montreuilLon, s)
	if near.Withheld != nil || near.Median == nil || *near.Median > MaxMinutes {
		t.Errorf("Montreuil: withheld %v", near.Withheld)
	}
}
