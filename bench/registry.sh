#!/usr/bin/env bash
# bench/registry.sh: berth registry side by side with Debian's docker-registry (distribution 2.8) on this machine,
# each on 127.0.0.1 with storage under $tmp:
#   1. push then pull of a generated 5-layer image of incompressible data (SIZE_MIB, default 500) through skopeo
#      (docker-archive → registry with gzip layers, then registry → an OCI layout on disk), median of REPEAT runs,
#      each against an empty registry / an empty destination;
#      and the registry process's CPU time per pull (user + system, /proc/PID/stat);
#   2. CLIENTS (default 50) concurrent clients pulling a small manifest+blob for SECONDS (default 10) with
#      bench/RegistryLoad.java (keep-alive HTTP/1.1, one connection per client): pulls/s and requests/s.
# Prints both registries' figures and the berth/docker-registry ratio.
#   SIZE_MIB=500 REPEAT=3 CLIENTS=50 SECONDS=10 BENCH_TMP=/var/tmp NO_SETUP=1 (skip bin/setup; the build must be current)
# Needs docker-registry, skopeo, curl, python3 (a free port). Stops only the processes it started, by PID.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
size_mib=${SIZE_MIB:-500}
repeat=${REPEAT:-3}
clients=${CLIENTS:-50}
seconds=${SECONDS_LOAD:-${SECONDS_RUN:-10}}
[ -n "${NO_SETUP:-}" ] || bin/setup >&2
. bin/lib/java.sh
berth_find_java
tmp=$(mktemp -d "${BENCH_TMP:-/var/tmp}/berth-regbench.XXXXXX")
rpid=
stop() { if [ -n "$1" ] && kill -0 "$1" 2>/dev/null; then kill -TERM "$1"; wait "$1" 2>/dev/null || true; fi; }
cleanup() { set +e; stop "$rpid"; rm -rf "$tmp"; }
trap cleanup EXIT

now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }
median() { tr ' ' '\n' | grep -v '^$' | sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
. "$root/bench/lib.sh"
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
reg=127.0.0.1:$port


# start KIND: an empty registry of that kind on $reg
start() {
  stop "$rpid"; rpid=
  rm -rf "$tmp/storage"; mkdir -p "$tmp/storage"
  case $1 in
    docker-registry) docker_registry_start "$tmp/storage" "$reg" ;;
    berth)
      bin/berth registry serve --addr "$reg" --root "$tmp/storage" >>"$tmp/registry.log" 2>&1 &
      rpid=$! ;;
  esac
  registry_await "$reg"
}


# the gzip layers once (skopeo compresses while it pushes; an OCI layout with gzip layers makes the push pure I/O)
echo "generating a ${size_mib} MiB 5-layer image…" >&2
make_image "$size_mib" 5 bench/img:1 img
skopeo copy --quiet --dest-compress --dest-compress-format gzip "docker-archive:$tmp/img.tar" "oci:$tmp/src:1"

# the registry's CPU time so far (user + system, in clock ticks); bin/berth execs java, so $rpid is the registry itself
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$rpid/stat"; }

# bench KIND → "push_median pull_median pulls/s req/s errors p50 p99 pull_cpu_median"
bench() {
  local kind=$1 pushes= pulls= cpus= t0 t1 c0 c1 i
  for i in $(seq 1 "$repeat"); do
    start "$kind"
    sync
    t0=$(now); skopeo copy --quiet --dest-tls-verify=false "oci:$tmp/src:1" "docker://$reg/bench/big:1"; t1=$(now)
    pushes="$pushes $(secs "$t0" "$t1")"
    rm -rf "$tmp/dst"
    c0=$(cpu_ticks)
    t0=$(now); skopeo copy --quiet --src-tls-verify=false "docker://$reg/bench/big:1" "oci:$tmp/dst:1"; t1=$(now)
    c1=$(cpu_ticks)
    pulls="$pulls $(secs "$t0" "$t1")"
    cpus="$cpus $(awk -v a="$c0" -v b="$c1" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.2f", (b - a) / hz }')"
    rm -rf "$tmp/dst"
  done
  # the small image: one 4 KiB layer
  head -c 4096 /dev/urandom > "$tmp/small.bin"
  rm -rf "$tmp/small"; mkdir -p "$tmp/small/x"; cp "$tmp/small.bin" "$tmp/small/x/f"
  tar -C "$tmp/small" -cf "$tmp/small.tar" x
  skopeo copy --quiet --dest-tls-verify=false "tarball:$tmp/small.tar" "docker://$reg/bench/small:1"
  load=$("$JAVA_HOME/bin/java" bench/RegistryLoad.java "http://$reg" bench/small 1 "$clients" "$seconds")
  stop "$rpid"; rpid=
  echo "$(echo "$pushes" | median) $(echo "$pulls" | median) $load $(echo "$cpus" | median)"
  echo "$kind: pushes:$pushes; pulls:$pulls; registry CPU s per pull:$cpus; load (pulls/s req/s errors p50ms p99ms): $load" >&2
}

read -r d_push d_pull d_pps d_rps d_err d_p50 d_p99 d_cpu <<<"$(bench docker-registry)"
read -r b_push b_pull b_pps b_rps b_err b_p50 b_p99 b_cpu <<<"$(bench berth)"

printf '\n%-16s %10s %10s %12s %12s %12s %8s %9s %9s\n' registry "push (s)" "pull (s)" "CPU/pull (s)" "pulls/s" "requests/s" errors "p50 (ms)" "p99 (ms)"
printf '%-16s %10s %10s %12s %12s %12s %8s %9s %9s\n' docker-registry "$d_push" "$d_pull" "$d_cpu" "$d_pps" "$d_rps" "$d_err" "$d_p50" "$d_p99"
printf '%-16s %10s %10s %12s %12s %12s %8s %9s %9s\n' berth "$b_push" "$b_pull" "$b_cpu" "$b_pps" "$b_rps" "$b_err" "$b_p50" "$b_p99"
both() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a + b }'; }
echo "berth/docker-registry: push time $(ratio "$b_push" "$d_push")×, pull time $(ratio "$b_pull" "$d_pull")×, push+pull $(ratio "$(both "$b_push" "$b_pull")" "$(both "$d_push" "$d_pull")")×, registry CPU per pull $(ratio "$b_cpu" "$d_cpu")×, pulls/s $(ratio "$b_pps" "$d_pps")× (${size_mib} MiB, ${clients} clients, ${seconds} s)"
