// "Objectifs & défis": a monthly budget (in € or kWh) with its progress and projection, this
// week's challenge, the streak of weeks won and the badges (docs/api.md "Insights").
import { h, field, append } from '../dom.js';
import { qs } from '../api.js';
import { panel, keepTitle, fetchInto, failIn } from './panel.js';
import { formatPercent, formatDay, formatDate, formatNumber, formatPeriod } from '../format.js';
import { parseAmount } from '../money.js';
import { formatAmount, challengeText, challengeProgress, challengeResultText, challengeName, badgeKey, render, CHALLENGE_STATUSES } from '../insight_text.js';
import { pickSensor } from './sensor_pick.js';

const STATUS_CLASS = { on_track: 'level-low', at_risk: 'level-high', over: 'level-very_high', lost: 'level-very_high', no_data: '', none: '' };

export function mount(main, ctx) {
  const { t } = ctx;
  const target = panel('target', t('target_title'), t);
  const challenge = panel('challenge', t('challenge_title'), t);
  main.append(h('div', { class: 'page-head' }, h('h1', {}, t('goals_title'))), target, challenge);
  loadTarget(ctx, target).catch(failIn(ctx, target));
  pickSensor(ctx).then((s) => loadChallenge(ctx, challenge, s)).catch(failIn(ctx, challenge));
}

async function loadTarget(ctx, box) {
  const { t } = ctx;
  const loc = ctx.locale();
  const g = await fetchInto(ctx, box, '/api/v1/target');
  const month = formatPeriod('month', Date.parse(g.month_start), loc, ctx.tz);
  if (g.target) {
    const unit = g.target.unit;
    const so = unit === 'kwh' ? g.so_far?.kwh : g.so_far?.cost;
    const proj = unit === 'kwh' ? g.projection?.kwh : g.projection?.cost;
    const share = typeof g.share === 'number' ? g.share : null;
    append(box, [
      h('p', { class: 'figure', id: 'target-amount' }, formatAmount(g.target.amount, unit, loc)),
      h('p', { class: 'muted' }, t('target_for_month', { month })),
      share !== null && h('div', { class: `progress${share > 1 ? ' over' : ''}`, role: 'progressbar', 'aria-valuemin': '0', 'aria-valuemax': '100',
        'aria-valuenow': String(Math.round(Math.min(share, 1) * 100)), 'aria-label': t('target_progress_label') },
      h('span', { style: `width:${Math.min(100, share * 100).toFixed(1)}%` })),
      h('p', { id: 'target-so-far' }, t('target_so_far', { amount: formatAmount(so, unit, loc), share: formatPercent(share, loc) })),
      h('p', { id: 'target-projection' }, t('target_projection', { amount: formatAmount(proj, unit, loc) })),
      h('p', { class: `level ${STATUS_CLASS[g.status] || ''}`, id: 'target-status' }, t(`target_status_${g.status in STATUS_CLASS ? g.status : 'none'}`))]);
  } else {
    box.append(h('p', { id: 'target-none' }, t('target_none')));
  }
  if (ctx.me?.user?.role === 'admin') box.append(targetForm(ctx, g, () => loadTarget(ctx, box)));
  else box.append(h('p', { class: 'muted small' }, t('target_admin_sets')));
}

function targetForm(ctx, g, reload) {
  const { t } = ctx;
  const loc = ctx.locale();
  const unit = field('target-unit', t('target_unit'), {}, 'select');
  for (const u of ['eur', 'kwh']) unit.input.append(h('option', { value: u }, t(`target_unit_${u}`)));
  unit.input.value = g.target?.unit || 'eur';
  const current = g.target ? Number(g.target.amount) : null;
  const amount = field('target-input', t('target_amount'), { inputmode: 'decimal', autocomplete: 'off', required: true,
    value: current ? formatNumber(current, loc, unit.input.value === 'eur' ? 2 : 0) : '', 'aria-describedby': 'target-help' });
  const status = h('p', { class: 'form-status', role: 'status' });
  const remove = g.target && h('button', { type: 'button', class: 'secondary', id: 'target-remove' }, t('target_remove'));
  const form = h('form', { id: 'target-form' }, h('h3', {}, t(g.target ? 'target_change' : 'target_set')),
    h('div', { class: 'row' }, unit.wrap, amount.wrap),
    h('p', { class: 'muted small', id: 'target-help' }, t('target_help')),
    h('div', { class: 'row' }, h('button', { type: 'submit', class: 'primary' }, t('target_save')), remove), status);
  const put = async (body) => {
    try {
      await ctx.api('/api/v1/target', { method: 'PUT', body });
      await reload();
      ctx.refreshAlerts?.();
    } catch (e) {
      status.className = 'form-status warn';
      status.textContent = e.status === 400 ? t('target_refused') : t('error_generic', { message: e.message });
    }
  };
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const a = parseAmount(amount.input.value);
    if (!a) { status.className = 'form-status warn'; status.textContent = t('target_bad_amount'); amount.input.focus(); return; }
    put({ unit: unit.input.value, amount: a });
  });
  remove?.addEventListener('click', () => put({ target: null }));
  return form;
}

async function loadChallenge(ctx, box, sensor) {
  const { t } = ctx;
  const loc = ctx.locale();
  if (!sensor) { keepTitle(box).append(h('p', {}, t('no_sensor_yet'))); return; }
  const c = await fetchInto(ctx, box, `/api/v1/challenges?${qs({ sensor: sensor.id })}`);
  const lang = ctx.currentLang();
  const cur = c.current;
  if (cur) {
    const progress = challengeProgress(cur, loc);
    const share = progress?.share ?? null;
    append(box, [
      h('p', { class: 'challenge-text', id: 'challenge-current' }, render(challengeText(cur, loc), t, lang)),
      h('p', { class: 'muted small' }, t('challenge_week', { from: formatDay(String(cur.week_start).slice(0, 10), loc) })),
      share !== null && h('div', { class: `progress${share > 1 ? ' over' : ''}`, role: 'progressbar', 'aria-valuemin': '0', 'aria-valuemax': '100',
        'aria-valuenow': String(Math.round(Math.min(share, 1) * 100)), 'aria-label': t('challenge_progress_label') },
      h('span', { style: `width:${Math.min(100, share * 100).toFixed(1)}%` })),
      progress && h('p', { id: 'challenge-progress' }, t(progress.key, progress.vars)),
      h('p', { class: `level ${STATUS_CLASS[cur.status] || ''}`, id: 'challenge-status' }, t(`challenge_status_${CHALLENGE_STATUSES.includes(cur.status) ? cur.status : 'none'}`))]);
  } else {
    box.append(h('p', {}, t('challenge_none')));
  }
  box.append(h('p', { class: 'streak', id: 'challenge-streak' }, h('span', { 'aria-hidden': 'true' }, '★ '), c.streak ? ctx.tn('challenge_streak', c.streak) : t('challenge_streak_none')));
  box.append(h('h3', {}, t('badges_title')), c.badges?.length
    ? h('ul', { class: 'badges', id: 'badges' }, c.badges.filter((b) => badgeKey(b.id)).map((b) => h('li', {},
      h('strong', {}, t(badgeKey(b.id))), h('span', { class: 'muted small block' }, t(`${badgeKey(b.id)}_help`)),
      b.earned_ms ? h('span', { class: 'muted small block' }, t('badge_earned', { when: formatDate(b.earned_ms, loc, ctx.tz) })) : '')))
    : h('p', { class: 'muted' }, t('badges_none')));
  if (c.history?.length) {
    box.append(h('h3', {}, t('challenge_history')), h('ul', { class: 'plain', id: 'challenge-history' }, c.history.map((w) => h('li', {},
      h('strong', {}, t('challenge_week', { from: formatDay(String(w.week_start).slice(0, 10), loc) })), ' — ',
      t(challengeName(w.kind)), ' : ', render(challengeResultText(w, loc), t, lang)))));
  }
}
