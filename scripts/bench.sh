#!/usr/bin/env bash
# bench.sh — `make bench`: how fast the tracker serves its main routes, measured with wrk
# against a bare-stack reference (cmd/benchref: Fiber + sqlx + lib/pq and nothing else) on
# the same machine. A benchmark, not a test: it prints figures and targets and never fails
# on a figure, only when it cannot run.
#
# Usage: scripts/bench.sh        (or make bench; make bench BENCH_RELOCATIONS=1000)
#
# Environment:
#   DATABASE_URL       a postgres:// URL naming the PostgreSQL server to use. The bench never
#                      touches that URL's database: it works in a database tracker_bench
#                      beside it. Unset: the private cluster of scripts/pg.sh (started if needed).
#   BENCH_RELOCATIONS  relocations in the portfolio (default 200), 30 milestones each; the
#                      first also has 20 candidate sites scored on its manual criteria
#   BENCH_SECONDS      length of each measured wrk run (default 8)
#   BENCH_ONLY         an extended regular expression: measure only the routes whose label
#                      matches it, case ignored (e.g. BENCH_ONLY='portfolio|ranking page')
#   GO                 the go command (default go)
#
# What it does:
#   1. builds bin/tracker and bin/benchref;
#   2. DROPS and recreates the database tracker_bench (whatever is in it is lost, at each
#      run), migrates it with bin/tracker migrate and seeds it with SQL (generate_series);
#   3. creates an administrator, an API token, and a browser session by logging in the way
#      a browser does (CSRF cookie and hidden field);
#   4. starts bin/tracker serve and bin/benchref on free ports of 127.0.0.1;
#   5. for each route: checks that it answers 2xx, warms it for 2 s, then runs wrk on the
#      reference route and right after on the tracker route (paired runs: both see the
#      machine in the same state, so their ratio holds when absolute figures drift);
#   6. prints a Markdown table, then the peak RSS of the tracker (VmHWM);
#   7. on exit, whatever happened: stops both servers and drops tracker_bench.
# The logs and the raw wrk outputs of the last run stay in bin/bench/.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
cd "$REPO"

GO=${GO:-go}
RELOCATIONS=${BENCH_RELOCATIONS:-200}
SECS=${BENCH_SECONDS:-8}
MILESTONES=30 # per relocation
SITES=20      # candidate sites of the first relocation
THREADS=2     # wrk -t
CONNS=64      # wrk -c
WARM_SECS=2
DBNAME=tracker_bench
EMAIL=bench@exemple.gouv.fr
OUT=bin/bench # logs and raw wrk outputs of the last run (bin/ is git-ignored)
LUA=scripts/bench/patch_milestones.lua
REF_LUA=scripts/bench/patch_write.lua

PROG=bench
# shellcheck source=scripts/common.sh
. "$REPO/scripts/common.sh" # the caller's libpq settings ignored; die

say() { printf 'bench: %s\n' "$*" >&2; }

[[ "$RELOCATIONS" =~ ^[1-9][0-9]*$ ]] || die "BENCH_RELOCATIONS=$RELOCATIONS: a positive integer is expected"
[[ "$SECS" =~ ^[1-9][0-9]*$ ]] || die "BENCH_SECONDS=$SECS: a positive integer is expected"
command -v wrk >/dev/null || die "wrk is missing: run 'make wrk' (Debian's wrk package)"
command -v curl >/dev/null || die "curl is missing: apt-get install curl"

# PSQL: psql from PATH, else the newest server's (Debian puts both there with the server).
PSQL=$(command -v psql || printf '%s\n' /usr/lib/postgresql/*/bin/psql | sort -V | tail -n 1)
[ -x "$PSQL" ] || die "psql is missing: install Debian's postgresql-client (make db-start installs the server with it)"

# --- Database URLs --------------------------------------------------------------------

if [ -z "${DATABASE_URL:-}" ]; then
	DATABASE_URL=$(scripts/pg.sh url)
fi
# with_db URL NAME prints URL naming database NAME instead (same server, user, options).
with_db() {
	[[ "$1" =~ ^(postgres(ql)?://[^/?]*)(/[^?]*)?(\?.*)?$ ]] ||
		die "DATABASE_URL is not a postgres://user:password@host:port/db URL (key=value strings are not supported here)"
	printf '%s/%s%s\n' "${BASH_REMATCH[1]}" "$2" "${BASH_REMATCH[4]}"
}
# The database to run CREATE/DROP DATABASE from: DATABASE_URL's own, unless it is ours.
ADMIN_URL=$DATABASE_URL
if [[ "$DATABASE_URL" =~ ^postgres(ql)?://[^/?]*/${DBNAME}([?].*)?$ ]]; then
	ADMIN_URL=$(with_db "$DATABASE_URL" postgres)
fi
BENCH_URL=$(with_db "$DATABASE_URL" "$DBNAME")

# sql URL [psql args...] runs psql quietly, stopping at the first error.
sql() {
	local url=$1
	shift
	"$PSQL" -X -q -v ON_ERROR_STOP=1 -d "$url" "$@"
}

# --- Clean-up, whatever happens -------------------------------------------------------

PIDS=()
DB_CREATED=0
cleanup() {
	local rc=$? pid
	trap - EXIT INT TERM
	for pid in ${PIDS[@]+"${PIDS[@]}"}; do
		kill "$pid" 2>/dev/null || true
	done
	for pid in ${PIDS[@]+"${PIDS[@]}"}; do
		wait "$pid" 2>/dev/null || true
	done
	if [ "$DB_CREATED" -eq 1 ]; then
		sql "$ADMIN_URL" -c "DROP DATABASE IF EXISTS $DBNAME WITH (FORCE)" >/dev/null 2>&1 ||
			say "could not drop the database $DBNAME (drop it by hand)"
	fi
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- 1. Build ---------------------------------------------------------------------------

say "building bin/tracker and bin/benchref..."
"$GO" build -o bin/tracker ./cmd/tracker
"$GO" build -o bin/benchref ./cmd/benchref
rm -rf "$OUT"
mkdir -p "$OUT"

# --- 2. The throwaway database, migrated and seeded -------------------------------------

say "dropping and recreating the database $DBNAME (a throwaway: dropped again at the end)..."
sql "$ADMIN_URL" -c "DROP DATABASE IF EXISTS $DBNAME WITH (FORCE)" >/dev/null
DB_CREATED=1
sql "$ADMIN_URL" -c "CREATE DATABASE $DBNAME" >/dev/null ||
	die "cannot create the database $DBNAME (the account of DATABASE_URL needs CREATEDB)"
DATABASE_URL=$BENCH_URL bin/tracker migrate >"$OUT/migrate.log"

say "seeding $RELOCATIONS relocations × $MILESTONES milestones, $SITES scored sites on the first..."
# Every row satisfies the CHECKs of migrations/*.sql and what the actions would write:
# slugs banc-00001…, FuzzyDates at month precision (planned_start and planned_end are the
# month's first and last day; baseline = planned and baseline_end = planned_end: no slip),
# past milestones done (actual)
# but one in seven left overdue, two thirds of milestones public, relocation 1 and every
# 4th relocation public. Every relocation gets the default grid of criteria/store.go
# Defaults, with the commute criterion set aside (active = false: no roster is imported,
# so each site's commute figures are the withheld row migration 007 writes), so that the
# first relocation's sites rank on surface and its two manual criteria.
sql "$BENCH_URL" -v n="$RELOCATIONS" -v m="$MILESTONES" -v s="$SITES" >"$OUT/seed.log" <<'SQL'
BEGIN;

INSERT INTO relocations (slug, name, body, origin, origin_lat, origin_lon, destination, decision,
                         headcount, status, target_move, visibility)
SELECT 'banc-' || lpad(g::text, 5, '0'),
       'Relocalisation n° ' || g,
       'Service à compétence nationale n° ' || g,
       'Paris', 48.8566, 2.3522,
       (ARRAY['Lyon', 'Marseille', 'Toulouse', 'Bordeaux', 'Nantes', 'Lille', 'Rennes', 'Dijon'])[1 + g % 8],
       'Plan de relocalisation des services (données du banc d’essai)',
       60 + (g * 37) % 240,
       CASE WHEN g = 1 THEN 'site_search' ELSE (ARRAY['announced', 'site_search'])[1 + g % 2] END,
       (2027 + g % 3) || '-S' || (1 + g % 2),
       CASE WHEN g = 1 OR g % 4 = 0 THEN 'public' ELSE 'internal' END
FROM generate_series(1, :n) g
ORDER BY g;

-- The first milestone is the decision, the last the move, the others cycle through the kinds.
INSERT INTO milestones (relocation_id, kind, title, planned, planned_start, planned_end, baseline,
                        baseline_end, actual, source, source_url, public)
SELECT r.id, t.kind, 'Étape ' || (k + 1) || ' : ' || t.label, t.planned, t.first_day, t.last_day,
       t.planned, t.last_day,
       CASE WHEN t.first_day + interval '1 month' <= current_date AND k % 7 <> 3 THEN t.first_day + 14 END,
       'Communiqué du ministère',
       CASE WHEN k % 2 = 0 THEN 'https://www.exemple.gouv.fr/banc/' || r.id || '/' || k END,
       k % 3 <> 2
FROM relocations r
CROSS JOIN generate_series(0, :m - 1) k
CROSS JOIN LATERAL (SELECT (date '2025-01-01' + make_interval(months => 2 * k + (r.id % 6)::int))::date AS first_day) d
CROSS JOIN LATERAL (
    SELECT d.first_day, (d.first_day + interval '1 month' - interval '1 day')::date AS last_day,
           to_char(d.first_day, 'YYYY-MM') AS planned, c.kind, c.label
    FROM (SELECT CASE WHEN k = 0 THEN 0 WHEN k = :m - 1 THEN 9 ELSE 1 + (k - 1) % 8 END AS i) p
    JOIN (VALUES (0, 'decision', 'décision'), (1, 'parliamentary_question', 'question parlementaire'),
                 (2, 'site_search', 'recherche de site'), (3, 'site_decision', 'choix du site'),
                 (4, 'letter_of_intent', 'lettre d’intention'), (5, 'lease', 'bail'),
                 (6, 'staff_consultation', 'consultation du personnel'), (7, 'works', 'travaux'),
                 (8, 'other', 'comité de suivi'), (9, 'move', 'déménagement')) AS c (i, kind, label)
      ON c.i = p.i
) t
ORDER BY r.id, k;

-- One move date (SPEC): the relocation's target move is its move milestone's planned date
-- (the database checks it at commit, migration 023).
UPDATE relocations r SET target_move = m.planned
FROM milestones m WHERE m.relocation_id = r.id AND m.kind = 'move';

-- The journal the actions would have written: each relocation and milestone created.
INSERT INTO journal (at, by, relocation_id, entity, entity_id, action, changes)
SELECT r.created_at, 'banc d’essai', r.id, 'relocation', r.id, 'create',
       jsonb_build_object('name', jsonb_build_object('before', NULL::text, 'after', r.name),
                          'destination', jsonb_build_object('before', NULL::text, 'after', r.destination),
                          'target_move', jsonb_build_object('before', NULL::text, 'after', r.target_move))
FROM relocations r
ORDER BY r.id;
INSERT INTO journal (at, by, relocation_id, entity, entity_id, action, changes)
SELECT m.created_at, 'banc d’essai', m.relocation_id, 'milestone', m.id, 'create',
       jsonb_build_object('kind', jsonb_build_object('before', NULL::text, 'after', m.kind),
                          'title', jsonb_build_object('before', NULL::text, 'after', m.title),
                          'planned', jsonb_build_object('before', NULL::text, 'after', m.planned),
                          'source', jsonb_build_object('before', NULL::text, 'after', m.source),
                          'public', jsonb_build_object('before', NULL::boolean, 'after', m.public))
FROM milestones m
ORDER BY m.id;

-- The default grid (criteria/store.go Defaults), commute set aside.
INSERT INTO criteria (relocation_id, name, weight, direction, scale_min, scale_max, threshold, source, active)
SELECT r.id, d.name, d.weight, d.direction, d.scale_min, d.scale_max, d.threshold, d.source, d.active
FROM relocations r CROSS JOIN (VALUES
    (1, 'Surface nécessaire et offres immobilières', 30.0, 'higher_is_better', 0.0, 1.5, 1.0, 'surface_coverage', true),
    (2, 'Visibilité et accessibilité', 25.0, 'higher_is_better', 0.0, 10.0, NULL, 'manual', true),
    (3, 'Situation des agents, temps de trajet', 25.0, 'lower_is_better', 0.0, 120.0, NULL, 'commute_median', false),
    (4, 'Nécessités des métiers et pratiques de travail', 20.0, 'higher_is_better', 0.0, 10.0, NULL, 'manual', true)
) AS d (position, name, weight, direction, scale_min, scale_max, threshold, source, active)
ORDER BY r.id, d.position;

-- The first relocation's candidate sites (its headcount 97 needs 1,552 m²: sites 1, 2, 14
-- and 15 are below the surface threshold, so eliminated).
INSERT INTO sites (relocation_id, name, address, commune, department, lat, lon, kind, surface_m2,
                   annual_cost_eur, available_from, status)
SELECT r.id, 'Site n° ' || g, g || ' rue de la République', 'Lyon', '69',
       45.70 + g * 0.007, 4.80 + g * 0.005,
       (ARRAY['colocation', 'lease', 'state_owned'])[1 + g % 3],
       1200 + (g * 173) % 2400, 150000 + (g * 7919) % 400000,
       '2027-Q' || (1 + g % 4),
       CASE WHEN g % 5 = 0 THEN 'shortlisted' ELSE 'candidate' END
FROM relocations r CROSS JOIN generate_series(1, :s) g
WHERE r.slug = 'banc-00001'
ORDER BY g;

-- No roster: each site's figures are withheld, as migration 007 writes them.
INSERT INTO commute_figures (site_id, relocation_id, agents, estimated, withheld)
SELECT id, relocation_id, 0, 0, 'aucun fichier des agents importé' FROM sites ORDER BY id;

-- Every site scored on every manual criterion, within the 0–10 scale.
INSERT INTO scores (site_id, criterion_id, value, justification, updated_by)
SELECT s.id, c.id, 1 + (s.id * 7 + c.id * 3) % 10, 'Visite du site et dossier du bailleur (banc d’essai)', 'bench@exemple.gouv.fr'
FROM sites s JOIN criteria c ON c.relocation_id = s.relocation_id AND c.source = 'manual'
ORDER BY s.id, c.id;

COMMIT;
ANALYZE;
SQL

# The routes' ids, read back rather than assumed.
REL_ID=$(sql "$BENCH_URL" -tA -c "SELECT id FROM relocations WHERE slug = 'banc-00001'")
SLUG=banc-00001
read -r MS_FIRST MS_LAST < <(sql "$BENCH_URL" -tA -F ' ' -c "SELECT min(id), max(id) FROM milestones")
read -r N_REL N_MS N_SITES N_SCORES < <(sql "$BENCH_URL" -tA -F ' ' -c \
	"SELECT (SELECT count(*) FROM relocations), (SELECT count(*) FROM milestones), (SELECT count(*) FROM sites), (SELECT count(*) FROM scores)")

# --- 3. An administrator, a token and a session -------------------------------------------

PASSWORD="banc-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"
printf '%s\n' "$PASSWORD" | DATABASE_URL=$BENCH_URL bin/tracker user add --email "$EMAIL" --name Bench --role admin >"$OUT/user.log"
TOKEN=$(DATABASE_URL=$BENCH_URL bin/tracker token create --email "$EMAIL" --name bench)
[ -n "$TOKEN" ] || die "tracker token create printed no token"

# --- 4. The two servers ------------------------------------------------------------------

# port_in_use succeeds when something accepts TCP connections on 127.0.0.1:$1.
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# free_port prints a free port from 18100 up, skipping $1 (the port already chosen).
free_port() {
	local p
	for ((p = 18100; p < 18400; p++)); do
		if [ "$p" != "${1:-}" ] && ! port_in_use "$p"; then
			printf '%s\n' "$p"
			return
		fi
	done
	die "no free TCP port in 18100-18399"
}

# wait_up NAME PID URL waits until URL answers 200, or dies with the end of the log.
wait_up() {
	local name=$1 pid=$2 url=$3 i
	for ((i = 0; i < 300; i++)); do
		if curl -fsS -o /dev/null "$url" 2>/dev/null; then
			return
		fi
		if ! kill -0 "$pid" 2>/dev/null; then
			tail -n 20 "$OUT/$name.log" >&2
			die "$name stopped at start (log: $OUT/$name.log)"
		fi
		sleep 0.1
	done
	tail -n 20 "$OUT/$name.log" >&2
	die "$name does not answer $url after 30 s (log: $OUT/$name.log)"
}

PORT=$(free_port)
REF_PORT=$(free_port "$PORT")
BASE=http://127.0.0.1:$PORT
REF=http://127.0.0.1:$REF_PORT

# The tracker as shipped (access log on, at info level, to a file), with a pool as large
# as the reference's.
DATABASE_URL=$BENCH_URL LISTEN_ADDR=127.0.0.1:$PORT DB_MAX_OPEN_CONNS=32 DB_MAX_IDLE_CONNS=32 \
	SHUTDOWN_TIMEOUT=5s bin/tracker serve >"$OUT/tracker.log" 2>&1 &
TRACKER_PID=$!
PIDS+=("$TRACKER_PID")
DATABASE_URL=$BENCH_URL ADDR=127.0.0.1:$REF_PORT bin/benchref >"$OUT/benchref.log" 2>&1 &
REF_PID=$!
PIDS+=("$REF_PID")
wait_up tracker "$TRACKER_PID" "$BASE/healthz"
wait_up benchref "$REF_PID" "$REF/hello"

# Log in as a browser does: GET /login sets the CSRF cookie and repeats it in the form's
# hidden _csrf field; POST /login with both answers 303 and sets the session cookie.
csrf=$(curl -fsS -c "$OUT/login.cookies" "$BASE/login" | grep -o 'name="_csrf" value="[^"]*"' | head -n 1 | sed 's/.*value="//; s/"$//')
[ -n "$csrf" ] || die "no _csrf field in the login page"
curl -sS -o /dev/null -D "$OUT/login.headers" -b "$OUT/login.cookies" \
	--data-urlencode "email=$EMAIL" --data-urlencode "password=$PASSWORD" \
	--data-urlencode "_csrf=$csrf" --data-urlencode "next=/" "$BASE/login"
SESSION=$(tr -d '\r' <"$OUT/login.headers" | sed -n 's/^[Ss]et-[Cc]ookie: tracker_session=\([^;]*\).*/\1/p' | head -n 1)
[ -n "$SESSION" ] || die "login failed: no tracker_session cookie (headers in $OUT/login.headers)"
rm -f "$OUT/login.cookies"

# --- 5. The runs ---------------------------------------------------------------------------

# auth_args KIND sets ARGS (wrk and curl options) and TAIL (wrk script arguments) for a
# route reached with a token, a session cookie, anonymously, or the PATCH script.
auth_args() {
	TAIL=()
	case $1 in
	token) ARGS=(-H "Authorization: Bearer $TOKEN") ;;
	session) ARGS=(-H "Cookie: tracker_session=$SESSION") ;;
	anon | ref) ARGS=() ;;
	refpatch) ARGS=(-s "$REF_LUA") ;;
	patch)
		ARGS=(-H "Authorization: Bearer $TOKEN" -s "$LUA")
		TAIL=(-- "$MS_FIRST" "$MS_LAST")
		;;
	esac
}

# check KIND URL prints the HTTP status of one request as wrk will send it.
check() {
	if [ "$1" = patch ]; then
		curl -sS -o /dev/null -w '%{http_code}' -X PATCH -H "Authorization: Bearer $TOKEN" \
			-H 'If-Match: *' -H 'Content-Type: application/json' \
			--data '{"title":"Jalon vérifié avant la mesure"}' "$BASE/api/v1/milestones/$MS_FIRST"
		return
	fi
	auth_args "$1"
	curl -sS -o /dev/null -w '%{http_code}' ${ARGS[@]+"${ARGS[@]}"} "$2"
}

# wrk_run KIND URL SECONDS OUTFILE runs wrk with the bench's threads and connections.
wrk_run() {
	auth_args "$1"
	wrk -t"$THREADS" -c"$CONNS" -d"${3}s" --latency ${ARGS[@]+"${ARGS[@]}"} "$2" ${TAIL[@]+"${TAIL[@]}"} >"$4" 2>&1 ||
		die "wrk failed on $2 (output: $4)"
}

# ms VALUE converts a wrk duration (812.00us, 2.80ms, 1.20s, 1.00m) to milliseconds.
ms() {
	awk -v v="$1" 'BEGIN {
		n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
		f = (u == "us") ? 0.001 : (u == "ms") ? 1 : (u == "s") ? 1000 : (u == "m") ? 60000 : -1
		if (f < 0) { print "?"; exit }
		printf "%.3f", n * f
	}'
}

# parse FILE sets RPS, P50, P99 (ms) and ERRS (non-2xx-or-3xx responses + socket errors).
parse() {
	RPS=$(awk '/^Requests\/sec:/ { print $2 }' "$1")
	P50=$(ms "$(awk '$1 == "50%" { print $2 }' "$1")")
	P99=$(ms "$(awk '$1 == "99%" { print $2 }' "$1")")
	ERRS=$(awk '/Non-2xx or 3xx responses:/ { n += $NF } /Socket errors:/ { n += $4 + $6 + $8 + $10 } END { print n + 0 }' "$1")
	[ -n "$RPS" ] || die "no Requests/sec in $1"
}

# fmt_ms MS prints a latency for the table: 0.84 ms, 12.3 ms, 245 ms.
fmt_ms() {
	awk -v v="$1" 'BEGIN { if (v == "?") print "?"; else if (v < 10) printf "%.2f ms", v; else if (v < 100) printf "%.1f ms", v; else printf "%.0f ms", v }'
}

ROWS=()
n=0
# measure LABEL KIND PATH REF_PATH MIN_RATIO MAX_P99_MS: check, warm, reference run, route run.
# MIN_RATIO and MAX_P99_MS are the targets ("" when the route has none): printed, never enforced.
measure() {
	local label=$1 kind=$2 path=$3 ref_path=$4 min_ratio=$5 max_p99=$6 status note="" target verdict ratio
	n=$((n + 1))
	if [ -n "${BENCH_ONLY:-}" ] && ! grep -qiE -- "$BENCH_ONLY" <<<"$label"; then
		return
	fi
	say "[$n] $label: checking, warming ${WARM_SECS}s, then $ref_path and the route, ${SECS}s each..."
	status=$(check "$kind" "$BASE$path")
	if [[ "$status" != 2?? ]]; then
		say "  $path answered $status before the run (counted in the errors column)"
		note=" (check: $status)"
	fi
	wrk_run "$kind" "$BASE$path" "$WARM_SECS" "$OUT/$n-warm.txt"
	local ref_kind=ref
	[ "$kind" != patch ] || ref_kind=refpatch # writes beside the reference's journaled write
	wrk_run "$ref_kind" "$REF$ref_path" "$SECS" "$OUT/$n-reference.txt"
	parse "$OUT/$n-reference.txt"
	local ref_rps=$RPS ref_errs=$ERRS ref_p99=$P99
	wrk_run "$kind" "$BASE$path" "$SECS" "$OUT/$n-route.txt"
	parse "$OUT/$n-route.txt"
	ratio=$(awk -v a="$RPS" -v b="$ref_rps" 'BEGIN { printf "%.2f", (b > 0) ? a / b : 0 }')
	target="—"
	if [ -n "$min_ratio" ]; then
		target="≥ $min_ratio"
		verdict=$(awk -v r="$ratio" -v m="$min_ratio" 'BEGIN { print (r >= m) ? "met" : "below" }')
		if [ -n "$max_p99" ]; then
			target="$target, p99 ≤ $max_p99 ms"
			verdict=$(awk -v v="$verdict" -v p="$P99" -v m="$max_p99" 'BEGIN { print (v == "met" && p <= m) ? "met" : "below" }')
		fi
		target="$target: $verdict"
	fi
	[ "$ref_errs" -eq 0 ] || note="$note (reference: $ref_errs)"
	ROWS+=("| $label | $(printf '%.0f' "$RPS") | $(fmt_ms "$P50") | $(fmt_ms "$P99") | \`$ref_path\` | $(printf '%.0f' "$ref_rps") | $(fmt_ms "$ref_p99") | $ratio | $target | $ERRS$note |")
}

# Other work on the machine skews every figure: the header shows the load around the runs.
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
say "tracker on $BASE (pid $TRACKER_PID), reference on $REF (pid $REF_PID); wrk -t$THREADS -c$CONNS -d${SECS}s per run"
wrk_run ref "$REF/one" "$WARM_SECS" "$OUT/0-warm-one.txt"
wrk_run ref "$REF/page" "$WARM_SECS" "$OUT/0-warm-page.txt"

measure "API relocation \`GET /api/v1/relocations/{id}\`" token "/api/v1/relocations/$REL_ID" /one 0.5 ""
measure "API milestones \`GET /api/v1/relocations/{id}/milestones\`" token "/api/v1/relocations/$REL_ID/milestones" /page "" ""
measure "API ranking \`GET /api/v1/relocations/{id}/ranking\`" token "/api/v1/relocations/$REL_ID/ranking" /page 0.4 ""
measure "API list \`GET /api/v1/relocations\`" token "/api/v1/relocations" /page "" ""
measure "Relocation page \`/projets/{id}\`" session "/projets/$REL_ID" /page 0.4 ""
measure "Ranking page \`/projets/{id}/classement\`" session "/projets/$REL_ID/classement" /page 0.4 ""
measure "Portfolio \`/\`" session "/" /page 0.3 100
measure "Public page \`/r/{slug}\` (anonymous)" anon "/r/$SLUG" /page 0.7 ""
measure "Mixed writes \`PATCH /api/v1/milestones/{id}\`" patch "/api/v1/milestones/{id}" "/write/{id}" 0.4 150

# --- 6. The report -------------------------------------------------------------------------

# VmHWM: the most resident memory the process has had since it started.
RSS_MIB=$(awk '/^VmHWM:/ { printf "%.1f", $2 / 1024 }' "/proc/$TRACKER_PID/status")
REF_RSS_MIB=$(awk '/^VmHWM:/ { printf "%.1f", $2 / 1024 }' "/proc/$REF_PID/status")
RSS_VERDICT=$(awk -v r="$RSS_MIB" 'BEGIN { print (r < 100) ? "met" : "above" }')
# What the access log saw, by status: 3xx answers escape wrk's error count.
STATUSES=$(grep -o '"status":[0-9]*' "$OUT/tracker.log" | cut -d: -f2 | sort | uniq -c | awk '{ printf "%s%s × %s", sep, $2, $1; sep = ", " }')
ERROR_LINES=$(grep -c '"level":"ERROR"' "$OUT/tracker.log" || true)

{
	echo "### make bench — $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git describe --always --dirty 2>/dev/null || echo '?')"
	echo
	echo "Portfolio: $N_REL relocations × $MILESTONES milestones ($N_MS), the first with $N_SITES sites and $N_SCORES scores."
	echo "Each row: wrk -t$THREADS -c$CONNS -d${SECS}s --latency on the reference route, then right after on the tracker route"
	echo "(each warmed ${WARM_SECS}s first); ratio = tracker req/s ÷ reference req/s (cmd/benchref: Fiber + sqlx + lib/pq, nothing else)."
	echo "Machine: $(nproc) cores shared by wrk, the tracker, the reference and PostgreSQL: absolute figures move with its load; the ratios hold better."
	echo "Load average (1, 5, 15 min) before the runs: $LOAD_BEFORE; after: $(cut -d' ' -f1-3 /proc/loadavg)."
	echo "Tracker: DB_MAX_OPEN_CONNS=32, DB_MAX_IDLE_CONNS=32, access log at info level to a file. Targets are printed, never enforced."
	echo
	echo "| route | req/s | p50 | p99 | reference | ref req/s | ref p99 | ratio | target | non-2xx + socket errors |"
	echo "|---|---:|---:|---:|---|---:|---:|---:|---|---:|"
	printf '%s\n' "${ROWS[@]}"
	echo
	echo "Tracker peak RSS (VmHWM): $RSS_MIB MiB (target < 100 MiB: $RSS_VERDICT); reference: $REF_RSS_MIB MiB."
	echo "Tracker access log, by status (the login's 303 included): ${STATUSES:-no request}; $ERROR_LINES error line(s)."
} | tee "$OUT/result.md"
say "logs and raw wrk outputs: $OUT/ (result.md holds the table)"
