// Per equivalent: what I owe, what I am owed, my net position, the trust I gave and received,
// and how much I can pay right now.
import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import { Message, errorText } from '../../ui.js';
import { t } from '../../i18n/index.js';
import { session, useSession, navigate } from '../session.js';

export function Dashboard() {
  const s = useSession();
  const [balances, setBalances] = useState(null);
  const [error, setError] = useState('');
  useEffect(() => {
    s.client.balance().then(setBalances, (e) => setError(errorText(e)));
  }, [s.refresh]);
  return html`<section data-testid="dashboard">
    <h1>${t('dashboard.hello', { name: s.me.display_name })}</h1>
    <${Message} kind="error">${error}<//>
    ${balances && balances.length === 0 && html`<div class="card"><p>${t('dashboard.empty')}</p>
      <button onClick=${() => navigate('/trust')}>${t('nav.trust')}</button></div>`}
    <div class="grid">
      ${(balances || []).map((b) => html`<article class="card balance" key=${b.equivalent} data-equivalent=${b.equivalent}>
        <h2>${b.equivalent}</h2>
        <p class="net ${b.net.startsWith('-') ? 'negative' : ''}"><span>${t('dashboard.net')}</span> <strong data-testid="net">${b.net}</strong></p>
        <dl>
          <dt>${t('dashboard.owe')}</dt><dd data-testid="debt">${b.debt}</dd>
          <dt>${t('dashboard.owed')}</dt><dd data-testid="credit">${b.credit}</dd>
          <dt>${t('dashboard.trust_given')}</dt><dd>${b.trust_given}</dd>
          <dt>${t('dashboard.trust_received')}</dt><dd>${b.trust_received}</dd>
          <dt>${t('dashboard.can_pay')}</dt><dd data-testid="can-pay">${b.available_to_spend}</dd>
          <dt>${t('dashboard.can_receive')}</dt><dd>${b.available_to_receive}</dd>
        </dl>
      </article>`)}
    </div>
    <div class="actions">
      <button onClick=${() => navigate('/pay')}>${t('nav.pay')}</button>
      <button class="secondary" onClick=${() => navigate('/request')}>${t('nav.request')}</button>
    </div>
  </section>`;
}
