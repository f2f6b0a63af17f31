// The JSON API under /api/v1: a fetch wrapper that adds the bearer token,
// parses the one error shape {"error": {code, key, args, message, fields}}
// (each field {key, args, message}) and, when an authenticated call gets
// 401, drops the session and lets the app go to the log-in page.

export const BASE = '/api/v1';

const TOKEN_KEY = 'roadshow.token';
const USER_KEY = 'roadshow.user';
const EXPIRES_KEY = 'roadshow.expiresAt';

/**
 * An error response of the API, or a network failure (status 0, code
 * "network"). msg is the server's message {key, args, message} (null when
 * there is none); fields maps each field to its message in the same shape.
 */
export class ApiError extends Error {
  constructor(status, code, msg, fields, retryAfter) {
    super((msg && msg.message) || code);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.msg = msg && msg.key ? msg : null;
    this.fields = fields || {};
    this.retryAfter = retryAfter || 0;
  }
}

const codeByStatus = {
  400: 'invalid', 401: 'unauthorized', 403: 'forbidden', 404: 'not_found', 409: 'conflict',
  413: 'too_large', 422: 'unprocessable', 429: 'rate_limited',
};

function store() {
  try { return window.localStorage; } catch { return null; }
}

/** The stored session {token, user, expiresAt}, or null when signed out or expired. */
export function getSession() {
  const ls = store();
  if (!ls) return null;
  const token = ls.getItem(TOKEN_KEY);
  if (!token) return null;
  const expiresAt = ls.getItem(EXPIRES_KEY);
  if (expiresAt && Date.parse(expiresAt) <= Date.now()) {
    clearSession();
    return null;
  }
  let user = null;
  try { user = JSON.parse(ls.getItem(USER_KEY) || 'null'); } catch { user = null; }
  return { token, user, expiresAt };
}

/** Keeps the result of POST /auth/login. */
export function saveSession({ token, expiresAt, user }) {
  const ls = store();
  if (!ls) return;
  ls.setItem(TOKEN_KEY, token);
  if (expiresAt) ls.setItem(EXPIRES_KEY, expiresAt); else ls.removeItem(EXPIRES_KEY);
  ls.setItem(USER_KEY, JSON.stringify(user || null));
}

/** Replaces the stored account (after GET /me). */
export function saveUser(user) {
  const ls = store();
  if (ls && ls.getItem(TOKEN_KEY)) ls.setItem(USER_KEY, JSON.stringify(user));
}

/** Forgets the session. */
export function clearSession() {
  const ls = store();
  if (!ls) return;
  ls.removeItem(TOKEN_KEY);
  ls.removeItem(USER_KEY);
  ls.removeItem(EXPIRES_KEY);
}

let unauthorizedHandler = () => {};
/** Sets what happens when an authenticated call gets 401 (after the session is dropped). */
export function onUnauthorized(fn) { unauthorizedHandler = fn; }

let inflight = 0;
function busy(delta) {
  inflight += delta;
  document.body.dataset.busy = inflight > 0 ? 'true' : 'false';
}

/**
 * Calls the API. body: a plain object (sent as JSON) or a Blob/File (sent raw
 * with the given contentType). expect: "json" (default) or "blob".
 * auth: false for the public calls (log in, register).
 */
export async function request(method, path, { body, contentType, expect = 'json', auth = true } = {}) {
  const headers = new Headers();
  let payload;
  if (body instanceof Blob) {
    payload = body;
    headers.set('Content-Type', contentType || body.type || 'application/octet-stream');
  } else if (body !== undefined) {
    payload = JSON.stringify(body);
    headers.set('Content-Type', 'application/json');
  }
  if (expect === 'json') headers.set('Accept', 'application/json');
  const session = auth ? getSession() : null;
  if (session) headers.set('Authorization', `Bearer ${session.token}`);

  let res;
  busy(+1);
  try {
    res = await fetch(BASE + path, { method, headers, body: payload, cache: 'no-store', credentials: 'same-origin' });
  } catch {
    busy(-1);
    throw new ApiError(0, 'network', null, {}, 0);
  }
  try {
    if (!res.ok) {
      let data = null;
      try { data = await res.json(); } catch { data = null; }
      const e = (data && data.error) || {};
      const err = new ApiError(res.status, e.code || codeByStatus[res.status] || 'internal',
        { key: e.key, args: e.args || {}, message: e.message || '' }, e.fields || {},
        parseInt(res.headers.get('Retry-After') || '0', 10) || 0);
      if (res.status === 401 && session) {
        clearSession();
        unauthorizedHandler(err);
      }
      throw err;
    }
    if (expect === 'blob') return await res.blob();
    if (res.status === 204) return null;
    const text = await res.text();
    if (!text) return null;
    try {
      return JSON.parse(text);
    } catch {
      throw new ApiError(res.status, 'internal', null, {}, 0);
    }
  } finally {
    busy(-1);
  }
}

export const api = {
  get: (path, opts) => request('GET', path, opts),
  post: (path, body, opts) => request('POST', path, { ...opts, body }),
  patch: (path, body, opts) => request('PATCH', path, { ...opts, body }),
  put: (path, body, opts) => request('PUT', path, { ...opts, body }),
};

/** Encodes a path segment (ids come from the URL hash). */
export function seg(s) { return encodeURIComponent(s); }
