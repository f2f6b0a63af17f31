package http

import (
	"slices"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/compress"
	"github.com/roadshow/roadshow/roadshow"
)

// routePattern is a registered path and the methods it answers, for the
// answers of a request no route took: 405 with Allow, OPTIONS.
type routePattern struct {
	segs    []string // ":name" matches one segment, "*" the rest
	methods []string
}

// buildRoutes reads the app's routes once they are all registered.
func buildRoutes(app *fiber.App) []routePattern {
	byPath := map[string][]string{}
	var order []string
	for _, r := range app.GetRoutes(true) {
		if _, ok := byPath[r.Path]; !ok {
			order = append(order, r.Path)
		}
		if !slices.Contains(byPath[r.Path], r.Method) {
			byPath[r.Path] = append(byPath[r.Path], r.Method)
		}
	}
	out := make([]routePattern, 0, len(order))
	for _, p := range order {
		out = append(out, routePattern{segs: strings.Split(strings.Trim(p, "/"), "/"), methods: byPath[p]})
	}
	return out
}

func (rp routePattern) matches(segs []string) bool {
	for i, s := range rp.segs {
		if s == "*" {
			return true
		}
		if i >= len(segs) {
			return false
		}
		if strings.HasPrefix(s, ":") {
			if segs[i] == "" {
				return false
			}
			continue
		}
		if s != segs[i] {
			return false
		}
	}
	return len(segs) == len(rp.segs)
}

// methodOrder is how Allow lists the methods.
var methodOrder = []string{fiber.MethodGet, fiber.MethodHead, fiber.MethodPost, fiber.MethodPut, fiber.MethodPatch, fiber.MethodDelete, fiber.MethodOptions}

// allowed lists the methods routes answer at path p, OPTIONS included, or
// nothing when no route has the path.
func (s *Server) allowed(p string) []string {
	segs := strings.Split(strings.Trim(p, "/"), "/")
	set := map[string]bool{}
	for _, rp := range s.patterns {
		if rp.matches(segs) {
			for _, m := range rp.methods {
				set[m] = true
			}
		}
	}
	if len(set) == 0 {
		return nil
	}
	set[fiber.MethodOptions] = true
	var out []string
	for _, m := range methodOrder {
		if set[m] {
			out = append(out, m)
		}
	}
	return out
}

// unmatchedKey marks, in a request's locals, that no route took it: its
// metrics label is "unmatched", not the pattern of the Use it fell to.
const unmatchedKey = "unmatched"

// unmatched answers a request no route took: OPTIONS with 204 and Allow,
// a known path's wrong method with 405 and Allow, anything else with 404,
// errors in the one shape. The app's pages are hash routes (/#/...) of its
// one page at /: no other path answers with it, so that /metrics or a
// mistyped file cannot look like a working page.
func (s *Server) unmatched(c *fiber.Ctx) error {
	c.Locals(unmatchedKey, true)
	p := c.Path()
	if allow := s.allowed(p); allow != nil {
		list := strings.Join(allow, ", ")
		c.Set(fiber.HeaderAllow, list)
		if c.Method() == fiber.MethodOptions {
			return c.SendStatus(fiber.StatusNoContent)
		}
		setSecurityHeaders(c)
		m := roadshow.Msg("request.method_not_allowed", roadshow.Args{"method": methodName(c.Method()), "allow": list})
		return c.Status(fiber.StatusMethodNotAllowed).JSON(errorBody{Error: detailOf(roadshow.EINVALID, m, nil)})
	}
	if strings.HasPrefix(p, "/api/") {
		return roadshow.NewError(roadshow.ENOTFOUND, "request.route_unknown", roadshow.Args{"method": methodName(c.Method()), "path": c.Path()})
	}
	return roadshow.NewError(roadshow.ENOTFOUND, "request.path_unknown", roadshow.Args{"path": c.Path()})
}

// noCompression names the responses compress leaves alone: WebSocket
// upgrades, WHIP and WHEP (SDP, small, and their clients are media
// tools), decks (PDF: compressed already) and the Prometheus scrape
// (compressed by its own handler when asked).
func noCompression(c *fiber.Ctx) bool {
	if c.Get(fiber.HeaderUpgrade) != "" {
		return true
	}
	p := c.Path()
	for _, suffix := range []string{"/deck", "/deck/view", "/live", "/events"} {
		if strings.HasSuffix(p, suffix) {
			return true
		}
	}
	return strings.Contains(p, "/whip") || strings.Contains(p, "/whep") || p == "/metrics"
}

// newCompress compresses (brotli or gzip, as the client accepts) what
// noCompression does not exclude.
func newCompress() fiber.Handler {
	return compress.New(compress.Config{Next: noCompression, Level: compress.LevelDefault})
}

// hstsValue keeps browsers on https for two years, subdomains included.
const hstsValue = "max-age=63072000; includeSubDomains"

// frame is the outermost middleware: HSTS when the public URL is https;
// the errors of everything inside written here, so that what follows sees
// the status sent; JSON declared as UTF-8; and the request recorded in the
// metrics by its route pattern (never the path: ids would become series).
func (s *Server) frame(c *fiber.Ctx) error {
	start := time.Now()
	if s.hsts {
		c.Set(fiber.HeaderStrictTransportSecurity, hstsValue)
	}
	if err := c.Next(); err != nil {
		if herr := s.handleError(c, err); herr != nil {
			return herr
		}
	}
	h := &c.Response().Header
	if string(h.ContentType()) == fiber.MIMEApplicationJSON {
		h.SetContentType(fiber.MIMEApplicationJSONCharsetUTF8)
	}
	if s.cfg.Metrics != nil {
		route := c.Route().Path
		if c.Locals(unmatchedKey) != nil || route == "" {
			route = unmatchedKey
		}
		s.cfg.Metrics.ObserveHTTP(route, methodName(c.Method()), c.Response().StatusCode(), time.Since(start))
	}
	return nil
}
