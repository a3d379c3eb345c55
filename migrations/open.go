package migrations

import (
	"database/sql"
	"fmt"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
)

// DefaultStatements is how many statements Open keeps prepared on each connection.
const DefaultStatements = 64

// Open returns a pool on the PostgreSQL database of dsn (a postgres:// URL or key=value
// pairs) as the program connects to it: with OneRoundTrip's binary parameters, and
// keeping up to statements of its queries prepared on each connection (see Keep; 0
// keeps none). It does not connect: the first query does.
func Open(dsn string, statements int) (*sqlx.DB, error) {
	connector, err := pq.NewConnector(OneRoundTrip(dsn))
	if err != nil {
		return nil, fmt.Errorf("database: %w", err)
	}
	return sqlx.NewDb(sql.OpenDB(Keep(connector, statements)), "postgres"), nil
}
