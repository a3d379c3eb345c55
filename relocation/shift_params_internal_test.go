package relocation

import "testing"

// TestShiftParams: parameters are renumbered by the offset, quoted literals and
// identifiers are left as they are.
func TestShiftParams(t *testing.T) {
	cases := []struct {
		in   string
		by   int
		want string
	}{
		{`UPDATE m SET a = $2 WHERE id = $1`, 13, `UPDATE m SET a = $15 WHERE id = $14`},
		{`SELECT $10, $1`, 3, `SELECT $13, $4`},
		{`SELECT '$1', "$2", $3`, 10, `SELECT '$1', "$2", $13`},
		{`SELECT 'it''s $1', $1`, 1, `SELECT 'it''s $1', $2`},
		{`SELECT $1`, 0, `SELECT $1`},
		{`no parameter at all`, 5, `no parameter at all`},
		{`trailing $`, 5, `trailing $`},
	}
	for _, c := range cases {
		if got := shiftParams(c.in, c.by); got != c.want {
			t.Errorf("shiftParams(%q, %d) = %q, want %q", c.in, c.by, got, c.want)
		}
	}
}
