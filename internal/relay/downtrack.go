package relay

import (
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pion/rtcp"
	"github.com/pion/rtp"
	"github.com/pion/webrtc/v3"
)

// downTrack is one track sent to one receiver. It carries one source at a
// time (an upTrack) and rewrites what it forwards so that the receiver sees
// one unbroken stream: its own SSRC, the payload type the receiver
// negotiated for the source's codec, and sequence numbers and timestamps
// that continue across a change of source (the stage switching teams) or a
// mute. It implements webrtc.TrackLocal.
type downTrack struct {
	id, streamID string
	kind         webrtc.RTPCodecType
	codecs       []webrtc.RTPCodecCapability // offered, first preferred

	onReady func(*downTrack) // called once when bound with SRTP up

	mu         sync.Mutex
	w          webrtc.TrackLocalWriter
	ssrc       uint32
	negotiated []webrtc.RTPCodecParameters
	bound      bool
	srtpUp     bool
	readyDone  bool
	src        *upTrack
	started    bool // forwarding the current source since a keyframe
	sent       bool // anything sent yet
	pt         uint8
	seqOffset  uint16
	tsOffset   uint32
	lastSeq    uint16
	lastTS     uint32
	lastAt     time.Time
	segStart   uint16 // first sequence number of the current source's run
	clockRate  uint32

	sender *webrtc.RTPSender
	done   chan struct{} // closed when the RTCP reader is gone

	packets     atomic.Uint64
	octets      atomic.Uint64 // payload bytes sent, for sender reports
	nacks       atomic.Uint64
	retransmits atomic.Uint64
	plis        atomic.Uint64
	lost        atomic.Uint32 // fraction lost from the last receiver report, 0..255
}

func newDownTrack(id, streamID string, kind webrtc.RTPCodecType, codecs []webrtc.RTPCodecCapability) *downTrack {
	return &downTrack{id: id, streamID: streamID, kind: kind, codecs: codecs, done: make(chan struct{})}
}

// ID, RID, StreamID and Kind describe the track to the receiver: ontrack
// shows streamID as the stream's id and id as the track's.
func (d *downTrack) ID() string                { return d.id }
func (d *downTrack) RID() string               { return "" }
func (d *downTrack) StreamID() string          { return d.streamID }
func (d *downTrack) Kind() webrtc.RTPCodecType { return d.kind }

// Bind records the receiver's negotiated codecs; the first offered codec it
// accepts describes the track to pion.
func (d *downTrack) Bind(ctx webrtc.TrackLocalContext) (webrtc.RTPCodecParameters, error) {
	neg := ctx.CodecParameters()
	var chosen *webrtc.RTPCodecParameters
	for _, want := range d.codecs {
		if c, ok := matchCodec(want, neg); ok {
			chosen = &c
			break
		}
	}
	if chosen == nil {
		return webrtc.RTPCodecParameters{}, webrtc.ErrUnsupportedCodec
	}
	d.mu.Lock()
	d.w, d.ssrc, d.negotiated, d.bound = ctx.WriteStream(), uint32(ctx.SSRC()), append([]webrtc.RTPCodecParameters(nil), neg...), true
	d.clockRate = chosen.ClockRate
	ready := d.checkReady()
	d.mu.Unlock()
	if ready {
		d.onReady(d)
	}
	return *chosen, nil
}

// Unbind stops writing.
func (d *downTrack) Unbind(webrtc.TrackLocalContext) error {
	d.mu.Lock()
	d.w, d.bound = nil, false
	d.mu.Unlock()
	return nil
}

// checkReady reports, once, that the track is bound and its transport can
// carry SRTP; packets written before that would be dropped. d.mu is held.
func (d *downTrack) checkReady() bool {
	if d.readyDone || !d.bound || !d.srtpUp || d.onReady == nil {
		return false
	}
	d.readyDone = true
	return true
}

// matchCodec finds want among the negotiated codecs: the same MIME type and,
// for H.264, the same profile and packetization mode.
func matchCodec(want webrtc.RTPCodecCapability, neg []webrtc.RTPCodecParameters) (webrtc.RTPCodecParameters, bool) {
	var fallback *webrtc.RTPCodecParameters
	for i, c := range neg {
		if !strings.EqualFold(c.MimeType, want.MimeType) {
			continue
		}
		if kindOfMime(c.MimeType) != codecKindH264 || h264Compatible(c.SDPFmtpLine, want.SDPFmtpLine) {
			return c, true
		}
		if fallback == nil {
			fallback = &neg[i]
		}
	}
	if fallback != nil {
		return *fallback, true
	}
	return webrtc.RTPCodecParameters{}, false
}

// h264Compatible compares the profile (first four hex digits of
// profile-level-id) and the packetization mode; an empty side matches.
func h264Compatible(a, b string) bool {
	pa, ma := h264Params(a)
	pb, mb := h264Params(b)
	return (pa == "" || pb == "" || pa == pb) && ma == mb
}

func h264Params(fmtp string) (profile, mode string) {
	mode = "0"
	for _, kv := range strings.Split(fmtp, ";") {
		k, v, _ := strings.Cut(strings.TrimSpace(kv), "=")
		switch strings.ToLower(k) {
		case "profile-level-id":
			if len(v) >= 4 {
				profile = strings.ToLower(v[:4])
			}
		case "packetization-mode":
			mode = v
		}
	}
	return profile, mode
}

// setSource makes d carry src from its next keyframe on (nil: nothing).
func (d *downTrack) setSource(src *upTrack) {
	d.mu.Lock()
	old := d.src
	if old == src {
		d.mu.Unlock()
		return
	}
	d.src, d.started = src, false
	ready := d.readyDone
	d.mu.Unlock()
	if old != nil {
		old.unsubscribe(d)
	}
	if src != nil && ready {
		src.subscribe(d)
	}
}

func (d *downTrack) source() *upTrack {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.src
}

// restart makes d wait for src's next keyframe and continue its sequence
// numbers from there, leaving no gap for the receiver to ask about.
func (d *downTrack) restart(src *upTrack) {
	d.mu.Lock()
	if d.src == src {
		d.started = false
	}
	d.mu.Unlock()
}

// transportReady is called when the sender's SRTP is up.
func (d *downTrack) transportReady() {
	d.mu.Lock()
	d.srtpUp = true
	ready := d.checkReady()
	d.mu.Unlock()
	if ready {
		d.onReady(d)
	}
}

// forward writes one packet of src. It runs on src's reader goroutine (and
// for replays, also there), so packets of one source arrive in order.
func (d *downTrack) forward(src *upTrack, h *rtp.Header, payload []byte, keyframe bool, now time.Time) {
	d.mu.Lock()
	if d.src != src || d.w == nil {
		d.mu.Unlock()
		return
	}
	if !d.started {
		if src.kind == webrtc.RTPCodecTypeVideo && !keyframe {
			d.mu.Unlock()
			return
		}
		if !d.start(src, h, now) {
			d.mu.Unlock()
			return
		}
	}
	seq := h.SequenceNumber + d.seqOffset
	ts := h.Timestamp + d.tsOffset
	if int16(seq-d.lastSeq) > 0 || !d.sent {
		d.lastSeq, d.lastTS, d.lastAt, d.sent = seq, ts, now, true
	}
	// The header is the source's scratch: forward only runs on the source's
	// reader goroutine, and a header of its own would escape per packet.
	w, out := d.w, &src.scratch
	*out = rtp.Header{Version: 2, Padding: h.Padding, Marker: h.Marker, PayloadType: d.pt, SequenceNumber: seq, Timestamp: ts, SSRC: d.ssrc}
	d.mu.Unlock()
	if _, err := w.WriteRTP(out, payload); err == nil {
		d.packets.Add(1)
		d.octets.Add(uint64(len(payload)))
	}
}

// senderReport describes what d sent, for its receiver to map RTP time to
// wall-clock time (lip sync) and count loss; nil before the first packet.
func (d *downTrack) senderReport(now time.Time) *rtcp.SenderReport {
	d.mu.Lock()
	if !d.sent || d.w == nil || d.clockRate == 0 {
		d.mu.Unlock()
		return nil
	}
	rtpNow := d.lastTS + uint32(now.Sub(d.lastAt).Seconds()*float64(d.clockRate))
	ssrc := d.ssrc
	d.mu.Unlock()
	return &rtcp.SenderReport{SSRC: ssrc, NTPTime: ntpTime(now), RTPTime: rtpNow,
		PacketCount: uint32(d.packets.Load()), OctetCount: uint32(d.octets.Load())}
}

// ntpTime is t in the 64-bit NTP format (RFC 3550 §4).
func ntpTime(t time.Time) uint64 {
	const ntpEpochOffset = 2208988800 // 1900-01-01 to 1970-01-01, in seconds
	secs := uint64(t.Unix()) + ntpEpochOffset
	frac := uint64(t.Nanosecond()) << 32 / 1e9
	return secs<<32 | frac
}

// start begins a run of src at the packet h: the payload type for src's
// codec, and offsets that continue the receiver's sequence numbers and
// timestamps (by the wall-clock time since the last packet sent). d.mu is
// held.
func (d *downTrack) start(src *upTrack, h *rtp.Header, now time.Time) bool {
	c, ok := matchCodec(src.codec, d.negotiated)
	if !ok {
		return false // the receiver cannot decode this source's codec
	}
	d.pt = uint8(c.PayloadType)
	if d.sent {
		gap := uint32(1)
		if el := now.Sub(d.lastAt); el > 0 && d.clockRate > 0 {
			gap = max(uint32(el.Seconds()*float64(d.clockRate)), 1)
		}
		d.seqOffset = d.lastSeq + 1 - h.SequenceNumber
		d.tsOffset = d.lastTS + gap - h.Timestamp
	}
	d.segStart = h.SequenceNumber + d.seqOffset
	d.started = true
	return true
}

// readRTCP reads the receiver's reports and requests until the sender stops:
// NACKs are repaired from the source's cache, PLIs and FIRs become one
// coalesced keyframe request to the publisher. In pion v3 an RTPSender's
// RTCP must be read for its interceptors to work.
func (d *downTrack) readRTCP(sender *webrtc.RTPSender) {
	defer close(d.done)
	// Returns once SRTP is up (or the sender stopped): the moment a
	// packet written to this track reaches the receiver.
	if err := sender.SetReadDeadline(time.Time{}); err != nil {
		return
	}
	d.transportReady()
	buf := make([]byte, maxPacket)
	repair := make([]byte, maxPacket)
	var in, out rtp.Header
	for {
		n, _, err := sender.Read(buf)
		if err != nil {
			return
		}
		pkts, err := rtcp.Unmarshal(buf[:n]) // a few a second: allocating is fine
		if err != nil {
			continue
		}
		for _, p := range pkts {
			switch p := p.(type) {
			case *rtcp.TransportLayerNack:
				for _, pair := range p.Nacks {
					pair.Range(func(seq uint16) bool {
						d.nacks.Add(1)
						d.retransmit(seq, repair, &in, &out)
						return true
					})
				}
			case *rtcp.PictureLossIndication, *rtcp.FullIntraRequest:
				d.plis.Add(1)
				if src := d.source(); src != nil {
					src.requestKeyframe(time.Now())
				}
			case *rtcp.ReceiverReport:
				for _, r := range p.Reports {
					d.lost.Store(uint32(r.FractionLost))
				}
			}
		}
	}
}

// retransmit resends the packet the receiver knows as seq, when it belongs
// to the current run of the current source and is still cached.
func (d *downTrack) retransmit(seq uint16, buf []byte, h, out *rtp.Header) {
	d.mu.Lock()
	src, w := d.src, d.w
	if src == nil || w == nil || !d.started || !d.sent || uint16(seq-d.segStart) > uint16(d.lastSeq-d.segStart) {
		d.mu.Unlock()
		return
	}
	srcSeq := seq - d.seqOffset
	tsOffset, pt, ssrc := d.tsOffset, d.pt, d.ssrc
	d.mu.Unlock()
	n := src.cache.copySeq(srcSeq, buf)
	if n == 0 {
		return
	}
	hl, err := h.Unmarshal(buf[:n])
	if err != nil {
		return
	}
	*out = rtp.Header{Version: 2, Padding: h.Padding, Marker: h.Marker, PayloadType: pt, SequenceNumber: seq, Timestamp: h.Timestamp + tsOffset, SSRC: ssrc}
	if _, err := w.WriteRTP(out, buf[hl:n]); err == nil {
		d.retransmits.Add(1)
	}
}
