// This device's wallet: my PID (as text and QR, for others to trust or pay me), the key file
// export, the language, locking and forgetting the key on this device.
import { html } from 'htm/preact';
import { LanguageSwitch } from '../../ui.js';
import { t } from '../../i18n/index.js';
import { useSession, lock, forgetDevice } from '../session.js';
import { QrCode } from '../qr.js';

export function Settings() {
  const s = useSession();
  const download = () => {
    const blob = new Blob([s.record.keyFile], { type: 'application/json' });
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = `geo-key-${s.me.pid.slice(0, 8)}.json`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  };
  return html`<section data-testid="settings">
    <h1>${t('nav.settings')}</h1>
    <div class="card">
      <h2>${t('settings.me')}</h2>
      <p><strong>${s.me.display_name}</strong></p>
      <p><code class="pid" data-testid="my-pid">${s.me.pid}</code></p>
      <${QrCode} text=${s.me.pid} label=${t('settings.pid_qr')} />
    </div>
    <div class="card">
      <h2>${t('settings.key')}</h2>
      <p class="note">${t('welcome.secret')}</p>
      <button class="secondary" onClick=${download}>${t('settings.export')}</button>
    </div>
    <div class="card">
      <h2>${t('language')}</h2>
      <${LanguageSwitch} />
    </div>
    <div class="card actions">
      <button class="secondary" onClick=${lock}>${t('settings.lock')}</button>
      <button class="danger" onClick=${() => confirm(t('unlock.forget_confirm')) && forgetDevice()}>${t('unlock.forget')}</button>
    </div>
  </section>`;
}
