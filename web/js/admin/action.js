// Shared pieces of the follow-up staff pages (promises, walks, focus-area
// candidates, action plan): their style sheet, labelled textareas and selects,
// today's date, and the derived-status words.
import { element, labelled } from "./dom.js";
import { errorText } from "../labels.js";

// Adds a style sheet once; the pages load their own so the shell stays small.
export function stylesheet(href) {
  if (document.querySelector(`link[href="${href}"]`)) return;
  document.head.append(element("link", { rel: "stylesheet", href }));
}

// A labelled textarea with an optional hint, like dom.js's `field`.
export function textArea({ id, label, hint, required = true, maxlength, rows = 3 }) {
  return labelled({ id, label, hint }, (hintId) =>
    element("textarea", { id, name: id, required, maxlength, rows, "aria-describedby": hintId }));
}

// A labelled select of `[value, text]` options.
export function selectField({ id, label, options, value, hint }) {
  return labelled({ id, label, hint }, (hintId) =>
    element(
      "select",
      { id, name: id, "aria-describedby": hintId },
      ...options.map(([v, text]) => element("option", { value: v, selected: v === value }, text)),
    ));
}

// Today in the browser's own time zone as YYYY-MM-DD.
export function today() {
  const d = new Date();
  const pad = (n) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

// A date in the page's language, e.g. "2 dec. 2026".
export function formatDate(iso, lang) {
  if (!iso) return "";
  const [y, m, d] = iso.split("-").map(Number);
  return new Intl.DateTimeFormat(lang === "sv" ? "sv-SE" : "en-GB", { dateStyle: "medium" }).format(new Date(y, m - 1, d));
}

// A text in the page's language, falling back to Swedish.
export function pick(text, lang) {
  if (text === null || text === undefined) return "";
  if (typeof text === "string") return text;
  return (lang === "en" && text.en) || text.sv || "";
}

// Maps a 422 answer's `field` to one of the form's inputs, with the sentence
// for its code in the page's language.
export function fieldError(data, inputs, fallback) {
  const name = (data?.field ?? "").replace(/^\./, "").split(/[.[]/)[0];
  return { input: inputs[name] ?? null, message: errorText(data, document.documentElement.lang, fallback) };
}

// Where a public text (a progress text, a finding's note) stands in moderation,
// as the API's `review` and `flags` say: words for the staff pages, so a form
// can say why a saved text does not show on the public page yet.
const reviewWords = {
  sv: {
    flags: { personnummer: "personnummer", phone: "telefonnummer", email: "e-postadress", plate: "registreringsnummer", address: "gatuadress", name: "namn" },
    held: (kinds) => `Texten visas inte på den offentliga sidan förrän en moderator har granskat den, eftersom den verkar innehålla personuppgifter (${kinds}).`,
    pending: "Väntar på granskning: visas inte offentligt än.",
    redacted: "Visas offentligt som en moderator redigerade den.",
    rejected: "Visas inte offentligt (avvisad av en moderator).",
  },
  en: {
    flags: { personnummer: "personal identity number", phone: "phone number", email: "e-mail address", plate: "registration plate", address: "street address", name: "name" },
    held: (kinds) => `The text will not show on the public page until a moderator has reviewed it, because it seems to contain personal data (${kinds}).`,
    pending: "Waiting for review: not shown publicly yet.",
    redacted: "Shown publicly as a moderator edited it.",
    rejected: "Not shown publicly (rejected by a moderator).",
  },
};

// Why a just-saved text is held, or null when it is published as written.
export function heldNotice(lang, item) {
  if (item?.review !== "pending") return null;
  const w = reviewWords[lang] ?? reviewWords.sv;
  const kinds = (item.flags ?? []).map((f) => w.flags[f] ?? f).join(", ");
  return element("p", { class: "notice held" }, w.held(kinds));
}

// A short line under a listed text that is not shown as written, or null.
export function reviewNote(lang, item) {
  const w = reviewWords[lang] ?? reviewWords.sv;
  const words = { pending: w.pending, redacted: w.redacted, rejected: w.rejected }[item?.review];
  return words ? element("span", { class: "review" }, ` (${words})`) : null;
}
