package relay_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/pion/webrtc/v3"
	"github.com/roadshow/roadshow/internal/relay"
	"github.com/roadshow/roadshow/roadshow"
)

// page is a web page in the room: it answers the relay's offers on its
// subscribe connection, publishes on its publish connection, and keeps
// every other message for the test.
type page struct {
	t    testing.TB
	conn *relay.Conn
	api  *webrtc.API
	sub  *webrtc.PeerConnection
	pub  *publisher

	mu      sync.Mutex
	msgs    []relay.Message
	tracks  map[string]*received // by track id (the room's track id)
	streams map[string]string    // track id -> stream id (the publisher's participant id)
	changed chan struct{}
	done    chan struct{}
}

func join(t testing.TB, r *relay.Relay, se *roadshow.Session, p relay.Peer) (*page, error) {
	t.Helper()
	conn, err := r.Join(se, p)
	if err != nil {
		return nil, err
	}
	pg := &page{t: t, conn: conn, api: clientAPI(t), tracks: map[string]*received{}, streams: map[string]string{}, changed: make(chan struct{}, 1), done: make(chan struct{})}
	pg.sub = newPC(t, pg.api)
	pg.sub.OnTrack(func(track *webrtc.TrackRemote, _ *webrtc.RTPReceiver) {
		rec := newReceived(track.Codec().MimeType)
		pg.mu.Lock()
		pg.tracks[track.ID()] = rec
		pg.streams[track.ID()] = track.StreamID()
		pg.mu.Unlock()
		pg.notify()
		read(track, rec)
	})
	go pg.pump()
	t.Cleanup(func() {
		conn.Leave()
		<-pg.done
	})
	return pg, nil
}

func (pg *page) notify() {
	select {
	case pg.changed <- struct{}{}:
	default:
	}
}

// pump plays the page's side of the signaling.
func (pg *page) pump() {
	defer close(pg.done)
	for m := range pg.conn.Out() {
		switch {
		case m.Type == relay.MsgOffer && m.PC == relay.PCSubscribe:
			if err := pg.sub.SetRemoteDescription(webrtc.SessionDescription{Type: webrtc.SDPTypeOffer, SDP: m.SDP}); err != nil {
				pg.keep(relay.Message{Type: "test-error", SDP: err.Error()})
				continue
			}
			a, err := pg.sub.CreateAnswer(nil)
			if err != nil {
				pg.keep(relay.Message{Type: "test-error", SDP: err.Error()})
				continue
			}
			g := webrtc.GatheringCompletePromise(pg.sub)
			_ = pg.sub.SetLocalDescription(a)
			<-g
			pg.conn.Handle(relay.Message{Type: relay.MsgAnswer, PC: relay.PCSubscribe, SDP: pg.sub.LocalDescription().SDP})
		case m.Type == relay.MsgAnswer && m.PC == relay.PCPublish:
			if err := pg.pub.pc.SetRemoteDescription(webrtc.SessionDescription{Type: webrtc.SDPTypeAnswer, SDP: m.SDP}); err != nil {
				pg.keep(relay.Message{Type: "test-error", SDP: err.Error()})
			}
		case m.Type == relay.MsgCandidate:
		default:
			pg.keep(m)
		}
	}
}

func (pg *page) keep(m relay.Message) {
	pg.mu.Lock()
	pg.msgs = append(pg.msgs, m)
	pg.mu.Unlock()
	pg.notify()
}

// publish starts sending camera and microphone (screen: a second video
// declared as the screen share) with the codec given.
func (pg *page) publish(mime string, sources ...roadshow.MediaSource) {
	pg.t.Helper()
	pg.pub = newPublisher(pg.t, pg.api, mime)
	o := offer(pg.t, pg.pub.pc)
	decl := map[string]roadshow.MediaSource{}
	for i, tr := range pg.pub.pc.GetTransceivers() {
		if i < len(sources) {
			decl[tr.Mid()] = sources[i]
		}
	}
	pg.conn.Handle(relay.Message{Type: relay.MsgOffer, PC: relay.PCPublish, SDP: o, Sources: decl})
}

// message waits for a message of the type that matches.
func (pg *page) message(typ string, d time.Duration, match func(relay.Message) bool) relay.Message {
	pg.t.Helper()
	deadline := time.After(d)
	seen := 0
	for {
		pg.mu.Lock()
		for _, m := range pg.msgs[seen:] {
			if m.Type == typ && (match == nil || match(m)) {
				pg.mu.Unlock()
				return m
			}
		}
		seen = len(pg.msgs)
		pg.mu.Unlock()
		select {
		case <-pg.changed:
		case <-deadline:
			pg.t.Fatalf("timed out waiting for a %q message; got %v", typ, pg.types())
		case <-time.After(20 * time.Millisecond):
		}
	}
}

func (pg *page) types() []string {
	pg.mu.Lock()
	defer pg.mu.Unlock()
	var out []string
	for _, m := range pg.msgs {
		out = append(out, m.Type)
	}
	return out
}

// track waits for a received track of the room's track id's owner and kind.
func (pg *page) trackOf(owner string, kind string, d time.Duration) *received {
	pg.t.Helper()
	var rec *received
	waitFor(pg.t, d, "a "+kind+" track from "+owner, func() bool {
		pg.mu.Lock()
		defer pg.mu.Unlock()
		for id, r := range pg.tracks {
			if pg.streams[id] == owner && (kind == "video") == r.video {
				rec = r
				return true
			}
		}
		return false
	})
	return rec
}

func (pg *page) trackCount() int {
	pg.mu.Lock()
	defer pg.mu.Unlock()
	return len(pg.tracks)
}

func TestWebPublishAndReceive(t *testing.T) {
	r := newRelay(t)
	s := newSession(0)
	team, err := join(t, r, s.snapshot(), peer(teamA))
	if err != nil {
		t.Fatal(err)
	}
	w := team.message(relay.MsgWelcome, 5*time.Second, nil)
	if !w.Grant.CanPublish(roadshow.SourceScreen) || w.Grant.Presenting != "app-a" {
		t.Fatalf("team's grant: got %+v", w.Grant)
	}
	team.publish(webrtc.MimeTypeVP8, roadshow.SourceCamera, roadshow.SourceMicrophone)
	j, err := join(t, r, s.snapshot(), peer(judge))
	if err != nil {
		t.Fatal(err)
	}
	jw := j.message(relay.MsgWelcome, 5*time.Second, nil)
	if jw.Grant.CanPublish(roadshow.SourceScreen) || !jw.Grant.CanPublish(roadshow.SourceCamera) {
		t.Fatalf("judge's grant: got %+v", jw.Grant)
	}
	video := j.trackOf(w.Self.ID, "video", 5*time.Second)
	waitChan(t, video.keyframe, 5*time.Second, "a keyframe at the judge")
	// The judge speaks; the team hears it.
	j.publish(webrtc.MimeTypeVP8, roadshow.SourceCamera, roadshow.SourceMicrophone)
	back := team.trackOf(jw.Self.ID, "audio", 5*time.Second)
	waitFor(t, 5*time.Second, "the judge's audio at the team", func() bool { return back.packets.Load() > 10 })
	// The room lists both with their tracks.
	room := j.message(relay.MsgRoom, 5*time.Second, func(m relay.Message) bool {
		n := 0
		for _, p := range m.Room.Participants {
			n += len(p.Tracks)
		}
		return n == 4
	})
	if room.Room.Presenting != "app-a" {
		t.Fatalf("presenting: got %q", room.Room.Presenting)
	}
	_ = context.Background
}
