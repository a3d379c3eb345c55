package dbtest

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/jmoiron/sqlx"
)

// inListPattern is how PostgreSQL writes back `CHECK (col IN ('a', 'b'))` on a text
// column: `CHECK ((col = ANY (ARRAY['a'::text, 'b'::text])))`.
var inListPattern = regexp.MustCompile(`^CHECK \(\("?([A-Za-z_][A-Za-z0-9_]*)"? = ANY \(ARRAY\[(.*)\]\)\)\)$`)

// literalPattern is one element of that array: a quoted literal (a doubled quote is one
// quote) cast to text.
var literalPattern = regexp.MustCompile(`'((?:[^']|'')*)'::text`)

// ParseInList reads a constraint definition as pg_get_constraintdef writes it back and,
// when it is exactly an allowed-values list `CHECK (col IN (...))` on a text column,
// returns the column and the values in the order written. ok is false for any other
// constraint (a range, a pattern, `NOT IN`, a list combined with another condition).
func ParseInList(def string) (column string, values []string, ok bool) {
	m := inListPattern.FindStringSubmatch(def)
	if m == nil {
		return "", nil, false
	}
	for _, lit := range literalPattern.FindAllStringSubmatch(m[2], -1) {
		values = append(values, strings.ReplaceAll(lit[1], "''", "'"))
	}
	// Anything left between the literals but commas means this is no plain list.
	if rest := literalPattern.ReplaceAllString(m[2], ""); strings.Trim(rest, ", ") != "" || len(values) == 0 {
		return "", nil, false
	}
	return m[1], values, true
}

// InLists returns every allowed-values list the current schema's CHECK constraints hold,
// by "table.column" (e.g. "sites.kind"), as ParseInList reads them. It fails when a column
// has two such lists.
func InLists(ctx context.Context, db *sqlx.DB) (map[string][]string, error) {
	var rows []struct {
		Table string `db:"tbl"`
		Def   string `db:"def"`
	}
	err := db.SelectContext(ctx, &rows, `SELECT r.relname AS tbl, pg_get_constraintdef(c.oid) AS def
		FROM pg_constraint c
		JOIN pg_class r ON r.oid = c.conrelid
		JOIN pg_namespace n ON n.oid = c.connamespace
		WHERE c.contype = 'c' AND n.nspname = current_schema()`)
	if err != nil {
		return nil, fmt.Errorf("dbtest: read check constraints: %w", err)
	}
	lists := map[string][]string{}
	for _, r := range rows {
		col, values, ok := ParseInList(r.Def)
		if !ok {
			continue
		}
		key := r.Table + "." + col
		if _, dup := lists[key]; dup {
			return nil, fmt.Errorf("dbtest: %s has two allowed-values lists", key)
		}
		lists[key] = values
	}
	return lists, nil
}

// DiffValues compares the values the database allows in column with those Go allows, as
// sets, and returns nil when they agree, else an error naming the column and the values
// each side allows that the other does not.
func DiffValues(column string, database, goValues []string) error {
	onlyDB, onlyGo := missing(database, goValues), missing(goValues, database)
	if len(onlyDB) == 0 && len(onlyGo) == 0 {
		return nil
	}
	return fmt.Errorf("%s: the database CHECK allows %q that Go does not; Go allows %q that the database CHECK does not",
		column, onlyDB, onlyGo)
}

// missing returns the values of a that b lacks, sorted, each once.
func missing(a, b []string) []string {
	out := []string{}
	for _, v := range a {
		if !slices.Contains(b, v) && !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	slices.Sort(out)
	return out
}
