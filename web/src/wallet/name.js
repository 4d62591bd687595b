// A member's display name next to their short PID; the whole PID is in the title.
import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import { nameOf, session } from './session.js';
import { shortPid } from '../ui.js';
import { t } from '../i18n/index.js';

export function Name({ pid }) {
  const [name, set] = useState(session.names.get(pid));
  useEffect(() => {
    let live = true;
    nameOf(pid).then((n) => live && set(n));
    return () => (live = false);
  }, [pid]);
  const me = session.me && session.me.pid === pid;
  return html`<span class="name" title=${pid}>${me ? t('you') : name || t('unknown_member')} <code>${shortPid(pid)}</code></span>`;
}
