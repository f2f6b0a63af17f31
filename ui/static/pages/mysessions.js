// #/my-sessions: an applicant's pitch slots, in their own time zone and in the
// team's stated one, the running order, the published results and a
// calendar subscription.

import { api, seg } from '../api.js';
import { spreadText } from './results.js';
import {
  t, tn, formatIn, formatTimeRange, zoneAbbr, zoneLabel, timeZone, validZone, formatScore, DALIAN_TZ, industryName,
} from '../i18n.js';
import {
  h, toast, errorText, loadRef, industryOf, withBusy, errorPanel,
} from '../ui.js';
import { sessionTitle, stateBadge } from './sessionparts.js';

const SEEN_KEY = (appId) => `roadshow.slotSeen.${appId}`;

/** The applicant's own slots that changed since they last said they saw it: [{se, sl}]. */
export function changedSlots(sessions) {
  const out = [];
  for (const se of sessions) {
    for (const sl of se.slots || []) {
      if (!sl.applicationId || !sl.changedAt) continue;
      let seen = 0;
      try { seen = Number(localStorage.getItem(SEEN_KEY(sl.applicationId)) || 0); } catch { /* ignore */ }
      if ((sl.sequence || 0) > seen) out.push({ se, sl });
    }
  }
  return out;
}

/** Remembers that the applicant saw the slot's latest change. */
export function sawSlot(sl) {
  try { localStorage.setItem(SEEN_KEY(sl.applicationId), String(sl.sequence || 0)); } catch { /* ignore */ }
}

/** "Fri, 27 Nov 2026, 13:30 (GMT+1)": an instant in the viewer's own zone. */
export function yourTime(iso) {
  return `${formatIn(iso, '', { parts: 'weekdaytime' })} (${zoneAbbr(iso, timeZone())})`;
}

export async function mySessionsPage(ctx) {
  const ref = await loadRef();
  let sessions;
  try {
    const res = await api.get('/sessions');
    sessions = ((res && res.items) || []).filter((s) => s.state !== 'cancelled');
  } catch (err) {
    if (err.status === 401) return null;
    ctx.mount(errorPanel(err, () => ctx.navigate('#/my-sessions')));
    return null;
  }
  const results = {};
  await Promise.all(sessions.filter((s) => s.publishedAt).map(async (s) => {
    try { results[s.id] = await api.get(`/sessions/${seg(s.id)}/results`); } catch { /* not yet */ }
  }));
  let calendar = null; // {url, expiresAt}

  async function getCalendar(ev) {
    await withBusy(ev.currentTarget, async () => {
      try {
        calendar = await api.get('/me/calendar-link');
        render();
        document.getElementById('calendar-subscribe')?.focus();
      } catch (err) {
        if (err.status !== 401) toast(() => errorText(err), 'error');
      }
    });
  }

  async function copy() {
    try {
      await navigator.clipboard.writeText(calendar.url);
      toast(() => t('cal.copied'), 'success');
    } catch {
      const input = document.getElementById('calendar-url');
      input.focus();
      input.select();
    }
  }

  /** "Fri, 27 Nov 2026, 13:30–13:45 (GMT+1)" in a zone. */
  function span(sl, zone) {
    return `${formatIn(sl.start, zone)}–${formatIn(sl.end, zone, { parts: 'time' })} (${zoneAbbr(sl.start, zone)})`;
  }

  function slotBlock(se, sl, i) {
    const viewer = timeZone();
    const team = sl.timezone && validZone(sl.timezone) ? sl.timezone : '';
    const res = results[se.id];
    const mine = res && res.teams ? res.teams.find((r) => r.applicationId === sl.applicationId) : null;
    const changed = changedSlots([{ slots: [sl] }]).length > 0;
    return h('div', { class: 'my-slot', dataset: { applicationId: sl.applicationId, index: i } },
      h('h3', { class: 'my-slot-title' }, sl.title || t('apps.untitled')),
      changed ? h('div', { class: 'notice slot-changed', role: 'status', dataset: { applicationId: sl.applicationId } },
        h('p', {}, t('my.moved', { at: formatIn(sl.changedAt, ''), time: yourTime(sl.start), session: sessionTitle(se, ref) })),
        sl.previousStart ? h('p', { class: 'muted' }, t('my.movedFrom', { time: yourTime(sl.previousStart) })) : null,
        h('button', {
          type: 'button', class: 'btn btn-small slot-seen', onclick: () => { sawSlot(sl); render(); },
        }, t('my.movedSeen'))) : null,
      h('dl', { class: 'facts slot-facts' },
        h('dt', {}, t('my.yourTime', { zone: zoneLabel(viewer) })),
        h('dd', { class: 'slot-viewer-time' }, h('time', { datetime: sl.start }, span(sl, viewer))),
        team && team !== viewer ? [
          h('dt', {}, t('my.teamTime', { zone: zoneLabel(team) })),
          h('dd', { class: 'slot-team-time' }, span(sl, team)),
        ] : null,
        h('dt', {}, t('sess.dalianTime')),
        h('dd', { class: 'slot-dalian-time' }, formatIn(sl.start, DALIAN_TZ), '–', formatIn(sl.end, DALIAN_TZ, { parts: 'time' }))),
      se.publishedAt
        ? (mine
          ? [h('p', { class: ['my-result', mine.rank ? null : 'unranked'], dataset: { rank: mine.rank, of: mine.of, applicationId: sl.applicationId } },
            h('strong', {}, mine.rank ? t('my.rankOf', { rank: mine.rank, of: mine.of }) : t('my.unranked')),
            mine.rank ? [' · ', t('my.mean', { mean: formatScore(mine.mean) }),
              ' · ', t('my.judges', { n: mine.count, panel: mine.panel }),
              ' · ', t('my.spread', { spread: spreadText(mine) })] : null),
          (mine.feedback || []).length ? h('div', { class: 'my-feedback' },
            h('h4', {}, t('my.feedback')),
            h('ul', { class: 'plain-list feedback-list' }, mine.feedback.map((f) => h('li', { translate: 'no' }, f)))) : null]
          : h('p', { class: 'muted' }, t('results.empty')))
        : h('p', { class: 'muted my-result-pending' }, t('my.resultsLater')));
  }

  function sessionBlock(se) {
    const ind = industryOf(ref, se.industry);
    const own = se.slots.map((sl, i) => [sl, i]).filter(([sl]) => sl.applicationId);
    return h('section', { class: 'panel my-session', dataset: { sessionId: se.id, state: se.state }, 'aria-labelledby': `my-${se.id}` },
      h('div', { class: 'panel-head' },
        h('h2', { id: `my-${se.id}` }, sessionTitle(se, ref)),
        h('div', { class: 'status-line' }, stateBadge(se.state),
          ind ? h('span', { class: ['industry-tag', ind.core ? 'core' : null] }, industryName(ind)) : null)),
      se.state === 'live' ? h('p', { class: 'notice live-notice' }, t('my.liveNow')) : null,
      se.state === 'live' || se.state === 'scheduled' ? h('p', { class: 'actions' },
        h('a', { class: ['btn', se.state === 'live' ? 'btn-primary' : null], href: `#/sessions/${encodeURIComponent(se.id)}`, id: `pitch-room-${se.id}` },
          t(se.state === 'live' ? 'my.openRoomLive' : 'my.openRoom'))) : null,
      own.map(([sl, i]) => slotBlock(se, sl, i)),
      h('details', { class: 'running-order' },
        h('summary', {}, t('my.runningOrder', { teams: tn('sess.teams', se.slots.length) })),
        h('ol', { class: 'plain-list order-list' }, se.slots.map((sl) => h('li', { class: sl.applicationId ? 'own' : null },
          h('span', { class: 'muted' }, formatTimeRange(sl.start, sl.end, timeZone())), ' ',
          sl.applicationId ? h('strong', {}, sl.title) : sl.title)))));
  }

  function calendarBox() {
    const webcal = calendar ? calendar.url.replace(/^https?:/, 'webcal:') : '';
    return h('section', { class: 'panel calendar-box', id: 'calendar', 'aria-labelledby': 'calendar-title' },
      h('h2', { id: 'calendar-title' }, t('cal.title')),
      h('p', { class: 'muted' }, t('cal.intro')),
      calendar
        ? h('div', { class: 'stack' },
          h('div', { class: 'actions' },
            h('a', { class: 'btn btn-primary', id: 'calendar-subscribe', href: webcal }, t('cal.subscribe')),
            h('a', { class: 'btn', id: 'calendar-download', href: calendar.url, download: 'roadshow.ics' }, t('cal.download'))),
          h('div', { class: 'field' },
            h('label', { for: 'calendar-url' }, t('cal.url')),
            h('div', { class: 'row-control' },
              h('input', { id: 'calendar-url', type: 'text', readOnly: true, value: calendar.url, spellcheck: 'false' }),
              h('button', { type: 'button', class: 'btn btn-small', id: 'calendar-copy', onclick: copy }, t('cal.copy')))),
          h('p', { class: 'help' }, t('cal.private')))
        : h('button', { type: 'button', class: 'btn btn-primary', id: 'calendar-link', onclick: getCalendar }, t('cal.add')));
  }

  function render() {
    ctx.mount(h('div', { class: 'page my-sessions-page' },
      h('div', { class: 'page-head' },
        h('div', {}, h('h1', {}, t('my.title')), h('p', { class: 'lead' }, t('my.intro', { zone: zoneLabel(timeZone()) })))),
      sessions.length
        ? [h('div', { id: 'my-sessions' }, sessions.map(sessionBlock)), calendarBox()]
        : h('section', { class: 'panel' },
          h('p', { class: 'empty', id: 'my-sessions-empty' }, t('my.empty')),
          h('p', { class: 'center' }, h('a', { href: '#/applications' }, t('nav.applications'))))));
  }
  render();
  return { render };
}
