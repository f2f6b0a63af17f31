// The organizer's pages: #/dashboard (the 1+8 grid), #/review (the list),
// #/review/{id} (one application and its screening) and #/users (invitations).

import { api, seg } from '../api.js';
import {
  t, industryName, countryName, formatNumber,
} from '../i18n.js';
import {
  h, $, toast, errorText, setFieldError, fieldControl, field, options, badge, timeEl, loadRef,
  industryOf, industryItems, countryItems, withBusy, charCount, errorPanel, counter, updateCounter, isEmail, icon,
} from '../ui.js';
import {
  downloadDeck, deckInfo, screeningBox, appDetails, pagedList,
} from './common.js';

const PAGE_SIZE = 50;
const LIST_KEY = 'roadshow.reviewQuery';

function reviewHash(industry, status) {
  const q = new URLSearchParams();
  if (industry) q.set('industry', industry);
  if (status) q.set('status', status);
  const s = q.toString();
  return s ? `#/review?${s}` : '#/review';
}

export async function dashboardPage(ctx) {
  const ref = await loadRef();
  const mail = await mailStatus();
  let summary = null;
  let loadError = null;
  try {
    summary = await api.get('/applications/summary');
  } catch (err) {
    loadError = err;
  }

  function countLink(ind, status, n) {
    return h('a', {
      class: ['count', `status-${status}`, n === 0 ? 'zero' : null],
      href: reviewHash(ind.code, status),
      dataset: { industry: ind.code, status, count: n },
      'aria-label': t('dash.countLabel', { industry: industryName(ind), status: t(`status.${status}`), n }),
    },
    h('span', { class: 'count-label' }, t(`status.${status}`)),
    h('span', { class: 'count-value' }, formatNumber(n)));
  }

  function render() {
    if (loadError) { ctx.mount(errorPanel(loadError, () => ctx.navigate('#/dashboard'))); return; }
    const statuses = ref.statuses;
    const rows = (summary.industries || []).map((row) => ({ ...industryOf(ref, row.code), ...row }));
    const totals = summary.totals || {};
    const cards = rows.map((row) => h('section', {
      class: ['industry-card', row.core ? 'core' : null],
      dataset: { industryCard: row.code },
      'aria-labelledby': `card-${row.code}`,
    },
    h('div', { class: 'card-head' },
      h('h2', { id: `card-${row.code}` },
        h('span', { class: ['tag', row.core ? 'tag-core' : 'tag-focus'] }, row.core ? `1 · ${t('dash.core')}` : `+8 · ${t('dash.focus')}`),
        h('span', { class: 'card-title' }, industryName(row))),
      h('a', {
        class: 'card-total', href: reviewHash(row.code, ''), dataset: { industryTotal: row.code, count: row.total || 0 },
        'aria-label': t('dash.totalLabel', { industry: industryName(row), n: row.total || 0 }),
      }, h('span', { class: 'count-value' }, formatNumber(row.total || 0)), h('span', { class: 'count-label' }, t('dash.total')))),
    h('ul', { class: 'counts' }, statuses.map((st) => h('li', {}, countLink(row, st, (row.counts && row.counts[st]) || 0))))));

    ctx.mount(h('div', { class: 'page' },
      h('div', { class: 'page-head' },
        h('div', {}, h('h1', {}, t('dash.title')), h('p', { class: 'lead' }, t('dash.intro')))),
      mailNotice(mail),
      h('section', { class: 'totals panel', 'aria-label': t('dash.allIndustries'), id: 'summary-totals' },
        h('a', { class: 'total-all', href: '#/review', dataset: { totalStatus: 'all', count: summary.total || 0 } },
          h('span', { class: 'count-value' }, formatNumber(summary.total || 0)),
          h('span', { class: 'count-label' }, t('dash.allIndustries'))),
        h('ul', { class: 'counts inline' }, statuses.map((st) => h('li', {},
          h('a', {
            class: ['count', `status-${st}`], href: reviewHash('', st), dataset: { totalStatus: st, count: totals[st] || 0 },
          }, h('span', { class: 'count-label' }, t(`status.${st}`)), h('span', { class: 'count-value' }, formatNumber(totals[st] || 0))))))),
      h('div', { class: 'summary-grid', id: 'summary-grid' }, cards),
    ));
  }

  render();
  return { render };
}

export async function reviewPage(ctx) {
  const ref = await loadRef();
  const industry = ctx.query.get('industry') || '';
  const status = ctx.query.get('status') || '';
  try { sessionStorage.setItem(LIST_KEY, reviewHash(industry, status)); } catch { /* ignore */ }
  function url(c) {
    const q = new URLSearchParams();
    if (industry) q.set('industry', industry);
    if (status) q.set('status', status);
    q.set('limit', String(PAGE_SIZE));
    if (c) q.set('cursor', c);
    return `/applications?${q}`;
  }

  const apps = pagedList(url, () => render());
  await apps.load();

  function row(a) {
    const href = `#/review/${encodeURIComponent(a.id)}`;
    return h('tr', {
      class: 'app-row', dataset: { id: a.id, status: a.status, industry: a.industry },
      onclick: (e) => { if (!(e.target instanceof HTMLAnchorElement)) ctx.navigate(href); },
    },
    h('td', { 'data-label': t('review.col.title'), class: 'cell-title' }, h('a', { href }, a.title || t('apps.untitled'))),
    h('td', { 'data-label': t('review.col.industry') }, industryName(industryOf(ref, a.industry)) || t('common.none')),
    h('td', { 'data-label': t('review.col.country') }, a.country ? countryName(a.country) : t('common.none')),
    h('td', { 'data-label': t('review.col.stage') }, a.stage ? t(`stage.${a.stage}`) : t('common.none')),
    h('td', { 'data-label': t('review.col.status') }, badge(a.status)),
    h('td', { 'data-label': t('review.col.submitted') }, timeEl(a.submittedAt)));
  }

  function render() {
    const indSel = h('select', {
      id: 'filter-industry',
      onchange: (e) => ctx.navigate(reviewHash(e.currentTarget.value, status)),
    }, options(industryItems(ref), { placeholder: t('review.allIndustries') }));
    indSel.value = industry;
    const stSel = h('select', {
      id: 'filter-status',
      onchange: (e) => ctx.navigate(reviewHash(industry, e.currentTarget.value)),
    }, options(ref.statuses.map((s) => [s, t(`status.${s}`)]), { placeholder: t('review.allStatuses') }));
    stSel.value = status;

    let body;
    if (apps.error) {
      body = h('p', { class: 'form-error', role: 'alert' }, errorText(apps.error));
    } else if (!apps.items.length) {
      body = h('p', { class: 'empty', id: 'review-empty' }, t('review.empty'));
    } else {
      body = h('table', { class: 'app-table', id: 'review-list' },
        h('thead', {}, h('tr', {},
          ['title', 'industry', 'country', 'stage', 'status', 'submitted'].map((c) => h('th', { scope: 'col' }, t(`review.col.${c}`))))),
        h('tbody', {}, apps.items.map(row)));
    }
    ctx.mount(h('div', { class: 'page' },
      h('div', { class: 'page-head' }, h('h1', {}, t('review.title'))),
      h('form', { class: 'filters panel', 'aria-label': t('review.filters'), onsubmit: (e) => e.preventDefault() },
        field('industry', 'filter-industry', indSel, { label: t('review.industry') }),
        field('status', 'filter-status', stSel, { label: t('review.status') })),
      h('section', { class: 'panel' },
        apps.error ? null : h('p', { class: 'muted', id: 'review-count', 'aria-live': 'polite' },
          t(apps.cursor ? 'review.showingMore' : 'review.showing', { n: formatNumber(apps.items.length) })),
        body,
        apps.cursor ? h('div', { class: 'actions center' },
          h('button', { type: 'button', id: 'load-more', class: 'btn', onclick: apps.more }, t('review.loadMore'))) : null),
    ));
  }

  render();
  return { render };
}

export async function reviewDetailPage(ctx) {
  const ref = await loadRef();
  let app;
  try {
    app = await api.get(`/applications/${seg(ctx.params.id)}`);
  } catch (err) {
    if (err.status === 401) return null;
    ctx.mount(errorPanel(err, () => ctx.navigate(location.hash)));
    return null;
  }
  // The conflicts of interest judges declared on it, with their reasons.
  let conflicts = null;
  const judgeNames = {};
  try {
    const [cs, js] = await Promise.all([api.get(`/applications/${seg(app.id)}/conflicts`), api.get('/users?role=judge')]);
    conflicts = (cs && cs.items) || [];
    for (const u of (js && js.items) || []) judgeNames[u.id] = u.name;
  } catch { /* shown as unavailable */ }
  let decision = app.screening ? app.screening.decision : '';
  let note = app.screening ? app.screening.note || '' : '';
  let errs = {};
  let message = null;

  const screenable = () => !!(app.can && app.can.screen);
  const noteMax = ref.limits.screeningNote;

  function readForm() {
    const form = $('#screening-form');
    if (!form) return;
    const checked = form.querySelector('input[name="decision"]:checked');
    decision = checked ? checked.value : '';
    note = $('#screen-note').value;
  }

  async function submit(ev) {
    ev.preventDefault();
    const form = ev.currentTarget;
    readForm();
    errs = {};
    message = null;
    if (decision !== 'eligible' && decision !== 'ineligible') errs.decision = { k: 'v.decision' };
    if (noteMax !== undefined && charCount(note.trim()) > noteMax) errs.note = { k: 'v.maxLen', p: { n: noteMax } };
    for (const k of ['decision', 'note']) setFieldError(form, k, errs[k] || null);
    if (Object.keys(errs).length) { fieldControl(form, Object.keys(errs)[0]).focus(); return; }
    await withBusy($('#screen-submit'), async () => {
      try {
        app = await api.patch(`/applications/${seg(app.id)}/screening`, { decision, note: note.trim() });
        decision = app.screening ? app.screening.decision : decision;
        note = app.screening ? app.screening.note || '' : note;
        render(false);
        toast(t('screen.saved'), 'success');
        $('#screen-submit')?.focus();
      } catch (err) {
        if (err.status === 401) return;
        if (err.status === 422 && err.fields) {
          for (const [k, m] of Object.entries(err.fields)) { errs[k] = { m }; setFieldError(form, k, errs[k]); }
        }
        if (err.status === 409) {
          try { app = await api.get(`/applications/${seg(app.id)}`); } catch { /* keep */ }
          message = err;
          render(false);
        }
        toast(errorText(err), 'error');
      }
    });
  }

  function screeningForm() {
    if (!screenable()) return h('p', { class: 'notice', id: 'screen-not-allowed' }, t('screen.notAllowed'));
    const radio = (value, id, labelKey) => h('label', { class: ['radio', `radio-${value}`], for: id },
      h('input', { type: 'radio', name: 'decision', id, value, checked: decision === value }),
      h('span', {}, t(labelKey)));
    const noteIn = h('textarea', { id: 'screen-note', rows: '4', 'aria-describedby': 'note-count' }, note);
    const noteCount = counter('note-count', charCount(note), noteMax);
    noteIn.addEventListener('input', () => updateCounter(noteCount, charCount(noteIn.value), noteMax));
    const form = h('form', { id: 'screening-form', class: 'stack', novalidate: true, onsubmit: submit },
      h('fieldset', { class: 'radios', dataset: { fieldWrap: 'decision' } },
        h('legend', {}, t('screen.decision')),
        h('div', { class: 'radio-row' },
          radio('eligible', 'screen-eligible', 'screen.eligible'),
          radio('ineligible', 'screen-ineligible', 'screen.ineligible'))),
      field('note', 'screen-note', noteIn, { label: t('screen.note'), help: t('screen.noteHelp'), optional: true, extra: noteCount }),
      h('div', { class: 'actions' }, h('button', { type: 'submit', id: 'screen-submit', class: 'btn btn-primary' }, t('screen.submit'))));
    for (const [k, e] of Object.entries(errs)) setFieldError(form, k, e);
    return form;
  }

  function render(fromDom = true) {
    if (fromDom) readForm();
    let back = '#/review';
    try { back = sessionStorage.getItem(LIST_KEY) || back; } catch { /* ignore */ }
    const ind = industryOf(ref, app.industry);
    ctx.mount(h('div', { class: 'page review-detail', dataset: { id: app.id } },
      h('p', { class: 'crumb' }, h('a', { href: back, id: 'back-to-list' }, icon('← '), t('review.back'))),
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
        h('div', { class: 'detail-main' }, appDetails(app, ref)),
        h('aside', { class: 'detail-side' },
          h('section', { class: 'panel', id: 'deck-section' },
            h('h2', {}, t('detail.deck')),
            deckInfo(app.deck),
            app.deck ? h('button', {
              type: 'button', id: 'deck-download', class: 'btn',
              onclick: (e) => downloadDeck(app, e.currentTarget),
            }, t('deck.download')) : null),
          h('div', { class: 'panel' }, screeningBox(app, { heading: t('screen.current') })),
          h('section', { class: 'panel', id: 'conflicts-section', 'aria-labelledby': 'conflicts-title' },
            h('h2', { id: 'conflicts-title' }, t('detail.conflicts')),
            conflicts === null ? h('p', { class: 'muted' }, t('err.loadFailed'))
              : conflicts.length ? h('ul', { class: 'plain-list', id: 'conflict-list' }, conflicts.map((c) => h('li', { dataset: { judgeId: c.judgeId } },
                h('strong', {}, judgeNames[c.judgeId] || c.judgeId), ': ',
                c.reason ? h('span', { translate: 'no' }, c.reason) : h('span', { class: 'muted' }, t('detail.conflictNoReason')), ' ',
                h('span', { class: 'muted' }, timeEl(c.at)))))
                : h('p', { class: 'muted', id: 'conflict-none' }, t('detail.noConflicts'))),
          h('section', { class: 'panel', 'aria-labelledby': 'screen-title' },
            h('h2', { id: 'screen-title' }, t('screen.title')),
            screeningForm()))),
    ));
  }

  render(false);
  return { render };
}

/** The state of e-mail {enabled, pending, failed}, or null. */
async function mailStatus() {
  try { return await api.get('/mail/status'); } catch { return null; }
}

/** Tells organizers that e-mail is off (and what waits) or failed. */
function mailNotice(st) {
  if (st && !st.enabled) {
    return h('p', { class: 'notice warn', id: 'mail-off', role: 'status' }, t('mail.off', { n: st.pending || 0 }));
  }
  if (st && st.failed) return h('p', { class: 'notice warn', id: 'mail-failed', role: 'status' }, t('mail.failed', { n: st.failed }));
  return null;
}

export async function usersPage(ctx) {
  const ref = await loadRef();
  const values = { email: '', name: '', role: 'judge', country: '' };
  let errs = {};
  let error = null;
  const query = ctx.query.get('q') || '';
  const roleFilter = ctx.query.get('role') || '';
  const mail = await mailStatus();
  const accounts = { items: [], cursor: '', error: null };
  const url = (cursor) => {
    const q = new URLSearchParams();
    if (query) q.set('q', query);
    if (roleFilter) q.set('role', roleFilter);
    q.set('limit', String(PAGE_SIZE));
    if (cursor) q.set('cursor', cursor);
    return `/accounts?${q}`;
  };
  async function load(cursor) {
    try {
      const page = await api.get(url(cursor));
      accounts.items = accounts.items.concat(page.items || []);
      accounts.cursor = page.nextCursor || '';
    } catch (err) {
      accounts.error = err;
    }
  }
  await load('');

  function usersHash(q, role) {
    const p = new URLSearchParams();
    if (q) p.set('q', q);
    if (role) p.set('role', role);
    const str = p.toString();
    return str ? `#/users?${str}` : '#/users';
  }

  function readForm() {
    if (!$('#invite-form')) return;
    values.email = $('#user-email').value;
    values.name = $('#user-name').value;
    values.role = $('#user-role').value;
    values.country = $('#user-country').value;
  }

  async function submit(ev) {
    ev.preventDefault();
    const form = ev.currentTarget;
    readForm();
    error = null;
    errs = {};
    const email = values.email.trim();
    const name = values.name.trim();
    if (!isEmail(email, ref.limits.email)) errs.email = { k: 'v.email' };
    if (!name) errs.name = { k: 'v.name' };
    if (!ref.staffRoles.includes(values.role)) errs.role = { k: 'v.role' };
    for (const k of ['email', 'name', 'role', 'country']) setFieldError(form, k, errs[k] || null);
    const formErr = $('#invite-error');
    formErr.hidden = true;
    const first = Object.keys(errs)[0];
    if (first) { fieldControl(form, first).focus(); return; }
    const body = { email, name, role: values.role };
    if (values.country) body.country = values.country;
    await withBusy($('#user-submit'), async () => {
      try {
        const u = await api.post('/users', body);
        accounts.items.unshift(u);
        Object.assign(values, { email: '', name: '', country: '' });
        render(false);
        toast(t('users.invited', { name: u.name, role: t(`role.${u.role}`) }), 'success');
        $('#user-email').focus();
      } catch (err) {
        if (err.status === 401) return;
        error = err;
        if (err.status === 409) {
          const taken = err.fields.email || err.msg;
          errs.email = taken ? { m: taken } : { k: 'v.emailTaken' };
          setFieldError(form, 'email', errs.email);
          fieldControl(form, 'email').focus();
          return;
        }
        if (err.status === 422 && err.fields) {
          for (const [k, m] of Object.entries(err.fields)) { errs[k] = { m }; setFieldError(form, k, errs[k]); }
        }
        formErr.textContent = errorText(err);
        formErr.hidden = false;
      }
    });
  }

  /** Replaces the account u in the list (after a change) and re-renders. */
  function replace(u) {
    const i = accounts.items.findIndex((x) => x.id === u.id);
    if (i >= 0) accounts.items[i] = u;
    render();
  }

  async function act(button, fn, done) {
    await withBusy(button, async () => {
      try {
        const u = await fn();
        replace(u);
        if (done) toast(done(u), 'success');
        document.querySelector(`[data-account="${u.id}"] .account-name`)?.focus();
      } catch (err) {
        toast(errorText(err), 'error');
      }
    });
  }

  function accountRow(u) {
    const can = u.can || {};
    const nameIn = h('input', { type: 'text', class: 'account-name', value: u.name, 'aria-label': t('users.nameOf', { email: u.email }) });
    const roleSel = h('select', { class: 'account-role', disabled: !can.changeRole, 'aria-label': t('users.roleOf', { email: u.email }) },
      options(['applicant', 'judge', 'investor', 'organizer'].map((r) => [r, t(`role.${r}`)])));
    roleSel.value = u.role;
    const state = u.disabled ? 'disabled' : (!u.activated ? 'invited' : (u.emailConfirmedAt ? 'confirmed' : 'unconfirmed'));
    return h('tr', { class: 'account-row', dataset: { account: u.id, state } },
      h('td', { 'data-label': t('users.name') }, nameIn),
      h('td', { 'data-label': t('users.email') }, h('span', { class: 'account-email' }, u.email)),
      h('td', { 'data-label': t('users.role') }, roleSel),
      h('td', { 'data-label': t('users.state') }, h('span', { class: `badge account-state state-${state}` }, t(`users.state.${state}`))),
      h('td', { class: 'account-actions' },
        h('button', {
          type: 'button', class: 'btn btn-small account-save',
          onclick: (e) => {
            const body = { name: nameIn.value };
            if (can.changeRole && roleSel.value !== u.role) body.role = roleSel.value;
            act(e.currentTarget, () => api.patch(`/accounts/${seg(u.id)}`, body), () => t('users.saved', { name: nameIn.value }));
          },
        }, t('users.save')),
        !can.disable ? null : h('button', {
          type: 'button', class: 'btn btn-small account-disable',
          onclick: (e) => act(e.currentTarget, () => api.patch(`/accounts/${seg(u.id)}`, { disabled: !u.disabled }),
            (x) => t(x.disabled ? 'users.disabledDone' : 'users.enabledDone', { name: x.name })),
        }, t(u.disabled ? 'users.enable' : 'users.disable')),
        !can.sendAccess ? null : h('button', {
          type: 'button', class: 'btn btn-small account-send',
          onclick: (e) => act(e.currentTarget, () => api.post(`/accounts/${seg(u.id)}/send-access`),
            (x) => t(x.activated ? 'users.resetSent' : 'users.inviteSent', { email: x.email })),
        }, t(u.activated ? 'users.sendReset' : 'users.sendInvite'))));
  }

  function render(fromDom = true) {
    if (fromDom) readForm();
    const roleSel = h('select', { id: 'user-role' },
      options(ref.staffRoles.map((r) => [r, t(`role.${r}`)])));
    roleSel.value = values.role;
    const countrySel = h('select', { id: 'user-country', autocomplete: 'off' },
      options(countryItems(ref), { placeholder: t('common.choose') }));
    countrySel.value = values.country;
    const form = h('form', { id: 'invite-form', class: 'stack', novalidate: true, onsubmit: submit },
      h('div', { class: 'grid-2' },
        field('email', 'user-email', h('input', {
          id: 'user-email', type: 'email', autocomplete: 'off', value: values.email, spellcheck: 'false', autocapitalize: 'none',
        }), { label: t('users.email') }),
        field('name', 'user-name', h('input', { id: 'user-name', type: 'text', autocomplete: 'off', value: values.name }), { label: t('users.name') }),
        field('role', 'user-role', roleSel, { label: t('users.role') }),
        field('country', 'user-country', countrySel, { label: t('users.country'), optional: true })),
      h('p', { class: 'help' }, t('users.inviteHelp')),
      h('p', { class: 'form-error', id: 'invite-error', role: 'alert', hidden: !error }, error ? errorText(error) : ''),
      h('div', { class: 'actions' }, h('button', { type: 'submit', id: 'user-submit', class: 'btn btn-primary' }, t('users.submit'))));
    for (const [k, e] of Object.entries(errs)) setFieldError(form, k, e);

    const search = h('input', { id: 'accounts-q', type: 'search', value: query });
    const filter = h('select', { id: 'accounts-role', onchange: (e) => ctx.navigate(usersHash(search.value.trim(), e.currentTarget.value)) },
      options(['applicant', 'judge', 'investor', 'organizer'].map((r) => [r, t(`role.${r}`)]), { placeholder: t('users.allRoles') }));
    filter.value = roleFilter;
    let list;
    if (accounts.error) list = h('p', { class: 'form-error', role: 'alert' }, errorText(accounts.error));
    else if (!accounts.items.length) list = h('p', { class: 'empty', id: 'accounts-empty' }, t('users.none'));
    else {
      list = h('table', { class: 'app-table', id: 'accounts-list' },
        h('thead', {}, h('tr', {}, ['name', 'email', 'role', 'state', 'actions'].map((c) => h('th', { scope: 'col' }, t(`users.col.${c}`))))),
        h('tbody', {}, accounts.items.map(accountRow)));
    }
    ctx.mount(h('div', { class: 'page' },
      h('div', { class: 'page-head' }, h('div', {}, h('h1', {}, t('users.title')), h('p', { class: 'lead' }, t('users.intro')))),
      mailNotice(mail),
      h('section', { class: 'panel', 'aria-labelledby': 'accounts-heading' },
        h('h2', { id: 'accounts-heading' }, t('users.accounts')),
        h('form', { class: 'filters', role: 'search', onsubmit: (e) => { e.preventDefault(); ctx.navigate(usersHash(search.value.trim(), filter.value)); } },
          field('q', 'accounts-q', search, { label: t('users.search') }),
          field('role', 'accounts-role', filter, { label: t('users.role') }),
          h('div', { class: 'actions' }, h('button', { type: 'submit', id: 'accounts-search', class: 'btn' }, t('users.searchSubmit')))),
        list,
        accounts.cursor ? h('div', { class: 'actions center' }, h('button', {
          type: 'button', id: 'accounts-more', class: 'btn',
          onclick: (e) => withBusy(e.currentTarget, async () => { await load(accounts.cursor); render(); }),
        }, t('review.loadMore'))) : null),
      h('section', { class: 'panel narrow', 'aria-labelledby': 'invite-heading' }, h('h2', { id: 'invite-heading' }, t('users.inviteTitle')), form),
    ));
  }

  render(false);
  return { render };
}
