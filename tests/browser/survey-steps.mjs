// Steps the survey tests share: where the open demo survey lives, and how to
// find the stored response a page has just sent.
import assert from "node:assert/strict";

export const openSurvey = "trygghetsmatning-2026";

export const surveyPath = (slug = openSurvey) => `s/${slug}`;

// The response the thank-you page names, as the analyst's export has it.
export async function storedResponse(page, trygg) {
  const receipt = await page.locator("main .hint").innerText();
  const id = receipt.split(": ")[1];
  const stored = trygg.responses(openSurvey).filter((r) => r.response_id === id);
  assert.equal(stored.length, 1, `exactly one stored response ${id}`);
  return stored[0];
}

// A phone as the issue describes it: 390×844 with touch and no mouse.
export const phone = { viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true, deviceScaleFactor: 2 };

// Presses Tab until `wanted(document.activeElement)` holds, as a keyboard
// user moves through a page; fails after `limit` presses.
export async function tabTo(page, wanted, limit = 60) {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press("Tab");
    if (await page.evaluate(wanted)) return;
  }
  throw new Error(`Tab never reached ${wanted}`);
}

export const buttonNamed = (name) => new Function(`return document.activeElement?.tagName === "BUTTON" && document.activeElement.textContent.trim() === ${JSON.stringify(name)};`);
