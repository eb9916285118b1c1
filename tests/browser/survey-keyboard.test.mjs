// A resident completes the demo survey by keyboard alone, with no mouse or
// touch event at all: one pin placed on the map with arrows and Enter, one
// chosen from the searchable list of named places.
import { test } from "node:test";
import assert from "node:assert/strict";
import { withTryggAndBrowser, openPage } from "./support.mjs";
import { surveyPath, storedResponse, watchSubmissions, tabTo, focusedButton } from "./survey-steps.mjs";

const running = withTryggAndBrowser();

test("a resident answers by keyboard only, with one pin placed on the map and one chosen from the list", async () => {
  const { page, foreign, cspViolations, errors } = await openPage(running.browser, running.trygg.url, { viewport: { width: 1280, height: 900 } });
  watchSubmissions(page);
  page.setDefaultTimeout(10000);
  // Counts every pointer event the page sees, to prove none was needed.
  await page.addInitScript(() => {
    window.pointerEvents = 0;
    for (const type of ["pointerdown", "mousedown", "touchstart"]) {
      window.addEventListener(type, () => window.pointerEvents++, true);
    }
  });
  await page.goto(running.trygg.url + surveyPath());
  await page.getByRole("button", { name: "Börja" }).waitFor();

  await tabTo(page, focusedButton, "Börja");
  await page.keyboard.press("Enter");
  await page.getByText("Del 1 av 5").waitFor();
  assert.equal(await page.evaluate(() => document.activeElement.textContent), "Om dig", "focus moves to the new part's heading");
  await page.keyboard.press("Tab"); // the first district, Bro
  await page.keyboard.press("Space");
  await page.keyboard.press("Tab"); // gender: Kvinna, then down to Man
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("Tab"); // age: 16–24 år
  await page.keyboard.press("Space");
  await page.keyboard.press("Tab");
  await page.keyboard.type("12");
  await page.keyboard.press("Enter");

  await page.getByText("Del 2 av 5").waitFor();
  await page.keyboard.press("Tab");
  await page.keyboard.press("Space"); // Mycket trygg
  for (const part of ["Del 3 av 5", "Del 4 av 5", "Del 5 av 5"]) {
    await tabTo(page, focusedButton, "Nästa");
    await page.keyboard.press("Enter");
    await page.getByText(part).waitFor();
  }

  await tabTo(page, () => document.activeElement?.getAttribute("role") === "application");
  await page.keyboard.press("ArrowLeft");
  await page.getByText("Korset är i Bro.").waitFor();
  await page.keyboard.press("+");
  await page.keyboard.press("Enter");
  const dialog = page.getByRole("dialog");
  await dialog.getByText("på kartan i Bro").waitFor();
  await page.keyboard.press("Space"); // Dålig belysning
  await page.keyboard.press("Tab");
  await page.keyboard.press("ArrowDown"); // Kvällstid
  await page.keyboard.press("Tab");
  await page.keyboard.type("Ingen lampa fungerar");
  await page.keyboard.press("Tab");
  await page.keyboard.press("Enter");
  await page.getByText("Plats 1 är sparad.").waitFor();
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute("role")), "application", "focus returns to the map");

  await tabTo(page, () => document.activeElement?.type === "search");
  await page.keyboard.type("kungsängen station");
  await page.getByText("1 plats", { exact: true }).waitFor();
  await page.keyboard.press("Tab");
  await page.keyboard.press("Enter");
  await dialog.getByText("Kungsängen station").waitFor();
  await page.keyboard.press("Space");
  for (let i = 0; i < 4; i++) await page.keyboard.press("ArrowDown"); // Narkotikahandel
  await page.keyboard.press("Tab");
  await page.keyboard.press("ArrowUp"); // from Dagtid round to Hela dygnet
  await tabTo(page, focusedButton, "Spara platsen");
  await page.keyboard.press("Enter");
  await page.getByRole("heading", { name: "Dina platser (2)" }).waitFor();
  // Each pin is a row with its own edit and remove buttons.
  assert.equal(await page.getByRole("button", { name: /^Ändra plats \d$/ }).count(), 2);
  assert.equal(await page.getByRole("button", { name: /^Ta bort plats \d$/ }).count(), 2);

  await tabTo(page, focusedButton, "Skicka svaren");
  await page.keyboard.press("Enter");
  await page.getByRole("heading", { name: "Tack för dina svar!" }).waitFor();

  const stored = await storedResponse(page, running.trygg);
  assert.deepEqual(
    [stored.answers.area, stored.answers.gender, stored.answers.age_band, stored.answers.years_in_area, stored.answers.evening_safety],
    ["bro", "man", "a16_24", 12, "mycket_trygg"],
  );
  const [onMap, fromList] = stored.pins;
  assert.deepEqual([onMap.category, onMap.time_of_day, onMap.comment], ["belysning", "evening", "Ingen lampa fungerar"]);
  assert.ok(onMap.location.lon > 17.4 && onMap.location.lon < 17.8, "the map pin is a point");
  assert.deepEqual([fromList.category, fromList.time_of_day], ["narkotikahandel", "always"]);
  assert.deepEqual(fromList.location, { lon: 17.747, lat: 59.4795 }, "the list pin stands at the named place");
  assert.equal(await page.evaluate(() => window.pointerEvents), 0, "no mouse, pointer or touch event was used");
  assert.deepEqual(foreign, []);
  assert.deepEqual(cspViolations, []);
  assert.deepEqual(errors, []);
});
