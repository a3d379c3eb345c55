package migrations_test

import (
	"context"
	"errors"
	"reflect"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/ministere/tracker/migrations"
	"github.com/ministere/tracker/migrations/dbtest"
)

// openPool opens a pool on url, closed when the test ends.
func openPool(t *testing.T, url string) *sqlx.DB {
	t.Helper()
	db, err := sqlx.Open("postgres", url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func ctxFor(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// versions returns the versions of all embedded migrations, in order.
func versions(t *testing.T) []int {
	t.Helper()
	all, err := migrations.All()
	if err != nil {
		t.Fatal(err)
	}
	out := make([]int, len(all))
	for i, m := range all {
		out[i] = m.Version
	}
	return out
}

// recorded returns the versions schema_migrations holds, in order.
func recorded(t *testing.T, db *sqlx.DB) []int {
	t.Helper()
	var vs []int
	if err := db.Select(&vs, `SELECT version FROM schema_migrations ORDER BY version`); err != nil {
		t.Fatal(err)
	}
	return vs
}

func TestAll(t *testing.T) {
	all, err := migrations.All()
	if err != nil {
		t.Fatal(err)
	}
	if len(all) == 0 {
		t.Fatal("no migrations embedded")
	}
	for i, m := range all {
		if m.Version <= 0 || strings.TrimSpace(m.SQL) == "" || !strings.HasSuffix(m.Name, ".sql") {
			t.Errorf("migration %d: %+v", i, m.Name)
		}
		if i > 0 && m.Version <= all[i-1].Version {
			t.Errorf("migrations out of order: %s after %s", m.Name, all[i-1].Name)
		}
	}
	if got, want := migrations.Latest(), all[len(all)-1].Version; got != want {
		t.Errorf("Latest() = %d, want %d", got, want)
	}
}

// TestApplyOnTemplate: a dbtest database is cloned from a migrated template, so Apply
// has nothing to do.
func TestApplyOnTemplate(t *testing.T) {
	t.Parallel()
	db := dbtest.Open(t)
	ctx := ctxFor(t)
	applied, err := migrations.Apply(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	if len(applied) != 0 {
		t.Errorf("Apply on a migrated database applied %v", applied)
	}
	if v, err := migrations.Version(ctx, db); err != nil || v != migrations.Latest() {
		t.Errorf("Version() = %d, %v; want %d", v, err, migrations.Latest())
	}
}

func TestApplyEmpty(t *testing.T) {
	t.Parallel()
	db, _ := dbtest.OpenEmpty(t)
	ctx := ctxFor(t)
	if v, err := migrations.Version(ctx, db); err != nil || v != 0 {
		t.Errorf("Version() of an empty database = %d, %v; want 0", v, err)
	}
	applied, err := migrations.Apply(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	if want := versions(t); !reflect.DeepEqual(applied, want) {
		t.Errorf("Apply applied %v, want every version in order %v", applied, want)
	}
	if v, err := migrations.Version(ctx, db); err != nil || v != migrations.Latest() {
		t.Errorf("Version() = %d, %v; want Latest() = %d", v, err, migrations.Latest())
	}
	if got, want := recorded(t, db), versions(t); !reflect.DeepEqual(got, want) {
		t.Errorf("schema_migrations holds %v, want %v", got, want)
	}
	var names []string
	if err := db.Select(&names, `SELECT name FROM schema_migrations ORDER BY version`); err != nil {
		t.Fatal(err)
	}
	all, _ := migrations.All()
	for i, m := range all {
		if i < len(names) && names[i] != m.Name {
			t.Errorf("schema_migrations names %q for version %d, want %q", names[i], m.Version, m.Name)
		}
	}
	// The schema is there: the tables the domain writes.
	for _, table := range []string{"relocations", "milestones", "milestone_history", "journal"} {
		var ok bool
		if err := db.Get(&ok, `SELECT to_regclass($1) IS NOT NULL`, table); err != nil || !ok {
			t.Errorf("table %s missing after Apply (%v)", table, err)
		}
	}

	again, err := migrations.Apply(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	if len(again) != 0 {
		t.Errorf("the second Apply applied %v", again)
	}
	if got, want := recorded(t, db), versions(t); !reflect.DeepEqual(got, want) {
		t.Errorf("after the second Apply schema_migrations holds %v, want %v", got, want)
	}
}

func TestApplySchemaTooNew(t *testing.T) {
	t.Parallel()
	for _, fresh := range []bool{false, true} {
		name := "template"
		if fresh {
			name = "empty"
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var db *sqlx.DB
			if fresh {
				db, _ = dbtest.OpenEmpty(t)
				if _, err := migrations.Apply(ctxFor(t), db); err != nil {
					t.Fatal(err)
				}
			} else {
				db = dbtest.Open(t)
			}
			ctx := ctxFor(t)
			if _, err := db.Exec(`INSERT INTO schema_migrations (version, name) VALUES (9999, '9999_future.sql')`); err != nil {
				t.Fatal(err)
			}
			before := recorded(t, db)
			applied, err := migrations.Apply(ctx, db)
			if !errors.Is(err, migrations.ErrSchemaTooNew) {
				t.Errorf("Apply on a newer schema: %v, want ErrSchemaTooNew", err)
			}
			if len(applied) != 0 {
				t.Errorf("Apply on a newer schema applied %v", applied)
			}
			if after := recorded(t, db); !reflect.DeepEqual(after, before) {
				t.Errorf("schema_migrations changed: %v, then %v", before, after)
			}
			if v, err := migrations.Version(ctx, db); err != nil || v != 9999 {
				t.Errorf("Version() = %d, %v; want 9999", v, err)
			}
			// The lock was released: another Apply does not hang.
			ctx2, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			if _, err := migrations.Apply(ctx2, db); !errors.Is(err, migrations.ErrSchemaTooNew) {
				t.Errorf("second Apply on a newer schema: %v, want ErrSchemaTooNew", err)
			}
		})
	}
}

// TestApplyConcurrent starts several instances at once on an empty database: each
// migration is applied exactly once and every instance succeeds.
func TestApplyConcurrent(t *testing.T) {
	t.Parallel()
	_, url := dbtest.OpenEmpty(t)
	ctx := ctxFor(t)
	const instances = 4
	pools := make([]*sqlx.DB, instances)
	for i := range pools {
		pools[i] = openPool(t, url)
	}
	var wg sync.WaitGroup
	results := make([][]int, instances)
	errs := make([]error, instances)
	start := make(chan struct{})
	for i := range pools {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			<-start
			results[i], errs[i] = migrations.Apply(ctx, pools[i])
		}(i)
	}
	close(start)
	wg.Wait()
	var all []int
	for i := range pools {
		if errs[i] != nil {
			t.Errorf("instance %d: %v", i, errs[i])
		}
		all = append(all, results[i]...)
	}
	sort.Ints(all)
	if want := versions(t); !reflect.DeepEqual(all, want) {
		t.Errorf("the instances applied %v together, want each of %v once", results, want)
	}
	if got, want := recorded(t, pools[0]), versions(t); !reflect.DeepEqual(got, want) {
		t.Errorf("schema_migrations holds %v, want %v", got, want)
	}
	// Nobody still holds the migration lock.
	var held int
	if err := pools[0].Get(&held, `SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`); err != nil {
		t.Fatal(err)
	}
	if held != 0 {
		t.Errorf("%d advisory locks still held after Apply returned", held)
	}
}
