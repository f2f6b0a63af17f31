package http

import (
	"log/slog"
	"net"
	"net/netip"
	"net/url"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// The request's client and host, believed from X-Forwarded-* only when the
// connection comes from a configured proxy (Config.TrustedProxies).
// Anything else could be typed by the client itself: a forged
// X-Forwarded-For would move an attacker into someone else's rate-limit
// bucket, a forged X-Forwarded-Host would put the attacker's host into the
// links the server hands out (calendar feeds) and past the WebSocket
// origin check.

// parseProxies reads IPs and CIDR ranges, logging (and skipping) bad ones.
func parseProxies(list []string, log *slog.Logger) []netip.Prefix {
	var out []netip.Prefix
	for _, s := range list {
		s = strings.TrimSpace(s)
		if s == "" {
			continue
		}
		if p, err := netip.ParsePrefix(s); err == nil {
			out = append(out, p.Masked())
		} else if a, err := netip.ParseAddr(s); err == nil {
			out = append(out, netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()))
		} else {
			log.Warn("ignoring a trusted proxy that is no IP address or range", "proxy", s)
		}
	}
	return out
}

// isProxy reports whether addr is a trusted proxy.
func (s *Server) isProxy(addr netip.Addr) bool {
	addr = addr.Unmap()
	for _, p := range s.proxies {
		if p.Contains(addr) {
			return true
		}
	}
	return false
}

// remoteAddr is the address of the connection's other end.
func remoteAddr(c *fiber.Ctx) netip.Addr {
	a, _ := netip.AddrFromSlice(c.Context().RemoteIP())
	return a.Unmap()
}

// fromProxy reports whether the request came through a trusted proxy.
func (s *Server) fromProxy(c *fiber.Ctx) bool {
	return len(s.proxies) > 0 && s.isProxy(remoteAddr(c))
}

// clientIP is the address rate limits count: the connection's, or, behind
// trusted proxies, the right-most address of X-Forwarded-For that is not
// one of them (the left part of the header is the client's to write).
func (s *Server) clientIP(c *fiber.Ctx) string {
	remote := remoteAddr(c)
	if !s.fromProxy(c) {
		return remote.String()
	}
	hops := strings.Split(c.Get(fiber.HeaderXForwardedFor), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		a, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			break
		}
		if !s.isProxy(a) {
			return a.Unmap().String()
		}
	}
	return remote.String()
}

// requestOrigin is the scheme and host the request was made to, as far as
// it can be believed: the forwarded ones from a trusted proxy, else the
// connection's own (plain HTTP, the Host header).
func (s *Server) requestOrigin(c *fiber.Ctx) (scheme, host string) {
	scheme, host = "http", string(c.Request().Host())
	if c.Context().IsTLS() {
		scheme = "https"
	}
	if s.fromProxy(c) {
		if h := firstValue(c.Get(fiber.HeaderXForwardedHost)); h != "" {
			host = h
		}
		if p := strings.ToLower(firstValue(c.Get(fiber.HeaderXForwardedProto))); p == "http" || p == "https" {
			scheme = p
		}
	}
	return scheme, host
}

func firstValue(h string) string {
	v, _, _ := strings.Cut(h, ",")
	return strings.TrimSpace(v)
}

// linkBase is the address to put in front of links the server hands out:
// the public URL when configured; else the request's own, when it came
// through a trusted proxy or names this machine (a laptop); else the
// server's own listening address. A Host header typed by a client never
// reaches a link meant for someone else.
func (s *Server) linkBase(c *fiber.Ctx) string {
	if s.cfg.PublicURL != "" {
		return s.cfg.PublicURL
	}
	scheme, host := s.requestOrigin(c)
	if s.fromProxy(c) || isLoopbackHost(host) {
		return scheme + "://" + host
	}
	return s.cfg.FallbackURL
}

// isLoopbackHost reports whether host (with an optional port) names this
// machine: localhost or a loopback address.
func isLoopbackHost(host string) bool {
	h := host
	if hh, _, err := net.SplitHostPort(host); err == nil {
		h = hh
	}
	h = strings.Trim(h, "[]")
	if strings.EqualFold(h, "localhost") {
		return true
	}
	a, err := netip.ParseAddr(h)
	return err == nil && a.IsLoopback()
}

// originAllowed reports whether a browser page at origin may open the
// server's WebSockets: the public URL's origin when configured, else the
// origin the request was made to (see requestOrigin). Clients that send no
// Origin (not browsers) are not checked here: their token is.
func (s *Server) originAllowed(c *fiber.Ctx, origin string) bool {
	u, err := url.Parse(origin)
	if err != nil || u.Host == "" {
		return false
	}
	if s.cfg.PublicURL != "" {
		p, err := url.Parse(s.cfg.PublicURL)
		return err == nil && strings.EqualFold(p.Scheme, u.Scheme) && strings.EqualFold(p.Host, u.Host)
	}
	scheme, host := s.requestOrigin(c)
	return strings.EqualFold(scheme, u.Scheme) && strings.EqualFold(host, u.Host)
}
