#!/usr/bin/env bash
# The image's entrypoint: runs `linegate ARGS` (default: serve) on the image's JRE with the launcher's memory flags
# (docs/operations.md, "Memory"), after reading secrets from files.
# LINEGATE_MASTER_KEY_FILE and LINEGATE_DB_PASSWORD_FILE name files (Docker or compose secrets, e.g.
# /run/secrets/linegate_master_key) whose content becomes LINEGATE_MASTER_KEY and LINEGATE_DB_PASSWORD; the *_FILE
# variables themselves are removed, so Linegate never sees them. LINEGATE_JAVA_OPTS comes after the defaults and wins.
set -euo pipefail
for name in LINEGATE_MASTER_KEY LINEGATE_DB_PASSWORD; do
  file_var="${name}_FILE"
  file="${!file_var:-}"
  [ -n "$file" ] || continue
  if [ -n "${!name:-}" ]; then
    echo "linegate: both $name and $file_var are set: set only one" >&2
    exit 1
  fi
  if [ ! -r "$file" ]; then
    echo "linegate: $file_var names $file, which this container's user (uid $(id -u)) cannot read" >&2
    exit 1
  fi
  value="$(cat "$file")"
  export "$name=${value%$'\n'}"
  unset "$file_var"
done
home="${JAVA_HOME:-/opt/java/openjdk}"
flags=(--enable-native-access=ALL-UNNAMED -Xmx288m)
# the JRE's release file names its version without starting a JVM
major=$(sed -n 's/^JAVA_VERSION="\([0-9][0-9]*\).*/\1/p' "$home/release" 2>/dev/null | head -1)
if [ "${major:-0}" -ge 25 ] 2>/dev/null; then
  flags+=(-XX:+UseCompactObjectHeaders)
fi
# LINEGATE_JAR (the jar's path, for testing this script outside the image) is not Linegate's variable either
jar="${LINEGATE_JAR:-/app/linegate.jar}"
unset LINEGATE_JAR
# shellcheck disable=SC2086 # LINEGATE_JAVA_OPTS is a list of flags
exec "$home/bin/java" "${flags[@]}" ${LINEGATE_JAVA_OPTS:-} -jar "$jar" "$@"
