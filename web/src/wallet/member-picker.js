// Find a member by name or PID: type a name to search the hub, or paste a whole PID.
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { parsePid } from '@geo/client';
import { Field, shortPid } from '../ui.js';
import { t } from '../i18n/index.js';
import { session } from './session.js';

/** `value` is the chosen PID text; `onChange(pid)` when the member picks or types one. */
export function MemberPicker({ id, label, value, onChange, error }) {
  const [results, setResults] = useState([]);
  const [searching, setSearching] = useState(false);
  const search = async () => {
    const q = value.trim();
    if (!q) return;
    setSearching(true);
    try {
      const found = await session.client.searchParticipants(q, 10);
      setResults(found.filter((p) => p.pid !== session.me.pid));
    } catch {
      setResults([]);
    }
    setSearching(false);
  };
  const onKey = (e) => {
    if (e.key === 'Enter' && !isPid(value)) {
      e.preventDefault();
      search();
    }
  };
  return html`<div class="picker">
    <${Field} id=${id} label=${label} hint=${t('picker.hint')} error=${error}>
      <div class="row">
        <input id=${id} autocomplete="off" autocapitalize="none" spellcheck=${false} value=${value}
          onInput=${(e) => onChange(e.currentTarget.value.trim())} onKeyDown=${onKey}
          aria-describedby=${id + '-hint'} />
        <button type="button" class="secondary" onClick=${search} disabled=${searching}>${t('picker.search')}</button>
      </div>
    <//>
    ${results.length > 0 && html`<ul class="results" aria-label=${t('picker.results')}>
      ${results.map((p) => html`<li key=${p.pid}><button type="button" class="link" onClick=${() => { onChange(p.pid); session.names.set(p.pid, p.display_name); setResults([]); }}>
        ${p.display_name} <code>${shortPid(p.pid)}</code></button></li>`)}
    </ul>`}
  </div>`;
}

export function isPid(text) {
  try {
    parsePid(text);
    return true;
  } catch {
    return false;
  }
}
