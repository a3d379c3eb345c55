package relocation

import (
	"slices"
	"strings"
	"testing"

	"github.com/ministere/tracker/migrations/dbtest"
)

// TestFoldSearch: a search splits into words, lower-cased and without accents, with
// LIKE's wildcards and escape character escaped, as searchFolded folds the texts.
func TestFoldSearch(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"   ", nil},
		{"CLE", []string{"cle"}},
		{"Cesson-Sévigné  Ille", []string{"cesson-sevigne", "ille"}},
		{"ÉCONOMIE Œuvre Ærodrome", []string{"economie", "ouvre", "arodrome"}},
		{"e\u0301conomie", []string{"economie"}}, // a combining accent
		{"100% a_b c\\d", []string{`100\%`, `a\_b`, `c\\d`}},
		{"Ñandú Łódź Øresund", []string{"nandu", "lodz", "oresund"}},
		{"Ğ", []string{"ğ"}}, // not in the table: kept as typed
	} {
		if got := foldSearch(tc.in); !slices.Equal(got, tc.want) {
			t.Errorf("foldSearch(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestSearchFoldedAgreesWithGo: PostgreSQL folds every letter of the table, in either
// case, to the base letter foldSearch gives it, whatever the database's locale.
func TestSearchFoldedAgreesWithGo(t *testing.T) {
	db := dbtest.Open(t)
	for r, base := range foldPairs {
		var got string
		if err := db.Get(&got, `SELECT `+strings.Replace(searchFolded, "%s", "$1::text", 1), string(r)); err != nil {
			t.Fatal(err)
		}
		if want := string(base); got != want || foldSearch(string(r))[0] != want {
			t.Errorf("%q folds to %q in SQL and %q in Go, want %q", r, got, foldSearch(string(r)), want)
		}
	}
}
