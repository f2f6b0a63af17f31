// #/sessions: the organizer's schedule (per industry, with the planning form)
// and the judges' and investors' lists of their sessions.

import { api } from '../api.js';
import {
  t, tn, industryName, msgText, formatIn, DALIAN_TZ, dayKey,
} from '../i18n.js';
import {
  h, $, $$, toast, errorText, setFieldError, field, options, loadRef, industryOf, industryItems,
  withBusy, errorPanel,
} from '../ui.js';
import {
  sessionCard, byDay, exportButtons,
} from './sessionparts.js';

const PLAN_DEFAULTS = {
  firstStart: '', dayStart: '08:00', dayEnd: '22:00', max: '6', slot: '15', days: '14', tracks: '1', industries: null,
};

/** #/sessions for every role that has one. */
export async function sessionsPage(ctx) {
  if (ctx.user && ctx.user.role === 'organizer') return organizerSessions(ctx);
  return participantSessions(ctx);
}

/** Tomorrow in Dalian at 09:00, as a datetime-local value. */
function defaultFirstStart() {
  const tomorrow = new Date(Date.now() + 24 * 3600 * 1000);
  return `${dayKey(tomorrow.toISOString(), DALIAN_TZ)}T09:00`;
}

/** A datetime-local value read as Dalian time (UTC+8 all year) -> RFC 3339. */
export function dalianToRFC3339(v) {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(v)) return '';
  return `${v.length === 16 ? `${v}:00` : v}+08:00`;
}

/** An RFC 3339 time -> a datetime-local value in Dalian time. */
export function rfc3339ToDalian(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const p = Object.fromEntries(new Intl.DateTimeFormat('en-GB', {
    timeZone: DALIAN_TZ, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
  }).formatToParts(d).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}`;
}

function sessionsHash(industry) {
  return industry ? `#/sessions?industry=${encodeURIComponent(industry)}` : '#/sessions';
}

async function organizerSessions(ctx) {
  const ref = await loadRef();
  const lim = ref.limits;
  const industry = ctx.query.get('industry') || '';
  let sessions = [];
  let loadError = null;
  const plan = { ...PLAN_DEFAULTS, firstStart: defaultFirstStart() };
  let planErrs = {};
  let planError = null;
  let planResult = null; // {sessions, unplaced: [{applicationId, industry, reason, title}]}
  let planOpen = false;

  async function load() {
    try {
      const res = await api.get('/sessions');
      sessions = (res && res.items) || [];
      loadError = null;
    } catch (err) {
      loadError = err;
    }
  }
  await load();
  planOpen = !loadError && sessions.length === 0;

  function readPlan() {
    if (!$('#plan-form')) return;
    plan.firstStart = $('#plan-first-start').value;
    plan.dayStart = $('#plan-day-start').value;
    plan.dayEnd = $('#plan-day-end').value;
    plan.max = $('#plan-max').value;
    plan.slot = $('#plan-slot').value;
    plan.days = $('#plan-days').value;
    plan.tracks = $('#plan-tracks').value;
    plan.industries = $$('input[name="plan-industry"]:checked').map((c) => c.value);
    planOpen = $('#plan-panel').open;
  }

  function intIn(v, lo, hi) {
    if (!/^\d+$/.test(String(v).trim())) return null;
    const n = Number(v);
    return (lo === undefined || n >= lo) && (hi === undefined || n <= hi) ? n : null;
  }

  async function submitPlan(ev) {
    ev.preventDefault();
    const form = ev.currentTarget;
    readPlan();
    planErrs = {};
    planError = null;
    const body = {};
    body.firstStart = dalianToRFC3339(plan.firstStart);
    if (!body.firstStart) planErrs.firstStart = { k: 'plan.v.firstStart' };
    const num = (key, v, lo, hi, name) => {
      const n = intIn(v, lo, hi);
      if (n === null) planErrs[key] = { k: 'plan.v.range', p: { lo, hi } }; else body[name] = n;
    };
    num('maxPerSession', plan.max, 1, lim.planMaxPerSession, 'maxPerSession');
    num('slotMinutes', plan.slot, lim.planMinSlotMinutes, lim.planMaxSlotMinutes, 'slotMinutes');
    num('days', plan.days, 1, lim.planMaxDays, 'days');
    num('tracks', plan.tracks, 1, lim.planMaxTracks, 'tracks');
    if (!/^\d{2}:\d{2}$/.test(plan.dayStart)) planErrs.dayStart = { k: 'plan.v.clock' }; else body.dayStart = plan.dayStart;
    if (!/^\d{2}:\d{2}$/.test(plan.dayEnd)) planErrs.dayEnd = { k: 'plan.v.clock' };
    else if (plan.dayEnd <= plan.dayStart) planErrs.dayEnd = { k: 'plan.v.dayEnd' };
    else body.dayEnd = plan.dayEnd;
    const inds = plan.industries || ref.industries.map((i) => i.code);
    if (!inds.length) planErrs.industries = { k: 'plan.v.industries' }; else body.industries = inds;
    for (const k of ['firstStart', 'maxPerSession', 'slotMinutes', 'days', 'tracks', 'dayStart', 'dayEnd', 'industries']) {
      setFieldError(form, k, planErrs[k] || null);
    }
    const first = Object.keys(planErrs)[0];
    if (first) {
      const c = form.querySelector(`[data-field-wrap="${first}"] input`);
      if (c) c.focus();
      return;
    }
    await withBusy($('#plan-submit'), async () => {
      try {
        const res = await api.post('/sessions/plan', body);
        const unplaced = (res && res.unplaced) || [];
        // Name the teams that could not be placed (the answer has ids only).
        const named = await Promise.all(unplaced.slice(0, 50).map(async (u) => {
          try {
            const a = await api.get(`/applications/${encodeURIComponent(u.applicationId)}`);
            return { ...u, title: a.title, timezone: a.timezone };
          } catch {
            return { ...u };
          }
        }));
        planResult = { sessions: (res && res.sessions) || [], extended: (res && res.extended) || [], unplaced: named.concat(unplaced.slice(50)) };
        await load();
        render(false);
        toast(tn('plan.done', planResult.sessions.length), 'success');
        $('#plan-result')?.focus();
      } catch (err) {
        if (err.status === 401) return;
        planError = err;
        if (err.fields) {
          for (const [k, m] of Object.entries(err.fields)) {
            const key = k === 'slotLength' ? 'slotMinutes' : k.replace(/\[\d+\]$/, '');
            planErrs[key] = { m };
          }
        }
        render(false);
        toast(() => errorText(err), 'error');
      }
    });
  }

  function planForm() {
    const num = (id, key, value, min, max, label, help) => field(key, id, h('input', {
      id, type: 'number', min, max, step: '1', inputmode: 'numeric', value,
    }), { label, help });
    const chosen = new Set(plan.industries || ref.industries.map((i) => i.code));
    const boxes = ref.industries.map((ind) => h('label', { class: 'check', for: `plan-ind-${ind.code}` },
      h('input', {
        type: 'checkbox', name: 'plan-industry', id: `plan-ind-${ind.code}`, value: ind.code, checked: chosen.has(ind.code),
      }),
      h('span', {}, industryName(ind))));
    const setAll = (on) => { for (const c of $$('input[name="plan-industry"]')) c.checked = on; };
    const form = h('form', { id: 'plan-form', class: 'stack', novalidate: true, onsubmit: submitPlan },
      h('p', { class: 'muted' }, t('plan.intro', { from: lim.localDayFrom, to: lim.localDayTo })),
      h('div', { class: 'grid-3' },
        field('firstStart', 'plan-first-start', h('input', {
          id: 'plan-first-start', type: 'datetime-local', value: plan.firstStart, required: true,
        }), { label: t('plan.firstStart'), help: t('plan.firstStartHelp') }),
        field('dayStart', 'plan-day-start', h('input', { id: 'plan-day-start', type: 'time', value: plan.dayStart }),
          { label: t('plan.dayStart'), help: t('plan.dalianHelp') }),
        field('dayEnd', 'plan-day-end', h('input', { id: 'plan-day-end', type: 'time', value: plan.dayEnd }),
          { label: t('plan.dayEnd'), help: t('plan.dalianHelp') }),
        num('plan-max', 'maxPerSession', plan.max, 1, lim.planMaxPerSession, t('plan.max'), t('plan.maxHelp', { max: lim.planMaxPerSession })),
        num('plan-slot', 'slotMinutes', plan.slot, lim.planMinSlotMinutes, lim.planMaxSlotMinutes, t('plan.slot'),
          t('plan.slotHelp', { min: lim.planMinSlotMinutes, max: lim.planMaxSlotMinutes })),
        num('plan-days', 'days', plan.days, 1, lim.planMaxDays, t('plan.days'), t('plan.daysHelp', { max: lim.planMaxDays })),
        num('plan-tracks', 'tracks', plan.tracks, 1, lim.planMaxTracks, t('plan.tracks'), t('plan.tracksHelp'))),
      h('fieldset', { class: 'checks', dataset: { fieldWrap: 'industries' } },
        h('legend', {}, t('plan.industries')),
        h('div', { class: 'check-grid' }, boxes),
        h('div', { class: 'actions' },
          h('button', { type: 'button', class: 'btn btn-small', id: 'plan-all', onclick: () => setAll(true) }, t('plan.all')),
          h('button', { type: 'button', class: 'btn btn-small', id: 'plan-none', onclick: () => setAll(false) }, t('plan.none')))),
      planError ? h('p', { class: 'form-error', role: 'alert', id: 'plan-error' }, errorText(planError)) : null,
      h('div', { class: 'actions' }, h('button', { type: 'submit', id: 'plan-submit', class: 'btn btn-primary' }, t('plan.submit'))));
    for (const [k, e] of Object.entries(planErrs)) setFieldError(form, k, e);
    return form;
  }

  function planResultBox() {
    if (!planResult) return null;
    const r = planResult;
    return h('section', { class: 'panel plan-result', id: 'plan-result', tabindex: '-1', 'aria-labelledby': 'plan-result-title' },
      h('h2', { id: 'plan-result-title' }, t('plan.resultTitle')),
      h('p', { id: 'plan-created', dataset: { count: r.sessions.length } }, tn('plan.created', r.sessions.length)),
      r.sessions.length ? h('ul', { class: 'plain-list', id: 'plan-created-list' }, r.sessions.map((se) => h('li', {},
        h('a', { href: `#/sessions/${encodeURIComponent(se.id)}` }, se.title), ' · ',
        h('span', { class: 'muted' }, formatIn(se.start, DALIAN_TZ), ' ', t('sess.dalianShort')), ' · ',
        tn('sess.teams', (se.slots || []).length)))) : null,
      r.extended.length ? [
        h('p', { id: 'plan-extended', dataset: { count: r.extended.length } }, tn('plan.extended', r.extended.length)),
        h('ul', { class: 'plain-list', id: 'plan-extended-list' }, r.extended.map((se) => h('li', {},
          h('a', { href: `#/sessions/${encodeURIComponent(se.id)}` }, se.title), ' · ',
          tn('sess.teams', (se.slots || []).length))))] : null,
      h('h3', {}, t('plan.unplacedTitle', { n: r.unplaced.length })),
      r.unplaced.length
        ? h('ul', { class: 'unplaced-list', id: 'plan-unplaced' }, r.unplaced.map((u) => h('li', { dataset: { applicationId: u.applicationId } },
          h('strong', {}, u.title || u.applicationId), ' ',
          h('span', { class: 'industry-tag' }, industryName(industryOf(ref, u.industry))), ' ',
          h('span', { class: 'unplaced-reason' }, msgText({ key: u.reasonKey, args: u.reasonArgs, message: u.reason })))))
        : h('p', { class: 'muted', id: 'plan-unplaced-none' }, t('plan.allPlaced')));
  }

  function schedule() {
    if (loadError) return h('p', { class: 'form-error', role: 'alert' }, errorText(loadError));
    const list = industry ? sessions.filter((s) => s.industry === industry) : sessions;
    if (!list.length) return h('p', { class: 'empty', id: 'sessions-empty' }, t(industry ? 'sess.emptyIndustry' : 'sess.empty'));
    const groups = ref.industries
      .map((ind) => ({ ind, items: list.filter((s) => s.industry === ind.code) }))
      .filter((g) => g.items.length);
    return h('div', { id: 'schedule', class: 'schedule' }, groups.map(({ ind, items }) => {
      const teams = items.filter((s) => s.state !== 'cancelled').reduce((n, s) => n + (s.slots || []).length, 0);
      return h('section', { class: ['schedule-industry', ind.core ? 'core' : null], dataset: { industry: ind.code }, 'aria-labelledby': `sched-${ind.code}` },
        h('h2', { id: `sched-${ind.code}` }, industryName(ind),
          h('span', { class: 'muted count-note' }, ' ', t('sess.groupCount', { sessions: tn('sess.sessionsN', items.length), teams: tn('sess.teams', teams) }))),
        byDay(items).map((g) => h('div', { class: 'schedule-day' },
          h('h3', { class: 'day-head' }, formatIn(g.items[0].start, DALIAN_TZ, { parts: 'date' }), ' ',
            h('span', { class: 'zone-tag' }, t('sess.dalianShort'))),
          h('div', { class: 'session-grid' }, g.items.map((se) => sessionCard(se, ref))))));
    }));
  }

  function render(fromDom = true) {
    if (fromDom) readPlan();
    const indSel = h('select', {
      id: 'sessions-industry',
      onchange: (e) => ctx.navigate(sessionsHash(e.currentTarget.value)),
    }, options(industryItems(ref), { placeholder: t('review.allIndustries') }));
    indSel.value = industry;
    const live = sessions.filter((s) => s.state === 'live').length;
    ctx.mount(h('div', { class: 'page sessions-page' },
      h('div', { class: 'page-head' },
        h('div', {}, h('h1', {}, t('sess.title')), h('p', { class: 'lead' }, t('sess.intro'))),
        h('div', { class: 'head-actions' },
          h('a', { class: 'btn btn-small', href: '#/edition', id: 'to-edition' }, t('nav.edition')),
          exportButtons())),
      h('details', { class: 'panel plan-panel', id: 'plan-panel', open: planOpen },
        h('summary', { id: 'plan-toggle' }, h('span', { class: 'summary-title-text' }, t('plan.title'))),
        planForm()),
      planResultBox(),
      h('form', { class: 'filters panel', 'aria-label': t('review.filters'), onsubmit: (e) => e.preventDefault() },
        field('industry', 'sessions-industry', indSel, { label: t('review.industry') }),
        h('p', { class: 'muted filter-note', id: 'sessions-count', 'aria-live': 'polite' },
          t('sess.count', { sessions: tn('sess.sessionsN', sessions.length), live }))),
      schedule(),
    ));
  }

  render(false);
  return { render };
}

async function participantSessions(ctx) {
  const ref = await loadRef();
  let sessions = [];
  try {
    const res = await api.get('/sessions');
    sessions = (res && res.items) || [];
  } catch (err) {
    if (err.status === 401) return null;
    ctx.mount(errorPanel(err, () => ctx.navigate('#/sessions')));
    return null;
  }
  const role = ctx.user.role;
  function render() {
    const active = sessions.filter((s) => s.state !== 'cancelled');
    ctx.mount(h('div', { class: 'page sessions-page' },
      h('div', { class: 'page-head' },
        h('div', {}, h('h1', {}, t(role === 'judge' ? 'sess.judgeTitle' : 'sess.investorTitle')),
          h('p', { class: 'lead' }, t(role === 'judge' ? 'sess.judgeIntro' : 'sess.investorIntro')))),
      active.length
        ? h('div', { class: 'session-grid', id: 'my-session-list' }, active.map((se) => sessionCard(se, ref)))
        : h('section', { class: 'panel' }, h('p', { class: 'empty', id: 'sessions-empty' }, t(role === 'judge' ? 'home.judge' : 'home.investor')),
          h('p', { class: 'muted center' }, t('home.soon')))));
  }
  render();
  return { render };
}
