// Integrity: the hub replays its journal and checks the hash chain and every invariant.
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { Message, errorText } from '../../ui.js';
import { t } from '../../i18n/index.js';
import { useConsole } from '../console.js';

export function Integrity() {
  const c = useConsole();
  const [report, setReport] = useState(null);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const check = async () => {
    setBusy(true);
    setError('');
    try {
      setReport(await c.client.integrity());
    } catch (e) {
      setError(errorText(e));
    }
    setBusy(false);
  };
  return html`<section data-testid="integrity">
    <h1>${t('admin.integrity')}</h1>
    <div class="card">
      <p class="note">${t('admin.integrity_explain')}</p>
      <button onClick=${check} disabled=${busy}>${busy ? t('working') : t('admin.check')}</button>
    </div>
    <${Message} kind="error">${error}<//>
    ${report && html`<div class="card ${report.status === 'ok' ? 'ok' : 'failed'}" data-testid="integrity-report">
      <p><strong>${report.status === 'ok' ? t('admin.integrity_ok') : t('admin.integrity_bad')}</strong></p>
      <p>${t('admin.journal_entries', { n: report.journal_entries })}</p>
      ${report.head_hash && html`<p><small class="mono">${report.head_hash}</small></p>`}
      ${report.problems.length > 0 && html`<ul>${report.problems.map((p) => html`<li>${p}</li>`)}</ul>`}
    </div>`}
  </section>`;
}
