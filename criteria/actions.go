package criteria

import (
	"context"
	"errors"
	"strings"

	"github.com/jmoiron/sqlx"
	"github.com/ministere/tracker/relocation"
	"github.com/ministere/tracker/sites"
)

// The user actions of the criteria room, each one transaction through relocation.Act:
// rights, then the precondition, then the input (run under lock), then the write and
// its journal entry.

// NewRelocationStore returns the relocation store with the rules of the rooms above it:
// a new relocation gets the default grid (DefaultGrid), and a change of its origin or
// commute settings recomputes its sites' commute figures (sites.RelocationUpdated).
func NewRelocationStore(db *sqlx.DB) *relocation.Store {
	return relocation.NewStore(db, relocation.Hooks{Created: DefaultGrid, Updated: sites.RelocationUpdated})
}

// DefaultGrid gives a new relocation the default grid (Defaults), journaled like any
// creation: the Created hook of NewRelocationStore.
func DefaultGrid(ctx context.Context, tx *relocation.Tx) error {
	for _, c := range Defaults() {
		if _, err := insertCriterion(ctx, tx, c); err != nil {
			return err
		}
	}
	return nil
}

// CreateCriterion adds the criterion input returns (start it from NewCriterion) to
// relocation relocationID's grid. Errors: see relocation.Act; input's.
func (s *Store) CreateCriterion(ctx context.Context, by relocation.Actor, relocationID int64, input func() (Criterion, error)) (Criterion, error) {
	return criterionRows.Create(ctx, s.db, by, relocationID, input, func(tx *relocation.Tx, c Criterion) (Criterion, error) {
		if c.Source == "" {
			c.Source = SourceManual
		}
		return insertCriterion(ctx, tx, c)
	})
}

func insertCriterion(ctx context.Context, tx *relocation.Tx, c Criterion) (Criterion, error) {
	return criterionRows.Insert(ctx, tx, `INSERT INTO criteria (relocation_id, name, description, weight, direction,
		scale_min, scale_max, threshold, source, active) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING `+criterionColumns,
		tx.Relocation.ID, c.Name, c.Description, c.Weight, c.Direction, c.ScaleMin, c.ScaleMax, c.Threshold, c.Source, c.Active)
}

// UpdateCriterion changes criterion id to what edit makes of its current values,
// provided pre holds. A change that changes nothing keeps the version and journals
// nothing. Errors: ENOTFOUND; see relocation.Act; EPRECONDREQ/EPRECONDITION; edit's.
func (s *Store) UpdateCriterion(ctx context.Context, by relocation.Actor, id int64, pre relocation.Precondition, edit func(cur Criterion) (Criterion, error)) (Criterion, error) {
	return criterionRows.Change(ctx, s.db, by, id, pre, edit, func(tx *relocation.Tx, _, next Criterion, changes map[string]relocation.Change) (Criterion, error) {
		return criterionRows.Update(ctx, tx, id, changes, `UPDATE criteria SET name = $2, description = $3, weight = $4, direction = $5,
			scale_min = $6, scale_max = $7, threshold = $8, source = $9, active = $10, version = version + 1, updated_at = now()
			WHERE id = $1 RETURNING `+criterionColumns,
			id, next.Name, next.Description, next.Weight, next.Direction, next.ScaleMin, next.ScaleMax, next.Threshold, next.Source, next.Active)
	})
}

// DeleteCriterion removes criterion id and its scores, provided pre holds; the journal
// keeps its last values. Errors: ENOTFOUND; see relocation.Act; EPRECONDREQ/EPRECONDITION.
func (s *Store) DeleteCriterion(ctx context.Context, by relocation.Actor, id int64, pre relocation.Precondition) error {
	return criterionRows.Delete(ctx, s.db, by, id, pre)
}

// SetScore enters the manual value of criterion criterionID for site siteID, as input
// returns it (value, justification), provided pre holds against the stored score
// (NoneYet: there must be none). created reports a new score; the same value and
// justification again change nothing. Errors: ENOTFOUND (site or criterion); see
// relocation.Act; EPRECONDITION; EINVALID when they belong to different relocations,
// when the criterion is computed from the data, or when the value lies outside its
// scale or the justification is blank; input's.
func (s *Store) SetScore(ctx context.Context, by relocation.Actor, siteID, criterionID int64, pre relocation.Precondition,
	input func() (value float64, justification string, err error)) (out Score, created bool, err error) {
	err = relocation.ActOn(ctx, s.db, by, "sites", siteID, sites.NotFound, func(tx *relocation.Tx) error {
		created = false
		site, err := sites.SiteIn(ctx, tx, siteID)
		if err != nil {
			return err
		}
		var c Criterion
		if err := tx.Get(ctx, &c, `SELECT `+criterionColumns+` FROM criteria WHERE id = $1`, criterionID); err != nil {
			return relocation.DBError("criteria: score criterion", err, NotFound)
		}
		cur, exists, err := scoreIn(ctx, tx, siteID, criterionID)
		if err != nil {
			return err
		}
		if err := pre.CheckVersion(cur.Version, exists); err != nil {
			return err
		}
		value, justification, err := input()
		if err != nil {
			return err
		}
		justification = strings.TrimSpace(justification)
		if err := scoreAllowed(site, c, value, justification); err != nil {
			return err
		}
		if exists && cur.Value == value && cur.Justification == justification {
			out = cur
			return nil
		}
		created = !exists
		written, err := writeScores(ctx, tx, []scoreWrite{{siteID: siteID, criterionID: criterionID, cur: cur,
			exists: exists, value: value, justification: justification}})
		if err == nil {
			out = written[0]
		}
		return err
	})
	return out, created, err
}

// AHPOutcome is the result of pairwise comparisons: the derived weights (summing to 1),
// their consistency ratio, and whether they became the criteria's weights.
type AHPOutcome struct {
	AHPResult
	Applied bool
}

// ApplyAHP derives weights from the comparisons input returns (given the relocation's
// active criteria, as read under lock) and, when their consistency ratio is at most
// MaxConsistencyRatio, makes them the criteria's weights (eigenvector × 100), journaling
// each changed weight, the ratio and the comparisons (ComparisonsRecord), which the
// decision note quotes. Otherwise nothing
// changes. Errors: see relocation.Act; EINVALID when the comparisons do not cover the
// grid; input's.
func (s *Store) ApplyAHP(ctx context.Context, by relocation.Actor, relocationID int64, input func(cs []Criterion) ([]Comparison, error)) (AHPOutcome, error) {
	var out AHPOutcome
	err := relocation.Act(ctx, s.db, by, relocationID, func(tx *relocation.Tx) error {
		var cs []Criterion // the active ones: a criterion set aside takes no part in AHP
		if err := tx.Select(ctx, &cs, `SELECT `+criterionColumns+` FROM criteria WHERE relocation_id = $1 AND active ORDER BY id`, relocationID); err != nil {
			return relocation.DBError("criteria: ahp grid", err, "")
		}
		comps, err := input(cs)
		if err != nil {
			return err
		}
		ids := make([]int64, len(cs))
		for i, c := range cs {
			ids[i] = c.ID
		}
		res, err := AHP(ids, comps)
		var refused *InputError
		if errors.As(err, &refused) {
			return relocation.Invalid(relocation.FieldError{Field: "comparisons", Message: refused.Message})
		}
		if err != nil {
			return err
		}
		out = AHPOutcome{AHPResult: res}
		if res.ConsistencyRatio > MaxConsistencyRatio {
			return nil
		}
		out.Applied = true
		changed := false
		for _, c := range cs {
			w := res.Weights[c.ID] * 100
			if w == c.Weight {
				continue
			}
			if err := tx.Write(ctx, `UPDATE criteria SET weight = $2, version = version + 1, updated_at = now() WHERE id = $1`, c.ID, w); err != nil {
				return relocation.DBError("criteria: set weight", err, "")
			}
			if err := tx.Journal(ctx, EntityCriterion, c.ID, relocation.ActionUpdate,
				map[string]relocation.Change{"weight": {Before: c.Weight, After: w}}); err != nil {
				return err
			}
			changed = true
		}
		if !changed {
			return nil
		}
		return tx.Journal(ctx, EntityAHP, relocationID, relocation.ActionUpdate,
			map[string]relocation.Change{"consistency_ratio": {After: res.ConsistencyRatio},
				"comparisons": {After: ComparisonsRecord(comps)}})
	})
	return out, err
}

// ComparisonsRecord is how the journal keeps the comparisons of an applied weighting: one
// {"a", "b", "value"} object per comparison, in the order given (criterion ids, and how
// much more a matters than b); ReadComparisons reads it back.
func ComparisonsRecord(comps []Comparison) []map[string]any {
	out := make([]map[string]any, len(comps))
	for i, c := range comps {
		out[i] = map[string]any{"a": c.A, "b": c.B, "value": c.Value}
	}
	return out
}

// ReadComparisons reads the comparisons of a journal entry's value as ComparisonsRecord
// wrote them and JSON decoded them; ok is false when v is not such a record.
func ReadComparisons(v any) (comps []Comparison, ok bool) {
	list, ok := v.([]any)
	if !ok {
		return nil, false
	}
	for _, item := range list {
		m, _ := item.(map[string]any)
		a, okA := m["a"].(float64)
		b, okB := m["b"].(float64)
		value, okV := m["value"].(float64)
		if !okA || !okB || !okV {
			return nil, false
		}
		comps = append(comps, Comparison{A: int64(a), B: int64(b), Value: value})
	}
	return comps, true
}

// EntityAHP is the journal's name for a weighting by pairwise comparisons.
const EntityAHP = "ahp"
