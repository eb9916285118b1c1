// The start page: what this Trygg holds, in Swedish or English.
import { messages } from "./messages.js";
import { h as element, showLanguage } from "./page.js";

const numberFormat = (lang) => new Intl.NumberFormat(lang === "sv" ? "sv-SE" : "en-GB");

// An open round links to its survey page, so a resident can answer from here.
function surveyTitle(t, survey) {
  const today = new Date().toISOString().slice(0, 10);
  const open = survey.opens_on <= today && (survey.closes_on === null || survey.closes_on >= today);
  if (!open) return [survey.title];
  return [element("a", { href: `/s/${encodeURIComponent(survey.slug)}` }, survey.title), ` (${t.openNow})`];
}

function surveyTable(t, lang, surveys) {
  const format = numberFormat(lang);
  const columns = [[t.round], [t.title], [t.period], [t.responses, "number"], [t.pins, "number"]];
  const head = element("tr", {}, ...columns.map(([h, kind]) => element("th", { scope: "col", class: kind ?? "" }, h)));
  const rows = surveys.map((s) =>
    element(
      "tr",
      {},
      element("td", {}, s.round),
      element("td", {}, ...surveyTitle(t, s)),
      element("td", {}, `${s.opens_on} – ${s.closes_on ?? ""}`),
      element("td", { class: "number" }, format.format(s.responses)),
      element("td", { class: "number" }, format.format(s.pins)),
    ),
  );
  return element("table", {}, element("caption", {}, t.surveys), element("thead", {}, head), element("tbody", {}, ...rows));
}

function render(lang, overview) {
  const t = messages[lang];
  showLanguage(lang, t);
  const content = document.getElementById("content");
  if (overview === null) {
    content.replaceChildren(element("p", { role: "alert" }, t.failed));
    return;
  }
  if (overview.municipalities.length === 0) {
    content.replaceChildren(element("p", {}, t.empty));
    return;
  }
  content.replaceChildren(
    ...overview.municipalities.map((m) =>
      element(
        "section",
        { "aria-labelledby": `m-${m.slug}` },
        element("h2", { id: `m-${m.slug}` }, m.name),
        ...(m.synthetic ? [element("p", { class: "synthetic" }, t.synthetic)] : []),
        surveyTable(t, lang, m.surveys),
        element("h3", {}, t.areas),
        element("ul", { class: "areas" }, ...m.areas.map((a) => element("li", {}, a.name))),
      ),
    ),
  );
}

async function main() {
  let lang = localStorage.getItem("trygg.lang") ?? "sv";
  let overview = null;
  try {
    const response = await fetch("/api/v1/overview");
    if (response.ok) overview = await response.json();
  } catch {
    overview = null;
  }
  render(lang, overview);
  document.getElementById("language").addEventListener("click", () => {
    lang = messages[lang].switchLang;
    localStorage.setItem("trygg.lang", lang);
    render(lang, overview);
  });
}

main();
