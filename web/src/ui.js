// Small shared pieces of both apps: labelled fields, messages, the language switch, the offline
// banner, and the text of an error for a person (by its stable code).
import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import { t, lang, setLang, useLang } from './i18n/index.js';

export { html };

/** A person's sentence for a failure: a known `E_…` code, else the hub's own explanation. */
export function errorText(e) {
  const code = e && e.code;
  const known = code && t('error.' + code);
  const detail = e && e.problem && e.problem.detail;
  if (known && known !== 'error.' + code) return detail ? `${known} (${detail})` : known;
  return detail || (e && e.message) || String(e);
}

/** A labelled input with its hint and error, wired for screen readers. */
export function Field({ id, label, hint, error, children }) {
  return html`<div class="field ${error ? 'invalid' : ''}">
    <label for=${id}>${label}</label>
    ${children}
    ${hint && html`<small id=${id + '-hint'} class="hint">${hint}</small>`}
    ${error && html`<p id=${id + '-error'} class="error" role="alert">${error}</p>`}
  </div>`;
}

/** A status line: `error` is announced at once, the others politely. */
export function Message({ kind = 'info', children, testid }) {
  if (!children) return null;
  return html`<p class="message ${kind}" role=${kind === 'error' ? 'alert' : 'status'} data-testid=${testid}>${children}</p>`;
}

export function LanguageSwitch() {
  useLang();
  return html`<label class="lang">
    <span class="sr-only">${t('language')}</span>
    <select aria-label=${t('language')} value=${lang()} onChange=${(e) => setLang(e.currentTarget.value)}>
      <option value="en">English</option>
      <option value="uk">Українська</option>
    </select>
  </label>`;
}

/** Whether the browser believes it is online, kept up to date. */
export function useOnline() {
  const [online, set] = useState(navigator.onLine);
  useEffect(() => {
    const up = () => set(true);
    const down = () => set(false);
    addEventListener('online', up);
    addEventListener('offline', down);
    return () => {
      removeEventListener('online', up);
      removeEventListener('offline', down);
    };
  }, []);
  return online;
}

export function OfflineBanner() {
  useLang();
  const online = useOnline();
  if (online) return null;
  return html`<p class="offline" role="status" data-testid="offline">${t('offline')}</p>`;
}

/** The first and last characters of a PID, for lists (the whole PID is in the title). */
export function shortPid(pid) {
  return pid && pid.length > 14 ? `${pid.slice(0, 6)}…${pid.slice(-4)}` : pid;
}

/** Registers the service worker (the app shell works offline); ignored where unsupported. */
export function registerServiceWorker() {
  if ('serviceWorker' in navigator && location.protocol !== 'file:') {
    navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch(() => {});
  }
}
