# Sourced by bin/berthd and bin/lib/berthd-aot: how berthd's JVM starts, in one place, because a JDK AOT cache only
# serves a JVM with the class path and flags of its training run. Needs $repo (the resolved repository path).
berthd_target=$repo/berth-server/target
berthd_cp="$berthd_target/berth-server.jar:$berthd_target/lib/*"
berthd_aot=$berthd_target/berthd.aot
# berth.runtimeNs: crun's launcher on a hybrid cgroup host, built by bin/setup (bin/lib/runtime-ns).
# The JIT compiler threads run at nice 10 (ThreadPriorityPolicy=1, which needs root as berthd does, makes Java thread
# priorities nice values: normal 0, Thread.MIN_PRIORITY 4): in the first second they want more CPU than the main
# thread, and on 2 busy cores they delayed berthd's first answer by ~25 % (bench/README.md, cli.sh).
# Memory (issue 12's density: the daemon's growth per container): a young generation of 16 MiB, since what berthd keeps
# is small and the default (a third of the initial heap, ~100 MiB here) is all touched by the garbage of the first few
# hundred requests; and malloc's free memory given back every 10 s, since the JIT's arenas (C2 compiles in malloc'd
# memory) left ~40 MiB resident after 500 container starts that malloc_trim returns (bench/README.md, density.sh).
berthd_jvm=(--enable-native-access=ALL-UNNAMED -XX:+UseSerialGC -Xmn16m -XX:TrimNativeHeapInterval=10000
  -XX:ThreadPriorityPolicy=1 -XX:CompilerThreadPriority=10
  -Dberth.runtimeNs="$repo/berth-engine/target/native/berth-runtime-ns")

berthd_aot_current() { berth_aot_current "$berthd_aot" "$berthd_target/berth-server.jar" "$berthd_target/lib"; }
