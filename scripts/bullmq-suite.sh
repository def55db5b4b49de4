#!/usr/bin/env bash
# Runs BullMQ's own test suite against a server on port 6379, as BullMQ's contributing guide and
# CI run it against Redis: `yarn build` then `yarn test` (vitest, one file at a time, clients to
# localhost:6379). Each server in turn gets port 6379 to itself: rc's daemon (apps/server/dist,
# build it first) or, for the control column, redis-server.
#
#   scripts/bullmq-suite.sh /work/bullmq-suite              # rc, then redis-server
#   scripts/bullmq-suite.sh /work/bullmq-suite --servers rc
#
# The checkout is BullMQ's repository at a release tag, outside rc's repository (never
# committed), e.g. `git --git-dir=<bullmq clone>/.git archive v6.2.0 | tar -x -C /tmp/bullmq`.
# Its dependencies are installed once from the npm registry (npm, as its yarn.lock points at
# yarn's mirror); `--ignore-scripts` because its `prepare` sets up git hooks.
#
# Output in external/results/bullmq/: <server>.txt (passing, failing and pending counts, the
# suite's wall time, then each failing test's title and the first line of its error),
# <server>.json (vitest's report) and <server>.log (its verbose output). SUITE_TIMEOUT (seconds,
# default 3600) bounds one run.
set -u
cd "$(dirname "$0")/.."
repo=$(pwd)
results=${RESULTS:-external/results}/bullmq
servers="rc redis"
port=6379

checkout=${1:-}
[ $# -gt 0 ] && shift
while [ $# -gt 0 ]; do
  case "$1" in
    --servers) servers=$2; shift 2 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
done
if [ -z "$checkout" ] || ! grep -q '"name": "bullmq"' "$checkout/package.json" 2>/dev/null; then
  echo "usage: scripts/bullmq-suite.sh <path to a BullMQ checkout> [--servers \"rc redis\"]" >&2
  exit 2
fi
checkout=$(cd "$checkout" && pwd)
mkdir -p "$results"
results=$(cd "$results" && pwd)

prepare_checkout() {
  if [ ! -d "$checkout/node_modules/vitest" ]; then
    echo "installing BullMQ's dependencies from the npm registry"
    (cd "$checkout" && npm install --ignore-scripts --no-audit --no-fund --loglevel=error) || return 1
  fi
  # Sandboxed processors start dist/cjs/classes/main.js: the suite needs the build (which also
  # generates src/scripts from the Lua commands). Delete dist to build again.
  [ -f "$checkout/dist/cjs/classes/main.js" ] && return 0
  echo "building BullMQ"
  (cd "$checkout" && npm run build >"$results/build.log" 2>&1) || {
    echo "BullMQ's build failed, see $results/build.log" >&2
    return 1
  }
}

port_in_use() {
  ss -ltn "sport = :$port" | grep -q LISTEN
}

# Starts the server on $port in a fresh directory; sets server_pid.
start_server() {
  local dir
  dir=$(mktemp -d)
  case "$1" in
    rc) node "$repo/apps/server/dist/main.js" --port "$port" --bind 127.0.0.1 --save '' \
      --dir "$dir" >"$results/$1-server.log" 2>&1 & ;;
    redis) redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no \
      --dir "$dir" >"$results/$1-server.log" 2>&1 & ;;
    *) echo "unknown server: $1" >&2; return 1 ;;
  esac
  server_pid=$!
  for _ in $(seq 100); do
    redis-cli -p "$port" ping 2>/dev/null | grep -q PONG && return 0
    sleep 0.2
  done
  echo "$1 did not answer on port $port" >&2
  kill "$server_pid" 2>/dev/null
  return 1
}

stop_server() {
  kill "$server_pid" 2>/dev/null
  wait "$server_pid" 2>/dev/null
}

# Counts and failing titles from vitest's JSON report, with the wall time.
summarize() {
  node - "$results/$1.json" "$2" "$1" <<'EOF'
const [report, seconds, server] = process.argv.slice(2);
const data = JSON.parse(require('node:fs').readFileSync(report, 'utf8'));
const lines = [
  `BullMQ's test suite against ${server} on port 6379`,
  `passing ${data.numPassedTests}, failing ${data.numFailedTests}, ` +
    `pending ${data.numPendingTests + data.numTodoTests}, total ${data.numTotalTests}`,
  `wall time ${Math.floor(seconds / 60)} min ${seconds % 60} s`,
  '',
];
for (const file of data.testResults) {
  const name = file.name.replace(/^.*\/tests\//, 'tests/');
  const failed = file.assertionResults.filter((test) => test.status === 'failed');
  for (const test of failed) {
    // vitest reports a test's timeout as this placeholder with the stack of its definition.
    const first = (test.failureMessages[0] ?? '').split('\n')[0];
    const why = first === 'Error: STACK_TRACE_ERROR' ? 'timed out' : first.slice(0, 200);
    lines.push(`FAIL ${name} > ${test.fullName}\n     ${why}`);
  }
  if (file.status === 'failed' && failed.length === 0) {
    lines.push(`FAIL ${name} (the file: ${file.message.split('\n')[0]})`);
  }
}
console.log(lines.join('\n'));
EOF
}

run_suite() {
  local server=$1
  if port_in_use; then
    echo "port $port is in use: stop what listens there first" >&2
    return 1
  fi
  start_server "$server" || return 1
  echo "running BullMQ's suite against $server (log: $results/$server.log)"
  local started=$SECONDS
  (cd "$checkout" && timeout "${SUITE_TIMEOUT:-3600}" npx vitest run --no-file-parallelism \
    --reporter=verbose --reporter=json --outputFile.json="$results/$server.json" \
    >"$results/$server.log" 2>&1)
  local seconds=$((SECONDS - started))
  stop_server
  if [ ! -s "$results/$server.json" ]; then
    echo "$server: no report (timed out after ${seconds} s?), see $results/$server.log" >&2
    return 1
  fi
  summarize "$server" "$seconds" >"$results/$server.txt"
  sed -n 2,3p "$results/$server.txt" | sed "s/^/$server: /"
}

prepare_checkout || exit 1
status=0
for server in $servers; do
  rm -f "$results/$server.json"
  run_suite "$server" || status=1
done
exit $status
