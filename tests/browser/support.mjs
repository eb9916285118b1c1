// Starts the real `trygg` binary on a fresh SQLite file with the demo, and a
// headless Debian Chromium; records every request that leaves the server.
import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";

const root = new URL("../../", import.meta.url).pathname;
const binary = process.env.TRYGG_BIN ?? join(root, "target/debug/trygg");

export async function startTrygg() {
  const dir = mkdtempSync(join(tmpdir(), "trygg-browser-"));
  const child = spawn(binary, ["serve", "--demo", "--bind", "127.0.0.1:0"], {
    cwd: dir,
    env: { ...process.env, TRYGG__DATABASE__URL: `sqlite://${dir}/trygg.db?mode=rwc`, RUST_LOG: "warn" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const url = await new Promise((resolve, reject) => {
    let seen = "";
    child.stdout.on("data", (chunk) => {
      seen += chunk;
      const match = seen.match(/http:\/\/[^\s]+/);
      if (match) resolve(match[0]);
    });
    child.on("exit", (code) => reject(new Error(`trygg exited with ${code} before printing its URL`)));
  });
  return { url, stop: () => child.kill("SIGTERM") };
}

// Playwright gives each launch a fresh, empty profile; the flags keep Chromium
// from calling home, which this machine's closed network would refuse.
export async function startBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: [
      "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ],
  });
}

// Opens a page that records requests to any host other than Trygg's own.
export async function openPage(browser, baseUrl) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const foreign = [];
  const cspViolations = [];
  page.on("request", (request) => {
    const url = request.url();
    if (!url.startsWith(baseUrl) && !url.startsWith("data:")) foreign.push(url);
  });
  page.on("console", (message) => {
    if (message.text().includes("Content Security Policy")) cspViolations.push(message.text());
  });
  return { page, foreign, cspViolations, context };
}
