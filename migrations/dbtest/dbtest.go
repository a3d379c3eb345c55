// Package dbtest gives each test its own PostgreSQL database, migrated and empty.
//
// The server comes from DATABASE_URL (make test starts a private cluster and sets it).
// A template database holding the current schema is built once per schema (its name
// carries a hash of the migrations), then every test clones it, which takes a few
// milliseconds and lets tests run in parallel without seeing each other's rows.
package dbtest

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"
	_ "github.com/lib/pq" // PostgreSQL driver

	"github.com/ministere/tracker/migrations"
)

var (
	templateOnce sync.Once
	templateName string
	templateErr  error
)

// BaseURL returns DATABASE_URL, failing the test when it is unset.
func BaseURL(tb testing.TB) string {
	tb.Helper()
	u := os.Getenv("DATABASE_URL")
	if u == "" {
		tb.Fatal("DATABASE_URL is not set: run the tests with `make test`, which starts a private PostgreSQL")
	}
	return u
}

// Open returns a connection pool to a fresh database with the current schema, dropped
// when the test ends.
func Open(tb testing.TB) *sqlx.DB {
	tb.Helper()
	db, _ := OpenURL(tb)
	return db
}

// OpenURL is Open that also returns the new database's URL (for a process under test).
func OpenURL(tb testing.TB) (*sqlx.DB, string) {
	tb.Helper()
	templateOnce.Do(func() { templateName, templateErr = ensureTemplate(BaseURL(tb)) })
	if templateErr != nil {
		tb.Fatalf("dbtest: template database: %v", templateErr)
	}
	return create(tb, templateName)
}

// OpenEmpty returns a pool on a fresh database with no table at all (to test the
// migrations themselves), and its URL; dropped when the test ends.
func OpenEmpty(tb testing.TB) (*sqlx.DB, string) {
	tb.Helper()
	return create(tb, "template0")
}

// create makes a database from template, closed and dropped when the test ends.
func create(tb testing.TB, template string) (*sqlx.DB, string) {
	tb.Helper()
	base := BaseURL(tb)
	admin, err := sqlx.Open("postgres", base)
	if err != nil {
		tb.Fatalf("dbtest: %v", err)
	}
	defer admin.Close()
	name := "test_" + randomHex(8)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := admin.ExecContext(ctx, `CREATE DATABASE `+name+` TEMPLATE `+template); err != nil {
		tb.Fatalf("dbtest: create %s: %v", name, err)
	}
	dsn := WithDatabase(base, name)
	db, err := migrations.Open(dsn, migrations.DefaultStatements) // as the program connects
	if err != nil {
		tb.Fatalf("dbtest: open %s: %v", name, err)
	}
	db.SetMaxOpenConns(8)
	tb.Cleanup(func() {
		db.Close()
		admin, err := sqlx.Open("postgres", base)
		if err != nil {
			return
		}
		defer admin.Close()
		admin.Exec(`DROP DATABASE IF EXISTS ` + name + ` WITH (FORCE)`)
	})
	return db, dsn
}

// WithDatabase returns the connection string base pointing at database name instead.
func WithDatabase(base, name string) string {
	if u, err := url.Parse(base); err == nil && (u.Scheme == "postgres" || u.Scheme == "postgresql") {
		u.Path = "/" + name
		return u.String()
	}
	return base + " dbname=" + name
}

// ensureTemplate builds the template for the embedded migrations once for the whole
// server: under an advisory lock, migrate a scratch database then rename it, so a
// crash half-way never leaves a template that looks finished.
func ensureTemplate(base string) (string, error) {
	all, err := migrations.All()
	if err != nil {
		return "", err
	}
	h := sha256.New()
	for _, m := range all {
		fmt.Fprintf(h, "%d\x00%s\x00", m.Version, m.SQL)
	}
	name := "tpl_" + hex.EncodeToString(h.Sum(nil))[:16]

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	admin, err := sqlx.Open("postgres", base)
	if err != nil {
		return "", err
	}
	defer admin.Close()
	conn, err := admin.Connx(ctx)
	if err != nil {
		return "", err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock(7301)`); err != nil {
		return "", err
	}
	defer conn.ExecContext(context.Background(), `SELECT pg_advisory_unlock(7301)`)
	var exists bool
	if err := conn.GetContext(ctx, &exists, `SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)`, name); err != nil {
		return "", err
	}
	if exists {
		return name, nil
	}
	scratch := name + "_wip"
	conn.ExecContext(ctx, `DROP DATABASE IF EXISTS `+scratch+` WITH (FORCE)`)
	if _, err := conn.ExecContext(ctx, `CREATE DATABASE `+scratch); err != nil {
		return "", err
	}
	db, err := sqlx.Open("postgres", WithDatabase(base, scratch))
	if err != nil {
		return "", err
	}
	_, err = migrations.Apply(ctx, db)
	db.Close()
	if err != nil {
		return "", err
	}
	if _, err := conn.ExecContext(ctx, `ALTER DATABASE `+scratch+` RENAME TO `+name); err != nil {
		return "", err
	}
	return name, nil
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return strings.ToLower(hex.EncodeToString(b))
}
