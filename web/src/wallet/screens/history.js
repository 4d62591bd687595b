// Payment history, newest first, a page at a time; filter by direction, equivalent and status.
import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import { Field, Message, errorText } from '../../ui.js';
import { t } from '../../i18n/index.js';
import { useSession } from '../session.js';
import { Name } from '../name.js';

const PAGE = 20;

export function History() {
  const s = useSession();
  const [direction, setDirection] = useState('');
  const [equivalent, setEquivalent] = useState('');
  const [status, setStatus] = useState('');
  const [items, setItems] = useState([]);
  const [cursor, setCursor] = useState(null);
  const [error, setError] = useState('');

  const filter = () => ({
    limit: PAGE,
    ...(direction ? { direction } : {}),
    ...(equivalent ? { equivalent } : {}),
    ...(status ? { status } : {}),
  });
  const load = async (from) => {
    try {
      const page = await s.client.historyPage(filter(), from || undefined);
      setItems(from ? [...items, ...page.items] : page.items);
      setCursor(page.next_cursor || null);
      setError('');
    } catch (e) {
      setError(errorText(e));
    }
  };
  useEffect(() => {
    load(null);
  }, [direction, equivalent, status, s.refresh]);

  return html`<section data-testid="history">
    <h1>${t('nav.history')}</h1>
    <div class="card filters">
      <${Field} id="h-dir" label=${t('history.direction')}>
        <select id="h-dir" value=${direction} onChange=${(e) => setDirection(e.currentTarget.value)}>
          <option value="">${t('history.all')}</option>
          <option value="sent">${t('history.sent')}</option>
          <option value="received">${t('history.received')}</option>
        </select>
      <//>
      <${Field} id="h-eq" label=${t('equivalent')}>
        <select id="h-eq" value=${equivalent} onChange=${(e) => setEquivalent(e.currentTarget.value)}>
          <option value="">${t('history.all')}</option>
          ${s.equivalents.map((e) => html`<option value=${e.code}>${e.code}</option>`)}
        </select>
      <//>
      <${Field} id="h-status" label=${t('history.status')}>
        <select id="h-status" value=${status} onChange=${(e) => setStatus(e.currentTarget.value)}>
          <option value="">${t('history.all')}</option>
          <option value="committed">${t('status.committed')}</option>
          <option value="aborted">${t('status.aborted')}</option>
          <option value="prepared">${t('status.prepared')}</option>
        </select>
      <//>
    </div>
    <${Message} kind="error">${error}<//>
    ${items.length === 0 && !error && html`<p class="card">${t('history.none')}</p>`}
    <ul class="history">
      ${items.map((p) => {
        const sent = p.payer === s.me.pid;
        return html`<li key=${p.tx_id} class="card payment ${sent ? 'sent' : 'received'}" data-testid="payment">
          <div class="amount ${sent ? 'negative' : ''}">${sent ? '−' : '+'}${p.amount} ${p.equivalent}</div>
          <div>${sent ? t('history.to') : t('history.from')} <${Name} pid=${sent ? p.payee : p.payer} /></div>
          ${p.description && html`<div class="desc">${p.description}</div>`}
          <small>${t('status.' + p.status)} · <time datetime=${p.created_at}>${new Date(p.created_at).toLocaleString()}</time></small>
        </li>`;
      })}
    </ul>
    ${cursor && html`<button class="secondary" onClick=${() => load(cursor)}>${t('history.more')}</button>`}
  </section>`;
}
