// Loads the vendored scripts the map pages need, once each however often a
// page asks: Leaflet (and its style sheet, for pages whose HTML does not link
// it) and its plug-ins.

const scripts = new Map();

// Resolves when the script at `src` has run; a failed load rejects, so the
// page can say that the map is missing and point at the list instead.
export function loadScript(src) {
  if (!scripts.has(src)) {
    scripts.set(src, new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = src;
      script.onload = () => resolve();
      script.onerror = reject;
      document.head.append(script);
    }));
  }
  return scripts.get(src);
}

// Leaflet as `window.L`; with `css`, its style sheet too.
export function loadLeaflet({ css = false } = {}) {
  const href = "/vendor/leaflet/leaflet.css";
  if (css && !document.querySelector(`link[href="${href}"]`)) {
    const link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = href;
    document.head.append(link);
  }
  return loadScript("/vendor/leaflet/leaflet.js");
}
