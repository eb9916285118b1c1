// The lägesbild in a real browser, on the demo's 2023 round: an analyst filters
// by area (clicking a bar) and gender and the key figures, tables, charts and map
// follow, with the same numbers as the API under the same filters; a partner
// (police) reads the dashboard but is offered no pin file and is refused it; the
// public page /r/{slug} shows no cell under 30 answers and no hexagon under 5 pins,
// counted again from trygg's own exports of the database; axe-core finds no
// WCAG 2.1 A/AA violation on the dashboard or the public page in either language.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { withTryggAndBrowser, openPage, violations } from "./support.mjs";

// The demo's analyst (crates/trygg-cli/src/demo/staff.rs).
const ANALYST = { email: "analytiker@trygg.example", password: "demo-analytiker-trygg" };
const SLUG = "trygghetsmatning-2023";
// Pin categories that count on a public map only from 10 pins in a cell
// (crates/trygg-lagesbild/src/model.rs, `is_sensitive`).
const SENSITIVE = new Set(["trakasserier", "sexuella_trakasserier", "sexualbrott", "vald", "hot", "harassment", "sexual_harassment", "violence"]);

let surveyId;

const running = withTryggAndBrowser();

// A `trygg` command on the test's database; exports of a whole round are larger
// than execFileSync's default buffer.
function cli(args) {
  const binary = process.env.TRYGG_BIN ?? join(new URL("../../", import.meta.url).pathname, "target/debug/trygg");
  const env = { ...process.env, TRYGG__DATABASE__URL: `sqlite://${running.trygg.dir}/trygg.db?mode=rwc`, RUST_LOG: "warn" };
  return execFileSync(binary, args, { cwd: running.trygg.dir, env, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
}

async function signIn(page, { email, password }) {
  const response = await page.request.post(`${running.trygg.url}api/v1/admin/session`, {
    data: { email, password },
    headers: { Origin: new URL(running.trygg.url).origin },
  });
  assert.equal(response.status(), 200, await response.text());
  return response.json();
}

async function survey(page) {
  const list = await (await page.request.get(`${running.trygg.url}api/v1/admin/surveys`)).json();
  return list.surveys.find((s) => s.slug === SLUG).id;
}

// What the dashboard shows right now: key figures, the evening-unsafe indicator,
// the evening question's table and chart, and the map's hexagons.
function shown(page) {
  return page.evaluate(() => {
    const digits = (text) => Number(text.replace(/[^\d]/g, ""));
    const figures = [...document.querySelectorAll(".key-figures dd")].map((dd) => digits(dd.textContent));
    const figure = document.querySelector('figure[data-question="evening_safety"]');
    return {
      respondents: figures[0],
      pins: figures[1],
      evening: Number(document.querySelector('tr[data-indicator="evening_unsafe"] td[data-value]').dataset.value),
      rows: [...figure.querySelectorAll("tbody tr")].map((tr) => [tr.dataset.key, Number(tr.dataset.n)]),
      tableShares: [...figure.querySelectorAll("tbody tr")].map((tr) => tr.querySelectorAll("td")[0].textContent),
      chartShares: [...figure.querySelectorAll("svg g.bar text.value")].map((text) => text.textContent),
      hexes: document.querySelectorAll("#map path.hex-cell").length,
      findings: document.querySelectorAll("#map path.finding").length,
      findingRows: document.querySelectorAll("table.findings tbody tr").length,
      search: location.search,
    };
  });
}

// Pins on the clustered map: single markers plus the counts on the clusters.
function mapPins() {
  let n = document.querySelectorAll("#map path.pin").length;
  for (const span of document.querySelectorAll("#map .marker-cluster span")) n += Number(span.textContent);
  return n;
}

async function expectMatchesApi(page, query) {
  const api = `${running.trygg.url}api/v1/admin/surveys/${surveyId}/lagesbild`;
  const expected = await (await page.request.get(`${api}${query}`)).json();
  const pins = await (await page.request.get(`${api}/pins${query}`)).json();
  const now = await shown(page);
  assert.equal(now.respondents, expected.key_figures.respondents);
  assert.equal(now.pins, expected.key_figures.pins);
  assert.equal(pins.total, expected.key_figures.pins);
  assert.equal(pins.pins.length + pins.groups.reduce((n, g) => n + g.count, 0), expected.key_figures.pins);
  const indicator = expected.report.indicators.find((t) => t.key === "evening_unsafe" && t.group_by.length === 0);
  assert.equal(now.evening, indicator.cells[0].estimate.value);
  const table = expected.report.tables.find((t) => t.question === "evening_safety" && t.group_by.length === 0);
  const bases = table.cells.filter((c) => !c.dont_know).map((c) => [c.option, c.estimate.n]);
  assert.deepEqual(now.rows, bases);
  // The chart and its table alternative print the same shares.
  assert.deepEqual(now.chartShares, now.tableShares);
  assert.equal(now.hexes, expected.map.cells.filter((c) => c.ring && c.ring.length).length);
  // The safety-walk layer and its table show the API's findings.
  assert.equal(now.findings, expected.findings.length);
  assert.equal(now.findingRows, expected.findings.length);
  await page.waitForFunction(mapPins, expected.key_figures.pins, { polling: 200 }).catch(async () => {
    assert.equal(await page.evaluate(mapPins), expected.key_figures.pins, "pins on the map");
  });
  return now;
}

test("an analyst filters by a bar and by gender and the figures, tables, charts and map follow the API", async () => {
  const { page, foreign, cspViolations, errors } = await openPage(running.browser, running.trygg.url, { viewport: { width: 1280, height: 900 } });
  page.setDefaultTimeout(20000);
  await signIn(page, ANALYST);
  surveyId = await survey(page);
  await page.goto(`${running.trygg.url}admin/surveys/${surveyId}/lagesbild`);
  await page.locator('#map[data-ready="true"]').waitFor({ state: "attached" });
  const all = await expectMatchesApi(page, "");
  // The demo's walk in Bro has eight findings, some fixed; another area has none.
  assert.equal(all.findings, 8);
  assert.ok(await page.locator("#map path.finding-fixed").count() > 0);
  const elsewhere = await (await page.request.get(`${running.trygg.url}api/v1/admin/surveys/${surveyId}/lagesbild?area=kungsangen`)).json();
  assert.deepEqual(elsewhere.findings, []);

  // Clicking Bro's bar in the area breakdown filters everything.
  await page.locator('figure[data-breakdown="area"] g.bar[data-key="bro"]').click();
  await page.locator("#filter-summary", { hasText: "Bro" }).waitFor();
  await page.locator('#map[data-ready="true"]').waitFor({ state: "attached" });
  const bro = await expectMatchesApi(page, "?area=bro");
  assert.equal(bro.search, "?area=bro");
  assert.ok(bro.respondents < all.respondents, `${bro.respondents} of ${all.respondents}`);
  assert.ok(bro.pins < all.pins);
  assert.notEqual(bro.evening, all.evening);
  assert.notEqual(bro.hexes, all.hexes);
  assert.equal(await page.locator("#filter-area").inputValue(), "bro");

  // Then women only, from the form.
  await page.locator("#filter-gender").selectOption("kvinna");
  await page.locator("#filter-summary", { hasText: "Kvinna" }).waitFor();
  await page.locator('#map[data-ready="true"]').waitFor({ state: "attached" });
  const women = await expectMatchesApi(page, "?area=bro&gender=kvinna");
  assert.ok(women.respondents < bro.respondents);
  assert.ok(women.pins < bro.pins);
  assert.notEqual(women.evening, bro.evening);

  // Clearing the selection brings back every respondent.
  await page.getByRole("button", { name: "Rensa urvalet" }).click();
  await page.waitForFunction(() => location.search === "" && document.getElementById("filter-summary")?.textContent === "");
  await page.locator('#map[data-ready="true"]').waitFor({ state: "attached" });
  assert.equal((await expectMatchesApi(page, "")).respondents, all.respondents);

  // The demo has population figures, so the numbers can be weighted to them.
  await page.locator("#filter-weighted").check();
  await page.locator("#filter-summary", { hasText: "vägda" }).waitFor();
  await page.locator('#map[data-ready="true"]').waitFor({ state: "attached" });
  const weighted = await expectMatchesApi(page, "?weighted=true");
  assert.equal(weighted.respondents, all.respondents);
  assert.notEqual(weighted.evening, all.evening);

  assert.deepEqual(foreign, []);
  assert.deepEqual(cspViolations, []);
  assert.deepEqual(errors, []);
});

test("a partner reads the dashboard but is offered no pin file and is refused it", async () => {
  const printed = running.trygg.run(["user", "add", "--email", "polis.lagesbild@trygg.example", "--role", "partner"]);
  const oneTime = printed.match(/One-time password: (\S+)/)[1];
  const { page, errors } = await openPage(running.browser, running.trygg.url, { viewport: { width: 1280, height: 900 } });
  page.setDefaultTimeout(20000);
  const first = await signIn(page, { email: "polis.lagesbild@trygg.example", password: oneTime });
  const changed = await page.request.post(`${running.trygg.url}api/v1/admin/session/password`, {
    data: { current_password: oneTime, new_password: "polisens eget lösenord" },
    headers: { "X-CSRF-Token": first.csrf_token, Origin: new URL(running.trygg.url).origin },
  });
  assert.equal(changed.status(), 204);
  await signIn(page, { email: "polis.lagesbild@trygg.example", password: "polisens eget lösenord" });
  const id = await survey(page);
  await page.goto(`${running.trygg.url}admin/surveys/${id}/lagesbild`);
  await page.locator('#map[data-ready="true"]').waitFor({ state: "attached" });
  assert.ok(Number((await page.locator(".key-figures dd").first().textContent()).replace(/[^\d]/g, "")) > 1000);
  // Tables and hexagons may leave; the pins may not, and publishing is the analysts'.
  assert.equal(await page.locator('[data-export="xlsx"]').count(), 1);
  assert.equal(await page.locator('[data-export="cells"]').count(), 1);
  assert.equal(await page.locator('[data-export="pins"]').count(), 0);
  assert.equal(await page.locator("#publish, #unpublish").count(), 0);
  const api = `${running.trygg.url}api/v1/admin/surveys/${id}/lagesbild`;
  for (const path of ["/pins.geojson", "/pins.geojson?area=bro"]) {
    const refused = await page.request.get(`${api}${path}`);
    assert.equal(refused.status(), 403, path);
    assert.equal((await refused.json()).error, "forbidden");
  }
  assert.equal((await page.request.get(`${api}/export?format=cells`)).status(), 200);
  assert.deepEqual(errors, []);
});

test("the publish button refuses the open round saying why, and republishing asks first and says who published when", async () => {
  const { page } = await openPage(running.browser, running.trygg.url, { viewport: { width: 1280, height: 900 } });
  page.setDefaultTimeout(20000);
  await signIn(page, ANALYST);
  const list = await (await page.request.get(`${running.trygg.url}api/v1/admin/surveys`)).json();
  const open = list.surveys.find((s) => s.slug === "trygghetsmatning-2026").id;
  await page.goto(`${running.trygg.url}admin/surveys/${open}/lagesbild`);
  await page.locator("#publish").click();
  const status = page.locator("#publish-status");
  await status.filter({ hasText: "Kan inte publicera:" }).waitFor();
  assert.match(await status.textContent(), /Kan inte publicera: Omgången tar fortfarande emot svar\./);
  assert.equal((await page.request.get(`${running.trygg.url}api/v1/results/trygghetsmatning-2026`)).status(), 404);

  // The published 2023 round: republishing asks first, then names who and when.
  const id = await survey(page);
  await page.goto(`${running.trygg.url}admin/surveys/${id}/lagesbild`);
  await page.locator("#republish").waitFor();
  page.once("dialog", (dialog) => dialog.dismiss());
  await page.locator("#republish").click();
  assert.equal((await (await page.request.get(`${running.trygg.url}api/v1/results/${SLUG}`)).json()).publication.version, 1);
  page.once("dialog", (dialog) => dialog.accept());
  await page.locator("#republish").click();
  await page.getByText(`av ${ANALYST.email}`).waitFor();
  const published = await (await page.request.get(`${running.trygg.url}api/v1/results/${SLUG}`)).json();
  assert.equal(published.publication.version, 2);
  assert.equal(published.publication.published_on, "2023-12-11");
});

// Whether (lon, lat) lies inside the closed ring (ray casting; a hexagon of
// ~170 m is flat enough in degrees).
function inside([x, y], ring) {
  let within = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i];
    const [xj, yj] = ring[j];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) within = !within;
  }
  return within;
}

test("the public page shows no cell under 30 answers and no hexagon under 5 pins, counted from the database", async () => {
  const { page, foreign, errors } = await openPage(running.browser, running.trygg.url, { viewport: { width: 1280, height: 900 } });
  page.setDefaultTimeout(20000);
  await page.goto(`${running.trygg.url}r/${SLUG}`);
  await page.locator('#map[data-ready="true"]').waitFor({ state: "attached" });

  // Every response and pin of the round as the analyst exports them.
  const responses = cli(["export", "responses", "--survey", SLUG, "--format", "jsonl"]).split("\n").filter(Boolean).map((line) => JSON.parse(line));
  const pins = JSON.parse(cli(["export", "pins", "--survey", SLUG, "--format", "geojson"])).features;
  assert.ok(responses.length > 1000 && pins.length > 1000);
  const definition = JSON.parse(cli(["survey", "show", "--json", SLUG]));
  const dontKnow = new Map(definition.questions.map((q) => [q.key, new Set((q.options ?? []).filter((o) => o.dont_know).map((o) => o.key))]));
  const answered = (r, key) => {
    const a = r.answers[key];
    const chosen = Array.isArray(a) ? a : a === undefined ? [] : [a];
    return chosen.some((o) => !dontKnow.get(key)?.has(o));
  };

  const cells = await page.evaluate(() => {
    const rows = [];
    for (const figure of document.querySelectorAll("figure[data-question], figure[data-breakdown]")) {
      for (const tr of figure.querySelectorAll("tbody tr")) {
        rows.push({ question: figure.dataset.question, breakdown: figure.dataset.breakdown, key: tr.dataset.key, n: tr.dataset.n ? Number(tr.dataset.n) : null, value: tr.querySelectorAll("td")[0].textContent });
      }
    }
    return rows;
  });
  assert.ok(cells.length > 50);
  let checked = 0;
  for (const cell of cells) {
    if (cell.n === null) {
      assert.match(cell.value, /dold/, JSON.stringify(cell));
      continue;
    }
    assert.ok(cell.n >= 30, `a cell with ${cell.n} answers is public: ${JSON.stringify(cell)}`);
    // Recount the base from the responses.
    const base = cell.question
      ? responses.filter((r) => answered(r, cell.question)).length
      : responses.filter((r) => r.answers[cell.breakdown] === cell.key && answered(r, "evening_safety")).length;
    assert.equal(cell.n, base, JSON.stringify(cell));
    checked++;
  }
  assert.ok(checked > 50);
  // The small groups of the gender breakdown are hidden, so the test could fail.
  assert.ok(cells.some((c) => c.n === null));
  for (const n of await page.locator("table.indicators tbody td:nth-child(4)").allTextContents()) {
    if (n.trim()) assert.ok(Number(n.replace(/[^\d]/g, "")) >= 30, n);
  }

  // Hexagons: the table under the map, the map itself and the data agree, and
  // every published hexagon holds at least 5 pins in the database (sensitive
  // categories only from 10).
  const published = await (await page.request.get(`${running.trygg.url}api/v1/results/${SLUG}`)).json();
  const rows = await page.locator("table.cells tbody tr").evaluateAll((trs) => trs.map((tr) => [tr.dataset.h3, Number(tr.dataset.count)]));
  assert.ok(rows.length > 10);
  assert.equal(await page.locator("#map path.hex-cell").count(), rows.length);
  assert.equal(await page.locator("#map path.pin, #map .marker-cluster, #map path.finding").count(), 0);
  assert.equal(published.findings, undefined);
  for (const [h3, count] of rows) {
    const cell = published.map.cells.find((c) => c.h3 === h3);
    const within = pins.filter((p) => inside(p.geometry.coordinates, cell.ring));
    const sensitive = within.filter((p) => SENSITIVE.has(p.properties.category)).length;
    const countable = sensitive >= 10 ? within.length : within.length - sensitive;
    assert.ok(countable >= 5, `${h3}: ${countable} pins`);
    assert.equal(count, countable, h3);
  }
  // The staff map has hexagons of 1–4 pins, so the rule had something to hide,
  // and none of them is public.
  await signIn(page, ANALYST);
  const staff = await (await page.request.get(`${running.trygg.url}api/v1/admin/surveys/${await survey(page)}/lagesbild`)).json();
  const small = staff.map.cells.filter((c) => c.count > 0 && c.count < 5).map((c) => c.h3);
  assert.ok(small.length > 0);
  for (const h3 of small) assert.ok(!rows.some(([shown]) => shown === h3), h3);
  const text = await page.locator("main").textContent();
  for (const p of pins.filter((p) => p.properties.comment).slice(0, 50)) assert.ok(!text.includes(p.properties.comment));
  assert.deepEqual(foreign, []);
  assert.deepEqual(errors, []);
});

for (const lang of ["sv", "en"]) {
  test(`axe finds no violation on the dashboard or the public page in ${lang}`, async () => {
    const { page, errors } = await openPage(running.browser, running.trygg.url, { viewport: { width: 1280, height: 900 } });
    page.setDefaultTimeout(20000);
    await signIn(page, ANALYST);
    const id = await survey(page);
    const found = [];
    for (const path of [`admin/surveys/${id}/lagesbild`, `admin/surveys/${id}/lagesbild?area=bro`, `r/${SLUG}`]) {
      await page.goto(`${running.trygg.url}${path}`);
      await page.locator('#map[data-ready="true"]').waitFor({ state: "attached" });
      if (lang === "en") {
        await page.getByRole("button", { name: "English" }).click();
        await page.locator("html[lang=en]").waitFor({ state: "attached" });
        await page.locator('#map[data-ready="true"]').waitFor({ state: "attached" });
      }
      // Open every table alternative, so axe checks the tables too.
      await page.locator("details").evaluateAll((all) => all.forEach((d) => { d.open = true; }));
      found.push(...(await violations(page, path)));
    }
    assert.deepEqual(found, []);
    assert.deepEqual(errors, []);
  });
}
