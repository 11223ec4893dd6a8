#!/usr/bin/env bash
# What remembering impressions and counting them costs the request path: the service on a
# PostgreSQL shop (default: the Beauty shop of bench/README.md), once with Attribution:Enabled=true
# and once with false, the same wrk load each time, on loopback; prints requests/s, p50, p99 of each
# and the difference.
#
#   bench/attribution-overhead.sh [--duration 20s] [--port 5091] [-- SCRIPT_ARGS...]
#
# DATABASE_URL defaults to postgresql://recommender:recommender@127.0.0.1:5432/shop_beauty. Extra
# settings for both runs go in the environment (e.g. Recommender__Attribution__MaxImpressions=50000
# to keep eviction busy). Needs a Release build: dotnet build -c Release Recommender.Api
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
duration="20s"
port=5091
wrk_args=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --duration) duration="$2"; shift 2 ;;
    --port) port="$2"; shift 2 ;;
    --) shift; wrk_args=("$@"); break ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
export DATABASE_URL="${DATABASE_URL:-postgresql://recommender:recommender@127.0.0.1:5432/shop_beauty}"
dll="$root/Recommender.Api/bin/Release/net10.0/Recommender.Api.dll"
[[ -f "$dll" ]] || { echo "build first: dotnet build -c Release Recommender.Api" >&2; exit 1; }

declare -A summary
for mode in true false; do
  models="$(mktemp -d /tmp/attribution-overhead-XXXXXX)"
  Recommender__Attribution__Enabled=$mode Recommender__ModelsDirectory="$models" Recommender__Training__Algorithm=itemknn \
    Recommender__Training__HoldoutEvaluation=false Recommender__TrainingIntervalSeconds=3600 \
    Logging__LogLevel__Default=Warning dotnet "$dll" --urls "http://127.0.0.1:$port" >"$models/service.log" 2>&1 &
  pid=$!
  out="$("$here/load-test.sh" --url "http://127.0.0.1:$port" --duration "$duration" --pid "$pid" --ready-timeout 180 -- "${wrk_args[@]}" 2>&1 || true)"
  kill "$pid"; wait "$pid" 2>/dev/null || true
  summary[$mode]="$(sed -n '/== summary ==/,$p' <<<"$out")"
  rm -rf "$models"
  echo "== Attribution:Enabled=$mode =="; echo "${summary[$mode]}"
done
on="$(awk '/^requests\/s/ {print $2}' <<<"${summary[true]}")"
off="$(awk '/^requests\/s/ {print $2}' <<<"${summary[false]}")"
awk -v on="$on" -v off="$off" 'BEGIN { printf "== result ==\nrequests/s on %.0f, off %.0f: bookkeeping costs %.1f %% of throughput\n", on, off, 100 * (off - on) / off }'
