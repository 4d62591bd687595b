// Participants: suspend or reactivate a member by PID, with a reason kept in the journal.
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { parsePid } from '@geo/client';
import { Field, Message, errorText } from '../../ui.js';
import { t } from '../../i18n/index.js';
import { useConsole } from '../console.js';

export function Participants() {
  const c = useConsole();
  const [pid, setPid] = useState('');
  const [reason, setReason] = useState('');
  const [error, setError] = useState('');
  const [message, setMessage] = useState(null);
  const [member, setMember] = useState(null);
  const act = async (status) => {
    setMessage(null);
    try {
      parsePid(pid);
    } catch {
      return setError(t('pay.bad_pid'));
    }
    setError('');
    try {
      const p = await c.client.setStatus(pid, status, reason || undefined);
      setMember(p);
      setMessage({ kind: 'ok', text: t('admin.status_set', { name: p.display_name, status: t('admin.status_' + p.status) }) });
    } catch (e) {
      setMessage({ kind: 'error', text: errorText(e) });
    }
  };
  return html`<section data-testid="participants">
    <h1>${t('admin.participants')}</h1>
    <form class="card" onSubmit=${(e) => e.preventDefault()} novalidate>
      <${Field} id="member-pid" label=${t('admin.member_pid')} error=${error}>
        <input id="member-pid" autocomplete="off" spellcheck=${false} value=${pid} onInput=${(e) => setPid(e.currentTarget.value.trim())} />
      <//>
      <${Field} id="member-reason" label=${t('admin.reason')}>
        <input id="member-reason" value=${reason} onInput=${(e) => setReason(e.currentTarget.value)} />
      <//>
      <div class="actions">
        <button type="button" class="danger" onClick=${() => act('suspended')}>${t('admin.suspend')}</button>
        <button type="button" onClick=${() => act('active')}>${t('admin.reactivate')}</button>
      </div>
    </form>
    <${Message} kind=${message?.kind} testid="participant-message">${message?.text}<//>
    ${member && html`<div class="card" data-testid="member">
      <p><strong>${member.display_name}</strong> <code>${member.pid}</code></p>
      <p>${t('admin.state')}: <strong data-testid="member-status">${t('admin.status_' + member.status)}</strong></p>
    </div>`}
  </section>`;
}
