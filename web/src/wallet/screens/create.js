// A new identity, made here: the keys come from this browser's random generator. The member
// writes down the 24 words, proves it by typing three of them, then chooses a passphrase.
import { html } from 'htm/preact';
import { useMemo, useState } from 'preact/hooks';
import { Identity } from '@geo/client';
import { Field, Message } from '../../ui.js';
import { t } from '../../i18n/index.js';
import { Passphrase } from './passphrase.js';
import { keep } from '../session.js';

/** Three distinct word positions (0-based) to ask back, in order. */
function pickPositions(n) {
  const picked = new Set();
  const r = new Uint32Array(8);
  while (picked.size < 3) {
    crypto.getRandomValues(r);
    for (const x of r) if (picked.size < 3) picked.add(x % n);
  }
  return [...picked].sort((a, b) => a - b);
}

export function Create({ back }) {
  const identity = useMemo(() => Identity.generate(), []);
  const words = useMemo(() => identity.mnemonic().split(' '), [identity]);
  const asked = useMemo(() => pickPositions(words.length), [words]);
  const [step, setStep] = useState('words');
  const [answers, setAnswers] = useState(['', '', '']);
  const [error, setError] = useState('');

  if (step === 'words') {
    return html`<section class="card" data-testid="backup-words">
      <h2>${t('create.words_title')}</h2>
      <p>${t('create.words_why')}</p>
      <ol class="words" aria-label=${t('create.words_title')}>
        ${words.map((w, i) => html`<li key=${i}><span class="n">${i + 1}</span> <span class="w">${w}</span></li>`)}
      </ol>
      <p class="note">${t('welcome.secret')}</p>
      <div class="actions">
        <button class="secondary" onClick=${back}>${t('back')}</button>
        <button onClick=${() => setStep('confirm')}>${t('create.written')}</button>
      </div>
    </section>`;
  }
  if (step === 'confirm') {
    const check = (ev) => {
      ev.preventDefault();
      const ok = asked.every((p, i) => answers[i].trim().toLowerCase() === words[p]);
      if (!ok) return setError(t('create.confirm_wrong'));
      setError('');
      setStep('passphrase');
    };
    return html`<form class="card" onSubmit=${check} data-testid="confirm-words">
      <h2>${t('create.confirm_title')}</h2>
      <p>${t('create.confirm_why')}</p>
      ${asked.map((p, i) => html`<${Field} key=${p} id=${'word' + i} label=${t('create.word_n', { n: p + 1 })}>
        <input id=${'word' + i} data-position=${p + 1} autocomplete="off" autocapitalize="none" spellcheck=${false}
          value=${answers[i]} onInput=${(e) => setAnswers(answers.map((a, j) => (j === i ? e.currentTarget.value : a)))} />
      <//>`)}
      <${Message} kind="error">${error}<//>
      <div class="actions">
        <button type="button" class="secondary" onClick=${() => setStep('words')}>${t('create.show_again')}</button>
        <button type="submit">${t('create.confirm')}</button>
      </div>
    </form>`;
  }
  return html`<${Passphrase} onDone=${(pass) => keep(identity, pass, false)} />`;
}
