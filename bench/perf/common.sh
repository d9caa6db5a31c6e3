# shellcheck shell=bash
# Shared by cost.sh, compare.sh and alternate.sh (sourced, not run): port waiting, per-thread CPU samples of a process, and the
# files both write into $WORK (the one-router snapshot Sluice serves, the JFR settings).

# waits until something listens on 127.0.0.1:$1, at most $2 tenths of a second (default 600)
wait_port() {
  for _ in $(seq 1 "${2:-600}"); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  echo "nothing listens on 127.0.0.1:$1" >&2; return 1
}

# one line per thread of a process: kind tid cpu_ns user_ticks system_ticks context_switches
thread_sample() { # pid [nginx: every thread counts as kind nginx]
  local pid=$1 mode=${2:-} t name kind
  for t in /proc/"$pid"/task/*; do
    name=$(cat "$t/comm" 2>/dev/null) || continue
    if [ "$mode" = nginx ]; then kind=nginx; else
      case "$name" in
        C1\ Compiler*|C2\ Compiler*) kind=jit ;;
        GC\ *|VM\ Thread) kind=gc ;;
        *EventLoop*|*IoEv*) kind=loops ;;
        *) kind=other ;;
      esac
    fi
    local ns; ns=$(awk '{print $1}' "$t/schedstat" 2>/dev/null) || continue
    local ut st; read -r ut st < <(awk '{print $14, $15}' "$t/stat" 2>/dev/null) || continue
    local cs; cs=$(awk '/ctxt_switches/ {s += $2} END {print s}' "$t/status" 2>/dev/null) || continue
    echo "$kind ${t##*/} $ns $ut $st $cs"
  done
}

# the difference of two samples, per kind: kind cpu_ns user_ticks system_ticks context_switches
sample_diff() {
  awk 'NR == FNR { ns[$2] = $3; ut[$2] = $4; st[$2] = $5; cs[$2] = $6; next }
       { k = $1; dns[k] += $3 - ns[$2]; dut[k] += $4 - ut[$2]; dst[k] += $5 - st[$2]; dcs[k] += $6 - cs[$2] }
       END { for (k in dns) print k, dns[k], dut[k], dst[k], dcs[k] }' "$1" "$2"
}

# the snapshot (one router to the backend on $BACKEND_PORT) and the JFR settings files, in $WORK
write_fixtures() {
cat >"$WORK/snapshot.json" <<JSON
{"version":{"epoch":1,"sequence":1},
 "routers":[{"id":"bench","entryPoints":["web"],"match":{"type":"rule","expression":"PathPrefix(\`/\`)"},
             "priority":0,"middlewares":[],"service":"backend"}],
 "services":[{"type":"loadBalancer","id":"backend","scheme":"http","passHostHeader":true,"strategy":"wrr",
              "endpoints":[{"address":"127.0.0.1","port":$BACKEND_PORT,"weight":1,"ready":true,"serving":true,
                            "terminating":false}]}],
 "middlewares":[],"certificates":[]}
JSON
cat >"$WORK/alloc.jfc" <<XML
<?xml version="1.0" encoding="UTF-8"?>
<configuration version="2.0">
  <event name="jdk.ThreadAllocationStatistics"><setting name="enabled">true</setting>
    <setting name="period">everyChunk</setting></event>
</configuration>
XML

cat >"$WORK/none.jfc" <<XML
<?xml version="1.0" encoding="UTF-8"?>
<configuration version="2.0"/>
XML
}

# The shape of the exchanges, HEADERS: "small" (default) is wrk's one request header (Host) and the backend's five
# response headers; "browser" adds the nine request headers a browser sends with a page request and seven response
# headers an application typically sets, so that per-header costs show (every proxy parses, checks and re-sends
# each field). wrk gets the request headers from wrk_headers, the backend's config from write_nginx_confs.
HEADERS="${HEADERS:-small}"
wrk_headers=()
backend_headers=""
case "$HEADERS" in
  small) ;;
  browser)
    # shellcheck disable=SC2034 # read by the scripts that source this file
    wrk_headers=(-H "User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
      -H "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
      -H "Accept-Language: en-US,en;q=0.5" -H "Accept-Encoding: gzip, deflate, br"
      -H "Referer: http://127.0.0.1/index.html" -H "Cookie: session=0123456789abcdef0123456789abcdef; theme=dark"
      -H "Upgrade-Insecure-Requests: 1" -H "Sec-Fetch-Dest: document" -H "Sec-Fetch-Mode: navigate")
    backend_headers='add_header Cache-Control "private, max-age=0"; add_header ETag "\"5f3c-1a2b3c4d\"";
      add_header Vary "Accept-Encoding"; add_header X-Request-Id "7d5e2c1a-93f0-4b8e-a1d2-6c4f0e9b8a17";
      add_header Strict-Transport-Security "max-age=31536000"; add_header X-Content-Type-Options "nosniff";
      add_header Set-Cookie "seen=1; Path=/; HttpOnly";' ;;
  *) echo "HEADERS must be small or browser" >&2; exit 1 ;;
esac

# the nginx backend on $BACKEND_PORT ($WORK/backend.conf) and nginx as the reference proxy to it on $NGINX_PORT
# ($WORK/nginx.conf): one worker each, upstream keep-alive, and the Host and X-Forwarded-For headers a proxy sets
write_nginx_confs() {
cat >"$WORK/backend.conf" <<CONF
worker_processes 1; daemon on; pid $WORK/backend.pid; error_log $WORK/backend-error.log warn;
events { worker_connections 4096; }
http { access_log off; keepalive_requests 1000000;
  server { listen 127.0.0.1:$BACKEND_PORT; location / { $backend_headers return 200 "hello from the backend\n"; } } }
CONF
cat >"$WORK/nginx.conf" <<CONF
worker_processes 1; daemon on; pid $WORK/nginx.pid; error_log $WORK/nginx-error.log warn;
events { worker_connections 4096; }
http { access_log off; keepalive_requests 1000000;
  upstream backend { server 127.0.0.1:$BACKEND_PORT; keepalive 128; }
  server { listen 127.0.0.1:$NGINX_PORT;
    location / { proxy_pass http://backend; proxy_http_version 1.1; proxy_set_header Connection "";
                 proxy_set_header Host \$host; proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for; } } }
CONF
}
