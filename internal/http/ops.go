package http

import (
	"context"
	"crypto/subtle"
	"errors"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/adaptor"
	"github.com/roadshow/roadshow/roadshow"
)

// readyTimeout is how long /readyz waits for the store: a load balancer
// asks often and must hear "no" quickly.
const readyTimeout = 2 * time.Second

// healthResponse is the body of /healthz and /readyz.
type healthResponse struct {
	// Status is "ok" (up, ready) or "unavailable".
	Status string `json:"status"`
	// Checks says, for /readyz, how each dependency answered: "ok" or why not.
	Checks map[string]string `json:"checks,omitempty"`
}

// healthz answers that the process is up and serving HTTP, nothing more.
func (s *Server) healthz(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(healthResponse{Status: "ok"})
}

// readyz answers whether this instance should get traffic: the store
// answers within readyTimeout, the relay accepts participants, and the
// server is not shutting down. 503 otherwise, with the reasons.
func (s *Server) readyz(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	checks := map[string]string{"store": "ok", "relay": "ok", "server": "ok"}
	ok := true
	if s.draining.Load() {
		checks["server"], ok = "shutting down", false
	}
	if s.cfg.Ping == nil {
		checks["store"], ok = "not configured", false
	} else {
		ctx, cancel := context.WithTimeout(c.UserContext(), readyTimeout)
		err := s.cfg.Ping(ctx)
		cancel()
		if err != nil {
			ok = false
			checks["store"] = "error"
			if errors.Is(err, context.DeadlineExceeded) {
				checks["store"] = "timeout"
			}
			s.log.Warn("readiness: the store does not answer", "err", err)
		}
	}
	if s.cfg.Relay == nil || !s.cfg.Relay.Accepting() {
		checks["relay"], ok = "not accepting", false
	}
	if !ok {
		return c.Status(fiber.StatusServiceUnavailable).JSON(healthResponse{Status: "unavailable", Checks: checks})
	}
	return c.JSON(healthResponse{Status: "ok", Checks: checks})
}

// metricsRoute serves the Prometheus scrape on the public port, to the
// holder of Config.MetricsToken only (the other way is a listener of its
// own, see cmd/roadshow).
func (s *Server) metricsRoute(c *fiber.Ctx) error {
	scheme, token, _ := strings.Cut(c.Get(fiber.HeaderAuthorization), " ")
	if !strings.EqualFold(scheme, "Bearer") || subtle.ConstantTimeCompare([]byte(strings.TrimSpace(token)), []byte(s.cfg.MetricsToken)) != 1 {
		c.Set(fiber.HeaderWWWAuthenticate, `Bearer realm="metrics"`)
		return roadshow.NewError(roadshow.EUNAUTHORIZED, "auth.login_required", nil)
	}
	return s.metricsHandler(c)
}

// methodName returns the constant spelling of a method fiber routes: the
// request's own string lives in a buffer fasthttp reuses, and a label
// kept by the metrics must not change under them.
func methodName(m string) string {
	for _, known := range []string{fiber.MethodGet, fiber.MethodHead, fiber.MethodPost, fiber.MethodPut, fiber.MethodPatch,
		fiber.MethodDelete, fiber.MethodOptions, fiber.MethodConnect, fiber.MethodTrace} {
		if m == known {
			return known
		}
	}
	return "other"
}

// countLoginRefusal counts the log-ins refused, by the error code answered.
func (s *Server) countLoginRefusal(c *fiber.Ctx) error {
	err := c.Next()
	if err != nil {
		s.cfg.Metrics.LoginRefused(roadshow.ErrorCode(err))
	}
	return err
}

// newMetricsHandler adapts the registry's net/http handler once.
func (s *Server) newMetricsHandler() fiber.Handler {
	if s.cfg.Metrics == nil {
		return nil
	}
	return adaptor.HTTPHandler(s.cfg.Metrics.Handler())
}
