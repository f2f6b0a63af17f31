// Package http is Roadshow's HTTP interface: the fiber app with its routes,
// handlers, middleware and the one mapping from domain errors to statuses.
// Import it as roadshowhttp.
package http

import (
	"context"
	"io/fs"
	"log/slog"
	"net"
	"net/netip"
	"strings"
	"sync/atomic"
	"time"

	"github.com/gofiber/contrib/websocket"
	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/recover"
	"github.com/gofiber/fiber/v2/middleware/requestid"
	"github.com/gofiber/fiber/v2/utils"
	"github.com/roadshow/roadshow/internal/auth"
	"github.com/roadshow/roadshow/internal/events"
	"github.com/roadshow/roadshow/internal/metrics"
	"github.com/roadshow/roadshow/internal/relay"
	"github.com/roadshow/roadshow/roadshow"
	"github.com/valyala/fasthttp"
)

// knownMethod reports whether fiber routes method (the others it answers
// itself, in plain text).
func knownMethod(m []byte) bool {
	switch string(m) {
	case fiber.MethodGet, fiber.MethodHead, fiber.MethodPost, fiber.MethodPut, fiber.MethodDelete,
		fiber.MethodConnect, fiber.MethodOptions, fiber.MethodTrace, fiber.MethodPatch:
		return true
	}
	return false
}

// Limits on requests.
const (
	// maxHeaderBytes bounds the request line and headers: past it the
	// answer is 431 in the one error shape.
	maxHeaderBytes = 16 << 10
	MaxJSONBody    = 1 << 20
	StoreTimeout   = 5 * time.Second
	LongTimeout    = 2 * time.Minute // planning, rankings, exports, uploads
)

// Config carries what the server needs; cmd/roadshow fills it.
type Config struct {
	Services *roadshow.Services
	Hub      *events.Hub // session events for the WebSocket
	Tokens   *auth.Tokens
	// Guard decides whether a verified token's account still accepts it
	// (disabled, deleted, role or password changed); nil: every token
	// that verifies works until it expires (route listings in tests).
	Guard *auth.Guard
	// MailStatus tells organizers whether e-mail is on and what waits;
	// nil: mail is off.
	MailStatus func(ctx context.Context) (roadshow.MailStatus, error)
	Clock      roadshow.Clock
	Logger     *slog.Logger
	UI         fs.FS // the web pages; nil serves the API only
	// PublicURL is the address people use, for links the server hands out
	// (calendar feeds, WHIP) and the one origin WebSocket pages may come
	// from; empty: the request's own, when it can be trusted (see linkBase).
	PublicURL string
	// FallbackURL is the server's own address (its listener), for links
	// when there is no PublicURL and the request's host cannot be trusted.
	FallbackURL string
	// TrustedProxies are the addresses (IPs or CIDR ranges) of the reverse
	// proxies whose X-Forwarded-For, -Host and -Proto are believed; none:
	// those headers are ignored.
	TrustedProxies []string
	// Limits bound log-ins, registrations and reset requests; zero fields
	// take DefaultLimits.
	Limits Limits
	// LoginSlots bound the log-ins in progress at once (each reads the
	// store and hashes), so that a flood queues here, briefly, instead of
	// in the store; nil: auth.NewSlots(0, 0), one per CPU.
	LoginSlots *auth.Slots
	// Relay is the live relay (WebRTC SFU); ICE lists the STUN and TURN
	// servers handed to participants; RoomTokenTTL is how long a room
	// token opens a room (zero: auth.DefaultRoomTTL).
	Relay        *relay.Relay
	ICE          relay.ICEConfig
	RoomTokenTTL time.Duration
	// ReadTimeout bounds the reading of one request, headers and body (0:
	// 60 s); tests shorten it.
	ReadTimeout time.Duration
	// Ping asks the store to answer, for /readyz; nil: never ready.
	Ping func(ctx context.Context) error
	// Metrics records the requests and log-in refusals; nil: none.
	Metrics *metrics.Metrics
	// MetricsToken, when set with Metrics, serves /metrics on this server
	// to requests bearing it; unset: /metrics is not on this server (serve
	// Metrics.Handler on a listener of its own).
	MetricsToken string
}

// Server is the HTTP server.
type Server struct {
	app     *fiber.App
	cfg     Config
	svc     *roadshow.Services
	log     *slog.Logger
	limits  limiters
	proxies []netip.Prefix
	// draining is set once Shutdown starts: /readyz says no from then on.
	draining       atomic.Bool
	metricsHandler fiber.Handler
	hsts           bool           // the public URL is https
	assets         *assets        // the web pages; nil: none
	patterns       []routePattern // every route, for 405 and OPTIONS
	openapi        []byte         // the OpenAPI document, built once
}

// New builds the fiber app with every route.
func New(cfg Config) *Server {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	cfg.Limits = cfg.Limits.withDefaults()
	if cfg.LoginSlots == nil {
		cfg.LoginSlots = auth.NewSlots(0, 0)
	}
	if cfg.ReadTimeout == 0 {
		cfg.ReadTimeout = 60 * time.Second
	}
	if cfg.RoomTokenTTL == 0 {
		cfg.RoomTokenTTL = auth.DefaultRoomTTL
	}
	if cfg.Services == nil {
		cfg.Services = &roadshow.Services{} // routes only, as tests list them
	}
	s := &Server{cfg: cfg, svc: cfg.Services, log: cfg.Logger, limits: newLimiters(cfg.Limits, cfg.Clock)}
	s.proxies = parseProxies(cfg.TrustedProxies, cfg.Logger)
	doc, err := openAPIDocument(apiRoutes())
	if err != nil {
		panic(err) // a route listed twice in openapi_routes.go: the tests say so first
	}
	s.openapi = doc
	proxyList := make([]string, 0, len(s.proxies))
	for _, p := range s.proxies {
		proxyList = append(proxyList, p.String())
	}
	s.app = fiber.New(fiber.Config{
		// fiber believes X-Forwarded-* only from these; the handlers ask
		// clientIP and linkBase, which follow the same list.
		EnableTrustedProxyCheck: true,
		TrustedProxies:          proxyList,
		AppName:                 "roadshow",
		DisableStartupMessage:   true,
		ErrorHandler:            s.handleError,
		// Bodies past this are streamed, not buffered: handlers read them
		// through readBody or the deck reader, each with its own cap.
		BodyLimit:         MaxJSONBody,
		StreamRequestBody: true,
		ReadTimeout:       cfg.ReadTimeout,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		ReadBufferSize:    maxHeaderBytes,
	})
	// fiber answers a method it does not know in plain text before any
	// handler: answer it in the one error shape instead.
	handler := s.app.Server().Handler
	s.app.Server().Handler = func(rctx *fasthttp.RequestCtx) {
		if !knownMethod(rctx.Method()) {
			c := s.app.AcquireCtx(rctx)
			defer s.app.ReleaseCtx(c)
			if s.hsts {
				c.Set(fiber.HeaderStrictTransportSecurity, hstsValue)
			}
			if allow := s.allowed(c.Path()); allow != nil {
				c.Set(fiber.HeaderAllow, strings.Join(allow, ", "))
			}
			_ = s.handleError(c, fiber.NewError(fiber.StatusNotImplemented, "unknown method"))
			return
		}
		handler(rctx)
	}
	s.hsts = strings.HasPrefix(cfg.PublicURL, "https://")
	s.metricsHandler = s.newMetricsHandler()
	s.app.Use(s.frame)
	s.app.Use(recover.New(recover.Config{EnableStackTrace: true, StackTraceHandler: func(c *fiber.Ctx, e any) {
		s.log.Error("panic", "requestId", c.Locals(requestid.ConfigDefault.ContextKey), "panic", e)
	}}))
	s.app.Use(requestid.New())
	s.app.Use(s.logRequests)
	s.app.Use(securityHeaders)
	s.app.Use(drainBody)
	s.app.Use(newCompress())
	s.routes()
	if cfg.UI != nil {
		a, err := loadAssets(cfg.UI)
		if err != nil {
			s.log.Error("the web pages are not served", "err", err)
		} else {
			s.assets = a
			s.staticRoutes()
		}
	}
	s.app.Use(s.unmatched)
	s.patterns = buildRoutes(s.app)
	return s
}

// App returns the fiber app, for tests.
func (s *Server) App() *fiber.App { return s.app }

// Serve accepts connections on ln until Shutdown.
func (s *Server) Serve(ln net.Listener) error { return s.app.Listener(ln) }

// Shutdown stops accepting, ends the event streams, and waits for open
// requests up to ctx's deadline.
func (s *Server) Shutdown(ctx context.Context) error {
	s.draining.Store(true)
	// The event streams end with "reconnect" (1013), which the pages follow
	// to the next server; left open, they would hold the shutdown until its
	// deadline (TestGracefulShutdown saw it wait).
	if s.cfg.Hub != nil {
		s.cfg.Hub.Close()
	}
	return s.app.ShutdownWithContext(ctx)
}

func (s *Server) routes() {
	// For load balancers and Prometheus: no token, no store work beyond a ping.
	s.app.Get("/healthz", s.healthz)
	s.app.Get("/readyz", s.readyz)
	if s.metricsHandler != nil && s.cfg.MetricsToken != "" {
		s.app.Get("/metrics", s.metricsRoute)
	}
	api := s.app.Group("/api/v1")
	svc := s.svc
	ok, created := fiber.StatusOK, fiber.StatusCreated

	// Public.
	api.Get("/openapi.json", s.getOpenAPI)
	api.Get("/industries", s.getIndustries)
	api.Get("/options", s.getOptions)
	accepted := fiber.StatusAccepted
	api.Post("/auth/register", limitedWith(accepted, func(r *registerRequest) func(*fiber.Ctx) error {
		return s.mailLimit(func() string { return r.Email })
	}, s.register))
	api.Post("/auth/login", s.countLoginRefusal, limitedWith(ok, func(r *loginRequest) func(*fiber.Ctx) error {
		return s.loginLimit(func() string { return r.Email })
	}, s.login))
	api.Post("/auth/forgot", limitedWith(accepted, func(r *forgotRequest) func(*fiber.Ctx) error {
		return s.mailLimit(func() string { return r.Email })
	}, s.forgot))
	api.Post("/auth/reset", limitedWith(ok, func(*resetRequest) func(*fiber.Ctx) error { return s.clientLimit }, s.reset))
	api.Post("/auth/confirm", with(ok, s.confirm))
	// One-click unsubscribe (RFC 8058): the token in the query is the proof.
	api.Post("/mail/unsubscribe", s.unsubscribe)
	// These two authenticate themselves: a token in the query (browsers
	// cannot set headers on a WebSocket, calendar apps cannot send one).
	api.Get("/sessions/:id/events", s.eventsUpgrade, websocket.New(s.events, websocket.Config{ReadBufferSize: 1024, WriteBufferSize: 4096}))
	api.Get("/me/calendar.ics", s.calendar)
	// A signed, short-lived link: the browser's PDF viewer in an <iframe>.
	api.Get("/applications/:id/deck/view", s.viewDeck)
	// The live room: the page's socket carries a room token in the query;
	// WHIP and WHEP take it (or an access token) as a Bearer header.
	api.Get("/sessions/:id/live", s.liveUpgrade, websocket.New(s.live, websocket.Config{ReadBufferSize: 4096, WriteBufferSize: 4096}))
	for _, kind := range []string{"whip", "whep"} {
		api.Post("/sessions/:id/"+kind, s.media(kind))
		api.Options("/sessions/:id/"+kind, mediaOptions)
		api.Patch("/sessions/:id/"+kind+"/:resource", s.trickle)
		api.Delete("/sessions/:id/"+kind+"/:resource", s.hangup)
	}

	// Every other route needs a signed-in caller.
	app, sess := applicationParam(), sessionParam()
	r := authed{r: api, auth: s.requireActor}
	r.Get("/me", handle(ok, StoreTimeout, func(c call) (*roadshow.User, error) { return svc.Users.Me(c.ctx, c.actor) }))
	r.Patch("/me", with(ok, svc.Users.UpdateProfile))
	r.Post("/me/password", with(ok, s.changePassword))
	r.Get("/me/calendar-link", s.calendarLink)
	r.Post("/me/calendar-link", s.regenerateCalendarLink)
	r.Post("/users", with(created, s.invite))
	r.Get("/users", handle(ok, StoreTimeout, s.listUsers))
	r.Get("/accounts", handle(ok, StoreTimeout, s.listAccounts))
	r.Patch("/accounts/:id", onIDWith(ok, accountParam(), svc.UserAdmin.Edit))
	r.Post("/accounts/:id/send-access", onID(ok, accountParam(), svc.UserAdmin.SendAccess))
	r.Get("/mail/status", handle(ok, StoreTimeout, s.mailStatus))
	r.Get("/edition", handle(ok, StoreTimeout, func(c call) (roadshow.EditionView, error) { return svc.Editions.View(c.ctx) }))
	r.Put("/edition", with(ok, s.putEdition))

	r.Post("/applications", with(created, svc.Applications.Create))
	r.Get("/applications", handle(ok, StoreTimeout, s.listApplications))
	r.Get("/applications/search", handle(ok, StoreTimeout, s.searchApplications))
	r.Get("/applications/queue/next", handle(ok, StoreTimeout, s.queueNext))
	r.Post("/applications/screening/bulk", handle(ok, LongTimeout, func(c call) (roadshow.BulkScreeningResponse, error) {
		var req bulkScreeningRequest
		if err := decodeJSON(c.c, &req); err != nil {
			return roadshow.BulkScreeningResponse{}, err
		}
		return s.screenMany(c.ctx, c.actor, req)
	}))
	r.Get("/applications/summary", handle(ok, StoreTimeout, func(c call) (roadshow.Summary, error) {
		return svc.Applications.Summary(c.ctx, c.actor)
	}))
	r.Get("/applications/:id", onID(ok, app, s.getApplication))
	r.Patch("/applications/:id", onIDWith(ok, app, svc.Applications.Update))
	r.Post("/applications/:id/submit", onID(ok, app, svc.Applications.Submit))
	r.Post("/applications/:id/withdraw", onID(ok, app, svc.Applications.Withdraw))
	r.Post("/applications/:id/reopen", onID(ok, app, svc.Applications.Reopen))
	r.Put("/applications/:id/deck", s.putDeck)
	r.Get("/applications/:id/deck", s.getDeck)
	r.Patch("/applications/:id/screening", onIDWith(ok, app, s.screen))
	r.Get("/applications/:id/neighbors", handle(ok, StoreTimeout, s.applicationNeighbors))
	r.Get("/applications/:id/duplicates", onID(ok, app, svc.Applications.Duplicates))
	r.Post("/applications/:id/deck/link", s.deckLink)
	r.Post("/applications/:id/conflicts", onIDWith(created, app, s.declareConflict))
	r.Get("/applications/:id/conflicts", onID(ok, app, items(svc.Judging.ListConflicts)))
	r.Post("/applications/:id/meetings", s.requestMeeting)
	r.Get("/meetings", handle(ok, StoreTimeout, s.listMeetings))

	r.Post("/sessions/plan", handle(created, LongTimeout, s.planSessions))
	r.Get("/sessions", handle(ok, StoreTimeout, func(c call) (listResponse[*roadshow.Session], error) {
		list, err := svc.Sessions.List(c.ctx, c.actor)
		return listResponse[*roadshow.Session]{Items: list}, err
	}))
	r.Get("/sessions/:id", onID(ok, sess, svc.Sessions.Get))
	r.Post("/sessions/:id/start", onID(ok, sess, svc.Sessions.Start))
	r.Post("/sessions/:id/next", onID(ok, sess, svc.Sessions.Next))
	r.Post("/sessions/:id/end", onID(ok, sess, svc.Sessions.End))
	r.Post("/sessions/:id/cancel", onID(ok, sess, svc.Sessions.Cancel))
	r.Post("/sessions/:id/move", onIDWith(ok, sess, s.moveTeam))
	r.Get("/sessions/:id/move-preview", handle(ok, StoreTimeout, s.previewMove))
	r.Put("/sessions/:id/order", onIDWith(ok, sess, s.reorderSession))
	r.Post("/sessions/:id/judges", onIDWith(ok, sess, s.addParticipant(roadshow.RoleJudge)))
	r.Delete("/sessions/:id/judges/:userId", handle(ok, StoreTimeout, s.removeParticipant(roadshow.RoleJudge)))
	r.Post("/sessions/:id/investors", onIDWith(ok, sess, s.addParticipant(roadshow.RoleInvestor)))
	r.Delete("/sessions/:id/investors/:userId", handle(ok, StoreTimeout, s.removeParticipant(roadshow.RoleInvestor)))
	r.Get("/sessions/:id/progress", onID(ok, sess, s.sessionProgress))
	r.Get("/sessions/:id/scores", onID(ok, sess, items(svc.Judging.MyScores)))
	r.Put("/sessions/:id/scores/:applicationId", handle(ok, StoreTimeout, s.saveScore))
	r.Post("/sessions/:id/scores/:applicationId/final", handle(ok, StoreTimeout, s.finalizeScore))
	r.Get("/sessions/:id/score-log", onID(ok, sess, items(svc.Judging.ScoreLog)))
	r.Get("/sessions/:id/results", onID(ok, sess, svc.Results.SessionResults))
	r.Get("/sessions/:id/completeness", onID(ok, sess, svc.Results.Completeness))
	r.Post("/sessions/:id/results/publish", onIDWith(ok, sess, s.publishResults))
	r.Post("/sessions/:id/results/withdraw", onIDWith(ok, sess, s.withdrawResults))
	r.Get("/results", handle(ok, LongTimeout, func(c call) (roadshow.ResultsView, error) {
		return svc.Results.IndustryResults(c.ctx, c.actor, utils.CopyString(c.c.Query("industry")))
	}))
	r.Post("/sessions/:id/live/token", onID(created, sess, s.roomToken))
	r.Get("/sessions/:id/ice", onID(ok, sess, s.ice))
	r.Get("/sessions/:id/live/room", onID(ok, sess, s.liveRoom))
	r.Post("/sessions/:id/live/mute", onIDWith(ok, sess, s.mute))
	r.Post("/sessions/:id/live/remove", onIDWith(ok, sess, s.remove))
	r.Get("/exports/applications.csv", s.exportApplications)
	r.Get("/exports/results.csv", s.exportResults)

	// Unknown API paths are JSON 404s (405 for a known path's wrong
	// method), never the UI's index page.
	api.Use(s.unmatched)
}

// longCtx is for the few calls that read many documents (planning,
// rankings, exports) or stream an upload.
func longCtx(c *fiber.Ctx) (context.Context, context.CancelFunc) {
	return context.WithTimeout(c.UserContext(), LongTimeout)
}

// storeCtx gives a handler's store calls a deadline: fasthttp's own context
// is never cancelled.
func storeCtx(c *fiber.Ctx) (context.Context, context.CancelFunc) {
	return context.WithTimeout(c.UserContext(), StoreTimeout)
}
