#!/usr/bin/env bash
# `make bench`: a release build on a fresh SQLite database with the demo agency,
# driven by oha from a separate process on loopback. Prints the figures; asserts none.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PWD/end2end/node_modules/.bin:$PATH"

PORT=${BENCH_PORT:-3300}
BASE="http://127.0.0.1:$PORT"
DURATION=${BENCH_SECONDS:-15}
command -v oha >/dev/null || cargo install oha --locked
command -v jq >/dev/null || { apt-get install -y -qq jq >/dev/null 2>&1 || { echo "bench needs jq"; exit 1; }; }

if [ -z "${BENCH_SKIP_BUILD:-}" ]; then
  echo "== building release (server + size-optimised wasm)"
  cargo leptos build --release 2>&1 | grep -E "Finished|error" || true
fi

wasm=target/site/pkg/gapwise.wasm
raw=$(stat -c %s "$wasm")
br=$(node -e "const z=require('zlib'),f=require('fs');console.log(z.brotliCompressSync(f.readFileSync('$wasm'),{params:{[z.constants.BROTLI_PARAM_QUALITY]:11}}).length)")
printf "wasm: %d bytes raw, %d bytes brotli (%.0f KB)\n" "$raw" "$br" "$(echo "$br/1024" | bc -l)"

db=$(mktemp -d)/bench.db
# The storm signs in 1,000 times from this one address: lift the per-address limit.
DATABASE_URL="sqlite://$db?mode=rwc" GAPWISE_BIND="127.0.0.1:$PORT" GAPWISE_SIGN_IN_PER_MINUTE=1000000 \
  LEPTOS_SITE_ROOT=target/site RUST_LOG=warn \
  ./target/release/gapwise serve --demo >/dev/null 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$(dirname "$db")"' EXIT
for _ in $(seq 1 100); do curl -fs "$BASE/healthz" >/dev/null && break; sleep 0.2; done

cookie=$(curl -s -D - -o /dev/null -X POST "$BASE/api/auth/login" -H "Origin: $BASE" \
  --data 'employee_no=M0001&password=gapwise-demo' | awk -F'[: ;]+' 'tolower($1)=="set-cookie" {print $2; exit}')

# oha's JSON summary -> "rps p50 p95 p99 errors" (latencies in ms).
summary() {
  jq -r '[.summary.requestsPerSec,
          (.latencyPercentiles.p50*1000), (.latencyPercentiles.p95*1000), (.latencyPercentiles.p99*1000),
          ([.statusCodeDistribution | to_entries[] | select(.key|test("^2|^3")|not) | .value] | add // 0),
          ((.errorDistribution // {}) | to_entries | map(select(.key|test("deadline")|not)) | map(.value) | add // 0)]
         | "\(.[0]|floor) req/s  p50 \(.[1]*100|round/100) ms  p95 \(.[2]*100|round/100) ms  p99 \(.[3]*100|round/100) ms  non-2xx/3xx \(.[4])  errors \(.[5]) (requests cut off at the end of the run not counted)"'
}

run() { oha --no-tui --output-format json "$@" 2>/dev/null; }

echo "== login page, 64 connections, ${DURATION}s"
run -z "${DURATION}s" -c 64 "$BASE/login" | summary
echo "== dashboard (signed in as a manager), 64 connections, ${DURATION}s"
run -z "${DURATION}s" -c 64 -H "Cookie: $cookie" -H "Accept: text/html" "$BASE/" | summary

# My learning for someone with 50 assignments at every stage (issue 13's target:
# p99 under 50 ms at 32 connections).
DATABASE_URL="sqlite://$db?mode=rwc" RUST_LOG=warn ./target/release/gapwise bench-learner --assignments 50
learner=$(curl -s -D - -o /dev/null -X POST "$BASE/api/auth/login" -H "Origin: $BASE" \
  --data 'employee_no=L0050&password=gapwise-demo' | awk -F'[: ;]+' 'tolower($1)=="set-cookie" {print $2; exit}')
# A redirect to the sign-in page would time the wrong page: check it lists them.
listed=$(curl -s -H "Cookie: $learner" -H "Accept: text/html" "$BASE/learning" | grep -o '窗口业务专题 [0-9]*' | sort -u | wc -l)
echo "My learning lists $listed of the learner's 50 courses"
echo "== My learning (50 assignments), 32 connections, ${DURATION}s"
run -z "${DURATION}s" -c 32 -H "Cookie: $learner" -H "Accept: text/html" "$BASE/learning" | summary

echo "== dashboard at 100 req/s, idle baseline, 20s"
run -z 20s -c 8 -q 100 -H "Cookie: $cookie" -H "Accept: text/html" "$BASE/" | summary

echo "== login storm: 1,000 sign-ins over 60s, with the dashboard at 100 req/s alongside"
run -z 60s -c 8 -q 100 -H "Cookie: $cookie" -H "Accept: text/html" "$BASE/" > /tmp/gapwise-bench-during.json &
during=$!
run -n 1000 -q 16.7 -c 32 -m POST -H "Origin: $BASE" -H "Accept: application/json" \
  -H "Content-Type: application/x-www-form-urlencoded" -d 'employee_no=S0001&password=gapwise-demo' \
  "$BASE/api/auth/login" > /tmp/gapwise-bench-storm.json
wait $during
printf "sign-ins:  "; summary < /tmp/gapwise-bench-storm.json
printf "           status codes: %s\n" "$(jq -c .statusCodeDistribution /tmp/gapwise-bench-storm.json)"
printf "dashboard: "; summary < /tmp/gapwise-bench-during.json
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -sr)"
