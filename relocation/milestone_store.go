package relocation

import (
	"context"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
)

const milestoneColumns = `id, relocation_id, kind, title, planned, baseline, actual, source, source_url,
	notes, public, version, created_at, updated_at`

// MilestoneNotFound is the refusal of a milestone that does not exist.
const MilestoneNotFound = "Ce jalon n’existe pas."

// milestoneOrder is the planned order of SPEC: planned start, then planned end, then id.
const milestoneOrder = ` ORDER BY planned_start, planned_end, id`

// Milestones returns a relocation's milestones in planned order, with their history
// (none for an unknown relocation: callers read the relocation first).
func (s *Store) Milestones(ctx context.Context, relocationID int64) ([]Milestone, error) {
	ms := []Milestone{}
	err := sqlx.SelectContext(ctx, s.q, &ms, `SELECT `+milestoneColumns+` FROM milestones
		WHERE relocation_id = $1`+milestoneOrder, relocationID)
	if err != nil {
		return nil, DBError("milestone: list", err, "")
	}
	return ms, s.loadHistory(ctx, ms)
}

// Milestone returns one milestone with its history; ENOTFOUND when there is none.
func (s *Store) Milestone(ctx context.Context, id int64) (Milestone, error) {
	var m Milestone
	err := sqlx.GetContext(ctx, s.q, &m, `SELECT `+milestoneColumns+` FROM milestones WHERE id = $1`, id)
	if err != nil {
		return m, DBError(fmt.Sprintf("milestone: get %d", id), err, MilestoneNotFound)
	}
	ms := []Milestone{m}
	err = s.loadHistory(ctx, ms)
	return ms[0], err
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
	err := sqlx.SelectContext(ctx, s.q, &changes, `SELECT milestone_id, from_value, to_value, at, by, reason
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

// milestoneWithHistory is what the statement locking a milestone's relocation reads of
// the milestone and its history (milestoneRead): a row per change, the milestone's
// columns on each; one row with no change when it has none.
type milestoneWithHistory struct {
	Milestone
	From   *FuzzyDate `db:"h_from"`
	To     *FuzzyDate `db:"h_to"`
	At     *time.Time `db:"h_at"`
	By     *string    `db:"h_by"`
	Reason *string    `db:"h_reason"`
}

// milestoneRead reads milestone $1 and its history with the lock of its relocation.
var milestoneRead = entityRead{
	columns: aliased("e", milestoneColumns) + `, h.from_value AS "e.h_from", h.to_value AS "e.h_to",
		h.at AS "e.h_at", h.by AS "e.h_by", h.reason AS "e.h_reason"`,
	joins: ` JOIN milestones e ON e.id = $1 AND e.relocation_id = r.id
		LEFT JOIN milestone_history h ON h.milestone_id = e.id`,
	order: ` ORDER BY h.id`,
}

// withHistory returns the milestone of rows with its history, oldest first.
func withHistory(rows []milestoneWithHistory) Milestone {
	m := rows[0].Milestone
	m.History = []PlannedChange{}
	for _, r := range rows {
		if r.At != nil {
			m.History = append(m.History, PlannedChange{MilestoneID: m.ID, From: *r.From, To: *r.To,
				At: *r.At, By: *r.By, Reason: *r.Reason})
		}
	}
	return m
}
