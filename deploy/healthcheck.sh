#!/usr/bin/env bash
# Exits 0 when the node on this machine answers GET /health/ready with 200, 1 otherwise (the image's HEALTHCHECK;
# usable by any supervisor). Bash's /dev/tcp only: the JRE image has no curl to rely on, and a JVM per check would
# cost more than the node's own work. Usage: healthcheck.sh [PORT]
# The port is PORT, else $LINEGATE_MANAGEMENT_PORT (health is served only there when it is set), else $LINEGATE_PORT,
# else 8080. The host is $LINEGATE_BIND when the node listens on one address only, else 127.0.0.1.
set -uo pipefail
port="${1:-${LINEGATE_MANAGEMENT_PORT:-${LINEGATE_PORT:-8080}}}"
host="${LINEGATE_BIND:-0.0.0.0}"
case "$host" in
  0.0.0.0|::|"[::]") host=127.0.0.1 ;;
esac
exec 3<>"/dev/tcp/$host/$port" || exit 1
printf 'GET /health/ready HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n' "$host" >&3
read -r -t 3 status_line <&3 || exit 1
case "$status_line" in
  "HTTP/1."?" 200 "*) exit 0 ;;
  *) echo "linegate: /health/ready answered: ${status_line%$'\r'}" >&2; exit 1 ;;
esac
