// Live figures: payments per minute (from two samples of the hub's monotonic counters), and per
// equivalent the debt outstanding and what clearing has set off so far, with a small chart.
import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import { Message, errorText } from '../../ui.js';
import { t } from '../../i18n/index.js';
import { useConsole } from '../console.js';

const EVERY_MS = 5000;
const KEEP = 60;

/** Payments per minute between consecutive samples `{ at, committed }` (integers, exact). */
export function rates(samples) {
  const out = [];
  for (let i = 1; i < samples.length; i++) {
    const dt = samples[i].at - samples[i - 1].at;
    const dn = samples[i].committed - samples[i - 1].committed;
    out.push(dt > 0 ? Math.round((dn * 60000) / dt) : 0);
  }
  return out;
}

function Chart({ values }) {
  const w = 300;
  const h = 80;
  const max = Math.max(1, ...values);
  const points = values.map((v, i) => `${(i * w) / Math.max(1, KEEP - 2)},${h - (v * h) / max}`).join(' ');
  return html`<svg class="chart" viewBox=${`0 0 ${w} ${h}`} role="img" aria-label=${t('admin.chart_label', { n: values[values.length - 1] ?? 0 })}>
    <polyline points=${points} class="line" />
  </svg>`;
}

export function Figures() {
  const c = useConsole();
  const [stats, setStats] = useState(null);
  const [samples, setSamples] = useState([]);
  const [error, setError] = useState('');
  const supported = typeof c.client.stats === 'function';
  useEffect(() => {
    if (!supported) return;
    let live = true;
    let kept = [];
    const tick = async () => {
      try {
        const s = await c.client.stats();
        if (!live) return;
        kept = [...kept, { at: Date.now(), committed: s.payments_committed }].slice(-KEEP);
        setStats(s);
        setSamples(kept);
        setError('');
      } catch (e) {
        if (live) setError(errorText(e));
      }
    };
    tick();
    const timer = setInterval(tick, EVERY_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, []);
  if (!supported) return html`<section><h1>${t('admin.figures')}</h1><p class="card">${t('admin.stats_unsupported')}</p></section>`;
  const perMinute = rates(samples);
  return html`<section data-testid="figures">
    <h1>${t('admin.figures')}</h1>
    <${Message} kind="error">${error}<//>
    ${stats && html`<div class="grid">
      <div class="card">
        <h2>${t('admin.payments_per_minute')}</h2>
        <p class="big" data-testid="per-minute">${perMinute.length ? perMinute[perMinute.length - 1] : '…'}</p>
        <${Chart} values=${perMinute} />
        <dl>
          <dt>${t('admin.committed')}</dt><dd data-testid="committed">${stats.payments_committed}</dd>
          <dt>${t('admin.aborted')}</dt><dd>${stats.payments_aborted}</dd>
          <dt>${t('admin.open_holds')}</dt><dd>${stats.open_holds}</dd>
          <dt>${t('admin.journal')}</dt><dd>${stats.journal_length}</dd>
        </dl>
      </div>
      <div class="card">
        <h2>${t('admin.participants')}</h2>
        <dl>
          <dt>${t('admin.status_active')}</dt><dd data-testid="active">${stats.participants.active}</dd>
          <dt>${t('admin.status_suspended')}</dt><dd data-testid="suspended">${stats.participants.suspended}</dd>
          <dt>${t('admin.status_left')}</dt><dd>${stats.participants.retired}</dd>
        </dl>
      </div>
      ${stats.equivalents.map((e) => html`<div class="card" key=${e.equivalent} data-testid="equivalent-figures">
        <h2>${e.equivalent}</h2>
        <dl>
          <dt>${t('admin.debt_outstanding')}</dt><dd data-testid="debt-outstanding">${e.debt_outstanding}</dd>
          <dt>${t('admin.cleared_to_date')}</dt><dd data-testid="cleared-to-date">${e.cleared_to_date}</dd>
          <dt>${t('admin.committed')}</dt><dd>${e.payments_committed}</dd>
        </dl>
      </div>`)}
    </div>`}
  </section>`;
}
