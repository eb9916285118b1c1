// Charts drawn as SVG by this module (no library, no network), each with a table
// alternative for screen readers and anyone who prefers numbers. Colours meet 3:1
// against white; whiskers show 95 % intervals.
import { h } from "../page.js";

export { h };

const SVG = "http://www.w3.org/2000/svg";

function s(tag, attributes = {}, ...children) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
  for (const child of children) node.append(child);
  return node;
}

export const percent = (locale, x) =>
  `${new Intl.NumberFormat(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(100 * x)} %`;

export const number = (locale, x) => new Intl.NumberFormat(locale).format(x);

// Horizontal bars with interval whiskers. rows: [{label, value, low, high, hidden, uncertain, key}].
// onPick(row) makes the bars clickable (pointer); keyboard users use the filter form.
export function barChart({ title, rows, locale, hiddenText, onPick, selected }) {
  const width = 640;
  const labelWidth = 230;
  const barWidth = width - labelWidth - 80;
  const rowHeight = 26;
  const height = rows.length * rowHeight + 10;
  const svg = s("svg", { viewBox: `0 0 ${width} ${height}`, class: "chart", role: "img", "aria-label": title, focusable: "false" });
  rows.forEach((row, i) => {
    const y = 5 + i * rowHeight;
    const group = s("g", { class: `bar${onPick ? " pickable" : ""}${selected && row.key === selected ? " selected" : ""}`, "data-key": row.key ?? "" });
    group.append(s("text", { x: labelWidth - 8, y: y + 15, "text-anchor": "end", class: "label" }, row.label.length > 34 ? `${row.label.slice(0, 33)}…` : row.label));
    group.append(s("rect", { x: labelWidth, y: y + 3, width: barWidth, height: 16, class: "track" }));
    if (row.hidden || row.value === null || row.value === undefined) {
      group.append(s("text", { x: labelWidth + 6, y: y + 15, class: "muted" }, hiddenText));
    } else {
      group.append(s("rect", { x: labelWidth, y: y + 3, width: Math.max(0.5, barWidth * row.value), height: 16, class: row.uncertain ? "fill uncertain" : "fill" }));
      const low = labelWidth + barWidth * row.low;
      const high = labelWidth + barWidth * row.high;
      group.append(s("line", { x1: low, x2: high, y1: y + 11, y2: y + 11, class: "whisker" }));
      group.append(s("line", { x1: low, x2: low, y1: y + 6, y2: y + 16, class: "whisker" }));
      group.append(s("line", { x1: high, x2: high, y1: y + 6, y2: y + 16, class: "whisker" }));
      group.append(s("text", { x: labelWidth + barWidth + 8, y: y + 15, class: "value" }, percent(locale, row.value)));
    }
    if (onPick && !row.hidden) group.addEventListener("click", () => onPick(row));
    svg.append(group);
  });
  return svg;
}

// The table alternative of a bar chart, in a disclosure so it does not double the page.
export function barTable({ caption, rows, locale, t, open = false }) {
  const body = rows.map((row) =>
    h("tr", { "data-key": row.key ?? null, "data-n": row.hidden ? null : row.n ?? null },
      h("th", { scope: "row" }, row.label),
      h("td", { class: "number" }, row.hidden ? t.hidden : percent(locale, row.value)),
      h("td", { class: "number" }, row.hidden ? "" : `${percent(locale, row.low)} – ${percent(locale, row.high)}`),
      h("td", { class: "number" }, row.n === null || row.n === undefined ? "" : number(locale, row.n)),
      h("td", {}, row.note ?? ""),
    ),
  );
  const table = h("table", {},
    h("caption", {}, caption),
    h("thead", {}, h("tr", {},
      h("th", { scope: "col" }, t.group),
      h("th", { scope: "col", class: "number" }, t.share),
      h("th", { scope: "col", class: "number" }, t.interval),
      h("th", { scope: "col", class: "number" }, t.base),
      h("th", { scope: "col" }, ""),
    )),
    h("tbody", {}, ...body),
  );
  return h("details", { class: "table-alternative", open }, h("summary", {}, t.showTable), table);
}

// An indicator across rounds: dots joined by a line, with interval whiskers.
// points: [{round, value, low, high}] oldest first.
export function trendChart({ title, points, locale }) {
  const width = 640;
  const height = 200;
  const left = 60;
  const right = width - 20;
  const top = 10;
  const bottom = height - 30;
  const max = Math.max(0.1, ...points.map((p) => p.high));
  const scale = Math.ceil(max * 10) / 10;
  const y = (v) => bottom - (v / scale) * (bottom - top);
  const svg = s("svg", { viewBox: `0 0 ${width} ${height}`, class: "chart trend", role: "img", "aria-label": title, focusable: "false" });
  for (let step = 0; step <= 4; step++) {
    const v = (scale * step) / 4;
    svg.append(s("line", { x1: left, x2: right, y1: y(v), y2: y(v), class: "grid" }));
    svg.append(s("text", { x: left - 6, y: y(v) + 4, "text-anchor": "end", class: "muted" }, percent(locale, v)));
  }
  const gap = (right - left) / Math.max(1, points.length);
  const xs = points.map((_, i) => left + gap * (i + 0.5));
  if (points.length > 1) {
    svg.append(s("polyline", { points: points.map((p, i) => `${xs[i]},${y(p.value)}`).join(" "), class: "line" }));
  }
  points.forEach((p, i) => {
    const x = xs[i];
    svg.append(s("line", { x1: x, x2: x, y1: y(p.low), y2: y(p.high), class: "whisker" }));
    svg.append(s("line", { x1: x - 5, x2: x + 5, y1: y(p.low), y2: y(p.low), class: "whisker" }));
    svg.append(s("line", { x1: x - 5, x2: x + 5, y1: y(p.high), y2: y(p.high), class: "whisker" }));
    svg.append(s("circle", { cx: x, cy: y(p.value), r: 5, class: "dot" }));
    svg.append(s("text", { x: x + 9, y: y(p.value) - 6, class: "value" }, percent(locale, p.value)));
    svg.append(s("text", { x, y: height - 8, "text-anchor": "middle", class: "label" }, p.round));
  });
  return svg;
}
