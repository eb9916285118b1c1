// Trygghetsvandringar: the list of walks, and one walk (/admin/walks/<id>) with
// its findings. A walk leader records a finding on a phone during the walk:
// the place by tapping the map, choosing a named place, "my position" or typed
// coordinates (the last three need no map and no sight), then category, note
// and responsible party. Each finding is an action item whose status staff
// move on; "won't fix" needs a reason, which is published beside it.
import { card, element, fetchList, field, showErrors } from "../dom.js";
import { fieldError, formatDate, heldNotice, reviewNote, selectField, stylesheet, textArea, today } from "../action.js";
import { loadLeaflet } from "../../load.js";

export const title = { sv: "Trygghetsvandringar", en: "Safety walks" };

// The API gives a position as {lon, lat}.
const latOf = (p) => p.lat;
const lonOf = (p) => p.lon;

const CATEGORIES = ["lighting", "vegetation", "graffiti", "vandalism", "litter", "other"];
const STATUSES = ["reported", "planned", "fixed", "wont_fix"];

export const messages = {
  sv: {
    heading: "Trygghetsvandringar",
    lead: "Vandringar där kommun, polis, fastighetsägare och boende går en sträcka tillsammans och noterar det som gör platsen otrygg. Varje fynd blir en åtgärdspunkt med ansvarig och status.",
    empty: "Inga trygghetsvandringar är planerade ännu.",
    failedLoad: "Det gick inte att hämta vandringarna.",
    notFound: "Vandringen finns inte.",
    back: "Alla trygghetsvandringar",
    open: (walk) => `Öppna ${walk}`,
    walkedOn: "Datum",
    area: "Område",
    stops: "Sträcka",
    participants: "Deltar",
    counts: (total, open, fixed) => `${total} fynd: ${open} öppna, ${fixed} åtgärdade`,
    findings: "Fynd och åtgärder",
    noFindings: "Inga fynd registrerade ännu.",
    category: "Kategori",
    categories: { lighting: "Belysning", vegetation: "Buskage", graffiti: "Klotter", vandalism: "Skadegörelse", litter: "Nedskräpning", other: "Övrigt" },
    status: { reported: "Rapporterad", planned: "Planerad", fixed: "Åtgärdad", wont_fix: "Åtgärdas inte" },
    responsible: "Ansvarig",
    due: "Klart senast",
    overdue: "Försenad",
    fixedOn: "den",
    reasonShown: "Skäl",
    findingNumber: (n) => `Fynd ${n}`,
    record: "Registrera ett fynd",
    place: "Plats",
    placeHint: "Välj platsen på ett av fyra sätt: tryck på kartan, välj en namngiven plats, använd din position eller skriv koordinater.",
    mapLabel: "Karta över området. Tryck på kartan för att välja platsen för fyndet. Med tangentbord: flytta kartan med piltangenterna och tryck Enter för att välja mitten.",
    namedPlace: "Namngiven plats",
    namedPlaceNone: "Välj en plats …",
    myPosition: "Använd min position",
    positionFailed: "Din position kunde inte hämtas. Välj en plats eller skriv koordinater.",
    positionUnavailable: "Webbläsaren kan inte ge din position.",
    lat: "Latitud",
    lon: "Longitud",
    coordsHint: "Decimalgrader, till exempel 59.5117 och 17.6338.",
    chosen: (lat, lon) => `Vald plats: ${lat}, ${lon}.`,
    chosenNamed: (name) => `Vald plats: ${name}.`,
    noPlace: "Ingen plats vald ännu.",
    note: "Vad ni såg",
    noteHint: "Till exempel: trasig belysning i gångtunneln. Inga namn på personer. En anteckning som ser ut att innehålla personuppgifter visas offentligt först när en moderator har granskat den.",
    responsibleHint: "Förvaltning, bostadsbolag, fastighetsägare eller polisen.",
    dueOptional: "Klart senast (valfritt)",
    dueHint: "Lämnas tomt: sex månader efter vandringen.",
    save: "Spara fyndet",
    saved: (n) => `Fynd ${n} har sparats som rapporterat.`,
    placeMissing: "Välj en plats: på kartan, i listan, med din position eller med koordinater.",
    latInvalid: "Skriv latitud som ett decimaltal mellan -90 och 90.",
    lonInvalid: "Skriv longitud som ett decimaltal mellan -180 och 180.",
    noteMissing: "Beskriv vad ni såg.",
    responsibleMissing: "Skriv vem som ansvarar för åtgärden.",
    changeStatus: "Ändra status",
    changeStatusFor: (n) => `Ändra status för fynd ${n}`,
    newStatus: "Ny status",
    fixedOnLabel: "Datum då det åtgärdades",
    reason: "Skäl till att det inte åtgärdas",
    reasonHint: "Visas på den offentliga sidan.",
    reasonMissing: "Skriv varför fyndet inte åtgärdas.",
    saveStatus: "Spara status",
    statusSaved: (n, s) => `Fynd ${n} har nu status ${s}.`,
  },
  en: {
    heading: "Safety walks",
    lead: "Walks on which the municipality, the police, property owners and residents follow a route together and note what makes a place feel unsafe. Each finding becomes an action item with a responsible party and a status.",
    empty: "No safety walks are planned yet.",
    failedLoad: "The walks could not be loaded.",
    notFound: "There is no such walk.",
    back: "All safety walks",
    open: (walk) => `Open ${walk}`,
    walkedOn: "Date",
    area: "Area",
    stops: "Route",
    participants: "Taking part",
    counts: (total, open, fixed) => `${total} findings: ${open} open, ${fixed} fixed`,
    findings: "Findings and actions",
    noFindings: "No findings recorded yet.",
    category: "Category",
    categories: { lighting: "Lighting", vegetation: "Vegetation", graffiti: "Graffiti", vandalism: "Vandalism", litter: "Litter", other: "Other" },
    status: { reported: "Reported", planned: "Planned", fixed: "Fixed", wont_fix: "Won't fix" },
    responsible: "Responsible",
    due: "Due",
    overdue: "Overdue",
    fixedOn: "on",
    reasonShown: "Reason",
    findingNumber: (n) => `Finding ${n}`,
    record: "Record a finding",
    place: "Place",
    placeHint: "Give the place in one of four ways: tap the map, choose a named place, use your position or type coordinates.",
    mapLabel: "Map of the area. Tap the map to choose where the finding is. By keyboard: move the map with the arrow keys and press Enter to choose its centre.",
    namedPlace: "Named place",
    namedPlaceNone: "Choose a place …",
    myPosition: "Use my position",
    positionFailed: "Your position could not be found. Choose a place or type coordinates.",
    positionUnavailable: "This browser cannot give your position.",
    lat: "Latitude",
    lon: "Longitude",
    coordsHint: "Decimal degrees, for example 59.5117 and 17.6338.",
    chosen: (lat, lon) => `Chosen place: ${lat}, ${lon}.`,
    chosenNamed: (name) => `Chosen place: ${name}.`,
    noPlace: "No place chosen yet.",
    note: "What you saw",
    noteHint: "For example: broken lighting in the underpass. No names of people. A note that seems to contain personal data shows publicly only once a moderator has reviewed it.",
    responsibleHint: "A department, housing company, property owner or the police.",
    dueOptional: "Due (optional)",
    dueHint: "Left empty: six months after the walk.",
    save: "Save the finding",
    saved: (n) => `Finding ${n} has been saved as reported.`,
    placeMissing: "Choose a place: on the map, from the list, with your position or with coordinates.",
    latInvalid: "Enter the latitude as a decimal number from -90 to 90.",
    lonInvalid: "Enter the longitude as a decimal number from -180 to 180.",
    noteMissing: "Describe what you saw.",
    responsibleMissing: "Enter who is responsible for acting.",
    changeStatus: "Change status",
    changeStatusFor: (n) => `Change the status of finding ${n}`,
    newStatus: "New status",
    fixedOnLabel: "Date it was fixed",
    reason: "Why it will not be fixed",
    reasonHint: "Shown on the public page.",
    reasonMissing: "Say why the finding will not be fixed.",
    saveStatus: "Save status",
    statusSaved: (n, s) => `Finding ${n} now has the status ${s}.`,
  },
};

export async function render(main, ctx) {
  stylesheet("/css/action.css");
  const id = location.pathname.split("/")[3];
  if (id) await walkPage(main, ctx, decodeURIComponent(id));
  else await listPage(main, ctx);
}

async function listPage(main, ctx) {
  const { t, lang } = ctx;
  main.append(element("h1", {}, t.heading), element("p", {}, t.lead));
  const data = await fetchList(ctx, "/walks", "walks", (node) => main.append(node));
  if (!data) return;
  const cards = data.walks.map((w) => {
    const fixed = w.findings.filter((f) => f.status === "fixed").length;
    const open = w.findings.filter((f) => f.status === "reported" || f.status === "planned").length;
    return element(
      "li",
      { class: "card" },
      element("h2", {}, element("a", { href: `/admin/walks/${w.id}` }, w.title)),
      element("p", { class: "meta" }, `${t.walkedOn}: ${formatDate(w.walked_on, lang)} · ${t.area}: ${w.area_code}`),
      element("p", {}, t.counts(w.findings.length, open, fixed)),
    );
  });
  main.append(element("ul", { class: "cards" }, ...cards));
}

async function walkPage(main, ctx, id) {
  const { t, lang } = ctx;
  const back = element("p", {}, element("a", { href: "/admin/walks" }, t.back));
  const { ok, data } = await ctx.api("GET", `/walks/${encodeURIComponent(id)}`);
  if (!ok) {
    main.append(back, element("h1", {}, t.notFound));
    return;
  }
  const w = data.walk;
  const status = element("div", { role: "status", "aria-live": "polite", tabindex: "-1" });
  const findingsHolder = element("div", {});
  main.append(
    back,
    element("h1", {}, w.title),
    element("p", { class: "meta" }, `${t.walkedOn}: ${formatDate(w.walked_on, lang)} · ${t.area}: ${w.area_code}`),
    w.stops.length > 0 ? element("p", {}, `${t.stops}: ${w.stops.join(" → ")}`) : null,
    w.participants.length > 0 ? element("p", {}, `${t.participants}: ${w.participants.join(", ")}`) : null,
    status,
  );
  const canManage = ctx.session.permissions.includes("manage_walks");
  let findings = data.findings;
  let form = null;

  function showFindings() {
    findingsHolder.replaceChildren(
      element("h2", { id: "findings-heading" }, t.findings),
      findings.length === 0
        ? element("p", {}, t.noFindings)
        : element("ol", { class: "cards" }, ...findings.map((f, i) => findingCard(ctx, f, i + 1, canManage, saved))),
    );
    form?.showFindings(findings);
  }
  async function reload() {
    const again = await ctx.api("GET", `/walks/${encodeURIComponent(id)}`);
    if (again.ok) findings = again.data.findings;
    showFindings();
  }
  async function saved(message, finding) {
    await reload();
    status.replaceChildren(element("p", { class: "notice" }, message), heldNotice(lang, finding) ?? "");
    status.focus();
  }
  if (canManage) {
    form = findingForm(ctx, data, async (n, finding) => saved(t.saved(n), finding), () => findings.length);
    main.append(form.section);
  }
  main.append(findingsHolder);
  showFindings();
  await form?.mount();
}

function findingCard(ctx, f, n, canManage, saved) {
  const { t, lang } = ctx;
  const headingId = `finding-${f.id}`;
  const state = [element("span", { class: `status status-${f.status}` }, t.status[f.status])];
  if (f.status === "fixed") state.push(` ${t.fixedOn} ${formatDate(f.fixed_on, lang)}`);
  if (f.overdue) state.push(" ", element("span", { class: "overdue" }, t.overdue));
  return card(
    headingId,
    element("h3", { id: headingId }, `${t.findingNumber(n)}: ${t.categories[f.category] ?? f.category}`),
    element("p", {}, f.note, reviewNote(lang, f)),
    element("p", {}, ...state),
    f.status === "wont_fix" ? element("p", {}, `${t.reasonShown}: ${f.reason}`) : null,
    element("p", { class: "meta" }, `${t.responsible}: ${f.responsible}${f.due_on ? ` · ${t.due}: ${formatDate(f.due_on, lang)}` : ""} · ${latOf(f.location).toFixed(5)}, ${lonOf(f.location).toFixed(5)}`),
    canManage ? statusForm(ctx, f, n, saved) : null,
  );
}

function statusForm(ctx, f, n, saved) {
  const { t } = ctx;
  const base = `status-${f.id}`;
  const choice = selectField({ id: `${base}-status`, label: t.newStatus, options: STATUSES.map((s) => [s, t.status[s]]), value: f.status });
  const fixedOn = field({ id: `${base}-fixed-on`, label: t.fixedOnLabel, type: "date", required: false });
  fixedOn.input.value = today();
  fixedOn.input.max = today();
  const reason = textArea({ id: `${base}-reason`, label: t.reason, hint: t.reasonHint, rows: 2 });
  const sync = () => {
    fixedOn.wrapper.hidden = choice.input.value !== "fixed";
    reason.wrapper.hidden = choice.input.value !== "wont_fix";
  };
  choice.input.addEventListener("change", sync);
  sync();
  const button = element("button", { type: "submit", class: "button secondary" }, t.saveStatus);
  const form = element("form", { class: "stack", novalidate: true, "aria-label": t.changeStatusFor(n) }, choice.wrapper, fixedOn.wrapper, reason.wrapper, button);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const body = { status: choice.input.value };
    if (body.status === "fixed" && fixedOn.input.value) body.fixed_on = fixedOn.input.value;
    if (body.status === "wont_fix") {
      if (reason.input.value.trim() === "") {
        showErrors(form, t.fixTitle, [{ input: reason.input, message: t.reasonMissing }]);
        return;
      }
      body.reason = reason.input.value.trim();
    }
    const { ok, data } = await ctx.api("PATCH", `/findings/${f.id}`, body);
    if (!ok) {
      showErrors(form, t.fixTitle, [fieldError(data, { status: choice.input, fixed_on: fixedOn.input, reason: reason.input }, t.failed)]);
      return;
    }
    await saved(t.statusSaved(n, t.status[data.status]));
  });
  return element("details", { class: "action" }, element("summary", {}, t.changeStatus, element("span", { class: "visually-hidden" }, ` – ${t.findingNumber(n)}`)), form);
}

// The new-finding form. The latitude and longitude fields hold the chosen
// place whichever way it was given, so the map is one way among four.
function findingForm(ctx, data, onSaved, count) {
  const { t } = ctx;
  const w = data.walk;
  const mapElement = element("div", { class: "finding-map", id: "finding-map", role: "application", tabindex: "0", "aria-label": t.mapLabel });
  const places = data.places ?? [];
  const named = selectField({
    id: "finding-place",
    label: t.namedPlace,
    options: [["", t.namedPlaceNone], ...places.map((p, i) => [String(i), p.name])],
    value: "",
  });
  const mine = element("button", { type: "button", class: "button secondary" }, t.myPosition);
  const lat = field({ id: "finding-lat", label: t.lat, inputmode: "decimal", hint: t.coordsHint });
  const lon = field({ id: "finding-lon", label: t.lon, inputmode: "decimal", hint: t.coordsHint });
  const chosen = element("p", { class: "chosen", id: "finding-chosen", "aria-live": "polite" }, t.noPlace);
  const category = selectField({ id: "finding-category", label: t.category, options: CATEGORIES.map((c) => [c, t.categories[c]]), value: "lighting" });
  const note = textArea({ id: "finding-note", label: t.note, hint: t.noteHint, maxlength: 1000 });
  const responsible = field({ id: "finding-responsible", label: t.responsible, hint: t.responsibleHint });
  const due = field({ id: "finding-due", label: t.dueOptional, type: "date", hint: t.dueHint, required: false });
  due.input.min = w.walked_on;
  const button = element("button", { type: "submit", class: "button" }, t.save);
  const placeSet = element(
    "fieldset",
    { "aria-describedby": "finding-place-hint" },
    element("legend", {}, t.place),
    element("p", { class: "hint", id: "finding-place-hint" }, t.placeHint),
    mapElement,
    named.wrapper,
    mine,
    element("div", { class: "pair" }, lat.wrapper, lon.wrapper),
    chosen,
  );
  const form = element("form", { class: "stack", novalidate: true, "aria-labelledby": "record-heading" }, placeSet, category.wrapper, note.wrapper, responsible.wrapper, due.wrapper, button);
  const section = element("section", { "aria-labelledby": "record-heading" }, element("h2", { id: "record-heading" }, t.record), form);

  let map;
  let marker;
  let findingLayer;
  const round = (x) => Math.round(x * 1e6) / 1e6;
  function setPlace(latValue, lonValue, name) {
    lat.input.value = String(round(latValue));
    lon.input.value = String(round(lonValue));
    chosen.textContent = name ? t.chosenNamed(name) : t.chosen(lat.input.value, lon.input.value);
    showMarker();
  }
  function showMarker() {
    if (!map) return;
    const la = Number(lat.input.value);
    const lo = Number(lon.input.value);
    if (lat.input.value === "" || lon.input.value === "" || !Number.isFinite(la) || !Number.isFinite(lo)) return;
    if (marker) marker.setLatLng([la, lo]);
    else marker = L.circleMarker([la, lo], { radius: 10, weight: 3, color: "#ffffff", fillColor: "#0b5394", fillOpacity: 1, interactive: false }).addTo(map);
  }
  named.input.addEventListener("change", () => {
    const p = places[Number(named.input.value)];
    if (named.input.value !== "" && p) {
      setPlace(p.lat, p.lon, p.name);
      map?.panTo([p.lat, p.lon]);
    }
  });
  for (const input of [lat.input, lon.input]) {
    input.addEventListener("change", () => {
      named.input.value = "";
      if (lat.input.value !== "" && lon.input.value !== "") {
        chosen.textContent = t.chosen(lat.input.value, lon.input.value);
        showMarker();
      }
    });
  }
  mine.addEventListener("click", () => {
    if (!navigator.geolocation) {
      chosen.textContent = t.positionUnavailable;
      return;
    }
    navigator.geolocation.getCurrentPosition(
      (position) => {
        named.input.value = "";
        setPlace(position.coords.latitude, position.coords.longitude);
        map?.panTo([position.coords.latitude, position.coords.longitude]);
      },
      () => {
        chosen.textContent = t.positionFailed;
      },
      { enableHighAccuracy: true, timeout: 10000 },
    );
  });

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const errors = [];
    const la = Number(lat.input.value.replace(",", "."));
    const lo = Number(lon.input.value.replace(",", "."));
    if (lat.input.value.trim() === "" && lon.input.value.trim() === "") {
      errors.push({ input: lat.input, message: t.placeMissing });
    } else {
      if (lat.input.value.trim() === "" || !Number.isFinite(la) || la < -90 || la > 90) errors.push({ input: lat.input, message: t.latInvalid });
      if (lon.input.value.trim() === "" || !Number.isFinite(lo) || lo < -180 || lo > 180) errors.push({ input: lon.input, message: t.lonInvalid });
    }
    if (note.input.value.trim() === "") errors.push({ input: note.input, message: t.noteMissing });
    if (responsible.input.value.trim() === "") errors.push({ input: responsible.input, message: t.responsibleMissing });
    if (errors.length > 0) {
      showErrors(form, t.fixTitle, errors);
      return;
    }
    const body = { location: [lo, la], category: category.input.value, note: note.input.value.trim(), responsible: responsible.input.value.trim() };
    if (due.input.value) body.due_on = due.input.value;
    button.disabled = true;
    const { ok, data: answer } = await ctx.api("POST", `/walks/${w.id}/findings`, body);
    button.disabled = false;
    if (!ok) {
      showErrors(form, t.fixTitle, [fieldError(answer, { location: lat.input, category: category.input, note: note.input, responsible: responsible.input, due_on: due.input }, t.failed)]);
      return;
    }
    showErrors(form, t.fixTitle, []);
    for (const input of [lat.input, lon.input, note.input, due.input]) input.value = "";
    named.input.value = "";
    chosen.textContent = t.noPlace;
    marker?.remove();
    marker = undefined;
    await onSaved(count() + 1, answer);
  });

  async function mount() {
    try {
      await loadLeaflet({ css: true });
    } catch {
      mapElement.hidden = true;
      return;
    }
    if (!mapElement.isConnected) return;
    map = L.map(mapElement, { maxZoom: 19, minZoom: 8, zoomSnap: 0.25, attributionControl: Boolean(data.map?.tile_url) });
    if (data.map?.tile_url) {
      map.attributionControl.setPrefix(false);
      L.tileLayer(data.map.tile_url, { attribution: data.map.attribution ?? "", maxZoom: 19 }).addTo(map);
    }
    const area = (data.areas?.features ?? []).filter((f) => f.properties?.code === w.area_code);
    const outline = L.geoJSON({ type: "FeatureCollection", features: area }, { interactive: false, style: { color: "#0b5394", weight: 2, fillOpacity: 0.05 } });
    const route = w.route.map((p) => [latOf(p), lonOf(p)]);
    const bounds = L.latLngBounds(route);
    for (const f of data.findings) bounds.extend([latOf(f.location), lonOf(f.location)]);
    if (!bounds.isValid()) bounds.extend(outline.getBounds());
    // The view comes first: vector layers added to a map without one fail.
    if (bounds.isValid()) map.fitBounds(bounds, { padding: [16, 16], maxZoom: 17 });
    else map.setView([59.5, 17.6], 12);
    outline.addTo(map);
    if (route.length > 1) L.polyline(route, { color: "#1b1f23", weight: 3, dashArray: "6 6", interactive: false }).addTo(map);
    for (const p of places) {
      L.circleMarker([p.lat, p.lon], { radius: 4, weight: 2, color: "#1b1f23", fillColor: "#ffffff", fillOpacity: 1, interactive: false }).addTo(map);
    }
    findingLayer = L.layerGroup().addTo(map);
    showFindings(data.findings);
    map.on("click", (event) => {
      named.input.value = "";
      setPlace(event.latlng.lat, event.latlng.lng);
    });
    mapElement.addEventListener("keydown", (event) => {
      if (event.target === mapElement && (event.key === "Enter" || event.key === " ")) {
        event.preventDefault();
        const c = map.getCenter();
        named.input.value = "";
        setPlace(c.lat, c.lng);
      }
    });
  }
  function showFindings(list) {
    if (!findingLayer) return;
    findingLayer.clearLayers();
    for (const f of list) {
      L.circleMarker([latOf(f.location), lonOf(f.location)], { radius: 6, weight: 2, color: "#ffffff", fillColor: f.status === "fixed" ? "#1a5e20" : "#8a2b00", fillOpacity: 1, interactive: false }).addTo(findingLayer);
    }
  }
  return { section, mount, showFindings };
}
