#!/usr/bin/env bash
# `make bench`, second part: the unit heatmap, the organisation priorities, the
# before/after report (adding a follow-up wave) and the assignment engine (200 courses; proposals, and closing a survey) over a
# synthetic office of 10,000 staff x 30 competencies x 3 raters (about 900,000
# ratings), on SQLite and, when reachable, on Postgres. Prints timings; asserts none.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

PEOPLE=${BENCH_PEOPLE:-10000}
COMPETENCIES=${BENCH_COMPETENCIES:-30}
PG=${TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}

# The same build as `cargo leptos build --release` (`make bench` builds once and
# skips this): a plain `cargo build --release` differs in environment and features
# and would rebuild the whole app crate.
if [ -z "${BENCH_SKIP_BUILD:-}" ]; then
  echo "== building release"
  cargo leptos build --release 2>&1 | grep -E "Finished|error" || true
fi
bin=./target/release/gapwise

dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

echo "== SQLite: $PEOPLE staff x $COMPETENCIES competencies"
export RUST_LOG=warn
DATABASE_URL="sqlite://$dir/gaps.db?mode=rwc" $bin bench-data --people "$PEOPLE" --competencies "$COMPETENCIES"
DATABASE_URL="sqlite://$dir/gaps.db?mode=rwc" $bin bench-gaps --runs 10
DATABASE_URL="sqlite://$dir/gaps.db?mode=rwc" $bin bench-proposals --runs 3
DATABASE_URL="sqlite://$dir/gaps.db?mode=rwc" $bin bench-before-after --runs 5

if psql "$PG" -qAtc 'select 1' >/dev/null 2>&1; then
  name="gapwise_bench_$$"
  base=${PG%/*}
  psql "$PG" -qc "CREATE DATABASE $name" >/dev/null
  trap 'psql "$PG" -qc "DROP DATABASE IF EXISTS $name" >/dev/null 2>&1; rm -rf "$dir"' EXIT
  echo "== Postgres: $PEOPLE staff x $COMPETENCIES competencies"
  DATABASE_URL="$base/$name" $bin bench-data --people "$PEOPLE" --competencies "$COMPETENCIES"
  DATABASE_URL="$base/$name" $bin bench-gaps --runs 10
  DATABASE_URL="$base/$name" $bin bench-proposals --runs 3
  DATABASE_URL="$base/$name" $bin bench-before-after --runs 5
else
  echo "== Postgres not reachable at $PG: skipped"
fi
