#!/usr/bin/env bash
# pg.sh — the project's private PostgreSQL cluster, for development and tests.
#
# Usage: scripts/pg.sh start|stop|url|status
#
#   start   install Debian's postgresql if no server binaries exist, initdb the cluster if new,
#           start it if not running, create the database "tracker" if missing.
#           Prints nothing on success; errors go to stderr.
#   stop    stop the cluster if it runs (fast shutdown).
#   url     start if needed, then print postgres://tracker:<pw>@127.0.0.1:<port>/tracker?sslmode=disable
#   status  say whether the cluster runs; exit 0 when it does, 3 when it does not.
#
# Layout, all under the git-ignored .pgdata/ at the repository root:
#   port      the TCP port, chosen once from a hash of the repository path (54000–55999)
#   password  the superuser "tracker"'s random password (mode 600)
#   data/     the cluster (owned by the postgres OS user when run as root)
#   log       the server log
#   datadir   only when the postgres user cannot reach .pgdata/: where the cluster lives instead
#
# The server listens on 127.0.0.1 only, with no Unix socket, fsync off: a throw-away dev cluster.
# PostgreSQL refuses to run as root, so as root the server programs run as the "postgres" user.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
STATE="$REPO/.pgdata"
DBNAME=tracker
DBUSER=tracker
PORT_MIN=54000
PORT_SPAN=2000
START_TIMEOUT=60

PROG=pg.sh
# shellcheck source=scripts/common.sh
. "$REPO/scripts/common.sh" # the caller's libpq settings ignored; die

is_root() { [ "$(id -u)" -eq 0 ]; }

# pg_bin prints the highest installed PostgreSQL version's bin directory, or nothing.
pg_bin() {
	local d
	d=$(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
	if [ -n "$d" ] && [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && [ -x "$d/postgres" ]; then
		printf '%s\n' "$d"
	fi
}

# install_postgresql installs Debian's postgresql package, with sudo when not root.
install_postgresql() {
	local sudo=()
	if ! is_root; then
		command -v sudo >/dev/null 2>&1 ||
			die "PostgreSQL is not installed and you are not root (no sudo either): run 'apt-get install postgresql' as root, or set DATABASE_URL"
		sudo=(sudo)
	fi
	command -v apt-get >/dev/null 2>&1 || die "PostgreSQL is not installed and apt-get is missing: install PostgreSQL or set DATABASE_URL"
	printf 'pg.sh: installing PostgreSQL with apt-get (once)...\n' >&2
	local log
	log=$(mktemp)
	if ! { "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update &&
		"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends postgresql; } >"$log" 2>&1; then
		tail -n 30 "$log" >&2
		rm -f "$log"
		die "apt-get install postgresql failed"
	fi
	rm -f "$log"
}

# as_pg runs a command as the cluster's owner: the postgres user when we are root, else ourselves.
as_pg() {
	if ! is_root; then
		(cd / && "$@")
	elif command -v runuser >/dev/null 2>&1; then
		(cd / && runuser -u postgres -- "$@")
	else
		(cd / && su postgres -s /bin/sh -c "$(printf '%q ' "$@")")
	fi
}

# first_blocked_dir prints the first ancestor of $1 that the postgres user cannot search.
first_blocked_dir() {
	local p="" part
	local IFS=/
	for part in $1; do
		[ -n "$part" ] || continue
		p="$p/$part"
		if ! as_pg test -x "$p"; then
			printf '%s\n' "$p"
			return
		fi
	done
}

# existing_layout sets DATA and LOG to where the cluster is, if there is one.
existing_layout() {
	local dir="$STATE"
	if [ -s "$STATE/datadir" ]; then
		dir=$(cat "$STATE/datadir")
	fi
	DATA="$dir/data" LOG="$dir/log"
}

# resolve_layout sets DATA and LOG, choosing them on first use.
resolve_layout() {
	mkdir -p "$STATE"
	if ! is_root; then
		chmod 700 "$STATE"
		existing_layout
		return
	fi
	id postgres >/dev/null 2>&1 || die "the postgres OS user does not exist: reinstall Debian's postgresql package"
	if [ -s "$STATE/datadir" ]; then
		existing_layout
		return
	fi
	# The postgres user must reach .pgdata/ (search only: the password file stays mode 600).
	chmod 711 "$STATE"
	if as_pg test -x "$STATE"; then
		DATA="$STATE/data" LOG="$STATE/log"
		return
	fi
	# It cannot (a mode-700 folder above the checkout, like a mktemp -d): keep the cluster
	# in the postgres user's home instead, one folder per checkout, and say so once.
	local blocked home alt
	blocked=$(first_blocked_dir "$STATE")
	home=$(getent passwd postgres | cut -d: -f6)
	[ -d "${home:-/nonexistent}" ] ||
		die "the postgres user cannot traverse $blocked (mode $(stat -c %a "$blocked")) and has no home folder: run 'chmod o+x $blocked' or set DATABASE_URL"
	alt="$home/tracker-clusters/$(printf '%s' "$REPO" | cksum | cut -d' ' -f1)"
	printf 'pg.sh: the postgres user cannot traverse %s (mode %s), so the cluster for %s lives in %s (recorded in .pgdata/datadir); "chmod o+x %s" would allow .pgdata/ instead\n' \
		"$blocked" "$(stat -c %a "$blocked")" "$REPO" "$alt" "$blocked" >&2
	if [ -e "$alt" ]; then
		# Left by an earlier checkout at this same path, whose .pgdata/ is gone with its password.
		as_pg "$BIN/pg_ctl" -D "$alt/data" -m immediate -w stop >/dev/null 2>&1 || true
		rm -rf "$alt"
	fi
	mkdir -p "$alt"
	chown postgres: "$home/tracker-clusters" "$alt"
	chmod 700 "$alt"
	printf '%s\n' "$alt" >"$STATE/datadir"
	DATA="$alt/data" LOG="$alt/log"
}

# port_in_use succeeds when something accepts TCP connections on 127.0.0.1:$1.
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# ensure_port sets PORT, choosing it on first use from a hash of the repository path.
ensure_port() {
	if [ -s "$STATE/port" ]; then
		PORT=$(cat "$STATE/port")
		return
	fi
	local h i p
	h=$(printf '%s' "$REPO" | cksum | cut -d' ' -f1)
	for ((i = 0; i < PORT_SPAN; i++)); do
		p=$((PORT_MIN + (h + i) % PORT_SPAN))
		if ! port_in_use "$p"; then
			PORT=$p
			printf '%s\n' "$PORT" >"$STATE/port"
			return
		fi
	done
	die "no free TCP port in $PORT_MIN-$((PORT_MIN + PORT_SPAN - 1))"
}

# ensure_password sets PASSWORD, generating it for a new cluster.
ensure_password() {
	if [ -s "$STATE/password" ]; then
		PASSWORD=$(cat "$STATE/password")
		return
	fi
	[ ! -f "$DATA/PG_VERSION" ] ||
		die "$STATE/password is missing but the cluster in $DATA exists: run 'scripts/pg.sh stop' and remove .pgdata/ to start afresh"
	if command -v openssl >/dev/null 2>&1; then
		PASSWORD=$(openssl rand -hex 24)
	else
		PASSWORD=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
	fi
	(umask 077 && printf '%s\n' "$PASSWORD" >"$STATE/password")
}

# load sets BIN, DATA, LOG, PORT and PASSWORD for an existing or new cluster.
load() {
	BIN=$(pg_bin)
	if [ -z "$BIN" ]; then
		install_postgresql
		BIN=$(pg_bin)
		[ -n "$BIN" ] || die "PostgreSQL was installed but no server binaries are in /usr/lib/postgresql/*/bin"
	fi
	resolve_layout
	match_version
	ensure_port
	ensure_password
}

# match_version points BIN at the binaries of the version an existing cluster was made with.
match_version() {
	[ -f "$DATA/PG_VERSION" ] || return 0
	local v
	v=$(cat "$DATA/PG_VERSION")
	[ -x "/usr/lib/postgresql/$v/bin/pg_ctl" ] ||
		die "the cluster in $DATA is PostgreSQL $v but only $BIN is installed: stop it and remove $DATA (and .pgdata/) to start afresh"
	BIN="/usr/lib/postgresql/$v/bin"
}

# init_cluster runs initdb into $DATA and writes the dev settings.
init_cluster() {
	local pwfile out
	mkdir -p "$DATA"
	chmod 700 "$DATA"
	pwfile=$(mktemp)
	out=$(mktemp)
	printf '%s\n' "$PASSWORD" >"$pwfile"
	if is_root; then
		chown postgres: "$DATA" "$pwfile"
	fi
	if ! as_pg "$BIN/initdb" -D "$DATA" -U "$DBUSER" --pwfile="$pwfile" --auth=scram-sha-256 \
		--encoding=UTF8 --locale=C.UTF-8 >"$out" 2>&1; then
		rm -f "$pwfile"
		cat "$out" >&2
		rm -f "$out"
		die "initdb failed in $DATA"
	fi
	rm -f "$pwfile" "$out"
	cat >>"$DATA/postgresql.conf" <<-EOF

		# Written by scripts/pg.sh: a private dev/test cluster (not durable on a crash).
		listen_addresses = '127.0.0.1'
		port = $PORT
		unix_socket_directories = ''
		max_connections = 200
		fsync = off
		synchronous_commit = off
		full_page_writes = off
		password_encryption = 'scram-sha-256'
	EOF
}

# postmaster_pid prints the PID from postmaster.pid when it belongs to a live postgres
# serving $DATA; a stale file (a killed machine, a reused PID) is removed.
postmaster_pid() {
	local f="$DATA/postmaster.pid" pid cmdline
	[ -f "$f" ] || return 0
	pid=$(head -n 1 "$f" 2>/dev/null || true)
	if [[ "$pid" =~ ^[0-9]+$ ]] && [ -d "/proc/$pid" ] &&
		[ "$(cat "/proc/$pid/comm" 2>/dev/null)" = postgres ]; then
		cmdline=$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null || true)
		if [[ "$cmdline" == *"$DATA"* ]]; then
			printf '%s\n' "$pid"
			return 0
		fi
	fi
	rm -f "$f"
}

ready() { "$BIN/pg_isready" -q -h 127.0.0.1 -p "$PORT" -d postgres -U "$DBUSER" -t 2; }

log_tail() {
	printf -- '--- last lines of %s ---\n' "$LOG" >&2
	tail -n 25 "$LOG" >&2 2>/dev/null || true
}

psql_admin() {
	PGPASSWORD="$PASSWORD" "$BIN/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PORT" \
		-U "$DBUSER" -d postgres "$@"
}

cmd_start() {
	mkdir -p "$STATE"
	exec 9>"$STATE/lock"
	flock 9 # one start at a time (make -j, two terminals)
	load
	[ -f "$DATA/PG_VERSION" ] || init_cluster
	if [ -z "$(postmaster_pid)" ]; then
		if [ ! -e "$LOG" ]; then
			touch "$LOG"
			if is_root; then chown postgres: "$LOG"; fi
		fi
		if port_in_use "$PORT"; then
			die "port $PORT (from .pgdata/port) is taken by another program: stop it, or write a free port into .pgdata/port and into port = ... in $DATA/postgresql.conf"
		fi
		# 9>&-: the server must not inherit the lock, or the next start would wait forever.
		if ! as_pg "$BIN/pg_ctl" -D "$DATA" -l "$LOG" -w -t "$START_TIMEOUT" start >/dev/null 2>&1 9>&-; then
			log_tail
			die "PostgreSQL did not start (data: $DATA)"
		fi
	fi
	local i
	for ((i = 0; i < START_TIMEOUT * 2; i++)); do
		ready && break
		sleep 0.5
	done
	if ! ready; then
		log_tail
		die "PostgreSQL does not accept connections on 127.0.0.1:$PORT after ${START_TIMEOUT}s"
	fi
	if [ -z "$(psql_admin -tAc "SELECT 1 FROM pg_database WHERE datname = '$DBNAME'")" ]; then
		psql_admin -c "CREATE DATABASE $DBNAME" >/dev/null
	fi
}

cmd_stop() {
	[ -d "$STATE" ] || return 0
	BIN=$(pg_bin)
	[ -n "$BIN" ] || return 0
	existing_layout
	[ -f "$DATA/PG_VERSION" ] || return 0
	match_version
	[ -n "$(postmaster_pid)" ] || return 0
	as_pg "$BIN/pg_ctl" -D "$DATA" -m fast -w -t "$START_TIMEOUT" stop >/dev/null ||
		die "pg_ctl stop failed (data: $DATA)"
}

cmd_url() {
	cmd_start
	printf 'postgres://%s:%s@127.0.0.1:%s/%s?sslmode=disable\n' "$DBUSER" "$PASSWORD" "$PORT" "$DBNAME"
}

cmd_status() {
	BIN=$(pg_bin)
	if [ -z "$BIN" ]; then
		echo "PostgreSQL is not installed ('scripts/pg.sh start' installs it)"
		exit 3
	fi
	if [ ! -d "$STATE" ]; then
		echo "no cluster yet ('scripts/pg.sh start' creates it in .pgdata/)"
		exit 3
	fi
	existing_layout
	if [ ! -f "$DATA/PG_VERSION" ]; then
		echo "no cluster yet ('scripts/pg.sh start' creates it in $DATA)"
		exit 3
	fi
	PORT=$(cat "$STATE/port" 2>/dev/null || echo '?')
	local pid
	pid=$(postmaster_pid)
	if [ -n "$pid" ]; then
		echo "running: PostgreSQL $(cat "$DATA/PG_VERSION") on 127.0.0.1:$PORT (pid $pid, data $DATA, log $LOG)"
		exit 0
	fi
	echo "stopped: PostgreSQL $(cat "$DATA/PG_VERSION") cluster in $DATA (port $PORT)"
	exit 3
}

case "${1:-}" in
start) cmd_start ;;
stop) cmd_stop ;;
url) cmd_url ;;
status) cmd_status ;;
*)
	echo "usage: $0 start|stop|url|status" >&2
	exit 2
	;;
esac
