// The live room on a session page: the stage (whoever presents: their screen
// share, else their camera, and their microphone), the other participants'
// videos, this page's own camera, microphone and screen share, the sound
// (with "Click to listen" when the browser blocks it), the connection's
// state and quality, and, for organizers, mute and remove. One view serves
// every role; layout says which parts show:
//   organizer: stage and everyone, with moderation;
//   judge: stage large, the other judges small, own camera and microphone
//     (off until turned on);
//   investor: the stage only, nothing sent;
//   applicant: own preview as the stage, the judges small, camera,
//     microphone and screen share.
// What the page may send comes from the grant the server sends; the view
// never works a rule out again.

import { api, seg } from '../api.js';
import { t, tn, msgText, formatNumber } from '../i18n.js';
import { h, toast, errorText, withBusy, announce, icon } from '../ui.js';
import { createRoom, qualityLevel, finalBye } from '../room.js';
import { openDevice, openScreen, mediaErrorKey, tryPlay } from '../media.js';

const SOURCES = ['camera', 'microphone', 'screen'];

/**
 * A translated sentence with a team's title in it: the title is what people
 * wrote, marked so that it is never translated.
 */
export function titled(key, title) {
  return t(key, { title: '\u0000' }).split('\u0000')
    .flatMap((part, i) => (i ? [h('strong', { translate: 'no' }, title), part] : [part]))
    .filter((x) => x !== '');
}

/**
 * The quality indicator: three bars and the numbers in words.
 * q: {kbps, loss, rtt, audioBytes, videoBytes} or null; attrs go on the element.
 */
export function qualityIndicator(q, { video = false, id = null, participantId = null } = {}) {
  const el = h('span', {
    class: 'quality', id, role: 'img', dataset: { participantId },
  }, h('span', { class: 'bar b1' }), h('span', { class: 'bar b2' }), h('span', { class: 'bar b3' }));
  setQuality(el, q, { video });
  return el;
}

/** Updates a quality indicator in place. */
export function setQuality(el, q, { video = false } = {}) {
  if (!el) return;
  const level = qualityLevel(q, { video });
  el.dataset.level = level;
  el.className = `quality q-${level}`;
  const d = el.dataset;
  d.kbps = q ? String(Math.round(q.kbps || 0)) : '';
  d.loss = q ? (q.loss || 0).toFixed(1) : '';
  d.rtt = q && q.rtt != null ? String(Math.round(q.rtt)) : '';
  d.audioBytes = q && q.audioBytes != null ? String(q.audioBytes) : '';
  d.videoBytes = q && q.videoBytes != null ? String(q.videoBytes) : '';
  const text = level === 'unknown' ? t('quality.unknown') : t('quality.detail', {
    level: t(`quality.${level}`),
    kbps: formatNumber(Math.round(q.kbps || 0)),
    loss: (q.loss || 0).toFixed(1),
    rtt: q.rtt == null ? '—' : formatNumber(Math.round(q.rtt)),
  });
  el.setAttribute('aria-label', text);
  el.title = text;
}

/**
 * Creates the room view for a session page.
 * opts: {sessionId, layout, user, session: () => current session,
 *   shouldConnect: () => bool, stageTitle: (applicationId) => string,
 *   onSelfChange: () => void (what this page sends changed)}.
 * Returns {el, room, draw(), sync() (the session changed), destroy()}.
 */
export function liveRoomView(opts) {
  const { sessionId, layout } = opts;
  const el = h('section', { class: ['panel', 'room-panel', `room-${layout}`], id: 'room-panel', 'aria-labelledby': 'room-title', dataset: { layout, state: 'idle' } });
  const stageVideo = h('video', { id: 'stage-video', class: 'stage-video', autoplay: true, playsinline: true, muted: true });
  stageVideo.muted = true;
  const audioBox = h('div', { id: 'room-audio', hidden: true });
  const videos = new Map();  // key -> <video>
  const audios = new Map();  // trackId -> <audio>
  let blocked = false;       // the browser held the sound back
  let stageKey = '';
  let removing = '';         // the participant whose removal form is open
  let removeReason = '';
  let removeError = '';
  let lastStageAnnounce = '';
  let destroyed = false;
  let joins = 0;             // welcomes received: more than one means the page reconnected

  const room = createRoom(sessionId, {
    shouldConnect: () => (opts.shouldConnect ? opts.shouldConnect() : true),
    onState: (st, info) => { draw(); if (opts.onRoomState) opts.onRoomState(st, info); },
    onWelcome: () => { joins += 1; draw(); },
    onRoom: () => { syncAudio(); draw(); if (opts.onRoomInfo) opts.onRoomInfo(room.info); },
    onTracks: () => { syncAudio(); draw(); },
    onGrant: () => draw(),
    onPublished: () => { draw(); if (opts.onSelfChange) opts.onSelfChange(); },
    onMuted: (msg) => {
      if (room.self && msg.participant === room.self.id && msg.by && msg.by !== opts.user.id) {
        toast(() => t(msg.muted ? 'room.mutedByOrganizer' : 'room.unmutedByOrganizer', { source: t(`source.${msg.source}`) }), 'info');
      }
      draw();
      if (opts.onSelfChange) opts.onSelfChange();
    },
    onProblem: (p) => toast(msgText(p) || t('err.generic'), 'error'),
    onStats: () => updateQuality(),
  });

  // --- sound

  function syncAudio() {
    for (const [id, r] of room.remote) {
      if (r.kind !== 'audio' || audios.has(id)) continue;
      const a = h('audio', { autoplay: true, dataset: { trackId: id, participantId: r.participantId } });
      a.srcObject = new MediaStream([r.track]);
      audios.set(id, a);
      audioBox.appendChild(a);
      tryPlay(a).then((ok) => { if (!ok && !blocked) { blocked = true; draw(); } });
    }
    for (const [id, a] of audios) {
      if (!room.remote.has(id)) { a.srcObject = null; a.remove(); audios.delete(id); }
    }
  }

  async function listen() {
    let ok = true;
    for (const a of audios.values()) ok = (await tryPlay(a)) && ok;
    blocked = !ok;
    draw();
    if (ok) document.getElementById('room-title')?.focus();
  }

  // --- videos

  /** A <video> for a track, kept across redraws (its key: the track). */
  function videoFor(key, track, { mirror = false, cls = 'tile-video' } = {}) {
    let v = videos.get(key);
    if (!v) {
      v = h('video', { class: cls, autoplay: true, playsinline: true, muted: true });
      v.muted = true;
      videos.set(key, v);
    }
    v.classList.toggle('mirror', mirror);
    if (v.rsTrack !== track) {
      v.rsTrack = track;
      v.srcObject = track ? new MediaStream([track]) : null;
      if (track) tryPlay(v);
    }
    return v;
  }

  function pruneVideos(keep) {
    for (const [k, v] of videos) {
      if (!keep.has(k)) { v.srcObject = null; videos.delete(k); }
    }
  }

  function remoteTrack(trackId) {
    const r = room.remote.get(trackId);
    return r ? r.track : null;
  }

  function participants() {
    return (room.info && room.info.participants) || [];
  }

  /** The stage: the presenter and the track shown (screen share over camera). */
  function stage() {
    if (opts.localStage) {
      const screen = room.local.get('screen');
      const cam = room.local.get('camera');
      const live = (tr) => tr && tr.readyState === 'live' && tr.enabled;
      const pick = live(screen) ? ['screen', screen] : (live(cam) ? ['camera', cam] : null);
      // A team pitching from OBS Studio sees what its WHIP publisher sends.
      const whip = !pick && participants().find((x) => x.presenting && x.via === 'whip' && hasVideo(x));
      if (!whip) return { participant: room.self, source: pick ? pick[0] : '', track: pick ? pick[1] : null, local: true };
    }
    // The team may be in the room twice (its page and OBS Studio): the one
    // that sends video is on stage.
    const presenters = participants().filter((x) => x.presenting && (!opts.localStage || x.via === 'whip'));
    const p = presenters.find(hasVideo) || presenters[0];
    if (!p) return { participant: null, source: '', track: null };
    const by = (src) => (p.tracks || []).find((x) => x.source === src && !x.muted);
    const tr = by('screen') || by('camera');
    return { participant: p, source: tr ? tr.source : '', track: tr ? remoteTrack(tr.id) : null, trackId: tr ? tr.id : '' };
  }

  // --- quality

  function statsOf(pid) {
    if (room.self && pid === room.self.id) return room.stats.self;
    return room.stats.participants[pid] || null;
  }

  function hasVideo(p) {
    return !!p && (p.tracks || []).some((x) => x.kind === 'video' && !x.muted);
  }

  function updateQuality() {
    for (const q of el.querySelectorAll('.quality[data-participant-id]')) {
      const pid = q.dataset.participantId;
      const p = participants().find((x) => x.id === pid);
      setQuality(q, statsOf(pid), { video: hasVideo(p) });
    }
  }

  // --- own media

  const selfBusy = new Set();

  async function toggle(source, button) {
    if (selfBusy.has(source)) return;
    selfBusy.add(source);
    try {
      await withBusy(button, async () => {
        const on = isOn(source);
        if (source === 'screen') {
          if (on) {
            const tr = room.local.get('screen');
            await room.unpublish('screen');
            if (tr) tr.stop();
          } else {
            let track;
            try {
              track = await openScreen();
            } catch (err) {
              const key = mediaErrorKey(err, { screen: true });
              toast(() => t(key, { device: t('source.screen') }), key === 'media.cancelled' ? 'info' : 'error');
              return;
            }
            track.addEventListener('ended', () => {
              if (room.local.get('screen') === track) room.unpublish('screen');
            });
            await room.publish('screen', track);
            announce(t('room.sharing'));
          }
          return;
        }
        if (on) {
          await room.setMuted(source, true, { stopTrack: source === 'camera' });
        } else {
          const cur = room.local.get(source);
          if (cur && cur.readyState === 'live') {
            await room.setMuted(source, false);
          } else {
            let track;
            try {
              track = await openDevice(source, (opts.deviceIds && opts.deviceIds()[source]) || '');
            } catch (err) {
              toast(() => t(mediaErrorKey(err), { device: t(`source.${source}`) }), 'error');
              return;
            }
            await room.publish(source, track);
          }
        }
      });
    } finally {
      selfBusy.delete(source);
      draw();
      document.getElementById(`toggle-${source}`)?.focus();
    }
  }

  /** Whether this page sends source now (published and not muted). */
  function isOn(source) {
    const tr = room.local.get(source);
    return !!tr && tr.readyState === 'live' && !room.muted.get(source);
  }

  function selfControls() {
    const grant = room.grant;
    const allowed = grant && Array.isArray(grant.publish) ? SOURCES.filter((s) => grant.publish.includes(s)) : [];
    if (!allowed.length || layout === 'investor') return null;
    const live = room.state === 'live';
    return h('div', { class: 'self-controls', id: 'self-controls', role: 'group', 'aria-label': t('room.yourMedia') },
      allowed.map((src) => {
        const on = isOn(src);
        return h('button', {
          type: 'button', id: `toggle-${src}`, class: ['btn', 'toggle', on ? 'is-on' : 'is-off', src === 'screen' && on ? 'btn-primary' : null],
          'aria-pressed': on ? 'true' : 'false', disabled: !live,
          dataset: { source: src, on: on ? 'true' : 'false' },
          onclick: (e) => toggle(src, e.currentTarget),
        },
        h('span', { class: 'toggle-dot', 'aria-hidden': 'true' }),
        // The name stays; aria-pressed says whether it is on.
        t(`room.toggle.${src}`),
        h('span', { class: 'toggle-state', 'aria-hidden': 'true' }, t(on ? 'room.on' : 'room.off')));
      }),
      live ? null : h('p', { class: 'help' }, t('room.selfLater')));
  }

  // --- moderation (organizers)

  async function moderateMute(p, src, muted, button) {
    await withBusy(button, async () => {
      try {
        await api.post(`/sessions/${seg(sessionId)}/live/mute`, { participantId: p.id, source: src, muted });
      } catch (err) {
        if (err.status !== 401) toast(() => errorText(err), 'error');
      }
    });
  }

  async function remove(p, button) {
    const reason = (document.getElementById('remove-reason') || {}).value || '';
    if (!reason.trim()) {
      removeError = t('room.removeReasonNeeded');
      draw();
      document.getElementById('remove-reason')?.focus();
      return;
    }
    await withBusy(button, async () => {
      try {
        await api.post(`/sessions/${seg(sessionId)}/live/remove`, { userId: p.userId, reason: reason.trim() });
        toast(() => t('room.removed', { name: p.name }), 'success');
        removing = '';
        removeReason = '';
        removeError = '';
        draw();
      } catch (err) {
        if (err.status === 401) return;
        removeError = err.fields && err.fields.reason ? msgText(err.fields.reason) : errorText(err);
        draw();
      }
    });
  }

  function removeForm(p) {
    return h('form', {
      class: 'remove-form', id: 'remove-form', novalidate: true,
      onsubmit: (e) => { e.preventDefault(); remove(p, document.getElementById('remove-submit')); },
    },
    h('div', { class: ['field', removeError ? 'has-error' : null] },
      h('label', { for: 'remove-reason' }, t('room.removeReason', { name: p.name })),
      h('textarea', {
        id: 'remove-reason', rows: '2', maxlength: '500', required: true, 'aria-invalid': removeError ? 'true' : null,
        'aria-describedby': removeError ? 'remove-error' : 'remove-help',
        oninput: (e) => { removeReason = e.currentTarget.value; },
      }, removeReason),
      removeError ? h('p', { class: 'field-error', id: 'remove-error' }, removeError) : h('p', { class: 'help', id: 'remove-help' }, t('room.removeHelp'))),
    h('div', { class: 'actions' },
      h('button', { type: 'submit', id: 'remove-submit', class: 'btn btn-small btn-danger' }, t('room.removeConfirm')),
      h('button', {
        type: 'button', id: 'remove-cancel', class: 'btn btn-small',
        onclick: () => { removing = ''; removeError = ''; draw(); el.querySelector(`[data-participant-id="${CSS.escape(p.id)}"] .mod-remove`)?.focus(); },
      }, t('common.cancel'))));
  }

  // --- tiles

  function trackBadges(p) {
    const tracks = p.tracks || [];
    if (!tracks.length) return h('span', { class: 'tracks muted' }, t('room.sendsNothing'));
    return h('ul', { class: 'tracks', 'aria-label': t('room.sends') }, tracks.map((tr) => h('li', {
      class: ['track-badge', tr.muted ? 'is-muted' : null], dataset: { source: tr.source, muted: tr.muted ? 'true' : 'false', trackId: tr.id },
    }, t(`source.${tr.source}`), tr.muted ? [' ', h('span', { class: 'muted-word' }, t('room.mutedWord'))] : null)));
  }

  function tile(p, { self = false, moderate = false } = {}) {
    const cam = (p.tracks || []).find((x) => x.source === 'camera' && !x.muted);
    let video = null;
    if (self) {
      const tr = room.local.get('camera');
      if (tr && tr.readyState === 'live' && !room.muted.get('camera')) video = videoFor('self:camera', tr, { mirror: true });
    } else if (cam) {
      const track = remoteTrack(cam.id);
      if (track) video = videoFor(cam.id, track);
    }
    const initials = (p.name || '?').trim().split(/\s+/).map((w) => w[0]).join('').slice(0, 2).toUpperCase();
    return h('li', {
      class: ['room-tile', p.presenting ? 'presenting' : null, self ? 'self' : null],
      dataset: { participantId: p.id, userId: p.userId, role: p.role, via: p.via },
    },
    h('div', { class: 'tile-media' }, video || h('span', { class: 'avatar', 'aria-hidden': 'true' }, initials)),
    h('div', { class: 'tile-info' },
      h('p', { class: 'tile-name' },
        h('strong', { translate: 'no' }, p.name || t('part.unknown')), ' ',
        h('span', { class: 'role-tag', dataset: { role: p.role } }, t(`role.${p.role}`)),
        self ? h('span', { class: 'muted' }, ' ', t('room.you')) : null,
        p.presenting ? h('span', { class: 'badge now-badge' }, t('room.presenting')) : null,
        p.via === 'whip' ? h('span', { class: 'muted' }, ' · OBS (WHIP)') : null),
      trackBadges(p),
      qualityIndicator(statsOf(p.id), { video: hasVideo(p), participantId: p.id })),
    moderate && !self ? h('div', { class: 'mod-actions' },
      (p.tracks || []).map((tr) => h('button', {
        type: 'button', class: 'btn btn-small mod-mute', dataset: { source: tr.source, muted: tr.muted ? 'true' : 'false' },
        'aria-label': t(tr.muted ? 'room.unmuteLabel' : 'room.muteLabel', { name: p.name, source: t(`source.${tr.source}`) }),
        onclick: (e) => moderateMute(p, tr.source, !tr.muted, e.currentTarget),
      }, t(tr.muted ? 'room.unmute' : 'room.mute'), ' ', t(`source.${tr.source}`))),
      p.can && p.can.remove && removing !== p.id ? h('button', {
        type: 'button', class: 'btn btn-small btn-danger-ghost mod-remove',
        'aria-label': t('room.removeLabel', { name: p.name }),
        onclick: () => { removing = p.id; removeError = ''; draw(); document.getElementById('remove-reason')?.focus(); },
      }, t('room.remove')) : null,
      removing === p.id ? removeForm(p) : null) : null);
  }

  // --- drawing

  function statusLine() {
    const s = room.state;
    const info = room.stateInfo || {};
    let text;
    if (s === 'reconnecting') {
      text = info.delay ? t('room.state.retryIn', { s: Math.max(1, Math.round(info.delay / 1000)), n: info.attempt || 1 }) : t('room.state.reconnecting');
    } else if (s === 'waiting') {
      text = t(opts.waitingKey || 'room.state.waiting');
    } else {
      text = t(`room.state.${s}`);
    }
    return h('span', { id: 'room-status', class: ['room-status', `rs-${s}`], role: 'status', dataset: { state: s, attempt: info.attempt || 0 } },
      h('span', { class: 'dot', 'aria-hidden': 'true' }), text,
      s === 'live' && room.stats.self ? [' ', qualityIndicator(room.stats.self, { participantId: room.self ? room.self.id : null, id: 'self-quality' })] : null);
  }

  function notice() {
    const s = room.state;
    const info = room.stateInfo || {};
    if (s === 'closed' && info.bye) {
      const replaced = info.bye.key === 'room.replaced';
      return h('div', { class: ['notice', 'room-notice', info.bye.key === 'room.removed' ? 'is-error' : null], id: 'room-notice', role: 'alert', dataset: { key: info.bye.key || '' } },
        h('p', {}, msgText(info.bye) || t('room.state.closed')),
        replaced || info.bye.key === 'room.left' ? h('button', {
          type: 'button', class: 'btn btn-small', id: 'room-rejoin', onclick: () => room.connect(),
        }, t('room.rejoin')) : null);
    }
    if (s === 'reconnecting') {
      return h('div', { class: 'notice room-notice', id: 'room-notice', dataset: { key: info.bye ? info.bye.key || '' : '' } },
        h('p', {}, info.bye ? msgText(info.bye) : t('room.lost')),
        h('button', { type: 'button', class: 'btn btn-small', id: 'room-retry', onclick: () => room.poke() }, t('room.retryNow')));
    }
    return null;
  }

  function stageBox() {
    const st = stage();
    const se = opts.session();
    const presenting = room.info && room.info.presenting;
    const title = opts.stageTitle ? opts.stageTitle(presenting) : '';
    const key = st.track ? (st.local ? `local:${st.source}` : st.trackId) : '';
    if (key !== stageKey || stageVideo.rsTrack !== st.track) {
      stageKey = key;
      stageVideo.rsTrack = st.track;
      stageVideo.srcObject = st.track ? new MediaStream([st.track]) : null;
      if (st.track) tryPlay(stageVideo);
    }
    stageVideo.setAttribute('aria-label', st.track
      ? t('room.stageLabel', { title: title || (st.participant ? st.participant.name : ''), source: t(`source.${st.source}`) })
      : t('room.stageEmpty'));
    const announceKey = `${presenting || ''}:${st.source}`;
    if (st.track && !st.local && announceKey !== lastStageAnnounce) {
      lastStageAnnounce = announceKey;
      announce(t('room.onStage', { title: title || (st.participant ? st.participant.name : '') }));
    }
    let empty = null;
    if (!st.track) {
      let k = 'room.stage.nobody';
      if (room.state !== 'live') k = 'room.stage.offline';
      else if (st.local) k = 'room.stage.self';
      else if (st.participant) k = 'room.stage.noVideo';
      else if (se && se.state === 'live') k = 'room.stage.waitingTeam';
      empty = h('p', { class: 'stage-empty', id: 'stage-empty' }, t(k));
    }
    return h('figure', {
      class: ['stage', st.track ? 'has-video' : 'is-empty'], id: 'stage',
      dataset: {
        state: st.track ? 'playing' : 'empty', source: st.source || '', applicationId: presenting || '',
        participantId: st.participant ? st.participant.id : '', userId: st.participant ? st.participant.userId : '',
        via: st.participant ? st.participant.via : '',
        trackId: st.trackId || '',
      },
    },
    stageVideo,
    empty,
    h('figcaption', { class: 'stage-caption' },
      h('span', { class: 'stage-title', translate: title || st.participant ? 'no' : null }, title || (st.participant ? st.participant.name : t('room.stageTitle'))),
      st.source ? h('span', { class: 'stage-source' }, t(`room.showing.${st.source}`)) : null,
      st.participant && !st.local ? qualityIndicator(statsOf(st.participant.id), { video: hasVideo(st.participant), participantId: st.participant.id, id: 'stage-quality' }) : null));
  }

  /** Those who only watch (investors, WHEP players): a list, not tiles. */
  function watchersFor() {
    if (layout !== 'organizer') return [];
    const me = room.self ? room.self.id : '';
    return participants().filter((p) => p.id !== me && !(p.tracks || []).length && (p.role === 'investor' || p.via === 'whep'));
  }

  function watcherList(list, moderate) {
    return h('div', { class: 'room-watchers', id: 'room-watchers' },
      h('h3', {}, tn('room.watching', list.length)),
      h('ul', { class: 'watcher-list' }, list.map((p) => h('li', {
        class: 'room-watcher', dataset: { participantId: p.id, userId: p.userId, role: p.role, via: p.via },
      },
      h('span', { class: 'watcher-name' }, h('strong', { translate: 'no' }, p.name || t('part.unknown')), ' ',
        h('span', { class: 'role-tag', dataset: { role: p.role } }, t(`role.${p.role}`)),
        p.via === 'whep' ? h('span', { class: 'muted' }, ' · WHEP') : null),
      moderate && p.can && p.can.remove && removing !== p.id ? h('button', {
        type: 'button', class: 'btn btn-small btn-danger-ghost mod-remove',
        'aria-label': t('room.removeLabel', { name: p.name }),
        onclick: () => { removing = p.id; removeError = ''; draw(); document.getElementById('remove-reason')?.focus(); },
      }, t('room.remove')) : null,
      moderate && removing === p.id ? removeForm(p) : null))));
  }

  function tilesFor() {
    const me = room.self ? room.self.id : '';
    const list = participants();
    if (layout === 'organizer') {
      const watching = new Set(watchersFor().map((p) => p.id));
      return list.filter((p) => !watching.has(p.id));
    }
    if (layout === 'investor') return [];
    // Judges and teams see who may speak: the judges and organizers, and
    // themselves.
    return list.filter((p) => p.id === me || p.role === 'judge' || p.role === 'organizer');
  }

  let drawn = '';
  /** What the room looks like: draw() leaves the page alone while it is the same. */
  function signature() {
    const se = opts.session();
    const local = [...room.local].map(([src, tr]) => [src, tr.id, tr.readyState, tr.enabled]);
    return JSON.stringify([room.state, room.stateInfo, room.info, room.grant, room.self && room.self.id, [...room.remote.keys()],
      local, [...room.muted], blocked, removing, removeError, joins, se && se.state, se && se.currentSlot, document.body.dataset.lang]);
  }

  function draw() {
    if (destroyed) return;
    const sig = signature();
    if (sig === drawn && el.firstChild) return;
    drawn = sig;
    const active = document.activeElement;
    const focusId = active && el.contains(active) ? active.id : '';
    const holder = !focusId && active && el.contains(active) ? active.closest('[data-participant-id]') : null;
    const focusSel = holder ? [holder.dataset.participantId, [...active.classList].find((c) => c.startsWith('mod-')), active.dataset.source] : null;
    const me = room.self ? room.self.id : '';
    const tiles = tilesFor();
    const watchers = watchersFor();
    const moderate = layout === 'organizer' && !!(room.grant && room.grant.moderate);
    const keep = new Set(['self:camera']);
    for (const p of tiles) for (const tr of p.tracks || []) keep.add(tr.id);
    pruneVideos(keep);
    el.dataset.state = room.state;
    el.dataset.joins = String(joins);
    el.replaceChildren(...[
      h('div', { class: 'room-head' },
        h('h2', { id: 'room-title', tabindex: '-1' }, t('room.title')),
        statusLine(),
        blocked ? h('button', { type: 'button', id: 'room-listen', class: 'btn btn-primary', onclick: listen }, icon('♪ '), t('room.listen')) : null),
      notice(),
      stageBox(),
      selfControls(),
      tiles.length ? h('div', { class: 'room-people' },
        h('h3', { class: 'visually-hidden' }, t('room.people')),
        h('ul', { class: ['room-tiles', layout === 'organizer' ? 'grid' : 'strip'], id: 'room-tiles' },
          tiles.map((p) => tile(p, { self: p.id === me, moderate })))) : null,
      watchers.length ? watcherList(watchers, moderate) : null,
      room.info && room.info.viewers ? h('p', { class: 'muted viewers', id: 'room-viewers' }, tn('room.viewers', room.info.viewers)) : null,
      audioBox].filter(Boolean));
    if (focusId) {
      const again = document.getElementById(focusId);
      if (again && !again.disabled) again.focus({ preventScroll: true });
    } else if (focusSel) {
      const tileEl = el.querySelector(`li[data-participant-id="${CSS.escape(focusSel[0])}"]`);
      const again = tileEl && focusSel[1] && tileEl.querySelector(`.${focusSel[1]}${focusSel[2] ? `[data-source="${focusSel[2]}"]` : ''}`);
      if (again) again.focus({ preventScroll: true });
    }
  }

  /** The session changed: join, wait or leave as it allows. */
  function sync() {
    const want = opts.shouldConnect ? opts.shouldConnect() : true;
    if (want) {
      if (room.state === 'idle') room.connect();
      else room.poke();
    }
    draw();
  }

  draw();
  return {
    el,
    room,
    draw,
    sync,
    isOn,
    /** Publishes the tracks of a stream (the applicant's checked devices). */
    async sendDevices(stream, { muted = {} } = {}) {
      for (const track of stream.getTracks()) {
        const source = track.kind === 'video' ? 'camera' : 'microphone';
        await room.publish(source, track);
        if (muted[source]) await room.setMuted(source, true);
      }
    },
    destroy() {
      destroyed = true;
      room.destroy();
      for (const a of audios.values()) { a.srcObject = null; }
      for (const v of videos.values()) { v.srcObject = null; }
      stageVideo.srcObject = null;
    },
    /** Whether the room holds the sound back (for tests and the page). */
    get blocked() { return blocked; },
    finalBye,
  };
}
