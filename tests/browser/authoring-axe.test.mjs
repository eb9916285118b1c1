// Issue 8, must-show 4, for the pages of survey authoring and moderation:
// axe-core finds no WCAG 2.1 A/AA violation on the survey list, the editor of
// a draft (also with an error shown) and of a published survey, the preview
// on the resident page, the moderation queue (with a flagged comment and with
// an error shown) and every page a moderator can open, in Swedish and English.
import { test } from "node:test";
import assert from "node:assert/strict";
import { withTryggAndBrowser, openPage, violations } from "./support.mjs";
import { openSurvey } from "./survey-steps.mjs";
import { ADMIN, ANALYST, MODERATOR, signIn } from "./authoring-steps.mjs";

const running = withTryggAndBrowser(async ({ trygg, browser }) => {
  // A resident's comment with a phone number, so the queue has something flagged.
  const context = await browser.newContext();
  const sent = await context.request.post(`${trygg.url}api/v1/surveys/${openSurvey}/responses`, {
    headers: { "Idempotency-Key": crypto.randomUUID(), "Content-Type": "application/json" },
    data: {
      answers: { area: "bro", gender: "kvinna", age_band: "a25_44", evening_safety: "ganska_otrygg", comment: "Ring mig på 070-123 45 67, jag heter Anna." },
      pins: [],
      language: "sv",
    },
  });
  assert.equal(sent.status(), 201, await sent.text());
  await context.close();
});

// Signs in with the page's language set first; the choice is kept on the device.
async function signInIn(lang, account) {
  const opened = await openPage(running.browser, running.trygg.url, { viewport: { width: 1280, height: 900 } });
  opened.page.setDefaultTimeout(10000);
  await opened.page.goto(`${running.trygg.url}admin`);
  await opened.page.locator("#email").waitFor();
  if (lang === "en") {
    await opened.page.getByRole("button", { name: "English" }).click();
    await opened.page.getByRole("heading", { name: "Sign in" }).waitFor();
  }
  await signIn(opened.page, running.trygg.url, account);
  return opened;
}

async function visit(page, path, ready) {
  await page.goto(`${running.trygg.url}${path}`);
  await page.locator("nav ul").waitFor();
  await page.locator(ready).first().waitFor();
}

for (const lang of ["sv", "en"]) {
  test(`axe finds no violation on the analyst's survey pages in ${lang}`, async () => {
    const { page, errors, context } = await signInIn(lang, ANALYST);
    const found = [];
    await visit(page, "admin/surveys", "main table");
    found.push(...(await violations(page, "survey list")));
    const publishedId = await page.locator("main table a[href^='/admin/surveys/']").first().getAttribute("href");

    // A new draft from the bank, then its editor.
    await page.locator("#new-slug").fill(`axe-${lang}`);
    await page.locator("#new-round").fill("2027");
    await page.locator("#new-title-sv").fill(`Axe ${lang}`);
    await page.locator("section[aria-labelledby=create-heading] button[type=submit]").click();
    await page.locator("#editor-form").waitFor();
    found.push(...(await violations(page, "editor of a draft")));
    await page.locator("#add-kind").selectOption("map");
    await page.locator("#add-kind + button").click();
    await page.locator("#publish-closes_on").fill("2020-01-01");
    await page.locator("#publish-opens_on").fill("2027-01-01");
    await page.locator("#publish-opens_on").press("Enter");
    await page.locator("#publish-closes_on-error, .error-summary").first().waitFor();
    found.push(...(await violations(page, "editor with an error")));

    // The preview on the resident page.
    const href = await page.locator("#preview-link").getAttribute("href");
    const preview = await context.newPage();
    await preview.goto(`${running.trygg.url}${href.slice(1)}`);
    await preview.locator(".preview").first().waitFor();
    found.push(...(await violations(preview, "preview")));
    await preview.close();

    // A published survey's editor, where only corrections are offered.
    await visit(page, publishedId.slice(1), "#editor-form");
    found.push(...(await violations(page, "editor of a published survey")));
    assert.deepEqual(found, []);
    assert.deepEqual(errors, []);
  });

  test(`axe finds no violation on the moderator's pages in ${lang}`, async () => {
    const { page, errors } = await signInIn(lang, MODERATOR);
    const found = [];
    // A moderator's navigation: the queue and the pages that read results, never users or the audit log.
    const links = await page.locator("nav a").allTextContents();
    for (const name of lang === "sv" ? ["Mitt konto", "Enkäter", "Granskning"] : ["My account", "Surveys", "Moderation"]) assert.ok(links.includes(name), `${name} in ${links}`);
    for (const name of lang === "sv" ? ["Användare", "Logg"] : ["Users", "Audit log"]) assert.ok(!links.includes(name), `${name} not in ${links}`);
    // Every page the navigation offers the moderator, whoever wrote it.
    for (const href of await page.locator("nav a").evaluateAll((as) => as.map((a) => a.getAttribute("href")))) {
      await page.goto(`${running.trygg.url}${href.slice(1)}`);
      await page.locator("nav ul").waitFor();
      await page.locator("main h1").first().waitFor();
      await page.waitForLoadState("networkidle");
      found.push(...(await violations(page, `${href} (moderator)`)));
    }
    await visit(page, "admin/moderation", "#moderation-list p");
    found.push(...(await violations(page, "moderation queue")));
    // The flagged comments first, however long the queue.
    await page.locator("#moderation-flagged").check();
    await page.locator(".inline-form button[type=submit]").click();
    await page.locator("mark.flag-phone").first().waitFor();
    found.push(...(await violations(page, "moderation queue, flagged only")));
    // Rejecting without a reason shows the error by the reason field.
    const item = page.locator("article", { has: page.locator("mark.flag-phone") }).first();
    await item.locator("input[value=reject]").check();
    await item.locator("form button[type=submit]").click();
    await item.locator(".field-error").waitFor();
    found.push(...(await violations(page, "moderation with an error")));
    for (const [path, ready] of [["admin/users", "main h1"]]) {
      await visit(page, path, ready);
      found.push(...(await violations(page, path)));
    }
    await visit(page, "admin/surveys", "main table");
    await page.locator("main table a[href^='/admin/surveys/']").first().click();
    await page.locator("#editor-form").waitFor();
    found.push(...(await violations(page, "read-only editor")));
    assert.equal(await page.locator("#editor-form button[type=submit]").count(), 0);
    assert.deepEqual(found, []);
    assert.deepEqual(errors, []);
  });

  test(`axe finds no violation on the admin's moderation and survey pages in ${lang}`, async () => {
    const { page, errors } = await signInIn(lang, ADMIN);
    const found = [];
    await visit(page, "admin/moderation", "#moderation-list p");
    found.push(...(await violations(page, "moderation (admin)")));
    await visit(page, "admin/surveys", "main table");
    found.push(...(await violations(page, "surveys (admin)")));
    assert.deepEqual(found, []);
    assert.deepEqual(errors, []);
  });
}
