// Small DOM helpers for the staff pages: no framework, no inline styles.

// An element with attributes and children (strings become text, never HTML).
export function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === false || value === null || value === undefined) continue;
    node.setAttribute(name, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined && child !== false) node.append(child);
  }
  return node;
}

// A labelled input with an optional hint; the hint and any error are read
// out with the field (aria-describedby).
export function field({ id, label, type = "text", autocomplete, hint, required = true, inputmode }) {
  return labelled({ id, label, hint }, (hintId) =>
    element("input", { id, name: id, type, autocomplete, inputmode, required, "aria-describedby": hintId }));
}

// A field's wrapper: its label, an optional hint (`${id}-hint`) and the
// control `make(hintId)` builds, which points at the hint.
export function labelled({ id, label, hint }, make) {
  const hintId = hint ? `${id}-hint` : null;
  const input = make(hintId);
  const wrapper = element(
    "div",
    { class: "field" },
    element("label", { for: id }, label),
    hint ? element("p", { class: "hint", id: hintId }, hint) : null,
    input,
  );
  return { wrapper, input };
}

// Shows errors above a form as a summary that takes focus, with a link to
// each field, and marks each field at fault (the GOV.UK pattern).
export function showErrors(form, title, errors) {
  form.querySelector(".error-summary")?.remove();
  for (const old of form.querySelectorAll(".field-error")) old.remove();
  for (const input of form.querySelectorAll("[aria-invalid]")) {
    input.removeAttribute("aria-invalid");
    const ids = (input.getAttribute("aria-describedby") ?? "").split(" ").filter((id) => !id.endsWith("-error"));
    if (ids.length > 0) input.setAttribute("aria-describedby", ids.join(" "));
    else input.removeAttribute("aria-describedby");
  }
  if (errors.length === 0) return;
  const list = element("ul", {});
  for (const { input, message } of errors) {
    if (input) {
      const errorId = `${input.id}-error`;
      input.setAttribute("aria-invalid", "true");
      const described = [input.getAttribute("aria-describedby"), errorId].filter(Boolean).join(" ");
      input.setAttribute("aria-describedby", described);
      input.before(element("p", { class: "field-error", id: errorId }, message));
      list.append(element("li", {}, element("a", { href: `#${input.id}` }, message)));
    } else {
      list.append(element("li", {}, message));
    }
  }
  const summary = element(
    "div",
    { class: "error-summary", role: "alert", tabindex: "-1" },
    element("h2", {}, title),
    list,
  );
  form.prepend(summary);
  summary.focus();
}

// Date and time in the page's language, to the minute.
export function formatTime(iso, lang) {
  return new Intl.DateTimeFormat(lang === "sv" ? "sv-SE" : "en-GB", {
    dateStyle: "medium",
    timeStyle: "short",
  }).format(new Date(iso));
}

// Fetches `path` and returns the answer, or shows with `show(node)` that the
// load failed and returns null.
export async function fetchData(ctx, path, show) {
  const { ok, data } = await ctx.api("GET", path);
  if (ok) return data;
  show(element("p", { role: "alert" }, ctx.t.failedLoad));
  return null;
}

// Fetches the list at `path` (its items under `key`) and returns the answer,
// or shows with `show(node)` why there is nothing to list — the load failed,
// or the list is empty — and returns null.
export async function fetchList(ctx, path, key, show) {
  const data = await fetchData(ctx, path, show);
  if (data && data[key].length === 0) {
    show(element("p", {}, ctx.t.empty));
    return null;
  }
  return data;
}

// A card in a list of cards: an article named by its heading `headingId`.
export function card(headingId, ...children) {
  return element("li", { class: "card" }, element("article", { "aria-labelledby": headingId }, ...children));
}
