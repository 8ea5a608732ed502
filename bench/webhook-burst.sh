#!/usr/bin/env bash
# A burst of signed webhook deliveries against a fresh Linegate on the embedded database (or PostgreSQL, with
# LINEGATE_DB_URL set): prints the 200's latency beside GET /health's, measured in the same run.
# Usage: bench/webhook-burst.sh [REQUESTS] [CONCURRENCY]     (defaults 5000 and 64)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$here/scripts/find-jdk.sh"
requests=${1:-5000}
concurrency=${2:-64}
work=$(mktemp -d)
server=""
trap '[ -n "$server" ] && kill "$server" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"' EXIT
(cd "$here" && mvn -q -B -DskipTests package) >&2
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null || echo 18089)
export LINEGATE_PORT=$port LINEGATE_APP_SECRET=bench-secret LINEGATE_DB_URL=${LINEGATE_DB_URL:-jdbc:sqlite:$work/linegate.db}
export LINEGATE_MASTER_KEY=${LINEGATE_MASTER_KEY:-MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=}
run() { "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -jar "$here/target/linegate.jar" "$@"; }
run account create --name bench >/dev/null
run line create --account 1 --class instagram --ig-account-id 17841400000000001 --page-token EAAGbench >/dev/null
"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -jar "$here/target/linegate.jar" serve 2>"$work/serve.log" &
server=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/health" >/dev/null 2>&1 && break; sleep 0.2; done
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo); database: $LINEGATE_DB_URL"
"$JAVA_HOME/bin/java" "$here/bench/WebhookBurst.java" "http://127.0.0.1:$port" bench-secret 17841400000000001 "$requests" "$concurrency"
