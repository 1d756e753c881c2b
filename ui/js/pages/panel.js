// The cards of the insight pages (goals, tips): a titled section that says "loading", then is
// filled from one API route.
import { h } from '../dom.js';

export function panel(id, title, t) {
  return h('section', { class: 'card', id, 'aria-labelledby': `${id}-title` },
    h('h2', { id: `${id}-title` }, title), h('p', { class: 'muted' }, t('loading')));
}

/** Empties a panel but for its title. */
export function keepTitle(el) {
  el.replaceChildren(el.querySelector('h2'));
  return el;
}

/** The body of GET path, with the panel emptied for it (an error is thrown, for failIn). */
export async function fetchInto(ctx, el, path) {
  const body = await ctx.api(path);
  keepTitle(el);
  return body;
}

/** A catch handler that says the error in the panel. */
export const failIn = (ctx, el) => (e) => keepTitle(el).append(h('p', { role: 'alert' }, ctx.t('error_generic', { message: e.message })));
