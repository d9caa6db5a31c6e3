#!/usr/bin/env bash
# Load benchmark: Sluice vs nginx vs HAProxy, proxying small keep-alive requests to the same backend, in one run.
#
# Loopback only, bounded in time. The proxy under test gets core 1 to itself; the load generator (wrk) and the
# backend share core 0, the same for every proxy, so the numbers compare.
#
#   bench/load/run.sh                 # build the proxy jar first: ./mvnw -q -DskipTests package
#   DURATION=20s CONNECTIONS=64 bench/load/run.sh
#   BACKEND_PORT=28081 NGINX_PORT=28082 ... bench/load/run.sh   # every port below can be moved by its variable
#   PROXIES="nginx sluice" SLUICE_JAVA_OPTS="-Xmx512m ..." SLUICE_ARGS="--event-loops 2" bench/load/run.sh
#   SCENARIO=middlewares PROXIES="nginx sluice" bench/load/run.sh   # also Sluice through a 5-middleware chain
#
# SCENARIO=middlewares (issue #4) measures the same Sluice process twice: plain (router PathPrefix(`/`), no
# middleware) and through a router PathPrefix(`/mw`) carrying a chain of five cheap middlewares: headers (one
# request and one response header), stripPrefix /mw, ipAllowList 127.0.0.1/32, rateLimit (far above the load, so
# it never answers 429) and compress (the backend's 23-byte body is below the 1024-byte minimum, so nothing is
# compressed). Every request of this scenario sends Accept-Encoding: gzip. Plain and chain are measured MW_ROUNDS
# times (default 2), alternating, in the same JVM; it prints per round the chain's req/s and CPU per request
# relative to plain; the CPU ratios (the event loops' alone in particular) are the ones to trust on a busy machine.
# HTTP/2 is not measured in this scenario.
#
# Besides req/s and latency it prints each proxy's CPU time per request, which depends much less on what else
# the machine is doing, and for Sluice how that CPU splits between its event loops and the JIT compilers.
#
# Needs: wrk (required), nginx (also the backend), haproxy (optional) — Debian: apt-get install wrk nginx haproxy
# With h2load (Debian: apt-get install nghttp2-client) it also compares HTTP/2 cleartext (prior knowledge) clients:
# Sluice against nginx with http2 on, same backend (HTTP/1.1 upstream) — H2_STREAMS concurrent streams per connection.
#
# Then the same over TLS (TLS=no skips it; not in SCENARIO=middlewares): wrk with HTTP/1.1 keep-alive over TLS, and
# h2load with HTTP/2 over TLS (ALPN h2), against Sluice's websecure entrypoint and nginx with ssl (and http2) on,
# both serving one EC P-256 certificate that the script makes with openssl (required for these runs) in its temp
# dir, proxying to the same cleartext backend. Sluice gets the certificate both as the snapshot certificate of a
# websecure router and as its default certificate (clients that connect to 127.0.0.1 send no usable SNI).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
DURATION="${DURATION:-10s}"
CONNECTIONS="${CONNECTIONS:-50}"
WARMUP="${WARMUP:-20s}"
PATH_UNDER_TEST="${PATH_UNDER_TEST:-/}"
PROXY_CORE="${PROXY_CORE:-1}"
LOAD_CORE="${LOAD_CORE:-0}"
JAR="${JAR:-$ROOT/proxy/target/sluice-proxy.jar}"
# which proxies to measure (nginx is always measured: every ratio is against it, in the same run)
PROXIES="${PROXIES:-nginx haproxy sluice}"
# the JVM flags docs/proxy-config.md recommends for a proxy given one core; override to experiment
SLUICE_JAVA_OPTS="${SLUICE_JAVA_OPTS:--XX:ActiveProcessorCount=1 -Xms256m -Xmx256m -Xmn192m -XX:+UseSerialGC -XX:+AlwaysPreTouch -XX:MetaspaceSize=64m}"
SLUICE_ARGS="${SLUICE_ARGS:-}"
# plain (default) or middlewares: see above
SCENARIO="${SCENARIO:-plain}"
MW_ROUNDS="${MW_ROUNDS:-2}" # middlewares scenario: plain/chain pairs measured one after the other
WRK_HEADERS=()
[ "$SCENARIO" = middlewares ] && WRK_HEADERS=(-H "Accept-Encoding: gzip")
WORK="$(mktemp -d /tmp/sluice-bench.XXXXXX)"

BACKEND_PORT="${BACKEND_PORT:-18081}"
NGINX_PORT="${NGINX_PORT:-18082}"
NGINX_H2_PORT="${NGINX_H2_PORT:-18085}"
H2_STREAMS="${H2_STREAMS:-10}"
HAPROXY_PORT="${HAPROXY_PORT:-18083}"
SLUICE_PORT="${SLUICE_PORT:-18084}"
NGINX_TLS_PORT="${NGINX_TLS_PORT:-18086}" # nginx: ssl and http2 (wrk gets HTTP/1.1, h2load h2, through ALPN)
SLUICE_TLS_PORT="${SLUICE_TLS_PORT:-28443}" # Sluice's websecure entrypoint, measured by the TLS runs
TLS="${TLS:-yes}"
[ "$SCENARIO" = middlewares ] && TLS=no
# the listeners Sluice opens but the benchmark does not use: override if they clash with something on this host
SLUICE_HEALTH_PORT="${SLUICE_HEALTH_PORT:-29000}"
SLUICE_PUSH_PORT="${SLUICE_PUSH_PORT:-29443}"

pids=()
cleanup() {
  for p in "${pids[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null || true; done
  [ -f "$WORK/backend.pid" ] && kill "$(cat "$WORK/backend.pid")" 2>/dev/null || true
  [ -f "$WORK/nginx.pid" ] && kill "$(cat "$WORK/nginx.pid")" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

need() { command -v "$1" >/dev/null 2>&1; }
need wrk || { echo "wrk is required (apt-get install wrk)" >&2; exit 1; }
need nginx || { echo "nginx is required as the backend (apt-get install nginx)" >&2; exit 1; }
if [ "$TLS" = yes ]; then
  need openssl || { echo "openssl is required for the TLS runs (apt-get install openssl), or set TLS=no" >&2; exit 1; }
  # one certificate for both proxies: EC P-256, self-signed, for a made-up name and 127.0.0.1 (clients do not verify)
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj "/CN=bench.sluice.test" \
      -addext "subjectAltName=DNS:bench.sluice.test,IP:127.0.0.1" \
      -keyout "$WORK/tls.key" -out "$WORK/tls.crt" 2>/dev/null
fi

wait_port() {
  for _ in $(seq 1 600); do # 60 s: a JVM pinned to one busy core starts slowly
    if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  echo "nothing listens on 127.0.0.1:$1" >&2; return 1
}

# --- backend: nginx answering a small body, one worker, on the load core -------------------------------------
cat >"$WORK/backend.conf" <<CONF
worker_processes 1;
daemon on;
pid $WORK/backend.pid;
error_log $WORK/backend-error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 1000000;
  server {
    listen 127.0.0.1:$BACKEND_PORT;
    location / { return 200 "hello from the backend\n"; }
  }
}
CONF
taskset -c "$LOAD_CORE" nginx -c "$WORK/backend.conf" -p "$WORK"
wait_port $BACKEND_PORT

# resident memory of a process and its children (nginx's workers), KiB
rss_kib() {
  local total=0 p
  for p in "$1" $(pgrep -P "$1" 2>/dev/null); do
    total=$((total + $(ps -o rss= -p "$p" 2>/dev/null | tr -d ' ' || echo 0)))
  done
  echo "$total"
}

# CPU time (user + system, clock ticks) of a process and its children: CPU per request does not depend on how
# busy the rest of the machine is, unlike req/s
cpu_ticks() {
  local total=0 p
  for p in "$1" $(pgrep -P "$1" 2>/dev/null); do
    total=$((total + $(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0)))
  done
  echo "$total"
}
HZ=$(getconf CLK_TCK)

# CPU ticks of a JVM's threads by kind (a line "kind ticks" each): the JIT compiles on the proxy's core too, and
# while it still does (a short warm-up, a busy machine) the process total says more about the JIT than the proxy
thread_ticks() {
  local t
  for t in /proc/"$1"/task/*; do
    awk -v name="$(cat "$t/comm" 2>/dev/null)" '{
      kind = name ~ /^C[12] CompilerThre/ ? "jit" : name ~ /^(GC |VM Thread)/ ? "gc" : name ~ /EventLoop|IoEv/ ? "loops" : "other"
      print kind, $14 + $15 }' "$t/stat" 2>/dev/null
  done | awk '{ sum[$1] += $2 } END { for (k in sum) print k, sum[k] }'
}

results=()
tls_results=()
measure() { # name port pid [path [scheme]]: scheme https records into tls_results, reported in its own table
  local name=$1 port=$2 pid=$3 path=${4:-$PATH_UNDER_TEST} scheme=${5:-http}
  taskset -c "$LOAD_CORE" wrk -t1 -c"$CONNECTIONS" -d"$WARMUP" "${WRK_HEADERS[@]}" "$scheme://127.0.0.1:$port$path" >/dev/null
  local before; before=$(rss_kib "$pid")
  local cpu0; cpu0=$(cpu_ticks "$pid")
  local threads0; threads0=$(thread_ticks "$pid")
  local out; out=$(taskset -c "$LOAD_CORE" wrk -t1 -c"$CONNECTIONS" -d"$DURATION" --latency "${WRK_HEADERS[@]}" \
      "$scheme://127.0.0.1:$port$path")
  local cpu1; cpu1=$(cpu_ticks "$pid")
  local threads1; threads1=$(thread_ticks "$pid")
  local after; after=$(rss_kib "$pid")
  local rps p50 p99 errors requests cpu_us
  requests=$(awk '/requests in/ {print $1}' <<<"$out")
  cpu_us=$(awk -v t=$((cpu1 - cpu0)) -v hz="$HZ" -v n="$requests" 'BEGIN { if (n > 0) printf "%.1f", t * 1e6 / hz / n; else print "-" }')
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1=="50%" {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  errors=$(awk '/Non-2xx|Socket errors/ {print}' <<<"$out" | tr '\n' ' ')
  local loops_us=-
  if [ "$scheme" = https ]; then
    tls_results+=("$name|$rps|$p50|$p99|$before|$after|$cpu_us|${errors:-none}")
    return 0
  fi
  if [[ "$name" == sluice* ]]; then
    local split; split=$(awk -v hz="$HZ" -v n="$requests" 'NR == FNR { a[$1] = $2; next } { d = $2 - a[$1]
        if (n > 0 && d > 0) printf "%s %.1f  ", $1, d * 1e6 / hz / n }' <(echo "$threads0") <(echo "$threads1"))
    thread_split+="$name: $split; "
    loops_us=$(awk '{ for (i = 1; i < NF; i++) if ($i == "loops") print $(i + 1) }' <<<"$split")
  fi
  results+=("$name|$rps|$p50|$p99|$before|$after|$cpu_us|${errors:-none}|${loops_us:--}")
}

h2_results=()
h2tls_results=()
measure_h2() { # name port [scheme]: h2load, CONNECTIONS connections x H2_STREAMS streams; prior knowledge for
               # http, ALPN h2 for https (recorded into h2tls_results)
  need h2load || return 0
  local name=$1 port=$2 scheme=${3:-http} secs=${DURATION%s} warm=${WARMUP%s}
  local out; out=$(taskset -c "$LOAD_CORE" h2load -t1 -c"$CONNECTIONS" -m"$H2_STREAMS" -D"$secs" \
      --warm-up-time="$warm" "$scheme://127.0.0.1:$port$PATH_UNDER_TEST" 2>&1)
  local rps failed
  rps=$(awk '/^finished in/ {print $4}' <<<"$out")
  failed=$(awk '/^requests:/ {print $10, "failed,", $12, "errored"}' <<<"$out")
  if [ "$scheme" = https ]; then
    h2tls_results+=("$name|${rps:-0}|$failed")
  else
    h2_results+=("$name|${rps:-0}|$failed")
  fi
}

# --- nginx as a proxy -----------------------------------------------------------------------------------------
nginx_tls=""
if [ "$TLS" = yes ]; then
  nginx_tls="listen 127.0.0.1:$NGINX_TLS_PORT ssl http2;
    ssl_certificate $WORK/tls.crt;
    ssl_certificate_key $WORK/tls.key;"
fi
cat >"$WORK/nginx.conf" <<CONF
worker_processes 1;
daemon on;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 1000000;
  upstream backend { server 127.0.0.1:$BACKEND_PORT; keepalive 128; }
  server {
    listen 127.0.0.1:$NGINX_PORT;
    listen 127.0.0.1:$NGINX_H2_PORT http2;
    $nginx_tls
    http2_max_concurrent_streams 128;
    location / {
      proxy_pass http://backend;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host \$host;
      proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
      proxy_set_header X-Real-IP \$remote_addr;
    }
  }
}
CONF
taskset -c "$PROXY_CORE" nginx -c "$WORK/nginx.conf" -p "$WORK"
wait_port $NGINX_PORT
measure nginx $NGINX_PORT "$(cat "$WORK/nginx.pid")"
[ "$SCENARIO" = middlewares ] || measure_h2 nginx $NGINX_H2_PORT
if [ "$TLS" = yes ]; then
  measure nginx $NGINX_TLS_PORT "$(cat "$WORK/nginx.pid")" "$PATH_UNDER_TEST" https
  measure_h2 nginx $NGINX_TLS_PORT https
fi
kill "$(cat "$WORK/nginx.pid")"; rm -f "$WORK/nginx.pid"

# --- HAProxy --------------------------------------------------------------------------------------------------
if need haproxy && [[ " $PROXIES " == *" haproxy "* ]]; then
  cat >"$WORK/haproxy.cfg" <<CONF
global
  nbthread 1
  maxconn 4096
defaults
  mode http
  timeout connect 5s
  timeout client 60s
  timeout server 60s
  option http-keep-alive
  option forwardfor
frontend web
  bind 127.0.0.1:$HAPROXY_PORT
  default_backend be
backend be
  http-reuse always
  server b1 127.0.0.1:$BACKEND_PORT
CONF
  taskset -c "$PROXY_CORE" haproxy -f "$WORK/haproxy.cfg" -db >"$WORK/haproxy.log" 2>&1 &
  pids+=($!); hp=$!
  wait_port $HAPROXY_PORT
  measure haproxy $HAPROXY_PORT $hp
  kill $hp; wait $hp 2>/dev/null || true
fi

# --- Sluice ---------------------------------------------------------------------------------------------------
if [[ " $PROXIES " != *" sluice "* ]]; then
  :
elif [ -f "$JAR" ]; then
  chain_router="" chain_middlewares=""
  if [ "$SCENARIO" = middlewares ]; then
    chain_router=',{"id":"bench-mw","entryPoints":["web"],"match":{"type":"rule","expression":"PathPrefix(`/mw`)"},
             "priority":1000,"middlewares":["bench/headers","bench/strip","bench/allow","bench/limit","bench/compress"],
             "service":"backend"}'
    chain_middlewares='{"id":"bench/headers","spec":{"type":"headers","customRequestHeaders":{"X-Bench":"chain"},
                        "customResponseHeaders":{"X-Served-By":"sluice"}}},
  {"id":"bench/strip","spec":{"type":"stripPrefix","prefixes":["/mw"]}},
  {"id":"bench/allow","spec":{"type":"ipAllowList","sourceRange":["127.0.0.1/32"]}},
  {"id":"bench/limit","spec":{"type":"rateLimit","average":100000000,"periodMillis":1000,"burst":100000000}},
  {"id":"bench/compress","spec":{"type":"compress","encodings":["gzip"],"minResponseBodyBytes":1024}}'
  fi
  tls_router="" tls_certificate="" tls_files=()
  if [ "$TLS" = yes ]; then
    tls_router=',{"id":"bench-tls","entryPoints":["websecure"],"match":{"type":"rule","expression":"PathPrefix(`/`)"},
             "priority":0,"middlewares":[],"service":"backend","tls":{"certificate":"bench/tls"}}'
    # the PEM files as JSON strings (newlines escaped)
    tls_certificate="{\"id\":\"bench/tls\",\"certificatePem\":\"$(awk '{printf "%s\\n", $0}' "$WORK/tls.crt")\",
      \"privateKeyPem\":\"$(awk '{printf "%s\\n", $0}' "$WORK/tls.key")\"}"
    tls_files=(--default-certificate-file "$WORK/tls.crt" --default-key-file "$WORK/tls.key")
  fi
  cat >"$WORK/snapshot.json" <<JSON
{"version":{"epoch":1,"sequence":1},
 "routers":[{"id":"bench","entryPoints":["web"],"match":{"type":"rule","expression":"PathPrefix(\`/\`)"},
             "priority":0,"middlewares":[],"service":"backend"}$chain_router$tls_router],
 "services":[{"type":"loadBalancer","id":"backend","scheme":"http","passHostHeader":true,"strategy":"wrr",
              "endpoints":[{"address":"127.0.0.1","port":$BACKEND_PORT,"weight":1,"ready":true,"serving":true,
                            "terminating":false}]}],
 "middlewares":[$chain_middlewares],"certificates":[$tls_certificate]}
JSON
  # shellcheck disable=SC2086 # word splitting of the option lists is wanted
  taskset -c "$PROXY_CORE" java $SLUICE_JAVA_OPTS \
      -jar "$JAR" --snapshot-file "$WORK/snapshot.json" --bind-address 127.0.0.1 --access-log false \
      --web-port $SLUICE_PORT --websecure-port $SLUICE_TLS_PORT --health-port $SLUICE_HEALTH_PORT --push-port $SLUICE_PUSH_PORT \
      "${tls_files[@]}" $SLUICE_ARGS \
      >"$WORK/sluice.log" 2>&1 &
  pids+=($!); sp=$!
  wait_port $SLUICE_PORT || { head -5 "$WORK/sluice.log" >&2; tail -20 "$WORK/sluice.log" >&2; exit 1; }
  if [ "$SCENARIO" = middlewares ]; then
    curl -fsS -D - -o /dev/null "http://127.0.0.1:$SLUICE_PORT/mw/" 2>/dev/null | grep -qi '^x-served-by: sluice' \
        || { echo "/mw/ does not go through the middleware chain" >&2; tail -20 "$WORK/sluice.log" >&2; exit 1; }
    # alternate plain and chain so that neither gets all of the JIT's late work; each has its own warm-up
    # (odd rounds plain first, even rounds chain first, so that the later one's extra warm-up cancels out)
    for round in $(seq 1 "$MW_ROUNDS"); do
      if [ $((round % 2)) = 1 ]; then
        measure sluice $SLUICE_PORT $sp
        measure sluice+mw $SLUICE_PORT $sp /mw/
      else
        measure sluice+mw $SLUICE_PORT $sp /mw/
        measure sluice $SLUICE_PORT $sp
      fi
    done
  else
    measure sluice $SLUICE_PORT $sp
    measure_h2 sluice $SLUICE_PORT
  fi
  if [ "$TLS" = yes ]; then
    wait_port $SLUICE_TLS_PORT
    measure sluice $SLUICE_TLS_PORT $sp "$PATH_UNDER_TEST" https
    measure_h2 sluice $SLUICE_TLS_PORT https
  fi
  kill $sp; wait $sp 2>/dev/null || true
else
  echo "($JAR not built: run ./mvnw -q -DskipTests package to include Sluice)" >&2
fi

# --- report ---------------------------------------------------------------------------------------------------
nginx_rps=$(printf '%s\n' "${results[@]}" | awk -F'|' '$1=="nginx" {print $2}')
nginx_cpu=$(printf '%s\n' "${results[@]}" | awk -F'|' '$1=="nginx" {print $7}')
echo
echo "wrk -t1 -c$CONNECTIONS -d$DURATION, proxy pinned to core $PROXY_CORE, wrk and backend on core $LOAD_CORE"
echo "(CPU µs/req: the proxy's user+system CPU time over the measured requests; 'CPU vs nginx' is nginx's CPU per"
echo " request divided by this proxy's, the throughput ratio to expect on a core of its own)"
printf '| %-8s | %10s | %8s | %8s | %12s | %12s | %-8s | %9s | %11s |\n' proxy "req/s" p50 p99 "RSS before" \
    "RSS after" "vs nginx" "CPU µs/req" "CPU vs nginx"
printf '|%s|\n' "----------|------------|----------|----------|--------------|--------------|----------|-----------|-------------"
for r in "${results[@]}"; do
  IFS='|' read -r name rps p50 p99 before after cpu errors _ <<<"$r"
  ratio=$(awk -v a="$rps" -v b="$nginx_rps" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }')
  cpu_ratio=$(awk -v a="$cpu" -v b="$nginx_cpu" 'BEGIN { if (a > 0) printf "%.2f", b / a; else print "-" }')
  printf '| %-8s | %10s | %8s | %8s | %9s KiB | %9s KiB | %8s | %10s | %11s |\n' "$name" "$rps" "$p50" "$p99" \
      "$before" "$after" "$ratio" "$cpu" "$cpu_ratio"
  [ "$errors" != "none" ] && echo "  $name: $errors"
done
if [ -n "${thread_split:-}" ]; then
  echo "CPU µs/req by thread: $thread_split(jit: C1/C2 compilers still warming up; loops: the proxy itself)"
fi
if [ "$SCENARIO" = middlewares ]; then
  echo "5-middleware chain vs plain Sluice, per round (goal: chain req/s >= 0.85 x plain; CPU ratios below"
  echo " 1/0.85 = 1.18 mean the same on a core of its own; 'loops' excludes the JIT and GC threads):"
  printf '%s\n' "${results[@]}" | awk -F'|' '$1 == "sluice" { r = $2; c = $7; l = $9 }
      $1 == "sluice+mw" { rm = $2; cm = $7; lm = $9 }
      r > 0 && rm > 0 { n++
        printf "  round %d: req/s %.2f   CPU µs/req %.1f -> %.1f (x%.2f)   loops µs/req %s -> %s (x%s)\n", n, rm / r,
            c, cm, cm / c, l, lm, (l > 0 ? sprintf("%.2f", lm / l) : "-"); r = 0; rm = 0 }'
fi

if [ ${#h2_results[@]} -gt 0 ]; then
  h2_nginx=$(printf '%s\n' "${h2_results[@]}" | awk -F'|' '$1=="nginx" {print $2}')
  echo
  echo "h2load -t1 -c$CONNECTIONS -m$H2_STREAMS -D${DURATION%s} (HTTP/2 prior knowledge to the proxy, HTTP/1.1 to the backend)"
  printf '| %-8s | %10s | %-8s | %s\n' proxy "req/s" "vs nginx" "requests"
  printf '|%s|\n' "----------|------------|----------|----------"
  for r in "${h2_results[@]}"; do
    IFS='|' read -r name rps failed <<<"$r"
    ratio=$(awk -v a="$rps" -v b="$h2_nginx" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }')
    printf '| %-8s | %10s | %8s | %s\n' "$name" "$rps" "$ratio" "$failed"
  done
fi

if [ ${#tls_results[@]} -gt 0 ]; then
  tls_nginx=$(printf '%s\n' "${tls_results[@]}" | awk -F'|' '$1=="nginx" {print $2}')
  tls_nginx_cpu=$(printf '%s\n' "${tls_results[@]}" | awk -F'|' '$1=="nginx" {print $7}')
  echo
  echo "wrk -t1 -c$CONNECTIONS -d$DURATION over TLS (HTTP/1.1 keep-alive to the proxy's TLS port, cleartext HTTP/1.1 to the backend)"
  printf '| %-8s | %10s | %8s | %8s | %-8s | %9s | %11s |\n' proxy "req/s" p50 p99 "vs nginx" "CPU µs/req" "CPU vs nginx"
  printf '|%s|\n' "----------|------------|----------|----------|----------|-----------|-------------"
  for r in "${tls_results[@]}"; do
    IFS='|' read -r name rps p50 p99 _ _ cpu errors <<<"$r"
    ratio=$(awk -v a="$rps" -v b="$tls_nginx" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }')
    cpu_ratio=$(awk -v a="$cpu" -v b="$tls_nginx_cpu" 'BEGIN { if (a > 0) printf "%.2f", b / a; else print "-" }')
    printf '| %-8s | %10s | %8s | %8s | %8s | %10s | %11s |\n' "$name" "$rps" "$p50" "$p99" "$ratio" "$cpu" "$cpu_ratio"
    [ "$errors" != "none" ] && echo "  $name: $errors"
  done
fi

if [ ${#h2tls_results[@]} -gt 0 ]; then
  h2tls_nginx=$(printf '%s\n' "${h2tls_results[@]}" | awk -F'|' '$1=="nginx" {print $2}')
  echo
  echo "h2load -t1 -c$CONNECTIONS -m$H2_STREAMS -D${DURATION%s} over TLS (HTTP/2 through ALPN to the proxy, HTTP/1.1 to the backend)"
  printf '| %-8s | %10s | %-8s | %s\n' proxy "req/s" "vs nginx" "requests"
  printf '|%s|\n' "----------|------------|----------|----------"
  for r in "${h2tls_results[@]}"; do
    IFS='|' read -r name rps failed <<<"$r"
    ratio=$(awk -v a="$rps" -v b="$h2tls_nginx" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }')
    printf '| %-8s | %10s | %8s | %s\n' "$name" "$rps" "$ratio" "$failed"
  done
fi
