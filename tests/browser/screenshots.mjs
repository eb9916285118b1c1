// Takes the survey screenshots kept in docs/screenshots/: phone and desktop,
// Swedish and English, with the map and pins. Run after building trygg:
//   node tests/browser/screenshots.mjs
import { startTrygg, startBrowser, openPage } from "./support.mjs";
import { phone, surveyPath, openSurvey } from "./survey-steps.mjs";

const out = new URL("../../docs/screenshots/", import.meta.url).pathname;
const desktop = { viewport: { width: 1280, height: 900 } };

// A draft on the map part with one pin of each kind.
const draft = {
  key: "00000000-0000-4000-8000-000000000000",
  page: 5,
  sending: false,
  answers: { area: "bro", gender: "kvinna", age_band: "a25_44", evening_safety: "ganska_otrygg" },
  pins: [
    { via: "map", location: [17.628, 59.514], category: "belysning", time_of_day: "evening", comment: "Lamporna längs gångvägen är trasiga" },
    { via: "list", place: "Kungsängen station", location: [17.747, 59.4795], category: "grupper", time_of_day: "night" },
    { via: "words", description: "Gångtunneln under järnvägen vid skolan", category: "buskage", time_of_day: "always" },
  ],
};

const trygg = await startTrygg();
const browser = await startBrowser();
try {
  for (const [device, size] of [["phone", phone], ["desktop", desktop]]) {
    for (const lang of ["sv", "en"]) {
      const { page, context } = await openPage(browser, trygg.url, size);
      await page.goto(trygg.url + surveyPath());
      await page.evaluate(([slug, d, l]) => {
        localStorage.setItem(`trygg.survey.${slug}`, JSON.stringify(d));
        localStorage.setItem("trygg.lang", l);
      }, [openSurvey, draft, lang]);
      await page.reload();
      await page.locator(".pin-marker").first().waitFor();
      if (device === "phone") {
        await page.locator(".map-question .skip-map").scrollIntoViewIfNeeded();
        await page.evaluate(() => document.querySelector(".map-question .skip-map").scrollIntoView());
        await page.screenshot({ path: `${out}survey-${device}-${lang}-map.png` });
        await page.locator(".map").tap({ position: { x: 150, y: 200 } });
        await page.getByRole("dialog").waitFor();
        await page.screenshot({ path: `${out}survey-${device}-${lang}-pin-dialog.png` });
      } else {
        await page.screenshot({ path: `${out}survey-${device}-${lang}-map.png`, fullPage: true });
      }
      await context.close();
    }
  }
  const { page, context } = await openPage(browser, trygg.url, desktop);
  await page.goto(trygg.url + surveyPath());
  await page.locator("#page h2").waitFor();
  await page.screenshot({ path: `${out}survey-desktop-sv-privacy.png`, fullPage: true });
  await page.goto(trygg.url + surveyPath("trygghetsmatning-2023"));
  await page.locator(".notice").waitFor();
  await page.screenshot({ path: `${out}survey-desktop-sv-closed.png` });
  await context.close();
} finally {
  await browser.close();
  await trygg.stop();
}

// The lägesbild of the demo's 2023 round: the analysts' dashboard on a desktop
// and a phone, and every page of its PDF report (pdftoppm, poppler-utils).
{
  const { execFileSync } = await import("node:child_process");
  const { writeFileSync, mkdtempSync } = await import("node:fs");
  const { tmpdir } = await import("node:os");
  const { join } = await import("node:path");
  const trygg = await startTrygg();
  const browser = await startBrowser();
  try {
    const origin = new URL(trygg.url).origin;
    for (const [device, size] of [["desktop", desktop], ["phone", phone]]) {
      const { page, context } = await openPage(browser, trygg.url, size);
      await page.request.post(`${trygg.url}api/v1/admin/session`, {
        data: { email: "analytiker@trygg.example", password: "demo-analytiker-trygg" },
        headers: { Origin: origin },
      });
      const list = await (await page.request.get(`${trygg.url}api/v1/admin/surveys`)).json();
      const id = list.surveys.find((s) => s.slug === "trygghetsmatning-2023").id;
      await page.goto(`${trygg.url}admin/surveys/${id}/lagesbild`);
      await page.locator('#map[data-ready="true"]').waitFor({ state: "attached", timeout: 60000 });
      await page.waitForTimeout(1000);
      await page.screenshot({ path: `${out}lagesbild-dashboard-${device}-sv.png`, fullPage: device === "desktop" });
      if (device === "desktop") {
        await page.locator("#map").scrollIntoViewIfNeeded();
        await page.locator("#map").screenshot({ path: `${out}lagesbild-dashboard-map-sv.png` });
        const pdf = await page.request.get(`${trygg.url}api/v1/admin/surveys/${id}/lagesbild/export?format=pdf`, { timeout: 120000 });
        const dir = mkdtempSync(join(tmpdir(), "trygg-pdf-"));
        writeFileSync(join(dir, "lagesbild.pdf"), await pdf.body());
        execFileSync("pdftoppm", ["-r", "60", "-png", join(dir, "lagesbild.pdf"), `${out}lagesbild-pdf-page`]);
      }
      await context.close();
    }
  } finally {
    await browser.close();
    await trygg.stop();
  }
}
