#!/usr/bin/env bash
# Paired comparison of Sluice builds (or JVM flags): CPU per request of each, measured AT THE SAME TIME.
#
# On a busy machine the CPU time per request of one process drifts with the load (fewer requests per event loop
# wake-up means more system calls per request; other processes evict its caches). cost.sh measures one process
# after the other, so a build that happened to run during a calmer minute looks cheaper. This script starts every
# variant at once, all pinned to the proxy core, drives each with its own wrk at the same time, and measures them
# over the same windows: whatever the machine does, it does to all of them. It warms up until every variant's JIT
# compilers have settled, then measures WINDOWS windows of DURATION and prints, per window and variant, the event
# loops' CPU µs per request, the whole process's, and (with ALLOC=1) the bytes the loops allocated per request.
#
#   JARS="/tmp/before.jar proxy/target/sluice-proxy.jar" bench/perf/compare.sh
#   JARS="a.jar a.jar@flags" OPTS_flags="-Dio.netty.allocator.type=pooled" bench/perf/compare.sh
#   WITH_NGINX=1 JARS=... bench/perf/compare.sh    # nginx as a proxy too, measured in the same windows (its worker's CPU)
#
# Variables: HEADERS (small | browser: realistic header counts each way, see common.sh), JARS (required, "path[@name]" each; OPTS_<name> adds JVM flags), WINDOWS (4), DURATION (10s),
# WARMUP (10s chunks), WARMUP_REQUESTS (200000 per variant), JIT_SETTLED (0.05), MAX_WARMUP_CHUNKS (24),
# CONNECTIONS (50 per variant), PROXY_CORE (1), LOAD_CORE (0), SLUICE_JAVA_OPTS, ALLOC (1), WITH_NGINX (0), OUT.
set -euo pipefail

JARS="${JARS:?JARS: the jars to compare}"
WINDOWS="${WINDOWS:-4}"
DURATION="${DURATION:-10s}"
WARMUP="${WARMUP:-10s}"
WARMUP_REQUESTS="${WARMUP_REQUESTS:-200000}"
JIT_SETTLED="${JIT_SETTLED:-0.05}"
MAX_WARMUP_CHUNKS="${MAX_WARMUP_CHUNKS:-24}"
CONNECTIONS="${CONNECTIONS:-50}"
PROXY_CORE="${PROXY_CORE:-1}"
LOAD_CORE="${LOAD_CORE:-0}"
SLUICE_JAVA_OPTS="${SLUICE_JAVA_OPTS:--XX:ActiveProcessorCount=1 -Xms256m -Xmx256m -Xmn192m -XX:+UseSerialGC -XX:+AlwaysPreTouch -XX:MetaspaceSize=64m}"
ALLOC="${ALLOC:-1}"
WITH_NGINX="${WITH_NGINX:-0}"
NGINX_PORT="${NGINX_PORT:-19182}"
BACKEND_PORT="${BACKEND_PORT:-19181}"
BASE_PORT="${BASE_PORT:-19200}" # variant i listens on BASE_PORT + 10 i (web) and the next three ports
WORK="$(mktemp -d /tmp/sluice-compare.XXXXXX)"
OUT="${OUT:-$WORK/out}"
mkdir -p "$OUT"

pids=()
cleanup() {
  for p in "${pids[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null || true; done
  for f in backend nginx; do [ -f "$WORK/$f.pid" ] && kill "$(cat "$WORK/$f.pid")" 2>/dev/null || true; done
  wait 2>/dev/null || true
  [ "$OUT" = "$WORK/out" ] && rm -rf "$WORK" || true
}
trap cleanup EXIT

# shellcheck source=bench/perf/common.sh
. "$(dirname "$0")/common.sh"

write_nginx_confs
write_fixtures
taskset -c "$LOAD_CORE" nginx -c "$WORK/backend.conf" -p "$WORK"
wait_port "$BACKEND_PORT" 900

names=() ports=()
i=0
for variant in $JARS; do
  jar=${variant%%@*} name=$(basename "$variant") extra=""
  [[ "$variant" == *@* ]] && { extra_var="OPTS_${variant##*@}"; extra=${!extra_var:-}; }
  port=$((BASE_PORT + 10 * i))
  agents=""; [ "$ALLOC" = 1 ] && agents="-XX:StartFlightRecording=name=base,settings=$WORK/none.jfc"
  # shellcheck disable=SC2086 # word splitting of the option lists is wanted
  taskset -c "$PROXY_CORE" java $SLUICE_JAVA_OPTS $extra $agents -jar "$jar" --snapshot-file "$WORK/snapshot.json" \
      --bind-address 127.0.0.1 --access-log false --web-port "$port" --websecure-port $((port + 1)) \
      --health-port $((port + 2)) --push-port $((port + 3)) >"$WORK/sluice-$i.log" 2>&1 &
  pids+=($!); names+=("$name"); ports+=("$port")
  i=$((i + 1))
done
for p in "${ports[@]}"; do wait_port "$p" 900; done
jvms=${#pids[@]} # the variants below them are not JVMs: no JIT to wait for, no JFR

if [ "$WITH_NGINX" = 1 ]; then
  taskset -c "$PROXY_CORE" nginx -c "$WORK/nginx.conf" -p "$WORK"
  wait_port "$NGINX_PORT" 900
  pids+=("$(pgrep -P "$(cat "$WORK/nginx.pid")" | head -1)"); names+=("nginx"); ports+=("$NGINX_PORT")
fi

# all variants at once: wrk per variant in the background; fills $WORK/wrk-<i>
drive() { # duration
  local j wrks=()
  for j in "${!ports[@]}"; do
    taskset -c "$LOAD_CORE" wrk -t1 -c"$CONNECTIONS" "${wrk_headers[@]}" -d"$1" --latency "http://127.0.0.1:${ports[$j]}/" >"$WORK/wrk-$j" &
    wrks+=($!)
  done
  wait "${wrks[@]}"
}
sample_all() { # suffix
  local j
  for j in "${!pids[@]}"; do thread_sample "${pids[$j]}" >"$WORK/t$j.$1"; done
}

served=() chunk=0
for j in "${!pids[@]}"; do served[$j]=0; done
while :; do
  chunk=$((chunk + 1))
  sample_all w0; drive "$WARMUP"; sample_all w1
  settled=1 line=""
  for j in "${!pids[@]}"; do
    [ "$j" -ge "$jvms" ] && continue
    served[$j]=$((served[$j] + $(awk '/requests in/ {print $1}' "$WORK/wrk-$j")))
    share=$(sample_diff "$WORK/t$j.w0" "$WORK/t$j.w1" | awk '{ ns[$1] = $2 } END { printf "%.3f", (ns["loops"] > 0 ? ns["jit"] / ns["loops"] : 0) }')
    line+="${names[$j]} ${served[$j]} req, JIT/loops $share; "
    if [ "${served[$j]}" -lt "$WARMUP_REQUESTS" ] || awk -v s="$share" -v m="$JIT_SETTLED" 'BEGIN { exit !(s > m) }'; then
      settled=0
    fi
  done
  echo "warm-up $chunk: $line" >&2
  [ "$settled" = 1 ] && break
  [ "$chunk" -ge "$MAX_WARMUP_CHUNKS" ] && { echo "(still compiling after $chunk chunks)" >&2; break; }
done

echo
echo "paired windows of $DURATION, wrk -t1 -c$CONNECTIONS per variant, all variants on core $PROXY_CORE; load $(cut -d' ' -f1-3 /proc/loadavg)"
printf '| %6s | %-32s | %9s | %13s | %13s | %10s |\n' window variant requests "loops µs/req" "total µs/req" "loop B/req"
printf '|%s|\n' "--------|----------------------------------|-----------|---------------|---------------|------------"
for w in $(seq 1 "$WINDOWS"); do
  if [ "$ALLOC" = 1 ]; then for p in "${pids[@]:0:$jvms}"; do jcmd "$p" JFR.start name=w$w settings="$WORK/alloc.jfc" >/dev/null; done; fi
  sample_all m0; drive "$DURATION"; sample_all m1
  for j in "${!pids[@]}"; do
    n=$(awk '/requests in/ {print $1}' "$WORK/wrk-$j")
    bytes="-"
    if [ "$ALLOC" = 1 ] && [ "$j" -lt "$jvms" ]; then
      jcmd "${pids[$j]}" JFR.stop name=w$w filename="$WORK/w$w-$j.jfr" >/dev/null
      bytes=$(jfr print --json --events jdk.ThreadAllocationStatistics "$WORK/w$w-$j.jfr" | python3 -c '
import json, sys
lo, hi = {}, {}
for e in json.load(sys.stdin)["recording"]["events"]:
    t, a = e["values"]["thread"]["javaName"], e["values"]["allocated"]
    if "EventLoop" in t:
        lo[t], hi[t] = min(lo.get(t, a), a), max(hi.get(t, a), a)
n = int(sys.argv[1])
print(round(sum(hi[t] - lo[t] for t in hi) / n) if n else "-")' "$n")
    fi
    read -r loops total < <(sample_diff "$WORK/t$j.m0" "$WORK/t$j.m1" | awk -v n="$n" '{ ns[$1] = $2; t += $2 }
        END { printf "%.2f %.2f\n", ns["loops"] / 1000 / n, t / 1000 / n }')
    printf '| %6s | %-32s | %9s | %13s | %13s | %10s |\n' "$w" "${names[$j]}" "$n" "$loops" "$total" "$bytes" | tee -a "$OUT/windows.txt"
  done
done
