// A small element builder: pages are built from data with textContent only,
// never from HTML strings, so survey texts and comments cannot inject markup.

export function h(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else if (value === true) node.setAttribute(name, "");
    else node.setAttribute(name, value);
  }
  for (const child of children.flat()) {
    if (child !== undefined && child !== null && child !== false) node.append(child);
  }
  return node;
}

// The text of a definition's {sv, en} pair in the chosen language; English
// texts may be missing, and Swedish is always there.
export function pick(texts, lang) {
  if (texts === undefined || texts === null) return "";
  if (typeof texts === "string") return texts;
  return texts[lang] ?? texts.sv ?? Object.values(texts)[0] ?? "";
}
