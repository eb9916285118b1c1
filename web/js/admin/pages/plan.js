// Åtgärdsplan: the action plan of the samverkansöverenskommelse with its
// samverkansområden, insatser and owners, the quarterly check dates (the next
// one marked), the mid-term review and the follow-up meetings (chefssamråd)
// with their decisions; staff who edit promises record a meeting or the review.
import { element, fetchList, field, showErrors } from "../dom.js";
import { fieldError, formatDate, stylesheet, textArea, today } from "../action.js";

export const title = { sv: "Åtgärdsplan", en: "Action plan" };

export const messages = {
  sv: {
    heading: "Åtgärdsplan",
    lead: "Samverkansöverenskommelsens åtgärdsplan: samverkansområden med insatser och ansvariga, kvartalsvisa avstämningar, halvtidsuppföljning och chefssamråd med beslut.",
    empty: "Det finns ingen åtgärdsplan ännu.",
    failedLoad: "Det gick inte att hämta åtgärdsplanen.",
    period: "Giltighetstid",
    areas: "Samverkansområden",
    owner: "Ansvarig",
    followUp: "Uppföljning",
    checks: "Kvartalsvisa avstämningar",
    next: "nästa",
    passed: "passerad",
    review: "Halvtidsuppföljning",
    reviewDue: (d) => `Ska göras omkring ${d}.`,
    reviewHeld: (d) => `Genomförd ${d}.`,
    cooperation: "Hur samverkansformerna fungerar",
    implementation: "Hur insatserna har genomförts",
    results: "Resultat och om de bidrar till ökad trygghet",
    meetings: "Uppföljningsmöten",
    noMeetings: "Inga möten registrerade ännu.",
    decisions: "Beslut",
    addMeeting: "Registrera ett möte",
    heldOn: "Datum",
    kind: "Typ av möte",
    decisionsField: "Beslut, ett per rad",
    saveMeeting: "Spara mötet",
    meetingSaved: (kind, d) => `${kind} ${d} har registrerats.`,
    recordReview: "Registrera halvtidsuppföljningen",
    saveReview: "Spara uppföljningen",
    reviewSaved: "Halvtidsuppföljningen har sparats.",
    required: "Fyll i fältet.",
  },
  en: {
    heading: "Action plan",
    lead: "The action plan of the cooperation agreement: areas of cooperation with their activities and owners, quarterly checks, the mid-term review and the chiefs' meetings with their decisions.",
    empty: "There is no action plan yet.",
    failedLoad: "The action plan could not be loaded.",
    period: "Valid",
    areas: "Areas of cooperation",
    owner: "Responsible",
    followUp: "Follow-up",
    checks: "Quarterly checks",
    next: "next",
    passed: "passed",
    review: "Mid-term review",
    reviewDue: (d) => `Due around ${d}.`,
    reviewHeld: (d) => `Held on ${d}.`,
    cooperation: "How the forms of cooperation work",
    implementation: "How the activities have been carried out",
    results: "Results, and whether they serve greater safety",
    meetings: "Follow-up meetings",
    noMeetings: "No meetings recorded yet.",
    decisions: "Decisions",
    addMeeting: "Record a meeting",
    heldOn: "Date",
    kind: "Kind of meeting",
    decisionsField: "Decisions, one per line",
    saveMeeting: "Save the meeting",
    meetingSaved: (kind, d) => `${kind} on ${d} has been recorded.`,
    recordReview: "Record the mid-term review",
    saveReview: "Save the review",
    reviewSaved: "The mid-term review has been saved.",
    required: "Fill in this field.",
  },
};

export async function render(main, ctx) {
  stylesheet("/css/action.css");
  const { t } = ctx;
  const status = element("div", { role: "status", "aria-live": "polite", tabindex: "-1" });
  const holder = element("div", {});
  main.append(element("h1", {}, t.heading), element("p", {}, t.lead), status, holder);

  async function refresh(message) {
    const data = await fetchList(ctx, "/action-plans", "action_plans", (node) => holder.replaceChildren(node));
    if (!data) return;
    holder.replaceChildren(...data.action_plans.map((p) => plan(ctx, p, refresh)));
    if (message) {
      status.replaceChildren(element("p", { class: "notice" }, message));
      status.focus();
    }
  }
  await refresh();
}

function plan(ctx, p, refresh) {
  const { t, lang } = ctx;
  const canEdit = ctx.session.permissions.includes("edit_promises");
  const id = `plan-${p.id}`;
  const now = today();
  const areas = p.areas.map((a) =>
    element(
      "li",
      { class: "card" },
      element("h4", {}, a.name),
      element(
        "ul",
        { class: "updates" },
        ...a.activities.map((x) =>
          element("li", {}, element("strong", {}, x.title), ` – ${t.owner}: ${x.owner}`, x.follow_up ? ` · ${t.followUp}: ${x.follow_up}` : ""),
        ),
      ),
    ),
  );
  const checks = p.check_dates.map((d) =>
    element("li", {}, element("time", { datetime: d }, formatDate(d, lang)), d === p.next_check ? ` (${t.next})` : d < now ? ` (${t.passed})` : ""),
  );
  const review = p.midterm_review
    ? [
        element("p", {}, t.reviewHeld(formatDate(p.midterm_review.held_on, lang))),
        element(
          "dl",
          {},
          element("dt", {}, t.cooperation), element("dd", {}, p.midterm_review.cooperation),
          element("dt", {}, t.implementation), element("dd", {}, p.midterm_review.implementation),
          element("dt", {}, t.results), element("dd", {}, p.midterm_review.results),
        ),
      ]
    : [element("p", {}, t.reviewDue(formatDate(p.midpoint, lang)))];
  const meetings = p.meetings.length === 0
    ? element("p", {}, t.noMeetings)
    : element(
        "ul",
        { class: "cards" },
        ...[...p.meetings].reverse().map((m) =>
          element(
            "li",
            { class: "card" },
            element("h4", {}, `${m.kind} ${formatDate(m.held_on, lang)}`),
            m.decisions.length === 0 ? null : element("p", { class: "meta" }, `${t.decisions}:`),
            m.decisions.length === 0 ? null : element("ul", { class: "updates" }, ...m.decisions.map((d) => element("li", {}, d))),
          ),
        ),
      );
  return element(
    "article",
    { class: "card", "aria-labelledby": id },
    element("h2", { id }, p.title),
    element("p", { class: "meta" }, `${t.period}: ${formatDate(p.starts_on, lang)} – ${formatDate(p.ends_on, lang)}`),
    element("h3", {}, t.areas),
    element("ul", { class: "cards" }, ...areas),
    element("h3", {}, t.checks),
    element("ul", { class: "updates" }, ...checks),
    element("h3", {}, t.review),
    ...review,
    canEdit ? reviewForm(ctx, p, refresh) : null,
    element("h3", {}, t.meetings),
    canEdit ? meetingForm(ctx, p, refresh) : null,
    meetings,
  );
}

function meetingForm(ctx, p, refresh) {
  const { t, lang } = ctx;
  const base = `meeting-${p.id}`;
  const heldOn = field({ id: `${base}-held-on`, label: t.heldOn, type: "date" });
  heldOn.input.value = today();
  const kind = field({ id: `${base}-kind`, label: t.kind });
  kind.input.value = "Chefssamråd";
  const decisions = textArea({ id: `${base}-decisions`, label: t.decisionsField, required: false, rows: 4 });
  const form = element("form", { class: "stack", novalidate: true, "aria-label": t.addMeeting }, heldOn.wrapper, kind.wrapper, decisions.wrapper, element("button", { type: "submit", class: "button" }, t.saveMeeting));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const errors = [heldOn, kind].filter((f) => f.input.value.trim() === "").map((f) => ({ input: f.input, message: t.required }));
    if (errors.length > 0) {
      showErrors(form, t.fixTitle, errors);
      return;
    }
    const body = {
      held_on: heldOn.input.value,
      kind: kind.input.value.trim(),
      decisions: decisions.input.value.split("\n").map((d) => d.trim()).filter(Boolean),
    };
    const { ok, data } = await ctx.api("POST", `/action-plans/${p.id}/meetings`, body);
    if (!ok) {
      showErrors(form, t.fixTitle, [fieldError(data, { held_on: heldOn.input, kind: kind.input, decisions: decisions.input }, t.failed)]);
      return;
    }
    await refresh(t.meetingSaved(body.kind, formatDate(body.held_on, lang)));
  });
  return element("details", { class: "action" }, element("summary", {}, t.addMeeting), form);
}

function reviewForm(ctx, p, refresh) {
  const { t } = ctx;
  const base = `review-${p.id}`;
  const heldOn = field({ id: `${base}-held-on`, label: t.heldOn, type: "date" });
  heldOn.input.value = p.midterm_review?.held_on ?? today();
  const texts = ["cooperation", "implementation", "results"].map((key) => {
    const f = textArea({ id: `${base}-${key}`, label: t[key], rows: 3, maxlength: 4000 });
    f.input.value = p.midterm_review?.[key] ?? "";
    return [key, f];
  });
  const form = element(
    "form",
    { class: "stack", novalidate: true, "aria-label": t.recordReview },
    heldOn.wrapper,
    ...texts.map(([, f]) => f.wrapper),
    element("button", { type: "submit", class: "button" }, t.saveReview),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const all = [heldOn, ...texts.map(([, f]) => f)];
    const errors = all.filter((f) => f.input.value.trim() === "").map((f) => ({ input: f.input, message: t.required }));
    if (errors.length > 0) {
      showErrors(form, t.fixTitle, errors);
      return;
    }
    const body = { held_on: heldOn.input.value };
    for (const [key, f] of texts) body[key] = f.input.value.trim();
    const { ok, data } = await ctx.api("PUT", `/action-plans/${p.id}/midterm-review`, body);
    if (!ok) {
      showErrors(form, t.fixTitle, [fieldError(data, { held_on: heldOn.input, ...Object.fromEntries(texts.map(([k, f]) => [k, f.input])) }, t.failed)]);
      return;
    }
    await refresh(t.reviewSaved);
  });
  return element("details", { class: "action" }, element("summary", {}, t.recordReview), form);
}
