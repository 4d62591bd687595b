// The wallet's state: the unlocked identity and its hub client (memory only), the saved key
// record, the equivalents, live notifications, and the current screen. Screens read it with
// useSession() and re-render when it changes.
import { useEffect, useState } from 'preact/hooks';
import { HubClient, Identity } from '@geo/client';
import * as keystore from './keystore.js';

const bus = new EventTarget();

export const session = {
  /** 'loading' | 'welcome' | 'locked' | 'register' | 'ready' */
  stage: 'loading',
  record: null,
  identity: null,
  client: null,
  me: null,
  equivalents: [],
  notifications: [],
  unread: 0,
  toast: null,
  path: location.pathname + location.search,
  names: new Map(),
};

/** Counts changes, so a screen can tell it missed one. */
let version = 0;

export function changed() {
  version += 1;
  bus.dispatchEvent(new Event('change'));
}

export function useSession() {
  const [seen, set] = useState(version);
  useEffect(() => {
    const f = () => set(version);
    bus.addEventListener('change', f);
    // Effects run after the first paint: a change made in between (the key store can answer
    // that fast) was dispatched before this listener existed.
    if (version !== seen) f();
    return () => bus.removeEventListener('change', f);
  }, []);
  return session;
}

export function navigate(path) {
  if (path !== session.path) history.pushState(null, '', path);
  session.path = path;
  changed();
}
addEventListener('popstate', () => {
  session.path = location.pathname + location.search;
  changed();
});

/** Reads the saved key record and picks the first screen. */
export async function start() {
  session.record = await keystore.load();
  session.stage = session.record ? 'locked' : 'welcome';
  changed();
}

/** Opens the saved key file with the passphrase (throws GeoError E_WRONG_PASSWORD). */
export async function unlock(passphrase) {
  const identity = Identity.fromKeyFile(session.record.keyFile, passphrase);
  await begin(identity, session.record.registered);
}

/** Keeps `identity` encrypted under `passphrase`, then connects (registered or not yet). */
export async function keep(identity, passphrase, registered) {
  const keyFile = identity.toKeyFile(passphrase);
  session.record = { keyFile, pid: identity.pid, registered };
  await keystore.save(session.record);
  await begin(identity, registered);
}

async function begin(identity, registered) {
  session.identity = identity;
  session.client = await HubClient.connect(location.origin, identity);
  if (!registered) {
    // Restored from a phrase or file: the hub may know this member already.
    try {
      session.me = await session.client.login();
      registered = true;
      session.record = { ...session.record, registered: true };
      await keystore.save(session.record);
    } catch {
      registered = false;
    }
  }
  if (registered) await enter();
  else {
    session.stage = 'register';
    changed();
  }
}

export async function register(name) {
  session.me = await session.client.register(name, 'person');
  session.record = { ...session.record, registered: true, name };
  await keystore.save(session.record);
  await enter();
}

async function enter() {
  const c = session.client;
  session.me = session.me || (await c.profile());
  session.equivalents = await c.equivalents();
  session.names.set(session.me.pid, session.me.display_name);
  session.stage = 'ready';
  changed();
  listen(c);
}

/** Live notifications from the event stream; it resumes by itself after a reconnect. */
async function listen(client) {
  const key = 'geo.events.' + client.pid;
  const after = Number(localStorage.getItem(key) || 0);
  try {
    for await (const event of client.events(after)) {
      if (client !== session.client) break;
      localStorage.setItem(key, String(event.id));
      session.notifications = [event, ...session.notifications].slice(0, 100);
      session.unread += 1;
      session.toast = event;
      session.refresh = (session.refresh || 0) + 1;
      changed();
    }
  } catch (e) {
    console.warn('event stream ended', e);
  }
}

/** Locks the wallet: forgets the identity and client in memory (the key file stays). */
export function lock() {
  session.identity = null;
  session.client = null;
  session.me = null;
  session.notifications = [];
  session.unread = 0;
  session.stage = session.record ? 'locked' : 'welcome';
  navigate('/');
}

/** Removes the key file from this device (after the member saved the phrase or the file). */
export async function forgetDevice() {
  await keystore.forget();
  session.record = null;
  lock();
}

/** A member's display name, asked once and remembered (the PID's short form meanwhile). */
export async function nameOf(pid) {
  if (session.names.has(pid)) return session.names.get(pid);
  try {
    const p = await session.client.participant(pid);
    session.names.set(pid, p.display_name);
    return p.display_name;
  } catch {
    session.names.set(pid, null);
    return null;
  }
}

export function precisionOf(code) {
  const e = session.equivalents.find((x) => x.code === code);
  return e ? e.precision : 0;
}
