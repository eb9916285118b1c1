// The signed-in person's own account: a new password, and the optional
// second factor (TOTP) with any authenticator app.
import { element, field, showErrors } from "../dom.js";

export const title = { sv: "Mitt konto", en: "My account" };

export const messages = {
  sv: {
    heading: "Mitt konto",
    passwordHeading: "Byt lösenord",
    current: "Nuvarande lösenord",
    newPassword: "Nytt lösenord",
    newHint: "Minst 12 tecken. En mening med några ord är lätt att minnas och svår att gissa.",
    save: "Spara lösenordet",
    saved: "Lösenordet är bytt. Dina andra sessioner har avslutats.",
    wrongPassword: "Det nuvarande lösenordet är fel.",
    tooShort: "Lösenordet måste ha minst 12 tecken.",
    tooWeak: "Välj ett lösenord som är svårare att gissa: inte din e-postadress och inte ett och samma tecken.",
    unchanged: "Välj ett annat lösenord än det nuvarande.",
    totpHeading: "Tvåstegsverifiering",
    totpOff: "Tvåstegsverifiering är avstängd. Med den behöver du både lösenordet och en kod från en app i telefonen för att logga in.",
    totpOn: "Tvåstegsverifiering är på. Du loggar in med lösenord och en kod från appen.",
    totpStart: "Slå på tvåstegsverifiering",
    totpStop: "Stäng av tvåstegsverifiering",
    totpSecret: "Lägg till den här nyckeln i din autentiseringsapp (till exempel FreeOTP eller Microsoft Authenticator):",
    totpLink: "Öppna i autentiseringsappen",
    totpCode: "Koden som appen visar",
    totpConfirm: "Bekräfta",
    totpWrong: "Koden stämmer inte. Skriv den som appen visar nu.",
    totpEnabled: "Tvåstegsverifiering är påslagen.",
    totpDisabled: "Tvåstegsverifiering är avstängd.",
  },
  en: {
    heading: "My account",
    passwordHeading: "Change password",
    current: "Current password",
    newPassword: "New password",
    newHint: "At least 12 characters. A sentence of a few words is easy to remember and hard to guess.",
    save: "Save the password",
    saved: "The password has been changed. Your other sessions have ended.",
    wrongPassword: "The current password is wrong.",
    tooShort: "The password must have at least 12 characters.",
    tooWeak: "Choose a password that is harder to guess: not your e-mail address and not one character repeated.",
    unchanged: "Choose a password other than the current one.",
    totpHeading: "Two-step verification",
    totpOff: "Two-step verification is off. With it, signing in needs both your password and a code from an app on your phone.",
    totpOn: "Two-step verification is on. You sign in with your password and a code from the app.",
    totpStart: "Turn on two-step verification",
    totpStop: "Turn off two-step verification",
    totpSecret: "Add this key to your authenticator app (for example FreeOTP or Microsoft Authenticator):",
    totpLink: "Open in the authenticator app",
    totpCode: "The code the app shows",
    totpConfirm: "Confirm",
    totpWrong: "The code does not match. Enter the one the app shows now.",
    totpEnabled: "Two-step verification is on.",
    totpDisabled: "Two-step verification is off.",
  },
};

// The password form, also shown on its own after a one-time password.
export function passwordForm(main, ctx, done) {
  const { t } = ctx;
  const current = field({ id: "current-password", label: t.current, type: "password", autocomplete: "current-password" });
  const next = field({ id: "new-password", label: t.newPassword, hint: t.newHint, type: "password", autocomplete: "new-password" });
  const status = element("div", { role: "status" });
  const form = element("form", { class: "stack", novalidate: true }, current.wrapper, next.wrapper, element("button", { type: "submit", class: "button" }, t.save));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const { ok, data } = await ctx.api("POST", "/session/password", {
      current_password: current.input.value,
      new_password: next.input.value,
    });
    if (ok) {
      showErrors(form, t.fixTitle, []);
      current.input.value = "";
      next.input.value = "";
      status.replaceChildren(element("p", { class: "notice" }, t.saved));
      if (done) await done();
      return;
    }
    const byCode = {
      wrong_password: [current.input, t.wrongPassword],
      password_too_short: [next.input, t.tooShort],
      password_too_weak: [next.input, t.tooWeak],
      password_unchanged: [next.input, t.unchanged],
    };
    const [input, message] = byCode[data?.error] ?? [null, t.failed];
    showErrors(form, t.fixTitle, [{ input, message }]);
  });
  main.append(status, form);
  // Only the forced change after a one-time password starts in the form.
  if (done) current.input.focus();
}

function totpSection(ctx) {
  const { t } = ctx;
  const section = element("section", { "aria-labelledby": "totp-heading" });
  const status = element("div", { role: "status" });
  const draw = (enabled) => {
    const button = element("button", { type: "button", class: "button secondary" }, enabled ? t.totpStop : t.totpStart);
    section.replaceChildren(
      element("h2", { id: "totp-heading" }, t.totpHeading),
      status,
      element("p", {}, enabled ? t.totpOn : t.totpOff),
      button,
    );
    button.addEventListener("click", async () => {
      if (enabled) {
        const { ok } = await ctx.api("DELETE", "/session/totp");
        if (ok) {
          status.replaceChildren(element("p", { class: "notice" }, t.totpDisabled));
          draw(false);
        }
        return;
      }
      const { ok, data } = await ctx.api("GET", "/session/totp");
      if (!ok) return;
      const code = field({ id: "totp-code", label: t.totpCode, autocomplete: "one-time-code", inputmode: "numeric" });
      const form = element("form", { class: "stack", novalidate: true }, code.wrapper, element("button", { type: "submit", class: "button" }, t.totpConfirm));
      section.replaceChildren(
        element("h2", { id: "totp-heading" }, t.totpHeading),
        element("p", {}, t.totpSecret),
        element("p", { class: "secret" }, data.secret.match(/.{1,4}/g).join(" ")),
        element("p", {}, element("a", { href: data.otpauth_url }, t.totpLink)),
        form,
      );
      code.input.focus();
      form.addEventListener("submit", async (event) => {
        event.preventDefault();
        const result = await ctx.api("POST", "/session/totp", { secret: data.secret, code: code.input.value });
        if (result.ok) {
          status.replaceChildren(element("p", { class: "notice" }, t.totpEnabled));
          draw(true);
        } else {
          showErrors(form, t.fixTitle, [{ input: code.input, message: t.totpWrong }]);
        }
      });
    });
  };
  draw(ctx.session.user.totp_enabled);
  return section;
}

export async function render(main, ctx) {
  const { t } = ctx;
  main.append(element("h1", {}, t.heading), element("h2", {}, t.passwordHeading));
  passwordForm(main, ctx, null);
  main.append(totpSection(ctx));
}
