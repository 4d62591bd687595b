// The first screen on a device without a wallet: create one, or restore from the 24 words or
// from a key file.
import { html } from 'htm/preact';
import { t } from '../../i18n/index.js';

export function Welcome({ go }) {
  return html`<section class="card welcome" data-testid="welcome">
    <h1>${t('welcome.title')}</h1>
    <p>${t('welcome.what')}</p>
    <p class="note">${t('welcome.secret')}</p>
    <div class="actions column">
      <button onClick=${() => go('create')}>${t('welcome.create')}</button>
      <button class="secondary" onClick=${() => go('restore')}>${t('welcome.restore')}</button>
    </div>
  </section>`;
}
