// The analysts' lägesbild /admin/surveys/{id}/lagesbild: key figures, indicators with
// intervals and trends, breakdowns whose bars filter everything (map included),
// every question, the map with clustered pins, Gi* hexagons and a heat surface, and
// the exports. All numbers come from /api/v1/admin/surveys/{id}/lagesbild, the same
// value the exports are made from.
import { h } from "./charts.js";
import { showLanguage } from "../page.js";
import { messages } from "./messages.js";
import { errorLabel } from "../labels.js";
import { breakdowns, drawMap, findingsTable, indicators, keyFigures, label, mapSection, optionLabel, questions, showTitle } from "./view.js";

const id = decodeURIComponent(location.pathname.split("/").filter(Boolean)[2] ?? "");
const api = `/api/v1/admin/surveys/${encodeURIComponent(id)}`;
const params = new URLSearchParams(location.search);
let lang = params.get("lang") === "en" ? "en" : "sv";
const filters = {};
for (const key of ["area", "gender", "age_band", "category", "time_of_day", "weighted"]) {
  if (params.get(key)) filters[key] = params.get(key);
}
let data = null;
let pins = { total: 0, pins: [], groups: [] };
let csrf = null;
let map = null;

const query = () => {
  const q = new URLSearchParams(Object.entries(filters).filter(([, v]) => v));
  const text = q.toString();
  return text ? `?${text}` : "";
};

async function fetchJson(url) {
  const response = await fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" });
  if (!response.ok) {
    const error = new Error(`HTTP ${response.status}`);
    error.status = response.status;
    throw error;
  }
  return response.json();
}

async function load() {
  const t = messages[lang];
  const content = document.getElementById("content");
  content.setAttribute("aria-busy", "true");
  try {
    [data, pins] = await Promise.all([fetchJson(`${api}/lagesbild${query()}`), fetchJson(`${api}/lagesbild/pins${query()}`)]);
    history.replaceState(null, "", `${location.pathname}${query()}`);
    render();
  } catch (error) {
    content.replaceChildren(
      h("p", { role: "alert" }, error.status === 401 ? t.signIn : error.status === 403 ? t.notAllowed : t.failed),
      error.status === 401 ? h("p", {}, h("a", { href: "/admin" }, "/admin")) : null,
    );
  } finally {
    content.removeAttribute("aria-busy");
  }
}

function setFilter(name, value) {
  if (value) filters[name] = value;
  else delete filters[name];
  load();
}

function select(name, text, options) {
  const t = messages[lang];
  const control = h("select", { id: `filter-${name}`, name },
    h("option", { value: "" }, t.all),
    ...options.map(([value, shown]) => h("option", { value, selected: filters[name] === value }, shown)),
  );
  control.addEventListener("change", () => setFilter(name, control.value));
  return h("label", { for: `filter-${name}` }, text, control);
}

function filterForm(l) {
  const t = messages[lang];
  const choices = (background) => {
    const q = l.questions.find((x) => x.background === background);
    return q ? q.options.filter((o) => !o.dont_know).map((o) => [o.key, label(lang, o)]) : [];
  };
  const form = h("form", { class: "filters", "aria-label": t.filters },
    select("area", t.area, choices("area")),
    select("gender", t.gender, choices("gender")),
    select("age_band", t.ageBand, choices("age_band")),
    select("category", t.category, l.map.categories.map(([key, shown]) => [key, shown])),
    select("time_of_day", t.timeOfDay, Object.entries(t.times)),
  );
  if (l.weighting_available) {
    const box = h("input", { type: "checkbox", id: "filter-weighted", checked: filters.weighted === "true" });
    box.addEventListener("change", () => setFilter("weighted", box.checked ? "true" : ""));
    form.append(h("label", { for: "filter-weighted" }, box, t.weighted));
  }
  const clear = h("button", { type: "button" }, t.clear);
  clear.addEventListener("click", () => {
    for (const key of Object.keys(filters)) delete filters[key];
    load();
  });
  form.append(clear);
  form.addEventListener("submit", (event) => event.preventDefault());
  return form;
}

// Large exports take seconds (the server makes them off its request threads): the
// button shows it is busy, the status line says so, and a second click waits.
async function download(format, url, button) {
  const t = messages[lang];
  const status = document.getElementById("export-status");
  if (button?.getAttribute("aria-busy") === "true") return;
  button?.setAttribute("aria-busy", "true");
  status.textContent = t.working;
  try {
    const response = await fetch(url, { credentials: "same-origin" });
    if (!response.ok) {
      status.textContent = response.status === 403 ? t.notAllowed : t.exportFailed;
      return;
    }
    const blob = await response.blob();
    const name = /filename="([^"]+)"/.exec(response.headers.get("Content-Disposition") ?? "")?.[1] ?? `lagesbild.${format}`;
    const link = h("a", { href: URL.createObjectURL(blob), download: name });
    document.body.append(link);
    link.click();
    link.remove();
    status.textContent = name;
  } catch {
    status.textContent = t.exportFailed;
  } finally {
    button?.removeAttribute("aria-busy");
  }
}

async function session() {
  if (csrf) return csrf;
  const body = await fetchJson("/api/v1/admin/session");
  csrf = body.csrf_token ?? body.csrf ?? null;
  return csrf;
}

// Publishes (PUT), withdraws (DELETE) or republishes (POST to …/republish); a
// refusal, such as a round that is still open, says why in the page's language.
async function publication(method, path = "") {
  const t = messages[lang];
  const status = document.getElementById("publish-status");
  if (path && !window.confirm(t.republishConfirm)) return;
  try {
    const token = await session();
    const response = await fetch(`${api}/publication${path}`, { method, credentials: "same-origin", headers: { "X-CSRF-Token": token ?? "" } });
    if (!response.ok) {
      const body = await response.json().catch(() => null);
      // The catalogue's sentence for the refusal; a disclosure refusal also
      // gives the server's account of which cells could be worked out.
      const label = errorLabel(body?.error, lang);
      const reason = label && body?.error === "disclosure_risk" && body?.message ? `${label} ${body.message}` : label ?? body?.message;
      status.textContent = response.status === 403 ? t.notAllowed : reason ? t.publishRefused(reason) : t.exportFailed;
      return;
    }
    const body = await response.json();
    data.published_on = body.published_on;
    data.publication = body.publication;
    render();
  } catch {
    status.textContent = t.exportFailed;
  }
}

function exportsSection(l) {
  const t = messages[lang];
  const can = (p) => l.permissions.includes(p);
  const buttons = [];
  if (can("export_results")) {
    for (const [format, text] of [["xlsx", t.exportXlsx], ["csv", t.exportCsv], ["csv_semicolon", t.exportCsvSv], ["pdf", t.exportPdf], ["cells", t.exportCells], ["hotspots", t.exportHotspots]]) {
      const sep = query() ? "&" : "?";
      buttons.push(h("button", { type: "button", "data-export": format, onclick: (event) => download(format, `${api}/lagesbild/export${query()}${sep}format=${format}`, event.currentTarget) }, text));
    }
  }
  if (can("export_pins")) {
    buttons.push(h("button", { type: "button", "data-export": "pins", onclick: (event) => download("geojson", `${api}/lagesbild/pins.geojson${query()}`, event.currentTarget) }, t.exportPins));
  }
  const publish = [];
  if (can("publish_results")) {
    if (data.published_on) {
      publish.push(
        h("button", { type: "button", id: "republish", onclick: () => publication("POST", "/republish") }, t.republish),
        h("button", { type: "button", id: "unpublish", onclick: () => publication("DELETE") }, t.unpublish),
      );
    } else {
      publish.push(h("button", { type: "button", id: "publish", onclick: () => publication("PUT") }, t.publish));
    }
  }
  return h("section", { "aria-labelledby": "exports" },
    h("h2", { id: "exports" }, t.exports),
    h("div", { class: "actions" }, ...buttons, h("span", { id: "export-status", class: "status", role: "status" })),
    h("div", { class: "actions" },
      data.published_on
        ? h("span", {}, t.publishedOn(data.published_on), " ", h("a", { href: `/r/${encodeURIComponent(l.survey.slug)}` }, `/r/${l.survey.slug}`),
          data.publication ? ` ${t.updatedOn(data.publication.updated_at.slice(0, 10), data.publication.updated_by)}` : "")
        : h("span", {}, data.closed === false ? t.notClosed : t.notPublished),
      ...publish,
      h("span", { id: "publish-status", class: "status", role: "status" }),
    ),
  );
}

function describeFilters(l) {
  const t = messages[lang];
  const parts = [];
  for (const [name, background] of [["area", "area"], ["gender", "gender"], ["age_band", "age_band"]]) {
    if (!filters[name]) continue;
    const q = l.questions.find((x) => x.background === background);
    parts.push(q ? optionLabel(l, lang, q.key, filters[name]) : filters[name]);
  }
  if (filters.category) parts.push(l.map.categories.find(([k]) => k === filters.category)?.[1] ?? filters.category);
  if (filters.time_of_day) parts.push(t.times[filters.time_of_day] ?? filters.time_of_day);
  if (filters.weighted === "true") parts.push(t.weighted.toLowerCase());
  return parts.length ? t.filteredBy(parts.join(", ")) : "";
}

// Residents' comments, only those a moderator approved or redacted (the server
// reads them through Store::public_comments); they do not follow the selection.
function comments(l) {
  const t = messages[lang];
  const areaKey = l.questions.find((q) => q.background === "area")?.key;
  const context = (c) => {
    if (c.source === "free_text") return t.freeText;
    const category = l.map.categories.find(([key]) => key === c.context)?.[1] ?? c.context;
    return c.area && areaKey ? `${category}, ${optionLabel(l, lang, areaKey, c.area)}` : category;
  };
  const list = l.comments ?? [];
  return h("section", { "aria-labelledby": "comments" },
    h("h2", { id: "comments" }, t.comments),
    h("p", { class: "hint" }, t.commentsNote),
    list.length
      ? h("ul", { class: "comments" }, ...list.map((c) => h("li", { "data-source": c.source }, h("q", {}, c.text), " ", h("span", { class: "muted" }, `(${context(c)})`))))
      : h("p", {}, t.freeTextNone),
  );
}

function render() {
  const t = messages[lang];
  showLanguage(lang, t);
  if (!data) return;
  const l = data;
  showTitle(t.dashboardTitle(l.municipality.name, l.survey.round));
  const { section: mapSectionNode, mapBox } = mapSection(l, t, t.mapNote,
    h("h3", {}, t.findingsLayer),
    h("p", {}, t.findingsNote(l.findings?.length ?? 0)),
    l.findings?.length ? findingsTable(l.findings, t) : null,
  );
  const pick = (name, value) => setFilter(name, filters[name] === value ? "" : value);
  document.getElementById("content").replaceChildren(
    l.municipality.synthetic ? h("p", { class: "synthetic" }, t.synthetic) : null,
    filterForm(l),
    h("p", { id: "filter-summary", role: "status" }, describeFilters(l)),
    keyFigures(l, t),
    indicators(l, t, lang),
    breakdowns(l, t, lang, pick),
    mapSectionNode,
    questions(l, t, lang),
    comments(l),
    exportsSection(l),
  );
  if (map) map.remove();
  const heatUrl = `${api}/lagesbild/heat.png${query()}`;
  drawMap(mapBox, l, t, { pins, heatUrl, findings: l.findings ?? [] })
    .then((m) => {
      map = m;
    })
    .catch(() => mapBox.replaceChildren(h("p", {}, t.failed)));
}

document.getElementById("language").addEventListener("click", () => {
  lang = lang === "sv" ? "en" : "sv";
  render();
});

load();
