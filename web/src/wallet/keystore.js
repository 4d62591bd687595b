// The member's encrypted key file in IndexedDB: the CLI's format (Argon2id + XChaCha20-Poly1305,
// written by the package's Identity.toKeyFile), never the secret itself. One wallet per origin.
const DB = 'geo-wallet';
const STORE = 'keys';
const ID = 'main';

function open() {
  return new Promise((resolve, reject) => {
    const r = indexedDB.open(DB, 1);
    r.onupgradeneeded = () => r.result.createObjectStore(STORE);
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
}

async function run(mode, f) {
  const db = await open();
  try {
    return await new Promise((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const r = f(tx.objectStore(STORE));
      tx.oncomplete = () => resolve(r && r.result);
      tx.onerror = () => reject(tx.error);
    });
  } finally {
    db.close();
  }
}

/** The saved record `{ keyFile, pid, name, registered }`, or undefined. */
export function load() {
  return run('readonly', (s) => s.get(ID));
}

export function save(record) {
  return run('readwrite', (s) => s.put(record, ID));
}

export function forget() {
  return run('readwrite', (s) => s.delete(ID));
}
