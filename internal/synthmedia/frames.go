package synthmedia

import (
	"strings"
	"time"

	"github.com/pion/rtp"
	"github.com/roadshow/roadshow/internal/relay"
)

// ringBits is how many of the newest sequence numbers Frames remembers
// one by one (a bit each): repairs and window counts reach back that far.
const ringBits = 1 << 16

// maxKeyframePackets bounds the packets of one keyframe Frames assembles.
const maxKeyframePackets = 4096

// Frames watches a received stream: when the first complete keyframe
// arrived, how many packets came, and which sequence numbers never did. It
// allocates nothing per packet and is not safe for concurrent use: one
// reader goroutine adds, and reads the figures or hands them on.
//
// Sequence numbers are extended to 64 bits (the first packet's is
// 1<<16 + its 16-bit number), so runs of any length count correctly; the
// newest 65,536 are remembered one by one.
type Frames struct {
	mime string // lower case
	kf   string // mime when keyframes are recognised (video), else ""

	// Packets counts every packet, repairs and duplicates included;
	// Keyframes the complete keyframes.
	Packets   int
	Keyframes int
	// FirstKeyframe is when the first keyframe was complete: every packet
	// from its first to the one with the marker bit arrived, in order or
	// repaired, and the packet before it (zero: none yet).
	FirstKeyframe time.Time

	started  bool
	first    uint64 // lowest extended sequence number received
	highest  uint64 // highest extended sequence number received
	distinct int
	lastTS   uint32 // timestamp of the previous arrival

	// The keyframe being assembled: from its first packet to the one with
	// the marker bit, known once that arrived (0: not yet).
	key      keyframe
	doneTS   uint32 // timestamp of the newest complete keyframe
	doneAny  bool
	markers  [4]marker // the newest frame ends, for a keyframe start repaired late
	markerAt int

	seen [ringBits / 64]uint64 // bit ext%ringBits: that packet arrived; last, away from the fields above
}

type keyframe struct {
	active     bool
	ts         uint32
	first, end uint64
}

type marker struct {
	ts  uint32
	ext uint64
}

// NewFrames watches a stream of the codec with the given MIME type.
func NewFrames(mime string) *Frames {
	f := &Frames{}
	f.SetMime(mime)
	return f
}

// SetMime changes the codec read (a stage switching teams).
func (f *Frames) SetMime(mime string) {
	mime = strings.ToLower(mime)
	if mime == f.mime {
		return
	}
	f.mime, f.kf = mime, ""
	if strings.HasPrefix(mime, "video/") {
		f.kf = mime
	}
}

// Add records one packet.
func (f *Frames) Add(h *rtp.Header, payload []byte, now time.Time) {
	if h.Padding && len(payload) > 0 {
		if p := int(payload[len(payload)-1]); p <= len(payload) {
			payload = payload[:len(payload)-p]
		}
	}
	f.AddPacket(h.SequenceNumber, h.Timestamp, h.Marker, payload, now)
}

// AddPacket records one packet given its header fields and its payload
// without padding.
func (f *Frames) AddPacket(seq uint16, ts uint32, mark bool, payload []byte, now time.Time) {
	f.Packets++
	ext := f.unwrap(seq)
	// A frame starts at its lowest sequence number, so only a packet that
	// is not the in-order successor of one of its own frame can start a
	// keyframe: a new timestamp, or a packet arriving late.
	maybeStart := !f.started || ts != f.lastTS || ext <= f.highest
	f.lastTS = ts
	switch {
	case !f.started:
		f.started, f.first, f.highest = true, ext, ext
	case ext > f.highest:
		f.forget(f.highest+1, ext)
		f.highest = ext
	case f.highest-ext >= ringBits:
		return // older than anything remembered
	}
	if ext < f.first {
		f.first = ext
	}
	if w, b := (ext%ringBits)>>6, uint64(1)<<(ext&63); f.seen[w]&b == 0 {
		f.seen[w] |= b
		f.distinct++
	}
	if f.kf == "" {
		return
	}
	if mark {
		f.markers[f.markerAt] = marker{ts: ts, ext: ext}
		f.markerAt = (f.markerAt + 1) % len(f.markers)
	}
	if maybeStart && !(f.doneAny && ts == f.doneTS) && relay.IsKeyframe(f.kf, payload) {
		switch {
		case !f.key.active || ts != f.key.ts && ext > f.key.first:
			// The first keyframe, or a newer one than an incomplete one.
			f.key = keyframe{active: true, ts: ts, first: ext, end: f.markerOf(ts, ext)}
		case ts == f.key.ts && ext < f.key.first:
			// An earlier packet of the same keyframe (H.264: parameter
			// sets before the IDR slice), arriving late.
			f.key.first = ext
		}
	}
	if !f.key.active || ts != f.key.ts {
		return
	}
	if mark && ext >= f.key.first {
		f.key.end = ext
	}
	if f.key.end != 0 && f.complete(f.key.first, f.key.end) {
		f.key.active = false
		f.doneTS, f.doneAny = ts, true
		f.Keyframes++
		if f.FirstKeyframe.IsZero() {
			f.FirstKeyframe = now
		}
	}
}

// unwrap extends seq to the extended number nearest the highest one.
func (f *Frames) unwrap(seq uint16) uint64 {
	if !f.started {
		return 1<<16 | uint64(seq)
	}
	ext := f.highest&^0xffff | uint64(seq)
	switch {
	case ext+0x8000 < f.highest:
		ext += 1 << 16
	case ext > f.highest+0x8000 && ext >= 1<<16:
		ext -= 1 << 16
	}
	return ext
}

// forget clears the bits of from..to before they are reused.
func (f *Frames) forget(from, to uint64) {
	if to-from+1 >= ringBits {
		f.seen = [ringBits / 64]uint64{}
		return
	}
	for e := from; e <= to; {
		w := (e % ringBits) >> 6
		if e&63 == 0 && to-e >= 63 {
			f.seen[w] = 0
			e += 64
			continue
		}
		f.seen[w] &^= 1 << (e & 63)
		e++
	}
}

func (f *Frames) has(ext uint64) bool {
	return f.seen[(ext%ringBits)>>6]&(1<<(ext&63)) != 0
}

// markerOf returns the packet that ended the frame of timestamp ts after
// from, when it already arrived (a keyframe's first packet repaired late).
func (f *Frames) markerOf(ts uint32, from uint64) uint64 {
	for _, m := range f.markers {
		if m.ext != 0 && m.ts == ts && m.ext >= from {
			return m.ext
		}
	}
	return 0
}

// complete reports whether every packet from first to end arrived, and the
// one before first unless first began the stream: a lost packet just
// before might be the keyframe's own start (H.264 parameter sets before the
// IDR slice).
func (f *Frames) complete(first, end uint64) bool {
	if end < first || end-first >= maxKeyframePackets || f.highest-first >= ringBits-1 {
		return false
	}
	if first != f.first && !f.has(first-1) {
		return false
	}
	for e := first; e <= end; e++ {
		if !f.has(e) {
			return false
		}
	}
	return true
}

// Missing counts the sequence numbers from the lowest received to the
// highest that never arrived, not even as a repair.
func (f *Frames) Missing() int { return max(f.Span()-f.distinct, 0) }

// Span is how many sequence numbers the stream covered.
func (f *Frames) Span() int {
	if !f.started {
		return 0
	}
	return int(f.highest - f.first + 1)
}

// Highest is the highest extended sequence number received; 0 before the
// first packet.
func (f *Frames) Highest() uint64 {
	if !f.started {
		return 0
	}
	return f.highest
}

// First is the lowest extended sequence number received; 0 before the
// first packet.
func (f *Frames) First() uint64 {
	if !f.started {
		return 0
	}
	return f.first
}

// MissingIn counts the sequence numbers after `after` up to and including
// upTo (extended, as Highest returns them) that never arrived. ok is false
// when the range is not within the newest 65,536 or beyond the highest.
func (f *Frames) MissingIn(after, upTo uint64) (missing int, ok bool) {
	if !f.started || upTo > f.highest || after > upTo || f.highest-after > ringBits {
		return 0, upTo == after
	}
	for e := after + 1; e <= upTo; e++ {
		if !f.has(e) {
			missing++
		}
	}
	return missing, true
}
