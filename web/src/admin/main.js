// The operator console at /admin: equivalents, participants, clearing, integrity and live
// figures, through the package's AdminClient (X-Admin-Token, same origin as the hub).
import { render } from 'preact';
import { html } from 'htm/preact';
import { useEffect } from 'preact/hooks';
import '../style.css';
import { t, useLang } from '../i18n/index.js';
import { LanguageSwitch, OfflineBanner } from '../ui.js';
import { useConsole, navigate, resume, signOut } from './console.js';
import { SignIn } from './screens/sign-in.js';
import { Figures } from './screens/figures.js';
import { Equivalents } from './screens/equivalents.js';
import { Participants } from './screens/participants.js';
import { ClearingRuns } from './screens/clearing.js';
import { Integrity } from './screens/integrity.js';

const SCREENS = [
  ['/admin', 'admin.figures', Figures],
  ['/admin/equivalents', 'admin.equivalents', Equivalents],
  ['/admin/participants', 'admin.participants', Participants],
  ['/admin/clearing', 'admin.clearing', ClearingRuns],
  ['/admin/integrity', 'admin.integrity', Integrity],
];

function App() {
  useLang();
  const c = useConsole();
  const path = c.path.replace(/\/$/, '') || '/admin';
  const screen = SCREENS.find(([p]) => p === path) || SCREENS[0];
  return html`<div class="app admin ${c.client ? 'with-nav' : ''}">
    <a class="skip" href="#main">${t('skip')}</a>
    <header>
      <span class="brand" aria-hidden="true">GEO</span>
      <span class="title">${t('app.console')}</span>
      <${LanguageSwitch} />
      ${c.client && html`<button class="link" onClick=${signOut}>${t('admin.sign_out')}</button>`}
    </header>
    <${OfflineBanner} />
    ${c.client && html`<nav aria-label=${t('nav.label')}><ul>
      ${SCREENS.map(([p, key]) => html`<li key=${p}><a href=${p} aria-current=${p === screen[0] ? 'page' : undefined}
        onClick=${(e) => { e.preventDefault(); navigate(p); }}>${t(key)}</a></li>`)}
    </ul></nav>`}
    <main id="main" tabindex="-1">
      ${c.client ? html`<${screen[2]} key=${screen[0]} />` : html`<${SignIn} />`}
    </main>
  </div>`;
}

render(html`<${App} />`, document.getElementById('app'));
resume().finally(() => ready());

/** The first screen can be used: marked for the time-to-interactive measurement (BENCHMARKS.md). */
function ready() {
  performance.mark('interactive');
  document.body.setAttribute('data-ready', '1');
}
