// Solves a survey's proof-of-work challenge with the vendored ALTCHA widget,
// for surveys that ask for one. The widget is loaded only then, runs unseen
// (there is nothing for the resident to do but wait a moment) and is removed
// afterwards; its solver runs in a Web Worker so the page stays responsive.

let loading;

function load() {
  loading ??= import("/vendor/altcha/altcha.min.js").then(() => {
    globalThis.$altcha.algorithms.set("PBKDF2/SHA-256", () => new Worker("/vendor/altcha/workers/pbkdf2.js"));
  });
  return loading;
}

// Resolves to the payload for the `Altcha` header, or null if no solution
// was found (the caller tries again, or the server explains).
export async function solve(slug) {
  await load();
  const widget = document.createElement("altcha-widget");
  widget.setAttribute("challenge", `/api/v1/surveys/${encodeURIComponent(slug)}/challenge`);
  widget.setAttribute("auto", "off");
  widget.setAttribute("display", "invisible");
  widget.hidden = true;
  document.body.append(widget);
  try {
    // The element gets its methods once it has mounted, a moment after it is added.
    for (let wait = 0; typeof widget.verify !== "function" && wait < 50; wait++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    // Nothing about the person's interaction is collected or sent.
    widget.configure({ humanInteractionSignature: false, hideFooter: true, hideLogo: true, minDuration: 0 });
    const result = await widget.verify();
    return result?.payload ?? null;
  } catch {
    return null;
  } finally {
    widget.remove();
  }
}
