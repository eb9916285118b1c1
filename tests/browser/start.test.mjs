// The start page: shows the demo municipality, labelled synthetic, in Swedish
// and English, reachable by keyboard, with no third-party request and no axe violations.
import { test } from "node:test";
import assert from "node:assert/strict";
import { AxeBuilder } from "@axe-core/playwright";
import { withTryggAndBrowser, openPage } from "./support.mjs";

const running = withTryggAndBrowser();

test("the start page lists the three demo rounds and the open one and says the data is synthetic", async () => {
  const { page, foreign, cspViolations } = await openPage(running.browser, running.trygg.url);
  await page.goto(running.trygg.url);
  await page.locator(".synthetic").waitFor();
  assert.match(await page.locator(".synthetic").innerText(), /^Syntetiska demodata/);
  assert.equal(await page.locator("tbody tr").count(), 4);
  assert.match(await page.locator("h2").innerText(), /Upplands-Bro/);
  assert.equal(await page.getByRole("link", { name: /Trygghetsmätning 2026/ }).getAttribute("href"), "/s/trygghetsmatning-2026");
  assert.deepEqual(foreign, [], "no request may leave Trygg's own host");
  assert.deepEqual(cspViolations, []);
});

test("the language switch works by keyboard and the page speaks English afterwards", async () => {
  const { page } = await openPage(running.browser, running.trygg.url);
  await page.goto(running.trygg.url);
  await page.locator(".synthetic").waitFor();
  await page.keyboard.press("Tab");
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement?.id), "language");
  await page.keyboard.press("Enter");
  await page.getByText("Synthetic demo data: no answer").waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.lang), "en");
  assert.equal(await page.locator("h1").innerText(), "Safety in the municipality");
});

test("axe-core finds no WCAG 2.1 AA violations on the start page", async () => {
  const { page } = await openPage(running.browser, running.trygg.url);
  await page.goto(running.trygg.url);
  await page.locator(".synthetic").waitFor();
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  assert.deepEqual(results.violations.map((v) => `${v.id}: ${v.help}`), []);
});
