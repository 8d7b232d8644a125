# Sourced by bin/berthd and bin/lib/berthd-aot: how berthd's JVM starts, in one place, because a JDK AOT cache only
# serves a JVM with the class path and flags of its training run. Needs $repo (the resolved repository path).
berthd_target=$repo/berth-server/target
berthd_cp="$berthd_target/berth-server.jar:$berthd_target/lib/*"
berthd_aot=$berthd_target/berthd.aot
# berth.runtimeNs: crun's launcher on a hybrid cgroup host, built by bin/setup (bin/lib/runtime-ns)
berthd_jvm=(--enable-native-access=ALL-UNNAMED -XX:+UseSerialGC -Dberth.runtimeNs="$repo/berth-engine/target/native/berth-runtime-ns")

berthd_aot_current() { berth_aot_current "$berthd_aot" "$berthd_target/berth-server.jar" "$berthd_target/lib"; }
