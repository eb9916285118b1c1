// One form field per question kind, bound to the draft's answers: every
// change is written to the draft at once, so autosave never waits for "Next".
import { h, pick } from "./dom.js";

function heading(q, ctx) {
  return [
    pick(q.text, ctx.lang),
    q.required ? h("span", { class: "required" }, ` (${ctx.t.required})`) : null,
  ];
}

// The ids that describe a field: its help, its hint and, when present, its error.
function describedBy(q, ctx, ...extra) {
  const ids = [q.help ? `help-${q.key}` : null, ...extra, ctx.errors[q.key] ? `error-${q.key}` : null];
  return ids.filter(Boolean).join(" ") || undefined;
}

function helpAndError(q, ctx) {
  return [
    q.help ? h("p", { class: "help", id: `help-${q.key}` }, pick(q.help, ctx.lang)) : null,
    ctx.errors[q.key] ? h("p", { class: "error", id: `error-${q.key}` }, ctx.errors[q.key]) : null,
  ];
}

function choices(q, ctx, type) {
  const chosen = ctx.answers[q.key];
  const hint = type === "checkbox" && q.max_choices ? h("p", { class: "hint", id: `hint-${q.key}` }, ctx.t.chooseUpTo(q.max_choices)) : null;
  const options = q.options.map((o) => {
    const id = `q-${q.key}-${o.key}`;
    const checked = type === "radio" ? chosen === o.key : Array.isArray(chosen) && chosen.includes(o.key);
    const input = h("input", {
      type,
      id,
      name: q.key,
      value: o.key,
      checked,
      required: type === "radio" && q.required,
      "aria-invalid": ctx.errors[q.key] ? "true" : undefined,
    });
    input.addEventListener("change", () => {
      if (type === "radio") {
        ctx.answers[q.key] = o.key;
      } else {
        const keys = [...input.form.querySelectorAll(`input[name="${q.key}"]:checked`)].map((i) => i.value);
        if (q.max_choices && keys.length > q.max_choices) {
          // Refusing the extra tick and saying why keeps the limit visible
          // without disabling options a screen reader would then skip.
          input.checked = false;
          ctx.announce(ctx.t.errorTooMany(q.max_choices));
          return;
        }
        if (keys.length) ctx.answers[q.key] = keys;
        else delete ctx.answers[q.key];
      }
      ctx.save();
    });
    return h("div", { class: o.dont_know ? "choice dont-know" : "choice" }, input, h("label", { for: id }, pick(o.label, ctx.lang)));
  });
  return h(
    "fieldset",
    { class: "question", id: `q-${q.key}`, "aria-describedby": describedBy(q, ctx, hint ? `hint-${q.key}` : null) },
    h("legend", {}, heading(q, ctx)),
    helpAndError(q, ctx),
    hint,
    h("div", { class: q.scale ? "choices scale" : "choices" }, options),
  );
}

function number(q, ctx) {
  const id = `q-${q.key}-input`;
  const input = h("input", {
    type: "text",
    inputmode: q.integer ? "numeric" : "decimal",
    id,
    name: q.key,
    autocomplete: "off",
    value: ctx.answers[q.key] ?? "",
    required: q.required,
    "aria-invalid": ctx.errors[q.key] ? "true" : undefined,
    "aria-describedby": describedBy(q, ctx),
  });
  input.addEventListener("input", () => {
    const text = input.value.trim().replace(",", ".");
    if (text === "") delete ctx.answers[q.key];
    else ctx.answers[q.key] = Number.isNaN(Number(text)) ? input.value : Number(text);
    ctx.save();
  });
  return h("div", { class: "question", id: `q-${q.key}` }, h("label", { for: id, class: "question-text" }, heading(q, ctx)), helpAndError(q, ctx), input);
}

// A textarea with a visible count of characters; the count is described by,
// not announced on, every keystroke, which would drown the typing.
export function textWithCount({ id, name, value, max, t, required, invalid, describedBy: extra, onInput }) {
  const count = h("p", { class: "count", id: `${id}-count` }, t.characters(value.length, max));
  const area = h(
    "textarea",
    {
      id,
      name,
      maxlength: max,
      rows: 4,
      required,
      "aria-invalid": invalid ? "true" : undefined,
      "aria-describedby": [extra, `${id}-count`].filter(Boolean).join(" "),
    },
  );
  area.value = value;
  area.addEventListener("input", () => {
    count.textContent = t.characters(area.value.length, max);
    onInput(area.value);
  });
  return { area, count };
}

function freeText(q, ctx) {
  const id = `q-${q.key}-input`;
  const { area, count } = textWithCount({
    id,
    name: q.key,
    value: ctx.answers[q.key] ?? "",
    max: q.max_length,
    t: ctx.t,
    required: q.required,
    invalid: Boolean(ctx.errors[q.key]),
    describedBy: describedBy(q, ctx),
    onInput: (text) => {
      if (text.trim() === "") delete ctx.answers[q.key];
      else ctx.answers[q.key] = text;
      ctx.save();
    },
  });
  return h("div", { class: "question", id: `q-${q.key}` }, h("label", { for: id, class: "question-text" }, heading(q, ctx)), helpAndError(q, ctx), area, count);
}

export function renderQuestion(q, ctx) {
  switch (q.kind) {
    case "single_choice":
      return choices(q, ctx, "radio");
    case "multiple_choice":
      return choices(q, ctx, "checkbox");
    case "number":
      return number(q, ctx);
    case "free_text":
      return freeText(q, ctx);
    default:
      return null;
  }
}

// The message for a question's current answer, or null when it may stand.
export function problemWith(q, answers, pins, t) {
  const value = answers[q.key];
  if (q.kind === "map") return q.required && pins.length === 0 ? t.errorRequired : null;
  if (value === undefined || value === "" || (Array.isArray(value) && value.length === 0)) {
    return q.required ? t.errorRequired : null;
  }
  if (q.kind === "number") {
    const min = q.min ?? -Infinity;
    const max = q.max ?? Infinity;
    if (typeof value !== "number" || value < min || value > max) return t.errorNumber(q.min ?? "", q.max ?? "");
    if (q.integer && !Number.isInteger(value)) return t.errorInteger;
  }
  if (q.kind === "multiple_choice" && q.max_choices && value.length > q.max_choices) return t.errorTooMany(q.max_choices);
  return null;
}
