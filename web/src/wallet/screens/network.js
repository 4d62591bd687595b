// My trust network: me in the middle, the members I share lines with around me, each edge
// showing the trust both ways and who owes whom. The hub shows each member only their own lines,
// so the picture is one hop; the list below says the same in words.
import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import { Field, Message, errorText } from '../../ui.js';
import { t } from '../../i18n/index.js';
import { useSession, precisionOf } from '../session.js';
import { Name } from '../name.js';
import { minor } from '../../amount.js';

const SIZE = 340;
const C = SIZE / 2;

export function Network() {
  const s = useSession();
  const [equivalent, setEquivalent] = useState(s.equivalents[0]?.code || '');
  const [people, setPeople] = useState([]);
  const [error, setError] = useState('');
  useEffect(() => {
    if (!equivalent) return;
    s.client.debts(equivalent).then(setPeople, (e) => setError(errorText(e)));
  }, [equivalent, s.refresh]);
  const p = precisionOf(equivalent);
  const r = people.length > 1 ? C - 52 : 0;
  const placed = people.map((x, i) => {
    const a = (2 * Math.PI * i) / Math.max(1, people.length) - Math.PI / 2;
    return { ...x, x: C + (people.length === 1 ? 0 : r * Math.cos(a)), y: people.length === 1 ? C - (C - 52) : C + r * Math.sin(a) };
  });
  const label = (x) => x.display_name || x.pid.slice(0, 6);
  return html`<section data-testid="network">
    <h1>${t('nav.network')}</h1>
    <div class="card">
      <${Field} id="net-eq" label=${t('equivalent')}>
        <select id="net-eq" value=${equivalent} onChange=${(e) => setEquivalent(e.currentTarget.value)}>
          ${s.equivalents.map((e) => html`<option value=${e.code}>${e.code}</option>`)}
        </select>
      <//>
      <${Message} kind="error">${error}<//>
      <svg class="network" viewBox=${`0 0 ${SIZE} ${SIZE}`} role="img" aria-label=${t('network.picture', { n: people.length })}>
        ${placed.map((x) => {
          const owe = minor(x.i_owe, p) > 0n;
          const owed = minor(x.owes_me, p) > 0n;
          return html`<g key=${x.pid}>
            <line x1=${C} y1=${C} x2=${x.x} y2=${x.y} class=${owe ? 'edge owe' : owed ? 'edge owed' : 'edge'} />
          </g>`;
        })}
        <circle cx=${C} cy=${C} r="30" class="me" />
        <text x=${C} y=${C + 5} text-anchor="middle" class="me-label">${t('you')}</text>
        ${placed.map((x) => html`<g key=${'n' + x.pid}>
          <circle cx=${x.x} cy=${x.y} r="24" class="member" />
          <text x=${x.x} y=${x.y + 4} text-anchor="middle" class="member-label">${label(x).slice(0, 8)}</text>
        </g>`)}
      </svg>
      <p class="legend"><span class="key owe"></span> ${t('network.i_owe')} <span class="key owed"></span> ${t('network.owes_me')}</p>
    </div>
    <ul class="card people">
      ${people.length === 0 && html`<li>${t('network.alone')}</li>`}
      ${people.map((x) => html`<li key=${x.pid} data-testid="neighbour">
        <${Name} pid=${x.pid} />
        <div>${t('network.row', { i_owe: x.i_owe, owes_me: x.owes_me, given: x.limit_given, received: x.limit_received, equivalent })}</div>
      </li>`)}
    </ul>
  </section>`;
}
