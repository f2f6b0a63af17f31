package relay

import (
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pion/rtcp"
	"github.com/pion/rtp"
	"github.com/pion/webrtc/v3"
	"github.com/roadshow/roadshow/roadshow"
)

// Keyframe requests to a publisher are coalesced: while one is outstanding
// no other is sent, unless it seems lost; and never two within
// keyframeMinGap, whatever receivers ask.
const (
	keyframeMinGap = 200 * time.Millisecond
	keyframeRetry  = 600 * time.Millisecond
)

// Cache sizes in packets: about seven seconds of 1.5 Mbit/s video, and five
// of Opus.
const (
	videoCacheSize = 1024
	audioCacheSize = 256
)

// upTrack is one track a participant publishes. Its reader goroutine is the
// forwarding path: it caches each packet and hands it to every subscribed
// downTrack, without a lock held across a network write.
type upTrack struct {
	id     string
	no     uint64 // publication order in the room
	owner  *participant
	source roadshow.MediaSource
	kind   webrtc.RTPCodecType
	codec  webrtc.RTPCodecCapability
	ck     codecKind
	ssrc   uint32
	remote *webrtc.TrackRemote
	pc     *webrtc.PeerConnection
	cache  *packetCache

	mu          sync.Mutex
	subs        atomic.Pointer[[]*downTrack] // copy on write, read per packet
	pending     []*downTrack                 // admitted by the reader at its next packet
	hasPending  atomic.Bool
	catching    []catchup // joiners catching up from the cached keyframe
	hasCatching atomic.Bool
	closed      bool

	allowed atomic.Bool // the owner may publish this source now
	muted   atomic.Bool // a moderator or the owner muted it

	waiting       atomic.Bool  // a subscriber waits for a keyframe
	kfAskedAt     atomic.Int64 // unix nanoseconds of the last request
	kfOutstanding atomic.Bool
	kfRequests    atomic.Uint64

	packets atomic.Uint64
	bytes   atomic.Uint64

	scratch rtp.Header // the outgoing header, for the reader goroutine only (downTrack.forward)

	done chan struct{} // closed when the reader is gone
}

func newUpTrack(id string, owner *participant, source roadshow.MediaSource, remote *webrtc.TrackRemote, pc *webrtc.PeerConnection) *upTrack {
	size := audioCacheSize
	if remote.Kind() == webrtc.RTPCodecTypeVideo {
		size = videoCacheSize
	}
	c := remote.Codec()
	t := &upTrack{
		id: id, owner: owner, source: source, kind: remote.Kind(), codec: c.RTPCodecCapability, ck: kindOfMime(c.MimeType),
		ssrc: uint32(remote.SSRC()), remote: remote, pc: pc, cache: newPacketCache(size), done: make(chan struct{}),
	}
	empty := []*downTrack{}
	t.subs.Store(&empty)
	t.allowed.Store(true)
	return t
}

// run reads and forwards until the publisher's track ends.
func (t *upTrack) run() {
	defer close(t.done)
	buf := make([]byte, maxPacket)
	var h rtp.Header
	for {
		n, _, err := t.remote.Read(buf)
		if err != nil {
			return
		}
		hl, err := h.Unmarshal(buf[:n])
		if err != nil {
			continue
		}
		payload := buf[hl:n]
		now := time.Now()
		kf := t.ck != codecOther && isKeyframe(t.ck, unpadded(&h, payload))
		ext, fresh := t.cache.put(h.SequenceNumber, h.Timestamp, buf[:n], kf, now)
		if !fresh {
			continue
		}
		t.packets.Add(1)
		t.bytes.Add(uint64(n))
		if kf {
			t.kfOutstanding.Store(false)
		}
		if t.hasPending.Load() {
			t.admit(ext, now)
		}
		if !t.forwarding() {
			continue
		}
		if kf {
			t.waiting.Store(false)
		} else if t.waiting.Load() {
			t.requestKeyframe(now)
		}
		for _, d := range *t.subs.Load() {
			d.forward(t, &h, payload, kf, now)
		}
		if t.hasCatching.Load() {
			t.catchUp(ext, now)
		}
	}
}

func unpadded(h *rtp.Header, payload []byte) []byte {
	if h.Padding && len(payload) > 0 {
		if p := int(payload[len(payload)-1]); p <= len(payload) {
			return payload[:len(payload)-p]
		}
	}
	return payload
}

// forwarding reports whether packets go out: the owner may publish this
// source and nobody muted it.
func (t *upTrack) forwarding() bool { return t.allowed.Load() && !t.muted.Load() }

// subscribe adds d once its transport is ready: the reader admits it before
// the next packet, replaying the packets since the last keyframe when they
// are few, so the joiner decodes at once.
func (t *upTrack) subscribe(d *downTrack) {
	t.mu.Lock()
	if t.closed || slices.Contains(t.pending, d) || slices.Contains(*t.subs.Load(), d) ||
		slices.ContainsFunc(t.catching, func(c catchup) bool { return c.d == d }) {
		t.mu.Unlock()
		return
	}
	t.pending = append(t.pending, d)
	t.hasPending.Store(true)
	t.mu.Unlock()
	// Ask now rather than at the next packet when no replay will do.
	if now := time.Now(); t.kind == webrtc.RTPCodecTypeVideo && t.forwarding() && !t.cache.hasReplay(now) {
		t.requestKeyframe(now)
	}
}

// unsubscribe removes d; it receives nothing from t after this returns
// except a packet already being written.
func (t *upTrack) unsubscribe(d *downTrack) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for i, p := range t.pending {
		if p == d {
			t.pending = append(t.pending[:i:i], t.pending[i+1:]...)
			break
		}
	}
	t.catching = slices.DeleteFunc(t.catching, func(c catchup) bool { return c.d == d })
	t.hasCatching.Store(len(t.catching) > 0)
	cur := *t.subs.Load()
	next := make([]*downTrack, 0, len(cur))
	for _, s := range cur {
		if s != d {
			next = append(next, s)
		}
	}
	t.subs.Store(&next)
}

// admit moves the pending subscribers into the forwarding list and replays
// the cached keyframe to them. It runs on the reader goroutine, before the
// packet ext is forwarded, so replayed and live packets stay in order.
func (t *upTrack) admit(ext uint64, now time.Time) {
	from, replay := t.cache.replayStart(now)
	replay = replay && t.kind == webrtc.RTPCodecTypeVideo && t.forwarding()
	t.mu.Lock()
	pend := t.pending
	t.pending = nil
	t.hasPending.Store(false)
	cur := *t.subs.Load()
	next := make([]*downTrack, 0, len(cur)+len(pend))
	next = append(next, cur...)
	for _, d := range pend {
		if replay {
			// It catches up from the keyframe first (catchUp), then joins
			// the live forwarding.
			t.catching = append(t.catching, catchup{d: d, from: from, next: from})
		} else {
			next = append(next, d)
		}
	}
	t.subs.Store(&next)
	t.hasCatching.Store(len(t.catching) > 0)
	t.mu.Unlock()
	if !replay && t.kind == webrtc.RTPCodecTypeVideo && t.forwarding() {
		t.waiting.Store(true)
		t.requestKeyframe(now)
	}
}

// catchup is a joiner being sent the packets since the last keyframe.
type catchup struct {
	d          *downTrack
	from, next uint64 // the keyframe's first packet; the next packet to send
}

// catchupBurst is how many cached packets a joiner gets for each packet
// that arrives: the keyframe reaches it within a few packets' time, and the
// rest follows at several times the live rate rather than in one burst
// that a receiver's socket, or a router on its way, would drop.
const catchupBurst = 8

// catchUp sends each catching-up joiner its next cached packets, up to the
// newest (ext), and moves those that reached it to the live forwarding.
// It runs on the reader goroutine after the live packet went out, so a
// joiner's packets stay in order; no lock is held across a write.
func (t *upTrack) catchUp(ext uint64, now time.Time) {
	t.mu.Lock()
	work := append([]catchup(nil), t.catching...)
	t.mu.Unlock()
	var h rtp.Header
	for i := range work {
		c := &work[i]
		for sent := 0; c.next <= ext && sent < catchupBurst; c.next++ {
			pkt := t.cache.slot(c.next)
			if pkt == nil {
				continue // lost on the way in: the receiver will ask for it
			}
			hl, err := h.Unmarshal(pkt)
			if err != nil {
				continue
			}
			c.d.forward(t, &h, pkt[hl:], c.next == c.from, now)
			sent++
		}
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	var caught []*downTrack
	for _, c := range work {
		i := slices.IndexFunc(t.catching, func(x catchup) bool { return x.d == c.d })
		if i < 0 {
			continue // unsubscribed meanwhile
		}
		if c.next > ext {
			caught = append(caught, c.d)
			t.catching = slices.Delete(t.catching, i, i+1)
		} else {
			t.catching[i].next = c.next
		}
	}
	if len(caught) > 0 {
		cur := *t.subs.Load()
		next := make([]*downTrack, 0, len(cur)+len(caught))
		next = append(append(next, cur...), caught...)
		t.subs.Store(&next)
	}
	t.hasCatching.Store(len(t.catching) > 0)
}

// requestKeyframe asks the publisher for a keyframe unless one is already
// on its way. Every joiner and every receiver's PLI goes through here, so a
// burst of joins costs the publisher one keyframe.
func (t *upTrack) requestKeyframe(now time.Time) {
	if t.kind != webrtc.RTPCodecTypeVideo {
		return
	}
	last := time.Unix(0, t.kfAskedAt.Load())
	since := now.Sub(last)
	if since < keyframeMinGap || t.kfOutstanding.Load() && since < keyframeRetry {
		return
	}
	if !t.kfAskedAt.CompareAndSwap(last.UnixNano(), now.UnixNano()) {
		return // another goroutine asked just now
	}
	t.kfOutstanding.Store(true)
	t.kfRequests.Add(1)
	_ = t.pc.WriteRTCP([]rtcp.Packet{&rtcp.PictureLossIndication{MediaSSRC: t.ssrc}})
}

// setMuted mutes or unmutes; subscribers restart at the next keyframe so
// that nothing held back during the mute is ever sent or repaired.
func (t *upTrack) setMuted(m bool) {
	if t.muted.Swap(m) == m {
		return
	}
	t.restartSubscribers()
}

// setAllowed records whether the owner may publish this source now.
func (t *upTrack) setAllowed(a bool) {
	if t.allowed.Swap(a) == a {
		return
	}
	t.restartSubscribers()
}

// restartSubscribers makes every subscriber wait for the next keyframe;
// the reader asks the publisher for one at its next packet (never under the
// caller's locks).
func (t *upTrack) restartSubscribers() {
	for _, d := range *t.subs.Load() {
		d.restart(t)
	}
	if t.kind == webrtc.RTPCodecTypeVideo {
		t.waiting.Store(true)
	}
}

// close stops admitting subscribers; the reader ends with the remote track.
func (t *upTrack) close() []*downTrack {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.closed = true
	subs := append(*t.subs.Load(), t.pending...)
	for _, c := range t.catching {
		subs = append(subs, c.d)
	}
	empty := []*downTrack{}
	t.subs.Store(&empty)
	t.pending, t.catching = nil, nil
	t.hasCatching.Store(false)
	return subs
}
