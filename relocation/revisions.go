package relocation

import (
	"context"
	"sync"

	"github.com/jmoiron/sqlx"
)

// Stamp is what a page drawn from one relocation depends on, as one account sees it:
// two reads that give the same Stamp (and the same day) draw the same page. Revision
// and Accounts only grow, inside the transactions that change what they count: the
// database's triggers raise them (migration 013), whoever changes a row.
type Stamp struct {
	Revision int64 `db:"revision"` // the relocation's: every action on it raises it
	Accounts int64 `db:"accounts"` // every account change raises it (names show on pages)
	Writes   bool  `db:"-"`        // the account may change the relocation (forms, buttons)
	Admin    bool  `db:"-"`        // the account is an administrator
}

// Stamp reads relocation id's stamp for account by in one prepared statement:
// ENOTFOUND when there is no such relocation. Writes and Admin follow authorize.
func (s *Store) Stamp(ctx context.Context, by Actor, id int64) (Stamp, error) {
	st, _, err := s.StampOf(ctx, by, "relocations", id, relocationNotFound)
	return st, err
}

// StampOf reads, in one prepared statement, the stamp of entity id of table for by:
// "relocations", or a table of a relocation's entities ("sites", "criteria",
// "milestones": the program's own names, never user input), whose relocation's stamp
// it is; and the relocation's id. ENOTFOUND with notFound (for a relocation, its own
// message) when there is no such entity.
func (s *Store) StampOf(ctx context.Context, by Actor, table string, id int64, notFound string) (Stamp, int64, error) {
	relocation := `(SELECT relocation_id FROM ` + table + ` WHERE id = $1)`
	if table == "relocations" {
		relocation, notFound = `$1`, relocationNotFound
	}
	s.prep.mu.Lock()
	p, ok := s.prep.stamps[table]
	if !ok {
		p = &Prepared{}
		s.prep.stamps[table] = p
	}
	s.prep.mu.Unlock()
	stmt, err := p.Get(ctx, s.db, `SELECT r.id, r.revision, v.accounts, `+rightsColumns("u", "r.id")+`
		FROM relocations r CROSS JOIN revisions v LEFT JOIN users u ON u.id = $2
		WHERE r.id = `+relocation)
	if err != nil {
		return Stamp{}, 0, err
	}
	var row struct {
		Stamp
		ID       int64   `db:"id"`
		Role     *string `db:"role"`
		Disabled *bool   `db:"disabled"`
		Assigned bool    `db:"assigned"`
	}
	if err := stmt.GetContext(ctx, &row, id, by.UserID); err != nil {
		return Stamp{}, 0, DBError("relocation: stamp", err, notFound)
	}
	if rs, err := rightsFrom(by, row.Role, row.Disabled, row.Assigned); err == nil {
		row.Writes, row.Admin = rs.writes, rs.admin
	} // else no account any more: no rights, as the zero Stamp says
	return row.Stamp, row.ID, nil
}

// ChangeCount reads a number that grows with every change of any relocation: the sum of
// their revisions (each only grows, and relocations are never deleted). It is what the
// portfolio is drawn from; no row is written by every action to keep it.
func (s *Store) ChangeCount(ctx context.Context) (int64, error) {
	stmt, err := s.prep.changes.Get(ctx, s.db, `SELECT coalesce(sum(revision), 0)::bigint FROM relocations`)
	if err != nil {
		return 0, err
	}
	var n int64
	return n, DBError("relocation: change count", stmt.GetContext(ctx, &n), "")
}

// Prepared is a statement prepared on first use and kept (database/sql prepares it
// again on each connection that needs it). A failed preparation is not kept.
type Prepared struct {
	mu   sync.Mutex
	stmt *sqlx.Stmt
}

// Get returns the statement of query, preparing it on db the first time: query must be
// the same at every call of one Prepared.
func (p *Prepared) Get(ctx context.Context, db *sqlx.DB, query string) (*sqlx.Stmt, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.stmt == nil {
		stmt, err := db.PreparexContext(ctx, query)
		if err != nil {
			return nil, DBError("prepare", err, "")
		}
		p.stmt = stmt
	}
	return p.stmt, nil
}
