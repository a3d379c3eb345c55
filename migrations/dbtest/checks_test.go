package dbtest

import (
	"slices"
	"testing"
)

// TestParseInList: only a plain allowed-values list is read, in the form PostgreSQL
// writes it back; every other CHECK is left alone.
func TestParseInList(t *testing.T) {
	for _, tc := range []struct {
		def    string
		column string
		values []string
	}{
		{`CHECK ((visibility = ANY (ARRAY['internal'::text, 'public'::text])))`, "visibility", []string{"internal", "public"}},
		{`CHECK ((action = ANY (ARRAY['create'::text])))`, "action", []string{"create"}},
		{`CHECK (("by" = ANY (ARRAY['l''équipe'::text, 'x, y'::text])))`, "by", []string{"l'équipe", "x, y"}},
		{`CHECK ((headcount > 0))`, "", nil},
		{`CHECK ((btrim(name) <> ''::text))`, "", nil},
		{`CHECK (((status <> ALL (ARRAY['rejected'::text, 'selected'::text])) OR (decision_reason ~ '\S'::text)))`, "", nil},
		{`CHECK (((kind = ANY (ARRAY['a'::text, 'b'::text])) AND (x > 0)))`, "", nil},
		{`CHECK ((kind = ANY (ARRAY['a'::text, NULL::text])))`, "", nil},
	} {
		col, values, ok := ParseInList(tc.def)
		if ok != (tc.column != "") || col != tc.column || !slices.Equal(values, tc.values) {
			t.Errorf("ParseInList(%s) = %q, %q, %v; want %q, %q", tc.def, col, values, ok, tc.column, tc.values)
		}
	}
}

// TestDiffValues: the comparison fails, naming the column and each side's extra values,
// exactly when the two sets differ (order and repeats do not count).
func TestDiffValues(t *testing.T) {
	for _, tc := range []struct {
		name               string
		database, goValues []string
		want               string
	}{
		{"same", []string{"a", "b"}, []string{"a", "b"}, ""},
		{"other order", []string{"b", "a"}, []string{"a", "b", "a"}, ""},
		{"go lacks one", []string{"a", "b", "c"}, []string{"a", "b"},
			`t.col: the database CHECK allows ["c"] that Go does not; Go allows [] that the database CHECK does not`},
		{"database lacks one", []string{"a"}, []string{"b", "a"},
			`t.col: the database CHECK allows [] that Go does not; Go allows ["b"] that the database CHECK does not`},
		{"renamed", []string{"state_owned"}, []string{"stateowned"},
			`t.col: the database CHECK allows ["state_owned"] that Go does not; Go allows ["stateowned"] that the database CHECK does not`},
	} {
		err := DiffValues("t.col", tc.database, tc.goValues)
		got := ""
		if err != nil {
			got = err.Error()
		}
		if got != tc.want {
			t.Errorf("%s: DiffValues = %q, want %q", tc.name, got, tc.want)
		}
	}
}
