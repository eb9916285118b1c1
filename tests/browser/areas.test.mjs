// The areas page (Områden): an analyst uploads a GeoJSON file with one bad
// feature and is told which one; after fixing it the new areas are on the
// map. axe-core finds no WCAG 2.1 A/AA violation on the page in either language.
import { test } from "node:test";
import assert from "node:assert/strict";
import { AxeBuilder } from "@axe-core/playwright";
import { withTryggAndBrowser, openPage } from "./support.mjs";

// The demo's analyst account (crates/trygg-cli/src/demo/staff.rs).
const ANALYST = { email: "analytiker@trygg.example", password: "demo-analytiker-trygg" };

const running = withTryggAndBrowser();

function square(name, code, west, south) {
  const [east, north] = [west + 0.04, south + 0.02];
  return {
    type: "Feature",
    properties: { name, code },
    geometry: { type: "Polygon", coordinates: [[[west, south], [east, south], [east, north], [west, north], [west, south]]] },
  };
}

function file(features) {
  return { name: "omraden.geojson", mimeType: "application/geo+json", buffer: Buffer.from(JSON.stringify({ type: "FeatureCollection", features })) };
}

async function signIn(page) {
  await page.goto(`${running.trygg.url}admin/areas`);
  await page.locator("#email").fill(ANALYST.email);
  await page.locator("#password").fill(ANALYST.password);
  await page.locator("form button[type=submit]").click();
  await page.locator("nav ul").waitFor();
  await page.goto(`${running.trygg.url}admin/areas`);
  await page.locator("#area-map[data-areas]").waitFor();
}

test("a GeoJSON file with one bad feature names it, and once fixed the areas are on the map", async () => {
  const { page, foreign, cspViolations, errors } = await openPage(running.browser, running.trygg.url, { viewport: { width: 1280, height: 900 } });
  page.setDefaultTimeout(10000);
  await signIn(page);
  assert.equal(await page.locator("#area-map").getAttribute("data-areas"), "4", "the demo's four districts");
  assert.match(await page.locator("#population-summary").textContent(), /invånare/);

  const tibble = square("Tibble", "tibble", 17.85, 59.45);
  const ekhammar = square("Ekhammar", "ekhammar", 17.9, 59.47);
  // An open ring: the last position is not the first.
  ekhammar.geometry.coordinates[0][4] = [17.91, 59.48];
  await page.locator("#areas-file").setInputFiles(file([tibble, ekhammar]));
  await page.getByRole("button", { name: "Ladda upp", exact: true }).click();
  const summary = page.locator(".error-summary");
  await summary.waitFor();
  assert.match(await summary.textContent(), /Objekt 2, “Ekhammar”: Områdets gräns är inte en giltig yta\./);
  assert.equal(await page.evaluate(() => document.activeElement.classList.contains("error-summary")), true);
  assert.equal(await page.locator("#areas-file").getAttribute("aria-invalid"), "true");
  assert.equal(await page.locator("#area-map").getAttribute("data-areas"), "4", "nothing was stored");

  ekhammar.geometry.coordinates[0][4] = ekhammar.geometry.coordinates[0][0];
  await page.locator("#areas-file").setInputFiles(file([tibble, ekhammar]));
  await page.getByRole("button", { name: "Ladda upp", exact: true }).click();
  await page.getByText("6 områden finns nu.").waitFor();
  assert.equal(await page.locator(".error-summary").count(), 0);
  await page.locator("#area-map[data-areas='6']").waitFor();
  // Each area is drawn with its name on the map.
  for (const name of ["Tibble", "Ekhammar", "Bro", "Kungsängen"]) {
    await page.locator(".leaflet-tooltip.area-label", { hasText: name }).first().waitFor();
  }
  assert.equal(await page.locator("#area-map path.leaflet-interactive, #area-map svg path").count() >= 6, true);

  // Renaming an area by keyboard.
  const input = page.getByLabel("Namn på Tibble", { exact: true });
  await input.fill("Tibble centrum");
  await page.getByRole("button", { name: "Spara namn på Tibble" }).press("Enter");
  await page.getByText("Området heter nu Tibble centrum.").waitFor();
  await page.locator(".leaflet-tooltip.area-label", { hasText: "Tibble centrum" }).waitFor();

  assert.deepEqual(foreign, []);
  assert.deepEqual(cspViolations, []);
  assert.deepEqual(errors, []);
});

for (const lang of ["sv", "en"]) {
  test(`axe finds no violation on the areas page in ${lang}`, async () => {
    const { page, errors } = await openPage(running.browser, running.trygg.url, { viewport: { width: 1280, height: 900 } });
    page.setDefaultTimeout(10000);
    await signIn(page);
    if (lang === "en") {
      await page.getByRole("button", { name: "English" }).click();
      await page.getByRole("heading", { name: "Areas", level: 1 }).waitFor();
      await page.locator("#area-map[data-areas]").waitFor();
    }
    const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
    const found = results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`);
    assert.deepEqual(found, []);
    assert.deepEqual(errors, []);
  });
}
