// #/login and #/register.

import { api, saveSession } from '../api.js';
import { t, getLang, msgText } from '../i18n.js';
import {
  h, $, toast, errorText, setFieldError, fieldControl, field, options, countryItems, loadRef,
  withBusy, isEmail, passwordHint,
} from '../ui.js';

/** Shows the 422 field errors (and 409 on the e-mail) of an auth form. */
function showServerErrors(form, err, known) {
  const shown = [];
  for (const [key, msg] of Object.entries(err.fields || {})) {
    if (known.includes(key) && setFieldError(form, key, { m: msg })) shown.push(key);
  }
  return shown;
}

function formError(form, text) {
  const el = $('.form-error', form);
  if (!el) return;
  el.textContent = text || '';
  el.hidden = !text;
}

export async function loginPage(ctx) {
  const values = { email: '', password: '' };
  let error = null; // the last ApiError, re-translated on language change

  function render() {
    const old = $('#login-form');
    if (old) { values.email = $('#login-email').value; values.password = $('#login-password').value; }
    const form = h('form', { id: 'login-form', class: 'stack', novalidate: true, onsubmit: submit },
      field('email', 'login-email', h('input', {
        id: 'login-email', name: 'email', type: 'email', autocomplete: 'username', required: true,
        value: values.email, spellcheck: 'false', autocapitalize: 'none',
      }), { label: t('login.email') }),
      field('password', 'login-password', h('input', {
        id: 'login-password', name: 'password', type: 'password', autocomplete: 'current-password', required: true,
        value: values.password,
      }), { label: t('login.password') }),
      h('p', { class: 'form-error', id: 'login-error', role: 'alert', hidden: !error }, error ? errorText(error) : ''),
      h('div', { class: 'actions' }, h('button', { type: 'submit', id: 'login-submit', class: 'btn btn-primary' }, t('login.submit'))),
    );
    ctx.mount(h('section', { class: 'panel auth-panel' },
      h('h1', {}, t('login.title')),
      h('p', { class: 'lead' }, t('login.intro')),
      form,
      h('p', { class: 'muted' }, h('a', { href: '#/forgot', id: 'to-forgot' }, t('login.forgot'))),
      h('p', { class: 'muted' }, t('login.noAccount'), ' ', h('a', { href: '#/register', id: 'to-register' }, t('login.registerLink'))),
    ));
  }

  async function submit(ev) {
    ev.preventDefault();
    const form = ev.currentTarget;
    const email = $('#login-email').value.trim();
    const password = $('#login-password').value;
    setFieldError(form, 'email', null);
    setFieldError(form, 'password', null);
    error = null;
    formError(form, '');
    let bad = false;
    if (!isEmail(email)) { setFieldError(form, 'email', { k: 'v.email' }); bad = true; }
    if (!password) { setFieldError(form, 'password', { k: 'v.required' }); bad = true; }
    if (bad) { fieldControl(form, !isEmail(email) ? 'email' : 'password').focus(); return; }
    await withBusy($('#login-submit'), async () => {
      try {
        const res = await api.post('/auth/login', { email, password }, { auth: false });
        saveSession(res);
        ctx.afterLogin();
      } catch (err) {
        error = err;
        if (err.status === 422) showServerErrors(form, err, ['email', 'password']);
        formError(form, errorText(err));
        $('#login-password').select();
      }
    });
  }

  render();
  return { render };
}

export async function registerPage(ctx) {
  const ref = await loadRef();
  const values = { email: '', password: '', name: '', country: '' };
  let fieldErrs = {};
  let error = null;

  function readValues() {
    if (!$('#register-form')) return;
    values.email = $('#reg-email').value;
    values.password = $('#reg-password').value;
    values.name = $('#reg-name').value;
    values.country = $('#reg-country').value;
  }

  function validate(key) {
    const v = {
      email: values.email.trim(), password: values.password, name: values.name.trim(), country: values.country,
    };
    const errs = {
      email: isEmail(v.email, ref.limits.email) ? null : { k: 'v.email' },
      password: passwordHint(v.password, ref.limits),
      name: !v.name ? { k: 'v.name' } : (ref.limits.name !== undefined && [...v.name].length > ref.limits.name
        ? { k: 'v.maxLen', p: { n: ref.limits.name } } : null),
      country: v.country ? null : { k: 'v.country' },
    };
    return key ? errs[key] : errs;
  }

  function render() {
    readValues();
    const countrySel = h('select', { id: 'reg-country', name: 'country', required: true, autocomplete: 'country' },
      options(countryItems(ref), { placeholder: t('common.choose') }));
    countrySel.value = values.country;
    const form = h('form', { id: 'register-form', class: 'stack', novalidate: true, onsubmit: submit },
      field('email', 'reg-email', h('input', {
        id: 'reg-email', name: 'email', type: 'email', autocomplete: 'email', required: true, value: values.email,
        spellcheck: 'false', autocapitalize: 'none',
      }), { label: t('register.email') }),
      field('password', 'reg-password', h('input', {
        id: 'reg-password', name: 'password', type: 'password', autocomplete: 'new-password', required: true,
        minlength: ref.limits.passwordMin, value: values.password,
      }), { label: t('register.password'), help: t('password.help', { n: ref.limits.passwordMin }) }),
      field('name', 'reg-name', h('input', {
        id: 'reg-name', name: 'name', type: 'text', autocomplete: 'name', required: true, value: values.name,
      }), { label: t('register.name') }),
      field('country', 'reg-country', countrySel, { label: t('register.country') }),
      h('p', { class: 'form-error', id: 'register-error', role: 'alert', hidden: !error }, error ? errorText(error) : ''),
      h('div', { class: 'actions' }, h('button', { type: 'submit', id: 'reg-submit', class: 'btn btn-primary' }, t('register.submit'))),
    );
    for (const key of Object.keys(values)) {
      const control = fieldControl(form, key);
      const check = (onInput) => {
        readValues();
        const e = validate(key);
        // A server error (409, 422) stays until the user edits the field.
        if (!onInput && fieldErrs[key] && fieldErrs[key].m) return;
        // While typing, only clear errors; new ones appear when leaving the field.
        if (onInput && e && !fieldErrs[key]) return;
        fieldErrs[key] = e;
        setFieldError(form, key, e);
      };
      control.addEventListener('input', () => check(true));
      control.addEventListener('blur', () => { if (control.value !== '' || fieldErrs[key]) check(false); });
    }
    for (const [key, e] of Object.entries(fieldErrs)) if (e) setFieldError(form, key, e);
    ctx.mount(h('section', { class: 'panel auth-panel' },
      h('h1', {}, t('register.title')),
      h('p', { class: 'lead' }, t('register.intro')),
      form,
      h('p', { class: 'muted' }, t('register.haveAccount'), ' ', h('a', { href: '#/login', id: 'to-login' }, t('register.loginLink'))),
    ));
  }

  async function submit(ev) {
    ev.preventDefault();
    const form = ev.currentTarget;
    readValues();
    error = null;
    formError(form, '');
    fieldErrs = validate();
    let first = null;
    for (const [key, e] of Object.entries(fieldErrs)) {
      setFieldError(form, key, e);
      if (e && !first) first = key;
    }
    if (first) { fieldControl(form, first).focus(); return; }
    const body = {
      email: values.email.trim(), password: values.password, name: values.name.trim(), country: values.country,
      language: getLang(),
    };
    let registered = null;
    await withBusy($('#reg-submit'), async () => {
      try {
        registered = await api.post('/auth/register', body, { auth: false });
      } catch (err) {
        error = err;
        if (err.status === 409) {
          const taken = err.fields.email || err.msg;
          fieldErrs.email = taken ? { m: taken } : { k: 'v.emailTaken' };
          setFieldError(form, 'email', fieldErrs.email);
          fieldControl(form, 'email').focus();
          return;
        }
        if (err.status === 422) {
          for (const [key, msg] of Object.entries(err.fields || {})) {
            fieldErrs[key] = { m: msg };
            setFieldError(form, key, fieldErrs[key]);
          }
          const firstKey = ['email', 'password', 'name', 'country'].find((k) => err.fields && err.fields[k]);
          if (firstKey) fieldControl(form, firstKey).focus();
        }
        formError(form, errorText(err));
        return;
      }
      // A new address signs in at once; a taken one does not (its owner
      // got an e-mail): the answer of the registration is the same.
      try {
        const res = await api.post('/auth/login', { email: body.email, password: body.password }, { auth: false });
        saveSession(res);
        toast(() => t('register.welcome', { name: (res.user && res.user.name) || body.name }), 'success');
        ctx.navigate('#/applications');
      } catch (err) {
        if (err.status === 401 && registered && registered.message) {
          error = null;
          const el = $('.form-error', form);
          el.textContent = msgText(registered.message);
          el.hidden = false;
          el.className = 'form-error notice';
          return;
        }
        error = err;
        formError(form, errorText(err));
      }
    });
  }

  render();
  return { render };
}
