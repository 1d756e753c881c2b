// The tariff & subscription form, shared by the wizard and the settings: Base, HP/HC with one or
// two off-peak windows (12:30–14:30 + 01:30–07:30), or Tempo; subscribed power; billing day.
// It sends PUT /api/v1/tariff, which checks everything and keeps the old settings on a refusal.
import { h, field } from '../dom.js';
import { parseWindows, tariffBody, offpeakMinutes } from '../tariff_periods.js';

const OPTIONS = ['base', 'hphc', 'tempo'];
const KVA = [3, 6, 9, 12, 15, 18, 24, 30, 36];

function windowFields(id, t, n, start, end) {
  const a = field(id(`offpeak${n}-start`), t('tariff_offpeak_start'), { type: 'time', value: start, required: true });
  const b = field(id(`offpeak${n}-end`), t('tariff_offpeak_end'), { type: 'time', value: end, required: true });
  const set = h('fieldset', { class: 'inline' }, h('legend', {}, t('tariff_window_n', { n })), a.wrap, b.wrap);
  return { set, start: a.input, end: b.input };
}

/** Returns {form, load()}; onSaved is called after a successful PUT. */
export function tariffForm(ctx, { idPrefix = 'tariff', onSaved, submitLabel } = {}) {
  const { t } = ctx;
  const id = (s) => `${idPrefix}-${s}`;
  const option = field(id('option'), t('tariff_option'), {}, 'select');
  for (const o of OPTIONS) option.input.append(h('option', { value: o }, t(`tariff_option_${o}`)));
  const kva = field(id('kva'), t('tariff_kva'), { 'aria-describedby': id('kva-help') }, 'select');
  for (const k of KVA) kva.input.append(h('option', { value: String(k) }, `${k} kVA`));
  kva.input.value = '6';
  const w1 = windowFields(id, t, 1, '22:00', '06:00');
  const w2 = windowFields(id, t, 2, '12:30', '14:30');
  const two = h('input', { type: 'checkbox', id: id('two-windows') });
  const hours = h('p', { class: 'muted small', id: id('offpeak-hours'), 'aria-live': 'polite' });
  const offpeak = h('div', { class: 'offpeak' },
    h('p', { class: 'muted small' }, t('tariff_offpeak_help')), w1.set,
    h('p', { class: 'check' }, two, h('label', { for: id('two-windows') }, t('tariff_two_windows'))), w2.set, hours);
  const tempo = h('p', { class: 'muted small' }, t('tariff_tempo_help'));
  const day = field(id('billing-day'), t('tariff_billing_day'), { type: 'number', min: 1, max: 28, value: 1, inputmode: 'numeric', required: true });
  const status = h('p', { class: 'form-status', role: 'status' });
  const submit = h('button', { type: 'submit', class: 'primary' }, submitLabel || t('save'));
  const windows = () => [w1, ...(two.checked ? [w2] : [])].map((w) => ({ start: w.start.value, end: w.end.value }));
  const refresh = () => {
    offpeak.hidden = option.input.value !== 'hphc';
    tempo.hidden = option.input.value !== 'tempo';
    w2.set.hidden = !two.checked;
    w2.start.disabled = w2.end.disabled = !two.checked;
    const m = offpeakMinutes(windows().filter((w) => w.start && w.end));
    hours.textContent = t('tariff_offpeak_total', { hours: String(Math.floor(m / 60)), minutes: String(m % 60).padStart(2, '0') });
  };
  for (const el of [option.input, two, w1.start, w1.end, w2.start, w2.end]) el.addEventListener('change', refresh);

  const form = h('form', { class: 'tariff-form' }, option.wrap, offpeak, tempo, kva.wrap,
    h('p', { class: 'muted small', id: id('kva-help') }, t('tariff_kva_help')), day.wrap, submit, status);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const body = tariffBody({ option: option.input.value, kva: kva.input.value, billingDay: day.input.value, windows: windows() });
    status.className = 'form-status';
    status.textContent = '';
    try {
      await ctx.api('/api/v1/tariff', { method: 'PUT', body });
      status.textContent = t('tariff_saved');
      onSaved?.();
    } catch (e) {
      status.className = 'form-status warn';
      status.replaceChildren(e.status === 400 ? t('tariff_refused') : t('error_generic', { message: e.message }),
        e.status === 400 ? h('span', { class: 'block small', lang: 'en' }, t('technical_detail', { detail: e.message })) : '');
    }
  });

  // The controls stay disabled until the current settings are in, so that a choice made while
  // they load is not overwritten by them.
  const controls = [option.input, kva.input, w1.start, w1.end, two, w2.start, w2.end, day.input, submit];
  for (const c of controls) c.disabled = true;

  /** Fills the form from GET /api/v1/tariff. */
  async function load() {
    let cur;
    try { cur = await ctx.api('/api/v1/tariff'); } finally { for (const c of controls) c.disabled = false; refresh(); }
    if (OPTIONS.includes(cur.option)) option.input.value = cur.option;
    else status.textContent = t('tariff_grid_kept', { option: cur.option });
    if (KVA.includes(Number(cur.kva))) kva.input.value = String(cur.kva);
    const ws = parseWindows(cur.offpeak, 2);
    if (ws[0]) { w1.start.value = ws[0].start; w1.end.value = ws[0].end; }
    two.checked = Boolean(ws[1]);
    if (ws[1]) { w2.start.value = ws[1].start; w2.end.value = ws[1].end; }
    if (cur.billing_day) day.input.value = cur.billing_day;
    refresh();
    return cur;
  }
  return { form, load };
}
