// The live event stream of one session (GET /api/v1/sessions/{id}/events, a
// WebSocket): it reconnects with exponential backoff and jitter when the
// connection drops, and a countdown that follows the server's slot timer.
//
// Events (see roadshow/events.go): {type: "session", session}, {type:
// "progress", progress: [{applicationId, scored, final, judges}]}, {type:
// "timer", timer: {slot, startedAt, endsAt, remainingSeconds}}, {type:
// "scores", scores: [{applicationId, judgeId, total, final}]} (organizers
// only), {type: "results", session}.

import { api, getSession } from './api.js';

const MAX_DELAY = 30_000;

/**
 * Opens the stream. onEvent(ev) gets every event; onState(state, delayMs)
 * "connecting" | "open" | "reconnecting" | "closed". Returns {close()}.
 */
export function liveEvents(sessionId, { onEvent, onState }) {
  let ws = null;
  let stopped = false;
  let attempt = 0;
  let timer = 0;

  function state(s, delay) {
    try { onState(s, delay); } catch (e) { console.error(e); } // eslint-disable-line no-console
  }

  function connect() {
    timer = 0;
    if (stopped) return;
    const s = getSession();
    if (!s) { stopped = true; state('closed'); return; }
    const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const url = `${proto}//${location.host}/api/v1/sessions/${encodeURIComponent(sessionId)}/events?token=${encodeURIComponent(s.token)}`;
    state(attempt ? 'reconnecting' : 'connecting');
    let sock;
    try {
      sock = new WebSocket(url);
    } catch {
      schedule();
      return;
    }
    ws = sock;
    sock.addEventListener('open', () => { if (ws === sock) state('open'); });
    sock.addEventListener('message', (m) => {
      if (ws !== sock) return;
      attempt = 0; // a working stream resets the backoff
      let ev;
      try { ev = JSON.parse(m.data); } catch { return; }
      if (ev && typeof ev.type === 'string') {
        try { onEvent(ev); } catch (e) { console.error(e); } // eslint-disable-line no-console
      }
    });
    sock.addEventListener('close', (ev) => {
      if (ws !== sock) return;
      ws = null;
      if (ev.code === 4001) {
        // The token expired or was revoked: reconnecting cannot help. Any
        // authenticated call now answers 401, which signs the page out.
        stopped = true;
        state('closed');
        api.get('/me').catch(() => {});
        return;
      }
      if (!stopped) schedule();
    });
  }

  function schedule() {
    attempt += 1;
    const base = Math.min(MAX_DELAY, 1000 * 2 ** Math.min(attempt - 1, 5));
    const delay = Math.round(base / 2 + Math.random() * (base / 2));
    state('reconnecting', delay);
    clearTimeout(timer);
    timer = setTimeout(connect, delay);
  }

  // Back online or back to the tab: try now instead of waiting out the backoff.
  function retryNow() {
    if (stopped || ws || !timer) return;
    if (document.visibilityState === 'hidden') return;
    clearTimeout(timer);
    connect();
  }
  window.addEventListener('online', retryNow);
  document.addEventListener('visibilitychange', retryNow);

  connect();
  return {
    close() {
      stopped = true;
      clearTimeout(timer);
      window.removeEventListener('online', retryNow);
      document.removeEventListener('visibilitychange', retryNow);
      if (ws) {
        const sock = ws;
        ws = null;
        try { sock.close(1000); } catch { /* already closed */ }
      }
    },
  };
}

/**
 * A countdown fed by the server's timer events: it keeps counting down
 * between events (and while reconnecting) from the last remainingSeconds,
 * so the viewer's clock skew does not matter. onTick(remainingSeconds|null).
 */
export function countdown(onTick) {
  let remaining = null;
  let at = 0;
  let slot = -1;
  const iv = setInterval(tick, 1000);
  function current() {
    if (remaining === null) return null;
    return remaining - Math.floor((performance.now() - at) / 1000);
  }
  function tick() { onTick(current()); }
  return {
    /** Sets the clock from a timer event ({slot, remainingSeconds}). */
    set(t) {
      if (!t || typeof t.remainingSeconds !== 'number') return;
      remaining = t.remainingSeconds;
      slot = t.slot;
      at = performance.now();
      tick();
    },
    /** Starts from a session: its live slot's start and length (before the first timer event). */
    fromSession(se) {
      if (!se || se.state !== 'live' || !se.slotStartedAt) { remaining = null; slot = -1; tick(); return; }
      if (se.currentSlot === slot && remaining !== null) return;
      const ends = Date.parse(se.slotStartedAt) + (se.slotMinutes || 0) * 60_000;
      remaining = Math.ceil((ends - Date.now()) / 1000);
      slot = se.currentSlot;
      at = performance.now();
      tick();
    },
    value: current,
    stop() { clearInterval(iv); },
  };
}

/** "12:05", or "+1:30" when over time; "—" without a clock. */
export function formatClock(sec) {
  if (sec === null || sec === undefined) return '—';
  const over = sec < 0;
  const s = Math.abs(sec);
  const m = Math.floor(s / 60);
  const r = String(s % 60).padStart(2, '0');
  return `${over ? '+' : ''}${m}:${r}`;
}
