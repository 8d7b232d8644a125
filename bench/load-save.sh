#!/usr/bin/env bash
# bench/load-save.sh: times `docker load` and `docker save` of a large generated single-layer image against berthd
# (started here on private roots) and, when Docker Engine is installed, against a dockerd started here on private roots
# too (--iptables=false --bridge=none; NO_DOCKERD=1 skips it), side by side with the same docker CLI. Prints a table of wall-clock seconds (best of REPEAT runs) and MiB/s.
#   SIZE_MIB=512   image size (pseudo-random, incompressible data in 4 files)
#   REPEAT=3       runs per engine (load → save → rmi each time)
#   BENCH_TMP=/var/tmp   where the archive and the roots go (needs ~4×SIZE_MIB free)
# Needs root (berthd mounts overlays).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
size_mib=${SIZE_MIB:-512}
repeat=${REPEAT:-3}
tmp=$(mktemp -d "${BENCH_TMP:-/var/tmp}/berth-bench.XXXXXX")
[ "$(id -u)" -eq 0 ] || { echo "load-save: needs root (sudo bench/load-save.sh)" >&2; exit 1; }

bin/setup >&2
export DOCKER_CONFIG=$tmp/docker-config
mkdir -p "$DOCKER_CONFIG"
unset DOCKER_HOST DOCKER_CONTEXT DOCKER_API_VERSION

pid= dpid=
cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then kill -TERM "$pid"; wait "$pid" 2>/dev/null || true; fi
  if [ -n "$dpid" ] && kill -0 "$dpid" 2>/dev/null; then kill -TERM "$dpid"; wait "$dpid" 2>/dev/null || true; fi
  awk -v q="$tmp/" 'index($5, q) == 1 { print $5 }' /proc/self/mountinfo | sort -r | xargs -r -n1 umount -l
  rm -rf "$tmp"
}
trap cleanup EXIT

now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }

echo "generating a ${size_mib} MiB image…" >&2
ref=berth-bench:${size_mib}m
mkdir -p "$tmp/layer/big" "$tmp/img"
per=$(( size_mib / 4 ))
for i in 0 1 2 3; do head -c "$((per * 1024 * 1024))" /dev/urandom > "$tmp/layer/big/f$i"; done
tar -C "$tmp/layer" --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -cf "$tmp/layer.tar" big
rm -rf "$tmp/layer"
diff_id=$(sha256sum "$tmp/layer.tar" | cut -d' ' -f1)
mkdir -p "$tmp/img/$diff_id"
mv "$tmp/layer.tar" "$tmp/img/$diff_id/layer.tar"
printf '{"architecture":"amd64","os":"linux","created":"2024-01-01T00:00:00Z","config":{"Cmd":["sh"]},"rootfs":{"type":"layers","diff_ids":["sha256:%s"]}}' \
  "$diff_id" > "$tmp/img/config.json"
cfg=$(sha256sum "$tmp/img/config.json" | cut -d' ' -f1)
mv "$tmp/img/config.json" "$tmp/img/$cfg.json"
printf '[{"Config":"%s.json","RepoTags":["%s"],"Layers":["%s/layer.tar"]}]' "$cfg" "$ref" "$diff_id" > "$tmp/img/manifest.json"
tar -C "$tmp/img" -cf "$tmp/image.tar" manifest.json "$cfg.json" "$diff_id"
rm -rf "$tmp/img"

# bench HOST → prints "load_best save_best"
bench() {
  local host=$1 best_load= best_save= t0 t1 l s
  for _ in $(seq 1 "$repeat"); do
    sync
    t0=$(now); docker -H "$host" load -q -i "$tmp/image.tar" >/dev/null; t1=$(now); l=$(secs "$t0" "$t1")
    t0=$(now); docker -H "$host" save -o "$tmp/saved.tar" "$ref"; t1=$(now); s=$(secs "$t0" "$t1")
    rm -f "$tmp/saved.tar"
    docker -H "$host" rmi -f "$ref" >/dev/null
    best_load=$(awk -v a="${best_load:-$l}" -v b="$l" 'BEGIN { print (b < a ? b : a) }')
    best_save=$(awk -v a="${best_save:-$s}" -v b="$s" 'BEGIN { print (b < a ? b : a) }')
  done
  echo "$best_load $best_save"
}

echo "starting berthd…" >&2
q=$tmp/berthd
mkdir -p "$q/data" "$q/exec"
bin/berthd --data-root "$q/data" --exec-root "$q/exec" -H "unix://$q/exec/berth.sock" --pidfile "$q/exec/berthd.pid" \
  --log-level warn >"$tmp/berthd.log" 2>&1 &
pid=$!
for _ in $(seq 1 100); do
  docker -H "unix://$q/exec/berth.sock" version >/dev/null 2>&1 && break
  kill -0 "$pid" 2>/dev/null || { echo "berthd exited:" >&2; cat "$tmp/berthd.log" >&2; exit 1; }
  sleep 0.1
done
echo "benchmarking berthd…" >&2
res=$(bench "unix://$q/exec/berth.sock"); read -r b_load b_save <<<"$res"
b_rss=$(awk '/VmHWM/ { printf "%d", $2 / 1024 }' "/proc/$pid/status")

d_load=- d_save=- note=
if [ -z "${NO_DOCKERD:-}" ] && command -v dockerd >/dev/null; then
  echo "starting dockerd…" >&2
  d=$tmp/dockerd
  mkdir -p "$d/data" "$d/exec"
  # no iptables, no bridge: nothing on the host's network changes
  dockerd --data-root "$d/data" --exec-root "$d/exec" -H "unix://$d/docker.sock" --pidfile "$d/dockerd.pid" \
    --iptables=false --bridge=none --storage-driver overlay2 >"$tmp/dockerd.log" 2>&1 &
  dpid=$!
  for _ in $(seq 1 200); do
    docker -H "unix://$d/docker.sock" version >/dev/null 2>&1 && break
    kill -0 "$dpid" 2>/dev/null || { echo "dockerd exited:" >&2; cat "$tmp/dockerd.log" >&2; exit 1; }
    sleep 0.1
  done
  echo "benchmarking dockerd…" >&2
  res=$(bench "unix://$d/docker.sock"); read -r d_load d_save <<<"$res"
else
  note="dockerd column skipped: Docker Engine is not installed (apt-get install docker.io) or NO_DOCKERD is set"
fi

rate() { [ "$2" = - ] && echo - || awk -v m="$1" -v s="$2" 'BEGIN { printf "%.0f", m / s }'; }
echo
echo "docker load / docker save of a ${size_mib} MiB single-layer image, best of $repeat (seconds; MiB/s)"
printf '%-14s %14s %14s\n' "" berthd dockerd
printf '%-14s %8s %5s %8s %5s\n' "load" "$b_load" "$(rate "$size_mib" "$b_load")" "$d_load" "$(rate "$size_mib" "$d_load")"
printf '%-14s %8s %5s %8s %5s\n' "save" "$b_save" "$(rate "$size_mib" "$b_save")" "$d_save" "$(rate "$size_mib" "$d_save")"
printf '%-14s %8s MiB\n' "berthd peak RSS" "$b_rss"
[ -z "$note" ] || echo "($note)"
