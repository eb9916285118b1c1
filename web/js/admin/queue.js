// Reports written without network wait here, in IndexedDB, each with the
// Idempotency-Key it was given when it was written, until they are sent: so
// sending one twice (a reload, a flaky connection) stores it once.
const DB = "trygg-offline";
const STORE = "outbox";

function open() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE, { keyPath: "key" });
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

async function run(mode, work) {
  const db = await open();
  return new Promise((resolve, reject) => {
    const tx = db.transaction(STORE, mode);
    const result = work(tx.objectStore(STORE));
    tx.oncomplete = () => resolve(result.result);
    tx.onerror = () => reject(tx.error);
  });
}

// Keeps `{key, path, body}` to send later.
export const keep = (item) => run("readwrite", (s) => s.put({ ...item, kept: Date.now() }));

// Everything waiting, oldest first.
export const waiting = async () => ((await run("readonly", (s) => s.getAll())) ?? []).sort((a, b) => a.kept - b.kept);

// Forgets one, once it is sent.
export const forget = (key) => run("readwrite", (s) => s.delete(key));

// Sends what waits through `send(item)`, which answers {ok, status, data};
// stops at the first that finds no network. What was sent, and what the
// server refused (it will never be accepted), leave the queue; the refused
// are returned so the page can say why.
export async function flush(send) {
  const refused = [];
  for (const item of await waiting()) {
    const answer = await send(item);
    if (answer.status === 0) break;
    if (!answer.ok) refused.push({ item, answer });
    await forget(item.key);
  }
  return refused;
}
