package relay

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pion/dtls/v2"
	"github.com/pion/ice/v2"
	"github.com/pion/interceptor"
	"github.com/pion/sdp/v3"
	"github.com/pion/webrtc/v3"
	"github.com/roadshow/roadshow/roadshow"
)

// Config is how the relay meets the network.
type Config struct {
	// UDPPort is the one UDP port every peer connection shares (a UDP mux
	// on each interface); 0 picks a free port. Ignored when PortMin and
	// PortMax are set.
	UDPPort int
	// PortMin and PortMax, when both set, give each peer connection its own
	// UDP port from the range instead.
	PortMin, PortMax uint16
	// ListenIPs, when set, are the addresses the shared UDP port is opened
	// on; unset: every IPv4 interface (loopback only with Loopback). Each
	// address costs every peer connection a candidate and a goroutine.
	ListenIPs []string
	// PublicIPs are announced instead of the machine's own addresses, for a
	// server behind a 1:1 NAT (a cloud VM's public address).
	PublicIPs []string
	// Loopback includes 127.0.0.1 among the candidates: pion leaves it out,
	// which suits production and breaks same-machine tests and benchmarks.
	Loopback bool
	// Unbatched sends each packet with its own system call instead of
	// queueing them for sendmmsg (see batchConn); for comparisons.
	Unbatched bool
	// ICEServers returns the STUN and TURN servers a user's browser should
	// try, with credentials; nil: none.
	ICEServers func(userID string) []webrtc.ICEServer
	Logger     *slog.Logger
}

// Peer is who joins, as the caller established it.
type Peer struct {
	Actor roadshow.Actor
	Name  string
	// Own is the set of the caller's applications (applicants).
	Own map[string]bool
	// Ceiling is the grant of the caller's room token: the session's state
	// decides what is left of it at every moment.
	Ceiling roadshow.RoomGrant
	// Valid reports whether the token the peer came with still works; the
	// relay asks it when the account's tokens are revoked (see Revoke). Nil
	// means the token stays good for the connection's life.
	Valid func() bool
}

// Relay is the SFU: one room per live pitch session. It forwards every
// published packet, never decoded, to every permitted receiver, and keeps
// the rooms in step with the sessions through Publish.
type Relay struct {
	cfg Config
	log *slog.Logger
	// Publishers' connections receive, the others send: each runs only
	// the RTCP machinery its direction needs (newInterceptors).
	publishAPI, subscribeAPI *webrtc.API
	cert                     webrtc.Certificate
	mux                      *ice.MultiUDPMuxDefault

	stopReports, reportsDone chan struct{} // the sender-report loop's

	retired totals // counts of tracks gone (see Stats)

	mu     sync.Mutex
	rooms  map[string]*room
	seen   map[string]int // the newest version seen of each session
	closed bool

	// Goroutines the relay started and waits for.
	gmu  sync.Mutex
	live int
	idle *sync.Cond
}

var _ roadshow.Publisher = (*Relay)(nil)

// New starts a relay.
func New(cfg Config) (*Relay, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	r := &Relay{cfg: cfg, log: cfg.Logger, rooms: map[string]*room{}, seen: map[string]int{}}
	r.idle = sync.NewCond(&r.gmu)
	m, err := newMediaEngine()
	if err != nil {
		return nil, err
	}
	receiving, err := newInterceptors()
	if err != nil {
		return nil, err
	}
	var s webrtc.SettingEngine
	s.LoggerFactory = slogFactory{log: cfg.Logger}
	// Browsers hide their addresses behind mDNS names; the relay learns
	// them as peer-reflexive candidates from their checks instead of
	// resolving names, which needs multicast the server may not have.
	s.SetICEMulticastDNSMode(ice.MulticastDNSModeDisabled)
	s.SetNetworkTypes([]webrtc.NetworkType{webrtc.NetworkTypeUDP4})
	s.SetIncludeLoopbackCandidate(cfg.Loopback)
	// A peer silent for 15 s is gone (a player closed without a WHEP DELETE).
	s.SetICETimeouts(5*time.Second, 10*time.Second, 2*time.Second)
	s.SetSRTPProtectionProfiles(dtls.SRTP_AEAD_AES_128_GCM, dtls.SRTP_AES128_CM_HMAC_SHA1_80)
	// The relay answers as the DTLS server and skips the HelloVerify round
	// trip: ICE has already proven the peer owns its address (what the
	// cookie is for), and every round trip is time a joiner waits.
	if err := s.SetAnsweringDTLSRole(webrtc.DTLSRoleServer); err != nil {
		return nil, fmt.Errorf("relay: DTLS role: %w", err)
	}
	s.SetDTLSInsecureSkipHelloVerify(true)
	if len(cfg.PublicIPs) > 0 {
		s.SetNAT1To1IPs(cfg.PublicIPs, webrtc.ICECandidateTypeHost)
	}
	if cfg.PortMin > 0 && cfg.PortMax >= cfg.PortMin {
		if err := s.SetEphemeralUDPPortRange(cfg.PortMin, cfg.PortMax); err != nil {
			return nil, fmt.Errorf("relay: port range: %w", err)
		}
	} else {
		if r.mux, err = listenMux(cfg); err != nil {
			return nil, err
		}
		s.SetICEUDPMux(r.mux)
	}
	// One certificate for every connection: generating one per peer costs
	// a key generation on each join.
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("relay: certificate key: %w", err)
	}
	cert, err := webrtc.GenerateCertificate(key)
	if err != nil {
		return nil, fmt.Errorf("relay: certificate: %w", err)
	}
	r.cert = *cert
	r.publishAPI = webrtc.NewAPI(webrtc.WithMediaEngine(m), webrtc.WithInterceptorRegistry(receiving), webrtc.WithSettingEngine(s))
	r.subscribeAPI = webrtc.NewAPI(webrtc.WithMediaEngine(m), webrtc.WithInterceptorRegistry(&interceptor.Registry{}), webrtc.WithSettingEngine(s))
	r.stopReports = make(chan struct{})
	r.reportsDone = make(chan struct{})
	go r.reportLoop()
	return r, nil
}

// listenMux opens the shared UDP port on the listen addresses, or on every
// IPv4 interface (loopback when configured), and muxes every peer
// connection over it.
func listenMux(cfg Config) (*ice.MultiUDPMuxDefault, error) {
	ips, err := listenIPs(cfg)
	if err != nil {
		return nil, err
	}
	log := slogFactory{log: cfg.Logger}.NewLogger("udpmux")
	var muxes []ice.UDPMux
	for _, ip := range ips {
		conn, err := net.ListenUDP("udp4", &net.UDPAddr{IP: ip, Port: cfg.UDPPort})
		if err != nil {
			for _, m := range muxes {
				_ = m.Close()
			}
			return nil, fmt.Errorf("relay: listen on UDP %s:%d: %w", ip, cfg.UDPPort, err)
		}
		// Room for bursts: a keyframe replay, many receivers.
		_ = conn.SetReadBuffer(4 << 20)
		_ = conn.SetWriteBuffer(4 << 20)
		var pc net.PacketConn = conn
		if !cfg.Unbatched {
			pc = newBatchConn(conn)
		}
		muxes = append(muxes, ice.NewUDPMuxDefault(ice.UDPMuxParams{Logger: log, UDPConn: pc}))
	}
	return ice.NewMultiUDPMuxDefault(muxes...), nil
}

// listenIPs are the addresses of the shared UDP port.
func listenIPs(cfg Config) ([]net.IP, error) {
	var ips []net.IP
	for _, s := range cfg.ListenIPs {
		ip := net.ParseIP(s)
		if ip == nil || ip.To4() == nil {
			return nil, fmt.Errorf("relay: listen address %q is not an IPv4 address", s)
		}
		ips = append(ips, ip)
	}
	if len(ips) > 0 {
		return ips, nil
	}
	ifaces, err := net.Interfaces()
	if err != nil {
		return nil, fmt.Errorf("relay: list interfaces: %w", err)
	}
	for _, ifc := range ifaces {
		if ifc.Flags&net.FlagUp == 0 || ifc.Flags&net.FlagLoopback != 0 && !cfg.Loopback {
			continue
		}
		addrs, err := ifc.Addrs()
		if err != nil {
			continue
		}
		for _, a := range addrs {
			if ipn, ok := a.(*net.IPNet); ok && ipn.IP.To4() != nil && !ipn.IP.IsLinkLocalUnicast() {
				ips = append(ips, ipn.IP)
			}
		}
	}
	if len(ips) == 0 {
		return nil, fmt.Errorf("relay: no IPv4 interface to listen on (set ROADSHOW_WEBRTC_LOOPBACK for loopback only)")
	}
	return ips, nil
}

// UDPAddrs returns the addresses of the shared UDP port, one per interface.
func (r *Relay) UDPAddrs() []net.Addr {
	if r.mux == nil {
		return nil
	}
	return r.mux.GetListenAddresses()
}

// Accepting reports whether the relay still takes participants (not closed).
func (r *Relay) Accepting() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return !r.closed
}

// Close sends everyone away, closes every room and waits for every
// goroutine the relay started.
func (r *Relay) Close() error {
	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		return nil
	}
	r.closed = true
	rooms := make([]*room, 0, len(r.rooms))
	for _, rm := range r.rooms {
		rooms = append(rooms, rm)
	}
	r.rooms = map[string]*room{}
	r.mu.Unlock()
	for _, rm := range rooms {
		rm.close(byeServerClosing)
	}
	close(r.stopReports)
	<-r.reportsDone
	r.wait()
	if r.mux != nil {
		return r.mux.Close()
	}
	return nil
}

// reportInterval is how often each receiver gets a sender report for each
// of its tracks (RFC 3550 suggests about five seconds; browsers sync audio
// and video sooner with one a second).
const reportInterval = time.Second

// reportLoop sends every receiver a sender report for each of its tracks,
// once a second, until Close: one goroutine for the relay instead of pion's
// sender-report interceptor in every connection.
func (r *Relay) reportLoop() {
	defer close(r.reportsDone)
	tick := time.NewTicker(reportInterval)
	defer tick.Stop()
	for {
		select {
		case <-r.stopReports:
			return
		case now := <-tick.C:
			r.mu.Lock()
			rooms := make([]*room, 0, len(r.rooms))
			for _, rm := range r.rooms {
				rooms = append(rooms, rm)
			}
			r.mu.Unlock()
			for _, rm := range rooms {
				rm.sendReports(now)
			}
		}
	}
}

// spawn runs fn in a goroutine the relay waits for on Close.
func (r *Relay) spawn(fn func()) {
	r.gmu.Lock()
	r.live++
	r.gmu.Unlock()
	go func() {
		defer func() {
			r.gmu.Lock()
			r.live--
			if r.live == 0 {
				r.idle.Broadcast()
			}
			r.gmu.Unlock()
		}()
		fn()
	}()
}

func (r *Relay) wait() {
	r.gmu.Lock()
	defer r.gmu.Unlock()
	for r.live > 0 {
		r.idle.Wait()
	}
}

// goLeave sends p away without blocking the caller, who may hold locks or
// be one of pion's callbacks.
func (r *Relay) goLeave(p *participant, bye *roadshow.Error) {
	r.spawn(func() { p.room.leave(p, bye) })
}

func (r *Relay) newID() string {
	var b [12]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	return hex.EncodeToString(b[:])
}

// Publish implements roadshow.Publisher: every change of a session reaches
// its room (see Sync).
func (r *Relay) Publish(ev roadshow.Event) {
	if ev.Session != nil {
		r.Sync(ev.Session)
	}
}

// Revoke implements roadshow.TokenRevoker: when an account's earlier
// tokens stop working (disabled, role or password changed), its
// participants whose token no longer holds leave every room before Revoke
// returns. A web page's socket would be closed anyway, but a WHIP encoder
// or WHEP player makes no further request that could be refused.
func (r *Relay) Revoke(userID string) {
	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		return
	}
	rooms := make([]*room, 0, len(r.rooms))
	for _, rm := range r.rooms {
		rooms = append(rooms, rm)
	}
	r.mu.Unlock()
	var theirs []*participant
	for _, rm := range rooms {
		rm.mu.Lock()
		for _, p := range rm.parts {
			if p.actor.UserID == userID && p.valid != nil {
				theirs = append(theirs, p)
			}
		}
		rm.mu.Unlock()
	}
	for _, p := range theirs {
		if !p.valid() {
			p.room.leave(p, byeRevoked)
		}
	}
}

// Sync brings the session's room in step with se: it opens when the session
// goes live; grants follow every change (a revoked publish right stops
// forwarding before Sync returns); it closes when the session ends or is
// cancelled. Older versions than one already seen are ignored.
func (r *Relay) Sync(se *roadshow.Session) {
	r.mu.Lock()
	if v, ok := r.seen[se.ID]; r.closed || ok && se.Version < v {
		r.mu.Unlock()
		return
	}
	r.seen[se.ID] = se.Version
	rm := r.rooms[se.ID]
	if rm == nil {
		if se.State == roadshow.SessionLive {
			r.rooms[se.ID] = newRoom(r, se)
		}
		r.mu.Unlock()
		return
	}
	r.mu.Unlock()
	if !rm.sync(se) {
		r.mu.Lock()
		if r.rooms[se.ID] == rm {
			delete(r.rooms, se.ID)
		}
		r.mu.Unlock()
	}
}

// roomFor returns the room of a live session, opening it if the process
// has not seen the session start (a restart while live).
func (r *Relay) roomFor(se *roadshow.Session) (*room, error) {
	r.Sync(se)
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return nil, byeServerClosing
	}
	rm := r.rooms[se.ID]
	if rm == nil {
		return nil, roadshow.NewError(roadshow.ECONFLICT, "session.not_live", nil)
	}
	return rm, nil
}

func (r *Relay) room(sessionID string) *room {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.rooms[sessionID]
}

// newPC makes a connection that publishes to the relay (publish) or
// receives from it.
func (r *Relay) newPC(publish bool) (*webrtc.PeerConnection, error) {
	api := r.subscribeAPI
	if publish {
		api = r.publishAPI
	}
	return api.NewPeerConnection(webrtc.Configuration{Certificates: []webrtc.Certificate{r.cert}})
}

// watchState sends p away when its connection fails.
func (r *Relay) watchState(p *participant, pc *webrtc.PeerConnection) {
	pc.OnConnectionStateChange(func(s webrtc.PeerConnectionState) {
		if s == webrtc.PeerConnectionStateFailed {
			r.goLeave(p, byeDisconnected)
		}
	})
}

// newPublishPC makes the connection p publishes on.
func (r *Relay) newPublishPC(p *participant) (*webrtc.PeerConnection, error) {
	pc, err := r.newPC(true)
	if err != nil {
		return nil, err
	}
	r.watchState(p, pc)
	pc.OnTrack(func(remote *webrtc.TrackRemote, recv *webrtc.RTPReceiver) { r.onTrack(p, pc, remote, recv) })
	return pc, nil
}

// onTrack turns a track the publisher sends into a room track, if the
// publisher may send that source.
func (r *Relay) onTrack(p *participant, pc *webrtc.PeerConnection, remote *webrtc.TrackRemote, recv *webrtc.RTPReceiver) {
	rm := p.room
	rm.mu.Lock()
	taken := make(map[roadshow.MediaSource]*upTrack, len(p.tracks))
	for k, v := range p.tracks {
		taken[k] = v
	}
	grant := p.grant
	rm.mu.Unlock()
	src := p.sourceOf(pc, recv, remote.Kind(), taken)
	if src.Audio() != (remote.Kind() == webrtc.RTPCodecTypeAudio) {
		p.sendError(roadshow.NewError(roadshow.EINVALID, "room.source_kind", roadshow.Args{"source": src}))
		return
	}
	if !grant.CanPublish(src) {
		p.sendError(roadshow.NewError(roadshow.EFORBIDDEN, "room.source_forbidden", roadshow.Args{"source": src}))
		return
	}
	up := newUpTrack(r.newID(), p, src, remote, pc)
	// pion's RTCP interceptors see the publisher's sender reports only
	// when the receiver's RTCP is read.
	r.spawn(func() {
		buf := make([]byte, maxPacket)
		for {
			if _, _, err := recv.Read(buf); err != nil {
				return
			}
		}
	})
	if !rm.addTrack(up) {
		return
	}
	r.spawn(func() {
		up.run()
		rm.removeTrack(up)
	})
}

// downReady subscribes a receiver's track to its source once packets
// written to it reach the receiver.
func (r *Relay) downReady(d *downTrack) {
	if src := d.source(); src != nil {
		src.subscribe(d)
	}
}

// checkOffer refuses what is not a usable SDP offer before pion sees it.
func checkOffer(offer string) error {
	if len(offer) == 0 || len(offer) > maxSDP {
		return roadshow.NewError(roadshow.EINVALID, "room.bad_sdp", roadshow.Args{"detail": "Send an SDP offer (application/sdp)."})
	}
	var sd sdp.SessionDescription
	if err := sd.Unmarshal([]byte(offer)); err != nil {
		return roadshow.NewError(roadshow.EINVALID, "room.bad_sdp", roadshow.Args{"detail": "The SDP offer could not be read."})
	}
	media := 0
	for _, m := range sd.MediaDescriptions {
		if m.MediaName.Media == "audio" || m.MediaName.Media == "video" {
			media++
		}
	}
	if media == 0 || len(sd.MediaDescriptions) > maxTransceivers {
		return roadshow.NewError(roadshow.EINVALID, "room.bad_sdp", roadshow.Args{"detail": "The SDP offer has no audio or video, or too many media sections."})
	}
	return nil
}

// maxSDP bounds a session description (a browser's offer is a few KB).
const maxSDP = 64 << 10

// answerOffer answers an offer on pc with every local candidate in the
// answer: WHIP clients such as OBS Studio do not trickle.
func answerOffer(ctx context.Context, pc *webrtc.PeerConnection, offer string) (string, error) {
	if err := pc.SetRemoteDescription(webrtc.SessionDescription{Type: webrtc.SDPTypeOffer, SDP: offer}); err != nil {
		return "", roadshow.NewError(roadshow.EINVALID, "room.bad_sdp", roadshow.Args{"detail": firstLine(err.Error())})
	}
	answer, err := pc.CreateAnswer(nil)
	if err != nil {
		return "", roadshow.NewError(roadshow.EINVALID, "room.bad_sdp", roadshow.Args{"detail": firstLine(err.Error())})
	}
	gathered := webrtc.GatheringCompletePromise(pc)
	if err := pc.SetLocalDescription(answer); err != nil {
		return "", roadshow.NewError(roadshow.EINVALID, "room.bad_sdp", roadshow.Args{"detail": firstLine(err.Error())})
	}
	select {
	case <-gathered:
	case <-ctx.Done():
		return "", fmt.Errorf("relay: gather candidates: %w", ctx.Err())
	}
	return pc.LocalDescription().SDP, nil
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	if len(s) > 200 {
		s = s[:200]
	}
	return s
}

// Conn is a web page's membership of a room: messages to send to the page
// and a way to hand it the page's messages.
type Conn struct{ p *participant }

// ID is the participant's id in the room.
func (c *Conn) ID() string { return c.p.id }

// Out delivers the messages for the page; it is closed, after a bye, when
// the participant has left.
func (c *Conn) Out() <-chan Message { return c.p.out }

// Left is closed once the participant is gone and its connections closed.
func (c *Conn) Left() <-chan struct{} { return c.p.left }

// Leave ends the membership (the page closed its socket).
func (c *Conn) Leave() { c.p.room.leave(c.p, byeLeft) }

// Join admits a web page to the session's room. The first messages on Out
// are the welcome and, when the room has tracks, an offer.
//
// Returns ECONFLICT when the session is not live, and the errors of
// roadshow.Session.RoomGrant (ENOTFOUND, EFORBIDDEN) when the peer may not
// join.
func (r *Relay) Join(se *roadshow.Session, peer Peer) (*Conn, error) {
	rm, err := r.roomFor(se)
	if err != nil {
		return nil, err
	}
	p, err := rm.add(viaWeb, peer)
	if err != nil {
		return nil, err
	}
	rm.mu.Lock()
	grant := p.grant
	rm.mu.Unlock()
	if grant.Subscribe {
		pc, err := r.newPC(false)
		if err != nil {
			rm.leave(p, byeDisconnected)
			return nil, fmt.Errorf("relay: subscriber connection: %w", err)
		}
		r.watchState(p, pc)
		p.mu.Lock()
		p.sub = pc
		p.mu.Unlock()
	}
	rm.mu.Lock()
	self := p.info(true)
	info := rm.infoFor(p)
	var tracks []*upTrack
	for _, t := range rm.tracks {
		if t.owner != p {
			tracks = append(tracks, t)
		}
	}
	rm.mu.Unlock()
	var ice []webrtc.ICEServer
	if r.cfg.ICEServers != nil {
		ice = r.cfg.ICEServers(peer.Actor.UserID)
	}
	p.send(Message{Type: MsgWelcome, Self: &self, Grant: &grant, Room: &info, ICEServers: ice})
	for _, t := range tracks {
		p.addDown(t)
	}
	rm.broadcast()
	return &Conn{p: p}, nil
}

// Handle acts on one message from the page; problems go back to the page
// as error messages.
func (c *Conn) Handle(m Message) {
	p := c.p
	switch m.Type {
	case MsgOffer:
		if m.PC != PCPublish {
			p.sendError(roadshow.NewError(roadshow.EINVALID, "room.unexpected_offer", nil))
			return
		}
		p.onPublishOffer(m)
	case MsgAnswer:
		if m.PC != PCSubscribe {
			p.sendError(roadshow.NewError(roadshow.EINVALID, "room.unexpected_answer", nil))
			return
		}
		p.onAnswer(m.SDP)
	case MsgCandidate:
		p.onCandidate(m)
	case MsgUnpublish:
		if t := p.room.trackOf(p, m.Source); t != nil {
			t.allowed.Store(false)
			p.room.removeTrack(t)
		}
	case MsgMute, MsgUnmute:
		t := p.room.trackOf(p, m.Source)
		if t == nil {
			p.sendError(roadshow.NewError(roadshow.ENOTFOUND, "room.no_such_track", nil))
			return
		}
		p.room.setMuted(t, m.Type == MsgMute, p.actor.UserID)
	case MsgLeave:
		c.Leave()
	default:
		p.sendError(roadshow.NewError(roadshow.EINVALID, "room.unknown_message", nil))
	}
}

func (p *participant) onCandidate(m Message) {
	if m.Candidate == nil {
		return
	}
	p.mu.Lock()
	pc := p.sub
	if m.PC == PCPublish {
		pc = p.pub
	}
	p.mu.Unlock()
	if pc == nil {
		return
	}
	if err := pc.AddICECandidate(*m.Candidate); err != nil {
		p.sendError(roadshow.NewError(roadshow.EINVALID, "room.bad_candidate", nil))
	}
}

// trackOf returns what p publishes from src, or nil.
func (r *room) trackOf(p *participant, src roadshow.MediaSource) *upTrack {
	r.mu.Lock()
	defer r.mu.Unlock()
	return p.tracks[src]
}

// setMuted mutes or unmutes t and tells everyone.
func (r *room) setMuted(t *upTrack, muted bool, byUserID string) {
	t.setMuted(muted)
	r.mu.Lock()
	pages := []*participant{}
	for _, p := range r.parts {
		if p.via == viaWeb {
			pages = append(pages, p)
		}
	}
	r.mu.Unlock()
	for _, p := range pages {
		p.send(Message{Type: MsgMuted, Participant: t.owner.id, Source: t.source, Muted: &muted, By: byUserID})
	}
	r.broadcast()
}

// WHIP publishes a WHIP client's offer (RFC 9725) in the session's room and
// returns the answer and the resource id for Hangup and Trickle.
//
// Returns EINVALID for an unusable offer, ECONFLICT when the session is not
// live, and the room's refusals (ENOTFOUND, EFORBIDDEN).
func (r *Relay) WHIP(ctx context.Context, se *roadshow.Session, peer Peer, offer string) (answer, id string, err error) {
	if err := checkOffer(offer); err != nil {
		return "", "", err
	}
	rm, err := r.roomFor(se)
	if err != nil {
		return "", "", err
	}
	p, err := rm.add(viaWHIP, peer)
	if err != nil {
		return "", "", err
	}
	pc, err := r.newPublishPC(p)
	if err != nil {
		rm.leave(p, byeDisconnected)
		return "", "", fmt.Errorf("relay: publisher connection: %w", err)
	}
	p.mu.Lock()
	p.pub = pc
	p.mu.Unlock()
	if answer, err = answerOffer(ctx, pc, offer); err != nil {
		rm.leave(p, byeDisconnected)
		return "", "", err
	}
	rm.broadcast()
	return answer, p.id, nil
}

// WHEP answers a WHEP player's offer: it receives the session's stage, the
// audio and video of whoever presents, on one pair of tracks that carries
// the next team too, whichever codec it uses.
func (r *Relay) WHEP(ctx context.Context, se *roadshow.Session, peer Peer, offer string) (answer, id string, err error) {
	if err := checkOffer(offer); err != nil {
		return "", "", err
	}
	rm, err := r.roomFor(se)
	if err != nil {
		return "", "", err
	}
	p, err := rm.add(viaWHEP, peer)
	if err != nil {
		return "", "", err
	}
	pc, err := r.newPC(false)
	if err != nil {
		rm.leave(p, byeDisconnected)
		return "", "", fmt.Errorf("relay: player connection: %w", err)
	}
	r.watchState(p, pc)
	video := newDownTrack("video", "stage", webrtc.RTPCodecTypeVideo, []webrtc.RTPCodecCapability{codecVP8.RTPCodecCapability, codecH264.RTPCodecCapability})
	audio := newDownTrack("audio", "stage", webrtc.RTPCodecTypeAudio, []webrtc.RTPCodecCapability{codecOpus.RTPCodecCapability})
	video.onReady, audio.onReady = r.downReady, r.downReady
	p.mu.Lock()
	p.sub, p.stage = pc, []*downTrack{video, audio}
	p.mu.Unlock()
	if err := pc.SetRemoteDescription(webrtc.SessionDescription{Type: webrtc.SDPTypeOffer, SDP: offer}); err != nil {
		rm.leave(p, byeDisconnected)
		return "", "", roadshow.NewError(roadshow.EINVALID, "room.bad_sdp", roadshow.Args{"detail": firstLine(err.Error())})
	}
	for _, d := range []*downTrack{video, audio} {
		sender, err := pc.AddTrack(d)
		if err != nil {
			continue // the offer has no section of that kind
		}
		r.spawn(func() { d.readRTCP(sender) })
		if !p.bindSender(d, sender) {
			_ = sender.Stop()
		}
	}
	if answer, err = answerLocal(ctx, pc); err != nil {
		rm.leave(p, byeDisconnected)
		return "", "", err
	}
	rm.updateStage()
	rm.broadcast()
	return answer, p.id, nil
}

// answerLocal answers the remote offer already set on pc.
func answerLocal(ctx context.Context, pc *webrtc.PeerConnection) (string, error) {
	answer, err := pc.CreateAnswer(nil)
	if err != nil {
		return "", roadshow.NewError(roadshow.EINVALID, "room.bad_sdp", roadshow.Args{"detail": firstLine(err.Error())})
	}
	gathered := webrtc.GatheringCompletePromise(pc)
	if err := pc.SetLocalDescription(answer); err != nil {
		return "", roadshow.NewError(roadshow.EINVALID, "room.bad_sdp", roadshow.Args{"detail": firstLine(err.Error())})
	}
	select {
	case <-gathered:
	case <-ctx.Done():
		return "", fmt.Errorf("relay: gather candidates: %w", ctx.Err())
	}
	return pc.LocalDescription().SDP, nil
}

// resource finds a WHIP or WHEP resource of the user.
func (r *Relay) resource(sessionID, id, userID string) (*participant, error) {
	rm := r.room(sessionID)
	notFound := roadshow.NewError(roadshow.ENOTFOUND, "room.no_such_resource", nil)
	if rm == nil {
		return nil, notFound
	}
	rm.mu.Lock()
	p := rm.parts[id]
	rm.mu.Unlock()
	if p == nil || p.via == viaWeb || p.actor.UserID != userID {
		return nil, notFound
	}
	return p, nil
}

// Hangup ends a WHIP publication or a WHEP playback (HTTP DELETE on its
// resource). ENOTFOUND unless the resource exists and is the user's.
func (r *Relay) Hangup(sessionID, id, userID string) error {
	p, err := r.resource(sessionID, id, userID)
	if err != nil {
		return err
	}
	p.room.leave(p, byeLeft)
	return nil
}

// Trickle adds ICE candidates a WHIP or WHEP client sends later (HTTP
// PATCH with an SDP fragment).
func (r *Relay) Trickle(sessionID, id, userID string, candidates []webrtc.ICECandidateInit) error {
	p, err := r.resource(sessionID, id, userID)
	if err != nil {
		return err
	}
	p.mu.Lock()
	pc := p.pub
	if pc == nil {
		pc = p.sub
	}
	p.mu.Unlock()
	for _, c := range candidates {
		if err := pc.AddICECandidate(c); err != nil {
			return roadshow.NewError(roadshow.EINVALID, "room.bad_candidate", nil)
		}
	}
	return nil
}

// Mute mutes or unmutes what a participant publishes from src, for a
// moderator: the relay stops forwarding it at once and tells everyone.
// Returns ECONFLICT when the session is not live, EFORBIDDEN unless by may
// moderate, ENOTFOUND for an unknown participant or source.
func (r *Relay) Mute(se *roadshow.Session, by Peer, participantID string, src roadshow.MediaSource, muted bool) error {
	rm, err := r.roomFor(se)
	if err != nil {
		return err
	}
	rm.mu.Lock()
	g, err := rm.state.RoomGrant(by.Actor, by.Own)
	if err == nil {
		err = g.CanModerate()
	}
	var t *upTrack
	if p := rm.parts[participantID]; err == nil && p != nil {
		t = p.tracks[src]
	}
	rm.mu.Unlock()
	if err != nil {
		return err
	}
	if t == nil {
		return roadshow.NewError(roadshow.ENOTFOUND, "room.no_such_track", nil)
	}
	rm.setMuted(t, muted, by.Actor.UserID)
	return nil
}

// Room returns who is in a session's room and what they publish, as a
// moderator (an organizer) sees it; false when the room is not open.
func (r *Relay) Room(sessionID string) (RoomInfo, bool) {
	rm := r.room(sessionID)
	if rm == nil {
		return RoomInfo{}, false
	}
	rm.mu.Lock()
	defer rm.mu.Unlock()
	return rm.infoFor(&participant{actor: roadshow.Actor{Role: roadshow.RoleOrganizer}, grant: roadshow.RoomGrant{Moderate: true}}), true
}

// Stats counts what the relay holds and what it has done, for tests,
// metrics and the load tool. The totals include the tracks and
// participants already gone, so that they only grow (a packet being
// forwarded while its receiver leaves may go uncounted).
type Stats struct {
	Rooms        int
	Participants int
	// ParticipantsByRole counts the participants of every room by their
	// account's role.
	ParticipantsByRole map[roadshow.Role]int
	Tracks             int
	Goroutines         int // goroutines the relay started and still waits for
	// KeyframeRequests sums the keyframe requests sent to publishers.
	KeyframeRequests uint64
	Forwarded        uint64 // packets written to receivers
	ForwardedBytes   uint64 // their payload bytes
	Retransmitted    uint64
	NACKs            uint64 // sequence numbers receivers asked for again
	Received         uint64 // packets received from publishers (duplicates left out)
	ReceivedBytes    uint64
	// PublisherLost counts the packets publishers sent that never arrived
	// (or came too late to keep), from the gaps in sequence numbers.
	PublisherLost uint64
	// ReceiverLossMax and ReceiverLossMean are the fraction lost (0 to 1)
	// that receivers reported in their latest receiver reports, over the
	// tracks being sent now.
	ReceiverLossMax, ReceiverLossMean float64
}

// totals are counts of tracks that left the rooms (see Stats).
type totals struct {
	keyframeRequests, forwarded, forwardedBytes, retransmitted, nacks, received, receivedBytes, lost atomic.Uint64
}

// retireDown keeps the counts of a track no longer sent to a receiver;
// called once, after it left the participant's lists.
func (r *Relay) retireDown(d *downTrack) {
	r.retired.forwarded.Add(d.packets.Load())
	r.retired.forwardedBytes.Add(d.octets.Load())
	r.retired.retransmitted.Add(d.retransmits.Load())
	r.retired.nacks.Add(d.nacks.Load())
}

// retireUp keeps the counts of a published track leaving its room; called
// once, after it left the room's list.
func (r *Relay) retireUp(t *upTrack) {
	r.retired.keyframeRequests.Add(t.kfRequests.Load())
	r.retired.received.Add(t.packets.Load())
	r.retired.receivedBytes.Add(t.bytes.Load())
	r.retired.lost.Add(t.cache.lost())
}

// Stats returns a snapshot. It reads the counters the packet path keeps
// (atomics) under the rooms' and participants' locks, never the other way.
func (r *Relay) Stats() Stats {
	st := Stats{ParticipantsByRole: map[roadshow.Role]int{},
		KeyframeRequests: r.retired.keyframeRequests.Load(), Forwarded: r.retired.forwarded.Load(),
		ForwardedBytes: r.retired.forwardedBytes.Load(), Retransmitted: r.retired.retransmitted.Load(),
		NACKs: r.retired.nacks.Load(), Received: r.retired.received.Load(), ReceivedBytes: r.retired.receivedBytes.Load(),
		PublisherLost: r.retired.lost.Load()}
	r.mu.Lock()
	rooms := make([]*room, 0, len(r.rooms))
	for _, rm := range r.rooms {
		rooms = append(rooms, rm)
	}
	r.mu.Unlock()
	st.Rooms = len(rooms)
	var lossSum float64
	var lossN int
	for _, rm := range rooms {
		rm.mu.Lock()
		st.Participants += len(rm.parts)
		st.Tracks += len(rm.tracks)
		tracks := make([]*upTrack, 0, len(rm.tracks))
		for _, t := range rm.tracks {
			tracks = append(tracks, t)
		}
		parts := rm.all()
		for _, p := range parts {
			st.ParticipantsByRole[p.actor.Role]++
		}
		rm.mu.Unlock()
		for _, t := range tracks {
			st.KeyframeRequests += t.kfRequests.Load()
			st.Received += t.packets.Load()
			st.ReceivedBytes += t.bytes.Load()
			st.PublisherLost += t.cache.lost()
		}
		for _, p := range parts {
			p.mu.Lock()
			downs := append([]*downTrack(nil), p.stage...)
			for _, d := range p.downs {
				downs = append(downs, d)
			}
			p.mu.Unlock()
			for _, d := range downs {
				st.Forwarded += d.packets.Load()
				st.ForwardedBytes += d.octets.Load()
				st.Retransmitted += d.retransmits.Load()
				st.NACKs += d.nacks.Load()
				lost := float64(d.lost.Load()) / 256
				st.ReceiverLossMax = max(st.ReceiverLossMax, lost)
				lossSum += lost
				lossN++
			}
		}
	}
	if lossN > 0 {
		st.ReceiverLossMean = lossSum / float64(lossN)
	}
	r.gmu.Lock()
	st.Goroutines = r.live
	r.gmu.Unlock()
	return st
}
