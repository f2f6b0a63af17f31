package http_test

import (
	"bytes"
	"context"
	"io"
	nethttp "net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pion/ice/v2"
	"github.com/pion/interceptor"
	"github.com/pion/rtp"
	"github.com/pion/webrtc/v3"
	"github.com/roadshow/roadshow/internal/synthmedia"
)

// Real pion peers for the live routes: a browser-like stack over loopback.
func clientAPI(tb testing.TB) *webrtc.API {
	tb.Helper()
	m := &webrtc.MediaEngine{}
	if err := m.RegisterDefaultCodecs(); err != nil {
		tb.Fatal(err)
	}
	ir := &interceptor.Registry{}
	if err := webrtc.RegisterDefaultInterceptors(m, ir); err != nil {
		tb.Fatal(err)
	}
	var s webrtc.SettingEngine
	s.SetIncludeLoopbackCandidate(true)
	s.SetICEMulticastDNSMode(ice.MulticastDNSModeDisabled)
	s.SetNetworkTypes([]webrtc.NetworkType{webrtc.NetworkTypeUDP4})
	return webrtc.NewAPI(webrtc.WithMediaEngine(m), webrtc.WithInterceptorRegistry(ir), webrtc.WithSettingEngine(s))
}

func newPeer(tb testing.TB) *webrtc.PeerConnection {
	tb.Helper()
	pc, err := clientAPI(tb).NewPeerConnection(webrtc.Configuration{})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = pc.Close() })
	return pc
}

// localOffer sets and returns pc's offer with every candidate in it.
func localOffer(tb testing.TB, pc *webrtc.PeerConnection) string {
	tb.Helper()
	o, err := pc.CreateOffer(nil)
	if err != nil {
		tb.Fatal(err)
	}
	g := webrtc.GatheringCompletePromise(pc)
	if err := pc.SetLocalDescription(o); err != nil {
		tb.Fatal(err)
	}
	<-g
	return pc.LocalDescription().SDP
}

// mediaOffer is an offer to send (WHIP) or receive (WHEP) audio and video.
func mediaOffer(tb testing.TB, send bool) (*webrtc.PeerConnection, string) {
	tb.Helper()
	pc := newPeer(tb)
	dir := webrtc.RTPTransceiverDirectionRecvonly
	if send {
		dir = webrtc.RTPTransceiverDirectionSendonly
	}
	for _, k := range []webrtc.RTPCodecType{webrtc.RTPCodecTypeVideo, webrtc.RTPCodecTypeAudio} {
		if _, err := pc.AddTransceiverFromKind(k, webrtc.RTPTransceiverInit{Direction: dir}); err != nil {
			tb.Fatal(err)
		}
	}
	return pc, localOffer(tb, pc)
}

// postSDP sends a WHIP or WHEP request the way OBS Studio does.
func (s *testServer) postSDP(tb testing.TB, path, token, sdp string) response {
	tb.Helper()
	return s.Do(tb, "POST", path, token, strings.NewReader(sdp), "Content-Type", "application/sdp")
}

// whipPublisher publishes synthetic video and audio over WHIP.
type whipPublisher struct {
	pc       *webrtc.PeerConnection
	video    *synthmedia.Video
	location string
	cancel   context.CancelFunc
	wg       sync.WaitGroup
}

func (s *testServer) mustWHIP(tb testing.TB, sessionID, token, mime string) *whipPublisher {
	tb.Helper()
	v, err := synthmedia.NewVideo(mime, "cam", "obs", 1_000_000)
	if err != nil {
		tb.Fatal(err)
	}
	a, err := synthmedia.NewAudio("mic", "obs")
	if err != nil {
		tb.Fatal(err)
	}
	pc := newPeer(tb)
	vs, err := pc.AddTransceiverFromTrack(v.Track(), webrtc.RTPTransceiverInit{Direction: webrtc.RTPTransceiverDirectionSendonly})
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := pc.AddTransceiverFromTrack(a.Track(), webrtc.RTPTransceiverInit{Direction: webrtc.RTPTransceiverDirectionSendonly}); err != nil {
		tb.Fatal(err)
	}
	r := s.postSDP(tb, "/sessions/"+sessionID+"/whip", token, localOffer(tb, pc))
	if r.Status != 201 {
		tb.Fatalf("WHIP: got %d, want 201: %s", r.Status, r.Body)
	}
	if err := pc.SetRemoteDescription(webrtc.SessionDescription{Type: webrtc.SDPTypeAnswer, SDP: string(r.Body)}); err != nil {
		tb.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	p := &whipPublisher{pc: pc, video: v, location: r.Header.Get("Location"), cancel: cancel}
	p.wg.Add(3)
	go func() { defer p.wg.Done(); v.Run(ctx) }()
	go func() { defer p.wg.Done(); a.Run(ctx) }()
	go func() { defer p.wg.Done(); v.ReadRTCP(vs.Sender()) }()
	tb.Cleanup(p.stop)
	return p
}

func (p *whipPublisher) stop() {
	p.cancel()
	_ = p.pc.Close()
	p.wg.Wait()
}

// whepPlayer watches the stage over WHEP.
type whepPlayer struct {
	pc       *webrtc.PeerConnection
	location string
	mu       sync.Mutex
	frames   *synthmedia.Frames
	ssrcs    map[uint32]bool
	keyframe chan struct{}
	once     sync.Once
}

func (s *testServer) mustWHEP(tb testing.TB, sessionID, token string) *whepPlayer {
	tb.Helper()
	pc, offer := mediaOffer(tb, false)
	w := &whepPlayer{pc: pc, frames: synthmedia.NewFrames(webrtc.MimeTypeVP8), ssrcs: map[uint32]bool{}, keyframe: make(chan struct{})}
	pc.OnTrack(func(track *webrtc.TrackRemote, _ *webrtc.RTPReceiver) {
		if track.Kind() != webrtc.RTPCodecTypeVideo {
			return
		}
		buf := make([]byte, 1500)
		var h rtp.Header
		for {
			n, _, err := track.Read(buf)
			if err != nil {
				return
			}
			hl, err := h.Unmarshal(buf[:n])
			if err != nil {
				continue
			}
			w.mu.Lock()
			w.frames.SetMime(track.Codec().MimeType)
			w.frames.Add(&h, buf[hl:n], time.Now())
			w.ssrcs[h.SSRC] = true
			keys := w.frames.Keyframes
			w.mu.Unlock()
			if keys > 0 {
				w.once.Do(func() { close(w.keyframe) })
			}
		}
	})
	r := s.postSDP(tb, "/sessions/"+sessionID+"/whep", token, offer)
	if r.Status != 201 {
		tb.Fatalf("WHEP: got %d, want 201: %s", r.Status, r.Body)
	}
	if err := pc.SetRemoteDescription(webrtc.SessionDescription{Type: webrtc.SDPTypeAnswer, SDP: string(r.Body)}); err != nil {
		tb.Fatal(err)
	}
	w.location = r.Header.Get("Location")
	return w
}

func (w *whepPlayer) keyframes() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.frames.Keyframes
}

// deleteResource sends DELETE to a WHIP or WHEP Location.
func (s *testServer) deleteResource(tb testing.TB, location, token string) int {
	tb.Helper()
	base := strings.TrimSuffix(s.URL, "/api/v1")
	req, err := nethttp.NewRequest("DELETE", base+location, nil)
	if err != nil {
		tb.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := s.client.Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	return resp.StatusCode
}

func waitUntil(tb testing.TB, d time.Duration, what string, cond func() bool) {
	tb.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			tb.Fatalf("timed out after %s waiting for %s", d, what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func waitClosed(tb testing.TB, c <-chan struct{}, d time.Duration, what string) {
	tb.Helper()
	select {
	case <-c:
	case <-time.After(d):
		tb.Fatalf("timed out after %s waiting for %s", d, what)
	}
}

var _ = bytes.NewReader
