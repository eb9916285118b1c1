// Never lose an answer: a reload keeps the draft, a server that dies while
// the answers are on their way gets them exactly once when it is back, a
// place described in words arrives for the analyst, and a closed survey
// says so plainly.
import { test } from "node:test";
import assert from "node:assert/strict";
import { AxeBuilder } from "@axe-core/playwright";
import { startTrygg, withTryggAndBrowser, openPage } from "./support.mjs";
import { openSurvey, surveyPath, storedResponse, watchSubmissions, answerRequired, describePlace } from "./survey-steps.mjs";

const running = withTryggAndBrowser();

test("a reload in the middle of the survey keeps every answer and pin", async () => {
  const { page, errors } = await openPage(running.browser, running.trygg.url);
  page.setDefaultTimeout(10000);
  await page.goto(running.trygg.url + surveyPath());
  await answerRequired(page);
  await page.getByLabel("Sök plats").fill("bro station");
  await page.getByRole("button", { name: "Bro station, Bro" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Buskage eller skymd sikt").check();
  await dialog.getByLabel("Hela dygnet").check();
  await dialog.getByRole("button", { name: "Spara platsen" }).click();
  await page.getByLabel("Vill du berätta något mer om tryggheten där du bor?").fill("Fler vuxna ute på kvällarna");

  await page.reload();
  await page.getByText("Del 5 av 5").waitFor();
  assert.match(await page.locator(".pin-list").innerText(), /Plats 1: Buskage eller skymd sikt, hela dygnet – Bro station/);
  assert.equal(await page.getByLabel("Vill du berätta något mer om tryggheten där du bor?").inputValue(), "Fler vuxna ute på kvällarna");
  for (const part of ["Del 4 av 5", "Del 3 av 5", "Del 2 av 5", "Del 1 av 5"]) {
    await page.getByRole("button", { name: "Tillbaka" }).click();
    await page.getByText(part).waitFor();
  }
  assert.ok(await page.getByLabel("Kungsängen", { exact: true }).isChecked());
  assert.ok(await page.getByLabel("Man", { exact: true }).isChecked());
  assert.ok(await page.getByLabel("45–64 år").isChecked());
  assert.deepEqual(errors, []);
});

test("a place described in words is stored for the analyst to locate", async () => {
  const { page, errors, foreign } = await openPage(running.browser, running.trygg.url);
  watchSubmissions(page);
  page.setDefaultTimeout(10000);
  await page.goto(running.trygg.url + surveyPath());
  await answerRequired(page);
  await describePlace(page, "Gångtunneln under järnvägen vid skolan", "Dålig belysning", "Kvällstid");
  assert.match(await page.locator(".pin-list").innerText(), /Plats 1: Dålig belysning, kvällstid – ”Gångtunneln under järnvägen vid skolan”/);
  await page.getByRole("button", { name: "Skicka svaren" }).click();
  await page.getByRole("heading", { name: "Tack för dina svar!" }).waitFor();
  const stored = await storedResponse(page, running.trygg);
  assert.deepEqual(stored.pins, []);
  assert.deepEqual(stored.described_places, [
    { category: "belysning", description: "Gångtunneln under järnvägen vid skolan", time_of_day: "evening" },
  ]);
  assert.deepEqual(foreign, []);
  assert.deepEqual(errors, []);
});

test("the server stops while the answers are sent; the page says it will retry, and the response is stored once", async () => {
  const { page, errors } = await openPage(running.browser, running.trygg.url);
  watchSubmissions(page);
  page.setDefaultTimeout(10000);
  await page.goto(running.trygg.url + surveyPath());
  await answerRequired(page);
  await describePlace(page, "Parkeringen bakom affären", "Övrigt", "Nattetid");
  const before = running.trygg.responses(openSurvey).length;

  // The first request reaches the server and is stored, but the reply is
  // lost as the server goes down: the worst case for a phone.
  let firstReply;
  await page.route("**/responses", async (route) => {
    firstReply = await (await route.fetch()).json();
    await running.trygg.stop();
    await route.abort("connectionreset");
    await page.unroute("**/responses");
  });
  await page.getByRole("button", { name: "Skicka svaren" }).click();
  await page.getByText(/Vi får inte kontakt med servern just nu\. Dina svar är sparade här och vi försöker igen om \d+ sekunder\./).waitFor();
  assert.equal(await page.getByRole("button", { name: "Försök igen nu" }).isVisible(), true);
  const axe = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  assert.deepEqual(axe.violations.map((v) => v.id), [], "the waiting page has no axe violation");
  const draft = await page.evaluate((slug) => JSON.parse(localStorage.getItem(`trygg.survey.${slug}`)), openSurvey);
  assert.equal(draft.sending, true, "the pending answers are kept while the server is away");

  running.trygg = await startTrygg({ dir: running.trygg.dir, bind: running.trygg.bind });
  await page.getByRole("heading", { name: "Tack för dina svar!" }).waitFor({ timeout: 40000 });
  const stored = await storedResponse(page, running.trygg);
  assert.equal(stored.response_id, firstReply.response_id, "the retry was answered as a replay of the first request");
  assert.equal(running.trygg.responses(openSurvey).length, before + 1, "exactly one response is stored");
  assert.deepEqual(errors, []);
});

test("offline, the page says so plainly and sends the answers once the connection is back", async () => {
  const { page, context, errors } = await openPage(running.browser, running.trygg.url);
  watchSubmissions(page);
  page.setDefaultTimeout(10000);
  await page.goto(running.trygg.url + surveyPath());
  await answerRequired(page);
  await context.setOffline(true);
  await page.getByRole("button", { name: "Skicka svaren" }).click();
  await page.getByText(/^Telefonen verkar sakna anslutning\. Dina svar är sparade här och skickas automatiskt/).waitFor();
  await context.setOffline(false);
  await page.getByRole("heading", { name: "Tack för dina svar!" }).waitFor();
  const stored = await storedResponse(page, running.trygg);
  assert.equal(stored.answers.area, "kungsangen");
  assert.deepEqual(errors, []);
});

test("a closed survey shows a clear closed page, and an unknown one says it does not exist", async () => {
  const { page, errors, foreign } = await openPage(running.browser, running.trygg.url);
  page.setDefaultTimeout(10000);
  await page.goto(running.trygg.url + surveyPath("trygghetsmatning-2023"));
  await page.getByRole("heading", { name: "Enkäten är stängd" }).waitFor();
  assert.match(await page.locator("main").innerText(), /Den här trygghetsmätningen stängde \d+ \w+ 2023\. Det går inte längre att svara\./);
  assert.equal(await page.getByRole("link", { name: "Till startsidan" }).getAttribute("href"), "/");
  await page.getByRole("button", { name: "English" }).click();
  await page.getByRole("heading", { name: "The survey is closed" }).waitFor();

  await page.goto(running.trygg.url + surveyPath("finns-inte"));
  await page.getByRole("heading", { name: "Survey not found" }).waitFor();
  assert.deepEqual(foreign, []);
  assert.deepEqual(errors, []);
});
