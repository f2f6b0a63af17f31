package relay

import (
	"context"
	"sync"
	"time"

	"github.com/pion/webrtc/v3"
	"github.com/roadshow/roadshow/roadshow"
)

// via is how a participant is connected.
type via uint8

const (
	viaWeb  via = iota // the web page: a WebSocket and two peer connections
	viaWHIP            // a WHIP publisher such as OBS Studio
	viaWHEP            // a WHEP player watching the stage
)

func (v via) String() string {
	switch v {
	case viaWHIP:
		return "whip"
	case viaWHEP:
		return "whep"
	}
	return "web"
}

// outBuffer is how many signaling messages a page may lag behind before it
// is dropped; rooms are small, so only a stalled page gets there.
const outBuffer = 256

// answerTimeout is how long a page has to answer the relay's offer.
const answerTimeout = 20 * time.Second

// participant is one connection to a room: a web page, a WHIP publisher or
// a WHEP player. Its grant and tracks are guarded by the room's lock; its
// signaling and subscriptions by its own, which is never held while calling
// into pion or another participant.
type participant struct {
	id      string
	room    *room
	via     via
	actor   roadshow.Actor
	name    string
	own     map[string]bool
	ceiling roadshow.RoomGrant
	valid   func() bool // whether its token still works; may be nil
	seq     uint64      // join order

	// Guarded by room.mu.
	grant  roadshow.RoomGrant
	tracks map[roadshow.MediaSource]*upTrack

	mu          sync.Mutex
	pub, sub    *webrtc.PeerConnection
	sources     map[string]roadshow.MediaSource // publish transceiver mid -> source, as the page declared
	downs       map[*upTrack]*downTrack
	stage       []*downTrack // WHEP: the stage's video and audio
	negotiating bool
	again       bool
	answerTimer *time.Timer
	closed      bool
	out         chan Message
	left        chan struct{}
}

func newParticipant(r *room, v via, peer Peer, grant roadshow.RoomGrant, seq uint64) *participant {
	p := &participant{
		id: r.relay.newID(), room: r, via: v, actor: peer.Actor, name: peer.Name, own: peer.Own, ceiling: peer.Ceiling, valid: peer.Valid, seq: seq,
		grant: grant, tracks: map[roadshow.MediaSource]*upTrack{},
		sources: map[string]roadshow.MediaSource{}, downs: map[*upTrack]*downTrack{}, left: make(chan struct{}),
	}
	if v == viaWeb {
		p.out = make(chan Message, outBuffer)
	}
	return p
}

// send queues a message for the page without blocking; a page too slow to
// take it is dropped. After leave, messages are discarded: a notification
// racing a leave is harmless.
func (p *participant) send(m Message) {
	if p.via != viaWeb {
		return
	}
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return
	}
	select {
	case p.out <- m:
		p.mu.Unlock()
		return
	default:
	}
	p.mu.Unlock()
	p.room.relay.goLeave(p, byeSlow)
}

func (p *participant) sendError(err error) { p.send(Message{Type: MsgError, Error: ProblemOf(err)}) }

// shutdown marks the participant gone, says why and returns what must be
// released. Only the first call does anything.
func (p *participant) shutdown(bye *roadshow.Error) (pcs []*webrtc.PeerConnection, downs []*downTrack, senders []*webrtc.RTPSender, ok bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return nil, nil, nil, false
	}
	p.closed = true
	if p.out != nil {
		select {
		case p.out <- Message{Type: MsgBye, Bye: ProblemOf(bye)}:
		default:
		}
		close(p.out)
	}
	if p.answerTimer != nil {
		p.answerTimer.Stop()
	}
	for _, d := range p.downs {
		downs = append(downs, d)
	}
	downs = append(downs, p.stage...)
	p.stage = nil
	for _, d := range downs {
		if d.sender != nil {
			senders = append(senders, d.sender)
		}
	}
	p.downs = map[*upTrack]*downTrack{}
	for _, pc := range []*webrtc.PeerConnection{p.pub, p.sub} {
		if pc != nil {
			pcs = append(pcs, pc)
		}
	}
	return pcs, downs, senders, true
}

func (p *participant) isClosed() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.closed
}

// addDown sends up to this participant on its subscribe connection.
func (p *participant) addDown(up *upTrack) {
	p.mu.Lock()
	if p.closed || p.sub == nil || p.downs[up] != nil {
		p.mu.Unlock()
		return
	}
	d := newDownTrack(up.id, up.owner.id, up.kind, []webrtc.RTPCodecCapability{up.codec})
	d.onReady = p.room.relay.downReady
	d.src = up
	p.downs[up] = d
	sub := p.sub
	p.mu.Unlock()
	sender, err := sub.AddTrack(d)
	if err != nil {
		p.mu.Lock()
		delete(p.downs, up)
		p.mu.Unlock()
		return
	}
	p.room.relay.spawn(func() { d.readRTCP(sender) })
	bound := p.bindSender(d, sender)
	p.mu.Lock()
	removed := p.downs[up] != d
	p.mu.Unlock()
	if !bound || removed {
		// Removed, or the participant left, while it was being added.
		_ = sub.RemoveTrack(sender)
		_ = sender.Stop()
		return
	}
	p.negotiate()
}

// bindSender records the sender of one of p's tracks; false when p has left
// meanwhile, and the caller stops the sender: a connection closing while a
// track is added may miss it, and its reader would wait for ever.
func (p *participant) bindSender(d *downTrack, sender *webrtc.RTPSender) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	d.sender = sender
	return !p.closed
}

// removeDown stops sending up to this participant.
func (p *participant) removeDown(up *upTrack) {
	p.mu.Lock()
	d := p.downs[up]
	delete(p.downs, up)
	sub, closed := p.sub, p.closed
	var sender *webrtc.RTPSender
	if d != nil {
		sender = d.sender
	}
	p.mu.Unlock()
	if d == nil {
		return
	}
	p.room.relay.retireDown(d)
	d.setSource(nil)
	if closed || sender == nil {
		return
	}
	_ = sub.RemoveTrack(sender)
	p.negotiate()
}

// negotiate offers the subscribe connection's current tracks to the page.
// One offer is outstanding at a time; changes meanwhile lead to another
// offer once the answer is in.
func (p *participant) negotiate() {
	p.mu.Lock()
	if p.closed || p.sub == nil {
		p.mu.Unlock()
		return
	}
	if p.negotiating {
		p.again = true
		p.mu.Unlock()
		return
	}
	p.negotiating, p.again = true, false
	sub := p.sub
	p.answerTimer = time.AfterFunc(answerTimeout, func() { p.room.relay.goLeave(p, byeTimeout) })
	p.mu.Unlock()
	offer, err := sub.CreateOffer(nil)
	if err == nil {
		err = sub.SetLocalDescription(offer)
	}
	if err != nil {
		if !p.isClosed() {
			p.room.relay.log.Warn("relay: offer to subscriber", "participant", p.id, "err", err)
			p.room.relay.goLeave(p, byeDisconnected)
		}
		return
	}
	p.send(Message{Type: MsgOffer, PC: PCSubscribe, SDP: offer.SDP})
}

// onAnswer completes a negotiation of the subscribe connection.
func (p *participant) onAnswer(sdp string) {
	p.mu.Lock()
	negotiating, sub := p.negotiating, p.sub
	p.mu.Unlock()
	if !negotiating || sub == nil {
		p.sendError(roadshow.NewError(roadshow.ECONFLICT, "room.unexpected_answer", nil))
		return
	}
	if err := sub.SetRemoteDescription(webrtc.SessionDescription{Type: webrtc.SDPTypeAnswer, SDP: sdp}); err != nil {
		p.sendError(roadshow.NewError(roadshow.EINVALID, "room.bad_sdp", roadshow.Args{"detail": "The session description could not be used."}))
		p.room.relay.goLeave(p, byeDisconnected)
		return
	}
	p.mu.Lock()
	p.negotiating = false
	again := p.again
	p.again = false
	if p.answerTimer != nil {
		p.answerTimer.Stop()
	}
	p.mu.Unlock()
	if again {
		p.negotiate()
	}
}

// onPublishOffer answers the page's offer on its publish connection.
func (p *participant) onPublishOffer(m Message) {
	grant := p.room.grantOf(p)
	if len(grant.Publish) == 0 {
		p.sendError(roadshow.NewError(roadshow.EFORBIDDEN, "room.publish_forbidden", nil))
		return
	}
	for _, src := range m.Sources {
		if !src.Valid() {
			p.sendError(roadshow.NewError(roadshow.EINVALID, "room.unknown_source", nil))
			return
		}
		if !grant.CanPublish(src) {
			p.sendError(roadshow.NewError(roadshow.EFORBIDDEN, "room.source_forbidden", roadshow.Args{"source": src}))
			return
		}
	}
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return
	}
	for mid, src := range m.Sources {
		if len(p.sources) < maxTransceivers {
			p.sources[mid] = src
		}
	}
	pub := p.pub
	p.mu.Unlock()
	if pub == nil {
		pc, err := p.room.relay.newPublishPC(p)
		if err != nil {
			p.sendError(roadshow.NewError(roadshow.EINTERNAL, "room.internal", nil))
			return
		}
		p.mu.Lock()
		if p.closed {
			p.mu.Unlock()
			_ = pc.Close()
			return
		}
		p.pub, pub = pc, pc
		p.mu.Unlock()
	}
	ctx, cancel := context.WithTimeout(context.Background(), answerTimeout)
	defer cancel()
	answer, err := answerOffer(ctx, pub, m.SDP)
	if err != nil {
		p.sendError(err)
		return
	}
	p.send(Message{Type: MsgAnswer, PC: PCPublish, SDP: answer})
}

// sourceOf says what a published track carries: what the page declared for
// its transceiver, else the microphone for audio and the camera (then the
// screen) for video, as a WHIP publisher sends them.
func (p *participant) sourceOf(pc *webrtc.PeerConnection, recv *webrtc.RTPReceiver, kind webrtc.RTPCodecType, taken map[roadshow.MediaSource]*upTrack) roadshow.MediaSource {
	for _, t := range pc.GetTransceivers() {
		if t.Receiver() == recv {
			p.mu.Lock()
			src, ok := p.sources[t.Mid()]
			p.mu.Unlock()
			if ok {
				return src
			}
		}
	}
	if kind == webrtc.RTPCodecTypeAudio {
		return roadshow.SourceMicrophone
	}
	if taken[roadshow.SourceCamera] == nil {
		return roadshow.SourceCamera
	}
	return roadshow.SourceScreen
}

// maxTransceivers bounds what one page may declare.
const maxTransceivers = 16

func (p *participant) info(withTracks bool) ParticipantInfo {
	pi := ParticipantInfo{ID: p.id, UserID: p.actor.UserID, Name: p.name, Role: p.actor.Role, Via: p.via.String(),
		Presenting: p.grant.Presenting != "" && p.grant.Presenting == p.room.state.LiveApplicationID(), Tracks: []TrackInfo{}}
	if withTracks {
		for _, src := range roadshow.MediaSources() {
			if t := p.tracks[src]; t != nil {
				pi.Tracks = append(pi.Tracks, t.info())
			}
		}
	}
	return pi
}

func (t *upTrack) info() TrackInfo {
	return TrackInfo{ID: t.id, Source: t.source, Kind: t.kind.String(), Codec: t.codec.MimeType, Muted: t.muted.Load()}
}
