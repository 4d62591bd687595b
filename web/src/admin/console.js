// The console's state: the operator token (kept for this tab only, in sessionStorage) and its
// AdminClient from the package, which sends X-Admin-Token to this hub.
import { useEffect, useState } from 'preact/hooks';
import { AdminClient } from '@geo/client/admin';

const KEY = 'geo.admin.token';
const bus = new EventTarget();

export const console_ = {
  client: null,
  path: location.pathname,
};

/** Counts changes, so a screen can tell it missed one. */
let version = 0;

export function changed() {
  version += 1;
  bus.dispatchEvent(new Event('change'));
}

export function useConsole() {
  const [seen, set] = useState(version);
  useEffect(() => {
    const f = () => set(version);
    bus.addEventListener('change', f);
    // Effects run after the first paint: a change made in between was dispatched before this
    // listener existed (the wallet's useSession has the same guard).
    if (version !== seen) f();
    return () => bus.removeEventListener('change', f);
  }, []);
  return console_;
}

/** Checks the token against the hub (an integrity check needs it) and keeps it for this tab. */
export async function signIn(token) {
  const client = new AdminClient(location.origin, token);
  await client.integrity();
  sessionStorage.setItem(KEY, token);
  console_.client = client;
  changed();
}

export async function resume() {
  const token = sessionStorage.getItem(KEY);
  if (!token) return;
  try {
    await signIn(token);
  } catch {
    sessionStorage.removeItem(KEY);
  }
}

export function signOut() {
  sessionStorage.removeItem(KEY);
  console_.client = null;
  changed();
}

export function navigate(path) {
  if (path !== console_.path) history.pushState(null, '', path);
  console_.path = path;
  changed();
}
addEventListener('popstate', () => {
  console_.path = location.pathname;
  changed();
});

/** The hub's equivalents (public, unsigned). */
export async function equivalents() {
  const r = await fetch('/api/v1/equivalents');
  if (!r.ok) throw new Error(`HTTP ${r.status}`);
  return r.json();
}
