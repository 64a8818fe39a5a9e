// The exam-day burst, driven from its own process: every learner (a signed-in
// session from `gapwise bench-exam`) starts the same quiz at a random moment in
// the first START_WINDOW seconds, answers each question after 5–15 s of
// thought, and submits. Prints the error count and latency percentiles, and
// writes each receipt (`attempt position seq`) for `gapwise bench-exam-check`.
//
//   node bench-exam.mjs BASE_URL QUIZ_ID TOKENS_FILE RECEIPTS_FILE
//
// A request that fails to connect (the crash test kills the server) is retried
// every second until the server answers again; such retries are counted apart
// from errors. Asserts nothing.

import { readFileSync, writeFileSync } from "node:fs";

const [base, quizId, tokensFile, receiptsFile] = process.argv.slice(2);
const tokens = readFileSync(tokensFile, "utf8").split("\n").filter(Boolean);
const QUESTIONS = Number(process.env.BENCH_QUESTIONS ?? 20);
const START_WINDOW = Number(process.env.BENCH_START_WINDOW ?? 60);
const THINK_MIN = Number(process.env.BENCH_THINK_MIN ?? 5);
const THINK_MAX = Number(process.env.BENCH_THINK_MAX ?? 15);

const latencies = { start: [], save: [], submit: [] };
const errors = {};
let retries = 0;
let resumed = 0;
const receipts = [];
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function post(token, endpoint, form) {
  for (;;) {
    const t0 = performance.now();
    try {
      const res = await fetch(`${base}/api/${endpoint}`, {
        method: "POST",
        redirect: "manual",
        headers: {
          Origin: base,
          Accept: "application/json",
          Cookie: `gapwise_session=${token}`,
          "Content-Type": "application/x-www-form-urlencoded",
        },
        body: new URLSearchParams(form).toString(),
      });
      const body = await res.text();
      return { status: res.status, body, location: res.headers.get("location"), ms: performance.now() - t0 };
    } catch {
      // Not answered: the server is down (the crash test). Try again.
      retries++;
      await sleep(1000);
    }
  }
}

function fail(what, status) {
  const key = `${what} ${status}`;
  errors[key] = (errors[key] ?? 0) + 1;
}

async function start(token) {
  const r = await post(token, "attempts/start", { quiz_id: quizId });
  const id = r.location?.match(/\/attempts\/([0-9a-f-]{36})/)?.[1];
  if (r.status >= 400 || !id) {
    fail("start", r.status);
    return null;
  }
  latencies.start.push(r.ms);
  return id;
}

async function learner(token) {
  await sleep(Math.random() * START_WINDOW * 1000);
  let id = await start(token);
  if (!id) return;
  for (let position = 1; position <= QUESTIONS; position++) {
    await sleep((THINK_MIN + Math.random() * (THINK_MAX - THINK_MIN)) * 1000);
    const choice = String(Math.floor(Math.random() * 4));
    let r = await post(token, "attempts/save", { id, position: String(position), choice });
    if (r.status >= 400) {
      fail("save", r.status);
      continue;
    }
    latencies.save.push(r.ms);
    try {
      const seq = JSON.parse(r.body).seq;
      receipts.push(`${id} ${position} ${seq}`);
    } catch {
      fail("save", "no receipt");
    }
  }
  // Starting again resumes the same attempt (what a learner does after a crash).
  const again = await start(token);
  if (again === id) resumed++;
  const r = await post(token, "attempts/submit", { id, confirm: "yes" });
  if (r.status >= 400) fail("submit", r.status);
  else latencies.submit.push(r.ms);
}

function pct(xs, p) {
  if (xs.length === 0) return NaN;
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function line(name, xs) {
  const f = (x) => x.toFixed(1);
  return `${name}: ${xs.length} ok; p50 ${f(pct(xs, 50))} ms, p95 ${f(pct(xs, 95))} ms, p99 ${f(pct(xs, 99))} ms, max ${f(Math.max(...xs))} ms`;
}

const began = performance.now();
await Promise.all(tokens.map((t) => learner(t)));
const seconds = (performance.now() - began) / 1000;
writeFileSync(receiptsFile, receipts.join("\n") + "\n");
const errorCount = Object.values(errors).reduce((a, b) => a + b, 0);
console.log(`learners ${tokens.length}, ${QUESTIONS} questions each, starts within ${START_WINDOW} s, think ${THINK_MIN}–${THINK_MAX} s; ${seconds.toFixed(0)} s in all`);
console.log(line("start ", latencies.start));
console.log(line("save  ", latencies.save));
console.log(line("submit", latencies.submit));
console.log(`receipts ${receipts.length}; errors ${errorCount} ${JSON.stringify(errors)}; connection retries ${retries}; resumed after answering ${resumed}`);
