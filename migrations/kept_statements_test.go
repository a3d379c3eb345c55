package migrations_test

import (
	"context"
	"errors"
	"reflect"
	"testing"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/ministere/tracker/migrations"
	"github.com/ministere/tracker/migrations/dbtest"
)

// keptStatements lists the statements the session of conn holds prepared.
func keptStatements(t *testing.T, ctx context.Context, conn *sqlx.Conn) []string {
	t.Helper()
	var qs []string
	if err := conn.SelectContext(ctx, &qs, `SELECT statement FROM pg_prepared_statements ORDER BY prepare_time, statement`); err != nil {
		t.Fatal(err)
	}
	return qs
}

// TestKeptStatements: a query with parameters is prepared on its connection at its
// second run and then reused; a query without parameters or seen once is not; the
// least recently used is closed past the size; a statement whose plan an ALTER TABLE
// made stale fails once, then is prepared anew.
func TestKeptStatements(t *testing.T) {
	ctx := ctxFor(t)
	_, url := dbtest.OpenEmpty(t)
	db, err := migrations.Open(url, 2)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	conn, err := db.Connx(ctx) // one connection: what it prepares is what pg_prepared_statements shows
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `CREATE TABLE t (id int PRIMARY KEY, a text); INSERT INTO t VALUES (1, 'un'), (2, 'deux')`); err != nil {
		t.Fatal(err)
	}
	const q1, q2, q3 = `SELECT a FROM t WHERE id = $1`, `SELECT id FROM t WHERE a = $1`, `SELECT * FROM t WHERE id = $1`
	run := func(q string, arg any) {
		t.Helper()
		var dest []any
		rows, err := conn.QueryxContext(ctx, q, arg)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		for rows.Next() {
			row, err := rows.SliceScan()
			if err != nil {
				t.Fatal(err)
			}
			dest = append(dest, row...)
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		if len(dest) == 0 {
			t.Fatalf("%s(%v): no row", q, arg)
		}
	}

	run(q1, 1)
	if got := keptStatements(t, ctx, conn); len(got) != 0 {
		t.Fatalf("after one run: prepared %q, want none", got)
	}
	run(q1, 2)
	run(q1, 1)
	if got := keptStatements(t, ctx, conn); len(got) != 1 || got[0] != q1 {
		t.Fatalf("after three runs: prepared %q, want [%q] once", got, q1)
	}
	var n int
	if err := conn.GetContext(ctx, &n, `SELECT count(*) FROM t`); err != nil || n != 2 {
		t.Fatalf("count = %d, %v", n, err)
	}
	if err := conn.GetContext(ctx, &n, `SELECT count(*) FROM t`); err != nil || n != 2 {
		t.Fatalf("count = %d, %v", n, err)
	}
	run(q2, "un")
	run(q2, "deux")
	run(q3, 1)
	run(q3, 2) // the third kept statement: q1, the least recently used, is closed
	got := keptStatements(t, ctx, conn)
	if len(got) != 2 || got[0] != q2 || got[1] != q3 {
		t.Fatalf("past the size: prepared %q, want [%q %q]", got, q2, q3)
	}

	if _, err := conn.ExecContext(ctx, `ALTER TABLE t ADD COLUMN b int`); err != nil {
		t.Fatal(err)
	}
	// Outside a transaction the stale statement is run again, unprepared: no error.
	var cols []string
	rows, err := conn.QueryxContext(ctx, q3, 1)
	if err != nil {
		t.Fatalf("the stale statement outside a transaction: %v", err)
	}
	cols, err = rows.Columns()
	rows.Close()
	if err != nil || len(cols) != 3 {
		t.Fatalf("columns after ALTER TABLE: %q, %v; want id, a, b", cols, err)
	}
	run(q3, 1) // seen again: prepared anew
	run(q3, 2)
	if got := keptStatements(t, ctx, conn); len(got) != 2 {
		t.Fatalf("after the stale one: prepared %q", got)
	}

	// Inside a transaction the error is the caller's (the transaction is aborted).
	if _, err := conn.ExecContext(ctx, `ALTER TABLE t ADD COLUMN c int`); err != nil {
		t.Fatal(err)
	}
	tx, err := conn.BeginTxx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	_, err = tx.QueryxContext(ctx, q3, 1)
	var pqErr *pq.Error
	if !errors.As(err, &pqErr) || pqErr.Code != "0A000" {
		t.Fatalf("the stale statement in a transaction: %v, want 0A000 (cached plan must not change result type)", err)
	}
	tx.Rollback()
	run(q3, 1) // forgotten (and closed after the rollback), then seen again: prepared anew
	run(q3, 2)
	if got := keptStatements(t, ctx, conn); len(got) != 2 {
		t.Fatalf("after the stale one in a transaction: prepared %q", got)
	}
}

// TestKeptStatementsOff: size 0 prepares nothing.
func TestKeptStatementsOff(t *testing.T) {
	ctx := ctxFor(t)
	_, url := dbtest.OpenEmpty(t)
	db, err := migrations.Open(url, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	conn, err := db.Connx(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	for i := 0; i < 3; i++ {
		var n int
		if err := conn.GetContext(ctx, &n, `SELECT $1::int + 1`, i); err != nil || n != i+1 {
			t.Fatalf("%d: %d, %v", i, n, err)
		}
	}
	if got := keptStatements(t, ctx, conn); len(got) != 0 {
		t.Fatalf("prepared %q, want none", got)
	}
}

// TestKeptStatementsGiveTheSameAnswers: in a transaction, a kept statement answers the
// values an unprepared run gives (text, numbers, NULL, arrays, timestamps), and a
// statement sent while another's rows are still open is refused cleanly, the
// connection staying usable.
func TestKeptStatementsGiveTheSameAnswers(t *testing.T) {
	ctx := ctxFor(t)
	_, url := dbtest.OpenEmpty(t)
	kept, err := migrations.Open(url, 8)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { kept.Close() })
	plain, err := migrations.Open(url, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { plain.Close() })
	if _, err := plain.ExecContext(ctx, `CREATE TABLE t (id int PRIMARY KEY, a text, n numeric, at timestamptz, tags text[], raw bytea);
		INSERT INTO t VALUES (1, 'un', 1.5, '2026-12-07 10:00:00+01', '{a,b}', '\x00ff'), (2, NULL, NULL, NULL, NULL, NULL)`); err != nil {
		t.Fatal(err)
	}
	const q = `SELECT id, a, n, at, tags, raw FROM t WHERE id = $1 OR $2::text = 'all' ORDER BY id`
	read := func(db interface {
		QueryxContext(context.Context, string, ...any) (*sqlx.Rows, error)
	}) [][]any {
		t.Helper()
		rows, err := db.QueryxContext(ctx, q, 1, "all")
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var out [][]any
		for rows.Next() {
			row, err := rows.SliceScan()
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, row)
		}
		return out
	}
	want := read(plain)
	tx, err := kept.BeginTxx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	for i := 0; i < 4; i++ { // the third and fourth run on the kept statement
		if got := read(tx); !reflect.DeepEqual(got, want) {
			t.Fatalf("run %d in a transaction: %v, want %v", i+1, got, want)
		}
	}
	rows, err := tx.QueryxContext(ctx, q, 1, "all")
	if err != nil {
		t.Fatal(err)
	}
	rows.Next()
	var n int
	if err := tx.GetContext(ctx, &n, `SELECT $1::int`, 7); err == nil {
		t.Errorf("a statement while rows are open: no error")
	}
	rows.Close()
	if err := tx.GetContext(ctx, &n, `SELECT $1::int`, 7); err != nil || n != 7 {
		t.Errorf("after the rows closed: %d, %v", n, err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
}
