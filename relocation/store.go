package relocation

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"github.com/jmoiron/sqlx"
)

// Store reads relocations, milestones, their managers and the journal from PostgreSQL,
// and runs the user actions that change them (actions.go), each through Act.
type Store struct {
	db    *sqlx.DB
	q     sqlx.QueryerContext // where reads run: the pool, or a snapshot (see In)
	hooks Hooks
	prep  *statements // prepared once, shared by the copies In makes
}

// statements are the store's prepared statements: the reads every request makes.
type statements struct {
	changes, relocation Prepared

	mu     sync.Mutex
	stamps map[string]*Prepared // StampOf's, by table
}

// Hooks are the rules of the rooms above this one that a change of a relocation must
// keep, run inside its transaction, whoever makes the change (API, page or demo). Build
// the store with criteria.NewRelocationStore, which sets them all.
type Hooks struct {
	// Created completes a new relocation (the criteria room gives it its default grid).
	Created func(ctx context.Context, tx *Tx) error
	// Updated follows a change of a relocation from before to tx.Relocation (the sites
	// room recomputes the commute figures when the origin or the settings change).
	Updated func(ctx context.Context, tx *Tx, before Relocation) error
}

// NewStore returns a store over db running hooks (the zero Hooks for none).
func NewStore(db *sqlx.DB, hooks Hooks) *Store {
	return &Store{db: db, q: db, hooks: hooks, prep: &statements{stamps: map[string]*Prepared{}}}
}

// In returns the store reading over q (a Snapshot, say); its actions still use the pool.
func (s *Store) In(q sqlx.QueryerContext) *Store {
	c := *s
	c.q = q
	return &c
}

// DB returns the pool the store uses (tests reach the database through it).
func (s *Store) DB() *sqlx.DB { return s.db }

// Relocations returns every relocation, ordered by name.
func (s *Store) Relocations(ctx context.Context) ([]Relocation, error) {
	out := []Relocation{}
	err := sqlx.SelectContext(ctx, s.q, &out, `SELECT `+relocationColumns+` FROM relocations ORDER BY name, id`)
	return out, DBError("relocation: list", err, "")
}

// Relocation returns one relocation; ENOTFOUND when there is none.
func (s *Store) Relocation(ctx context.Context, id int64) (Relocation, error) {
	var r Relocation
	query := `SELECT ` + relocationColumns + ` FROM relocations WHERE id = $1`
	var err error
	if s.q == sqlx.QueryerContext(s.db) { // the pool: the API's most frequent read, prepared
		var stmt *sqlx.Stmt
		if stmt, err = s.prep.relocation.Get(ctx, s.db, query); err == nil {
			err = stmt.GetContext(ctx, &r, id)
		}
	} else {
		err = sqlx.GetContext(ctx, s.q, &r, query, id)
	}
	return r, DBError(fmt.Sprintf("relocation: get %d", id), err, relocationNotFound)
}

// RelocationBySlug returns the relocation with this slug; ENOTFOUND when there is none.
func (s *Store) RelocationBySlug(ctx context.Context, slug string) (Relocation, error) {
	var r Relocation
	err := sqlx.GetContext(ctx, s.q, &r, `SELECT `+relocationColumns+` FROM relocations WHERE slug = $1`, slug)
	return r, DBError("relocation: by slug", err, relocationNotFound)
}

// Qualified qualifies a column list with a table alias: "a, b" → "t.a, t.b".
func Qualified(alias, columns string) string {
	cols := strings.Split(columns, ",")
	for i, c := range cols {
		cols[i] = alias + "." + strings.TrimSpace(c)
	}
	return strings.Join(cols, ", ")
}

// aliased returns columns (a list as relocationColumns) read from the table aliased
// alias, each named alias.column: alias.id AS "alias.id", … (sqlx fills a struct field
// tagged db:"alias" from them).
func aliased(alias, columns string) string {
	var b strings.Builder
	for _, c := range strings.Split(columns, ",") {
		c = strings.TrimSpace(c)
		fmt.Fprintf(&b, `, %s.%s AS "%s.%s"`, alias, c, alias, c)
	}
	return b.String()
}
