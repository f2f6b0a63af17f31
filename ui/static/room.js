// The live room of a session, without the DOM: a room token, the signaling
// socket (GET /api/v1/sessions/{id}/live?token=) and two peer connections,
// "publish" (the page offers) and "subscribe" (the relay offers), as the
// relay's signal.go describes. It keeps the local tracks across
// reconnections: when the socket closes or ICE fails it starts again with a
// new token, socket and connections, after an exponential backoff, and
// publishes the same tracks again.
//
// States (onState): "connecting", "live", "reconnecting" {attempt, delay},
// "closed" {bye, final}. A final close (the slot ended, removed, the session
// ended, another tab took over) does not reconnect; connect() may be called
// again (e.g. "Rejoin here" after room.replaced).

import { api, seg, getSession } from './api.js';

const MAX_DELAY = 30_000;
// Byes after which the page does not come back by itself.
const FINAL_BYES = new Set([
  'room.slot_ended', 'room.removed', 'room.session_ended', 'room.replaced', 'room.no_longer_allowed', 'room.left',
  'auth.token_revoked',
]);
// How long ICE may stay "disconnected" before the page starts again.
const DISCONNECTED_GRACE = 5000;
// How long the room must hold before the backoff starts over.
const STABLE_AFTER = 10_000;
// Beyond this many publish transceivers (each screen share adds one), the
// page starts the connections afresh instead of adding more.
const MAX_TRANSCEIVERS = 12;

/** The media sections of an SDP by mid: {direction, msid: {stream, track}, ssrcs}. */
export function parseSections(sdp) {
  const out = new Map();
  let cur = null;
  const flush = () => { if (cur && cur.mid !== null) out.set(cur.mid, cur); };
  for (const line of sdp.split(/\r?\n/)) {
    if (line.startsWith('m=')) {
      flush();
      cur = { mid: null, direction: 'sendrecv', msid: null, ssrcs: [] };
    } else if (cur) {
      const ssrc = /^a=ssrc:(\d+) /.exec(line);
      if (ssrc && !cur.ssrcs.includes(Number(ssrc[1]))) cur.ssrcs.push(Number(ssrc[1]));
      if (line.startsWith('a=mid:')) cur.mid = line.slice(6).trim();
      else if (line.startsWith('a=msid:')) {
        const [stream, track] = line.slice(7).trim().split(/\s+/);
        if (stream && track) cur.msid = { stream, track };
      } else if (/^a=(sendrecv|sendonly|recvonly|inactive)$/.test(line.trim())) cur.direction = line.trim().slice(2);
    }
  }
  flush();
  return out;
}

/** Whether a bye (or a refused token) ends the membership for good. */
export function finalBye(problem) {
  return !!problem && FINAL_BYES.has(problem.key);
}

/**
 * Opens the room. handlers: onState(state, info), onWelcome(msg),
 * onRoom(room), onGrant(grant), onMuted(msg), onProblem(problem),
 * onTracks() (a remote track came or went), onPublished() (what this page
 * sends changed). shouldConnect() tells whether joining makes sense now
 * (the session is live, the team's slot is live); while it is false the
 * room waits and connect() does nothing.
 */
export function createRoom(sessionId, handlers = {}) {
  const call = (name, ...args) => {
    const fn = handlers[name];
    if (typeof fn !== 'function') return undefined;
    try { return fn(...args); } catch (e) { console.error(e); return undefined; } // eslint-disable-line no-console
  };

  const room = {
    state: 'idle',
    stateInfo: {},
    self: null,
    grant: null,
    info: null,
    iceServers: [],
    // trackId -> {track, participantId, kind}: what the relay sends us.
    remote: new Map(),
    // SSRC -> {trackId, participantId}: the streams the relay sends now.
    ssrcs: new Map(),
    // source -> MediaStreamTrack: what this page publishes (kept across reconnections).
    local: new Map(),
    // source -> true when this page muted it (mute message sent).
    muted: new Map(),
    stats: { participants: {}, self: null, at: 0 },
  };

  let ws = null;
  let pub = null;          // publish RTCPeerConnection
  let sub = null;          // subscribe RTCPeerConnection
  const senders = new Map(); // source -> RTCRtpTransceiver
  let localStream = new MediaStream();
  let attempt = 0;
  let retryTimer = 0;
  let graceTimer = 0;
  let stableTimer = 0;
  let stopped = true;      // no (re)connection wanted
  let generation = 0;      // bumps at every teardown: callbacks of old connections are ignored
  let negotiating = Promise.resolve();
  let answerWaiter = null; // resolves the publish offer's answer
  let statsTimer = 0;
  let lastStats = new Map(); // stat id -> {bytes, packets, lost, at}
  // The bye that sent the page away (e.g. "the server is restarting"): it
  // stays in the state's info through the attempts to come back, until the
  // room welcomes the page again.
  let lastBye = null;

  function setState(s, info = {}) {
    room.state = s;
    room.stateInfo = info;
    call('onState', s, info);
  }

  function send(msg) {
    if (ws && ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(msg));
  }

  // --- connection life cycle

  async function open() {
    clearTimeout(retryTimer);
    retryTimer = 0;
    if (stopped) return;
    if (handlers.shouldConnect && !call('shouldConnect')) { setState('waiting'); return; }
    const gen = generation;
    setState(attempt ? 'reconnecting' : 'connecting', lastBye ? { attempt, bye: lastBye } : { attempt });
    let access;
    try {
      access = await api.post(`/sessions/${seg(sessionId)}/live/token`);
    } catch (err) {
      if (gen !== generation || stopped) return;
      if (err.status === 401) { stop(); return; }
      // Over (409), removed (403), gone (404): nothing to come back to.
      if (err.status === 403 || err.status === 404 || err.status === 409) {
        closeFinal(err.msg || { key: 'room.no_longer_allowed', args: {}, message: '' });
        return;
      }
      retry();
      return;
    }
    if (gen !== generation || stopped) return;
    room.iceServers = access.iceServers || [];
    room.grant = access.grant || null;
    const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const path = access.websocket || `/api/v1/sessions/${seg(sessionId)}/live`;
    let sock;
    try {
      sock = new WebSocket(`${proto}//${location.host}${path}?token=${encodeURIComponent(access.token)}`);
    } catch {
      retry();
      return;
    }
    ws = sock;
    let welcomed = false;
    sock.addEventListener('message', (m) => {
      if (ws !== sock || gen !== generation) return;
      let msg;
      try { msg = JSON.parse(m.data); } catch { return; }
      if (!msg || typeof msg.type !== 'string') return;
      if (msg.type === 'welcome') welcomed = true;
      onMessage(msg, gen).catch((e) => console.error(e)); // eslint-disable-line no-console
    });
    sock.addEventListener('close', () => {
      if (ws !== sock || gen !== generation) return;
      ws = null;
      if (stopped) return;
      // Refused before the upgrade, or dropped: try again (the page's
      // shouldConnect tells when there is nothing to join).
      teardown();
      if (!welcomed && handlers.shouldConnect && !call('shouldConnect')) { setState('waiting'); return; }
      retry();
    });
  }

  /** Tries again after a backoff; info (e.g. the bye that came) goes with the state. */
  function retry(info = {}) {
    if (stopped) return;
    attempt += 1;
    const base = Math.min(MAX_DELAY, 1000 * 2 ** Math.min(attempt - 1, 5));
    const delay = Math.round(base / 2 + Math.random() * (base / 2));
    if (info.bye) lastBye = info.bye;
    setState('reconnecting', lastBye ? { ...info, bye: lastBye, attempt, delay } : { ...info, attempt, delay });
    clearTimeout(retryTimer);
    retryTimer = setTimeout(open, delay);
  }

  /** Closes the connections (the local tracks stay). */
  function teardown() {
    generation += 1;
    clearTimeout(graceTimer);
    clearTimeout(stableTimer);
    clearInterval(statsTimer);
    statsTimer = 0;
    if (answerWaiter) { answerWaiter.reject(new Error('closed')); answerWaiter = null; }
    negotiating = Promise.resolve();
    for (const pc of [pub, sub]) {
      if (pc) { try { pc.close(); } catch { /* closed */ } }
    }
    pub = null;
    sub = null;
    senders.clear();
    if (ws) {
      const sock = ws;
      ws = null;
      try { sock.close(1000); } catch { /* closed */ }
    }
    const hadRemote = room.remote.size > 0;
    room.remote.clear();
    room.ssrcs = new Map();
    lastStats = new Map();
    room.stats = { participants: {}, self: null, at: 0 };
    if (hadRemote) call('onTracks');
  }

  function closeFinal(problem) {
    stopped = true;
    clearTimeout(retryTimer);
    teardown();
    room.info = null;
    setState('closed', { bye: problem, final: true });
  }

  function stop() {
    stopped = true;
    clearTimeout(retryTimer);
    teardown();
    setState('idle');
  }

  /** Starts again (a failed ICE connection, a bye that is not final). */
  function restart(info) {
    if (stopped) return;
    teardown();
    retry(info);
  }

  // --- messages

  async function onMessage(msg, gen) {
    switch (msg.type) {
      case 'welcome':
        lastBye = null;
        // The backoff starts over once the room has held for a while, so
        // that a connection that keeps failing right after joining backs off.
        clearTimeout(stableTimer);
        stableTimer = setTimeout(() => { if (gen === generation) attempt = 0; }, STABLE_AFTER);
        room.self = msg.self || null;
        room.grant = msg.grant || room.grant;
        room.info = msg.room || null;
        if (msg.iceServers && msg.iceServers.length) room.iceServers = msg.iceServers;
        sub = newPC(gen, 'subscribe');
        setState('live');
        call('onWelcome', msg);
        call('onRoom', room.info);
        startStats(gen);
        await publishAll(gen);
        break;
      case 'offer':
        if (msg.pc === 'subscribe') await answerSubscribe(msg.sdp, gen);
        break;
      case 'answer':
        if (msg.pc === 'publish' && answerWaiter) {
          const w = answerWaiter;
          answerWaiter = null;
          w.resolve(msg.sdp);
        }
        break;
      case 'room':
        room.info = msg.room || null;
        pruneRemote();
        call('onRoom', room.info);
        break;
      case 'grant':
        room.grant = msg.grant || room.grant;
        call('onGrant', room.grant);
        // Sources the grant no longer allows stop at the relay already.
        await publishAll(gen);
        break;
      case 'muted':
        if (room.self && msg.participant === room.self.id) room.muted.set(msg.source, !!msg.muted);
        call('onMuted', msg);
        break;
      case 'error':
        call('onProblem', msg.error || {});
        break;
      case 'bye': {
        const bye = msg.bye || {};
        if (finalBye(bye)) closeFinal(bye);
        else restart({ bye });
        break;
      }
      case 'candidate':
        break; // the relay's candidates are in its descriptions
      default:
        // Session events (session, timer, progress, scores, results): the
        // page follows them on the events stream.
        call('onEvent', msg);
    }
  }

  function newPC(gen, name) {
    const pc = new RTCPeerConnection({ iceServers: room.iceServers, bundlePolicy: 'max-bundle' });
    pc.addEventListener('icecandidate', (e) => {
      if (gen === generation && e.candidate && e.candidate.candidate) send({ type: 'candidate', pc: name, candidate: e.candidate.toJSON() });
    });
    pc.addEventListener('connectionstatechange', () => {
      if (gen !== generation) return;
      const st = pc.connectionState;
      if (st === 'failed') { restart(); return; }
      if (st === 'disconnected') {
        clearTimeout(graceTimer);
        graceTimer = setTimeout(() => {
          if (gen === generation && pc.connectionState !== 'connected') restart();
        }, DISCONNECTED_GRACE);
      } else if (st === 'connected') {
        clearTimeout(graceTimer);
      }
    });
    return pc;
  }

  async function answerSubscribe(sdp, gen) {
    if (!sub || gen !== generation) return;
    try {
      await sub.setRemoteDescription({ type: 'offer', sdp });
      const answer = await sub.createAnswer();
      await sub.setLocalDescription(answer);
      if (gen === generation) send({ type: 'answer', pc: 'subscribe', sdp: sub.localDescription.sdp });
      if (gen === generation) mapRemote(sdp);
    } catch (e) {
      if (gen === generation) { console.error(e); restart(); } // eslint-disable-line no-console
    }
  }

  /**
   * Which receiver carries which room track, from the relay's offer: the
   * relay reuses a transceiver for the next track of the same kind, so the
   * receiver's own track id says nothing; each media section's msid names
   * the room track and its publisher (the stream id).
   */
  function mapRemote(sdp) {
    const sections = parseSections(sdp);
    const next = new Map();
    const ssrcs = new Map();
    for (const tr of sub.getTransceivers()) {
      const sec = tr.mid !== null ? sections.get(tr.mid) : null;
      if (!sec || !sec.msid || !(sec.direction === 'sendonly' || sec.direction === 'sendrecv')) continue;
      const track = tr.receiver && tr.receiver.track;
      if (!track) continue;
      next.set(sec.msid.track, { track, participantId: sec.msid.stream, kind: track.kind });
      for (const n of sec.ssrcs) ssrcs.set(n, { trackId: sec.msid.track, participantId: sec.msid.stream });
    }
    // Statistics name the stream by its SSRC: the current ones only, so
    // that a reused receiver's earlier stream counts for nobody.
    room.ssrcs = ssrcs;
    let changed = next.size !== room.remote.size;
    for (const [id, r] of next) {
      const old = room.remote.get(id);
      if (!old || old.track !== r.track) changed = true;
    }
    room.remote = next;
    if (changed) call('onTracks');
  }

  /** Drops remote tracks the room no longer lists. */
  function pruneRemote() {
    const listed = new Set();
    for (const p of (room.info && room.info.participants) || []) for (const t of p.tracks || []) listed.add(t.id);
    let changed = false;
    for (const id of room.remote.keys()) {
      if (!listed.has(id)) { room.remote.delete(id); changed = true; }
    }
    if (changed) call('onTracks');
  }

  // --- publishing

  function canPublish(source) {
    return !!(room.grant && Array.isArray(room.grant.publish) && room.grant.publish.includes(source));
  }

  /** Sends every kept local track the grant allows (after a welcome or a grant). */
  async function publishAll(gen) {
    let added = false;
    for (const [source, track] of room.local) {
      if (!canPublish(source) || track.readyState === 'ended') continue;
      if (!senders.has(source)) {
        ensurePub(gen);
        const tr = pub.addTransceiver(track, { direction: 'sendonly', streams: [localStream] });
        senders.set(source, tr);
        added = true;
      }
    }
    if (added) await negotiate(gen);
    for (const [source, muted] of room.muted) {
      if (muted && senders.has(source)) send({ type: 'mute', source });
    }
    call('onPublished');
  }

  function ensurePub(gen) {
    if (!pub) pub = newPC(gen, 'publish');
  }

  /** Offers the publish connection's transceivers, one offer at a time. */
  function negotiate(gen) {
    negotiating = negotiating.then(async () => {
      if (!pub || gen !== generation) return;
      const offer = await pub.createOffer();
      await pub.setLocalDescription(offer);
      const sources = {};
      for (const [source, tr] of senders) if (tr.mid !== null && !tr.stopped) sources[tr.mid] = source;
      const answered = new Promise((resolve, reject) => { answerWaiter = { resolve, reject }; });
      send({ type: 'offer', pc: 'publish', sdp: pub.localDescription.sdp, sources });
      const sdp = await answered;
      if (gen !== generation || !pub) return;
      await pub.setRemoteDescription({ type: 'answer', sdp });
    }).catch((e) => {
      if (gen === generation && e && e.message !== 'closed') { console.error(e); restart(); } // eslint-disable-line no-console
    });
    return negotiating;
  }

  /**
   * Publishes track as source, or replaces the track already sent for it
   * (another camera, the camera back on). Kept across reconnections.
   */
  async function publish(source, track) {
    const old = room.local.get(source);
    if (old && old !== track) localStream.removeTrack(old);
    room.local.set(source, track);
    if (!localStream.getTracks().includes(track)) localStream.addTrack(track);
    if (room.state !== 'live' || !canPublish(source)) { call('onPublished'); return; }
    const gen = generation;
    const tr = senders.get(source);
    if (tr && !tr.stopped) {
      await tr.sender.replaceTrack(track);
    } else {
      if (pub && pub.getTransceivers().length >= MAX_TRANSCEIVERS) { restart(); return; }
      ensurePub(gen);
      senders.set(source, pub.addTransceiver(track, { direction: 'sendonly', streams: [localStream] }));
      await negotiate(gen);
    }
    if (room.muted.get(source)) await setMuted(source, false);
    call('onPublished');
  }

  /** Stops sending source: the relay withdraws it at once. */
  async function unpublish(source) {
    const track = room.local.get(source);
    room.local.delete(source);
    room.muted.delete(source);
    if (track) localStream.removeTrack(track);
    const tr = senders.get(source);
    senders.delete(source);
    if (room.state === 'live') send({ type: 'unpublish', source });
    if (tr && pub) {
      try { tr.stop(); } catch { /* stopped */ }
      await negotiate(generation);
    }
    call('onPublished');
  }

  /**
   * Mutes or unmutes source: the relay stops forwarding it and tells
   * everyone. With stopTrack (camera off, microphone off for privacy) the
   * device is released too; publish() with a new track turns it back on.
   */
  async function setMuted(source, muted, { stopTrack = false } = {}) {
    room.muted.set(source, muted);
    const tr = senders.get(source);
    const track = room.local.get(source);
    if (track) track.enabled = !muted;
    if (muted && stopTrack && track) {
      if (tr && !tr.stopped) { try { await tr.sender.replaceTrack(null); } catch { /* closed */ } }
      track.stop();
    }
    if (tr) send({ type: muted ? 'mute' : 'unmute', source });
    call('onPublished');
  }

  // --- statistics

  function startStats(gen) {
    clearInterval(statsTimer);
    statsTimer = setInterval(() => { collect(gen).catch(() => {}); }, 2000);
    collect(gen).catch(() => {});
  }

  function delta(id, bytes, packets, lost, now) {
    const prev = lastStats.get(id);
    lastStats.set(id, { bytes, packets, lost, at: now });
    if (!prev || now <= prev.at) return null;
    const dt = (now - prev.at) / 1000;
    const dp = Math.max(0, packets - prev.packets);
    const dl = Math.max(0, lost - prev.lost);
    return { kbps: Math.max(0, (bytes - prev.bytes) * 8 / 1000 / dt), loss: dp + dl > 0 ? (dl / (dp + dl)) * 100 : 0 };
  }

  async function collect(gen) {
    if (gen !== generation) return;
    const now = performance.now();
    const participants = {};
    if (sub) {
      const report = await sub.getStats();
      if (gen !== generation) return;
      let rtt = null;
      report.forEach((s) => {
        if (s.type === 'candidate-pair' && s.nominated && s.state === 'succeeded' && typeof s.currentRoundTripTime === 'number') {
          rtt = s.currentRoundTripTime * 1000;
        }
      });
      report.forEach((s) => {
        if (s.type !== 'inbound-rtp') return;
        const pid = (room.ssrcs.get(s.ssrc) || {}).participantId;
        if (!pid) return;
        const q = participants[pid] || (participants[pid] = { kbps: 0, loss: 0, rtt, audioBytes: 0, videoBytes: 0, width: 0, fps: 0, n: 0 });
        const d = delta(s.id, s.bytesReceived || 0, s.packetsReceived || 0, s.packetsLost || 0, now);
        if (s.kind === 'audio') q.audioBytes += s.bytesReceived || 0;
        else { q.videoBytes += s.bytesReceived || 0; q.width = Math.max(q.width, s.frameWidth || 0); q.fps = Math.max(q.fps, s.framesPerSecond || 0); }
        if (d) { q.kbps += d.kbps; q.loss = Math.max(q.loss, d.loss); q.n += 1; }
      });
    }
    let self = null;
    if (pub) {
      const report = await pub.getStats();
      if (gen !== generation) return;
      self = { kbps: 0, loss: 0, rtt: null, n: 0 };
      report.forEach((s) => {
        if (s.type === 'outbound-rtp') {
          const d = delta(s.id, s.bytesSent || 0, s.packetsSent || 0, 0, now);
          if (d) { self.kbps += d.kbps; self.n += 1; }
        } else if (s.type === 'remote-inbound-rtp') {
          if (typeof s.roundTripTime === 'number') self.rtt = Math.max(self.rtt || 0, s.roundTripTime * 1000);
          if (typeof s.fractionLost === 'number') self.loss = Math.max(self.loss, s.fractionLost * 100);
        }
      });
      if (!self.n) self = null;
    }
    room.stats = { participants, self, at: Date.now() };
    call('onStats', room.stats);
  }

  /** Diagnostics: the inbound RTP statistics of the subscribe connection. */
  async function inbound() {
    if (!sub) return [];
    const out = [];
    (await sub.getStats()).forEach((s) => { if (s.type === 'inbound-rtp') out.push(s); });
    return out;
  }

  // Back online: try at once instead of waiting out the backoff.
  function online() {
    if (!stopped && retryTimer) { clearTimeout(retryTimer); open(); }
  }
  window.addEventListener('online', online);

  return Object.assign(room, {
    /** Joins (or rejoins after a final close). */
    connect() {
      if (!stopped && (ws || retryTimer || room.state === 'connecting')) return;
      if (!getSession()) return;
      stopped = false;
      attempt = 0;
      lastBye = null;
      open();
    },
    /** Tells the room that shouldConnect() may have changed. */
    poke() {
      if (stopped) return;
      if (room.state === 'waiting' || (room.state === 'reconnecting' && !ws)) { clearTimeout(retryTimer); open(); }
    },
    publish,
    unpublish,
    setMuted,
    canPublish,
    inbound,
    /** Stops and forgets the local tracks (the devices go off). */
    dropLocal() {
      for (const t of room.local.values()) t.stop();
      room.local.clear();
      room.muted.clear();
      localStream = new MediaStream();
      call('onPublished');
    },
    /** Leaves the room; the local tracks are stopped unless keepTracks. */
    leave({ keepTracks = false } = {}) {
      send({ type: 'leave' });
      stop();
      if (!keepTracks) {
        for (const t of room.local.values()) t.stop();
        room.local.clear();
        room.muted.clear();
        localStream = new MediaStream();
      }
    },
    destroy() {
      window.removeEventListener('online', online);
      this.leave();
    },
  });
}

/**
 * The quality of a connection from its numbers: "good", "fair", "poor" or
 * "unknown" (nothing measured yet). kbps counts only for video.
 */
export function qualityLevel(q, { video = false } = {}) {
  if (!q || (q.n === 0 && q.rtt == null)) return 'unknown';
  const rtt = q.rtt == null ? 0 : q.rtt;
  if (q.loss > 5 || rtt > 400 || (video && q.n > 0 && q.kbps < 100)) return 'poor';
  if (q.loss > 2 || rtt > 200 || (video && q.n > 0 && q.kbps < 300)) return 'fair';
  return 'good';
}
