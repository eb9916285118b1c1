// Händelser (EST): a rapportör reports what they saw, on a phone, also
// without network (the report waits on the phone and is sent when the phone
// is online again, once, under the Idempotency-Key it got when it was
// written); they see their own organisation's reports. The EST coordinator
// sees everyone's, marks them read, merges two reports of one event, and
// reads the week against the weeks before.
import { card, element, field, fetchData, formatTime, showErrors } from "../dom.js";
import { fieldError, selectField, stylesheet, textArea } from "../action.js";
import { flush, keep, waiting } from "../queue.js";

export const title = { sv: "Händelser", en: "Events" };

// Reports listed at a time, latest first.
const PAGE = 50;
const DAY_MS = 86400000;

const CATEGORIES = [
  "skadegorelse", "klotter", "brand", "nedskrapning", "buskorning", "narkotika",
  "vald_och_hot", "ordningsstorning", "otrygg_plats", "incident_mot_personal", "arrangemang",
];

export const messages = {
  sv: {
    heading: "Händelser (EST)",
    lead: "Rapportera det du ser i ditt arbete: skadegörelse, klotter, bränder, otrygga platser och annat. Rapporterna blir veckans lägesbild för samverkansmötet. Skriv om platser, inte om personer.",
    failedLoad: "Det gick inte att hämta händelserna.",
    empty: "Inga händelser är rapporterade ännu.",
    report: "Rapportera en händelse",
    category: "Vad hände",
    categories: {
      skadegorelse: "Skadegörelse", klotter: "Klotter", brand: "Brand", nedskrapning: "Nedskräpning",
      buskorning: "Buskörning", narkotika: "Narkotika", vald_och_hot: "Våld och hot",
      ordningsstorning: "Grupper och ordningsstörning", otrygg_plats: "Otrygg plats",
      incident_mot_personal: "Incident mot personal", arrangemang: "Arrangemang",
    },
    when: "När hände det",
    whenHint: "Datum och klockslag.",
    until: "Till (valfritt)",
    untilHint: "Om det pågick en stund: när det slutade.",
    place: "Plats i ord",
    placeHint: "Till exempel: gångtunneln vid Bro centrum. Behövs om du inte anger en position.",
    myPosition: "Använd min position",
    position: (lat, lon) => `Position: ${lat}, ${lon}.`,
    positionFailed: "Din position kunde inte hämtas. Skriv platsen i ord eller koordinater.",
    lat: "Latitud (valfritt)",
    lon: "Longitud (valfritt)",
    coordsHint: "Decimalgrader, till exempel 59.5117 och 17.6338.",
    description: "Vad du såg",
    descriptionHint: "Inga namn eller kännetecken på personer.",
    people: "Antal inblandade (valfritt)",
    police: "Polisen kontaktades",
    send: "Skicka rapporten",
    sent: "Rapporten är skickad.",
    kept: "Det finns inget nät just nu. Rapporten är sparad på den här enheten och skickas när nätet är tillbaka.",
    waiting: (n) => (n === 1 ? "1 rapport väntar på att skickas." : `${n} rapporter väntar på att skickas.`),
    refused: (why) => `En sparad rapport kunde inte tas emot: ${why}`,
    fixTitle: "Något behöver rättas",
    placeMissing: "Ange var det hände: skriv platsen i ord eller ange en position.",
    whenMissing: "Ange när det hände.",
    coordsInvalid: "Skriv både latitud och longitud som decimaltal, eller ingen av dem.",
    list: "Rapporterade händelser",
    more: (n, left) => `Visa ${n} till (${left} kvar)`,
    status: { new: "Ny", reviewed: "Granskad", merged: "Sammanslagen" },
    flagged: "Beskrivningen kan innehålla personuppgifter. Redigera bort dem.",
    markReviewed: (n) => `Markera händelse ${n} som granskad`,
    merge: (n) => `Slå ihop händelse ${n} med`,
    mergeNone: "Välj en händelse …",
    doMerge: "Slå ihop",
    done: "Ändringen är sparad.",
    week: "Veckans lägesbild",
    weekPick: "Vecka",
    weekShow: "Visa veckan",
    weekLead: (before, lastYear) => `Jämfört med veckorna ${before} och samma tid förra året (${lastYear}). "Fler" och "färre" sägs bara när skillnaden är för stor för att vara slumpen (p < 0,05).`,
    weekTotal: (n) => `${n} händelser denna vecka.`,
    areaCol: "Område",
    categoryCol: "Kategori",
    thisWeek: "Denna vecka",
    beforeCol: "Snitt veckorna före",
    yearCol: "Snitt förra året",
    noArea: "Utan position i ett område",
    all: "Alla",
    change: { more: "fler än vanligt", fewer: "färre än vanligt", as_usual: "som vanligt" },
    weekFailed: "Veckan kunde inte visas.",
  },
  en: {
    heading: "Events (EST)",
    lead: "Report what you see at work: vandalism, graffiti, fires, unsafe places and more. The reports make the week's picture for the coordination meeting. Write about places, not people.",
    failedLoad: "The events could not be loaded.",
    empty: "No events have been reported yet.",
    report: "Report an event",
    category: "What happened",
    categories: {
      skadegorelse: "Vandalism", klotter: "Graffiti", brand: "Fire", nedskrapning: "Littering",
      buskorning: "Reckless driving", narkotika: "Drugs", vald_och_hot: "Violence and threats",
      ordningsstorning: "Groups and disorder", otrygg_plats: "Unsafe place",
      incident_mot_personal: "Incident against staff", arrangemang: "Event or gathering",
    },
    when: "When did it happen",
    whenHint: "Date and time.",
    until: "Until (optional)",
    untilHint: "If it went on for a while: when it ended.",
    place: "Place in words",
    placeHint: "For example: the underpass by Bro centrum. Needed unless you give a position.",
    myPosition: "Use my position",
    position: (lat, lon) => `Position: ${lat}, ${lon}.`,
    positionFailed: "Your position could not be found. Write the place in words or enter coordinates.",
    lat: "Latitude (optional)",
    lon: "Longitude (optional)",
    coordsHint: "Decimal degrees, for example 59.5117 and 17.6338.",
    description: "What you saw",
    descriptionHint: "No names or descriptions of people.",
    people: "People involved (optional)",
    police: "The police were called",
    send: "Send the report",
    sent: "The report has been sent.",
    kept: "There is no network right now. The report is saved on this device and will be sent when the network is back.",
    waiting: (n) => (n === 1 ? "1 report is waiting to be sent." : `${n} reports are waiting to be sent.`),
    refused: (why) => `A saved report was not accepted: ${why}`,
    fixTitle: "Something needs fixing",
    placeMissing: "Say where it happened: write the place in words or give a position.",
    whenMissing: "Say when it happened.",
    coordsInvalid: "Enter both latitude and longitude as decimal numbers, or neither.",
    list: "Reported events",
    more: (n, left) => `Show ${n} more (${left} left)`,
    status: { new: "New", reviewed: "Reviewed", merged: "Merged" },
    flagged: "The description may contain personal data. Edit it out.",
    markReviewed: (n) => `Mark event ${n} as reviewed`,
    merge: (n) => `Merge event ${n} into`,
    mergeNone: "Choose an event …",
    doMerge: "Merge",
    done: "The change has been saved.",
    week: "The week's picture",
    weekPick: "Week",
    weekShow: "Show the week",
    weekLead: (before, lastYear) => `Compared with the weeks ${before} and the same time last year (${lastYear}). "More" and "fewer" are said only when the difference is too large to be chance (p < 0.05).`,
    weekTotal: (n) => `${n} events this week.`,
    areaCol: "Area",
    categoryCol: "Category",
    thisWeek: "This week",
    beforeCol: "Mean of the weeks before",
    yearCol: "Mean last year",
    noArea: "No position in an area",
    all: "All",
    change: { more: "more than usual", fewer: "fewer than usual", as_usual: "as usual" },
    weekFailed: "The week could not be shown.",
  },
};

// `value` of a datetime-local input as RFC 3339 with this device's offset.
function withOffset(value) {
  if (!value) return null;
  const at = new Date(value);
  const minutes = -at.getTimezoneOffset();
  const sign = minutes >= 0 ? "+" : "-";
  const pad = (n) => String(Math.abs(n)).padStart(2, "0");
  return `${value.length === 16 ? `${value}:00` : value}${sign}${pad(Math.trunc(minutes / 60))}:${pad(minutes % 60)}`;
}

// Now as a datetime-local value.
function nowLocal() {
  const d = new Date();
  d.setMinutes(d.getMinutes() - d.getTimezoneOffset());
  return d.toISOString().slice(0, 16);
}

// Last week as an <input type=week> value (ISO 8601, e.g. 2026-W48).
function lastWeek() {
  const d = new Date();
  d.setDate(d.getDate() - 7);
  const day = (d.getDay() + 6) % 7;
  d.setDate(d.getDate() - day + 3);
  const firstThursday = new Date(d.getFullYear(), 0, 4);
  const week = 1 + Math.round(((d - firstThursday) / 86400000 - 3 + ((firstThursday.getDay() + 6) % 7)) / 7);
  return `${d.getFullYear()}-W${String(week).padStart(2, "0")}`;
}

export async function render(main, ctx) {
  const { t, lang } = ctx;
  stylesheet("/css/action.css");
  const reviewer = ctx.session.permissions.includes("review_events");
  const status = element("div", { id: "events-status", role: "status", "aria-live": "polite", tabindex: "-1" });
  const outbox = element("p", { id: "events-outbox", role: "status", "aria-live": "polite" });
  const listHolder = element("div", {});
  main.append(element("h1", {}, t.heading), element("p", {}, t.lead), status, outbox);

  const send = (item) => ctx.api("POST", item.path, item.body, { "Idempotency-Key": item.key });
  async function showOutbox() {
    const n = (await waiting()).length;
    outbox.textContent = n > 0 ? t.waiting(n) : "";
  }
  // One sending at a time: "online" and a reload may both start one.
  let sending = null;
  function sendWaiting() {
    sending ??= sendAll().finally(() => { sending = null; });
    return sending;
  }
  async function sendAll() {
    const refused = await flush(send);
    for (const { answer } of refused) status.append(element("p", {}, t.refused(answer.data?.message ?? answer.status)));
    await showOutbox();
    if (refused.length === 0) await loadList();
  }

  main.append(reportForm());
  main.append(element("h2", { id: "events-list" }, t.list), listHolder);
  if (reviewer) main.append(weekSection());
  addEventListener("online", sendWaiting);
  await showOutbox();
  await sendWaiting();

  function reportForm() {
    const category = selectField({
      id: "event-category",
      label: t.category,
      options: CATEGORIES.map((c) => [c, t.categories[c]]),
      value: "skadegorelse",
    });
    const when = field({ id: "event-when", label: t.when, type: "datetime-local", hint: t.whenHint });
    when.input.value = nowLocal();
    const until = field({ id: "event-until", label: t.until, type: "datetime-local", hint: t.untilHint, required: false });
    const place = field({ id: "event-place", label: t.place, hint: t.placeHint, required: false });
    const lat = field({ id: "event-lat", label: t.lat, inputmode: "decimal", hint: t.coordsHint, required: false });
    const lon = field({ id: "event-lon", label: t.lon, inputmode: "decimal", hint: t.coordsHint, required: false });
    const located = element("p", { role: "status", "aria-live": "polite" });
    const positionButton = element("button", { type: "button", class: "secondary" }, t.myPosition);
    positionButton.addEventListener("click", () => {
      if (!navigator.geolocation) {
        located.textContent = t.positionFailed;
        return;
      }
      navigator.geolocation.getCurrentPosition(
        (p) => {
          lat.input.value = p.coords.latitude.toFixed(6);
          lon.input.value = p.coords.longitude.toFixed(6);
          located.textContent = t.position(lat.input.value, lon.input.value);
        },
        () => { located.textContent = t.positionFailed; },
        { enableHighAccuracy: true, timeout: 15000 },
      );
    });
    const description = textArea({ id: "event-description", label: t.description, hint: t.descriptionHint, required: false, maxlength: 2000 });
    const people = field({ id: "event-people", label: t.people, type: "number", required: false, inputmode: "numeric" });
    people.input.min = "0";
    const police = element("input", { id: "event-police", type: "checkbox" });
    const form = element(
      "form",
      { novalidate: true, "aria-labelledby": "event-form-heading" },
      element("h2", { id: "event-form-heading" }, t.report),
      category.wrapper, when.wrapper, until.wrapper, place.wrapper,
      element("div", { class: "field" }, positionButton, located),
      lat.wrapper, lon.wrapper, description.wrapper, people.wrapper,
      element("div", { class: "field checkbox" }, police, element("label", { for: "event-police" }, t.police)),
      element("button", { type: "submit" }, t.send),
    );
    const inputs = {
      category: category.input, occurred_at: when.input, occurred_until: until.input, place: place.input,
      lat: lat.input, lon: lon.input, description: description.input, people: people.input,
    };
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const errors = [];
      const [la, lo] = [lat.input.value.trim(), lon.input.value.trim()];
      const coords = la !== "" || lo !== "";
      if (!when.input.value) errors.push({ input: when.input, message: t.whenMissing });
      if (coords && !(Number.isFinite(Number(la)) && Number.isFinite(Number(lo)) && la !== "" && lo !== "")) {
        errors.push({ input: la === "" || !Number.isFinite(Number(la)) ? lat.input : lon.input, message: t.coordsInvalid });
      }
      if (!coords && place.input.value.trim() === "") errors.push({ input: place.input, message: t.placeMissing });
      showErrors(form, t.fixTitle, errors);
      if (errors.length > 0) return;
      const body = {
        category: category.input.value,
        occurred_at: withOffset(when.input.value),
        occurred_until: withOffset(until.input.value),
        place: place.input.value.trim() || null,
        description: description.input.value.trim() || null,
        people: people.input.value === "" ? null : Number(people.input.value),
        police_called: police.checked,
      };
      if (coords) Object.assign(body, { lat: Number(la), lon: Number(lo) });
      const item = { key: crypto.randomUUID(), path: "/events", body };
      const answer = await send(item);
      if (!answer.ok && answer.status !== 0) {
        showErrors(form, t.fixTitle, [fieldError(answer.data, inputs, t.fixTitle)]);
        return;
      }
      // The form is emptied and the list brought up to date before the
      // outcome is announced, so the next report starts on a ready form.
      for (const input of [until.input, place.input, lat.input, lon.input, description.input, people.input]) input.value = "";
      police.checked = false;
      located.textContent = "";
      if (answer.ok) {
        await loadList();
      } else {
        await keep(item);
        await showOutbox();
      }
      status.textContent = answer.ok ? t.sent : t.kept;
      status.focus();
    });
    return form;
  }

  async function loadList() {
    listHolder.replaceChildren();
    const data = await fetchData(ctx, "/events", (node) => listHolder.append(node));
    if (!data) return;
    if (data.events.length === 0) {
      listHolder.append(element("p", {}, t.empty));
      return;
    }
    const open = data.events.filter((e) => e.status !== "merged");
    const list = element("ol", { class: "cards" });
    const more = element("button", { type: "button", class: "secondary" });
    let shown = 0;
    const showMore = () => {
      const next = data.events.slice(shown, shown + PAGE);
      list.append(...next.map((e, i) => eventCard(e, shown + i + 1, open)));
      shown += next.length;
      const left = data.events.length - shown;
      more.textContent = t.more(Math.min(PAGE, left), left);
      more.hidden = left === 0;
    };
    more.addEventListener("click", showMore);
    showMore();
    listHolder.append(list, more);
  }

  function eventCard(e, n, open) {
    const headingId = `event-${e.id}`;
    const where = e.place ?? (e.lat !== null ? `${e.lat.toFixed(5)}, ${e.lon.toFixed(5)}` : "");
    const parts = [
      element("h3", { id: headingId }, `${n}. ${t.categories[e.category] ?? e.category}`),
      element("p", {}, `${formatTime(e.occurred_at, lang)} · ${where} · ${t.status[e.status]}`),
      e.description ? element("p", {}, e.description) : null,
      e.description_flags.length > 0 ? element("p", { class: "notice held" }, t.flagged) : null,
    ];
    if (reviewer && e.status !== "merged") parts.push(reviewControls(e, n, open));
    return card(headingId, ...parts);
  }

  function reviewControls(e, n, open) {
    const controls = element("div", { class: "actions" });
    if (e.status === "new") {
      const read = element("button", { type: "button", class: "secondary" }, t.markReviewed(n));
      read.addEventListener("click", () => change(`/events/${e.id}/review`));
      controls.append(read);
    }
    // Reports of the same event come within a day of each other.
    const at = Date.parse(e.occurred_at);
    const others = open.filter((o) => o.id !== e.id && Math.abs(Date.parse(o.occurred_at) - at) <= DAY_MS);
    if (others.length > 0) {
      const into = selectField({
        id: `merge-${e.id}`,
        label: t.merge(n),
        options: [["", t.mergeNone], ...others.map((o) => [o.id, `${t.categories[o.category] ?? o.category}, ${formatTime(o.occurred_at, lang)}`])],
        value: "",
      });
      const go = element("button", { type: "button", class: "secondary" }, t.doMerge);
      go.addEventListener("click", () => into.input.value && change(`/events/${e.id}/merge`, { into: into.input.value }));
      controls.append(into.wrapper, go);
    }
    return controls;
  }

  async function change(path, body) {
    const answer = await ctx.api("POST", path, body);
    status.textContent = answer.ok ? t.done : (answer.data?.message ?? t.failedLoad);
    await loadList();
    status.focus();
  }

  function weekSection() {
    const pick = field({ id: "event-week", label: t.weekPick, type: "week" });
    pick.input.value = lastWeek();
    const result = element("div", { id: "event-week-result" });
    const form = element(
      "form",
      { "aria-labelledby": "event-week-heading" },
      element("h2", { id: "event-week-heading" }, t.week),
      pick.wrapper,
      element("button", { type: "submit" }, t.weekShow),
    );
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      showWeek(pick.input.value, result);
    });
    showWeek(pick.input.value, result);
    return element("section", {}, form, result);
  }

  async function showWeek(week, result) {
    result.replaceChildren();
    const { ok, data } = await ctx.api("GET", `/event-weeks/${encodeURIComponent(week)}`);
    if (!ok) {
      result.append(element("p", { role: "alert" }, t.weekFailed));
      return;
    }
    const number = (x) => x.toLocaleString(lang === "sv" ? "sv-SE" : "en-GB", { maximumFractionDigits: 1 });
    const row = (l) => element(
      "tr", {},
      element("th", { scope: "row" }, l.area_name ?? l.area ?? (l.category ? t.all : t.noArea)),
      element("td", {}, l.category ? (t.categories[l.category] ?? l.category) : t.all),
      element("td", {}, String(l.this_week)),
      element("td", {}, `${number(l.previous.per_week)} (${t.change[l.previous.change]})`),
      element("td", {}, `${number(l.last_year.per_week)} (${t.change[l.last_year.change]})`),
    );
    const lines = [...data.areas, ...data.categories];
    result.append(
      element("p", {}, t.weekLead(data.previous_weeks, data.last_year_weeks)),
      element("p", {}, t.weekTotal(data.total.this_week)),
      element(
        "div", { class: "table-scroll", tabindex: "0", role: "region", "aria-label": t.week },
        element(
          "table", {},
          element("thead", {}, element("tr", {},
            ...[t.areaCol, t.categoryCol, t.thisWeek, t.beforeCol, t.yearCol].map((h) => element("th", { scope: "col" }, h)))),
          element("tbody", {}, ...lines.map(row)),
        ),
      ),
    );
  }
}
