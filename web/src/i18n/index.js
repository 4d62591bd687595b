// The language of the page: English or Ukrainian, chosen by the member (kept in localStorage) or
// from the browser. `t(key, vars)` fills `{name}` placeholders; a missing key shows the key itself.
import { useEffect, useState } from 'preact/hooks';
import en from './en.js';
import uk from './uk.js';

export const LANGUAGES = { en, uk };
const bus = new EventTarget();
let current = pick();

function pick() {
  try {
    const saved = localStorage.getItem('geo.lang');
    if (saved && LANGUAGES[saved]) return saved;
  } catch {}
  return (navigator.language || 'en').toLowerCase().startsWith('uk') ? 'uk' : 'en';
}

export function lang() {
  return current;
}

export function setLang(code) {
  if (!LANGUAGES[code]) return;
  current = code;
  try {
    localStorage.setItem('geo.lang', code);
  } catch {}
  document.documentElement.lang = code;
  bus.dispatchEvent(new Event('change'));
}

export function t(key, vars = {}) {
  const text = LANGUAGES[current][key] ?? en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (m, name) => (name in vars ? String(vars[name]) : m));
}

/** Re-renders the caller when the language changes. */
export function useLang() {
  const [, set] = useState(0);
  useEffect(() => {
    const f = () => set((n) => n + 1);
    bus.addEventListener('change', f);
    return () => bus.removeEventListener('change', f);
  }, []);
  return current;
}

document.documentElement.lang = current;
