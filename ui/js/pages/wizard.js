// First-start wizard (GET /api/v1/setup says needed): language, administrator, tariff and
// subscription, pairing the first sensor (its id, key and provision command), done. The step survives a re-render (a change of language re-mounts the page).
import { h, field } from '../dom.js';
import { LANGS } from '../i18n.js';
import { tariffForm } from './tariff_form.js';
import { formatDateTime } from '../format.js';
import { sensorPairForm } from './sensor_pair.js';

const STEPS = ['language', 'admin', 'tariff', 'sensor', 'done'];
const state = { step: 0 };

export function mount(main, ctx) {
  const { t } = ctx;
  const step = STEPS[state.step];
  const go = (n) => { state.step = n; main.replaceChildren(); mount(main, ctx); };
  const title = h('h1', { id: 'wizard-title', tabindex: '-1' }, t(`wizard_${step}_title`));
  const card = h('section', { class: 'card narrow wizard', 'aria-labelledby': 'wizard-title' },
    h('p', { class: 'muted step' }, t('wizard_step', { n: state.step + 1, total: STEPS.length })),
    title, h('p', {}, t(`wizard_${step}_help`)));
  main.append(h('p', { class: 'welcome' }, t('wizard_title')), card);
  ({ language, admin, tariff, sensor, done })[step](card, ctx, go);
  title.focus();
}

function nextButton(label, onclick) {
  return h('button', { type: 'button', class: 'primary', onclick }, label);
}

function language(card, ctx, go) {
  const { t } = ctx;
  const sel = field('wizard-lang', t('language'), {}, 'select');
  for (const l of LANGS) sel.input.append(h('option', { value: l, lang: l }, t(`lang_${l}`)));
  sel.input.value = ctx.currentLang?.() || document.documentElement.lang;
  sel.input.addEventListener('change', () => ctx.setLanguage(sel.input.value));
  card.append(sel.wrap, nextButton(t('next'), () => go(1)));
}

function admin(card, ctx, go) {
  const { t } = ctx;
  const user = field('setup-username', t('username'), { autocomplete: 'username', required: true, maxlength: 64 });
  const pass = field('setup-password', t('password'), { type: 'password', autocomplete: 'new-password', required: true, minlength: 10, 'aria-describedby': 'setup-password-help' });
  const help = h('p', { id: 'setup-password-help', class: 'muted small' }, t('password_rule'));
  const error = h('p', { class: 'form-error', role: 'alert' });
  const form = h('form', {}, user.wrap, pass.wrap, help, h('button', { type: 'submit', class: 'primary' }, t('wizard_admin_submit')), error);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    try {
      await ctx.api('/api/v1/setup', { method: 'POST', body: { username: user.input.value, password: pass.input.value } });
      go(2);
    } catch (e) {
      error.textContent = e.status === 409 ? t('setup_done_already') : t('error_generic', { message: e.message });
    }
  });
  card.append(form);
}

function tariff(card, ctx, go) {
  const { t } = ctx;
  const { form, load } = tariffForm(ctx, { idPrefix: 'wizard-tariff', onSaved: () => go(3), submitLabel: t('save_and_continue') });
  load().catch(() => {});
  card.append(form, h('p', {}, h('button', { type: 'button', class: 'secondary', onclick: () => go(3) }, t('wizard_skip'))));
}

function sensor(card, ctx, go) {
  const { t } = ctx;
  const list = h('ul', { class: 'plain', id: 'wizard-sensors', 'aria-live': 'polite' });
  const refresh = async () => {
    const { sensors } = await ctx.api('/api/v1/sensors');
    list.replaceChildren(...(sensors.length ? [] : [h('li', { class: 'muted' }, t('wizard_sensor_none'))]));
    for (const s of sensors) {
      const seen = s.last_seen ? t('sensor_last_seen', { when: formatDateTime(Date.parse(s.last_seen), ctx.locale(), ctx.tz) }) : t('sensor_never_seen');
      list.append(h('li', {}, h('strong', {}, s.name), ` (#${s.id}) — `, seen));
    }
  };
  card.append(
    sensorPairForm(ctx, { idPrefix: 'wizard-pair', onCreated: () => refresh().catch(() => {}) }),
    h('p', { class: 'muted small' }, t('wizard_sensor_install')),
    h('h2', {}, t('wizard_sensor_paired')), list,
    h('div', { class: 'row' },
      h('button', { type: 'button', class: 'secondary', onclick: () => refresh().catch(() => {}) }, t('wizard_sensor_check')),
      nextButton(t('next'), () => go(4))));
  refresh().catch(() => {});
}

function done(card, ctx) {
  card.append(nextButton(ctx.t('wizard_finish'), () => { state.step = 0; ctx.finishSetup('#/now'); }));
}
