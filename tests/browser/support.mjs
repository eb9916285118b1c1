// Starts the real `trygg` binary on a fresh SQLite file with the demo, and a
// headless Debian Chromium; records every request that leaves the server.
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { before, after } from "node:test";
import { chromium } from "playwright-core";
import { AxeBuilder } from "@axe-core/playwright";

const root = new URL("../../", import.meta.url).pathname;
const binary = process.env.TRYGG_BIN ?? join(root, "target/debug/trygg");

// `dir` and `bind` let a test stop Trygg and start it again on the same
// database and port, as a server restart looks to a phone.
export async function startTrygg({ dir = mkdtempSync(join(tmpdir(), "trygg-browser-")), bind = "127.0.0.1:0" } = {}) {
  const env = { ...process.env, TRYGG__DATABASE__URL: `sqlite://${dir}/trygg.db?mode=rwc`, RUST_LOG: "warn" };
  const child = spawn(binary, ["serve", "--demo", "--bind", bind], {
    cwd: dir,
    env,
    stdio: ["ignore", "pipe", "inherit"],
  });
  const exited = new Promise((resolve) => child.on("exit", resolve));
  const url = await new Promise((resolve, reject) => {
    let seen = "";
    child.stdout.on("data", (chunk) => {
      seen += chunk;
      const match = seen.match(/http:\/\/[^\s]+/);
      if (match) resolve(match[0]);
    });
    child.on("exit", (code) => reject(new Error(`trygg exited with ${code} before printing its URL`)));
  });
  return {
    url,
    dir,
    bind: new URL(url).host,
    // Resolves once the process has gone, so the port is free again.
    stop: () => {
      child.kill("SIGTERM");
      return exited;
    },
    // Runs a `trygg` command on the same database, as an analyst would.
    run: (args) => execFileSync(binary, args, { cwd: dir, env, encoding: "utf8" }),
    // The responses of a survey as the analyst exports them, one object each.
    responses: (survey) =>
      execFileSync(binary, ["export", "responses", "--survey", survey, "--format", "jsonl"], { cwd: dir, env, encoding: "utf8" })
        .split("\n")
        .filter(Boolean)
        .map((line) => JSON.parse(line)),
  };
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

// Starts Trygg and a browser before a test file's tests and stops both after
// them. The object returned holds them, once started, as `trygg` and `browser`
// (a test may replace `trygg`, e.g. to restart the server); `setup`, when given,
// runs once with both, to arrange what the file's tests need.
export function withTryggAndBrowser(setup) {
  const running = {};
  before(async () => {
    running.trygg = await startTrygg();
    running.browser = await startBrowser();
    await setup?.(running);
  });
  after(async () => {
    await running.browser?.close();
    await running.trygg?.stop();
  });
  return running;
}

// Opens a page that records requests to any host other than Trygg's own;
// `contextOptions` set e.g. a phone's viewport and touch.
export async function openPage(browser, baseUrl, contextOptions = {}) {
  const context = await browser.newContext(contextOptions);
  const page = await context.newPage();
  const foreign = [];
  const cspViolations = [];
  const errors = [];
  page.on("pageerror", (error) => errors.push(error.message));
  page.on("request", (request) => {
    const url = request.url();
    if (!url.startsWith(baseUrl) && !url.startsWith("data:")) foreign.push(url);
  });
  page.on("console", (message) => {
    if (message.text().includes("Content Security Policy")) cspViolations.push(message.text());
  });
  return { page, foreign, cspViolations, errors, context };
}

// axe's WCAG 2.1 A and AA violations on the page, one line each, named after `view`.
export async function violations(page, view) {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  return results.violations.map((v) => `${view}: ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`);
}
