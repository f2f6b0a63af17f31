// The single-page app: hash routes, the header with navigation per role and
// the language switch, and the page life cycle (document.body.dataset.page is
// "loading" while a page loads and its route name once it is ready).

import { api, getSession, clearSession, saveUser, onUnauthorized } from './api.js';
import { t, getLang, setLang, applyLang, timeZone } from './i18n.js';
import {
  h, toast, hideToast, clearAnnouncement, retranslateToast, toastFollowsPage,
} from './ui.js';
import { loginPage, registerPage } from './pages/auth.js';
import { forgotPage, resetPage, confirmPage, profilePage } from './pages/account.js';
import { applicationsPage, applicationPage } from './pages/applicant.js';
import { dashboardPage, usersPage } from './pages/organizer.js';
import { reviewPage, reviewDetailPage, queuePage } from './pages/screening.js';
import { homePage, notFoundPage } from './pages/home.js';
import { sessionsPage } from './pages/sessions.js';
import { sessionPage, sessionApplicationPage } from './pages/session.js';
import { mySessionsPage } from './pages/mysessions.js';
import { editionPage } from './pages/edition.js';
import { rankingsPage } from './pages/results.js';
import { meetingsPage } from './pages/meetings.js';

const ROLE_HOME = {
  applicant: '#/applications',
  organizer: '#/dashboard',
  judge: '#/home',
  investor: '#/home',
};

// Routes: pattern, route name, page, and who may open it (null: anyone signed out).
const routes = [
  { re: /^\/login$/, name: 'login', page: loginPage, guest: true },
  { re: /^\/register$/, name: 'register', page: registerPage, guest: true },
  { re: /^\/forgot$/, name: 'forgot', page: forgotPage, guest: true },
  // The links of e-mails work whether or not someone is signed in here.
  { re: /^\/reset$/, name: 'reset', page: resetPage },
  { re: /^\/confirm$/, name: 'confirm', page: confirmPage },
  { re: /^\/profile$/, name: 'profile', page: profilePage, roles: ['applicant', 'judge', 'investor', 'organizer'] },
  { re: /^\/applications$/, name: 'applications', page: applicationsPage, roles: ['applicant'] },
  { re: /^\/applications\/new$/, name: 'application-new', page: applicationPage, roles: ['applicant'] },
  { re: /^\/applications\/([^/]+)$/, name: 'application', page: applicationPage, roles: ['applicant'], keys: ['id'] },
  { re: /^\/dashboard$/, name: 'dashboard', page: dashboardPage, roles: ['organizer'] },
  { re: /^\/review$/, name: 'review', page: reviewPage, roles: ['organizer'] },
  { re: /^\/review\/queue$/, name: 'review-queue', page: queuePage, roles: ['organizer'] },
  { re: /^\/review\/([^/]+)$/, name: 'review-detail', page: reviewDetailPage, roles: ['organizer'], keys: ['id'] },
  { re: /^\/users$/, name: 'users', page: usersPage, roles: ['organizer'] },
  { re: /^\/home$/, name: 'home', page: homePage, roles: ['judge', 'investor'] },
  { re: /^\/sessions$/, name: 'sessions', page: sessionsPage, roles: ['organizer', 'judge', 'investor'] },
  { re: /^\/sessions\/([^/]+)$/, name: 'session', page: sessionPage, roles: ['organizer', 'judge', 'investor', 'applicant'], keys: ['id'] },
  {
    re: /^\/sessions\/([^/]+)\/applications\/([^/]+)$/, name: 'session-application', page: sessionApplicationPage,
    roles: ['judge', 'investor'], keys: ['id', 'appId'],
  },
  { re: /^\/my-sessions$/, name: 'my-sessions', page: mySessionsPage, roles: ['applicant'] },
  { re: /^\/edition$/, name: 'edition', page: editionPage, roles: ['organizer'] },
  { re: /^\/rankings$/, name: 'rankings', page: rankingsPage, roles: ['organizer'] },
  { re: /^\/meetings$/, name: 'meetings', page: meetingsPage, roles: ['organizer', 'investor'] },
];

const NAV = {
  applicant: [
    ['#/applications', 'nav.applications', /^\/applications/],
    ['#/my-sessions', 'nav.mySessions', /^\/my-sessions/],
  ],
  organizer: [
    ['#/dashboard', 'nav.dashboard', /^\/dashboard/],
    ['#/review', 'nav.review', /^\/review/],
    ['#/sessions', 'nav.sessions', /^\/sessions/],
    ['#/rankings', 'nav.rankings', /^\/rankings/],
    ['#/edition', 'nav.edition', /^\/edition/],
    ['#/users', 'nav.users', /^\/users/],
    ['#/meetings', 'nav.meetings', /^\/meetings/],
  ],
  judge: [
    ['#/home', 'nav.home', /^\/home/],
    ['#/sessions', 'nav.judgeSessions', /^\/sessions/],
  ],
  investor: [
    ['#/home', 'nav.home', /^\/home/],
    ['#/sessions', 'nav.investorSessions', /^\/sessions/],
    ['#/meetings', 'nav.myMeetings', /^\/meetings/],
  ],
  guest: [
    ['#/login', 'nav.login', /^\/login/],
    ['#/register', 'nav.register', /^\/register/],
  ],
};

const RETURN_KEY = 'roadshow.returnTo';

let navSeq = 0;
let current = null; // the page on screen: {render(), destroy(), name}

/** Stops what a page left running (its live connection, timers). */
function teardown(view) {
  if (view && typeof view.destroy === 'function') {
    try { view.destroy(); } catch (e) { console.error(e); } // eslint-disable-line no-console
  }
}

/** Splits location.hash into a path and query parameters. */
function parseHash() {
  let raw = location.hash.replace(/^#/, '');
  try { raw = decodeURI(raw); } catch { /* keep it encoded */ }
  raw = raw || '/';
  const q = raw.indexOf('?');
  const path = (q >= 0 ? raw.slice(0, q) : raw) || '/';
  const query = new URLSearchParams(q >= 0 ? raw.slice(q + 1) : '');
  return { path: path.startsWith('/') ? path : `/${path}`, query };
}

/** The home route of the signed-in user, or the log-in page. */
export function homeHash() {
  const s = getSession();
  return (s && s.user && ROLE_HOME[s.user.role]) || '#/login';
}

/** Goes to a hash route (re-routes even when the hash is already that). */
export function navigate(hash) {
  if (location.hash === hash) route();
  else location.hash = hash;
}

function renderHeader() {
  const header = document.getElementById('site-header');
  const { path } = parseHash();
  const s = getSession();
  const role = s && s.user ? s.user.role : null;
  const links = NAV[role || 'guest'] || [];
  const nav = h('nav', { class: 'nav', 'aria-label': t('nav.main') },
    h('ul', {}, links.map(([href, key, re]) => h('li', {},
      h('a', { href, 'aria-current': re.test(path) ? 'page' : null, id: `nav-${key.split('.')[1].replace(/^(judge|investor)Sessions$/, 'sessions')}` }, t(key))))));

  const langBtn = h('button', {
    type: 'button', id: 'lang-toggle', class: 'btn btn-ghost lang-toggle',
    'aria-label': t('lang.toggleLabel'),
    onclick: () => {
      setLang(getLang() === 'en' ? 'zh' : 'en');
      rerender();
      document.getElementById('lang-toggle')?.focus();
    },
  }, h('span', { lang: getLang() === 'en' ? 'zh-Hans' : 'en' }, t('lang.toggle')));

  const userBox = s && s.user
    ? h('div', { class: 'user-box' },
      h('span', { class: 'user-name', id: 'current-user', title: t('nav.signedInAs', { name: s.user.name, role: t(`role.${s.user.role}`) }) },
        h('span', { translate: 'no' }, s.user.name), ' ', h('span', { class: 'role-tag', dataset: { role: s.user.role } }, t(`role.${s.user.role}`))),
      h('a', { href: '#/profile', id: 'nav-profile', class: 'btn btn-ghost', 'aria-current': path === '/profile' ? 'page' : null }, t('nav.profile')),
      h('button', { type: 'button', id: 'logout', class: 'btn btn-ghost', onclick: logout }, t('nav.logout')))
    : null;

  header.replaceChildren(h('div', { class: 'header-inner' },
    h('a', { class: 'brand', href: s ? homeHash() : '#/login' },
      h('span', { class: 'brand-mark', 'aria-hidden': 'true' }, '1+8'),
      h('span', { class: 'brand-text' }, h('span', { class: 'brand-name' }, t('app.name')),
        h('span', { class: 'brand-tagline' }, t('app.tagline')))),
    nav,
    h('div', { class: 'header-tools' }, userBox, langBtn),
  ));

  document.getElementById('site-footer').replaceChildren(
    h('p', {}, t('footer.tz', { zone: timeZone() })));
  const skip = document.getElementById('skip-link');
  skip.textContent = t('skip');
}

/** "<page heading> · Roadshow", so that tabs and history name the page. */
function setTitle() {
  const heading = document.querySelector('#main h1');
  const text = heading ? heading.textContent.trim() : '';
  document.title = text ? `${text} · ${t('app.name')}` : t('app.name');
}

function logout() {
  clearSession();
  hideToast();
  teardown(current);
  current = null;
  navigate('#/login');
}

function rerender() {
  renderHeader();
  retranslateToast();
  if (current && current.render) {
    current.render();
    document.body.dataset.page = current.name;
    setTitle();
  } else {
    route();
  }
}

// The hash the current page was opened (or renamed) at: where a page that
// refuses to be left (unsaved changes) takes the address back to.
let shownHash = '';

async function route() {
  if (current && current.canLeave && location.hash !== shownHash && !current.canLeave()) {
    history.replaceState(null, '', shownHash || '#/');
    return;
  }
  shownHash = location.hash;
  toastFollowsPage();
  const seq = ++navSeq;
  const { path, query } = parseHash();
  const main = document.getElementById('main');
  const s = getSession();
  const role = s && s.user ? s.user.role : null;

  if (path === '/') { location.replace(homeHash()); return; }

  let match = null;
  let params = {};
  for (const r of routes) {
    const m = r.re.exec(path);
    if (m) {
      match = r;
      (r.keys || []).forEach((k, i) => { params[k] = decodeURIComponent(m[i + 1]); });
      break;
    }
  }
  if (match && match.guest && role) { location.replace(homeHash()); return; }
  if (match && match.roles && !role) {
    try { sessionStorage.setItem(RETURN_KEY, location.hash); } catch { /* ignore */ }
    location.replace('#/login');
    return;
  }
  if (match && match.roles && !match.roles.includes(role)) { location.replace(homeHash()); return; }

  // Keep the focus on a control that survives the navigation (e.g. a filter).
  const focusedId = main.contains(document.activeElement) ? document.activeElement.id : '';
  document.body.dataset.page = 'loading';
  clearAnnouncement();
  teardown(current);
  current = null;
  renderHeader();
  main.setAttribute('aria-busy', 'true');
  main.replaceChildren(h('p', { class: 'loading' }, t('common.loading')));

  const name = match ? match.name : 'not-found';
  const ctx = {
    name,
    params,
    query,
    user: s ? s.user : null,
    main,
    isCurrent: () => seq === navSeq,
    navigate,
    afterLogin,
    mount(node) {
      if (seq !== navSeq) return;
      main.replaceChildren(node);
    },
    /** Renames the page on screen, e.g. once a new draft has been created. */
    setName(pageName) {
      if (seq === navSeq) shownHash = location.hash;
      if (current) current.name = pageName;
      if (seq === navSeq) document.body.dataset.page = pageName;
    },
  };
  const page = match ? match.page : notFoundPage;
  try {
    const view = await page(ctx);
    if (seq !== navSeq) { teardown(view); return; }
    current = {
      render: view && view.render ? view.render : null,
      destroy: view && view.destroy ? view.destroy : null,
      canLeave: view && view.canLeave ? view.canLeave : null,
      name,
    };
    main.removeAttribute('aria-busy');
    document.body.dataset.page = name;
    setTitle();
    const keep = focusedId && document.getElementById(focusedId);
    const heading = main.querySelector('h1');
    if (keep && main.contains(keep)) {
      keep.focus({ preventScroll: true });
    } else if (heading && !main.contains(document.activeElement)) {
      heading.setAttribute('tabindex', '-1');
      heading.focus({ preventScroll: true });
    }
  } catch (err) {
    if (seq !== navSeq) return;
    console.error(err); // eslint-disable-line no-console
    main.removeAttribute('aria-busy');
    main.replaceChildren(h('p', { class: 'form-error', role: 'alert' }, t('err.generic')));
    document.body.dataset.page = 'error';
  }
}

/** After logging in: where the user wanted to go, or their home. */
export function afterLogin() {
  let back = null;
  try { back = sessionStorage.getItem(RETURN_KEY); sessionStorage.removeItem(RETURN_KEY); } catch { /* ignore */ }
  const s = getSession();
  const role = s && s.user ? s.user.role : null;
  if (back) {
    const path = back.replace(/^#/, '').split('?')[0];
    const r = routes.find((x) => x.re.test(path));
    if (r && r.roles && r.roles.includes(role)) { navigate(back); return; }
  }
  navigate(homeHash());
}

async function boot() {
  applyLang();
  document.getElementById('skip-link').addEventListener('click', () => {
    const main = document.getElementById('main');
    const target = main.querySelector('h1') || main;
    target.setAttribute('tabindex', '-1');
    target.focus();
  });
  onUnauthorized(() => {
    teardown(current);
    current = null;
    toast(() => t('err.sessionExpired'), 'error');
    try { sessionStorage.setItem(RETURN_KEY, location.hash); } catch { /* ignore */ }
    navigate('#/login');
  });
  window.addEventListener('hashchange', route);
  window.addEventListener('storage', (e) => {
    // Another tab logged in or out: follow it.
    if (e.key === 'roadshow.token') route();
    if (e.key === 'roadshow.lang' && (e.newValue === 'en' || e.newValue === 'zh') && e.newValue !== getLang()) {
      setLang(e.newValue);
      rerender();
    }
  });
  // Refresh the account behind a kept token; a 401 drops it (see onUnauthorized).
  if (getSession()) {
    try {
      const me = await api.get('/me');
      if (me && me.user) saveUser(me.user); else if (me && me.id) saveUser(me);
    } catch { /* network trouble: keep the stored account */ }
  }
  route();
}

boot();
