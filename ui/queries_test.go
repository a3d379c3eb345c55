package ui_test

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
	"github.com/ministere/tracker/migrations/dbtest"
	"github.com/ministere/tracker/ui"
	"github.com/ministere/tracker/ui/account"
)

// countingEnv is an API environment whose database counts the statements it is sent.
type countingEnv struct {
	*apiEnv
	queries *atomic.Int64
	session session
}

func newCountingEnv(t *testing.T) countingEnv {
	t.Helper()
	_, dsn := dbtest.OpenURL(t)
	var queries atomic.Int64
	conn, err := pq.NewConnector(dsn)
	if err != nil {
		t.Fatal(err)
	}
	db := sqlx.NewDb(sql.OpenDB(countingConnector{Connector: conn, n: &queries}), "postgres")
	t.Cleanup(func() { db.Close() })
	clk := &testClock{t: apiNow}
	app, err := ui.New(ui.Config{BcryptCost: testBcryptCost, RequestTimeout: time.Minute}, db, slog.New(slog.NewTextHandler(io.Discard, nil)), clk.now)
	if err != nil {
		t.Fatal(err)
	}
	e := &apiEnv{app: app, db: db, clock: clk, accounts: account.NewStore(db, clk.now, testBcryptCost)}
	e.token = e.tokenOf(t, e.user(t, adminEmail, account.RoleAdmin))
	return countingEnv{apiEnv: e, queries: &queries, session: e.login(t, adminEmail, testPassword)}
}

// statements counts what one signed-in page view sends to PostgreSQL.
func (e countingEnv) statements(t *testing.T, path string) int64 {
	t.Helper()
	before := e.queries.Load()
	expect(t, e.get(t, e.session, path), 200)
	return e.queries.Load() - before
}

// TestQueriesPerPageConstant: the portfolio, a relocation's page, its ranking and its
// public page take as many statements with 200 rows as with 2, whether drawn (the first
// view after a change) or kept (the next views: the session and the stamp, no more; the
// public page keeps its answers for visitors without an account: TestPublicPageQueries).
func TestQueriesPerPageConstant(t *testing.T) {
	t.Parallel()
	e := newCountingEnv(t)
	rel := idOf(t, e.createRelocation(t, map[string]any{"visibility": "public", "slug": "compte"}))
	grow := func(n int) {
		for i := 0; i < n; i++ {
			e.createRelocation(t, map[string]any{"slug": fmt.Sprintf("projet-%d-%d", n, i), "name": fmt.Sprintf("Projet %d", i)})
			e.createMilestone(t, rel, map[string]any{"title": fmt.Sprintf("Jalon %d", i), "public": true})
			e.createSite(t, rel, map[string]any{"name": fmt.Sprintf("Site %d", i), "surface_m2": 3000})
		}
	}
	paths := []string{"/", fmt.Sprintf("/projets/%d", rel), fmt.Sprintf("/projets/%d/classement", rel), "/r/compte"}
	e.statements(t, "/profil") // a first view may write the session's last use
	type count struct{ drawn, kept int64 }
	views := func() map[string]count {
		out := map[string]count{}
		for _, p := range paths {
			out[p] = count{drawn: e.statements(t, p), kept: e.statements(t, p)}
		}
		return out
	}
	grow(2)
	small := views()
	grow(198)
	large := views()
	for _, p := range paths {
		if large[p] != small[p] {
			t.Errorf("%s: %+v statements with 2 rows, %+v with 200", p, small[p], large[p])
		}
		if drawn := p != "/r/compte"; drawn && (small[p].kept > 2 || small[p].kept >= small[p].drawn) {
			t.Errorf("%s: %+v statements: a kept view should take the session and stamp reads only", p, small[p])
		}
		t.Logf("%s: %+v statements", p, small[p])
	}
}

// countingConnector counts the statements sent to PostgreSQL.
type countingConnector struct {
	driver.Connector
	n *atomic.Int64
}

func (c countingConnector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.Connector.Connect(ctx)
	if err != nil {
		return nil, err
	}
	return &countingConn{Conn: conn, n: c.n}, nil
}

// countingConn passes everything to lib/pq's connection, counting queries and execs.
type countingConn struct {
	driver.Conn
	n *atomic.Int64
}

func (c *countingConn) QueryContext(ctx context.Context, q string, args []driver.NamedValue) (driver.Rows, error) {
	c.n.Add(1)
	return c.Conn.(driver.QueryerContext).QueryContext(ctx, q, args)
}

func (c *countingConn) ExecContext(ctx context.Context, q string, args []driver.NamedValue) (driver.Result, error) {
	c.n.Add(1)
	return c.Conn.(driver.ExecerContext).ExecContext(ctx, q, args)
}

func (c *countingConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	return c.Conn.(driver.ConnBeginTx).BeginTx(ctx, opts)
}

func (c *countingConn) PrepareContext(ctx context.Context, q string) (driver.Stmt, error) {
	stmt, err := c.Conn.(driver.ConnPrepareContext).PrepareContext(ctx, q)
	if err != nil {
		return nil, err
	}
	return countingStmt{Stmt: stmt, n: c.n}, nil
}

// countingStmt counts the executions of a prepared statement (its preparation is not a
// statement a request sends: it happens once per connection).
type countingStmt struct {
	driver.Stmt
	n *atomic.Int64
}

func (s countingStmt) QueryContext(ctx context.Context, args []driver.NamedValue) (driver.Rows, error) {
	s.n.Add(1)
	return s.Stmt.(driver.StmtQueryContext).QueryContext(ctx, args)
}

func (s countingStmt) ExecContext(ctx context.Context, args []driver.NamedValue) (driver.Result, error) {
	s.n.Add(1)
	return s.Stmt.(driver.StmtExecContext).ExecContext(ctx, args)
}

func (c *countingConn) CheckNamedValue(nv *driver.NamedValue) error {
	return c.Conn.(driver.NamedValueChecker).CheckNamedValue(nv)
}

func (c *countingConn) ResetSession(ctx context.Context) error {
	return c.Conn.(driver.SessionResetter).ResetSession(ctx)
}

func (c *countingConn) IsValid() bool { return c.Conn.(driver.Validator).IsValid() }

// TestSiteScoresStatementsConstant: saving a site's score form takes as many statements
// with six values as with one (the scores in one statement, their journal in another).
func TestSiteScoresStatementsConstant(t *testing.T) {
	t.Parallel()
	e := newCountingEnv(t)
	rel := idOf(t, e.createRelocation(t, nil))
	var manual []int64
	for i := range 6 {
		manual = append(manual, idOf(t, e.create(t, fmt.Sprintf("/api/v1/relocations/%d/criteria", rel),
			criterionBody(map[string]any{"name": fmt.Sprintf("Critère %d", i)}))))
	}
	save := func(site int64, criteria []int64) int64 {
		t.Helper()
		fields := url.Values{}
		for _, c := range criteria {
			fields.Set(fmt.Sprintf("value_%d_%d", site, c), "2")
			fields.Set(fmt.Sprintf("justification_%d_%d", site, c), "Devis du bailleur")
			fields.Set(fmt.Sprintf("version_%d_%d", site, c), "nouvelle")
		}
		before := e.queries.Load()
		expect(t, e.form(t, e.session, fmt.Sprintf("/projets/%d/notes", rel), fields), http.StatusSeeOther)
		return e.queries.Load() - before
	}
	one := save(idOf(t, e.createSite(t, rel, map[string]any{"name": "Site A"})), manual[:1])
	six := save(idOf(t, e.createSite(t, rel, map[string]any{"name": "Site B"})), manual)
	if one != six {
		t.Errorf("saving a site's scores: %d statements for one value, %d for six", one, six)
	}
	var journaled int
	if err := e.db.Get(&journaled, `SELECT count(*) FROM journal WHERE entity = 'score'`); err != nil {
		t.Fatal(err)
	}
	if journaled != 7 {
		t.Errorf("%d score entries in the journal, want 7 (one per value saved)", journaled)
	}
}
