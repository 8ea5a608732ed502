#!/usr/bin/env bash
# The HTTP stack chosen by measurement (issue 12): the null proxy (no database, no checks: read the body, POST it to
# the Graph stub, answer the envelope around Meta's answer) built on each candidate stack, beside nginx's one-hop and
# two-hop ceiling, all in one run on the same machine under the same load. For each row: sends/s, latency, the ratio to
# the stack before issue 12 (a: Javalin 7 + java.net.http) and to nginx's two-hop, the CPU the proxy process spent per request
# (from /proc, over the measured run), and the share of the machine's CPU that went to processes outside this run (other
# work on a shared machine: a row with a large share is not comparable). Then the h2c rows: the same clients over HTTP/1.1 and over HTTP/2 cleartext to a
# stub that speaks both (bench/stacks/JettyGraphStub.java).
#   bench/stacks.sh            full run (about 12 minutes: 30 s warm-up per JVM row)
#   bench/stacks.sh --quick    2 s warm-up, 2 s measured: checks that every candidate answers
# The candidates' class paths come from bench/stacks/pom.xml (one Maven profile each), never Linegate's jar.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$here/scripts/find-jdk.sh"
duration=10; warmup=30; connections=64
[ "${1:-}" = "--quick" ] && { duration=2; warmup=2; }

. "$here/bench/lib.sh"
ensure_wrk
bench_workspace
. "$here/bench/nginx.sh"
ensure_nginx
java="$JAVA_HOME/bin/java"
jar="$here/target/linegate.jar"

echo "building ..." >&2
(cd "$here" && mvn -q -B -DskipTests package) >&2
for profile in jetty helidon vertx; do
  (cd "$here/bench/stacks" && mvn -q -B -P "$profile" dependency:build-classpath -Dmdep.outputFile="$work/$profile.cp") >&2
done
cp_jetty=$(cat "$work/jetty.cp"); cp_helidon=$(cat "$work/helidon.cp"); cp_vertx=$(cat "$work/vertx.cp")

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_http() { for _ in $(seq 300); do curl -s -o /dev/null "$1" && return 0; sleep 0.1; done; echo "no answer from $1" >&2; return 1; }
# CPU time (clock ticks) of a process and its children (nginx's workers), and of the whole machine (busy, all). Busy
# is user and system time only: loopback traffic is mostly handled in softirq time, which is ours but charged to no
# process, so it is left out of both sides.
ticks() { local t=0 p; for p in "$@" $(for q in "$@"; do pgrep -P "$q" || true; done); do
            t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0))); done; echo "$t"; }
machine() { awk '/^cpu / {print $2+$3+$4, $2+$3+$4+$5+$6+$7+$8+$9}' /proc/stat; }
stub_pids=()

export TSID=bench APP_ID=1
# measure PORT WARMUP PID...: warm-up, then the measured run against the proxy PIDs (the stubs in stub_pids); sets
# the row's figures in r_* and prints nothing
measure() {
  local port=$1 warm=$2; shift 2
  local url="http://127.0.0.1:$port/api/v2/MakeInstagram.php" out t0 t1 s0 s1 m0 m1
  [ "$warm" -gt 0 ] && wrk -t2 -c"$connections" -d"${warm}s" --timeout 10s -s "$here/bench/send.lua" "$url" >/dev/null
  t0=$(ticks "$@"); s0=$(ticks "${stub_pids[@]}"); m0=$(machine)
  out=$(/usr/bin/time -f 'WRKCPU %U %S' -o "$work/wrk.cpu" \
        wrk -t2 -c"$connections" -d"${duration}s" --timeout 10s -s "$here/bench/send.lua" "$url" | grep '^RESULT')
  t1=$(ticks "$@"); s1=$(ticks "${stub_pids[@]}"); m1=$(machine)
  read -r r_rps r_p50 r_p99 r_requests r_errors < <(echo "$out" | awk -F'[ =]' '{print $3, $5, $7, $9, $11}')
  # ms of the proxy's CPU per request (100 ticks a second); the machine's busy ticks that neither the proxy, the stub
  # nor wrk spent, as a share of all (all cores)
  r_cpu=$(python3 -c "print(f'{($t1 - $t0) * 10 / max(1, $r_requests):.3f}')")
  r_others=$(python3 - "$m0" "$m1" "$((t1 - t0 + s1 - s0))" "$(awk '/WRKCPU/ {print ($2 + $3) * 100}' "$work/wrk.cpu")" <<'PY'
import sys
(b0, a0), (b1, a1) = sys.argv[1].split(), sys.argv[2].split()
ours = float(sys.argv[3]) + float(sys.argv[4])
print(f"{max(0.0, 100 * (int(b1) - int(b0) - ours) / max(1, int(a1) - int(a0))):.0f}")
PY
)
}

rows=()
declare -A rps
problems=()
# row KEY LABEL: records the figures measure just set
row() {
  rps[$1]=$r_rps
  rows+=("$1|$2|$r_rps|$r_p50|$r_p99|$r_errors|$r_cpu|$r_others")
  echo "$2: $r_rps/s p50 $r_p50 p99 $r_p99 errors $r_errors cpu $r_cpu ms/req others $r_others%" >&2
  [ "$r_errors" = 0 ] && [ "${r_rps%.*}" -gt 0 ] || problems+=("$2: $r_rps/s, $r_errors errors")
}

# candidate KEY LABEL CLASSPATH PROGRAM GRAPH_URL ARGS...: a fresh JVM, warmed up, measured, stopped
candidate() {
  local key=$1 label=$2 cp=$3 program=$4 graph=$5 port pid; shift 5
  port=$(free_port)
  "$java" -Xmx1g -cp "$cp" "$here/$program" "$port" "$graph" "$@" >"$work/$key.log" 2>&1 & pid=$!; pids+=($pid)
  wait_http "http://127.0.0.1:$port/"
  measure "$port" "$warmup" "$pid"
  row "$key" "$label"
  kill "$pid"; wait "$pid" 2>/dev/null || true
}

# the ceiling: nginx answering Meta's success JSON, and nginx proxy_pass in front of it (no JVM: a 2 s warm-up)
meta=$(free_port); front=$(free_port)
nginx_meta "$meta"; meta_pid=${pids[-1]}
nginx_proxy "$front" "$meta"; front_pid=${pids[-1]}
wait_http "http://127.0.0.1:$front/"
measure "$meta" 2 "$meta_pid"; row nginx1 "nginx alone, answering Meta's JSON (one hop)"
stub_pids=("$meta_pid")
measure "$front" 2 "$front_pid"; row nginx2 "nginx proxy_pass → nginx (two hops: the ceiling)"
kill "$front_pid" "$meta_pid"; wait "$front_pid" "$meta_pid" 2>/dev/null || true
stub_pids=()

# the Graph stubs: the JDK's (bench/GraphStub.java, the one bench/run.sh uses) and Jetty's, which also speaks h2c
stub=$(free_port)
"$java" -Dsun.net.httpserver.maxIdleConnections=20000 "$here/bench/GraphStub.java" "$stub" 0 >/dev/null 2>&1 & pids+=($!); stub_pids+=($!)
jstub=$(free_port)
"$java" -cp "$cp_jetty" "$here/bench/stacks/JettyGraphStub.java" "$jstub" >/dev/null 2>&1 & pids+=($!); stub_pids+=($!)
wait_http "http://127.0.0.1:$stub/"; wait_http "http://127.0.0.1:$jstub/"
g="http://127.0.0.1:$stub"; jg="http://127.0.0.1:$jstub"

candidate a "(a) Javalin 7 + java.net.http (before issue 12)" "$jar" bench/stacks/JavalinJdkClientProxy.java "$g"
candidate b "(b) Javalin 7 + Jetty HttpClient" "$jar" bench/stacks/JavalinJettyClientProxy.java "$g"
candidate c "(c) Jetty 12 core Handler, virtual threads, blocking + Jetty HttpClient" "$cp_jetty" bench/stacks/JettyProxy.java "$g" blocking h1
candidate c_async "(c') Jetty 12 core Handler, async + Jetty HttpClient" "$cp_jetty" bench/stacks/JettyProxy.java "$g" async h1
candidate d "(d) Helidon SE 4.5 + WebClient (virtual threads)" "$cp_helidon" bench/stacks/HelidonProxy.java "$g" h1
candidate e "(e) Vert.x 5.0 + WebClient (event loops)" "$cp_vertx" bench/stacks/VertxProxy.java "$g" h1
candidate e_vt "(e') Vert.x 5.0 + WebClient, virtual-thread verticles, blocking (await)" "$cp_vertx" bench/stacks/VertxProxy.java "$g" h1 vthreads
# the same clients to the Jetty stub, over HTTP/1.1 and HTTP/2 cleartext
candidate c_j1 "(c) to the Jetty stub, HTTP/1.1" "$cp_jetty" bench/stacks/JettyProxy.java "$jg" blocking h1
candidate c_j2 "(c) to the Jetty stub, h2c" "$cp_jetty" bench/stacks/JettyProxy.java "$jg" blocking h2c
candidate d_j1 "(d) to the Jetty stub, HTTP/1.1" "$cp_helidon" bench/stacks/HelidonProxy.java "$jg" h1
candidate d_j2 "(d) to the Jetty stub, h2c" "$cp_helidon" bench/stacks/HelidonProxy.java "$jg" h2c
candidate e_j1 "(e) to the Jetty stub, HTTP/1.1" "$cp_vertx" bench/stacks/VertxProxy.java "$jg" h1
candidate e_j2 "(e) to the Jetty stub, h2c" "$cp_vertx" bench/stacks/VertxProxy.java "$jg" h2c

echo
echo "HTTP stacks, null proxy — $(date -u +%Y-%m-%dT%H:%MZ), commit $(git -C "$here" rev-parse --short HEAD), $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $("$java" -version 2>&1 | head -1)"
echo "wrk -t2 -c$connections -d${duration}s after ${warmup} s of warm-up per JVM; Graph stub answering at once; load generator on the same cores"
echo
echo "| what | sends/s | × today (a) | × nginx two-hop | p50 ms | p99 ms | errors | proxy CPU ms/request | others' CPU % |"
echo "|---|---|---|---|---|---|---|---|---|"
printf '%s\n' "${rows[@]}" > "$work/rows"
python3 - "$work/rows" <<'PY'
import sys
rows = [line.rstrip("\n").split("|") for line in open(sys.argv[1])]
rps = {row[0]: float(row[2]) for row in rows}
for key, label, r, p50, p99, errs, cpu, others in rows:
    r = float(r)
    print(f"| {label} | {r:.0f} | {r / rps['a']:.2f} | {r / rps['nginx2']:.2f} | {p50} | {p99} | {errs} | {cpu} | {others} |")
PY
if [ ${#problems[@]} -gt 0 ]; then
  echo
  printf 'FAILED: %s\n' "${problems[@]}"
  exit 1
fi
