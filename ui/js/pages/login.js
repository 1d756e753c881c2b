// Login page. Wrong password and throttling get their own words; the form keeps its values.
import { h, field } from '../dom.js';

export function mount(main, ctx) {
  const { t } = ctx;
  const user = field('login-username', t('username'), { autocomplete: 'username', required: true });
  const pass = field('login-password', t('password'), { type: 'password', autocomplete: 'current-password', required: true });
  const error = h('p', { class: 'form-error', role: 'alert' });
  const submit = h('button', { type: 'submit', class: 'primary' }, t('login_submit'));
  const form = h('form', { class: 'card narrow', 'aria-labelledby': 'login-title' },
    h('h1', { id: 'login-title' }, t('login_title')),
    h('p', { class: 'muted' }, t('login_help')),
    user.wrap, pass.wrap, submit, error);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    error.textContent = '';
    submit.disabled = true;
    try {
      await ctx.api('/api/v1/login', { method: 'POST', body: { username: user.input.value, password: pass.input.value } });
      await ctx.signedIn('#/now');
    } catch (e) {
      error.textContent = e.status === 401 ? t('login_failed') : e.status === 429 ? t('login_throttled') : t('error_generic', { message: e.message });
      submit.disabled = false;
      pass.input.focus();
    }
  });
  main.append(form);
  user.input.focus();
}
