// A verified payment receipt, shown simply: who, how much, and the paths it took.
import { html } from 'htm/preact';
import { t } from '../i18n/index.js';
import { Name } from './name.js';

/** `record` is a verified Receipt (from pay) or a PaymentRecord `{ payment, receipt }`. */
export function ReceiptView({ record }) {
  const p = record.payment || record;
  const r = record.payment ? record.receipt : record;
  const ok = p.status === 'committed';
  return html`<article class="card receipt ${ok ? 'ok' : 'failed'}" data-testid="receipt" aria-live="polite">
    <h2>${ok ? t('receipt.paid') : t('receipt.not_paid')}</h2>
    <p class="big">${p.amount} ${p.equivalent}</p>
    <p>${t('receipt.to')} <${Name} pid=${p.payee} /></p>
    ${r && html`<p class="note">${t('receipt.verified')}</p>`}
    ${p.routes.length > 0 && html`<div>
      <h3>${t('receipt.paths', { n: p.routes.length })}</h3>
      <ol class="routes">
        ${p.routes.map((route, i) => html`<li key=${i}>
          ${route.path.map((pid, j) => html`${j > 0 ? ' → ' : ''}<${Name} pid=${pid} />`)}
          <strong> ${route.amount}</strong>
        </li>`)}
      </ol>
    </div>`}
    <small class="mono">tx ${p.tx_id}</small>
  </article>`;
}
