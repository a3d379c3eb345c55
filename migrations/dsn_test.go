package migrations

import "testing"

// TestOneRoundTrip: binary_parameters=yes is added to a URL and to key=value pairs, and
// a dsn that already says something of it is kept as it is.
func TestOneRoundTrip(t *testing.T) {
	cases := []struct{ in, want string }{
		{"postgres://u:p@127.0.0.1:5432/tracker?sslmode=disable", "postgres://u:p@127.0.0.1:5432/tracker?binary_parameters=yes&sslmode=disable"},
		{"postgresql://h/db", "postgresql://h/db?binary_parameters=yes"},
		{"host=localhost dbname=tracker", "host=localhost dbname=tracker binary_parameters=yes"},
		{"postgres://h/db?binary_parameters=no", "postgres://h/db?binary_parameters=no"},
	}
	for _, c := range cases {
		if got := OneRoundTrip(c.in); got != c.want {
			t.Errorf("OneRoundTrip(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
