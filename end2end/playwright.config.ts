import { defineConfig } from "@playwright/test";
import * as os from "node:os";
import * as path from "node:path";

// Debian's Chromium, never a downloaded browser (downloads are not possible here).
const chromium = {
  executablePath: "/usr/bin/chromium",
  args: [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
  ],
};

const port = Number(process.env.E2E_PORT ?? 3100);
const baseURL = `http://127.0.0.1:${port}`;
// A fresh database per run, with the demo agency loaded.
const db = path.join(os.tmpdir(), `gapwise-e2e-${process.pid}-${Date.now()}.db`);

export default defineConfig({
  testDir: "./tests",
  timeout: 30_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [["list"]],
  use: { baseURL, launchOptions: chromium, trace: "off" },
  projects: [
    { name: "js", use: { javaScriptEnabled: true } },
    { name: "no-js", use: { javaScriptEnabled: false } },
  ],
  webServer: {
    command: "../target/debug/gapwise serve --demo",
    url: `${baseURL}/healthz`,
    timeout: 120_000,
    reuseExistingServer: false,
    stdout: "ignore",
    stderr: "pipe",
    env: {
      DATABASE_URL: `sqlite://${db}?mode=rwc`,
      // Every test signs in from this one address.
      GAPWISE_SIGN_IN_PER_MINUTE: "100000",
      GAPWISE_BIND: `127.0.0.1:${port}`,
      LEPTOS_SITE_ROOT: "../target/site",
      GAPWISE_DATA_DIR: path.join(os.tmpdir(), `gapwise-e2e-data-${process.pid}`),
      RUST_LOG: "warn",
    },
  },
});
