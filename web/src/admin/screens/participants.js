// Participants of every status: find them by name or PID prefix, suspend or reactivate one, with
// a reason kept in the journal.
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { Field, Message, errorText, shortPid } from '../../ui.js';
import { t } from '../../i18n/index.js';
import { useConsole } from '../console.js';

export function Participants() {
  const c = useConsole();
  const [q, setQ] = useState('');
  const [reason, setReason] = useState('');
  const [found, setFound] = useState(null);
  const [message, setMessage] = useState(null);
  const search = async (ev) => {
    ev?.preventDefault();
    setMessage(null);
    try {
      setFound(await c.client.participants(q.trim(), 50));
    } catch (e) {
      setMessage({ kind: 'error', text: errorText(e) });
    }
  };
  const act = async (p, status) => {
    setMessage(null);
    try {
      const changed = await c.client.setStatus(p.pid, status, reason || undefined);
      setFound(found.map((x) => (x.pid === changed.pid ? changed : x)));
      setMessage({ kind: 'ok', text: t('admin.status_set', { name: changed.display_name, status: t('admin.status_' + changed.status) }) });
    } catch (e) {
      setMessage({ kind: 'error', text: errorText(e) });
    }
  };
  return html`<section data-testid="participants">
    <h1>${t('admin.participants')}</h1>
    <form class="card" onSubmit=${search}>
      <${Field} id="member-q" label=${t('admin.find_member')} hint=${t('admin.find_hint')}>
        <input id="member-q" autocomplete="off" spellcheck=${false} value=${q} onInput=${(e) => setQ(e.currentTarget.value)} aria-describedby="member-q-hint" />
      <//>
      <button type="submit">${t('picker.search')}</button>
      <${Field} id="member-reason" label=${t('admin.reason')}>
        <input id="member-reason" value=${reason} onInput=${(e) => setReason(e.currentTarget.value)} />
      <//>
    </form>
    <${Message} kind=${message?.kind} testid="participant-message">${message?.text}<//>
    ${found && found.length === 0 && html`<p class="card">${t('admin.no_members')}</p>`}
    ${found && found.length > 0 && html`<table class="card">
      <caption>${t('admin.participants')}</caption>
      <thead><tr><th scope="col">${t('register.name')}</th><th scope="col">PID</th><th scope="col">${t('admin.state')}</th><th scope="col"><span class="sr-only">${t('admin.actions')}</span></th></tr></thead>
      <tbody>
        ${found.map((p) => html`<tr key=${p.pid} data-testid="member">
          <td>${p.display_name}</td>
          <td><code title=${p.pid}>${shortPid(p.pid)}</code></td>
          <td data-testid="member-status">${t('admin.status_' + p.status)}</td>
          <td>${p.status === 'active'
            ? html`<button class="danger" onClick=${() => act(p, 'suspended')}>${t('admin.suspend')}</button>`
            : p.status === 'suspended'
              ? html`<button onClick=${() => act(p, 'active')}>${t('admin.reactivate')}</button>`
              : ''}</td>
        </tr>`)}
      </tbody>
    </table>`}
  </section>`;
}
