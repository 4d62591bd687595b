// A returning member opens the key file kept on this device with their passphrase.
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { Field, Message, errorText, shortPid } from '../../ui.js';
import { t } from '../../i18n/index.js';
import { session, unlock, forgetDevice } from '../session.js';

export function Unlock() {
  const [pass, setPass] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const submit = async (ev) => {
    ev.preventDefault();
    setBusy(true);
    setError('');
    try {
      await unlock(pass);
    } catch (e) {
      setError(errorText(e));
      setBusy(false);
    }
  };
  const forget = () => {
    if (confirm(t('unlock.forget_confirm'))) forgetDevice();
  };
  return html`<form class="card" onSubmit=${submit} data-testid="unlock">
    <h2>${t('unlock.title')}</h2>
    <p>${t('unlock.who', { pid: shortPid(session.record.pid) })}</p>
    <${Field} id="unlock-pass" label=${t('passphrase.label')}>
      <input id="unlock-pass" type="password" autocomplete="current-password" value=${pass} onInput=${(e) => setPass(e.currentTarget.value)} />
    <//>
    <${Message} kind="error">${error}<//>
    <button type="submit" disabled=${busy}>${busy ? t('working') : t('unlock.open')}</button>
    <button type="button" class="link" onClick=${forget}>${t('unlock.forget')}</button>
  </form>`;
}
