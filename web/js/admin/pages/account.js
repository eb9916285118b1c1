// The signed-in person's own account: a new password, the optional second
// factor (TOTP) with any authenticator app, and the account's sessions, each
// of which can be ended.
import { element, field, formatTime, showErrors } from "../dom.js";
import { errorText } from "../../labels.js";

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
    tooWeak: "Välj ett lösenord som är svårare att gissa: inte din e-postadress, inte ett och samma tecken och inte ett ord som trygghet, kommun eller polis med siffror.",
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
    common: "Lösenordet finns på en lista över vanliga och läckta lösenord som angripare provar först. Välj ett annat, till exempel några ord som inte hör ihop.",
    tooMany: "För många fel lösenord. Vänta en stund och försök igen.",
    totpPassword: "Ditt lösenord",
    totpStopConfirm: "Stäng av",
    totpOthersEnd: "Dina andra sessioner avslutas.",
    sessionsHeading: "Inloggningar",
    sessionsIntro: "Här är dina pågående inloggningar, med timmen de började och senast användes. Avsluta den du inte känner igen; det kräver ditt lösenord.",
    sessionStarted: "Inloggad",
    sessionSeen: "Senast använd",
    sessionThis: "Den här webbläsaren",
    sessionEnd: "Avsluta",
    sessionEnded: "Inloggningen är avslutad.",
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
    tooWeak: "Choose a password that is harder to guess: not your e-mail address, not one character repeated and not a word such as trygghet, kommun or polis with digits.",
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
    common: "This password is on a list of common and leaked passwords that attackers try first. Choose another, such as a few unrelated words.",
    tooMany: "Too many wrong passwords. Wait a while and try again.",
    totpPassword: "Your password",
    totpStopConfirm: "Turn off",
    totpOthersEnd: "Your other sessions will end.",
    sessionsHeading: "Sessions",
    sessionsIntro: "These are your signed-in sessions, with the hour each began and was last used. End any you do not recognise; this needs your password.",
    sessionStarted: "Signed in",
    sessionSeen: "Last used",
    sessionThis: "This browser",
    sessionEnd: "End",
    sessionEnded: "The session has ended.",
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
      password_common: [next.input, t.common],
      too_many_attempts: [current.input, t.tooMany],
    };
    const [input, message] = byCode[data?.error] ?? [null, errorText(data, ctx.lang, t.failed)];
    showErrors(form, t.fixTitle, [{ input, message }]);
  });
  main.append(status, form);
  // Only the forced change after a one-time password starts in the form.
  if (done) current.input.focus();
}

// A password field and a confirm button: removing or adding the second
// factor needs the current password.
function passwordField(t, id) {
  return field({ id, label: t.totpPassword, type: "password", autocomplete: "current-password" });
}

function passwordError(t, data, password, fallback) {
  if (data?.error === "wrong_password") return { input: password.input, message: t.wrongPassword };
  if (data?.error === "too_many_attempts") return { input: password.input, message: t.tooMany };
  return fallback;
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
        const password = passwordField(t, "totp-off-password");
        const form = element(
          "form",
          { class: "stack", novalidate: true },
          element("p", {}, t.totpOthersEnd),
          password.wrapper,
          element("button", { type: "submit", class: "button" }, t.totpStopConfirm),
        );
        button.replaceWith(form);
        password.input.focus();
        form.addEventListener("submit", async (event) => {
          event.preventDefault();
          const { ok, data } = await ctx.api("DELETE", "/session/totp", { current_password: password.input.value });
          if (ok) {
            status.replaceChildren(element("p", { class: "notice" }, t.totpDisabled));
            draw(false);
            return;
          }
          showErrors(form, t.fixTitle, [passwordError(t, data, password, { input: null, message: t.failed })]);
        });
        return;
      }
      const { ok, data } = await ctx.api("GET", "/session/totp");
      if (!ok) return;
      const password = passwordField(t, "totp-on-password");
      const code = field({ id: "totp-code", label: t.totpCode, autocomplete: "one-time-code", inputmode: "numeric" });
      const form = element(
        "form",
        { class: "stack", novalidate: true },
        code.wrapper,
        password.wrapper,
        element("p", {}, t.totpOthersEnd),
        element("button", { type: "submit", class: "button" }, t.totpConfirm),
      );
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
        const result = await ctx.api("POST", "/session/totp", {
          current_password: password.input.value,
          secret: data.secret,
          code: code.input.value,
        });
        if (result.ok) {
          status.replaceChildren(element("p", { class: "notice" }, t.totpEnabled));
          draw(true);
        } else {
          showErrors(form, t.fixTitle, [passwordError(t, result.data, password, { input: code.input, message: t.totpWrong })]);
        }
      });
    });
  };
  draw(ctx.session.user.totp_enabled);
  return section;
}

// The account's sessions: when each began and was last used (to the hour),
// the current one marked, each with a button that ends it.
function sessionsSection(ctx) {
  const { t, lang } = ctx;
  const section = element("section", { "aria-labelledby": "sessions-heading" });
  const status = element("div", { role: "status" });
  const list = element("ul", { class: "stack" });
  const password = passwordField(t, "sessions-password");
  const form = element("form", { class: "stack", novalidate: true }, password.wrapper, list);
  form.addEventListener("submit", (event) => event.preventDefault());
  section.append(
    element("h2", { id: "sessions-heading" }, t.sessionsHeading),
    element("p", {}, t.sessionsIntro),
    status,
    form,
  );
  const load = async () => {
    const { ok, data } = await ctx.api("GET", "/session/sessions");
    if (!ok) return;
    list.replaceChildren(
      ...data.sessions.map((s) => {
        const end = element("button", { type: "button", class: "button secondary" }, t.sessionEnd);
        end.addEventListener("click", async () => {
          const result = await ctx.api("DELETE", `/session/sessions/${encodeURIComponent(s.id)}`, {
            current_password: password.input.value,
          });
          if (result.ok) {
            showErrors(form, t.fixTitle, []);
            status.replaceChildren(element("p", { class: "notice" }, t.sessionEnded));
            if (s.current) location.assign("/admin");
            else await load();
            return;
          }
          showErrors(form, t.fixTitle, [passwordError(t, result.data, password, { input: null, message: t.failed })]);
        });
        return element(
          "li",
          {},
          element(
            "p",
            {},
            s.current ? element("strong", {}, `${t.sessionThis}. `) : "",
            `${t.sessionStarted}: ${formatTime(s.created_hour, lang)}. ${t.sessionSeen}: ${formatTime(s.last_seen_hour, lang)}.`,
          ),
          end,
        );
      }),
    );
  };
  load();
  return section;
}

export async function render(main, ctx) {
  const { t } = ctx;
  main.append(element("h1", {}, t.heading), element("h2", {}, t.passwordHeading));
  passwordForm(main, ctx, null);
  main.append(totpSection(ctx), sessionsSection(ctx));
}
