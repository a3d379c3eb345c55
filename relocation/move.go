package relocation

import (
	"context"
	"fmt"
)

// One move date (SPEC, Relocation). A relocation has at most one milestone of kind move
// (the partial unique index milestones_one_move: a second answers ECONFLICT); while it
// exists, the relocation's target_move is that milestone's planned date. Every action
// that changes one changes the other in the same transaction, journaled once per
// entity, both versions raised, and the news feed tells the change once (as the target
// move, with the re-plan's reason).

// KindMove is the kind of the milestone that holds a relocation's move date.
const KindMove = "move"

// followMove makes the action's relocation's target move the move milestone's planned
// date, when they differ: the relocation's version rises, the journal and the feed say
// it once, with reason.
func (tx *Tx) followMove(ctx context.Context, planned FuzzyDate, reason string) error {
	cur := tx.Relocation
	if cur.TargetMove == planned {
		return nil
	}
	var out Relocation
	err := tx.WriteGet(ctx, &out, `UPDATE relocations SET target_move = $2, version = version + 1,
		updated_at = now() WHERE id = $1 RETURNING `+relocationColumns, cur.ID, planned)
	if err != nil {
		return DBError(fmt.Sprintf("relocation: follow move %d", cur.ID), err, relocationNotFound)
	}
	tx.Relocation = out
	if err := tx.Journal(ctx, EntityRelocation, cur.ID, ActionUpdate,
		map[string]Change{"target_move": {Before: cur.TargetMove.String(), After: planned.String()}}); err != nil {
		return err
	}
	return tx.targetMoveEvent(ctx, cur.TargetMove, planned, reason)
}

// moveMilestone reads the action's relocation's move milestone; ok is false when it has
// none.
func (tx *Tx) moveMilestone(ctx context.Context) (m Milestone, ok bool, err error) {
	var ms []Milestone
	err = tx.Select(ctx, &ms, `SELECT `+milestoneColumns+` FROM milestones WHERE relocation_id = $1 AND kind = $2`,
		tx.Relocation.ID, KindMove)
	if err != nil || len(ms) == 0 {
		return Milestone{}, false, DBError("milestone: move", err, "")
	}
	return ms[0], true, nil
}

// replanMove makes the action's relocation's move milestone (if any) planned for to,
// after a change of the relocation's target move: the milestone's history records it
// with reason, its version rises, the journal records it. The feed's entry is the
// relocation's.
func (tx *Tx) replanMove(ctx context.Context, to FuzzyDate, reason string) error {
	cur, ok, err := tx.moveMilestone(ctx)
	if err != nil || !ok || cur.Planned == to {
		return err
	}
	err = tx.Write(ctx, `UPDATE milestones SET planned = $2, planned_start = $3, planned_end = $4,
		version = version + 1, updated_at = now() WHERE id = $1`, cur.ID, to, to.Start(), to.End())
	if err != nil {
		return DBError(fmt.Sprintf("milestone: replan move %d", cur.ID), err, MilestoneNotFound)
	}
	if _, err := tx.writeHistory(ctx, cur.ID, cur.Planned, to, reason); err != nil {
		return err
	}
	changes := map[string]Change{"planned": {Before: cur.Planned.String(), After: to.String()}}
	if reason != "" {
		changes["reason"] = Change{After: reason}
	}
	return tx.Journal(ctx, EntityMilestone, cur.ID, ActionUpdate, changes)
}

// writeHistory records a change of milestone id's planned date, with reason, and
// returns it as the milestone's history shows it.
func (tx *Tx) writeHistory(ctx context.Context, id int64, from, to FuzzyDate, reason string) (PlannedChange, error) {
	change := PlannedChange{MilestoneID: id, From: from, To: to, By: tx.By.Name, Reason: reason}
	err := tx.WriteGet(ctx, &change.At, `INSERT INTO milestone_history (milestone_id, from_value, to_value, by, reason)
		VALUES ($1, $2, $3, $4, $5) RETURNING at`, id, from, to, tx.By.Name, reason)
	return change, DBError("milestone: history", err, "")
}

// MoveDone returns the date the move happened (the move milestone's actual date), or
// nil while it has not: pages then say « déménagé le … » instead of the target.
func MoveDone(ms []Milestone) *Date {
	for _, m := range ms {
		if m.Kind == KindMove && !m.Actual.IsZero() {
			d := m.Actual
			return &d
		}
	}
	return nil
}
