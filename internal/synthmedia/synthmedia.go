// Package synthmedia makes synthetic audio and video for the relay's tests
// and the load tool: no encoder runs, but the bitstream headers are real
// (VP8 frame tags and key frame start codes, H.264 SPS, PPS and IDR NAL
// units, Opus-sized packets), so a relay sees real keyframes and a receiver
// can tell when it could start decoding.
package synthmedia

import (
	"context"
	"crypto/rand"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/pion/rtcp"
	"github.com/pion/webrtc/v3"
	"github.com/pion/webrtc/v3/pkg/media"
)

// FPS is the frame rate of the synthetic video.
const FPS = 30

// Video is a synthetic video track: frames of the size a bitrate gives at
// FPS frames a second, a keyframe first and whenever a receiver asks.
type Video struct {
	track    *webrtc.TrackLocalStaticSample
	mime     string
	bitrate  int
	fill     []byte
	keyframe atomic.Bool

	// Requests counts the keyframe requests (PLI, FIR) received.
	Requests atomic.Uint64
	// Keyframes counts the keyframes sent.
	Keyframes atomic.Uint64
	// Reports counts the receiver reports received: the first tells that
	// the receiving end gets the packets.
	Reports atomic.Uint64
}

// NewVideo returns a video track of the codec (webrtc.MimeTypeVP8 or
// webrtc.MimeTypeH264) at about bitrate bits per second.
func NewVideo(mime, id, streamID string, bitrate int) (*Video, error) {
	c := webrtc.RTPCodecCapability{MimeType: mime, ClockRate: 90000}
	if mime == webrtc.MimeTypeH264 {
		c.SDPFmtpLine = "level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f"
	}
	t, err := webrtc.NewTrackLocalStaticSample(c, id, streamID)
	if err != nil {
		return nil, fmt.Errorf("synthmedia: video track: %w", err)
	}
	fill := make([]byte, 64<<10)
	_, _ = rand.Read(fill)
	v := &Video{track: t, mime: mime, bitrate: bitrate, fill: fill}
	v.keyframe.Store(true)
	return v, nil
}

// Track is what to add to a peer connection.
func (v *Video) Track() *webrtc.TrackLocalStaticSample { return v.track }

// RequestKeyframe makes the next frame a keyframe.
func (v *Video) RequestKeyframe() { v.keyframe.Store(true) }

// Run sends frames until ctx ends.
func (v *Video) Run(ctx context.Context) {
	tick := time.NewTicker(time.Second / FPS)
	defer tick.Stop()
	size := v.bitrate / 8 / FPS
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		key := v.keyframe.Swap(false)
		n := size
		if key {
			n = size * 4 // keyframes are several times larger
			v.Keyframes.Add(1)
		}
		var frame []byte
		if v.mime == webrtc.MimeTypeH264 {
			frame = h264Frame(key, n, v.fill)
		} else {
			frame = vp8Frame(key, n, v.fill)
		}
		_ = v.track.WriteSample(media.Sample{Data: frame, Duration: time.Second / FPS})
	}
}

// ReadRTCP reads the sender's RTCP until it stops, turning PLIs and FIRs
// into keyframes. In pion v3 a sender's RTCP must be read anyway.
func (v *Video) ReadRTCP(sender *webrtc.RTPSender) {
	buf := make([]byte, 1500)
	for {
		n, _, err := sender.Read(buf)
		if err != nil {
			return
		}
		pkts, err := rtcp.Unmarshal(buf[:n])
		if err != nil {
			continue
		}
		for _, p := range pkts {
			switch p.(type) {
			case *rtcp.PictureLossIndication, *rtcp.FullIntraRequest:
				v.Requests.Add(1)
				v.RequestKeyframe()
			case *rtcp.ReceiverReport:
				v.Reports.Add(1)
			}
		}
	}
}

// vp8Frame is a VP8 frame (RFC 6386 §9.1): a 3-byte frame tag whose low
// bit is 0 on key frames, then on key frames the start code and a 640x360
// size, then filler.
func vp8Frame(key bool, size int, fill []byte) []byte {
	size = max(size, 16)
	f := make([]byte, size)
	copy(f, fill[:min(size, len(fill))])
	f[0] = 0x11 // show_frame, version 0, inter frame
	if key {
		f[0] = 0x10
		copy(f[3:], []byte{0x9d, 0x01, 0x2a, 0x80, 0x02, 0x68, 0x01})
	}
	return f
}

// h264Frame is an Annex B access unit: SPS, PPS and an IDR slice for a
// keyframe, one non-IDR slice otherwise.
func h264Frame(key bool, size int, fill []byte) []byte {
	size = max(size, 32)
	start := []byte{0, 0, 0, 1}
	var f []byte
	if key {
		f = append(f, start...)
		f = append(f, 0x67, 0x42, 0xe0, 0x1f, 0xda, 0x02, 0x80, 0xf6, 0x80, 0x6d, 0x0a, 0x13, 0x50) // SPS
		f = append(f, start...)
		f = append(f, 0x68, 0xce, 0x3c, 0x80) // PPS
		f = append(f, start...)
		f = append(f, 0x65) // IDR slice
	} else {
		f = append(f, start...)
		f = append(f, 0x41) // non-IDR slice
	}
	body := fill[:min(size, len(fill))]
	for _, b := range body {
		// No start code may appear inside the slice.
		if b == 0 {
			b = 0x5a
		}
		f = append(f, b)
	}
	return f
}

// Audio is a synthetic Opus track: 20 ms packets of 80 bytes.
type Audio struct {
	track *webrtc.TrackLocalStaticSample
	frame []byte
}

// NewAudio returns an Opus track.
func NewAudio(id, streamID string) (*Audio, error) {
	t, err := webrtc.NewTrackLocalStaticSample(webrtc.RTPCodecCapability{MimeType: webrtc.MimeTypeOpus, ClockRate: 48000, Channels: 2}, id, streamID)
	if err != nil {
		return nil, fmt.Errorf("synthmedia: audio track: %w", err)
	}
	f := make([]byte, 80)
	_, _ = rand.Read(f)
	f[0] = 0xfc // TOC: SILK/CELT hybrid, 20 ms, one frame
	return &Audio{track: t, frame: f}, nil
}

// Track is what to add to a peer connection.
func (a *Audio) Track() *webrtc.TrackLocalStaticSample { return a.track }

// Run sends packets until ctx ends.
func (a *Audio) Run(ctx context.Context) {
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		_ = a.track.WriteSample(media.Sample{Data: a.frame, Duration: 20 * time.Millisecond})
	}
}
