// Markup in every string a user can type: an admin stores `<img src=x …>`,
// `<meta http-equiv=refresh …>` and `<script>` in area names, survey titles,
// question and option texts, residents' comments (approved by a moderator),
// focus areas, promises, activities, progress texts, walks, findings and the
// action plan, through the same API the pages use. Then every staff and public
// page that shows them is rendered, map tooltips hovered, and none of the
// markup may have become an element, run or navigated: each text shows as
// typed. A progress text that looks like personal data is kept off the public
// page until the moderator approves it on the moderation page.
import { test } from "node:test";
import assert from "node:assert/strict";
import { withTryggAndBrowser, openPage } from "./support.mjs";
import { ADMIN, MODERATOR } from "./authoring-steps.mjs";
import { openSurvey } from "./survey-steps.mjs";

const MUNICIPALITY = "upplands-bro-demo";
const PUBLISHED = "trygghetsmatning-2023";

// The payload, after a tag naming the field so a failure says which one.
// Inline script is forbidden by the Content-Security-Policy anyway; the test
// looks for the elements themselves, which would be there without the policy.
const mark = (tag) => `${tag}<img src=x onerror=alert(1)><meta http-equiv=refresh content="0;url=/pwned"><script>window.__pwned=1</script>`;
// For fields of at most 40 characters.
const short = (tag) => `${tag}<img src=x>`;

const running = withTryggAndBrowser();

async function signIn(page, account) {
  const response = await page.request.post(`${running.trygg.url}api/v1/admin/session`, {
    data: account,
    headers: { Origin: new URL(running.trygg.url).origin },
  });
  assert.equal(response.status(), 200, await response.text());
  const { csrf_token: csrf } = await response.json();
  return async (method, path, data) => {
    const answer = await page.request.fetch(`${running.trygg.url}api/v1/admin${path}`, {
      method,
      data,
      headers: { "X-CSRF-Token": csrf, Origin: new URL(running.trygg.url).origin },
    });
    const text = await answer.text();
    assert.ok(answer.ok(), `${method} ${path}: ${answer.status()} ${text}`);
    return text ? JSON.parse(text) : null;
  };
}

// Every text of a survey definition a person reads ({sv, en} anywhere in it:
// title, intro, sections, questions, help, option and category labels,
// indicators), marked with the field's name: `OLDTITLE`, `OLDTEXT`, `OLDLABEL`.
function markDefinition(value, tag, name = "") {
  if (Array.isArray(value)) return value.map((v) => markDefinition(v, tag, name));
  if (value === null || typeof value !== "object") return value;
  const keys = Object.keys(value);
  if (keys.includes("sv") && keys.every((k) => k === "sv" || k === "en")) {
    const marked = mark(`${tag}${name.toUpperCase()}`);
    return { sv: marked, en: marked };
  }
  return Object.fromEntries(keys.map((k) => [k, markDefinition(value[k], tag, k)]));
}

// What the page must not hold, and how much of the marked text it shows as text.
async function check(page, view, expected, url = page.url()) {
  // Chromium follows a meta refresh of 0 seconds at once; give it a moment.
  await page.waitForTimeout(300);
  const found = await page.evaluate(() => ({
    injected: [...document.querySelectorAll("img[src='x'], body meta, body script:not([src])")].map((e) => e.outerHTML),
    pwned: window.__pwned ?? null,
    text: document.body.innerText,
  }));
  assert.deepEqual(found.injected, [], `${view}: injected elements`);
  assert.equal(found.pwned, null, `${view}: script ran`);
  assert.equal(page.url(), url, `${view}: navigated`);
  for (const tag of expected) {
    assert.ok(found.text.includes(`${tag}<img src=x`), `${view}: shows ${tag} as text in:\n${found.text.slice(-2500)}`);
  }
}

test("markup typed into any field shows as text on every page and never becomes an element", async () => {
  const { page, errors } = await openPage(running.browser, running.trygg.url, { viewport: { width: 1280, height: 900 } });
  page.setDefaultTimeout(15000);
  const refreshed = [];
  page.on("request", (request) => {
    if (new URL(request.url()).pathname === "/pwned") refreshed.push(request.url());
  });
  const api = await signIn(page, ADMIN);
  const today = new Date().toISOString().slice(0, 10);

  // Areas: the demo's Bro gets a marked name.
  const { areas } = await api("GET", "/areas");
  const bro = areas.find((a) => a.code === "bro");
  await api("PATCH", `/areas/${bro.id}`, { name: mark("AREA") });

  // Both the published round and the open one get marked texts (wording may change).
  const { surveys } = await api("GET", "/surveys");
  const ids = {};
  for (const [slug, tag] of [[PUBLISHED, "OLD"], [openSurvey, "NEW"]]) {
    const id = surveys.find((s) => s.slug === slug).id;
    ids[slug] = id;
    const current = await api("GET", `/surveys/${id}`);
    await api("PUT", `/surveys/${id}`, { definition: markDefinition(current.definition, tag), retention_days: current.retention_days });
  }
  // The public page of a published round is a frozen release: new wording shows once it is republished.
  await api("POST", `/surveys/${ids[PUBLISHED]}/publication/republish`);

  // A resident's comment and pin comment, both later approved.
  const definition = (await api("GET", `/surveys/${ids[openSurvey]}`)).definition;
  const category = definition.questions.find((q) => q.kind === "map").categories[0].key;
  const sent = await page.request.post(`${running.trygg.url}api/v1/surveys/${openSurvey}/responses`, {
    headers: { "Idempotency-Key": crypto.randomUUID(), "Content-Type": "application/json" },
    data: {
      answers: { area: "bro", gender: "man", age_band: "a45_64", evening_safety: "ganska_otrygg", comment: mark("COMMENT") },
      pins: [{ location: [17.6335, 59.512], category, time_of_day: "evening", comment: mark("PIN") }],
      language: "sv",
    },
  });
  assert.equal(sent.status(), 201, await sent.text());

  // The follow-up: focus area, promise, activity, progress, walk, findings, action plan.
  const focus = await api("POST", "/focus-areas", {
    name: mark("FOCUS"), kind: "place", area_code: "bro", starts_on: "2026-01-01", ends_on: "2027-12-31", rationale: mark("WHY"),
  });
  const promise = await api("POST", "/promises", {
    focus_area_id: focus.id, title: { sv: mark("PROMISE"), en: mark("PROMISE") }, starts_on: "2026-01-01", ends_on: "2027-12-31",
    parties: [mark("PARTY")], expected_effect: { sv: mark("EFFECT") },
  });
  const activity = await api("POST", `/promises/${promise.id}/activities`, {
    title: { sv: mark("ACTIVITY") }, owner: mark("OWNER"), target: 10, unit: short("UNIT"), due_on: "2027-12-31",
  });
  await api("POST", `/activities/${activity.id}/progress`, { on: today, amount: 2, text: mark("PROGRESS"), note: mark("INTERNAL") });
  // This one also looks like personal data: the public page waits for a moderator.
  const held = await api("POST", `/activities/${activity.id}/progress`, { on: today, amount: 1, text: `${mark("HELD")} ring 070-123 45 67` });
  assert.equal(held.progress.at(-1).review, "pending");
  const walk = await api("POST", "/walks", {
    title: mark("WALK"), area_code: "bro", walked_on: today, stops: [mark("STOP")], participants: [mark("WHO")],
  });
  const fixed = await api("POST", `/walks/${walk.id}/findings`, {
    location: [17.6335, 59.512], category: "lighting", note: mark("FINDING"), responsible: mark("RESPONSIBLE"),
  });
  await api("PATCH", `/findings/${fixed.id}`, { status: "fixed" });
  const declined = await api("POST", `/walks/${walk.id}/findings`, {
    location: [17.634, 59.5125], category: "other", note: mark("DECLINED"), responsible: mark("RESPONSIBLE"),
  });
  await api("PATCH", `/findings/${declined.id}`, { status: "wont_fix", reason: mark("REASON") });
  await api("POST", "/action-plans", {
    title: mark("PLAN"), starts_on: "2026-01-01", ends_on: "2027-12-31",
    areas: [{ name: mark("PLANAREA"), activities: [{ title: mark("PLANACT"), owner: mark("PLANOWNER"), follow_up: mark("FOLLOW") }] }],
    meetings: [{ held_on: today, kind: mark("MEETING"), decisions: [mark("DECISION")] }],
  });

  // Staff pages, as the admin.
  const staffPages = [
    ["admin/areas", ["AREA"]],
    ["admin/surveys", ["OLDTITLE", "NEWTITLE"]],
    [`admin/surveys/${ids[PUBLISHED]}`, []],
    [`admin/invitations?survey=${ids[openSurvey]}`, []],
    ["admin/moderation", ["HELD"]],
    ["admin/promises", ["PROMISE", "ACTIVITY", "PROGRESS", "HELD"]],
    ["admin/walks", ["WALK"]],
    [`admin/walks/${walk.id}`, ["WALK", "STOP", "WHO", "FINDING", "DECLINED", "RESPONSIBLE", "REASON"]],
    ["admin/focus", ["AREA"]],
    ["admin/plan", ["PLAN", "PLANAREA", "PLANACT", "MEETING", "DECISION"]],
    ["admin/audit", []],
    ["admin/users", []],
    ["admin/account", []],
  ];
  for (const [path, expected] of staffPages) {
    await page.goto(`${running.trygg.url}${path}`, { waitUntil: "networkidle" });
    await page.locator("main h1").first().waitFor();
    await check(page, path, expected);
  }
  // The queue of the open round holds the resident's two comments.
  await page.goto(`${running.trygg.url}admin/moderation`, { waitUntil: "networkidle" });
  await page.locator("#moderation-survey").selectOption(ids[openSurvey]);
  await page.getByRole("button", { name: "Visa", exact: true }).click();
  await page.locator("#moderation-list article", { hasText: "COMMENT<img" }).waitFor();
  await check(page, "admin/moderation of the open round", ["COMMENT", "PIN", "HELD"]);
  // The editor shows the definition in its inputs, where markup is a value.
  await page.goto(`${running.trygg.url}admin/surveys/${ids[PUBLISHED]}`, { waitUntil: "networkidle" });
  assert.match(await page.locator("#f-title-sv").inputValue(), /^OLDTITLE<img src=x/);

  // The map's area names are tooltips: each shows its name as text.
  await page.goto(`${running.trygg.url}admin/areas`, { waitUntil: "networkidle" });
  await page.locator("#area-map[data-areas]").waitFor();
  assert.match(await page.locator(".leaflet-tooltip.area-label", { hasText: "AREA<img" }).textContent(), /^AREA<img src=x/);
  await check(page, "areas map", ["AREA"]);

  // Until a moderator has looked, the public page shows the progress but not the held text.
  const early = await openPage(running.browser, running.trygg.url);
  await early.page.goto(`${running.trygg.url}lofte/${MUNICIPALITY}`, { waitUntil: "networkidle" });
  await check(early.page, "public follow-up before moderation", ["PROGRESS", "FINDING"]);
  assert.ok(!(await early.page.locator("main").innerText()).includes("HELD"), "the held text is not public yet");
  await early.context.close();

  // The moderator approves the comments and the held progress text.
  const moderator = await openPage(running.browser, running.trygg.url, { viewport: { width: 1280, height: 900 } });
  const moderate = await signIn(moderator.page, MODERATOR);
  for (const c of (await moderate("GET", `/moderation?survey=${ids[openSurvey]}`)).comments.filter((c) => /^(COMMENT|PIN)</.test(c.text))) {
    await moderate("POST", `/moderation/${c.id}`, { decision: "approve" });
  }
  await moderator.page.goto(`${running.trygg.url}admin/moderation`, { waitUntil: "networkidle" });
  const article = moderator.page.locator("#staff-text-list article", { hasText: "HELD<img" });
  await article.getByLabel("Godkänn som den är").check();
  await article.getByRole("button", { name: "Spara beslut" }).click();
  await moderator.page.getByText("Beslutet om text 1 är sparat.").waitFor();
  await check(moderator.page, "moderation after a decision", []);
  assert.deepEqual(moderator.errors, []);
  await moderator.context.close();

  // The lägesbild dashboard of each round, with its map's tooltips hovered.
  for (const [slug, expected] of [[PUBLISHED, ["OLDLABEL", "OLDTEXT"]], [openSurvey, ["NEWLABEL", "COMMENT", "PIN"]]]) {
    const path = `admin/surveys/${ids[slug]}/lagesbild`;
    await page.goto(`${running.trygg.url}${path}`, { waitUntil: "networkidle" });
    await page.locator("#map[data-ready]").waitFor();
    await check(page, path, expected);
  }
  // Walk findings are drawn on the map of the findings' area.
  await page.goto(`${running.trygg.url}admin/surveys/${ids[PUBLISHED]}/lagesbild?area=bro`, { waitUntil: "networkidle" });
  await page.locator("#map[data-ready]").waitFor();
  const findings = page.locator("#map path.finding");
  assert.ok(await findings.count() >= 2, "the walk's findings are on the map");
  // Leaflet opens a path's tooltip on mouseover wherever the pointer is.
  const tooltips = [];
  for (let i = 0; i < await findings.count(); i += 1) {
    await findings.nth(i).dispatchEvent("mouseover");
    tooltips.push(await page.locator(".leaflet-tooltip").last().textContent());
    await check(page, `lägesbild finding ${i}'s tooltip`, []);
    await findings.nth(i).dispatchEvent("mouseout");
  }
  assert.ok(tooltips.some((t) => t.startsWith("belysning: FINDING<img src=x")), tooltips.join("\n"));
  const hex = page.locator("#map path.hex-cell").first();
  await hex.dispatchEvent("mouseover");
  await page.locator(".leaflet-tooltip").last().waitFor();
  await check(page, "lägesbild map with tooltips", []);

  // Public pages, signed out.
  const visitor = await openPage(running.browser, running.trygg.url, { viewport: { width: 1280, height: 900 } });
  const publicPages = [
    ["", ["NEWTITLE"]],
    [`s/${openSurvey}`, ["NEWTITLE"]],
    [`r/${PUBLISHED}`, ["OLDTEXT", "OLDLABEL"]],
    [`lofte/${MUNICIPALITY}`, ["PROMISE", "FOCUS", "ACTIVITY", "PROGRESS", "HELD", "FINDING", "REASON"]],
    ["api/docs", []],
  ];
  for (const [path, expected] of publicPages) {
    await visitor.page.goto(`${running.trygg.url}${path}`, { waitUntil: "networkidle" });
    await check(visitor.page, `/${path}`, expected);
  }
  const internal = await (await visitor.page.request.get(`${running.trygg.url}api/v1/public/${MUNICIPALITY}/follow-up`)).text();
  assert.ok(!internal.includes("INTERNAL"), "internal notes never reach the public");
  assert.deepEqual(visitor.errors, []);
  await visitor.context.close();

  assert.deepEqual(refreshed, [], "no page followed an injected refresh");
  assert.deepEqual(errors, []);
});

test("the checks find markup that does become an element", async () => {
  // The same check against a page where markup is put into innerHTML on purpose,
  // so a passing run above means something.
  const { page } = await openPage(running.browser, running.trygg.url);
  await page.goto(running.trygg.url, { waitUntil: "networkidle" });
  // No refresh here: the page would be gone before the check could look.
  await page.evaluate((html) => document.querySelector("main").insertAdjacentHTML("beforeend", html), short("CANARY"));
  await assert.rejects(check(page, "canary", []), /injected elements/);
  await page.context().close();
});
