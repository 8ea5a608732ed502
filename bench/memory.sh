#!/usr/bin/env bash
# Memory and start-up of one node under N sends in flight at once (default 10,000) against a Graph stub answering
# after 500 ms: for each configuration, a fresh Linegate on SQLite with group commit, the time from launching it to
# its first /health answer, then the burst (bench/Load.java burst), then its peak RSS (VmHWM) and what the burst got.
#   bench/memory.sh [--n N] CONFIG...
# CONFIG is "launcher" (./linegate serve, the launcher's defaults), "jvm" (java -jar, the JVM's own defaults), or JVM
# flags for java -jar, e.g. "-XX:+UseSerialGC -Xmx256m"; words NAME=VALUE in it are set in the node's environment
# (e.g. "MALLOC_ARENA_MAX=2 -Xmx256m", or "launcher LINEGATE_JAVA_OPTS=-Xmx224m"). Run it under the bench lock: flock /work/wt/bench.lock ...
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$here/scripts/find-jdk.sh"
. "$here/bench/lib.sh"
n=10000
[ "${1:-}" = "--n" ] && { n=$2; shift 2; }
[ $# -gt 0 ] || { echo "usage: bench/memory.sh [--n N] launcher|jvm|'JVM FLAGS'..." >&2; exit 2; }
bench_workspace
java="$JAVA_HOME/bin/java"
jar="$here/target/linegate.jar"
build_jar

stub=$(free_port); graph_stub "$stub" 500 & pids+=($!)
wait_http "http://127.0.0.1:$stub/"

now_ms() { date +%s%3N; }
rows=()
problems=()
i=0
for config in "$@"; do
  i=$((i + 1))
  port=$(free_port)
  env=(LINEGATE_PORT="$port" LINEGATE_DB_URL="jdbc:sqlite:$work/memory-$i.db"
       LINEGATE_MASTER_KEY=MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY= LINEGATE_GRAPH_URL="http://127.0.0.1:$stub"
       LINEGATE_LINE_SENDS_PER_SECOND=100000 LINEGATE_GRAPH_TIMEOUT_MS=30000)
  acct=$(env "${env[@]}" "$java" -jar "$jar" account create --name "memory-$i" | sed 's/[^0-9]//g')
  tsid=$(env "${env[@]}" "$java" -jar "$jar" token create --account "$acct" | sed 's/.*"tsid":"\([^"]*\)".*/\1/')
  app=$(env "${env[@]}" "$java" -jar "$jar" line create --account "$acct" --class instagram --page-token EAAGbench \
        --ig-account-id 17841400000000001 | sed 's/[^0-9]//g')
  flags=(); extra=()
  for word in $config; do
    if [[ $word == [A-Z]*=* ]]; then extra+=("$word"); elif [ "$word" != launcher ] && [ "$word" != jvm ]; then flags+=("$word"); fi
  done
  started=$(now_ms)
  if [[ " $config " == *" launcher "* ]]; then
    env "${env[@]}" "${extra[@]}" "$here/linegate" serve 2>"$work/memory-$i.log" &
  else
    env "${env[@]}" "${extra[@]}" "$java" "${flags[@]}" -jar "$jar" serve 2>"$work/memory-$i.log" &
  fi
  pid=$!; pids+=($pid)
  for _ in $(seq 3000); do curl -s -o /dev/null "http://127.0.0.1:$port/health" && break; sleep 0.01; done
  startup=$(( $(now_ms) - started ))
  # the CPU the start took (user + system, in clock ticks): steadier than its wall time on a shared machine
  startup_cpu=$(awk -v hz="$(getconf CLK_TCK)" '{print int(($14 + $15) * 1000 / hz)}' "/proc/$pid/stat")
  used=$(tr '\0' ' ' < "/proc/$pid/cmdline" | sed 's/ -jar .*//; s/^[^ ]*java *//')
  [ ${#extra[@]} -gt 0 ] && used="${extra[*]} $used"
  burst=$("$java" "$here/bench/Load.java" burst "http://127.0.0.1:$port" "$tsid" "$app" "$n" | grep RESULT)
  rss_kb=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status")
  threads=$(awk '/Threads/ {print $2}' "/proc/$pid/status")
  kill "$pid"; wait "$pid" 2>/dev/null || true
  rows+=("| $config | ${used:-none} | $startup | $startup_cpu | $((rss_kb / 1024)) | ${burst#RESULT } | $threads |")
  echo "${rows[-1]}" >&2
  [[ $burst == *" errors=0 "* ]] || problems+=("$config: $burst")
done

echo
echo "Memory under $n sends in flight — $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $("$java" -version 2>&1 | head -1)"
echo "Graph stub answering after 500 ms; SQLite, group commit; start-up: launch to the first /health answer"
echo
echo "| config | JVM flags | start-up ms | start-up CPU ms | peak RSS MB | burst | threads after |"
echo "|---|---|---|---|---|---|---|"
printf '%s\n' "${rows[@]}"
if [ ${#problems[@]} -gt 0 ]; then
  echo
  printf 'FAILED: %s\n' "${problems[@]}"
  exit 1
fi
