// The invitation-codes page: the demo admin opens it by keyboard, makes codes
// for one area of the open round, gets the print shop's CSV as a download with
// one line per letter and sees the area's issued count go up by as many; an
// unknown area is refused next to its field; the police partner, who may read
// results but not change surveys, sees the table but no form (the demo's
// analyst may edit surveys, so it gets the form like the admin); the survey
// list links to each round's codes; and axe-core finds no WCAG 2.1 A/AA
// violation in Swedish or English.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { signIn } from "./authoring-steps.mjs";
import { withTryggAndBrowser, openPage, violations } from "./support.mjs";
import { openSurvey } from "./survey-steps.mjs";

// The demo's accounts (crates/trygg-cli/src/demo/staff.rs).
const ADMIN = { email: "admin@trygg.example", password: "demo-admin-trygg" };
const POLICE = { email: "polis@trygg.example", password: "demo-polis-trygg" };

const running = withTryggAndBrowser(async ({ trygg }) => {
  // Two letters to Bro already went out, so the table is there from the start.
  const file = join(trygg.dir, "forsta.csv");
  trygg.run(["invitations", "create", "--survey", openSurvey, "--count", "2", "--area", "bro", "--base-url", trygg.url, "--output", file]);
});


// Presses Tab until `wanted(arg)`, run in the page, holds for the focused element.
async function tabTo(page, wanted, arg, limit = 80) {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press("Tab");
    if (await page.evaluate(wanted, arg)) return;
  }
  assert.fail(`Tab never reached ${arg}`);
}

// The issued count in the row headed `area`, as a number.
async function issued(page, area) {
  const row = page.locator("#invitations-table tbody tr").filter({ has: page.getByRole("rowheader", { name: area, exact: true }) });
  return Number((await row.locator("td").first().innerText()).replace(/\D/g, ""));
}

test("an admin makes codes for one area by keyboard, downloads the CSV once and sees the count go up", async () => {
  const { page, foreign, cspViolations, errors } = await openPage(running.browser, running.trygg.url, { viewport: { width: 1280, height: 900 } });
  page.setDefaultTimeout(10000);
  await signIn(page, running.trygg.url, ADMIN);

  // To the page through the navigation, by keyboard.
  await page.evaluate(() => document.getElementById("skip").focus());
  await tabTo(page, (text) => document.activeElement?.tagName === "A" && document.activeElement.textContent.trim() === text, "Inbjudningskoder");
  await page.keyboard.press("Enter");
  await page.getByRole("heading", { name: "Inbjudningskoder", level: 1 }).waitFor();
  assert.equal(new URL(page.url()).pathname, "/admin/invitations");
  await page.locator("#invitations-table").waitFor();
  // The open round is chosen from the start.
  assert.match(await page.locator("#invitations-survey option:checked").innerText(), /Trygghetsmätning 2026/);
  assert.match(await page.locator("#invitations-table caption").innerText(), /Inbjudningskoder per område/);
  const before = await issued(page, "Bro");
  assert.equal(before, 2);
  // The warning is read out with the button.
  const warning = await page.locator("#invitations-warning").innerText();
  assert.match(warning, /tar enkäten bara emot svar med en inbjudningskod/);
  assert.match(warning, /visas bara den här gången/);
  assert.equal(await page.getByRole("button", { name: "Skapa koder och ladda ner filen" }).getAttribute("aria-describedby"), "invitations-warning");

  // A count out of range is marked next to its field, and the summary takes focus.
  await tabTo(page, (id) => document.activeElement?.id === id, "invitations-count");
  await page.keyboard.type("0");
  await page.keyboard.press("Enter");
  await page.locator(".error-summary").waitFor();
  assert.equal(await page.evaluate(() => document.activeElement.classList.contains("error-summary")), true);
  assert.match(await page.locator("#invitations-count-error").innerText(), /heltal från 1 till 50 000/);
  assert.equal(await page.locator("#invitations-count").getAttribute("aria-invalid"), "true");

  // Five letters to Bro, by keyboard: the field, the area by typing its name, the button.
  const count = 5;
  await page.locator("#invitations-count").focus();
  await page.keyboard.press("Control+A");
  await page.keyboard.type(String(count));
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement.id), "invitations-area");
  await page.keyboard.type("Bro");
  assert.equal(await page.locator("#invitations-area").inputValue(), "bro");
  await tabTo(page, () => document.activeElement?.tagName === "BUTTON" && document.activeElement.type === "submit");
  const downloading = page.waitForEvent("download");
  await page.keyboard.press("Enter");
  const download = await downloading;
  assert.equal(download.suggestedFilename(), `inbjudningar-${openSurvey}-bro.csv`);
  const lines = readFileSync(await download.path(), "utf8").trim().split("\n");
  assert.equal(lines[0], "kod,lank,omrade");
  assert.equal(lines.length - 1, count);
  for (const line of lines.slice(1)) {
    const [code, link, area] = line.split(",");
    assert.equal(link, `${running.trygg.url.replace(/\/$/, "")}/s/${openSurvey}?kod=${code}`);
    assert.equal(area, "bro");
  }

  // The status is announced and has focus; the table has the new codes; the form is empty again.
  await page.getByText(`${count} koder har skapats för Bro.`).waitFor();
  assert.equal(await page.evaluate(() => document.activeElement.id), "invitations-status");
  assert.equal(await page.locator(".error-summary").count(), 0);
  assert.equal(await issued(page, "Bro"), before + count);
  assert.equal(await page.locator("#invitations-count").inputValue(), "");
  assert.match(running.trygg.run(["invitations", "rates", "--survey", openSurvey]), new RegExp(`^bro\\t${before + count}\\t0\\t`, "m"));

  // An area the server does not know (say, removed meanwhile): its error stands next to the area field.
  await page.evaluate(() => document.getElementById("invitations-area").append(new Option("Gammalt område", "gammalt")));
  await page.locator("#invitations-count").fill("1");
  await page.locator("#invitations-area").selectOption("gammalt");
  await page.getByRole("button", { name: "Skapa koder och ladda ner filen" }).click();
  await page.locator("#invitations-area-error").waitFor();
  assert.match(await page.locator("#invitations-area-error").innerText(), /finns inte bland kommunens områden/);
  assert.equal(await page.locator("#invitations-area").getAttribute("aria-invalid"), "true");
  assert.equal(await issued(page, "Bro"), before + count);

  assert.deepEqual(foreign, []);
  assert.deepEqual(cspViolations, []);
  assert.deepEqual(errors, []);
});

test("the survey list links to each published round's codes", async () => {
  const { page, errors } = await openPage(running.browser, running.trygg.url, { viewport: { width: 1280, height: 900 } });
  page.setDefaultTimeout(10000);
  await signIn(page, running.trygg.url, ADMIN);
  await page.goto(`${running.trygg.url}admin/surveys`);
  await page.getByRole("link", { name: /^Inbjudningskoder för Trygghetsmätning 2023/ }).click();
  await page.getByRole("heading", { name: "Inbjudningskoder", level: 1 }).waitFor();
  assert.match(await page.locator("#invitations-survey option:checked").innerText(), /Trygghetsmätning 2023/);
  await page.getByText("Inga koder har skapats för den här omgången.").waitFor();
  assert.deepEqual(errors, []);
});

test("the police partner (read only here) sees the table but no form", async () => {
  const { page, errors } = await openPage(running.browser, running.trygg.url, { viewport: { width: 1280, height: 900 } });
  page.setDefaultTimeout(10000);
  await signIn(page, running.trygg.url, POLICE);
  await page.getByRole("link", { name: "Inbjudningskoder" }).click();
  await page.locator("#invitations-table").waitFor();
  assert.ok((await issued(page, "Bro")) >= 2);
  assert.equal(await page.locator("form").count(), 0);
  assert.equal(await page.getByRole("heading", { name: "Skapa koder" }).count(), 0);
  assert.equal(await page.locator("#invitations-count").count(), 0);
  assert.deepEqual(await violations(page, "read only"), []);
  assert.deepEqual(errors, []);
});

for (const lang of ["sv", "en"]) {
  test(`axe finds no violation on the invitation-codes page in ${lang}`, async () => {
    const { page, errors } = await openPage(running.browser, running.trygg.url, { viewport: { width: 1280, height: 900 } });
    page.setDefaultTimeout(10000);
    await signIn(page, running.trygg.url, ADMIN);
    if (lang === "en") {
      await page.getByRole("button", { name: "English" }).click();
      await page.getByRole("link", { name: "Invitation codes" }).waitFor();
    }
    await page.goto(`${running.trygg.url}admin/invitations`);
    await page.locator("#invitations-table").waitFor();
    await page.locator("#invitations-count").waitFor();
    const found = await violations(page, "page");
    await page.locator("#invitations-count").fill("");
    await page.locator("#invitations-count").press("Enter");
    await page.locator(".error-summary").waitFor();
    found.push(...(await violations(page, "with errors")));
    await page.locator("#invitations-count").fill("1");
    const downloading = page.waitForEvent("download");
    await page.locator("#invitations-count").press("Enter");
    await downloading;
    await page.locator("#invitations-status .notice").waitFor();
    found.push(...(await violations(page, "after making codes")));
    assert.deepEqual(found, []);
    assert.deepEqual(errors, []);
  });
}
