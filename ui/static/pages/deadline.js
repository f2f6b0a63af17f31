// The application deadline as applicants see it: when applications close, in
// their own time zone (the profile's, else the browser's), with a countdown
// in the last days. The server decides what may still be written (the "can"
// flags and its refusals); this only tells the time.

import { api } from '../api.js';
import { t, formatIn, timeZone, validZone } from '../i18n.js';
import { h } from '../ui.js';

/** The countdown shows from this long before the deadline. */
const COUNTDOWN_FROM = 3 * 24 * 3600 * 1000;

/** Reads the deadline in force (an ISO string, or '' when there is none). */
export async function loadDeadline() {
  try {
    const ed = await api.get('/edition');
    return (ed && (ed.deadlineInForce || ed.deadline)) || '';
  } catch {
    // The pages still work without it (a 401 already sends the user to log
    // in); the server still refuses late writes.
    return '';
  }
}

/** The zone the applicant reads times in. */
export function applicantZone(user) {
  const z = user && user.timezone;
  return z && validZone(z) ? z : timeZone();
}

/** Whether the deadline (ISO, '' for none) has passed at now (ms). */
export function deadlinePassed(deadline, now = Date.now()) {
  return !!deadline && Date.parse(deadline) <= now;
}

/** "2 days 5 hours", "3 hours 10 minutes", "4 minutes" until the deadline. */
function remaining(ms) {
  const min = Math.max(1, Math.ceil(ms / 60000));
  const days = Math.floor(min / 1440);
  const hours = Math.floor((min % 1440) / 60);
  const mins = min % 60;
  if (days > 0) return t('deadline.daysHours', { d: days, h: hours });
  if (hours > 0) return t('deadline.hoursMinutes', { h: hours, m: mins });
  return t('deadline.minutes', { m: mins });
}

/**
 * The deadline notice (null when there is no deadline): its state is "open",
 * "soon" (the countdown) or "closed". Re-render it to move the countdown on.
 */
export function deadlineNotice(deadline, zone, now = Date.now()) {
  if (!deadline) return null;
  const at = Date.parse(deadline);
  const when = formatIn(deadline, zone, { parts: 'datetime', zoneName: true });
  let state = 'open';
  if (at <= now) state = 'closed';
  else if (at - now <= COUNTDOWN_FROM) state = 'soon';
  const text = {
    open: t('deadline.open', { time: when }),
    soon: t('deadline.soon', { time: when, left: remaining(at - now) }),
    closed: t('deadline.closed', { time: when }),
  }[state];
  return h('p', {
    class: `notice deadline deadline-${state}`, id: 'deadline-notice', role: state === 'closed' ? 'alert' : null,
    dataset: { state, deadline },
  }, h('time', { datetime: deadline, title: zone }, text));
}

/**
 * Moves the notice on in place every 30 seconds while the countdown runs,
 * and calls onClose once when the deadline passes (the page asks the server
 * what it may still do). Returns the function that stops it, for the page's
 * destroy.
 */
export function tickUntil(deadline, zone, onClose) {
  if (!deadline || deadlinePassed(deadline)) return () => {};
  const timer = setInterval(() => {
    const old = document.getElementById('deadline-notice');
    const n = deadlineNotice(deadline, zone);
    if (old && n && (old.dataset.state !== 'open' || n.dataset.state !== 'open')) old.replaceWith(n);
    if (deadlinePassed(deadline)) {
      clearInterval(timer);
      onClose();
    }
  }, 30000);
  return () => clearInterval(timer);
}
