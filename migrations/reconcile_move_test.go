package migrations_test

import (
	"context"
	"strconv"
	"testing"

	"github.com/jmoiron/sqlx"

	"github.com/ministere/tracker/migrations"
	"github.com/ministere/tracker/migrations/dbtest"
)

// applyUpTo applies the embedded migrations up to version last, as Apply would have
// when the program knew no more.
func applyUpTo(t *testing.T, ctx context.Context, db *sqlx.DB, last int) {
	t.Helper()
	all, err := migrations.All()
	if err != nil {
		t.Fatal(err)
	}
	db.MustExecContext(ctx, `CREATE TABLE schema_migrations (version integer PRIMARY KEY, name text NOT NULL,
		applied_at timestamptz NOT NULL DEFAULT now())`)
	for _, m := range all {
		if m.Version > last {
			break
		}
		tx := db.MustBeginTx(ctx, nil)
		tx.MustExecContext(ctx, m.SQL)
		tx.MustExecContext(ctx, `INSERT INTO schema_migrations (version, name) VALUES ($1, $2)`, m.Version, m.Name)
		if err := tx.Commit(); err != nil {
			t.Fatalf("%s: %v", m.Name, err)
		}
	}
}

// TestOneMoveDateReconciles: migration 014 brings a database that broke the one move date
// under the rule, journaled: of two move milestones the oldest stays (the other becomes
// « other »), the move milestone's date wins over the relocation's target move (its
// version rises), the feed tells it for a public relocation only, under the title the
// program gives such entries; a relocation that kept the rule is left as it was.
func TestOneMoveDateReconciles(t *testing.T) {
	t.Parallel()
	db, _ := dbtest.OpenEmpty(t)
	ctx := ctxFor(t)
	applyUpTo(t, ctx, db, 13)
	relocation := func(slug, target, visibility string) (id int64) {
		err := db.GetContext(ctx, &id, `INSERT INTO relocations (slug, name, body, origin, destination, headcount,
			target_move, visibility) VALUES ($1, $1, 'ORG', 'Paris', 'Lille', 10, $2, $3) RETURNING id`, slug, target, visibility)
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	move := func(rel int64, planned, start, end string) (id int64) {
		err := db.GetContext(ctx, &id, `INSERT INTO milestones (relocation_id, kind, title, planned, planned_start,
			planned_end, baseline, baseline_end, source) VALUES ($1, 'move', 'Déménagement', $2, $3, $4, $2, $4, 'CITP') RETURNING id`,
			rel, planned, start, end)
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	twice := relocation("deux-jalons", "2022-early", "internal")
	first := move(twice, "2023-Q1", "2023-01-01", "2023-03-31")
	second := move(twice, "2024", "2024-01-01", "2024-12-31")
	public := relocation("publique", "2022", "public")
	move(public, "2022-S2", "2022-07-01", "2022-12-31")
	agreed := relocation("d-accord", "2025", "public")
	move(agreed, "2025", "2025-01-01", "2025-12-31")
	none := relocation("sans-jalon", "2026", "internal")

	if _, err := migrations.Apply(ctx, db); err != nil {
		t.Fatal(err)
	}

	type row struct {
		Target  string `db:"target_move"`
		Version int    `db:"version"`
	}
	read := func(id int64) row {
		var r row
		if err := db.GetContext(ctx, &r, `SELECT target_move, version FROM relocations WHERE id = $1`, id); err != nil {
			t.Fatal(err)
		}
		return r
	}
	for _, c := range []struct {
		id   int64
		want row
	}{{twice, row{"2023-Q1", 2}}, {public, row{"2022-S2", 2}}, {agreed, row{"2025", 1}}, {none, row{"2026", 1}}} {
		if got := read(c.id); got != c.want {
			t.Errorf("relocation %d after the migrations: %+v, want %+v", c.id, got, c.want)
		}
	}
	var kinds []string
	if err := db.SelectContext(ctx, &kinds, `SELECT kind FROM milestones WHERE id IN ($1, $2) ORDER BY id`, first, second); err != nil {
		t.Fatal(err)
	}
	if len(kinds) != 2 || kinds[0] != "move" || kinds[1] != "other" {
		t.Errorf("the two move milestones are now %v, want [move other] (the oldest stays)", kinds)
	}

	var lines []string
	err := db.SelectContext(ctx, &lines, `SELECT relocation_id || ' ' || entity || ' ' || entity_id || ' ' || changes::text
		FROM journal WHERE by = 'Mise à jour du logiciel' ORDER BY relocation_id, entity, entity_id`)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		itoa(twice) + ` milestone ` + itoa(second) + ` {"kind": {"after": "other", "before": "move"}}`,
		itoa(twice) + ` relocation ` + itoa(twice) + ` {"target_move": {"after": "2023-Q1", "before": "2022-early"}}`,
		itoa(public) + ` relocation ` + itoa(public) + ` {"target_move": {"after": "2022-S2", "before": "2022"}}`,
	}
	if len(lines) != len(want) {
		t.Fatalf("the journal says %q, want %q", lines, want)
	}
	for i := range want {
		if lines[i] != want[i] {
			t.Errorf("journal line %d: %q, want %q", i, lines[i], want[i])
		}
	}

	var events []string
	err = db.SelectContext(ctx, &events, `SELECT relocation_id || ' ' || kind || ' ' || title || ' ' || from_value || ' → ' || to_value
		FROM public_events ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	if wantEvent := itoa(public) + " target_move Déménagement 2022 → 2022-S2"; len(events) != 1 || events[0] != wantEvent {
		t.Errorf("the feed holds %q, want only %q (the internal relocation's change is not public)", events, wantEvent)
	}
}

func itoa(id int64) string {
	return strconv.FormatInt(id, 10)
}
