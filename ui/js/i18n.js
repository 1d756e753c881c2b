// The message catalogue: every string the reader sees comes from i18n/<lang>.json.
// French by default; the choice is kept in localStorage.

export const LANGS = ['fr', 'en'];
const DEFAULT_LOCALE = { fr: 'fr-FR', en: 'en-GB' };
let lang = 'fr';
let messages = {};

export async function loadLang(wanted) {
  const next = LANGS.includes(wanted) ? wanted : 'fr';
  const res = await fetch(`/i18n/${next}.json`);
  if (!res.ok) throw new Error(`cannot load the ${next} catalogue`);
  messages = await res.json();
  lang = next;
  try { localStorage.setItem('cw_lang', next); } catch { /* private mode: not remembered */ }
  document.documentElement.lang = next;
  return next;
}

export function savedLang() {
  try { return localStorage.getItem('cw_lang') || 'fr'; } catch { return 'fr'; }
}

export const currentLang = () => lang;

/** The reader's locale when it speaks the chosen language (fr-BE, en-US...), else a default. */
export function locale() {
  const nav = (typeof navigator !== 'undefined' && navigator.languages) || [];
  return nav.find((l) => l.toLowerCase().startsWith(lang)) || DEFAULT_LOCALE[lang];
}

/** t(KEY, {name: 'x'}) with {name} placeholders; an unknown key shows itself (and warns). */
export function t(key, vars = {}) {
  let s = messages[key];
  if (s === undefined) {
    console.warn(`i18n: missing ${lang}.${key}`);
    s = key;
  }
  return s.replace(/\{(\w+)\}/g, (m, k) => (k in vars ? String(vars[k]) : m));
}

/** A message that depends on a count: KEY_one or KEY_other by the language's plural rules. */
export function tn(key, n, vars = {}) {
  const form = new Intl.PluralRules(lang).select(n) === 'one' ? 'one' : 'other';
  return t(`${key}_${form}`, { n, ...vars });
}
