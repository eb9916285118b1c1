// Händelser (EST): a rapportör reports on a phone by touch, also without
// network (the reports wait on the phone and are sent once when it is online
// again), sees only their own organisation's reports; the coordinator reads
// the demo's week, where Brunna has far more than a year ago; axe-core finds
// no WCAG 2.1 A/AA violation on the page in Swedish or English.
import { test } from "node:test";
import assert from "node:assert/strict";
import { ANALYST, openSignIn, signIn } from "./authoring-steps.mjs";
import { withTryggAndBrowser, openPage, violations } from "./support.mjs";

// The demo's rapportör (crates/trygg-cli/src/demo/staff.rs), of Bostadsbolaget (demo).
const REPORTER = { email: "rapportor@trygg.example", password: "demo-rapportor-trygg" };
const POLICE = { email: "polis@trygg.example", password: "demo-polis-trygg" };
const PHONE = { viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true, deviceScaleFactor: 2 };

const running = withTryggAndBrowser();

const eventsApi = (page) => page.evaluate(async () => (await (await fetch("/api/v1/admin/events")).json()).events);

test("a rapportör reports on a phone, offline too, and each report is stored once", async () => {
  const { page, context, foreign, cspViolations, errors } = await openPage(running.browser, running.trygg.url, PHONE);
  page.setDefaultTimeout(10000);
  await signIn(page, running.trygg.url, REPORTER);
  await page.getByRole("link", { name: "Händelser" }).tap();
  await page.getByRole("heading", { name: "Händelser (EST)", level: 1 }).waitFor();
  const before = (await eventsApi(page)).length;
  // Only the report form and the own organisation's list: no week for a rapportör.
  assert.equal(await page.getByRole("heading", { name: "Veckans lägesbild" }).count(), 0);

  // Nothing said about where: refused in Swedish, the field named, nothing sent.
  const form = page.getByRole("form", { name: "Rapportera en händelse" });
  await form.getByRole("button", { name: "Skicka rapporten" }).tap();
  await form.getByRole("alert").getByText("Ange var det hände: skriv platsen i ord eller ange en position.").waitFor();

  await form.getByLabel("Vad hände").selectOption("klotter");
  await form.getByLabel("Plats i ord").fill("Gångtunneln vid Bro centrum");
  await form.getByLabel("Vad du såg").fill("Nytt klotter på norra väggen.");
  await form.getByRole("button", { name: "Skicka rapporten" }).tap();
  await page.locator("#events-status").getByText("Rapporten är skickad.").waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), true);

  // Offline: two reports wait on the phone.
  await context.setOffline(true);
  for (const place of ["Bro station, cykelparkeringen", "Kungsängens centrum, torget"]) {
    await form.getByLabel("Vad hände").selectOption("skadegorelse");
    await form.getByLabel("Plats i ord").fill(place);
    await form.getByRole("button", { name: "Skicka rapporten" }).tap();
    // Chromium may take some seconds to fail a request on an open connection.
    await page.locator("#events-status").getByText(/Det finns inget nät just nu/).waitFor({ timeout: 30000 });
  }
  await page.locator("#events-outbox").getByText("2 rapporter väntar på att skickas.").waitFor();
  // Online again: both are sent, once each, and nothing waits.
  await context.setOffline(false);
  await page.waitForFunction(() => document.querySelector("#events-outbox").textContent === "", null, { timeout: 30000 });
  const after = await eventsApi(page);
  assert.equal(after.length, before + 3);
  for (const place of ["Gångtunneln vid Bro centrum", "Bro station, cykelparkeringen", "Kungsängens centrum, torget"]) {
    assert.equal(after.filter((e) => e.place === place).length, 1, place);
  }
  await page.getByRole("heading", { name: /Skadegörelse/, level: 3 }).first().waitFor();
  assert.deepEqual(foreign, []);
  assert.deepEqual(cspViolations, []);
  assert.deepEqual(errors, []);

  // The police partner reports for no organisation: the demo's reports are not theirs to see.
  const police = await openPage(running.browser, running.trygg.url, PHONE);
  await signIn(police.page, running.trygg.url, POLICE);
  const seen = await eventsApi(police.page);
  assert.equal(seen.filter((e) => e.place === "Gångtunneln vid Bro centrum").length, 0);
});

test("the coordinator reads the week, where Brunna has far more reports than a year ago", async () => {
  const { page, errors } = await openPage(running.browser, running.trygg.url, { viewport: { width: 1280, height: 900 } });
  page.setDefaultTimeout(10000);
  await signIn(page, running.trygg.url, ANALYST);
  await page.goto(`${running.trygg.url}admin/handelser`);
  await page.getByRole("heading", { name: "Veckans lägesbild" }).waitFor();
  const brunna = page.locator("#event-week-result tr", { has: page.getByRole("rowheader", { name: "Brunna" }) });
  await brunna.waitFor();
  assert.match(await brunna.locator("td").nth(3).textContent(), /fler än vanligt/);
  assert.deepEqual(errors, []);
});

for (const lang of ["sv", "en"]) {
  test(`axe finds no violation on the events page in ${lang}, for a rapportör on a phone and the coordinator`, async () => {
    const found = [];
    for (const [who, account, options] of [["reporter", REPORTER, PHONE], ["coordinator", ANALYST, { viewport: { width: 1280, height: 900 } }]]) {
      const { page, errors } = await openPage(running.browser, running.trygg.url, options);
      page.setDefaultTimeout(10000);
      await openSignIn(page, running.trygg.url, lang);
      await page.locator("#email").fill(account.email);
      await page.locator("#password").fill(account.password);
      await page.locator("#password").press("Enter");
      await page.locator("nav ul").waitFor();
      await page.goto(`${running.trygg.url}admin/handelser`);
      await page.locator("main h1").waitFor();
      await page.locator("main ol.cards, main h2#events-list + div p").first().waitFor();
      found.push(...(await violations(page, `${who} events`)));
      // With the form's errors shown.
      await page.locator("main form button[type=submit]").first().click();
      await page.locator("main .error-summary").waitFor();
      found.push(...(await violations(page, `${who} events with errors`)));
      assert.deepEqual(errors, []);
    }
    assert.deepEqual(found, []);
  });
}
