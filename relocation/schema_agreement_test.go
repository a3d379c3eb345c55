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

// TestDefaultsMatchDatabase: a relocation inserted with only its required columns gets
// from the database the defaults Go gives a new one (relocation.NewRelocation): the surface ratio,
// the commute estimator's settings, the limit and the reach.
func TestDefaultsMatchDatabase(t *testing.T) {
	t.Parallel()
	db := dbtest.Open(t)
	var got struct {
		Ratio  float64 `db:"surface_ratio_m2"`
		Limit  float64 `db:"commute_increase_limit_min"`
		Access float64 `db:"commute_access_min"`
		Detour float64 `db:"commute_detour"`
		Speed  float64 `db:"commute_speed_kmh"`
		Reach  float64 `db:"max_distance_km"`
	}
	err := db.GetContext(context.Background(), &got, `INSERT INTO relocations (slug, name, body, origin, destination,
		headcount, target_move) VALUES ('defauts', 'Défauts', 'D', 'Paris', 'Montreuil', 1, '2022')
		RETURNING surface_ratio_m2, commute_increase_limit_min, commute_access_min, commute_detour,
			commute_speed_kmh, max_distance_km`)
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		name     string
		db, goes float64
	}{
		{"surface_ratio_m2", got.Ratio, relocation.DefaultSurfaceRatioM2},
		{"commute_increase_limit_min", got.Limit, relocation.DefaultCommuteLimitMin},
		{"commute_access_min", got.Access, relocation.DefaultCommuteAccessMin},
		{"commute_detour", got.Detour, relocation.DefaultCommuteDetour},
		{"commute_speed_kmh", got.Speed, relocation.DefaultCommuteSpeedKmh},
		{"max_distance_km", got.Reach, relocation.DefaultMaxDistanceKm},
	}
	for _, w := range want {
		if w.db != w.goes {
			t.Errorf("%s: the database's default is %v, Go's %v", w.name, w.db, w.goes)
		}
	}
}
