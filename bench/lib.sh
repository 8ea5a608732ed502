# Shell pieces shared by the benchmarks (sourced by bench/run.sh, bench/events.sh and bench/stacks.sh; needs $here, the
# repository).

# ensure_wrk: installs wrk from Debian when it is missing
ensure_wrk() {
  if ! command -v wrk >/dev/null 2>&1; then
    echo "installing wrk from Debian ..." >&2
    apt-get install -y -qq wrk >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq wrk; } >&2
  fi
}

# bench_workspace: more open files, a temporary folder in $work, and $pids (add each background process) stopped and
# the folder removed when the script exits
bench_workspace() {
  ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
  work=$(mktemp -d)
  pids=()
  trap bench_cleanup EXIT
}
bench_cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }

# build_jar [CLASSPATH_FILE]: builds target/linegate.jar; with a file, also writes the test classpath into it
build_jar() {
  echo "building ..." >&2
  (cd "$here" && mvn -q -B -DskipTests package && if [ -n "${1:-}" ]; then mvn -q -B dependency:build-classpath \
     -Dmdep.includeScope=test -Dmdep.outputFile="$1"; fi) >&2
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
# wait_http URL [TRIES]: until URL answers at all, every 0.1 s, at most TRIES times (300: 30 s)
wait_http() { for _ in $(seq "${2:-300}"); do curl -s -o /dev/null "$1" && return 0; sleep 0.1; done; echo "no answer from $1" >&2; return 1; }

# graph_stub PORT DELAY_MS (run it with &): bench/GraphStub.java. The JDK's HttpServer closes idle keep-alive
# connections beyond 200; a POST that then meets a just-closed connection fails (280, state unknown). Meta does not drop
# a client's connections that way, so the stub keeps them all. exec: $! is the JVM, so a trap that kills $! stops it.
graph_stub() { exec "$JAVA_HOME/bin/java" -Dsun.net.httpserver.maxIdleConnections=20000 "$here/bench/GraphStub.java" "$@" >/dev/null; }
