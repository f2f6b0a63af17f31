// Cameras, microphones and screens: asking for them, naming what went wrong
// in words a person can act on, choosing devices and measuring the sound
// level (WebAudio AnalyserNode).

// Camera constraints: 720p at most; the relay forwards what is sent.
const VIDEO = { width: { ideal: 1280 }, height: { ideal: 720 }, frameRate: { ideal: 24, max: 30 } };
const AUDIO = { echoCancellation: true, noiseSuppression: true, autoGainControl: true };

/**
 * The translation key of a getUserMedia or getDisplayMedia failure:
 * media.denied (refused by the person or the browser), media.missing (no
 * such device), media.busy (in use by another program), media.insecure (the
 * page is not HTTPS), media.cancelled (a screen share was cancelled),
 * media.failed (anything else).
 */
export function mediaErrorKey(err, { screen = false } = {}) {
  const name = (err && err.name) || '';
  switch (name) {
    case 'NotAllowedError':
    case 'PermissionDeniedError':
      return screen ? 'media.cancelled' : 'media.denied';
    case 'SecurityError':
      return 'media.denied';
    case 'NotFoundError':
    case 'DevicesNotFoundError':
    case 'OverconstrainedError':
    case 'ConstraintNotSatisfiedError':
      return 'media.missing';
    case 'NotReadableError':
    case 'TrackStartError':
    case 'AbortError':
      return 'media.busy';
    case 'Insecure':
      return 'media.insecure';
    default:
      return 'media.failed';
  }
}

/** Whether the browser offers cameras and microphones to this page at all. */
export function mediaAvailable() {
  return !!(navigator.mediaDevices && navigator.mediaDevices.getUserMedia);
}

function insecure() {
  const e = new Error('insecure context');
  e.name = 'Insecure';
  return e;
}

/**
 * Opens the camera and the microphone (the device ids when given).
 * Returns {stream, problems: [{kind, key}]}: when one of the two fails the
 * other is still returned, with the failure named.
 * Throws (with .name) when neither can be opened.
 */
export async function openDevices({ cameraId = '', micId = '', video = true, audio = true } = {}) {
  if (!mediaAvailable()) throw insecure();
  const v = video ? { ...VIDEO, ...(cameraId ? { deviceId: { exact: cameraId } } : {}) } : false;
  const a = audio ? { ...AUDIO, ...(micId ? { deviceId: { exact: micId } } : {}) } : false;
  try {
    return { stream: await navigator.mediaDevices.getUserMedia({ video: v, audio: a }), problems: [] };
  } catch (err) {
    if (!(video && audio) || err.name === 'NotAllowedError' || err.name === 'SecurityError') throw err;
    // One of the two may work on its own (a laptop without a camera, a
    // microphone held by another program).
    const problems = [];
    const stream = new MediaStream();
    for (const [kind, c] of [['camera', { video: v }], ['microphone', { audio: a }]]) {
      try {
        const s = await navigator.mediaDevices.getUserMedia(c);
        for (const t of s.getTracks()) stream.addTrack(t);
      } catch (e) {
        problems.push({ kind, key: mediaErrorKey(e), name: e.name });
      }
    }
    if (!stream.getTracks().length) throw err;
    return { stream, problems };
  }
}

/** Opens one device: "camera" or "microphone". */
export async function openDevice(kind, deviceId = '') {
  const { stream } = await openDevices(kind === 'camera'
    ? { cameraId: deviceId, audio: false }
    : { micId: deviceId, video: false });
  return kind === 'camera' ? stream.getVideoTracks()[0] : stream.getAudioTracks()[0];
}

/** Asks for a screen, window or tab to share; resolves to its video track. */
export async function openScreen() {
  if (!navigator.mediaDevices || !navigator.mediaDevices.getDisplayMedia) throw insecure();
  const s = await navigator.mediaDevices.getDisplayMedia({ video: { frameRate: { ideal: 15, max: 30 } }, audio: false });
  const track = s.getVideoTracks()[0];
  // Slides: keep the text sharp rather than the motion smooth.
  if (track && 'contentHint' in track) track.contentHint = 'detail';
  return track;
}

/** The cameras and microphones: {cameras: [{id, label}], mics: [...]}. Labels appear once access was granted. */
export async function listDevices() {
  if (!navigator.mediaDevices || !navigator.mediaDevices.enumerateDevices) return { cameras: [], mics: [] };
  const all = await navigator.mediaDevices.enumerateDevices();
  const pick = (kind) => all.filter((d) => d.kind === kind && d.deviceId).map((d, i) => ({ id: d.deviceId, label: d.label, n: i + 1 }));
  return { cameras: pick('videoinput'), mics: pick('audioinput') };
}

/**
 * A sound level meter on an audio track: onLevel(0..1) about ten times a
 * second, from the RMS of the signal (an AnalyserNode). Returns {stop()}.
 */
export function levelMeter(track, onLevel) {
  const Ctx = window.AudioContext || window.webkitAudioContext;
  if (!Ctx || !track) return { stop() {} };
  const ctx = new Ctx();
  const source = ctx.createMediaStreamSource(new MediaStream([track]));
  const analyser = ctx.createAnalyser();
  analyser.fftSize = 1024;
  source.connect(analyser);
  const data = new Float32Array(analyser.fftSize);
  if (ctx.state === 'suspended') ctx.resume().catch(() => {});
  const iv = setInterval(() => {
    analyser.getFloatTimeDomainData(data);
    let sum = 0;
    for (let i = 0; i < data.length; i++) sum += data[i] * data[i];
    const rms = Math.sqrt(sum / data.length);
    // A speaking voice sits around 0.05-0.3 RMS: show it on a scale that
    // uses the meter's width (-50 dBFS .. 0).
    const db = 20 * Math.log10(rms || 1e-8);
    try { onLevel(Math.max(0, Math.min(1, (db + 50) / 50))); } catch { /* the page went */ }
  }, 100);
  return {
    stop() {
      clearInterval(iv);
      try { source.disconnect(); } catch { /* gone */ }
      ctx.close().catch(() => {});
    },
  };
}

/**
 * Plays a media element; resolves false when the browser blocks sound
 * until the person interacts with the page (autoplay rules).
 */
export async function tryPlay(el) {
  try {
    await el.play();
    return true;
  } catch (err) {
    if (err && err.name === 'AbortError') return true; // a newer source replaced this one
    return false;
  }
}
