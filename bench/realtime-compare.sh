#!/usr/bin/env bash
# Both real-time sources side by side on one shop: for poll, then replication, starts the service
# (Release build, port 5082), waits until it is ready and its source has done its start-up read,
# then runs bench/realtime-dbwork.sh idle and at 50 changes/s and, unless --no-delay,
# bench/realtime-delay.sh. The first run trains (itemknn) into --models; the second serves that
# model. Leaves no process, slot or publication behind.
#
#   bench/realtime-compare.sh --db shop_beauty --models /tmp/rt-models-beauty [--no-delay] [--tries 20] [--sources "poll replication"] [--port 5082]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
server="postgresql://recommender:recommender@127.0.0.1:5432"
port=5082; db=shop_beauty; models=/tmp/rt-models; delay=yes; tries=20; seconds=30; sources="poll replication"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --db) db="$2"; shift 2 ;;
    --models) models="$2"; shift 2 ;;
    --no-delay) delay=no; shift ;;
    --tries) tries="$2"; shift 2 ;;
    --seconds) seconds="$2"; shift 2 ;;
    --sources) sources="$2"; shift 2 ;;
    --port) port="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
url=http://127.0.0.1:$port
pid=""
cleanup() {
  if [[ -n "$pid" ]]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  sleep 1
  psql "$server/$db" -qAtX -c "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = 'recommender_bench_$db' AND NOT active" >/dev/null || true
  psql "$server/$db" -qAtX -c "DROP PUBLICATION IF EXISTS recommender_shop_changes" >/dev/null || true
}
trap cleanup EXIT

for source in $sources; do
  train=false; [[ -d "$models" ]] && ls "$models"/*.zip >/dev/null 2>&1 || train=true
  log="/tmp/rt-compare-$db-$source.log"
  (cd Recommender.Api && DATABASE_URL="$server/$db" ASPNETCORE_ENVIRONMENT=Production \
    Recommender__ModelsDirectory="$models" Recommender__TrainOnSchedule=$train Recommender__TrainingIntervalSeconds=86400 \
    Recommender__Training__Algorithm=itemknn Recommender__Training__HoldoutEvaluation=false \
    Recommender__RealTime__Source=$source Recommender__Cluster__InstanceId=bench_$db \
    exec dotnet bin/Release/net10.0/Recommender.Api.dll --urls $url) > "$log" 2>&1 &
  pid=$!
  until [[ "$(curl -s -o /dev/null -w '%{http_code}' $url/ready)" == 200 ]]; do sleep 1; done
  until grep -q "Real-time start-up read" "$log"; do sleep 1; done
  sleep 5
  echo "== $db, source $source (pid $pid): $(grep -o 'Real-time start-up read.*' "$log" | head -1)"
  grep -o 'Real time reads logical replication.*' "$log" || true
  grep -o 'polling the shop instead.*' "$log" || true
  bench/realtime-dbwork.sh --db "$db" --seconds "$seconds" --rate 0
  bench/realtime-dbwork.sh --db "$db" --seconds "$seconds" --rate 50
  if [[ "$delay" == yes ]]; then PGPASSWORD=recommender bench/realtime-delay.sh --url $url --db "$server/$db" --tries "$tries" | tail -3; fi
  echo "service RSS: $(awk '/VmRSS/ { print $2 / 1024 " MiB" }' /proc/$pid/status)"
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""
done
