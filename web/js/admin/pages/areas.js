// Areas (Områden): upload the municipality's district outlines as GeoJSON,
// see them on a map, rename them, and upload population figures per area,
// gender and age band (CSV), which weight the lägesbild.
import { element, fetchData, labelled, showErrors } from "../dom.js";
import { errorText } from "../../labels.js";
import { loadLeaflet } from "../../load.js";

export const title = { sv: "Områden", en: "Areas" };

export const messages = {
  sv: {
    heading: "Områden",
    lead: "Kommundelarna som svar och platser räknas per. Ladda upp dem som GeoJSON (WGS84) med egenskapen name och gärna code. Ett område vars kod redan finns får det nya namnet och den nya gränsen.",
    mapLabel: "Karta över områdena",
    caption: "Områden",
    colCode: "Kod",
    colName: "Namn",
    colPopulation: "Befolkning 16–84 år",
    colAction: "Åtgärd",
    nameOf: (name) => `Namn på ${name}`,
    save: "Spara namn",
    saveFor: (name) => `Spara namn på ${name}`,
    renamed: (name) => `Området heter nu ${name}.`,
    none: "Inga områden ännu.",
    uploadHeading: "Ladda upp områden",
    file: "GeoJSON-fil",
    fileHint: "En FeatureCollection med polygoner. Fel anges med objektets nummer och namn.",
    upload: "Ladda upp",
    uploaded: (n) => `${n} områden finns nu.`,
    errorTitle: "Filen kunde inte läsas in",
    notJson: "Filen är inte giltig JSON.",
    inFeature: (n, name, message) => (name ? `Objekt ${n}, “${name}”: ${message}` : `Objekt ${n}: ${message}`),
    chooseFile: "Välj en fil.",
    populationHeading: "Befolkningsuppgifter",
    populationLead: "Antal invånare per område, kön och åldersgrupp, till exempel från SCB. Lägesbilden kan då vägas så att svaren motsvarar befolkningen. Kolumner: area,gender,age_band,population. En ny fil ersätter de gamla uppgifterna.",
    populationFile: "CSV-fil med befolkning",
    populationHint: "Kön och åldersgrupp skrivs som svarsalternativens nycklar, till exempel kvinna och a16_24.",
    populationUpload: "Ladda upp befolkning",
    populationStored: (n, total) => `${n} uppgifter sparade, totalt ${total} invånare.`,
    populationTotal: (total) => `Befolkningsuppgifter finns för totalt ${total} invånare.`,
    populationNone: "Inga befolkningsuppgifter ännu; lägesbilden kan inte vägas.",
    failedLoad: "Det gick inte att hämta områdena.",
    failed: "Det gick inte att spara.",
  },
  en: {
    heading: "Areas",
    lead: "The districts that answers and places are counted by. Upload them as GeoJSON (WGS84) with a name property and preferably a code. An area whose code already exists gets the new name and outline.",
    mapLabel: "Map of the areas",
    caption: "Areas",
    colCode: "Code",
    colName: "Name",
    colPopulation: "Population aged 16–84",
    colAction: "Action",
    nameOf: (name) => `Name of ${name}`,
    save: "Save name",
    saveFor: (name) => `Save name for ${name}`,
    renamed: (name) => `The area is now called ${name}.`,
    none: "No areas yet.",
    uploadHeading: "Upload areas",
    file: "GeoJSON file",
    fileHint: "A FeatureCollection of polygons. Errors name the feature by number and name.",
    upload: "Upload",
    uploaded: (n) => `There are now ${n} areas.`,
    errorTitle: "The file could not be read",
    notJson: "The file is not valid JSON.",
    inFeature: (n, name, message) => (name ? `Feature ${n}, “${name}”: ${message}` : `Feature ${n}: ${message}`),
    chooseFile: "Choose a file.",
    populationHeading: "Population figures",
    populationLead: "Residents per area, gender and age band, for example from Statistics Sweden. The lägesbild can then be weighted so that the answers match the population. Columns: area,gender,age_band,population. A new file replaces the old figures.",
    populationFile: "CSV file with population",
    populationHint: "Gender and age band are written as the answer options' keys, for example kvinna and a16_24.",
    populationUpload: "Upload population",
    populationStored: (n, total) => `${n} figures stored, ${total} residents in all.`,
    populationTotal: (total) => `Population figures cover ${total} residents.`,
    populationNone: "No population figures yet; the lägesbild cannot be weighted.",
    failedLoad: "The areas could not be loaded.",
    failed: "It could not be saved.",
  },
};

const canManage = (ctx) => ctx.session?.permissions?.includes("manage_areas");

export async function render(main, ctx) {
  const { t } = ctx;
  const status = element("div", { role: "status", "aria-live": "polite" });
  const mapElement = element("div", { id: "area-map", class: "area-map", role: "region", "aria-label": t.mapLabel });
  const tableHolder = element("div", {});
  const populationSummary = element("p", { id: "population-summary" });
  main.append(element("h1", {}, t.heading), element("p", {}, t.lead), status, mapElement, tableHolder);
  if (canManage(ctx)) main.append(uploadForm(ctx, status, refresh));
  main.append(element("h2", {}, t.populationHeading), element("p", {}, t.populationLead), populationSummary);
  if (canManage(ctx)) main.append(populationForm(ctx, status, refresh));

  let map;
  let layer;
  async function refresh() {
    const data = await fetchData(ctx, "/areas", (node) => tableHolder.replaceChildren(node));
    if (!data) return;
    tableHolder.replaceChildren(table(ctx, data.areas, status, refresh));
    populationSummary.textContent = data.population_total > 0 ? t.populationTotal(format(data.population_total, ctx.lang)) : t.populationNone;
    await loadLeaflet({ css: true });
    const L = window.L;
    map ??= L.map(mapElement, { maxZoom: 18, minZoom: 5, zoomSnap: 0.25, attributionControl: false });
    layer?.remove();
    layer = L.geoJSON(data.geojson, {
      interactive: false,
      style: { color: "#0b5394", weight: 2, fillColor: "#0b5394", fillOpacity: 0.08 },
      onEachFeature: (feature, shape) =>
        // Leaflet puts a string into innerHTML; a text node cannot carry markup.
        shape.bindTooltip(document.createTextNode(feature.properties.name), { permanent: true, direction: "center", className: "area-label" }),
    });
    if (data.areas.length > 0) {
      map.fitBounds(layer.getBounds(), { padding: [8, 8] });
      layer.addTo(map);
    } else {
      map.setView([59.5, 17.6], 9);
    }
    mapElement.dataset.areas = String(data.areas.length);
  }
  await refresh();
}

const format = (n, lang) => new Intl.NumberFormat(lang === "sv" ? "sv-SE" : "en-GB").format(n);

function table(ctx, areas, status, refresh) {
  const { t } = ctx;
  if (areas.length === 0) return element("p", {}, t.none);
  const manage = canManage(ctx);
  const headings = [t.colCode, t.colName, t.colPopulation, ...(manage ? [t.colAction] : [])];
  const head = element("tr", {}, ...headings.map((h) => element("th", { scope: "col" }, h)));
  const rows = areas.map((area) => {
    const population = area.population === null ? "–" : format(area.population, ctx.lang);
    if (!manage) {
      return element("tr", {}, element("td", {}, area.code), element("td", {}, area.name), element("td", {}, population));
    }
    const input = element("input", { type: "text", value: area.name, "aria-label": t.nameOf(area.name), maxlength: "120", required: true });
    const save = element("button", { type: "button", class: "button secondary", "aria-label": t.saveFor(area.name) }, t.save);
    save.addEventListener("click", async () => {
      const { ok, data } = await ctx.api("PATCH", `/areas/${area.id}`, { name: input.value });
      status.replaceChildren(
        ok
          ? element("p", { class: "notice" }, t.renamed(input.value.trim()))
          : element("p", { role: "alert", class: "field-error" }, errorText(data, ctx.lang, t.failed)),
      );
      if (ok) await refresh();
    });
    return element("tr", {}, element("td", {}, area.code), element("td", {}, input), element("td", {}, population), element("td", {}, save));
  });
  return element("table", {}, element("caption", {}, t.caption), element("thead", {}, head), element("tbody", {}, ...rows));
}

function fileField(id, label, hint, accept) {
  return labelled({ id, label, hint }, (hintId) =>
    element("input", { id, name: id, type: "file", accept, required: true, "aria-describedby": hintId }));
}

// A form that uploads one file. `send(chosen)` sends it and answers with the
// `error` to show at the file field, or with the `notice` to show in `status`
// once the file is stored.
function fileForm(ctx, status, refresh, { file, attributes, heading, button, send }) {
  const { t } = ctx;
  const form = element(
    "form",
    { novalidate: true, ...attributes },
    heading,
    file.wrapper,
    element("button", { type: "submit", class: "button" }, button),
  );
  const fail = (message) => showErrors(form, t.errorTitle, [{ input: file.input, message }]);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const chosen = file.input.files?.[0];
    if (!chosen) return fail(t.chooseFile);
    const { error, notice } = await send(chosen);
    if (error) return fail(error);
    showErrors(form, t.errorTitle, []);
    form.reset();
    status.replaceChildren(element("p", { class: "notice" }, notice));
    await refresh();
  });
  return form;
}

function uploadForm(ctx, status, refresh) {
  const { t } = ctx;
  return fileForm(ctx, status, refresh, {
    file: fileField("areas-file", t.file, t.fileHint, ".geojson,.json,application/geo+json,application/json"),
    attributes: { "aria-labelledby": "upload-heading" },
    heading: element("h2", { id: "upload-heading" }, t.uploadHeading),
    button: t.upload,
    send: async (chosen) => {
      let body;
      try {
        body = JSON.parse(await chosen.text());
      } catch {
        return { error: t.notJson };
      }
      const { ok, data } = await ctx.api("POST", "/areas", body);
      if (!ok) return { error: featureError(t, data, body, errorText(data, ctx.lang, t.failed)) };
      return { notice: t.uploaded(data.areas.length) };
    },
  });
}

// The error's sentence led by the feature it is about (its number in the
// file, counted from 1, and its name), read from the error's field path
// `features[i]…` and the uploaded file.
function featureError(t, data, body, message) {
  const index = /^features\[(\d+)\]/.exec(data?.field ?? "")?.[1];
  if (index === undefined) return message;
  const name = body?.features?.[Number(index)]?.properties?.name;
  return t.inFeature(Number(index) + 1, typeof name === "string" ? name : undefined, message);
}

function populationForm(ctx, status, refresh) {
  const { t } = ctx;
  return fileForm(ctx, status, refresh, {
    file: fileField("population-file", t.populationFile, t.populationHint, ".csv,text/csv"),
    attributes: { "aria-label": t.populationHeading },
    button: t.populationUpload,
    send: async (chosen) => {
      // CSV is sent as it is, so the server can name the line at fault.
      let response;
      try {
        response = await fetch("/api/v1/admin/areas/population", {
          method: "PUT",
          headers: { Accept: "application/json", "Content-Type": "text/csv", "X-CSRF-Token": ctx.session?.csrf_token ?? "" },
          credentials: "same-origin",
          body: await chosen.text(),
        });
      } catch {
        return { error: t.failed };
      }
      const data = await response.json().catch(() => null);
      if (!response.ok) return { error: errorText(data, ctx.lang, t.failed) };
      return { notice: t.populationStored(data.figures.length, format(data.total, ctx.lang)) };
    },
  });
}
