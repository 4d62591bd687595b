// The operator signs in with the hub's operator token (data/admin.token on the hub's machine).
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { Field, Message, errorText } from '../../ui.js';
import { t } from '../../i18n/index.js';
import { signIn } from '../console.js';

export function SignIn() {
  const [token, setToken] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const submit = async (ev) => {
    ev.preventDefault();
    if (!token.trim()) return setError(t('admin.token_needed'));
    setBusy(true);
    setError('');
    try {
      await signIn(token.trim());
    } catch (e) {
      setError(errorText(e));
      setBusy(false);
    }
  };
  return html`<form class="card" onSubmit=${submit} data-testid="sign-in">
    <h1>${t('admin.sign_in')}</h1>
    <p class="note">${t('admin.token_where')}</p>
    <${Field} id="admin-token" label=${t('admin.token')}>
      <input id="admin-token" type="password" autocomplete="off" value=${token} onInput=${(e) => setToken(e.currentTarget.value)} />
    <//>
    <${Message} kind="error">${error}<//>
    <button type="submit" disabled=${busy}>${busy ? t('working') : t('admin.enter')}</button>
  </form>`;
}
