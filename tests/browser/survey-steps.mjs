// Steps the survey tests share: where the open demo survey lives, and how to
// find the stored response a page has just sent.
import assert from "node:assert/strict";

export const openSurvey = "trygghetsmatning-2026";

export const surveyPath = (slug = openSurvey) => `s/${slug}`;

// The ids the server answered a page's sent responses with. The thank-you
// page shows none, so a test hears them on the wire: call this before sending.
const answered = new WeakMap();
export function watchSubmissions(page) {
  const ids = [];
  answered.set(page, ids);
  page.on("response", async (response) => {
    const sent = response.request();
    if (sent.method() !== "POST" || !new URL(response.url()).pathname.endsWith("/responses") || !response.ok()) return;
    const body = await response.json().catch(() => ({}));
    if (body.response_id) ids.push(body.response_id);
  });
}

// The response the page has just sent, as the analyst's export has it; the
// thank-you page itself shows no id.
export async function storedResponse(page, trygg, slug = openSurvey) {
  const ids = answered.get(page);
  assert.ok(ids, "watchSubmissions(page) runs before the answers are sent");
  for (let i = 0; i < 50 && ids.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 100));
  assert.equal(new Set(ids).size, 1, `every answer names one response: ${ids}`);
  const shown = await page.locator("main").innerText();
  assert.doesNotMatch(shown, /[0-9a-f]{8}-[0-9a-f]{4}-/, "the thank-you page shows no id");
  const stored = trygg.responses(slug).filter((r) => r.response_id === ids[0]);
  assert.equal(stored.length, 1, `exactly one stored response ${ids[0]}`);
  return stored[0];
}

// A phone as the issue describes it: 390×844 with touch and no mouse.
export const phone = { viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true, deviceScaleFactor: 2 };

// Presses Tab until `wanted(arg)`, run in the page, holds for the focused
// element, as a keyboard user moves through a page; fails after `limit` presses.
export async function tabTo(page, wanted, arg, limit = 60) {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press("Tab");
    if (await page.evaluate(wanted, arg)) return;
  }
  throw new Error(`Tab never reached ${wanted} ${arg ?? ""}`);
}

export const focusedButton = (name) => document.activeElement?.tagName === "BUTTON" && document.activeElement.textContent.trim() === name;

// Answers the required questions of the demo survey with the mouse and
// stops on the last part, the map.
export async function answerRequired(page) {
  await page.getByRole("button", { name: "Börja" }).click();
  await page.getByLabel("Kungsängen", { exact: true }).check();
  await page.getByLabel("Man", { exact: true }).check();
  await page.getByLabel("45–64 år").check();
  await page.getByRole("button", { name: "Nästa" }).click();
  await page.getByLabel("Ganska trygg").check();
  for (const part of ["Del 3 av 5", "Del 4 av 5", "Del 5 av 5"]) {
    await page.getByRole("button", { name: "Nästa" }).click();
    await page.getByText(part).waitFor();
  }
}

// Adds a pin described in words, through the dialog.
export async function describePlace(page, words, category, time) {
  await page.getByRole("button", { name: "Beskriv en plats" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Beskriv platsen").fill(words);
  await dialog.getByLabel(category).check();
  await dialog.getByLabel(time).check();
  await dialog.getByRole("button", { name: "Spara platsen" }).click();
  await dialog.waitFor({ state: "hidden" });
}
