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

# make_image MIB LAYERS REF NAME → $tmp/NAME.tar: a docker-archive of LAYERS uncompressed layers of random data
# (MIB in all), tagged REF. Needs $tmp.
make_image() {
  local mib=$1 n=$2 ref=$3 out=$tmp/$4.tar dir=$tmp/img per i diff ids= layers= cfg
  per=$(( mib / n ))
  rm -rf "$dir"; mkdir -p "$dir"
  for i in $(seq 1 "$n"); do
    mkdir -p "$dir/l/d$i"
    head -c "$((per * 1024 * 1024))" /dev/urandom > "$dir/l/d$i/f"
    tar -C "$dir/l" --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -cf "$dir/layer.tar" "d$i"
    rm -rf "$dir/l"
    diff=$(sha256sum "$dir/layer.tar" | cut -d' ' -f1)
    mkdir -p "$dir/$diff"; mv "$dir/layer.tar" "$dir/$diff/layer.tar"
    ids="$ids${ids:+,}\"sha256:$diff\""; layers="$layers${layers:+,}\"$diff/layer.tar\""
  done
  printf '{"architecture":"amd64","os":"linux","created":"2024-01-01T00:00:00Z","config":{"Cmd":["sh"]},"rootfs":{"type":"layers","diff_ids":[%s]}}' \
    "$ids" > "$dir/config.json"
  cfg=$(sha256sum "$dir/config.json" | cut -d' ' -f1)
  mv "$dir/config.json" "$dir/$cfg.json"
  printf '[{"Config":"%s.json","RepoTags":["%s"],"Layers":[%s]}]' "$cfg" "$ref" "$layers" > "$dir/manifest.json"
  (cd "$dir" && tar -cf "$out" manifest.json "$cfg.json" $(ls -d */))
  rm -rf "$dir"
}

# docker_registry_start STORAGE ADDR → Debian's docker-registry (distribution 2.8) serving STORAGE (as it is) on ADDR,
# logging to $tmp/registry.log; sets rpid. Needs $tmp.
docker_registry_start() {
  cat > "$tmp/registry.yml" <<YML
version: 0.1
log: {level: error, accesslog: {disabled: true}}
storage: {filesystem: {rootdirectory: $1}, delete: {enabled: true}}
http: {addr: "$2", secret: bench}
YML
  docker-registry serve "$tmp/registry.yml" >>"$tmp/registry.log" 2>&1 &
  rpid=$!
}

# registry_await ADDR → returns once ADDR answers /v2/; exits with the registry's log if $rpid dies or 10 s pass
registry_await() {
  for _ in $(seq 1 200); do
    curl -fsS "http://$1/v2/" >/dev/null 2>&1 && return 0
    kill -0 "$rpid" 2>/dev/null || break
    sleep 0.05
  done
  echo "the registry on $1 did not start:" >&2; tail -n 30 "$tmp/registry.log" >&2; exit 1
}
