package relocation

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/jmoiron/sqlx"
)

// The one path for every change.
//
// Every user action that changes a relocation or anything of it (milestones, sites,
// criteria, scores, weights, managers, the agents' roster) runs through Act, and so
// in one transaction that:
//
//  1. locks the relocation's row (SELECT … FOR NO KEY UPDATE) — always the first lock
//     an action takes, so that two actions on one relocation queue instead of
//     deadlocking, and actions on two relocations never wait on each other —, and
//  2. reads the actor's rights from the database, in the same statement (ActOn also
//     finds the relocation of the entity acted on there), and refuses the action when
//     they do not suffice;
//  3. runs the action (which reads what it changes, checks its version, validates the
//     input, writes and journals) through Tx, which offers reads, writes and the journal
//     and nothing else: an action that writes and does not journal fails (ErrUnjournaled)
//     and is rolled back;
//  4. commits, or rolls everything back on any error.
//
// The stamps drawn pages are kept under (relocations.revision, revisions.accounts) are
// raised by PostgreSQL inside the changing transaction, so that an action cannot forget
// them, and neither can a hand-made UPDATE: the triggers of migration 013 raise the
// revision of every relocation whose rows a statement changes. An action raises its own
// relocation's revision once, in the statement that ends it (finish: its journal lines,
// its public events and the revision together); the lock statement names that
// relocation in the transaction-local setting tracker.revised, and while it is set the
// triggers do not fire for that relocation's rows (migration 022), so that the action's
// statements do not each update the relocation's row again.
//
// Lock order of the whole program: the relocation row, then the rows of that
// relocation the action changes. Account actions (ui/account) never lock a relocation:
// they read the actor's row without a lock, lock the account they change (FOR UPDATE),
// take an advisory lock before a change that could remove an administrator, and their
// trigger raises the accounts' counter (revisions.accounts), which no relocation action
// writes; so the two orders cannot cross.

// Tx is one user action under way: who acts, the relocation it changes as read under
// lock, and the operations of its transaction (Get, Select, Write, WriteGet, Journal).
type Tx struct {
	tx         *sqlx.Tx
	By         Actor
	Relocation Relocation
	rights     rights
	wasPublic  bool // the relocation was public when the action began (public events)
	wrote      bool // the action wrote a row
	journaled  bool // the action journaled a change

	// What finish writes, in one statement with the revision: the writes left to the
	// end, the journal lines, the public events, and whether the public page changed.
	atEnd   []endWrite
	journal []JournalEntry
	events  []PublicEvent
	touched bool
	started time.Time // the transaction's now(): what now() writes in any of its rows
}

// Get reads one row into dest, in the action's transaction.
func (tx *Tx) Get(ctx context.Context, dest any, query string, args ...any) error {
	if changesRows(query) {
		return ErrWriteInRead
	}
	return tx.tx.GetContext(ctx, dest, query, args...)
}

// Select reads rows into dest, in the action's transaction.
func (tx *Tx) Select(ctx context.Context, dest any, query string, args ...any) error {
	if changesRows(query) {
		return ErrWriteInRead
	}
	return tx.tx.SelectContext(ctx, dest, query, args...)
}

// Write runs a statement that changes rows (INSERT, UPDATE, DELETE): the action must
// journal what it changes.
func (tx *Tx) Write(ctx context.Context, query string, args ...any) error {
	tx.wrote = true
	_, err := tx.tx.ExecContext(ctx, query, args...)
	return err
}

// WriteGet runs a statement that changes rows and returns one (… RETURNING) into dest:
// the action must journal what it changes.
func (tx *Tx) WriteGet(ctx context.Context, dest any, query string, args ...any) error {
	tx.wrote = true
	return tx.tx.GetContext(ctx, dest, query, args...)
}

// WriteSelect runs a statement that changes rows and returns them (… RETURNING) into
// dest: the action must journal what it changes.
func (tx *Tx) WriteSelect(ctx context.Context, dest any, query string, args ...any) error {
	tx.wrote = true
	return tx.tx.SelectContext(ctx, dest, query, args...)
}

// writeAtEnd leaves a statement that changes rows (INSERT, UPDATE, DELETE, without
// RETURNING) to the statement that ends the action, which runs it with the journal lines
// — one round trip fewer — so the action must not read what it changes (now() there is
// the transaction's time, started). It must change at least one row, not the relocations
// row (which that statement changes) and no row another write left to the end changes
// (one statement cannot change a row twice): the end statement fails otherwise
// (errEndWrite). The action must journal what it changes.
func (tx *Tx) writeAtEnd(query string, args ...any) {
	tx.wrote = true
	tx.atEnd = append(tx.atEnd, endWrite{query: query, args: args})
}

// Query reads rows, in the action's transaction (the caller closes them).
func (tx *Tx) Query(ctx context.Context, query string, args ...any) (*sqlx.Rows, error) {
	if changesRows(query) {
		return nil, ErrWriteInRead
	}
	return tx.tx.QueryxContext(ctx, query, args...)
}

// ErrWriteInRead is the internal error of a read method (Get, Select, Query) given a
// statement that changes rows: a bug, refused, since only the write methods make the
// action end by raising its relocation's revision (the triggers skip it meanwhile).
var ErrWriteInRead = errors.New("relocation: a read method was given a statement that changes rows: use Write")

// changesRows reports whether query changes rows: it begins with INSERT, UPDATE, DELETE,
// MERGE or TRUNCATE, or is a WITH whose parts insert, delete or update (a locking read,
// SELECT … FOR UPDATE, does not count).
func changesRows(query string) bool {
	rest := strings.TrimLeftFunc(query, func(r rune) bool { return unicode.IsSpace(r) || r == '(' })
	first := rest
	if end := strings.IndexFunc(rest, unicode.IsSpace); end >= 0 {
		first = rest[:end]
	}
	switch strings.ToUpper(first) {
	case "INSERT", "UPDATE", "DELETE", "MERGE", "TRUNCATE":
		return true
	case "WITH":
		fields := strings.Fields(rest)
		for i, f := range fields[1:] {
			switch strings.ToUpper(strings.TrimLeft(f, "(")) {
			case "INSERT", "DELETE", "MERGE":
				return true
			case "UPDATE": // UPDATE table [alias] SET, unlike FOR [NO KEY] UPDATE [OF …]
				after := fields[i+2:]
				for j := 0; j < len(after) && j < 3; j++ {
					if strings.EqualFold(after[j], "SET") {
						return true
					}
				}
			}
		}
	}
	return false
}

// reader is the transaction for helpers that read through a sqlx.QueryerContext.
func (tx *Tx) reader() sqlx.QueryerContext { return tx.tx }

// Journal records a change of the action's relocation, in its transaction.
func (tx *Tx) Journal(ctx context.Context, entity string, entityID int64, action string, changes map[string]Change) error {
	return tx.JournalAll(ctx, []JournalEntry{{Entity: entity, EntityID: entityID, Action: action, Changes: changes}})
}

// JournalEntry is one change JournalAll records.
type JournalEntry struct {
	Entity, Action string
	EntityID       int64
	Changes        map[string]Change
}

// JournalAll records several changes of the action's relocation, in its transaction and
// in their order (written when the action ends, with its revision).
func (tx *Tx) JournalAll(ctx context.Context, entries []JournalEntry) error {
	if len(entries) == 0 {
		return nil
	}
	tx.journaled = true
	tx.journal = append(tx.journal, entries...)
	return nil
}

// ErrUnjournaled is the internal error of an action that wrote rows without journaling
// them: a bug, refused so that nothing changes without a journal line.
var ErrUnjournaled = errors.New("relocation: an action wrote without journaling")

// finish ends the action's part: an action that wrote must have journaled; what it
// journaled is written, with its public events and its relocation's revision raised.
func (tx *Tx) finish(ctx context.Context) error {
	if tx.wrote && !tx.journaled {
		return ErrUnjournaled
	}
	if len(tx.atEnd) == 0 && len(tx.journal) == 0 && len(tx.events) == 0 && !tx.touched {
		return nil // nothing changed: the revision stays
	}
	return writeEnd(ctx, tx.tx, tx.By, tx.Relocation.ID, tx)
}

// RequireAdmin refuses the action (EFORBIDDEN) unless an administrator makes it.
func (tx *Tx) RequireAdmin() error {
	return tx.rights.refusal(func(r rights) bool { return r.admin }, errNotAdmin)
}

// maxAttempts is how many times an action runs when the database aborts it for a
// deadlock or a serialization failure before the caller is told to retry (EUNAVAILABLE).
const maxAttempts = 4

// Act runs fn as one user action of by on relocation relocationID (see above). fn may
// run more than once when the database aborts a try: it must not act outside the
// transaction. Errors: ENOTFOUND when the relocation does not exist, EUNAUTHORIZED or
// EFORBIDDEN when by may not change it, fn's own, EUNAVAILABLE when the database cannot
// serve.
func Act(ctx context.Context, db *sqlx.DB, by Actor, relocationID int64, fn func(tx *Tx) error) error {
	return act(ctx, db, by, "relocations", relocationID, relocationNotFound, entityRead{},
		func(tx *Tx, _ []struct{}) error { return fn(tx) })
}

// ActOn runs fn as one user action of by on the relocation that entity id of table
// belongs to ("milestones", "sites", "criteria", "partners": the program's own names,
// never user input), like Act. Errors: ENOTFOUND with notFound when there is no such
// entity; the others as Act's.
func ActOn(ctx context.Context, db *sqlx.DB, by Actor, table string, id int64, notFound string, fn func(tx *Tx) error) error {
	return act(ctx, db, by, table, id, notFound, entityRead{},
		func(tx *Tx, _ []struct{}) error { return fn(tx) })
}

// ActOnRow runs fn as one user action of by on the relocation that row id of table
// belongs to (see ActOn), with the row as read into a T (columns: T's, listed) by the
// statement that locks the relocation, and locked after it. Errors: ENOTFOUND with
// notFound when there is no such row; the others as Act's.
func ActOnRow[T any](ctx context.Context, db *sqlx.DB, by Actor, table, columns string, id int64, notFound string, fn func(tx *Tx, cur T) error) error {
	read := rowRead{table: table, columns: columns}
	return act(ctx, db, by, table, id, notFound, read, func(tx *Tx, rows []T) error { return fn(tx, rows[0]) })
}

// rowRead is ActOnRow's read: the row of table, its columns listed.
type rowRead struct{ table, columns string }

// entity is the entityRead of the row.
func (r rowRead) entity() entityRead {
	return entityRead{columns: aliased("e", r.columns), joins: ` JOIN ` + r.table + ` e ON e.id = $1 AND e.relocation_id = r.id`}
}

// entityRead is what the statement that locks the relocation also reads of the entity
// acted on: its table joined as e (locked too, after the relocation), maybe more tables
// joined to it, and their columns, each aliased "e.<name>" to fill the E of lockedRow.
type entityRead struct {
	columns string // select-list items: e.title AS "e.title", …
	joins   string // FROM items after relocations r: JOIN milestones e ON e.id = $1 AND …
	order   string // ORDER BY …, when joins give more than one row
}

// entity returns read itself (reads: entityRead, rowRead).
func (read entityRead) entity() entityRead { return read }

// reads is what the lock statement reads of the entity acted on, known by a comparable
// value so that each statement's text is made once (lockStatement).
type reads interface {
	comparable
	entity() entityRead
}

// lockStatements holds the text of each lock statement, by table and read: made at the
// first action of each kind, not at every action.
var lockStatements sync.Map // lockKey → string

type lockKey struct {
	table string
	read  any
}

// lockStatement returns the statement that finds, locks and reads the relocation (of
// entity $1 of table), the rights of account $2 on it, and what read reads.
func lockStatement[R reads](table string, read R) string {
	key := lockKey{table, read}
	if q, ok := lockStatements.Load(key); ok {
		return q.(string)
	}
	e := read.entity()
	target, lockOf := `$1`, `r`
	if table != "relocations" {
		target = `(SELECT relocation_id FROM ` + table + ` WHERE id = $1)`
	}
	if e.joins != "" {
		lockOf = `r, e` // in this order: the relocation's row is the first lock of every action
	}
	q := `SELECT ` + Qualified("r", relocationColumns) + `, ` + rightsColumns("u", "r.id") + `,
			set_config('tracker.revised', r.id::text, true) AS revised, now() AS started,
			r.revision AS locked_revision, (SELECT x.revision FROM relocations x WHERE x.id = r.id) AS read_revision` + e.columns + `
		FROM relocations r` + e.joins + ` LEFT JOIN users u ON u.id = $2
		WHERE r.id = ` + target + e.order + ` FOR NO KEY UPDATE OF ` + lockOf
	lockStatements.Store(key, q)
	return q
}

// lockedRow is one row of the statement that locks the relocation: the relocation, the
// actor's rights on it, the setting that names it to the triggers, and what entityRead
// reads.
type lockedRow[E any] struct {
	Relocation
	Role     *string   `db:"role"`
	Disabled *bool     `db:"disabled"`
	Assigned bool      `db:"assigned"`
	Revised  string    `db:"revised"` // tracker.revised, set (see above)
	Started  time.Time `db:"started"` // now()
	E        E         `db:"e"`

	// The relocation's revision as locked (the latest) and as the statement's snapshot
	// read it: they differ when the statement waited for the lock.
	LockedRevision int64 `db:"locked_revision"`
	ReadRevision   int64 `db:"read_revision"`
}

// act finds, locks and reads the relocation (of entity id of table), with the actor's
// rights on it and what read reads, in one statement, then runs fn as the action with
// the rows of read (one or more when read joins a table, else one empty).
func act[E any, R reads](ctx context.Context, db *sqlx.DB, by Actor, table string, id int64, notFound string, read R, fn func(tx *Tx, rows []E) error) error {
	query := lockStatement(table, read)
	return retry(ctx, func() error {
		return InTx(ctx, db, func(sqlTx *sqlx.Tx) error {
			var locked []lockedRow[E]
			err := sqlTx.SelectContext(ctx, &locked, query, id, by.UserID)
			if err == nil && len(locked) > 0 && locked[0].LockedRevision != locked[0].ReadRevision {
				// Another action committed on this relocation while this one waited for its
				// lock: PostgreSQL read the locked rows anew, but the others (rights,
				// history) as they were when the statement began. Read again, under the lock.
				locked = nil
				err = sqlTx.SelectContext(ctx, &locked, query, id, by.UserID)
			}
			if err == nil && len(locked) == 0 {
				err = sql.ErrNoRows
			}
			if err != nil {
				return DBError("relocation: lock", err, notFound)
			}
			row := locked[0]
			rs, err := rightsFrom(by, row.Role, row.Disabled, row.Assigned)
			if err != nil {
				return err
			}
			if err := rs.refusal(func(r rights) bool { return r.writes }, errNotAssigned); err != nil {
				return err
			}
			rows := make([]E, len(locked))
			for i := range locked {
				rows[i] = locked[i].E
			}
			r := row.Relocation
			tx := &Tx{tx: sqlTx, By: by, Relocation: r, rights: rs, wasPublic: r.Visibility == VisibilityPublic,
				started: row.Started}
			if err := fn(tx, rows); err != nil {
				return err
			}
			return tx.finish(ctx)
		})
	})
}

// actNew runs fn as the creation of a relocation by by, who must be an administrator
// or a manager (EFORBIDDEN otherwise). tx.Relocation is empty until fn fills it.
func actNew(ctx context.Context, db *sqlx.DB, by Actor, fn func(tx *Tx) error) error {
	return retry(ctx, func() error {
		return InTx(ctx, db, func(sqlTx *sqlx.Tx) error {
			rs, err := authorize(ctx, sqlTx, by, 0)
			if err != nil {
				return err
			}
			if err := rs.refusal(func(r rights) bool { return r.creator }, errNotCreator); err != nil {
				return err
			}
			tx := &Tx{tx: sqlTx, By: by, rights: rs}
			if err := fn(tx); err != nil {
				return err
			}
			return tx.finish(ctx)
		})
	})
}

// retry runs try until it succeeds, fails for another reason than a deadlock or a
// serialization failure, or has failed so maxAttempts times (then EUNAVAILABLE).
func retry(ctx context.Context, try func() error) error {
	var err error
	for attempt := 1; attempt <= maxAttempts; attempt++ {
		if err = try(); !isRetryable(err) || attempt == maxAttempts {
			break
		}
		select {
		case <-ctx.Done():
			return DBError("retry", ctx.Err(), "")
		case <-time.After(time.Duration(attempt*attempt) * 5 * time.Millisecond):
		}
	}
	if isRetryable(err) {
		return Wrap(ErrBusy, err)
	}
	return err
}

// ErrBusy is the EUNAVAILABLE refusal of an action the database kept aborting.
var ErrBusy = Errorf(EUNAVAILABLE, "Trop de modifications simultanées sur ce projet : réessayez dans un instant.")

// isRetryable reports whether err is a deadlock (40P01), a serialization failure (40001)
// or a kept statement whose plan a schema change made stale (0A000 « cached plan must not
// change result type »: the connection prepares it anew, see migrations.Keep).
func isRetryable(err error) bool {
	var state interface{ SQLState() string }
	if !errors.As(err, &state) {
		return false
	}
	switch state.SQLState() {
	case "40P01", "40001":
		return true
	case "0A000":
		e, ok := state.(error)
		return ok && strings.Contains(e.Error(), "cached plan")
	}
	return false
}

// InTx runs fn in a transaction of db, committed when fn returns nil.
func InTx(ctx context.Context, db *sqlx.DB, fn func(tx *sqlx.Tx) error) error {
	tx, err := db.BeginTxx(ctx, nil)
	if err != nil {
		return DBError("begin", err, "")
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return err
	}
	return DBError("commit", tx.Commit(), "")
}

// Snapshot runs fn over one read-only REPEATABLE READ transaction: the reads behind one
// page or one answer that combine several tables see one state of the database.
func Snapshot(ctx context.Context, db *sqlx.DB, fn func(q sqlx.QueryerContext) error) error {
	tx, err := db.BeginTxx(ctx, &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true})
	if err != nil {
		return DBError("snapshot: begin", err, "")
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return err
	}
	return DBError("snapshot: end", tx.Commit(), "")
}

// Revise is the first half of every update action: it checks pre against cur's version,
// runs edit over cur and returns what edit made and the fields that differ (none: the
// change changes nothing, and the action writes and journals nothing). fields is read
// from cur before edit runs, since edit's input may share cur's pointers.
func Revise[T any](pre Precondition, version int, cur T, fields func(T) Fields, edit func(T) (T, error)) (T, map[string]Change, error) {
	if err := pre.CheckVersion(version, true); err != nil {
		return cur, nil, err
	}
	before := fields(cur)
	next, err := edit(cur)
	if err != nil {
		return cur, nil, err
	}
	return next, Diff(before, fields(next)), nil
}
