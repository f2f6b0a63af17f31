// #/sessions/{id} for an applicant: the team's pitch room. Before the slot:
// a device check (camera preview, microphone level, choice of devices) and
// "waiting for your slot" in the team's own time; when the slot is live:
// "Go live", then camera, microphone and screen share with the slot timer,
// the judges seen and heard; after it: thanks, and the rank once published.
// Teams that pitch from OBS Studio find the WHIP address and their stream
// key here.

import { api, seg } from '../api.js';
import {
  t, tn, msgText, formatIn, zoneLabel, zoneAbbr, timeZone, DALIAN_TZ, formatScore, formatDateTime,
} from '../i18n.js';
import {
  h, toast, errorText, loadRef, withBusy, errorPanel, announce, icon,
} from '../ui.js';
import { sessionTitle, stateBadge, liveStatus, setLiveStatus } from './sessionparts.js';
import { liveEvents, countdown, formatClock } from '../live.js';
import {
  openDevices, openDevice, listDevices, levelMeter, mediaErrorKey, mediaAvailable,
} from '../media.js';
import { liveRoomView, titled } from './liveroom.js';
import { spreadText } from './results.js';

export async function pitchPage(ctx) {
  const ref = await loadRef();
  let se;
  try {
    se = await api.get(`/sessions/${seg(ctx.params.id)}`);
  } catch (err) {
    if (err.status !== 401) ctx.mount(errorPanel(err, () => ctx.navigate(location.hash)));
    return null;
  }
  const id = se.id;
  let liveState = 'connecting';
  let results = null;
  let wentLive = false;     // the team pressed "Go live" in this slot
  let key = null;           // {token, expiresAt, whip}: the stream key shown
  let keyError = null;

  // The devices being checked before going live.
  const dev = {
    stream: null, cameraId: '', micId: '', cameras: [], mics: [], problems: [], error: '', level: 0, meter: null, meterTrack: null,
  };
  const preview = h('video', { id: 'preview-video', class: 'preview-video mirror', autoplay: true, playsinline: true, muted: true });
  preview.muted = true;

  /** The indexes of the team's own slots (the applicant's view names only those). */
  const own = () => se.slots.map((sl, i) => (sl.applicationId ? i : -1)).filter((i) => i >= 0);
  const mySlot = () => own()[0] ?? -1;
  // Whether the team may go live now is the server's answer (can.present).
  const slotLive = () => !!se.can?.present;

  const clock = countdown(updateTimer);
  clock.fromSession(se);

  const view = liveRoomView({
    sessionId: id, layout: 'applicant', user: ctx.user, localStage: true,
    session: () => se,
    shouldConnect: slotLive,
    waitingKey: 'room.state.waitingSlot',
    stageTitle: () => t('pitch.yourStage'),
    deviceIds: () => ({ camera: dev.cameraId, microphone: dev.micId }),
    onSelfChange: () => { renderDevices(); renderPhase(); },
    onRoomInfo: () => renderPhase(),
    onRoomState: (st, info) => {
      // The slot is over (or the team was sent away): camera and
      // microphone go off at once.
      if (st === 'closed' && info && info.final) {
        room.dropLocal();
        if (dev.stream) for (const tr of dev.stream.getTracks()) tr.stop();
        dev.stream = null;
        wentLive = false;
      }
      renderPhase();
      renderDevices();
    },
  });
  const room = view.room;

  const live = liveEvents(id, {
    onState(s) { liveState = s; setLiveStatus(s); },
    onEvent(ev) {
      if (!ctx.isCurrent()) return;
      if (ev.type === 'session' && ev.session && ev.session.id === id) {
        const wasLive = slotLive();
        se = ev.session;
        clock.fromSession(se);
        if (!wasLive && slotLive()) {
          wentLive = false;
          announce(t('pitch.announceYourTurn'));
        }
        view.sync();
        render();
      } else if (ev.type === 'timer') {
        clock.set(ev.timer);
      } else if (ev.type === 'results') {
        if (ev.session) se = ev.session;
        loadResults();
      }
    },
  });

  async function loadResults() {
    if (!se.publishedAt) { results = null; return; }
    try { results = await api.get(`/sessions/${seg(id)}/results`); } catch { results = null; }
    renderPhase(true);
  }

  // --- timer

  function updateTimer(sec) {
    const el = document.getElementById('slot-timer');
    if (!el) return;
    const over = sec !== null && sec < 0;
    el.textContent = formatClock(sec);
    el.dataset.remaining = sec === null ? '' : String(sec);
    el.dataset.over = over ? 'true' : 'false';
    el.classList.toggle('over', over);
    const label = document.getElementById('slot-timer-label');
    if (label) label.textContent = t(over ? 'live.overtime' : 'live.remaining');
  }

  // --- devices

  function currentTrack(kind) {
    const source = kind === 'video' ? 'camera' : 'microphone';
    const tr = room.local.get(source);
    if (tr && tr.readyState === 'live') return tr;
    if (!dev.stream) return null;
    return (kind === 'video' ? dev.stream.getVideoTracks() : dev.stream.getAudioTracks()).find((x) => x.readyState === 'live') || null;
  }

  function watchLevel() {
    const mic = currentTrack('audio');
    if (mic === dev.meterTrack) return;
    if (dev.meter) dev.meter.stop();
    dev.meter = null;
    dev.meterTrack = mic;
    if (!mic) { setLevel(0); return; }
    dev.meter = levelMeter(mic, setLevel);
  }

  function setLevel(v) {
    dev.level = v;
    const m = document.getElementById('mic-level');
    if (m) {
      m.value = v;
      m.dataset.level = v.toFixed(2);
      m.setAttribute('aria-valuetext', t('pitch.levelText', { pct: Math.round(v * 100) }));
    }
  }

  async function refreshDeviceList() {
    try {
      const l = await listDevices();
      dev.cameras = l.cameras;
      dev.mics = l.mics;
    } catch { /* keep the old list */ }
  }

  async function startDevices(button) {
    await withBusy(button, async () => {
      dev.error = '';
      dev.problems = [];
      try {
        const res = await openDevices({ cameraId: dev.cameraId, micId: dev.micId });
        if (dev.stream) for (const tr of dev.stream.getTracks()) tr.stop();
        dev.stream = res.stream;
        dev.problems = res.problems;
      } catch (err) {
        dev.error = mediaErrorKey(err);
      }
      await refreshDeviceList();
      const cam = currentTrack('video');
      const mic = currentTrack('audio');
      if (cam) dev.cameraId = cam.getSettings().deviceId || dev.cameraId;
      if (mic) dev.micId = mic.getSettings().deviceId || dev.micId;
    });
    renderDevices();
    (document.getElementById('go-live') || document.getElementById('devices-start') || document.getElementById('device-error'))?.focus();
  }

  function stopDevices() {
    if (dev.stream) for (const tr of dev.stream.getTracks()) tr.stop();
    dev.stream = null;
    if (dev.meter) dev.meter.stop();
    dev.meter = null;
    dev.meterTrack = null;
    renderDevices();
    document.getElementById('devices-start')?.focus();
  }

  /** Another camera or microphone: swapped in the preview, and on air when live. */
  async function chooseDevice(kind, deviceId) {
    const source = kind === 'video' ? 'camera' : 'microphone';
    if (kind === 'video') dev.cameraId = deviceId; else dev.micId = deviceId;
    const old = currentTrack(kind);
    if (!old) return;
    let track;
    try {
      track = await openDevice(source, deviceId);
    } catch (err) {
      toast(() => t(mediaErrorKey(err), { device: t(`source.${source}`) }), 'error');
      return;
    }
    if (room.local.get(source) === old) {
      await room.publish(source, track);
    }
    if (dev.stream && dev.stream.getTracks().includes(old)) {
      dev.stream.removeTrack(old);
      dev.stream.addTrack(track);
    }
    old.stop();
    renderDevices();
    document.getElementById(kind === 'video' ? 'camera-select' : 'mic-select')?.focus();
  }

  async function goLive(button) {
    await withBusy(button, async () => {
      if (!dev.stream || !dev.stream.getTracks().some((x) => x.readyState === 'live')) {
        try {
          const res = await openDevices({ cameraId: dev.cameraId, micId: dev.micId });
          dev.stream = res.stream;
          dev.problems = res.problems;
          dev.error = '';
        } catch (err) {
          dev.error = mediaErrorKey(err);
          renderDevices();
          document.getElementById('device-error')?.focus();
          return;
        }
      }
      await view.sendDevices(dev.stream);
      wentLive = true;
      announce(t('pitch.announceLive'));
    });
    render();
    document.getElementById('toggle-screen')?.focus();
  }

  // --- stream key (OBS Studio over WHIP)

  function whipURL() {
    const u = key && key.whip ? key.whip : `/api/v1/sessions/${id}/whip`;
    return u.startsWith('/') ? `${location.origin}${u}` : u;
  }

  async function copy(text, input) {
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch {
      if (input) { input.focus(); input.select(); }
      return false;
    }
  }

  async function copyKey(button) {
    await withBusy(button, async () => {
      try {
        const access = await api.post(`/sessions/${seg(id)}/live/token`);
        key = { token: access.token, expiresAt: access.expiresAt, whip: access.whip };
        keyError = null;
      } catch (err) {
        if (err.status === 401) return;
        keyError = err;
        renderObs();
        return;
      }
      renderObs();
      const ok = await copy(key.token, document.getElementById('stream-key'));
      toast(ok ? t('obs.keyCopied', { time: formatIn(key.expiresAt, '', { parts: 'time' }) }) : t('obs.keyShown'), ok ? 'success' : 'info');
    });
    document.getElementById('stream-key-copy')?.focus();
  }

  // --- regions

  function slotWhen(sl) {
    const zone = timeZone();
    return h('dl', { class: 'facts slot-facts', id: 'my-slot-time' },
      h('dt', {}, t('my.yourTime', { zone: zoneLabel(zone) })),
      h('dd', { class: 'slot-viewer-time' }, h('time', { datetime: sl.start },
        `${formatIn(sl.start, zone)}–${formatIn(sl.end, zone, { parts: 'time' })} (${zoneAbbr(sl.start, zone)})`)),
      h('dt', {}, t('sess.dalianTime')),
      h('dd', { class: 'slot-dalian-time' }, `${formatIn(sl.start, DALIAN_TZ)}–${formatIn(sl.end, DALIAN_TZ, { parts: 'time' })}`));
  }

  function phase() {
    if (se.state === 'cancelled') return 'cancelled';
    const mine = mySlot();
    const bye = room.state === 'closed' && room.stateInfo && room.stateInfo.bye;
    if (se.state === 'ended' || (se.state === 'live' && se.currentSlot > mine && !slotLive())) return 'done';
    if (slotLive()) {
      if (bye && bye.key === 'room.slot_ended') return 'done';
      return (wentLive && room.local.size) || fromOBS() ? 'live' : 'ready';
    }
    return 'waiting';
  }

  /** Whether the team's OBS Studio sends the pitch (a WHIP publisher of this account). */
  function fromOBS() {
    return ((room.info && room.info.participants) || []).some((p) => p.via === 'whip' && p.userId === ctx.user.id && (p.tracks || []).length > 0);
  }

  function timerBox() {
    const v = clock.value();
    const over = v !== null && v < 0;
    return h('div', { class: 'timer-box' },
      h('span', { class: 'label', id: 'slot-timer-label' }, t(over ? 'live.overtime' : 'live.remaining')),
      h('span', {
        id: 'slot-timer', class: ['slot-timer', over ? 'over' : null], role: 'timer', 'aria-labelledby': 'slot-timer-label',
        dataset: { remaining: v === null ? '' : v, over: over ? 'true' : 'false' },
      }, formatClock(v)));
  }

  function phasePanel() {
    const ph = phase();
    const mine = mySlot();
    const sl = se.slots[mine];
    const cur = se.state === 'live' ? se.slots[se.currentSlot] : null;
    let body;
    switch (ph) {
      case 'waiting': {
        const before = se.state === 'live' ? Math.max(0, mine - se.currentSlot) : mine;
        body = [
          h('p', { class: 'phase-lead' }, t(se.state === 'live' ? 'pitch.waitingLive' : 'pitch.waiting')),
          sl ? slotWhen(sl) : null,
          se.state === 'live' && cur ? h('p', { id: 'now-pitching' }, titled('pitch.nowPitching', cur.title || t('apps.untitled')), ' · ',
            tn('pitch.teamsBefore', before)) : h('p', { class: 'muted', id: 'order-before' }, mine > 0 ? tn('pitch.orderBefore', mine) : t('pitch.orderFirst')),
          h('p', { class: 'help' }, t('pitch.waitingHelp')),
        ];
        break;
      }
      case 'ready':
        body = [
          h('p', { class: 'phase-lead' }, t('pitch.ready')),
          timerBox(),
          h('div', { class: 'actions' },
            h('button', { type: 'button', id: 'go-live', class: 'btn btn-primary btn-large', onclick: (e) => goLive(e.currentTarget) },
              icon('● '), t('pitch.goLive'))),
          h('p', { class: 'help' }, t('pitch.readyHelp')),
        ];
        break;
      case 'live':
        body = [
          h('p', { class: 'phase-lead on-air' }, h('span', { class: 'on-air-dot', 'aria-hidden': 'true' }),
            t(wentLive && room.local.size ? 'pitch.onAir' : 'pitch.onAirOBS')),
          timerBox(),
          h('p', { class: 'help' }, t('pitch.liveHelp')),
        ];
        break;
      case 'done': {
        const bye = room.state === 'closed' && room.stateInfo && room.stateInfo.bye;
        const mineRes = results && results.teams ? results.teams.find((r) => se.slots[mine] && r.applicationId === se.slots[mine].applicationId) : null;
        body = [
          h('p', { class: 'phase-lead', id: 'pitch-done' }, bye && bye.key === 'room.slot_ended' ? msgText(bye) : t('pitch.done')),
          se.publishedAt && mineRes
            ? h('p', { class: ['my-result', mineRes.rank ? null : 'unranked'], id: 'my-rank', dataset: { rank: mineRes.rank || 0, of: mineRes.of } },
              h('strong', {}, mineRes.rank ? t('my.rankOf', { rank: mineRes.rank, of: mineRes.of }) : t('my.unranked')),
              mineRes.rank ? [' · ', t('my.mean', { mean: formatScore(mineRes.mean) }),
                ' · ', t('my.judges', { n: mineRes.count, panel: mineRes.panel }),
                ' · ', t('my.spread', { spread: spreadText(mineRes) })] : null)
            : h('p', { class: 'muted', id: 'my-rank-pending' }, t('my.resultsLater')),
        ];
        break;
      }
      default:
        body = [h('p', { class: 'phase-lead' }, t('live.none.cancelled'))];
    }
    return h('section', { class: ['panel', 'phase-panel', `phase-${ph}`], id: 'pitch-phase', 'aria-labelledby': 'phase-title', dataset: { phase: ph } },
      h('div', { class: 'live-head' }, h('h2', { id: 'phase-title' }, t(`pitch.phase.${ph}`)), liveStatus(liveState)),
      body);
  }

  function deviceSelect(kind, list, value) {
    const idAttr = kind === 'video' ? 'camera-select' : 'mic-select';
    return h('div', { class: 'field' },
      h('label', { for: idAttr }, t(kind === 'video' ? 'pitch.camera' : 'pitch.microphone')),
      h('select', {
        id: idAttr, disabled: !list.length,
        onchange: (e) => chooseDevice(kind, e.currentTarget.value),
      }, list.length
        ? list.map((d) => h('option', { value: d.id, selected: d.id === value }, d.label || t(kind === 'video' ? 'pitch.cameraN' : 'pitch.microphoneN', { n: d.n })))
        : h('option', { value: '' }, t('pitch.noDevices'))));
  }

  function devicePanel() {
    const ph = phase();
    const onAir = ph === 'live';
    const cam = currentTrack('video');
    const mic = currentTrack('audio');
    const running = !!(cam || mic);
    if (!onAir) {
      const stream = cam ? new MediaStream([cam]) : null;
      if ((preview.srcObject && preview.srcObject.getVideoTracks()[0]) !== cam) {
        preview.srcObject = stream;
        if (stream) preview.play().catch(() => {});
      }
    } else if (preview.srcObject) {
      preview.srcObject = null; // the stage shows it while on air
    }
    const problems = [];
    if (dev.error) problems.push(t(dev.error, { device: t('pitch.cameraOrMic') }));
    for (const p of dev.problems) problems.push(t(p.key, { device: t(`source.${p.kind}`) }));
    return h('section', { class: 'panel device-panel', id: 'device-check', 'aria-labelledby': 'device-title', dataset: { running: running ? 'true' : 'false' } },
      h('h2', { id: 'device-title' }, t(onAir ? 'pitch.devicesOnAir' : 'pitch.deviceCheck')),
      problems.length ? h('div', {
        class: 'form-error device-error', id: 'device-error', role: 'alert', tabindex: '-1', dataset: { key: dev.error || (dev.problems[0] && dev.problems[0].key) || '' },
      }, problems.map((p) => h('p', {}, p))) : null,
      !mediaAvailable() ? h('p', { class: 'form-error', role: 'alert' }, t('media.insecure')) : null,
      !onAir ? h('div', { class: ['preview', cam ? 'has-video' : 'is-empty'] },
        preview,
        cam ? null : h('p', { class: 'stage-empty' }, t(running ? 'pitch.noCamera' : 'pitch.previewOff'))) : null,
      h('div', { class: 'level' },
        h('label', { for: 'mic-level', id: 'mic-level-label' }, t('pitch.level')),
        h('meter', { id: 'mic-level', min: '0', max: '1', low: '0.15', high: '0.85', optimum: '0.5', value: String(dev.level), dataset: { level: dev.level.toFixed(2) } }),
        h('p', { class: 'help' }, t(mic ? 'pitch.levelHelp' : 'pitch.levelOff'))),
      running || dev.cameras.length || dev.mics.length ? h('div', { class: 'grid-2 device-selects' },
        deviceSelect('video', dev.cameras, dev.cameraId || (cam && cam.getSettings().deviceId)),
        deviceSelect('audio', dev.mics, dev.micId || (mic && mic.getSettings().deviceId))) : null,
      !onAir ? h('div', { class: 'actions' },
        running
          ? h('button', { type: 'button', id: 'devices-stop', class: 'btn', onclick: stopDevices }, t('pitch.stopDevices'))
          : h('button', { type: 'button', id: 'devices-start', class: 'btn btn-primary', onclick: (e) => startDevices(e.currentTarget) }, t('pitch.startDevices'))) : null,
      onAir ? null : h('p', { class: 'help' }, t('pitch.privacy')));
  }

  let obsOpen = false;
  function obsPanel() {
    return h('details', { class: 'panel obs-panel', id: 'obs-panel', open: obsOpen, ontoggle: (e) => { obsOpen = e.currentTarget.open; } },
      h('summary', { id: 'obs-summary' }, t('obs.title')),
      h('p', {}, t('obs.intro')),
      h('ol', { class: 'obs-steps' },
        h('li', {}, t('obs.step1')),
        h('li', {}, t('obs.step2')),
        h('li', {}, t('obs.step3')),
        h('li', {}, t('obs.step4'))),
      h('div', { class: 'field' },
        h('label', { for: 'whip-url' }, t('obs.server')),
        h('div', { class: 'row-control' },
          h('input', { id: 'whip-url', type: 'text', readOnly: true, value: whipURL(), spellcheck: 'false', translate: 'no' }),
          h('button', {
            type: 'button', class: 'btn btn-small', id: 'whip-copy',
            onclick: async () => { if (await copy(whipURL(), document.getElementById('whip-url'))) toast(() => t('obs.urlCopied'), 'success'); },
          }, t('cal.copy')))),
      h('div', { class: 'field' },
        h('span', { class: 'label', id: 'stream-key-label' }, t('obs.key')),
        key ? h('div', { class: 'row-control' },
          h('label', { for: 'stream-key', class: 'visually-hidden' }, t('obs.key')),
          h('input', { id: 'stream-key', type: 'password', readOnly: true, value: key.token, spellcheck: 'false', autocomplete: 'off' })) : null,
        h('div', { class: 'actions' },
          h('button', { type: 'button', class: 'btn btn-primary', id: 'stream-key-copy', 'aria-describedby': 'stream-key-help', onclick: (e) => copyKey(e.currentTarget) },
            t('obs.copyKey'))),
        keyError ? h('p', { class: 'form-error', role: 'alert' }, errorText(keyError)) : null,
        h('p', { class: 'help', id: 'stream-key-help' },
          key ? t('obs.keyValid', { time: formatDateTime(key.expiresAt) }) : t('obs.keyHelp'))),
      h('p', { class: 'help' }, t('obs.note')));
  }

  function head() {
    return h('div', { class: 'page-head' },
      h('div', {},
        h('h1', { id: 'session-title' }, t('pitch.title', { session: sessionTitle(se, ref) })),
        h('div', { class: 'status-line' },
          stateBadge(se.state, { id: 'session-state' }),
          h('span', { class: 'muted' }, tn('sess.teams', se.slots.length), ' · ', t('sess.slotLength', { n: se.slotMinutes || 0 })))));
  }

  const regions = {};
  let phaseSig = '';
  /** Redraws the phase panel when what it shows changed (not under the pointer otherwise). */
  function renderPhase(force = false) {
    if (!regions.phase) return;
    const bye = room.state === 'closed' && room.stateInfo && room.stateInfo.bye;
    const sig = JSON.stringify([phase(), fromOBS(), se.state, se.currentSlot, se.publishedAt, !!results, bye ? bye.key : '', document.body.dataset.lang]);
    if (!force && sig === phaseSig) return;
    phaseSig = sig;
    fill(regions.phase, phasePanel());
  }
  function renderDevices() {
    if (regions.devices) fill(regions.devices, devicePanel());
    watchLevel();
  }
  function renderObs() {
    if (regions.obs) fill(regions.obs, obsPanel());
  }

  function render() {
    if (!ctx.isCurrent()) return;
    const showRoom = slotLive() || room.state !== 'idle';
    regions.phase = h('div', { id: 'phase-slot' });
    regions.devices = h('div', { id: 'devices-slot' });
    regions.obs = h('div', { id: 'obs-slot' });
    ctx.mount(h('div', { class: 'page pitch-page', dataset: { sessionId: id } },
      h('p', { class: 'crumb' }, h('a', { href: '#/my-sessions', id: 'back-to-my-sessions' }, icon('← '), t('pitch.back'))),
      head(),
      h('div', { class: 'pitch-layout' },
        h('div', { class: 'pitch-main' }, regions.phase, showRoom ? view.el : null),
        h('div', { class: 'pitch-side' }, regions.devices, regions.obs))));
    view.draw();
    renderPhase(true);
    renderDevices();
    renderObs();
  }

  await loadResults();
  render();
  view.sync();
  return {
    render,
    destroy() {
      live.close();
      clock.stop();
      view.destroy();
      if (dev.meter) dev.meter.stop();
      if (dev.stream) for (const tr of dev.stream.getTracks()) tr.stop();
      preview.srcObject = null;
    },
  };
}

/** Replaces a region's content, keeping the focus on a control with the same id. */
function fill(el, ...nodes) {
  const active = document.activeElement;
  const focusId = active && el.contains(active) ? active.id : '';
  el.replaceChildren(...nodes.flat().filter(Boolean));
  if (focusId) {
    const again = document.getElementById(focusId);
    if (again && !again.disabled) again.focus({ preventScroll: true });
  }
}
