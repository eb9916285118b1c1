// The staff pages: a demo admin signs in and out by keyboard alone, a wrong
// password is announced, a new account must replace its one-time password,
// and axe-core finds no WCAG 2.1 A/AA violation on the
// sign-in page or any page the admin can open, in Swedish and English.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { withTryggAndBrowser, openPage, violations } from "./support.mjs";
import { ADMIN, openSignIn } from "./authoring-steps.mjs";

const running = withTryggAndBrowser();

// Presses Tab until the focused element matches `accessibleName`, at most 30 times.
async function tabTo(page, role, name) {
  for (let i = 0; i < 30; i++) {
    await page.keyboard.press("Tab");
    const focused = await page.evaluate(() => {
      const el = document.activeElement;
      return { tag: el?.tagName.toLowerCase(), text: el?.textContent?.trim(), label: el?.labels?.[0]?.textContent?.trim() };
    });
    if ((role === "button" && focused.tag === "button" && focused.text === name) || (role === "link" && focused.tag === "a" && focused.text === name)) return;
  }
  assert.fail(`Tab never reached the ${role} "${name}"`);
}

test("an admin signs in and out by keyboard alone and the old session is gone", async () => {
  const { page, foreign, cspViolations, errors } = await openPage(running.browser, running.trygg.url);
  page.setDefaultTimeout(10000);
  await page.goto(`${running.trygg.url}admin`);
  await page.getByRole("heading", { name: "Logga in" }).waitFor();
  // The address field has focus from the start.
  assert.equal(await page.evaluate(() => document.activeElement.id), "email");
  // The code and municipality fields appear only when the server asks for them.
  assert.equal(await page.locator("#totp").isVisible(), false);
  assert.equal(await page.locator("#municipality").isVisible(), false);

  // A wrong password first: the error summary takes focus and is announced.
  await page.keyboard.type(ADMIN.email);
  await page.keyboard.press("Tab");
  await page.keyboard.type("fel lösenord här");
  await page.keyboard.press("Enter");
  const alert = page.getByRole("alert");
  await alert.waitFor();
  assert.match(await alert.textContent(), /E-postadressen eller lösenordet är fel/);
  assert.equal(await page.evaluate(() => document.activeElement.classList.contains("error-summary")), true);

  // Then the right one, still by keyboard.
  await page.getByLabel("Lösenord").focus();
  await page.keyboard.type(ADMIN.password);
  await page.keyboard.press("Enter");
  await page.getByRole("navigation", { name: "Personal" }).waitFor();
  await page.getByRole("heading", { name: "Användare", level: 1 }).waitFor();
  assert.equal(new URL(page.url()).pathname, "/admin/users");
  assert.match(await page.locator("#who").textContent(), /admin@trygg\.example/);
  const me = await page.request.get(`${running.trygg.url}api/v1/admin/session`);
  assert.equal(me.status(), 200);

  // To the audit log through the navigation, by keyboard.
  await tabTo(page, "link", "Logg");
  await page.keyboard.press("Enter");
  await page.getByRole("heading", { name: "Logg över åtgärder" }).waitFor();
  assert.match(await page.locator("table").textContent(), /loggade in/);

  await tabTo(page, "button", "Logga ut");
  await page.keyboard.press("Enter");
  await page.getByText("Du är utloggad.").waitFor();
  await page.getByRole("heading", { name: "Logga in" }).waitFor();
  assert.equal(await page.getByRole("navigation").isHidden(), true);
  const after = await page.request.get(`${running.trygg.url}api/v1/admin/session`);
  assert.equal(after.status(), 401);

  assert.deepEqual(foreign, []);
  assert.deepEqual(cspViolations, []);
  assert.deepEqual(errors, []);
});

for (const lang of ["sv", "en"]) {
  test(`axe finds no violation on the sign-in page or any admin page in ${lang}`, async () => {
    const { page, errors } = await openPage(running.browser, running.trygg.url, { viewport: { width: 1280, height: 900 } });
    page.setDefaultTimeout(10000);
    await openSignIn(page, running.trygg.url, lang);
    const found = await violations(page, "sign-in");
    await page.locator("#email").fill(ADMIN.email);
    await page.locator("#password").fill("");
    await page.locator("form button[type=submit]").click();
    await page.locator(".error-summary").waitFor();
    found.push(...(await violations(page, "sign-in with errors")));
    await page.locator("#password").fill(ADMIN.password);
    await page.locator("form button[type=submit]").click();
    await page.locator("nav ul").waitFor();
    for (const path of ["users", "audit", "account"]) {
      await page.goto(`${running.trygg.url}admin/${path}`);
      await page.locator("main h1").waitFor();
      await page.locator("nav ul").waitFor();
      if (path !== "account") await page.locator("main table").waitFor();
      found.push(...(await violations(page, path)));
    }
    // The users page after adding someone, with the one-time password shown.
    await page.goto(`${running.trygg.url}admin/users`);
    await page.locator("#new-email").fill(`ny-${lang}@trygg.example`);
    await page.locator("#new-email").press("Enter");
    await page.locator(".notice .secret").waitFor();
    found.push(...(await violations(page, "users after adding")));
    // An admin gives the new account another role.
    const email = `ny-${lang}@trygg.example`;
    const label = lang === "sv" ? `Roll för ${email}` : `Role of ${email}`;
    await page.getByLabel(label, { exact: true }).selectOption("moderator");
    await page.getByRole("button", { name: lang === "sv" ? `Spara roll för ${email}` : `Save role for ${email}` }).click();
    // The notice appears only once the server has taken the change.
    await page.getByText(lang === "sv" ? `${email} har ändrats.` : `${email} has been changed.`).waitFor();
    found.push(...(await violations(page, "users after a role change")));
    assert.deepEqual(found, []);
    assert.deepEqual(errors, []);
  });
}

test("a new account signs in with its one-time password and must choose its own before anything else", async () => {
  const root = new URL("../../", import.meta.url).pathname;
  const binary = process.env.TRYGG_BIN ?? join(root, "target/debug/trygg");
  const env = { ...process.env, TRYGG__DATABASE__URL: `sqlite://${running.trygg.dir}/trygg.db?mode=rwc`, RUST_LOG: "warn" };
  const printed = execFileSync(binary, ["user", "add", "--email", "ny.analytiker@trygg.example", "--role", "analyst"], { cwd: running.trygg.dir, env, encoding: "utf8" });
  const oneTime = printed.match(/One-time password: (\S+)/)[1];

  const { page, errors } = await openPage(running.browser, running.trygg.url);
  page.setDefaultTimeout(10000);
  await page.goto(`${running.trygg.url}admin/audit`);
  await page.locator("#email").fill("ny.analytiker@trygg.example");
  await page.locator("#password").fill(oneTime);
  await page.locator("#password").press("Enter");
  await page.getByRole("heading", { name: "Välj ett eget lösenord" }).waitFor();
  assert.equal(await page.getByRole("navigation").isHidden(), true);
  // Focus is on the page's content, so a screen reader reads the heading and
  // why; the next Tab is the current password.
  assert.equal(await page.evaluate(() => document.activeElement.id), "main");
  assert.deepEqual(await violations(page, "forced password change"), []);
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement.id), "current-password");
  await page.keyboard.type(oneTime);
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement.id), "new-password");
  await page.keyboard.type("kort");
  await page.keyboard.press("Enter");
  await page.getByRole("alert").getByText("Lösenordet måste ha minst 12 tecken.").waitFor();
  await page.locator("#new-password").fill("ett eget långt lösenord");
  await page.locator("#new-password").press("Enter");
  // An analyst may open no admin-only page, so the first page is the account.
  await page.getByRole("navigation", { name: "Personal" }).waitFor();
  assert.equal(await page.getByRole("link", { name: "Användare" }).count(), 0);
  assert.equal(await page.getByRole("link", { name: "Logg" }).count(), 0);
  await page.getByRole("heading", { name: "Din roll har inte tillgång till den här sidan." }).waitFor();
  assert.deepEqual(errors, []);
});

test("the account page lists the person's sessions by the hour and ends another browser's", async () => {
  const signInAt = async (path) => {
    const opened = await openPage(running.browser, running.trygg.url);
    opened.page.setDefaultTimeout(10000);
    await opened.page.goto(`${running.trygg.url}admin/${path}`);
    await opened.page.locator("#email").fill(ADMIN.email);
    await opened.page.locator("#password").fill(ADMIN.password);
    await opened.page.locator("#password").press("Enter");
    await opened.page.locator("nav ul").waitFor();
    return opened;
  };
  const other = await signInAt("users");
  const { page, errors } = await signInAt("account");
  await page.getByRole("heading", { name: "Inloggningar" }).waitFor();
  const items = page.locator("section[aria-labelledby=sessions-heading] li");
  await items.first().waitFor();
  assert.ok((await items.count()) >= 2, "this browser and the other one");
  assert.equal(await items.filter({ hasText: "Den här webbläsaren" }).count(), 1);
  // Times are shown to the hour; nothing names a device or an address.
  const text = await page.locator("section[aria-labelledby=sessions-heading]").textContent();
  assert.doesNotMatch(text, /127\.0\.0\.1|Chrome|Mozilla/);
  assert.deepEqual(await violations(page, "account with sessions"), []);
  // End every session but this one, as someone would who saw one they did not know.
  await page.locator("#sessions-password").fill(ADMIN.password);
  while ((await items.count()) > 1) {
    const before = await items.count();
    await items.filter({ hasNotText: "Den här webbläsaren" }).first().getByRole("button", { name: "Avsluta" }).click();
    await page.waitForFunction(
      (n) => document.querySelectorAll("section[aria-labelledby=sessions-heading] li").length < n,
      before,
    );
  }
  await page.getByText("Inloggningen är avslutad.").waitFor();
  // The other browser is signed out at its next request.
  await other.page.goto(`${running.trygg.url}admin/users`);
  await other.page.getByRole("heading", { name: "Logga in" }).waitFor();
  await other.context.close();
  assert.deepEqual(errors, []);
});
