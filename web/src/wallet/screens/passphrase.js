// Choose a passphrase (twice): it encrypts the key file kept on this device.
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { Field, Message, errorText } from '../../ui.js';
import { t } from '../../i18n/index.js';

export const MIN_PASSPHRASE = 8;

export function Passphrase({ onDone, busyText }) {
  const [a, setA] = useState('');
  const [b, setB] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  async function submit(ev) {
    ev.preventDefault();
    if (a.length < MIN_PASSPHRASE) return setError(t('passphrase.too_short', { n: MIN_PASSPHRASE }));
    if (a !== b) return setError(t('passphrase.mismatch'));
    setError('');
    setBusy(true);
    try {
      await onDone(a);
    } catch (e) {
      setError(errorText(e));
      setBusy(false);
    }
  }
  return html`<form onSubmit=${submit} class="card" data-testid="passphrase">
    <h2>${t('passphrase.title')}</h2>
    <p>${t('passphrase.why')}</p>
    <${Field} id="pass1" label=${t('passphrase.label')} hint=${t('passphrase.hint', { n: MIN_PASSPHRASE })}>
      <input id="pass1" type="password" autocomplete="new-password" value=${a} onInput=${(e) => setA(e.currentTarget.value)} aria-describedby="pass1-hint" />
    <//>
    <${Field} id="pass2" label=${t('passphrase.again')}>
      <input id="pass2" type="password" autocomplete="new-password" value=${b} onInput=${(e) => setB(e.currentTarget.value)} />
    <//>
    <${Message} kind="error">${error}<//>
    <button type="submit" disabled=${busy}>${busy ? busyText || t('working') : t('passphrase.save')}</button>
  </form>`;
}
