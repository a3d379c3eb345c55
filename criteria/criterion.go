package criteria

import (
	"slices"
	"time"
)

// Directions of a criterion: whether a larger value is better or worse.
const (
	// HigherIsBetter marks a criterion where a larger value is better (surface coverage).
	HigherIsBetter = "higher_is_better"
	// LowerIsBetter marks a criterion where a smaller value is better (commute minutes).
	LowerIsBetter = "lower_is_better"
)

// directions are the allowed Direction values; the CHECK on criteria.direction allows the
// same (TestAllowedValuesMatchDatabase, in ui, compares them).
var directions = []string{HigherIsBetter, LowerIsBetter}

// Directions returns the directions of a criterion, higher-is-better first (a copy: the
// caller may change it).
func Directions() []string { return slices.Clone(directions) }

// IsDirection reports whether s is a direction of a criterion.
func IsDirection(s string) bool { return slices.Contains(directions, s) }

// Sources of a criterion's values: entered by hand, or computed from the data.
const (
	SourceManual           = "manual"
	SourceSurfaceCoverage  = "surface_coverage"   // site surface ÷ required surface
	SourceCommuteMedian    = "commute_median"     // median commute minutes to the site
	SourceCommuteShareOver = "commute_share_over" // % of agents whose commute grows past the limit
	SourcePartnerProximity = "partner_proximity"  // weighted mean estimated minutes to the partner bodies
	SourceCostPerResident  = "cost_per_resident"  // site annual cost ÷ the relocation's residents (€)
)

// sources are the allowed Source values, in the order forms offer them; the CHECK on
// criteria.source allows the same (TestAllowedValuesMatchDatabase, in ui, compares them).
var sources = []string{SourceManual, SourceSurfaceCoverage, SourceCommuteMedian, SourceCommuteShareOver,
	SourcePartnerProximity, SourceCostPerResident}

// Sources returns the sources of a criterion's values, manual first (a copy: the caller
// may change it).
func Sources() []string { return slices.Clone(sources) }

// IsSource reports whether s is a source of a criterion's values.
func IsSource(s string) bool { return slices.Contains(sources, s) }

// Criterion is one criterion of a relocation's grid, as stored and as the engine
// reads it (the engine ignores the bookkeeping fields). Weight is expected to be ≥ 0 (the
// store requires > 0) and ScaleMin < ScaleMax. Any Direction other than LowerIsBetter
// counts as HigherIsBetter. Threshold, when set, eliminates the sites whose value is worse
// than it (strictly below for higher-is-better, strictly above for lower-is-better). A
// field clients write has its rules (`input`) on its tags, read by the input of the API
// and forms (ui).
type Criterion struct {
	ID           int64     `db:"id" json:"id"`
	RelocationID int64     `db:"relocation_id" json:"relocation_id"`
	Name         string    `db:"name" json:"name" input:"required,notblank,max=200"`
	Description  string    `db:"description" json:"description" input:"omitnil,max=2000"`
	Weight       float64   `db:"weight" json:"weight" input:"gte=0.001,lte=1000000" unit:"%"`
	Direction    string    `db:"direction" json:"direction" input:"required,criterion_direction"`
	ScaleMin     float64   `db:"scale_min" json:"scale_min" input:"gte=-1000000000,lte=1000000000"`
	ScaleMax     float64   `db:"scale_max" json:"scale_max" input:"gte=-1000000000,lte=1000000000"`
	Threshold    *float64  `db:"threshold" json:"threshold" input:"omitnil,gte=-1000000000,lte=1000000000"`
	Source       string    `db:"source" json:"source" input:"omitnil,criterion_source"` // manual or a computed source (see Sources)
	Active       bool      `db:"active" json:"active" input:""`                         // false: set aside, out of the ranking (its weight and values kept)
	Version      int       `db:"version" json:"version"`
	CreatedAt    time.Time `db:"created_at" json:"created_at"`
	UpdatedAt    time.Time `db:"updated_at" json:"updated_at"`
}

// RowID returns the criterion's id (relocation.Row).
func (c Criterion) RowID() int64 { return c.ID }

// RowVersion returns the criterion's version (relocation.Row).
func (c Criterion) RowVersion() int { return c.Version }

// NewCriterion returns a criterion holding the defaults of SPEC: manual values, active.
func NewCriterion() Criterion { return Criterion{Source: SourceManual, Active: true} }

// Active returns the criteria that take part in the ranking, in their order.
func Active(cs []Criterion) []Criterion {
	out := make([]Criterion, 0, len(cs))
	for _, c := range cs {
		if c.Active {
			out = append(out, c)
		}
	}
	return out
}
