// Shared pieces of the follow-up staff pages (promises, walks, focus-area
// candidates, action plan): their style sheet, labelled textareas and selects,
// today's date, and the derived-status words.
import { element } from "./dom.js";

// Adds a style sheet once; the pages load their own so the shell stays small.
export function stylesheet(href) {
  if (document.querySelector(`link[href="${href}"]`)) return;
  document.head.append(element("link", { rel: "stylesheet", href }));
}

// A labelled textarea with an optional hint, like dom.js's `field`.
export function textArea({ id, label, hint, required = true, maxlength, rows = 3 }) {
  const hintId = hint ? `${id}-hint` : null;
  const input = element("textarea", { id, name: id, required, maxlength, rows, "aria-describedby": hintId });
  const wrapper = element(
    "div",
    { class: "field" },
    element("label", { for: id }, label),
    hint ? element("p", { class: "hint", id: hintId }, hint) : null,
    input,
  );
  return { wrapper, input };
}

// A labelled select of `[value, text]` options.
export function selectField({ id, label, options, value, hint }) {
  const hintId = hint ? `${id}-hint` : null;
  const input = element(
    "select",
    { id, name: id, "aria-describedby": hintId },
    ...options.map(([v, text]) => element("option", { value: v, selected: v === value }, text)),
  );
  const wrapper = element(
    "div",
    { class: "field" },
    element("label", { for: id }, label),
    hint ? element("p", { class: "hint", id: hintId }, hint) : null,
    input,
  );
  return { wrapper, input };
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

// Maps a 422 answer's `field` to one of the form's inputs.
export function fieldError(data, inputs, fallback) {
  const name = (data?.field ?? "").replace(/^\./, "").split(/[.[]/)[0];
  return { input: inputs[name] ?? null, message: data?.message ?? fallback };
}
