// My trust network: me in the middle, one ring per hop (up to three), an arrow from each creditor
// to the member it trusts, coloured where I owe or am owed, dashed where someone else's line
// carries a debt (the hub shows amounts on my own lines only: spec §8.7). The lists below say the
// same in words: my own lines with their amounts, then the members farther out and who links them.
import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import { Field, Message, errorText } from '../../ui.js';
import { t } from '../../i18n/index.js';
import { useSession } from '../session.js';
import { Name } from '../name.js';
import { layout, segment, via } from '../network-layout.js';

const SIZE = 340;
const MARKS = ['plain', 'owe', 'owed', 'debt'];

/** How a line is drawn, from the member's point of view. */
function kind(line, me) {
  if (!line.in_debt) return 'plain';
  if (line.debtor === me) return 'owe';
  if (line.creditor === me) return 'owed';
  return 'debt';
}

export function Network() {
  const s = useSession();
  const [equivalent, setEquivalent] = useState(s.equivalents[0]?.code || '');
  const [depth, setDepth] = useState(2);
  const [people, setPeople] = useState([]);
  const [net, setNet] = useState(null);
  const [error, setError] = useState('');
  useEffect(() => {
    if (!equivalent) return;
    setError('');
    s.client.debts(equivalent).then(setPeople, (e) => setError(errorText(e)));
    s.client.network(equivalent, depth).then(setNet, (e) => setError(errorText(e)));
  }, [equivalent, depth, s.refresh]);
  const me = s.me?.pid;
  const members = net ? net.members : [];
  const lines = net ? net.lines : [];
  const at = layout(members, lines, SIZE);
  const through = via(members, lines);
  const name = new Map(members.map((m) => [m.pid, m.display_name || m.pid.slice(0, 6)]));
  const near = members.filter((m) => m.hops === 1).length;
  const far = members.filter((m) => m.hops > 1);
  return html`<section data-testid="network">
    <h1>${t('nav.network')}</h1>
    <div class="card">
      <div class="row">
        <${Field} id="net-eq" label=${t('equivalent')}>
          <select id="net-eq" value=${equivalent} onChange=${(e) => setEquivalent(e.currentTarget.value)}>
            ${s.equivalents.map((e) => html`<option value=${e.code}>${e.code}</option>`)}
          </select>
        <//>
        <${Field} id="net-depth" label=${t('network.depth')}>
          <select id="net-depth" value=${depth} onChange=${(e) => setDepth(Number(e.currentTarget.value))}>
            ${[1, 2, 3].map((d) => html`<option value=${d}>${t('network.hops', { n: d })}</option>`)}
          </select>
        <//>
      </div>
      <${Message} kind="error">${error}<//>
      <svg class="network" viewBox=${`0 0 ${SIZE} ${SIZE}`} role="img" data-testid="network-picture"
        aria-label=${t('network.picture', { n: near, m: far.length })}>
        <defs>
          ${MARKS.map((k) => html`<marker id=${'arrow-' + k} viewBox="0 0 10 10" refX="9" refY="5" markerWidth="5" markerHeight="5" orient="auto-start-reverse">
            <path d="M0,0 L10,5 L0,10 z" class=${'head ' + k} />
          </marker>`)}
        </defs>
        ${lines.map((l) => {
          const a = at.get(l.creditor);
          const b = at.get(l.debtor);
          if (!a || !b) return null;
          const k = kind(l, me);
          return html`<line key=${l.creditor + l.debtor} ...${segment(a, b)} class=${'edge ' + k} marker-end=${`url(#arrow-${k})`} />`;
        })}
        ${members.map((m) => {
          const p = at.get(m.pid);
          const label = m.hops === 0 ? t('you') : name.get(m.pid).slice(0, 8);
          const below = m.hops > 1;
          return html`<g key=${m.pid} data-testid="network-member" data-hops=${m.hops}>
            <circle cx=${p.x} cy=${p.y} r=${p.r} class=${m.hops === 0 ? 'me' : 'member hop' + m.hops} />
            <text x=${p.x} y=${below ? p.y + p.r + 10 : p.y + 4} text-anchor="middle"
              class=${m.hops === 0 ? 'me-label' : below ? 'member-label far' : 'member-label'}>${label}</text>
          </g>`;
        })}
      </svg>
      <p class="legend">
        <span class="key plain"></span> ${t('network.trusts')}
        <span class="key owe"></span> ${t('network.i_owe')}
        <span class="key owed"></span> ${t('network.owes_me')}
        <span class="key debt"></span> ${t('network.debt_private')}
      </p>
      ${net && net.truncated && html`<${Message}>${t('network.truncated', { n: members.length })}<//>`}
    </div>
    <h2>${t('network.mine')}</h2>
    <ul class="card people">
      ${people.length === 0 && html`<li>${t('network.alone')}</li>`}
      ${people.map((x) => html`<li key=${x.pid} data-testid="neighbour">
        <${Name} pid=${x.pid} />
        <div>${t('network.row', { i_owe: x.i_owe, owes_me: x.owes_me, given: x.limit_given, received: x.limit_received, equivalent })}</div>
      </li>`)}
    </ul>
    ${far.length > 0 && html`<h2>${t('network.farther')}</h2>
      <ul class="card people">
        ${far.map((m) => html`<li key=${m.pid} data-testid="distant">
          <${Name} pid=${m.pid} />
          <div>${t('network.via', { n: m.hops, name: name.get(through.get(m.pid)) || '?' })}</div>
        </li>`)}
      </ul>`}
  </section>`;
}
