// Clearing: run the optimal clearing of an equivalent now; each run's outcome is listed (what it
// set off, how many debts it reduced, or the proposal it opened for members' consent).
import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import { Field, Message, errorText } from '../../ui.js';
import { t } from '../../i18n/index.js';
import { useConsole, equivalents } from '../console.js';

export function ClearingRuns() {
  const c = useConsole();
  const [list, setList] = useState([]);
  const [code, setCode] = useState('');
  const [runs, setRuns] = useState([]);
  const [message, setMessage] = useState('');
  useEffect(() => {
    equivalents().then((l) => {
      setList(l);
      if (l[0]) setCode(l[0].code);
    });
  }, []);
  const run = async (ev) => {
    ev.preventDefault();
    setMessage('');
    try {
      const r = await c.client.runClearing(code);
      setRuns([{ ...r, at: new Date().toLocaleTimeString() }, ...runs]);
    } catch (e) {
      setMessage(errorText(e));
    }
  };
  return html`<section data-testid="clearing-runs">
    <h1>${t('admin.clearing')}</h1>
    <form class="card" onSubmit=${run}>
      <${Field} id="run-eq" label=${t('equivalent')}>
        <select id="run-eq" value=${code} onChange=${(e) => setCode(e.currentTarget.value)}>
          ${list.map((e) => html`<option value=${e.code}>${e.code}</option>`)}
        </select>
      <//>
      <button type="submit" disabled=${!code}>${t('admin.run_now')}</button>
    </form>
    <${Message} kind="error">${message}<//>
    <ul>
      ${runs.map((r, i) => html`<li class="card" key=${i} data-testid="run">
        <strong>${r.at} · ${r.equivalent}</strong>:
        ${r.cleared
          ? t('admin.run_cleared', { total: r.total, n: r.debts_reduced })
          : r.proposal
            ? t('admin.run_proposed', { id: r.proposal })
            : t('admin.run_nothing')}
        ${r.clearing_id && html`<div><small class="mono">${r.clearing_id}</small></div>`}
      </li>`)}
    </ul>
  </section>`;
}
