// A survey that asks for proof of work: the resident's page solves the
// challenge unseen with the vendored ALTCHA widget and the response is stored,
// with no request to another host and nothing the CSP refuses.
import { test } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { withTryggAndBrowser, openPage } from "./support.mjs";
import { surveyPath, answerRequired, storedResponse, watchSubmissions } from "./survey-steps.mjs";

const slug = "trygghet-med-kontroll";
const running = withTryggAndBrowser(async ({ trygg }) => {
  const definition = JSON.parse(trygg.run(["survey", "show", "trygghetsmatning-2026", "--json"]));
  definition.slug = slug;
  definition.proof_of_work = true;
  const file = join(trygg.dir, "med-kontroll.json");
  writeFileSync(file, JSON.stringify(definition));
  trygg.run(["survey", "import", file]);
});

test("a resident's response to a survey with proof of work is solved in the page and stored once", async () => {
  const { page, foreign, cspViolations, errors } = await openPage(running.browser, running.trygg.url);
  watchSubmissions(page);
  page.setDefaultTimeout(20000);
  const posts = [];
  page.on("request", (request) => {
    if (request.method() === "POST") posts.push(request.headers()["altcha"] ?? null);
  });
  await page.goto(running.trygg.url + surveyPath(slug));
  await answerRequired(page);
  await page.getByRole("button", { name: "Skicka" }).click();
  await page.getByRole("heading", { name: "Tack för dina svar!" }).waitFor();

  assert.ok(posts.length >= 1 && posts.every((header) => header && header.length > 20), "every POST carries a solved challenge");
  const payload = JSON.parse(Buffer.from(posts[0], "base64").toString());
  assert.equal(payload.challenge.parameters.algorithm, "PBKDF2/SHA-256");
  await storedResponse(page, running.trygg, slug);
  assert.deepEqual(foreign, [], "no request to another host");
  assert.deepEqual(cspViolations, [], "nothing refused by the Content-Security-Policy");
  assert.deepEqual(errors, [], "no script errors");
});
