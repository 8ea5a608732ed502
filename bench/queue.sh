#!/usr/bin/env bash
# Linegate's queued-sends benchmark (issue 13, "Speed"), one command: builds the jar, starts on loopback a Graph stub
# answering at once (bench/QueueStub.java: records every message's text, so a send made twice shows, and each line's
# arrival times; can hold every send until released) and Linegate on the embedded SQLite with group commit as serve
# runs by default; sets the lines up with Linegate's own commands (bench/QueueSetup.java); measures, in one run:
#   1. queued sends on one line (async=1, wrk as fast as it can) beside direct sends, alternately: the accept rate
#      (202s/s) and the drain rate (rows sent/s, from wrk's start to the last row's sent_at); every queued row must end
#      sent and the stub must have received each message exactly once
#   2. BENCH_QUEUE_SENDS (100,000) queued sends over 200 lines, each with a budget of BENCH_LINE_BUDGET sends/s (2),
#      drained: the worst line's peak rate (from the stub's arrival times) against its budget; none lost or repeated
#   3. the same 100,000 held in the queue while the stub holds every send (Meta not answering): serve's peak RSS
# Each process's CPU time per item (from /proc/PID/stat) beside the rates: it moves less with other people's load.
#   bench/queue.sh          full run (about 10 minutes)
#   bench/queue.sh --smoke  a few seconds per measurement, 4,000 sends over the 200 lines; fails on any error, lost or
#                           repeated send
# Like bench/run.sh it fails only on errors, losses and repeats, never on a missed target.
# BENCH_QUEUE_CONCURRENCY sets LINEGATE_QUEUE_CONCURRENCY (64). BENCH_ASPROF=/path/asprof profiles serve during the
# queued rounds of 1 (BENCH_ASPROF_LIB: its libasyncProfiler.so, when not beside it); collapsed stacks to
# ${BENCH_PROFILE_OUT:-/tmp/queue.collapsed}.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$here/scripts/find-jdk.sh"
. "$here/bench/lib.sh"
smoke=false; [ "${1:-}" = "--smoke" ] && smoke=true
warmup=20; duration=10; rounds=2; sends=${BENCH_QUEUE_SENDS:-100000}; budget=${BENCH_LINE_BUDGET:-2}; lines=200
$smoke && { warmup=3; duration=3; rounds=1; sends=4000; }
connections=64

ensure_wrk
bench_workspace
trap 'echo "bench/queue.sh: failed at line $LINENO" >&2' ERR
java="$JAVA_HOME/bin/java"
jar="$here/target/linegate.jar"
echo "building ... ($(date +%T))" >&2; build_jar

stub_port=$(free_port)
stub="http://127.0.0.1:$stub_port"
(exec "$java" -Xmx2g -Dsun.net.httpserver.maxIdleConnections=20000 "$here/bench/QueueStub.java" "$stub_port" >/dev/null) & stub_pid=$!; pids+=($stub_pid)
db="$work/queue.db"
lg_port=$(free_port)
# the Graph timeout (at most 2 minutes) must outlast 3's hold, so that the sends held then are answered, not timed out
lg_env=(LINEGATE_PORT="$lg_port" LINEGATE_DB_URL="jdbc:sqlite:$db" LINEGATE_MASTER_KEY=MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=
        LINEGATE_GRAPH_URL="$stub" LINEGATE_LINE_SENDS_PER_SECOND=100000 LINEGATE_GRAPH_TIMEOUT_MS=120000
        LINEGATE_QUEUE_MAX_AGE=PT2H LINEGATE_QUEUE_CONCURRENCY="${BENCH_QUEUE_CONCURRENCY:-64}")
now_ms() { date +%s%3N; }
cpu_ms() { awk -v hz="$(getconf CLK_TCK)" '{printf "%d", ($14 + $15) * 1000 / hz}' "/proc/$1/stat"; }
# per ITEMS CPU_MS: CPU microseconds per item
per() { python3 -c "import sys; n=int(sys.argv[1]); print(round(int(sys.argv[2]) * 1000 / n) if n > 0 else '-')" "$@"; }
rss_mb() { awk '/VmRSS/ {printf "%d", $2 / 1024}' "/proc/$1/status"; }
profiler() {
  [ -n "${BENCH_ASPROF:-}" ] || return 0
  local lib=(); [ -n "${BENCH_ASPROF_LIB:-}" ] && lib=(--libpath "$BENCH_ASPROF_LIB")
  if [ "$1" = start ]; then "$BENCH_ASPROF" "${lib[@]}" start -e itimer -i 500us "$lg_pid" >/dev/null
  elif [ "$1" = resume ]; then "$BENCH_ASPROF" "${lib[@]}" resume -e itimer -i 500us "$lg_pid" >/dev/null
  elif [ "$1" = pause ]; then "$BENCH_ASPROF" "${lib[@]}" stop "$lg_pid" >/dev/null
  else "$BENCH_ASPROF" "${lib[@]}" stop -o collapsed -f "${BENCH_PROFILE_OUT:-/tmp/queue.collapsed}" "$lg_pid" >/dev/null; fi
}
wait_http "$stub/_count/ping"

echo "setting up 1 + $lines lines ... ($(date +%T))" >&2
setup() { env "${lg_env[@]}" "$java" --enable-native-access=ALL-UNNAMED -cp "$jar" "$here/bench/QueueSetup.java" "$@" >&2; }
setup 0 1 default "$work/one.targets"              # alone first: it creates and migrates the database file
setup 1 "$lines" "$budget" "$work/lines.targets"

env "${lg_env[@]}" "$java" -Xmx1g --enable-native-access=ALL-UNNAMED ${BENCH_SERVE_OPTS:-} -jar "$jar" serve 2>"$work/serve.log" & lg_pid=$!; pids+=($lg_pid)
wait_http "http://127.0.0.1:$lg_port/health"; echo "serving ($(date +%T))" >&2
send_url="http://127.0.0.1:$lg_port/api/v2/MakeInstagram.php"

problems=()
field() { tr ' ' '\n' <<<"$2" | sed -n "s/^$1=//p"; }
# wrk_run TARGETS MARK async|direct SECONDS [LIMIT]: prints "rps errors requests"
wrk_run() {
  local async=0 expect=200
  [ "$3" = async ] && { async=1; expect=202; }
  TARGETS="$1" MARK="$2" ASYNC=$async EXPECT=$expect LIMIT="${5:-0}" \
    wrk -t2 -c"$connections" -d"${4}s" --timeout 30s -s "$here/bench/queue.lua" "$send_url" \
    | awk -F'[ =]' '/^RESULT/ {print $3, $11, $9}' | tee >(sed "s/^/  wrk $2 $3: /" >&2)
}
# drained MARK FROM_MS WAIT_S: bench/QueueCheck.java drain; prints its RESULT fields and records any lost, stuck or
# repeated send
drained() {
  local r
  r=$("$java" --enable-native-access=ALL-UNNAMED -cp "$jar" "$here/bench/QueueCheck.java" drain "$db" "$stub" "$@" | sed -n 's/^RESULT //p')
  echo "  $1: $r" >&2
  [ "$(field rows "$r")" = "$(field sent "$r")" ] || problems+=("$1: not every queued send was sent: $r")
  [ "$(field received "$r")" = "$(field distinct "$r")" ] || problems+=("$1: the stub received some sends twice: $r")
  [ "$(field distinct "$r")" = "$(field sent "$r")" ] || problems+=("$1: the stub's messages are not the sent rows: $r")
  echo "$r"
}
# direct_once MARK: the stub must have received each of that run's direct sends once
direct_once() {
  local c; c=$(curl -sf "$stub/_count/$1-")
  [ "${c% *}" = "${c#* }" ] || problems+=("$1: the stub received some direct sends twice: $c")
}

# 1. Queued vs direct sends on one line, alternately; the queue is drained before each direct run.
echo "1. queued vs direct on one line ... ($(date +%T))" >&2
one="$work/one.targets"
read -r _ e _ < <(wrk_run "$one" wd direct "$warmup"); [ "$e" = 0 ] || problems+=("1. direct warm-up: $e errors")
t0=$(now_ms); read -r _ e _ < <(wrk_run "$one" wq async "$warmup"); [ "$e" = 0 ] || problems+=("1. queued warm-up: $e errors")
drained wq "$t0" 300 >/dev/null
direct=(); accepted=(); drain=(); d_n=0; d_lg=0; d_stub=0; q_n=0; q_lg=0; q_stub=0; first=true
for r in $(seq "$rounds"); do
  c0=$(cpu_ms "$lg_pid"); s0=$(cpu_ms "$stub_pid")
  read -r rps e n < <(wrk_run "$one" "d$r" direct "$duration"); direct+=("$rps"); [ "$e" = 0 ] || problems+=("1. direct: $e errors")
  d_lg=$(( d_lg + $(cpu_ms "$lg_pid") - c0 )); d_stub=$(( d_stub + $(cpu_ms "$stub_pid") - s0 )); d_n=$(( d_n + n ))
  direct_once "d$r"
  if $first; then profiler start; first=false; else profiler resume; fi
  c0=$(cpu_ms "$lg_pid"); s0=$(cpu_ms "$stub_pid"); t0=$(now_ms)
  read -r rps e _ < <(wrk_run "$one" "q$r" async "$duration"); accepted+=("$rps"); [ "$e" = 0 ] || problems+=("1. queued: $e errors")
  q=$(drained "q$r" "$t0" 300); drain+=("$(field drained_per_s "$q")")
  profiler pause
  q_lg=$(( q_lg + $(cpu_ms "$lg_pid") - c0 )); q_stub=$(( q_stub + $(cpu_ms "$stub_pid") - s0 )); q_n=$(( q_n + $(field rows "$q") ))
done
profiler stop

# 2 and 3. The stub holds every send; $sends queued sends over the lines; serve's RSS sampled every 0.5 s throughout;
# then the stub answers and the queue drains, each line at its budget.
echo "2/3. $sends queued sends over $lines lines, Meta holding them, then drained ... ($(date +%T))" >&2
rss_idle=$(rss_mb "$lg_pid")
(while kill -0 "$lg_pid" 2>/dev/null; do echo "$(now_ms) $(rss_mb "$lg_pid")"; sleep 0.5; done) > "$work/rss" & rss_sampler=$!; pids+=($rss_sampler)
curl -sf -X PUT --data true "$stub/_hang" >/dev/null
c0=$(cpu_ms "$lg_pid")
# wrk's threads stop at their LIMIT, but wrk itself only at its duration or SIGINT: stopped once serve has answered
# that many 202s (its own count, /metrics)
answered_202() { curl -sf "http://127.0.0.1:$lg_port/metrics" | awk '/^http_server_requests_seconds_count.*status="202".*MakeInstagram/ {printf "%d", $2}'; }
base=$(answered_202)
TARGETS="$work/lines.targets" MARK=p ASYNC=1 EXPECT=202 LIMIT=$(( sends / 2 )) \
  wrk -t2 -c"$connections" -d3600s --timeout 30s -s "$here/bench/queue.lua" "$send_url" > "$work/load.wrk" & load_pid=$!
load0=$(now_ms)
while [ $(( $(answered_202) - base )) -lt "$sends" ] && kill -0 "$load_pid" 2>/dev/null; do sleep 0.2; done
load_ms=$(( $(now_ms) - load0 ))
kill -INT "$load_pid" 2>/dev/null || true; wait "$load_pid" || true
read -r _ e load_n < <(awk -F'[ =]' '/^RESULT/ {print $3, $11, $9}' "$work/load.wrk"); [ "$e" = 0 ] || problems+=("2. loading: $e errors")
echo "  wrk p async: $load_n sends in $load_ms ms, $e errors" >&2
load_rps=$(( load_n * 1000 / load_ms ))
load_lg=$(( $(cpu_ms "$lg_pid") - c0 ))
sleep 2
depth=$(curl -sf "http://127.0.0.1:$lg_port/metrics" | awk '/^linegate_queue_depth/ {printf "%d", $2}')
sleep 3
held_at=$(now_ms)
rss_held=$(awk '{if ($2 > m) m = $2} END {print m}' "$work/rss")
c0=$(cpu_ms "$lg_pid"); s0=$(cpu_ms "$stub_pid")
release=$(now_ms); curl -sf -X PUT --data false "$stub/_hang" >/dev/null
p=$(drained p "$release" 3600)
p_lg=$(( $(cpu_ms "$lg_pid") - c0 )); p_stub=$(( $(cpu_ms "$stub_pid") - s0 ))
rss_drain=$(awk -v t="$held_at" '$1 >= t {if ($2 > m) m = $2} END {print m}' "$work/rss")
kill "$rss_sampler" 2>/dev/null || true
l=$("$java" -cp "$jar" "$here/bench/QueueCheck.java" lines "$stub" p "$release" | sed -n 's/^RESULT //p')
echo "  lines: $l" >&2

kill "$lg_pid"; wait "$lg_pid" 2>/dev/null || true
warnings=$(grep -cE " (ERROR|WARN) " "$work/serve.log" || true)

mean() { python3 -c "import sys; a=[float(x) for x in sys.argv[1:]]; print(f'{sum(a)/len(a):.0f}')" "$@"; }
ratio() { python3 -c "import sys; print(f'{float(sys.argv[2])/float(sys.argv[1]):.2f}')" "$1" "$2"; }
verdict() { python3 -c "import sys; print('met' if eval(sys.argv[1]) else 'missed')" "$1"; }
drain_ratio=$(ratio "$(mean "${direct[@]}")" "$(mean "${drain[@]}")")
accept_ratio=$(ratio "$(mean "${direct[@]}")" "$(mean "${accepted[@]}")")
peak=$(field peak_second "$l")

echo
echo "Linegate queued-sends benchmark — $(date -u +%Y-%m-%dT%H:%MZ), commit $(git -C "$here" rev-parse --short HEAD), $(nproc) cores," \
     "$(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $("$java" -version 2>&1 | head -1)"
echo "SQLite (embedded), group commit; Graph stub answering at once; wrk -t2 -c$connections, each send to the next of 1000"
echo "customers of its line, every mdata unique; warm-up ${warmup} s, measured ${duration} s; load generators on the same cores"
echo
echo "| measurement | figure | target | |"
echo "|---|---|---|---|"
echo "| 1. direct sends/s on one line (${rounds} rounds, alternating with queued) | ${direct[*]} | | |"
echo "| 1. queued: accepted (202s/s) / drained (rows sent/s, wrk's start to the last sent_at) | ${accepted[*]} (**${accept_ratio}×** direct) / ${drain[*]} (**${drain_ratio}×** direct); lost $(( $(field rows "$q") - $(field sent "$q") )), $(( $(field received "$q") - $(field distinct "$q") )) repeated (last round) | drained ≥ 0.8× direct, 0 lost, 0 repeated | $(verdict "$drain_ratio >= 0.8") |"
echo "| CPU per send (process time): direct / queued (accept + drain) | Linegate $(per "$d_n" "$d_lg") / $(per "$q_n" "$q_lg") µs; Graph stub $(per "$d_n" "$d_stub") / $(per "$q_n" "$q_stub") µs | | |"
echo "| 2. $(field rows "$p") queued sends over $(field lines "$l") lines, budget $budget/s each, drained after Meta answered again | $(field drained_per_s "$p") sent/s ($(( $(field last_sent_after_ms "$p") / 1000 )) s); worst line: **peak $peak in one calendar second**, $(field peak_window "$l") in any 1 s, $(field peak_window_after_5s "$l") in any 1 s after the first 5 s (the buckets, full while Meta held the sends, spent), mean $(field mean "$l")/s; lost $(( $(field rows "$p") - $(field sent "$p") )), repeated $(( $(field received "$p") - $(field distinct "$p") )) | every line within its budget | $(verdict "$peak <= $budget") |"
echo "| CPU per send over the 200 lines: accept / drain | Linegate $(per "$load_n" "$load_lg") / $(per "$(field rows "$p")" "$p_lg") µs; Graph stub $(per "$(field rows "$p")" "$p_stub") µs | | |"
echo "| 3. serve's RSS: idle after 1 / peak while $load_rps sends/s queued and with $depth queued (linegate_queue_depth) / peak while draining | $rss_idle / **$rss_held** / $rss_drain MB (-Xmx1g) | < 512 MB with 100,000 queued | $(verdict "$rss_held < 512") |"
if [ "$warnings" != 0 ]; then echo; echo "serve logged $warnings warnings or errors, the first:"; grep -m3 -E " (ERROR|WARN) " "$work/serve.log"; fi
if [ ${#problems[@]} -gt 0 ]; then
  echo
  printf 'FAILED: %s\n' "${problems[@]}"
  exit 1
fi
