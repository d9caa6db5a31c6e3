#!/usr/bin/env bash
# Sluice against nginx on a core of its own, in ALTERNATING windows: the fair way to compare throughput on a
# machine whose speed drifts from one minute to the next (on the build VM nginx alone measured 15,000 to 56,000
# req/s in runs minutes apart, so two sequential runs compare the minutes more than the proxies).
#
# Sluice and an nginx proxy are both pinned to PROXY_CORE and proxy to the same nginx backend (on LOAD_CORE, with
# wrk). After WARMUP of traffic to Sluice (in WARMUP_CHUNK runs of wrk, each opening its connections anew: a warm-up
# on one set of long-lived connections leaves the JIT without profiles of a connection's first request, and the
# first new connections then deoptimize the read path; docs/benchmarks.md, "Session 4"), each of WINDOWS rounds runs wrk for DURATION against Sluice, then against
# nginx, and prints for each: req/s, p99 and the CPU time per request (/proc/<pid>/stat: Sluice's whole process,
# nginx's worker), then the two ratios for that round. Only one proxy is loaded at a time.
#
#   bench/perf/alternate.sh                                  # proxy/target/sluice-proxy.jar
#   JAR=/tmp/other.jar WINDOWS=8 bench/perf/alternate.sh
#
# Variables: HEADERS (small | browser: realistic header counts each way, see common.sh), JAR, WARMUP (60s), WARMUP_CHUNK (5s), WINDOWS (5), DURATION (10s), CONNECTIONS (50), PROXY_CORE (1), LOAD_CORE (0),
# SLUICE_JAVA_OPTS (the recommended flags of docs/proxy-config.md), BACKEND_PORT (19181), NGINX_PORT (19182),
# SLUICE_PORT (19200, and the next three). Needs wrk and nginx.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
JAR="${JAR:-$ROOT/proxy/target/sluice-proxy.jar}"
WARMUP="${WARMUP:-60s}"
WARMUP_CHUNK="${WARMUP_CHUNK:-5s}"
WINDOWS="${WINDOWS:-5}"
DURATION="${DURATION:-10s}"
CONNECTIONS="${CONNECTIONS:-50}"
PROXY_CORE="${PROXY_CORE:-1}"
LOAD_CORE="${LOAD_CORE:-0}"
SLUICE_JAVA_OPTS="${SLUICE_JAVA_OPTS:--XX:ActiveProcessorCount=1 -Xms256m -Xmx256m -Xmn192m -XX:+UseSerialGC -XX:+AlwaysPreTouch -XX:MetaspaceSize=64m}"
BACKEND_PORT="${BACKEND_PORT:-19181}"
NGINX_PORT="${NGINX_PORT:-19182}"
SLUICE_PORT="${SLUICE_PORT:-19200}"
WORK="$(mktemp -d /tmp/sluice-alternate.XXXXXX)"

sluice_pid=""
cleanup() {
  if [ -n "$sluice_pid" ]; then kill "$sluice_pid" 2>/dev/null || true; fi
  for f in backend nginx; do
    if [ -f "$WORK/$f.pid" ]; then kill "$(cat "$WORK/$f.pid")" 2>/dev/null || true; fi
  done
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

# shellcheck source=bench/perf/common.sh
. "$(dirname "$0")/common.sh"

for tool in wrk nginx; do
  command -v "$tool" >/dev/null || { echo "$tool is required" >&2; exit 1; }
done
[ -f "$JAR" ] || { echo "no jar at $JAR: ./mvnw -q -DskipTests package" >&2; exit 1; }

write_nginx_confs
write_fixtures
taskset -c "$LOAD_CORE" nginx -c "$WORK/backend.conf" -p "$WORK"
taskset -c "$PROXY_CORE" nginx -c "$WORK/nginx.conf" -p "$WORK"
# shellcheck disable=SC2086 # word splitting of the option list is wanted
taskset -c "$PROXY_CORE" java $SLUICE_JAVA_OPTS -jar "$JAR" --snapshot-file "$WORK/snapshot.json" \
    --bind-address 127.0.0.1 --access-log false --web-port "$SLUICE_PORT" --websecure-port $((SLUICE_PORT + 1)) \
    --health-port $((SLUICE_PORT + 2)) --push-port $((SLUICE_PORT + 3)) >"$WORK/sluice.log" 2>&1 &
sluice_pid=$!
wait_port "$BACKEND_PORT" 600
wait_port "$NGINX_PORT" 600
wait_port "$SLUICE_PORT" 900
nginx_worker=$(pgrep -P "$(cat "$WORK/nginx.pid")" | head -1)

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
seconds() { case "$1" in *m) echo $(( ${1%m} * 60 )) ;; *s) echo "${1%s}" ;; *) echo "$1" ;; esac; }

echo "warm-up: $WARMUP of traffic to Sluice ($(basename "$JAR")), new connections every $WARMUP_CHUNK"
for _ in $(seq 1 $(( $(seconds "$WARMUP") / $(seconds "$WARMUP_CHUNK") ))); do
  taskset -c "$LOAD_CORE" wrk -t1 -c"$CONNECTIONS" "${wrk_headers[@]}" -d"$WARMUP_CHUNK" "http://127.0.0.1:$SLUICE_PORT/" >/dev/null
done
secs=$(seconds "$DURATION")
tick=$(getconf CLK_TCK)

# prints "req/s p99 µs/req" for one window against port $2, CPU of pid $1
window() {
  local before after out
  before=$(cpu_ticks "$1")
  out=$(taskset -c "$LOAD_CORE" wrk -t1 -c"$CONNECTIONS" "${wrk_headers[@]}" -d"$DURATION" --latency "http://127.0.0.1:$2/")
  after=$(cpu_ticks "$1")
  echo "$out" | awk -v secs="$secs" -v ticks=$((after - before)) -v hz="$tick" '
    /requests in/ { n = $1 } $1 == "99%" { p99 = $2 }
    END { printf "%.0f %s %.1f\n", n / secs, p99, ticks * 1e6 / hz / n }'
}

printf '| window | Sluice req/s | p99 | µs/req | nginx req/s | p99 | µs/req | req/s ratio | CPU ratio (nginx/Sluice) |\n'
printf '|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n'
for i in $(seq 1 "$WINDOWS"); do
  read -r s_rps s_p99 s_us < <(window "$sluice_pid" "$SLUICE_PORT")
  read -r n_rps n_p99 n_us < <(window "$nginx_worker" "$NGINX_PORT")
  awk -v i="$i" -v sr="$s_rps" -v sp="$s_p99" -v su="$s_us" -v nr="$n_rps" -v np="$n_p99" -v nu="$n_us" \
    'BEGIN { printf "| %d | %d | %s | %.1f | %d | %s | %.1f | %.2f | %.2f |\n", i, sr, sp, su, nr, np, nu, sr / nr, nu / su }'
done
