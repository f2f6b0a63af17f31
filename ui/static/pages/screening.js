// The organizers' screening pages: #/review (the list: search, sort,
// filters, totals, selection and bulk decisions), #/review/queue (opens the
// next application waiting for a decision) and #/review/{id} (one
// application: previous/next in the list's order, the decision with its
// reason and history, duplicates, and the deck read inline).
//
// Keys on the detail page (not while typing): E eligible, I ineligible,
// Enter saves, N next (the next unscreened one in the queue), P previous.

import { api, seg } from '../api.js';
import {
  t, industryName, countryName, formatNumber, formatBytes,
} from '../i18n.js';
import {
  h, $, toast, errorText, errText, setFieldError, fieldControl, field, options, badge, timeEl, loadRef,
  industryOf, industryItems, withBusy, charCount, errorPanel, counter, updateCounter, icon,
} from '../ui.js';
import { downloadDeck, deckInfo, screeningBox, appDetails } from './common.js';

const PAGE_SIZE = 50;
const LIST_KEY = 'roadshow.reviewQuery';
const SORTS = ['-submitted', 'submitted', 'title', 'country', 'industry'];

/** The list's state in the address: q, industry, status, sort. */
function listParams(query) {
  const out = {};
  for (const k of ['q', 'industry', 'status', 'sort']) {
    const v = query.get(k);
    if (v) out[k] = v;
  }
  return out;
}

function reviewHash(p) {
  const s = new URLSearchParams(Object.entries(p).filter(([, v]) => v)).toString();
  return s ? `#/review?${s}` : '#/review';
}

function savedList() {
  try {
    const raw = sessionStorage.getItem(LIST_KEY) || '';
    const q = raw.indexOf('?');
    return listParams(new URLSearchParams(q >= 0 ? raw.slice(q + 1) : ''));
  } catch { return {}; }
}

export async function reviewPage(ctx) {
  const ref = await loadRef();
  const params = listParams(ctx.query);
  try { sessionStorage.setItem(LIST_KEY, reviewHash(params)); } catch { /* ignore */ }
  const list = { items: [], cursor: '', total: 0, error: null };
  const selected = new Map(); // id -> row
  let bulk = { decision: '', reason: '', note: '', confirming: false, result: null };

  async function load(cursor) {
    const q = new URLSearchParams(params);
    q.set('limit', String(PAGE_SIZE));
    if (cursor) q.set('cursor', cursor);
    try {
      const page = await api.get(`/applications/search?${q}`);
      list.items = list.items.concat(page.items || []);
      list.cursor = page.nextCursor || '';
      list.total = page.total || 0;
    } catch (err) {
      list.error = err;
    }
  }
  await load('');

  const go = (change) => ctx.navigate(reviewHash({ ...params, ...change }));

  function row(a) {
    const href = `#/review/${encodeURIComponent(a.id)}`;
    const box = h('input', {
      type: 'checkbox', class: 'row-select', checked: selected.has(a.id), 'aria-label': t('review.select', { title: a.title || t('apps.untitled') }),
      onchange: (e) => { if (e.currentTarget.checked) selected.set(a.id, a); else selected.delete(a.id); bulk.confirming = false; render(); },
    });
    return h('tr', {
      class: 'app-row', dataset: { id: a.id, status: a.status, industry: a.industry },
      onclick: (e) => { if (!(e.target instanceof HTMLAnchorElement) && !(e.target instanceof HTMLInputElement)) ctx.navigate(href); },
    },
    h('td', { class: 'cell-select' }, box),
    h('td', { 'data-label': t('review.col.title'), class: 'cell-title' }, h('a', { href }, a.title || t('apps.untitled'))),
    h('td', { 'data-label': t('review.col.industry') }, industryName(industryOf(ref, a.industry)) || t('common.none')),
    h('td', { 'data-label': t('review.col.country') }, a.country ? countryName(a.country) : t('common.none')),
    h('td', { 'data-label': t('review.col.stage') }, a.stage ? t(`stage.${a.stage}`) : t('common.none')),
    h('td', { 'data-label': t('review.col.status') }, badge(a.status)),
    h('td', { 'data-label': t('review.col.submitted') }, timeEl(a.submittedAt)));
  }

  async function applyBulk(button) {
    await withBusy(button, async () => {
      try {
        const items = [...selected.values()].map((a) => ({ id: a.id, version: a.screeningVersion || 0 }));
        const body = { decision: bulk.decision, note: bulk.note.trim(), items };
        if (bulk.reason) body.reason = bulk.reason;
        const res = await api.post('/applications/screening/bulk', body);
        for (const r of res.results || []) {
          if (!r.row) continue;
          const i = list.items.findIndex((x) => x.id === r.id);
          if (i >= 0) list.items[i] = r.row;
          selected.delete(r.id);
        }
        bulk = { ...bulk, confirming: false, result: res };
        render();
        toast(t('bulk.done', { done: res.done, failed: res.failed }), res.failed ? 'error' : 'success');
        $('#bulk-result')?.focus();
      } catch (err) {
        if (err.status === 401) return;
        bulk.confirming = false;
        render();
        toast(errorText(err), 'error');
      }
    });
  }

  function bulkPanel() {
    const n = selected.size;
    const radio = (value) => h('label', { class: ['radio', `radio-${value}`] },
      h('input', {
        type: 'radio', name: 'bulk-decision', id: `bulk-${value}`, value, checked: bulk.decision === value,
        onchange: () => { bulk.decision = value; bulk.confirming = false; },
      }), h('span', {}, t(`screen.${value}`)));
    const reason = h('select', { id: 'bulk-reason', onchange: (e) => { bulk.reason = e.currentTarget.value; } },
      options(ref.screeningReasons.map((r) => [r, t(`reason.${r}`)]), { placeholder: t('screen.reasonNone') }));
    reason.value = bulk.reason;
    const note = h('textarea', { id: 'bulk-note', rows: '2', oninput: (e) => { bulk.note = e.currentTarget.value; } }, bulk.note);
    const byId = new Map(list.items.map((a) => [a.id, a]));
    const result = bulk.result && bulk.result.failed ? h('ul', { class: 'plain-list form-error', id: 'bulk-result', tabindex: '-1' },
      bulk.result.results.filter((r) => r.error).map((r) => h('li', { dataset: { id: r.id } },
        t('bulk.refused', { title: (byId.get(r.id) || {}).title || r.id, reason: errText({ m: r.error }) })))) : null;
    let confirm = null;
    if (bulk.confirming) {
      confirm = h('div', { class: 'notice warn', id: 'bulk-confirm', role: 'alertdialog', 'aria-labelledby': 'bulk-confirm-title' },
        h('p', { id: 'bulk-confirm-title' }, h('strong', {}, t('bulk.confirmTitle', { n: formatNumber(n), decision: t(`screen.${bulk.decision}`) }))),
        h('ul', { class: 'plain-list', id: 'bulk-confirm-list' }, [...selected.values()].map((a) => h('li', { dataset: { id: a.id } }, a.title || t('apps.untitled')))),
        h('div', { class: 'actions' },
          h('button', { type: 'button', id: 'bulk-confirm-yes', class: 'btn btn-primary', onclick: (e) => applyBulk(e.currentTarget) }, t('bulk.confirm')),
          h('button', { type: 'button', id: 'bulk-confirm-no', class: 'btn', onclick: () => { bulk.confirming = false; render(); $('#bulk-review')?.focus(); } }, t('bulk.cancel'))));
    }
    return h('section', { class: 'panel', id: 'bulk-panel', 'aria-labelledby': 'bulk-title' },
      h('h2', { id: 'bulk-title' }, t('bulk.title'), ' ', h('span', { class: 'muted', id: 'bulk-count', dataset: { n } }, t('bulk.selected', { n: formatNumber(n) }))),
      h('form', {
        class: 'stack', id: 'bulk-form', novalidate: true,
        onsubmit: (e) => {
          e.preventDefault();
          const form = e.currentTarget;
          const errs = {};
          if (!n) errs.items = { k: 'bulk.none' };
          if (bulk.decision !== 'eligible' && bulk.decision !== 'ineligible') errs.decision = { k: 'v.decision' };
          if (bulk.decision === 'ineligible' && !bulk.reason) errs.reason = { m: { key: 'application.reason_required' } };
          for (const k of ['decision', 'reason']) setFieldError(form, k, errs[k] || null);
          if (errs.items) { toast(t('bulk.none'), 'error'); return; }
          if (Object.keys(errs).length) { fieldControl(form, Object.keys(errs)[0])?.focus(); return; }
          bulk.confirming = true;
          bulk.result = null;
          render();
          $('#bulk-confirm-yes')?.focus();
        },
      },
      h('fieldset', { class: 'radios', dataset: { fieldWrap: 'decision' } },
        h('legend', {}, t('screen.decision')), h('div', { class: 'radio-row' }, radio('eligible'), radio('ineligible'))),
      field('reason', 'bulk-reason', reason, { label: t('screen.reason'), help: t('screen.reasonHelp'), optional: true }),
      field('note', 'bulk-note', note, { label: t('screen.note'), optional: true }),
      h('div', { class: 'actions' },
        h('button', { type: 'submit', id: 'bulk-review', class: 'btn' }, t('bulk.review')),
        n ? h('button', { type: 'button', id: 'bulk-clear', class: 'btn btn-small', onclick: () => { selected.clear(); bulk.confirming = false; render(); } }, t('bulk.clear')) : null)),
      confirm, result);
  }

  function render() {
    const search = h('input', { id: 'review-q', type: 'search', value: params.q || '', maxlength: '100', 'aria-describedby': 'review-q-help' });
    const indSel = h('select', { id: 'filter-industry', onchange: (e) => go({ industry: e.currentTarget.value }) },
      options(industryItems(ref), { placeholder: t('review.allIndustries') }));
    indSel.value = params.industry || '';
    const stSel = h('select', { id: 'filter-status', onchange: (e) => go({ status: e.currentTarget.value }) },
      options([['all', t('review.statusAll')], ...ref.statuses.map((s) => [s, t(`status.${s}`)])], { placeholder: t('review.notDrafts') }));
    stSel.value = params.status || '';
    const sortSel = h('select', { id: 'review-sort', onchange: (e) => go({ sort: e.currentTarget.value }) },
      options(SORTS.map((s) => [s, t(`review.sort.${s}`)])));
    sortSel.value = params.sort || '-submitted';

    let body;
    if (list.error) {
      body = h('p', { class: 'form-error', role: 'alert' }, errorText(list.error));
    } else if (!list.items.length) {
      body = h('p', { class: 'empty', id: 'review-empty' }, t('review.empty'));
    } else {
      const all = list.items.every((a) => selected.has(a.id));
      body = h('table', { class: 'app-table', id: 'review-list' },
        h('thead', {}, h('tr', {},
          h('th', { scope: 'col', class: 'cell-select' }, h('input', {
            type: 'checkbox', id: 'select-page', checked: all, 'aria-label': t('review.selectPage'),
            onchange: (e) => {
              for (const a of list.items) { if (e.currentTarget.checked) selected.set(a.id, a); else selected.delete(a.id); }
              bulk.confirming = false;
              render();
            },
          })),
          ['title', 'industry', 'country', 'stage', 'status', 'submitted'].map((c) => h('th', { scope: 'col' }, t(`review.col.${c}`))))),
        h('tbody', {}, list.items.map(row)));
    }
    ctx.mount(h('div', { class: 'page' },
      h('div', { class: 'page-head' }, h('h1', {}, t('review.title')),
        h('a', { class: 'btn btn-primary', id: 'open-queue', href: '#/review/queue' }, t('review.queue'))),
      h('form', {
        class: 'filters panel', role: 'search', 'aria-label': t('review.filters'),
        onsubmit: (e) => { e.preventDefault(); go({ q: search.value.trim() }); },
      },
      field('q', 'review-q', search, { label: t('review.search'), help: t('review.searchHelp') }),
      field('industry', 'filter-industry', indSel, { label: t('review.industry') }),
      field('status', 'filter-status', stSel, { label: t('review.status') }),
      field('sort', 'review-sort', sortSel, { label: t('review.sort') }),
      h('div', { class: 'actions' }, h('button', { type: 'submit', id: 'review-search', class: 'btn' }, t('review.searchSubmit')))),
      h('section', { class: 'panel' },
        list.error ? null : h('p', { class: 'muted', id: 'review-count', 'aria-live': 'polite', dataset: { total: list.total, shown: list.items.length } },
          t('review.total', { shown: formatNumber(list.items.length), total: formatNumber(list.total) })),
        body,
        list.cursor ? h('div', { class: 'actions center' },
          h('button', {
            type: 'button', id: 'load-more', class: 'btn',
            onclick: (e) => withBusy(e.currentTarget, async () => {
              const first = list.items.length;
              await load(list.cursor);
              render();
              (document.querySelectorAll('.app-row a')[first] || $('#load-more'))?.focus();
            }),
          }, t('review.loadMore'))) : null),
      bulkPanel(),
    ));
  }

  render();
  return { render };
}

/** #/review/queue: opens the next application waiting for a decision. */
export async function queuePage(ctx) {
  let next;
  try {
    next = await api.get('/applications/queue/next');
  } catch (err) {
    if (err.status === 401) return null;
    ctx.mount(errorPanel(err, () => ctx.navigate('#/review/queue')));
    return null;
  }
  if (next.next) {
    location.replace(`#/review/${encodeURIComponent(next.next.id)}?queue=1`);
    return null;
  }
  function render() {
    ctx.mount(h('div', { class: 'page' },
      h('div', { class: 'page-head' }, h('h1', {}, t('queue.title'))),
      h('p', { class: 'notice', id: 'queue-empty' }, t('queue.empty')),
      h('p', {}, h('a', { href: '#/review', id: 'back-to-list' }, icon('← '), t('review.back')))));
  }
  render();
  return { render };
}

export async function reviewDetailPage(ctx) {
  const ref = await loadRef();
  const queue = ctx.query.get('queue') === '1';
  const listQuery = savedList();
  let app;
  try {
    app = await api.get(`/applications/${seg(ctx.params.id)}`);
  } catch (err) {
    if (err.status === 401) return null;
    ctx.mount(errorPanel(err, () => ctx.navigate(location.hash)));
    return null;
  }
  const judgeNames = {};
  let conflicts = null;
  let dups = null;
  let nb = { prev: null, next: null };
  let remaining = null;
  // In the queue, previous is the submission before this one (the one just
  // decided); from the list, the row above in its order and filter.
  const nq = new URLSearchParams(queue ? { sort: 'submitted' } : listQuery);
  await Promise.all([
    Promise.all([api.get(`/applications/${seg(app.id)}/conflicts`), api.get('/users?role=judge')]).then(([cs, js]) => {
      conflicts = (cs && cs.items) || [];
      for (const u of (js && js.items) || []) judgeNames[u.id] = u.name;
    }).catch(() => {}),
    api.get(`/applications/${seg(app.id)}/duplicates`).then((d) => { dups = d; }).catch(() => {}),
    api.get(`/applications/${seg(app.id)}/neighbors?${nq}`).then((n) => { nb = n; }).catch(() => {}),
    queue ? api.get(`/applications/queue/next?after=${encodeURIComponent(app.id)}`).then((q) => { remaining = q.remaining; }).catch(() => {}) : null,
  ]);

  let decision = '';
  let reason = '';
  let note = '';
  let errs = {};
  let message = null;
  let deck = null; // the signed link, once "Read here" was pressed
  const noteMax = ref.limits.screeningNote;
  const screenable = () => !!(app.can && app.can.screen);

  function readForm() {
    const form = $('#screening-form');
    if (!form) return;
    const checked = form.querySelector('input[name="decision"]:checked');
    decision = checked ? checked.value : '';
    reason = $('#screen-reason').value;
    note = $('#screen-note').value;
  }

  async function next() {
    if (queue) {
      try {
        const q = await api.get(`/applications/queue/next?after=${encodeURIComponent(app.id)}`);
        ctx.navigate(q.next ? `#/review/${encodeURIComponent(q.next.id)}?queue=1` : '#/review/queue');
      } catch (err) { toast(errorText(err), 'error'); }
      return;
    }
    if (nb.next) ctx.navigate(`#/review/${encodeURIComponent(nb.next.id)}`);
  }
  function prev() {
    if (nb.prev) ctx.navigate(`#/review/${encodeURIComponent(nb.prev.id)}${queue ? '?queue=1' : ''}`);
  }

  async function submit(ev) {
    ev.preventDefault();
    const form = ev.currentTarget;
    readForm();
    errs = {};
    message = null;
    if (decision !== 'eligible' && decision !== 'ineligible') errs.decision = { k: 'v.decision' };
    if (decision === 'ineligible' && !reason) errs.reason = { m: { key: 'application.reason_required' } };
    if (noteMax !== undefined && charCount(note.trim()) > noteMax) errs.note = { k: 'v.maxLen', p: { n: noteMax } };
    for (const k of ['decision', 'reason', 'note']) setFieldError(form, k, errs[k] || null);
    if (Object.keys(errs).length) { fieldControl(form, Object.keys(errs)[0]).focus(); return; }
    await withBusy($('#screen-submit'), async () => {
      try {
        const body = { decision, note: note.trim(), version: app.screeningVersion || 0 };
        if (reason) body.reason = reason;
        const was = app.status;
        app = await api.patch(`/applications/${seg(app.id)}/screening`, body);
        if (remaining !== null && remaining > 0 && was === 'submitted') remaining -= 1;
        render(false);
        toast(t(queue ? 'screen.savedNext' : 'screen.saved'), 'success');
        $('#screen-submit')?.focus();
      } catch (err) {
        if (err.status === 401) return;
        if (err.status === 422 && err.fields) {
          for (const [k, m] of Object.entries(err.fields)) { errs[k] = { m }; setFieldError(form, k, errs[k]); }
        }
        if (err.status === 409) {
          // Someone decided meanwhile: show theirs, keep what was typed.
          try { app = await api.get(`/applications/${seg(app.id)}`); } catch { /* keep */ }
          message = err;
          render(false);
        }
        toast(errorText(err), 'error');
      }
    });
  }

  function onKey(e) {
    if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey) return;
    const tag = e.target && e.target.tagName;
    if (tag === 'TEXTAREA' || tag === 'SELECT' || (tag === 'INPUT' && !['radio', 'checkbox'].includes(e.target.type))) return;
    const k = e.key.toLowerCase();
    if ((k === 'e' || k === 'i') && screenable()) {
      const r = $(k === 'e' ? '#screen-eligible' : '#screen-ineligible');
      if (r) { r.checked = true; r.focus(); e.preventDefault(); }
    } else if (k === 'enter' && (tag === 'INPUT' || tag === 'BODY' || tag === 'H1') && $('#screening-form')) {
      e.preventDefault();
      $('#screening-form').requestSubmit();
    } else if (k === 'n') {
      e.preventDefault();
      next();
    } else if (k === 'p') {
      e.preventDefault();
      prev();
    }
  }
  document.addEventListener('keydown', onKey);

  async function openDeck(button) {
    await withBusy(button, async () => {
      try {
        deck = await api.post(`/applications/${seg(app.id)}/deck/link`);
        render();
        $('#deck-frame')?.focus();
      } catch (err) {
        toast(errorText(err), 'error');
      }
    });
  }

  function screeningForm() {
    if (!screenable()) return h('p', { class: 'notice', id: 'screen-not-allowed' }, t('screen.notAllowed'));
    const radio = (value, id, labelKey) => h('label', { class: ['radio', `radio-${value}`], for: id },
      h('input', { type: 'radio', name: 'decision', id, value, checked: decision === value }),
      h('span', {}, t(labelKey)));
    const reasonSel = h('select', { id: 'screen-reason' },
      options(ref.screeningReasons.map((r) => [r, t(`reason.${r}`)]), { placeholder: t('screen.reasonNone') }));
    reasonSel.value = reason;
    const noteIn = h('textarea', { id: 'screen-note', rows: '3', 'aria-describedby': 'note-count' }, note);
    const noteCount = counter('note-count', charCount(note), noteMax);
    noteIn.addEventListener('input', () => updateCounter(noteCount, charCount(noteIn.value), noteMax));
    const form = h('form', { id: 'screening-form', class: 'stack', novalidate: true, onsubmit: submit, dataset: { version: app.screeningVersion || 0 } },
      h('fieldset', { class: 'radios', dataset: { fieldWrap: 'decision' } },
        h('legend', {}, t('screen.decision')),
        h('div', { class: 'radio-row' },
          radio('eligible', 'screen-eligible', 'screen.eligible'),
          radio('ineligible', 'screen-ineligible', 'screen.ineligible'))),
      field('reason', 'screen-reason', reasonSel, { label: t('screen.reason'), help: t('screen.reasonHelp'), optional: true }),
      field('note', 'screen-note', noteIn, { label: t('screen.note'), help: t('screen.noteHelp'), optional: true, extra: noteCount }),
      h('div', { class: 'actions' }, h('button', { type: 'submit', id: 'screen-submit', class: 'btn btn-primary' }, t('screen.submit'))),
      h('p', { class: 'help', id: 'screen-keys' }, t('screen.keys')));
    for (const [k, e] of Object.entries(errs)) setFieldError(form, k, e);
    return form;
  }

  function historyPanel() {
    const items = (app.screeningHistory || []).slice().reverse();
    return h('section', { class: 'panel', id: 'history-section', 'aria-labelledby': 'history-title' },
      h('h2', { id: 'history-title' }, t('screen.history')),
      items.length ? h('ol', { class: 'plain-list', id: 'screening-history' }, items.map((s) => h('li', { dataset: { version: s.version, decision: s.decision } },
        h('strong', {}, t('screen.historyBy', { decision: t(`screen.${s.decision}`), by: s.byName || s.by })), ' ',
        h('span', { class: 'muted' }, timeEl(s.at)),
        s.reason ? h('span', {}, ' · ', t(`reason.${s.reason}`)) : null,
        s.note ? h('p', { class: 'prewrap' }, s.note) : null)))
        : h('p', { class: 'muted', id: 'history-none' }, t('screen.historyNone')));
  }

  function duplicatesPanel() {
    if (!dups) return null;
    return h('section', { class: 'panel', id: 'duplicates-section', 'aria-labelledby': 'dup-title' },
      h('h2', { id: 'dup-title' }, t('dup.title')),
      dups.items.length ? h('ul', { class: 'plain-list', id: 'duplicate-list' }, dups.items.map((d) => h('li', { dataset: { id: d.application.id } },
        h('a', { href: `#/review/${encodeURIComponent(d.application.id)}` }, d.application.title || t('apps.untitled')), ' ',
        badge(d.application.status), ' ',
        h('span', { class: 'muted' }, d.reasons.map((r) => (r === 'title'
          ? t('dup.reason.title', { pct: Math.round((d.similarity || 0) * 100) })
          : t('dup.reason.domain', { domain: dups.domain }))).join(' · ')))))
        : h('p', { class: 'muted', id: 'dup-none' }, t('dup.none')));
  }

  function deckPanel() {
    return h('section', { class: 'panel', id: 'deck-section' },
      h('h2', {}, t('detail.deck')),
      deckInfo(app.deck),
      deck ? h('p', { class: 'muted', id: 'deck-meta', dataset: { pages: deck.pages, size: deck.size } },
        [deck.pages ? t('deck.pages', { n: formatNumber(deck.pages) }) : null, formatBytes(deck.size)].filter(Boolean).join(' · ')) : null,
      app.deck ? h('div', { class: 'actions' },
        deck ? h('button', { type: 'button', id: 'deck-hide', class: 'btn', onclick: () => { deck = null; render(); } }, t('deck.hide'))
          : h('button', { type: 'button', id: 'deck-read', class: 'btn btn-primary', onclick: (e) => openDeck(e.currentTarget) }, t('deck.read')),
        h('button', { type: 'button', id: 'deck-download', class: 'btn', onclick: (e) => downloadDeck(app, e.currentTarget) }, t('deck.download'))) : null);
  }

  function render(fromDom = true) {
    if (fromDom) readForm();
    if (!fromDom && app.screening && !decision) {
      decision = app.screening.decision;
      reason = app.screening.reason || '';
      note = app.screening.note || '';
    }
    const back = reviewHash(listQuery);
    const ind = industryOf(ref, app.industry);
    // A step that leads nowhere is text, not a link without a target.
    const step = (id, target, key, label) => (target
      ? h('a', { class: 'btn btn-small', id, href: target.href, onclick: target.onclick, 'aria-keyshortcuts': key }, label)
      : h('span', { class: 'btn btn-small disabled', id, 'aria-disabled': 'true' }, label));
    const prevTarget = nb.prev ? { href: `#/review/${encodeURIComponent(nb.prev.id)}${queue ? '?queue=1' : ''}` } : null;
    let nextTarget = nb.next ? { href: `#/review/${encodeURIComponent(nb.next.id)}` } : null;
    if (queue) nextTarget = { href: '#/review/queue', onclick: (e) => { e.preventDefault(); next(); } };
    const stepper = h('nav', { class: 'actions', 'aria-label': t('review.title'), id: 'detail-nav' },
      step('detail-prev', prevTarget, 'P', [icon('← '), t('detail.prev')]),
      queue && remaining !== null ? h('span', { class: 'muted', id: 'queue-remaining', dataset: { n: remaining } }, t('queue.remaining', { n: formatNumber(remaining) })) : null,
      step('detail-next', nextTarget, 'N', [t('detail.next'), icon(' →')]));
    const frame = deck ? h('section', { class: 'panel deck-inline', id: 'deck-inline' },
      h('iframe', { id: 'deck-frame', src: deck.url, title: t('deck.frameTitle', { title: app.title || t('apps.untitled') }), class: 'deck-frame' })) : null;
    ctx.mount(h('div', { class: 'page review-detail', dataset: { id: app.id, queue: queue ? '1' : '0' } },
      h('p', { class: 'crumb' }, h('a', { href: back, id: 'back-to-list' }, icon('← '), t('review.back'))),
      stepper,
      h('div', { class: 'page-head' },
        h('div', {},
          h('h1', { id: 'detail-title' }, app.title || t('apps.untitled')),
          h('div', { class: 'status-line' },
            badge(app.status, { id: 'app-status' }),
            ind ? h('span', { class: ['industry-tag', ind.core ? 'core' : null] }, industryName(ind)) : null,
            app.country ? h('span', { class: 'muted' }, countryName(app.country)) : null))),
      message ? h('p', { class: 'form-error', role: 'alert', id: 'form-message' }, errorText(message)) : null,
      app.owner ? h('p', { class: 'applicant', id: 'detail-applicant' }, t('review.applicant'), ' ',
        h('strong', {}, app.owner.name), ' ', h('a', { href: `mailto:${app.owner.email}`, id: 'detail-applicant-email' }, app.owner.email), ' ',
        h('span', { class: 'badge', dataset: { confirmed: app.owner.emailConfirmedAt ? 'yes' : 'no' } },
          t(app.owner.emailConfirmedAt ? 'profile.confirmed' : 'profile.unconfirmed'))) : null,
      h('div', { class: 'detail-layout' },
        h('div', { class: 'detail-main' }, frame, appDetails(app, ref)),
        h('aside', { class: 'detail-side' },
          h('section', { class: 'panel', 'aria-labelledby': 'screen-title' },
            h('h2', { id: 'screen-title' }, t('screen.title')),
            screeningForm()),
          h('div', { class: 'panel' }, screeningBox(app, { heading: t('screen.current') })),
          historyPanel(),
          duplicatesPanel(),
          deckPanel(),
          h('section', { class: 'panel', id: 'conflicts-section', 'aria-labelledby': 'conflicts-title' },
            h('h2', { id: 'conflicts-title' }, t('detail.conflicts')),
            conflicts === null ? h('p', { class: 'muted' }, t('err.loadFailed'))
              : conflicts.length ? h('ul', { class: 'plain-list', id: 'conflict-list' }, conflicts.map((c) => h('li', { dataset: { judgeId: c.judgeId } },
                h('strong', {}, judgeNames[c.judgeId] || c.judgeId), ': ',
                c.reason ? h('span', { translate: 'no' }, c.reason) : h('span', { class: 'muted' }, t('detail.conflictNoReason')), ' ',
                h('span', { class: 'muted' }, timeEl(c.at)))))
                : h('p', { class: 'muted', id: 'conflict-none' }, t('detail.noConflicts'))))),
    ));
  }

  render(false);
  return { render, destroy: () => document.removeEventListener('keydown', onKey) };
}
