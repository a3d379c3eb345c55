package relocation_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/ministere/tracker/migrations/dbtest"
	"github.com/ministere/tracker/relocation"
)

// notFields are the columns of relocations that Relocation deliberately does not hold,
// and why.
var notFields = map[string]string{
	"public_changed_at": "when a publicly shown field last changed: read by the public views only",
	"revision":          "the stamp the triggers raise (migration 013), never read as a field",
}

// TestColumnsMatchTable: the columns Relocation's tags declare (relocation.Columns,
// which every read, the INSERT and the UPDATE use) are the table's, as
// information_schema lists them, but notFields: a migration that adds a column without
// its field, or a field without its column, fails here.
func TestColumnsMatchTable(t *testing.T) {
	t.Parallel()
	db := dbtest.Open(t)
	var table []string
	err := db.SelectContext(context.Background(), &table, `SELECT column_name FROM information_schema.columns
		WHERE table_schema = current_schema() AND table_name = 'relocations' ORDER BY column_name`)
	if err != nil {
		t.Fatal(err)
	}
	table = slices.DeleteFunc(table, func(c string) bool { _, ok := notFields[c]; return ok })
	var declared []string
	for _, c := range strings.Split(relocation.Columns, ",") {
		declared = append(declared, strings.TrimSpace(c))
	}
	slices.Sort(declared)
	if !slices.Equal(table, declared) {
		t.Errorf("relocations has columns\n%v\nRelocation declares\n%v", table, declared)
	}
}

// TestDefaultsMatchDatabaseForEveryField: a relocation inserted with only its required
// columns reads back, field by field (every field the journal records), as Go's new
// relocation (relocation.NewRelocation) with those columns set: a new field's default
// is the same in the migration and in Go, or this fails.
func TestDefaultsMatchDatabaseForEveryField(t *testing.T) {
	t.Parallel()
	db := dbtest.Open(t)
	var got relocation.Relocation
	err := db.GetContext(context.Background(), &got, `INSERT INTO relocations (slug, name, body, origin, destination,
		headcount, target_move) VALUES ('defauts', 'Défauts', 'D', 'Paris', 'Montreuil', 1, '2022') RETURNING `+relocation.Columns)
	if err != nil {
		t.Fatal(err)
	}
	want := relocation.NewRelocation()
	want.Slug, want.Name, want.Body, want.Origin, want.Destination, want.Headcount = "defauts", "Défauts", "D", "Paris", "Montreuil", 1
	want.TargetMove, _ = relocation.ParseFuzzyDate("2022")
	g, w := got.Fields(), want.Fields()
	for name := range w {
		if g[name] != w[name] {
			t.Errorf("%s: the database's default is %#v, Go's %#v", name, g[name], w[name])
		}
	}
}
