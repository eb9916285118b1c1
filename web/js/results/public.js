// The public results page /r/{slug}: the published lägesbild of one round, with no
// login. Everything shown comes from /api/v1/results/{slug}, which the server has
// already stripped of pins, free text and small cells.
import { h } from "./charts.js";
import { showLanguage } from "../page.js";
import { messages } from "./messages.js";
import { breakdowns, drawMap, indicators, keyFigures, mapSection, questions, showTitle } from "./view.js";

const slug = decodeURIComponent(location.pathname.split("/").filter(Boolean)[1] ?? "");
let lang = new URLSearchParams(location.search).get("lang") === "en" ? "en" : "sv";
let data;

async function load() {
  const response = await fetch(`/api/v1/results/${encodeURIComponent(slug)}`, { headers: { Accept: "application/json" } });
  if (response.status === 404) return null;
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  return response.json();
}

function render() {
  const t = messages[lang];
  showLanguage(lang, t);
  const content = document.getElementById("content");
  const title = document.getElementById("title");
  if (data === null) {
    title.textContent = t.notFound;
    content.replaceChildren();
    return;
  }
  const l = data;
  showTitle(t.resultsTitle(l.municipality.name, l.survey.round));
  const csv = `/api/v1/results/${encodeURIComponent(slug)}/tables.csv`;
  const { section: mapSectionNode, mapBox } = mapSection(l, t, t.mapPublicNote);
  content.replaceChildren(
    l.municipality.synthetic ? h("p", { class: "synthetic" }, t.synthetic) : null,
    l.publication ? h("p", { id: "publication", class: "hint" }, t.publicationNote(l.publication)) : null,
    keyFigures(l, t),
    indicators(l, t, lang),
    breakdowns(l, t, lang, null),
    mapSectionNode,
    questions(l, t, lang),
    h("section", { "aria-labelledby": "method" },
      h("h2", { id: "method" }, t.method),
      h("p", {}, t.methodText),
      h("ul", {},
        h("li", {}, h("a", { href: csv, download: "" }, t.downloadCsv)),
        h("li", {}, h("a", { href: `${csv}?dialect=semicolon`, download: "" }, t.downloadCsvSv)),
      ),
    ),
  );
  drawMap(mapBox, l, t).catch(() => mapBox.replaceChildren(h("p", {}, t.failed)));
}

document.getElementById("language").addEventListener("click", () => {
  lang = lang === "sv" ? "en" : "sv";
  render();
});

try {
  data = await load();
  render();
} catch {
  document.getElementById("content").replaceChildren(h("p", { role: "alert" }, messages[lang].failed));
}
