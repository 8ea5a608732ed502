#!/usr/bin/env bash
# Linegate's send benchmark, one command: builds the jar, starts a Graph stub on loopback, Linegate on SQLite and on
# PostgreSQL (embedded, nothing to install) with a batch of one and with group commit, and a null proxy (the same HTTP
# stack, no database, no checks), loads each with wrk, and prints one table. The physical ceiling comes first: nginx
# answering Meta's JSON, and nginx proxy_pass in front of it (bench/nginx.sh); every row is also a ratio to that
# two-hop. Every figure comes from the same run on the same machine: compare ratios, not absolute numbers.
#   bench/run.sh            full run (about 12 minutes: each row is warmed up for 30 s)
#   bench/run.sh --smoke    a few seconds per row, 500 in flight instead of 10,000 (CI)
# BENCH_ASPROF=/path/asprof (async-profiler; BENCH_ASPROF_LIB: its libasyncProfiler.so when not beside it) profiles
# Linegate's SQLite group-commit row for 10 s more after its measured run (itimer, collapsed stacks into
# BENCH_PROFILE_OUT, default /tmp/run-sqlite-group-commit.collapsed), so the profile does not slow the measured run.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$here/scripts/find-jdk.sh"
. "$here/bench/lib.sh"
smoke=false; [ "${1:-}" = "--smoke" ] && smoke=true
duration=10; warmup=30; inflight=10000; connections=64; batch=64
# a smoke row measures 5 s: a durable send one at a time (batch of one) has a p99 over 1 s on a busy machine, and a
# 2 s window once caught a disk flush after the test suite and completed no send at all (CI at 4c885a0)
$smoke && { duration=5; warmup=2; inflight=500; }

ensure_wrk
bench_workspace
. "$here/bench/nginx.sh"
ensure_nginx
java="$JAVA_HOME/bin/java"
jar="$here/target/linegate.jar"

build_jar "$work/cp.txt"

stub0=$(free_port); graph_stub "$stub0" 0 & pids+=($!)
stub500=$(free_port); graph_stub "$stub500" 500 & pids+=($!)
"$java" -cp "$(cat "$work/cp.txt")" "$here/bench/EmbeddedPg.java" bench_b1 "bench_b$batch" > "$work/pg.out" 2>/dev/null & pids+=($!)
for _ in $(seq 300); do grep -qs READY "$work/pg.out" && break; sleep 0.1; done
pgport=$(awk '/READY/ {print $2}' "$work/pg.out")
wait_http "http://127.0.0.1:$stub0/"

# start_linegate NAME DB_URL BATCH GRAPH_PORT: a fresh Linegate with an account, a token and a line; sets lg_port, lg_pid, TSID, APP_ID
start_linegate() {
  local name=$1 url=$2 size=$3 graph=$4 db_user=""
  [[ $url == jdbc:postgresql* ]] && db_user=postgres
  lg_port=$(free_port)
  local env=(LINEGATE_PORT="$lg_port" LINEGATE_DB_URL="$url" LINEGATE_DB_USER="$db_user"
             LINEGATE_MASTER_KEY=MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY= LINEGATE_GRAPH_URL="http://127.0.0.1:$graph"
             LINEGATE_LINE_SENDS_PER_SECOND=100000 LINEGATE_LOG_BATCH_SIZE="$size" LINEGATE_GRAPH_TIMEOUT_MS=30000)
  local acct tok line
  acct=$(env "${env[@]}" "$java" -jar "$jar" account create --name "$name" | sed 's/[^0-9]//g')
  TSID=$(env "${env[@]}" "$java" -jar "$jar" token create --account "$acct" | sed 's/.*"tsid":"\([^"]*\)".*/\1/')
  APP_ID=$(env "${env[@]}" "$java" -jar "$jar" line create --account "$acct" --class instagram --page-token EAAGbench \
           --ig-account-id 17841400000000001 | sed 's/[^0-9]//g')
  if [ "${heap:-}" = launcher ]; then
    env "${env[@]}" "$here/linegate" serve 2>"$work/$name.log" & lg_pid=$!; pids+=($lg_pid)
  else
    env "${env[@]}" "$java" "-Xmx${heap:-1g}" -jar "$jar" serve 2>"$work/$name.log" & lg_pid=$!; pids+=($lg_pid)
  fi
  # the launcher's first start after a build records its start-up cache first (about 10 s; more on a loaded machine)
  wait_http "http://127.0.0.1:$lg_port/health" 1200
  export TSID APP_ID
}

# wrk_row PORT [WARMUP_SECONDS]: warm-up (measured: after 6 s both Linegate and the null proxy still ran at 40% of their speed after 30 s,
# the JIT still compiling; a short warm-up measures the compiler, not the gateway), then the
# measured run; prints "rps p50 p99 errors". A send slower than 10 s counts as an error; wrk's default of 2 s made a
# CI smoke run fail on a machine busy with other work, where a durable PostgreSQL send took 2 s at p99 and answered 200.
wrk_row() {
  local url="http://127.0.0.1:$1/api/v2/MakeInstagram.php"
  wrk -t2 -c"$connections" -d"${2:-$warmup}s" --timeout 10s -s "$here/bench/send.lua" "$url" >/dev/null
  wrk -t2 -c"$connections" -d"${duration}s" --timeout 10s -s "$here/bench/send.lua" "$url" | awk -F'[ =]' '/^RESULT/ {print $3, $5, $7, $11}'
}

rows=() # "label|sends/s|p50|p99|errors", formatted at the end with the ratios to the two-hop and to the null proxy
problems=()
declare -A rps
# the same POST against nginx: one hop (nginx as Meta), and two (nginx proxy_pass in front of it). No JIT to warm: 2 s.
ngx_meta=$(free_port); ngx_front=$(free_port)
nginx_meta "$ngx_meta"; ngx_meta_pid=${pids[-1]}
nginx_proxy "$ngx_front" "$ngx_meta"; ngx_front_pid=${pids[-1]}
wait_http "http://127.0.0.1:$ngx_front/"
export TSID=bench APP_ID=1 # send.lua's body needs them; nginx reads none of it (start_linegate sets the real ones)
read -r n1r n1p50 n1p99 n1err < <(wrk_row "$ngx_meta" 2)
read -r ceiling n2p50 n2p99 n2err < <(wrk_row "$ngx_front" 2)
kill "$ngx_front_pid" "$ngx_meta_pid"; wait "$ngx_front_pid" "$ngx_meta_pid" 2>/dev/null || true
[ "$n1err" = 0 ] && [ "$n2err" = 0 ] || problems+=("nginx: $n1err and $n2err errors")
# profile_row PORT PID: 10 s more of the same load with async-profiler in the process (see BENCH_ASPROF above)
profile_row() {
  local lib=(); [ -n "${BENCH_ASPROF_LIB:-}" ] && lib=(--libpath "$BENCH_ASPROF_LIB")
  "$BENCH_ASPROF" "${lib[@]}" start -e itimer -i 1ms "$2" >/dev/null
  wrk -t2 -c"$connections" -d10s --timeout 10s -s "$here/bench/send.lua" "http://127.0.0.1:$1/api/v2/MakeInstagram.php" >/dev/null
  "$BENCH_ASPROF" "${lib[@]}" stop -o collapsed -f "${BENCH_PROFILE_OUT:-/tmp/run-sqlite-group-commit.collapsed}" "$2" >/dev/null
}
rows+=("nginx alone, answering Meta's JSON (one hop)|$n1r|$n1p50|$n1p99|$n1err")
rows+=("nginx proxy_pass → nginx (two hops: the ceiling)|$ceiling|$n2p50|$n2p99|$n2err")
for db in sqlite postgresql; do
  for size in 1 "$batch"; do
    name="$db-$size"
    if [ "$db" = sqlite ]; then url="jdbc:sqlite:$work/$name.db"; else url="jdbc:postgresql://127.0.0.1:$pgport/bench_b$size"; fi
    start_linegate "$name" "$url" "$size" "$stub0"
    read -r r p50 p99 errs < <(wrk_row "$lg_port")
    rps[$name]=$r
    [ "$errs" = 0 ] && [ "${r%.*}" -gt 0 ] || problems+=("$name: $r sends/s, $errs errors")
    rows+=("Linegate, $db, $( [ "$size" = 1 ] && echo "batch of one" || echo "group commit (batch $size)")|$r|$p50|$p99|$errs")
    if [ -n "${BENCH_ASPROF:-}" ] && [ "$name" = "sqlite-$batch" ]; then profile_row "$lg_port" "$lg_pid"; fi
    kill "$lg_pid"; wait "$lg_pid" 2>/dev/null || true
  done
done

np=$(free_port); "$java" -cp "$jar" "$here/bench/NullProxy.java" "$np" "http://127.0.0.1:$stub0" >/dev/null 2>&1 & pids+=($!)
wait_http "http://127.0.0.1:$np/health"
read -r npr np50 np99 nperr < <(wrk_row "$np")
rows+=("null proxy (the same HTTP stack: Javalin 7 + Jetty's HttpClient; no database, no checks)|$npr|$np50|$np99|$nperr")
[ "$nperr" = 0 ] || problems+=("null proxy: $nperr errors")

# Open loop (bench/Load.java: a fixed rate, latency counted from each request's scheduled start, so a stall is not
# hidden) at half and at a quarter of SQLite group commit's peak, Linegate and the null proxy at the same rate. Each is
# warmed up first at that rate. The generator is a JVM on the same two cores; at half the peak it competes with the
# gateway for CPU, so only the quarter-rate run must be free of errors for the run to pass.
open_loop() { "$java" "$here/bench/Load.java" rate "$@" "$warmup" >/dev/null; "$java" "$here/bench/Load.java" rate "$@" "$duration" | grep RESULT; }
loops=()
fractions="2 4"; $smoke && fractions="4"
for div in $fractions; do
  rate=$(python3 -c "print(max(1, int(float('${rps[sqlite-$batch]}') / $div)))")
  start_linegate "open-$div" "jdbc:sqlite:$work/open-$div.db" "$batch" "$stub0"
  lat_lg=$(open_loop "http://127.0.0.1:$lg_port" "$TSID" "$APP_ID" "$rate")
  kill "$lg_pid"; wait "$lg_pid" 2>/dev/null || true
  lat_np=$(open_loop "http://127.0.0.1:$np" x 1 "$rate")
  loops+=("1/$div of the peak, $rate sends/s: Linegate ${lat_lg#RESULT rate=$rate }; null proxy ${lat_np#RESULT rate=$rate }")
  if [ "$div" = 4 ] && [[ $lat_lg != *" errors=0"* ]]; then problems+=("open loop at $rate/s: $lat_lg"); fi
done

# 10,000 sends in flight at once against a Graph stub that answers after 500 ms, with the launcher's defaults
# (./linegate serve: its heap limit and collector; the target) and with a 1 GiB heap limit: the collector grows the
# heap into garbage before it collects, so peak RSS follows the limit, not the live data
bursts=()
for heap in launcher 1g; do
  start_linegate "inflight-$heap" "jdbc:sqlite:$work/inflight-$heap.db" "$batch" "$stub500"
  burst=$("$java" "$here/bench/Load.java" burst "http://127.0.0.1:$lg_port" "$TSID" "$APP_ID" "$inflight" | grep RESULT)
  rss_kb=$(awk '/VmHWM/ {print $2}' "/proc/$lg_pid/status")
  kill "$lg_pid"; wait "$lg_pid" 2>/dev/null || true
  label=$([ "$heap" = launcher ] && echo "launcher defaults" || echo "-Xmx$heap")
  bursts+=("$label: ${burst#RESULT }, peak RSS $((rss_kb / 1024)) MB")
  [[ $burst == *" errors=0 "* ]] || problems+=("in flight, $label: $burst")
  if [ "$heap" = launcher ] && [ "$((rss_kb / 1024))" -ge 512 ] && ! $smoke; then
    problems+=("in flight, launcher defaults: peak RSS $((rss_kb / 1024)) MB, target under 512 MB")
  fi
done
unset heap

# Start-up: launch to the first /health answering 200 (UP), the database already migrated (the in-flight run's), with
# ./linegate serve's defaults: with its start-up cache (recorded by the in-flight run's first start, after the build)
# and without it (-XX:AOTMode=off); three of each, alternating, medians. CPU is the process's user + system time
# until then: steadier than wall time on a shared machine.
startup_once() { # startup_once JAVA_OPTS: prints "wall_ms cpu_ms"
  local port t0 t1 pid cpu
  port=$(free_port)
  t0=$(date +%s%3N)
  env LINEGATE_PORT="$port" LINEGATE_DB_URL="jdbc:sqlite:$work/inflight-launcher.db" LINEGATE_JAVA_OPTS="$1" \
      LINEGATE_MASTER_KEY=MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY= LINEGATE_GRAPH_URL="http://127.0.0.1:$stub0" \
      "$here/linegate" serve 2>>"$work/startup.log" & pid=$!; pids+=($pid)
  for _ in $(seq 3000); do curl -sf -o /dev/null "http://127.0.0.1:$port/health" && break; sleep 0.01; done
  t1=$(date +%s%3N)
  cpu=$(awk -v hz="$(getconf CLK_TCK)" '{print int(($14 + $15) * 1000 / hz)}' "/proc/$pid/stat")
  kill "$pid"; wait "$pid" 2>/dev/null || true
  echo "$((t1 - t0)) $cpu"
}
startups=(); startups_off=()
for _ in 1 2 3; do startups+=("$(startup_once "")"); startups_off+=("$(startup_once -XX:AOTMode=off)"); done
median() { python3 -c "import sys, statistics; v = [int(x) for x in sys.argv[2:]]; print(int(statistics.median(v[int(sys.argv[1])::2])))" "$@"; }
# shellcheck disable=SC2068
su_wall=$(median 0 ${startups[@]}); su_cpu=$(median 1 ${startups[@]})
# shellcheck disable=SC2068
su_off_wall=$(median 0 ${startups_off[@]}); su_off_cpu=$(median 1 ${startups_off[@]})
[ "$su_wall" -lt 2000 ] || $smoke || problems+=("start-up ${su_wall} ms (median), target under 2 s")

echo
echo "Linegate send benchmark — $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $("$java" -version 2>&1 | head -1)"
echo "wrk -t2 -c$connections -d${duration}s, Graph stub answering at once; load generator on the same cores"
echo
echo "| what | sends/s | × nginx two-hop | × null proxy | p50 ms | p99 ms | errors |"
echo "|---|---|---|---|---|---|---|"
for row in "${rows[@]}"; do
  IFS='|' read -r label r p50 p99 errs <<<"$row"
  python3 -c "import sys; l, r, a, b, p50, p99, e = sys.argv[1:]; r = float(r)
print(f'| {l} | {sys.argv[2]} | {r / float(a):.2f} | {r / float(b):.2f} | {p50} | {p99} | {e} |')" \
    "$label" "$r" "$ceiling" "$npr" "$p50" "$p99" "$errs"
done
echo
python3 - "${rps[sqlite-1]}" "${rps[sqlite-$batch]}" "${rps[postgresql-1]}" "${rps[postgresql-$batch]}" "$npr" "$ceiling" <<'PY'
import sys
# a row that completed nothing is a problem reported below; its ratios print as 0 rather than stopping the report
s1, sg, p1, pg, null, ceiling = (max(v, 1e-9) for v in map(float, sys.argv[1:]))
print(f"group commit / batch of one: SQLite {sg/s1:.1f}x, PostgreSQL {pg/p1:.1f}x (target: at least 5x)")
print(f"Linegate / null proxy: SQLite {sg/null:.2f}, PostgreSQL {pg/null:.2f} (target: at least 0.8)")
print(f"Linegate / nginx two-hop: SQLite {sg/ceiling:.2f} (target: at least 0.35), PostgreSQL {pg/ceiling:.2f}"
      f" (target: at least 0.25), null proxy {null/ceiling:.2f}")
PY
echo "open loop, SQLite group commit (target at a quarter of the peak: p99 within 5 ms of the null proxy's; half the peak cannot be judged on two cores):"
printf '  %s\n' "${loops[@]}"
echo "in flight at once, Graph stub answering after 500 ms (target: no error, under 512 MB):"
printf '  %s\n' "${bursts[@]}"
echo "start-up, launch to the first /health 200, ./linegate serve, medians of 3 (target: under 2 s):"
echo "  with the start-up cache ${su_wall} ms (CPU ${su_cpu} ms): ${startups[*]}"
echo "  without it (-XX:AOTMode=off) ${su_off_wall} ms (CPU ${su_off_cpu} ms): ${startups_off[*]}"
if [ ${#problems[@]} -gt 0 ]; then
  echo
  printf 'FAILED: %s\n' "${problems[@]}"
  exit 1
fi
