// Pay a member: pick them (search, paste a PID, or open / scan a payment request), enter an
// amount at the equivalent's precision, see what can be sent now, then sign and send; the
// verified receipt follows. Bad input is refused here, before anything is signed or sent.
import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import * as geo from '@geo/client';
import { Field, Message, errorText } from '../../ui.js';
import { t } from '../../i18n/index.js';
import { useSession, precisionOf, changed } from '../session.js';
import { MemberPicker, isPid } from '../member-picker.js';
import { Name } from '../name.js';
import { ReceiptView } from '../receipt.js';
import { Scanner, canScan } from '../scanner.js';

/** The payment request in the page's address (`/pay?invoice=geo:…`), if any. */
function invoiceInAddress() {
  return new URLSearchParams(location.search).get('invoice') || '';
}

export function Pay() {
  const s = useSession();
  const [link, setLink] = useState(invoiceInAddress());
  const [invoice, setInvoice] = useState(null);
  const [payee, setPayee] = useState('');
  const [equivalent, setEquivalent] = useState(s.equivalents[0]?.code || '');
  const [amount, setAmount] = useState('');
  const [description, setDescription] = useState('');
  const [errors, setErrors] = useState({});
  const [preview, setPreview] = useState(null);
  const [record, setRecord] = useState(null);
  const [message, setMessage] = useState('');
  const [busy, setBusy] = useState(false);
  const [scanning, setScanning] = useState(false);

  const openInvoice = (uri) => {
    setMessage('');
    setPreview(null);
    setRecord(null);
    setInvoice(null);
    if (typeof geo.readInvoice !== 'function') return setErrors({ link: t('invoice.unsupported') });
    try {
      const inv = geo.readInvoice(uri.trim(), s.client.hubPid);
      setErrors({});
      setInvoice(inv);
      checkCapacity(inv.payee, inv.equivalent, inv.amount);
    } catch (e) {
      setErrors({ link: errorText(e) });
    }
  };
  useEffect(() => {
    if (link) openInvoice(link);
  }, []);

  const checkCapacity = async (to, eq, amt) => {
    try {
      const c = await s.client.capacity(to, eq, amt);
      setPreview(c);
    } catch (e) {
      setMessage(errorText(e));
    }
  };

  const previewDirect = async (ev) => {
    ev.preventDefault();
    setRecord(null);
    setPreview(null);
    setMessage('');
    const errs = {};
    if (!isPid(payee)) errs.payee = t('pay.bad_pid');
    else if (payee === s.me.pid) errs.payee = t('pay.not_self');
    try {
      geo.parseAmount(amount, precisionOf(equivalent));
      if (/^0*(\.0*)?$/.test(amount)) errs.amount = t('pay.positive');
    } catch (e) {
      errs.amount = errorText(e);
    }
    setErrors(errs);
    if (Object.keys(errs).length) return;
    setBusy(true);
    try {
      const p = await s.client.participant(payee);
      s.names.set(p.pid, p.display_name);
      await checkCapacity(payee, equivalent, amount);
    } catch (e) {
      if (e.code === 'E_NOT_FOUND') setErrors({ payee: t('pay.unknown_member') });
      else setMessage(errorText(e));
    }
    setBusy(false);
  };

  const send = async () => {
    setBusy(true);
    setMessage('');
    try {
      const r = invoice
        ? await s.client.payInvoice(invoice)
        : await s.client.pay({ payee, equivalent, amount, ...(description ? { description } : {}) });
      setRecord(r);
      setPreview(null);
      setInvoice(null);
      setLink('');
      setAmount('');
      changed();
    } catch (e) {
      setMessage(errorText(e));
    }
    setBusy(false);
  };

  const order = invoice
    ? { payee: invoice.payee, equivalent: invoice.equivalent, amount: invoice.amount }
    : { payee, equivalent, amount };
  return html`<section data-testid="pay">
    <h1>${t('nav.pay')}</h1>
    <form class="card" onSubmit=${(e) => { e.preventDefault(); openInvoice(link); }} novalidate>
      <h2>${t('pay.by_request')}</h2>
      <${Field} id="invoice-link" label=${t('pay.request_link')} hint=${t('pay.request_hint')} error=${errors.link}>
        <textarea id="invoice-link" rows="2" autocomplete="off" spellcheck=${false} value=${link} onInput=${(e) => setLink(e.currentTarget.value)} aria-describedby="invoice-link-hint"></textarea>
      <//>
      <div class="actions">
        <button type="submit" class="secondary">${t('pay.open_request')}</button>
        ${canScan && html`<button type="button" class="secondary" onClick=${() => setScanning(true)}>${t('scan.start')}</button>`}
      </div>
      ${scanning && html`<${Scanner} onScan=${(text) => { setScanning(false); setLink(text); openInvoice(text); }} onClose=${() => setScanning(false)} />`}
    </form>
    ${invoice && html`<article class="card invoice" data-testid="invoice">
      <h2>${t('invoice.title')}</h2>
      <p class="big">${invoice.amount} ${invoice.equivalent}</p>
      <p>${t('receipt.to')} <${Name} pid=${invoice.payee} /></p>
      ${invoice.description && html`<p>“${invoice.description}”</p>`}
      <p class="note">${t('invoice.checked', { until: new Date(invoice.expires_at).toLocaleString() })}</p>
    </article>`}
    ${!invoice && html`<form class="card" onSubmit=${previewDirect} novalidate>
      <h2>${t('pay.direct')}</h2>
      <${MemberPicker} id="pay-to" label=${t('pay.to')} value=${payee} onChange=${(v) => { setPayee(v); setPreview(null); }} error=${errors.payee} />
      <${Field} id="pay-eq" label=${t('equivalent')}>
        <select id="pay-eq" value=${equivalent} onChange=${(e) => { setEquivalent(e.currentTarget.value); setPreview(null); }}>
          ${s.equivalents.map((e) => html`<option value=${e.code}>${e.code}</option>`)}
        </select>
      <//>
      <${Field} id="pay-amount" label=${t('amount')} hint=${t('amount.hint', { n: precisionOf(equivalent) })} error=${errors.amount}>
        <input id="pay-amount" inputmode="decimal" autocomplete="off" value=${amount} onInput=${(e) => { setAmount(e.currentTarget.value.trim()); setPreview(null); }} aria-describedby="pay-amount-hint" />
      <//>
      <${Field} id="pay-desc" label=${t('pay.description')}>
        <input id="pay-desc" maxlength="200" value=${description} onInput=${(e) => setDescription(e.currentTarget.value)} />
      <//>
      <button type="submit" class="secondary" disabled=${busy}>${t('pay.preview')}</button>
    </form>`}
    ${preview && html`<div class="card preview" data-testid="preview">
      <p>${t('pay.max_now', { amount: preview.max_amount, equivalent: preview.equivalent })}</p>
      ${preview.can_pay === false
        ? html`<p class="error" role="alert">${t('pay.cannot', { amount: order.amount })}</p>`
        : html`<button onClick=${send} disabled=${busy}>${busy ? t('working') : t('pay.sign_send', { amount: order.amount, equivalent: order.equivalent })}</button>`}
    </div>`}
    <${Message} kind="error" testid="pay-error">${message}<//>
    ${record && html`<${ReceiptView} record=${record} />`}
  </section>`;
}
