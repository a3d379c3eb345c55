package sites

import (
	"math"
	"testing"
)

// TestPartnerProximityByHand: along a meridian the great-circle distance is R·Δφ, so the
// estimator's minutes are access + detour × 6 371 × Δφ(rad) ÷ speed × 60.
//
//	partner A, 0,1° north, weight 1: 6 371 × 0,1 × π/180 = 11,11949 km → 10 + 1,3 × 11,11949 ÷ 18 × 60 = 58,18447 min
//	partner B, 0,2° south, weight 3: 22,23898 km → 10 + 96,36893 = 106,36893 min
//	mean = (1 × 58,18447 + 3 × 106,36893) ÷ 4 = 94,32282 min
func TestPartnerProximityByHand(t *testing.T) {
	s := CommuteSettings{AccessMin: 10, Detour: 1.3, SpeedKmh: 18}
	lat, lon := 48.0, 2.0
	partners := []Partner{{ID: 1, Lat: 48.1, Lon: 2.0, Weight: 1}, {ID: 2, Lat: 47.8, Lon: 2.0, Weight: 3}}
	got := PartnerProximity(&lat, &lon, partners, s)
	km := func(deg float64) float64 { return 6371 * deg * math.Pi / 180 }
	a := 10 + 1.3*km(0.1)/18*60
	b := 10 + 1.3*km(0.2)/18*60
	if math.Abs(a-58.18447) > 1e-5 || math.Abs(b-106.36893) > 1e-5 {
		t.Fatalf("hand figures %v %v", a, b) // the comment's figures
	}
	if len(got.ByPartner) != 2 || math.Abs(got.ByPartner[0].Minutes-a) > 1e-9 || math.Abs(got.ByPartner[1].Minutes-b) > 1e-9 {
		t.Errorf("by partner %+v, want %v and %v", got.ByPartner, a, b)
	}
	if got.Mean == nil || math.Abs(*got.Mean-(a+3*b)/4) > 1e-9 || math.Abs(*got.Mean-94.32282) > 1e-5 {
		t.Errorf("mean %v, want 94.32282", got.Mean)
	}
	// Other settings: no access time, straight line at 60 km/h: minutes = km.
	got = PartnerProximity(&lat, &lon, partners[:1], CommuteSettings{Detour: 1, SpeedKmh: 60})
	if math.Abs(*got.Mean-km(0.1)) > 1e-9 {
		t.Errorf("mean %v with the relocation's settings, want %v", *got.Mean, km(0.1))
	}
}

func TestPartnerProximityMissing(t *testing.T) {
	s := CommuteSettings{AccessMin: 10, Detour: 1.3, SpeedKmh: 18}
	lat, lon := 48.0, 2.0
	if got := PartnerProximity(nil, nil, []Partner{{Lat: 48, Lon: 2, Weight: 1}}, s); got.Mean != nil || got.ByPartner != nil {
		t.Errorf("site without coordinates: %+v", got)
	}
	if got := PartnerProximity(&lat, &lon, nil, s); got.Mean != nil {
		t.Errorf("no partners: %+v", got)
	}
}
