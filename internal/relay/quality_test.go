package relay_test

import (
	"context"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pion/interceptor"
	"github.com/pion/rtcp"
	"github.com/pion/rtp"
	"github.com/pion/webrtc/v3"
	"github.com/roadshow/roadshow/internal/relay"
	"github.com/roadshow/roadshow/roadshow"
)

// dropper loses every n-th video packet once, on the way in (remote) or
// out: a lossy link that repairs work around.
type dropper struct {
	interceptor.NoOp
	remote  bool
	n       uint16
	mu      sync.Mutex
	dropped map[uint32]map[uint16]bool
	count   atomic.Int64
}

func newDropper(remote bool, n uint16) *dropper {
	return &dropper{remote: remote, n: n, dropped: map[uint32]map[uint16]bool{}}
}

func (d *dropper) NewInterceptor(string) (interceptor.Interceptor, error) { return d, nil }

// drop reports whether to lose this packet: every n-th, the first time.
func (d *dropper) drop(ssrc uint32, seq uint16) bool {
	if seq%d.n != 0 {
		return false
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.dropped[ssrc] == nil {
		d.dropped[ssrc] = map[uint16]bool{}
	}
	if d.dropped[ssrc][seq] {
		return false
	}
	d.dropped[ssrc][seq] = true
	d.count.Add(1)
	return true
}

func (d *dropper) BindRemoteStream(info *interceptor.StreamInfo, r interceptor.RTPReader) interceptor.RTPReader {
	if !d.remote || !strings.HasPrefix(info.MimeType, "video/") {
		return r
	}
	return interceptor.RTPReaderFunc(func(b []byte, a interceptor.Attributes) (int, interceptor.Attributes, error) {
		for {
			n, a, err := r.Read(b, a)
			if err != nil || n < 12 {
				return n, a, err
			}
			var h rtp.Header
			if _, err := h.Unmarshal(b[:n]); err == nil && d.drop(h.SSRC, h.SequenceNumber) {
				continue
			}
			return n, a, err
		}
	})
}

func (d *dropper) BindLocalStream(info *interceptor.StreamInfo, w interceptor.RTPWriter) interceptor.RTPWriter {
	if d.remote || !strings.HasPrefix(info.MimeType, "video/") {
		return w
	}
	return interceptor.RTPWriterFunc(func(h *rtp.Header, payload []byte, a interceptor.Attributes) (int, error) {
		if d.drop(h.SSRC, h.SequenceNumber) {
			return len(payload), nil
		}
		return w.Write(h, payload, a)
	})
}

// Losses on both legs are repaired: the relay NACKs the publisher for what
// it missed, and answers the receiver's NACKs from its cache.
func TestLossIsRepaired(t *testing.T) {
	r := newRelay(t)
	s := newSession(0)
	up := newDropper(false, 37)
	pub := newPublisher(t, clientAPI(t, up), webrtc.MimeTypeVP8)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	answer, _, err := r.WHIP(ctx, s.snapshot(), peer(teamA), offer(t, pub.pc))
	if err != nil {
		t.Fatal(err)
	}
	setAnswer(t, pub.pc, answer)

	down := newDropper(true, 23)
	// The dropper sits behind SRTP, which would take the repair for a
	// replay of what it already decrypted; on a real link the loss comes
	// first.
	pc := newPC(t, clientAPIWith(t, func(s *webrtc.SettingEngine) { s.DisableSRTPReplayProtection(true) }, down))
	for _, k := range []webrtc.RTPCodecType{webrtc.RTPCodecTypeVideo, webrtc.RTPCodecTypeAudio} {
		if _, err := pc.AddTransceiverFromKind(k, webrtc.RTPTransceiverInit{Direction: webrtc.RTPTransceiverDirectionRecvonly}); err != nil {
			t.Fatal(err)
		}
	}
	video := newReceived(webrtc.MimeTypeVP8)
	pc.OnTrack(func(track *webrtc.TrackRemote, _ *webrtc.RTPReceiver) {
		if track.Kind() == webrtc.RTPCodecTypeVideo {
			read(track, video)
		}
	})
	answer, _, err = r.WHEP(ctx, s.snapshot(), peer(investor), offer(t, pc))
	if err != nil {
		t.Fatal(err)
	}
	setAnswer(t, pc, answer)
	waitFor(t, 10*time.Second, "600 video packets", func() bool { return video.packets.Load() > 600 })
	pub.cancel() // stop sending; repairs still flow
	defer func() {
		video.mu.Lock()
		t.Logf("missing %d of %d; dropped up %d down %d; stats %+v", video.frames.Missing(), video.frames.Span(), up.count.Load(), down.count.Load(), r.Stats())
		video.mu.Unlock()
	}()
	waitFor(t, 10*time.Second, "every lost packet repaired", func() bool {
		video.mu.Lock()
		defer video.mu.Unlock()
		return video.frames.Missing() == 0
	})
	if up.count.Load() == 0 || down.count.Load() == 0 {
		t.Fatalf("nothing was lost (up %d, down %d): the test proves nothing", up.count.Load(), down.count.Load())
	}
	if st := r.Stats(); st.Retransmitted == 0 || st.NACKs == 0 {
		t.Fatalf("relay stats: got %+v, want retransmissions", st)
	}
}

// A receiver that stops reading does not slow the others down.
func TestStalledReceiver(t *testing.T) {
	r := newRelay(t)
	s := newSession(0)
	if _, _, err := newWHIP(t, r, s.snapshot(), peer(teamA), webrtc.MimeTypeVP8); err != nil {
		t.Fatal(err)
	}
	// The stalled player never reads what arrives.
	stalled := newPC(t, clientAPI(t))
	for _, k := range []webrtc.RTPCodecType{webrtc.RTPCodecTypeVideo, webrtc.RTPCodecTypeAudio} {
		if _, err := stalled.AddTransceiverFromKind(k, webrtc.RTPTransceiverInit{Direction: webrtc.RTPTransceiverDirectionRecvonly}); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	answer, _, err := r.WHEP(ctx, s.snapshot(), peer(investor), offer(t, stalled))
	if err != nil {
		t.Fatal(err)
	}
	setAnswer(t, stalled, answer)
	var players []*whep
	for i := 0; i < 4; i++ {
		w, err := newWHEP(t, r, s.snapshot(), peer(judge))
		if err != nil {
			t.Fatal(err)
		}
		players = append(players, w)
	}
	for _, w := range players {
		waitFor(t, 15*time.Second, "1,000 video packets at each reading player", func() bool { return w.video.packets.Load() > 1000 })
	}
	for i, w := range players {
		w.video.mu.Lock()
		if m := w.video.frames.Missing(); m > 5 {
			t.Errorf("player %d: %d packets missing", i, m)
		}
		w.video.mu.Unlock()
	}
}

// A burst of joins costs the publisher a keyframe or two, not one each:
// joiners get the cached keyframe while it is recent.
func TestKeyframeRequestsAreCoalesced(t *testing.T) {
	r := newRelay(t)
	s := newSession(0)
	pub, _, err := newWHIP(t, r, s.snapshot(), peer(teamA), webrtc.MimeTypeVP8)
	if err != nil {
		t.Fatal(err)
	}
	const joins = 30
	var wg sync.WaitGroup
	players := make([]*whep, joins)
	errs := make([]error, joins)
	for i := 0; i < joins; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			players[i], errs[i] = newWHEP(t, r, s.snapshot(), peer(investor))
		}(i)
	}
	wg.Wait()
	for i, w := range players {
		if errs[i] != nil {
			t.Fatal(errs[i])
		}
		waitChan(t, w.video.keyframe, 10*time.Second, "a keyframe at every player")
	}
	if got := pub.video.Requests.Load(); got > joins/6 {
		t.Fatalf("keyframe requests at the publisher for %d joins: got %d, want at most %d", joins, got, joins/6)
	}
}

// A hundred players leaving at once, half politely and half by dropping
// their connection, neither crash nor wedge the room; once the session
// ends, the relay's goroutines and connections are back at the baseline.
func TestMassLeaveAndCleanup(t *testing.T) {
	base := runtime.NumGoroutine()
	r := newRelay(t)
	s := newSession(0)
	pub, _, err := newWHIP(t, r, s.snapshot(), peer(teamA), webrtc.MimeTypeVP8)
	if err != nil {
		t.Fatal(err)
	}
	const n = 100
	players := make([]*whep, n)
	var wg sync.WaitGroup
	sem := make(chan struct{}, 10)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			w, err := newWHEP(t, r, s.snapshot(), peer(investor))
			if err != nil {
				t.Error(err)
				return
			}
			players[i] = w
		}(i)
	}
	wg.Wait()
	if t.Failed() {
		t.FailNow()
	}
	for _, w := range players {
		waitChan(t, w.video.keyframe, 20*time.Second, "a keyframe at every player")
	}
	if st := r.Stats(); st.Participants != n+1 {
		t.Fatalf("participants: got %d, want %d", st.Participants, n+1)
	}
	for i, w := range players {
		wg.Add(1)
		go func(i int, w *whep) {
			defer wg.Done()
			if i%2 == 0 {
				if err := r.Hangup(s.se.ID, w.id, investor.UserID); err != nil {
					t.Error(err)
				}
			}
			_ = w.pc.Close() // the odd ones just go
		}(i, w)
	}
	wg.Wait()
	waitFor(t, 30*time.Second, "every player gone", func() bool { return r.Stats().Participants == 1 })
	late, err := newWHEP(t, r, s.snapshot(), peer(judge))
	if err != nil {
		t.Fatal(err)
	}
	waitChan(t, late.video.keyframe, 10*time.Second, "a keyframe at a player joining after the exodus")
	_ = late.pc.Close()

	s.change(r, func(se *roadshow.Session) { se.State = roadshow.SessionEnded })
	waitFor(t, 10*time.Second, "the room to close", func() bool {
		st := r.Stats()
		return st.Rooms == 0 && st.Participants == 0 && st.Goroutines == 0
	})
	pub.stop()
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 30*time.Second, "goroutines back at the baseline", func() bool { return runtime.NumGoroutine() <= base+2 })
}

// A second tab replaces the first; offers the relay did not expect are
// refused without breaking the connection.
func TestSignalingMistakes(t *testing.T) {
	r := newRelay(t)
	s := newSession(0)
	a, err := join(t, r, s.snapshot(), peer(teamA))
	if err != nil {
		t.Fatal(err)
	}
	aw := a.message(relay.MsgWelcome, 5*time.Second, nil)
	a.publish(webrtc.MimeTypeVP8, roadshow.SourceCamera, roadshow.SourceMicrophone)

	first, err := join(t, r, s.snapshot(), peer(judge))
	if err != nil {
		t.Fatal(err)
	}
	first.message(relay.MsgWelcome, 5*time.Second, nil)
	second, err := join(t, r, s.snapshot(), peer(judge))
	if err != nil {
		t.Fatal(err)
	}
	if bye := first.message(relay.MsgBye, 5*time.Second, nil); bye.Bye.Key != "room.replaced" {
		t.Fatalf("first tab's bye: got %q, want room.replaced", bye.Bye.Key)
	}
	second.conn.Handle(relay.Message{Type: relay.MsgOffer, PC: relay.PCSubscribe, SDP: "v=0"})
	if e := second.message(relay.MsgError, 5*time.Second, nil); e.Error.Key != "room.unexpected_offer" {
		t.Fatalf("stray offer: got %q", e.Error.Key)
	}
	second.conn.Handle(relay.Message{Type: "dance"})
	second.message(relay.MsgError, 5*time.Second, func(m relay.Message) bool { return m.Error.Key == "room.unknown_message" })
	video := second.trackOf(aw.Self.ID, "video", 5*time.Second)
	waitChan(t, video.keyframe, 5*time.Second, "a keyframe in the second tab")
	// An investor may not publish.
	inv, err := join(t, r, s.snapshot(), peer(investor))
	if err != nil {
		t.Fatal(err)
	}
	inv.message(relay.MsgWelcome, 5*time.Second, nil)
	inv.publish(webrtc.MimeTypeVP8, roadshow.SourceCamera)
	inv.message(relay.MsgError, 5*time.Second, func(m relay.Message) bool { return m.Error.Key == "room.publish_forbidden" })
	// A judge may not share a screen.
	second.publish(webrtc.MimeTypeVP8, roadshow.SourceScreen)
	second.message(relay.MsgError, 5*time.Second, func(m relay.Message) bool { return m.Error.Key == "room.source_forbidden" })
}

// Pages joining and leaving while the team publishes and unpublishes:
// nothing panics, races or wedges.
func TestChurn(t *testing.T) {
	r := newRelay(t)
	s := newSession(0)
	a, err := join(t, r, s.snapshot(), peer(teamA))
	if err != nil {
		t.Fatal(err)
	}
	aw := a.message(relay.MsgWelcome, 5*time.Second, nil)
	a.publish(webrtc.MimeTypeVP8, roadshow.SourceCamera, roadshow.SourceMicrophone)
	stop := time.Now().Add(2 * time.Second)
	var wg sync.WaitGroup
	for i := 0; i < 6; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Now().Before(stop) {
				conn, err := r.Join(s.snapshot(), peer(investor))
				if err != nil {
					continue
				}
				for m := range conn.Out() {
					if m.Type == relay.MsgOffer {
						break
					}
				}
				conn.Leave()
				for range conn.Out() {
				}
			}
		}()
	}
	for time.Now().Before(stop) {
		a.conn.Handle(relay.Message{Type: relay.MsgMute, Source: roadshow.SourceCamera})
		a.conn.Handle(relay.Message{Type: relay.MsgUnmute, Source: roadshow.SourceCamera})
		time.Sleep(10 * time.Millisecond)
	}
	wg.Wait()
	j, err := join(t, r, s.snapshot(), peer(judge))
	if err != nil {
		t.Fatal(err)
	}
	video := j.trackOf(aw.Self.ID, "video", 5*time.Second)
	waitChan(t, video.keyframe, 5*time.Second, "a keyframe after the churn")
}

// Receivers get a sender report for each track once a second, from the
// relay itself: the SSRC they receive, counts that grow, and an RTP time
// that matches the packets' timestamps (what lip sync needs).
func TestSenderReports(t *testing.T) {
	r := newRelay(t)
	s := newSession(0)
	if _, _, err := newWHIP(t, r, s.snapshot(), peer(teamA), webrtc.MimeTypeVP8); err != nil {
		t.Fatal(err)
	}
	pc := newPC(t, clientAPI(t))
	for _, k := range []webrtc.RTPCodecType{webrtc.RTPCodecTypeVideo, webrtc.RTPCodecTypeAudio} {
		if _, err := pc.AddTransceiverFromKind(k, webrtc.RTPTransceiverInit{Direction: webrtc.RTPTransceiverDirectionRecvonly}); err != nil {
			t.Fatal(err)
		}
	}
	type report struct {
		sr      *rtcp.SenderReport
		lastTS  uint32
		ssrc    uint32
		arrived time.Time
	}
	reports := make(chan report, 16)
	pc.OnTrack(func(track *webrtc.TrackRemote, recv *webrtc.RTPReceiver) {
		if track.Kind() != webrtc.RTPCodecTypeVideo {
			return
		}
		var last atomic.Uint32
		go func() {
			for {
				pkts, _, err := recv.ReadRTCP()
				if err != nil {
					return
				}
				for _, p := range pkts {
					// A compound packet carries every track's report.
					if sr, ok := p.(*rtcp.SenderReport); ok && sr.SSRC == uint32(track.SSRC()) {
						select {
						case reports <- report{sr: sr, lastTS: last.Load(), ssrc: uint32(track.SSRC()), arrived: time.Now()}:
						default:
						}
					}
				}
			}
		}()
		for {
			p, _, err := track.ReadRTP()
			if err != nil {
				return
			}
			last.Store(p.Timestamp)
		}
	})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	answer, _, err := r.WHEP(ctx, s.snapshot(), peer(investor), offer(t, pc))
	if err != nil {
		t.Fatal(err)
	}
	setAnswer(t, pc, answer)
	var first, second report
	for i, dst := range []*report{&first, &second} {
		select {
		case *dst = <-reports:
		case <-time.After(10 * time.Second):
			t.Fatalf("sender report %d never came", i+1)
		}
	}
	if first.sr.SSRC != first.ssrc {
		t.Fatalf("SSRC: got %d, want %d (the receiver's)", first.sr.SSRC, first.ssrc)
	}
	if second.sr.PacketCount <= first.sr.PacketCount || second.sr.OctetCount <= first.sr.OctetCount {
		t.Fatalf("counts do not grow: %+v then %+v", first.sr, second.sr)
	}
	// The report's RTP time is the sender's clock now: within a second
	// (90,000 ticks) of the newest packet's timestamp.
	if d := int32(second.sr.RTPTime - second.lastTS); d < -90000 || d > 90000 {
		t.Fatalf("RTP time %d is %d ticks from the last packet's %d", second.sr.RTPTime, d, second.lastTS)
	}
	if ntp := second.sr.NTPTime >> 32; ntp < 3_900_000_000 {
		t.Fatalf("NTP seconds %d: not a current time", ntp)
	}
}
