// Steps the authoring and moderation tests share: the demo's staff accounts
// (crates/trygg-cli/src/demo/staff.rs) and signing in through the form.
export const ADMIN = { email: "admin@trygg.example", password: "demo-admin-trygg" };
export const ANALYST = { email: "analytiker@trygg.example", password: "demo-analytiker-trygg" };
export const MODERATOR = { email: "moderator@trygg.example", password: "demo-moderator-trygg" };

export async function signIn(page, url, account) {
  await page.goto(`${url}admin`);
  await page.locator("#email").fill(account.email);
  await page.locator("#password").fill(account.password);
  await page.locator("#password").press("Enter");
  await page.locator("nav ul").waitFor();
}

// Opens the staff sign-in page, switched to English when `lang` is "en".
export async function openSignIn(page, url, lang) {
  await page.goto(`${url}admin`);
  await page.locator("#email").waitFor();
  if (lang === "en") {
    await page.getByRole("button", { name: "English" }).click();
    await page.getByRole("heading", { name: "Sign in" }).waitFor();
  }
}

// A day `offset` days from today, as date inputs and the API write it.
export const isoDay = (offset) => new Date(Date.now() + offset * 86400000).toISOString().slice(0, 10);
