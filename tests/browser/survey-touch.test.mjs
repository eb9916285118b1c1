// A resident completes the demo survey on a phone by touch alone, marking two
// places by tapping the map, and the response arrives with both pins.
import { test } from "node:test";
import assert from "node:assert/strict";
import { withTryggAndBrowser, openPage } from "./support.mjs";
import { phone, surveyPath, storedResponse, watchSubmissions } from "./survey-steps.mjs";

const running = withTryggAndBrowser();

test("a resident answers by touch on a 390×844 phone and places two pins on the map", async () => {
  const { page, foreign, cspViolations, errors } = await openPage(running.browser, running.trygg.url, phone);
  watchSubmissions(page);
  page.setDefaultTimeout(10000);
  await page.goto(running.trygg.url + surveyPath());
  await page.getByRole("button", { name: "Börja" }).tap();

  await page.getByLabel("Bro", { exact: true }).tap();
  await page.getByLabel("Kvinna").tap();
  await page.getByLabel("25–44 år").tap();
  await page.getByLabel("Hur många år har du bott i ditt bostadsområde?").fill("7");
  await page.getByRole("button", { name: "Nästa" }).tap();

  await page.getByText("Del 2 av 5").waitFor();
  await page.getByLabel("Ganska otrygg").tap();
  await page.getByRole("button", { name: "Nästa" }).tap();
  await page.getByRole("button", { name: "Nästa" }).tap();
  await page.getByLabel("Bättre belysning").tap();
  await page.getByLabel("Synlig polis").tap();
  await page.getByRole("button", { name: "Nästa" }).tap();

  const map = page.locator(".map");
  await map.waitFor();
  // Bro lies left of the map's middle and Brunna right of it at this size.
  await map.tap({ position: { x: 118, y: 230 } });
  const dialog = page.getByRole("dialog");
  await dialog.getByText("på kartan i Bro").waitFor();
  await dialog.getByLabel("Dålig belysning").tap();
  await dialog.getByLabel("Kvällstid").tap();
  await dialog.getByLabel("Kommentar (frivillig)").fill("Mörk gångväg");
  assert.equal(await dialog.getByText("12 av 1000 tecken").count(), 1, "the comment shows its character count");
  await dialog.getByRole("button", { name: "Spara platsen" }).tap();
  await page.getByText("Plats 1 är sparad.").waitFor();

  await map.tap({ position: { x: 252, y: 190 } });
  await dialog.getByText("på kartan i Brunna").waitFor();
  await dialog.getByLabel("Grupper som stör").tap();
  await dialog.getByLabel("Nattetid").tap();
  await dialog.getByRole("button", { name: "Spara platsen" }).tap();
  await page.getByRole("heading", { name: "Dina platser (2)" }).waitFor();
  assert.equal(await page.locator(".leaflet-marker-icon.pin-marker").count(), 2);

  await page.getByRole("button", { name: "Skicka svaren" }).tap();
  await page.getByRole("heading", { name: "Tack för dina svar!" }).waitFor();

  const stored = await storedResponse(page, running.trygg);
  assert.equal(stored.answers.area, "bro");
  assert.equal(stored.answers.gender, "kvinna");
  assert.equal(stored.answers.years_in_area, 7);
  assert.equal(stored.answers.evening_safety, "ganska_otrygg");
  assert.deepEqual([...stored.answers.priorities].sort(), ["belysning", "synlig_polis"]);
  assert.deepEqual(
    stored.pins.map((p) => [p.category, p.time_of_day, p.comment ?? null]),
    [["belysning", "evening", "Mörk gångväg"], ["grupper", "night", null]],
  );
  for (const pin of stored.pins) assert.ok(pin.location.lon > 17 && pin.location.lat > 59, "a point in the municipality");
  assert.equal(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith("trygg.survey.")).length), 0, "the draft is cleared");
  assert.equal(await page.evaluate(() => document.cookie), "");
  assert.deepEqual(foreign, []);
  assert.deepEqual(cspViolations, []);
  assert.deepEqual(errors, []);
});

test("a pin on the map can be dragged to a new place, and the list follows", async () => {
  const { page, errors } = await openPage(running.browser, running.trygg.url, { viewport: { width: 1280, height: 900 } });
  page.setDefaultTimeout(10000);
  await page.goto(running.trygg.url + surveyPath());
  await page.evaluate(() => {
    const draft = {
      key: crypto.randomUUID(),
      page: 5,
      sending: false,
      answers: {},
      pins: [{ via: "list", place: "Bro station", location: [17.642, 59.5075], category: "belysning", time_of_day: "day" }],
    };
    localStorage.setItem("trygg.survey.trygghetsmatning-2026", JSON.stringify(draft));
  });
  await page.reload();
  const marker = page.locator(".leaflet-marker-icon.pin-marker");
  await marker.waitFor();
  const box = await marker.boundingBox();
  const [x, y] = [box.x + box.width / 2, box.y + box.height / 2];
  await page.mouse.move(x, y);
  await page.mouse.down();
  await page.mouse.move(x - 30, y - 20, { steps: 8 });
  await page.mouse.up();
  await page.getByText(/^Plats 1 flyttad på kartan i Bro\.$/).waitFor();
  assert.match(await page.locator(".pin-list").innerText(), /Plats 1: Dålig belysning, dagtid – på kartan i Bro/);
  const [pin] = await page.evaluate(() => JSON.parse(localStorage.getItem("trygg.survey.trygghetsmatning-2026")).pins);
  assert.ok(pin.location[0] < 17.642 && pin.location[1] > 59.5075, "the pin moved west and north");
  assert.equal(pin.place, undefined, "a moved pin no longer claims the named place");
  assert.deepEqual(errors, []);
});
