package relocation

import (
	"context"
	"fmt"

	"github.com/jmoiron/sqlx"
)

// Rows is a table whose rows belong to one relocation (sites, partners, criteria), read
// as T: the reads and the journaled writes every such table shares. Its writes are
// actions (Create, Change, Delete), or run in one (Insert, Update), under the
// relocation's lock.
type Rows[T Row] struct {
	Table    string // "partners"
	Columns  string // the columns T is read from
	Entity   string // the journal's name of a row: "partner"
	NotFound string // the message of ENOTFOUND for a row that does not exist
}

// Row is a row of Rows: its id, its version, and its fields as the journal records
// them.
type Row interface {
	RowID() int64
	RowVersion() int
	Fields() Fields
}

// List returns relocation relocationID's rows by id (the order they were entered),
// read over q.
func (r Rows[T]) List(ctx context.Context, q sqlx.QueryerContext, relocationID int64) ([]T, error) {
	out := []T{}
	err := sqlx.SelectContext(ctx, q, &out, `SELECT `+r.Columns+` FROM `+r.Table+` WHERE relocation_id = $1 ORDER BY id`, relocationID)
	return out, DBError(r.Table+": list", err, "")
}

// Get returns row id, read over q; ENOTFOUND when there is none.
func (r Rows[T]) Get(ctx context.Context, q sqlx.QueryerContext, id int64) (T, error) {
	var out T
	err := sqlx.GetContext(ctx, q, &out, `SELECT `+r.Columns+` FROM `+r.Table+` WHERE id = $1`, id)
	return out, DBError(fmt.Sprintf("%s: get %d", r.Table, id), err, r.NotFound)
}

// Create runs, as an action on relocation relocationID, input under the lock, then
// write with what input returned (write inserts it: Insert); it returns the row
// written. Errors: see Act; input's and write's.
func (r Rows[T]) Create(ctx context.Context, db *sqlx.DB, by Actor, relocationID int64, input func() (T, error), write func(tx *Tx, in T) (T, error)) (T, error) {
	var out T
	err := Act(ctx, db, by, relocationID, func(tx *Tx) error {
		in, err := input()
		if err != nil {
			return err
		}
		out, err = write(tx, in)
		return err
	})
	return out, err
}

// Insert runs query, an INSERT of one row … RETURNING r.Columns, and journals the
// row's creation.
func (r Rows[T]) Insert(ctx context.Context, tx *Tx, query string, args ...any) (T, error) {
	var out T
	if err := tx.WriteGet(ctx, &out, query, args...); err != nil {
		return out, DBError(r.Table+": create", err, "")
	}
	return out, tx.Journal(ctx, r.Entity, out.RowID(), ActionCreate, Diff(nil, out.Fields()))
}

// Change runs, as an action on row id's relocation with the row as read under its lock,
// edit over the row provided pre holds (Revise), then write with the row before and
// after and the fields that differ (write updates it: Update). A change that changes
// nothing returns the row as it is, writing and journaling nothing. Errors: ENOTFOUND;
// see Act; EPRECONDREQ/EPRECONDITION; edit's and write's.
func (r Rows[T]) Change(ctx context.Context, db *sqlx.DB, by Actor, id int64, pre Precondition, edit func(cur T) (T, error),
	write func(tx *Tx, cur, next T, changes map[string]Change) (T, error)) (T, error) {
	var out T
	err := ActOnRow(ctx, db, by, r.Table, r.Columns, id, r.NotFound, func(tx *Tx, cur T) error {
		next, changes, err := Revise(pre, cur.RowVersion(), cur, T.Fields, edit)
		if err != nil {
			return err
		}
		if len(changes) == 0 {
			out = cur
			return nil
		}
		out, err = write(tx, cur, next, changes)
		return err
	})
	return out, err
}

// Update runs query, the UPDATE of row id … RETURNING r.Columns, and journals changes.
func (r Rows[T]) Update(ctx context.Context, tx *Tx, id int64, changes map[string]Change, query string, args ...any) (T, error) {
	var out T
	if err := tx.WriteGet(ctx, &out, query, args...); err != nil {
		return out, DBError(fmt.Sprintf("%s: update %d", r.Table, id), err, r.NotFound)
	}
	return out, tx.Journal(ctx, r.Entity, id, ActionUpdate, changes)
}

// Delete removes row id, provided pre holds, as an action on its relocation; the
// journal keeps its last values. Errors: ENOTFOUND; see Act; EPRECONDREQ/EPRECONDITION.
func (r Rows[T]) Delete(ctx context.Context, db *sqlx.DB, by Actor, id int64, pre Precondition) error {
	return ActOnRow(ctx, db, by, r.Table, r.Columns, id, r.NotFound, func(tx *Tx, cur T) error {
		if err := pre.CheckVersion(cur.RowVersion(), true); err != nil {
			return err
		}
		if err := tx.Write(ctx, `DELETE FROM `+r.Table+` WHERE id = $1`, id); err != nil {
			return DBError(fmt.Sprintf("%s: delete %d", r.Table, id), err, r.NotFound)
		}
		return tx.Journal(ctx, r.Entity, id, ActionDelete, Diff(cur.Fields(), nil))
	})
}
