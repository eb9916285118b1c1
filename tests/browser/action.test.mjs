// The follow-up staff pages: a police partner records progress on a
// medborgarlöfte on a phone by touch, a walk leader records a safety-walk
// finding and marks it fixed by keyboard alone, the public page
// /lofte/{municipality} then shows both, and axe-core finds no WCAG 2.1 A/AA
// violation on the new pages in Swedish or English.
import { test } from "node:test";
import assert from "node:assert/strict";
import { openSignIn, signIn } from "./authoring-steps.mjs";
import { withTryggAndBrowser, openPage, violations } from "./support.mjs";

// The demo's accounts (crates/trygg-cli/src/demo/staff.rs).
const ADMIN = { email: "admin@trygg.example", password: "demo-admin-trygg" };
const POLICE = { email: "polis@trygg.example", password: "demo-polis-trygg" };
const WALK_LEADER = { email: "analytiker@trygg.example", password: "demo-analytiker-trygg" };
const MUNICIPALITY = "upplands-bro-demo";
const PHONE = { viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true, deviceScaleFactor: 2 };

const running = withTryggAndBrowser();


// Presses Tab until the element with `id` has focus, at most `limit` times.
async function tabToId(page, id, limit = 80) {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press("Tab");
    if ((await page.evaluate(() => document.activeElement?.id)) === id) return;
  }
  assert.fail(`Tab never reached #${id}`);
}

// Presses Tab until the focused element's text is `text`, at most `limit` times.
async function tabToText(page, text, limit = 80) {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press("Tab");
    if ((await page.evaluate(() => document.activeElement?.textContent?.trim())) === text) return;
  }
  assert.fail(`Tab never reached "${text}"`);
}

const focusedId = (page) => page.evaluate(() => document.activeElement?.id);

test("a police partner records progress on a phone by touch and the public page shows it", async () => {
  const { page, foreign, cspViolations, errors } = await openPage(running.browser, running.trygg.url, PHONE);
  page.setDefaultTimeout(10000);
  await signIn(page, running.trygg.url, POLICE);
  await page.getByRole("link", { name: "Medborgarlöften" }).tap();
  await page.getByRole("heading", { name: "Medborgarlöften", level: 1 }).waitFor();
  // The first activity of the Bro promise stands at 7 of 8 in the demo.
  const activity = page.locator("li.activity", { has: page.getByRole("heading", { name: /^Gemensamma insatser med synlig närvaro/, level: 4 }) });
  assert.match(await activity.locator(".meta").first().textContent(), /^7 av 8 insatser/);
  // No page-wide sideways scrolling at 390 px.
  assert.equal(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), true);
  await activity.locator("summary").tap();
  const form = activity.getByRole("form");
  // An empty text is refused in Swedish, with the field named, before anything is sent.
  await form.getByRole("button", { name: "Spara framsteg" }).tap();
  await form.getByRole("alert").getByText("Skriv en kort text om vad som gjordes.").waitFor();
  await form.getByLabel("Kort offentlig text").fill("Kvällsinsats vid Bro station med polis och trygghetsvärdar.");
  await form.getByLabel("Intern anteckning (valfri)").fill("Två patruller, inga ingripanden.");
  await form.getByRole("button", { name: "Spara framsteg" }).tap();
  await page.getByRole("status").getByText(/Framsteget har sparats .*: nu 8 av 8\./).waitFor();
  const updated = page.locator("li.activity", { has: page.getByRole("heading", { name: /^Gemensamma insatser med synlig närvaro/, level: 4 }) });
  assert.match(await updated.locator(".meta").first().textContent(), /^8 av 8 insatser/);
  assert.equal(await updated.locator(".status").first().textContent(), "Klart");
  assert.equal(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), true);

  // The public page shows the update but never the internal note.
  await page.goto(`${running.trygg.url}lofte/${MUNICIPALITY}`);
  const promise = page.getByRole("article", { name: /Tryggare Bro centrum/ });
  await promise.getByText("Kvällsinsats vid Bro station med polis och trygghetsvärdar.", { exact: false }).waitFor();
  assert.equal(await page.getByText("Två patruller").count(), 0);
  assert.equal(await promise.locator("progress").first().getAttribute("value"), "8");
  assert.deepEqual(foreign, []);
  assert.deepEqual(cspViolations, []);
  assert.deepEqual(errors, []);
});

test("a walk leader records a finding and marks it fixed by keyboard alone, and the public page shows it", async () => {
  const { page, foreign, cspViolations, errors } = await openPage(running.browser, running.trygg.url, { viewport: { width: 1024, height: 900 } });
  page.setDefaultTimeout(10000);
  await page.goto(`${running.trygg.url}admin`);
  await page.locator("#email").waitFor();
  assert.equal(await focusedId(page), "email");
  await page.keyboard.type(WALK_LEADER.email);
  await page.keyboard.press("Tab");
  await page.keyboard.type(WALK_LEADER.password);
  await page.keyboard.press("Enter");
  await page.locator("nav ul").waitFor();
  await tabToText(page, "Trygghetsvandringar");
  await page.keyboard.press("Enter");
  await page.getByRole("heading", { name: "Trygghetsvandringar", level: 1 }).waitFor();
  await tabToText(page, "Trygghetsvandring i Bro centrum");
  await page.keyboard.press("Enter");
  await page.getByRole("heading", { name: "Trygghetsvandring i Bro centrum", level: 1 }).waitFor();
  await page.getByRole("heading", { name: "Registrera ett fynd" }).waitFor();
  const before = await page.locator("ol.cards > li").count();

  // The place from the list of named places, without the map.
  await tabToId(page, "finding-place");
  await page.keyboard.press("ArrowDown");
  const place = await page.evaluate(() => {
    const select = document.getElementById("finding-place");
    return select.options[select.selectedIndex].textContent;
  });
  assert.notEqual(await page.locator("#finding-place").inputValue(), "");
  await page.getByText(`Vald plats: ${place}.`).waitFor();
  assert.notEqual(await page.locator("#finding-lat").inputValue(), "");
  await tabToId(page, "finding-category");
  await page.keyboard.press("ArrowDown");
  assert.equal(await page.locator("#finding-category").inputValue(), "vegetation");
  await page.keyboard.press("Tab");
  assert.equal(await focusedId(page), "finding-note");
  await page.keyboard.type("Buskage skymmer gångvägen vid testplatsen");
  await page.keyboard.press("Tab");
  assert.equal(await focusedId(page), "finding-responsible");
  await page.keyboard.type("Gatu- och parkenheten");
  await page.keyboard.press("Enter");
  const status = page.getByRole("status").getByText(`Fynd ${before + 1} har sparats som rapporterat.`);
  await status.waitFor();
  // Focus moves to the message, so a screen reader hears it.
  assert.equal(await page.evaluate(() => document.activeElement.getAttribute("role")), "status");
  const card = page.getByRole("article", { name: `Fynd ${before + 1}: Buskage` });
  assert.equal(await card.locator(".status").textContent(), "Rapporterad");

  // Won't fix without a reason is refused; then fixed, by keyboard.
  await tabToText(page, `Ändra status – Fynd ${before + 1}`, 200);
  await page.keyboard.press("Enter");
  await page.keyboard.press("Tab");
  const select = await focusedId(page);
  assert.match(select, /-status$/);
  await page.keyboard.press("End");
  assert.equal(await page.locator(`#${select}`).inputValue(), "wont_fix");
  await tabToText(page, "Spara status", 5);
  await page.keyboard.press("Enter");
  await card.getByRole("alert").getByText("Skriv varför fyndet inte åtgärdas.").waitFor();
  await page.locator(`#${select}`).focus();
  await page.keyboard.press("Home");
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("ArrowDown");
  assert.equal(await page.locator(`#${select}`).inputValue(), "fixed");
  await tabToText(page, "Spara status", 5);
  await page.keyboard.press("Enter");
  await page.getByRole("status").getByText(`Fynd ${before + 1} har nu status Åtgärdad.`).waitFor();
  assert.equal(await card.locator(".status").textContent(), "Åtgärdad");

  await page.goto(`${running.trygg.url}lofte/${MUNICIPALITY}`);
  await page.getByRole("region", { name: "Ni sa, vi gjorde" }).getByText("Buskage skymmer gångvägen vid testplatsen", { exact: false }).waitFor();
  assert.deepEqual(foreign, []);
  assert.deepEqual(cspViolations, []);
  assert.deepEqual(errors, []);
});

test("a walk finding can be placed by tapping the map on a phone", async () => {
  const { page, errors } = await openPage(running.browser, running.trygg.url, PHONE);
  page.setDefaultTimeout(10000);
  await signIn(page, running.trygg.url, WALK_LEADER);
  await page.goto(`${running.trygg.url}admin/walks`);
  await page.getByRole("link", { name: "Trygghetsvandring i Bro centrum" }).tap();
  const map = page.locator("#finding-map.leaflet-container");
  await map.waitFor();
  await map.scrollIntoViewIfNeeded();
  const box = await map.boundingBox();
  await page.touchscreen.tap(box.x + box.width / 2, box.y + box.height / 2);
  await page.getByText(/^Vald plats: 59\.\d+, 17\.\d+\.$/).waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), true);
  assert.deepEqual(errors, []);
});

test("staff choose a focus area from the ranked candidates, with the evidence in the rationale", async () => {
  const { page, foreign, cspViolations, errors } = await openPage(running.browser, running.trygg.url, PHONE);
  page.setDefaultTimeout(15000);
  await signIn(page, running.trygg.url, POLICE);
  await page.goto(`${running.trygg.url}admin/focus`);
  await page.getByRole("heading", { name: "Välja fokusområden", level: 1 }).waitFor();
  await page.getByRole("heading", { name: "Så rangordnas områdena" }).waitFor();
  const rows = page.locator("main table").first().locator("tbody tr");
  await rows.first().waitFor();
  assert.equal(await rows.count(), 4);
  assert.equal(await rows.first().locator("th").evaluate((th) => th.firstChild.textContent), "Bro");
  // Sorted by name, then filtered to one area.
  await page.getByLabel("Sortera efter").selectOption("name");
  assert.equal(await rows.first().locator("th").evaluate((th) => th.firstChild.textContent), "Bro");
  assert.equal(await rows.nth(1).locator("th").evaluate((th) => th.firstChild.textContent), "Brunna");
  await page.getByLabel("Filtrera områden").fill("kungs");
  assert.equal(await rows.count(), 1);
  await page.getByRole("button", { name: "Välj Kungsängen som fokusområde" }).tap();
  const rationale = page.getByLabel("Motivering med hänvisning till underlaget");
  assert.match(await rationale.inputValue(), /^Underlag \(trygghetsmätning .*\): Kungsängen; .*markerade platser/);
  await page.getByLabel("Namn", { exact: true }).fill("Kungsängen station kvällstid");
  await page.getByRole("button", { name: "Välj som fokusområde" }).tap();
  await page.getByRole("status").getByText("Kungsängen station kvällstid är nu ett fokusområde.").waitFor();
  await page.getByText(/^Redan fokusområde: .*Kungsängen station kvällstid/).waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), true);
  assert.deepEqual(foreign, []);
  assert.deepEqual(cspViolations, []);
  assert.deepEqual(errors, []);
});

test("a police partner records a chefssamråd with its decisions on the action plan", async () => {
  const { page, errors } = await openPage(running.browser, running.trygg.url, PHONE);
  page.setDefaultTimeout(10000);
  await signIn(page, running.trygg.url, POLICE);
  await page.goto(`${running.trygg.url}admin/plan`);
  await page.getByRole("heading", { name: "Åtgärdsplan 2026", level: 2 }).waitFor();
  await page.getByText("Trygghet på offentlig plats").waitFor();
  await page.getByText("Registrera ett möte").tap();
  const form = page.getByRole("form", { name: "Registrera ett möte" });
  await form.getByLabel("Datum").fill("2026-11-24");
  await form.getByLabel("Beslut, ett per rad").fill("Insatserna vid Bro station fortsätter.\nNy trygghetsvandring i Kungsängen i vår.");
  await form.getByRole("button", { name: "Spara mötet" }).tap();
  await page.getByRole("status").getByText(/^Chefssamråd .* har registrerats\.$/).waitFor();
  await page.getByText("Ny trygghetsvandring i Kungsängen i vår.").waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), true);
  assert.deepEqual(errors, []);
});

for (const lang of ["sv", "en"]) {
  test(`axe finds no violation on the promises, walks, focus and plan pages in ${lang}, on a desktop and a phone`, async () => {
    const found = [];
    for (const [device, options] of [["desktop", { viewport: { width: 1280, height: 900 } }], ["phone", PHONE]]) {
      const { page, errors } = await openPage(running.browser, running.trygg.url, options);
      page.setDefaultTimeout(10000);
      await openSignIn(page, running.trygg.url, lang);
      await page.locator("#email").fill(ADMIN.email);
      await page.locator("#password").fill(ADMIN.password);
      await page.locator("#password").press("Enter");
      await page.locator("nav ul").waitFor();
      await page.goto(`${running.trygg.url}admin/promises`);
      await page.locator("main progress").first().waitFor();
      found.push(...(await violations(page, `${device} promises`)));
      // With a progress form open and its errors shown.
      await page.locator("main summary").first().click();
      await page.locator("main form button[type=submit]").first().click();
      await page.locator("main .error-summary").first().waitFor();
      found.push(...(await violations(page, `${device} promises with errors`)));
      await page.goto(`${running.trygg.url}admin/walks`);
      await page.locator("main ul.cards").waitFor();
      found.push(...(await violations(page, `${device} walks`)));
      await page.locator("main ul.cards a").first().click();
      await page.locator("#finding-map.leaflet-container").waitFor();
      await page.locator("main ol.cards").waitFor();
      found.push(...(await violations(page, `${device} walk`)));
      await page.locator("#finding-note").fill("x");
      await page.locator("#record-heading + form button[type=submit]").click();
      await page.locator("main .error-summary").first().waitFor();
      await page.locator("main ol.cards summary").first().click();
      found.push(...(await violations(page, `${device} walk with errors and a status form`)));
      await page.goto(`${running.trygg.url}admin/focus`);
      await page.locator("main table tbody tr").first().waitFor();
      found.push(...(await violations(page, `${device} focus`)));
      await page.locator("main table tbody tr button").first().click();
      await page.locator("#choose-rationale").waitFor();
      found.push(...(await violations(page, `${device} focus with the choice form`)));
      await page.goto(`${running.trygg.url}admin/plan`);
      await page.locator("main article h2").first().waitFor();
      for (const summary of await page.locator("main summary").all()) await summary.click();
      await page.locator("main input[id$='-kind']").first().fill("");
      await page.locator("main form button[type=submit]").last().click();
      await page.locator("main .error-summary").first().waitFor();
      found.push(...(await violations(page, `${device} plan with its forms open`)));
      assert.deepEqual(errors, []);
      await page.context().close();
    }
    assert.deepEqual(found, []);
  });
}
