// Invitations: once codes are made for the demo's open round, a resident who
// opens the letter's link answers with the code filled in; the same code cannot
// answer again (the page says so and keeps the answers), another letter's code
// typed by hand can. axe finds no violation on the page that asks for the code.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { AxeBuilder } from "@axe-core/playwright";
import { withTryggAndBrowser, openPage } from "./support.mjs";
import { openSurvey, surveyPath, answerRequired } from "./survey-steps.mjs";

let codes;

const running = withTryggAndBrowser(async ({ trygg }) => {
  const file = join(trygg.dir, "koder.csv");
  trygg.run(["invitations", "create", "--survey", openSurvey, "--count", "2", "--area", "bro", "--base-url", trygg.url, "--output", file]);
  codes = readFileSync(file, "utf8").trim().split("\n").slice(1).map((line) => line.split(","));
});

test("a code from the letter answers once, and another letter's code typed by hand answers too", async () => {
  const [[first, link], [second]] = codes;
  assert.equal(link, `${running.trygg.url.replace(/\/$/, "")}/${surveyPath()}?kod=${first}`);

  // The letter's link: the code is already there.
  const one = await openPage(running.browser, running.trygg.url, { viewport: { width: 1280, height: 900 } });
  one.page.setDefaultTimeout(10000);
  await one.page.goto(link);
  assert.equal(await one.page.getByLabel("Kod från inbjudningsbrevet").inputValue(), first);
  await answerRequired(one.page);
  await one.page.getByRole("button", { name: "Skicka svaren" }).click();
  await one.page.getByRole("heading", { name: "Tack för dina svar!" }).waitFor();

  // Someone types the same code: refused after sending, with the answers kept.
  const two = await openPage(running.browser, running.trygg.url, { viewport: { width: 1280, height: 900 } });
  two.page.setDefaultTimeout(10000);
  await two.page.goto(running.trygg.url + surveyPath());
  await two.page.getByRole("button", { name: "Börja" }).click();
  await two.page.getByText("Skriv koden från inbjudningsbrevet.").waitFor();
  assert.equal(await two.page.evaluate(() => document.activeElement.id), "invitation-code");
  await two.page.getByLabel("Kod från inbjudningsbrevet").fill(first.toLowerCase());
  await answerRequired(two.page);
  await two.page.getByRole("button", { name: "Skicka svaren" }).click();
  await two.page.getByText("Koden har redan använts för att svara.").waitFor();
  assert.equal(await two.page.evaluate(() => document.activeElement.id), "invitation-code");
  const axe = await new AxeBuilder({ page: two.page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  assert.deepEqual(axe.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`), []);

  // Another letter's code: the answers given before are still there.
  await two.page.getByLabel("Kod från inbjudningsbrevet").fill(second);
  await two.page.getByRole("button", { name: "Börja" }).click();
  assert.equal(await two.page.getByLabel("Kungsängen", { exact: true }).isChecked(), true);
  for (const part of ["Del 2 av 5", "Del 3 av 5", "Del 4 av 5", "Del 5 av 5"]) {
    await two.page.getByRole("button", { name: "Nästa" }).click();
    await two.page.getByText(part).waitFor();
  }
  await two.page.getByRole("button", { name: "Skicka svaren" }).click();
  await two.page.getByRole("heading", { name: "Tack för dina svar!" }).waitFor();

  const rates = running.trygg.run(["invitations", "rates", "--survey", openSurvey]);
  assert.match(rates, /^bro\t2\t2\t1\.000$/m);
  assert.equal(running.trygg.responses(openSurvey).length, 2);
  for (const { foreign, cspViolations, errors } of [one, two]) {
    assert.deepEqual(foreign, []);
    assert.deepEqual(cspViolations, []);
    assert.deepEqual(errors, []);
  }
});
