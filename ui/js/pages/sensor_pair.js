// Pairing a new sensor from the UI (admin): POST /api/v1/sensors creates it with a random key,
// shown this once with the command that writes it into the sensor. Used by the wizard and the
// settings.
import { h, field } from '../dom.js';

/** A form that pairs a sensor; onCreated(sensor) after success. */
export function sensorPairForm(ctx, { idPrefix = 'pair', onCreated } = {}) {
  const { t } = ctx;
  const name = field(`${idPrefix}-name`, t('pair_name'), { required: true, maxlength: 64, value: t('pair_default_name'), autocomplete: 'off' });
  const result = h('div', { 'aria-live': 'polite', id: `${idPrefix}-result` });
  const submit = h('button', { type: 'submit', class: 'primary' }, t('pair_submit'));
  const form = h('form', { class: 'pair-form' }, name.wrap, submit, result);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    submit.disabled = true;
    try {
      const r = await ctx.api('/api/v1/sensors', { method: 'POST', body: { name: name.input.value.trim() } });
      result.replaceChildren(h('div', { class: 'notice', id: `${idPrefix}-created` },
        h('p', {}, h('strong', {}, t('pair_created', { id: r.sensor.id, name: r.sensor.name }))),
        h('p', {}, t('pair_key_once')),
        h('code', { class: 'block secret', id: `${idPrefix}-key` }, r.key),
        h('p', {}, t('pair_provision')),
        h('pre', {}, h('code', { id: `${idPrefix}-command` }, r.provision)),
        h('p', { class: 'small' }, t('pair_then'))));
      onCreated?.(r.sensor);
    } catch (e) {
      result.replaceChildren(h('p', { class: 'form-error', role: 'alert' },
        e.status === 409 ? t('pair_taken') : e.status === 400 ? t('pair_bad_name') : t('error_generic', { message: e.message })));
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}
