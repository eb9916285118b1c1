// Issue 8, must-show 3, in a real browser on the demo: an analyst creates a
// survey from the question bank, adds a map question, previews it on the
// resident page and publishes it; a resident answers it; the analyst copies
// it into a new round with the same question keys; a moderator redacts the
// phone number in the resident's comment.
import { test } from "node:test";
import assert from "node:assert/strict";
import { withTryggAndBrowser, openPage } from "./support.mjs";
import { describePlace } from "./survey-steps.mjs";
import { ANALYST, MODERATOR, signIn, isoDay } from "./authoring-steps.mjs";

const SLUG = "trygghet-webb-2027";
const PHONE = "070-123 45 67";

const running = withTryggAndBrowser();

test("an analyst builds, previews and publishes a survey, a resident answers, a new round keeps the keys and a moderator redacts a phone number", async () => {
  // The analyst.
  const analyst = await openPage(running.browser, running.trygg.url, { viewport: { width: 1280, height: 900 } });
  const page = analyst.page;
  page.setDefaultTimeout(10000);
  await signIn(page, running.trygg.url, ANALYST);
  await page.getByRole("link", { name: "Enkäter" }).click();
  await page.getByRole("heading", { name: "Enkäter", level: 1 }).waitFor();
  // The demo's rounds are listed with their status and a way to their lägesbild.
  assert.match(await page.locator("main table").textContent(), /Publicerad/);
  assert.ok((await page.getByRole("link", { name: /^Lägesbild för/ }).count()) > 0);

  // A new survey from the question bank: evening safety and the comment question.
  await page.getByLabel("Adress (kortnamn)").fill(SLUG);
  await page.getByLabel("Omgång").fill("2027");
  await page.getByLabel("Rubrik på svenska").fill("Trygghet i webbtestet");
  for (const box of await page.locator("#new-questions input[type=checkbox]").all()) await box.uncheck();
  await page.getByLabel(/\(evening_safety\)/).check();
  await page.getByLabel(/\(comment\)/).check();
  await page.getByRole("button", { name: "Skapa utkast" }).click();
  await page.getByRole("heading", { name: "Enkät: Trygghet i webbtestet 2027" }).waitFor();
  const id = new URL(page.url()).pathname.split("/")[3];

  // A map question with two categories, added by hand.
  await page.getByLabel("Ny fråga av typen").selectOption("map");
  await page.getByRole("button", { name: "Lägg till fråga" }).click();
  const map = page.locator("#f-questions-2");
  await map.locator("#f-questions-2-key").fill("otrygga_platser");
  await map.getByLabel("Frågetext på svenska").fill("Var känner du dig otrygg?");
  await map.locator("#f-questions-2-categories-0-key").fill("belysning");
  await map.locator("#f-questions-2-categories-0-label-sv").fill("Dålig belysning");
  await map.getByRole("button", { name: "Lägg till kategori" }).click();
  await map.locator("#f-questions-2-categories-1-key").fill("ovrigt");
  await map.locator("#f-questions-2-categories-1-label-sv").fill("Övrigt");
  // The comment question goes last, after the map.
  await page.getByRole("button", { name: "Flytta ned frågan comment" }).click();
  await page.getByRole("button", { name: "Spara ändringar" }).click();
  await page.getByText("Ändringarna är sparade.").waitFor();
  const draft = await (await page.request.get(`${running.trygg.url}api/v1/admin/surveys/${id}`)).json();
  assert.deepEqual(draft.definition.questions.map((q) => q.key), ["evening_safety", "otrygga_platser", "comment"]);
  assert.deepEqual(draft.definition.questions[1].categories.map((c) => c.key), ["belysning", "ovrigt"]);

  // A bad key is refused and the error stands next to the field it names.
  await page.locator("#f-questions-1-key").fill("Otrygga platser!");
  await page.getByRole("button", { name: "Spara ändringar" }).click();
  await page.locator("#f-questions-1-key-error").waitFor();
  assert.equal(await page.locator("#f-questions-1-key").getAttribute("aria-invalid"), "true");
  await page.locator("#f-questions-1-key").fill("otrygga_platser");
  await page.getByRole("button", { name: "Spara ändringar" }).click();
  await page.getByText("Ändringarna är sparade.").waitFor();

  // The preview is the resident page itself, fed by the staff preview API.
  const href = await page.locator("#preview-link").getAttribute("href");
  const preview = await analyst.context.newPage();
  await preview.goto(`${running.trygg.url}${href.slice(1)}`);
  await preview.getByRole("heading", { name: "Trygghet i webbtestet" }).waitFor();
  await preview.getByText("Förhandsvisning för personal").first().waitFor();
  await preview.getByRole("button", { name: "Börja" }).click();
  await preview.getByText("Hur trygg eller otrygg känner du dig").first().waitFor();
  await preview.close();

  // Publishing with dates.
  await page.locator("#publish-opens_on").fill(isoDay(0));
  await page.locator("#publish-closes_on").fill(isoDay(30));
  await page.getByRole("button", { name: "Publicera enkäten" }).click();
  await page.getByText("Enkäten är publicerad.").waitFor();
  await page.getByText("Du kan rätta texter").waitFor();
  // A published survey's keys are read-only, and a removal is not offered.
  assert.equal(await page.locator("#f-questions-0-key").getAttribute("readonly"), "");
  assert.equal(await page.getByRole("button", { name: /^Ta bort frågan/ }).count(), 0);
  assert.equal(await page.locator("#f-questions-1-categories button", { hasText: "Ta bort" }).count(), 0);
  // A corrected text and a new category are allowed; the new category may go again before saving.
  await page.locator("#f-questions-1-text-sv").fill("Var känner du dig otrygg i området?");
  await page.locator("#f-questions-1-categories-add").click();
  assert.equal(await page.evaluate(() => document.activeElement.id), "f-questions-1-categories-2-key");
  await page.keyboard.type("trafik");
  await page.locator("#f-questions-1-categories-2-label-sv").fill("Trafik");
  assert.equal(await page.locator("#f-questions-1-categories button", { hasText: "Ta bort" }).count(), 1);
  await page.getByRole("button", { name: "Spara ändringar" }).click();
  await page.getByText("Ändringarna är sparade.").waitFor();
  assert.equal(await page.evaluate(() => document.activeElement.id), "editor-save");
  const corrected = await (await page.request.get(`${running.trygg.url}api/v1/admin/surveys/${id}`)).json();
  assert.equal(corrected.definition.questions[1].text.sv, "Var känner du dig otrygg i området?");
  assert.deepEqual(corrected.definition.questions[1].categories.map((c) => c.key), ["belysning", "ovrigt", "trafik"]);

  // The resident.
  const resident = await openPage(running.browser, running.trygg.url);
  const rp = resident.page;
  rp.setDefaultTimeout(10000);
  await rp.goto(`${running.trygg.url}s/${SLUG}`);
  await rp.getByRole("button", { name: "Börja" }).click();
  // No question starts a section, so all three are on one page.
  await rp.getByLabel("Ganska trygg").check();
  await describePlace(rp, "Gångvägen bakom skolan", "Dålig belysning", "Kvällstid");
  await rp.getByLabel("Vill du berätta något mer").fill(`Lampan är trasig. Ring mig på ${PHONE} om ni vill veta mer.`);
  await rp.getByRole("button", { name: "Skicka svaren" }).click();
  await rp.getByRole("heading", { name: "Tack för dina svar!" }).waitFor();
  const stored = running.trygg.responses(SLUG);
  assert.equal(stored.length, 1);

  // The analyst copies the survey into a new round; the keys match.
  await page.locator("#round-slug").fill(`${SLUG}-b`);
  await page.locator("#round-round").fill("2028");
  await page.getByRole("button", { name: "Skapa ny omgång" }).click();
  await page.getByRole("heading", { name: "Enkät: Trygghet i webbtestet 2028" }).waitFor();
  const copyId = new URL(page.url()).pathname.split("/")[3];
  assert.notEqual(copyId, id);
  const original = await (await page.request.get(`${running.trygg.url}api/v1/admin/surveys/${id}`)).json();
  const copy = await (await page.request.get(`${running.trygg.url}api/v1/admin/surveys/${copyId}`)).json();
  assert.equal(copy.status, "draft");
  assert.equal(copy.copied_from, id);
  const keys = (s) => s.definition.questions.map((q) => [q.key, (q.options ?? q.categories ?? []).map((o) => o.key)]);
  assert.deepEqual(keys(copy), keys(original));

  // The moderator.
  const moderator = await openPage(running.browser, running.trygg.url, { viewport: { width: 1280, height: 900 } });
  const mp = moderator.page;
  mp.setDefaultTimeout(10000);
  await signIn(mp, running.trygg.url, MODERATOR);
  // A moderator may not author surveys; the moderation queue is in the navigation.
  assert.equal(await mp.getByRole("button", { name: "Skapa utkast" }).count(), 0);
  await mp.getByRole("link", { name: "Granskning" }).click();
  await mp.getByRole("heading", { name: "Granskning av fritext" }).waitFor();
  await mp.locator("#moderation-survey").selectOption(id);
  await mp.getByRole("button", { name: "Visa" }).click();
  const item = mp.locator("article", { hasText: "Lampan är trasig" });
  await item.waitFor();
  // The phone number is marked and named.
  assert.equal(await item.locator("mark.flag-phone").textContent(), `${PHONE} (markerat: möjligt telefonnummer)`);
  await item.getByLabel("Maskera delar av texten").check();
  // The moderator selects the number in the text and redacts the selection.
  const edited = item.getByLabel("Texten som ska visas");
  await edited.fill(`Lampan är trasig. Ring mig på ${PHONE} om ni vill veta mer.`);
  await edited.evaluate((el, phone) => {
    const start = el.value.indexOf(phone);
    el.focus();
    el.setSelectionRange(start, start + phone.length);
  }, PHONE);
  await item.getByRole("button", { name: "Maskera markerad text" }).click();
  assert.equal(await edited.inputValue(), "Lampan är trasig. Ring mig på [borttaget] om ni vill veta mer.");
  // Without a reason the server refuses, and says so by the reason field.
  await item.getByRole("button", { name: "Spara beslut" }).click();
  await item.locator(".field-error").waitFor();
  assert.equal(await item.getByLabel("Skäl").getAttribute("aria-invalid"), "true");
  await item.getByLabel("Skäl").fill("Telefonnummer");
  await item.getByRole("button", { name: "Spara beslut" }).click();
  await mp.getByText("Beslutet om kommentar 1 är sparat.").waitFor();

  const redacted = await (await mp.request.get(`${running.trygg.url}api/v1/admin/moderation?status=redacted&survey=${id}`)).json();
  assert.equal(redacted.comments.length, 1);
  assert.equal(redacted.comments[0].edited_text, "Lampan är trasig. Ring mig på [borttaget] om ni vill veta mer.");
  assert.equal(redacted.comments[0].reason, "Telefonnummer");
  assert.doesNotMatch(redacted.comments[0].edited_text, /\d/);
  const pending = await (await mp.request.get(`${running.trygg.url}api/v1/admin/moderation?survey=${id}`)).json();
  assert.equal(pending.comments.length, 0);

  for (const seen of [analyst, resident, moderator]) {
    assert.deepEqual(seen.foreign, []);
    assert.deepEqual(seen.cspViolations, []);
    assert.deepEqual(seen.errors, []);
  }
});
