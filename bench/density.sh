#!/usr/bin/env bash
# bench/density.sh: starts N detached `sleep 3600` containers (`docker run -d --network none busybox sleep 3600`,
# one after the other, as a user would) through berthd and, when installed, through a dockerd started here on
# private roots; times the starts, then measures the PSS (/proc/<pid>/smaps_rollup) of the daemon plus every
# per-container monitor (berthd + conmons; dockerd + containerd + containerd-shims), total and per container;
# times `docker ps` and `docker stats --no-stream` over them (median of 5 and of 3), and `docker ps` against
# bench/build-floor.py serving the engine's saved `GET /containers/json` answer at once (the ps floor: what the docker
# CLI alone needs for those rows, median of 5), then removes them all with one
# `docker rm -f` (timed too) and checks that nothing is left behind: no container, monitor, mount or cgroup of theirs.
#   N=50          containers per engine (issue 12 asks for 1000)
#   NO_DOCKERD=1  berthd only
#   BRIDGE=1      on each engine's default bridge instead of --network none (see engines.sh)
# Needs root.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
n=${N:-50}
. bench/engines.sh

pss_kib() { # pids… → total PSS in KiB
  local t=0 p v
  for p in "$@"; do
    v=$(awk '/^Pss:/ { print $2; exit }' "/proc/$p/smaps_rollup" 2>/dev/null || echo 0)
    t=$(( t + ${v:-0} ))
  done
  echo "$t"
}
pids_matching() { # comm needle → pids whose comm is <comm> and whose cmdline contains <needle>
  local p
  for p in /proc/[0-9]*; do
    [ "$(cat "$p/comm" 2>/dev/null)" = "$1" ] || continue
    tr '\0' ' ' 2>/dev/null <"$p/cmdline" | grep -qF -- "$2" && echo "${p#/proc/}"
  done
}
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", (b - a) / 1e9 }'; }
net_flag=(--network none)
[ -z "${BRIDGE:-}" ] || net_flag=()
median_ms() { # runs… of a command → the median wall time in ms
  local runs=$1 t0 t1 i; shift
  for i in $(seq 1 "$runs"); do
    t0=$(date +%s%N); "$@" >/dev/null; t1=$(date +%s%N)
    echo $(( (t1 - t0) / 1000000 ))
  done | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'
}
leftovers() { # name exec-root ids-file → complaints about what the removal left behind
  local name=$1 exec=$2 ids=$3 id n
  n=$(awk -v q="$exec" 'index($5, q) == 1' /proc/self/mountinfo | grep -c -F -f <(cut -c1-64 "$ids") || true)
  [ "$n" -eq 0 ] || echo "$name: $n mounts of removed containers are left"
  n=$(pids_matching "$4" "$exec" | wc -l)
  [ "$n" -eq 0 ] || echo "$name: $n monitors ($4) are left"
  n=$(find /sys/fs/cgroup/memory /sys/fs/cgroup/pids /sys/fs/cgroup/unified -maxdepth 3 -type d 2>/dev/null |
    grep -c -F -f <(cut -c1-64 "$ids") || true)
  [ "$n" -eq 0 ] || echo "$name: $n cgroups of removed containers are left"
}

ps_floor() { # host name → median ms of `docker ps` against a server that returns the engine's saved answer at once
  local sock=$tmp/psfloor.sock pid ms
  curl -s --unix-socket "${1#unix://}" "http://engine/v1.41/containers/json" >"$tmp/ps.$2.json"
  python3 bench/build-floor.py "$sock" "$tmp/ps.$2.json" &
  pid=$!
  for _ in $(seq 1 100); do [ -S "$sock" ] && break; sleep 0.05; done
  ms=$(median_ms 5 docker -H "unix://$sock" ps)
  kill "$pid"; wait "$pid" 2>/dev/null
  rm -f "$sock"
  echo "$ms"
}

rows=()
measure() { # name host daemon_pid monitor_comm monitor_needle(exec root) [extra daemon pids…]
  local name=$1 host=$2 dpid=$3 comm=$4 needle=$5 exec_root=$5; shift 5
  local t0 t1 start_s rm_s clean_s base_pss pss mons d_pss m_pss ps_ms floor_ms stats_ms
  base_pss=$(pss_kib "$dpid" "$@")
  echo "$name: starting $n containers…" >&2
  t0=$(date +%s%N)
  for _ in $(seq 1 "$n"); do docker -H "$host" run -d "${net_flag[@]}" busybox sleep 3600 >/dev/null; done
  t1=$(date +%s%N); start_s=$(secs "$t0" "$t1")
  [ "$(docker -H "$host" ps -q | wc -l)" -eq "$n" ] || { echo "$name: not all $n containers are running" >&2; exit 1; }
  docker -H "$host" ps -q --no-trunc >"$tmp/ids.$name"
  # the memory of the running containers, settled (berthd gives malloc's free memory back every 10 s), before the
  # ps and stats bursts below
  sleep 12
  mons=$(pids_matching "$comm" "$needle" | tr '\n' ' ')
  d_pss=$(pss_kib "$dpid" "$@")
  # shellcheck disable=SC2086
  m_pss=$(pss_kib $mons)
  pss=$(( d_pss + m_pss ))
  ps_ms=$(median_ms 5 docker -H "$host" ps)
  floor_ms=$(ps_floor "$host" "$name")
  stats_ms=$(median_ms 3 docker -H "$host" stats --no-stream)
  t0=$(date +%s%N)
  # shellcheck disable=SC2046
  # at most 10 minutes: dockerd 20.10 stopped removing with ~400 of 1000 left here
  if timeout 600 docker -H "$host" rm -f $(docker -H "$host" ps -aq) >/dev/null; then
    t1=$(date +%s%N); rm_s=$(secs "$t0" "$t1")
  else
    rm_s="not done in 600 s ($(docker -H "$host" ps -aq | wc -l) left)"
  fi
  [ "$(docker -H "$host" ps -aq | wc -l)" -eq 0 ] || echo "$name: containers are left after rm -f" >&2
  # berthd answers a removal once the record and name are gone and cleans up after (runtime state, mounts, files):
  # wait (at most 60 s: a check over a thousand left monitors takes seconds) until nothing of the removed containers is
  # left, and time that too
  clean_s=
  deadline=$(( $(date +%s) + 60 ))
  while [ "$(date +%s)" -lt "$deadline" ]; do
    if [ -z "$(leftovers "$name" "$exec_root" "$tmp/ids.$name" "$comm")" ]; then clean_s=$(secs "$t0" "$(date +%s%N)"); break; fi
    sleep 0.1
  done
  [ -n "$clean_s" ] || { clean_s=never; leftovers "$name" "$exec_root" "$tmp/ids.$name" "$comm" >&2; }
  rows+=("$(printf '| %s | %s | %s | %d | %d | %d | %d | %d (%d before) | %d (%d × %s) | %.2f | %s | %s |' "$name" "$n" "$start_s" \
    "$(awk -v s="$start_s" -v n="$n" 'BEGIN { printf "%d", s * 1000 / n }')" "$ps_ms" "$floor_ms" "$stats_ms" \
    $(( d_pss / 1024 )) $(( base_pss / 1024 )) $(( m_pss / 1024 )) "$(wc -w <<<"$mons")" "$comm" \
    "$(awk -v p="$pss" -v b="$base_pss" -v n="$n" 'BEGIN { printf "%.2f", (p - b) / 1024 / n }')" "$rm_s" "$clean_s")")
  echo "${rows[-1]}" >&2 # as soon as it is measured: a hang later loses nothing
}

measure berthd "$berth_host" "$berth_pid" conmon "$tmp/b/exec"
if [ -n "$docker_host" ]; then
  ctrd=$(pids_matching containerd "$tmp/d/exec" | head -1)
  # shellcheck disable=SC2086
  measure dockerd "$docker_host" "$dockerd_pid" containerd-shim "$tmp/d/exec" $ctrd
fi

printf '\n%d detached `sleep 3600` containers (%s), started one after the other\n\n' "$n" "${net_flag[*]:-on the default bridge}"
printf '| engine | N | start all (s) | per start (ms) | ps (ms) | ps floor (ms) | stats --no-stream (ms) | daemon PSS MiB | monitors PSS MiB | (daemon+monitors − idle daemon) / N, MiB | rm -f all (s) | nothing left (s) |\n'
printf '|---|---|---|---|---|---|---|---|---|---|---|---|\n'
printf '%s\n' "${rows[@]}"
