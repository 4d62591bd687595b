// Equivalents: the hub's units of account; create one, change its precision, (re)activate it.
import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import { Field, Message, errorText } from '../../ui.js';
import { t } from '../../i18n/index.js';
import { useConsole, equivalents } from '../console.js';

const CODE = /^[A-Z0-9]{2,16}$/;

export function Equivalents() {
  const c = useConsole();
  const [list, setList] = useState([]);
  const [code, setCode] = useState('');
  const [precision, setPrecision] = useState('2');
  const [description, setDescription] = useState('');
  const [errors, setErrors] = useState({});
  const [message, setMessage] = useState(null);
  const load = () => equivalents().then(setList, (e) => setMessage({ kind: 'error', text: errorText(e) }));
  useEffect(() => {
    load();
  }, []);
  const save = async (ev) => {
    ev.preventDefault();
    const errs = {};
    if (!CODE.test(code)) errs.code = t('admin.code_rule');
    if (!/^[0-8]$/.test(precision)) errs.precision = t('admin.precision_rule');
    setErrors(errs);
    setMessage(null);
    if (Object.keys(errs).length) return;
    try {
      const e = await c.client.setEquivalent(code, Number(precision), description || undefined);
      setMessage({ kind: 'ok', text: t('admin.equivalent_saved', { code: e.code, precision: e.precision }) });
      setCode('');
      setDescription('');
      load();
    } catch (e) {
      setMessage({ kind: 'error', text: errorText(e) });
    }
  };
  const edit = (e) => {
    setCode(e.code);
    setPrecision(String(e.precision));
    setDescription(e.description || '');
  };
  return html`<section data-testid="equivalents">
    <h1>${t('admin.equivalents')}</h1>
    <${Message} kind=${message?.kind} testid="equivalent-message">${message?.text}<//>
    <form class="card" onSubmit=${save} novalidate>
      <h2>${t('admin.equivalent_form')}</h2>
      <${Field} id="eq-code" label=${t('admin.code')} hint=${t('admin.code_rule')} error=${errors.code}>
        <input id="eq-code" autocomplete="off" autocapitalize="characters" value=${code} onInput=${(e) => setCode(e.currentTarget.value.trim().toUpperCase())} aria-describedby="eq-code-hint" />
      <//>
      <${Field} id="eq-precision" label=${t('admin.precision')} hint=${t('admin.precision_rule')} error=${errors.precision}>
        <input id="eq-precision" inputmode="numeric" value=${precision} onInput=${(e) => setPrecision(e.currentTarget.value.trim())} aria-describedby="eq-precision-hint" />
      <//>
      <${Field} id="eq-desc" label=${t('admin.description')}>
        <input id="eq-desc" value=${description} onInput=${(e) => setDescription(e.currentTarget.value)} />
      <//>
      <button type="submit">${t('admin.save_activate')}</button>
    </form>
    <table class="card">
      <caption>${t('admin.equivalents')}</caption>
      <thead><tr><th scope="col">${t('admin.code')}</th><th scope="col">${t('admin.precision')}</th><th scope="col">${t('admin.state')}</th><th scope="col"><span class="sr-only">${t('admin.actions')}</span></th></tr></thead>
      <tbody>
        ${list.map((e) => html`<tr key=${e.code} data-testid="equivalent-row">
          <td>${e.code}${e.description ? html` <small>${e.description}</small>` : ''}</td>
          <td>${e.precision}</td>
          <td>${e.active ? t('admin.active') : t('admin.inactive')}</td>
          <td><button class="secondary" onClick=${() => edit(e)}>${t('admin.edit')}</button></td>
        </tr>`)}
      </tbody>
    </table>
  </section>`;
}
