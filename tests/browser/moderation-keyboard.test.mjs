// The moderation queue by keyboard alone: a moderator reaches the queue,
// lists only the flagged comments, and redacts a phone number with the
// server's suggestion and a reason, never touching the mouse.
import { test } from "node:test";
import assert from "node:assert/strict";
import { withTryggAndBrowser, openPage } from "./support.mjs";
import { openSurvey, tabTo } from "./survey-steps.mjs";
import { MODERATOR, signIn } from "./authoring-steps.mjs";

const running = withTryggAndBrowser();

test("a moderator redacts a phone number in a comment by keyboard alone", async () => {
  const { page, errors, foreign } = await openPage(running.browser, running.trygg.url, { viewport: { width: 1280, height: 900 } });
  page.setDefaultTimeout(10000);
  const sent = await page.request.post(`${running.trygg.url}api/v1/surveys/${openSurvey}/responses`, {
    headers: { "Idempotency-Key": crypto.randomUUID(), "Content-Type": "application/json" },
    data: {
      answers: { area: "bro", gender: "man", age_band: "a45_64", evening_safety: "ganska_otrygg", comment: "Skräp vid stationen, ring 08-123 456 78" },
      pins: [],
      language: "sv",
    },
  });
  assert.equal(sent.status(), 201);

  await signIn(page, running.trygg.url, MODERATOR);
  await tabTo(page, () => document.activeElement?.textContent === "Granskning");
  await page.keyboard.press("Enter");
  await page.getByRole("heading", { name: "Granskning av fritext" }).waitFor();
  await tabTo(page, () => document.activeElement?.id === "moderation-flagged");
  await page.keyboard.press("Space");
  await page.keyboard.press("Tab");
  await page.keyboard.press("Enter");
  const item = page.locator("article", { hasText: "Skräp vid stationen" });
  await item.locator("mark.flag-phone").waitFor();
  assert.equal(await page.locator("article").count(), 1, "only the flagged comment is listed");

  // Into the decision: the flagged comment starts on "redact", with the suggestion.
  await tabTo(page, () => document.activeElement?.type === "radio");
  assert.equal(await page.evaluate(() => document.activeElement.labels[0].textContent), "Maskera delar av texten");
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement.value), "Skräp vid stationen, ring [borttaget]");
  await tabTo(page, () => document.activeElement?.labels?.[0]?.textContent === "Skäl");
  await page.keyboard.type("Telefonnummer");
  await page.keyboard.press("Enter");
  await page.getByText("Beslutet om kommentar 1 är sparat.").waitFor();
  // Focus goes on from the list, not back to the top of the page.
  assert.equal(await page.evaluate(() => document.activeElement.textContent), "Inga kommentarer här.");

  const redacted = await (await page.request.get(`${running.trygg.url}api/v1/admin/moderation?status=redacted`)).json();
  assert.equal(redacted.total, 1);
  assert.equal(redacted.comments[0].edited_text, "Skräp vid stationen, ring [borttaget]");
  assert.doesNotMatch(redacted.comments[0].edited_text, /\d/);
  assert.deepEqual(errors, []);
  assert.deepEqual(foreign, []);
});
