// Medborgarlöften: each promise with its countable activities, their targets,
// derived status and progress bars, and a form per activity to record progress
// (date, amount, a short public text, an optional internal note). A police
// partner records progress here, often on a phone.
import { card, element, fetchList, field, showErrors } from "../dom.js";
import { fieldError, formatDate, heldNotice, pick, reviewNote, stylesheet, textArea, today } from "../action.js";

export const title = { sv: "Medborgarlöften", en: "Citizen promises" };

export const messages = {
  sv: {
    heading: "Medborgarlöften",
    lead: "Löftena som kommunen och polisen har gett, med aktiviteternas mål och hur långt de har kommit. Status räknas fram: klart när målet är nått, efter plan när framstegen släpar efter tiden som gått (eller förfallodagen har passerat), annars i rätt takt.",
    empty: "Det finns inga medborgarlöften ännu.",
    failedLoad: "Det gick inte att hämta löftena.",
    status: { on_track: "I rätt takt", behind: "Efter plan", done: "Klart" },
    statusLabel: "Status",
    period: "Period",
    parties: "Parter",
    effect: "Förväntad effekt",
    activities: "Aktiviteter",
    progressOf: (achieved, target, unit) => `${achieved} av ${target} ${unit}`,
    owner: "Ansvarig",
    due: "Klart senast",
    latest: "Senaste framsteg",
    none: "Inga framsteg registrerade ännu.",
    addProgress: "Registrera framsteg",
    addProgressFor: (activity) => `Registrera framsteg för ${activity}`,
    on: "Datum då arbetet gjordes",
    onHint: "Inte ett kommande datum.",
    amount: "Antal",
    amountHint: (unit) => `Hur många ${unit} som tillkommer. Skriv 0 för en uppdatering utan antal.`,
    text: "Kort offentlig text",
    textHint: "Visas på den offentliga sidan. Högst 280 tecken, inga namn på personer. En text som ser ut att innehålla personuppgifter visas först när en moderator har granskat den.",
    note: "Intern anteckning (valfri)",
    noteHint: "Visas bara för personal.",
    save: "Spara framsteg",
    saved: (activity, achieved, target) => `Framsteget har sparats för ${activity}: nu ${achieved} av ${target}.`,
    onMissing: "Välj datum.",
    onFuture: "Datumet kan inte vara i framtiden.",
    amountInvalid: "Skriv ett heltal, 0 eller mer.",
    textMissing: "Skriv en kort text om vad som gjordes.",
    textLong: "Texten får vara högst 280 tecken.",
  },
  en: {
    heading: "Citizen promises",
    lead: "The promises the municipality and the police have made, with each activity's target and how far it has come. The status is derived: done when the target is reached, behind when progress lags the time that has passed (or the due date has gone by), otherwise on track.",
    empty: "There are no citizen promises yet.",
    failedLoad: "The promises could not be loaded.",
    status: { on_track: "On track", behind: "Behind", done: "Done" },
    statusLabel: "Status",
    period: "Period",
    parties: "Parties",
    effect: "Expected effect",
    activities: "Activities",
    progressOf: (achieved, target, unit) => `${achieved} of ${target} ${unit}`,
    owner: "Responsible",
    due: "Due",
    latest: "Latest progress",
    none: "No progress recorded yet.",
    addProgress: "Record progress",
    addProgressFor: (activity) => `Record progress for ${activity}`,
    on: "Date the work was done",
    onHint: "Not a future date.",
    amount: "Amount",
    amountHint: (unit) => `How many ${unit} it adds. Enter 0 for an update without a count.`,
    text: "Short public text",
    textHint: "Shown on the public page. At most 280 characters, no names of people. A text that seems to contain personal data shows only once a moderator has reviewed it.",
    note: "Internal note (optional)",
    noteHint: "Shown to staff only.",
    save: "Save progress",
    saved: (activity, achieved, target) => `Progress saved for ${activity}: now ${achieved} of ${target}.`,
    onMissing: "Choose a date.",
    onFuture: "The date cannot be in the future.",
    amountInvalid: "Enter a whole number, 0 or more.",
    textMissing: "Write a short text about what was done.",
    textLong: "The text may be at most 280 characters.",
  },
};

export async function render(main, ctx) {
  stylesheet("/css/action.css");
  const { t } = ctx;
  const status = element("div", { role: "status", "aria-live": "polite", id: "promises-status" });
  const list = element("div", {});
  main.append(element("h1", {}, t.heading), element("p", {}, t.lead), status, list);

  async function refresh() {
    const data = await fetchList(ctx, "/promises", "promises", (node) => list.replaceChildren(node));
    if (!data) return;
    list.replaceChildren(element("ul", { class: "cards" }, ...data.promises.map((p) => promiseCard(ctx, p, status, refresh))));
  }
  await refresh();
}

function promiseCard(ctx, p, status, refresh) {
  const { t, lang } = ctx;
  const headingId = `promise-${p.id}`;
  return card(
    headingId,
    element(
      "div",
      { class: "card-head" },
      element("h2", { id: headingId }, pick(p.title, lang)),
      element("span", { class: `status status-${p.status}` }, `${t.statusLabel}: ${t.status[p.status]}`),
    ),
    element("p", { class: "meta" }, `${t.period}: ${formatDate(p.starts_on, lang)} – ${formatDate(p.ends_on, lang)} · ${t.parties}: ${p.parties.join(", ")}`),
    element("p", {}, element("strong", {}, `${t.effect}: `), pick(p.expected_effect, lang)),
    element("h3", {}, t.activities),
    element("ul", { class: "cards" }, ...p.activities.map((a) => activityCard(ctx, a, status, refresh))),
  );
}

function activityCard(ctx, a, status, refresh) {
  const { t, lang } = ctx;
  const name = pick(a.title, lang);
  const id = `activity-${a.id}`;
  const shown = Math.min(a.achieved, a.target);
  const latest = [...a.progress].sort((x, y) => (x.on < y.on ? 1 : -1)).slice(0, 3);
  const canAdd = ctx.session.permissions.includes("add_progress");
  return element(
    "li",
    { class: "card activity" },
    element(
      "div",
      { class: "card-head" },
      element("h4", { id }, name),
      element("span", { class: `status status-${a.status}` }, t.status[a.status]),
    ),
    element("progress", { max: String(a.target), value: String(shown), "aria-labelledby": id, "aria-describedby": `${id}-count` }),
    element("p", { id: `${id}-count`, class: "meta" }, `${t.progressOf(a.achieved, a.target, a.unit)} · ${t.owner}: ${a.owner} · ${t.due}: ${formatDate(a.due_on, lang)}`),
    element("p", { class: "meta" }, `${t.latest}:`),
    latest.length === 0
      ? element("p", {}, t.none)
      : element(
          "ul",
          { class: "updates" },
          ...latest.map((e) => element("li", {}, element("time", { datetime: e.on }, formatDate(e.on, lang)), ` – ${e.text} (+${e.amount})`, reviewNote(lang, e))),
        ),
    canAdd ? progressForm(ctx, a, name, status, refresh) : null,
  );
}

// The form sits in a disclosure so a list of many activities stays short on a phone.
function progressForm(ctx, a, name, status, refresh) {
  const { t } = ctx;
  const base = `progress-${a.id}`;
  const on = field({ id: `${base}-on`, label: t.on, type: "date", hint: t.onHint });
  on.input.value = today();
  on.input.max = today();
  const amount = field({ id: `${base}-amount`, label: t.amount, type: "number", inputmode: "numeric", hint: t.amountHint(a.unit) });
  amount.input.min = "0";
  amount.input.step = "1";
  amount.input.value = "1";
  const text = textArea({ id: `${base}-text`, label: t.text, hint: t.textHint, maxlength: 280 });
  const note = textArea({ id: `${base}-note`, label: t.note, hint: t.noteHint, required: false, rows: 2 });
  const button = element("button", { type: "submit", class: "button" }, t.save);
  const form = element("form", { class: "stack", novalidate: true, "aria-label": t.addProgressFor(name) }, on.wrapper, amount.wrapper, text.wrapper, note.wrapper, button);
  const details = element("details", { class: "action" }, element("summary", {}, t.addProgress, element("span", { class: "visually-hidden" }, ` – ${name}`)), form);
  const inputs = { on: on.input, amount: amount.input, text: text.input, note: note.input };
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const errors = [];
    if (on.input.value === "") errors.push({ input: on.input, message: t.onMissing });
    else if (on.input.value > today()) errors.push({ input: on.input, message: t.onFuture });
    if (!/^\d+$/.test(amount.input.value.trim())) errors.push({ input: amount.input, message: t.amountInvalid });
    if (text.input.value.trim() === "") errors.push({ input: text.input, message: t.textMissing });
    else if ([...text.input.value.trim()].length > 280) errors.push({ input: text.input, message: t.textLong });
    if (errors.length > 0) {
      showErrors(form, t.fixTitle, errors);
      return;
    }
    button.disabled = true;
    const body = { on: on.input.value, amount: Number(amount.input.value.trim()), text: text.input.value.trim() };
    if (note.input.value.trim() !== "") body.note = note.input.value.trim();
    const { ok, data } = await ctx.api("POST", `/activities/${a.id}/progress`, body);
    button.disabled = false;
    if (!ok) {
      showErrors(form, t.fixTitle, [fieldError(data, inputs, t.failed)]);
      return;
    }
    await refresh();
    const entry = data.progress?.[data.progress.length - 1];
    status.replaceChildren(element("p", { class: "notice" }, t.saved(name, data.achieved, data.target)), heldNotice(ctx.lang, entry) ?? "");
    status.setAttribute("tabindex", "-1");
    status.focus();
  });
  return details;
}
