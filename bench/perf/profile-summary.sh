#!/usr/bin/env bash
# Summarizes an async-profiler collapsed-stack file (one "frame;frame;... count" line per stack, with thread
# names as the first frame when profiled with `threads`): the event loop threads' share of samples by the frame
# they were in (self) and by the frames anywhere on their stack (inclusive), top TOP of each.
#   bench/perf/profile-summary.sh window.cpu.collapsed
set -euo pipefail
TOP="${TOP:-40}"
awk -v top="$TOP" '
  { n = $NF; line = $0; sub(/ [0-9]+$/, "", line); total += n
    if (line !~ /EventLoop|IoEv/) { other += n; next }
    loop += n; k = split(line, f, ";"); self[f[k]] += n
    delete seen; for (i = 2; i <= k; i++) if (!(f[i] in seen)) { seen[f[i]] = 1; incl[f[i]] += n } }
  END {
    printf "samples: %d, event loop threads: %d (%.1f%%)\n\n", total, loop, 100 * loop / total
    print "== self (share of event loop samples) =="
    for (s in self) printf "%6.2f%%  %s\n", 100 * self[s] / loop, s | "sort -rn | head -" top
    close("sort -rn | head -" top)
    print "\n== inclusive =="
    for (s in incl) printf "%6.2f%%  %s\n", 100 * incl[s] / loop, s | "sort -rn | head -" top
  }' "$1"
