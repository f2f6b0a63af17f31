// Pieces shared by the applicant's and the organizer's pages.

import { api, seg } from '../api.js';
import {
  t, countryName, industryName, formatBytes, formatMoney,
} from '../i18n.js';
import {
  h, toast, errorText, badge, timeEl, industryOf, isWebURL, withBusy,
} from '../ui.js';

/**
 * A keyset-paged list of applications. load() fetches the first page;
 * more(ev) the next one, re-renders and moves focus to its first new row.
 * urlFor(cursor) builds a page's address ('' for the first).
 */
export function pagedList(urlFor, render) {
  const list = { items: [], cursor: '', error: null };
  const take = (page) => {
    const added = (page && page.items) || [];
    list.items = list.items.concat(added);
    list.cursor = (page && page.nextCursor) || '';
  };
  list.load = async () => {
    try {
      take(await api.get(urlFor('')));
    } catch (err) {
      list.error = err;
    }
  };
  list.more = (ev) => withBusy(ev.currentTarget, async () => {
    try {
      const firstNew = list.items.length;
      take(await api.get(urlFor(list.cursor)));
      render();
      const link = document.querySelectorAll('.app-row a')[firstNew];
      if (link) link.focus(); else document.querySelector('#load-more')?.focus();
    } catch (err) {
      toast(() => errorText(err), 'error');
    }
  });
  return list;
}

/** Fetches the deck with the token and hands it to the browser as a PDF file. */
export async function downloadDeck(app, button) {
  if (button) button.disabled = true;
  try {
    const blob = await api.get(`/applications/${seg(app.id)}/deck`, { expect: 'blob' });
    const url = URL.createObjectURL(new Blob([blob], { type: 'application/pdf' }));
    const name = `${(app.title || 'deck').replace(/[^\p{L}\p{N} _.-]+/gu, '').trim().slice(0, 80) || 'deck'}.pdf`;
    const a = h('a', { href: url, download: name, class: 'visually-hidden', id: 'deck-blob-link' });
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  } catch (err) {
    toast(() => errorText(err), 'error');
  } finally {
    if (button) button.disabled = false;
  }
}

/** "1.2 MB, uploaded 3 May 2025, 14:02 CEST" or "No deck uploaded yet." */
export function deckInfo(deck) {
  if (!deck) return h('p', { id: 'deck-info', class: 'muted', dataset: { state: 'none' } }, t('deck.none'));
  const parts = t('deck.info', { size: '\u0000', time: '\u0001' }).split(/(\u0000|\u0001)/);
  return h('p', { id: 'deck-info', dataset: { state: 'uploaded', size: deck.size } },
    parts.map((p) => {
      if (p === '\u0000') return h('span', { class: 'deck-size' }, formatBytes(deck.size || 0));
      if (p === '\u0001') return timeEl(deck.uploadedAt);
      return p;
    }));
}

/** The screening decision box: #screening-decision[data-decision]. */
export function screeningBox(app, { heading } = {}) {
  const s = app.screening;
  const decision = s && s.decision ? s.decision : '';
  return h('section', { class: ['screening-box', decision ? `decision-${decision}` : null], 'aria-labelledby': 'screening-heading' },
    h('h2', { id: 'screening-heading' }, heading || t('app.screening')),
    h('div', { id: 'screening-decision', dataset: { decision } },
      decision
        ? [
          badge(decision, { class: `badge status-${decision} decision-badge` }),
          s.at ? h('span', { class: 'muted' }, ' ', withTime('app.screeningAt', s.at)) : null,
          s.note ? h('p', { class: 'screening-note' }, t('app.screeningNote', { note: s.note })) : null,
        ]
        : h('p', { class: 'muted' }, t('app.screeningNone'))));
}

/** A translated sentence with a <time> where {time} is. */
export function withTime(key, iso) {
  const parts = t(key, { time: '\u0000' }).split('\u0000');
  const out = [];
  parts.forEach((p, i) => {
    if (i > 0) out.push(timeEl(iso));
    if (p) out.push(p);
  });
  return h('span', {}, out);
}

function linkOrText(url) {
  if (!url) return t('common.none');
  if (!isWebURL(url)) return url;
  return h('a', { href: url, target: '_blank', rel: 'noopener noreferrer nofollow' }, url);
}

function multiline(text, id) {
  if (!text) return h('p', { id, class: 'muted' }, t('common.none'));
  return h('p', { id, class: 'prewrap' }, text);
}

/** The whole application, read-only (organizer's review page). */
export function appDetails(app, ref) {
  const team = (app.team || []).length
    ? h('ul', { class: 'team-list', id: 'detail-team' }, app.team.map((m) => h('li', { class: 'team-member' },
      h('strong', {}, m.name || t('common.none')),
      h('span', { class: 'muted' }, ' ', t('detail.memberLine', {
        role: m.role || t('common.none'), nationality: m.nationality ? countryName(m.nationality) : t('common.none'),
      })),
      m.bio ? h('p', { class: 'prewrap' }, m.bio) : null)))
    : h('p', { id: 'detail-team', class: 'muted' }, t('common.none'));
  return h('div', { class: 'details' },
    summaryPanel(app, ref, true),
    h('section', { class: 'panel' }, h('h2', {}, t('detail.team')), team),
    h('section', { class: 'panel' }, h('h2', {}, t('detail.landing')), multiline(app.landingPlan, 'detail-landing')),
  );
}

/** The public part of an application (investors; judges with a conflict). */
export function publicDetails(app, ref) {
  return h('div', { class: 'details' }, summaryPanel(app, ref, false));
}

/** The summary and the facts of an application; full adds the private ones. */
function summaryPanel(app, ref, full) {
  const ind = industryOf(ref, app.industry);
  const row = (label, value, id) => [h('dt', {}, label), h('dd', { id }, value)];
  return h('section', { class: 'panel' },
    h('h2', {}, t('detail.summary')),
    multiline(app.summary, 'detail-summary'),
    h('dl', { class: 'facts' },
      row(t('detail.industry'), ind ? h('span', { class: ['industry-tag', ind.core ? 'core' : null] }, industryName(ind)) : t('common.none'), 'detail-industry'),
      row(t('detail.stage'), app.stage ? t(`stage.${app.stage}`) : t('common.none'), 'detail-stage'),
      row(t('detail.country'), app.country ? countryName(app.country) : t('common.none'), 'detail-country'),
      full ? row(t('detail.timezone'), app.timezone ? app.timezone.replace(/_/g, ' ') : t('common.none'), 'detail-timezone') : null,
      row(t('detail.funding'), app.fundingAsk && app.fundingAsk.currency
        ? formatMoney(app.fundingAsk.amount, app.fundingAsk.currency) : t('common.none'), 'detail-funding'),
      row(t('detail.website'), linkOrText(app.website), 'detail-website'),
      row(t('detail.video'), linkOrText(app.videoUrl), 'detail-video'),
      full ? [
        row(t('detail.created'), timeEl(app.createdAt), 'detail-created'),
        row(t('detail.submitted'), timeEl(app.submittedAt), 'detail-submitted'),
        row(t('detail.updated'), timeEl(app.updatedAt), 'detail-updated'),
      ] : null,
    ));
}
