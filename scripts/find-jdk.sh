# Sourced by ./linegate, scripts/test, .ci/run and bench/: sets JAVA_HOME to a JDK 21 or newer (javac included: Maven
# builds with it), or fails with advice for this system (docs/operations.md, "JDK").
# Order: $JAVA_HOME if it is new enough, then the javac on PATH, then macOS's /usr/libexec/java_home, then JDKs in the
# usual places: /usr/lib/jvm (Debian and Ubuntu packages, Temurin's), /opt, SDKMAN, Homebrew, /Library/Java. The first
# of these that is 21 or newer wins.
# LINEGATE_JDK_ROOT (tests only) puts every fixed place under another root, so a test can lay out fake JDKs.

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

_linegate_jdk_candidates() { # prints one JDK home a line, in the order above
  local root="${LINEGATE_JDK_ROOT:-}" c
  [ -n "${JAVA_HOME:-}" ] && echo "$JAVA_HOME"
  if command -v javac >/dev/null 2>&1; then
    dirname "$(dirname "$(readlink -f "$(command -v javac)")")"
  fi
  if [ -x "$root/usr/libexec/java_home" ]; then
    "$root/usr/libexec/java_home" -v 21+ 2>/dev/null || true
  fi
  for c in "$root"/usr/lib/jvm/* "$root"/usr/local/lib/jvm/* "$root"/opt/java/* "$root"/opt/jdk* \
           "${SDKMAN_DIR:-$HOME/.sdkman}"/candidates/java/* \
           "$root"/opt/homebrew/opt/openjdk*/libexec/openjdk.jdk/Contents/Home \
           "$root"/usr/local/opt/openjdk*/libexec/openjdk.jdk/Contents/Home \
           "$root"/Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [ -d "$c" ] && echo "$c"
  done
}

_linegate_find_jdk() { # prints the chosen JDK home; without one, prints what it saw ("home (version)") and fails
  local c v seen=()
  while IFS= read -r c; do
    [ -x "$c/bin/java" ] && [ -x "$c/bin/javac" ] || continue
    v=$(_linegate_java_major "$c/bin/java")
    if [ "${v:-0}" -ge 21 ] 2>/dev/null; then
      echo "$c"
      return 0
    fi
    seen+=("$c (${v:-unknown})")
  done < <(_linegate_jdk_candidates)
  [ ${#seen[@]} -gt 0 ] && printf '%s\n' "${seen[@]}"
  return 1
}

_linegate_jdk_advice() { # what to install on this system: the first JDK 21+ package its own archive has
  local id="" version=""
  if [ "$(uname -s)" = Darwin ]; then
    echo "brew install openjdk@21 maven (or Temurin: brew install --cask temurin@21)"
    return
  fi
  if [ -r "${LINEGATE_JDK_ROOT:-}/etc/os-release" ]; then
    id=$(. "${LINEGATE_JDK_ROOT:-}/etc/os-release" && echo "${ID:-}")
    version=$(. "${LINEGATE_JDK_ROOT:-}/etc/os-release" && echo "${VERSION_ID:-}")
  fi
  case "$id:$version" in
    debian:11|debian:12)
      echo "this system's own packages stop at JDK 17: install Temurin 21 from the Adoptium apt repository" \
           "(adoptium.net/installation/linux, then apt-get install temurin-21-jdk) or with SDKMAN" \
           "(sdk install java 21-tem); apt-get install maven also installs Debian's JDK 17, which is passed over" ;;
    debian:*|ubuntu:*)
      echo "apt-get install openjdk-21-jdk-headless maven" ;;
    *)
      echo "a JDK 21 or newer from your system's packages, or Temurin 21 (adoptium.net), or SDKMAN (sdk install java 21-tem)" ;;
  esac
}

if ! LINEGATE_JDK=$(_linegate_find_jdk); then
  echo "linegate: no JDK 21 or newer found (looked at \$JAVA_HOME, the javac on PATH, /usr/lib/jvm, /opt, SDKMAN," \
       "Homebrew and /Library/Java; a JRE without javac does not count)." >&2
  [ -n "$LINEGATE_JDK" ] && echo "linegate: found only: $(echo "$LINEGATE_JDK" | paste -sd, - | sed 's/,/, /g')" >&2
  echo "linegate: install one: $(_linegate_jdk_advice); or set JAVA_HOME to a JDK 21+ (docs/operations.md, JDK)" >&2
  return 1 2>/dev/null || exit 1
fi
export JAVA_HOME="$LINEGATE_JDK"
export PATH="$JAVA_HOME/bin:$PATH"
# Maven's own Guava calls sun.misc.Unsafe, which JDK 24+ warns about in four lines on every build
if [ "$(_linegate_java_major "$JAVA_HOME/bin/java")" -ge 24 ] 2>/dev/null \
   && [[ " ${MAVEN_OPTS:-} " != *"--sun-misc-unsafe-memory-access"* ]]; then
  export MAVEN_OPTS="--sun-misc-unsafe-memory-access=allow${MAVEN_OPTS:+ $MAVEN_OPTS}"
fi
