// Join the community: the hub learns this member's public key and chosen name (signed here).
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { Field, Message, errorText } from '../../ui.js';
import { t } from '../../i18n/index.js';
import { register, session } from '../session.js';

export function Register() {
  const [name, setName] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const submit = async (ev) => {
    ev.preventDefault();
    if (!name.trim()) return setError(t('register.name_needed'));
    setBusy(true);
    setError('');
    try {
      await register(name.trim());
    } catch (e) {
      setError(errorText(e));
      setBusy(false);
    }
  };
  return html`<form class="card" onSubmit=${submit} data-testid="register">
    <h2>${t('register.title')}</h2>
    <p>${t('register.why')}</p>
    <p><code class="pid">${session.identity.pid}</code></p>
    <${Field} id="display-name" label=${t('register.name')}>
      <input id="display-name" autocomplete="name" maxlength="64" value=${name} onInput=${(e) => setName(e.currentTarget.value)} />
    <//>
    <${Message} kind="error">${error}<//>
    <button type="submit" disabled=${busy}>${busy ? t('working') : t('register.join')}</button>
  </form>`;
}
