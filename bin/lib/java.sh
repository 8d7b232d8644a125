# Sourced by mvnw (POSIX sh), bin/berthd, bin/berth and bin/lib/*-aot: finds a JDK 25 (or newer) and exports JAVA_HOME;
# tells whether a JDK AOT cache is current.
# Order: $BERTH_JAVA_HOME, $JAVA_HOME, `java` on PATH, then /usr/lib/jvm/*.
# Shell built-ins only where it can (no sed, no dirname): bin/berth runs this before every command.
berth_java_major() { # sets berth_major to the feature version of the JDK at $1 (from its release file: no JVM start)
  berth_major=
  [ -x "$1/bin/java" ] || return 1
  if [ -f "$1/release" ]; then
    while IFS= read -r berth_line || [ -n "$berth_line" ]; do
      case $berth_line in
        JAVA_VERSION=*)
          berth_line=${berth_line#JAVA_VERSION=}
          berth_line=${berth_line#\"}
          berth_major=${berth_line%%[!0-9]*}
          return 0 ;;
      esac
    done < "$1/release"
    return 0
  fi
  berth_major=$("$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p')
}
berth_find_java() {
  case $- in *f*) set +f; berth_noglob=1 ;; *) berth_noglob= ;; esac
  for cand in "${BERTH_JAVA_HOME-}" "${JAVA_HOME-}" @PATH /usr/lib/jvm/*25* /usr/lib/jvm/*2[6-9]* /usr/lib/jvm/*; do
    if [ "$cand" = @PATH ]; then # the JDK of `java` on PATH, looked up only when the variables name none
      cand=$(command -v java 2>/dev/null) || continue
      cand=$(readlink -f "$cand") || continue
      cand=${cand%/bin/java}
    fi
    [ -n "$cand" ] || continue
    berth_java_major "$cand" 2>/dev/null || continue
    if [ -n "$berth_major" ] && [ "$berth_major" -ge 25 ]; then
      JAVA_HOME=$cand; export JAVA_HOME
      [ -z "$berth_noglob" ] || set -f
      return 0
    fi
  done
  [ -z "$berth_noglob" ] || set -f
  echo "berth: JDK 25 or newer is required but none was found (set JAVA_HOME or BERTH_JAVA_HOME)" >&2
  return 1
}
# berth_aot_current CACHE JAR LIBDIR: true when the JDK AOT cache CACHE exists and neither JAR nor a jar in LIBDIR is
# newer (a rebuilt jar makes a cache stale, and the JVM then ignores it). Built-ins only: it runs before every command.
berth_aot_current() {
  [ -f "$1" ] || return 1
  for berth_jar in "$2" "$3"/*.jar; do
    if [ "$berth_jar" -nt "$1" ]; then return 1; fi
  done
  return 0
}
