// axe-core finds no WCAG 2.1 A/AA violation on any view of the survey, in
// Swedish and in English: the privacy notice, every part (with and without
// error messages), the map with a pin, the pin dialog (with and without
// errors), sending, the thank-you page and the closed page.
import { test } from "node:test";
import assert from "node:assert/strict";
import { withTryggAndBrowser, openPage, violations } from "./support.mjs";
import { phone, surveyPath } from "./survey-steps.mjs";
import sv from "../../web/js/i18n/sv.js";
import en from "../../web/js/i18n/en.js";

const running = withTryggAndBrowser();

for (const [t, device] of [[sv, phone], [en, { viewport: { width: 1280, height: 900 } }]]) {
  test(`axe finds no violation on any view of the survey in ${t.name}`, async () => {
    const { page, errors } = await openPage(running.browser, running.trygg.url, device);
    page.setDefaultTimeout(10000);
    await page.goto(running.trygg.url + surveyPath());
    await page.getByRole("button", { name: sv.begin }).waitFor();
    if (t !== sv) await page.getByRole("button", { name: t.name }).click();
    await page.getByRole("button", { name: t.begin }).waitFor();
    const found = await violations(page, "privacy notice");

    await page.getByRole("button", { name: t.begin }).click();
    await page.getByRole("button", { name: t.next }).click();
    await page.locator(".error-summary").waitFor();
    found.push(...(await violations(page, "part 1 with errors")));
    for (let part = 1; part <= 4; part++) {
      for (const group of await page.locator("fieldset.question").all()) {
        const first = group.locator("input[type=radio]").first();
        if (await first.count()) await first.check();
      }
      found.push(...(await violations(page, `part ${part}`)));
      await page.getByRole("button", { name: t.next }).click();
      await page.getByText(t.progress(part + 1, 5)).waitFor();
    }

    await page.locator(".map").waitFor();
    found.push(...(await violations(page, "map")));
    await page.getByRole("button", { name: t.placeHere }).click();
    const dialog = page.getByRole("dialog");
    await dialog.waitFor();
    found.push(...(await violations(page, "pin dialog")));
    await dialog.getByRole("button", { name: t.save }).click();
    await dialog.locator(".error").first().waitFor();
    found.push(...(await violations(page, "pin dialog with errors")));
    await dialog.locator("input[name=category]").first().check();
    await dialog.locator("input[name=time_of_day]").first().check();
    await dialog.getByRole("button", { name: t.save }).click();
    await page.getByText(t.pinSaved(1)).waitFor();
    found.push(...(await violations(page, "map with a pin")));
    await page.getByRole("button", { name: t.wordsButton }).click();
    await dialog.waitFor();
    found.push(...(await violations(page, "words dialog")));
    await page.keyboard.press("Escape");

    await page.getByRole("button", { name: t.send }).click();
    await page.getByRole("heading", { name: t.thanksHeading }).waitFor();
    found.push(...(await violations(page, "thank-you page")));

    await page.goto(running.trygg.url + surveyPath("trygghetsmatning-2021"));
    await page.getByRole("heading", { name: t.closedTitle }).waitFor();
    found.push(...(await violations(page, "closed page")));
    assert.deepEqual(found, []);
    assert.deepEqual(errors, []);
  });
}
