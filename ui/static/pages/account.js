// A person's own account: #/forgot (ask for a reset link), #/reset (choose
// a password with the link of a reset or invitation e-mail), #/confirm
// (confirm the address) and #/profile (name, organization, language of
// e-mail, notifications, password, calendar link).

import { api, saveSession, saveUser, getSession } from '../api.js';
import { t, msgText } from '../i18n.js';
import {
  h, $, toast, errorText, setFieldError, fieldControl, field, options, countryItems, loadRef, timeZoneItems,
  withBusy, isEmail, passwordHint,
} from '../ui.js';

/** Shows an ApiError's field errors on form; returns the first field shown. */
function showFieldErrors(form, err, known) {
  let first = null;
  for (const [key, msg] of Object.entries(err.fields || {})) {
    if (known.includes(key) && setFieldError(form, key, { m: msg }) && !first) first = key;
  }
  return first;
}

function formMessage(form, text, kind = 'error') {
  const el = $('.form-message', form);
  if (!el) return;
  el.textContent = text || '';
  el.hidden = !text;
  el.className = `form-message ${kind === 'error' ? 'form-error' : 'notice'}`;
  el.setAttribute('role', kind === 'error' ? 'alert' : 'status');
}

/** A token from the page's query (?token=...), shaped as the server makes them. */
function tokenOf(ctx) {
  const tok = ctx.query.get('token') || '';
  return /^[A-Za-z0-9_-]{43}$/.test(tok) ? tok : '';
}

export async function forgotPage(ctx) {
  let email = ctx.query.get('email') || '';
  let done = null; // the server's answer {key, args, message}

  function render() {
    const old = $('#forgot-email');
    if (old) email = old.value;
    const form = h('form', { id: 'forgot-form', class: 'stack', novalidate: true, onsubmit: submit },
      field('email', 'forgot-email', h('input', {
        id: 'forgot-email', name: 'email', type: 'email', autocomplete: 'username', required: true, value: email,
        spellcheck: 'false', autocapitalize: 'none',
      }), { label: t('login.email') }),
      h('p', { class: 'form-message', hidden: true }),
      h('div', { class: 'actions' }, h('button', { type: 'submit', id: 'forgot-submit', class: 'btn btn-primary' }, t('forgot.submit'))));
    ctx.mount(h('section', { class: 'panel auth-panel' },
      h('h1', {}, t('forgot.title')),
      h('p', { class: 'lead' }, t('forgot.intro')),
      done ? h('p', { class: 'notice', id: 'forgot-done', role: 'status' }, msgText(done)) : form,
      h('p', { class: 'muted' }, h('a', { href: '#/login', id: 'to-login' }, t('forgot.back')))));
  }

  async function submit(ev) {
    ev.preventDefault();
    const form = ev.currentTarget;
    email = $('#forgot-email').value.trim();
    setFieldError(form, 'email', null);
    if (!isEmail(email)) { setFieldError(form, 'email', { k: 'v.email' }); $('#forgot-email').focus(); return; }
    await withBusy($('#forgot-submit'), async () => {
      try {
        const res = await api.post('/auth/forgot', { email }, { auth: false });
        done = res.message;
        render();
        $('#forgot-done')?.focus();
      } catch (err) {
        showFieldErrors(form, err, ['email']);
        formMessage(form, errorText(err));
      }
    });
  }

  render();
  return { render };
}

export async function resetPage(ctx) {
  const ref = await loadRef();
  const token = tokenOf(ctx);
  const invite = ctx.query.get('invite') === '1';
  let password = '';

  function render() {
    const old = $('#reset-password');
    if (old) password = old.value;
    const heading = t(invite ? 'reset.inviteTitle' : 'reset.title');
    if (!token) {
      ctx.mount(h('section', { class: 'panel auth-panel' }, h('h1', {}, heading),
        h('p', { class: 'form-error', role: 'alert', id: 'reset-invalid' }, msgText({ key: 'user.link_invalid', args: {} })),
        h('p', {}, h('a', { href: '#/forgot' }, t('reset.askAgain')))));
      return;
    }
    const form = h('form', { id: 'reset-form', class: 'stack', novalidate: true, onsubmit: submit },
      field('password', 'reset-password', h('input', {
        id: 'reset-password', name: 'password', type: 'password', autocomplete: 'new-password', required: true,
        minlength: ref.limits.passwordMin, value: password,
      }), { label: t('reset.password'), help: t('password.help', { n: ref.limits.passwordMin }) }),
      h('p', { class: 'form-message', hidden: true }),
      h('div', { class: 'actions' }, h('button', { type: 'submit', id: 'reset-submit', class: 'btn btn-primary' }, t('reset.submit'))));
    ctx.mount(h('section', { class: 'panel auth-panel' },
      h('h1', {}, heading),
      h('p', { class: 'lead' }, t(invite ? 'reset.inviteIntro' : 'reset.intro')),
      form));
  }

  async function submit(ev) {
    ev.preventDefault();
    const form = ev.currentTarget;
    password = $('#reset-password').value;
    setFieldError(form, 'password', null);
    formMessage(form, '');
    const hint = passwordHint(password, ref.limits);
    if (hint) { setFieldError(form, 'password', hint); $('#reset-password').focus(); return; }
    await withBusy($('#reset-submit'), async () => {
      try {
        const res = await api.post('/auth/reset', { token, password }, { auth: false });
        saveSession(res);
        toast(() => t('reset.done'), 'success');
        ctx.afterLogin();
      } catch (err) {
        if (showFieldErrors(form, err, ['password'])) { $('#reset-password').focus(); return; }
        formMessage(form, errorText(err));
      }
    });
  }

  render();
  return { render };
}

export async function confirmPage(ctx) {
  const token = tokenOf(ctx);
  let result = null;
  let error = null;
  try {
    if (!token) throw Object.assign(new Error('invalid'), { msg: { key: 'user.link_invalid', args: {} } });
    result = (await api.post('/auth/confirm', { token }, { auth: false })).message;
  } catch (err) {
    error = err;
  }
  function render() {
    ctx.mount(h('section', { class: 'panel auth-panel' },
      h('h1', {}, t('confirm.title')),
      result
        ? h('p', { class: 'notice', id: 'confirm-done', role: 'status' }, msgText(result))
        : h('p', { class: 'form-error', id: 'confirm-failed', role: 'alert' }, errorText(error)),
      h('p', {}, h('a', { href: getSession() ? '#/profile' : '#/login' }, t('confirm.continue')))));
  }
  render();
  return { render };
}

export async function profilePage(ctx) {
  const ref = await loadRef();
  let me;
  try {
    me = await api.get('/me');
  } catch (err) {
    if (err.status === 401) return null;
    throw err;
  }
  let calendar = null;

  function profileForm() {
    const country = h('select', { id: 'profile-country', autocomplete: 'country' }, options(countryItems(ref), { placeholder: t('common.choose') }));
    country.value = me.country || '';
    const tz = h('select', { id: 'profile-timezone' }, options(timeZoneItems(me.timezone), { placeholder: t('common.choose') }));
    tz.value = me.timezone || '';
    const lang = h('select', { id: 'profile-language' }, options([['en', 'English'], ['zh', '中文']]));
    lang.value = me.language || 'en';
    return h('form', { id: 'profile-form', class: 'stack', novalidate: true, onsubmit: saveProfile },
      h('p', { class: 'muted', id: 'profile-email' }, t('profile.email', { email: me.email }), ' ',
        h('span', { class: 'badge', dataset: { confirmed: me.emailConfirmedAt ? 'yes' : 'no' } },
          t(me.emailConfirmedAt ? 'profile.confirmed' : 'profile.unconfirmed'))),
      h('div', { class: 'grid-2' },
        field('name', 'profile-name', h('input', { id: 'profile-name', type: 'text', autocomplete: 'name', value: me.name }), { label: t('profile.name') }),
        field('organization', 'profile-organization', h('input', {
          id: 'profile-organization', type: 'text', autocomplete: 'organization', value: me.organization || '',
        }), { label: t('profile.organization'), optional: true }),
        field('country', 'profile-country', country, { label: t('profile.country'), optional: true }),
        field('timezone', 'profile-timezone', tz, { label: t('profile.timezone'), optional: true }),
        field('language', 'profile-language', lang, { label: t('profile.language'), help: t('profile.languageHelp') })),
      h('div', { class: 'field', dataset: { fieldWrap: 'mailOptOut' } },
        h('label', { class: 'checkbox', for: 'profile-optout' },
          h('input', { type: 'checkbox', id: 'profile-optout', checked: !!me.mailOptOut }), ' ', t('profile.optOut'))),
      h('p', { class: 'form-message', hidden: true }),
      h('div', { class: 'actions' }, h('button', { type: 'submit', id: 'profile-save', class: 'btn btn-primary' }, t('profile.save'))));
  }

  function passwordForm() {
    return h('form', { id: 'password-form', class: 'stack', novalidate: true, onsubmit: changePassword },
      field('currentPassword', 'pw-current', h('input', { id: 'pw-current', type: 'password', autocomplete: 'current-password' }),
        { label: t('profile.currentPassword') }),
      field('password', 'pw-new', h('input', { id: 'pw-new', type: 'password', autocomplete: 'new-password', minlength: ref.limits.passwordMin }),
        { label: t('profile.newPassword'), help: t('password.help', { n: ref.limits.passwordMin }) }),
      h('p', { class: 'form-message', hidden: true }),
      h('div', { class: 'actions' }, h('button', { type: 'submit', id: 'pw-submit', class: 'btn' }, t('profile.changePassword'))));
  }

  function render() {
    ctx.mount(h('div', { class: 'page' },
      h('div', { class: 'page-head' }, h('div', {}, h('h1', {}, t('profile.title')), h('p', { class: 'lead' }, t('profile.intro')))),
      h('section', { class: 'panel narrow', 'aria-labelledby': 'profile-heading' }, h('h2', { id: 'profile-heading' }, t('profile.details')), profileForm()),
      h('section', { class: 'panel narrow', 'aria-labelledby': 'pw-heading' }, h('h2', { id: 'pw-heading' }, t('profile.password')), passwordForm()),
      h('section', { class: 'panel narrow', 'aria-labelledby': 'cal-heading' },
        h('h2', { id: 'cal-heading' }, t('profile.calendar')),
        h('p', { class: 'help' }, t('profile.calendarHelp')),
        calendar ? h('p', {}, h('input', { id: 'calendar-url', type: 'text', readOnly: true, value: calendar, 'aria-label': t('profile.calendar') })) : null,
        h('div', { class: 'actions' },
          h('button', { type: 'button', id: 'calendar-show', class: 'btn', onclick: () => calendarLink(false) }, t('profile.calendarShow')),
          h('button', { type: 'button', id: 'calendar-regenerate', class: 'btn', onclick: () => calendarLink(true) }, t('profile.calendarRegenerate'))))));
  }

  async function saveProfile(ev) {
    ev.preventDefault();
    const form = ev.currentTarget;
    const body = {
      name: $('#profile-name').value, organization: $('#profile-organization').value, country: $('#profile-country').value,
      timezone: $('#profile-timezone').value, language: $('#profile-language').value, mailOptOut: $('#profile-optout').checked,
    };
    for (const k of Object.keys(body)) setFieldError(form, k, null);
    if (!body.name.trim()) { setFieldError(form, 'name', { k: 'v.name' }); $('#profile-name').focus(); return; }
    await withBusy($('#profile-save'), async () => {
      try {
        me = await api.patch('/me', body);
        saveUser(me);
        render();
        toast(() => t('profile.saved'), 'success');
        $('#profile-save')?.focus();
      } catch (err) {
        const first = showFieldErrors(form, err, Object.keys(body));
        if (first) fieldControl(form, first)?.focus(); else formMessage(form, errorText(err));
      }
    });
  }

  async function changePassword(ev) {
    ev.preventDefault();
    const form = ev.currentTarget;
    const currentPassword = $('#pw-current').value;
    const password = $('#pw-new').value;
    setFieldError(form, 'currentPassword', null);
    setFieldError(form, 'password', null);
    formMessage(form, '');
    if (!currentPassword) { setFieldError(form, 'currentPassword', { k: 'v.required' }); $('#pw-current').focus(); return; }
    const hint = passwordHint(password, ref.limits);
    if (hint) { setFieldError(form, 'password', hint); $('#pw-new').focus(); return; }
    await withBusy($('#pw-submit'), async () => {
      try {
        const res = await api.post('/me/password', { currentPassword, password });
        saveSession(res); // the old token stopped working: keep the new one
        render();
        toast(() => t('profile.passwordChanged'), 'success');
      } catch (err) {
        const first = showFieldErrors(form, err, ['currentPassword', 'password']);
        if (first) fieldControl(form, first)?.focus(); else formMessage(form, errorText(err));
      }
    });
  }

  async function calendarLink(regenerate) {
    try {
      const res = regenerate ? await api.post('/me/calendar-link') : await api.get('/me/calendar-link');
      calendar = res.url;
      render();
      if (regenerate) toast(() => t('profile.calendarRegenerated'), 'success');
      $('#calendar-url')?.select();
    } catch (err) {
      toast(() => errorText(err), 'error');
    }
  }

  render();
  return { render };
}
