// Sends one response until the server has stored it. Every attempt carries
// the same Idempotency-Key, so a retry after a lost reply is answered as a
// replay and never stored twice. Offline, 5xx, 408/409 and 429 are worth
// retrying; any other 4xx means the answers themselves must change.

const longestWait = 15000;

// Exponential backoff with jitter, so phones that lost the server at the
// same moment do not all come back at the same moment.
function backoff(attempt) {
  const base = Math.min(1000 * 2 ** (attempt - 1), longestWait);
  return Math.round(base * (0.5 + Math.random() / 2));
}

function retryAfter(response) {
  const seconds = Number(response.headers.get("Retry-After"));
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : undefined;
}

// `report` hears {state: "sending"} before each attempt and
// {state: "offline" | "serverDown" | "busy", seconds} before each wait.
// Returns {retryNow, result}; `result` resolves to {ok: true} or
// {ok: false, status, error} for a refusal that retrying cannot fix.
export function send({ url, key, headers = {}, body, report }) {
  let wake;
  const wait = (ms, state) =>
    new Promise((resolve) => {
      report({ state, seconds: Math.max(1, Math.round(ms / 1000)) });
      const done = () => {
        clearTimeout(timer);
        window.removeEventListener("online", done);
        wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      window.addEventListener("online", done);
      wake = done;
    });

  const result = (async () => {
    for (let attempt = 1; ; attempt++) {
      report({ state: "sending" });
      let response;
      try {
        response = await fetch(url, {
          method: "POST",
          headers: { ...headers, "Content-Type": "application/json", "Idempotency-Key": key },
          body: JSON.stringify(body),
        });
      } catch {
        await wait(backoff(attempt), navigator.onLine ? "serverDown" : "offline");
        continue;
      }
      if (response.ok) {
        // The response's id is not kept: a code on the thank-you page would
        // tell the resident nothing they can use.
        return { ok: true };
      }
      if (response.status === 429) {
        await wait(retryAfter(response) ?? backoff(attempt), "busy");
        continue;
      }
      if (response.status >= 500 || response.status === 408 || response.status === 409) {
        await wait(retryAfter(response) ?? backoff(attempt), "serverDown");
        continue;
      }
      const error = await response.json().catch(() => ({}));
      return { ok: false, status: response.status, error };
    }
  })();

  return { result, retryNow: () => wake?.() };
}
