package http

import (
	"io"
	"log/slog"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/requestid"
	"github.com/roadshow/roadshow/roadshow"
)

const actorKey = "actor"

// authed registers the routes that need a signed-in caller: each gets
// authenticate before its handler, so that none can be added without it
// (deny by default). Which roles may do what is the domain's to say, where
// the call lands: the gate only knows who is calling.
type authed struct {
	r    fiber.Router
	auth fiber.Handler
}

func (a authed) Get(path string, h fiber.Handler)    { a.r.Get(path, a.auth, h) }
func (a authed) Post(path string, h fiber.Handler)   { a.r.Post(path, a.auth, h) }
func (a authed) Put(path string, h fiber.Handler)    { a.r.Put(path, a.auth, h) }
func (a authed) Patch(path string, h fiber.Handler)  { a.r.Patch(path, a.auth, h) }
func (a authed) Delete(path string, h fiber.Handler) { a.r.Delete(path, a.auth, h) }

// requireActor authenticates the caller of an authenticated route.
func (s *Server) requireActor(c *fiber.Ctx) error {
	if err := s.authenticate(c); err != nil {
		return err
	}
	return c.Next()
}

// authenticate checks the bearer token and records the actor.
func (s *Server) authenticate(c *fiber.Ctx) error {
	h := c.Get(fiber.HeaderAuthorization)
	scheme, token, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || token == "" {
		return roadshow.NewError(roadshow.EUNAUTHORIZED, "auth.login_required", nil)
	}
	actor, err := s.cfg.Tokens.Verify(strings.TrimSpace(token))
	if err != nil {
		return err
	}
	c.Locals(actorKey, actor)
	c.SetUserContext(roadshow.NewContextWithActor(c.UserContext(), actor))
	return nil
}

func actorOf(c *fiber.Ctx) roadshow.Actor {
	a, _ := c.Locals(actorKey).(roadshow.Actor)
	return a
}

// securityHeaders sets the headers every response carries.
func securityHeaders(c *fiber.Ctx) error {
	h := &c.Response().Header
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
	h.Set("Permissions-Policy", "camera=(self), microphone=(self), display-capture=(self), geolocation=()")
	h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "+
		"media-src 'self' blob:; connect-src 'self' ws: wss:; frame-src 'self' blob:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
	if strings.HasPrefix(c.Path(), "/api/") {
		h.Set("Cache-Control", "no-store")
	}
	return c.Next()
}

// drainLimitKey holds, per request, how much of an unread body drainBody
// reads; routes that take large bodies raise it.
const drainLimitKey = "drainLimit"

// drainExtra is how far past its route's limit a declared body is still
// drained rather than cut off.
const drainExtra = 8 << 20

// drainBody discards what a handler left unread of a streamed request body,
// so the next request on the connection starts at a request line and the
// client, still sending, gets to read the answer (a refused upload must
// show its 409 or 404, not a reset connection). Past the route's limit the
// connection is closed instead.
func drainBody(c *fiber.Ctx) error {
	err := c.Next()
	if r := bodyStream(c); r != nil && r.err == nil {
		limit, ok := c.Locals(drainLimitKey).(int64)
		if !ok {
			limit = MaxJSONBody
		}
		// A body declared a little too large is read to its end as well:
		// closing with unread bytes resets the connection, and the client,
		// still sending, may never see the answer (413).
		if n := int64(c.Request().Header.ContentLength()); n > limit && n <= limit+drainExtra {
			limit = n
		}
		if n, _ := io.CopyN(io.Discard, r, limit+1); n > limit {
			c.Context().SetConnectionClose()
		}
	} else if r != nil && r.err != io.EOF {
		c.Context().SetConnectionClose() // the body broke off: the connection is unusable
	}
	return err
}

// logRequests logs every request at debug level with its id, status and
// duration; the level keeps production logs quiet by default.
func (s *Server) logRequests(c *fiber.Ctx) error {
	start := time.Now()
	err := c.Next()
	if s.log.Enabled(c.UserContext(), slog.LevelDebug) {
		status := c.Response().StatusCode()
		if err != nil {
			status = codeStatus[roadshow.ErrorCode(err)]
		}
		s.log.Debug("request", "requestId", c.Locals(requestid.ConfigDefault.ContextKey), "method", c.Method(),
			"path", c.Path(), "status", status, "duration", time.Since(start))
	}
	return err
}
