package relay_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pion/ice/v2"
	"github.com/pion/interceptor"
	"github.com/pion/rtp"
	"github.com/pion/webrtc/v3"
	"github.com/roadshow/roadshow/internal/relay"
	"github.com/roadshow/roadshow/internal/synthmedia"
	"github.com/roadshow/roadshow/roadshow"
)

// Actors of the test sessions.
var (
	organizer = roadshow.Actor{UserID: "organizer", Role: roadshow.RoleOrganizer}
	judge     = roadshow.Actor{UserID: "judge", Role: roadshow.RoleJudge}
	investor  = roadshow.Actor{UserID: "investor", Role: roadshow.RoleInvestor}
	teamA     = roadshow.Actor{UserID: "team-a", Role: roadshow.RoleApplicant}
	teamB     = roadshow.Actor{UserID: "team-b", Role: roadshow.RoleApplicant}
	stranger  = roadshow.Actor{UserID: "stranger", Role: roadshow.RoleApplicant}
)

func peer(a roadshow.Actor) relay.Peer {
	p := relay.Peer{Actor: a, Name: a.UserID, Ceiling: roadshow.RoomGrant{Publish: roadshow.MediaSources(), Subscribe: true, Moderate: true}}
	switch a {
	case teamA:
		p.Own = map[string]bool{"app-a": true}
	case teamB:
		p.Own = map[string]bool{"app-b": true}
	case stranger:
		p.Own = map[string]bool{"app-z": true}
	}
	return p
}

// session is a pitch session of teams A and B, judged by judge and watched
// by investor; slot is the live slot (-1: scheduled).
type session struct {
	mu sync.Mutex
	se roadshow.Session
}

func newSession(slot int) *session {
	s := &session{se: roadshow.Session{
		ID: "session-1", State: roadshow.SessionLive, CurrentSlot: slot, SlotLength: 15,
		Slots:  []roadshow.Slot{{ApplicationID: "app-a", Title: "A"}, {ApplicationID: "app-b", Title: "B"}},
		Judges: []string{"judge"}, Investors: []string{"investor"}, Version: 1,
	}}
	if slot < 0 {
		s.se.State = roadshow.SessionScheduled
	}
	return s
}

// snapshot returns a copy, as a store read would.
func (s *session) snapshot() *roadshow.Session {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.se
	c.Slots = append([]roadshow.Slot(nil), s.se.Slots...)
	c.Removed = append([]roadshow.RoomRemoval(nil), s.se.Removed...)
	return &c
}

// change applies fn as the domain would and tells the relay.
func (s *session) change(r *relay.Relay, fn func(se *roadshow.Session)) {
	s.mu.Lock()
	fn(&s.se)
	s.se.Version++
	s.mu.Unlock()
	r.Publish(roadshow.Event{Type: roadshow.EventSession, SessionID: s.se.ID, Session: s.snapshot()})
}

func newRelay(t testing.TB) *relay.Relay {
	t.Helper()
	r, err := relay.New(relay.Config{Loopback: true, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = r.Close() })
	return r
}

// clientAPI is a browser-like pion stack: default codecs and interceptors
// (NACKs both ways, reports), loopback candidates, no mDNS.
func clientAPI(t testing.TB, extra ...interceptor.Factory) *webrtc.API {
	t.Helper()
	return clientAPIWith(t, func(*webrtc.SettingEngine) {}, extra...)
}

// clientAPIWith is clientAPI with settings changed by set.
func clientAPIWith(t testing.TB, set func(*webrtc.SettingEngine), extra ...interceptor.Factory) *webrtc.API {
	t.Helper()
	m := &webrtc.MediaEngine{}
	if err := m.RegisterDefaultCodecs(); err != nil {
		t.Fatal(err)
	}
	ir := &interceptor.Registry{}
	for _, f := range extra {
		ir.Add(f)
	}
	if err := webrtc.RegisterDefaultInterceptors(m, ir); err != nil {
		t.Fatal(err)
	}
	var s webrtc.SettingEngine
	s.SetIncludeLoopbackCandidate(true)
	s.SetICEMulticastDNSMode(ice.MulticastDNSModeDisabled)
	s.SetNetworkTypes([]webrtc.NetworkType{webrtc.NetworkTypeUDP4})
	set(&s)
	return webrtc.NewAPI(webrtc.WithMediaEngine(m), webrtc.WithInterceptorRegistry(ir), webrtc.WithSettingEngine(s))
}

func newPC(t testing.TB, api *webrtc.API) *webrtc.PeerConnection {
	t.Helper()
	pc, err := api.NewPeerConnection(webrtc.Configuration{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = pc.Close() })
	return pc
}

// offer makes pc's offer with every candidate in it.
func offer(t testing.TB, pc *webrtc.PeerConnection) string {
	t.Helper()
	o, err := pc.CreateOffer(nil)
	if err != nil {
		t.Fatal(err)
	}
	g := webrtc.GatheringCompletePromise(pc)
	if err := pc.SetLocalDescription(o); err != nil {
		t.Fatal(err)
	}
	<-g
	return pc.LocalDescription().SDP
}

func setAnswer(t testing.TB, pc *webrtc.PeerConnection, sdp string) {
	t.Helper()
	if err := pc.SetRemoteDescription(webrtc.SessionDescription{Type: webrtc.SDPTypeAnswer, SDP: sdp}); err != nil {
		t.Fatal(err)
	}
}

// received is what one receiver got on one track.
type received struct {
	video    bool   // immutable: what kind of track
	mime     string // the codec of the last packet; guarded by mu
	mu       sync.Mutex
	frames   *synthmedia.Frames
	ssrcs    map[uint32]bool
	pts      map[uint8]bool
	lastSeq  uint16
	seqJumps int // sequence numbers that did not follow the previous one
	tsBack   int // timestamps that went backwards
	lastTS   uint32
	keyframe chan struct{}
	once     sync.Once
	packets  atomic.Int64
}

func newReceived(mime string) *received {
	return &received{video: strings.HasPrefix(mime, "video/"), mime: mime, frames: synthmedia.NewFrames(mime), ssrcs: map[uint32]bool{}, pts: map[uint8]bool{}, keyframe: make(chan struct{})}
}

func (r *received) add(h *rtp.Header, payload []byte, mime string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.packets.Load() > 0 {
		if h.SequenceNumber != r.lastSeq+1 {
			r.seqJumps++
		}
		if int32(h.Timestamp-r.lastTS) < 0 {
			r.tsBack++
		}
	}
	r.lastSeq, r.lastTS = h.SequenceNumber, h.Timestamp
	r.ssrcs[h.SSRC] = true
	r.pts[h.PayloadType] = true
	r.mime = mime
	r.frames.SetMime(mime)
	r.frames.Add(h, payload, time.Now())
	r.packets.Add(1)
	if r.frames.Keyframes > 0 {
		r.once.Do(func() { close(r.keyframe) })
	}
}

// read reads a remote track into rec until it ends.
func read(track *webrtc.TrackRemote, rec *received) {
	buf := make([]byte, 1500)
	var h rtp.Header
	for {
		n, _, err := track.Read(buf)
		if err != nil {
			if debugRead {
				fmt.Println("read ended:", err)
			}
			return
		}
		hl, err := h.Unmarshal(buf[:n])
		if err != nil {
			continue
		}
		rec.add(&h, buf[hl:n], track.Codec().MimeType)
	}
}

// waitFor polls cond until it holds or the deadline passes.
func waitFor(t testing.TB, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s waiting for %s", d, what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func waitChan(t testing.TB, c <-chan struct{}, d time.Duration, what string) {
	t.Helper()
	select {
	case <-c:
	case <-time.After(d):
		t.Fatalf("timed out after %s waiting for %s", d, what)
	}
}

// publisher sends synthetic video and audio.
type publisher struct {
	pc     *webrtc.PeerConnection
	video  *synthmedia.Video
	audio  *synthmedia.Audio
	cancel context.CancelFunc
	done   sync.WaitGroup
}

func newPublisher(t testing.TB, api *webrtc.API, mime string) *publisher {
	t.Helper()
	v, err := synthmedia.NewVideo(mime, "cam", "pub", 1_500_000)
	if err != nil {
		t.Fatal(err)
	}
	a, err := synthmedia.NewAudio("mic", "pub")
	if err != nil {
		t.Fatal(err)
	}
	pc := newPC(t, api)
	vs, err := pc.AddTransceiverFromTrack(v.Track(), webrtc.RTPTransceiverInit{Direction: webrtc.RTPTransceiverDirectionSendonly})
	if err != nil {
		t.Fatal(err)
	}
	as, err := pc.AddTransceiverFromTrack(a.Track(), webrtc.RTPTransceiverInit{Direction: webrtc.RTPTransceiverDirectionSendonly})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	p := &publisher{pc: pc, video: v, audio: a, cancel: cancel}
	p.done.Add(4)
	go func() { defer p.done.Done(); v.Run(ctx) }()
	go func() { defer p.done.Done(); a.Run(ctx) }()
	go func() { defer p.done.Done(); v.ReadRTCP(vs.Sender()) }()
	go func() {
		defer p.done.Done()
		buf := make([]byte, 1500)
		for {
			if _, _, err := as.Sender().Read(buf); err != nil {
				return
			}
		}
	}()
	t.Cleanup(p.stop)
	return p
}

func (p *publisher) stop() {
	p.cancel()
	_ = p.pc.Close()
	p.done.Wait()
}

// whep is a WHEP player.
type whep struct {
	pc    *webrtc.PeerConnection
	video *received
	audio *received
	id    string
}

func newWHEP(t testing.TB, r *relay.Relay, se *roadshow.Session, p relay.Peer) (*whep, error) {
	t.Helper()
	pc := newPC(t, clientAPI(t))
	for _, k := range []webrtc.RTPCodecType{webrtc.RTPCodecTypeVideo, webrtc.RTPCodecTypeAudio} {
		if _, err := pc.AddTransceiverFromKind(k, webrtc.RTPTransceiverInit{Direction: webrtc.RTPTransceiverDirectionRecvonly}); err != nil {
			t.Fatal(err)
		}
	}
	w := &whep{pc: pc, video: newReceived(webrtc.MimeTypeVP8), audio: newReceived(webrtc.MimeTypeOpus)}
	pc.OnTrack(func(track *webrtc.TrackRemote, _ *webrtc.RTPReceiver) {
		if track.Kind() == webrtc.RTPCodecTypeVideo {
			read(track, w.video)
		} else {
			read(track, w.audio)
		}
	})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	answer, id, err := r.WHEP(ctx, se, p, offer(t, pc))
	if err != nil {
		return nil, err
	}
	setAnswer(t, pc, answer)
	w.id = id
	return w, nil
}

// whip publishes over WHIP.
func newWHIP(t testing.TB, r *relay.Relay, se *roadshow.Session, p relay.Peer, mime string) (*publisher, string, error) {
	t.Helper()
	pub := newPublisher(t, clientAPI(t), mime)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	answer, id, err := r.WHIP(ctx, se, p, offer(t, pub.pc))
	if err != nil {
		return pub, "", err
	}
	setAnswer(t, pub.pc, answer)
	return pub, id, nil
}

const debugRead = false
