package migrations_test

import (
	"testing"

	"github.com/ministere/tracker/migrations/dbtest"
)

// TestEveryVersionedTableRaisesItsVersion: every table whose rows carry a version has the
// trigger that raises it on a change made outside the program (migration 023): a table
// given a version later must get one too, or a hand-made change would leave its ETags and
// forms unaware of it.
func TestEveryVersionedTableRaisesItsVersion(t *testing.T) {
	t.Parallel()
	db := dbtest.Open(t)
	var missing []string
	err := db.Select(&missing, `SELECT c.table_name FROM information_schema.columns c
		WHERE c.table_schema = current_schema() AND c.column_name = 'version'
		  AND c.table_name NOT IN ('schema_migrations')
		  AND NOT EXISTS (
			SELECT 1 FROM pg_trigger g JOIN pg_class k ON k.oid = g.tgrelid JOIN pg_proc p ON p.oid = g.tgfoid
			WHERE k.relname = c.table_name AND NOT g.tgisinternal
			  AND p.proname IN ('version_raised', 'relocation_revised')
			  AND (g.tgtype & 2) <> 0  -- BEFORE
			  AND (g.tgtype & 16) <> 0 -- UPDATE
		  )
		ORDER BY 1`)
	if err != nil {
		t.Fatal(err)
	}
	if len(missing) > 0 {
		t.Errorf("tables with a version but no trigger raising it on a hand-made change: %v", missing)
	}
}
