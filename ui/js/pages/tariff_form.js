// The tariff & subscription form, shared by the wizard and the settings. It posts
// PUT /api/v1/tariff; while that route does not exist on this base station, it says so calmly.
import { h, field } from '../dom.js';

const OPTIONS = ['base', 'hphc', 'tempo'];
const KVA = [3, 6, 9, 12, 15, 18, 24, 30, 36];

/** Returns {form, load()}; onSaved is called after a successful PUT. */
export function tariffForm(ctx, { idPrefix = 'tariff', onSaved, submitLabel } = {}) {
  const { t } = ctx;
  const id = (s) => `${idPrefix}-${s}`;
  const option = field(id('option'), t('tariff_option'), {}, 'select');
  for (const o of OPTIONS) option.input.append(h('option', { value: o }, t(`tariff_option_${o}`)));
  const kva = field(id('kva'), t('tariff_kva'), {}, 'select');
  for (const k of KVA) kva.input.append(h('option', { value: String(k) }, `${k} kVA`));
  kva.input.value = '6';
  const offStart = field(id('offpeak-start'), t('tariff_offpeak_start'), { type: 'time', value: '22:00' });
  const offEnd = field(id('offpeak-end'), t('tariff_offpeak_end'), { type: 'time', value: '06:00' });
  const offpeak = h('fieldset', { class: 'inline' }, h('legend', {}, t('tariff_offpeak')), offStart.wrap, offEnd.wrap);
  const day = field(id('billing-day'), t('tariff_billing_day'), { type: 'number', min: 1, max: 28, value: 1, inputmode: 'numeric' });
  const status = h('p', { class: 'form-status', role: 'status' });
  const submit = h('button', { type: 'submit', class: 'primary' }, submitLabel || t('save'));
  const showOffpeak = () => { offpeak.hidden = option.input.value !== 'hphc'; };
  option.input.addEventListener('change', showOffpeak);
  showOffpeak();

  const form = h('form', { class: 'tariff-form' }, option.wrap, kva.wrap, offpeak, day.wrap, submit, status);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const body = { option: option.input.value, kva: Number(kva.input.value), billing_day: Number(day.input.value) };
    if (body.option === 'hphc') body.offpeak = [`${offStart.input.value}-${offEnd.input.value}`];
    status.className = 'form-status';
    try {
      await ctx.api('/api/v1/tariff', { method: 'PUT', body });
      status.textContent = t('tariff_saved');
      onSaved?.();
    } catch (e) {
      status.className = 'form-status warn';
      status.textContent = e.status === 404 ? t('tariff_unavailable') : t('error_generic', { message: e.message });
    }
  });

  // The controls stay disabled until the current settings are in, so that a choice made while
  // they load is not overwritten by them.
  const controls = [option.input, kva.input, offStart.input, offEnd.input, day.input, submit];
  for (const c of controls) c.disabled = true;

  /** Fills the form from GET /api/v1/tariff; false when the route is not there yet. */
  async function load() {
    let cur = null;
    try { cur = await ctx.api('/api/v1/tariff'); } catch (e) { if (e.status !== 404) throw e; }
    finally { for (const c of controls) c.disabled = false; }
    if (!cur) { status.textContent = t('tariff_unavailable'); return false; }
    if (OPTIONS.includes(cur.option)) option.input.value = cur.option;
    if (KVA.includes(Number(cur.kva))) kva.input.value = String(cur.kva);
    const [start, end] = (cur.offpeak?.[0] || '').split('-');
    if (start && end) { offStart.input.value = start; offEnd.input.value = end; }
    if (cur.billing_day) day.input.value = cur.billing_day;
    showOffpeak();
    return true;
  }
  return { form, load };
}
