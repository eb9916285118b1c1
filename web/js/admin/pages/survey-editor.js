// The survey editor, /admin/surveys/<id>: the survey's texts and questions of
// every kind (options, required, background, map categories, order), a
// preview on the resident page, publishing with dates and a new round.
//
// The definition is kept as the import format the API speaks and every input
// writes straight into it; structural changes (add, remove, move) redraw the
// questions. Each input's id is made from its path in the definition
// (`questions[2].options[1].label.sv` -> `f-questions-2-options-1-label-sv`),
// so an API error's `field` finds the input it names.
import { element, showErrors } from "../dom.js";
import { errorLabel, errorText } from "../../labels.js";

const KINDS = ["single_choice", "multiple_choice", "number", "free_text", "map"];
const BACKGROUNDS = ["", "area", "gender", "age_band"];

export const editorMessages = {
  sv: {
    back: "Alla enkäter",
    editorHeading: (name) => `Enkät: ${name}`,
    statusLine: (status, responses) => `Status: ${status}. Svar hittills: ${responses}.`,
    draftNote: "Utkastet syns inte för invånare förrän det publiceras. Allt kan ändras.",
    publishedNote: "Enkäten är publicerad och har svar som ska kunna jämföras. Du kan rätta texter, ändra datum och lägga till svarsalternativ. Frågor kan inte läggas till, tas bort, flyttas eller byta typ, nycklar kan inte ändras och svarsalternativ kan inte tas bort.",
    basics: "Om enkäten",
    slug: "Adress (kortnamn)",
    round: "Omgång",
    titleSv: "Rubrik på svenska",
    titleEn: "Rubrik på engelska",
    introSv: "Inledning på svenska",
    introEn: "Inledning på engelska",
    retention: "Gallring efter stängning (dagar)",
    retentionHint: "Fritext och exakta platser tas bort så här många dagar efter att enkäten stängt. Lämna tomt för att inte gallra automatiskt.",
    questions: "Frågor",
    question: (n, key) => `Fråga ${n}: ${key}`,
    key: "Nyckel",
    keyHint: "Små bokstäver, siffror och understreck. Samma nyckel i två omgångar betyder samma fråga.",
    kind: "Typ av fråga",
    kinds: { single_choice: "Ett svarsalternativ", multiple_choice: "Flera svarsalternativ", number: "Tal", free_text: "Fritext", map: "Karta med platser" },
    textSv: "Frågetext på svenska",
    textEn: "Frågetext på engelska",
    helpSv: "Hjälptext på svenska",
    helpEn: "Hjälptext på engelska",
    sectionSv: "Ny sektion börjar här: rubrik på svenska",
    sectionEn: "Sektionens rubrik på engelska",
    required: "Svar krävs",
    background: "Bakgrundsvariabel",
    backgrounds: { "": "Ingen", area: "Område", gender: "Kön", age_band: "Åldersgrupp" },
    scale: "Alternativen är en ordnad skala",
    maxChoices: "Högst antal val",
    min: "Minsta värde",
    max: "Största värde",
    integer: "Bara heltal",
    maxLength: "Högst antal tecken",
    maxPins: "Högst antal platser per person",
    options: "Svarsalternativ",
    categories: "Kategorier på kartan",
    option: (n) => `Alternativ ${n}`,
    category: (n) => `Kategori ${n}`,
    optionKey: "Nyckel",
    labelSv: "Text på svenska",
    labelEn: "Text på engelska",
    dontKnow: "Är ”vet ej”",
    addOption: "Lägg till svarsalternativ",
    addCategory: "Lägg till kategori",
    removeOption: (n) => `Ta bort alternativ ${n}`,
    removeQuestion: (key) => `Ta bort frågan ${key}`,
    moveUp: (key) => `Flytta upp frågan ${key}`,
    moveDown: (key) => `Flytta ned frågan ${key}`,
    remove: "Ta bort",
    up: "Upp",
    down: "Ned",
    addHeading: "Lägg till frågor",
    addKind: "Ny fråga av typen",
    addQuestion: "Lägg till fråga",
    fromBank: "Fråga ur frågebanken",
    addFromBank: "Lägg till från frågebanken",
    inSurvey: "finns redan",
    save: "Spara ändringar",
    saved: "Ändringarna är sparade.",
    preview: "Förhandsvisa som invånare",
    previewHint: "Öppnar enkäten som invånarna ser den, med det som senast sparades. Inga svar skickas.",
    publishHeading: "Publicera",
    publishLead: "När enkäten är publicerad kan invånarna svara mellan datumen.",
    opensOn: "Öppnar (datum)",
    closesOn: "Stänger (datum)",
    dateHint: "ÅÅÅÅ-MM-DD",
    publish: "Publicera enkäten",
    published: "Enkäten är publicerad.",
    residentLink: "Invånarnas sida",
    roundHeading: "Ny omgång",
    roundLead: "Kopierar enkäten till ett nytt utkast med samma frågor och nycklar.",
    newRound: "Skapa ny omgång",
    deleteDraft: "Ta bort utkastet",
    deleted: "Utkastet är borttaget.",
    unsaved: "Spara ändringarna först.",
    failedEditor: "Det gick inte att hämta enkäten.",
    errorCodes: {
      required: "Fältet måste fyllas i.",
      breaks_comparability: "Ändringen går inte att göra i en publicerad enkät, eftersom svaren då inte går att jämföra.",
      invalid_date: "Skriv datumet som ÅÅÅÅ-MM-DD.",
      invalid_dates: "Stängningsdatumet måste komma efter öppningsdatumet.",
      invalid_slug: "Adressen får bara ha små bokstäver, siffror och bindestreck.",
      invalid_key: "Nyckeln får bara ha små bokstäver, siffror och understreck och måste börja med en bokstav.",
      duplicate_key: "Nyckeln finns redan.",
      conflict: "Det finns redan något med det värdet.",
      out_of_range: "Värdet ligger utanför det tillåtna.",
      too_long: "Texten är för lång.",
      invalid_definition: "Värdet har fel form.",
    },
  },
  en: {
    back: "All surveys",
    editorHeading: (name) => `Survey: ${name}`,
    statusLine: (status, responses) => `Status: ${status}. Responses so far: ${responses}.`,
    draftNote: "Residents cannot see a draft until it is published. Everything can be changed.",
    publishedNote: "This survey is published and has answers that must stay comparable. You can correct texts, change dates and add options. Questions cannot be added, removed, moved or change kind, keys cannot change and options cannot be removed.",
    basics: "About the survey",
    slug: "Address (short name)",
    round: "Round",
    titleSv: "Title in Swedish",
    titleEn: "Title in English",
    introSv: "Introduction in Swedish",
    introEn: "Introduction in English",
    retention: "Retention after closing (days)",
    retentionHint: "Free text and exact places are deleted this many days after the survey closes. Leave empty for no automatic deletion.",
    questions: "Questions",
    question: (n, key) => `Question ${n}: ${key}`,
    key: "Key",
    keyHint: "Lower-case letters, digits and underscores. The same key in two rounds means the same question.",
    kind: "Kind of question",
    kinds: { single_choice: "One option", multiple_choice: "Several options", number: "Number", free_text: "Free text", map: "Map with places" },
    textSv: "Question text in Swedish",
    textEn: "Question text in English",
    helpSv: "Help text in Swedish",
    helpEn: "Help text in English",
    sectionSv: "A new section starts here: heading in Swedish",
    sectionEn: "Section heading in English",
    required: "Answer required",
    background: "Background variable",
    backgrounds: { "": "None", area: "Area", gender: "Gender", age_band: "Age band" },
    scale: "The options are an ordered scale",
    maxChoices: "Most choices",
    min: "Smallest value",
    max: "Largest value",
    integer: "Whole numbers only",
    maxLength: "Most characters",
    maxPins: "Most places per person",
    options: "Options",
    categories: "Map categories",
    option: (n) => `Option ${n}`,
    category: (n) => `Category ${n}`,
    optionKey: "Key",
    labelSv: "Text in Swedish",
    labelEn: "Text in English",
    dontKnow: "Is “don't know”",
    addOption: "Add option",
    addCategory: "Add category",
    removeOption: (n) => `Remove option ${n}`,
    removeQuestion: (key) => `Remove question ${key}`,
    moveUp: (key) => `Move question ${key} up`,
    moveDown: (key) => `Move question ${key} down`,
    remove: "Remove",
    up: "Up",
    down: "Down",
    addHeading: "Add questions",
    addKind: "New question of kind",
    addQuestion: "Add question",
    fromBank: "Question from the question bank",
    addFromBank: "Add from the question bank",
    inSurvey: "already in the survey",
    save: "Save changes",
    saved: "The changes are saved.",
    preview: "Preview as a resident",
    previewHint: "Opens the survey as residents see it, as last saved. No answers are sent.",
    publishHeading: "Publish",
    publishLead: "Once published, residents can answer between the dates.",
    opensOn: "Opens (date)",
    closesOn: "Closes (date)",
    dateHint: "YYYY-MM-DD",
    publish: "Publish the survey",
    published: "The survey is published.",
    residentLink: "Residents' page",
    roundHeading: "New round",
    roundLead: "Copies the survey into a new draft with the same questions and keys.",
    newRound: "Create new round",
    deleteDraft: "Delete the draft",
    deleted: "The draft is deleted.",
    unsaved: "Save the changes first.",
    failedEditor: "The survey could not be loaded.",
    errorCodes: {},
  },
};

// A day as the page's language writes it.
export function localDate(iso, lang) {
  return new Intl.DateTimeFormat(lang === "sv" ? "sv-SE" : "en-GB", { dateStyle: "medium", timeZone: "UTC" }).format(new Date(`${iso}T12:00:00Z`));
}

// The id of the input for a path in the definition.
function idFor(path) {
  return `f-${path.replace(/\[(\d+)\]/g, ".$1").replace(/\./g, "-")}`;
}

// An API error as the errors showErrors takes: the message next to the input
// the error's `field` names (or the nearest enclosing one), in the page's
// language where the code is known, with the server's words as detail.
export function apiErrors(ctx, response, resolve) {
  const { t } = ctx;
  const data = response.data ?? {};
  const known = t.errorCodes?.[data.error] ?? errorLabel(data.error, ctx.lang);
  const message = known ? `${known} (${data.message})` : data.message ?? t.failed;
  let path = data.field ?? "";
  let input = null;
  while (path !== "" && !(input = resolve(path))) {
    const shorter = path.replace(/(\.[^.[]*|\[\d+\])$/, "");
    path = shorter === path ? "" : shorter;
  }
  return [{ input, message }];
}

export async function render(main, ctx, id) {
  const { t } = ctx;
  const loaded = await ctx.api("GET", `/surveys/${encodeURIComponent(id)}`);
  const back = element("p", {}, element("a", { href: "/admin/surveys" }, t.back));
  if (!loaded.ok) {
    main.append(back, element("h1", {}, t.notFound), element("p", { role: "alert" }, t.failedEditor));
    return;
  }
  const editable = ctx.session.permissions.includes("edit_surveys");
  const state = { survey: loaded.data, definition: structuredClone(loaded.data.definition), dirty: false };
  state.original = loaded.data.definition;
  const bank = editable ? await ctx.api("GET", "/question-bank") : { ok: false };
  state.bank = bank.ok ? bank.data.questions : [];
  const status = element("div", { role: "status", "aria-live": "polite", id: "editor-status" });
  const body = element("div", {});
  main.append(back, element("h1", { id: "editor-heading" }), status, body);
  draw(main, body, ctx, state, status, editable);
}

function say(status, text) {
  status.replaceChildren(element("p", { class: "notice" }, text));
}

function draw(main, body, ctx, state, status, editable) {
  const { t, lang } = ctx;
  const { survey, definition } = state;
  const published = survey.status === "published";
  const locked = published || !editable;
  main.querySelector("#editor-heading").textContent = t.editorHeading(`${definition.title[lang] ?? definition.title.sv} ${definition.round}`);

  const form = element("form", { class: "editor", novalidate: true, id: "editor-form", "aria-labelledby": "editor-heading" });
  const set = (path, value) => {
    setPath(definition, path, value);
    state.dirty = true;
  };
  const redraw = (focusId) => {
    state.dirty = true;
    draw(main, body, ctx, state, status, editable);
    const target = focusId ? document.getElementById(focusId) : null;
    target?.focus();
    // A new question's or option's key is a placeholder: typing replaces it.
    if (target?.tagName === "INPUT" && target.type === "text") target.select();
  };

  form.append(
    element("p", {}, t.statusLine(t.status?.[survey.status] ?? survey.status, survey.responses)),
    element("p", { class: published ? "notice locked" : "hint" }, published ? t.publishedNote : t.draftNote),
    element(
      "fieldset",
      { class: "group" },
      element("legend", {}, t.basics),
      text(ctx, "slug", t.slug, definition.slug, set, { readonly: published || !editable }),
      text(ctx, "round", t.round, definition.round, set, { readonly: !editable }),
      localized(ctx, "title", [t.titleSv, t.titleEn], definition.title, set, !editable),
      localized(ctx, "intro", [t.introSv, t.introEn], definition.intro, set, !editable, { multiline: true, optional: true }),
      text(ctx, "retention_days", t.retention, state.survey.retention_days ?? "", (_, v) => {
        state.retention = v;
        state.dirty = true;
      }, { type: "number", hint: t.retentionHint, readonly: !editable, optional: true, inputmode: "numeric" }),
    ),
  );

  const list = element("ol", { class: "questions" });
  definition.questions.forEach((q, i) => {
    // A published survey keeps its questions in place, so the stored copy at
    // the same index tells which options are new (and may still go).
    const stored = published ? state.original.questions[i] : null;
    const kept = (stored?.options ?? stored?.categories ?? []).length;
    list.append(element("li", {}, questionEditor(ctx, q, i, definition, set, redraw, { locked, published, editable, kept })));
  });
  form.append(element("h2", {}, t.questions), list);

  if (!locked) form.append(addQuestions(ctx, state, definition, redraw));
  if (editable) {
    const save = element("button", { type: "submit", class: "button", id: "editor-save" }, t.save);
    form.append(element("div", { class: "actions" }, save));
  }
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const payload = { definition };
    const days = state.retention ?? state.survey.retention_days;
    if (days !== undefined && days !== null && String(days).trim() !== "") payload.retention_days = Number(days);
    const response = await ctx.api("PUT", `/surveys/${state.survey.id}`, payload);
    if (response.ok) {
      state.survey = response.data;
      state.definition = structuredClone(response.data.definition);
      state.original = response.data.definition;
      state.dirty = false;
      draw(main, body, ctx, state, status, editable);
      say(status, t.saved);
      // The form was drawn anew; focus stays where the person pressed.
      document.getElementById("editor-save")?.focus();
      return;
    }
    showErrors(form, t.fixTitle, apiErrors(ctx, response, (path) => document.getElementById(idFor(path.replace(/^definition\.?/, "") || "definition"))));
  });

  const sections = [form, previewSection(ctx, state)];
  if (editable && !published) sections.push(publishSection(ctx, state, main, body, status, editable));
  if (editable) sections.push(roundSection(ctx, state));
  if (editable && !published) sections.push(deleteSection(ctx, state, status));
  body.replaceChildren(...sections);
}

function setPath(object, path, value) {
  const parts = path.replace(/\[(\d+)\]/g, ".$1").split(".");
  let node = object;
  for (const part of parts.slice(0, -1)) {
    if (node[part] === undefined || node[part] === null) node[part] = {};
    node = node[part];
  }
  const last = parts[parts.length - 1];
  if (value === undefined) delete node[last];
  else node[last] = value;
}

// A labelled text (or number) input bound to `path`.
function text(ctx, path, label, value, set, { type = "text", hint, readonly = false, optional = false, multiline = false, inputmode, lang, parse } = {}) {
  const id = idFor(path);
  const hintId = hint ? `${id}-hint` : null;
  const input = element(multiline ? "textarea" : "input", {
    id, name: id, type: multiline ? null : type, readonly, required: !optional, inputmode, lang,
    "aria-describedby": hintId, rows: multiline ? 3 : null,
  });
  input.value = value ?? "";
  input.addEventListener("input", () => {
    const raw = input.value;
    set(path, parse ? parse(raw) : raw);
  });
  return element("div", { class: "field" }, element("label", { for: id }, label), hint ? element("p", { class: "hint", id: hintId }, hint) : null, input);
}

// Swedish and English inputs for a localized text; English and, when
// `optional`, the whole text may be left empty.
function localized(ctx, path, [labelSv, labelEn], value, set, readonly, { multiline = false, optional = false } = {}) {
  const current = { ...(value ?? {}) };
  const write = (language) => (_, raw) => {
    if (language === "en" && raw === "") delete current.en;
    else current[language] = raw;
    if (optional && (current.sv ?? "") === "" && current.en === undefined) set(path, undefined);
    else set(path, { ...current });
  };
  const sv = text(ctx, `${path}.sv`, labelSv, current.sv, write("sv"), { readonly, optional, multiline, lang: "sv" });
  const en = text(ctx, `${path}.en`, labelEn, current.en, write("en"), { readonly, optional: true, multiline, lang: "en" });
  return element("div", { class: "pair" }, sv, en);
}

function checkbox(path, label, checked, set, disabled) {
  const id = idFor(path);
  const input = element("input", { type: "checkbox", id, name: id, checked: Boolean(checked), disabled });
  input.addEventListener("change", () => set(path, input.checked));
  return element("div", { class: "check" }, input, element("label", { for: id }, label));
}

function select(path, label, value, choices, onChange, disabled) {
  const id = idFor(path);
  const input = element("select", { id, name: id, disabled }, ...choices.map(([key, name]) => element("option", { value: key, selected: key === (value ?? "") }, name)));
  input.addEventListener("change", () => onChange(input.value));
  return element("div", { class: "field" }, element("label", { for: id }, label), input);
}

// What a new question of each kind starts with.
function blank(kind, n) {
  const base = { key: `fraga_${n}`, kind, text: { sv: "" }, required: false };
  const option = (i) => ({ key: `alt_${i}`, label: { sv: "" } });
  if (kind === "single_choice" || kind === "multiple_choice") return { ...base, options: [option(1), option(2)] };
  if (kind === "map") return { ...base, key: `platser_${n}`, categories: [option(1)], max_pins: 20 };
  if (kind === "free_text") return { ...base, max_length: 2000 };
  return base;
}

// Moves a question to another kind, keeping its key and texts.
function rekind(q, kind) {
  const { key, text: words, help, section, required, background } = q;
  const options = q.options ?? q.categories;
  const fresh = { ...blank(kind, 0), key, text: words, required };
  if (help) fresh.help = help;
  if (section) fresh.section = section;
  if (background && kind === "single_choice") fresh.background = background;
  if (options && (kind === "single_choice" || kind === "multiple_choice")) fresh.options = options.map(({ key: k, label }) => ({ key: k, label }));
  if (options && kind === "map") fresh.categories = options.map(({ key: k, label }) => ({ key: k, label }));
  return fresh;
}

function questionEditor(ctx, q, i, definition, set, redraw, { locked, published, editable, kept }) {
  const { t } = ctx;
  const at = `questions[${i}]`;
  const legendId = `${idFor(at)}-legend`;
  const parts = [
    element("legend", { id: legendId }, t.question(i + 1, q.key)),
    text(ctx, `${at}.key`, t.key, q.key, set, { hint: t.keyHint, readonly: locked }),
    select(`${at}.kind`, t.kind, q.kind, KINDS.map((k) => [k, t.kinds[k]]), (kind) => {
      definition.questions[i] = rekind(q, kind);
      redraw(idFor(`${at}.kind`));
    }, locked),
    localized(ctx, `${at}.text`, [t.textSv, t.textEn], q.text, set, !editable, { multiline: true }),
    localized(ctx, `${at}.help`, [t.helpSv, t.helpEn], q.help, set, !editable, { multiline: true, optional: true }),
    localized(ctx, `${at}.section`, [t.sectionSv, t.sectionEn], q.section, set, !editable, { optional: true }),
    checkbox(`${at}.required`, t.required, q.required, set, locked),
  ];
  if (q.kind === "single_choice") {
    parts.push(
      select(`${at}.background`, t.background, q.background, BACKGROUNDS.map((b) => [b, t.backgrounds[b]]), (value) => {
        set(`${at}.background`, value === "" ? undefined : value);
      }, locked),
      checkbox(`${at}.scale`, t.scale, q.scale, set, locked),
    );
  }
  const number = (raw) => (raw === "" ? undefined : Number(raw));
  if (q.kind === "multiple_choice") parts.push(text(ctx, `${at}.max_choices`, t.maxChoices, q.max_choices, set, { type: "number", optional: true, readonly: locked, parse: number, inputmode: "numeric" }));
  if (q.kind === "number") {
    parts.push(
      text(ctx, `${at}.min`, t.min, q.min, set, { type: "number", optional: true, readonly: locked, parse: number }),
      text(ctx, `${at}.max`, t.max, q.max, set, { type: "number", optional: true, readonly: locked, parse: number }),
      checkbox(`${at}.integer`, t.integer, q.integer, set, locked),
    );
  }
  if (q.kind === "free_text") parts.push(text(ctx, `${at}.max_length`, t.maxLength, q.max_length, set, { type: "number", optional: true, readonly: locked, parse: number, inputmode: "numeric" }));
  if (q.kind === "map") parts.push(text(ctx, `${at}.max_pins`, t.maxPins, q.max_pins, set, { type: "number", optional: true, readonly: locked, parse: number, inputmode: "numeric" }));
  if (q.options) parts.push(optionsEditor(ctx, q, `${at}.options`, q.options, set, redraw, { published, editable, kept, choice: true }));
  if (q.categories) parts.push(optionsEditor(ctx, q, `${at}.categories`, q.categories, set, redraw, { published, editable, kept, choice: false }));
  if (!locked) {
    const button = (label, aria, onClick, disabled) => {
      const b = element("button", { type: "button", class: "button secondary small", "aria-label": aria, disabled }, label);
      b.addEventListener("click", onClick);
      return b;
    };
    const moveTo = (j) => () => {
      const [moved] = definition.questions.splice(i, 1);
      definition.questions.splice(j, 0, moved);
      redraw(`${idFor(`questions[${j}]`)}-${j < i ? "up" : "down"}`);
    };
    const up = button(t.up, t.moveUp(q.key), moveTo(i - 1), i === 0);
    up.id = `${idFor(at)}-up`;
    const down = button(t.down, t.moveDown(q.key), moveTo(i + 1), i === definition.questions.length - 1);
    down.id = `${idFor(at)}-down`;
    const remove = button(t.remove, t.removeQuestion(q.key), () => {
      definition.questions.splice(i, 1);
      redraw("add-kind");
    });
    parts.push(element("div", { class: "actions" }, up, down, remove));
  }
  return element("fieldset", { class: "question", id: idFor(at), tabindex: "-1" }, ...parts);
}

// The options of a choice question or the categories of a map question. A
// published survey may add options and correct their texts, never remove one.
function optionsEditor(ctx, q, path, options, set, redraw, { published, editable, kept, choice }) {
  const { t } = ctx;
  const rows = options.map((option, j) => {
    const at = `${path}[${j}]`;
    const isNew = published && j >= kept;
    const row = [
      element("legend", {}, choice ? t.option(j + 1) : t.category(j + 1)),
      text(ctx, `${at}.key`, t.optionKey, option.key, set, { readonly: !editable || (published && !isNew) }),
      localized(ctx, `${at}.label`, [t.labelSv, t.labelEn], option.label, set, !editable),
    ];
    if (choice) row.push(checkbox(`${at}.dont_know`, t.dontKnow, option.dont_know, set, !editable || (published && !isNew)));
    if (editable && (!published || isNew)) {
      const remove = element("button", { type: "button", class: "button secondary small", "aria-label": `${t.removeOption(j + 1)} (${q.key})` }, t.remove);
      remove.addEventListener("click", () => {
        options.splice(j, 1);
        redraw(`${idFor(path)}-add`);
      });
      row.push(remove);
    }
    return element("fieldset", { class: "option", id: idFor(at) }, ...row);
  });
  const add = element("button", { type: "button", class: "button secondary small", id: `${idFor(path)}-add` }, choice ? t.addOption : t.addCategory);
  add.addEventListener("click", () => {
    options.push({ key: `alt_${options.length + 1}`, label: { sv: "" } });
    redraw(idFor(`${path}[${options.length - 1}].key`));
  });
  return element(
    "fieldset",
    { class: "options", id: idFor(path), tabindex: "-1" },
    element("legend", {}, choice ? t.options : t.categories),
    ...rows,
    editable ? add : null,
  );
}

function addQuestions(ctx, state, definition, redraw) {
  const { t, lang } = ctx;
  const kind = element("select", { id: "add-kind" }, ...KINDS.map((k) => element("option", { value: k }, t.kinds[k])));
  const addBlank = element("button", { type: "button", class: "button secondary" }, t.addQuestion);
  addBlank.addEventListener("click", () => {
    definition.questions.push(blank(kind.value, definition.questions.length + 1));
    redraw(idFor(`questions[${definition.questions.length - 1}].key`));
  });
  const keys = new Set(definition.questions.map((q) => q.key));
  const bank = element(
    "select",
    { id: "add-bank" },
    ...state.bank.map((entry, index) =>
      element("option", { value: String(index), disabled: keys.has(entry.question.key) },
        `${entry.question.text[lang] ?? entry.question.text.sv} (${entry.question.key})${keys.has(entry.question.key) ? ` – ${t.inSurvey}` : ""}`)),
  );
  const firstFree = state.bank.findIndex((entry) => !keys.has(entry.question.key));
  if (firstFree >= 0) bank.value = String(firstFree);
  const addBank = element("button", { type: "button", class: "button secondary" }, t.addFromBank);
  addBank.addEventListener("click", () => {
    const entry = state.bank[Number(bank.value)];
    if (!entry || keys.has(entry.question.key)) return;
    definition.questions.push(structuredClone(entry.question));
    redraw(idFor(`questions[${definition.questions.length - 1}].key`));
  });
  return element(
    "section",
    { class: "add-questions", "aria-labelledby": "add-heading" },
    element("h3", { id: "add-heading" }, t.addHeading),
    element("div", { class: "field inline" }, element("label", { for: "add-bank" }, t.fromBank), bank, addBank),
    element("div", { class: "field inline" }, element("label", { for: "add-kind" }, t.addKind), kind, addBlank),
  );
}

function previewSection(ctx, state) {
  const { t } = ctx;
  const { survey } = state;
  const slug = survey.definition.slug;
  const link = element("a", { href: `/s/${encodeURIComponent(slug)}?preview=${survey.id}`, id: "preview-link", class: "button secondary", target: "_blank", rel: "noopener" }, t.preview);
  const items = [element("h2", { id: "preview-heading" }, t.preview), element("p", { class: "hint" }, t.previewHint), link];
  if (survey.status === "published") {
    items.push(element("p", {}, element("a", { href: `/s/${encodeURIComponent(slug)}` }, `${t.residentLink}: /s/${slug}`)));
  }
  return element("section", { "aria-labelledby": "preview-heading" }, ...items);
}

function dateField(id, label, hint, value) {
  const input = element("input", { id, name: id, type: "date", "aria-describedby": `${id}-hint` });
  input.value = value ?? "";
  return { input, wrapper: element("div", { class: "field" }, element("label", { for: id }, label), element("p", { class: "hint", id: `${id}-hint` }, hint), input) };
}

function publishSection(ctx, state, main, body, status, editable) {
  const { t } = ctx;
  const today = new Date().toISOString().slice(0, 10);
  const opens = dateField("publish-opens_on", t.opensOn, t.dateHint, state.definition.opens_on > today ? state.definition.opens_on : today);
  const closes = dateField("publish-closes_on", t.closesOn, t.dateHint, state.definition.closes_on);
  const form = element("form", { class: "stack", novalidate: true, "aria-labelledby": "publish-heading" }, opens.wrapper, closes.wrapper, element("button", { type: "submit", class: "button" }, t.publish));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (state.dirty) {
      showErrors(form, t.fixTitle, [{ message: t.unsaved }]);
      return;
    }
    const payload = { opens_on: opens.input.value };
    if (closes.input.value !== "") payload.closes_on = closes.input.value;
    const response = await ctx.api("POST", `/surveys/${state.survey.id}/publish`, payload);
    if (response.ok) {
      state.survey = response.data;
      state.definition = structuredClone(response.data.definition);
      state.original = response.data.definition;
      draw(main, body, ctx, state, status, editable);
      say(status, t.published);
      // The publishing form is gone; the heading leads to what changed.
      main.querySelector("#editor-heading").setAttribute("tabindex", "-1");
      main.querySelector("#editor-heading").focus();
      return;
    }
    const inputs = { opens_on: opens.input, closes_on: closes.input };
    showErrors(form, t.fixTitle, apiErrors(ctx, response, (path) => inputs[path.replace(/^definition\./, "")] ?? null));
  });
  return element("section", { "aria-labelledby": "publish-heading" }, element("h2", { id: "publish-heading" }, t.publishHeading), element("p", {}, t.publishLead), form);
}

function roundSection(ctx, state) {
  const { t } = ctx;
  const plain = (id, label, hint) => {
    const input = element("input", { id, name: id, type: "text", autocomplete: "off", "aria-describedby": hint ? `${id}-hint` : null });
    return { input, wrapper: element("div", { class: "field" }, element("label", { for: id }, label), hint ? element("p", { class: "hint", id: `${id}-hint` }, hint) : null, input) };
  };
  const slug = plain("round-slug", t.slug);
  const round = plain("round-round", t.round);
  const opens = dateField("round-opens_on", t.opensOn, t.dateHint, "");
  const closes = dateField("round-closes_on", t.closesOn, t.dateHint, "");
  const form = element("form", { class: "stack", novalidate: true, "aria-labelledby": "round-heading" }, slug.wrapper, round.wrapper, opens.wrapper, closes.wrapper, element("button", { type: "submit", class: "button" }, t.newRound));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const payload = { slug: slug.input.value.trim(), round: round.input.value.trim() };
    if (opens.input.value) payload.opens_on = opens.input.value;
    if (closes.input.value) payload.closes_on = closes.input.value;
    const response = await ctx.api("POST", `/surveys/${state.survey.id}/rounds`, payload);
    if (response.ok) {
      history.pushState(null, "", `/admin/surveys/${response.data.id}`);
      await ctx.rerender();
      document.getElementById("main").focus();
      return;
    }
    const inputs = { slug: slug.input, round: round.input, opens_on: opens.input, closes_on: closes.input };
    showErrors(form, t.fixTitle, apiErrors(ctx, response, (path) => inputs[path.replace(/^definition\./, "")] ?? null));
  });
  return element("section", { "aria-labelledby": "round-heading" }, element("h2", { id: "round-heading" }, t.roundHeading), element("p", {}, t.roundLead), form);
}

function deleteSection(ctx, state, status) {
  const { t } = ctx;
  const button = element("button", { type: "button", class: "button secondary" }, t.deleteDraft);
  button.addEventListener("click", async () => {
    const response = await ctx.api("DELETE", `/surveys/${state.survey.id}`);
    if (response.ok) {
      history.pushState(null, "", "/admin/surveys");
      await ctx.rerender();
      return;
    }
    say(status, errorText(response.data, ctx.lang, t.failed));
  });
  return element("div", { class: "actions danger" }, button);
}
