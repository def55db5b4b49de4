#!/usr/bin/env bash
# Runs units of the official Redis 7.0.15 test suite against rc (or any server), one unit per
# freshly started server, since units leave CONFIG changes behind. A conformance report, not a
# CI step: it always exits 0 after printing one line per unit.
#
#   scripts/redis-suite.sh unit/type/incr unit/type/list ...
#   SERVER_CMD="redis-server --save '' --appendonly no" scripts/redis-suite.sh unit/type/incr
#
# The suite is not part of this repository. Extract it once (git-ignored) from a clone of
# redis/redis:  git --git-dir=<redis.git> archive 7.0.15 tests runtest | tar -x -C external/redis-tests
set -u
cd "$(dirname "$0")/.."
suite=external/redis-tests
results=external/results
if [ ! -x "$suite/runtest" ]; then
  echo "No test suite in $suite: extract tag 7.0.15 of redis/redis there (see this script's header)." >&2
  exit 1
fi
mkdir -p "$results"
server_cmd=${SERVER_CMD:-node apps/server/dist/main.js}
port=${PORT_BASE:-21111}

for unit in "$@"; do
  port=$((port + 1))
  # A fresh data directory per unit: a unit must not load what the previous one saved.
  bash -c "exec $server_cmd --port $port --dir $(mktemp -d)" >"$results/server-$port.log" 2>&1 &
  server=$!
  for _ in $(seq 50); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.1; done
  log="$results/$(echo "$unit" | tr / _).log"
  (cd "$suite" && timeout 900 ./runtest --host 127.0.0.1 --port "$port" --baseport $((port + 2000)) --single "$unit" \
    --clients 1 --timeout 120 --durable --ignore-encoding --ignore-digest \
    --tags -needs:debug --tags -needs:repl --tags -needs:config-maxmemory \
    --tags -needs:config-resetstat --tags -needs:reset --tags -needs:save \
    --tags -needs:pfdebug --tags -needs:latency --tags -needs:local-process) >"$log" 2>&1
  kill "$server" 2>/dev/null
  wait "$server" 2>/dev/null
  plain=$(tr -d '\000' <"$log" | sed 's/\x1b\[[0-9;]*m//g')
  ok=$(grep -c '^\[ok\]' <<<"$plain")
  err=$(grep -cE '^\[(err|exception)\]' <<<"$plain")
  grep -q 'The End' <<<"$plain" || ending=' (did not finish: see log)'
  echo "$unit: $ok ok, $err err/exception${ending:-}"
  unset ending
done
exit 0
