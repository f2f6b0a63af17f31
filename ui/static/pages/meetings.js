// Investors' meeting requests: the box with which an investor asks to meet
// a team (beside the stage and on the team's page), and #/meetings, where
// organizers list every request and investors their own.

import { api, seg } from '../api.js';
import { t, industryName } from '../i18n.js';
import {
  h, toast, errorText, withBusy, loadRef, industryOf, errorPanel, timeEl, charCount, counter, updateCounter,
} from '../ui.js';

const MAX_NOTE = 1000;

/** The investor's own requests, by application id. */
export async function myMeetings() {
  const out = new Map();
  try {
    const res = await api.get('/meetings');
    for (const m of (res && res.items) || []) out.set(m.applicationId, m);
  } catch { /* the box then offers to ask */ }
  return out;
}

/**
 * The "Request a meeting" box for one team (#meeting-box): shown when the
 * server says the reader may ask (app.can.requestMeeting). state holds
 * {requests: Map, open, note, error}; rerender redraws the box.
 */
export function meetingBox(app, state, rerender) {
  if (!app || !app.can || !app.can.requestMeeting) return null;
  const mine = state.requests.get(app.id);
  const open = state.open === app.id;
  async function send(button) {
    const note = (document.getElementById('meeting-note') || {}).value || '';
    if (charCount(note.trim()) > MAX_NOTE) {
      state.error = t('v.maxLen', { n: MAX_NOTE });
      rerender();
      document.getElementById('meeting-note')?.focus();
      return;
    }
    await withBusy(button, async () => {
      try {
        const m = await api.post(`/applications/${seg(app.id)}/meetings`, { note: note.trim() });
        state.requests.set(app.id, m);
        state.open = '';
        state.note = '';
        state.error = '';
        toast(() => t(mine ? 'meeting.updated' : 'meeting.sent'), 'success');
        rerender();
        document.getElementById('meeting-request')?.focus();
      } catch (err) {
        if (err.status === 401) return;
        state.error = err.fields && err.fields.note ? errorText({ msg: err.fields.note }) : errorText(err);
        rerender();
      }
    });
  }
  const form = open ? h('form', {
    class: 'meeting-form', id: 'meeting-form', novalidate: true,
    onsubmit: (e) => { e.preventDefault(); send(document.getElementById('meeting-send')); },
  },
  h('div', { class: ['field', state.error ? 'has-error' : null] },
    h('label', { for: 'meeting-note' }, t('meeting.note'), h('span', { class: 'optional' }, ' ', t('common.optional'))),
    h('textarea', {
      id: 'meeting-note', rows: '3', 'aria-describedby': state.error ? 'meeting-error meeting-count' : 'meeting-help meeting-count',
      'aria-invalid': state.error ? 'true' : null,
      oninput: (e) => { state.note = e.currentTarget.value; updateCounter(document.getElementById('meeting-count'), charCount(state.note), MAX_NOTE); },
    }, state.note || (mine ? mine.note : '')),
    counter('meeting-count', charCount(state.note || (mine ? mine.note : '')), MAX_NOTE),
    state.error ? h('p', { class: 'field-error', id: 'meeting-error' }, state.error) : h('p', { class: 'help', id: 'meeting-help' }, t('meeting.help'))),
  h('div', { class: 'actions' },
    h('button', { type: 'submit', id: 'meeting-send', class: 'btn btn-primary btn-small' }, t(mine ? 'meeting.save' : 'meeting.send')),
    h('button', {
      type: 'button', id: 'meeting-cancel', class: 'btn btn-small',
      onclick: () => { state.open = ''; state.error = ''; rerender(); document.getElementById('meeting-request')?.focus(); },
    }, t('common.cancel')))) : null;
  return h('div', { class: ['meeting-box', mine ? 'is-requested' : null], id: 'meeting-box', dataset: { applicationId: app.id, state: mine ? 'requested' : 'none' } },
    mine ? h('p', { class: 'meeting-status', id: 'meeting-status' },
      h('span', { 'aria-hidden': 'true' }, '✓ '), t('meeting.requested'), ' ', timeEl(mine.createdAt),
      mine.note ? h('span', { class: 'muted' }, ' — ', mine.note) : null) : null,
    open ? form : h('button', {
      type: 'button', id: 'meeting-request', class: ['btn', mine ? 'btn-small' : 'btn-primary'],
      onclick: () => { state.open = app.id; state.note = mine ? mine.note : ''; state.error = ''; rerender(); document.getElementById('meeting-note')?.focus(); },
    }, t(mine ? 'meeting.change' : 'meeting.request')));
}

/** #/meetings: organizers see every request, investors their own. */
export async function meetingsPage(ctx) {
  const ref = await loadRef();
  let items;
  try {
    const res = await api.get('/meetings');
    items = (res && res.items) || [];
  } catch (err) {
    if (err.status !== 401) ctx.mount(errorPanel(err, () => ctx.navigate(location.hash)));
    return null;
  }
  const organizer = ctx.user && ctx.user.role === 'organizer';
  function render() {
    const cols = organizer ? ['team', 'investor', 'note', 'at'] : ['team', 'note', 'at'];
    ctx.mount(h('div', { class: 'page meetings-page' },
      h('div', { class: 'page-head' },
        h('div', {}, h('h1', {}, t(organizer ? 'meetings.title' : 'meetings.mine')),
          h('p', { class: 'lead' }, t(organizer ? 'meetings.lead' : 'meetings.leadInvestor')))),
      h('section', { class: 'panel' },
        items.length
          ? h('div', { class: 'table-scroll' }, h('table', { class: 'app-table meetings-table', id: 'meetings-table' },
            h('thead', {}, h('tr', {}, cols.map((c) => h('th', { scope: 'col' }, t(`meetings.col.${c}`))))),
            h('tbody', {}, items.map((m) => {
              const ind = industryOf(ref, m.industry);
              return h('tr', { class: 'meeting-row', dataset: { applicationId: m.applicationId, investorId: m.investorId } },
                h('td', { 'data-label': t('meetings.col.team') },
                  h('strong', {}, m.title || t('apps.untitled')),
                  ind ? h('span', { class: 'muted' }, ' · ', industryName(ind)) : null,
                  organizer ? [' ', h('a', { href: `#/review/${encodeURIComponent(m.applicationId)}`, class: 'meeting-app' }, t('meetings.open'))] : null),
                organizer ? h('td', { 'data-label': t('meetings.col.investor') },
                  h('span', { translate: 'no' }, m.investorName || t('part.unknown')),
                  m.investorEmail ? [h('br'), h('a', { href: `mailto:${m.investorEmail}`, translate: 'no' }, m.investorEmail)] : null) : null,
                h('td', { 'data-label': t('meetings.col.note'), class: 'prewrap' }, m.note || t('common.none')),
                h('td', { 'data-label': t('meetings.col.at') }, timeEl(m.createdAt)));
            }))))
          : h('p', { class: 'empty', id: 'meetings-empty' }, t(organizer ? 'meetings.empty' : 'meetings.emptyInvestor')))));
  }
  render();
  return { render };
}
