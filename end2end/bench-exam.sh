#!/usr/bin/env bash
# `make bench`, third part: the exam-day burst. BENCH_LEARNERS learners (2,000),
# signed in beforehand, start one 20-question quiz within 60 s, answer each
# question after 5–15 s and submit, against the release server on SQLite and,
# when reachable, on Postgres. Then the crash test on SQLite: the same load, the
# server killed with SIGKILL two minutes in and started again. After each run
# every receipted answer is looked up in the database. Prints; asserts nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

LEARNERS=${BENCH_LEARNERS:-2000}
PORT=${BENCH_PORT:-3400}
BASE="http://127.0.0.1:$PORT"
PG=${TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}
CRASH_AFTER=${BENCH_CRASH_AFTER:-120}
bin=./target/release/gapwise

if [ -z "${BENCH_SKIP_BUILD:-}" ]; then
  echo "== building release"
  cargo leptos build --release 2>&1 | grep -E "Finished|error" || true
fi

dir=$(mktemp -d)
server=""
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null || true
  [ -n "${pgname:-}" ] && psql "$PG" -qc "DROP DATABASE IF EXISTS $pgname" >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap cleanup EXIT

serve() {
  DATABASE_URL="$1" GAPWISE_BIND="127.0.0.1:$PORT" LEPTOS_SITE_ROOT=target/site RUST_LOG=warn \
    $bin serve >>"$dir/server.log" 2>&1 &
  server=$!
  for _ in $(seq 1 150); do curl -fs "$BASE/healthz" >/dev/null && return; sleep 0.2; done
  echo "server did not start"; tail -20 "$dir/server.log"; exit 1
}

# $1 database URL, $2 label, $3 "crash" for the crash test
exam() {
  local url=$1 label=$2 crash=${3:-}
  echo "== exam burst, $label: $LEARNERS learners${crash:+, killed with SIGKILL after ${CRASH_AFTER} s and restarted}"
  local quiz
  quiz=$(DATABASE_URL="$url" RUST_LOG=warn $bin bench-exam --learners "$LEARNERS" --out "$dir/tokens" | tail -1)
  serve "$url"
  node end2end/bench-exam.mjs "$BASE" "$quiz" "$dir/tokens" "$dir/receipts" &
  local driver=$!
  if [ -n "$crash" ]; then
    sleep "$CRASH_AFTER"
    kill -9 "$server"
    wait "$server" 2>/dev/null || true
    echo "   killed the server at ${CRASH_AFTER} s; starting it again"
    serve "$url"
  fi
  wait $driver
  kill "$server"; wait "$server" 2>/dev/null || true; server=""
  DATABASE_URL="$url" RUST_LOG=warn $bin bench-exam-check --quiz "$quiz" --receipts "$dir/receipts"
}

exam "sqlite://$dir/exam.db?mode=rwc" "SQLite"
if psql "$PG" -qAtc 'select 1' >/dev/null 2>&1; then
  pgname="gapwise_exam_$$"
  psql "$PG" -qc "CREATE DATABASE $pgname" >/dev/null
  exam "${PG%/*}/$pgname" "Postgres"
else
  echo "== Postgres not reachable at $PG: skipped"
fi
exam "sqlite://$dir/crash.db?mode=rwc" "SQLite" crash
