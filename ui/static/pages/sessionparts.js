// Pieces shared by the session pages: titles, state badges, the times of a
// session and of a slot (Dalian time, the viewer's time, the team's time),
// progress counts and file downloads.

import { api } from '../api.js';
import {
  t, tn, industryName, formatIn, formatTimeRange, zoneLabel, timeZone, DALIAN_TZ, validZone, dayKey,
} from '../i18n.js';
import { h, toast, errorText, industryOf, icon } from '../ui.js';

/** "Metaverse #2" in the current language (the server's title names both languages). */
export function sessionTitle(se, ref) {
  const m = /#(\d+)\s*$/.exec(se.title || '');
  const ind = industryOf(ref, se.industry);
  if (m && ind) return `${industryName(ind)} #${m[1]}`;
  return se.title || t('apps.untitled');
}

/** The state badge: #id[data-state]. */
export function stateBadge(state, attrs = {}) {
  return h('span', { class: `badge state-${state}`, dataset: { state }, ...attrs }, t(`state.${state}`));
}

/** Whether the viewer's clock shows the same wall time as Dalian at iso. */
function sameAsDalian(iso) {
  const z = timeZone();
  if (z === DALIAN_TZ) return true;
  return formatIn(iso, z, { parts: 'datetime' }) === formatIn(iso, DALIAN_TZ, { parts: 'datetime' });
}

/** "Mon, 7 Dec 2026, 09:00–10:30" in a zone (the end's date only when it differs). */
export function spanIn(startIso, endIso, zone) {
  const start = formatIn(startIso, zone);
  if (!endIso) return start;
  const end = dayKey(startIso, zone) === dayKey(endIso, zone)
    ? formatIn(endIso, zone, { parts: 'time' })
    : formatIn(endIso, zone);
  return `${start}–${end}`;
}

/** When a session runs: in Dalian time and, when it differs, in the viewer's time. */
export function sessionWhen(se, { id } = {}) {
  const rows = [
    h('div', { class: 'when-row when-dalian' },
      h('span', { class: 'when-label' }, t('sess.dalianTime')),
      h('time', { datetime: se.start, class: 'when-value' }, spanIn(se.start, se.end, DALIAN_TZ))),
  ];
  if (!sameAsDalian(se.start)) {
    rows.push(h('div', { class: 'when-row when-viewer' },
      h('span', { class: 'when-label' }, t('sess.yourTime', { zone: zoneLabel(timeZone()) })),
      h('time', { datetime: se.start, class: 'when-value' }, spanIn(se.start, se.end, ''))));
  }
  return h('div', { class: 'when', id: id || null }, rows);
}

/**
 * A slot's time: Dalian first, then the viewer's own time (when it is not
 * Dalian's) and the team's local time in its own zone (one line when the
 * viewer and the team share a zone).
 */
export function slotTimes(sl) {
  const out = [h('span', { class: 'slot-dalian', title: t('sess.dalianTime') },
    h('time', { datetime: sl.start }, formatTimeRange(sl.start, sl.end, DALIAN_TZ)), ' ',
    h('span', { class: 'zone-tag' }, t('sess.dalianShort')))];
  const viewer = timeZone();
  const showViewer = !sameAsDalian(sl.start);
  const team = sl.timezone && validZone(sl.timezone) ? sl.timezone : '';
  const yours = () => [' ', h('span', { class: 'zone-tag zone-yours' }, t('sess.yourShort'))];
  if (showViewer && viewer !== team) {
    out.push(h('span', { class: 'slot-viewer', title: t('sess.yourTime', { zone: zoneLabel(viewer) }) },
      h('time', { datetime: sl.start }, formatIn(sl.start, '', { parts: 'weekdaytime' })), yours()));
  }
  if (team) {
    out.push(h('span', { class: 'slot-local', title: t('sess.teamTime') },
      formatIn(sl.start, team, { parts: 'weekdaytime' }), ' ',
      h('span', { class: 'zone-tag' }, zoneLabel(team)), showViewer && viewer === team ? yours() : null));
  }
  return h('span', { class: 'slot-times' }, out);
}

/** The schedule card of a session (lists, home). */
export function sessionCard(se, ref, { teams = true } = {}) {
  const href = `#/sessions/${encodeURIComponent(se.id)}`;
  const slots = se.slots || [];
  return h('article', {
    class: ['session-card', `state-${se.state}`],
    dataset: { sessionId: se.id, state: se.state, industry: se.industry },
  },
  h('div', { class: 'session-card-head' },
    h('h3', {}, h('a', { href, class: 'session-link', id: `session-link-${se.id}` }, sessionTitle(se, ref))),
    stateBadge(se.state),
    se.publishedAt ? h('span', { class: 'badge results-badge', dataset: { published: 'true' } }, t('sess.resultsPublished')) : null),
  sessionWhen(se),
  teams && slots.length ? h('ol', { class: 'slot-mini' }, slots.map((sl) => h('li', {
    dataset: { applicationId: sl.applicationId || '' },
  },
  h('span', { class: 'slot-mini-title' }, sl.title || t('apps.untitled')),
  slotTimes(sl)))) : null,
  h('p', { class: 'session-meta muted' }, t('sess.meta', {
    teams: tn('sess.teams', slots.length),
    judges: tn('sess.judgesN', (se.judges || []).length),
    investors: tn('sess.investorsN', (se.investors || []).length),
  })));
}

/** Groups sessions by their Dalian day, in order. */
export function byDay(list) {
  const groups = [];
  for (const se of list) {
    const key = dayKey(se.start, DALIAN_TZ);
    let g = groups[groups.length - 1];
    if (!g || g.key !== key) { g = { key, items: [] }; groups.push(g); }
    g.items.push(se);
  }
  return groups;
}

/** "2/3" with its label, updated in place by setProgress. */
export function progressBox(appId, p) {
  const scored = p ? p.scored : 0;
  const judges = p ? p.judges : 0;
  const final = p ? p.final : 0;
  return h('span', { class: 'progress', dataset: { applicationId: appId } },
    h('span', { class: 'progress-count', dataset: { applicationId: appId, scored, judges } }, `${scored}/${judges}`),
    ' ',
    h('span', { class: 'progress-label' }, t('live.judgesScored')),
    h('span', { class: 'progress-final', dataset: { applicationId: appId }, hidden: final === 0 }, ' · ', t('live.final', { n: final })));
}

/** Updates the progress boxes on the page from a progress list. */
export function setProgress(root, list) {
  for (const p of list || []) {
    const sel = `.progress[data-application-id="${CSS.escape(p.applicationId)}"]`;
    for (const box of root.querySelectorAll(sel)) {
      const count = box.querySelector('.progress-count');
      count.textContent = `${p.scored}/${p.judges}`;
      count.dataset.scored = p.scored;
      count.dataset.judges = p.judges;
      const fin = box.querySelector('.progress-final');
      fin.hidden = !p.final;
      fin.replaceChildren(' · ', t('live.final', { n: p.final }));
    }
  }
}

/** The live connection's state line: #live-status[data-state]. */
export function liveStatus(state) {
  return h('span', { id: 'live-status', class: ['live-status', `live-${state}`], dataset: { state }, role: 'status' },
    h('span', { class: 'dot', 'aria-hidden': 'true' }), t(`live.${state}`));
}

/** Updates #live-status in place. */
export function setLiveStatus(state) {
  const el = document.getElementById('live-status');
  if (!el) return;
  el.dataset.state = state;
  el.className = `live-status live-${state}`;
  el.replaceChildren(h('span', { class: 'dot', 'aria-hidden': 'true' }), t(`live.${state}`));
}

/** Fetches a file with the token and hands it to the browser. */
export async function downloadFile(path, filename, button) {
  if (button) button.disabled = true;
  try {
    const blob = await api.get(path, { expect: 'blob' });
    const url = URL.createObjectURL(blob);
    const a = h('a', { href: url, download: filename, class: 'visually-hidden' });
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
    toast(() => t('export.done', { name: filename }), 'success');
  } catch (err) {
    toast(() => errorText(err), 'error');
  } finally {
    if (button) button.disabled = false;
  }
}

/** The export buttons of the organizer (#export-applications, #export-results). */
export function exportButtons() {
  return h('div', { class: 'actions exports' },
    h('button', {
      type: 'button', id: 'export-applications', class: 'btn btn-small',
      onclick: (e) => downloadFile('/exports/applications.csv', 'applications.csv', e.currentTarget),
    }, icon('⤓ '), t('export.applications')),
    h('button', {
      type: 'button', id: 'export-results', class: 'btn btn-small',
      onclick: (e) => downloadFile('/exports/results.csv', 'results.csv', e.currentTarget),
    }, icon('⤓ '), t('export.results')));
}
