#!/usr/bin/env bash
# bench/run-latency.sh: latency of `docker run --rm --network none busybox true`, N times through berthd and, when
# Docker Engine is installed, through a dockerd started here on private roots (--iptables=false --bridge=none),
# interleaved in one run (berthd, dockerd, berthd, …) so both see the same machine. Prints median, p90, min, max (ms).
# Where berthd's default runtime is crun, the same berthd is timed with `--runtime runc` too ("berthd runc").
# Then, for each berthd row, where the time went: the mean of each phase berthd times (its metrics,
# berth_container_phase_seconds, read before and after every timed run), and the rest (the docker CLI's own start,
# its requests, attach and wait).
#   N=20          runs per engine (after WARMUP untimed runs each)
#   WARMUP=10
#   NO_DOCKERD=1  berthd only
#   BRIDGE=1      on each engine's default bridge network instead of --network none (see engines.sh)
# Needs root.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
n=${N:-20}
warmup=${WARMUP:-10}
. bench/engines.sh
net_flag=(--network none)
[ -z "${BRIDGE:-}" ] || net_flag=()
what="docker run --rm ${net_flag[*]:+${net_flag[*]} }busybox true"

ms_now() { date +%s%N; }
one() { # host [run flags…] → prints elapsed ms
  local t0 t1 host=$1
  shift
  t0=$(ms_now)
  docker -H "$host" run --rm "$@" "${net_flag[@]}" busybox true
  t1=$(ms_now)
  echo $(( (t1 - t0) / 1000000 ))
}
stats() { # file → "median p90 min max"
  sort -n "$1" | awk '{ a[NR] = $1 } END {
    m = (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2
    p = int(0.9 * NR + 0.999999); if (p < 1) p = 1
    printf "%d %d %d %d", m, a[p], a[1], a[NR] }'
}

default_runtime=$(docker -H "$berth_host" info --format '{{.DefaultRuntime}}')
hosts=("$berth_host"); names=("berthd $default_runtime"); flags=("")
[ "$default_runtime" = crun ] && { hosts+=("$berth_host"); names+=("berthd runc"); flags+=("--runtime=runc"); }
[ -n "$docker_host" ] && { hosts+=("$docker_host"); names+=(dockerd); flags+=(""); }
for i in "${!hosts[@]}"; do
  for _ in $(seq 1 "$warmup"); do one "${hosts[$i]}" ${flags[$i]} >/dev/null; done
  : >"$tmp/lat.${names[$i]}"
done
echo "timing $n runs per engine, interleaved…" >&2
phases() { # → "phase/sum value" and "phase/count value" lines of berthd's phase histogram, sorted for join
  curl -sf "$berth_metrics" |
    sed -n 's/^berth_container_phase_seconds_\(sum\|count\){phase="\([a-z_]*\)"} \(.*\)$/\2\/\1 \3/p' | sort
}
for i in "${!hosts[@]}"; do : >"$tmp/phases.${names[$i]}"; done
for _ in $(seq 1 "$n"); do
  for i in "${!hosts[@]}"; do
    if [ "${hosts[$i]}" = "$berth_host" ]; then phases >"$tmp/before"; fi
    one "${hosts[$i]}" ${flags[$i]} >>"$tmp/lat.${names[$i]}"
    # berthd removes a --rm container before the CLI returns: every phase of this run is in the histogram now
    if [ "${hosts[$i]}" = "$berth_host" ]; then phases >"$tmp/after"; join "$tmp/before" "$tmp/after" >>"$tmp/phases.${names[$i]}"; fi
  done
done

printf '\n`%s`, %d runs each (ms)\n\n' "$what" "$n"
printf '| engine | median | p90 | min | max |\n|---|---|---|---|---|\n'
for i in "${!hosts[@]}"; do
  read -r med p90 min max <<<"$(stats "$tmp/lat.${names[$i]}")"
  printf '| %s | %s | %s | %s | %s |\n' "${names[$i]}" "$med" "$p90" "$min" "$max"
done
for i in "${!hosts[@]}"; do
  [ "${hosts[$i]}" = "$berth_host" ] || continue
  printf '\nwhere `%s` spends a run (%s): mean ms per run\n\n| phase | ms |\n|---|---|\n' "$what" "${names[$i]}"
  awk -v runs="$n" -v total="$(awk '{ s += $1 } END { print s / NR }' "$tmp/lat.${names[$i]}")" '
    { split($1, k, "/"); d = $3 - $2; if (k[2] == "sum") sum[k[1]] += d }
    END {
      split("create mount network spec runtime_create runtime_start exit_seen exit_cleanup remove", order, " ")
      for (j = 1; j <= 9; j++) { ms = sum[order[j]] * 1000 / runs; all += ms; printf "| %s | %.1f |\n", order[j], ms }
      printf "| the rest: the CLI, its requests, attach and wait | %.1f |\n| total (mean) | %.1f |\n", total - all, total
    }' "$tmp/phases.${names[$i]}"
done
if [ -n "$docker_host" ]; then
  b=$(stats "$tmp/lat.${names[0]}" | cut -d' ' -f1); d=$(stats "$tmp/lat.dockerd" | cut -d' ' -f1)
  awk -v b="$b" -v d="$d" 'BEGIN { printf "\nberthd median / dockerd median = %.2f (issue 12 target <= 0.30)\n", b / d }'
fi
