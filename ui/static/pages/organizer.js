// The organizer's pages: #/dashboard (the 1+8 grid) and #/users
// (invitations); the screening pages are in screening.js.

import { api, seg } from '../api.js';
import { t, industryName, formatNumber } from '../i18n.js';
import {
  h, $, toast, errorText, setFieldError, fieldControl, field, options, loadRef,
  industryOf, countryItems, withBusy, errorPanel, isEmail,
} from '../ui.js';

const PAGE_SIZE = 50;

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
        class: 'card-total', href: reviewHash(row.code, 'all'), dataset: { industryTotal: row.code, count: row.total || 0 },
        'aria-label': t('dash.totalLabel', { industry: industryName(row), n: row.total || 0 }),
      }, h('span', { class: 'count-value' }, formatNumber(row.total || 0)), h('span', { class: 'count-label' }, t('dash.total')))),
    h('ul', { class: 'counts' }, statuses.map((st) => h('li', {}, countLink(row, st, (row.counts && row.counts[st]) || 0))))));

    ctx.mount(h('div', { class: 'page' },
      h('div', { class: 'page-head' },
        h('div', {}, h('h1', {}, t('dash.title')), h('p', { class: 'lead' }, t('dash.intro')))),
      mailNotice(mail),
      h('section', { class: 'totals panel', 'aria-label': t('dash.allIndustries'), id: 'summary-totals' },
        h('a', { class: 'total-all', href: reviewHash('', 'all'), dataset: { totalStatus: 'all', count: summary.total || 0 } },
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
