#!/usr/bin/env bash
# Bounded load test of the recommendation service on this machine (loopback only) with wrk.
#
#   bench/load-test.sh [--url http://127.0.0.1:5080] [--duration 30s] [--connections 16] [--threads 2]
#                      [--script recommendations|mixed-abuse|PATH.lua] [--pid PID] [--ready-timeout 60]
#                      [--install] [-- SCRIPT_ARGS...]
#
# Waits for GET /ready to answer 200, runs wrk with the latency distribution, and prints
# requests/s, p50, p99 and errors; with --pid also the service's RSS (VmRSS before and after,
# VmHWM peak) from /proc. wrk's full output is kept in bench-out/. Without wrk it prints how to
# install it and exits 1; --install installs it with apt-get (root only).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
url="http://127.0.0.1:5080"
duration="30s"
connections=16
threads=2
script="recommendations"
pid=""
ready_timeout=60
install=false
script_args=()

die() { echo "load-test: $*" >&2; exit 2; }

while [[ $# -gt 0 ]]; do
  case "$1" in
    --url) url="${2:?--url needs a value}"; shift 2 ;;
    --duration) duration="${2:?--duration needs a value}"; shift 2 ;;
    --connections) connections="${2:?--connections needs a value}"; shift 2 ;;
    --threads) threads="${2:?--threads needs a value}"; shift 2 ;;
    --script) script="${2:?--script needs a value}"; shift 2 ;;
    --pid) pid="${2:?--pid needs a value}"; shift 2 ;;
    --ready-timeout) ready_timeout="${2:?--ready-timeout needs a value}"; shift 2 ;;
    --install) install=true; shift ;;
    --) shift; script_args=("$@"); break ;;
    -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option '$1' (see --help)" ;;
  esac
done

# --- bounds: this is a benchmark of a local process, never a load generator against others ---
url="${url%/}"
host="$(sed -E 's#^https?://(\[[^]]*\]|[^/:]*).*#\1#' <<<"$url")"
case "$host" in
  127.0.0.1|localhost|\[::1\]) ;;
  *) die "only loopback URLs are allowed (127.0.0.1, localhost, [::1]), not '$host'" ;;
esac
[[ "$duration" =~ ^([0-9]+)(s|m)?$ ]] || die "--duration must look like 30s or 2m"
seconds="${BASH_REMATCH[1]}"; [[ "${BASH_REMATCH[2]}" == m ]] && seconds=$((seconds * 60))
(( seconds >= 1 && seconds <= 600 )) || die "--duration must be between 1s and 10m"
[[ "$connections" =~ ^[0-9]+$ ]] && (( connections >= 1 && connections <= 1024 )) || die "--connections must be 1..1024"
[[ "$threads" =~ ^[0-9]+$ ]] && (( threads >= 1 && threads <= 64 )) || die "--threads must be 1..64"
(( connections >= threads )) || die "--connections must be at least --threads"
[[ "$ready_timeout" =~ ^[0-9]+$ ]] || die "--ready-timeout must be whole seconds"
if [[ -n "$pid" && ! -r "/proc/$pid/status" ]]; then die "no process $pid"; fi

case "$script" in
  recommendations|mixed-abuse) script="$here/wrk/$script.lua" ;;
esac
[[ -f "$script" ]] || die "wrk script not found: $script"

# --- wrk ---
if ! command -v wrk >/dev/null 2>&1; then
  if $install && [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null 2>&1; then
    echo "load-test: installing wrk with apt-get"
    apt-get install -y wrk >/dev/null || { apt-get update >/dev/null && apt-get install -y wrk >/dev/null; }
  else
    echo "load-test: wrk is not installed. Install it with:  apt-get install -y wrk   (or pass --install as root)" >&2
    exit 1
  fi
fi
command -v curl >/dev/null 2>&1 || die "curl is needed to wait for /ready"

# --- wait for the service ---
echo "load-test: waiting up to ${ready_timeout}s for $url/ready"
deadline=$((SECONDS + ready_timeout))
until [[ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$url/ready" || true)" == 200 ]]; do
  if (( SECONDS >= deadline )); then
    echo "load-test: $url/ready did not answer 200 within ${ready_timeout}s" >&2
    exit 1
  fi
  sleep 0.5
done

rss_kb() { awk -v key="$1:" '$1 == key { print $2 }' "/proc/$pid/status" 2>/dev/null || true; }
mb() { [[ -n "$1" ]] && awk -v kb="$1" 'BEGIN { printf "%.1f MB", kb / 1024 }' || echo "n/a"; }

rss_before=""
[[ -n "$pid" ]] && rss_before="$(rss_kb VmRSS)"

# --- run ---
out_dir="${BENCH_OUT:-$(dirname "$here")/bench-out}"
mkdir -p "$out_dir"
out="$out_dir/load-test-$(date +%Y%m%d-%H%M%S)-$(basename "$script" .lua).txt"
echo "load-test: wrk -t$threads -c$connections -d${seconds}s --latency -s $(basename "$script") $url ${script_args[*]:-}"
status=0
timeout --kill-after=5 $((seconds + 30)) \
  wrk -t"$threads" -c"$connections" -d"${seconds}s" --timeout 5s --latency -s "$script" "$url" -- "${script_args[@]}" \
  | tee "$out" || status=$?
if (( status != 0 )); then
  echo "load-test: wrk failed with exit status $status (output in $out)" >&2
  exit 1
fi

rss_after=""; rss_peak=""
if [[ -n "$pid" ]]; then rss_after="$(rss_kb VmRSS)"; rss_peak="$(rss_kb VmHWM)"; fi

# --- summary: wrk prints latencies as 812.00us, 1.23ms, 1.01s, 2.00m ---
to_ms='function ms(v) { n = v + 0
  if (v ~ /us$/) return n / 1000; if (v ~ /ms$/) return n; if (v ~ /m$/) return n * 60000; if (v ~ /s$/) return n * 1000; return n }'
rps="$(awk '/^Requests\/sec:/ { print $2 }' "$out")"
p50="$(awk "$to_ms"' /^ +50%/ { printf "%.3f", ms($2) }' "$out")"
p99="$(awk "$to_ms"' /^ +99%/ { printf "%.3f", ms($2) }' "$out")"
requests="$(awk '/requests in/ { print $1 }' "$out")"
non_2xx_3xx="$(awk '/Non-2xx or 3xx responses:/ { print $NF }' "$out")"
socket_errors="$(awk '/Socket errors:/ { gsub(",", ""); print $4 + $6 + $8 + $10 }' "$out")"
server_errors="$(awk '/^status 5xx:/ { print $3 }' "$out")"   # printed by our wrk scripts
non_2xx_3xx="${non_2xx_3xx:-0}"; socket_errors="${socket_errors:-0}"

echo
echo "== summary =="
printf '%-14s %s\n' "target" "$url ($(basename "$script"), ${seconds}s, $connections connections, $threads threads)"
printf '%-14s %s\n' "requests" "${requests:-?}"
printf '%-14s %s\n' "requests/s" "${rps:-?}"
printf '%-14s %s ms\n' "latency p50" "${p50:-?}"
printf '%-14s %s ms\n' "latency p99" "${p99:-?}"
printf '%-14s %s\n' "errors" "$((non_2xx_3xx + socket_errors)) (status >= 400: $non_2xx_3xx, of them 5xx: ${server_errors:-?}; socket errors: $socket_errors)"
if [[ "$(basename "$script")" == mixed-abuse.lua ]]; then
  printf '%-14s %s\n' "" "mixed-abuse sends malformed requests on purpose: 4xx is expected, 5xx and socket errors are failures"
fi
if [[ -n "$pid" ]]; then
  printf '%-14s %s\n' "service RSS" "before $(mb "$rss_before"), after $(mb "$rss_after"), peak $(mb "$rss_peak") (pid $pid)"
fi
printf '%-14s %s\n' "raw output" "$out"
