package http

import (
	"context"
	"encoding/json"
	"time"

	"github.com/gofiber/contrib/websocket"
	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/utils"
	"github.com/roadshow/roadshow/internal/auth"
	"github.com/roadshow/roadshow/roadshow"
)

// WebSocket limits: clients only send pings, so reads are tiny.
const (
	wsReadLimit    = 4 << 10
	wsWriteTimeout = 10 * time.Second
	wsPongWait     = 60 * time.Second
	wsPingEvery    = 25 * time.Second
)

// eventsUpgrade authenticates a session's event stream before the upgrade.
// Browsers cannot set headers on a WebSocket, so the access token comes as
// ?token=. The session's participants may connect (Session.CanFollowEvents:
// a team waiting for its slot sees it come), and only from this site's own
// pages (or from non-browser clients, which send no Origin).
func (s *Server) eventsUpgrade(c *fiber.Ctx) error {
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
	access, err := s.verifyAccess(c, token)
	if err != nil {
		return err
	}
	actor := access.Actor
	ctx, cancel := storeCtx(c)
	defer cancel()
	if _, err := s.svc.Sessions.Follow(ctx, actor, id); err != nil {
		return err // ENOTFOUND unless a participant
	}
	s.setAccess(c, access)
	c.Locals("sessionId", id)
	return c.Next()
}

// events streams a session's events: a snapshot first, then every change,
// and the slot timer once a second. Scoring progress goes only to those who
// may follow it (Session.CanFollowProgress), score values only to
// organizers. One goroutine reads (pongs, close), this one writes with
// deadlines; nothing keeps the *Conn after return.
func (s *Server) events(conn *websocket.Conn) {
	actor, _ := conn.Locals(actorKey).(roadshow.Actor)
	id, _ := conn.Locals("sessionId").(string)
	id = utils.CopyString(id)
	values := roadshow.CanSeeScoreValues(actor)
	watch := s.watchToken(conn.Locals(accessKey))
	sub := s.cfg.Hub.Subscribe(id, values)
	defer sub.Close()

	conn.SetReadLimit(wsReadLimit)
	_ = conn.SetReadDeadline(time.Now().Add(wsPongWait))
	conn.SetPongHandler(func(string) error { return conn.SetReadDeadline(time.Now().Add(wsPongWait)) })
	closed := make(chan struct{})
	go func() {
		defer close(closed)
		for {
			if _, _, err := conn.ReadMessage(); err != nil {
				return
			}
		}
	}()
	defer stopReader(conn, closed)

	write := func(v any) bool { return writeJSON(conn, v) }
	// The snapshot: the session, its progress and, for organizers, the
	// score values, so a (re)connecting client needs nothing else.
	ctx, cancel := context.WithTimeout(context.Background(), StoreTimeout)
	se, err := s.svc.Sessions.Follow(ctx, actor, id)
	var prog []roadshow.TeamProgress
	var totals []roadshow.JudgeScoreTotal
	// The reader's view keeps what the rule reads for the roles it lets in.
	progress := err == nil && se.CanFollowProgress(actor) == nil
	if progress {
		prog, totals, err = s.svc.Judging.SessionProgress(ctx, actor, id)
	}
	cancel()
	if err != nil {
		return
	}
	now := s.cfg.Clock.Now()
	if !write(roadshow.Event{Type: roadshow.EventSession, SessionID: id, At: now, Session: se}) ||
		progress && !write(roadshow.Event{Type: roadshow.EventProgress, SessionID: id, At: now, Progress: prog}) {
		return
	}
	if values && !write(roadshow.Event{Type: roadshow.EventScores, SessionID: id, At: now, Scores: totals, OrganizersOnly: true}) {
		return
	}

	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	ping := time.NewTicker(wsPingEvery)
	defer ping.Stop()
	for {
		select {
		case <-closed:
			return
		case ev, ok := <-sub.C():
			if !ok {
				// Dropped for being slow: tell the client to reconnect.
				_ = conn.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(1013, "reconnect"), time.Now().Add(time.Second))
				return
			}
			if ev.Session != nil {
				// Each reader gets the session as they see it, with what
				// they may do now.
				ctx, cancel := context.WithTimeout(context.Background(), StoreTimeout)
				view, err := s.svc.Sessions.ViewFor(ctx, actor, ev.Session)
				cancel()
				if roadshow.ErrorCode(err) == roadshow.ENOTFOUND {
					// Removed from the session: the stream ends with it.
					_ = conn.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.ClosePolicyViolation, "no longer part of this session"), time.Now().Add(time.Second))
					return
				} else if err != nil {
					return // the client reconnects and reads a fresh snapshot
				}
				se, ev.Session = ev.Session, view
				progress = se.CanFollowProgress(actor) == nil
			} else if ev.Type == roadshow.EventProgress && !progress {
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

// stopReader returns once a stream's reader goroutine (which closes closed)
// is gone. It must be gone before the handler returns: the middleware then
// pools the *Conn and fasthttp reuses the connection's read buffer for
// another client. Closing does not unblock it (fasthttp closes a hijacked
// connection only after the handler), an expired deadline does; repeat it
// in case a pong just extended the deadline.
func stopReader(conn *websocket.Conn, closed <-chan struct{}) {
	for {
		_ = conn.SetReadDeadline(time.Now())
		select {
		case <-closed:
			return
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// writeJSON sends v as one text message within the write deadline; false
// when the stream is over.
func writeJSON(conn *websocket.Conn, v any) bool {
	b, err := json.Marshal(v)
	if err != nil {
		return false
	}
	_ = conn.SetWriteDeadline(time.Now().Add(wsWriteTimeout))
	return conn.WriteMessage(websocket.TextMessage, b) == nil
}

// tokenCheckEvery is how often a stream asks whether its token was revoked
// (the guard's cache makes most asks free); expiry is checked every tick.
const tokenCheckEvery = 5 * time.Second

// tokenWatch follows the token a WebSocket was opened with: the stream ends
// when it expires or its account revokes it (disabled, role or password
// changed), as a request with it would be refused.
type tokenWatch struct {
	s    *Server
	a    auth.Access
	next time.Time
}

func (s *Server) watchToken(v any) *tokenWatch {
	a, _ := v.(auth.Access)
	return &tokenWatch{s: s, a: a}
}

// ok reports whether the token still works: not expired by the server's
// clock, and not revoked (asked every tokenCheckEvery of wall time).
func (w *tokenWatch) ok() bool {
	now := w.s.cfg.Clock.Now()
	if !now.Before(w.a.ExpiresAt) {
		return false
	}
	wall := time.Now()
	if wall.Before(w.next) {
		return true
	}
	w.next = wall.Add(tokenCheckEvery)
	return w.s.stillValid(w.a, now)
}

// closeRevoked ends a stream whose token stopped working: close code 4001,
// which the pages answer by signing in again.
func closeRevoked(conn *websocket.Conn) {
	_ = conn.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(4001, "token expired or revoked"), time.Now().Add(time.Second))
}
