// Focus-area candidates: per area and per hotspot, the survey indicators with
// intervals and trend, hotspot significance, pins by category, safety-walk
// findings and imported crime counts side by side, ranked by a rule stated on
// the page; sortable and filterable. Staff choose a focus area from a row,
// with a rationale that starts from that row's evidence.
import { element, fetchData, field, showErrors } from "../dom.js";
import { fieldError, selectField, stylesheet, textArea, today } from "../action.js";

export const title = { sv: "Fokusområden", en: "Focus areas" };

export const messages = {
  sv: {
    heading: "Välja fokusområden",
    lead: "Underlaget per område och per hotspot sida vid sida, så att kommun och polis kan välja fokusområden och motivera valet.",
    failedLoad: "Det gick inte att hämta underlaget.",
    method: "Så rangordnas områdena",
    round: "Trygghetsmätning",
    noRound: "Ingen mätning med svar ännu",
    indicator: "Indikator",
    sortBy: "Sortera efter",
    sorts: { rank: "Rang", share: "Andel på indikatorn", pins: "Markerade platser", hotspots: "Hotspots", findings: "Öppna fynd", crimes: "Anmälda brott", name: "Namn" },
    filter: "Filtrera områden",
    filterHint: "Skriv en del av namnet.",
    onlySignals: "Visa bara områden med minst en signal",
    areasCaption: (n) => `Områden (${n})`,
    colRank: "Rang",
    colArea: "Område",
    colShare: "Andel (95 % intervall)",
    colTrend: "Förändring",
    colPins: "Markerade platser",
    colHotspots: "Hotspots",
    colFindings: "Fynd (öppna av alla)",
    colCrimes: "Anmälda brott",
    colSignals: "Signaler",
    colChoose: "Välj",
    hidden: "dold (för få svar)",
    none: "–",
    since: (round) => `sedan ${round}`,
    flags: { significant_increase: "ökning", significant_decrease: "minskning", no_significant_change: "ingen säker förändring" },
    signals: {
      indicator_above: "indikatorn över kommunen",
      hotspot: "hotspot",
      pins_above_median: "många platser",
      open_findings: "öppna fynd",
      crime_above_median: "många anmälda brott",
      events_above_median: "många rapporterade händelser (EST)",
    },
    already: (names) => `Redan fokusområde: ${names}`,
    noCrime: "Ingen brottsstatistik har importerats. Den kan läggas till med trygg crime import eller API:t.",
    crimePeriod: (p) => `Anmälda brott avser ${p}.`,
    scrollHint: "Tabellen kan rullas i sidled.",
    hotspotsHeading: "Hotspots",
    hotspotsCaption: "Hotspots, starkast först",
    colName: "Plats",
    colClass: "Säkerhet",
    colCategories: "Vanligaste kategorier",
    colPrevious: "Förra mätningen",
    colNearby: "Fynd inom 300 m",
    noHotspots: "Inga hotspots i den här mätningen.",
    classes: { hot_99: "99 %", hot_95: "95 %", hot_90: "90 %" },
    choose: (name) => `Välj ${name} som fokusområde`,
    chooseShort: "Välj",
    chooseHeading: "Välj fokusområde",
    chooseLead: "Motiveringen börjar med underlaget för området; skriv till varför det väljs.",
    name: "Namn",
    areaCode: "Område (kod)",
    startsOn: "Från",
    endsOn: "Till",
    rationale: "Motivering med hänvisning till underlaget",
    save: "Välj som fokusområde",
    saved: (name) => `${name} är nu ett fokusområde.`,
    nameMissing: "Skriv ett namn.",
    datesMissing: "Välj datum.",
    rationaleMissing: "Skriv en motivering.",
    evidence: (a, d) => {
      const parts = [`Underlag (trygghetsmätning ${d.round}): ${a.name}`];
      if (a.shareText) parts.push(`${d.indicatorLabel}: ${a.shareText}`);
      if (a.trendText) parts.push(`förändring ${a.trendText}`);
      parts.push(`${a.pins} markerade platser`, `${a.hotspots} hotspots`, `${a.open_findings} öppna fynd av ${a.findings} från trygghetsvandringar`);
      if (a.crimes !== null) parts.push(`${a.crimes} anmälda brott ${d.crimePeriod}`);
      return `${parts.join("; ")}. Rang ${a.rank}.`;
    },
  },
  en: {
    heading: "Choosing focus areas",
    lead: "The evidence per area and per hotspot side by side, so the municipality and the police can choose focus areas and give their reasons.",
    failedLoad: "The evidence could not be loaded.",
    method: "How areas are ranked",
    round: "Safety survey",
    noRound: "No round with responses yet",
    indicator: "Indicator",
    sortBy: "Sort by",
    sorts: { rank: "Rank", share: "Share on the indicator", pins: "Pinned places", hotspots: "Hotspots", findings: "Open findings", crimes: "Reported crimes", name: "Name" },
    filter: "Filter areas",
    filterHint: "Type part of the name.",
    onlySignals: "Show only areas with at least one signal",
    areasCaption: (n) => `Areas (${n})`,
    colRank: "Rank",
    colArea: "Area",
    colShare: "Share (95 % interval)",
    colTrend: "Change",
    colPins: "Pinned places",
    colHotspots: "Hotspots",
    colFindings: "Findings (open of all)",
    colCrimes: "Reported crimes",
    colSignals: "Signals",
    colChoose: "Choose",
    hidden: "hidden (too few answers)",
    none: "–",
    since: (round) => `since ${round}`,
    flags: { significant_increase: "increase", significant_decrease: "decrease", no_significant_change: "no clear change" },
    signals: {
      indicator_above: "indicator above the municipality",
      hotspot: "hotspot",
      pins_above_median: "many places",
      open_findings: "open findings",
      crime_above_median: "many reported crimes",
      events_above_median: "many reported events (EST)",
    },
    already: (names) => `Already a focus area: ${names}`,
    noCrime: "No crime counts have been imported. They can be added with trygg crime import or the API.",
    crimePeriod: (p) => `Reported crimes are for ${p}.`,
    scrollHint: "The table scrolls sideways.",
    hotspotsHeading: "Hotspots",
    hotspotsCaption: "Hotspots, strongest first",
    colName: "Place",
    colClass: "Confidence",
    colCategories: "Most common categories",
    colPrevious: "Previous round",
    colNearby: "Findings within 300 m",
    noHotspots: "No hotspots in this round.",
    classes: { hot_99: "99 %", hot_95: "95 %", hot_90: "90 %" },
    choose: (name) => `Choose ${name} as a focus area`,
    chooseShort: "Choose",
    chooseHeading: "Choose a focus area",
    chooseLead: "The rationale starts with the area's evidence; add why it is chosen.",
    name: "Name",
    areaCode: "Area (code)",
    startsOn: "From",
    endsOn: "To",
    rationale: "Rationale with reference to the evidence",
    save: "Choose as focus area",
    saved: (name) => `${name} is now a focus area.`,
    nameMissing: "Enter a name.",
    datesMissing: "Choose the dates.",
    rationaleMissing: "Write a rationale.",
    evidence: (a, d) => {
      const parts = [`Evidence (safety survey ${d.round}): ${a.name}`];
      if (a.shareText) parts.push(`${d.indicatorLabel}: ${a.shareText}`);
      if (a.trendText) parts.push(`change ${a.trendText}`);
      parts.push(`${a.pins} pinned places`, `${a.hotspots} hotspots`, `${a.open_findings} open of ${a.findings} safety-walk findings`);
      if (a.crimes !== null) parts.push(`${a.crimes} reported crimes ${d.crimePeriod}`);
      return `${parts.join("; ")}. Rank ${a.rank}.`;
    },
  },
};

export async function render(main, ctx) {
  stylesheet("/css/action.css");
  const { t, lang } = ctx;
  const pct = (x) => new Intl.NumberFormat(lang === "sv" ? "sv-SE" : "en-GB", { style: "percent", maximumFractionDigits: 0 }).format(x);
  const points = (x) => `${x > 0 ? "+" : x < 0 ? "−" : "±"}${Math.abs(Math.round(x * 100))}`;
  const status = element("div", { role: "status", "aria-live": "polite", tabindex: "-1" });
  const methodText = element("p", {});
  const controls = element("div", { class: "toolbar" });
  const crimeNote = element("p", { class: "meta" });
  const areasHolder = element("div", {});
  const hotspotsHolder = element("div", {});
  const chooseHolder = element("div", {});
  main.append(
    element("h1", {}, t.heading),
    element("p", {}, t.lead),
    element("section", { class: "method", "aria-labelledby": "method-heading" }, element("h2", { id: "method-heading" }, t.method), methodText),
    status,
    controls,
    crimeNote,
    areasHolder,
    hotspotsHolder,
    chooseHolder,
  );
  const state = { survey: "", indicator: "", sort: "rank", filter: "", onlySignals: false };
  let data;

  async function load() {
    const params = new URLSearchParams();
    if (state.survey) params.set("survey", state.survey);
    if (state.indicator) params.set("indicator", state.indicator);
    const answer = await fetchData(ctx, `/focus-candidates?${params}`, (node) => areasHolder.replaceChildren(node));
    if (!answer) return;
    data = answer;
    state.survey = data.survey?.slug ?? "";
    state.indicator = data.indicator ?? "";
    methodText.textContent = data.method[lang] ?? data.method.sv;
    crimeNote.textContent = data.crime_period ? t.crimePeriod(data.crime_period) : t.noCrime;
    drawControls();
    drawAreas();
    drawHotspots();
  }

  function drawControls() {
    const round = selectField({
      id: "focus-round",
      label: t.round,
      options: data.rounds.length === 0 ? [["", t.noRound]] : data.rounds.map((r) => [r.slug, `${r.round} (${r.slug})`]),
      value: state.survey,
    });
    round.input.addEventListener("change", () => {
      state.survey = round.input.value;
      state.indicator = "";
      load();
    });
    const indicator = selectField({
      id: "focus-indicator",
      label: t.indicator,
      options: data.indicators.map((i) => [i.key, i.label]),
      value: state.indicator,
    });
    indicator.input.addEventListener("change", () => {
      state.indicator = indicator.input.value;
      load();
    });
    const sort = selectField({ id: "focus-sort", label: t.sortBy, options: Object.entries(t.sorts), value: state.sort });
    sort.input.addEventListener("change", () => {
      state.sort = sort.input.value;
      drawAreas();
    });
    const filter = field({ id: "focus-filter", label: t.filter, type: "search", hint: t.filterHint, required: false });
    filter.input.value = state.filter;
    filter.input.addEventListener("input", () => {
      state.filter = filter.input.value;
      drawAreas();
    });
    const only = element("input", { type: "checkbox", id: "focus-only", checked: state.onlySignals });
    only.addEventListener("change", () => {
      state.onlySignals = only.checked;
      drawAreas();
    });
    const onlyField = element("div", { class: "field" }, element("label", { for: "focus-only" }, only, ` ${t.onlySignals}`));
    controls.replaceChildren(round.wrapper, ...(data.indicators.length > 0 ? [indicator.wrapper] : []), sort.wrapper, filter.wrapper, onlyField);
  }

  function shareText(a) {
    const e = a.indicators[data.indicator];
    if (!e) return null;
    if (e.suppressed || e.share === null) return t.hidden;
    return `${pct(e.share)} (${pct(e.low)}–${pct(e.high)})`;
  }
  function trendText(a) {
    if (!a.trend) return null;
    return `${points(a.trend.difference)} ${lang === "sv" ? "procentenheter" : "points"} ${t.since(a.trend.from_round)}, ${t.flags[a.trend.flag] ?? a.trend.flag}`;
  }

  function sorted() {
    const key = {
      rank: (a) => a.rank,
      share: (a) => -(a.indicators[data.indicator]?.share ?? -1),
      pins: (a) => -a.pins,
      hotspots: (a) => -a.hotspots,
      findings: (a) => -a.open_findings,
      crimes: (a) => -(a.crimes ?? -1),
      name: (a) => a.name,
    }[state.sort];
    const needle = state.filter.trim().toLocaleLowerCase();
    return data.areas
      .filter((a) => needle === "" || a.name.toLocaleLowerCase().includes(needle) || a.code.includes(needle))
      .filter((a) => !state.onlySignals || a.signals.length > 0)
      .sort((x, y) => {
        const [kx, ky] = [key(x), key(y)];
        if (kx < ky) return -1;
        if (kx > ky) return 1;
        return x.rank - y.rank;
      });
  }

  function drawAreas() {
    const canChoose = ctx.session.permissions.includes("manage_focus_areas");
    const rows = sorted().map((a) => {
      const chooseButton = canChoose
        ? element("button", { type: "button", class: "button secondary", "aria-label": t.choose(a.name) }, t.chooseShort)
        : null;
      chooseButton?.addEventListener("click", () => chooseForm(a));
      const categories = a.pins_by_category.slice(0, 3).map(([c, n]) => `${c} ${n}`).join(", ");
      return element(
        "tr",
        {},
        element("td", { class: "number" }, String(a.rank)),
        element("th", { scope: "row" }, a.name, a.focus_areas.length > 0 ? element("p", { class: "meta" }, t.already(a.focus_areas.join(", "))) : null),
        element("td", {}, shareText(a) ?? t.none),
        element("td", {}, trendText(a) ?? t.none),
        element("td", {}, String(a.pins), categories ? element("p", { class: "meta" }, categories) : null),
        element("td", { class: "number" }, String(a.hotspots)),
        element("td", {}, `${a.open_findings} / ${a.findings}`),
        element("td", {}, a.crimes === null ? t.none : String(a.crimes)),
        element("td", {}, a.signals.length === 0 ? t.none : element("ul", { class: "updates" }, ...a.signals.map((s) => element("li", {}, t.signals[s] ?? s)))),
        canChoose ? element("td", {}, chooseButton) : null,
      );
    });
    const heads = [t.colRank, t.colArea, t.colShare, t.colTrend, t.colPins, t.colHotspots, t.colFindings, t.colCrimes, t.colSignals, ...(canChoose ? [t.colChoose] : [])];
    const table = element(
      "table",
      {},
      element("caption", {}, t.areasCaption(rows.length)),
      element("thead", {}, element("tr", {}, ...heads.map((h) => element("th", { scope: "col" }, h)))),
      element("tbody", {}, ...rows),
    );
    areasHolder.replaceChildren(
      element("p", { class: "hint", id: "areas-scroll" }, t.scrollHint),
      element("div", { class: "table-scroll", tabindex: "0", role: "region", "aria-label": t.areasCaption(rows.length), "aria-describedby": "areas-scroll" }, table),
    );
  }

  function drawHotspots() {
    if (data.hotspots.length === 0) {
      hotspotsHolder.replaceChildren(element("h2", {}, t.hotspotsHeading), element("p", {}, t.noHotspots));
      return;
    }
    const rows = data.hotspots.map((h) =>
      element(
        "tr",
        {},
        element("th", { scope: "row" }, h.name),
        element("td", {}, h.area ?? t.none),
        element("td", {}, t.classes[h.class] ?? h.class),
        element("td", { class: "number" }, String(h.pins)),
        element("td", {}, h.categories.slice(0, 3).map(([c, n]) => `${c} ${n}`).join(", ")),
        element("td", { class: "number" }, h.previous_pins === null ? t.none : String(h.previous_pins)),
        element("td", { class: "number" }, String(h.findings_nearby)),
      ),
    );
    const heads = [t.colName, t.colArea, t.colClass, t.colPins, t.colCategories, t.colPrevious, t.colNearby];
    hotspotsHolder.replaceChildren(
      element("h2", {}, t.hotspotsHeading),
      element(
        "div",
        { class: "table-scroll", tabindex: "0", role: "region", "aria-label": t.hotspotsCaption },
        element(
          "table",
          {},
          element("caption", {}, t.hotspotsCaption),
          element("thead", {}, element("tr", {}, ...heads.map((h) => element("th", { scope: "col" }, h)))),
          element("tbody", {}, ...rows),
        ),
      ),
    );
  }

  function chooseForm(a) {
    const year = new Date().getFullYear();
    const name = field({ id: "choose-name", label: t.name });
    name.input.value = a.name;
    const code = field({ id: "choose-area", label: t.areaCode, required: false });
    code.input.value = a.code;
    const starts = field({ id: "choose-starts", label: t.startsOn, type: "date" });
    starts.input.value = today();
    const ends = field({ id: "choose-ends", label: t.endsOn, type: "date" });
    ends.input.value = `${year + 1}-12-31`;
    const rationale = textArea({ id: "choose-rationale", label: t.rationale, rows: 6, maxlength: 4000 });
    const indicatorLabel = data.indicators.find((i) => i.key === data.indicator)?.label ?? "";
    rationale.input.value = t.evidence(
      { ...a, shareText: shareText(a), trendText: trendText(a) },
      { round: data.survey?.round ?? "", indicatorLabel, crimePeriod: data.crime_period ?? "" },
    );
    const form = element(
      "form",
      { class: "stack", novalidate: true, "aria-labelledby": "choose-heading" },
      name.wrapper,
      code.wrapper,
      element("div", { class: "pair" }, starts.wrapper, ends.wrapper),
      rationale.wrapper,
      element("button", { type: "submit", class: "button" }, t.save),
    );
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const errors = [];
      if (name.input.value.trim() === "") errors.push({ input: name.input, message: t.nameMissing });
      if (!starts.input.value) errors.push({ input: starts.input, message: t.datesMissing });
      if (!ends.input.value) errors.push({ input: ends.input, message: t.datesMissing });
      if (rationale.input.value.trim() === "") errors.push({ input: rationale.input, message: t.rationaleMissing });
      if (errors.length > 0) {
        showErrors(form, t.fixTitle, errors);
        return;
      }
      const body = {
        name: name.input.value.trim(),
        kind: "place",
        area_code: code.input.value.trim() || null,
        starts_on: starts.input.value,
        ends_on: ends.input.value,
        rationale: rationale.input.value.trim(),
      };
      const { ok, data: answer } = await ctx.api("POST", "/focus-areas", body);
      if (!ok) {
        showErrors(form, t.fixTitle, [fieldError(answer, { name: name.input, area_code: code.input, starts_on: starts.input, ends_on: ends.input, rationale: rationale.input }, t.failed)]);
        return;
      }
      chooseHolder.replaceChildren();
      await load();
      status.replaceChildren(element("p", { class: "notice" }, t.saved(answer.name)));
      status.focus();
    });
    chooseHolder.replaceChildren(
      element("section", { "aria-labelledby": "choose-heading" }, element("h2", { id: "choose-heading", tabindex: "-1" }, t.chooseHeading), element("p", {}, t.chooseLead), form),
    );
    chooseHolder.querySelector("#choose-heading").focus();
  }

  await load();
}
