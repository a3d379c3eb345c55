package relocation_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/ministere/tracker/migrations/dbtest"
	"github.com/ministere/tracker/relocation"
)

// TestSlugRuleMatchesDatabase: the slug rule of Go (relocation.IsSlug, used by the API,
// the forms and SlugFrom) and the CHECK on relocations.slug accept and refuse the same
// slugs, the length limit included.
func TestSlugRuleMatchesDatabase(t *testing.T) {
	t.Parallel()
	db := dbtest.Open(t)
	ctx := context.Background()
	cases := []string{
		"cleiss-montreuil", "a", "a1-b2", strings.Repeat("a", relocation.SlugMaxLength),
		strings.Repeat("a", relocation.SlugMaxLength+1), "-a", "a-", "a--b", "A", "é", "a b", "",
	}
	for _, slug := range cases {
		// The table's own CHECK decides: insert a relocation with the slug, in a
		// transaction rolled back.
		tx, err := db.BeginTxx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO relocations (slug, name, body, origin, destination, headcount,
			target_move) VALUES ($1, 'N', 'B', 'Paris', 'Montreuil', 1, '2022')`, slug)
		tx.Rollback()
		var state interface{ SQLState() string }
		refused := errors.As(err, &state) && state.SQLState() == "23514" // check_violation
		if err != nil && !refused {
			t.Fatalf("slug %q: %v", slug, err)
		}
		if got := relocation.IsSlug(slug); got != !refused {
			t.Errorf("slug %q: Go says %t, the table's CHECK %t", slug, got, !refused)
		}
	}
}
