package http

import (
	"context"
	"encoding/json"
	"time"

	"github.com/gofiber/contrib/websocket"
	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/utils"
	"github.com/roadshow/roadshow/internal/relay"
	"github.com/roadshow/roadshow/roadshow"
)

// liveReadLimit bounds one signaling message: an SDP offer is a few KB.
const liveReadLimit = 64 << 10

// liveUpgrade admits a web page to a session's live room before the
// upgrade, so that refusals are proper HTTP answers: a room token of this
// session in ?token= (browsers cannot set headers on a WebSocket), and the
// session's state must let the holder in now.
func (s *Server) liveUpgrade(c *fiber.Ctx) error {
	if !websocket.IsWebSocketUpgrade(c) {
		return roadshow.NewError(roadshow.EINVALID, "request.websocket_required", nil)
	}
	if origin := c.Get(fiber.HeaderOrigin); origin != "" && !s.originAllowed(c, origin) {
		return roadshow.NewError(roadshow.EFORBIDDEN, "request.websocket_origin", nil)
	}
	id, err := sessionParam().read(c)
	if err != nil {
		return err
	}
	token := c.Query("token")
	if token == "" {
		return roadshow.NewError(roadshow.EUNAUTHORIZED, "auth.login_required", nil)
	}
	access, grant, err := s.cfg.Tokens.VerifyRoomAccess(token, id)
	if access, err = s.checked(c, access, err); err != nil {
		return err
	}
	ctx, cancel := storeCtx(c)
	defer cancel()
	peer, se, err := s.admit(ctx, access, id, &grant)
	if err != nil {
		return err
	}
	s.setAccess(c, access)
	c.Locals("sessionId", id)
	c.Locals("livePeer", peer)
	c.Locals("liveSession", se)
	return c.Next()
}

// live carries one page's membership of the room: the relay's signaling
// and room messages, and the session's events (state, timer, scoring
// progress as the page's reader may see them), on one socket. One
// goroutine reads the page's messages and hands them to the relay; this one
// writes with deadlines; nothing keeps the *Conn after return.
func (s *Server) live(conn *websocket.Conn) {
	actor, _ := conn.Locals(actorKey).(roadshow.Actor)
	id := utils.CopyString(conn.Locals("sessionId").(string))
	peer, _ := conn.Locals("livePeer").(relay.Peer)
	se, _ := conn.Locals("liveSession").(*roadshow.Session)

	write := func(v any) bool { return writeJSON(conn, v) }
	rc, err := s.cfg.Relay.Join(se, peer)
	if err != nil {
		var m relay.Message
		m.Type, m.Bye = relay.MsgBye, relay.ProblemOf(err)
		write(m)
		return
	}
	defer rc.Leave()
	watch := s.watchToken(conn.Locals(accessKey))
	sub := s.cfg.Hub.Subscribe(id, roadshow.CanSeeScoreValues(actor))
	defer sub.Close()
	progress := se.CanFollowProgress(actor) == nil

	conn.SetReadLimit(liveReadLimit)
	_ = conn.SetReadDeadline(time.Now().Add(wsPongWait))
	conn.SetPongHandler(func(string) error { return conn.SetReadDeadline(time.Now().Add(wsPongWait)) })
	closed := make(chan struct{})
	go func() {
		defer close(closed)
		for {
			_, b, err := conn.ReadMessage()
			if err != nil {
				return
			}
			var m relay.Message
			if json.Unmarshal(b, &m) != nil {
				continue // not a message; the relay only acts on what it understands
			}
			rc.Handle(m)
		}
	}()
	defer stopReader(conn, closed)

	// The session as this page sees it, first: the relay's welcome follows.
	ctx, cancel := context.WithTimeout(context.Background(), StoreTimeout)
	view, err := s.svc.Sessions.ViewFor(ctx, actor, se)
	cancel()
	if err != nil || !write(roadshow.Event{Type: roadshow.EventSession, SessionID: id, At: s.cfg.Clock.Now(), Session: view}) {
		return
	}
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	ping := time.NewTicker(wsPingEvery)
	defer ping.Stop()
	out := rc.Out()
	for {
		select {
		case <-closed:
			return
		case m, ok := <-out:
			if !ok {
				return // the relay sent its bye
			}
			if !write(m) {
				return
			}
			if m.Type == relay.MsgBye && m.Bye != nil && m.Bye.Code == roadshow.EUNAUTHORIZED {
				// The token was revoked: the socket closes the way every
				// revoked stream does, which the page answers by signing in.
				closeRevoked(conn)
				return
			}
		case ev, ok := <-sub.C():
			if !ok {
				_ = conn.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(1013, "reconnect"), time.Now().Add(time.Second))
				return
			}
			switch {
			case ev.Session != nil:
				ctx, cancel := context.WithTimeout(context.Background(), StoreTimeout)
				view, err := s.svc.Sessions.ViewFor(ctx, actor, ev.Session)
				cancel()
				if err != nil {
					continue // no longer theirs: the relay sends them away
				}
				se, ev.Session = ev.Session, view
				progress = se.CanFollowProgress(actor) == nil
			case ev.Type == roadshow.EventProgress && !progress:
				continue
			}
			if !write(ev) {
				return
			}
		case now := <-tick.C:
			if !watch.ok() {
				closeRevoked(conn)
				return
			}
			if t := roadshow.TimerOf(se, now); t != nil {
				if !write(roadshow.Event{Type: roadshow.EventTimer, SessionID: id, At: now, Timer: t}) {
					return
				}
			}
		case <-ping.C:
			if err := conn.WriteControl(websocket.PingMessage, nil, time.Now().Add(wsWriteTimeout)); err != nil {
				return
			}
		}
	}
}
