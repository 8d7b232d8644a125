# bench/lib.sh: helpers sourced by the benchmarks.

# await_sock HOST PID LOG: waits (at most 30 s) until a daemon answers `docker version` on HOST; exits with the tail of
# LOG when the daemon PID dies first or never answers.
await_sock() {
  for _ in $(seq 1 300); do
    docker -H "$1" version >/dev/null 2>&1 && return 0
    kill -0 "$2" 2>/dev/null || { echo "daemon exited:" >&2; tail -n 30 "$3" >&2; exit 1; }
    sleep 0.1
  done
  echo "daemon did not answer on $1" >&2; tail -n 30 "$3" >&2; exit 1
}
