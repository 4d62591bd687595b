// The member's wallet: onboarding until a key is unlocked, then the screens, with navigation,
// live notifications and the offline state. Keys and signing stay in this page (the package).
import { render } from 'preact';
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import '../style.css';
import { t, useLang } from '../i18n/index.js';
import { LanguageSwitch, OfflineBanner, registerServiceWorker } from '../ui.js';
import { session, useSession, navigate, start, changed } from './session.js';
import { Welcome } from './screens/welcome.js';
import { Create } from './screens/create.js';
import { Restore } from './screens/restore.js';
import { Unlock } from './screens/unlock.js';
import { Register } from './screens/register.js';
import { Dashboard } from './screens/dashboard.js';
import { Trust } from './screens/trust.js';
import { Pay } from './screens/pay.js';
import { Request } from './screens/request.js';
import { History } from './screens/history.js';
import { Clearing } from './screens/clearing.js';
import { Network } from './screens/network.js';
import { Notifications, EventText } from './screens/notifications.js';
import { Settings } from './screens/settings.js';

const SCREENS = [
  ['/', 'nav.home', Dashboard],
  ['/pay', 'nav.pay', Pay],
  ['/request', 'nav.request', Request],
  ['/trust', 'nav.trust', Trust],
  ['/history', 'nav.history', History],
  ['/clearing', 'nav.clearing', Clearing],
  ['/network', 'nav.network', Network],
  ['/notifications', 'nav.notifications', Notifications],
  ['/settings', 'nav.settings', Settings],
];

function Onboarding() {
  const [step, setStep] = useState('welcome');
  const back = () => setStep('welcome');
  if (step === 'create') return html`<${Create} back=${back} />`;
  if (step === 'restore') return html`<${Restore} back=${back} />`;
  return html`<${Welcome} go=${setStep} />`;
}

function Toast() {
  const s = useSession();
  if (!s.toast) return null;
  return html`<div class="toast" role="status" data-testid="toast">
    <${EventText} event=${s.toast} />
    <button class="link" aria-label=${t('close')} onClick=${() => { s.toast = null; changed(); }}>×</button>
  </div>`;
}

function Nav() {
  const s = useSession();
  const path = s.path.split('?')[0];
  return html`<nav aria-label=${t('nav.label')}>
    <ul>
      ${SCREENS.map(([p, key]) => html`<li key=${p}>
        <a href=${p} aria-current=${path === p ? 'page' : undefined}
          onClick=${(e) => { e.preventDefault(); navigate(p); }}>
          ${t(key)}${p === '/notifications' && s.unread ? html` <span class="badge" aria-label=${t('notifications.unread', { n: s.unread })}>${s.unread}</span>` : ''}
        </a>
      </li>`)}
    </ul>
  </nav>`;
}

function App() {
  useLang();
  const s = useSession();
  let body;
  if (s.stage === 'loading') body = html`<p>${t('working')}</p>`;
  else if (s.stage === 'welcome') body = html`<${Onboarding} />`;
  else if (s.stage === 'locked') body = html`<${Unlock} />`;
  else if (s.stage === 'register') body = html`<${Register} />`;
  else {
    const path = s.path.split('?')[0];
    const screen = SCREENS.find(([p]) => p === path) || SCREENS[0];
    body = html`<${screen[2]} key=${screen[0]} />`;
  }
  const ready = s.stage === 'ready';
  return html`<div class="app ${ready ? 'with-nav' : ''}">
    <a class="skip" href="#main">${t('skip')}</a>
    <header>
      <span class="brand" aria-hidden="true">GEO</span>
      <span class="title">${t('app.wallet')}</span>
      <${LanguageSwitch} />
    </header>
    <${OfflineBanner} />
    ${ready && html`<${Nav} />`}
    <main id="main" tabindex="-1">${body}</main>
    ${ready && html`<${Toast} />`}
  </div>`;
}

render(html`<${App} />`, document.getElementById('app'));
registerServiceWorker();
start().then(() => ready());

/** The first screen can be used: marked for the time-to-interactive measurement (BENCHMARKS.md). */
function ready() {
  performance.mark('interactive');
  document.body.setAttribute('data-ready', '1');
}
