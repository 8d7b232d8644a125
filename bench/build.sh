#!/usr/bin/env bash
# bench/build.sh: `docker build` (the docker CLI's classic path, DOCKER_BUILDKIT=0, so both engines get POST /build
# from the same client) through berthd and, when Docker Engine is installed, through a dockerd started here on
# private roots (see engines.sh); the runs are interleaved (berthd, dockerd, berthd, …) so both see the same machine.
# Three measures, median of N runs each (ms):
#   cold     a 10-step Dockerfile (COPY of a MIB MiB context, several RUNs) with --no-cache
#   cached   the same build again: every step a cache hit
#   stages   a 3-stage build whose first two stages are independent (one build), against building those two stages
#            one after the other (--target a, then --target b); Berth builds independent stages in parallel. (dockerd's
#            classic builder builds every stage up to the target, so its --target b builds a again: its own ratio is
#            shown for reference only.)
#   floor    the same `docker build` against bench/build-floor.py, a server that only reads the context and answers:
#            what the docker CLI alone needs to send it, under any engine's all-cache rebuild
# Prints a table and the ratios berthd/dockerd (issue 10's targets: cold <= 0.5, cached <= 0.25) and, per engine,
# stages/sequential (< 1 when independent stages overlap).
#   N=3           runs per engine and measure
#   MIB=50        context size
#   NO_DOCKERD=1  berthd only
#   NO_SETUP=1    skip bin/setup (the build must be current)
# Needs root.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
n=${N:-3}
mib=${MIB:-50}
. bench/engines.sh
export DOCKER_BUILDKIT=0

ctx=$tmp/ctx
mkdir -p "$ctx/data"
for i in $(seq 1 "$mib"); do head -c $((1024 * 1024)) /dev/urandom > "$ctx/data/f$i"; done
cat > "$ctx/Dockerfile" <<'DOCKERFILE'
FROM busybox
ENV APP=/app
WORKDIR /app
COPY data/ /app/data/
RUN cat /app/data/* | md5sum > /app/sum
RUN mkdir -p /app/out && echo built > /app/out/a
RUN for i in $(seq 1 2000); do echo $i; done > /app/out/seq
RUN du -s /app > /app/out/du
LABEL stage=bench
CMD ["cat", "/app/sum"]
DOCKERFILE

stages=$tmp/stages
mkdir -p "$stages"
cat > "$stages/Dockerfile" <<'DOCKERFILE'
FROM busybox AS a
RUN sleep 1 && head -c 20000000 /dev/urandom | md5sum > /a
FROM busybox AS b
RUN sleep 1 && head -c 20000000 /dev/urandom | md5sum > /b
FROM busybox
COPY --from=a /a /a
COPY --from=b /b /b
DOCKERFILE

ms_now() { date +%s%N; }
timed() { # host args… → prints elapsed ms; the build's output goes to $tmp/last.log
  local h=$1 t0 t1
  shift
  t0=$(ms_now)
  docker -H "$h" build --network none "$@" >"$tmp/last.log" 2>&1 || { echo "build failed on $h:" >&2; tail -n 20 "$tmp/last.log" >&2; exit 1; }
  t1=$(ms_now)
  echo $(( (t1 - t0) / 1000000 ))
}
median() { sort -n "$1" | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : int((a[NR / 2] + a[NR / 2 + 1]) / 2) }'; }

floor_sock=$tmp/floor.sock
python3 bench/build-floor.py "$floor_sock" &
floor_pid=$!
trap 'kill "$floor_pid" 2>/dev/null; engines_cleanup' EXIT
for _ in $(seq 1 100); do [ -S "$floor_sock" ] && break; sleep 0.05; done

hosts=("$berth_host"); names=(berthd)
[ -n "$docker_host" ] && { hosts+=("$docker_host"); names+=(dockerd); }
for i in "${!hosts[@]}"; do
  timed "${hosts[$i]}" -t warm "$ctx" >/dev/null # untimed: first contact, the base image's layers in the page cache
  for m in cold cached stages sequential; do : >"$tmp/$m.${names[$i]}"; done
done
: >"$tmp/floor"
timed "unix://$floor_sock" "$ctx" >/dev/null
echo "timing $n runs per engine and measure, interleaved…" >&2
for _ in $(seq 1 "$n"); do
  for i in "${!hosts[@]}"; do
    h=${hosts[$i]} e=${names[$i]}
    timed "$h" --no-cache -t bench:cold "$ctx" >>"$tmp/cold.$e"
    timed "$h" -t bench:cached "$ctx" >>"$tmp/cached.$e"
    grep -c ' ---> Using cache' "$tmp/last.log" | grep -qx 9 || { echo "$e: the rebuild was not all cache hits" >&2; cat "$tmp/last.log" >&2; exit 1; }
    timed "$h" --no-cache -t bench:stages "$stages" >>"$tmp/stages.$e"
    a=$(timed "$h" --no-cache --target a "$stages"); b=$(timed "$h" --no-cache --target b "$stages")
    echo $(( a + b )) >>"$tmp/sequential.$e"
  done
  timed "unix://$floor_sock" "$ctx" >>"$tmp/floor"
done

printf '\n`docker build` (classic API), median of %d runs (ms); context %d MiB\n\n' "$n" "$mib"
printf '| measure | berthd |%s\n|---|---|%s\n' "${docker_host:+ dockerd | berthd/dockerd |}" "${docker_host:+---|---|}"
for m in cold cached stages sequential; do
  b=$(median "$tmp/$m.berthd")
  if [ -n "$docker_host" ]; then
    d=$(median "$tmp/$m.dockerd")
    awk -v m="$m" -v b="$b" -v d="$d" 'BEGIN { printf "| %s | %d | %d | %.2f |\n", m, b, d, b / d }'
  else
    printf '| %s | %d |\n' "$m" "$b"
  fi
done
f=$(median "$tmp/floor")
if [ -n "$docker_host" ]; then
  awk -v f="$f" -v d="$(median "$tmp/cached.dockerd")" 'BEGIN { printf "| floor (CLI sending to a server that only reads) | %d | | %.2f of dockerd'"'"'s cached |\n", f, f / d }'
else
  printf '| floor (CLI sending to a server that only reads) | %d |\n' "$f"
fi
echo
for e in "${names[@]}"; do
  awk -v e="$e" -v s="$(median "$tmp/stages.$e")" -v q="$(median "$tmp/sequential.$e")" \
    'BEGIN { printf "%s: 3-stage build / stages a then b = %.2f (< 1: independent stages overlap)\n", e, s / q }'
done
[ -z "$docker_host" ] || echo "(dockerd's --target b also builds stage a: its classic builder runs every stage up to the target)"
if [ -n "$docker_host" ]; then
  echo "targets (issue 10): cold <= 0.50, cached <= 0.25 (berthd/dockerd)"
fi
