package http

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/requestid"
	"github.com/roadshow/roadshow/internal/auth"
	"github.com/roadshow/roadshow/roadshow"
)

const (
	actorKey  = "actor"
	accessKey = "access" // the verified token (auth.Access): its versions and expiry
)

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
	a, err := s.verifyAccess(c, strings.TrimSpace(token))
	if err != nil {
		return err
	}
	s.setAccess(c, a)
	return nil
}

// setAccess records the verified caller of the request.
func (s *Server) setAccess(c *fiber.Ctx, a auth.Access) {
	c.Locals(actorKey, a.Actor)
	c.Locals(accessKey, a)
	ctx := roadshow.NewContextWithActor(c.UserContext(), a.Actor)
	c.SetUserContext(context.WithValue(ctx, accessCtxKey{}, a))
}

type accessCtxKey struct{}

// accessFrom returns the verified token of the request ctx belongs to.
func accessFrom(ctx context.Context) auth.Access {
	a, _ := ctx.Value(accessCtxKey{}).(auth.Access)
	return a
}

// checked passes on a verified token (a, err) when its account still
// accepts it: not disabled, deleted, or changed since (see auth.Guard).
func (s *Server) checked(c *fiber.Ctx, a auth.Access, err error) (auth.Access, error) {
	if err != nil {
		return auth.Access{}, err
	}
	if s.cfg.Guard != nil {
		ctx, cancel := storeCtx(c)
		defer cancel()
		if err := s.cfg.Guard.Check(ctx, a); err != nil {
			return auth.Access{}, err
		}
	}
	return a, nil
}

// verifyAccess checks an access token and that its account still accepts it.
func (s *Server) verifyAccess(c *fiber.Ctx, token string) (auth.Access, error) {
	a, err := s.cfg.Tokens.VerifyAccess(token)
	return s.checked(c, a, err)
}

// stillValid reports whether the token a of a long-lived connection (a
// WebSocket) still works at now: not expired and not revoked.
func (s *Server) stillValid(a auth.Access, now time.Time) bool {
	if !now.Before(a.ExpiresAt) {
		return false
	}
	if s.cfg.Guard == nil {
		return true
	}
	ctx, cancel := context.WithTimeout(context.Background(), StoreTimeout)
	defer cancel()
	err := s.cfg.Guard.Check(ctx, a)
	// A store that cannot answer does not end the stream; a revoked token does.
	return roadshow.ErrorCode(err) != roadshow.EUNAUTHORIZED
}

func actorOf(c *fiber.Ctx) roadshow.Actor {
	a, _ := c.Locals(actorKey).(roadshow.Actor)
	return a
}

func accessOf(c *fiber.Ctx) auth.Access {
	a, _ := c.Locals(accessKey).(auth.Access)
	return a
}

// securityHeaders sets the headers every response carries.
func securityHeaders(c *fiber.Ctx) error {
	setSecurityHeaders(c)
	return c.Next()
}

// setSecurityHeaders sets the security headers on the response; the error
// handler calls it too, for failures no middleware saw.
func setSecurityHeaders(c *fiber.Ctx) {
	h := &c.Response().Header
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
	h.Set("Permissions-Policy", "camera=(self), microphone=(self), display-capture=(self), geolocation=()")
	h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "+
		"media-src 'self' blob:; connect-src 'self' ws: wss:; frame-src 'self' blob:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
	if strings.HasPrefix(c.Path(), "/api/") || len(c.Request().URI().Path()) == 0 {
		h.Set("Cache-Control", "no-store")
	}
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
