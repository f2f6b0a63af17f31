package relay

import (
	"errors"
	"slices"
	"sort"
	"sync"
	"time"

	"github.com/pion/rtcp"
	"github.com/pion/webrtc/v3"
	"github.com/roadshow/roadshow/roadshow"
)

// room is the live room of one pitch session: its participants, the tracks
// they publish and the stage. What each participant may do comes from the
// session (roadshow.Session.RoomGrant), derived again on every change.
type room struct {
	id    string
	relay *Relay

	mu      sync.Mutex
	state   *roadshow.Session
	parts   map[string]*participant
	tracks  map[string]*upTrack
	closed  bool
	joins   uint64
	trackNo uint64

	stageVideo, stageAudio *upTrack
}

func newRoom(r *Relay, se *roadshow.Session) *room {
	return &room{id: se.ID, relay: r, state: se, parts: map[string]*participant{}, tracks: map[string]*upTrack{}}
}

func (r *room) grantOf(p *participant) roadshow.RoomGrant {
	r.mu.Lock()
	defer r.mu.Unlock()
	return p.grant
}

// grantFor derives what peer may do now, within its token's ceiling.
// r.mu is held.
func (r *room) grantFor(peer Peer) (roadshow.RoomGrant, error) {
	g, err := r.state.RoomGrant(peer.Actor, peer.Own)
	if err != nil {
		return roadshow.RoomGrant{}, err
	}
	return peer.Ceiling.Within(g), nil
}

// add admits a participant; a web page replaces the same user's earlier
// page (a second tab), a WHIP publisher the same user's earlier one.
func (r *room) add(v via, peer Peer) (*participant, error) {
	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		return nil, roadshow.NewError(roadshow.ECONFLICT, "session.not_live", nil)
	}
	g, err := r.grantFor(peer)
	if err != nil {
		r.mu.Unlock()
		return nil, err
	}
	switch {
	case v == viaWHIP && len(g.Publish) == 0:
		r.mu.Unlock()
		return nil, roadshow.NewError(roadshow.EFORBIDDEN, "room.publish_forbidden", nil)
	case !g.Subscribe && v != viaWHIP:
		r.mu.Unlock()
		return nil, roadshow.NewError(roadshow.EFORBIDDEN, "room.watch_forbidden", nil)
	}
	var replaced []*participant
	if v != viaWHEP {
		for _, q := range r.parts {
			if q.via == v && q.actor.UserID == peer.Actor.UserID {
				replaced = append(replaced, q)
			}
		}
	}
	if len(r.parts) >= maxParticipants {
		r.mu.Unlock()
		return nil, roadshow.NewError(roadshow.ECONFLICT, "room.full", nil)
	}
	r.joins++
	p := newParticipant(r, v, peer, g, r.joins)
	r.parts[p.id] = p
	r.mu.Unlock()
	for _, q := range replaced {
		r.relay.goLeave(q, byeReplaced)
	}
	return p, nil
}

// maxParticipants bounds one room: a pitch session has a few teams, judges
// and organizers, and its investors and WHEP viewers.
const maxParticipants = 1000

// leave removes p, closes its connections and withdraws its tracks.
func (r *room) leave(p *participant, bye *roadshow.Error) {
	r.mu.Lock()
	if r.parts[p.id] == p {
		delete(r.parts, p.id)
	}
	var tracks []*upTrack
	for _, t := range p.tracks {
		tracks = append(tracks, t)
	}
	r.mu.Unlock()
	pcs, downs, senders, ok := p.shutdown(bye)
	if !ok {
		return
	}
	for _, d := range downs {
		d.setSource(nil)
		r.relay.retireDown(d)
	}
	for _, t := range tracks {
		t.allowed.Store(false)
		r.removeTrack(t)
	}
	for _, pc := range pcs {
		_ = pc.Close()
	}
	// Closing a connection stops its senders, except one added in the same
	// instant; stopping is idempotent.
	for _, s := range senders {
		_ = s.Stop()
	}
	close(p.left)
	r.broadcast()
}

// addTrack publishes t to the room: every web subscriber gets it, and the
// stage follows it when its owner presents. It replaces the owner's earlier
// track of the same source.
func (r *room) addTrack(t *upTrack) bool {
	r.mu.Lock()
	if r.closed || r.parts[t.owner.id] != t.owner {
		r.mu.Unlock()
		return false
	}
	r.trackNo++
	t.no = r.trackNo
	old := t.owner.tracks[t.source]
	t.owner.tracks[t.source] = t
	r.tracks[t.id] = t
	t.allowed.Store(t.owner.grant.CanPublish(t.source))
	subs := r.subscribersExcept(t.owner)
	r.mu.Unlock()
	if old != nil {
		old.allowed.Store(false)
		r.removeTrack(old)
	}
	for _, p := range subs {
		p.addDown(t)
	}
	r.updateStage()
	r.broadcast()
	return true
}

// removeTrack withdraws t from everyone; safe to call more than once.
func (r *room) removeTrack(t *upTrack) {
	r.mu.Lock()
	if r.tracks[t.id] != t {
		r.mu.Unlock()
		return
	}
	delete(r.tracks, t.id)
	if t.owner.tracks[t.source] == t {
		delete(t.owner.tracks, t.source)
	}
	subs := r.subscribersExcept(t.owner)
	r.mu.Unlock()
	r.relay.retireUp(t)
	t.close()
	for _, p := range subs {
		p.removeDown(t)
	}
	r.updateStage()
	r.broadcast()
}

// subscribersExcept lists the web participants who receive the room's
// tracks. r.mu is held.
func (r *room) subscribersExcept(owner *participant) []*participant {
	var out []*participant
	for _, p := range r.parts {
		if p != owner && p.via == viaWeb && p.grant.Subscribe {
			out = append(out, p)
		}
	}
	return out
}

// updateStage points every WHEP player at what the live team publishes: its
// screen share when there is one (slides are the point of a pitch), else its
// camera, and its microphone.
func (r *room) updateStage() {
	r.mu.Lock()
	live := r.state.LiveApplicationID()
	var video, audio *upTrack
	rank := func(t *upTrack) int {
		if t.source == roadshow.SourceScreen {
			return 2
		}
		return 1
	}
	for _, t := range r.tracks {
		p := t.owner
		if live == "" || p.grant.Presenting != live || !t.allowed.Load() {
			continue
		}
		if t.kind == webrtc.RTPCodecTypeAudio {
			if audio == nil || t.no > audio.no {
				audio = t
			}
			continue
		}
		if video == nil || rank(t) > rank(video) || rank(t) == rank(video) && t.no > video.no {
			video = t
		}
	}
	r.stageVideo, r.stageAudio = video, audio
	var players []*participant
	for _, p := range r.parts {
		if p.via == viaWHEP {
			players = append(players, p)
		}
	}
	r.mu.Unlock()
	for _, p := range players {
		p.mu.Lock()
		stage := p.stage
		p.mu.Unlock()
		if len(stage) == 2 {
			stage[0].setSource(video)
			stage[1].setSource(audio)
		}
	}
}

// sync applies a new state of the session: grants are derived again, a
// revoked publish right stops forwarding before sync returns, and those who
// may no longer be in the room are sent away. It returns false when the
// session is no longer live and the room closed.
func (r *room) sync(se *roadshow.Session) bool {
	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		return false
	}
	if se.Version < r.state.Version {
		r.mu.Unlock()
		return true
	}
	r.state = se
	if se.State != roadshow.SessionLive {
		r.closed = true
		parts := r.all()
		r.mu.Unlock()
		for _, p := range parts {
			r.relay.goLeave(p, byeEnded)
		}
		return false
	}
	type eject struct {
		p   *participant
		bye *roadshow.Error
	}
	var ejects []eject
	var changed []*participant
	for _, p := range r.parts {
		g, err := r.grantFor(Peer{Actor: p.actor, Own: p.own, Ceiling: p.ceiling})
		if err != nil {
			for _, t := range p.tracks {
				t.setAllowed(false)
			}
			ejects = append(ejects, eject{p, r.byeFor(p, err)})
			continue
		}
		if !sameGrant(g, p.grant) {
			p.grant = g
			changed = append(changed, p)
		}
		for _, t := range p.tracks {
			t.setAllowed(g.CanPublish(t.source))
		}
	}
	r.mu.Unlock()
	for _, e := range ejects {
		r.relay.goLeave(e.p, e.bye)
	}
	for _, p := range changed {
		g := r.grantOf(p)
		p.send(Message{Type: MsgGrant, Grant: &g})
	}
	r.relay.spawn(func() {
		r.updateStage()
		r.broadcast()
	})
	return true
}

// byeFor says why p must leave after a change of the session. r.mu is held.
func (r *room) byeFor(p *participant, err error) *roadshow.Error {
	var re *roadshow.Error
	if r.state.Removal(p.actor.UserID) != nil && errors.As(err, &re) {
		return re // room.removed, with the organizer's reason
	}
	if p.actor.Is(roadshow.RoleApplicant) && errors.As(err, &re) && re.Code == roadshow.EFORBIDDEN {
		return byeSlotEnded
	}
	return byeNotAllowed
}

func sameGrant(a, b roadshow.RoomGrant) bool {
	return slices.Equal(a.Publish, b.Publish) && a.Subscribe == b.Subscribe && a.Moderate == b.Moderate && a.Presenting == b.Presenting
}

// all returns the participants. r.mu is held.
func (r *room) all() []*participant {
	out := make([]*participant, 0, len(r.parts))
	for _, p := range r.parts {
		out = append(out, p)
	}
	return out
}

// close sends everyone away.
func (r *room) close(bye *roadshow.Error) {
	r.mu.Lock()
	r.closed = true
	parts := r.all()
	r.mu.Unlock()
	for _, p := range parts {
		r.leave(p, bye)
	}
}

// broadcast tells every web participant who is in the room now.
func (r *room) broadcast() {
	r.mu.Lock()
	var pages []*participant
	for _, p := range r.parts {
		if p.via == viaWeb {
			pages = append(pages, p)
		}
	}
	infos := make(map[*participant]RoomInfo, len(pages))
	for _, p := range pages {
		infos[p] = r.infoFor(p)
	}
	r.mu.Unlock()
	for _, p := range pages {
		info := infos[p]
		p.send(Message{Type: MsgRoom, Room: &info})
	}
}

// infoFor is the room as viewer sees it: moderators see everyone; the
// others see those who publish or may speak (organizers, judges, the live
// team) and a count of the other viewers. r.mu is held.
func (r *room) infoFor(viewer *participant) RoomInfo {
	info := RoomInfo{SessionID: r.id, Presenting: r.state.LiveApplicationID(), Participants: []ParticipantInfo{}}
	for _, p := range r.parts {
		listed := p == viewer || viewer.grant.Lists(p.actor.Role, p.grant, len(p.tracks) > 0)
		if !listed {
			info.Viewers++
			continue
		}
		pi := p.info(true)
		if viewer.grant.Moderate {
			pi.Can = &ParticipantActions{Remove: roadshow.CanRemoveFromRoom(viewer.actor, p.actor.Role) == nil}
		}
		info.Participants = append(info.Participants, pi)
	}
	sort.Slice(info.Participants, func(i, j int) bool {
		return r.parts[info.Participants[i].ID].seq < r.parts[info.Participants[j].ID].seq
	})
	return info
}

// sendReports sends each receiver's connection a sender report for each
// track it carries.
func (r *room) sendReports(now time.Time) {
	r.mu.Lock()
	parts := r.all()
	r.mu.Unlock()
	for _, p := range parts {
		p.mu.Lock()
		sub, closed := p.sub, p.closed
		downs := append([]*downTrack(nil), p.stage...)
		for _, d := range p.downs {
			downs = append(downs, d)
		}
		p.mu.Unlock()
		if closed || sub == nil {
			continue
		}
		var pkts []rtcp.Packet
		for _, d := range downs {
			if sr := d.senderReport(now); sr != nil {
				pkts = append(pkts, sr)
			}
		}
		if len(pkts) > 0 {
			_ = sub.WriteRTCP(pkts)
		}
	}
}
