// Live notifications from the hub's event stream: payments, trust lines, clearing.
import { html } from 'htm/preact';
import { useEffect } from 'preact/hooks';
import { t } from '../../i18n/index.js';
import { useSession, changed, session } from '../session.js';
import { Name } from '../name.js';

/** One event in words. */
export function EventText({ event }) {
  const d = event.data || {};
  switch (event.kind) {
    case 'payment_received':
      return html`<span>${t('event.received', { amount: d.amount, equivalent: d.equivalent })} <${Name} pid=${d.payer} /></span>`;
    case 'payment_sent':
      return html`<span>${t('event.sent', { amount: d.amount, equivalent: d.equivalent })} <${Name} pid=${d.payee} /></span>`;
    case 'payment_relayed':
      return html`<span>${t('event.relayed', { amount: d.amount, equivalent: d.equivalent })}</span>`;
    case 'payment_aborted':
      return html`<span>${t('event.aborted', { amount: d.amount, equivalent: d.equivalent })}</span>`;
    case 'trust_line_changed':
      return d.status === 'closed'
        ? html`<span>${t('event.line_closed', { equivalent: d.equivalent })} <${Name} pid=${d.creditor === session.me?.pid ? d.debtor : d.creditor} /></span>`
        : html`<span>${t('event.line_set', { limit: d.limit, equivalent: d.equivalent })} <${Name} pid=${d.creditor} /> → <${Name} pid=${d.debtor} /></span>`;
    case 'clearing_proposed':
      return html`<span>${t('event.clearing_proposed', { equivalent: d.equivalent })}</span>`;
    case 'clearing_committed':
      return html`<span>${t('event.clearing_committed', { equivalent: d.equivalent })}</span>`;
    case 'participant_status_changed':
      return html`<span>${t('event.status', { status: d.status })}</span>`;
    default:
      return html`<span>${event.kind}</span>`;
  }
}

export function Notifications() {
  const s = useSession();
  useEffect(() => {
    if (s.unread) {
      s.unread = 0;
      changed();
    }
  }, [s.notifications.length]);
  return html`<section data-testid="notifications">
    <h1>${t('nav.notifications')}</h1>
    ${s.notifications.length === 0 && html`<p class="card">${t('notifications.none')}</p>`}
    <ul class="notifications">
      ${s.notifications.map((e) => html`<li key=${e.id} class="card" data-kind=${e.kind}><${EventText} event=${e} /></li>`)}
    </ul>
  </section>`;
}
