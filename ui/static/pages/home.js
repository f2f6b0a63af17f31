// #/home for judges and investors, and the page for unknown routes.

import { t } from '../i18n.js';
import { h } from '../ui.js';

export async function homePage(ctx) {
  function render() {
    const user = ctx.user || {};
    ctx.mount(h('div', { class: 'page' },
      h('div', { class: 'page-head' }, h('h1', {}, t('home.title', { name: user.name || '' }))),
      h('section', { class: 'panel', id: 'sessions' },
        h('p', { class: 'lead' }, t(user.role === 'investor' ? 'home.investor' : 'home.judge')),
        h('p', { class: 'muted' }, t('home.soon')))));
  }
  render();
  return { render };
}

export async function notFoundPage(ctx) {
  function render() {
    ctx.mount(h('section', { class: 'panel error-panel' },
      h('h1', {}, t('err.notFoundTitle')),
      h('p', {}, t('err.notFoundText')),
      h('p', {}, h('a', { href: '#/' }, t('nav.home')))));
  }
  render();
  return { render };
}
