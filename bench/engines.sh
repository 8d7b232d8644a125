# bench/engines.sh: sourced by the container benchmarks. Starts berthd (always) and dockerd (when installed and
# NO_DOCKERD is unset) on private roots under $tmp, each with a busybox:latest made from the same rootfs tar
# (bin/mkrootfs, `docker import`), and stops/cleans both on exit. Only the processes started here are stopped, by PID.
# Sets: berth_host, berth_pid, berth_metrics (its /metrics URL), docker_host (empty without dockerd), dockerd_pid.
# BRIDGE=1 gives both engines a bridge of their own for the default network (berthd: berthbench0 on 10.214.0.0/22;
# dockerd: bdockbench0 on 10.213.0.0/22 (room for 1000 containers each), made here, with --iptables=false so no host rule changes) instead of none.
# NO_SETUP=1 skips bin/setup (the build must be current).
# Needs: $root (repository), root privileges.

[ "$(id -u)" -eq 0 ] || { echo "$(basename "$0"): needs root" >&2; exit 1; }
# short roots: conmon's attach socket path must stay under sun_path's 108 bytes
tmp=$(mktemp -d /tmp/bb.XXXXXX)
export DOCKER_CONFIG=$tmp/docker-config
mkdir -p "$DOCKER_CONFIG"
unset DOCKER_HOST DOCKER_CONTEXT DOCKER_API_VERSION

berth_pid= dockerd_pid= docker_host=
berth_host=unix://$tmp/b/exec/berth.sock

engines_cleanup() {
  set +e
  if [ -n "$berth_host" ] && [ -n "$berth_pid" ] && kill -0 "$berth_pid" 2>/dev/null; then
    ids=$(docker -H "$berth_host" ps -aq 2>/dev/null)
    [ -n "$ids" ] && docker -H "$berth_host" rm -f $ids >/dev/null 2>&1
    kill -TERM "$berth_pid"; wait "$berth_pid" 2>/dev/null
  fi
  if [ -n "$dockerd_pid" ] && kill -0 "$dockerd_pid" 2>/dev/null; then
    ids=$(docker -H "$docker_host" ps -aq 2>/dev/null)
    [ -n "$ids" ] && timeout 120 docker -H "$docker_host" rm -f $ids >/dev/null 2>&1
    kill -TERM "$dockerd_pid"; wait "$dockerd_pid" 2>/dev/null
  fi
  # what a dockerd that stopped removing left: its containers' shims (started here, found by our roots) and their
  # processes, by PID
  for p in $(pgrep -f "containerd-shim.*$tmp/"); do
    for c in $(pgrep -P "$p"); do kill -KILL "$c" 2>/dev/null; done
    kill -TERM "$p" 2>/dev/null
  done
  awk -v q="$tmp/" 'index($5, q) == 1 { print $5 }' /proc/self/mountinfo | sort -r | xargs -r -n1 umount -l
  [ -z "${BRIDGE:-}" ] || ip link del bdockbench0 2>/dev/null
  rm -rf "$tmp"
}
trap engines_cleanup EXIT

. "$root/bench/lib.sh"

[ -n "${NO_SETUP:-}" ] || bin/setup >&2 # NO_SETUP=1: the build must be current
bin/mkrootfs "$tmp/busybox.tar" >/dev/null

mkdir -p "$tmp/b/data" "$tmp/b/exec"
berth_net=() docker_net=(--bridge=none)
if [ -n "${BRIDGE:-}" ]; then
  berth_net=(--bridge berthbench0 --bip 10.214.0.1/22)
  ip link add bdockbench0 type bridge && ip addr add 10.213.0.1/22 dev bdockbench0 && ip link set bdockbench0 up
  docker_net=(--bridge=bdockbench0)
fi
# its metrics (--metrics-addr) on a free loopback port: run-latency.sh reads the phases of each run there
berth_metrics=http://127.0.0.1:$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')/metrics
bin/berthd --data-root "$tmp/b/data" --exec-root "$tmp/b/exec" -H "$berth_host" --pidfile "$tmp/b/exec/berthd.pid" \
  "${berth_net[@]}" --metrics-addr "$(echo "${berth_metrics#http://}" | cut -d/ -f1)" --log-level warn >"$tmp/berthd.log" 2>&1 &
berth_pid=$!
await_sock "$berth_host" "$berth_pid" "$tmp/berthd.log"
docker -H "$berth_host" import --change 'CMD ["sh"]' "$tmp/busybox.tar" busybox:latest >/dev/null

if [ -z "${NO_DOCKERD:-}" ] && command -v dockerd >/dev/null; then
  docker_host=unix://$tmp/d/docker.sock
  mkdir -p "$tmp/d/data" "$tmp/d/exec"
  # no iptables, no bridge: nothing on the host's network changes; its own containerd under the exec root
  dockerd --data-root "$tmp/d/data" --exec-root "$tmp/d/exec" -H "$docker_host" --pidfile "$tmp/d/dockerd.pid" \
    --iptables=false "${docker_net[@]}" --storage-driver overlay2 \
    >"$tmp/dockerd.log" 2>&1 &
  dockerd_pid=$!
  await_sock "$docker_host" "$dockerd_pid" "$tmp/dockerd.log"
  docker -H "$docker_host" import --change 'CMD ["sh"]' "$tmp/busybox.tar" busybox:latest >/dev/null
  echo "dockerd: $(docker -H "$docker_host" version --format '{{.Server.Version}}') (pid $dockerd_pid)" >&2
else
  echo "dockerd: not installed (apt-get install docker.io for a side-by-side column) or NO_DOCKERD set" >&2
fi
