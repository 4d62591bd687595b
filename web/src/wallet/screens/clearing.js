// Clearing: proposals that need my consent (accept or refuse, each verified against the hub's
// key by the package), and what clearing has already removed from my debts.
import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import { Message, errorText } from '../../ui.js';
import { t } from '../../i18n/index.js';
import { useSession, changed } from '../session.js';
import { Name } from '../name.js';

function Edges({ edges }) {
  return html`<ul class="edges">
    ${edges.map((e, i) => html`<li key=${i}><${Name} pid=${e.debtor} /> → <${Name} pid=${e.creditor} />: <strong>${e.amount}</strong></li>`)}
  </ul>`;
}

export function Clearing() {
  const s = useSession();
  const [proposals, setProposals] = useState([]);
  const [done, setDone] = useState([]);
  const [message, setMessage] = useState(null);
  const load = async () => {
    const [p, c] = await Promise.all([s.client.clearingProposals(), s.client.clearings()]);
    setProposals(p);
    setDone(c);
  };
  useEffect(() => {
    load().catch((e) => setMessage({ kind: 'error', text: errorText(e) }));
  }, [s.refresh]);
  const decide = async (proposal, decision) => {
    setMessage(null);
    try {
      const r = await s.client.consent(proposal, decision);
      setMessage({ kind: 'ok', text: t(decision === 'accept' ? 'clearing.accepted' : 'clearing.rejected', { status: r.status }) });
      await load();
      changed();
    } catch (e) {
      setMessage({ kind: 'error', text: errorText(e) });
    }
  };
  const mine = (p) => p.consent_required_from.includes(s.me.pid) && !p.accepted_by.includes(s.me.pid);
  return html`<section data-testid="clearing">
    <h1>${t('nav.clearing')}</h1>
    <p class="note">${t('clearing.explain')}</p>
    <${Message} kind=${message?.kind} testid="clearing-message">${message?.text}<//>
    <h2>${t('clearing.proposals')}</h2>
    ${proposals.length === 0 && html`<p class="card">${t('clearing.no_proposals')}</p>`}
    ${proposals.map((p) => {
      const signed = typeof p.proposal === 'string' ? JSON.parse(p.proposal) : p.proposal;
      const edges = signed.payload.edges;
      return html`<article class="card proposal" key=${p.clearing_id} data-testid="proposal">
        <h3>${t('clearing.proposal', { equivalent: p.equivalent })}</h3>
        <${Edges} edges=${edges} />
        <small>${t('clearing.expires', { at: new Date(p.expires_at).toLocaleString() })}</small>
        ${mine(p)
          ? html`<div class="actions">
              <button onClick=${() => decide(p, 'accept')}>${t('clearing.accept')}</button>
              <button class="danger" onClick=${() => decide(p, 'reject')}>${t('clearing.reject')}</button>
            </div>`
          : html`<p>${t('clearing.waiting')}</p>`}
      </article>`;
    })}
    <h2>${t('clearing.done')}</h2>
    ${done.length === 0 && html`<p class="card">${t('clearing.none_done')}</p>`}
    ${done.map((c) => html`<article class="card" key=${c.clearing_id} data-testid="cleared">
      <h3>${t('clearing.cleared_at', { equivalent: c.equivalent, at: new Date(c.at).toLocaleString() })}</h3>
      <${Edges} edges=${c.edges.filter((e) => e.debtor === s.me.pid || e.creditor === s.me.pid)} />
    </article>`)}
  </section>`;
}
