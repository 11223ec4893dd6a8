#!/usr/bin/env bash
# Database work of the real-time source of a running service, idle and under a steady stream of
# cart changes, measured from PostgreSQL's side (pg_stat_statements is not needed):
#   - CPU of the service's server processes (its pooled backends, and for replication its
#     walsender, which decodes the WAL), from /proc/<pid>/stat, in ms of CPU per second;
#   - the shop database's transactions and rows read per second (pg_stat_database: tup_returned +
#     tup_fetched), which include the load generator's own inserts and deletes.
#
#   bench/realtime-dbwork.sh --db shop_big [--seconds 30] [--rate 50]
#
# --rate N: N changes a second (half inserts of a cart item, half deletes of one inserted before),
# from one psql session named rt-load, spread over 100 existing carts; every row it inserts is
# deleted again. --rate 0 measures the service alone.
set -euo pipefail
server="postgresql://recommender:recommender@127.0.0.1:5432"
db=shop_big; seconds=30; rate=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --db) db="$2"; shift 2 ;;
    --seconds) seconds="$2"; shift 2 ;;
    --rate) rate="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
export PGAPPNAME=rt-bench
sql() { psql "$server/$db" -qAtX -v ON_ERROR_STOP=1 -c "$1"; }

service_pids() {
  sql "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()
       AND application_name NOT IN ('rt-bench', 'rt-load', 'psql')"
}
# A process may end between listing and reading (a parallel worker): it then counts 0.
cpu_ticks() { local total=0 ticks; for pid in "$@"; do
  ticks=$(awk '{ print $14 + $15 }' "/proc/$pid/stat" 2>/dev/null) || ticks=0
  total=$(( total + ${ticks:-0} )); done; echo "$total"; }
db_counters() { sql "SELECT xact_commit + xact_rollback, tup_returned + tup_fetched FROM pg_stat_database WHERE datname = current_database()"; }

load_pid=""
if (( rate > 0 )); then
  mapfile -t carts < <(sql "SELECT \"id\" FROM \"Cart\" ORDER BY \"id\" LIMIT 100")
  product=$(sql "SELECT \"id\" FROM \"Product\" ORDER BY \"id\" LIMIT 1")
  pause=$(awk -v r="$rate" 'BEGIN { printf "%.4f", 1 / r }')
  changes=$(( rate * (seconds + 5) / 2 ))
  {
    for (( n = 0; n < changes; n++ )); do
      cart=${carts[$(( n % ${#carts[@]} ))]}
      echo "INSERT INTO \"CartItem\" (\"id\", \"cartId\", \"productId\", \"quantity\", \"createdAt\", \"updatedAt\") VALUES ('rt-load-$n-$$', '$cart', '$product', 1, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC');"
      echo "SELECT pg_sleep($pause);"
      echo "DELETE FROM \"CartItem\" WHERE \"id\" = 'rt-load-$n-$$';"
      echo "SELECT pg_sleep($pause);"
    done
  } | PGAPPNAME=rt-load psql "$server/$db" -qAtX -o /dev/null &
  load_pid=$!
  sleep 3   # let the stream settle
fi

mapfile -t pids < <(service_pids)
ticks_before=$(cpu_ticks "${pids[@]}")
read -r xacts_before tuples_before < <(db_counters | tr '|' ' ')
sleep "$seconds"
read -r xacts_after tuples_after < <(db_counters | tr '|' ' ')
mapfile -t pids_after < <(service_pids)
ticks_after=$(cpu_ticks "${pids[@]}")
new_pids=($(comm -13 <(printf '%s\n' "${pids[@]}" | sort) <(printf '%s\n' "${pids_after[@]}" | sort)))
new_ticks=$(cpu_ticks "${new_pids[@]}")
if [[ -n "$load_pid" ]]; then kill "$load_pid" 2>/dev/null || true; wait "$load_pid" 2>/dev/null || true; fi
sql "DELETE FROM \"CartItem\" WHERE \"id\" LIKE 'rt-load-%'" >/dev/null

hz=$(getconf CLK_TCK)
awk -v t=$(( ticks_after - ticks_before + new_ticks )) -v hz="$hz" -v s="$seconds" -v x=$(( xacts_after - xacts_before )) \
    -v r=$(( tuples_after - tuples_before )) -v n="${#pids_after[@]}" -v rate="$rate" -v db="$db" 'BEGIN {
  printf "%s, %d changes/s: service backends (%d) %.1f ms CPU/s; database %.1f transactions/s, %.0f rows read/s\n",
    db, rate, n, 1000 * t / hz / s, x / s, r / s }'
