package criteria

import (
	"context"
	"fmt"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

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
		{Name: "Surface nécessaire et offres immobilières", Source: SourceSurfaceCoverage, Direction: HigherIsBetter, ScaleMin: 0, ScaleMax: 1.5, Threshold: &one, Weight: 30},
		{Name: "Visibilité et accessibilité", Source: SourceManual, Direction: HigherIsBetter, ScaleMin: 0, ScaleMax: 10, Weight: 25},
		{Name: "Situation des agents, temps de trajet", Source: SourceCommuteMedian, Direction: LowerIsBetter, ScaleMin: 0, ScaleMax: 120, Weight: 25},
		{Name: "Nécessités des métiers et pratiques de travail", Source: SourceManual, Direction: HigherIsBetter, ScaleMin: 0, ScaleMax: 10, Weight: 20},
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
		"threshold": threshold, "source": c.Source}
}

// Store reads and writes criteria and scores; every write is journaled.
type Store struct {
	db *sqlx.DB
}

// NewStore returns a store over db.
func NewStore(db *sqlx.DB) *Store { return &Store{db: db} }

const criterionColumns = `id, relocation_id, name, description, weight, direction, scale_min, scale_max,
	threshold, source, version, created_at, updated_at`

const criterionNotFound = "Ce critère n’existe pas."

// Criteria returns a relocation's criteria in the order they were added.
func (s *Store) Criteria(ctx context.Context, relocationID int64) ([]Criterion, error) {
	out := []Criterion{}
	err := s.db.SelectContext(ctx, &out, `SELECT `+criterionColumns+` FROM criteria WHERE relocation_id = $1 ORDER BY id`, relocationID)
	return out, relocation.DBError("criteria: list", err, "")
}

// Criterion returns one criterion; ENOTFOUND when there is none.
func (s *Store) Criterion(ctx context.Context, id int64) (Criterion, error) {
	var c Criterion
	err := s.db.GetContext(ctx, &c, `SELECT `+criterionColumns+` FROM criteria WHERE id = $1`, id)
	return c, relocation.DBError(fmt.Sprintf("criteria: get %d", id), err, criterionNotFound)
}

// InsertDefaults gives a new relocation the default grid, inside its creation's
// transaction, journaled like any creation.
func InsertDefaults(ctx context.Context, tx *sqlx.Tx, by relocation.Actor, relocationID int64) error {
	for _, c := range Defaults() {
		c.RelocationID = relocationID
		if _, err := insert(ctx, tx, by, c); err != nil {
			return err
		}
	}
	return nil
}

// CreateCriterion adds a criterion to c.RelocationID's grid (ENOTFOUND when that
// relocation does not exist).
func (s *Store) CreateCriterion(ctx context.Context, by relocation.Actor, c Criterion) (Criterion, error) {
	if c.Source == "" {
		c.Source = SourceManual
	}
	var out Criterion
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		if _, err := relocation.LockRelocation(ctx, tx, c.RelocationID); err != nil {
			return err
		}
		var err error
		out, err = insert(ctx, tx, by, c)
		return err
	})
	return out, err
}

func insert(ctx context.Context, tx *sqlx.Tx, by relocation.Actor, c Criterion) (Criterion, error) {
	var out Criterion
	err := tx.GetContext(ctx, &out, `INSERT INTO criteria (relocation_id, name, description, weight, direction,
		scale_min, scale_max, threshold, source) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING `+criterionColumns,
		c.RelocationID, c.Name, c.Description, c.Weight, c.Direction, c.ScaleMin, c.ScaleMax, c.Threshold, c.Source)
	if err != nil {
		return out, relocation.DBError("criteria: create", err, "")
	}
	return out, relocation.WriteJournal(ctx, tx, by, out.RelocationID, EntityCriterion, out.ID, relocation.ActionCreate,
		relocation.Diff(nil, out.Fields()))
}

// UpdateCriterion replaces a criterion's fields, provided the stored version is still
// version (EPRECONDITION otherwise). A change that changes nothing returns it untouched.
func (s *Store) UpdateCriterion(ctx context.Context, by relocation.Actor, id int64, version int, next Criterion) (Criterion, error) {
	var out Criterion
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		cur, err := lock(ctx, tx, id)
		if err != nil {
			return err
		}
		if cur.Version != version {
			return relocation.StaleVersion(cur.Version)
		}
		changes := relocation.Diff(cur.Fields(), next.Fields())
		if len(changes) == 0 {
			out = cur
			return nil
		}
		err = tx.GetContext(ctx, &out, `UPDATE criteria SET name = $2, description = $3, weight = $4, direction = $5,
			scale_min = $6, scale_max = $7, threshold = $8, source = $9, version = version + 1, updated_at = now()
			WHERE id = $1 RETURNING `+criterionColumns,
			id, next.Name, next.Description, next.Weight, next.Direction, next.ScaleMin, next.ScaleMax, next.Threshold, next.Source)
		if err != nil {
			return relocation.DBError(fmt.Sprintf("criteria: update %d", id), err, criterionNotFound)
		}
		return relocation.WriteJournal(ctx, tx, by, out.RelocationID, EntityCriterion, id, relocation.ActionUpdate, changes)
	})
	return out, err
}

// DeleteCriterion removes a criterion and its scores, provided the stored version is
// still version.
func (s *Store) DeleteCriterion(ctx context.Context, by relocation.Actor, id int64, version int) error {
	return s.inTx(ctx, func(tx *sqlx.Tx) error {
		cur, err := lock(ctx, tx, id)
		if err != nil {
			return err
		}
		if cur.Version != version {
			return relocation.StaleVersion(cur.Version)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM criteria WHERE id = $1`, id); err != nil {
			return relocation.DBError("criteria: delete", err, criterionNotFound)
		}
		return relocation.WriteJournal(ctx, tx, by, cur.RelocationID, EntityCriterion, id, relocation.ActionDelete,
			relocation.Diff(cur.Fields(), nil))
	})
}

// ApplyWeights sets the weights of all a relocation's criteria in one transaction,
// journaling each changed weight. EINVALID when an id is not one of its criteria,
// EPRECONDITION when one of its criteria is missing (the grid changed meanwhile).
func (s *Store) ApplyWeights(ctx context.Context, by relocation.Actor, relocationID int64, weights map[int64]float64) error {
	return s.inTx(ctx, func(tx *sqlx.Tx) error {
		_, err := applyWeights(ctx, tx, by, relocationID, weights)
		return err
	})
}

// EntityAHP is the journal's name for a weighting by pairwise comparisons.
const EntityAHP = "ahp"

// ApplyAHP is ApplyWeights for weights derived by AHP: when a weight changes, the
// journal also records the consistency ratio, which the decision note quotes.
func (s *Store) ApplyAHP(ctx context.Context, by relocation.Actor, relocationID int64, weights map[int64]float64, consistencyRatio float64) error {
	return s.inTx(ctx, func(tx *sqlx.Tx) error {
		changed, err := applyWeights(ctx, tx, by, relocationID, weights)
		if err != nil || !changed {
			return err
		}
		return relocation.WriteJournal(ctx, tx, by, relocationID, EntityAHP, relocationID, relocation.ActionUpdate,
			map[string]relocation.Change{"consistency_ratio": {After: consistencyRatio}})
	})
}

func applyWeights(ctx context.Context, tx *sqlx.Tx, by relocation.Actor, relocationID int64, weights map[int64]float64) (changed bool, err error) {
	var cur []Criterion
	ids := make([]int64, 0, len(weights))
	for id := range weights {
		ids = append(ids, id)
	}
	err = tx.SelectContext(ctx, &cur, `SELECT `+criterionColumns+` FROM criteria
		WHERE relocation_id = $1 AND id = ANY($2) ORDER BY id FOR UPDATE`, relocationID, pq.Array(ids))
	if err != nil {
		return false, relocation.DBError("criteria: lock weights", err, "")
	}
	if len(cur) != len(weights) {
		return false, relocation.Errorf(relocation.EINVALID, "Certains critères comparés n’appartiennent pas à ce projet.")
	}
	var total int
	if err := tx.GetContext(ctx, &total, `SELECT count(*) FROM criteria WHERE relocation_id = $1`, relocationID); err != nil {
		return false, relocation.DBError("criteria: count", err, "")
	}
	if total != len(weights) {
		return false, relocation.Errorf(relocation.EPRECONDITION, "La liste des critères a changé entre-temps : refaites les comparaisons.")
	}
	for _, c := range cur {
		w := weights[c.ID]
		if w == c.Weight {
			continue
		}
		if _, err := tx.ExecContext(ctx, `UPDATE criteria SET weight = $2, version = version + 1, updated_at = now() WHERE id = $1`, c.ID, w); err != nil {
			return false, relocation.DBError("criteria: set weight", err, "")
		}
		if err := relocation.WriteJournal(ctx, tx, by, relocationID, EntityCriterion, c.ID, relocation.ActionUpdate,
			map[string]relocation.Change{"weight": {Before: c.Weight, After: w}}); err != nil {
			return false, err
		}
		changed = true
	}
	return changed, nil
}

func lock(ctx context.Context, tx *sqlx.Tx, id int64) (Criterion, error) {
	var c Criterion
	err := tx.GetContext(ctx, &c, `SELECT `+criterionColumns+` FROM criteria WHERE id = $1 FOR UPDATE`, id)
	return c, relocation.DBError(fmt.Sprintf("criteria: lock %d", id), err, criterionNotFound)
}

func (s *Store) inTx(ctx context.Context, fn func(tx *sqlx.Tx) error) error {
	return relocation.InTx(ctx, s.db, fn)
}
