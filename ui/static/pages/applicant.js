// The applicant's pages: #/applications (the list), #/applications/new and
// #/applications/{id} (the form, read-only once submitted).

import { api, seg } from '../api.js';
import {
  t, industryName, formatMoney, formatNumber, timeZone,
} from '../i18n.js';
import {
  h, $, $$, toast, errorText, errText, setFieldError, fieldControl, field, options, badge, timeEl,
  loadRef, industryOf, countryItems, industryItems, stageItems, currencyItems, timeZoneItems,
  withBusy, charCount, isWebURL, errorPanel, counter, updateCounter, icon,
} from '../ui.js';
import {
  downloadDeck, deckInfo, screeningBox, withTime, pagedList,
} from './common.js';
import { changedSlots, yourTime } from './mysessions.js';

const PAGE_SIZE = 50;

export async function applicationsPage(ctx) {
  const ref = await loadRef();
  const apps = pagedList((c) => `/applications?limit=${PAGE_SIZE}${c ? `&cursor=${encodeURIComponent(c)}` : ''}`, () => render());
  await apps.load();
  // Pitch slots that moved since the applicant last looked: told here, in their time zone.
  let changed = [];
  try {
    const res = await api.get('/sessions');
    changed = changedSlots(((res && res.items) || []).filter((x) => x.state !== 'cancelled'));
  } catch { /* the list still shows */ }

  function render() {
    if (apps.error) { ctx.mount(errorPanel(apps.error, () => ctx.navigate('#/applications'))); return; }
    const table = apps.items.length
      ? h('table', { class: 'app-table', id: 'applications-list' },
        h('thead', {}, h('tr', {},
          h('th', { scope: 'col' }, t('apps.col.title')),
          h('th', { scope: 'col' }, t('apps.col.industry')),
          h('th', { scope: 'col' }, t('apps.col.status')),
          h('th', { scope: 'col' }, t('apps.col.updated')))),
        h('tbody', {}, apps.items.map((a) => h('tr', { class: 'app-row', dataset: { id: a.id, status: a.status } },
          h('td', { 'data-label': t('apps.col.title'), class: 'cell-title' },
            h('a', { href: `#/applications/${encodeURIComponent(a.id)}` }, a.title || t('apps.untitled'))),
          h('td', { 'data-label': t('apps.col.industry') }, industryName(industryOf(ref, a.industry)) || t('common.none')),
          h('td', { 'data-label': t('apps.col.status') }, badge(a.status)),
          h('td', { 'data-label': t('apps.col.updated') }, timeEl(a.updatedAt || a.createdAt))))))
      : h('p', { class: 'empty', id: 'applications-empty' }, t('apps.empty'));
    ctx.mount(h('div', { class: 'page' },
      h('div', { class: 'page-head' },
        h('div', {}, h('h1', {}, t('apps.title')), h('p', { class: 'lead' }, t('apps.intro'))),
        h('button', {
          type: 'button', id: 'new-application', class: 'btn btn-primary',
          onclick: () => ctx.navigate('#/applications/new'),
        }, t('apps.new'))),
      changed.length ? h('section', { class: 'panel notice', id: 'slot-changes', role: 'status' },
        h('ul', { class: 'plain-list' }, changed.map(({ sl }) => h('li', { class: 'slot-change', dataset: { applicationId: sl.applicationId } },
          t('apps.slotChanged', { title: sl.title || t('apps.untitled'), time: yourTime(sl.start) })))),
        h('a', { href: '#/my-sessions', id: 'slot-changes-link' }, t('apps.slotChangedLink'))) : null,
      h('section', { class: 'panel' }, table,
        apps.cursor ? h('div', { class: 'actions center' },
          h('button', { type: 'button', id: 'load-more', class: 'btn', onclick: apps.more }, t('apps.loadMore'))) : null),
    ));
  }

  render();
  return { render };
}

function blankApp() {
  return {
    id: '', status: 'draft', title: '', summary: '', industry: '', stage: '', country: '', timezone: '',
    team: [], fundingAsk: null, landingPlan: '', website: '', videoUrl: '', deck: null, screening: null,
  };
}

/** Whether the applicant may edit the application: the server says so (a new one is theirs to write). */
function canEdit(app) {
  return !app.id || !!(app.can && app.can.edit);
}

function fromApp(app) {
  return {
    title: app.title || '',
    summary: app.summary || '',
    industry: app.industry || '',
    stage: app.stage || '',
    country: app.country || '',
    timezone: app.timezone || (canEdit(app) ? timeZone() : ''),
    team: (app.team || []).map((m) => ({
      name: m.name || '', role: m.role || '', nationality: m.nationality || '', bio: m.bio || '',
    })),
    amount: app.fundingAsk ? String(app.fundingAsk.amount) : '',
    currency: app.fundingAsk ? app.fundingAsk.currency || '' : '',
    landingPlan: app.landingPlan || '',
    website: app.website || '',
    videoUrl: app.videoUrl || '',
  };
}

function cleanAmount(s) { return s.replace(/[\s,'_]/g, ''); }

/**
 * Live hints while the draft is written: the format of each field, with the
 * limits the server sent (lim, from /options). What a draft still needs
 * before it can be submitted is the server's to say (missingForSubmit).
 */
function validateAll(v, lim) {
  const e = {};
  const len = (s) => charCount(s.trim());
  const over = (s, max) => max !== undefined && len(s) > max;
  const maxLen = (n) => ({ k: 'v.maxLen', p: { n }, length: true });

  if (!v.title.trim()) e.title = { k: 'v.title' };
  else if (over(v.title, lim.title)) e.title = maxLen(lim.title);
  if (over(v.summary, lim.summary)) e.summary = maxLen(lim.summary);
  if (!v.industry) e.industry = { k: 'v.industry' };

  if (lim.teamMembers !== undefined && v.team.length > lim.teamMembers) e.team = { k: 'v.teamMax', p: { n: lim.teamMembers } };
  v.team.forEach((m, i) => {
    const p = `team[${i}].`;
    if (!m.name.trim()) e[`${p}name`] = { k: 'v.memberName' };
    else if (over(m.name, lim.name)) e[`${p}name`] = maxLen(lim.name);
    if (over(m.role, lim.memberRole)) e[`${p}role`] = maxLen(lim.memberRole);
    if (over(m.bio, lim.bio)) e[`${p}bio`] = maxLen(lim.bio);
  });

  const amount = cleanAmount(v.amount);
  if (amount !== '' || v.currency !== '') {
    if (amount === '') e['fundingAsk.amount'] = { k: 'v.amountNeeded' };
    else if (!/^\d+$/.test(amount) || (lim.fundingAmount !== undefined && Number(amount) > lim.fundingAmount)) {
      e['fundingAsk.amount'] = { k: 'v.amount', p: { max: formatNumber(lim.fundingAmount || 0) } };
    }
    if (!v.currency) e['fundingAsk.currency'] = { k: 'v.currency' };
  }

  if (over(v.landingPlan, lim.landingPlan)) e.landingPlan = maxLen(lim.landingPlan);
  if (v.website.trim() && !isWebURL(v.website.trim(), lim.url)) e.website = { k: 'v.url' };
  if (v.videoUrl.trim() && !isWebURL(v.videoUrl.trim(), lim.url)) e.videoUrl = { k: 'v.url' };
  return e;
}

/** The server's list of what a draft still lacks, as field errors. */
function missingErrs(app) {
  const map = {};
  for (const [k, m] of Object.entries((app && app.missingForSubmit) || {})) map[k] = { m };
  return map;
}

/** The PATCH/POST body: every field the applicant writes. */
function toPayload(v) {
  const body = {
    title: v.title.trim(),
    summary: v.summary.trim(),
    industry: v.industry,
    stage: v.stage,
    country: v.country,
    timezone: v.timezone,
    team: v.team.map((m) => ({
      name: m.name.trim(), role: m.role.trim(), nationality: m.nationality, bio: m.bio.trim(),
    })),
    landingPlan: v.landingPlan.trim(),
    website: v.website.trim(),
    videoUrl: v.videoUrl.trim(),
  };
  const amount = cleanAmount(v.amount);
  if (amount !== '' && v.currency) body.fundingAsk = { amount: Number(amount), currency: v.currency };
  return body;
}

/** The label of a field key, for the error summary. */
function labelOf(key) {
  const fixed = {
    title: 'app.title', summary: 'app.summary', industry: 'app.industry', stage: 'app.stage',
    country: 'app.country', timezone: 'app.timezone', team: 'app.members', fundingAsk: 'app.amount',
    'fundingAsk.amount': 'app.amount', 'fundingAsk.currency': 'app.currency', landingPlan: 'app.landing',
    website: 'app.website', videoUrl: 'app.video', deck: 'app.section.deck',
  };
  if (fixed[key]) return t(fixed[key]);
  const m = /^team\[(\d+)\]\.(\w+)$/.exec(key);
  if (m) {
    const part = { name: 'app.memberName', role: 'app.memberRole', nationality: 'app.memberNationality', bio: 'app.memberBio' }[m[2]];
    return `${t('app.member', { n: Number(m[1]) + 1 })}: ${part ? t(part) : m[2]}`;
  }
  return key;
}

// The order errors are listed and focused in: the order of the form.
function keyOrder(key) {
  const order = ['title', 'summary', 'industry', 'stage', 'country', 'timezone', 'team'];
  const i = order.indexOf(key);
  if (i >= 0) return i * 1000;
  const m = /^team\[(\d+)\]\.(\w+)$/.exec(key);
  if (m) return 6000 + Number(m[1]) * 10 + ['name', 'role', 'nationality', 'bio'].indexOf(m[2]) + 1;
  const rest = ['fundingAsk', 'fundingAsk.amount', 'fundingAsk.currency', 'landingPlan', 'website', 'videoUrl', 'deck'];
  const j = rest.indexOf(key);
  return j >= 0 ? 7000 + j : 9000;
}

export async function applicationPage(ctx) {
  const ref = await loadRef();
  let app;
  if (ctx.params.id) {
    try {
      app = await api.get(`/applications/${seg(ctx.params.id)}`);
    } catch (err) {
      if (err.status === 401) return null;
      ctx.mount(errorPanel(err, () => ctx.navigate(location.hash)));
      return null;
    }
  } else {
    app = blankApp();
  }

  let values = fromApp(app);
  let errs = {};            // field key -> {k, p} | {m}
  let triedSubmit = false;  // after a submit attempt, required fields are checked live
  let showSummary = false;  // after a failed save or submit, list the errors at the top
  let message = null;       // a form-level error (409, ...)
  let formEl = null;

  const lim = ref.limits;
  const editable = () => canEdit(app);

  function collect() {
    if (!formEl || !formEl.isConnected || !editable()) return;
    const val = (sel) => { const el = $(sel, formEl); return el ? el.value : ''; };
    values = {
      title: val('#app-title'),
      summary: val('#app-summary'),
      industry: val('#app-industry'),
      stage: val('#app-stage'),
      country: val('#app-country'),
      timezone: val('#app-timezone'),
      team: $$('.member', formEl).map((row) => ({
        name: $('.member-name', row).value,
        role: $('.member-role', row).value,
        nationality: $('.member-nationality', row).value,
        bio: $('.member-bio', row).value,
      })),
      amount: val('#app-amount'),
      currency: val('#app-currency'),
      landingPlan: val('#app-landing'),
      website: val('#app-website'),
      videoUrl: val('#app-video'),
    };
  }

  function setErr(key, e) {
    if (e) errs[key] = e; else delete errs[key];
    if (formEl) setFieldError(formEl, key, e);
    renderSummary();
  }

  function clearTeamErrs() {
    for (const k of Object.keys(errs)) if (k.startsWith('team[')) delete errs[k];
  }

  // Live checks: while typing only length errors appear (others only clear);
  // leaving a field the user has touched shows every error of it.
  function check(keys, onInput) {
    collect();
    const all = validateAll(values, lim);
    for (const key of keys) {
      const e = all[key] || null;
      // A server error stays until the user edits the field.
      if (!onInput && errs[key] && errs[key].m) continue;
      if (onInput && e && !errs[key] && !e.length) continue;
      if (!e && !errs[key]) continue;
      setErr(key, e);
    }
  }

  function wire(control, keys) {
    let dirty = false;
    control.addEventListener('input', () => { dirty = true; check(keys, true); });
    control.addEventListener('change', () => { dirty = true; check(keys, false); });
    control.addEventListener('blur', () => {
      if (dirty || control.value !== '' || keys.some((k) => errs[k])) check(keys, false);
    });
  }

  function renderSummary() {
    const box = document.getElementById('form-errors');
    if (!box) return;
    const keys = Object.keys(errs).sort((a, b) => keyOrder(a) - keyOrder(b));
    const visible = (showSummary && keys.length > 0) || !!message;
    box.hidden = !visible;
    if (!visible) { box.replaceChildren(); return; }
    const nodes = [];
    if (message) nodes.push(h('p', { class: 'form-message', id: 'form-message' }, errorText(message)));
    if (showSummary && keys.length) {
      nodes.push(h('p', { class: 'summary-title' }, t('err.summary')));
      nodes.push(h('ul', {}, keys.map((k) => h('li', {},
        h('button', {
          type: 'button', class: 'btn-link', dataset: { field: k },
          onclick: () => { const c = fieldControl(formEl || document, k); if (c) c.focus(); },
        }, labelOf(k)), ': ', errText(errs[k])))));
    }
    box.replaceChildren(...nodes);
  }

  function showErrors(map, { focus = true } = {}) {
    errs = { ...map };
    showSummary = true;
    render();
    const keys = Object.keys(errs).sort((a, b) => keyOrder(a) - keyOrder(b));
    if (focus && keys.length) {
      const c = fieldControl(formEl, keys[0]);
      if (c && !c.disabled) c.focus();
      else document.getElementById('form-errors')?.focus();
    }
  }

  function dropBlankMembers() {
    const before = values.team.length;
    values.team = values.team.filter((m) => m.name.trim() || m.role.trim() || m.nationality || m.bio.trim());
    return values.team.length !== before;
  }

  async function handleError(err) {
    if (err.status === 422 && err.fields && Object.keys(err.fields).length) {
      const map = {};
      for (const [k, m] of Object.entries(err.fields)) map[k] = { m };
      message = null;
      showErrors(map);
      toast(errorText(err), 'error');
      return;
    }
    if (err.status === 409 || err.status === 404) {
      // The application changed elsewhere (submitted, withdrawn): show it as it is now.
      message = err;
      if (app.id) {
        try { app = await api.get(`/applications/${seg(app.id)}`); values = fromApp(app); } catch { /* keep */ }
      }
      render(false);
      toast(errorText(err), 'error');
      return;
    }
    if (err.status === 401) return;
    message = err;
    renderSummary();
    toast(errorText(err), 'error');
  }

  /** Saves the draft (creating it on the new page). Returns true on success. */
  async function save({ announce = true } = {}) {
    collect();
    if (dropBlankMembers()) render(false);
    const found = validateAll(values, lim);
    // Keep a submit attempt's required-field errors visible while saving.
    if (Object.keys(found).length) {
      showErrors(triedSubmit ? { ...missingErrs(app), ...found } : found);
      toast(t('err.fieldsNeedAttention'), 'error');
      return false;
    }
    const body = toPayload(values);
    try {
      const created = !app.id;
      const res = created ? await api.post('/applications', body) : await api.patch(`/applications/${seg(app.id)}`, body);
      app = res;
      message = null;
      errs = triedSubmit ? missingErrs(app) : {};
      showSummary = false;
      if (created) {
        history.replaceState(null, '', `#/applications/${encodeURIComponent(app.id)}`);
        ctx.setName('application');
      }
      render();
      if (announce) toast(t(created ? 'app.created' : 'app.saved'), 'success');
      return true;
    } catch (err) {
      await handleError(err);
      return false;
    }
  }

  async function onSave(ev) {
    ev.preventDefault();
    if (!editable()) return;
    await withBusy($('#app-save'), () => save());
  }

  async function onSubmit() {
    if (!editable()) return;
    triedSubmit = true;
    collect();
    if (dropBlankMembers()) render(false);
    const found = validateAll(values, lim);
    if (Object.keys(found).length) {
      message = null;
      showErrors(found);
      toast(t('err.fieldsNeedAttention'), 'error');
      return;
    }
    await withBusy($('#app-submit'), async () => {
      if (!(await save({ announce: false }))) return;
      // The saved draft says what it still lacks.
      const missing = missingErrs(app);
      if (Object.keys(missing).length) {
        message = null;
        showErrors(missing);
        toast(t('err.fieldsNeedAttention'), 'error');
        return;
      }
      try {
        app = await api.post(`/applications/${seg(app.id)}/submit`);
        values = fromApp(app);
        errs = {};
        message = null;
        showSummary = false;
        render(false);
        toast(t('app.submitted'), 'success');
        document.getElementById('app-status')?.focus();
      } catch (err) {
        await handleError(err);
      }
    });
  }

  async function onWithdraw(ev) {
    // eslint-disable-next-line no-alert
    if (!window.confirm(t('app.confirmWithdraw'))) return;
    await withBusy(ev.currentTarget, async () => {
      try {
        app = await api.post(`/applications/${seg(app.id)}/withdraw`);
        values = fromApp(app);
        errs = {};
        message = null;
        render(false);
        toast(t('app.withdrawn'), 'success');
      } catch (err) {
        await handleError(err);
      }
    });
  }

  async function onUpload(ev) {
    const btn = ev.currentTarget;
    const input = $('#deck-file');
    const file = input && input.files && input.files[0];
    if (!file || !(file.type === 'application/pdf' || /\.pdf$/i.test(file.name))) {
      setErr('deck', { k: 'v.pdf' });
      input.focus();
      return;
    }
    if (lim.deckBytes !== undefined && file.size > lim.deckBytes) {
      setErr('deck', { k: 'v.pdfSize', p: { n: formatNumber(lim.deckBytes / (1024 * 1024)) } });
      input.focus();
      return;
    }
    setErr('deck', null);
    await withBusy(btn, async () => {
      if (!app.id && !(await save({ announce: false }))) return;
      btn.textContent = t('deck.uploading');
      try {
        const res = await api.put(`/applications/${seg(app.id)}/deck`, file, { contentType: 'application/pdf' });
        if (res && res.id && 'deck' in res) {
          app = { ...app, deck: res.deck, updatedAt: res.updatedAt || app.updatedAt };
        } else if (res && res.size !== undefined) {
          app = { ...app, deck: res };
        } else {
          app = { ...app, deck: (await api.get(`/applications/${seg(app.id)}`)).deck };
        }
        delete errs.deck;
        render();
        toast(t('deck.uploaded'), 'success');
        document.getElementById('deck-info')?.setAttribute('tabindex', '-1');
      } catch (err) {
        btn.textContent = t('deck.upload');
        if (err.status === 401) return;
        const m = (err.fields && (err.fields.deck || err.fields.file || Object.values(err.fields)[0])) || err.msg;
        setErr('deck', m ? { m } : { k: 'err.generic' });
        if (err.code === 'network') setErr('deck', { k: 'err.network' });
        toast(errorText(err), 'error');
      }
    });
  }

  function memberRow(m, i, canEdit) {
    const id = (part) => `member-${i}-${part}`;
    const key = (part) => `team[${i}].${part}`;
    const name = h('input', { id: id('name'), class: 'member-name', type: 'text', value: m.name, autocomplete: 'off' });
    const role = h('input', { id: id('role'), class: 'member-role', type: 'text', value: m.role, autocomplete: 'off' });
    const nat = h('select', { id: id('nationality'), class: 'member-nationality' },
      options(countryItems(ref), { placeholder: t('common.choose') }));
    nat.value = m.nationality;
    const bio = h('textarea', { id: id('bio'), class: 'member-bio', rows: '3' }, m.bio);
    if (canEdit) {
      wire(name, [key('name'), 'team']);
      wire(role, [key('role')]);
      wire(nat, [key('nationality')]);
      wire(bio, [key('bio')]);
    }
    return h('fieldset', { class: 'member', dataset: { index: i } },
      h('legend', {}, t('app.member', { n: i + 1 })),
      h('div', { class: 'grid-2' },
        field(key('name'), id('name'), name, { label: t('app.memberName') }),
        field(key('role'), id('role'), role, { label: t('app.memberRole') }),
        field(key('nationality'), id('nationality'), nat, { label: t('app.memberNationality') }),
      ),
      field(key('bio'), id('bio'), bio, { label: t('app.memberBio') }),
      canEdit ? h('div', { class: 'member-actions' },
        h('button', {
          type: 'button', class: 'btn btn-small btn-danger-ghost member-remove',
          'aria-label': t('app.removeMember', { n: i + 1 }),
          onclick: () => {
            collect();
            values.team.splice(i, 1);
            clearTeamErrs();
            render(false);
            const next = $$('.member-name', formEl)[Math.min(i, values.team.length - 1)];
            (next || $('#add-member')).focus();
          },
        }, t('app.remove'))) : null,
    );
  }

  function render(fromDom = true) {
    if (fromDom) collect();
    const focusedId = document.activeElement && document.activeElement.id;
    const canEdit = editable();
    const v = values;
    const title = app.id ? (app.title || t('apps.untitled')) : t('app.newHeading');

    const sel = (id, items, value, placeholder = t('common.choose')) => {
      const s = h('select', { id }, options(items, { placeholder }));
      s.value = value;
      return s;
    };

    const titleIn = h('input', { id: 'app-title', type: 'text', value: v.title, autocomplete: 'off', required: true });
    const summaryIn = h('textarea', { id: 'app-summary', rows: '6', 'aria-describedby': 'summary-count' }, v.summary);
    const summaryCount = counter('summary-count', charCount(v.summary), lim.summary);
    const industrySel = sel('app-industry', industryItems(ref), v.industry);
    const stageSel = sel('app-stage', stageItems(ref), v.stage);
    const countrySel = sel('app-country', countryItems(ref), v.country);
    const tzSel = sel('app-timezone', timeZoneItems(v.timezone, timeZone()), v.timezone);
    const amountIn = h('input', {
      id: 'app-amount', type: 'text', inputmode: 'numeric', value: v.amount, autocomplete: 'off',
      'aria-describedby': 'amount-preview',
    });
    const currencySel = sel('app-currency', currencyItems(ref), v.currency);
    const landingIn = h('textarea', { id: 'app-landing', rows: '6', 'aria-describedby': 'landing-count' }, v.landingPlan);
    const landingCount = counter('landing-count', charCount(v.landingPlan), lim.landingPlan);
    const websiteIn = h('input', { id: 'app-website', type: 'url', inputmode: 'url', value: v.website, placeholder: 'https://', autocomplete: 'url' });
    const videoIn = h('input', { id: 'app-video', type: 'url', inputmode: 'url', value: v.videoUrl, placeholder: 'https://' });
    const amountPreview = h('p', { id: 'amount-preview', class: 'help' }, previewMoney(v.amount, v.currency, lim.fundingAmount));

    if (canEdit) {
      wire(titleIn, ['title']);
      wire(summaryIn, ['summary']);
      summaryIn.addEventListener('input', () => updateCounter(summaryCount, charCount(summaryIn.value), lim.summary));
      wire(industrySel, ['industry']);
      wire(stageSel, ['stage']);
      wire(countrySel, ['country']);
      wire(tzSel, ['timezone']);
      wire(amountIn, ['fundingAsk.amount', 'fundingAsk']);
      wire(currencySel, ['fundingAsk.currency', 'fundingAsk']);
      const updPreview = () => { amountPreview.textContent = previewMoney(amountIn.value, currencySel.value, lim.fundingAmount); };
      amountIn.addEventListener('input', updPreview);
      currencySel.addEventListener('change', updPreview);
      wire(landingIn, ['landingPlan']);
      landingIn.addEventListener('input', () => updateCounter(landingCount, charCount(landingIn.value), lim.landingPlan));
      wire(websiteIn, ['website']);
      wire(videoIn, ['videoUrl']);
    }

    const members = v.team.map((m, i) => memberRow(m, i, canEdit));
    const addBtn = canEdit ? h('button', {
      type: 'button', id: 'add-member', class: 'btn', disabled: lim.teamMembers !== undefined && v.team.length >= lim.teamMembers,
      onclick: () => {
        collect();
        values.team.push({ name: '', role: '', nationality: '', bio: '' });
        if (errs.team) delete errs.team;
        render(false);
        const names = $$('.member-name', formEl);
        names[names.length - 1].focus();
      },
    }, icon('+ '), t('app.addMember')) : null;

    const fields = h('fieldset', { id: 'app-fields', class: 'plain', disabled: !canEdit },
      h('legend', { class: 'visually-hidden' }, title),
      h('section', { class: 'panel form-section' },
        h('h2', {}, t('app.section.project')),
        field('title', 'app-title', titleIn, { label: t('app.title') }),
        field('summary', 'app-summary', summaryIn, { label: t('app.summary'), help: t('app.summaryHelp'), extra: summaryCount }),
        h('div', { class: 'grid-2' },
          field('industry', 'app-industry', industrySel, { label: t('app.industry') }),
          field('stage', 'app-stage', stageSel, { label: t('app.stage') }))),
      h('section', { class: 'panel form-section' },
        h('h2', {}, t('app.section.base')),
        h('div', { class: 'grid-2' },
          field('country', 'app-country', countrySel, { label: t('app.country') }),
          field('timezone', 'app-timezone', tzSel, { label: t('app.timezone'), help: t('app.timezoneHelp') }))),
      h('section', { class: 'panel form-section' },
        h('h2', { id: 'team-heading' }, t('app.section.team')),
        h('div', { class: 'team', dataset: { fieldWrap: 'team' }, role: 'group', 'aria-labelledby': 'team-heading' },
          h('div', { id: 'members', class: 'members' }, members.length ? members : h('p', { class: 'muted', id: 'no-members' }, t('app.noMembers'))),
          addBtn)),
      h('section', { class: 'panel form-section' },
        h('h2', {}, t('app.section.funding')),
        h('div', { class: 'field-group', dataset: { fieldWrap: 'fundingAsk' } },
          h('div', { class: 'grid-2' },
            field('fundingAsk.amount', 'app-amount', amountIn, { label: t('app.amount'), help: t('app.amountHelp') }),
            field('fundingAsk.currency', 'app-currency', currencySel, { label: t('app.currency') })),
          amountPreview),
        field('landingPlan', 'app-landing', landingIn, { label: t('app.landing'), help: t('app.landingHelp'), extra: landingCount })),
      h('section', { class: 'panel form-section' },
        h('h2', {}, t('app.section.links')),
        h('div', { class: 'grid-2' },
          field('website', 'app-website', websiteIn, { label: t('app.website'), help: t('app.urlHelp'), optional: true }),
          field('videoUrl', 'app-video', videoIn, { label: t('app.video'), help: t('app.urlHelp'), optional: true }))),
    );

    if (!canEdit) {
      // The fieldset already disables them; mark each one too, for scripts that read .disabled.
      for (const c of fields.querySelectorAll('input, select, textarea, button')) c.disabled = true;
    }

    // The browser's own file button speaks the browser's language, not the
    // page's: the input stays (focusable, for the keyboard) under a label
    // styled as a button, and the chosen file's name is shown beside it.
    const deckName = h('span', { id: 'deck-file-name', class: 'file-name' }, t('deck.noFile'));
    const deckInput = h('input', {
      id: 'deck-file', type: 'file', class: 'file-input', accept: 'application/pdf,.pdf', disabled: !canEdit,
      'aria-describedby': 'deck-file-name',
      onchange: (e) => {
        const f = e.currentTarget.files && e.currentTarget.files[0];
        deckName.textContent = f ? f.name : t('deck.noFile');
      },
    });
    const deck = h('section', { class: 'panel form-section', id: 'deck-section' },
      h('h2', {}, t('app.section.deck')),
      deckInfo(app.deck),
      app.deck && app.id ? h('p', {},
        h('button', {
          type: 'button', id: 'deck-download', class: 'btn btn-link',
          onclick: (e) => downloadDeck(app, e.currentTarget),
        }, t('deck.download'))) : null,
      canEdit ? h('div', { class: 'deck-upload', dataset: { fieldWrap: 'deck' } },
        h('label', { for: 'deck-file' }, t('deck.file', { n: formatNumber((lim.deckBytes || 0) / (1024 * 1024)) })),
        h('div', { class: 'row-control' }, deckInput,
          h('label', { for: 'deck-file', class: 'btn file-button', id: 'deck-choose' }, t('deck.choose')),
          deckName,
          h('button', { type: 'button', id: 'deck-upload', class: 'btn', onclick: onUpload }, t('deck.upload'))))
        : h('p', { class: 'muted' }, t('deck.draftOnly')),
    );

    const canSubmit = canEdit && (!app.id || !!(app.can && app.can.submit));
    const actions = h('div', { class: 'actions sticky-actions' },
      canEdit ? h('button', { type: 'submit', id: 'app-save', class: 'btn' }, t('app.save')) : null,
      canSubmit ? h('button', { type: 'button', id: 'app-submit', class: 'btn btn-primary', onclick: onSubmit }, t('app.submit')) : null,
      app.id && app.can && app.can.withdraw
        ? h('button', { type: 'button', id: 'app-withdraw', class: 'btn btn-danger-ghost', onclick: onWithdraw }, t('app.withdraw'))
        : null,
    );

    formEl = h('form', { id: 'app-form', class: 'app-form', novalidate: true, onsubmit: onSave },
      canEdit ? h('p', { class: 'muted' }, t('app.requiredHint')) : null,
      fields, deck, actions);

    const statusLine = h('div', { class: 'status-line' },
      badge(app.status, { id: 'app-status', tabindex: '-1' }),
      app.submittedAt ? h('span', { class: 'muted' }, withTime('app.submittedAt', app.submittedAt)) : null,
      app.id && app.updatedAt ? h('span', { class: 'muted' }, withTime('app.lastSaved', app.updatedAt)) : null,
    );

    ctx.mount(h('div', { class: 'page application-page', dataset: { id: app.id || '' } },
      h('p', { class: 'crumb' }, h('a', { href: '#/applications', id: 'back-to-list' }, icon('← '), t('app.back'))),
      h('div', { class: 'page-head' }, h('div', {}, h('h1', { id: 'app-heading' }, title), statusLine)),
      !canEdit ? h('p', { class: 'notice', id: 'read-only-notice' }, t('app.readOnly', { status: t(`status.${app.status}`) })) : null,
      canEdit && !canSubmit ? h('p', { class: 'notice', id: 'submit-closed-notice' }, t('app.submitClosed')) : null,
      app.id && app.status !== 'draft' ? screeningBox(app) : null,
      h('div', { id: 'form-errors', class: 'error-summary', role: 'alert', tabindex: '-1', hidden: true }),
      formEl,
    ));
    for (const [key, e] of Object.entries(errs)) setFieldError(formEl, key, e);
    renderSummary();
    if (focusedId) {
      const again = document.getElementById(focusedId);
      if (again && !again.disabled) again.focus();
    }
  }

  render(false);
  return { render };
}

function previewMoney(amount, currency, max) {
  const a = cleanAmount(amount || '');
  if (!/^\d+$/.test(a) || !currency || (max !== undefined && Number(a) > max)) return '';
  return `= ${formatMoney(Number(a), currency)}`;
}
