// Restore a wallet on this device from the 24 words or from a key file (the CLI's format).
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { Identity } from '@geo/client';
import { Field, Message, errorText } from '../../ui.js';
import { t } from '../../i18n/index.js';
import { Passphrase } from './passphrase.js';
import { keep } from '../session.js';

export function Restore({ back }) {
  const [phrase, setPhrase] = useState('');
  const [file, setFile] = useState(null);
  const [filePass, setFilePass] = useState('');
  const [identity, setIdentity] = useState(null);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  if (identity) {
    return html`<${Passphrase} onDone=${(pass) => keep(identity, pass, false)} />`;
  }
  const fromPhrase = (ev) => {
    ev.preventDefault();
    try {
      setIdentity(Identity.fromMnemonic(phrase.trim().toLowerCase().split(/\s+/).join(' ')));
    } catch (e) {
      setError(t('restore.bad_phrase'));
    }
  };
  const fromFile = async (ev) => {
    ev.preventDefault();
    if (!file) return setError(t('restore.pick_file'));
    setBusy(true);
    try {
      const text = await file.text();
      const id = Identity.fromKeyFile(text, filePass);
      await keep(id, filePass, false);
    } catch (e) {
      setError(errorText(e));
      setBusy(false);
    }
  };
  return html`<section class="card" data-testid="restore">
    <h2>${t('restore.title')}</h2>
    <form onSubmit=${fromPhrase}>
      <${Field} id="phrase" label=${t('restore.phrase')} hint=${t('restore.phrase_hint')}>
        <textarea id="phrase" rows="4" autocomplete="off" autocapitalize="none" spellcheck=${false}
          value=${phrase} onInput=${(e) => setPhrase(e.currentTarget.value)}></textarea>
      <//>
      <button type="submit">${t('restore.from_phrase')}</button>
    </form>
    <hr />
    <form onSubmit=${fromFile}>
      <${Field} id="keyfile" label=${t('restore.file')}>
        <input id="keyfile" type="file" accept=".json,application/json" onChange=${(e) => setFile(e.currentTarget.files[0])} />
      <//>
      <${Field} id="filepass" label=${t('restore.file_pass')}>
        <input id="filepass" type="password" autocomplete="current-password" value=${filePass} onInput=${(e) => setFilePass(e.currentTarget.value)} />
      <//>
      <button type="submit" disabled=${busy}>${busy ? t('working') : t('restore.from_file')}</button>
    </form>
    <${Message} kind="error">${error}<//>
    <button class="link" onClick=${back}>${t('back')}</button>
  </section>`;
}
