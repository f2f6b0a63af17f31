// #/sessions/{id}: one pitch session, as its organizer runs it (controls,
// order, judges and investors, live progress, results), as a judge scores it
// (the teams, conflicts and the rubric panel that saves as it goes) and as an
// investor follows it (the teams and the published ranking).
// #/sessions/{id}/applications/{appId}: an application read from a session.

import { api, seg, request } from '../api.js';
import {
  t, tn, getLang, industryName, countryName, formatScore, formatIn, formatDateTime, formatMoney, msgText, DALIAN_TZ, validZone, zoneLabel,
} from '../i18n.js';
import {
  h, $, toast, errorText, setFieldError, options, loadRef, industryOf, withBusy, errorPanel, charCount,
  counter, updateCounter, timeEl, announce, icon,
} from '../ui.js';
import { appDetails, downloadDeck, publicDetails } from './common.js';
import {
  sessionTitle, stateBadge, sessionWhen, slotTimes, progressBox, setProgress, liveStatus, setLiveStatus, exportButtons,
} from './sessionparts.js';
import { liveEvents, countdown, formatClock } from '../live.js';
import {
  publicRanking, organizerRanking, completenessPanel, publishPanel, resultsLog,
} from './results.js';
import { liveRoomView, titled } from './liveroom.js';
import { pitchPage } from './pitch.js';
import { meetingBox, myMeetings } from './meetings.js';

/** #/sessions/{id}: the session as each role takes part in it. */
export async function sessionPage(ctx) {
  const role = ctx.user && ctx.user.role;
  if (role === 'organizer') return organizerSession(ctx);
  if (role === 'judge') return judgeSession(ctx);
  if (role === 'applicant') return pitchPage(ctx);
  return investorSession(ctx);
}

/** The title of the team whose application is on stage. */
function slotTitle(se, appId) {
  const sl = appId ? se.slots.find((x) => x.applicationId === appId) : null;
  return sl ? sl.title || t('apps.untitled') : '';
}

async function loadSession(ctx) {
  try {
    return await api.get(`/sessions/${seg(ctx.params.id)}`);
  } catch (err) {
    if (err.status !== 401) ctx.mount(errorPanel(err, () => ctx.navigate(location.hash)));
    return null;
  }
}

/** Replaces a region's content, keeping the focus on a control with the same id. */
function fill(el, ...nodes) {
  if (!el) return;
  const active = document.activeElement;
  const id = active && el.contains(active) ? active.id : '';
  el.replaceChildren(...nodes.flat().filter(Boolean));
  if (id) {
    const again = document.getElementById(id);
    if (again && !again.disabled) again.focus({ preventScroll: true });
  }
}

function crumb() {
  return h('p', { class: 'crumb' }, h('a', { href: '#/sessions', id: 'back-to-sessions' }, icon('← '), t('sess.back')));
}

function head(se, ref) {
  const ind = industryOf(ref, se.industry);
  return h('div', { class: 'page-head' },
    h('div', {},
      h('h1', { id: 'session-title' }, sessionTitle(se, ref)),
      h('div', { class: 'status-line' },
        stateBadge(se.state, { id: 'session-state' }),
        ind ? h('span', { class: ['industry-tag', ind.core ? 'core' : null] }, industryName(ind)) : null,
        h('span', { class: 'muted' }, tn('sess.teams', se.slots.length), ' · ', t('sess.slotLength', { n: se.slotMinutes || 0 }))),
      sessionWhen(se, { id: 'session-when' }),
      se.emptied ? h('p', { class: 'notice', id: 'session-emptied' }, t('sess.emptied')) : null));
}

function livePanel(se, state, clockValue) {
  const cur = se.state === 'live' && se.currentSlot >= 0 ? se.slots[se.currentSlot] : null;
  const over = clockValue !== null && clockValue < 0;
  return h('section', {
    class: ['panel', 'live-panel', se.state === 'live' ? 'is-live' : null], id: 'live-panel', 'aria-labelledby': 'live-title',
  },
  h('div', { class: 'live-head' }, h('h2', { id: 'live-title' }, t('live.title')), liveStatus(state)),
  cur ? h('div', { class: 'live-body' },
    h('div', {
      class: 'current-slot', id: 'current-slot', dataset: { applicationId: cur.applicationId, index: se.currentSlot },
    },
    h('span', { class: 'label' }, t('live.current')),
    h('strong', { class: 'current-title' }, cur.title || t('apps.untitled')),
    h('span', { class: 'muted' }, t('live.slotOf', { n: se.currentSlot + 1, total: se.slots.length }))),
    h('div', { class: 'timer-box' },
      h('span', { class: 'label', id: 'slot-timer-label' }, t(over ? 'live.overtime' : 'live.remaining')),
      h('span', {
        id: 'slot-timer', class: ['slot-timer', over ? 'over' : null], role: 'timer', 'aria-labelledby': 'slot-timer-label',
        dataset: { remaining: clockValue === null ? '' : clockValue, over: over ? 'true' : 'false' },
      }, formatClock(clockValue))))
    : h('p', { class: 'live-idle muted', id: 'current-slot', dataset: { applicationId: '', index: -1 } }, t(`live.none.${se.state}`)));
}

// Whether the clock showed over time at the last tick (null: no clock).
let timerWasOver = null;

function updateTimer(sec) {
  const el = document.getElementById('slot-timer');
  const over = sec !== null && sec < 0;
  // role="timer" is not read out as it ticks; the end of the slot is.
  if (over && timerWasOver === false) announce(t('live.announceOvertime'));
  timerWasOver = sec === null ? null : over;
  if (!el) return;
  el.textContent = formatClock(sec);
  el.dataset.remaining = sec === null ? '' : String(sec);
  el.dataset.over = over ? 'true' : 'false';
  el.classList.toggle('over', over);
  const label = document.getElementById('slot-timer-label');
  if (label) label.textContent = t(over ? 'live.overtime' : 'live.remaining');
}

function slotClass(se, i) {
  if (se.state === 'ended') return 'done';
  if (se.state !== 'live') return 'upcoming';
  if (i === se.currentSlot) return 'current';
  return i < se.currentSlot ? 'done' : 'upcoming';
}

/** "Now" on the team pitching; the teams already done say so to screen readers (not by colour only). */
function nowBadge(se, i) {
  if (se.state === 'live' && i === se.currentSlot) return h('span', { class: 'badge now-badge' }, t('live.now'));
  if (slotClass(se, i) === 'done') return h('span', { class: 'visually-hidden' }, ` (${t('live.done')})`);
  return null;
}

/** Tells screen readers that the live session moved on (next team, ended). */
function announceChange(before, after) {
  if (!before || !after) return;
  if (after.state === 'live' && (before.state !== 'live' || before.currentSlot !== after.currentSlot)) {
    const cur = after.slots[after.currentSlot];
    if (cur) announce(t('live.announceNow', { title: cur.title || t('apps.untitled'), n: after.currentSlot + 1, total: after.slots.length }));
  } else if (after.state === 'ended' && before.state !== 'ended') {
    announce(t('live.announceEnded'));
  }
}

/** Runs an organizer control and reports its error. */
async function control(button, fn) {
  await withBusy(button, async () => {
    try {
      await fn();
    } catch (err) {
      if (err.status !== 401) toast(() => errorText(err), 'error');
    }
  });
}

// ---------------------------------------------------------------------------
// Organizer

async function organizerSession(ctx) {
  const ref = await loadRef();
  let se = await loadSession(ctx);
  if (!se) return null;
  const id = se.id;
  const [judgesR, investorsR, organizersR, allR, progR, resR, repR] = await Promise.allSettled([
    api.get('/users?role=judge'), api.get('/users?role=investor'), api.get('/users?role=organizer'), api.get('/sessions'),
    api.get(`/sessions/${seg(id)}/progress`), api.get(`/sessions/${seg(id)}/results`),
    api.get(`/sessions/${seg(id)}/completeness`),
  ]);
  const val = (r) => (r.status === 'fulfilled' ? r.value : null);
  const judgeUsers = (val(judgesR) && val(judgesR).items) || [];
  const investorUsers = (val(investorsR) && val(investorsR).items) || [];
  const organizerUsers = (val(organizersR) && val(organizersR).items) || [];
  let allSessions = (val(allR) && val(allR).items) || [];
  const progress = {};
  for (const p of (val(progR) && val(progR).progress) || []) progress[p.applicationId] = p;
  let scores = (val(progR) && val(progR).scores) || [];
  let results = val(resR);
  let resultsError = resR.status === 'rejected' ? resR.reason : null;
  let report = val(repR); // the completeness report
  let confirmGaps = false; // the organizer ticked "publish with these gaps"
  let withdrawReason = '';
  let withdrawErr = null;
  let warnings = [];
  let liveState = 'connecting';
  const previews = {}; // appId -> the move preview (or {error})
  const chosen = {};   // appId -> the session chosen to move it to
  const userName = (uid) => {
    const u = judgeUsers.find((x) => x.id === uid) || investorUsers.find((x) => x.id === uid) || organizerUsers.find((x) => x.id === uid);
    return u ? u.name : t('part.unknown');
  };

  const clock = countdown(updateTimer);
  clock.fromSession(se);

  // The live room: everyone's video, who sends what, mute and remove.
  const roomView = liveRoomView({
    sessionId: id, layout: 'organizer', user: ctx.user,
    session: () => se,
    shouldConnect: () => se.state === 'live',
    stageTitle: (appId) => slotTitle(se, appId),
    onRoomState: () => placeRoom(),
  });
  const showRoom = () => se.state === 'live' || roomView.room.state === 'closed';
  /** Puts the room on the page when it has something to show. */
  function placeRoom() {
    const slot = document.getElementById('room-slot');
    if (!slot) return;
    const want = showRoom();
    if (want && roomView.el.parentElement !== slot) slot.replaceChildren(roomView.el);
    else if (!want && slot.firstChild) slot.replaceChildren();
  }

  let resultsTimer = 0;
  async function loadResults() {
    const [r, c] = await Promise.allSettled([api.get(`/sessions/${seg(id)}/results`), api.get(`/sessions/${seg(id)}/completeness`)]);
    results = r.status === 'fulfilled' ? r.value : results;
    resultsError = r.status === 'rejected' ? r.reason : null;
    if (c.status === 'fulfilled') {
      if (!report || report.gapsDigest !== c.value.gapsDigest) confirmGaps = false;
      report = c.value;
    }
    renderResults();
  }

  async function publish(button) {
    const gaps = report && report.gaps && report.gaps.length;
    if (gaps && !confirmGaps) {
      toast(() => t('results.confirmFirst'), 'error');
      document.getElementById('results-confirm-gaps')?.focus();
      return;
    }
    await control(button, async () => {
      try {
        setSession(await api.post(`/sessions/${seg(id)}/results/publish`, { confirmGaps: gaps ? report.gapsDigest : '' }));
        toast(() => t('results.publishedToast'), 'success');
      } finally {
        await loadResults();
      }
      document.getElementById('results-withdraw')?.focus();
    });
  }

  async function withdraw(button) {
    const reason = withdrawReason.trim();
    if (!reason) {
      withdrawErr = { k: 'results.v.reason' };
      renderResults();
      document.getElementById('withdraw-reason')?.focus();
      return;
    }
    await control(button, async () => {
      setSession(await api.post(`/sessions/${seg(id)}/results/withdraw`, { reason }));
      withdrawReason = '';
      withdrawErr = null;
      await loadResults();
      toast(() => t('results.withdrawnToast'), 'success');
      document.getElementById('results-publish')?.focus();
    });
  }
  function laterResults() {
    clearTimeout(resultsTimer);
    resultsTimer = setTimeout(loadResults, 1200);
  }

  function setSession(next) {
    // The answer of a control and its event bring the same version: one
    // redraw is enough.
    if (next.version === se.version && next.updatedAt === se.updatedAt && JSON.stringify(next.can) === JSON.stringify(se.can)) return;
    announceChange(se, next);
    const judgesChanged = (se.judges || []).join() !== (next.judges || []).join();
    se = next;
    allSessions = allSessions.map((s) => (s.id === se.id ? se : s));
    clock.fromSession(se);
    roomView.sync();
    render();
    laterResults(); // the teams, their order or the judges may have changed
    if (judgesChanged) reloadProgress(); // how many judges may score each team
  }

  async function reloadProgress() {
    try {
      const p = await api.get(`/sessions/${seg(id)}/progress`);
      for (const x of (p && p.progress) || []) progress[x.applicationId] = x;
      if (p && p.scores) { scores = p.scores; renderTotals(); }
      setProgress(document.getElementById('main'), (p && p.progress) || []);
    } catch { /* the next event brings it */ }
  }

  const live = liveEvents(id, {
    onState(s) { liveState = s; setLiveStatus(s); },
    onEvent(ev) {
      if (!ctx.isCurrent()) return;
      switch (ev.type) {
        case 'session':
          if (ev.session && ev.session.id === id) setSession(ev.session);
          break;
        case 'progress':
          for (const p of ev.progress || []) progress[p.applicationId] = p;
          setProgress(document.getElementById('main'), ev.progress);
          break;
        case 'scores':
          scores = ev.scores || [];
          renderTotals();
          laterResults();
          break;
        case 'timer':
          clock.set(ev.timer);
          break;
        case 'results':
          if (ev.session) setSession(ev.session);
          loadResults();
          break;
        default:
      }
    },
  });

  // --- actions

  async function reorder(from, to, button) {
    const ids = se.slots.map((s) => s.applicationId);
    const [moved] = ids.splice(from, 1);
    ids.splice(to, 0, moved);
    await control(button, async () => {
      const res = await api.put(`/sessions/${seg(id)}/order`, { applicationIds: ids });
      warnings = (res && res.warnings) || [];
      if (res && res.sessions && res.sessions[0]) setSession(res.sessions[0]);
      const again = document.querySelector(`.slot-row[data-index="${to}"] .${from > to ? 'slot-up' : 'slot-down'}`);
      (again && !again.disabled ? again : document.querySelector(`.slot-row[data-index="${to}"] .slot-title`))?.focus();
    });
  }

  /** Shows, before a move, where the team would pitch in the chosen session (its own time) and why not. */
  async function chooseTarget(appId, target) {
    chosen[appId] = target;
    if (target && !previews[appId]) {
      try {
        previews[appId] = await api.get(`/sessions/${seg(id)}/move-preview?applicationId=${encodeURIComponent(appId)}`);
      } catch (err) {
        previews[appId] = { error: err };
      }
    }
    render();
  }

  function previewOf(appId) {
    const p = previews[appId];
    if (!p || p.error || !chosen[appId]) return null;
    return (p.options || []).find((o) => o.sessionId === chosen[appId]) || null;
  }

  function movePreview(sl, i) {
    const p = previews[sl.applicationId];
    if (!chosen[sl.applicationId]) return null;
    if (!p) return h('p', { class: 'muted move-preview', id: `move-preview-${i}` }, t('move.loading'));
    if (p.error) return h('p', { class: 'form-error move-preview', id: `move-preview-${i}` }, errorText(p.error));
    const o = previewOf(sl.applicationId);
    if (!o) return null;
    const zone = p.timezone && validZone(p.timezone) ? p.timezone : DALIAN_TZ;
    return h('div', { class: 'move-preview', id: `move-preview-${i}`, dataset: { blocked: o.blocked ? 'true' : 'false', slotStart: o.slotStart } },
      h('p', {}, t('move.previewTime', {
        time: formatIn(o.slotStart, zone, { parts: 'weekdaytime' }), zone: zoneLabel(zone),
        dalian: formatIn(o.slotStart, DALIAN_TZ, { parts: 'weekdaytime' }),
      })),
      o.warnings && o.warnings.length ? h('ul', { class: 'warnings' }, o.warnings.map((w) => h('li', {}, msgText(w)))) : null,
      o.blocked ? h('p', { class: 'form-error', role: 'alert' }, t('move.blocked'), ' ', msgText(o.blocked)) : null);
  }

  async function moveTo(appId, selectId, button) {
    const target = document.getElementById(selectId).value;
    if (!target) { toast(() => t('move.choose'), 'error'); document.getElementById(selectId).focus(); return; }
    const other = allSessions.find((s) => s.id === target);
    const o = previewOf(appId);
    await control(button, async () => {
      const res = await api.post(`/sessions/${seg(id)}/move`, {
        applicationId: appId, toSessionId: target, toIndex: o ? o.toIndex : (other ? other.slots.length : 0),
      });
      delete previews[appId];
      delete chosen[appId];
      warnings = (res && res.warnings) || [];
      for (const s of (res && res.sessions) || []) {
        allSessions = allSessions.map((x) => (x.id === s.id ? s : x));
        if (s.id === id) se = s;
      }
      clock.fromSession(se);
      render();
      laterResults();
      toast(() => t('move.done', { session: other ? sessionTitle(other, ref) : '' }), 'success');
      $('#move-warnings')?.focus();
    });
  }

  async function participant(kind, add, userId, button) {
    await control(button, async () => {
      const path = `/sessions/${seg(id)}/${kind}`;
      const next = add ? await api.post(path, { userId }) : await request('DELETE', `${path}/${seg(userId)}`);
      setSession(next);
      document.getElementById(`${kind === 'judges' ? 'judge' : 'investor'}-select`)?.focus();
    });
  }

  async function act(path, button, confirmKey) {
    // eslint-disable-next-line no-alert
    if (confirmKey && !window.confirm(t(confirmKey))) return;
    await control(button, async () => {
      const next = await api.post(`/sessions/${seg(id)}/${path}`);
      setSession(next);
      const focusable = ['session-next', 'session-end', 'session-start', 'results-publish']
        .map((x) => document.getElementById(x)).find((b) => b && !b.disabled);
      focusable?.focus();
    });
  }

  // --- regions

  function controls() {
    const can = se.can || {};
    return h('section', { class: 'panel controls-panel', id: 'controls', 'aria-labelledby': 'controls-title' },
      h('h2', { id: 'controls-title' }, t('ctl.title')),
      h('div', { class: 'control-buttons' },
        h('button', {
          type: 'button', id: 'session-start', class: 'btn btn-primary', disabled: !can.start,
          onclick: (e) => act('start', e.currentTarget),
        }, icon('▶ '), t('ctl.start')),
        h('button', {
          type: 'button', id: 'session-next', class: 'btn btn-primary', disabled: !can.next,
          onclick: (e) => act('next', e.currentTarget),
        }, t('ctl.next'), icon(' →')),
        h('button', {
          type: 'button', id: 'session-end', class: 'btn', disabled: !can.end,
          onclick: (e) => act('end', e.currentTarget, 'ctl.confirmEnd'),
        }, icon('■ '), t('ctl.end')),
        h('button', {
          type: 'button', id: 'session-cancel', class: 'btn btn-danger-ghost', disabled: !can.cancel,
          onclick: (e) => act('cancel', e.currentTarget, 'ctl.confirmCancel'),
        }, t('ctl.cancel'))),
      h('p', { class: 'help' }, t(`ctl.help.${se.state}`)),
      se.state === 'live' || se.state === 'scheduled' ? h('p', { class: 'help', id: 'end-rule' }, t('results.endRule')) : null);
  }

  function judgeTotalsList(appId) {
    const mine = scores.filter((s) => s.applicationId === appId);
    return h('ul', { class: 'judge-totals', dataset: { applicationId: appId } }, mine.map((s) => h('li', {
      dataset: { judgeId: s.judgeId, final: s.final ? 'true' : 'false' },
    },
    h('span', { class: 'judge-name' }, userName(s.judgeId)), ' ',
    h('strong', { class: 'judge-total' }, formatScore(s.total)),
    s.final ? h('span', { class: 'final-mark', title: t('score.finalShort') },
      h('span', { 'aria-hidden': 'true' }, ' ✓'), h('span', { class: 'visually-hidden' }, ` (${t('score.finalShort')})`)) : null)));
  }

  function renderTotals() {
    for (const ul of document.querySelectorAll('.judge-totals')) {
      ul.replaceWith(judgeTotalsList(ul.dataset.applicationId));
    }
  }

  function slotRow(sl, i) {
    const movable = !!(se.can && se.can.move);
    const others = allSessions.filter((s) => s.id !== id && s.industry === se.industry && s.can && s.can.move);
    const selectId = `move-target-${i}`;
    return h('li', {
      class: ['slot-row', slotClass(se, i)], dataset: { applicationId: sl.applicationId, index: i },
      'aria-current': slotClass(se, i) === 'current' ? 'step' : null,
    },
      h('span', { class: 'slot-index', 'aria-hidden': 'true' }, String(i + 1)),
      h('div', { class: 'slot-body' },
        h('div', { class: 'slot-head' },
          h('a', { class: 'slot-title', href: `#/review/${encodeURIComponent(sl.applicationId)}` }, sl.title || t('apps.untitled')),
          sl.country ? h('span', { class: 'muted' }, countryName(sl.country)) : null,
          nowBadge(se, i)),
        slotTimes(sl),
        h('div', { class: 'slot-progress' }, progressBox(sl.applicationId, progress[sl.applicationId])),
        judgeTotalsList(sl.applicationId)),
      movable ? h('div', { class: 'slot-actions' },
        h('div', { class: 'order-buttons' },
          h('button', {
            type: 'button', class: 'btn btn-small slot-up', disabled: i === 0,
            'aria-label': t('move.upLabel', { title: sl.title }), title: t('move.up'),
            onclick: (e) => reorder(i, i - 1, e.currentTarget),
          }, '↑'),
          h('button', {
            type: 'button', class: 'btn btn-small slot-down', disabled: i === se.slots.length - 1,
            'aria-label': t('move.downLabel', { title: sl.title }), title: t('move.down'),
            onclick: (e) => reorder(i, i + 1, e.currentTarget),
          }, '↓')),
        others.length ? h('div', { class: 'move-to' },
          h('label', { for: selectId, class: 'visually-hidden' }, t('move.toLabel', { title: sl.title })),
          (() => {
            const sel = h('select', {
              id: selectId, class: 'slot-move-target', onchange: (e) => chooseTarget(sl.applicationId, e.currentTarget.value),
            }, options(others.map((o) => [o.id, `${sessionTitle(o, ref)} · ${formatIn(o.start, DALIAN_TZ, { parts: 'weekdaytime' })}`]),
              { placeholder: t('move.placeholder') }));
            sel.value = chosen[sl.applicationId] || '';
            return sel;
          })(),
          h('button', {
            type: 'button', class: 'btn btn-small slot-move', id: `move-${i}`,
            disabled: !!(previewOf(sl.applicationId) && previewOf(sl.applicationId).blocked),
            onclick: (e) => moveTo(sl.applicationId, selectId, e.currentTarget),
          }, t('move.button')),
          movePreview(sl, i)) : null) : null);
  }

  function slotsPanel() {
    return h('section', { class: 'panel', id: 'slots-panel', 'aria-labelledby': 'slots-title' },
      h('h2', { id: 'slots-title' }, t('sess.order')),
      warnings.length ? h('div', { class: 'warnings', id: 'move-warnings', role: 'alert', tabindex: '-1' },
        h('p', { class: 'summary-title' }, t('move.warnings')),
        h('ul', {}, warnings.map((w) => h('li', {}, msgText(w))))) : null,
      se.slots.length
        ? h('ol', { class: 'slot-list', id: 'slot-list' }, se.slots.map(slotRow))
        : h('p', { class: 'empty' }, t('sess.noTeams')));
  }

  function peopleBlock(kind, users, assigned) {
    const single = kind === 'judges' ? 'judge' : 'investor';
    const closed = !(se.can && se.can.participants);
    const free = users.filter((u) => !assigned.includes(u.id));
    return h('div', { class: 'people', id: `${single}s-block` },
      h('h3', {}, t(`part.${kind}`), ' ', h('span', { class: 'muted' }, `(${assigned.length})`)),
      assigned.length
        ? h('ul', { class: 'people-list', id: `${single}-list` }, assigned.map((uid) => {
          const u = users.find((x) => x.id === uid);
          return h('li', { dataset: { userId: uid } },
            h('span', {}, h('strong', {}, u ? u.name : t('part.unknown')), u ? h('span', { class: 'muted' }, ' ', u.email) : null),
            closed ? null : h('button', {
              type: 'button', class: `btn btn-small btn-danger-ghost ${single}-remove`, dataset: { userId: uid },
              'aria-label': t('part.removeLabel', { name: u ? u.name : uid }),
              onclick: (e) => participant(kind, false, uid, e.currentTarget),
            }, t('part.remove')));
        }))
        : h('p', { class: 'muted', id: `${single}-none` }, t(`part.none.${kind}`)),
      closed ? null : h('div', { class: 'row-control add-person' },
        h('label', { for: `${single}-select`, class: 'visually-hidden' }, t(`part.choose.${kind}`)),
        h('select', { id: `${single}-select` },
          options(free.map((u) => [u.id, `${u.name} <${u.email}>`]), { placeholder: t(`part.choose.${kind}`) })),
        h('button', {
          type: 'button', id: `${single}-add`, class: 'btn btn-small',
          onclick: (e) => {
            const v = document.getElementById(`${single}-select`).value;
            if (!v) { toast(() => t(`part.choose.${kind}`), 'error'); return; }
            participant(kind, true, v, e.currentTarget);
          },
        }, t(`part.add.${kind}`))),
      !closed && !users.length ? h('p', { class: 'help' }, t('part.inviteFirst'), ' ', h('a', { href: '#/users' }, t('nav.users'))) : null);
  }

  function participantsPanel() {
    return h('section', { class: 'panel', id: 'participants', 'aria-labelledby': 'participants-title' },
      h('h2', { id: 'participants-title' }, t('part.title')),
      peopleBlock('judges', judgeUsers, se.judges || []),
      peopleBlock('investors', investorUsers, se.investors || []));
  }

  function resultsPanel() {
    const published = !!se.publishedAt;
    return h('section', { class: 'panel results-panel', id: 'results-panel', 'aria-labelledby': 'results-title' },
      h('div', { class: 'panel-head' },
        h('h2', { id: 'results-title' }, t('results.title')),
        h('p', { id: 'results-state', class: ['results-state', published ? 'published' : null], dataset: { published: published ? 'true' : 'false' } },
          published ? [t('results.publishedAt'), ' ', timeEl(se.publishedAt)] : t('results.notPublished'))),
      resultsError ? h('p', { class: 'form-error', role: 'alert' }, errorText(resultsError)) : organizerRanking(results, userName),
      completenessPanel(report),
      publishPanel({
        se, report, confirmGaps, withdrawReason, withdrawErr,
        onConfirm: (v) => { confirmGaps = v; },
        onReason: (v) => { withdrawReason = v; },
        onPublish: publish,
        onWithdraw: withdraw,
      }),
      resultsLog(se, userName),
      h('div', { class: 'actions' },
        h('button', { type: 'button', id: 'results-refresh', class: 'btn', onclick: (e) => withBusy(e.currentTarget, loadResults) }, t('results.refresh')),
        exportButtons()));
  }

  let resultsSig = '';
  // What resultsPanel shows from the server and its errors (what the
  // organizer typed or ticked is in the page already).
  const resultsSignature = () => JSON.stringify([results, resultsError ? errorText(resultsError) : '', report, se,
    withdrawErr ? errorText(withdrawErr) : '', document.body.dataset.lang]);
  /** Redraws the results when they changed (a button is not swapped under the pointer otherwise). */
  function renderResults() {
    const el = document.getElementById('results-slot');
    const sig = resultsSignature();
    if (!el || (sig === resultsSig && el.firstChild)) return;
    resultsSig = sig;
    fill(el, resultsPanel());
  }

  function render() {
    if (!ctx.isCurrent()) return;
    const main = h('div', { class: 'page session-page organizer', dataset: { sessionId: id, state: se.state } },
      crumb(),
      head(se, ref),
      h('div', { class: 'session-layout' },
        h('div', { class: 'session-main' }, livePanel(se, liveState, clock.value()), h('div', { id: 'room-slot' }, showRoom() ? roomView.el : null), slotsPanel()),
        h('aside', { class: 'session-side' }, controls(), participantsPanel())),
      h('div', { id: 'results-slot' }, resultsPanel()));
    resultsSig = resultsSignature();
    const active = document.activeElement && document.activeElement.id;
    ctx.mount(main);
    roomView.draw();
    if (active) {
      const again = document.getElementById(active);
      if (again && !again.disabled) again.focus({ preventScroll: true });
    }
  }

  render();
  roomView.sync();
  return {
    render,
    destroy() { live.close(); clock.stop(); clearTimeout(resultsTimer); roomView.destroy(); },
  };
}

// ---------------------------------------------------------------------------
// Judge

const DEBOUNCE = 600;

// A judge's typing is kept on the device until the server acknowledges it,
// so that a reload or a lost connection loses nothing: one entry per
// session and team, {values, comment, teamComment, base} where base is the
// version of the saved score it started from.
const DRAFT_KEY = (sessionId, appId) => `roadshow.scoreDraft.${sessionId}.${appId}`;

function keepDraft(sessionId, appId, draft) {
  try { localStorage.setItem(DRAFT_KEY(sessionId, appId), JSON.stringify(draft)); } catch { /* storage full or off */ }
}

function keptDraft(sessionId, appId) {
  try { return JSON.parse(localStorage.getItem(DRAFT_KEY(sessionId, appId)) || 'null'); } catch { return null; }
}

function forgetDraft(sessionId, appId) {
  try { localStorage.removeItem(DRAFT_KEY(sessionId, appId)); } catch { /* ignore */ }
}

async function judgeSession(ctx) {
  const ref = await loadRef();
  let se = await loadSession(ctx);
  if (!se) return null;
  const id = se.id;
  const [edR, scR, prR] = await Promise.allSettled([
    api.get('/edition'), api.get(`/sessions/${seg(id)}/scores`), api.get(`/sessions/${seg(id)}/progress`),
  ]);
  const val = (r) => (r.status === 'fulfilled' ? r.value : null);
  const criteria = (val(edR) && val(edR).rubric && val(edR).rubric.criteria) || [];
  const weightSum = criteria.reduce((n, c) => n + (c.weight || 0), 0) || 1;
  const myScores = {};
  for (const s of (val(scR) && val(scR).items) || []) myScores[s.applicationId] = s;
  const progress = {};
  for (const p of (val(prR) && val(prR).progress) || []) progress[p.applicationId] = p;
  // The applications: a public view (no status) means a conflict of interest.
  const apps = {};
  const conflicts = new Set();
  await Promise.all(se.slots.map(async (sl) => {
    try {
      const a = await api.get(`/applications/${seg(sl.applicationId)}`);
      apps[sl.applicationId] = a;
      if (!('status' in a)) conflicts.add(sl.applicationId);
    } catch { /* leave it out */ }
  }));

  let liveState = 'connecting';
  let follow = true;         // the panel follows the live slot
  let target = '';           // the application on the rubric panel
  const drafts = {};         // appId -> {values: {key: string}, comment}
  let status = { state: 'idle' };
  let conflictOpen = '';
  let conflictErr = null;
  let conflictReason = '';   // kept while the team list re-renders
  let queued = null;         // {appId, body}: the next save
  let saving = null;         // the save in flight
  let saveTimer = 0;
  let retryTimer = 0;        // the next attempt while offline
  let retryDelay = 0;        // its back-off, in ms
  const restored = new Set(); // teams whose kept draft must be saved again

  const clock = countdown(updateTimer);
  clock.fromSession(se);

  // The live room: the stage large, the other judges small, the judge's own
  // camera and microphone off until turned on.
  const roomView = liveRoomView({
    sessionId: id, layout: 'judge', user: ctx.user,
    session: () => se,
    shouldConnect: () => se.state === 'live',
    stageTitle: (appId) => slotTitle(se, appId),
    onRoomState: () => renderStage(),
  });

  const idx = (appId) => se.slots.findIndex((s) => s.applicationId === appId);
  // The teams the judge may score now: the server's answer (CanScore).
  const scorable = (appId) => !!(se.can && se.can.score && se.can.score.includes(appId));
  const lim = ref.limits;
  function pickTarget() {
    if (follow || !target || idx(target) < 0) {
      const cur = se.state === 'live' ? se.slots[se.currentSlot] : null;
      if (cur && !conflicts.has(cur.applicationId)) target = cur.applicationId;
      else if (follow) target = '';
    }
  }
  pickTarget();

  function draftOf(appId) {
    if (!drafts[appId]) {
      const sc = myScores[appId];
      const values = {};
      for (const c of criteria) values[c.key] = sc && sc.values && sc.values[c.key] !== undefined ? String(sc.values[c.key]) : '';
      drafts[appId] = { values, comment: sc ? sc.comment || '' : '', teamComment: sc ? sc.teamComment || '' : '' };
      // What this device typed but the server never acknowledged (a
      // reload or a lost connection in between) wins over the saved score
      // it started from; a newer save from elsewhere wins over it.
      const kept = keptDraft(id, appId);
      if (kept && (!sc || (!sc.final && (sc.version || 0) === kept.base))) {
        drafts[appId] = { values: { ...values, ...kept.values }, comment: kept.comment || '', teamComment: kept.teamComment || '' };
        restored.add(appId);
      } else if (kept) {
        forgetDraft(id, appId);
      }
    }
    return drafts[appId];
  }

  /** Checks a draft: {complete, bad: {key: err}, filled}. */
  function check(d) {
    const bad = {};
    let filled = 0;
    for (const c of criteria) {
      const v = (d.values[c.key] || '').trim();
      if (v === '') continue;
      filled++;
      if (!/^\d+$/.test(v) || Number(v) < (c.min || 1) || Number(v) > (c.max || 10)) {
        bad[c.key] = { k: 'score.v.range', p: { min: c.min || 1, max: c.max || 10 } };
      }
    }
    if (lim.comment !== undefined && charCount(d.comment.trim()) > lim.comment) bad.comment = { k: 'v.maxLen', p: { n: lim.comment } };
    if (lim.comment !== undefined && charCount(d.teamComment.trim()) > lim.comment) bad.teamComment = { k: 'v.maxLen', p: { n: lim.comment } };
    return { complete: filled === criteria.length, bad, filled };
  }

  function weighted(d) {
    let sum = 0;
    for (const c of criteria) {
      const v = Number((d.values[c.key] || '').trim());
      if (!v) return null;
      sum += (c.weight || 0) * v;
    }
    return sum / weightSum;
  }

  // --- status line

  function statusText(s) {
    switch (s.state) {
      case 'saved': return [t('score.saved'), s.at ? [' ', h('span', { class: 'muted' }, formatIn(s.at, '', { parts: 'time' }))] : null];
      case 'partial': return [t('score.savedPartial', { n: s.filled || 0, total: criteria.length }),
        s.at ? [' ', h('span', { class: 'muted' }, formatIn(s.at, '', { parts: 'time' }))] : null];
      case 'saving': return t('score.saving');
      case 'pending': return t('score.pending');
      case 'offline': return t('score.offline', { s: Math.round((s.retryIn || 0) / 1000) });
      case 'error': return [t('score.error'), ' ', s.message || ''];
      case 'incomplete': return t('score.incomplete', { n: s.filled || 0, total: criteria.length });
      case 'invalid': return t('score.invalid');
      case 'final': return t('score.finalLocked');
      case 'closed': return t('score.closed');
      default: return t('score.idle', { min: lim.scoreMin, max: lim.scoreMax });
    }
  }
  function setStatus(s) {
    status = s;
    const el = document.getElementById('score-status');
    if (!el) return;
    el.dataset.state = s.state;
    el.className = `score-status state-${s.state}`;
    el.replaceChildren(...[statusText(s)].flat(2).filter(Boolean));
    const fin = document.getElementById('score-final');
    const sc = myScores[target];
    if (fin) fin.disabled = !(s.state === 'saved' && sc && sc.complete && !sc.final);
  }

  // --- saving

  async function flush() {
    clearTimeout(saveTimer);
    saveTimer = 0;
    clearTimeout(retryTimer);
    retryTimer = 0;
    if (saving) { await saving.catch(() => {}); }
    if (!queued) return;
    const job = queued;
    queued = null;
    if (job.appId === target) setStatus({ state: 'saving' });
    saving = api.put(`/sessions/${seg(id)}/scores/${seg(job.appId)}`, job.body);
    try {
      const sc = await saving;
      myScores[job.appId] = sc;
      retryDelay = 0;
      if (!queued || queued.appId !== job.appId) {
        forgetDraft(id, job.appId);
      } else {
        // Newer typing waits: it now builds on this version.
        const kept = keptDraft(id, job.appId);
        if (kept) keepDraft(id, job.appId, { ...kept, base: sc.version });
      }
      if (job.appId === target && !queued) {
        setStatus(sc.complete ? { state: 'saved', at: sc.updatedAt } : { state: 'partial', filled: Object.keys(sc.values || {}).length, at: sc.updatedAt });
      }
      renderTeams();
    } catch (err) {
      if (err.status === 401) return;
      if (err.status === 0) {
        // Offline: keep the job (unless a newer one came), try again with
        // a growing pause, and at once when the browser is back online.
        if (!queued) queued = job;
        retryDelay = Math.min(retryDelay ? retryDelay * 2 : 2000, 30000);
        retryTimer = setTimeout(flush, retryDelay);
        if (job.appId === target) setStatus({ state: 'offline', retryIn: retryDelay });
        return;
      }
      if (job.appId === target) {
        if (err.fields) {
          for (const [k, m] of Object.entries(err.fields)) {
            const key = k.replace(/^values\./, '');
            setFieldError(document.getElementById('score-form') || document, `values.${key}`, { m });
          }
        }
        setStatus({ state: 'error', message: errorText(err) });
      }
      if (err.status === 409 || err.status === 403) { forgetDraft(id, job.appId); await refreshSession(); }
    } finally {
      saving = null;
    }
    if (queued) await flush();
  }

  function online() { if (queued) flush(); }
  window.addEventListener('online', online);

  function onInput() {
    const appId = target;
    if (!appId) return;
    const form = document.getElementById('score-form');
    const d = draftOf(appId);
    for (const c of criteria) d.values[c.key] = document.getElementById(`score-${c.key}`).value;
    d.comment = document.getElementById('score-comment').value;
    d.teamComment = document.getElementById('score-team-comment').value;
    updateCounter(document.getElementById('comment-count'), charCount(d.comment), lim.comment);
    updateCounter(document.getElementById('team-comment-count'), charCount(d.teamComment), lim.comment);
    const { bad, filled } = check(d);
    for (const c of criteria) setFieldError(form, `values.${c.key}`, bad[c.key] || null);
    setFieldError(form, 'comment', bad.comment || null);
    setFieldError(form, 'teamComment', bad.teamComment || null);
    const w = weighted(d);
    const total = document.getElementById('score-total');
    if (total) total.textContent = w === null || Object.keys(bad).length ? t('score.totalNone') : t('score.total', { total: formatScore(w) });
    clearTimeout(saveTimer);
    if (Object.keys(bad).length) { queued = null; setStatus({ state: 'invalid' }); return; }
    // Nothing changed since the last acknowledged save (the change event of
    // leaving a field): no new save, so "Make final" stays enabled and the
    // click that left the field lands on it.
    const sc = myScores[appId];
    if (sc && !saving && !queued && unchanged(sc, d)) {
      setStatus(sc.complete ? { state: 'saved', at: sc.updatedAt } : { state: 'partial', filled, at: sc.updatedAt });
      return;
    }
    // Any subset of the criteria is saved as it is typed: nothing typed is
    // lost; an incomplete score counts nowhere until it is complete.
    queue(appId, d, filled);
    saveTimer = setTimeout(flush, DEBOUNCE);
  }

  /** Whether a draft says what the saved score says. */
  function unchanged(sc, d) {
    const saved = sc.values || {};
    return (sc.comment || '') === d.comment.trim() && (sc.teamComment || '') === d.teamComment.trim()
      && criteria.every((c) => {
        const v = (d.values[c.key] || '').trim();
        return v === '' ? saved[c.key] === undefined : Number(v) === saved[c.key];
      });
  }

  /** Queues the save of a draft and keeps it on this device until it is acknowledged. */
  function queue(appId, d, filled) {
    const values = {};
    for (const c of criteria) {
      const v = (d.values[c.key] || '').trim();
      if (v !== '') values[c.key] = Number(v);
    }
    const body = { values, comment: d.comment.trim(), teamComment: d.teamComment.trim() };
    keepDraft(id, appId, { ...body, values: { ...d.values }, base: (myScores[appId] && myScores[appId].version) || 0 });
    queued = { appId, body };
    if (appId === target) setStatus(filled === undefined ? { state: 'pending' } : { state: 'pending', filled });
  }

  async function finalize(ev) {
    const appId = target;
    const btn = ev.currentTarget;
    // eslint-disable-next-line no-alert
    if (!window.confirm(t('score.confirmFinal'))) return;
    await withBusy(btn, async () => {
      await flush();
      const sc = myScores[appId];
      if (!sc || !sc.complete) { setStatus({ state: 'error', message: t('score.saveFirst') }); return; }
      try {
        // "Final" names the version this page last saw acknowledged: a
        // newer save from another window is refused rather than locked.
        myScores[appId] = await api.post(`/sessions/${seg(id)}/scores/${seg(appId)}/final`, { version: sc.version });
        renderRubric();
        renderTeams();
        await refreshSession(); // what the judge may score now
        toast(() => t('score.finalToast'), 'success');
        document.getElementById('rubric-title')?.focus();
      } catch (err) {
        if (err.status === 401) return;
        if (err.status === 409) {
          delete drafts[appId]; // show what is saved now
          await refreshSession();
        }
        setStatus({ state: 'error', message: errorText(err) });
      }
    });
  }

  async function refreshSession() {
    try {
      se = await api.get(`/sessions/${seg(id)}`);
      const mine = await api.get(`/sessions/${seg(id)}/scores`);
      for (const s of (mine && mine.items) || []) myScores[s.applicationId] = s;
      pickTarget();
      renderAll();
    } catch { /* keep what is on screen */ }
  }

  // --- conflicts

  async function declareConflict(appId, button) {
    const reasonEl = document.getElementById('conflict-reason');
    const reason = reasonEl ? reasonEl.value.trim() : '';
    if (lim.conflictReason !== undefined && charCount(reason) > lim.conflictReason) {
      conflictErr = { k: 'v.maxLen', p: { n: lim.conflictReason } };
      setFieldError(document.getElementById('conflict-form'), 'reason', conflictErr);
      reasonEl.focus();
      return;
    }
    await withBusy(button, async () => {
      try {
        await api.post(`/applications/${seg(appId)}/conflicts`, { reason });
        conflicts.add(appId);
        conflictOpen = '';
        conflictReason = '';
        conflictErr = null;
        if (target === appId) { target = ''; follow = true; pickTarget(); }
        renderAll();
        await refreshSession(); // what the judge may score now
        toast(() => t('conflict.done'), 'success');
      } catch (err) {
        if (err.status === 401) return;
        conflictErr = err.fields && err.fields.reason ? { m: err.fields.reason } : null;
        toast(() => errorText(err), 'error');
        if (conflictErr) setFieldError(document.getElementById('conflict-form'), 'reason', conflictErr);
      }
    });
  }

  function choose(appId) {
    if (target && target !== appId) {
      // Keep what was typed: the draft stays; a pending save goes out now.
      flush();
    }
    target = appId;
    const cur = se.state === 'live' ? se.slots[se.currentSlot] : null;
    follow = !!cur && cur.applicationId === appId;
    status = { state: 'idle' };
    renderRubric();
    renderTeams();
    document.getElementById(criteria.length ? `score-${criteria[0].key}` : 'score-comment')?.focus();
  }

  // --- regions

  function myState(appId) {
    if (conflicts.has(appId)) return 'conflict';
    const sc = myScores[appId];
    if (!sc) return 'none';
    if (sc.final) return 'final';
    return sc.complete ? 'saved' : 'partial';
  }

  function teamRow(sl, i) {
    const appId = sl.applicationId;
    const app = apps[appId];
    const mine = myState(appId);
    const isConflict = conflicts.has(appId);
    const closed = se.state === 'ended' || se.state === 'cancelled';
    return h('li', {
      class: ['slot-row', 'team-row', slotClass(se, i), target === appId ? 'selected' : null],
      dataset: { applicationId: appId, index: i },
      'aria-current': slotClass(se, i) === 'current' ? 'step' : null,
    },
    h('span', { class: 'slot-index', 'aria-hidden': 'true' }, String(i + 1)),
    h('div', { class: 'slot-body' },
      h('div', { class: 'slot-head' },
        h('strong', { class: 'slot-title' }, sl.title || t('apps.untitled')),
        sl.country ? h('span', { class: 'muted' }, countryName(sl.country)) : null,
        nowBadge(se, i),
        h('span', { class: `my-score my-${mine}`, dataset: { state: mine } }, t(`score.mine.${mine}`))),
      slotTimes(sl),
      h('div', { class: 'slot-progress' }, progressBox(appId, progress[appId])),
      h('div', { class: 'team-actions' },
        h('a', { class: 'btn btn-small read-app', href: `#/sessions/${encodeURIComponent(id)}/applications/${encodeURIComponent(appId)}` },
          t('judge.read')),
        app && app.deck && !isConflict ? h('button', {
          type: 'button', class: 'btn btn-small deck-download', onclick: (e) => downloadDeck(app, e.currentTarget),
        }, t('deck.download')) : null,
        target !== appId && (scorable(appId) || myScores[appId]) ? h('button', {
          type: 'button', class: 'btn btn-small btn-primary score-team', dataset: { applicationId: appId },
          onclick: () => choose(appId),
        }, t(!scorable(appId) || (myScores[appId] && myScores[appId].final) ? 'judge.view' : (myScores[appId] ? 'judge.edit' : 'judge.score'))) : null,
        !isConflict && !closed && mine === 'none' && conflictOpen !== appId ? h('button', {
          type: 'button', class: 'btn btn-small btn-danger-ghost conflict-open', dataset: { applicationId: appId },
          onclick: () => {
            conflictOpen = appId; conflictErr = null; conflictReason = '';
            renderTeams();
            document.getElementById('conflict-reason')?.focus();
          },
        }, t('conflict.declare')) : null),
      conflictOpen === appId ? conflictForm(appId) : null));
  }

  function conflictForm(appId) {
    const reason = h('textarea', {
      id: 'conflict-reason', rows: '3', 'aria-describedby': 'conflict-help',
      oninput: (e) => { conflictReason = e.currentTarget.value; },
    }, conflictReason);
    const form = h('form', {
      class: 'conflict-form', id: 'conflict-form', novalidate: true,
      onsubmit: (e) => { e.preventDefault(); declareConflict(appId, document.getElementById('conflict-submit')); },
    },
    h('div', { class: 'field', dataset: { fieldWrap: 'reason' } },
      h('label', { for: 'conflict-reason' }, t('conflict.reason')),
      reason,
      h('p', { class: 'help', id: 'conflict-help' }, t('conflict.help'))),
    h('div', { class: 'actions' },
      h('button', { type: 'submit', id: 'conflict-submit', class: 'btn btn-small btn-primary' }, t('conflict.submit')),
      h('button', {
        type: 'button', id: 'conflict-cancel', class: 'btn btn-small',
        onclick: () => { conflictOpen = ''; renderTeams(); },
      }, t('conflict.cancel'))));
    if (conflictErr) setFieldError(form, 'reason', conflictErr);
    return form;
  }

  function teamsPanel() {
    return h('section', { class: 'panel', id: 'teams-panel', 'aria-labelledby': 'teams-title' },
      h('h2', { id: 'teams-title' }, t('judge.teams')),
      h('ol', { class: 'slot-list', id: 'team-list' }, se.slots.map(teamRow)));
  }

  function rubricPanel() {
    const appId = target;
    if (!appId) {
      let key = `score.none.${se.state}`;
      const cur = se.state === 'live' ? se.slots[se.currentSlot] : null;
      if (cur && conflicts.has(cur.applicationId)) key = 'score.none.conflict';
      return h('section', { class: 'panel rubric-panel', id: 'rubric-panel', dataset: { applicationId: '', final: 'false', editable: 'false' } },
        h('h2', { id: 'rubric-title', tabindex: '-1' }, t('score.heading')),
        h('p', { class: 'notice', id: 'rubric-closed' }, t(key)));
    }
    const i = idx(appId);
    const sl = se.slots[i];
    const sc = myScores[appId];
    const final = !!(sc && sc.final);
    const editable = scorable(appId) && !final;
    const d = draftOf(appId);
    const form = h('form', { id: 'score-form', class: 'score-form', novalidate: true, onsubmit: (e) => { e.preventDefault(); flush(); } },
      h('fieldset', { class: 'plain criteria', disabled: !editable },
        h('legend', { class: 'visually-hidden' }, t('score.criteriaLegend')),
        criteria.map((c) => {
          const inputId = `score-${c.key}`;
          const name = getLang() === 'zh' ? (c.nameZh || c.nameEn) : (c.nameEn || c.nameZh);
          return h('div', { class: 'field criterion', dataset: { fieldWrap: `values.${c.key}`, criterion: c.key } },
            h('label', { for: inputId },
              h('span', { class: 'criterion-name' }, name),
              h('span', { class: 'criterion-weight' }, t('score.weight', { pct: Math.round((c.weight / weightSum) * 100) }))),
            h('div', { class: 'score-input' },
              h('input', {
                id: inputId, type: 'number', min: String(c.min || 1), max: String(c.max || 10), step: '1', inputmode: 'numeric',
                value: d.values[c.key] || '', disabled: !editable, autocomplete: 'off', oninput: onInput, onchange: onInput,
                'aria-describedby': `${inputId}-scale`,
              }),
              h('span', { class: 'scale', id: `${inputId}-scale` }, t('score.scale', { min: c.min || 1, max: c.max || 10 }))));
        }),
        h('div', { class: 'field', dataset: { fieldWrap: 'comment' } },
          h('label', { for: 'score-comment' }, t('score.comment'), h('span', { class: 'optional' }, ' ', t('common.optional'))),
          h('textarea', {
            id: 'score-comment', rows: '3', disabled: !editable, oninput: onInput, 'aria-describedby': 'comment-count',
          }, d.comment),
          counter('comment-count', charCount(d.comment), lim.comment)),
        h('div', { class: 'field', dataset: { fieldWrap: 'teamComment' } },
          h('label', { for: 'score-team-comment' }, t('score.teamComment'), h('span', { class: 'optional' }, ' ', t('common.optional'))),
          h('textarea', {
            id: 'score-team-comment', rows: '3', disabled: !editable, oninput: onInput, 'aria-describedby': 'team-comment-help team-comment-count',
          }, d.teamComment),
          h('p', { class: 'help', id: 'team-comment-help' }, t('score.teamCommentHelp')),
          counter('team-comment-count', charCount(d.teamComment), lim.comment))),
      h('p', { class: 'score-total', id: 'score-total', 'aria-live': 'polite' },
        weighted(d) === null ? t('score.totalNone') : t('score.total', { total: formatScore(weighted(d)) })),
      h('div', { class: 'score-foot' },
        h('p', { id: 'score-status', class: 'score-status', role: 'status', 'aria-live': 'polite', dataset: { state: 'idle' } }),
        editable ? h('button', {
          type: 'button', id: 'score-final', class: 'btn btn-primary', disabled: true, onclick: finalize,
        }, t('score.final')) : null));
    const cur = se.state === 'live' ? se.slots[se.currentSlot] : null;
    const panel = h('section', {
      class: ['panel', 'rubric-panel', final ? 'is-final' : null], id: 'rubric-panel', 'aria-labelledby': 'rubric-title',
      dataset: { applicationId: appId, final: final ? 'true' : 'false', editable: editable ? 'true' : 'false' },
    },
    h('h2', { id: 'rubric-title', tabindex: '-1' }, t('score.title', { title: sl ? sl.title : '' })),
    h('p', { class: 'muted rubric-sub' },
      t('live.slotOf', { n: i + 1, total: se.slots.length }),
      cur && cur.applicationId !== appId ? [' · ', h('button', {
        type: 'button', class: 'btn-link', id: 'score-follow',
        onclick: () => { follow = true; pickTarget(); status = { state: 'idle' }; renderRubric(); renderTeams(); },
      }, t('score.backToCurrent'))] : null),
    form,
    h('p', { class: 'help' }, t(final ? 'score.finalHelp' : 'score.autosaveHelp')));
    return panel;
  }

  function initialStatus() {
    const sc = myScores[target];
    if (!target) return;
    if ((sc && sc.final) || !scorable(target)) {
      if (restored.delete(target)) {
        // Kept on this device, but scoring closed meanwhile: show what counts.
        forgetDraft(id, target);
        delete drafts[target];
        renderRubric();
        return;
      }
      setStatus({ state: sc && sc.final ? 'final' : 'closed' });
      return;
    }
    if (status.state !== 'idle') { setStatus(status); return; }
    const d = draftOf(target);
    const { bad, filled } = check(d);
    if (Object.keys(bad).length) setStatus({ state: 'invalid' });
    else if (restored.has(target)) {
      // Typed here before a reload or while offline: save it now.
      restored.delete(target);
      queue(target, d, filled);
      flush();
    } else if (sc && sc.complete) setStatus({ state: 'saved', at: sc.updatedAt });
    else if (sc) setStatus({ state: 'partial', filled: Object.keys(sc.values || {}).length, at: sc.updatedAt });
    else if (filled) setStatus({ state: 'incomplete', filled });
    else setStatus({ state: 'idle' });
  }

  /** The team pitching now: its application and deck at hand. */
  function currentTeamPanel() {
    const cur = se.state === 'live' ? se.slots[se.currentSlot] : null;
    if (!cur) return null;
    const app = apps[cur.applicationId];
    const conflict = conflicts.has(cur.applicationId);
    const ind = app ? industryOf(ref, app.industry) : null;
    return h('section', { class: 'panel current-team', id: 'current-team', 'aria-labelledby': 'current-team-title', dataset: { applicationId: cur.applicationId } },
      h('h2', { id: 'current-team-title' }, titled('judge.currentTeam', cur.title || t('apps.untitled'))),
      conflict ? h('p', { class: 'notice' }, t('judge.publicConflict')) : null,
      app ? [
        h('p', { class: 'prewrap current-summary' }, app.summary || t('common.none')),
        h('dl', { class: 'facts' },
          ind ? [h('dt', {}, t('detail.industry')), h('dd', {}, industryName(ind))] : null,
          h('dt', {}, t('detail.stage')), h('dd', {}, app.stage ? t(`stage.${app.stage}`) : t('common.none')),
          h('dt', {}, t('detail.country')), h('dd', {}, app.country ? countryName(app.country) : t('common.none')),
          h('dt', {}, t('detail.funding')), h('dd', {}, app.fundingAsk && app.fundingAsk.currency ? formatMoney(app.fundingAsk.amount, app.fundingAsk.currency) : t('common.none'))),
        (app.team || []).length ? h('p', { class: 'current-members' }, h('span', { class: 'label' }, t('detail.team')), ' ',
          app.team.map((m) => `${m.name}${m.role ? ` (${m.role})` : ''}`).join(', ')) : null,
      ] : null,
      h('div', { class: 'actions' },
        h('a', { class: 'btn btn-small', id: 'current-read', href: `#/sessions/${encodeURIComponent(id)}/applications/${encodeURIComponent(cur.applicationId)}` }, t('judge.read')),
        app && app.deck && !conflict ? h('button', {
          type: 'button', class: 'btn btn-small', id: 'current-deck', onclick: (e) => downloadDeck(app, e.currentTarget),
        }, icon('⤓ '), t('deck.download')) : null));
  }

  function renderStage() {
    const col = document.getElementById('stage-col');
    if (!col) return;
    const showRoom = se.state === 'live' || roomView.room.state === 'closed';
    const active = document.activeElement;
    const focusId = active && col.contains(active) && !roomView.el.contains(active) ? active.id : '';
    if (showRoom && roomView.el.parentElement !== col) col.prepend(roomView.el);
    if (!showRoom && roomView.el.parentElement === col) roomView.el.remove();
    const old = document.getElementById('current-team');
    const next = currentTeamPanel();
    if (old) old.remove();
    if (next) col.appendChild(next);
    col.hidden = !showRoom && !next;
    if (focusId) document.getElementById(focusId)?.focus({ preventScroll: true });
  }

  function renderTeams() { fill(document.getElementById('teams-slot'), teamsPanel()); }
  function renderRubric() {
    fill(document.getElementById('rubric-slot'), rubricPanel());
    initialStatus();
  }
  function renderTop() {
    fill(document.getElementById('top-slot'), head(se, ref), livePanel(se, liveState, clock.value()));
  }
  function renderAll() {
    renderTop();
    renderStage();
    renderTeams();
    renderRubric();
  }

  function render() {
    if (!ctx.isCurrent()) return;
    ctx.mount(h('div', { class: 'page session-page judge', dataset: { sessionId: id } },
      crumb(),
      h('div', { id: 'top-slot' }),
      h('div', { class: 'session-layout judge-layout' },
        h('div', { class: 'session-main judge-stage', id: 'stage-col' }),
        h('div', { class: 'session-side', id: 'rubric-slot' })),
      h('div', { class: 'session-layout' },
        h('div', { class: 'session-main', id: 'teams-slot' }),
        h('div', { class: 'session-side', id: 'ranking-slot' }))));
    renderAll();
    renderRanking();
    roomView.draw();
  }

  // The published ranking of the session, as its investors see it.
  let ranking = null;
  let rankingErr = null;
  async function loadRanking() {
    ranking = null;
    rankingErr = null;
    if (se.publishedAt) {
      try { ranking = await api.get(`/sessions/${seg(id)}/results`); } catch (err) { rankingErr = err; }
    }
    renderRanking();
  }
  function renderRanking() {
    fill(document.getElementById('ranking-slot'), h('section', { class: 'panel', id: 'results-panel', 'aria-labelledby': 'results-title' },
      h('h2', { id: 'results-title' }, t('results.ranking')),
      publicRanking(ranking, rankingErr, se)));
  }

  const live = liveEvents(id, {
    onState(s) { liveState = s; setLiveStatus(s); },
    onEvent(ev) {
      if (!ctx.isCurrent()) return;
      switch (ev.type) {
        case 'session': {
          if (!ev.session || ev.session.id !== id) break;
          const before = target;
          const wasState = se.state;
          announceChange(se, ev.session);
          se = ev.session;
          clock.fromSession(se);
          pickTarget();
          roomView.sync();
          renderTop();
          renderStage();
          renderTeams();
          if (target !== before || se.state !== wasState) { status = { state: 'idle' }; renderRubric(); }
          break;
        }
        case 'progress':
          for (const p of ev.progress || []) progress[p.applicationId] = p;
          setProgress(document.getElementById('main'), ev.progress);
          break;
        case 'timer':
          clock.set(ev.timer);
          break;
        case 'results':
          if (ev.session && ev.session.id === id) se = { ...se, publishedAt: ev.session.publishedAt || null };
          loadRanking();
          break;
        default:
      }
    },
  });

  render();
  roomView.sync();
  loadRanking();
  return {
    render,
    destroy() {
      live.close();
      clock.stop();
      roomView.destroy();
      clearTimeout(retryTimer);
      window.removeEventListener('online', online);
      if (queued) flush();
    },
  };
}

// ---------------------------------------------------------------------------
// Investor

async function investorSession(ctx) {
  const ref = await loadRef();
  let se = await loadSession(ctx);
  if (!se) return null;
  const id = se.id;
  let results = null;
  let resultsErr = null;
  let liveState = 'connecting';
  const apps = {};            // applicationId -> public view (with can.requestMeeting)
  const meetings = { requests: await myMeetings(), open: '', note: '', error: '' };

  async function loadResults() {
    if (!se.publishedAt) return;
    try { results = await api.get(`/sessions/${seg(id)}/results`); resultsErr = null; } catch (err) { resultsErr = err; }
  }
  await loadResults();

  const clock = countdown(updateTimer);
  clock.fromSession(se);

  // The stage and nothing sent: an investor only watches.
  const roomView = liveRoomView({
    sessionId: id, layout: 'investor', user: ctx.user,
    session: () => se,
    shouldConnect: () => se.state === 'live',
    stageTitle: (appId) => slotTitle(se, appId),
    onRoomState: () => renderLive(),
  });

  const current = () => (se.state === 'live' ? se.slots[se.currentSlot] : null);

  async function loadCurrent() {
    const cur = current();
    if (!cur || apps[cur.applicationId]) return;
    try {
      apps[cur.applicationId] = await api.get(`/applications/${seg(cur.applicationId)}`);
    } catch { /* the profile stays out */ }
    if (ctx.isCurrent()) renderLive();
  }

  /** The team on stage: its public profile and "Request a meeting". */
  function profilePanel() {
    const cur = current();
    if (!cur) return null;
    const app = apps[cur.applicationId];
    const ind = app ? industryOf(ref, app.industry) : null;
    return h('section', { class: 'panel current-team', id: 'current-team', 'aria-labelledby': 'current-team-title', dataset: { applicationId: cur.applicationId } },
      h('h2', { id: 'current-team-title' }, titled('investor.onStage', cur.title || t('apps.untitled'))),
      app ? [
        h('p', { class: 'prewrap current-summary' }, app.summary || t('common.none')),
        h('dl', { class: 'facts' },
          ind ? [h('dt', {}, t('detail.industry')), h('dd', {}, industryName(ind))] : null,
          h('dt', {}, t('detail.stage')), h('dd', {}, app.stage ? t(`stage.${app.stage}`) : t('common.none')),
          h('dt', {}, t('detail.country')), h('dd', {}, app.country ? countryName(app.country) : t('common.none')),
          h('dt', {}, t('detail.funding')), h('dd', {}, app.fundingAsk && app.fundingAsk.currency ? formatMoney(app.fundingAsk.amount, app.fundingAsk.currency) : t('common.none')),
          app.website ? [h('dt', {}, t('detail.website')), h('dd', {}, h('a', { href: app.website, target: '_blank', rel: 'noopener noreferrer nofollow' }, app.website))] : null),
        meetingBox(app, meetings, renderLive),
      ] : h('p', { class: 'muted' }, t('common.loading')),
      h('p', {}, h('a', { href: `#/sessions/${encodeURIComponent(id)}/applications/${encodeURIComponent(cur.applicationId)}`, id: 'current-read' }, t('investor.profile'))));
  }

  function renderLive() {
    const box = document.getElementById('live-slot');
    if (!box) return;
    const showRoom = se.state === 'live' || roomView.room.state === 'closed';
    const active = document.activeElement;
    const focusId = active && box.contains(active) && !roomView.el.contains(active) ? active.id : '';
    box.hidden = !showRoom;
    const stageCol = document.getElementById('investor-stage');
    const side = document.getElementById('investor-profile');
    if (showRoom && roomView.el.parentElement !== stageCol) stageCol.replaceChildren(roomView.el);
    side.replaceChildren(...[profilePanel()].filter(Boolean));
    if (focusId) document.getElementById(focusId)?.focus({ preventScroll: true });
  }

  function teamsPanel() {
    return h('section', { class: 'panel session-main', id: 'teams-panel', 'aria-labelledby': 'teams-title' },
      h('h2', { id: 'teams-title' }, t('judge.teams')),
      h('ol', { class: 'slot-list', id: 'team-list' }, se.slots.map((sl, i) => h('li', {
        class: ['slot-row', slotClass(se, i)], dataset: { applicationId: sl.applicationId, index: i },
        'aria-current': slotClass(se, i) === 'current' ? 'step' : null,
      },
      h('span', { class: 'slot-index', 'aria-hidden': 'true' }, String(i + 1)),
      h('div', { class: 'slot-body' },
        h('div', { class: 'slot-head' },
          h('a', { class: 'slot-title', href: `#/sessions/${encodeURIComponent(se.id)}/applications/${encodeURIComponent(sl.applicationId)}` },
            sl.title || t('apps.untitled')),
          sl.country ? h('span', { class: 'muted' }, countryName(sl.country)) : null,
          nowBadge(se, i),
          meetings.requests.has(sl.applicationId) ? h('span', { class: 'badge meeting-badge' }, t('meeting.requestedShort')) : null),
        slotTimes(sl))))));
  }

  function render() {
    if (!ctx.isCurrent()) return;
    ctx.mount(h('div', { class: 'page session-page investor', dataset: { sessionId: se.id } },
      crumb(),
      head(se, ref),
      livePanel(se, liveState, clock.value()),
      h('div', { class: 'session-layout investor-live', id: 'live-slot' },
        h('div', { class: 'session-main', id: 'investor-stage' }),
        h('aside', { class: 'session-side', id: 'investor-profile' })),
      h('div', { class: 'session-layout' },
        teamsPanel(),
        h('section', { class: 'panel session-side', id: 'results-panel', 'aria-labelledby': 'results-title' },
          h('h2', { id: 'results-title' }, t('results.ranking')),
          publicRanking(results, resultsErr, se)))));
    renderLive();
    roomView.draw();
  }

  const live = liveEvents(id, {
    onState(s) { liveState = s; setLiveStatus(s); },
    onEvent(ev) {
      if (!ctx.isCurrent()) return;
      switch (ev.type) {
        case 'session':
          if (!ev.session || ev.session.id !== id) break;
          announceChange(se, ev.session);
          se = ev.session;
          clock.fromSession(se);
          roomView.sync();
          render();
          loadCurrent();
          break;
        case 'timer':
          clock.set(ev.timer);
          break;
        case 'results':
          if (ev.session) se = ev.session;
          loadResults().then(render);
          break;
        default:
      }
    },
  });

  render();
  roomView.sync();
  loadCurrent();
  return {
    render,
    destroy() { live.close(); clock.stop(); roomView.destroy(); },
  };
}

// ---------------------------------------------------------------------------
// #/sessions/{id}/applications/{appId}: reading an application from a session

export async function sessionApplicationPage(ctx) {
  const ref = await loadRef();
  let app;
  try {
    app = await api.get(`/applications/${seg(ctx.params.appId)}`);
  } catch (err) {
    if (err.status === 401) return null;
    ctx.mount(errorPanel(err, () => ctx.navigate(location.hash)));
    return null;
  }
  const full = 'status' in app;
  const back = `#/sessions/${encodeURIComponent(ctx.params.id)}`;
  const meetings = { requests: ctx.user.role === 'investor' ? await myMeetings() : new Map(), open: '', note: '', error: '' };
  function render() {
    const ind = industryOf(ref, app.industry);
    ctx.mount(h('div', { class: 'page review-detail', dataset: { id: app.id, view: full ? 'full' : 'public' } },
      h('p', { class: 'crumb' }, h('a', { href: back, id: 'back-to-session' }, icon('← '), t('judge.backToSession'))),
      h('div', { class: 'page-head' },
        h('div', {},
          h('h1', { id: 'detail-title' }, app.title || t('apps.untitled')),
          h('div', { class: 'status-line' },
            ind ? h('span', { class: ['industry-tag', ind.core ? 'core' : null] }, industryName(ind)) : null,
            app.country ? h('span', { class: 'muted' }, countryName(app.country)) : null))),
      !full ? h('p', { class: 'notice', id: 'public-notice' }, t(ctx.user.role === 'judge' ? 'judge.publicConflict' : 'judge.publicInvestor')) : null,
      !full && ctx.user.role === 'investor' ? h('section', { class: 'panel', id: 'meeting-panel', 'aria-labelledby': 'meeting-title' },
        h('h2', { id: 'meeting-title' }, t('meeting.title')),
        meetingBox(app, meetings, render) || h('p', { class: 'muted' }, t('meeting.notNow'))) : null,
      h('div', { class: 'detail-layout' },
        h('div', { class: 'detail-main' }, full ? appDetails(app, ref) : publicDetails(app, ref)),
        full ? h('aside', { class: 'detail-side' },
          h('section', { class: 'panel', id: 'deck-section' },
            h('h2', {}, t('detail.deck')),
            app.deck ? h('p', { class: 'muted' }, formatDateTime(app.deck.uploadedAt)) : h('p', { class: 'muted' }, t('deck.none')),
            app.deck ? h('button', {
              type: 'button', id: 'deck-download', class: 'btn', onclick: (e) => downloadDeck(app, e.currentTarget),
            }, t('deck.download')) : null)) : null)));
  }
  render();
  return { render };
}
