# shellcheck shell=bash
# Shared by cost.sh and compare.sh (sourced, not run): port waiting, per-thread CPU samples of a process, and the
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
