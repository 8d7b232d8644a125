#!/usr/bin/env bash
# bench/cli.sh: how fast the `berth` CLI starts, beside the docker CLI, against the same private berthd (started by
# engines.sh with NO_DOCKERD=1, so no dockerd), and how fast berthd answers after it is started.
#   - `berth version`, `berth ps`, `docker version`, `docker ps`: N runs each, interleaved; median wall-clock ms and
#     median CPU ms (user + sys, 10 ms resolution: less sensitive than wall-clock to other load on the machine)
#     (issue 12: berth's ≤ 150 ms)
#   - BASELINE=DIR: also `DIR/bin/berth version|ps` (another built checkout, e.g. main's) in the same rounds, and
#     `DIR/bin/berthd` starts interleaved with this checkout's (DIR's AOT caches must be current: its bin/lib/*-aot)
#   - berthd from exec to its first `/_ping` answer on a fresh private root: median of STARTS (issue 12: ≤ 300 ms),
#     after one untimed start (the one that may write berthd's class-data archive); its CPU column is the JVM's
#     user + sys ms at that answer, all threads (JIT compilers included)
#   N=20  STARTS=5  BASELINE=  NO_SETUP=1 (the build and bin/lib/cli-aot's cache must then be current)
# Needs root (berthd).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
n=${N:-20}
starts=${STARTS:-5}
baseline=${BASELINE:-}
export NO_DOCKERD=1
. bench/engines.sh
if [ -z "${NO_SETUP:-}" ]; then bin/lib/cli-aot >&2; fi
. bin/lib/java.sh
berth_find_java
repo=$root
. bin/lib/cli.sh
cache="AppCDS (no current AOT cache)"
berth_cli_aot_current "$berth_cli_fast_aot" && cache="AOT cache $(du -h "$berth_cli_fast_aot" | cut -f1) for version and ps"

median() { sort -n "$1" | awk '{ a[NR] = $1 } END { printf "%d", (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
measure() { # KEY command… → appends its wall-clock ms to $tmp/KEY.wall and its user+sys ms to $tmp/KEY.cpu
  local key=$1 t0 t1; shift
  t0=$(date +%s%N)
  /usr/bin/time -f "%U %S" -o "$tmp/time" "$@" >/dev/null
  t1=$(date +%s%N)
  echo $(( (t1 - t0) / 1000000 )) >>"$tmp/$key.wall"
  awk '{ printf "%d\n", ($1 + $2) * 1000 }' "$tmp/time" >>"$tmp/$key.cpu"
}

labels=("berth version" "berth ps" "docker version" "docker ps")
cmds=("bin/berth version" "bin/berth ps" "docker version" "docker ps")
if [ -n "$baseline" ]; then
  labels+=("berth version (baseline)" "berth ps (baseline)")
  cmds+=("$baseline/bin/berth version" "$baseline/bin/berth ps")
fi
for c in "${cmds[@]}"; do # untimed: warms the page cache (and writes an AppCDS archive where there is no AOT cache)
  read -r -a argv <<<"$c"
  "${argv[0]}" -H "$berth_host" "${argv[@]:1}" >/dev/null
done
for _ in $(seq 1 "$n"); do
  for i in "${!cmds[@]}"; do
    read -r -a argv <<<"${cmds[$i]}"
    measure "c$i" "${argv[0]}" -H "$berth_host" "${argv[@]:1}"
  done
done

# berthd: exec → first answer, each start on fresh roots (bench/first-answer.py: a light poller, stopped by PID).
# start_ms KEY DIR appends the wall-clock ms to $tmp/KEY.wall and the JVM's user+sys CPU ms at that answer (all its
# threads: JIT compilers, GC) to $tmp/KEY.cpu
start_ms() {
  local key=$1 dir=$2 out
  out=$(python3 "$root/bench/first-answer.py" "$dir/bin/berthd" "$tmp") || { cat "$tmp/first-answer.log" >&2; exit 1; }
  echo "${out% *}" >>"$tmp/$key.wall"
  echo "${out#* }" >>"$tmp/$key.cpu"
}
dirs=("$root")
[ -z "$baseline" ] || dirs+=("$baseline")
for i in "${!dirs[@]}"; do start_ms warm "${dirs[$i]}"; done
for _ in $(seq 1 "$starts"); do
  for i in "${!dirs[@]}"; do start_ms "d$i" "${dirs[$i]}"; done # interleaved with the baseline's
done
berthd_cache="AppCDS"
repo=$root . bin/lib/berthd.sh
berthd_aot_current && berthd_cache="AOT cache"

echo
echo "berth CLI: $cache; berthd: $berthd_cache; load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| command (against one berthd) | median ms (N=$n) | median CPU ms | target |"
echo "|---|---|---|---|"
for i in "${!cmds[@]}"; do
  target="—"
  case ${labels[$i]} in "berth version" | "berth ps") target="≤ 150" ;; esac
  echo "| \`${labels[$i]}\` | $(median "$tmp/c$i.wall") | $(median "$tmp/c$i.cpu") | $target |"
done
for i in "${!dirs[@]}"; do
  label="berthd start → first \`/_ping\` answer"
  [ "$i" -eq 0 ] || label="$label (baseline)"
  echo "| $label | $(median "$tmp/d$i.wall") (median of $starts: $(tr '\n' ' ' <"$tmp/d$i.wall")) | $(median "$tmp/d$i.cpu") | ≤ 300 |"
done
