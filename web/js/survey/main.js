// The resident's survey page, /s/{slug}: a privacy notice, then one page per
// section of the definition, then sending and a thank-you. Everything the
// person enters lives in the draft (see draft.js) and the page is redrawn
// from it, so switching language or reloading never loses an answer.
import { h, pick } from "./dom.js";
import { loadDraft, saveDraft, clearDraft, newDraft } from "./draft.js";
import { renderQuestion, problemWith } from "./questions.js";
import { pinQuestion, pinsForApi } from "./pins.js";
import { send } from "./submit.js";
import { solve } from "./proof.js";

const slug = decodeURIComponent(location.pathname.split("/").filter(Boolean)[1] ?? "");
// `?preview=<survey id>` shows a draft or published survey to signed-in staff
// exactly as residents will see it, from the staff preview API; nothing is
// sent and the draft is kept apart from a real answer's.
const previewId = new URLSearchParams(location.search).get("preview");
const draftName = previewId ? `preview.${previewId}` : slug;
// The code from an invitation letter's link (`?kod=`), for a survey answered by invitation.
const invitedCode = new URLSearchParams(location.search).get("kod");
// Error pages have no definition to list the survey's languages, so they
// offer the languages the page itself ships.
const shippedLanguages = ["sv", "en"];

const app = {
  catalogues: {},
  lang: "sv",
  survey: null,
  pages: [],
  draft: null,
  resumed: false,
  errors: {},
  view: { kind: "loading" },
  sender: null,
};

const t = () => app.catalogues[app.lang];
// Fills the page's content area; views pass null for parts they leave out.
function show(...nodes) {
  document.getElementById("page").replaceChildren(...nodes.filter(Boolean));
}

async function loadCatalogues(codes) {
  const loaded = await Promise.all(
    codes.map((code) =>
      import(`../i18n/${encodeURIComponent(code)}.js`).then(
        (module) => module.default,
        () => null,
      ),
    ),
  );
  for (const catalogue of loaded) if (catalogue) app.catalogues[catalogue.code] = catalogue;
}

function formatDate(date) {
  if (!date) return null;
  return new Intl.DateTimeFormat(t().locale, { dateStyle: "long", timeZone: "UTC" }).format(new Date(`${date}T12:00:00Z`));
}

function save() {
  saveDraft(draftName, app.draft);
}

// Pages: the privacy notice, then the questions grouped by section; a
// question without a section heading continues the section before it.
function paginate(questions) {
  const pages = [{ kind: "privacy" }];
  for (const q of questions) {
    if (q.section || pages.length === 1) pages.push({ kind: "questions", section: q.section ?? null, questions: [] });
    pages[pages.length - 1].questions.push(q);
  }
  return pages;
}

function languageSwitch() {
  const holder = document.getElementById("languages");
  const others = Object.values(app.catalogues).filter((c) => c.code !== app.lang);
  holder.replaceChildren(
    ...others.map((c) =>
      h("button", { type: "button", class: "language", lang: c.code, onclick: () => switchLanguage(c.code) }, c.name),
    ),
  );
}

function switchLanguage(code) {
  app.lang = code;
  localStorage.setItem("trygg.lang", code);
  if (app.view.kind === "page" && Object.keys(app.errors).length) validate(app.pages[app.draft.page]);
  render({ focus: false });
}

function setHeading(text) {
  document.getElementById("survey-title").textContent = text;
}

function render({ focus }) {
  document.documentElement.lang = app.lang;
  document.querySelector(".skip-link").textContent = t().skipToContent;
  languageSwitch();
  const view = app.view;
  let heading;
  if (view.kind === "missing") heading = renderMissing(view);
  else if (view.kind === "page") heading = app.draft.page === 0 ? renderPrivacy() : renderQuestions();
  else if (view.kind === "sending") heading = renderSending();
  else if (view.kind === "thanks") heading = renderThanks();
  document.title = `${heading.textContent} – ${app.survey ? pick(app.survey.title, app.lang) : "Trygg"}`;
  if (focus) heading.focus();
  // A local timing mark, read by the performance test; it leaves the browser never.
  if (!performance.getEntriesByName("trygg:first-render").length) performance.mark("trygg:first-render");
}

function renderMissing({ status, closesOn }) {
  const [title, text] =
    status === 410
      ? [t().closedTitle, t().closed(formatDate(closesOn))]
      : status === 403
        ? [t().notOpenTitle, t().notOpen]
        : status === 404
          ? [t().notFoundTitle, t().notFound]
          : [t().notFoundTitle, t().loadFailed];
  setHeading(title);
  const heading = document.getElementById("survey-title");
  show(h("p", { class: "notice" }, text), h("p", {}, h("a", { href: "/" }, t().toStart)));
  return heading;
}

function renderPrivacy() {
  const tt = t();
  setHeading(pick(app.survey.title, app.lang));
  const heading = h("h2", { tabindex: "-1" }, tt.privacyHeading);
  show(
    previewBanner(),
    h("p", { class: "intro" }, pick(app.survey.intro, app.lang)),
    heading,
    h("ul", { class: "privacy" },
      [tt.privacyAnonymous, tt.privacyStored, tt.privacyFreeText, tt.privacyKept, tt.privacyDevice, tt.privacyVoluntary].map((text) => h("li", {}, text))),
    app.resumed ? h("p", { class: "notice", role: "status" }, tt.resumeNotice) : null,
    invitationField(),
    h("div", { class: "actions" },
      h("button", { type: "button", class: "primary", onclick: begin }, tt.begin),
      app.resumed ? h("button", { type: "button", class: "secondary", onclick: discard }, tt.discardDraft) : null),
  );
  return heading;
}

// A survey sent to a postal sample is answered with the code from the letter,
// typed here or carried in the letter's link.
function invitationField() {
  if (!app.survey.invitation_required || previewId) return null;
  const tt = t();
  const error = app.invitationError;
  const input = h("input", {
    id: "invitation-code", type: "text", autocomplete: "off", autocapitalize: "characters", spellcheck: "false",
    value: app.draft.invitation ?? invitedCode ?? "",
    "aria-describedby": error ? "invitation-hint invitation-error" : "invitation-hint",
    "aria-invalid": error ? "true" : null,
  });
  input.addEventListener("input", () => { app.draft.invitation = input.value.trim(); save(); });
  return h("div", { class: "field" },
    h("label", { for: "invitation-code" }, tt.invitationLabel),
    h("p", { class: "hint", id: "invitation-hint" }, tt.invitationHint),
    error ? h("p", { class: "error", id: "invitation-error" }, error) : null,
    input);
}

function begin() {
  if (app.survey.invitation_required && !previewId) {
    app.draft.invitation = (document.getElementById("invitation-code")?.value ?? "").trim();
    if (!app.draft.invitation) {
      app.invitationError = t().invitationMissing;
      render({ focus: false });
      document.getElementById("invitation-code")?.focus();
      return;
    }
    app.invitationError = null;
  }
  go(1);
}

function previewBanner() {
  return previewId ? h("p", { class: "notice preview" }, t().previewNotice) : null;
}

function discard() {
  if (!window.confirm(t().discardConfirm)) return;
  clearDraft(draftName);
  app.draft = newDraft();
  app.resumed = false;
  render({ focus: true });
}

function validate(page) {
  app.errors = {};
  for (const q of page.questions) {
    const problem = problemWith(q, app.draft.answers, app.draft.pins, t());
    if (problem) app.errors[q.key] = problem;
  }
  return Object.keys(app.errors).length === 0;
}

function go(index) {
  app.draft.page = index;
  app.errors = {};
  save();
  render({ focus: true });
  window.scrollTo(0, 0);
}

function renderQuestions() {
  const tt = t();
  const index = app.draft.page;
  const page = app.pages[index];
  const total = app.pages.length - 1;
  setHeading(pick(app.survey.title, app.lang));
  const sectionTitle = pick(page.section, app.lang) || tt.progress(index, total);
  const heading = h("h2", { tabindex: "-1" }, sectionTitle);
  const ctx = {
    lang: app.lang,
    t: tt,
    survey: app.survey,
    answers: app.draft.answers,
    pins: app.draft.pins,
    errors: app.errors,
    save,
    announce: (text) => {
      announcer.textContent = text;
    },
  };
  const announcer = h("p", { class: "status", role: "status" });
  const mounts = [];
  const fields = page.questions.map((q) => {
    if (q.kind === "map") {
      const widget = pinQuestion(q, ctx);
      mounts.push(widget.mount);
      return widget.element;
    }
    return renderQuestion(q, ctx);
  });
  const errorKeys = Object.keys(app.errors);
  const summary = errorKeys.length
    ? h("div", { class: "error-summary", tabindex: "-1", role: "group", "aria-labelledby": "error-summary-title" },
        h("p", { id: "error-summary-title" }, tt.errorSummary),
        h("ul", {}, errorKeys.map((key) => {
          const q = page.questions.find((x) => x.key === key);
          return h("li", {}, h("a", { href: `#q-${key}` }, `${pick(q?.text, app.lang)} – ${app.errors[key]}`));
        })))
    : null;
  const last = index === app.pages.length - 1;
  const form = h(
    "form",
    { novalidate: true, class: "survey-form" },
    fields,
    announcer,
    h("div", { class: "actions nav" },
      h("button", { type: "submit", class: "primary" }, last ? tt.send : tt.next),
      h("button", { type: "button", class: "secondary", onclick: () => go(index - 1) }, tt.back)),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    // A press of Enter inside the pin dialog's fields belongs to the dialog.
    if (event.target !== form) return;
    if (!validate(page)) {
      render({ focus: false });
      document.querySelector(".error-summary")?.focus();
      return;
    }
    if (last && previewId) {
      clearDraft(draftName);
      app.view = { kind: "thanks", preview: true };
      render({ focus: true });
    } else if (last) startSending();
    else go(index + 1);
  });
  show(
    previewBanner(),
    h("div", { class: "progress" },
      h("p", { id: "progress-text" }, tt.progress(index, total)),
      h("progress", { max: total, value: index, "aria-labelledby": "progress-text" })),
    heading,
    summary,
    form,
    h("p", { class: "saved-note" }, tt.savedLocally),
  );
  for (const mount of mounts) mount();
  return heading;
}

function responseBody() {
  const answers = {};
  for (const q of app.survey.questions) {
    if (q.kind !== "map" && app.draft.answers[q.key] !== undefined) answers[q.key] = app.draft.answers[q.key];
  }
  return { answers, pins: pinsForApi(app.draft.pins), language: app.lang };
}

async function startSending() {
  app.draft.sending = true;
  // The body is fixed once, with the key, so every retry is byte for byte the
  // same request and the server can recognise it as a replay.
  app.draft.body ??= responseBody();
  save();
  const proof = app.survey.proof_of_work && !app.draft.altcha;
  app.view = { kind: "sending", report: { state: proof ? "checking" : "sending" } };
  render({ focus: true });
  if (proof) {
    // A retry of this response may show the same solved challenge again, so
    // it is kept with the draft until the response is stored.
    app.draft.altcha = await solve(slug);
    save();
  }
  const sender = send({
    url: `/api/v1/surveys/${encodeURIComponent(slug)}/responses`,
    key: app.draft.key,
    headers: {
      ...(app.draft.altcha ? { Altcha: app.draft.altcha } : {}),
      ...(app.draft.invitation ? { "Invitation-Code": app.draft.invitation } : {}),
    },
    body: app.draft.body,
    report: (report) => {
      app.view.report = report;
      if (app.view.kind === "sending") updateSending();
    },
  });
  app.sender = sender;
  sender.result.then(finishSending);
}

function finishSending(outcome) {
  app.sender = null;
  if (outcome.ok) {
    clearDraft(slug);
    app.view = { kind: "thanks" };
    render({ focus: true });
    return;
  }
  if (String(outcome.error?.error ?? "").includes("proof_of_work") && (app.proofAttempts = (app.proofAttempts ?? 0) + 1) <= 3) {
    // The challenge expired while the page slept, or was not solved: solve a
    // new one and send the same response again.
    delete app.draft.altcha;
    startSending();
    return;
  }
  const refused = String(outcome.error?.error ?? "");
  if (refused.startsWith("invitation_")) {
    // The code is missing, unknown or used: back to where it is typed, answers kept.
    app.draft.sending = false;
    delete app.draft.body;
    app.draft.page = 0;
    save();
    app.invitationError = refused === "invitation_used" ? t().invitationUsed : t().invitationUnknown;
    app.view = { kind: "page" };
    render({ focus: false });
    document.getElementById("invitation-code")?.focus();
    return;
  }
  if (outcome.status === 410) {
    app.view = { kind: "missing", status: 410, closesOn: outcome.error?.closes_on };
    render({ focus: true });
    return;
  }
  // The server refused an answer: back to the page that holds it, with the
  // draft (and a new body, made when the person sends again) kept.
  app.draft.sending = false;
  delete app.draft.body;
  const field = outcome.error?.field ?? "";
  const key = field.startsWith("answers.") ? field.slice("answers.".length).split(/[.[]/)[0] : app.survey.questions.find((q) => q.kind === "map")?.key;
  const pageIndex = app.pages.findIndex((p) => p.questions?.some((q) => q.key === key));
  app.draft.page = pageIndex > 0 ? pageIndex : app.pages.length - 1;
  save();
  app.view = { kind: "page" };
  app.errors = key && pageIndex > 0 ? { [key]: t().rejected } : {};
  render({ focus: false });
  document.querySelector(".error-summary")?.focus();
}

function sendingText(report) {
  const tt = t();
  if (report.state === "offline") return tt.offline(report.seconds);
  if (report.state === "serverDown") return tt.serverDown(report.seconds);
  if (report.state === "busy") return tt.busy(report.seconds);
  if (report.state === "checking") return tt.checking;
  return tt.sending;
}

function renderSending() {
  const tt = t();
  setHeading(pick(app.survey.title, app.lang));
  const heading = h("h2", { tabindex: "-1" }, tt.send);
  show(
    heading,
    h("p", { class: "notice", role: "status", id: "send-status" }, sendingText(app.view.report)),
    h("div", { class: "actions" },
      h("button", { type: "button", class: "secondary", id: "retry-now", hidden: app.view.report.state === "sending", onclick: () => app.sender?.retryNow() }, tt.retryNow)),
  );
  return heading;
}

function updateSending() {
  const status = document.getElementById("send-status");
  if (!status) return;
  status.textContent = sendingText(app.view.report);
  document.getElementById("retry-now").hidden = app.view.report.state === "sending";
}

function renderThanks() {
  const tt = t();
  setHeading(pick(app.survey.title, app.lang));
  const heading = h("h2", { tabindex: "-1" }, tt.thanksHeading);
  if (app.view.preview) {
    show(heading, previewBanner(), h("p", {}, tt.previewNotSent));
    return heading;
  }
  show(
    heading,
    h("p", { class: "notice success" }, tt.thanksStored),
    h("p", {}, tt.thanksNext(formatDate(app.survey.closes_on))),
    h("p", {}, h("a", { href: "/" }, tt.toStart)),
  );
  return heading;
}

async function main() {
  const wanted = localStorage.getItem("trygg.lang") ?? "sv";
  // The definition and the likely catalogues are fetched side by side.
  const catalogues = loadCatalogues([...new Set([wanted, "sv"])]);
  let response;
  try {
    response = await fetch(
      previewId ? `/api/v1/admin/surveys/${encodeURIComponent(previewId)}/preview` : `/api/v1/surveys/${encodeURIComponent(slug)}`,
      { credentials: "same-origin" },
    );
  } catch {
    response = null;
  }
  await catalogues;
  if (!response?.ok) {
    await loadCatalogues(shippedLanguages);
    app.lang = app.catalogues[wanted] ? wanted : "sv";
    const error = response ? await response.json().catch(() => ({})) : {};
    app.view = { kind: "missing", status: response?.status ?? 0, closesOn: error.closes_on };
    render({ focus: false });
    return;
  }
  app.survey = await response.json();
  const listed = app.survey.languages?.length ? app.survey.languages : shippedLanguages;
  await loadCatalogues(listed.filter((code) => !app.catalogues[code]));
  for (const code of Object.keys(app.catalogues)) if (!listed.includes(code)) delete app.catalogues[code];
  app.lang = app.catalogues[wanted] ? wanted : app.catalogues.sv ? "sv" : Object.keys(app.catalogues)[0];
  app.pages = paginate(app.survey.questions);
  ({ draft: app.draft, resumed: app.resumed } = loadDraft(draftName));
  app.draft.page = Math.min(Math.max(0, app.draft.page), app.pages.length - 1);
  if (app.draft.sending && !previewId) {
    // The page closed while sending: the answers may or may not have arrived,
    // so send again with the same key and let the server tell which.
    startSending();
    return;
  }
  app.view = { kind: "page" };
  render({ focus: false });
}

main();
