# Sourced by bin/berth and bin/lib/cli-aot: how the berth CLI's JVM starts, in one place, because a JDK AOT cache
# only serves a JVM with the class path and flags of its training run. Needs $repo (the resolved repository path).
berth_cli_target=$repo/berth-cli/target
berth_cli_cp="$berth_cli_target/berth-cli.jar:$berth_cli_target/lib/*"
# two caches, because a JVM loads every class of its cache at start: one with just what `version` and `ps` load (the
# commands io.berth.cli.FastPath parses), one for every other command
berth_cli_fast_aot=$berth_cli_target/berth-cli-fast.aot
berth_cli_aot=$berth_cli_target/berth-cli.aot
# short commands start fast on C1 and the serial collector, and need no perf-data file in /tmp
berth_cli_jvm=(-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:-UsePerfData)
# and with the fast cache: the JDK's own selector provider named, so opening the daemon's socket does not look for
# another one in every jar of the class path (a cache serves only the JDK it was made with, and its training run
# fails, leaving no cache, if that JDK has no such class)
berth_cli_fast_jvm=(-Djava.nio.channels.spi.SelectorProvider=sun.nio.ch.EPollSelectorProvider)

# berth_cli_aot_current CACHE: true when CACHE exists and no jar of the class path is newer
berth_cli_aot_current() { berth_aot_current "$1" "$berth_cli_target/berth-cli.jar" "$berth_cli_target/lib"; }
