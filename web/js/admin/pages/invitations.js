// Inbjudningskoder: a postal sample's single-use codes. Choose the survey
// round, see per area the codes issued, used and the response rate, and (with
// edit_surveys) make codes for a batch of letters: the print shop's CSV
// downloads at once and is never shown again, and from then on the survey
// takes only answers with a code. `?survey=<id>` picks the round.
import { element, fetchData, field, showErrors } from "../dom.js";
import { fieldError, pick, selectField } from "../action.js";

export const title = { sv: "Inbjudningskoder", en: "Invitation codes" };

export const messages = {
  sv: {
    heading: "Inbjudningskoder",
    lead: "Koder för ett postalt urval: varje brev får en kod som kan användas för att svara en gång. Svarsfrekvensen per område räknas från de använda koderna.",
    survey: "Enkätomgång",
    noSurveys: "Det finns ingen publicerad enkät ännu. Koder kan bara skapas för en publicerad enkät.",
    failedLoad: "Det gick inte att hämta inbjudningskoderna.",
    caption: (name) => `Inbjudningskoder per område, ${name}`,
    colArea: "Område",
    colIssued: "Utskickade koder",
    colUsed: "Använda koder",
    colRate: "Svarsfrekvens",
    total: "Totalt",
    noArea: "Utan område",
    noCodes: "Inga koder har skapats för den här omgången. Enkäten kan besvaras av alla som har länken.",
    codedOnly: "Enkäten tar bara emot svar med en inbjudningskod.",
    createHeading: "Skapa koder",
    count: "Antal brev",
    countHint: "En kod per brev, 1–50 000 åt gången.",
    area: "Område",
    areaHint: "Området som breven skickas till, så att svarsfrekvensen kan räknas per område.",
    allAreas: "Alla områden (inget område på koderna)",
    warningTitle: "Läs innan du skapar koder",
    warningCoded: "När koderna har skapats tar enkäten bara emot svar med en inbjudningskod. Den som har länken men ingen kod kan inte längre svara.",
    warningOnce: "Filen med koderna (kod, länk, område) visas bara den här gången. Spara den på ett säkert ställe och skicka den till tryckeriet; koderna kan inte hämtas igen.",
    create: "Skapa koder och ladda ner filen",
    creating: "Skapar koder …",
    created: (n, area, file) => `${n} koder har skapats för ${area}. Filen ${file} har laddats ner; spara den, den kan inte hämtas igen.`,
    countMissing: "Skriv hur många brev som ska skickas, ett heltal från 1 till 50 000.",
    countRange: "Antalet måste vara ett heltal från 1 till 50 000.",
    unknownArea: "Området finns inte bland kommunens områden.",
    failed: "Det gick inte att skapa koderna. Försök igen om en stund.",
    everyArea: "alla områden",
  },
  en: {
    heading: "Invitation codes",
    lead: "Codes for a postal sample: each letter gets a code that can be used to answer once. The response rate per area is counted from the codes used.",
    survey: "Survey round",
    noSurveys: "There is no published survey yet. Codes can only be made for a published survey.",
    failedLoad: "The invitation codes could not be loaded.",
    caption: (name) => `Invitation codes per area, ${name}`,
    colArea: "Area",
    colIssued: "Codes sent",
    colUsed: "Codes used",
    colRate: "Response rate",
    total: "Total",
    noArea: "No area",
    noCodes: "No codes have been made for this round. Anyone with the link can answer the survey.",
    codedOnly: "The survey takes only answers with an invitation code.",
    createHeading: "Make codes",
    count: "Number of letters",
    countHint: "One code per letter, 1–50,000 at a time.",
    area: "Area",
    areaHint: "The area the letters go to, so the response rate can be counted per area.",
    allAreas: "All areas (no area on the codes)",
    warningTitle: "Read before making codes",
    warningCoded: "Once the codes are made, the survey takes only answers with an invitation code. Anyone with the link but no code can no longer answer.",
    warningOnce: "The file of codes (code, link, area) is shown this once only. Keep it somewhere safe and send it to the print shop; the codes cannot be fetched again.",
    create: "Make codes and download the file",
    creating: "Making codes …",
    created: (n, area, file) => `${n} codes have been made for ${area}. The file ${file} has been downloaded; keep it, it cannot be fetched again.`,
    countMissing: "Enter how many letters will be sent, a whole number from 1 to 50,000.",
    countRange: "The number must be a whole number from 1 to 50,000.",
    unknownArea: "The area is not one of the municipality's areas.",
    failed: "The codes could not be made. Please try again shortly.",
    everyArea: "all areas",
  },
};

const MAX_CODES = 50000;

const canEdit = (ctx) => ctx.session?.permissions?.includes("edit_surveys");

const locale = (lang) => (lang === "sv" ? "sv-SE" : "en-GB");
const number = (n, lang) => new Intl.NumberFormat(locale(lang)).format(n);
const percent = (share, lang) =>
  share === null || share === undefined
    ? "–"
    : new Intl.NumberFormat(locale(lang), { style: "percent", minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(share);

// The open round first: published, opened and not yet closed; else the newest.
function defaultSurvey(surveys) {
  const today = new Date().toISOString().slice(0, 10);
  const open = surveys.find((s) => s.opens_on <= today && (!s.closes_on || s.closes_on >= today));
  return open ?? surveys[0];
}

export async function render(main, ctx) {
  const { t, lang } = ctx;
  const status = element("div", { id: "invitations-status", role: "status", "aria-live": "polite", tabindex: "-1" });
  const holder = element("div", {});
  main.append(element("h1", {}, t.heading), element("p", {}, t.lead), status);

  const data = await fetchData(ctx, "/surveys", (node) => main.append(node));
  if (!data) return;
  const surveys = data.surveys.filter((s) => s.status === "published");
  if (surveys.length === 0) {
    main.append(element("p", {}, t.noSurveys));
    return;
  }
  const wanted = new URLSearchParams(location.search).get("survey");
  let current = surveys.find((s) => s.id === wanted) ?? defaultSurvey(surveys);
  const name = (s) => {
    const text = pick(s.title, lang);
    return text.includes(s.round) ? text : `${text} (${s.round})`;
  };
  const chooser = selectField({
    id: "invitations-survey",
    label: t.survey,
    options: surveys.map((s) => [s.id, name(s)]),
    value: current.id,
  });
  const formHolder = element("div", {});
  main.append(chooser.wrapper, holder, formHolder);

  // The area names of the chosen survey: its area question's options, else the municipality's areas.
  let areas = [];
  async function loadAreas() {
    const survey = await ctx.api("GET", `/surveys/${current.id}`);
    const question = survey.ok ? survey.data.definition.questions.find((q) => q.background === "area") : null;
    if (question?.options?.length) {
      areas = question.options.map((o) => [o.key, pick(o.label, lang)]);
      return;
    }
    const all = await ctx.api("GET", "/areas");
    areas = all.ok ? all.data.areas.map((a) => [a.code, a.name]) : [];
  }
  const areaName = (code) => (code === null ? t.noArea : areas.find(([key]) => key === code)?.[1] ?? code);

  async function refresh() {
    const rates = await fetchData(ctx, `/surveys/${current.id}/invitations`, (node) => holder.replaceChildren(node));
    if (!rates) return;
    holder.replaceChildren(...table(ctx, name(current), rates, areaName));
  }

  async function choose() {
    await loadAreas();
    await refresh();
    if (canEdit(ctx)) formHolder.replaceChildren(createForm(ctx, current, areas, status, refresh));
  }

  chooser.input.addEventListener("change", async () => {
    current = surveys.find((s) => s.id === chooser.input.value) ?? current;
    const url = new URL(location.href);
    url.searchParams.set("survey", current.id);
    history.replaceState(null, "", url);
    status.replaceChildren();
    await choose();
  });
  await choose();
}

function table(ctx, surveyName, rates, areaName) {
  const { t, lang } = ctx;
  if (rates.issued === 0) return [element("p", { id: "invitations-none" }, t.noCodes)];
  const head = element("tr", {}, element("th", { scope: "col" }, t.colArea), ...[t.colIssued, t.colUsed, t.colRate].map((h) => element("th", { scope: "col", class: "number" }, h)));
  const row = (cells, header, rowClass) =>
    element(
      "tr",
      { class: rowClass },
      element("th", { scope: "row" }, header),
      ...cells.map((c) => element("td", { class: "number" }, c)),
    );
  const rows = rates.areas.map((a) =>
    row([number(a.issued, lang), number(a.used, lang), percent(a.response_rate, lang)], areaName(a.area)),
  );
  const total = row([number(rates.issued, lang), number(rates.used, lang), percent(rates.response_rate, lang)], t.total);
  return [
    element("p", { class: "notice locked" }, t.codedOnly),
    element(
      "table",
      { id: "invitations-table" },
      element("caption", {}, t.caption(surveyName)),
      element("thead", {}, head),
      element("tbody", {}, ...rows),
      element("tfoot", {}, total),
    ),
  ];
}

function createForm(ctx, survey, areas, status, refresh) {
  const { t, lang } = ctx;
  const count = field({ id: "invitations-count", label: t.count, hint: t.countHint, type: "number", inputmode: "numeric", autocomplete: "off" });
  count.input.min = "1";
  count.input.max = String(MAX_CODES);
  count.input.step = "1";
  const area = selectField({ id: "invitations-area", label: t.area, hint: t.areaHint, options: [["", t.allAreas], ...areas], value: "" });
  const warning = element(
    "div",
    { id: "invitations-warning", class: "notice locked" },
    element("p", {}, element("strong", {}, t.warningTitle)),
    element("p", {}, t.warningCoded),
    element("p", {}, t.warningOnce),
  );
  const button = element("button", { type: "submit", class: "button", "aria-describedby": "invitations-warning" }, t.create);
  const form = element(
    "form",
    { class: "stack", novalidate: true, "aria-labelledby": "invitations-create-heading" },
    count.wrapper,
    area.wrapper,
    warning,
    button,
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const raw = count.input.value.trim();
    const n = Number(raw);
    if (raw === "" || !Number.isInteger(n) || n < 1 || n > MAX_CODES) {
      showErrors(form, t.fixTitle, [{ input: count.input, message: raw === "" ? t.countMissing : t.countRange }]);
      return;
    }
    const body = { count: n };
    if (area.input.value !== "") body.area = area.input.value;
    button.disabled = true;
    button.textContent = t.creating;
    // The answer is CSV, not JSON, so this is fetched here rather than with ctx.api.
    let response = null;
    try {
      response = await fetch(`/api/v1/admin/surveys/${encodeURIComponent(survey.id)}/invitations`, {
        method: "POST",
        headers: { Accept: "text/csv, application/json", "Content-Type": "application/json", "X-CSRF-Token": ctx.session?.csrf_token ?? "" },
        credentials: "same-origin",
        body: JSON.stringify(body),
      });
    } catch {
      response = null;
    }
    button.disabled = false;
    button.textContent = t.create;
    if (response === null) {
      showErrors(form, t.fixTitle, [{ message: t.failed }]);
      return;
    }
    if (!response.ok) {
      if (response.status === 401) {
        await ctx.rerender();
        return;
      }
      const data = await response.json().catch(() => null);
      const known = { out_of_range: t.countRange, unknown_area: t.unknownArea };
      const error = fieldError(data, { count: count.input, area: area.input }, t.failed);
      if (known[data?.error]) error.message = known[data.error];
      showErrors(form, t.fixTitle, [error]);
      return;
    }
    const csv = await response.text();
    const file = `inbjudningar-${survey.slug}-${body.area ?? "alla"}.csv`;
    download(csv, file);
    showErrors(form, t.fixTitle, []);
    form.reset();
    const where = body.area ? area.input.querySelector(`option[value="${CSS.escape(body.area)}"]`)?.textContent ?? body.area : t.everyArea;
    await refresh();
    status.replaceChildren(element("p", { class: "notice" }, t.created(number(n, lang), where, file)));
    status.focus();
  });
  return element(
    "section",
    { "aria-labelledby": "invitations-create-heading" },
    element("h2", { id: "invitations-create-heading" }, t.createHeading),
    form,
  );
}

// Hands the CSV to the browser as a download; the codes stay nowhere else on the page.
function download(text, name) {
  const url = URL.createObjectURL(new Blob([text], { type: "text/csv;charset=utf-8" }));
  const link = element("a", { href: url, download: name, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
