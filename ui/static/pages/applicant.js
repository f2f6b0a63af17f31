// The applicant's pages: #/applications (the list), #/applications/new and
// #/applications/{id} (the form, read-only once submitted).

import { api, seg } from '../api.js';
import {
  t, industryName, formatMoney, formatNumber, timeZone, formatIn, countryName, zoneLabel,
} from '../i18n.js';
import {
  h, $, $$, toast, errorText, errText, setFieldError, fieldControl, field, options, badge, timeEl,
  loadRef, industryOf, countryItems, industryItems, stageItems, currencyItems, timeZoneItems,
  withBusy, charCount, isWebURL, errorPanel, counter, updateCounter, icon,
} from '../ui.js';
import {
  downloadDeck, deckInfo, screeningBox, withTime, pagedList, appDetails,
} from './common.js';
import { changedSlots, yourTime } from './mysessions.js';
import {
  loadDeadline, applicantZone, deadlinePassed, deadlineNotice, tickUntil,
} from './deadline.js';

const PAGE_SIZE = 50;

export async function applicationsPage(ctx) {
  const ref = await loadRef();
  const apps = pagedList((c) => `/applications?limit=${PAGE_SIZE}${c ? `&cursor=${encodeURIComponent(c)}` : ''}`, () => render());
  await apps.load();
  const deadline = await loadDeadline();
  const zone = applicantZone(ctx.user);
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
        deadlinePassed(deadline) ? null : h('button', {
          type: 'button', id: 'new-application', class: 'btn btn-primary',
          onclick: () => ctx.navigate('#/applications/new'),
        }, t('apps.new'))),
      deadlineNotice(deadline, zone),
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
  const stop = tickUntil(deadline, zone, render);
  return { render, destroy: stop };
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
  const deadline = await loadDeadline();
  const zone = applicantZone(ctx.user);
  let app;
  if (!ctx.params.id && deadlinePassed(deadline)) {
    // Refused before any typing: the server would refuse the draft too.
    const closed = () => ctx.mount(h('div', { class: 'page application-page' },
      h('p', { class: 'crumb' }, h('a', { href: '#/applications', id: 'back-to-list' }, icon('← '), t('app.back'))),
      h('h1', { id: 'app-heading' }, t('app.newHeading')),
      deadlineNotice(deadline, zone),
      h('p', { class: 'panel', id: 'closed-notice' }, t('app.closedNew'))));
    closed();
    return { render: closed };
  }
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

  // Autosave: each change goes to the server as a draft after a pause in
  // typing; until it is there, a copy waits in localStorage (per user and
  // application) and is restored after a reload.
  const AUTOSAVE_MS = 800;
  const RETRY_MAX_MS = 30000;
  const userId = (ctx.user && ctx.user.id) || '';
  const draftKey = (id = app.id) => `roadshow.draft.${userId}.${id || 'new'}`;
  let saveState = app.id ? 'saved' : 'idle'; // idle, pending, unsaved, saving, saved, offline, invalid, error
  let saveError = null;
  let dirty = false;   // changes that are not on the server yet
  let inFlight = null; // the running save, if any
  let saveTimer = 0;
  let retryTimer = 0;
  let retryDelay = 0;
  let restored = false;
  let leaving = false;

  function readLocal() {
    try { return JSON.parse(localStorage.getItem(draftKey()) || 'null'); } catch { return null; }
  }
  function storeLocal() {
    try { localStorage.setItem(draftKey(), JSON.stringify({ values, at: Date.now() })); } catch { /* full or off */ }
  }
  function clearLocal(id) {
    try { localStorage.removeItem(draftKey(id)); } catch { /* ignore */ }
  }
  /** Takes what a kept copy has of each field, in the shape the form uses. */
  function mergeKept(kept) {
    const out = { ...values };
    if (!kept || typeof kept !== 'object') return out;
    for (const k of Object.keys(out)) {
      if (k === 'team') {
        if (Array.isArray(kept.team)) {
          out.team = kept.team.filter((m) => m && typeof m === 'object').map((m) => ({
            name: String(m.name || ''), role: String(m.role || ''), nationality: String(m.nationality || ''), bio: String(m.bio || ''),
          }));
        }
      } else if (typeof kept[k] === 'string') {
        out[k] = kept[k];
      }
    }
    return out;
  }
  {
    const kept = readLocal();
    if (kept && editable()) {
      const merged = mergeKept(kept.values);
      if (JSON.stringify(merged) !== JSON.stringify(values)) {
        values = merged;
        dirty = true;
        restored = true;
        saveState = 'unsaved';
      } else {
        clearLocal();
      }
    } else if (kept) {
      clearLocal(); // no longer a draft: nothing to apply it to
    }
  }

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

  function saveStateEl() {
    const retry = () => h('button', { type: 'button', id: 'save-retry', class: 'btn btn-small', onclick: () => { retryDelay = 0; autosave(); } }, t('save.retry'));
    let body;
    switch (saveState) {
      case 'pending': body = [t('save.pending')]; break;
      case 'unsaved': body = [t('save.unsaved')]; break;
      case 'saving': body = [t('save.saving')]; break;
      case 'saved': body = app.updatedAt ? [withTime('save.savedAt', app.updatedAt)] : [t('save.saved')]; break;
      case 'offline': body = [t('save.offline'), ' ', retry()]; break;
      case 'invalid': body = [t('save.invalid')]; break;
      case 'error': body = [t('save.error', { reason: errorText(saveError) }), ' ', retry()]; break;
      default: body = [];
    }
    return h('p', { id: 'save-state', class: `save-state save-${saveState}`, role: 'status', dataset: { state: saveState } }, body);
  }

  function setSaveState(state, err = null) {
    saveState = state;
    saveError = err;
    const old = document.getElementById('save-state');
    if (old) old.replaceWith(saveStateEl());
  }

  /** Whether something typed is not on the server yet. */
  const unsaved = () => editable() && (dirty || !!inFlight);

  /** A change in the form: keep it locally and save it after a pause. */
  function changed() {
    if (!editable()) return;
    collect();
    dirty = true;
    storeLocal();
    if (saveState !== 'saving' && saveState !== 'unsaved') setSaveState('unsaved');
    clearTimeout(saveTimer);
    saveTimer = setTimeout(autosave, AUTOSAVE_MS);
  }

  /** The fields that can be saved now: those without a format error. */
  function autosaveBody() {
    const body = toPayload(values);
    const found = validateAll(values, lim);
    for (const k of Object.keys(found)) delete body[k.split(/[.[]/)[0]];
    if (!app.id && (!body.title || !body.industry)) return { body: null, state: 'pending' };
    if (!Object.keys(body).length) return { body: null, state: 'invalid' };
    return { body, state: Object.keys(found).length ? 'invalid' : 'saved' };
  }

  function retryLater() {
    clearTimeout(retryTimer);
    retryDelay = Math.min(RETRY_MAX_MS, retryDelay ? retryDelay * 2 : 2000);
    retryTimer = setTimeout(autosave, retryDelay);
  }

  /** Saves what can be saved of the draft without redrawing the form. */
  function autosave() {
    clearTimeout(saveTimer);
    clearTimeout(retryTimer);
    if (inFlight) return inFlight;
    if (!editable() || !dirty) return Promise.resolve(true);
    if (formEl && formEl.isConnected) collect();
    const { body, state } = autosaveBody();
    if (!body) { setSaveState(state); return Promise.resolve(false); }
    dirty = false; // a change while the request runs sets it again
    const sent = JSON.stringify(values);
    setSaveState('saving');
    inFlight = (async () => {
      try {
        const created = !app.id;
        const res = created ? await api.post('/applications', body) : await api.patch(`/applications/${seg(app.id)}`, body);
        app = res;
        retryDelay = 0;
        if (created) {
          clearLocal('');
          history.replaceState(null, '', `#/applications/${encodeURIComponent(app.id)}`);
          ctx.setName('application');
          const page = document.querySelector('.application-page');
          if (page) page.dataset.id = app.id;
          // Not redrawn while the applicant types: the heading follows.
          const heading = document.getElementById('app-heading');
          if (heading && !leaving) heading.textContent = app.title || t('apps.untitled');
        }
        if (dirty || JSON.stringify(values) !== sent) storeLocal(); else clearLocal();
        if (state === 'invalid') dirty = true;
        setSaveState(state === 'invalid' ? 'invalid' : (dirty ? 'unsaved' : 'saved'));
        return state !== 'invalid';
      } catch (err) {
        dirty = true;
        if (err.status === 401) return false;
        if (err.code === 'network' || err.status === 0) {
          setSaveState('offline', err);
          retryLater();
        } else if (err.status >= 500 || err.status === 429) {
          setSaveState('error', err);
          retryLater();
        } else if (err.status === 422 && err.fields) {
          setSaveState('invalid', err);
          for (const [k, m] of Object.entries(err.fields)) setErr(k, { m });
        } else {
          // 409/404: submitted or withdrawn elsewhere, or the deadline passed.
          setSaveState('error', err);
          if (!leaving) await handleError(err);
        }
        return false;
      } finally {
        inFlight = null;
        if (dirty && !leaving && ['saved', 'saving', 'unsaved'].includes(saveState)) {
          clearTimeout(saveTimer);
          saveTimer = setTimeout(autosave, AUTOSAVE_MS);
        }
      }
    })();
    return inFlight;
  }

  const onOnline = () => { if (dirty && (saveState === 'offline' || saveState === 'error')) { retryDelay = 0; autosave(); } };
  const onBeforeUnload = (e) => {
    if (!unsaved()) return;
    storeLocal();
    e.preventDefault();
    e.returnValue = '';
  };
  window.addEventListener('online', onOnline);
  window.addEventListener('beforeunload', onBeforeUnload);

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
    let touched = false;
    control.addEventListener('input', () => { touched = true; check(keys, true); changed(); });
    control.addEventListener('change', () => { touched = true; check(keys, false); changed(); });
    control.addEventListener('blur', () => {
      if (touched || control.value !== '' || keys.some((k) => errs[k])) check(keys, false);
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
      toast(() => errorText(err), 'error');
      return;
    }
    if (err.status === 409 || err.status === 404) {
      // The application changed elsewhere (submitted, withdrawn): show it as it is now.
      message = err;
      if (app.id) {
        try { app = await api.get(`/applications/${seg(app.id)}`); values = fromApp(app); } catch { /* keep */ }
      }
      render(false);
      toast(() => errorText(err), 'error');
      return;
    }
    if (err.status === 401) return;
    message = err;
    renderSummary();
    toast(() => errorText(err), 'error');
  }

  /** Saves the draft (creating it on the new page). Returns true on success. */
  async function save({ announce = true } = {}) {
    clearTimeout(saveTimer);
    clearTimeout(retryTimer);
    if (inFlight) await inFlight;
    collect();
    if (dropBlankMembers()) render(false);
    const found = validateAll(values, lim);
    // Keep a submit attempt's required-field errors visible while saving.
    if (Object.keys(found).length) {
      showErrors(triedSubmit ? { ...missingErrs(app), ...found } : found);
      toast(() => t('err.fieldsNeedAttention'), 'error');
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
      dirty = false;
      retryDelay = 0;
      saveState = 'saved';
      clearLocal('');
      if (created) {
        history.replaceState(null, '', `#/applications/${encodeURIComponent(app.id)}`);
        ctx.setName('application');
      }
      clearLocal();
      render();
      if (announce) toast(() => t(created ? 'app.created' : 'app.saved'), 'success');
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
      toast(() => t('err.fieldsNeedAttention'), 'error');
      return;
    }
    await withBusy($('#app-submit'), async () => {
      if (!(await save({ announce: false }))) return;
      // The saved draft says what it still lacks.
      const missing = missingErrs(app);
      if (Object.keys(missing).length) {
        message = null;
        showErrors(missing);
        toast(() => t('err.fieldsNeedAttention'), 'error');
        return;
      }
      if (!(await confirmSubmit())) return;
      try {
        app = await api.post(`/applications/${seg(app.id)}/submit`);
        values = fromApp(app);
        errs = {};
        message = null;
        showSummary = false;
        clearLocal();
        render(false);
        toast(() => t('app.submitted'), 'success');
        document.getElementById('app-status')?.focus();
      } catch (err) {
        await handleError(err);
      }
    });
  }

  /**
   * Asks before submitting, naming what will be locked and until when it
   * can be reopened. Resolves true to submit.
   */
  function confirmSubmit() {
    return new Promise((resolve) => {
      const locked = ['app.section.project', 'app.section.base', 'app.section.team', 'app.section.funding', 'app.section.links', 'app.section.deck'];
      const dlg = h('dialog', { id: 'submit-confirm', class: 'dialog', 'aria-labelledby': 'submit-confirm-title', 'aria-describedby': 'submit-confirm-text' },
        h('h2', { id: 'submit-confirm-title' }, t('app.confirmSubmitTitle', { title: values.title.trim() || t('apps.untitled') })),
        h('p', { id: 'submit-confirm-text' }, t('app.confirmSubmitLocked')),
        h('ul', { id: 'submit-confirm-locked' }, locked.map((k) => h('li', {}, k === 'app.section.deck' && !app.deck ? `${t(k)} (${t('deck.none')})` : t(k)))),
        h('p', { class: 'muted' }, deadline
          ? t('app.confirmSubmitReopen', { time: formatIn(deadline, zone, { zoneName: true }) })
          : t('app.confirmSubmitReopenAny')),
        h('div', { class: 'actions' },
          h('button', { type: 'button', id: 'submit-confirm-cancel', class: 'btn', onclick: () => close(false) }, t('common.cancel')),
          h('button', { type: 'button', id: 'submit-confirm-ok', class: 'btn btn-primary', onclick: () => close(true) }, t('app.submit'))));
      let done = false;
      function close(ok) {
        if (done) return;
        done = true;
        if (dlg.open) dlg.close();
        dlg.remove();
        resolve(ok);
      }
      dlg.addEventListener('cancel', (e) => { e.preventDefault(); close(false); });
      document.body.append(dlg);
      dlg.showModal();
      dlg.querySelector('#submit-confirm-cancel').focus();
    });
  }

  async function onReopen(ev) {
    // eslint-disable-next-line no-alert
    if (!window.confirm(t('app.confirmReopen'))) return;
    await withBusy(ev.currentTarget, async () => {
      try {
        app = await api.post(`/applications/${seg(app.id)}/reopen`);
        values = fromApp(app);
        errs = {};
        message = null;
        dirty = false;
        saveState = 'saved';
        render(false);
        toast(() => t('app.reopened'), 'success');
        document.getElementById('app-title')?.focus();
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
        toast(() => t('app.withdrawn'), 'success');
      } catch (err) {
        await handleError(err);
      }
    });
  }

  /** Uploads the chosen file at once: choosing it is the one step. */
  async function onUpload() {
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
    const status = $('#deck-file-name');
    const section = $('#deck-section');
    await withBusy(input, async () => {
      if (!app.id && !(await save({ announce: false }))) return;
      if (status) status.textContent = t('deck.uploading');
      if (section) section.setAttribute('aria-busy', 'true');
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
        toast(() => t('deck.uploaded'), 'success');
        document.getElementById('deck-info')?.setAttribute('tabindex', '-1');
      } catch (err) {
        if (status) status.textContent = t('deck.noFile');
        if (section) section.removeAttribute('aria-busy');
        input.value = ''; // choosing the same file again tries again
        if (err.status === 401) return;
        const m = (err.fields && (err.fields.deck || err.fields.file || Object.values(err.fields)[0])) || err.msg;
        setErr('deck', m ? { m } : { k: 'err.generic' });
        if (err.code === 'network') setErr('deck', { k: 'err.network' });
        toast(() => errorText(err), 'error');
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
            changed();
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
        if (f) onUpload();
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
          deckName))
        : h('p', { class: 'muted' }, t('deck.draftOnly')),
    );

    const canSubmit = canEdit && (!app.id || !!(app.can && app.can.submit));
    const actions = h('div', { class: 'actions sticky-actions' },
      canEdit ? h('button', { type: 'submit', id: 'app-save', class: 'btn' }, t('app.save')) : null,
      canSubmit ? h('button', { type: 'button', id: 'app-submit', class: 'btn btn-primary', onclick: onSubmit }, t('app.submit')) : null,
      app.id && app.can && app.can.reopen
        ? h('button', { type: 'button', id: 'app-reopen', class: 'btn', onclick: onReopen }, t('app.reopen'))
        : null,
      app.id && app.can && app.can.withdraw
        ? h('button', { type: 'button', id: 'app-withdraw', class: 'btn btn-danger-ghost', onclick: onWithdraw }, t('app.withdraw'))
        : null,
    );

    const events = (app.history || []).filter((e) => e && e.kind === 'reopened');
    const historyBox = events.length ? h('section', { class: 'panel', id: 'app-history', 'aria-labelledby': 'app-history-heading' },
      h('h2', { id: 'app-history-heading' }, t('app.history')),
      h('ul', { class: 'plain-list' }, events.map((e) => h('li', { class: 'history-entry', dataset: { kind: e.kind } },
        withTime('app.historyReopened', e.at))))) : null;

    // A draft is a form; anything else reads as what was sent, not as a
    // greyed-out form.
    formEl = canEdit
      ? h('form', { id: 'app-form', class: 'app-form', novalidate: true, onsubmit: onSave },
        h('p', { class: 'muted' }, t('app.requiredHint')),
        fields, deck, actions)
      : h('div', { id: 'app-summary-view', class: 'app-summary' },
        appDetails(app, ref), deck, historyBox, actions);

    const statusLine = h('div', { class: 'status-line' },
      badge(app.status, { id: 'app-status', tabindex: '-1' }),
      app.submittedAt ? h('span', { class: 'muted' }, withTime('app.submittedAt', app.submittedAt)) : null,
      !canEdit && app.id && app.updatedAt ? h('span', { class: 'muted' }, withTime('app.lastSaved', app.updatedAt)) : null,
    );
    const late = deadlinePassed(deadline);
    let readOnly = t('app.readOnly', { status: t(`status.${app.status}`) });
    if (late && app.status === 'draft') readOnly = t('app.readOnlyDeadline');
    else if (app.can && app.can.reopen) readOnly = t('app.readOnlyReopen');

    ctx.mount(h('div', { class: 'page application-page', dataset: { id: app.id || '' } },
      h('p', { class: 'crumb' }, h('a', { href: '#/applications', id: 'back-to-list' }, icon('← '), t('app.back'))),
      h('div', { class: 'page-head' }, h('div', {}, h('h1', { id: 'app-heading' }, title), statusLine)),
      ['draft', 'submitted'].includes(app.status) ? deadlineNotice(deadline, zone) : null,
      canEdit ? saveStateEl() : null,
      canEdit && restored ? h('p', { class: 'notice', id: 'restored-notice', role: 'status' }, t('app.restored')) : null,
      !canEdit ? h('p', { class: 'notice', id: 'read-only-notice' }, readOnly) : null,
      canEdit && !canSubmit ? h('p', { class: 'notice', id: 'submit-closed-notice' }, t('app.submitClosed')) : null,
      app.id && app.status !== 'draft' ? screeningBox(app) : null,
      h('div', { id: 'form-errors', class: 'error-summary', role: 'alert', tabindex: '-1', hidden: true }),
      formEl,
      canEdit ? historyBox : null,
    ));
    for (const [key, e] of Object.entries(errs)) setFieldError(formEl, key, e);
    renderSummary();
    if (focusedId) {
      const again = document.getElementById(focusedId);
      if (again && !again.disabled) again.focus();
    }
  }

  render(false);
  if (dirty) saveTimer = setTimeout(autosave, AUTOSAVE_MS); // the restored copy goes to the server

  // The deadline passing while the page is open: ask the server what is
  // still allowed (nothing but withdrawing), keeping the local copy.
  const stopTick = tickUntil(deadline, zone, async () => {
    if (!app.id) { ctx.navigate(location.hash); return; }
    try { app = await api.get(`/applications/${seg(app.id)}`); } catch { return; }
    if (!editable()) {
      clearTimeout(saveTimer);
      clearTimeout(retryTimer);
      render(false);
      toast(() => t('deadline.justClosed'), 'error');
    }
  });

  return {
    render,
    /** Asked before an in-app navigation: false keeps the page. */
    canLeave() {
      if (!unsaved()) return true;
      storeLocal();
      // eslint-disable-next-line no-alert
      return window.confirm(t('app.leaveUnsaved'));
    },
    destroy() {
      leaving = true;
      stopTick();
      clearTimeout(saveTimer);
      clearTimeout(retryTimer);
      window.removeEventListener('online', onOnline);
      window.removeEventListener('beforeunload', onBeforeUnload);
    },
  };
}

function previewMoney(amount, currency, max) {
  const a = cleanAmount(amount || '');
  if (!/^\d+$/.test(a) || !currency || (max !== undefined && Number(a) > max)) return '';
  return `= ${formatMoney(Number(a), currency)}`;
}
