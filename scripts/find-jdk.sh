# Sourced by ./linegate, scripts/test and .ci/run: sets JAVA_HOME to a JDK 21 or newer, or fails with advice.
# Order: $JAVA_HOME if it is new enough, then the java on PATH, then JDKs installed in the usual places.

_linegate_java_major() { # prints the feature version of the java binary $1, or 0
  # the JDK's release file says it without starting a JVM (a few hundred ms of every ./linegate start)
  local release v
  release="$(dirname "$(dirname "$1")")/release"
  v=$(sed -n 's/^JAVA_VERSION="\([0-9][0-9]*\).*/\1/p' "$release" 2>/dev/null | head -1)
  if [ -n "$v" ] && [ "$v" != 1 ]; then
    echo "$v"
    return
  fi
  "$1" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}' | cut -d. -f1
}

_linegate_find_jdk() {
  local candidates=() c v
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  if command -v javac >/dev/null 2>&1; then
    candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")")
  fi
  for c in /usr/lib/jvm/* /usr/local/lib/jvm/* /opt/java/* /opt/jdk* "$HOME"/.sdkman/candidates/java/* \
           /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [ -d "$c" ] && candidates+=("$c")
  done
  for c in "${candidates[@]}"; do
    [ -x "$c/bin/java" ] && [ -x "$c/bin/javac" ] || continue
    v=$(_linegate_java_major "$c/bin/java")
    if [ "${v:-0}" -ge 21 ] 2>/dev/null; then
      echo "$c"
      return 0
    fi
  done
  return 1
}

if ! LINEGATE_JDK=$(_linegate_find_jdk); then
  echo "linegate: no JDK 21 or newer found (looked at \$JAVA_HOME, the javac on PATH and /usr/lib/jvm):" \
       "install one (e.g. 'apt-get install openjdk-21-jdk' or Temurin 21+) and set JAVA_HOME to it" >&2
  return 1 2>/dev/null || exit 1
fi
export JAVA_HOME="$LINEGATE_JDK"
export PATH="$JAVA_HOME/bin:$PATH"
