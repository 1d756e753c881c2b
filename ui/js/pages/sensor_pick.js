// Which sensor the pages show: the one chosen last time, else the first. A picker appears only
// when the household has more than one.
import { h, field } from '../dom.js';

let cache = null;

export async function sensorList(ctx, fresh = false) {
  if (!cache || fresh) cache = (await ctx.api('/api/v1/sensors')).sensors;
  return cache;
}

export async function pickSensor(ctx) {
  const sensors = await sensorList(ctx, true);
  const saved = Number(localStorage.getItem('cw_sensor'));
  return sensors.find((s) => s.id === saved) || sensors[0] || null;
}

export async function sensorPicker(ctx, current, onChange) {
  const sensors = await sensorList(ctx);
  if (sensors.length < 2) return '';
  const f = field('sensor-pick', ctx.t('sensor'), {}, 'select');
  for (const s of sensors) f.input.append(h('option', { value: String(s.id) }, s.name));
  f.input.value = String(current.id);
  f.input.addEventListener('change', () => { localStorage.setItem('cw_sensor', f.input.value); onChange(); });
  return f.wrap;
}
