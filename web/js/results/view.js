// The sections of a lägesbild, rendered from the one JSON value the server sends
// (the same value the exports are made from). Shared by the public page and the
// analysts' dashboard.
import { barChart, barTable, h, number, percent, trendChart } from "./charts.js";
import { loadScript } from "../load.js";

export const label = (lang, item) => (lang === "en" && item.en ? item.en : item.sv);

export function question(l, key) {
  return l.questions.find((q) => q.key === key);
}

export function optionLabel(l, lang, questionKey, optionKey) {
  const option = question(l, questionKey)?.options.find((o) => o.key === optionKey);
  return option ? label(lang, option) : optionKey;
}

export function indicatorLabel(l, lang, key) {
  const found = l.indicator_labels.find(([k]) => k === key);
  if (!found) return key;
  return lang === "en" && found[2] ? found[2] : found[1];
}

function backgroundKey(l, background) {
  return l.questions.find((q) => q.background === background)?.key;
}

function changeText(t, locale, change) {
  if (!change) return t.hidden;
  const points = new Intl.NumberFormat(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1, signDisplay: "always" }).format(100 * change.difference);
  const flag = { significant_increase: t.significantIncrease, significant_decrease: t.significantDecrease, no_significant_change: t.noSignificantChange }[change.flag];
  return `${points} ${t.points} (${flag}, p = ${change.p_value.toFixed(3)})`;
}

export function keyFigures(l, t) {
  const k = l.key_figures;
  const items = [
    [t.respondents, number(t.locale, k.respondents)],
    [t.pins, number(t.locale, k.pins)],
  ];
  if (k.share_with_pins !== null) items.push([t.withPins, percent(t.locale, k.share_with_pins)]);
  if (k.response_rate != null) items.push([t.responseRate, `${percent(t.locale, k.response_rate)} (${number(t.locale, k.invitations)} ${t.letters})`]);
  return h("section", { "aria-labelledby": "key-figures" },
    h("h2", { id: "key-figures" }, t.keyFigures),
    h("dl", { class: "key-figures" }, ...items.map(([name, value]) => h("div", {}, h("dt", {}, name), h("dd", {}, value)))),
  );
}

// Shares and problem indexes (each respondent's share of problems rated large,
// averaged) read as percentages; other means as numbers with one decimal.
const inPercent = (l, table) => table.measure === "share" || (l.problem_indices ?? []).includes(table.key);

function estimateValue(l, t, table, e) {
  return inPercent(l, table) ? percent(t.locale, e.value) : new Intl.NumberFormat(t.locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(e.value);
}

function estimateInterval(l, t, table, e) {
  if (inPercent(l, table)) return `${percent(t.locale, e.interval.low)} – ${percent(t.locale, e.interval.high)}`;
  const f = new Intl.NumberFormat(t.locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  return `${f.format(e.interval.low)} – ${f.format(e.interval.high)}`;
}

export function indicators(l, t, lang) {
  const overall = l.report.indicators.filter((table) => table.group_by.length === 0);
  const rows = overall.map((table) => {
    const cell = table.cells[0];
    const e = cell?.estimate;
    const trend = l.report.trends.find((tr) => tr.key === table.key && tr.option === null && tr.group.length === 0);
    return h("tr", { "data-indicator": table.key },
      h("th", { scope: "row" }, indicatorLabel(l, lang, table.key)),
      h("td", { class: "number", "data-value": e ? e.value : "" }, e ? estimateValue(l, t, table, e) : t.hidden),
      h("td", { class: "number" }, e ? estimateInterval(l, t, table, e) : ""),
      h("td", { class: "number" }, e ? number(t.locale, e.n) : ""),
      l.compared_with ? h("td", {}, trend ? changeText(t, t.locale, trend.change) : "") : null,
    );
  });
  const section = h("section", { "aria-labelledby": "indicators" },
    h("h2", { id: "indicators" }, t.indicators),
    h("table", { class: "indicators" },
      h("caption", {}, t.indicators),
      h("thead", {}, h("tr", {},
        h("th", { scope: "col" }, ""),
        h("th", { scope: "col", class: "number" }, t.value),
        h("th", { scope: "col", class: "number" }, t.interval),
        h("th", { scope: "col", class: "number" }, t.base),
        l.compared_with ? h("th", { scope: "col" }, t.change(l.compared_with)) : null,
      )),
      h("tbody", {}, ...rows),
    ),
  );
  for (const table of overall.filter((tb) => tb.measure === "share")) {
    const points = l.series
      .map((round) => {
        const found = round.indicators.find((x) => x.key === table.key && x.group_by.length === 0);
        const e = found?.cells[0]?.estimate;
        return e ? { round: round.round, value: e.value, low: e.interval.low, high: e.interval.high, n: e.n } : null;
      })
      .filter(Boolean);
    if (points.length < 2) continue;
    const title = `${indicatorLabel(l, lang, table.key)}: ${t.trend}`;
    section.append(
      h("figure", { class: "chart-figure" },
        h("figcaption", {}, title),
        trendChart({ title, points, locale: t.locale }),
        barTable({ caption: title, rows: points.map((p) => ({ label: p.round, value: p.value, low: p.low, high: p.high, n: p.n })), locale: t.locale, t }),
      ),
    );
  }
  return section;
}

// One share indicator broken down by area, gender and age band: bars that filter.
export function breakdowns(l, t, lang, onPick) {
  const first = l.report.indicators.find((table) => table.group_by.length === 0 && table.measure === "share");
  if (!first) return h("div");
  const section = h("section", { "aria-labelledby": "breakdowns" },
    h("h2", { id: "breakdowns" }, indicatorLabel(l, lang, first.key)),
    onPick ? h("p", { class: "hint" }, t.clickToFilter) : null,
  );
  for (const [background, heading, filter] of [["area", t.byArea, "area"], ["gender", t.byGender, "gender"], ["age_band", t.byAge, "age_band"]]) {
    const variable = backgroundKey(l, background);
    const table = l.report.indicators.find((x) => x.key === first.key && x.group_by.length === 1 && x.group_by[0] === variable);
    if (!table) continue;
    const rows = table.cells.map((cell) =>
      barRow(cell, t, cell.group[0], optionLabel(l, lang, variable, cell.group[0]), cell.estimate?.value));
    const title = `${indicatorLabel(l, lang, first.key)}: ${heading}`;
    section.append(
      h("figure", { class: "chart-figure", "data-breakdown": filter },
        h("figcaption", {}, heading),
        barChart({ title, rows, locale: t.locale, hiddenText: t.hidden, onPick: onPick ? (row) => onPick(filter, row.key) : null, selected: l.filters[filter] }),
        barTable({ caption: title, rows, locale: t.locale, t }),
      ),
    );
  }
  return section;
}

export function questions(l, t, lang) {
  const section = h("section", { "aria-labelledby": "questions" }, h("h2", { id: "questions" }, t.questions));
  for (const table of l.report.tables.filter((x) => x.group_by.length === 0)) {
    const q = question(l, table.question);
    if (!q || q.background) continue;
    const rows = table.cells
      .filter((cell) => !cell.dont_know)
      .map((cell) => barRow(cell, t, cell.option, optionLabel(l, lang, table.question, cell.option), cell.estimate?.share));
    const title = label(lang, q);
    section.append(
      h("figure", { class: "chart-figure", "data-question": table.question },
        h("figcaption", {}, title),
        barChart({ title, rows, locale: t.locale, hiddenText: t.hidden }),
        barTable({ caption: title, rows, locale: t.locale, t }),
      ),
    );
  }
  return section;
}

export const classColours = {
  hot_99: "#b2182b", hot_95: "#d6604d", hot_90: "#f4a582", not_significant: "#d9d9d9",
  cold_90: "#92c5de", cold_95: "#4393c3", cold_99: "#2166ac",
};

// The report's heading, also the browser tab's title.
export function showTitle(text) {
  document.getElementById("title").textContent = text;
  document.title = `${text} – Trygg`;
}

// The map's section: its heading, `note`, the box the map is drawn into and
// the map's tables, then `more`. Returns the section and the box.
export function mapSection(l, t, note, ...more) {
  const mapBox = h("div", { id: "map", class: "map", role: "region", "aria-label": t.map });
  const section = h("section", { "aria-labelledby": "map-heading" },
    h("h2", { id: "map-heading" }, t.map),
    h("p", {}, note),
    mapBox,
    ...mapTables(l, t),
    ...more,
  );
  return { section, mapBox };
}

// Hexagons and hotspot summaries as tables, the map's alternative.
export function mapTables(l, t) {
  const cells = l.map.cells.filter((c) => c.count > 0).sort((a, b) => b.count - a.count);
  const cellTable = h("table", { class: "cells" },
    h("caption", {}, t.cellTable),
    h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "H3"), h("th", { scope: "col", class: "number" }, t.cellPins), h("th", { scope: "col" }, t.class))),
    h("tbody", {}, ...cells.map((c) => h("tr", { "data-h3": c.h3, "data-count": c.count }, h("td", {}, c.h3), h("td", { class: "number" }, number(t.locale, c.count)), h("td", {}, t.classes[c.class] ?? c.class)))),
  );
  const hotspots = l.map.hotspots.map((spot) => h("li", {}, spot.sentence));
  // The pins layer's alternative: how many marks of each category and time of day.
  const countRows = (rows) => rows.map(([key, shown, n]) => h("tr", { "data-key": key }, h("th", { scope: "row" }, shown), h("td", { class: "number" }, number(t.locale, n))));
  const pinTable = h("table", { class: "pin-counts" },
    h("caption", {}, t.pinTable),
    h("thead", {}, h("tr", {}, h("th", { scope: "col" }, t.category), h("th", { scope: "col", class: "number" }, t.cellPins))),
    h("tbody", {},
      ...countRows(l.map.categories.map(([key, shown, n]) => [key, shown, n])),
      ...countRows(l.map.time_of_day.map(([key, n]) => [key, `${t.timeOfDay}: ${t.times[key] ?? key}`, n])),
    ),
  );
  return [
    h("h3", {}, t.hotspots),
    hotspots.length ? h("ol", { class: "hotspots" }, ...hotspots) : h("p", {}, t.noHotspots),
    h("details", { class: "table-alternative" }, h("summary", {}, t.showCellTable), cellTable),
    h("details", { class: "table-alternative" }, h("summary", {}, t.showPinTable), pinTable),
  ];
}

// The walk layer's alternative: every finding as a row.
export function findingsTable(findings, t) {
  const table = h("table", { class: "findings" },
    h("caption", {}, t.findingsTable),
    h("thead", {}, h("tr", {}, ...[t.findingCategory, t.findingNote, t.findingStatus, t.findingResponsible, t.findingWalk].map((c) => h("th", { scope: "col" }, c)))),
    h("tbody", {}, ...findings.map((f) => h("tr", { "data-status": f.status },
      h("td", {}, t.findingCategories[f.category] ?? f.category),
      h("td", {}, f.note),
      h("td", {}, t.findingStatuses[f.status] ?? f.status),
      h("td", {}, f.responsible),
      h("td", {}, `${f.walk} (${f.walked_on})`),
    ))),
  );
  return h("details", { class: "table-alternative" }, h("summary", {}, t.showFindingsTable), table);
}

// Leaflet puts a string tooltip into innerHTML, so every tooltip is a text node:
// a finding's note or an area's name then shows as typed, never as markup.
const text = (s) => document.createTextNode(s);

// A Leaflet map of the areas and the hexagons, plus optional layers.
export async function drawMap(container, l, t, { pins = null, heatUrl = null, findings = null } = {}) {
  await loadScript("/vendor/leaflet/leaflet.js");
  if (pins) await loadScript("/vendor/leaflet.markercluster/leaflet.markercluster.js");
  const L = window.L;
  container.replaceChildren();
  const map = L.map(container, { maxZoom: 18, minZoom: 8, zoomSnap: 0.25, attributionControl: false, keyboard: true });
  const areas = L.geoJSON({
    type: "FeatureCollection",
    features: l.map.areas.map((a) => ({ type: "Feature", properties: { name: a.name }, geometry: { type: "MultiPolygon", coordinates: a.polygons } })),
  }, { style: { color: "#1b1f23", weight: 1.5, fill: false }, interactive: false }).addTo(map);
  const hexes = L.geoJSON({
    type: "FeatureCollection",
    features: l.map.cells.filter((c) => c.ring && c.ring.length).map((c) => ({ type: "Feature", properties: c, geometry: { type: "Polygon", coordinates: [c.ring] } })),
  }, {
    style: (f) => ({ className: "hex-cell", color: "#ffffff", weight: 0.5, fillColor: classColours[f.properties.class] ?? "#d9d9d9", fillOpacity: 0.75 }),
    onEachFeature: (f, layer) => layer.bindTooltip(text(`${f.properties.count} · ${t.classes[f.properties.class] ?? f.properties.class}`)),
  });
  hexes.addTo(map);
  const overlays = { [t.hexLayer]: hexes };
  if (heatUrl && l.map.heat) {
    const [west, south, east, north] = l.map.heat.bounds;
    overlays[t.heat] = L.imageOverlay(heatUrl, [[south, west], [north, east]], { opacity: 0.8, alt: t.heat }).addTo(map);
  }
  if (pins) {
    const cluster = L.markerClusterGroup ? L.markerClusterGroup({ showCoverageOnHover: false }) : L.layerGroup();
    cluster.addLayers(pins.pins.map((p) => L.circleMarker([p.lat, p.lon], { className: "pin", radius: 4, color: "#1b1f23", weight: 1, fillColor: "#0b5394", fillOpacity: 0.9 })));
    // Too many pins to draw one by one arrive counted per hexagon: one circle
    // each, its area growing with the count.
    cluster.addLayers(pins.groups.map((g) => L.circleMarker([g.lat, g.lon], {
      className: "pin-group", radius: 4 + 2 * Math.sqrt(g.count), color: "#1b1f23", weight: 1, fillColor: "#0b5394", fillOpacity: 0.6,
    }).bindTooltip(text(`${number(t.locale, g.count)} ${t.pinsWord}`))));
    cluster.addTo(map);
    overlays[t.pinsLayer] = cluster;
  }
  if (findings) {
    // Walk findings: circles with a dashed ring, green once fixed.
    const layer = L.layerGroup(findings.map((f) => L.circleMarker([f.lat, f.lon], {
      className: `finding finding-${f.status}`, radius: 7, weight: 2, dashArray: "3 2",
      color: "#1b1f23", fillColor: f.status === "fixed" ? "#1a7f37" : "#f5a623", fillOpacity: 0.95,
    }).bindTooltip(text(`${t.findingCategories[f.category] ?? f.category}: ${f.note} (${t.findingStatuses[f.status] ?? f.status})`))));
    layer.addTo(map);
    overlays[t.findingsLayer] = layer;
  }
  L.control.layers(null, overlays, { collapsed: false }).addTo(map);
  const bounds = areas.getBounds();
  if (bounds.isValid()) map.fitBounds(bounds, { padding: [8, 8] });
  else map.setView([59.5, 17.6], 11);
  // Tests and screenshots wait for this; a screen reader has the tables below.
  container.dataset.ready = "true";
  return map;
}


// One bar of a chart and row of its table: `value` with the cell's interval
// and count, or hidden (suppressed), with the note a reader sees beside it.
function barRow(cell, t, key, label, value) {
  const e = cell.estimate;
  return {
    key,
    label,
    value: value ?? null,
    low: e?.interval.low,
    high: e?.interval.high,
    n: e?.n,
    hidden: !e,
    uncertain: cell.uncertain,
    note: e ? (cell.uncertain ? t.uncertain : "") : t.hiddenNote,
  };
}
