package migrations

import (
	"container/list"
	"context"
	"database/sql/driver"
	"errors"
)

// Keep returns connector with the statements its connections run kept prepared: a
// query with parameters that a connection runs a second time is prepared there, so
// that PostgreSQL parses and plans it once, and its later runs only bind and execute
// it, in one round trip as before. Each connection keeps its size most recently used
// statements and closes the others; a query seen once is not prepared (a query whose
// text changes at each call never is). A query without parameters runs as it is, by
// the simple protocol (a migration's script of several statements stays possible).
//
// A connection whose driver lacks what this needs (lib/pq's has it all) and size ≤ 0
// leave connector as it is.
func Keep(connector driver.Connector, size int) driver.Connector {
	if size <= 0 {
		return connector
	}
	return &keepingConnector{Connector: connector, size: size}
}

type keepingConnector struct {
	driver.Connector
	size int
}

// Connect opens a connection of the wrapped connector that keeps its statements.
func (k *keepingConnector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := k.Connector.Connect(ctx)
	if err != nil {
		return nil, err
	}
	pc, ok := conn.(pgConn)
	if !ok {
		return conn, nil
	}
	return &keepingConn{pgConn: pc, size: k.size, seen: map[string]struct{}{},
		kept: map[string]*list.Element{}, recent: list.New()}, nil
}

// pgConn is what lib/pq's connection offers and database/sql uses: the keeping
// connection offers the same, so database/sql treats both alike.
type pgConn interface {
	driver.Conn
	driver.ConnPrepareContext
	driver.ConnBeginTx
	driver.QueryerContext
	driver.ExecerContext
	driver.Pinger
	driver.NamedValueChecker
	driver.SessionResetter
	driver.Validator
}

// preparedStmt is a statement prepared on one connection (lib/pq's offers these).
type preparedStmt interface {
	driver.Stmt
	driver.StmtQueryContext
	driver.StmtExecContext
}

// keptStmt is one kept statement and the query it was prepared from.
type keptStmt struct {
	query string
	stmt  preparedStmt
}

// keepingConn is one connection and its kept statements. database/sql never uses a
// connection from two goroutines at once, so it needs no lock.
type keepingConn struct {
	pgConn
	reading bool           // rows it returned are still open: lib/pq cannot run another statement
	inTx    bool           // a transaction is open: a failed statement cannot be run again
	stale   []preparedStmt // stale statements to close once the transaction is over
	size    int
	seen    map[string]struct{}      // queries run once and not kept (cleared when 4×size)
	kept    map[string]*list.Element // of recent, by query
	recent  *list.List               // of *keptStmt, the most recently used first
}

// errReading refuses a statement on a connection whose rows are still being read (lib/pq
// reads one statement's answer at a time; its own paths refuse it too).
var errReading = errors.New("migrations: a statement's rows are still open on this connection")

// QueryContext runs query through its kept statement when it has one.
func (c *keepingConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	if c.reading {
		return nil, errReading
	}
	st, err := c.statement(ctx, query, len(args))
	if err != nil {
		return nil, err
	}
	var rows driver.Rows
	if st == nil {
		rows, err = c.pgConn.QueryContext(ctx, query, args)
	} else {
		rows, err = st.QueryContext(ctx, args)
		if c.dropIfStale(query, err) && !c.inTx {
			rows, err = c.pgConn.QueryContext(ctx, query, args) // it failed before running
		}
	}
	if r, ok := rows.(pgRows); ok && err == nil {
		c.reading = true
		return &readRows{pgRows: r, c: c}, nil
	}
	return rows, err
}

// pgRows is what lib/pq's rows offer and database/sql uses.
type pgRows interface {
	driver.Rows
	driver.RowsNextResultSet
	driver.RowsColumnTypeScanType
	driver.RowsColumnTypeDatabaseTypeName
	driver.RowsColumnTypeLength
	driver.RowsColumnTypePrecisionScale
}

// readRows are rows being read: their connection runs nothing else until they close.
type readRows struct {
	pgRows
	c *keepingConn
}

// Close closes the rows and frees their connection.
func (r *readRows) Close() error {
	r.c.reading = false
	return r.pgRows.Close()
}

// PrepareContext prepares query, unless rows are still open.
func (c *keepingConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	if c.reading {
		return nil, errReading
	}
	return c.pgConn.PrepareContext(ctx, query)
}

// ExecContext runs query through its kept statement when it has one.
func (c *keepingConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	if c.reading {
		return nil, errReading
	}
	st, err := c.statement(ctx, query, len(args))
	if err != nil {
		return nil, err
	}
	if st == nil {
		return c.pgConn.ExecContext(ctx, query, args)
	}
	res, err := st.ExecContext(ctx, args)
	if c.dropIfStale(query, err) && !c.inTx {
		return c.pgConn.ExecContext(ctx, query, args) // it failed before running
	}
	return res, err
}

// statement returns query's kept statement, preparing it at its second run with
// parameters; nil when query is to run as it is. An error preparing is the query's
// own (the same PostgreSQL would give running it) or the connection's.
func (c *keepingConn) statement(ctx context.Context, query string, params int) (preparedStmt, error) {
	if params == 0 {
		return nil, nil
	}
	if e, ok := c.kept[query]; ok {
		c.recent.MoveToFront(e)
		return e.Value.(*keptStmt).stmt, nil
	}
	if _, ok := c.seen[query]; !ok {
		if len(c.seen) >= 4*c.size {
			clear(c.seen)
		}
		c.seen[query] = struct{}{}
		return nil, nil
	}
	delete(c.seen, query)
	s, err := c.pgConn.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	st, ok := s.(preparedStmt)
	if !ok {
		return nil, errors.Join(errors.New("migrations: the driver's statements lack contexts"), s.Close())
	}
	c.kept[query] = c.recent.PushFront(&keptStmt{query: query, stmt: st})
	if c.recent.Len() > c.size {
		if err := c.drop(c.recent.Back()); err != nil {
			return nil, err
		}
	}
	return st, nil
}

// drop closes the kept statement of e and forgets it.
func (c *keepingConn) drop(e *list.Element) error {
	k := c.recent.Remove(e).(*keptStmt)
	delete(c.kept, k.query)
	return k.stmt.Close()
}

// dropIfStale forgets query's statement when err says the server no longer holds it
// as prepared (26000) or its plan no longer fits the tables (0A000, after an ALTER
// TABLE), and reports it: the next run prepares it anew. Such an error comes before the
// statement runs: outside a transaction the caller runs it again, unprepared; inside,
// the transaction is aborted and the error is the caller's (relocation.Act retries it).
func (c *keepingConn) dropIfStale(query string, err error) bool {
	var state interface{ SQLState() string }
	if err == nil || !errors.As(err, &state) {
		return false
	}
	if s := state.SQLState(); s != "26000" && s != "0A000" {
		return false
	}
	if e, ok := c.kept[query]; ok {
		k := c.recent.Remove(e).(*keptStmt)
		delete(c.kept, k.query)
		if c.inTx {
			c.stale = append(c.stale, k.stmt) // an aborted transaction refuses a Close: after it
		} else {
			k.stmt.Close() // a failure here is the connection's, which the next statement meets
		}
	}
	return true
}

// closeStale closes the statements a transaction's failure left to close.
func (c *keepingConn) closeStale() {
	for _, st := range c.stale {
		st.Close()
	}
	c.stale = nil
}

// BeginTx begins a transaction, whose end the connection follows.
func (c *keepingConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	tx, err := c.pgConn.BeginTx(ctx, opts)
	if err != nil {
		return nil, err
	}
	c.inTx = true
	return &keptTx{Tx: tx, c: c}, nil
}

// keptTx is a transaction of a keeping connection.
type keptTx struct {
	driver.Tx
	c *keepingConn
}

// Commit commits the transaction.
func (t *keptTx) Commit() error {
	t.c.inTx = false
	err := t.Tx.Commit()
	t.c.closeStale()
	return err
}

// Rollback rolls the transaction back.
func (t *keptTx) Rollback() error {
	t.c.inTx = false
	err := t.Tx.Rollback()
	t.c.closeStale()
	return err
}
