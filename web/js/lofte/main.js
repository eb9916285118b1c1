// The public follow-up page at /lofte/{municipality}: promises with progress bars,
// the latest updates, the linked indicator per round, and fixed walk findings.
import { h as el, showLanguage } from "../page.js";
import { messages } from "./messages.js";

const slug = decodeURIComponent(location.pathname.split("/")[2] ?? "");
let lang = localStorage.getItem("trygg.lang") === "en" ? "en" : "sv";
let data;

const percent = (x) => new Intl.NumberFormat(lang === "sv" ? "sv-SE" : "en-GB", { style: "percent", maximumFractionDigits: 0 }).format(x);
const pick = (sv, en) => (lang === "en" && en ? en : sv);

function activity(t, a, promiseId) {
  const id = `a-${a.id}`;
  const done = Math.min(a.achieved, a.target);
  return el(
    "li",
    {},
    el(
      "div",
      { class: "activity-head" },
      el("span", { id }, pick(a.title_sv, a.title_en)),
      el("span", { class: `status status-${a.status}` }, t.status[a.status]),
    ),
    el("progress", { max: String(a.target), value: String(done), "aria-labelledby": id, "aria-describedby": `${id}-text`, "data-promise": promiseId }),
    el("p", { id: `${id}-text`, class: "meta" }, `${a.achieved} ${t.of} ${a.target} ${a.unit} · ${t.owner}: ${a.owner} · ${t.due} ${a.due_on}`),
  );
}

function indicator(t, series) {
  if (!series || series.rounds.length === 0) return null;
  const rows = series.rounds.map((r) =>
    el(
      "tr",
      {},
      el("th", { scope: "row" }, r.round === series.baseline_round ? `${r.round} (${t.baseline})` : r.round),
      el("td", { class: "number" }, r.suppressed ? t.hidden : percent(r.share)),
      el("td", {}, r.suppressed ? "" : `${percent(r.low)} – ${percent(r.high)}`),
      el("td", { class: "number" }, r.suppressed ? "" : String(r.n)),
    ),
  );
  return el(
    "section",
    {},
    el("h3", {}, t.indicator),
    el(
      "table",
      { class: "indicator" },
      el("caption", {}, pick(series.label_sv, series.label_en)),
      el("thead", {}, el("tr", {}, ...[t.round, t.share, t.interval, t.respondents].map((h) => el("th", { scope: "col" }, h)))),
      el("tbody", {}, ...rows),
    ),
    el("p", { class: "meta" }, t.indicatorNote),
  );
}

function promise(t, p) {
  const headingId = `p-${p.id}`;
  const updates = p.updates.length === 0
    ? el("p", {}, t.noUpdates)
    : el("ul", { class: "updates" }, ...p.updates.map((u) => el("li", {}, el("time", { datetime: u.on }, u.on), ` – ${u.text || u.activity_sv} (+${u.amount} ${u.unit})`)));
  return el(
    "article",
    { class: "promise", "aria-labelledby": headingId },
    el("h2", { id: headingId }, pick(p.title_sv, p.title_en), " ", el("span", { class: `status status-${p.status}` }, t.status[p.status])),
    el("p", { class: "meta" }, `${t.focusArea}: ${p.focus_area} · ${t.period}: ${p.starts_on} – ${p.ends_on}`),
    el("p", {}, `${t.parties}: ${p.parties.join(", ")}`),
    el("p", {}, el("strong", {}, `${t.expectedEffect}: `), pick(p.expected_effect_sv, p.expected_effect_en)),
    el("h3", {}, t.activities),
    el("ul", { class: "activities" }, ...p.activities.map((a) => activity(t, a, p.id))),
    el("h3", {}, t.latest),
    updates,
    indicator(t, p.indicator),
  );
}

function findings(t, list) {
  const items = list.map((f) =>
    el(
      "li",
      {},
      el("strong", {}, `${t.categories[f.category] ?? f.category}: `),
      f.note,
      f.status === "fixed" ? ` – ${t.fixedOn} ${f.fixed_on} (${f.responsible})` : ` – ${t.wontFix}: ${f.reason}`,
    ),
  );
  return el(
    "section",
    { "aria-labelledby": "findings" },
    el("h2", { id: "findings" }, t.findingsHeading),
    el("p", {}, t.findingsLead),
    items.length === 0 ? el("p", {}, t.noFindings) : el("ul", { class: "findings" }, ...items),
  );
}

function render() {
  const t = messages[lang];
  showLanguage(lang, t);
  const content = document.getElementById("content");
  if (data === null) {
    content.replaceChildren(el("p", { role: "alert" }, t.failed));
    return;
  }
  if (data === undefined) return;
  document.title = `${t.heading} – ${data.name}`;
  const parts = [];
  if (data.synthetic) parts.push(el("p", { class: "synthetic" }, t.synthetic));
  parts.push(el("p", { class: "meta" }, data.name));
  if (data.promises.length === 0) parts.push(el("p", {}, t.empty));
  parts.push(...data.promises.map((p) => promise(t, p)));
  parts.push(findings(t, data.findings));
  parts.push(el("p", { class: "feed" }, el("a", { href: `/lofte/${encodeURIComponent(slug)}/feed.atom`, type: "application/atom+xml" }, t.feed)));
  content.replaceChildren(...parts);
}

document.getElementById("language").addEventListener("click", () => {
  lang = lang === "sv" ? "en" : "sv";
  localStorage.setItem("trygg.lang", lang);
  render();
});

render();
try {
  const response = await fetch(`/api/v1/public/${encodeURIComponent(slug)}/follow-up`, { headers: { Accept: "application/json" } });
  data = response.ok ? await response.json() : null;
} catch {
  data = null;
}
render();
