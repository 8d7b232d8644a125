#!/usr/bin/env bash
# bench/pull-push.sh: times `docker pull` and `docker push` of a generated 5-layer image of incompressible data
# against a local docker-registry (distribution 2.8, started here on 127.0.0.1 with storage under $tmp), through berthd
# and — when Debian's docker.io is installed and NO_DOCKERD is unset — through a dockerd started here on private roots
# (--iptables=false --bridge=none), with the same docker CLI. Prints the median of REPEAT runs per engine and the
# berthd/dockerd ratio; then berthd's Java heap (from its GC log: occupancy before and after each collection) during a
# pull of a BIG_MIB image with berthd capped at -Xmx256m.
#   SIZE_MIB=500   image size (5 layers of SIZE_MIB/5, one random file each)
#   BIG_MIB=1024   image size for the heap measurement (0 skips it)
#   REPEAT=3       runs per engine; every pull starts with no layer local, every push with an empty registry
#   BENCH_TMP=/var/tmp   where the registry, the roots and the image go (needs ~5×SIZE_MIB + 3×BIG_MIB free)
#   NO_SETUP=1     skip bin/setup (the build must be current)
# Needs root (berthd mounts overlays), docker-registry, skopeo, curl, python3 (a free port).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
size_mib=${SIZE_MIB:-500}
big_mib=${BIG_MIB:-1024}
repeat=${REPEAT:-3}
[ "$(id -u)" -eq 0 ] || { echo "pull-push: needs root (sudo bench/pull-push.sh)" >&2; exit 1; }
[ -n "${NO_SETUP:-}" ] || bin/setup >&2
. bin/lib/java.sh
berth_find_java
tmp=$(mktemp -d "${BENCH_TMP:-/var/tmp}/berth-bench.XXXXXX")
export DOCKER_CONFIG=$tmp/docker-config
mkdir -p "$DOCKER_CONFIG"
unset DOCKER_HOST DOCKER_CONTEXT DOCKER_API_VERSION

pid= dpid= rpid=
stop() { # pid: TERM and wait, only a process started here
  if [ -n "$1" ] && kill -0 "$1" 2>/dev/null; then kill -TERM "$1"; wait "$1" 2>/dev/null || true; fi
}
cleanup() {
  set +e
  stop "$pid"; stop "$dpid"; stop "$rpid"
  awk -v q="$tmp/" 'index($5, q) == 1 { print $5 }' /proc/self/mountinfo | sort -r | xargs -r -n1 umount -l
  rm -rf "$tmp"
}
trap cleanup EXIT

now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }
median() { tr ' ' '\n' | grep -v '^$' | sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
. "$root/bench/lib.sh"

# the registry: a free loopback port, storage wiped by each (re)start
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
reg=127.0.0.1:$port
start_registry() { stop "$rpid"; rm -rf "$tmp/registry"; mkdir -p "$tmp/registry"; start_registry_keep; }
start_registry_keep() { docker_registry_start "$tmp/registry" "$reg"; registry_await "$reg"; }


echo "generating a ${size_mib} MiB 5-layer image…" >&2
make_image "$size_mib" 5 bench/img:1 img
start_registry
echo "seeding the registry with skopeo (gzip layers)…" >&2
skopeo copy --quiet --dest-tls-verify=false "docker-archive:$tmp/img.tar" "docker://$reg/bench/pull:1"
cp -a "$tmp/registry" "$tmp/registry-seeded"
reseed() { stop "$rpid"; rm -rf "$tmp/registry"; cp -a "$tmp/registry-seeded" "$tmp/registry"; start_registry_keep; }

# bench HOST → "pull_median push_median [details]"
bench() {
  local host=$1 pulls= pushes= t0 t1 i
  for i in $(seq 1 "$repeat"); do
    # nothing local: every layer is downloaded
    docker -H "$host" rmi -f "$reg/bench/pull:1" bench/img:1 "$reg/bench/push:$((i - 1))" >/dev/null 2>&1 || true
    docker -H "$host" image prune -af >/dev/null 2>&1 || true
    sync
    t0=$(now); docker -H "$host" pull -q "$reg/bench/pull:1" >/dev/null; t1=$(now); pulls="$pulls $(secs "$t0" "$t1")"
    docker -H "$host" rmi -f "$reg/bench/pull:1" >/dev/null
    # push a loaded image into an empty registry: every layer compressed and uploaded
    docker -H "$host" load -q -i "$tmp/img.tar" >/dev/null
    start_registry
    docker -H "$host" tag bench/img:1 "$reg/bench/push:$i"
    sync
    t0=$(now); docker -H "$host" push -q "$reg/bench/push:$i" >/dev/null; t1=$(now); pushes="$pushes $(secs "$t0" "$t1")"
    reseed
  done
  docker -H "$host" rmi -f bench/img:1 "$reg/bench/push:$repeat" >/dev/null 2>&1 || true
  echo "$(echo "$pulls" | median) $(echo "$pushes" | median)  [pulls:$pulls; pushes:$pushes]"
}

start_berthd() { # extra JVM options
  local q=$tmp/berthd
  mkdir -p "$q/data" "$q/exec"
  BERTHD_JAVA_OPTS="${1:-}" bin/berthd --data-root "$q/data" --exec-root "$q/exec" -H "unix://$q/exec/berth.sock" \
    --pidfile "$q/exec/berthd.pid" --log-level warn >>"$tmp/berthd.log" 2>&1 &
  pid=$!
  berth_host=unix://$q/exec/berth.sock
  await_sock "$berth_host" "$pid" "$tmp/berthd.log"
}

echo "benchmarking berthd…" >&2
start_berthd
bench "$berth_host" >"$tmp/res"; res=$(cat "$tmp/res"); read -r b_pull b_push b_detail <<<"$res"
echo "berthd: $res" >&2
stop "$pid"; pid=
awk -v q="$tmp/berthd/" 'index($5, q) == 1 { print $5 }' /proc/self/mountinfo | sort -r | xargs -r -n1 umount -l
rm -rf "$tmp/berthd"

d_pull=- d_push=- note=
if [ -z "${NO_DOCKERD:-}" ] && command -v dockerd >/dev/null; then
  echo "benchmarking dockerd…" >&2
  d=$tmp/dockerd
  mkdir -p "$d/data" "$d/exec"
  dockerd --data-root "$d/data" --exec-root "$d/exec" -H "unix://$d/docker.sock" --pidfile "$d/dockerd.pid" \
    --iptables=false --bridge=none --storage-driver overlay2 >"$tmp/dockerd.log" 2>&1 &
  dpid=$!
  await_sock "unix://$d/docker.sock" "$dpid" "$tmp/dockerd.log"
  echo "dockerd $(docker -H "unix://$d/docker.sock" version --format '{{.Server.Version}}')" >&2
  bench "unix://$d/docker.sock" >"$tmp/res"; res=$(cat "$tmp/res"); read -r d_pull d_push d_detail <<<"$res"
  echo "dockerd: $res" >&2
  stop "$dpid"; dpid=
  awk -v q="$d/" 'index($5, q) == 1 { print $5 }' /proc/self/mountinfo | sort -r | xargs -r -n1 umount -l
  rm -rf "$d"
else
  note="dockerd column skipped: Docker Engine is not installed (apt-get install docker.io) or NO_DOCKERD is set"
fi

heap=- 
if [ "$big_mib" -gt 0 ]; then
  echo "heap during a ${big_mib} MiB pull (berthd -Xmx256m)…" >&2
  rm -f "$tmp/img.tar"
  make_image "$big_mib" 4 bench/big:1 big
  skopeo copy --quiet --dest-tls-verify=false "docker-archive:$tmp/big.tar" "docker://$reg/bench/big:1"
  rm -f "$tmp/big.tar"
  start_berthd "-Xmx256m -Xlog:gc:file=$tmp/gc.log"
  docker -H "$berth_host" pull -q "$reg/bench/big:1" >/dev/null
  # each collection logs "<before>M-><after>M(<committed>M)": the heap's peak is the largest before, what stays live the
  # largest after
  heap=$(grep -o '[0-9]*M->[0-9]*M([0-9]*M)' "$tmp/gc.log" | tr -c '0-9\n' ' ' \
    | awk '{ if ($1 > b) b = $1; if ($2 > a) a = $2; if ($3 > c) c = $3 } END { printf "%d MiB peak, %d MiB live after GC, %d MiB committed (%d collections)", b, a, c, NR }')
fi

ratio() { [ "$2" = - ] && echo - || awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
echo
echo "pull / push of a ${size_mib} MiB 5-layer image (random data) from/to a loopback docker-registry, median of $repeat (seconds)"
printf '%-6s %8s %8s %16s\n' "" berthd dockerd "berthd/dockerd"
printf '%-6s %8s %8s %16s\n' pull "$b_pull" "$d_pull" "$(ratio "$b_pull" "$d_pull")"
printf '%-6s %8s %8s %16s\n' push "$b_push" "$d_push" "$(ratio "$b_push" "$d_push")"
[ "$big_mib" -gt 0 ] && printf 'berthd heap during a %d MiB pull (-Xmx256m): %s\n' "$big_mib" "$heap"
[ -z "$note" ] || echo "($note)"
