package sites

import (
	"time"

	"github.com/ministere/tracker/relocation"
)

// EntityPartner is the journal's name for a partner body.
const EntityPartner = "partner"

// Partner is a partner body of a relocation (SPEC: the « organismes de protection sociale
// partenaires » the CLEISS wants to stay close to): where it is, and how much its
// proximity counts (Weight > 0, default 1, relative to the other partners). A field
// clients write has its rules (`input`) on its tags, read by the input of the API and
// forms (ui).
type Partner struct {
	ID           int64     `db:"id" json:"id"`
	RelocationID int64     `db:"relocation_id" json:"relocation_id"`
	Name         string    `db:"name" json:"name" input:"required,notblank,max=200"`
	Address      string    `db:"address" json:"address" input:"omitnil,max=300"`
	Lat          float64   `db:"lat" json:"lat" input:"required" coordinate:"lat"`
	Lon          float64   `db:"lon" json:"lon" input:"required" coordinate:"lon"`
	Weight       float64   `db:"weight" json:"weight" input:"omitnil,gt=0,lte=1000000"`
	Version      int       `db:"version" json:"version"`
	CreatedAt    time.Time `db:"created_at" json:"created_at"`
	UpdatedAt    time.Time `db:"updated_at" json:"updated_at"`
}

// RowID returns the partner's id (relocation.Row).
func (p Partner) RowID() int64 { return p.ID }

// RowVersion returns the partner's version (relocation.Row).
func (p Partner) RowVersion() int { return p.Version }

// NewPartner returns a partner holding the defaults of SPEC (weight 1).
func NewPartner() Partner { return Partner{Weight: 1} }

// Fields returns the editable fields by API name, as the journal records them.
func (p Partner) Fields() relocation.Fields {
	return relocation.Fields{"name": p.Name, "address": p.Address, "lat": p.Lat, "lon": p.Lon, "weight": p.Weight}
}

// PartnerMinutes is the estimated time from a site to one partner.
type PartnerMinutes struct {
	Partner Partner
	Minutes float64 // estimated, unrounded
}

// Proximity is a site's partner_proximity: the minutes to each partner (in the partners'
// order) and their weighted mean Σ weightₚ × minutesₚ ÷ Σ weightₚ. Mean is nil when the site
// has no coordinates or there are no partners (then ByPartner is empty).
type Proximity struct {
	ByPartner []PartnerMinutes
	Mean      *float64
}

// PartnerProximity estimates the minutes from a site at (lat, lon) to each partner with the
// commute estimator and settings s (access + detour × great-circle km ÷ speed × 60), and
// their weighted mean. It is pure.
func PartnerProximity(lat, lon *float64, partners []Partner, s CommuteSettings) Proximity {
	var out Proximity
	if lat == nil || lon == nil || len(partners) == 0 {
		return out
	}
	sum, weights := 0.0, 0.0
	for _, p := range partners {
		m := s.estimateMinutes(haversineKm(*lat, *lon, p.Lat, p.Lon))
		out.ByPartner = append(out.ByPartner, PartnerMinutes{Partner: p, Minutes: m})
		sum += p.Weight * m
		weights += p.Weight
	}
	if weights > 0 {
		mean := sum / weights
		out.Mean = &mean
	}
	return out
}
