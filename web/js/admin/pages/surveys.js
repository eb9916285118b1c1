// Surveys: every survey and round of the municipality with its status and
// dates, and a form that starts a new survey from the question bank. The
// address /admin/surveys/<id> is the editor of one survey (survey-editor.js).
import { element, fetchData, field, showErrors } from "../dom.js";
import { apiErrors, editorMessages, localDate } from "./survey-editor.js";
import * as editor from "./survey-editor.js";

export const title = { sv: "Enkäter", en: "Surveys" };

export const messages = {
  sv: {
    heading: "Enkäter",
    lead: "Kommunens trygghetsmätningar, en rad per omgång. En ny omgång kopierar en enkät och behåller frågornas nycklar, så att resultaten kan jämföras mellan omgångarna.",
    caption: "Enkäter och omgångar",
    colTitle: "Enkät",
    colRound: "Omgång",
    colStatus: "Status",
    colOpens: "Öppnar",
    colCloses: "Stänger",
    colResponses: "Svar",
    colLinks: "Länkar",
    status: { draft: "Utkast", published: "Publicerad" },
    open: (name) => `Öppna ${name}`,
    openShort: "Öppna",
    lagesbild: (name) => `Lägesbild för ${name}`,
    lagesbildShort: "Lägesbild",
    invitations: (name) => `Inbjudningskoder för ${name}`,
    invitationsShort: "Inbjudningskoder",
    none: "Kommunen har inga enkäter ännu.",
    noClose: "–",
    createHeading: "Ny enkät",
    createLead: "Välj frågor ur frågebanken. Du kan ändra, lägga till och ordna frågorna i nästa steg.",
    slug: "Adress (kortnamn)",
    slugHint: "Små bokstäver, siffror och bindestreck, till exempel trygghet-2027. Enkäten finns sedan på /s/adressen.",
    round: "Omgång",
    roundHint: "Till exempel 2027.",
    titleSv: "Rubrik på svenska",
    titleEn: "Rubrik på engelska",
    bankLegend: "Frågor ur frågebanken",
    topics: {
      background: "Bakgrund",
      safety: "Trygghet",
      victimisation: "Utsatthet för brott",
      local_problems: "Problem i området",
      trust: "Förtroende",
      priorities: "Prioriteringar",
      places: "Platser",
      comment: "Fritext",
    },
    create: "Skapa utkast",
    pickOne: "Välj minst en fråga ur frågebanken.",
    failedLoad: "Det gick inte att hämta enkäterna.",
  },
  en: {
    heading: "Surveys",
    lead: "The municipality's safety surveys, one line per round. A new round copies a survey and keeps its question keys, so results can be compared across rounds.",
    caption: "Surveys and rounds",
    colTitle: "Survey",
    colRound: "Round",
    colStatus: "Status",
    colOpens: "Opens",
    colCloses: "Closes",
    colResponses: "Responses",
    colLinks: "Links",
    status: { draft: "Draft", published: "Published" },
    open: (name) => `Open ${name}`,
    openShort: "Open",
    lagesbild: (name) => `Lägesbild of ${name}`,
    lagesbildShort: "Lägesbild",
    invitations: (name) => `Invitation codes for ${name}`,
    invitationsShort: "Invitation codes",
    none: "The municipality has no surveys yet.",
    noClose: "–",
    createHeading: "New survey",
    createLead: "Pick questions from the question bank. You can change, add and order the questions in the next step.",
    slug: "Address (short name)",
    slugHint: "Lower-case letters, digits and hyphens, for example safety-2027. The survey is then at /s/the-address.",
    round: "Round",
    roundHint: "For example 2027.",
    titleSv: "Title in Swedish",
    titleEn: "Title in English",
    bankLegend: "Questions from the question bank",
    topics: {
      background: "Background",
      safety: "Safety",
      victimisation: "Victimisation",
      local_problems: "Local problems",
      trust: "Trust",
      priorities: "Priorities",
      places: "Places",
      comment: "Free text",
    },
    create: "Create draft",
    pickOne: "Pick at least one question from the question bank.",
    failedLoad: "The surveys could not be loaded.",
  },
};

// The editor's messages are merged in too, since /admin/surveys/<id> is drawn by this page.
for (const lang of ["sv", "en"]) Object.assign(messages[lang], editorMessages[lang]);

export async function render(main, ctx) {
  const id = location.pathname.split("/").filter(Boolean)[2];
  if (id) {
    await editor.render(main, ctx, decodeURIComponent(id));
    return;
  }
  const { t } = ctx;
  const holder = element("div", {});
  main.append(element("h1", {}, t.heading), element("p", {}, t.lead), holder);
  const data = await fetchData(ctx, "/surveys", (node) => holder.replaceChildren(node));
  if (!data) return;
  holder.replaceChildren(table(ctx, data.surveys));
  if (ctx.session.permissions.includes("edit_surveys")) main.append(await createForm(ctx));
}

function table(ctx, surveys) {
  const { t, lang } = ctx;
  if (surveys.length === 0) return element("p", {}, t.none);
  const head = element(
    "tr",
    {},
    ...[t.colTitle, t.colRound, t.colStatus, t.colOpens, t.colCloses, t.colResponses, t.colLinks].map((h) => element("th", { scope: "col", class: h === t.colResponses ? "number" : undefined }, h)),
  );
  const rows = surveys.map((s) => {
    const name = `${s.title[lang] ?? s.title.sv} ${s.round}`;
    const links = element(
      "div",
      { class: "links" },
      element("a", { href: `/admin/surveys/${s.id}`, "aria-label": t.open(name) }, t.openShort),
      s.status === "published"
        ? element("a", { href: `/admin/surveys/${s.id}/lagesbild`, "aria-label": t.lagesbild(name) }, t.lagesbildShort)
        : null,
      s.status === "published"
        ? element("a", { href: `/admin/invitations?survey=${s.id}`, "aria-label": t.invitations(name) }, t.invitationsShort)
        : null,
    );
    return element(
      "tr",
      {},
      element("th", { scope: "row" }, s.title[lang] ?? s.title.sv),
      element("td", {}, s.round),
      element("td", {}, element("span", { class: `tag tag-${s.status}` }, t.status[s.status] ?? s.status)),
      element("td", {}, localDate(s.opens_on, lang)),
      element("td", {}, s.closes_on ? localDate(s.closes_on, lang) : t.noClose),
      element("td", { class: "number" }, String(s.responses)),
      element("td", {}, links),
    );
  });
  return element("table", {}, element("caption", {}, t.caption), element("thead", {}, head), element("tbody", {}, ...rows));
}

async function createForm(ctx) {
  const { t, lang } = ctx;
  const slug = field({ id: "new-slug", label: t.slug, hint: t.slugHint, autocomplete: "off" });
  const round = field({ id: "new-round", label: t.round, hint: t.roundHint, autocomplete: "off" });
  const titleSv = field({ id: "new-title-sv", label: t.titleSv, autocomplete: "off" });
  const titleEn = field({ id: "new-title-en", label: t.titleEn, autocomplete: "off", required: false });
  titleEn.input.lang = "en";
  const { ok, data } = await ctx.api("GET", "/question-bank");
  const bank = ok ? data.questions : [];
  const byTopic = new Map();
  bank.forEach((entry, index) => {
    if (!byTopic.has(entry.topic)) byTopic.set(entry.topic, []);
    byTopic.get(entry.topic).push({ entry, index });
  });
  const boxes = [];
  const groups = [...byTopic].map(([topic, entries]) =>
    element(
      "fieldset",
      { class: "bank-topic" },
      element("legend", {}, t.topics[topic] ?? topic),
      ...entries.map(({ entry, index }) => {
        const id = `bank-${index}`;
        const box = element("input", { type: "checkbox", id, value: String(index), checked: true });
        boxes.push(box);
        return element(
          "div",
          { class: "check" },
          box,
          element("label", { for: id }, entry.question.text[lang] ?? entry.question.text.sv, " ", element("span", { class: "key" }, `(${entry.question.key})`)),
        );
      }),
    ),
  );
  const bankSet = element("fieldset", { id: "new-questions", class: "bank", tabindex: "-1" }, element("legend", {}, t.bankLegend), ...groups);
  const form = element(
    "form",
    { class: "stack wide", novalidate: true, "aria-labelledby": "create-heading" },
    slug.wrapper, round.wrapper, titleSv.wrapper, titleEn.wrapper, bankSet,
    element("button", { type: "submit", class: "button" }, t.create),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const picked = boxes.filter((b) => b.checked).map((b) => bank[Number(b.value)].question);
    if (picked.length === 0) {
      showErrors(form, t.fixTitle, [{ input: bankSet, message: t.pickOne }]);
      return;
    }
    const title = { sv: titleSv.input.value.trim() };
    if (titleEn.input.value.trim() !== "") title.en = titleEn.input.value.trim();
    const definition = {
      slug: slug.input.value.trim(),
      round: round.input.value.trim(),
      title,
      opens_on: new Date().toISOString().slice(0, 10),
      questions: picked,
    };
    const response = await ctx.api("POST", "/surveys", { definition });
    if (response.ok) {
      history.pushState(null, "", `/admin/surveys/${response.data.id}`);
      await ctx.rerender();
      document.getElementById("main").focus();
      return;
    }
    const inputs = {
      "definition.slug": slug.input,
      "definition.round": round.input,
      "definition.title.sv": titleSv.input,
      "definition.title.en": titleEn.input,
      "definition.questions": bankSet,
    };
    showErrors(form, t.fixTitle, apiErrors(ctx, response, (path) => inputs[path] ?? null));
  });
  return element("section", { "aria-labelledby": "create-heading" }, element("h2", { id: "create-heading" }, t.createHeading), element("p", {}, t.createLead), form);
}
