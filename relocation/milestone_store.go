package relocation

import (
	"context"
	"fmt"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
)

const milestoneColumns = `id, relocation_id, kind, title, planned, baseline, actual, source, source_url,
	notes, public, version, created_at, updated_at`

const milestoneNotFound = "Ce jalon n’existe pas."

// milestoneOrder is the planned order of SPEC: planned start, then planned end, then id.
const milestoneOrder = ` ORDER BY planned_start, planned_end, id`

// Milestones returns a relocation's milestones in planned order, with their history
// (none for an unknown relocation: callers read the relocation first).
func (s *Store) Milestones(ctx context.Context, relocationID int64) ([]Milestone, error) {
	ms := []Milestone{}
	err := s.db.SelectContext(ctx, &ms, `SELECT `+milestoneColumns+` FROM milestones
		WHERE relocation_id = $1`+milestoneOrder, relocationID)
	if err != nil {
		return nil, DBError("milestone: list", err, "")
	}
	return ms, s.loadHistory(ctx, ms)
}

// MilestonesByRelocation returns every milestone, grouped by relocation id and in planned
// order, without history: what the portfolio needs, in one query.
func (s *Store) MilestonesByRelocation(ctx context.Context) (map[int64][]Milestone, error) {
	var ms []Milestone
	err := s.db.SelectContext(ctx, &ms, `SELECT `+milestoneColumns+` FROM milestones
		ORDER BY relocation_id, planned_start, planned_end, id`)
	if err != nil {
		return nil, DBError("milestone: list all", err, "")
	}
	out := map[int64][]Milestone{}
	for _, m := range ms {
		out[m.RelocationID] = append(out[m.RelocationID], m)
	}
	return out, nil
}

// Milestone returns one milestone with its history; ENOTFOUND when there is none.
func (s *Store) Milestone(ctx context.Context, id int64) (Milestone, error) {
	var m Milestone
	err := s.db.GetContext(ctx, &m, `SELECT `+milestoneColumns+` FROM milestones WHERE id = $1`, id)
	if err != nil {
		return m, DBError(fmt.Sprintf("milestone: get %d", id), err, milestoneNotFound)
	}
	ms := []Milestone{m}
	err = s.loadHistory(ctx, ms)
	return ms[0], err
}

// CreateMilestone stores a new milestone of m.RelocationID (ENOTFOUND when that
// relocation does not exist); its baseline is its planned date.
func (s *Store) CreateMilestone(ctx context.Context, by Actor, m Milestone) (Milestone, error) {
	var out Milestone
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		if _, err := LockRelocation(ctx, tx, m.RelocationID); err != nil {
			return err
		}
		err := tx.GetContext(ctx, &out, `INSERT INTO milestones (relocation_id, kind, title, planned,
			planned_start, planned_end, baseline, actual, source, source_url, notes, public)
			VALUES ($1, $2, $3, $4, $5, $6, $4, $7, $8, $9, $10, $11) RETURNING `+milestoneColumns,
			m.RelocationID, m.Kind, m.Title, m.Planned, m.Planned.Start(), m.Planned.End(),
			m.Actual, m.Source, m.SourceURL, m.Notes, m.Public)
		if err != nil {
			return DBError("milestone: create", err, "")
		}
		return WriteJournal(ctx, tx, by, out.RelocationID, EntityMilestone, out.ID, ActionCreate, Diff(nil, out.Fields()))
	})
	out.History = []PlannedChange{}
	return out, err
}

// UpdateMilestone replaces the editable fields of milestone id with those of next,
// provided the stored version is still version (EPRECONDITION otherwise). A change of
// the planned date is added to the history with reason. A change that changes nothing
// returns the stored milestone untouched.
func (s *Store) UpdateMilestone(ctx context.Context, by Actor, id int64, version int, next Milestone, reason string) (Milestone, error) {
	var cur, out Milestone
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		err := tx.GetContext(ctx, &cur, `SELECT `+milestoneColumns+` FROM milestones WHERE id = $1 FOR UPDATE`, id)
		if err != nil {
			return DBError(fmt.Sprintf("milestone: lock %d", id), err, milestoneNotFound)
		}
		if cur.Version != version {
			return StaleVersion(cur.Version)
		}
		changes := Diff(cur.Fields(), next.Fields())
		if len(changes) == 0 {
			out = cur
			return nil
		}
		m := next
		err = tx.GetContext(ctx, &out, `UPDATE milestones SET kind = $2, title = $3, planned = $4,
			planned_start = $5, planned_end = $6, actual = $7, source = $8, source_url = $9, notes = $10,
			public = $11, version = version + 1, updated_at = now() WHERE id = $1 RETURNING `+milestoneColumns,
			id, m.Kind, m.Title, m.Planned, m.Planned.Start(), m.Planned.End(), m.Actual, m.Source,
			m.SourceURL, m.Notes, m.Public)
		if err != nil {
			return DBError(fmt.Sprintf("milestone: update %d", id), err, milestoneNotFound)
		}
		if cur.Planned != out.Planned {
			_, err = tx.ExecContext(ctx, `INSERT INTO milestone_history (milestone_id, from_value, to_value, by, reason)
				VALUES ($1, $2, $3, $4, $5)`, id, cur.Planned, out.Planned, by.Name, reason)
			if err != nil {
				return DBError("milestone: history", err, "")
			}
			if reason != "" {
				changes["reason"] = Change{After: reason}
			}
		}
		return WriteJournal(ctx, tx, by, out.RelocationID, EntityMilestone, id, ActionUpdate, changes)
	})
	if err != nil {
		return out, err
	}
	ms := []Milestone{out}
	err = s.loadHistory(ctx, ms)
	return ms[0], err
}

// DeleteMilestone removes milestone id (and its history), provided the stored version
// is still version; the journal keeps its last values.
func (s *Store) DeleteMilestone(ctx context.Context, by Actor, id int64, version int) error {
	return s.inTx(ctx, func(tx *sqlx.Tx) error {
		var cur Milestone
		err := tx.GetContext(ctx, &cur, `SELECT `+milestoneColumns+` FROM milestones WHERE id = $1 FOR UPDATE`, id)
		if err != nil {
			return DBError(fmt.Sprintf("milestone: lock %d", id), err, milestoneNotFound)
		}
		if cur.Version != version {
			return StaleVersion(cur.Version)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM milestones WHERE id = $1`, id); err != nil {
			return DBError(fmt.Sprintf("milestone: delete %d", id), err, milestoneNotFound)
		}
		return WriteJournal(ctx, tx, by, cur.RelocationID, EntityMilestone, id, ActionDelete, Diff(cur.Fields(), nil))
	})
}

// loadHistory fills the History of each milestone with one query.
func (s *Store) loadHistory(ctx context.Context, ms []Milestone) error {
	if len(ms) == 0 {
		return nil
	}
	ids := make([]int64, len(ms))
	index := make(map[int64]int, len(ms))
	for i := range ms {
		ids[i] = ms[i].ID
		index[ms[i].ID] = i
		ms[i].History = []PlannedChange{}
	}
	var changes []PlannedChange
	err := s.db.SelectContext(ctx, &changes, `SELECT milestone_id, from_value, to_value, at, by, reason
		FROM milestone_history WHERE milestone_id = ANY($1) ORDER BY id`, pq.Array(ids))
	if err != nil {
		return DBError("milestone: history", err, "")
	}
	for _, c := range changes {
		i := index[c.MilestoneID]
		ms[i].History = append(ms[i].History, c)
	}
	return nil
}
