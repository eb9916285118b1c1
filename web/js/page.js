// What the public pages and the lägesbild share: building elements, and showing
// the page's fixed texts in the reader's language.

/** An element with `attributes` (null, undefined and false left out, `on…` functions as listeners) and `children` (null and undefined left out). */
export function h(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith("on") && typeof value === "function") node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? "" : value);
  }
  for (const child of children.flat()) if (child !== null && child !== undefined) node.append(child);
  return node;
}

/** Shows the page in `lang` with its messages `t`: the document's language, every `[data-text]` element's text, and the #language button, which offers the other language. */
export function showLanguage(lang, t) {
  document.documentElement.lang = lang;
  for (const node of document.querySelectorAll("[data-text]")) node.textContent = t[node.dataset.text];
  const button = document.getElementById("language");
  button.textContent = t.switchTo;
  button.lang = t.switchLang;
}
