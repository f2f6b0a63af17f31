package relay

import (
	"fmt"
	"strings"

	"github.com/pion/interceptor"
	"github.com/pion/interceptor/pkg/nack"
	"github.com/pion/interceptor/pkg/report"
	"github.com/pion/webrtc/v3"
)

// The codecs the relay negotiates. Browsers send VP8 by default, OBS
// Studio's WHIP output constrained-baseline H.264; the stage offers both so
// that a viewer keeps playing when the next team uses the other one.
var (
	videoFeedback = []webrtc.RTCPFeedback{{Type: "nack"}, {Type: "nack", Parameter: "pli"}, {Type: "ccm", Parameter: "fir"}}

	codecVP8 = webrtc.RTPCodecParameters{
		RTPCodecCapability: webrtc.RTPCodecCapability{MimeType: webrtc.MimeTypeVP8, ClockRate: 90000, RTCPFeedback: videoFeedback},
		PayloadType:        96,
	}
	codecH264 = webrtc.RTPCodecParameters{
		RTPCodecCapability: webrtc.RTPCodecCapability{MimeType: webrtc.MimeTypeH264, ClockRate: 90000,
			SDPFmtpLine:  "level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f",
			RTCPFeedback: videoFeedback},
		PayloadType: 102,
	}
	// Audio is repaired by NACK too where the receiver asks (pion does;
	// browsers rely on Opus' in-band FEC instead).
	codecOpus = webrtc.RTPCodecParameters{
		RTPCodecCapability: webrtc.RTPCodecCapability{MimeType: webrtc.MimeTypeOpus, ClockRate: 48000, Channels: 2,
			SDPFmtpLine: "minptime=10;useinbandfec=1", RTCPFeedback: []webrtc.RTCPFeedback{{Type: "nack"}}},
		PayloadType: 111,
	}
)

// newMediaEngine registers the codecs above and nothing else: the relay
// forwards packets as they are, so it only accepts what it can hand on.
func newMediaEngine() (*webrtc.MediaEngine, error) {
	m := &webrtc.MediaEngine{}
	for _, c := range []webrtc.RTPCodecParameters{codecVP8, codecH264} {
		if err := m.RegisterCodec(c, webrtc.RTPCodecTypeVideo); err != nil {
			return nil, fmt.Errorf("register %s: %w", c.MimeType, err)
		}
	}
	if err := m.RegisterCodec(codecOpus, webrtc.RTPCodecTypeAudio); err != nil {
		return nil, fmt.Errorf("register opus: %w", err)
	}
	return m, nil
}

// newInterceptors builds the RTCP machinery of the connections publishers
// send on: NACKs to publishers for packets the relay missed, and receiver
// reports. Connections that carry media to receivers run none: each
// interceptor costs work per packet and a goroutine per connection, and
// what they would do the relay does itself for all of them, answering NACKs
// from one packet cache per published track (see upTrack) and sending the
// sender reports once a second (see Relay.reportLoop).
func newInterceptors() (*interceptor.Registry, error) {
	ir := &interceptor.Registry{}
	gen, err := nack.NewGeneratorInterceptor(nack.GeneratorSize(512), nack.GeneratorMaxNacksPerPacket(5))
	if err != nil {
		return nil, fmt.Errorf("nack generator: %w", err)
	}
	ir.Add(gen)
	rr, err := report.NewReceiverInterceptor()
	if err != nil {
		return nil, fmt.Errorf("receiver reports: %w", err)
	}
	ir.Add(rr)
	return ir, nil
}

// codecKind tells how a codec's keyframes are recognised.
type codecKind uint8

const (
	codecOther codecKind = iota
	codecKindVP8
	codecKindH264
)

func kindOfMime(mime string) codecKind {
	switch {
	case strings.EqualFold(mime, webrtc.MimeTypeVP8):
		return codecKindVP8
	case strings.EqualFold(mime, webrtc.MimeTypeH264):
		return codecKindH264
	}
	return codecOther
}

// IsKeyframe reports whether an RTP payload (without padding) of the codec
// with the given MIME type starts or carries the beginning of a keyframe:
// what a receiver can start decoding at.
func IsKeyframe(mime string, payload []byte) bool { return isKeyframe(kindOfMime(mime), payload) }

func isKeyframe(k codecKind, payload []byte) bool {
	switch k {
	case codecKindVP8:
		return vp8Keyframe(payload)
	case codecKindH264:
		return h264Keyframe(payload)
	}
	return false
}

// vp8Keyframe reads the VP8 payload descriptor (RFC 7741 §4.2) and, on the
// first packet of partition 0, the inverse key frame flag of the VP8 payload
// header (RFC 6386 §9.1).
func vp8Keyframe(p []byte) bool {
	if len(p) < 1 {
		return false
	}
	if p[0]&0x10 == 0 || p[0]&0x07 != 0 { // S bit, partition index 0
		return false
	}
	i := 1
	if p[0]&0x80 != 0 { // X: extension byte follows
		if len(p) < 2 {
			return false
		}
		ext := p[1]
		i = 2
		if ext&0x80 != 0 { // I: picture id, 7 or 15 bits
			if len(p) <= i {
				return false
			}
			if p[i]&0x80 != 0 {
				i += 2
			} else {
				i++
			}
		}
		if ext&0x40 != 0 { // L: TL0PICIDX
			i++
		}
		if ext&0x30 != 0 { // T or K: TID/KEYIDX byte
			i++
		}
	}
	return len(p) > i && p[i]&0x01 == 0
}

// h264Keyframe reports an SPS or an IDR slice in a single NAL unit, a STAP-A
// aggregate or the first fragment of an FU-A (RFC 6184).
func h264Keyframe(p []byte) bool {
	if len(p) < 1 {
		return false
	}
	switch t := p[0] & 0x1f; t {
	case 5, 7:
		return true
	case 24: // STAP-A: 16-bit sizes, then NAL units
		for i := 1; i+2 < len(p); {
			size := int(p[i])<<8 | int(p[i+1])
			i += 2
			if size == 0 || i >= len(p) {
				return false
			}
			if nt := p[i] & 0x1f; nt == 5 || nt == 7 {
				return true
			}
			i += size
		}
	case 28: // FU-A
		return len(p) > 1 && p[1]&0x80 != 0 && (p[1]&0x1f == 5 || p[1]&0x1f == 7)
	}
	return false
}
