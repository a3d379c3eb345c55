# common.sh — what scripts/pg.sh and scripts/bench.sh share. Source it after setting
# PROG, the name their messages start with.

# Our connections say everything explicitly: ignore the caller's libpq settings.
unset PGHOST PGHOSTADDR PGPORT PGUSER PGDATABASE PGSERVICE PGSERVICEFILE PGOPTIONS \
	PGSSLMODE PGPASSFILE PGPASSWORD PGREQUIRESSL PGTARGETSESSIONATTRS 2>/dev/null || true
export PGCONNECT_TIMEOUT=5

# die prints its arguments after "$PROG: " on stderr and exits 1.
die() {
	printf '%s: %s\n' "$PROG" "$*" >&2
	exit 1
}
