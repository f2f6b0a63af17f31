// Small DOM helpers shared by the pages: element builder, toast, field errors,
// status badges, selects, and the reference data (industries, options).
// Everything is built with createElement and textContent, never innerHTML, so
// text from the server can never become markup.

import { api } from './api.js';
import {
  t, msgText, countryName, currencyName, industryName, collator, formatDateTime, timeZone,
} from './i18n.js';

const PROPS = new Set(['value', 'checked', 'disabled', 'selected', 'hidden', 'multiple', 'readOnly', 'required']);

/**
 * h('input', {id: 'x', class: 'y', onclick: fn, dataset: {a: 1}}, ...children)
 * Children are nodes, strings, numbers, arrays, or null/false (skipped).
 */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  const later = [];
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') el.className = Array.isArray(v) ? v.filter(Boolean).join(' ') : v;
    else if (k === 'dataset') {
      for (const [dk, dv] of Object.entries(v)) if (dv !== null && dv !== undefined) el.dataset[dk] = String(dv);
    } else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (PROPS.has(k)) later.push([k, v]);
    else if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, String(v));
  }
  append(el, children);
  // Properties last: a select's value needs its options first.
  for (const [k, v] of later) el[k] = v;
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else if (c instanceof Node) el.appendChild(c);
    else el.appendChild(document.createTextNode(String(c)));
  }
}

/** A decorative symbol beside words (an arrow, a plus), hidden from screen readers. */
export function icon(symbol) {
  return h('span', { 'aria-hidden': 'true' }, symbol);
}

/** querySelector shorthand. */
export function $(sel, root = document) { return root.querySelector(sel); }
/** querySelectorAll as an array. */
export function $$(sel, root = document) { return Array.from(root.querySelectorAll(sel)); }

let toastTimer = 0;
let toastText = null; // the message, as a function when it can be translated again
let toastShown = 0;
/**
 * Shows a short message in #toast. kind: "info", "success" or "error".
 * message is a string or, to follow a change of language, a function that
 * returns it.
 */
export function toast(message, kind = 'info') {
  const el = document.getElementById('toast');
  if (!el) return;
  toastText = typeof message === 'function' ? message : () => message;
  toastShown = Date.now();
  el.textContent = toastText();
  el.dataset.kind = kind;
  el.hidden = false;
  el.setAttribute('role', kind === 'error' ? 'alert' : 'status');
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { el.hidden = true; }, kind === 'error' ? 8000 : 4000);
}

/** Says the toast again in the language now chosen. */
export function retranslateToast() {
  const el = document.getElementById('toast');
  if (el && !el.hidden && toastText) el.textContent = toastText();
}

/**
 * The page changes: a toast about the page left goes with it, unless it
 * was just shown, as the reason for the change (a session expired).
 */
export function toastFollowsPage() {
  if (Date.now() - toastShown > 1500) hideToast();
}

/**
 * Tells screen readers about a change they would otherwise miss (the next
 * team of a live session, the end of a slot): #announcer is a polite live
 * region that is always in the page, so its changes are announced.
 */
let announceTimer = 0;
export function announce(message) {
  const el = document.getElementById('announcer');
  if (!el || !message) return;
  // The same message twice (e.g. two sessions) is announced twice.
  el.textContent = el.textContent === message ? `${message}\u00a0` : message;
  // Once read, it goes: an old message must not be found later by browsing.
  clearTimeout(announceTimer);
  announceTimer = setTimeout(clearAnnouncement, 5000);
}

/** Empties #announcer (after a while, and when the page changes). */
export function clearAnnouncement() {
  clearTimeout(announceTimer);
  const el = document.getElementById('announcer');
  if (el) el.textContent = '';
}

/** Hides the toast (e.g. when the user logs out). */
export function hideToast() {
  const el = document.getElementById('toast');
  if (el) el.hidden = true;
  clearTimeout(toastTimer);
}

/** A readable message for an error thrown by api.js or by the code. */
export function errorText(err) {
  if (!err) return t('err.generic');
  if (err.code === 'network') return t('err.network');
  if (err.msg) return msgText(err.msg);
  if (err.code === 'rate_limited') return t('err.rateLimited', { s: err.retryAfter || 60 });
  return t('err.generic');
}

/** A field error: {k, p} is a translation key with params, {m} a server message {key, args, message}. */
export function errText(e) {
  if (!e) return '';
  return e.k ? t(e.k, e.p) : msgText(e.m);
}

function safeId(key) { return 'err-' + key.replace(/[^A-Za-z0-9_-]/g, '-'); }

/**
 * Shows or clears the error of one field. The field is the element marked
 * data-field-wrap="<key>" inside root; its first control gets aria-invalid
 * and aria-describedby. Returns false when the field is not on the page.
 */
export function setFieldError(root, key, e) {
  const wrap = root.querySelector(`[data-field-wrap="${cssEscape(key)}"]`);
  if (!wrap) return false;
  const old = wrap.querySelector(':scope > .field-error');
  if (old) old.remove();
  const control = wrap.querySelector(':scope > input, :scope > select, :scope > textarea, :scope > .control input, :scope > .control select, :scope > .control textarea, :scope > .row-control input, :scope > button')
    || wrap.querySelector('input, select, textarea, button');
  const id = safeId(key);
  if (control) {
    const ids = (control.getAttribute('aria-describedby') || '').split(/\s+/).filter((x) => x && x !== id);
    if (e) ids.push(id);
    if (ids.length) control.setAttribute('aria-describedby', ids.join(' ')); else control.removeAttribute('aria-describedby');
    if (e) control.setAttribute('aria-invalid', 'true'); else control.removeAttribute('aria-invalid');
  }
  wrap.classList.toggle('has-error', !!e);
  if (e) {
    wrap.appendChild(h('p', { class: 'field-error', id, dataset: { field: key } }, errText(e)));
  }
  return true;
}

/** The focusable control of a field, for moving focus to the first error. */
export function fieldControl(root, key) {
  const wrap = root.querySelector(`[data-field-wrap="${cssEscape(key)}"]`);
  return wrap && wrap.querySelector('input, select, textarea, button');
}

function cssEscape(s) {
  return (window.CSS && CSS.escape) ? CSS.escape(s) : s.replace(/["\\\]\[]/g, '\\$&');
}

/**
 * A labelled field: <div class="field" data-field-wrap=key><label for=id>…</label>control[help]</div>.
 * opts: {label, help, optional, errorKey}.
 */
export function field(key, id, control, { label, help, optional, extra } = {}) {
  const helpId = help ? `${id}-help` : null;
  if (helpId) {
    const d = control.getAttribute('aria-describedby');
    control.setAttribute('aria-describedby', d ? `${d} ${helpId}` : helpId);
  }
  return h('div', { class: 'field', dataset: { fieldWrap: key } },
    h('label', { for: id }, label, optional ? h('span', { class: 'optional' }, ' ', t('common.optional')) : null),
    control,
    extra || null,
    help ? h('p', { class: 'help', id: helpId }, help) : null,
  );
}

/** A status badge: text is the translated status, data-status the raw value. */
export function badge(status, attrs = {}) {
  return h('span', { class: `badge status-${status}`, dataset: { status }, ...attrs }, t(`status.${status}`));
}

/** A <time> element showing iso in the viewer's zone. */
export function timeEl(iso) {
  if (!iso) return document.createTextNode(t('common.none'));
  return h('time', { datetime: iso, title: timeZone() }, formatDateTime(iso));
}

/** <option>s; items are [value, label]. */
export function options(items, { placeholder } = {}) {
  const out = [];
  if (placeholder !== undefined) out.push(h('option', { value: '' }, placeholder));
  for (const [value, label] of items) out.push(h('option', { value }, label));
  return out;
}

// Reference data, loaded once: industries and the accepted options.

const fallback = {
  stages: ['idea', 'prototype', 'pilot', 'revenue', 'scaling'],
  statuses: ['draft', 'submitted', 'eligible', 'ineligible', 'withdrawn'],
  currencies: ['AED', 'AUD', 'CAD', 'CHF', 'CNY', 'DKK', 'EUR', 'GBP', 'HKD', 'ILS', 'INR', 'JPY', 'KRW', 'NOK', 'NZD', 'SEK', 'SGD', 'USD'],
  countries: ('AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ '
    + 'CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR '
    + 'GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP '
    + 'KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT '
    + 'MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW '
    + 'SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG '
    + 'UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW').split(' '),
  industries: [
    { code: 'digital-tech', nameEn: 'Digital technology (software and IT services)', nameZh: '数字技术(软件和信息技术服务)', core: true },
    { code: 'metaverse', nameEn: 'Metaverse', nameZh: '元宇宙', core: false },
    { code: 'connected-vehicles', nameEn: 'Connected vehicles (IoV)', nameZh: '车联网', core: false },
    { code: 'clean-energy', nameEn: 'Clean energy', nameZh: '清洁能源', core: false },
    { code: 'life-health', nameEn: 'Life and health', nameZh: '生命健康', core: false },
    { code: 'culture-tourism', nameEn: 'Culture and tourism', nameZh: '文化旅游', core: false },
    { code: 'smart-ocean', nameEn: 'Smart ocean', nameZh: '智慧海洋', core: false },
    { code: 'high-end-equipment', nameEn: 'High-end equipment manufacturing', nameZh: '高端装备制造', core: false },
    { code: 'digital-trade', nameEn: 'Digital trade', nameZh: '数字贸易', core: false },
  ],
};

let refPromise = null;
/**
 * Loads (once) {industries, stages, statuses, countries, currencies,
 * staffRoles, limits}: limits are the server's form limits (see /options),
 * {} until the server answers.
 */
export function loadRef() {
  if (!refPromise) {
    refPromise = Promise.all([
      api.get('/industries', { auth: false }).catch(() => null),
      api.get('/options', { auth: false }).catch(() => null),
    ]).then(([inds, opts]) => {
      const list = Array.isArray(inds) ? inds : (inds && Array.isArray(inds.items) ? inds.items : null);
      const o = opts || {};
      const ref = {
        industries: list && list.length ? list : fallback.industries,
        stages: Array.isArray(o.stages) && o.stages.length ? o.stages : fallback.stages,
        statuses: Array.isArray(o.statuses) && o.statuses.length ? o.statuses : fallback.statuses,
        countries: Array.isArray(o.countries) && o.countries.length ? o.countries : fallback.countries,
        currencies: Array.isArray(o.currencies) && o.currencies.length ? o.currencies : fallback.currencies,
        staffRoles: Array.isArray(o.staffRoles) ? o.staffRoles : [],
        screeningReasons: Array.isArray(o.screeningReasons) ? o.screeningReasons : [],
        limits: o.limits || {},
      };
      if (!list || !opts) refPromise = null; // try the server again next time
      return ref;
    });
  }
  return refPromise;
}

/** The industry object of a code, or a stand-in. */
export function industryOf(ref, code) {
  return ref.industries.find((i) => i.code === code) || (code ? { code, nameEn: code, nameZh: code } : null);
}

/** Country <option> items sorted by their localized name. */
export function countryItems(ref) {
  const c = collator();
  return ref.countries.map((code) => [code, countryName(code)]).sort((a, b) => c.compare(a[1], b[1]));
}

/** Industry <option> items, core first as the server lists them. */
export function industryItems(ref) {
  return ref.industries.map((i) => [i.code, industryName(i)]);
}

/** Stage <option> items. */
export function stageItems(ref) {
  return ref.stages.map((s) => [s, t(`stage.${s}`)]);
}

/** Currency <option> items: "USD — US Dollar". */
export function currencyItems(ref) {
  return ref.currencies.map((c) => [c, `${c} — ${currencyName(c)}`]);
}

/** Time zones the browser knows, with the given ones included. */
export function timeZoneItems(...include) {
  let zones = [];
  try { zones = Intl.supportedValuesOf('timeZone'); } catch { zones = []; }
  const set = new Set(zones);
  for (const z of include) if (z && !set.has(z)) { set.add(z); }
  if (!set.has('UTC')) set.add('UTC');
  return Array.from(set).sort().map((z) => [z, z.replace(/_/g, ' ')]);
}

/** Runs fn with the button disabled, so that a double click sends once. */
export async function withBusy(button, fn) {
  if (button) { button.disabled = true; button.setAttribute('aria-busy', 'true'); }
  try {
    return await fn();
  } finally {
    if (button) { button.disabled = false; button.removeAttribute('aria-busy'); }
  }
}

/** Counts characters the way the server does (Unicode code points). */
export function charCount(s) {
  let n = 0;
  for (const _ of s) n++; // eslint-disable-line no-unused-vars
  return n;
}

/** Whether s is an absolute http(s) URL with a host and no credentials, at most max long (the server's limit). */
export function isWebURL(s, max) {
  if (max !== undefined && s.length > max) return false;
  try {
    const u = new URL(s);
    return (u.protocol === 'http:' || u.protocol === 'https:') && !!u.hostname && !u.username && !u.password;
  } catch {
    return false;
  }
}

/** The live hint on a new password, by the server's limits. */
export function passwordHint(password, lim) {
  const n = [...password].length;
  if (lim.passwordMin !== undefined && n < lim.passwordMin) return { k: 'v.passwordMin', p: { n: lim.passwordMin } };
  if (lim.passwordMax !== undefined && n > lim.passwordMax) return { k: 'v.maxLen', p: { n: lim.passwordMax } };
  return null;
}

/** A plain e-mail check matching the server's intent (one address, a dot in the domain), at most max long. */
export function isEmail(s, max) {
  return (max === undefined || s.length <= max) && /^[^\s@<>()",;:]+@[^\s@<>()",;:]+\.[^\s@<>()",;:]+$/.test(s);
}

/** A page-level block for an error that stopped a page from loading. */
export function errorPanel(err, retry) {
  const notFound = err && (err.status === 404 || err.code === 'not_found');
  return h('section', { class: 'panel error-panel', role: 'alert' },
    h('h1', { tabindex: '-1' }, notFound ? t('err.notFoundTitle') : t('err.loadFailed')),
    h('p', {}, notFound ? t('err.notFoundText') : errorText(err)),
    retry && !notFound ? h('button', { type: 'button', class: 'btn', onclick: retry }, t('common.retry')) : null,
  );
}

/**
 * The visible character counter of a text field; max is the server's limit
 * (undefined until /options answered: the count alone).
 */
export function counter(id, n, max) {
  const el = h('p', { class: 'counter', id });
  updateCounter(el, n, max);
  return el;
}

/** Updates a counter made by counter(). */
export function updateCounter(el, n, max) {
  if (!el) return;
  const known = max !== undefined;
  el.textContent = known ? t('common.counter', { n, max }) : String(n);
  el.setAttribute('aria-label', known ? t('common.counterLabel', { n, max }) : t('common.characters', { n }));
  el.classList.toggle('over', known && n > max);
}
