// The audit log: who did what and when among the municipality's staff.
import { element, fetchList, formatTime } from "../dom.js";
import { auditLabel } from "../../labels.js";

export const title = { sv: "Logg", en: "Audit log" };

export const messages = {
  sv: {
    heading: "Logg över åtgärder",
    lead: "Vem som gjorde vad och när, bland kommunens och polisens medarbetare. Loggen innehåller aldrig invånarnas svar.",
    caption: "Senaste händelserna, nyast först",
    colAt: "Tid",
    colActor: "Vem",
    colAction: "Vad",
    colTarget: "Gäller",
    empty: "Inget har loggats ännu.",
    failedLoad: "Det gick inte att hämta loggen.",
  },
  en: {
    heading: "Audit log",
    lead: "Who did what and when among the municipal and police staff. The log never holds residents' answers.",
    caption: "Latest events, newest first",
    colAt: "When",
    colActor: "Who",
    colAction: "What",
    colTarget: "On",
    empty: "Nothing has been logged yet.",
    failedLoad: "The log could not be loaded.",
  },
};

export async function render(main, ctx) {
  const { t } = ctx;
  main.append(element("h1", {}, t.heading), element("p", {}, t.lead));
  const data = await fetchList(ctx, "/audit?limit=500", "events", (node) => main.append(node));
  if (!data) return;
  const head = element("tr", {}, ...[t.colAt, t.colActor, t.colAction, t.colTarget].map((h) => element("th", { scope: "col" }, h)));
  const rows = data.events.map((e) =>
    element(
      "tr",
      {},
      element("td", {}, element("time", { datetime: e.at }, formatTime(e.at, ctx.lang))),
      element("td", {}, e.actor),
      element("td", {}, auditLabel(e.action, ctx.lang)),
      element("td", {}, e.target),
    ),
  );
  main.append(element("table", {}, element("caption", {}, t.caption), element("thead", {}, head), element("tbody", {}, ...rows)));
}
