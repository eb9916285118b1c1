// Moderation: residents' free text waits here until a moderator approves it,
// redacts part of it or rejects it, with a reason kept. Below it wait the texts
// staff wrote for the public follow-up page (progress texts, walk findings'
// notes) that look like personal data. The server cuts each
// text into segments and flags the ones that look like personal data; they
// are marked in the text, and named in words for screen readers.
import { element, fetchData, showErrors } from "../dom.js";
import { errorLabel } from "../../labels.js";

export const title = { sv: "Granskning", en: "Moderation" };

export const messages = {
  sv: {
    heading: "Granskning av fritext",
    lead: "Kommentarer från invånare visas inte i någon offentlig sammanställning förrän de har granskats. Markerade delar ser ut som personuppgifter; maskera dem eller avvisa kommentaren.",
    show: "Visa",
    filter: "Visa kommentarer som",
    filterName: "Urval",
    survey: "från",
    allSurveys: "alla enkäter",
    flaggedOnly: "bara med markerade personuppgifter",
    statuses: { pending: "väntar", approved: "är godkända", redacted: "är maskerade", rejected: "är avvisade", all: "alla" },
    statusNames: { pending: "Väntar", approved: "Godkänd", redacted: "Maskerad", rejected: "Avvisad" },
    count: (shown, total) => (shown === total ? `${total} kommentarer.` : `Visar ${shown} av ${total} kommentarer.`),
    empty: "Inga kommentarer här.",
    comment: (n) => `Kommentar ${n}`,
    sources: { pin_comment: "Kommentar till en plats på kartan", free_text: "Svar på en fritextfråga", place_comment: "Kommentar till en plats beskriven med ord" },
    contextLine: (source, context, area) => `${source} (${context})${area ? `, område ${area}` : ""}.`,
    flagsLine: (kinds) => `Möjliga personuppgifter: ${kinds}.`,
    noFlags: "Inga automatiska markeringar.",
    flags: { personnummer: "personnummer", phone: "telefonnummer", email: "e-postadress", plate: "registreringsnummer", address: "gatuadress", name: "namn" },
    flagged: (kind) => `(markerat: möjligt ${kind})`,
    statusLine: (status) => `Status: ${status}.`,
    editedLine: "Visas som:",
    reasonLine: (reason) => `Skäl: ${reason}`,
    decision: "Beslut",
    approve: "Godkänn som den är",
    redact: "Maskera delar av texten",
    reject: "Avvisa",
    edited: "Texten som ska visas",
    editedHint: "Förslaget maskerar de markerade delarna. Ändra mer vid behov, eller markera en del av texten och tryck på knappen nedan.",
    redactSelection: "Maskera markerad text",
    reason: "Skäl",
    reasonHint: "Krävs för att maskera eller avvisa, så att beslutet kan förklaras senare.",
    save: "Spara beslut",
    saved: (n) => `Beslutet om kommentar ${n} är sparat.`,
    failedLoad: "Det gick inte att hämta kommentarerna.",
    staffHeading: "Offentliga texter från personal",
    staffLead: "Framstegstexter för medborgarlöften och anteckningar om fynd från trygghetsvandringar visas på den offentliga uppföljningssidan. De som ser ut att innehålla personuppgifter väntar här och visas inte offentligt förrän de har granskats.",
    staffEmpty: "Inga texter från personal väntar.",
    staffCount: (shown, total) => (shown === total ? `${total} texter väntar.` : `Visar ${shown} av ${total} texter som väntar.`),
    staffText: (n) => `Text ${n}`,
    staffSources: { progress_text: "Framstegstext för aktiviteten", finding_note: "Anteckning om ett fynd från vandringen" },
    staffContext: (source, context) => `${source} ”${context}”.`,
    staffSaved: (n) => `Beslutet om text ${n} är sparat.`,
    errorCodes: {
      required: "Fältet måste fyllas i.",
      unchanged: "Texten är oförändrad. Godkänn kommentaren i stället.",
      too_long: "Texten är för lång.",
    },
  },
  en: {
    heading: "Moderation of free text",
    lead: "Residents' comments appear in no public output until they have been reviewed. Marked parts look like personal data; redact them or reject the comment.",
    show: "Show",
    filter: "Show comments that",
    filterName: "Selection",
    survey: "from",
    allSurveys: "all surveys",
    flaggedOnly: "only with marked personal data",
    statuses: { pending: "are waiting", approved: "are approved", redacted: "are redacted", rejected: "are rejected", all: "all" },
    statusNames: { pending: "Waiting", approved: "Approved", redacted: "Redacted", rejected: "Rejected" },
    count: (shown, total) => (shown === total ? `${total} comments.` : `Showing ${shown} of ${total} comments.`),
    empty: "No comments here.",
    comment: (n) => `Comment ${n}`,
    sources: { pin_comment: "Comment on a place on the map", free_text: "Answer to a free-text question", place_comment: "Comment on a place described in words" },
    contextLine: (source, context, area) => `${source} (${context})${area ? `, area ${area}` : ""}.`,
    flagsLine: (kinds) => `Possible personal data: ${kinds}.`,
    noFlags: "No automatic marks.",
    flags: { personnummer: "personal identity number", phone: "phone number", email: "e-mail address", plate: "registration plate", address: "street address", name: "name" },
    flagged: (kind) => `(marked: possible ${kind})`,
    statusLine: (status) => `Status: ${status}.`,
    editedLine: "Shown as:",
    reasonLine: (reason) => `Reason: ${reason}`,
    decision: "Decision",
    approve: "Approve as written",
    redact: "Redact parts of the text",
    reject: "Reject",
    edited: "The text to show",
    editedHint: "The suggestion blanks the marked parts. Change more if needed, or select part of the text and press the button below.",
    redactSelection: "Redact the selected text",
    reason: "Reason",
    reasonHint: "Required to redact or reject, so the decision can be explained later.",
    save: "Save decision",
    saved: (n) => `The decision on comment ${n} is saved.`,
    failedLoad: "The comments could not be loaded.",
    staffHeading: "Public texts from staff",
    staffLead: "Progress texts of citizen promises and notes on safety-walk findings show on the public follow-up page. Those that seem to contain personal data wait here and are not shown publicly until reviewed.",
    staffEmpty: "No texts from staff are waiting.",
    staffCount: (shown, total) => (shown === total ? `${total} texts waiting.` : `Showing ${shown} of ${total} waiting texts.`),
    staffText: (n) => `Text ${n}`,
    staffSources: { progress_text: "Progress text of the activity", finding_note: "Note on a finding of the walk" },
    staffContext: (source, context) => `${source} “${context}”.`,
    staffSaved: (n) => `The decision on text ${n} is saved.`,
    errorCodes: {},
  },
};

// The mark a redaction leaves, as the server's suggestion writes it.
const REDACTED = "[borttaget]";
const STATUSES = ["pending", "approved", "redacted", "rejected", "all"];

export async function render(main, ctx) {
  const { t } = ctx;
  const status = element("div", { role: "status", "aria-live": "polite", id: "moderation-status" });
  const filter = element("select", { id: "moderation-filter" }, ...STATUSES.map((s) => element("option", { value: s }, t.statuses[s])));
  const surveys = await ctx.api("GET", "/surveys");
  const survey = element(
    "select",
    { id: "moderation-survey" },
    element("option", { value: "" }, t.allSurveys),
    ...(surveys.ok ? surveys.data.surveys : [])
      .filter((s) => s.status === "published")
      .map((s) => element("option", { value: s.id }, `${s.title[ctx.lang] ?? s.title.sv} ${s.round}`)),
  );
  const flaggedOnly = element("input", { type: "checkbox", id: "moderation-flagged" });
  const show = element("button", { type: "submit", class: "button secondary" }, t.show);
  const filterForm = element(
    "form",
    { class: "inline-form", "aria-label": t.filterName },
    element("label", { for: "moderation-filter" }, t.filter), filter,
    element("label", { for: "moderation-survey" }, t.survey), survey,
    element("div", { class: "check" }, flaggedOnly, element("label", { for: "moderation-flagged" }, t.flaggedOnly)),
    show,
  );
  const list = element("div", { id: "moderation-list" });
  const staffList = element("section", { id: "staff-text-list", "aria-labelledby": "staff-texts-heading" });
  main.append(element("h1", {}, t.heading), element("p", {}, t.lead), filterForm, status, list, staffList);
  filterForm.addEventListener("submit", (event) => {
    event.preventDefault();
    refresh();
  });

  // Counts the requests, so that a slow earlier answer (the page's first, unfiltered
  // load) cannot replace the list a later filter asked for.
  let asked = 0;
  async function refresh() {
    const query = new URLSearchParams({ status: filter.value });
    if (survey.value !== "") query.set("survey", survey.value);
    if (flaggedOnly.checked) query.set("flagged", "true");
    const mine = ++asked;
    const { ok, data } = await ctx.api("GET", `/moderation?${query}`);
    if (mine !== asked) return;
    if (!ok) {
      list.replaceChildren(element("p", { role: "alert" }, t.failedLoad));
      return;
    }
    const kind = {
      prefix: "c", level: "h2", list: "#moderation-list", heading: t.comment, saved: t.saved,
      path: (id) => `/moderation/${id}`,
      context: (c) => t.contextLine(t.sources[c.source] ?? c.source, c.context, c.area_code),
    };
    const items = data.comments.map((comment, i) => commentView(ctx, comment, i + 1, status, refresh, kind));
    list.replaceChildren(
      element("p", {}, data.total === 0 ? t.empty : t.count(data.comments.length, data.total)),
      ...items,
    );
  }

  async function refreshStaff() {
    const heading = element("h2", { id: "staff-texts-heading" }, t.staffHeading);
    const data = await fetchData(ctx, "/moderation/staff-texts", (node) => staffList.replaceChildren(heading, node));
    if (!data) return;
    const kind = {
      prefix: "s", level: "h3", list: "#staff-text-list", heading: t.staffText, saved: t.staffSaved,
      path: (id) => `/moderation/staff-texts/${id}`,
      context: (c) => t.staffContext(t.staffSources[c.source] ?? c.source, c.context),
    };
    staffList.replaceChildren(
      heading,
      element("p", {}, t.staffLead),
      element("p", {}, data.total === 0 ? t.staffEmpty : t.staffCount(data.texts.length, data.total)),
      ...data.texts.map((text, i) => commentView(ctx, text, i + 1, status, refreshStaff, kind)),
    );
  }
  await Promise.all([refresh(), refreshStaff()]);
}

// The text with every flagged segment marked and named.
function markedText(ctx, comment) {
  const { t } = ctx;
  const parts = comment.segments.map((segment) =>
    segment.flag
      ? element(
          "mark",
          { class: `flag flag-${segment.flag}` },
          segment.text,
          element("span", { class: "visually-hidden" }, ` ${t.flagged(t.flags[segment.flag] ?? segment.flag)}`),
        )
      : segment.text,
  );
  return element("blockquote", { class: "comment-text" }, ...parts);
}

// One text and its decision form; `kind` says whether it is a resident's
// comment or a staff text: its heading, context line and where decisions go.
function commentView(ctx, comment, n, status, refresh, kind) {
  const { t } = ctx;
  const prefix = `${kind.prefix}-${comment.id}`;
  const headingId = `${prefix}-heading`;
  const flagNames = comment.flags.map((f) => t.flags[f] ?? f).join(", ");
  const facts = [
    element("p", { class: "hint" }, kind.context(comment)),
    markedText(ctx, comment),
    element("p", { class: comment.flags.length ? "flags" : "hint" }, comment.flags.length ? t.flagsLine(flagNames) : t.noFlags),
  ];
  if (comment.status !== "pending") {
    facts.push(element("p", {}, t.statusLine(t.statusNames[comment.status] ?? comment.status)));
    if (comment.edited_text) facts.push(element("p", {}, `${t.editedLine} `, element("q", {}, comment.edited_text)));
    if (comment.reason) facts.push(element("p", {}, t.reasonLine(comment.reason)));
  }
  return element(
    "article",
    { class: "comment", "aria-labelledby": headingId },
    element(kind.level, { id: headingId }, kind.heading(n)),
    ...facts,
    decisionForm(ctx, comment, n, prefix, status, refresh, kind),
  );
}

function decisionForm(ctx, comment, n, prefix, status, refresh, kind) {
  const { t } = ctx;
  const choice = (value, label) => {
    const id = `${prefix}-${value}`;
    const input = element("input", { type: "radio", name: `${prefix}-decision`, id, value, checked: value === (comment.flags.length ? "redact" : "approve") });
    return { input, wrapper: element("div", { class: "check" }, input, element("label", { for: id }, label)) };
  };
  const choices = [choice("approve", t.approve), choice("redact", t.redact), choice("reject", t.reject)];
  const decision = element("fieldset", { class: "decision", id: `${prefix}-decision` }, element("legend", {}, t.decision), ...choices.map((c) => c.wrapper));

  const editedId = `${prefix}-text`;
  const edited = element("textarea", { id: editedId, name: editedId, rows: 4, "aria-describedby": `${editedId}-hint` });
  edited.value = comment.edited_text ?? comment.suggestion ?? comment.text;
  const redactButton = element("button", { type: "button", class: "button secondary small" }, t.redactSelection);
  redactButton.addEventListener("click", () => {
    const { selectionStart: start, selectionEnd: end, value } = edited;
    if (start === end) return;
    edited.value = `${value.slice(0, start)}${REDACTED}${value.slice(end)}`;
    edited.focus();
    edited.setSelectionRange(start + REDACTED.length, start + REDACTED.length);
  });
  const editedBlock = element(
    "div",
    { class: "field" },
    element("label", { for: editedId }, t.edited),
    element("p", { class: "hint", id: `${editedId}-hint` }, t.editedHint),
    edited,
    redactButton,
  );

  const reasonId = `${prefix}-reason`;
  const reason = element("input", { type: "text", id: reasonId, name: reasonId, autocomplete: "off", "aria-describedby": `${reasonId}-hint` });
  reason.value = comment.reason ?? "";
  const reasonBlock = element("div", { class: "field" }, element("label", { for: reasonId }, t.reason), element("p", { class: "hint", id: `${reasonId}-hint` }, t.reasonHint), reason);

  const picked = () => choices.find((c) => c.input.checked)?.input.value ?? "approve";
  const sync = () => {
    editedBlock.hidden = picked() !== "redact";
  };
  for (const c of choices) c.input.addEventListener("change", sync);
  sync();

  const form = element(
    "form",
    { class: "stack", novalidate: true, "aria-label": `${t.decision}: ${kind.heading(n)}` },
    decision, editedBlock, reasonBlock,
    element("button", { type: "submit", class: "button" }, t.save),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const body = { decision: picked() };
    if (body.decision === "redact") body.text = edited.value;
    if (reason.value.trim() !== "") body.reason = reason.value;
    const response = await ctx.api("POST", kind.path(comment.id), body);
    if (response.ok) {
      await refresh();
      status.replaceChildren(element("p", { class: "notice" }, kind.saved(n)));
      // The decided comment has left the list; a keyboard user goes on from
      // the next comment, or from the count when none is left.
      const next = document.querySelector(`${kind.list} article ${kind.level}`) ?? document.querySelector(`${kind.list} > p`);
      next?.setAttribute("tabindex", "-1");
      next?.focus();
      return;
    }
    const data = response.data ?? {};
    const input = { text: edited, reason, decision }[data.field] ?? null;
    const known = t.errorCodes?.[data.error] ?? errorLabel(data.error, ctx.lang);
    showErrors(form, t.fixTitle, [{ input, message: known ? `${known} (${data.message})` : data.message ?? t.failed }]);
  });
  return form;
}
