// Clearing: run the optimal clearing of an equivalent now; each run's outcome is listed (what it
// set off, how many debts it reduced, or the proposal it opened for members' consent). Below, every
// clearing applied, with its cleared amount and set-offs, from hub-signed receipts the package
// verified against the hub's published key (one that does not verify shows no list, only a warning).
import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import { Field, Message, errorText, shortPid } from '../../ui.js';
import { t } from '../../i18n/index.js';
import { useConsole, equivalents } from '../console.js';

export function ClearingRuns() {
  const c = useConsole();
  const [list, setList] = useState([]);
  const [code, setCode] = useState('');
  const [runs, setRuns] = useState([]);
  const [message, setMessage] = useState('');
  const [applied, setApplied] = useState(null);
  const [refused, setRefused] = useState('');
  useEffect(() => {
    equivalents().then((l) => {
      setList(l);
      if (l[0]) setCode(l[0].code);
    });
  }, []);
  const load = async () => {
    if (!code) return;
    setRefused('');
    try {
      setApplied(await c.client.clearings(code));
    } catch (e) {
      setApplied(null);
      setRefused(e && e.code === 'E_INVALID_SIGNATURE' ? `${t('admin.receipt_refused')} (${e.message})` : errorText(e));
    }
  };
  useEffect(() => {
    load();
  }, [code]);
  const run = async (ev) => {
    ev.preventDefault();
    setMessage('');
    try {
      const r = await c.client.runClearing(code);
      setRuns([{ ...r, at: new Date().toLocaleTimeString() }, ...runs]);
      await load();
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
    <h2>${t('admin.applied')}</h2>
    <button type="button" class="secondary" onClick=${load} disabled=${!code}>${t('admin.refresh')}</button>
    <${Message} kind="error" testid="receipts-refused">${refused}<//>
    ${applied && applied.length === 0 && html`<p>${t('admin.applied_none')}</p>`}
    <ul>
      ${(applied || []).map((x) => html`<li class="card" key=${x.clearing_id} data-testid="clearing">
        <strong>${new Date(x.at).toLocaleString()}</strong>:
        <span data-testid="cleared-total">${t('admin.cleared_total', { total: x.receipt.payload.total, equivalent: x.equivalent, n: x.edges.length })}</span>
        <p class="message ok" data-testid="receipt-verified">${t('admin.receipt_verified', { seq: x.journal_seq })}</p>
        <details>
          <summary>${t('admin.set_offs')}</summary>
          <ul class="edges">
            ${x.edges.map((e) => html`<li key=${e.debtor + e.creditor}>
              <code title=${e.debtor}>${shortPid(e.debtor)}</code> → <code title=${e.creditor}>${shortPid(e.creditor)}</code>: ${e.amount}
            </li>`)}
          </ul>
          <small class="mono">${x.clearing_id}</small>
        </details>
      </li>`)}
    </ul>
  </section>`;
}
