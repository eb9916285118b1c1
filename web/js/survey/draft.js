// The resident's unfinished response, kept in localStorage under the survey's
// slug so a reload, a closed tab or a dead battery loses nothing. The
// Idempotency-Key is made once with the draft and kept with it, so every
// retry of the same response, even after a reload, carries the same key.

const prefix = "trygg.survey.";

function fresh() {
  return { key: crypto.randomUUID(), page: 0, answers: {}, pins: [], sending: false };
}

export function loadDraft(slug) {
  try {
    const stored = JSON.parse(localStorage.getItem(prefix + slug) ?? "null");
    if (stored && typeof stored.key === "string" && stored.answers && Array.isArray(stored.pins)) {
      return { draft: { ...fresh(), ...stored }, resumed: true };
    }
  } catch {
    // A draft that no longer parses is of no use; start afresh.
  }
  return { draft: fresh(), resumed: false };
}

export function saveDraft(slug, draft) {
  try {
    localStorage.setItem(prefix + slug, JSON.stringify(draft));
  } catch {
    // Private modes with no storage still let the person answer in one go.
  }
}

export function clearDraft(slug) {
  localStorage.removeItem(prefix + slug);
}

export function newDraft() {
  return fresh();
}
