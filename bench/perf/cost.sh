#!/usr/bin/env bash
# Cost per request of Sluice's HTTP/1.1 keep-alive proxy path, measured so that a busy machine matters little.
#
# Requests per second depend on what else runs on the machine; the CPU time a proxy's threads spend per request
# much less. This script runs nginx (the reference proxy) and one or more Sluice jars against the same nginx
# backend, warms each up, then counts over a fixed wrk window, per thread, the CPU time the kernel accounted to
# it (/proc/<pid>/task/<tid>/schedstat, nanoseconds; user and system split from /proc/.../stat ticks) and divides
# by the requests wrk completed in that window. Sluice's threads are split into its event loops ("loops": the
# proxy itself), the JIT compilers, the GC and the rest (access log writer, timers). With ALLOC=1 it also records
# the bytes each Sluice thread allocated in the window (JFR jdk.ThreadAllocationStatistics at the start and the
# end of a recording that covers exactly the window), which does not depend on the machine at all.
#
# Several jars are measured in turn, ROUNDS times, alternating (A B A B ...), each in a fresh JVM with its own
# warm-up, so that a change can be judged against the jar before it under the same conditions. nginx is measured
# once per round, between them.
#
#   ./mvnw -q -pl proxy package -DskipTests
#   bench/perf/cost.sh                                    # the freshly built jar
#   JARS="/tmp/before.jar proxy/target/sluice-proxy.jar" ROUNDS=3 bench/perf/cost.sh
#   JARS="a.jar a.jar@noleak" OPTS_noleak="-Dio.netty.leakDetection.level=disabled" bench/perf/cost.sh  # JVM flags
#   PROFILE=cpu bench/perf/cost.sh                        # + async-profiler flat profile of the window
#
# Hardware counters (perf stat -e instructions) would be better still, but virtual machines often do not expose
# them: the script uses them when `perf stat -e instructions:u` works (INSTRUCTIONS=auto), else CPU time only.
#
# Variables: HEADERS (small | browser: realistic header counts each way, see common.sh), WARMUP (10s chunks, see warm_up), WARMUP_REQUESTS (300000), JIT_SETTLED (0.05), MAX_WARMUP_CHUNKS (18), DURATION (10s), CONNECTIONS (50), ROUNDS (1), PROXY_CORE (1), LOAD_CORE (0),
# SLUICE_JAVA_OPTS (the recommended flags of docs/proxy-config.md), SLUICE_ARGS, ALLOC (1), PROFILE (off | cpu |
# alloc: needs ASYNC_PROFILER, the path of libasyncProfiler.so from the Maven Central artifact
# tools.profiler:async-profiler, classifier linux-x64), OUT (a directory to keep profiles and raw numbers in).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
WARMUP="${WARMUP:-10s}"
WARMUP_REQUESTS="${WARMUP_REQUESTS:-300000}"
JIT_SETTLED="${JIT_SETTLED:-0.05}"
MAX_WARMUP_CHUNKS="${MAX_WARMUP_CHUNKS:-18}"
DURATION="${DURATION:-10s}"
CONNECTIONS="${CONNECTIONS:-50}"
ROUNDS="${ROUNDS:-1}"
PROXY_CORE="${PROXY_CORE:-1}"
LOAD_CORE="${LOAD_CORE:-0}"
JARS="${JARS:-$ROOT/proxy/target/sluice-proxy.jar}"
SLUICE_JAVA_OPTS="${SLUICE_JAVA_OPTS:--XX:ActiveProcessorCount=1 -Xms256m -Xmx256m -Xmn192m -XX:+UseSerialGC -XX:+AlwaysPreTouch -XX:MetaspaceSize=64m}"
SLUICE_ARGS="${SLUICE_ARGS:-}"
ALLOC="${ALLOC:-1}"
PROFILE="${PROFILE:-off}"
ASYNC_PROFILER="${ASYNC_PROFILER:-}"
BACKEND_PORT="${BACKEND_PORT:-19081}"
NGINX_PORT="${NGINX_PORT:-19082}"
SLUICE_PORT="${SLUICE_PORT:-19084}"
SLUICE_TLS_PORT="${SLUICE_TLS_PORT:-39443}"
SLUICE_HEALTH_PORT="${SLUICE_HEALTH_PORT:-39000}"
SLUICE_PUSH_PORT="${SLUICE_PUSH_PORT:-39444}"
WORK="$(mktemp -d /tmp/sluice-cost.XXXXXX)"
OUT="${OUT:-$WORK/out}"
mkdir -p "$OUT"

sluice_pid=""
cleanup() {
  [ -n "$sluice_pid" ] && kill "$sluice_pid" 2>/dev/null || true
  for f in backend nginx; do [ -f "$WORK/$f.pid" ] && kill "$(cat "$WORK/$f.pid")" 2>/dev/null || true; done
  wait 2>/dev/null || true
  [ "$OUT" = "$WORK/out" ] && rm -rf "$WORK" || true
}
trap cleanup EXIT
# shellcheck source=bench/perf/common.sh
. "$(dirname "$0")/common.sh"

command -v wrk >/dev/null || { echo "wrk is required (apt-get install wrk)" >&2; exit 1; }
command -v nginx >/dev/null || { echo "nginx is required (apt-get install nginx)" >&2; exit 1; }
if [ "$PROFILE" != off ] && [ ! -f "$ASYNC_PROFILER" ]; then
  echo "PROFILE=$PROFILE needs ASYNC_PROFILER=/path/to/libasyncProfiler.so" >&2; exit 1
fi
use_instructions=0
if perf stat -x, -e instructions:u -- true 2>&1 | grep -q '^[0-9]'; then use_instructions=1; fi

# Warm-up until the JIT is done with the request path, not for a fixed time: on a busy machine a fixed time
# leaves the path half compiled. Runs wrk in WARMUP chunks until WARMUP_REQUESTS requests were served and, for
# Sluice, the compiler threads used under JIT_SETTLED (default 5 %) of the event loops' CPU in the last chunk,
# or MAX_WARMUP_CHUNKS chunks have run.
warm_up() { # pid mode port
  local served=0 chunk=0 out jit_share
  while :; do
    chunk=$((chunk + 1))
    thread_sample "$1" "$2" >"$WORK/w0"
    out=$(taskset -c "$LOAD_CORE" wrk -t1 -c"$CONNECTIONS" "${wrk_headers[@]}" -d"$WARMUP" "http://127.0.0.1:$3/")
    thread_sample "$1" "$2" >"$WORK/w1"
    served=$((served + $(awk '/requests in/ {print $1}' <<<"$out")))
    jit_share=$(sample_diff "$WORK/w0" "$WORK/w1" | awk '{ ns[$1] = $2 } END { printf "%.3f", (ns["loops"] > 0 ? ns["jit"] / ns["loops"] : 0) }')
    echo "    warm-up chunk $chunk: $served requests so far, JIT/loops CPU $jit_share" >&2
    if [ "$served" -ge "$WARMUP_REQUESTS" ] && awk -v j="$jit_share" -v m="$JIT_SETTLED" 'BEGIN { exit !(j <= m) }'; then
      return 0
    fi
    [ "$chunk" -ge "$MAX_WARMUP_CHUNKS" ] && { echo "    (still compiling after $chunk chunks)" >&2; return 0; }
  done
}

results=()
measure() { # label pid mode port
  local label=$1 pid=$2 mode=$3 port=$4 tag; tag=$(tr -c 'A-Za-z0-9\n' _ <<<"$label")
  warm_up "$pid" "$mode" "$port"
  local perf_pid=""
  if [ "$use_instructions" = 1 ]; then
    perf stat -x, -e instructions:u -p "$pid" -o "$OUT/$tag.perf" & perf_pid=$!
  fi
  if [ "$mode" = sluice ] && [ "$ALLOC" = 1 ]; then
    jcmd "$pid" JFR.start name=cost settings="$WORK/alloc.jfc" >/dev/null
  fi
  if [ "$mode" = sluice ] && [ "$PROFILE" != off ]; then
    local events="event=cpu,interval=${AP_INTERVAL:-500us}"; [ "$PROFILE" = alloc ] && events="event=alloc"
    jcmd "$pid" JVMTI.agent_load "$ASYNC_PROFILER" "\"start,$events,threads\"" >/dev/null
  fi
  thread_sample "$pid" "$mode" >"$WORK/s0"
  local out; out=$(taskset -c "$LOAD_CORE" wrk -t1 -c"$CONNECTIONS" "${wrk_headers[@]}" -d"$DURATION" --latency "http://127.0.0.1:$port/")
  thread_sample "$pid" "$mode" >"$WORK/s1"
  if [ "$mode" = sluice ] && [ "$PROFILE" != off ]; then
    jcmd "$pid" JVMTI.agent_load "$ASYNC_PROFILER" "\"stop,collapsed,file=$OUT/$tag.$PROFILE.collapsed\"" >/dev/null
    "$(dirname "$0")/profile-summary.sh" "$OUT/$tag.$PROFILE.collapsed" >"$OUT/$tag.$PROFILE.txt"
  fi
  local alloc="-"
  if [ "$mode" = sluice ] && [ "$ALLOC" = 1 ]; then
    jcmd "$pid" JFR.stop name=cost filename="$OUT/$tag.jfr" >/dev/null
    alloc=$(jfr print --json --events jdk.ThreadAllocationStatistics "$OUT/$tag.jfr" | python3 -c '
import json, sys
lo, hi = {}, {}
for e in json.load(sys.stdin)["recording"]["events"]:
    t, a = e["values"]["thread"]["javaName"], e["values"]["allocated"]
    if "EventLoop" in t:
        lo[t], hi[t] = min(lo.get(t, a), a), max(hi.get(t, a), a)
print(sum(hi[t] - lo[t] for t in hi))')
  fi
  if [ -n "$perf_pid" ]; then kill -INT "$perf_pid" 2>/dev/null || true; wait "$perf_pid" 2>/dev/null || true; fi
  local requests rps p99 errors
  requests=$(awk '/requests in/ {print $1}' <<<"$out")
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  errors=$(grep -E 'Non-2xx|Socket errors' <<<"$out" | tr -s ' ' | tr '\n' ';' || true)
  local instr="-"
  [ -s "$OUT/$tag.perf" ] && instr=$(awk -F, -v n="$requests" '$3 ~ /instructions/ && n > 0 { printf "%.0f", $1 / n }' "$OUT/$tag.perf")
  local split; split=$(sample_diff "$WORK/s0" "$WORK/s1" | awk -v n="$requests" '
      { ns[$1] = $2; us[$1] = $3; sy[$1] = $4; cs[$1] = $5; tot += $2 }
      END { printf "%.2f|", tot / 1000 / n
            for (k in ns) { u = us[k] + sy[k]; printf "%s %.2f µs (sys %d%%, %.3f cs)  ", k, ns[k] / 1000 / n,
                            (u > 0 ? 100 * sy[k] / u : 0), cs[k] / n } }')
  local bytes="-"; [ "$alloc" != "-" ] && bytes=$(awk -v a="$alloc" -v n="$requests" 'BEGIN { printf "%.0f", a / n }')
  results+=("$label|$requests|$rps|$p99|${split%%|*}|$bytes|$instr|${split#*|}|${errors:-}")
  echo "  $label: $requests requests, ${split%%|*} µs CPU/request, $bytes B/request allocated by the loops" >&2
}

# --- backend and nginx as the reference proxy ---------------------------------------------------------------------
write_nginx_confs
write_fixtures
taskset -c "$LOAD_CORE" nginx -c "$WORK/backend.conf" -p "$WORK"
wait_port "$BACKEND_PORT"
taskset -c "$PROXY_CORE" nginx -c "$WORK/nginx.conf" -p "$WORK"
wait_port "$NGINX_PORT"
nginx_worker=$(pgrep -P "$(cat "$WORK/nginx.pid")" | head -1)

# JFR and async-profiler are loaded when the JVM starts: loading them into a running JVM deoptimizes its compiled
# code, and the measured window would pay for compiling the request path again.
agents=""
[ "$ALLOC" = 1 ] && agents="-XX:StartFlightRecording=name=base,settings=$WORK/none.jfc"
[ "$PROFILE" != off ] && agents="$agents -agentpath:$ASYNC_PROFILER"

for round in $(seq 1 "$ROUNDS"); do
  echo "round $round" >&2
  measure "nginx r$round" "$nginx_worker" nginx "$NGINX_PORT"
  for variant in $JARS; do
    jar=${variant%%@*} name=$(basename "$variant") extra=""
    [[ "$variant" == *@* ]] && { extra_var="OPTS_${variant##*@}"; extra=${!extra_var:-}; }
    # shellcheck disable=SC2086 # word splitting of the option lists is wanted
    taskset -c "$PROXY_CORE" java $SLUICE_JAVA_OPTS $extra $agents -jar "$jar" --snapshot-file "$WORK/snapshot.json" \
        --bind-address 127.0.0.1 --access-log false --web-port "$SLUICE_PORT" --websecure-port "$SLUICE_TLS_PORT" \
        --health-port "$SLUICE_HEALTH_PORT" --push-port "$SLUICE_PUSH_PORT" $SLUICE_ARGS >"$WORK/sluice.log" 2>&1 &
    sluice_pid=$!
    wait_port "$SLUICE_PORT" || { tail -20 "$WORK/sluice.log" >&2; exit 1; }
    measure "$name r$round" "$sluice_pid" sluice "$SLUICE_PORT"
    kill "$sluice_pid"; wait "$sluice_pid" 2>/dev/null || true; sluice_pid=""
  done
done

echo
echo "wrk -t1 -c$CONNECTIONS, $WARMUP warm-up then $DURATION measured; proxies on core $PROXY_CORE; load $(cut -d' ' -f1-3 /proc/loadavg)"
printf '| %-28s | %9s | %9s | %8s | %11s | %9s | %12s |\n' run requests "req/s" p99 "CPU µs/req" "loop B/req" "instr/req"
printf '|%s|\n' "------------------------------|-----------|-----------|----------|-------------|-----------|--------------"
for r in "${results[@]}"; do
  IFS='|' read -r label requests rps p99 cpu bytes instr split errors <<<"$r"
  printf '| %-28s | %9s | %9s | %8s | %11s | %9s | %12s |\n' "$label" "$requests" "$rps" "$p99" "$cpu" "$bytes" "$instr"
  echo "    by thread kind: $split${errors:+ errors: $errors}"
done
[ "$OUT" != "$WORK/out" ] && printf '%s\n' "${results[@]}" >"$OUT/results.txt"
exit 0
