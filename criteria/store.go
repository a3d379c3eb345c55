package criteria

import (
	"context"

	"github.com/jmoiron/sqlx"

	"github.com/ministere/tracker/relocation"
)

// Journal names of the entities this package writes.
const (
	EntityCriterion = "criterion"
	EntityScore     = "score"
)

// Defaults is the grid every new relocation starts with: the four criteria of the
// CLEISS answer (SPEC).
func Defaults() []Criterion {
	one := 1.0
	return []Criterion{
		{Name: "Surface nécessaire et offres immobilières", Source: SourceSurfaceCoverage, Direction: HigherIsBetter, ScaleMin: 0, ScaleMax: 1.5, Threshold: &one, Weight: 30, Active: true},
		{Name: "Visibilité et accessibilité", Source: SourceManual, Direction: HigherIsBetter, ScaleMin: 0, ScaleMax: 10, Weight: 25, Active: true},
		{Name: "Situation des agents, temps de trajet", Source: SourceCommuteMedian, Direction: LowerIsBetter, ScaleMin: 0, ScaleMax: 120, Weight: 25, Active: true},
		{Name: "Nécessités des métiers et pratiques de travail", Source: SourceManual, Direction: HigherIsBetter, ScaleMin: 0, ScaleMax: 10, Weight: 20, Active: true},
	}
}

// Fields returns the editable fields by API name, as the journal records them.
func (c Criterion) Fields() relocation.Fields {
	var threshold any
	if c.Threshold != nil {
		threshold = *c.Threshold
	}
	return relocation.Fields{"name": c.Name, "description": c.Description, "weight": c.Weight,
		"direction": c.Direction, "scale_min": c.ScaleMin, "scale_max": c.ScaleMax,
		"threshold": threshold, "source": c.Source, "active": c.Active}
}

// Store reads criteria and scores and runs the user actions that change them (actions.go),
// each through relocation.Act.
type Store struct {
	db *sqlx.DB
	q  sqlx.QueryerContext // where reads run: the pool, or a snapshot (see In)
}

// NewStore returns a store over db.
func NewStore(db *sqlx.DB) *Store { return &Store{db: db, q: db} }

// In returns the store reading over q (a relocation.Snapshot, say).
func (s *Store) In(q sqlx.QueryerContext) *Store { return &Store{db: s.db, q: q} }

const criterionColumns = `id, relocation_id, name, description, weight, direction, scale_min, scale_max,
	threshold, source, active, version, created_at, updated_at`

// NotFound is the refusal of a criterion that does not exist.
const NotFound = "Ce critère n’existe pas."

// criterionRows is the criteria table.
var criterionRows = relocation.Rows[Criterion]{Table: "criteria", Columns: criterionColumns, Entity: EntityCriterion, NotFound: NotFound}

// Criteria returns a relocation's criteria in the order they were added.
func (s *Store) Criteria(ctx context.Context, relocationID int64) ([]Criterion, error) {
	return criterionRows.List(ctx, s.q, relocationID)
}

// Criterion returns one criterion; ENOTFOUND when there is none.
func (s *Store) Criterion(ctx context.Context, id int64) (Criterion, error) {
	return criterionRows.Get(ctx, s.q, id)
}
