// The map question: three equal ways to mark an unsafe place. On the map
// (tap or click, drag to move, or the crosshair's "Place pin here" button,
// which a keyboard reaches too: the map takes focus, arrows pan, +/- zoom,
// Enter places a pin at the cross); from a searchable list of the
// municipality's named places and areas; or in words, for the analyst to
// locate. Every pin is also a row in a list with edit and remove buttons, so
// nothing on the map is reachable only by pointer. Leaflet, the global `L`,
// is loaded from the vendored script only when the map part is shown, so the
// first parts of the survey render without it.
import { h, pick } from "./dom.js";
import { areaAt, pointInside } from "./geo.js";
import { textWithCount } from "./questions.js";
import { loadLeaflet } from "../load.js";

const times = ["day", "evening", "night", "always"];
const commentMax = 1000;
const descriptionMax = 500;

const fold = (text) => text.normalize("NFD").replace(/\p{Diacritic}/gu, "").toLowerCase();

export function pinQuestion(q, ctx) {
  const { t, lang, survey } = ctx;
  const pins = ctx.pins;
  const categoryLabel = (key) => pick(q.categories.find((c) => c.key === key)?.label, lang) || key;
  const areaName = (lonlat) => areaAt(survey.areas, lonlat)?.properties?.name;
  const where = (pin) => {
    if (pin.description !== undefined) return `”${pin.description}”`;
    if (pin.place) return pin.place;
    return t.onMapIn(areaName(pin.location));
  };
  const summary = (pin, n) => `${t.pinLabel(n)}: ${categoryLabel(pin.category)}, ${t.times[pin.time_of_day]?.toLowerCase() ?? ""} – ${where(pin)}`;

  const status = h("p", { class: "status", role: "status" });
  const say = (text) => {
    status.textContent = text;
  };

  // --- The list of pins, the keyboard's and screen reader's view of the map.
  const pinsHeading = h("h4", { id: `pins-${q.key}`, tabindex: "-1" });
  const pinList = h("ul", { class: "pin-list" });
  function renderList() {
    pinsHeading.textContent = t.pinsHeading(pins.length);
    pinList.replaceChildren(
      ...(pins.length === 0
        ? [h("li", { class: "empty" }, t.noPins)]
        : pins.map((pin, i) =>
            h(
              "li",
              {},
              h("span", { class: "pin-text" }, summary(pin, i + 1)),
              h("span", { class: "pin-actions" },
                h("button", { type: "button", class: "secondary", "aria-label": t.editPin(i + 1), onclick: (e) => openDialog(i, e.currentTarget) }, t.edit),
                h("button", { type: "button", class: "secondary danger", "aria-label": t.removePin(i + 1), onclick: () => removePin(i) }, t.remove),
              ),
            ),
          )),
    );
  }

  function changed() {
    ctx.save();
    renderList();
    drawPins();
  }

  function removePin(i) {
    pins.splice(i, 1);
    changed();
    say(t.pinRemoved(i + 1));
    pinsHeading.focus();
  }

  function roomForMore() {
    if (pins.length < (q.max_pins ?? Infinity)) return true;
    say(t.maxPins(q.max_pins));
    return false;
  }

  // --- The dialog that asks what makes a place unsafe and when.
  const dialog = h("dialog", { class: "pin-dialog", "aria-labelledby": `dialog-title-${q.key}` });
  dialog.addEventListener("cancel", () => closeDialog());
  let returnFocus = null;

  function closeDialog() {
    if (dialog.open) dialog.close();
    const target = returnFocus?.isConnected ? returnFocus : pinsHeading;
    target.focus();
  }

  // Opens the dialog for pin `index` of `pins`, or for a new pin `fresh`.
  function openDialog(index, opener, fresh) {
    returnFocus = opener;
    const pin = { ...(fresh ?? pins[index]) };
    const n = fresh ? pins.length + 1 : index + 1;
    const errors = {};
    const radios = (name, legend, options) => {
      const id = `dialog-${name}`;
      return h(
        "fieldset",
        { class: "question", id, "aria-describedby": errors[name] ? `${id}-error` : undefined },
        h("legend", {}, legend, h("span", { class: "required" }, ` (${t.required})`)),
        errors[name] ? h("p", { class: "error", id: `${id}-error` }, errors[name]) : null,
        h("div", { class: "choices" },
          options.map(([key, label]) => {
            const input = h("input", { type: "radio", id: `${id}-${key}`, name, value: key, checked: pin[name] === key, required: true, "aria-invalid": errors[name] ? "true" : undefined });
            input.addEventListener("change", () => {
              pin[name] = key;
            });
            return h("div", { class: "choice" }, input, h("label", { for: `${id}-${key}` }, label));
          })),
      );
    };
    const render = () => {
      const description =
        pin.description !== undefined
          ? textWithCount({
              id: "dialog-description",
              name: "description",
              value: pin.description,
              max: descriptionMax,
              t,
              required: true,
              invalid: Boolean(errors.description),
              describedBy: ["dialog-description-help", errors.description ? "dialog-description-error" : null].filter(Boolean).join(" "),
              onInput: (text) => {
                pin.description = text;
              },
            })
          : null;
      const comment = textWithCount({
        id: "dialog-comment",
        name: "comment",
        value: pin.comment ?? "",
        max: commentMax,
        t,
        onInput: (text) => {
          pin.comment = text;
        },
      });
      const form = h(
        "form",
        { novalidate: true },
        h("h3", { id: `dialog-title-${q.key}` }, fresh ? t.dialogNew : t.dialogEdit(n)),
        description
          ? h("div", { class: "question" },
              h("label", { for: "dialog-description", class: "question-text" }, t.description, h("span", { class: "required" }, ` (${t.required})`)),
              h("p", { class: "help", id: "dialog-description-help" }, t.wordsHelp),
              errors.description ? h("p", { class: "error", id: "dialog-description-error" }, errors.description) : null,
              description.area,
              description.count)
          : h("p", { class: "where" }, h("strong", {}, `${t.dialogWhere}: `), where(pin)),
        radios("category", t.category, q.categories.map((c) => [c.key, pick(c.label, lang)])),
        radios("time_of_day", t.timeOfDay, times.map((k) => [k, t.times[k]])),
        h("div", { class: "question" }, h("label", { for: "dialog-comment", class: "question-text" }, t.comment), comment.area, comment.count),
        h("div", { class: "actions" },
          h("button", { type: "submit", class: "primary" }, t.save),
          h("button", { type: "button", class: "secondary", onclick: () => closeDialog() }, t.cancel)),
      );
      form.addEventListener("submit", (event) => {
        event.preventDefault();
        for (const key of Object.keys(errors)) delete errors[key];
        if (pin.description !== undefined && pin.description.trim() === "") errors.description = t.errorRequired;
        if (!pin.category) errors.category = t.errorRequired;
        if (!pin.time_of_day) errors.time_of_day = t.errorRequired;
        if (Object.keys(errors).length) {
          render();
          dialog.querySelector("[aria-invalid=true]")?.focus();
          return;
        }
        if (pin.description !== undefined) pin.description = pin.description.trim();
        if (!pin.comment?.trim()) delete pin.comment;
        if (fresh) pins.push(pin);
        else pins[index] = pin;
        changed();
        say(t.pinSaved(n));
        closeDialog();
      });
      dialog.replaceChildren(form);
    };
    render();
    if (!dialog.open) dialog.showModal();
    (dialog.querySelector("#dialog-description") ?? dialog.querySelector("input"))?.focus();
  }

  // --- The map.
  const mapElement = h("div", {
    class: "map",
    id: `map-${q.key}`,
    role: "application",
    tabindex: "0",
    "aria-label": t.mapLabel,
    "aria-describedby": `map-help-${q.key}`,
  });
  let map;
  let pinLayer;

  function placeAt(latlng, opener) {
    const lonlat = [latlng.lng, latlng.lat];
    if (!areaAt(survey.areas, lonlat)) {
      say(t.outside);
      return;
    }
    if (!roomForMore()) return;
    say(t.pinPlaced(pins.length + 1, t.onMapIn(areaName(lonlat))));
    openDialog(undefined, opener, { via: "map", location: lonlat });
  }

  function drawPins() {
    if (!map) return;
    pinLayer.clearLayers();
    pins.forEach((pin, i) => {
      if (!pin.location) return;
      const label = h("span", { "aria-hidden": "true" }, String(i + 1));
      const marker = L.marker([pin.location[1], pin.location[0]], {
        icon: L.divIcon({ className: "pin-marker", html: label, iconSize: [34, 34], iconAnchor: [17, 17] }),
        draggable: true,
        autoPan: true,
        keyboard: true,
        title: summary(pin, i + 1),
      });
      marker.on("add", () => marker.getElement()?.setAttribute("aria-label", summary(pin, i + 1)));
      marker.on("click", () => openDialog(i, marker.getElement()));
      marker.on("dragend", () => {
        const { lat, lng } = marker.getLatLng();
        if (!areaAt(survey.areas, [lng, lat])) {
          say(t.outside);
          drawPins();
          return;
        }
        pins[i] = { ...pins[i], via: "map", location: [lng, lat] };
        delete pins[i].place;
        changed();
        say(t.pinMoved(i + 1, t.onMapIn(areaName([lng, lat]))));
      });
      marker.addTo(pinLayer);
    });
  }

  async function mount() {
    await loadLeaflet();
    if (!mapElement.isConnected) return;
    map = L.map(mapElement, { maxZoom: 18, minZoom: 8, zoomSnap: 0.25, zoomControl: false, attributionControl: Boolean(survey.map?.tile_url) });
    L.control.zoom({ zoomInTitle: t.zoomIn, zoomOutTitle: t.zoomOut, zoomInText: "+", zoomOutText: "−" }).addTo(map);
    if (survey.map?.tile_url) {
      map.attributionControl.setPrefix(false);
      L.tileLayer(survey.map.tile_url, { attribution: survey.map.attribution ?? "", maxZoom: 18 }).addTo(map);
    }
    const areas = L.geoJSON(survey.areas, {
      interactive: false,
      style: { color: "#0b5394", weight: 2, fillColor: "#0b5394", fillOpacity: 0.06 },
    });
    // The view comes first: vector layers added to a map with no view yet fail.
    map.fitBounds(areas.getBounds(), { padding: [8, 8] });
    areas.addTo(map);
    const label = (text, latlng, className) =>
      L.marker(latlng, {
        icon: L.divIcon({ className, html: h("span", {}, text), iconSize: null }),
        interactive: false,
        keyboard: false,
      }).addTo(map);
    for (const feature of survey.areas.features) {
      const [lon, lat] = pointInside(feature) ?? [];
      if (lon !== undefined) label(feature.properties.name, [lat, lon], "area-label");
    }
    for (const place of survey.places ?? []) {
      L.circleMarker([place.lat, place.lon], { radius: 5, weight: 2, color: "#1b1f23", fillColor: "#ffffff", fillOpacity: 1, interactive: false }).addTo(map);
      label(place.name, [place.lat, place.lon], "place-label");
    }
    // Named places are labelled only once the map is zoomed in past the
    // whole-municipality view, where their names would pile up; the list
    // below the map names them all at any zoom.
    const fitted = map.getZoom();
    const labelPlaces = () => mapElement.classList.toggle("show-places", map.getZoom() >= fitted + 1.5);
    map.on("zoomend", labelPlaces);
    labelPlaces();
    pinLayer = L.layerGroup().addTo(map);
    // Someone moving the map by keyboard, perhaps without seeing it, hears
    // which district the cross is over before pressing Enter.
    map.on("moveend", () => {
      if (document.activeElement !== mapElement) return;
      const { lat, lng } = map.getCenter();
      const area = areaName([lng, lat]);
      say(area ? t.crosshairIn(area) : t.outside);
    });
    map.on("click", (event) => placeAt(event.latlng, mapElement));
    mapElement.addEventListener("keydown", (event) => {
      if (event.target === mapElement && (event.key === "Enter" || event.key === " ")) {
        event.preventDefault();
        placeAt(map.getCenter(), mapElement);
      }
    });
    drawPins();
  }

  // --- The list of named places and areas, searchable.
  const entries = [
    ...(survey.places ?? []).map((p) => {
      const area = survey.areas.features.find((f) => f.properties.code === p.area)?.properties.name ?? p.area;
      return { label: t.listPlace(p.name, area), place: p.name, location: [p.lon, p.lat] };
    }),
    ...survey.areas.features.map((f) => ({ label: t.listArea(f.properties.name), place: f.properties.name, location: pointInside(f) })),
  ].filter((e) => e.location);
  const search = h("input", { type: "search", id: `search-${q.key}`, autocomplete: "off", "aria-controls": `places-${q.key}`, "aria-describedby": `places-count-${q.key}` });
  const placeCount = h("p", { class: "hint", id: `places-count-${q.key}`, role: "status" });
  const placeList = h("ul", { class: "place-list", id: `places-${q.key}` });
  function renderPlaces() {
    const wanted = fold(search.value.trim());
    const shown = entries.filter((e) => fold(e.label).includes(wanted));
    placeCount.textContent = t.listCount(shown.length);
    placeList.replaceChildren(
      ...shown.map((e) =>
        h("li", {}, h("button", {
          type: "button",
          class: "place",
          onclick: (event) => {
            if (roomForMore()) openDialog(undefined, event.currentTarget, { via: "list", place: e.place, location: e.location });
          },
        }, e.label)),
      ),
    );
  }
  search.addEventListener("input", renderPlaces);
  // Enter in the search box would otherwise submit the page and move on.
  search.addEventListener("keydown", (event) => {
    if (event.key === "Enter") event.preventDefault();
  });

  const element = h(
    "div",
    { class: "question map-question", id: `q-${q.key}`, role: "group", "aria-labelledby": `title-${q.key}` },
    h("h3", { id: `title-${q.key}`, class: "question-text" }, pick(q.text, lang), q.required ? h("span", { class: "required" }, ` (${t.required})`) : null),
    q.help ? h("p", { class: "help" }, pick(q.help, lang)) : null,
    ctx.errors[q.key] ? h("p", { class: "error", id: `error-${q.key}` }, ctx.errors[q.key]) : null,
    h("p", {}, t.mapIntro),
    h("p", { class: "skip-map" }, `${t.mapSkip} `,
      h("a", { href: `#list-${q.key}` }, t.mapSkipList), " · ",
      h("a", { href: `#words-${q.key}` }, t.mapSkipWords)),
    h("div", { class: "map-frame" }, mapElement, h("div", { class: "crosshair", "aria-hidden": "true" })),
    h("p", { class: "help", id: `map-help-${q.key}` }, t.mapHelp),
    h("button", { type: "button", class: "primary place-here", onclick: (e) => map && placeAt(map.getCenter(), e.currentTarget) }, t.placeHere),
    status,
    h("section", { class: "pins", "aria-labelledby": `pins-${q.key}` }, pinsHeading, pinList),
    h("section", { class: "alternative", "aria-labelledby": `list-${q.key}` },
      h("h4", { id: `list-${q.key}`, tabindex: "-1" }, t.listHeading),
      h("label", { for: `search-${q.key}` }, t.listSearch),
      search,
      placeCount,
      placeList),
    h("section", { class: "alternative", "aria-labelledby": `words-${q.key}` },
      h("h4", { id: `words-${q.key}`, tabindex: "-1" }, t.wordsHeading),
      h("p", { class: "help" }, t.wordsHelp),
      h("button", {
        type: "button",
        class: "secondary",
        onclick: (event) => {
          if (roomForMore()) openDialog(undefined, event.currentTarget, { via: "words", description: "" });
        },
      }, t.wordsButton)),
    dialog,
  );
  renderList();
  renderPlaces();
  return { element, mount };
}

// The API's form of the draft's pins: a point, or words for the analyst.
export function pinsForApi(pins) {
  return pins.map((pin) => ({
    ...(pin.description !== undefined ? { description: pin.description } : { location: pin.location }),
    category: pin.category,
    time_of_day: pin.time_of_day,
    ...(pin.comment ? { comment: pin.comment } : {}),
  }));
}
