# Sourced by mvnw, bin/berthd and bin/berth: finds a JDK 25 (or newer) and exports JAVA_HOME.
# Order: $BERTH_JAVA_HOME, $JAVA_HOME, `java` on PATH, then /usr/lib/jvm/*.
berth_java_major() { # prints the feature version of the JDK at $1 (from its release file: no JVM start)
  [ -x "$1/bin/java" ] || return 1
  if [ -f "$1/release" ]; then
    sed -n 's/^JAVA_VERSION="\{0,1\}\([0-9]*\).*/\1/p' "$1/release"
    return 0
  fi
  "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p'
}
berth_find_java() {
  case $- in *f*) set +f; berth_noglob=1 ;; *) berth_noglob= ;; esac
  for cand in "${BERTH_JAVA_HOME-}" "${JAVA_HOME-}" \
      "$(dirname "$(dirname "$(readlink -f "$(command -v java 2>/dev/null || echo /nonexistent)")")")" \
      /usr/lib/jvm/*25* /usr/lib/jvm/*2[6-9]* /usr/lib/jvm/*; do
    [ -n "$cand" ] || continue
    v=$(berth_java_major "$cand" 2>/dev/null) || continue
    if [ -n "$v" ] && [ "$v" -ge 25 ]; then
      JAVA_HOME=$cand; export JAVA_HOME
      [ -z "$berth_noglob" ] || set -f
      return 0
    fi
  done
  [ -z "$berth_noglob" ] || set -f
  echo "berth: JDK 25 or newer is required but none was found (set JAVA_HOME or BERTH_JAVA_HOME)" >&2
  return 1
}
