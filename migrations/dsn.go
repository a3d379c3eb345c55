package migrations

import (
	"net/url"
	"strings"
)

// OneRoundTrip returns the PostgreSQL connection string dsn (a postgres:// URL or
// key=value pairs) with lib/pq's binary_parameters=yes, unless dsn sets it: a statement
// with parameters then costs one round trip to the server instead of two (lib/pq
// otherwise asks the server for the parameters' types first). The price: []byte
// parameters are sent as binary, which suits bytea columns only; jsonb and text get
// strings (every []byte of JSON is passed as string(b)).
func OneRoundTrip(dsn string) string {
	if strings.Contains(dsn, "binary_parameters") {
		return dsn
	}
	if u, err := url.Parse(dsn); err == nil && (u.Scheme == "postgres" || u.Scheme == "postgresql") {
		q := u.Query()
		q.Set("binary_parameters", "yes")
		u.RawQuery = q.Encode()
		return u.String()
	}
	return strings.TrimSpace(dsn + " binary_parameters=yes")
}
