#!/usr/bin/env bash
# Runs files of the official Redis 7.0.15 test suite in spawn mode: the suite starts its own
# servers from src/redis-server, which is rc's daemon (a launcher that execs it, same pid) or, for
# the control column, Debian's redis-server. Debian's redis-cli, redis-benchmark,
# redis-check-aof and redis-check-rdb sit beside it. Each file runs alone
# (`./runtest --single <file> --clients 1`); a file passes only when the harness printed
# "All tests passed" with no [err], [exception] or timeout.
#
#   scripts/redis-suite.sh unit/type/incr integration/rdb     # rc, then redis-server
#   scripts/redis-suite.sh --servers rc unit/acl              # rc only
#   scripts/redis-suite.sh --all                              # every unit and integration file
#   scripts/redis-suite.sh cluster/02-failover                # a file of tests/cluster
#   scripts/redis-suite.sh --all-cluster                      # every file of tests/cluster
#   scripts/redis-suite.sh --check unit/info integration/rdb  # exit 1 unless rc passes every
#                                                             # file redis-server passes
#   scripts/redis-suite.sh --expect scripts/suite-passing.txt ...  # exit 1 if rc fails a file
#                                                             # listed there (CI's gate)
#   scripts/redis-suite.sh sentinel/00-base sentinel/05-manual  # units of ./runtest-sentinel
#   scripts/redis-suite.sh --sentinel                         # every unit of tests/sentinel
#
# Sentinel units (tests/sentinel/tests/<unit>.tcl, run by `./runtest-sentinel --single <unit>`)
# spawn five monitored servers from src/redis-server (rc, or redis-server for the control) and five
# sentinels from src/redis-sentinel, which is always Debian's redis-sentinel (apt-get install
# redis-sentinel). Their port ranges, fixed at 20000 and 30000 in tests/instances.tcl, start at
# BASEPORT and BASEPORT+500 in the per-server tree instead. A unit passes when the harness printed
# "GOOD! No errors."; ok counts its tests that printed OK, err those that printed FAILED.
#
# SUITE_TLS=1 runs the files in TLS mode (`./runtest --tls`: servers listen on tls-port only and
# replicate over TLS); the suite's certificates are made once by its utils/gen-test-certs.sh
# into the git-ignored tree (needs openssl and Tcl's tls package: apt-get install tcl-tls).
#
# Files named cluster/<name> are tests/cluster/tests/<name>.tcl, run by the cluster harness
# (tests/cluster/run.tcl, what ./runtest-cluster starts) with `--single <name>`: it spawns 20
# servers from the same src/redis-server and passes when it prints "GOOD! No errors.".
#
# FILE_TIMEOUT (seconds, default 1800) bounds a whole file; TEST_TIMEOUT (default 300) is the
# harness's own limit for a test that makes no progress.
#
# Output: one line per file and server as it finishes, then a Markdown table (also written to
# external/results/summary.md); logs in external/results/<server>/<file>.log.
#
# The suite is never committed. It is extracted once into the git-ignored external/redis-tests/
# from a clone of redis/redis (REDIS_GIT=<path to its .git>, `git archive 7.0.15`) or else from
# Debian's source package of redis 7.0.15 (`apt-get source`, which needs a deb-src line; this
# script adds one for bookworm when it runs as root).
set -u
cd "$(dirname "$0")/.."
repo=$(pwd)
suite=external/redis-tests
results=${RESULTS:-external/results}
servers="rc redis"
check=0
file_timeout=${FILE_TIMEOUT:-1800}
files=()

while [ $# -gt 0 ]; do
  case "$1" in
    --servers) servers=$2; shift 2 ;;
    --check) check=1; shift ;;
    --expect) expect=$2; shift 2 ;;
    --all) all=1; shift ;;
    --sentinel) all_sentinel=1; shift ;;
    --all-cluster) all_cluster=1; shift ;;
    *) files+=("$1"); shift ;;
  esac
done

extract_suite() {
  [ -x "$suite/base/runtest" ] && return 0
  rm -rf "$suite/base" && mkdir -p "$suite/base"
  if [ -n "${REDIS_GIT:-}" ]; then
    git --git-dir="$REDIS_GIT" archive 7.0.15 tests runtest runtest-sentinel utils/gen-test-certs.sh |
      tar -x -C "$suite/base"
  else
    local sources=/etc/apt/sources.list.d/rc-debian-src.sources
    if [ ! -f "$sources" ] && [ "$(id -u)" = 0 ]; then
      printf 'Types: deb-src\nURIs: http://deb.debian.org/debian\nSuites: bookworm\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' >"$sources"
      apt-get update -qq >/dev/null 2>&1
    fi
    local download
    download=$(mktemp -d)
    (cd "$download" && apt-get source --download-only -qq redis >/dev/null 2>&1)
    local tarball
    tarball=$(ls "$download"/redis_7.0.15.orig.tar.gz 2>/dev/null)
    if [ -z "$tarball" ]; then
      echo "Could not get Redis 7.0.15's sources: set REDIS_GIT or add a deb-src line." >&2
      return 1
    fi
    tar -xzf "$tarball" -C "$suite/base" --strip-components=1 redis-7.0.15/tests redis-7.0.15/runtest \
      redis-7.0.15/runtest-sentinel redis-7.0.15/utils/gen-test-certs.sh
    rm -rf "$download"
  fi
  [ -x "$suite/base/runtest" ]
}

# The suite's CA and certificates, made once (never committed: the tree is git-ignored).
make_certs() {
  [ -f "$suite/base/tests/tls/redis.dh" ] && return 0
  (cd "$suite/base" && bash utils/gen-test-certs.sh >/dev/null 2>&1)
  [ -f "$suite/base/tests/tls/redis.dh" ]
}

# A tree per server, so that each has its own src/ and tests/tmp.
prepare_tree() {
  local server=$1 tree=$suite/$1
  rm -rf "$tree" && mkdir -p "$tree/src"
  cp -r "$suite/base/tests" "$suite/base/runtest" "$suite/base/runtest-sentinel" "$tree/"
  for tool in redis-cli redis-benchmark redis-check-aof redis-check-rdb; do
    ln -sf "$(command -v "$tool")" "$tree/src/$tool"
  done
  if [ "$server" = rc ]; then
    printf '#!/bin/sh\nexec node "%s/apps/server/dist/main.js" "$@"\n' "$repo" >"$tree/src/redis-server"
    chmod +x "$tree/src/redis-server"
  else
    ln -sf "$(command -v redis-server)" "$tree/src/redis-server"
  fi
  if [ -n "${sentinel_units:-}" ]; then
    ln -sf "$(command -v redis-sentinel)" "$tree/src/redis-sentinel"
    sed -i -e "s/^set ::sentinel_base_port .*/set ::sentinel_base_port $port/" \
      -e "s/^set ::redis_base_port .*/set ::redis_base_port $((port + 500))/" \
      -e "s/^set ::redis_port_count .*/set ::redis_port_count 500/" "$tree/tests/instances.tcl"
  fi
}

# Servers a file left behind (a test that stopped one with SIGSTOP and then failed) would hold
# ports the next files expect free: every process still working in the tree is killed.
reap_servers() {
  local tree
  tree=$(cd "$1" && pwd)
  for proc in /proc/[0-9]*; do
    case "$(readlink "$proc/cwd" 2>/dev/null)" in
      "$tree" | "$tree"/*) kill -9 "${proc#/proc/}" 2>/dev/null ;;
    esac
  done
}

extract_suite || exit 1
tls_flag=()
if [ "${SUITE_TLS:-0}" = 1 ]; then
  # A suite extracted before TLS support lacks the script: extract it again.
  [ -f "$suite/base/utils/gen-test-certs.sh" ] || { rm -rf "$suite/base" && extract_suite; } || exit 1
  make_certs || { echo "Could not make the suite's TLS certificates (needs openssl)." >&2; exit 1; }
  tls_flag=(--tls)
fi
if [ "${all:-0}" = 1 ]; then
  for path in "$suite"/base/tests/unit/*.tcl "$suite"/base/tests/unit/type/*.tcl "$suite"/base/tests/integration/*.tcl; do
    file=${path#"$suite"/base/tests/}
    files+=("${file%.tcl}")
  done
fi
if [ "${all_sentinel:-0}" = 1 ]; then
  for path in "$suite"/base/tests/sentinel/tests/*.tcl; do
    file=${path##*/}
    files+=("sentinel/${file%.tcl}")
  done
fi
if [ "${all_cluster:-0}" = 1 ]; then
  for path in "$suite"/base/tests/cluster/tests/*.tcl; do
    file=${path##*/}
    files+=("cluster/${file%.tcl}")
  done
fi
if [ ${#files[@]} -eq 0 ]; then
  echo "Usage: scripts/redis-suite.sh [--servers 'rc redis'] [--check] [--all] [--sentinel] <file>..." >&2
  exit 2
fi
if ! command -v tclsh >/dev/null || ! command -v redis-server >/dev/null; then
  echo "Needs tclsh and redis-server/redis-tools (apt-get install tcl redis-server redis-tools)." >&2
  exit 1
fi
for file in "${files[@]}"; do [[ "$file" == sentinel/* ]] && sentinel_units=1; done
if [ -n "${sentinel_units:-}" ]; then
  # A suite extracted before the Sentinel mode lacks its runner: extract it again.
  [ -f "$suite/base/runtest-sentinel" ] || { rm -rf "$suite/base" && extract_suite; } || exit 1
  if ! command -v redis-sentinel >/dev/null; then
    echo "Sentinel units need Debian's redis-sentinel (apt-get install redis-sentinel)." >&2
    exit 1
  fi
fi
port=${BASEPORT:-21111}
for server in $servers; do prepare_tree "$server"; done

declare -A row
summary=$results/summary.md
mkdir -p "$results"
for file in "${files[@]}"; do
  for server in $servers; do
    mkdir -p "$results/$server"
    log="$results/$server/$(echo "$file" | tr / _).log"
    case "$file" in
      sentinel/*)
        (cd "$suite/$server" && rm -rf tests/sentinel/tmp/sentinel_* tests/sentinel/tmp/redis_* &&
          timeout -k 10 "$file_timeout" ./runtest-sentinel --single "${file#sentinel/}" "${tls_flag[@]}") >"$log" 2>&1
        ;;
      cluster/*)
        (cd "$suite/$server" && rm -rf tests/cluster/tmp/* &&
          timeout -k 10 "$file_timeout" tclsh tests/cluster/run.tcl --single "${file#cluster/}" "${tls_flag[@]}") >"$log" 2>&1
        ;;
      *)
        (cd "$suite/$server" && rm -rf tests/tmp/* &&
          timeout -k 10 "$file_timeout" ./runtest --single "$file" --clients 1 --baseport "$port" "${tls_flag[@]}" \
            --timeout "${TEST_TIMEOUT:-300}" --dump-logs) >"$log" 2>&1
        ;;
    esac
    code=$?
    reap_servers "$suite/$server"
    plain=$(tr -d '\000' <"$log" | sed 's/\x1b\[[0-9;]*m//g')
    if [[ "$file" == sentinel/* || "$file" == cluster/* ]]; then
      # The instance harness (tests/instances.tcl) prints "<time>> <test>: OK" or FAILED per test.
      ok=$(grep -c '^[0-9:]*> .*: OK$' <<<"$plain")
      exception=$(grep -c 'FAILED: caught an error' <<<"$plain")
      err=$(grep '^[0-9:]*> .*: FAILED: ' <<<"$plain" | grep -vc 'caught an error')
      passed=$(grep -c 'GOOD! No errors\.' <<<"$plain")
    else
      ok=$(grep -c '^\[ok\]' <<<"$plain")
      err=$(grep -c '^\[err\]' <<<"$plain")
      exception=$(grep -c '^\[exception\]' <<<"$plain")
      passed=$(grep -c 'All tests passed' <<<"$plain")
    fi
    timeouts=$(grep -c '^\[TIMEOUT\]' <<<"$plain")
    [ "$code" = 124 ] || [ "$code" = 137 ] && timeouts=$((timeouts + 1))
    if [ "$passed" -gt 0 ] && [ $((err + exception + timeouts)) = 0 ]; then
      result=pass
    else
      result=FAIL
    fi
    row[$file,$server]="$ok | $err | $exception | $timeouts | $result"
    echo "$file [$server]: $ok ok, $err err, $exception exception, $timeouts timeout: $result"
  done
done

{
  printf '| file |'
  for server in $servers; do printf ' %s ok | err | exception | timeout | result |' "$server"; done
  printf '\n| --- |'
  for server in $servers; do printf ' --: | --: | --: | --: | --- |'; done
  printf '\n'
  for file in "${files[@]}"; do
    printf '| %s |' "$file"
    for server in $servers; do printf ' %s |' "${row[$file,$server]}"; done
    printf '\n'
  done
} >"$summary"
cat "$summary"

failed=0
for file in "${files[@]}"; do
  if [[ "${row[$file,rc]:-}" != *pass ]]; then
    if [ "$check" = 1 ] && [[ "${row[$file,redis]:-}" == *pass ]]; then
      echo "rc fails $file, which redis-server passes" >&2
      failed=1
    elif [ -n "${expect:-}" ] && grep -qx "$file" "$expect"; then
      echo "rc fails $file, listed in $expect as passing" >&2
      failed=1
    fi
  fi
done
exit "$failed"
