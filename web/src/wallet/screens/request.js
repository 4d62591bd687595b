// Ask to be paid: a payment request signed here (amount, equivalent, description, expiry),
// shown as a QR code and a geo: link the payer's wallet opens and checks.
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import * as geo from '@geo/client';
import { Field, Message, errorText } from '../../ui.js';
import { t } from '../../i18n/index.js';
import { useSession, precisionOf } from '../session.js';
import { QrCode } from '../qr.js';

const EXPIRY_MINUTES = [15, 60, 24 * 60, 7 * 24 * 60];

export function Request() {
  const s = useSession();
  const [equivalent, setEquivalent] = useState(s.equivalents[0]?.code || '');
  const [amount, setAmount] = useState('');
  const [description, setDescription] = useState('');
  const [minutes, setMinutes] = useState(60);
  const [errors, setErrors] = useState({});
  const [made, setMade] = useState(null);
  const [message, setMessage] = useState('');
  const [copied, setCopied] = useState(false);

  const submit = (ev) => {
    ev.preventDefault();
    setMessage('');
    setMade(null);
    const errs = {};
    try {
      geo.parseAmount(amount, precisionOf(equivalent));
      if (/^0*(\.0*)?$/.test(amount)) errs.amount = t('pay.positive');
    } catch (e) {
      errs.amount = errorText(e);
    }
    setErrors(errs);
    if (Object.keys(errs).length) return;
    if (typeof geo.signInvoice !== 'function') return setMessage(t('invoice.unsupported'));
    try {
      const expires_at = new Date(Date.now() + minutes * 60000).toISOString().replace(/\.\d+Z$/, 'Z');
      const r = geo.signInvoice(s.identity, {
        hub: s.client.hubPid,
        equivalent,
        amount,
        ...(description ? { description } : {}),
        expires_at,
      });
      setMade(r);
    } catch (e) {
      setMessage(errorText(e));
    }
  };
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(made.uri);
      setCopied(true);
    } catch {
      setCopied(false);
    }
  };
  return html`<section data-testid="request">
    <h1>${t('nav.request')}</h1>
    <form class="card" onSubmit=${submit} novalidate>
      <p class="note">${t('request.explain')}</p>
      <${Field} id="req-eq" label=${t('equivalent')}>
        <select id="req-eq" value=${equivalent} onChange=${(e) => setEquivalent(e.currentTarget.value)}>
          ${s.equivalents.map((e) => html`<option value=${e.code}>${e.code}</option>`)}
        </select>
      <//>
      <${Field} id="req-amount" label=${t('amount')} hint=${t('amount.hint', { n: precisionOf(equivalent) })} error=${errors.amount}>
        <input id="req-amount" inputmode="decimal" autocomplete="off" value=${amount} onInput=${(e) => setAmount(e.currentTarget.value.trim())} aria-describedby="req-amount-hint" />
      <//>
      <${Field} id="req-desc" label=${t('pay.description')}>
        <input id="req-desc" maxlength="200" value=${description} onInput=${(e) => setDescription(e.currentTarget.value)} />
      <//>
      <${Field} id="req-expiry" label=${t('request.expiry')}>
        <select id="req-expiry" value=${minutes} onChange=${(e) => setMinutes(Number(e.currentTarget.value))}>
          ${EXPIRY_MINUTES.map((m) => html`<option value=${m}>${t('request.minutes_' + m)}</option>`)}
        </select>
      <//>
      <button type="submit">${t('request.make')}</button>
    </form>
    <${Message} kind="error">${message}<//>
    ${made && html`<article class="card request-made" data-testid="request-made">
      <h2>${t('request.show')}</h2>
      <p class="big">${made.invoice.amount} ${made.invoice.equivalent}</p>
      <${QrCode} text=${made.uri} label=${t('request.qr_label', { amount: made.invoice.amount, equivalent: made.invoice.equivalent })} />
      <${Field} id="req-link" label=${t('request.link')}>
        <textarea id="req-link" readonly rows="3" data-testid="request-link" value=${made.uri}></textarea>
      <//>
      <button type="button" class="secondary" onClick=${copy}>${copied ? t('request.copied') : t('request.copy')}</button>
    </article>`}
  </section>`;
}
