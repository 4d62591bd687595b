// Trust lines: the ones I give (who may owe me, up to what) and the ones I receive; set, change
// or close a line I give. Closing is refused while debt remains, with the hub's explanation.
import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import { parseAmount } from '@geo/client';
import { Field, Message, errorText } from '../../ui.js';
import { t } from '../../i18n/index.js';
import { session, useSession, precisionOf, changed } from '../session.js';
import { MemberPicker, isPid } from '../member-picker.js';
import { Name } from '../name.js';
import { percent } from '../../amount.js';

function Line({ line, given, onEdit, onClose }) {
  const other = given ? line.debtor : line.creditor;
  const used = percent(line.used, line.limit, precisionOf(line.equivalent));
  return html`<li class="line" data-testid=${given ? 'line-given' : 'line-received'}>
    <div><${Name} pid=${other} /> <span class="eq">${line.equivalent}</span></div>
    <div class="usage">
      <meter min="0" max="100" value=${used} aria-label=${t('trust.used_of', { used: line.used, limit: line.limit })}></meter>
      <span>${t('trust.used_of', { used: line.used, limit: line.limit })}</span>
    </div>
    ${!line.policy.auto_clearing && html`<small>${t('trust.no_auto')}</small>`}
    ${given && html`<div class="actions">
      <button class="secondary" onClick=${() => onEdit(line)}>${t('trust.change')}</button>
      <button class="danger" onClick=${() => onClose(line)}>${t('trust.close')}</button>
    </div>`}
  </li>`;
}

export function Trust() {
  const s = useSession();
  const [given, setGiven] = useState([]);
  const [received, setReceived] = useState([]);
  const [member, setMember] = useState('');
  const [equivalent, setEquivalent] = useState(s.equivalents[0]?.code || '');
  const [limit, setLimit] = useState('');
  const [auto, setAuto] = useState(true);
  const [errors, setErrors] = useState({});
  const [message, setMessage] = useState(null);
  const [busy, setBusy] = useState(false);

  const load = async () => {
    const c = s.client;
    const [g, r] = await Promise.all([c.trustLines({ direction: 'outgoing' }), c.trustLines({ direction: 'incoming' })]);
    setGiven(g.filter((l) => l.status === 'active'));
    setReceived(r.filter((l) => l.status === 'active'));
  };
  useEffect(() => {
    load().catch((e) => setMessage({ kind: 'error', text: errorText(e) }));
  }, [s.refresh]);

  const submit = async (ev) => {
    ev.preventDefault();
    const errs = {};
    if (!isPid(member)) errs.member = t('pay.bad_pid');
    else if (member === s.me.pid) errs.member = t('trust.not_self');
    try {
      parseAmount(limit, precisionOf(equivalent));
    } catch (e) {
      errs.limit = errorText(e);
    }
    setErrors(errs);
    if (Object.keys(errs).length) return;
    setBusy(true);
    setMessage(null);
    try {
      const known = await s.client.participant(member).catch((e) => {
        if (e.code === 'E_NOT_FOUND') throw Object.assign(new Error(t('pay.unknown_member')), { field: 'member' });
        throw e;
      });
      s.names.set(known.pid, known.display_name);
      const policy = auto ? undefined : { auto_clearing: false, can_be_intermediate: true, blocked_participants: [] };
      await s.client.setTrustLine(member, equivalent, limit, policy);
      setMessage({ kind: 'ok', text: t('trust.saved', { name: known.display_name, limit, equivalent }) });
      setMember('');
      setLimit('');
      await load();
    } catch (e) {
      if (e.field) setErrors({ [e.field]: e.message });
      else setMessage({ kind: 'error', text: errorText(e) });
    }
    setBusy(false);
  };
  const edit = (line) => {
    setMember(line.debtor);
    setEquivalent(line.equivalent);
    setLimit(line.limit);
    setAuto(line.policy.auto_clearing);
    document.getElementById('trust-member')?.focus();
  };
  const close = async (line) => {
    setMessage(null);
    try {
      await s.client.closeTrustLine(line.debtor, line.equivalent);
      setMessage({ kind: 'ok', text: t('trust.closed') });
      await load();
      changed();
    } catch (e) {
      setMessage({ kind: 'error', text: t('trust.close_refused', { why: errorText(e) }) });
    }
  };

  return html`<section data-testid="trust">
    <h1>${t('nav.trust')}</h1>
    <${Message} kind=${message?.kind} testid="trust-message">${message?.text}<//>
    <form class="card" onSubmit=${submit} novalidate>
      <h2>${t('trust.set_title')}</h2>
      <p class="note">${t('trust.explain')}</p>
      <${MemberPicker} id="trust-member" label=${t('trust.member')} value=${member} onChange=${setMember} error=${errors.member} />
      <${Field} id="trust-eq" label=${t('equivalent')}>
        <select id="trust-eq" value=${equivalent} onChange=${(e) => setEquivalent(e.currentTarget.value)}>
          ${s.equivalents.map((e) => html`<option value=${e.code}>${e.code}${e.description ? ' — ' + e.description : ''}</option>`)}
        </select>
      <//>
      <${Field} id="trust-limit" label=${t('trust.limit')} hint=${t('amount.hint', { n: precisionOf(equivalent) })} error=${errors.limit}>
        <input id="trust-limit" inputmode="decimal" autocomplete="off" value=${limit} onInput=${(e) => setLimit(e.currentTarget.value.trim())} aria-describedby="trust-limit-hint" />
      <//>
      <div class="field check">
        <input id="trust-auto" type="checkbox" checked=${auto} onChange=${(e) => setAuto(e.currentTarget.checked)} />
        <label for="trust-auto">${t('trust.auto')}</label>
      </div>
      <button type="submit" disabled=${busy}>${busy ? t('working') : t('trust.save')}</button>
    </form>
    <div class="grid">
      <div class="card">
        <h2>${t('trust.given')}</h2>
        ${given.length === 0 ? html`<p>${t('trust.none')}</p>` : html`<ul class="lines">${given.map((l) => html`<${Line} key=${l.id} line=${l} given onEdit=${edit} onClose=${close} />`)}</ul>`}
      </div>
      <div class="card">
        <h2>${t('trust.received')}</h2>
        ${received.length === 0 ? html`<p>${t('trust.none')}</p>` : html`<ul class="lines">${received.map((l) => html`<${Line} key=${l.id} line=${l} />`)}</ul>`}
      </div>
    </div>
  </section>`;
}
