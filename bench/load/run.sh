#!/usr/bin/env bash
# Load benchmark: Sluice vs nginx vs HAProxy, proxying small keep-alive requests to the same backend, in one run.
#
# Loopback only, bounded in time. The proxy under test gets core 1 to itself; the load generator (wrk) and the
# backend share core 0, the same for every proxy, so the numbers compare.
#
#   bench/load/run.sh                 # build the proxy jar first: ./mvnw -q -DskipTests package
#   DURATION=20s CONNECTIONS=64 bench/load/run.sh
#   BACKEND_PORT=28081 NGINX_PORT=28082 ... bench/load/run.sh   # every port below can be moved by its variable
#
# Needs: wrk (required), nginx (also the backend), haproxy (optional) — Debian: apt-get install wrk nginx haproxy
# With h2load (Debian: apt-get install nghttp2-client) it also compares HTTP/2 cleartext (prior knowledge) clients:
# Sluice against nginx with http2 on, same backend (HTTP/1.1 upstream) — H2_STREAMS concurrent streams per connection.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
DURATION="${DURATION:-10s}"
CONNECTIONS="${CONNECTIONS:-50}"
WARMUP="${WARMUP:-5s}"
PATH_UNDER_TEST="${PATH_UNDER_TEST:-/}"
PROXY_CORE="${PROXY_CORE:-1}"
LOAD_CORE="${LOAD_CORE:-0}"
JAR="${JAR:-$ROOT/proxy/target/sluice-proxy.jar}"
WORK="$(mktemp -d /tmp/sluice-bench.XXXXXX)"

BACKEND_PORT="${BACKEND_PORT:-18081}"
NGINX_PORT="${NGINX_PORT:-18082}"
NGINX_H2_PORT="${NGINX_H2_PORT:-18085}"
H2_STREAMS="${H2_STREAMS:-10}"
HAPROXY_PORT="${HAPROXY_PORT:-18083}"
SLUICE_PORT="${SLUICE_PORT:-18084}"
SLUICE_TLS_PORT="${SLUICE_TLS_PORT:-18443}"
SLUICE_HEALTH_PORT="${SLUICE_HEALTH_PORT:-19000}"
SLUICE_PUSH_PORT="${SLUICE_PUSH_PORT:-19443}"

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

wait_port() {
  for _ in $(seq 1 300); do # 30 s: a JVM pinned to one busy core starts slowly
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

results=()
measure() { # name port pid
  local name=$1 port=$2 pid=$3
  taskset -c "$LOAD_CORE" wrk -t1 -c"$CONNECTIONS" -d"$WARMUP" "http://127.0.0.1:$port$PATH_UNDER_TEST" >/dev/null
  local before; before=$(rss_kib "$pid")
  local out; out=$(taskset -c "$LOAD_CORE" wrk -t1 -c"$CONNECTIONS" -d"$DURATION" --latency \
      "http://127.0.0.1:$port$PATH_UNDER_TEST")
  local after; after=$(rss_kib "$pid")
  local rps p50 p99 errors
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1=="50%" {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  errors=$(awk '/Non-2xx|Socket errors/ {print}' <<<"$out" | tr '\n' ' ')
  results+=("$name|$rps|$p50|$p99|$before|$after|${errors:-none}")
}

h2_results=()
measure_h2() { # name port: h2load, HTTP/2 prior knowledge, CONNECTIONS connections x H2_STREAMS streams
  need h2load || return 0
  local name=$1 port=$2 secs=${DURATION%s} warm=${WARMUP%s}
  local out; out=$(taskset -c "$LOAD_CORE" h2load -t1 -c"$CONNECTIONS" -m"$H2_STREAMS" -D"$secs" \
      --warm-up-time="$warm" "http://127.0.0.1:$port$PATH_UNDER_TEST" 2>&1)
  local rps failed
  rps=$(awk '/^finished in/ {print $4}' <<<"$out")
  failed=$(awk '/^requests:/ {print $10, "failed,", $12, "errored"}' <<<"$out")
  h2_results+=("$name|${rps:-0}|$failed")
}

# --- nginx as a proxy -----------------------------------------------------------------------------------------
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
measure_h2 nginx $NGINX_H2_PORT
kill "$(cat "$WORK/nginx.pid")"; rm -f "$WORK/nginx.pid"

# --- HAProxy --------------------------------------------------------------------------------------------------
if need haproxy; then
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
if [ -f "$JAR" ]; then
  cat >"$WORK/snapshot.json" <<JSON
{"version":{"epoch":1,"sequence":1},
 "routers":[{"id":"bench","entryPoints":["web"],"match":{"type":"rule","expression":"PathPrefix(\`/\`)"},
             "priority":0,"middlewares":[],"service":"backend"}],
 "services":[{"type":"loadBalancer","id":"backend","scheme":"http","passHostHeader":true,"strategy":"wrr",
              "endpoints":[{"address":"127.0.0.1","port":$BACKEND_PORT,"weight":1,"ready":true,"serving":true,
                            "terminating":false}]}],
 "middlewares":[],"certificates":[]}
JSON
  taskset -c "$PROXY_CORE" java -XX:ActiveProcessorCount=1 -Xms256m -Xmx256m -XX:+UseParallelGC \
      -jar "$JAR" --snapshot-file "$WORK/snapshot.json" --bind-address 127.0.0.1 --access-log false \
      --web-port $SLUICE_PORT --websecure-port $SLUICE_TLS_PORT --health-port $SLUICE_HEALTH_PORT --push-port $SLUICE_PUSH_PORT \
      >"$WORK/sluice.log" 2>&1 &
  pids+=($!); sp=$!
  wait_port $SLUICE_PORT
  measure sluice $SLUICE_PORT $sp
  measure_h2 sluice $SLUICE_PORT
  kill $sp; wait $sp 2>/dev/null || true
else
  echo "($JAR not built: run ./mvnw -q -DskipTests package to include Sluice)" >&2
fi

# --- report ---------------------------------------------------------------------------------------------------
nginx_rps=$(printf '%s\n' "${results[@]}" | awk -F'|' '$1=="nginx" {print $2}')
echo
echo "wrk -t1 -c$CONNECTIONS -d$DURATION, proxy pinned to core $PROXY_CORE, wrk and backend on core $LOAD_CORE"
printf '| %-8s | %10s | %8s | %8s | %12s | %12s | %-8s |\n' proxy "req/s" p50 p99 "RSS before" "RSS after" "vs nginx"
printf '|%s|\n' "----------|------------|----------|----------|--------------|--------------|----------"
for r in "${results[@]}"; do
  IFS='|' read -r name rps p50 p99 before after errors <<<"$r"
  ratio=$(awk -v a="$rps" -v b="$nginx_rps" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }')
  printf '| %-8s | %10s | %8s | %8s | %9s KiB | %9s KiB | %8s |\n' "$name" "$rps" "$p50" "$p99" "$before" "$after" "$ratio"
  [ "$errors" != "none" ] && echo "  $name: $errors"
done

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
