// #/home for judges and investors (their next sessions), and the page for
// unknown routes.

import { api } from '../api.js';
import { t } from '../i18n.js';
import { h, loadRef } from '../ui.js';
import { sessionCard } from './sessionparts.js';

export async function homePage(ctx) {
  const ref = await loadRef();
  let sessions = [];
  let published = []; // sessions whose ranking is published
  let failed = false;
  try {
    const res = await api.get('/sessions');
    sessions = ((res && res.items) || []).filter((s) => s.state === 'live' || s.state === 'scheduled');
    published = ((res && res.items) || []).filter((s) => s.publishedAt);
  } catch (err) {
    if (err.status === 401) return null;
    failed = true;
  }
  function render() {
    const user = ctx.user || {};
    const judge = user.role === 'judge';
    const next = sessions.slice(0, 4);
    ctx.mount(h('div', { class: 'page' },
      h('div', { class: 'page-head' },
        h('div', {}, h('h1', {}, t('home.title', { name: user.name || '' })),
          h('p', { class: 'lead' }, t(judge ? 'home.judgeLead' : 'home.investorLead'))),
        h('a', { class: 'btn btn-primary', href: '#/sessions', id: 'home-sessions-link' }, t(judge ? 'home.allJudge' : 'home.allInvestor'))),
      next.length
        ? h('section', { id: 'sessions', 'aria-labelledby': 'home-next' },
          h('h2', { id: 'home-next' }, t('home.next')),
          h('div', { class: 'session-grid' }, next.map((se) => sessionCard(se, ref, { teams: judge }))))
        : h('section', { class: 'panel', id: 'sessions' },
          h('p', { class: 'lead' }, t(failed ? 'err.loadFailed' : (judge ? 'home.judge' : 'home.investor'))),
          h('p', { class: 'muted' }, t('home.soon'))),
      published.length
        ? h('section', { id: 'published-results', 'aria-labelledby': 'home-published' },
          h('h2', { id: 'home-published' }, t('home.published')),
          h('p', { class: 'muted' }, t('home.publishedHelp')),
          h('div', { class: 'session-grid' }, published.map((se) => sessionCard(se, ref, { teams: false }))))
        : null));
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
