#!/usr/bin/env bash
# bench/cli.sh: how fast the `berth` CLI starts, beside the docker CLI, against the same private berthd (started by
# engines.sh with NO_DOCKERD=1, so no dockerd), and how fast berthd answers after it is started.
#   - `berth version`, `berth ps`, `docker version`, `docker ps`: N runs each, interleaved, median (issue 12: berth's
#     ≤ 150 ms)
#   - berthd from exec to its first `/_ping` answer on a fresh private root: median of STARTS (issue 12: ≤ 300 ms),
#     after one untimed start (the one that may write berthd's class-data archive)
#   N=20  STARTS=5  NO_SETUP=1 (the build and bin/lib/cli-aot's cache must then be current)
# Needs root (berthd).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
n=${N:-20}
starts=${STARTS:-5}
export NO_DOCKERD=1
. bench/engines.sh
if [ -z "${NO_SETUP:-}" ]; then bin/lib/cli-aot >&2; fi
. bin/lib/java.sh
berth_find_java
repo=$root
. bin/lib/cli.sh
cache="AppCDS (no current AOT cache)"
berth_cli_aot_current && cache="AOT cache $(du -h "$berth_cli_aot" | cut -f1)"
echo "berth CLI: $cache; JDK $JAVA_HOME; load average $(cut -d' ' -f1-3 /proc/loadavg)" >&2

median() { sort -n "$1" | awk '{ a[NR] = $1 } END { printf "%d", (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
elapsed_ms() { # command… → prints its wall-clock ms; fails when the command does
  local t0 t1
  t0=$(date +%s%N)
  "$@" >/dev/null
  t1=$(date +%s%N)
  echo $(( (t1 - t0) / 1000000 ))
}

key() { local k=${1#bin/}; echo "t.${k// /_}"; } # command → its timings file under $tmp
cmds=("bin/berth version" "bin/berth ps" "docker version" "docker ps")
for c in "${cmds[@]}"; do # untimed: warms the page cache (and writes the AppCDS archive when there is no AOT cache)
  read -r -a argv <<<"$c"
  "${argv[0]}" -H "$berth_host" "${argv[@]:1}" >/dev/null
  : >"$tmp/$(key "$c")"
done
for _ in $(seq 1 "$n"); do
  for c in "${cmds[@]}"; do
    read -r -a argv <<<"$c"
    elapsed_ms "${argv[0]}" -H "$berth_host" "${argv[@]:1}" >>"$tmp/$(key "$c")"
  done
done

# berthd: exec → first answer, each start on fresh roots; stopped by PID
start_ms() {
  local d=$tmp/s$1 t0 t1 pid
  mkdir -p "$d/data" "$d/exec"
  t0=$(date +%s%N)
  bin/berthd --data-root "$d/data" --exec-root "$d/exec" -H "unix://$d/exec/b.sock" --log-level warn \
    >"$d/log" 2>&1 &
  pid=$!
  until curl -sf --unix-socket "$d/exec/b.sock" http://berth/_ping >/dev/null 2>&1; do
    kill -0 "$pid" 2>/dev/null || { echo "berthd exited:" >&2; tail -n 20 "$d/log" >&2; exit 1; }
  done
  t1=$(date +%s%N)
  kill -TERM "$pid"; wait "$pid" 2>/dev/null || true
  rm -rf "$d"
  echo $(( (t1 - t0) / 1000000 ))
}
start_ms warm >/dev/null
: >"$tmp/berthd"
for i in $(seq 1 "$starts"); do start_ms "$i" >>"$tmp/berthd"; done

echo
echo "| command (against one berthd) | median ms (N=$n) | target |"
echo "|---|---|---|"
for c in "${cmds[@]}"; do
  target="—"
  case $c in bin/berth*) target="≤ 150" ;; esac
  echo "| \`${c#bin/}\` | $(median "$tmp/$(key "$c")") | $target |"
done
echo "| berthd start → first \`/_ping\` answer | $(median "$tmp/berthd") (median of $starts) | ≤ 300 |"
