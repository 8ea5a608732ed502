#!/usr/bin/env bash
# Exits 0 when the node on this machine answers GET /health/ready with 200, 1 otherwise (the image's HEALTHCHECK;
# usable by any supervisor). Bash's /dev/tcp only: the JRE image has no curl to rely on, and a JVM per check would
# cost more than the node's own work. Usage: healthcheck.sh [PORT]   (default $LINEGATE_PORT, else 8080)
set -uo pipefail
port="${1:-${LINEGATE_PORT:-8080}}"
exec 3<>"/dev/tcp/127.0.0.1/$port" || exit 1
printf 'GET /health/ready HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' >&3
read -r -t 3 status_line <&3 || exit 1
case "$status_line" in
  "HTTP/1."?" 200 "*) exit 0 ;;
  *) echo "linegate: /health/ready answered: ${status_line%$'\r'}" >&2; exit 1 ;;
esac
