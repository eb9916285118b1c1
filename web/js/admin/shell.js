// The staff side's shell: sign-in, the navigation and the page under
// /admin/<page>. Every address under /admin serves the same HTML; this module
// asks the server who is signed in, then loads the page's module from
// pages.js. Requests that change something carry the session's CSRF token.
import { pages } from "./pages.js";
import { element, field, showErrors } from "./dom.js";

const messages = {
  sv: {
    title: "Trygg – personal",
    staff: "personal",
    skip: "Hoppa till innehållet",
    switchTo: "English",
    switchLang: "en",
    nav: "Personal",
    loading: "Laddar …",
    signInTitle: "Logga in",
    signInLead: "För kommunens och polisens medarbetare som arbetar med trygghetsmätningar.",
    email: "E-postadress",
    password: "Lösenord",
    totp: "Kod från autentiseringsappen",
    totpHint: "Sex siffror som appen visar just nu.",
    municipality: "Kommun (kortnamn)",
    municipalityHint: "Adressen har konton i flera kommuner. Skriv kommunens kortnamn, till exempel upplands-bro.",
    signIn: "Logga in",
    signingIn: "Loggar in …",
    signOut: "Logga ut",
    signedOut: "Du är utloggad.",
    sessionEnded: "Din session har tagit slut. Logga in igen.",
    errorTitle: "Det gick inte att logga in",
    fixTitle: "Något behöver rättas",
    emailMissing: "Skriv din e-postadress.",
    passwordMissing: "Skriv ditt lösenord.",
    wrongCredentials: "E-postadressen eller lösenordet är fel.",
    tooMany: (minutes) => `För många inloggningsförsök. Vänta ${minutes} minut(er) och försök igen.`,
    totpRequired: "Skriv koden från din autentiseringsapp.",
    totpWrong: "Koden stämmer inte. Skriv den som appen visar nu.",
    failed: "Något gick fel. Försök igen om en stund.",
    whoAmI: (email, role) => `${email} (${role})`,
    roles: { admin: "administratör", analyst: "analytiker", partner: "partner", moderator: "moderator", viewer: "läsare", reporter: "rapportör" },
    notAllowed: "Din roll har inte tillgång till den här sidan.",
    notFound: "Sidan finns inte.",
    synthetic: "Syntetiska demodata: inga svar kommer från verkliga personer.",
    mustChangeTitle: "Välj ett eget lösenord",
    mustChange: "Du loggade in med ett engångslösenord. Välj ett eget lösenord innan du fortsätter.",
  },
  en: {
    title: "Trygg – staff",
    staff: "staff",
    skip: "Skip to content",
    switchTo: "Svenska",
    switchLang: "sv",
    nav: "Staff",
    loading: "Loading …",
    signInTitle: "Sign in",
    signInLead: "For municipal and police staff who work with safety surveys.",
    email: "E-mail address",
    password: "Password",
    totp: "Code from your authenticator app",
    totpHint: "The six digits the app shows now.",
    municipality: "Municipality (short name)",
    municipalityHint: "This address has accounts in several municipalities. Enter the municipality's short name, for example upplands-bro.",
    signIn: "Sign in",
    signingIn: "Signing in …",
    signOut: "Sign out",
    signedOut: "You are signed out.",
    sessionEnded: "Your session has ended. Please sign in again.",
    errorTitle: "Could not sign in",
    fixTitle: "Something needs fixing",
    emailMissing: "Enter your e-mail address.",
    passwordMissing: "Enter your password.",
    wrongCredentials: "The e-mail address or the password is wrong.",
    tooMany: (minutes) => `Too many sign-in attempts. Wait ${minutes} minute(s) and try again.`,
    totpRequired: "Enter the code from your authenticator app.",
    totpWrong: "The code does not match. Enter the one the app shows now.",
    failed: "Something went wrong. Please try again shortly.",
    whoAmI: (email, role) => `${email} (${role})`,
    roles: { admin: "admin", analyst: "analyst", partner: "partner", moderator: "moderator", viewer: "viewer", reporter: "reporter" },
    notAllowed: "Your role cannot open this page.",
    notFound: "There is no such page.",
    synthetic: "Synthetic demo data: no answer comes from a real person.",
    mustChangeTitle: "Choose your own password",
    mustChange: "You signed in with a one-time password. Choose your own password before going on.",
  },
};

const LANG_KEY = "trygg.admin.lang";
const state = {
  // Swedish first, as on every other page; the choice is remembered on this device.
  lang: localStorage.getItem(LANG_KEY) ?? "sv",
  session: null,
  notice: null,
};

const t = () => messages[state.lang];
const main = () => document.getElementById("main");

// Calls the staff API, with any `extra` headers; a 401 outside sign-in means
// the session ended. No network answers status 0.
export async function api(method, path, body, extra = {}) {
  const headers = { Accept: "application/json", ...extra };
  if (method !== "GET") headers["X-CSRF-Token"] = state.session?.csrf_token ?? "";
  if (body !== undefined) headers["Content-Type"] = "application/json";
  let response;
  try {
    response = await fetch(`/api/v1/admin${path}`, {
      method,
      headers,
      credentials: "same-origin",
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    return { ok: false, status: 0, data: null };
  }
  const data = response.status === 204 ? null : await response.json().catch(() => null);
  if (response.status === 401 && path !== "/session") {
    state.session = null;
    state.notice = t().sessionEnded;
    render();
  }
  return { ok: response.ok, status: response.status, data };
}

function currentPage() {
  const rest = location.pathname.replace(/^\/admin\/?/, "").replace(/\/$/, "");
  return rest.split("/")[0];
}

function allowed(page) {
  return page.permission === null || state.session.permissions.includes(page.permission);
}

function setHeader() {
  const m = t();
  document.documentElement.lang = state.lang;
  document.title = m.title;
  document.getElementById("brand-sub").textContent = m.staff;
  document.getElementById("skip").textContent = m.skip;
  const language = document.getElementById("language");
  language.textContent = m.switchTo;
  language.lang = m.switchLang;
  const signOut = document.getElementById("sign-out");
  signOut.textContent = m.signOut;
  signOut.hidden = state.session === null;
  const who = document.getElementById("who");
  who.textContent = state.session
    ? m.whoAmI(state.session.user.email, m.roles[state.session.user.role] ?? state.session.user.role)
    : "";
}

async function navigation(modules) {
  const nav = document.getElementById("nav");
  nav.setAttribute("aria-label", t().nav);
  if (state.session === null || state.session.user.must_change_password) {
    nav.hidden = true;
    nav.replaceChildren();
    return;
  }
  const here = currentPage();
  const items = pages.filter(allowed).map((page) => {
    const title = modules.get(page.path)?.title?.[state.lang] ?? page.path;
    const link = element("a", { href: `/admin/${page.path}`, "aria-current": page.path === here ? "page" : null }, title);
    return element("li", {}, link);
  });
  nav.replaceChildren(element("ul", {}, ...items));
  nav.hidden = false;
}

async function loadModules() {
  const modules = new Map();
  for (const page of pages.filter(allowed)) {
    modules.set(page.path, await import(page.module));
  }
  return modules;
}

// Renders the whole page for the current state and address.
export async function render() {
  setHeader();
  const target = main();
  if (state.session === null) {
    await navigation(new Map());
    signInForm(target);
    return;
  }
  if (state.session.user.must_change_password) {
    await navigation(new Map());
    const account = await import("./pages/account.js");
    target.replaceChildren(
      element("h1", {}, t().mustChangeTitle),
      element("p", {}, t().mustChange),
    );
    account.passwordForm(target, context(account), async () => {
      await refreshSession();
      render();
    });
    return;
  }
  const modules = await loadModules();
  let path = currentPage();
  if (path === "") {
    const first = pages.find(allowed);
    path = first.path;
    history.replaceState(null, "", `/admin/${path}`);
  }
  await navigation(modules);
  const page = pages.find((p) => p.path === path);
  const banner = state.session.municipality.synthetic ? element("p", { class: "synthetic" }, t().synthetic) : null;
  if (!page) {
    target.replaceChildren(element("h1", {}, t().notFound));
    return;
  }
  if (!allowed(page)) {
    target.replaceChildren(element("h1", {}, t().notAllowed));
    return;
  }
  const module = modules.get(page.path);
  document.title = `${module.title[state.lang]} – ${t().title}`;
  target.replaceChildren();
  await module.render(target, context(module));
  if (banner) target.prepend(banner);
}

// What a page gets: its own messages over the shell's, the language, the
// session and the API.
function context(module) {
  return {
    t: { ...t(), ...(module.messages?.[state.lang] ?? {}) },
    lang: state.lang,
    session: state.session,
    api,
    rerender: render,
  };
}

async function refreshSession() {
  const { ok, data } = await api("GET", "/session");
  state.session = ok ? data : null;
}

function signInForm(target) {
  const m = t();
  const email = field({ id: "email", label: m.email, type: "email", autocomplete: "username" });
  const password = field({ id: "password", label: m.password, type: "password", autocomplete: "current-password" });
  const totp = field({ id: "totp", label: m.totp, hint: m.totpHint, autocomplete: "one-time-code", inputmode: "numeric", required: false });
  const municipality = field({ id: "municipality", label: m.municipality, hint: m.municipalityHint, required: false });
  totp.wrapper.hidden = true;
  municipality.wrapper.hidden = true;
  const button = element("button", { type: "submit", class: "button" }, m.signIn);
  const form = element("form", { class: "stack", novalidate: true }, email.wrapper, password.wrapper, totp.wrapper, municipality.wrapper, button);
  const notice = state.notice ? element("p", { class: "notice", role: "status" }, state.notice) : null;
  state.notice = null;
  target.replaceChildren(...[element("h1", {}, m.signInTitle), element("p", {}, m.signInLead), notice, form].filter(Boolean));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const errors = [];
    if (email.input.value.trim() === "") errors.push({ input: email.input, message: m.emailMissing });
    if (password.input.value === "") errors.push({ input: password.input, message: m.passwordMissing });
    if (errors.length > 0) {
      showErrors(form, m.fixTitle, errors);
      return;
    }
    button.disabled = true;
    button.textContent = m.signingIn;
    const body = { email: email.input.value, password: password.input.value };
    if (!totp.wrapper.hidden) body.totp = totp.input.value;
    if (!municipality.wrapper.hidden) body.municipality = municipality.input.value;
    const { ok, status, data } = await api("POST", "/session", body);
    button.disabled = false;
    button.textContent = m.signIn;
    if (ok) {
      state.session = data;
      await render();
      main().focus();
      return;
    }
    const code = data?.error;
    if (code === "totp_required" || code === "invalid_totp") {
      totp.wrapper.hidden = false;
      showErrors(form, m.errorTitle, [{ input: totp.input, message: code === "totp_required" ? m.totpRequired : m.totpWrong }]);
    } else if (code === "municipality_required") {
      municipality.wrapper.hidden = false;
      showErrors(form, m.errorTitle, [{ input: municipality.input, message: m.municipalityHint }]);
    } else if (status === 429) {
      const minutes = Math.max(1, Math.ceil(Number(data?.message?.match(/\d+/)?.[0] ?? 1)));
      showErrors(form, m.errorTitle, [{ message: m.tooMany(minutes) }]);
    } else if (status === 401) {
      password.input.value = "";
      showErrors(form, m.errorTitle, [{ message: m.wrongCredentials }]);
    } else if (code === "invalid_email") {
      showErrors(form, m.errorTitle, [{ input: email.input, message: m.emailMissing }]);
    } else {
      showErrors(form, m.errorTitle, [{ message: m.failed }]);
    }
  });
  email.input.focus();
}

async function signOut() {
  await api("DELETE", "/session");
  state.session = null;
  state.notice = t().signedOut;
  history.replaceState(null, "", "/admin");
  await render();
  main().focus();
}

async function start() {
  document.getElementById("language").addEventListener("click", () => {
    state.lang = state.lang === "sv" ? "en" : "sv";
    localStorage.setItem(LANG_KEY, state.lang);
    render();
  });
  document.getElementById("sign-out").addEventListener("click", signOut);
  await refreshSession();
  await render();
}

start();
