// Package http is Roadshow's HTTP interface: the fiber app with its routes,
// handlers, middleware and the one mapping from domain errors to statuses.
// Import it as roadshowhttp.
package http

import (
	"context"
	"io/fs"
	"log/slog"
	"net"
	"time"

	"github.com/gofiber/contrib/websocket"
	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/filesystem"
	"github.com/gofiber/fiber/v2/middleware/recover"
	"github.com/gofiber/fiber/v2/middleware/requestid"
	"github.com/roadshow/roadshow/internal/auth"
	"github.com/roadshow/roadshow/internal/events"
	"github.com/roadshow/roadshow/roadshow"
	nethttp "net/http"
)

// Limits on requests.
const (
	MaxJSONBody  = 1 << 20
	StoreTimeout = 5 * time.Second
)

// Config carries what the server needs; cmd/roadshow fills it.
type Config struct {
	Users        roadshow.UserService
	Applications *roadshow.Applications
	Sessions     *roadshow.Sessions
	Hub          *events.Hub // session events for the WebSocket
	Tokens       *auth.Tokens
	Clock        roadshow.Clock
	Logger       *slog.Logger
	UI           fs.FS // the web pages; nil serves the API only
	// PublicURL is the address people use, for links the server hands out
	// (calendar feeds); empty: the request's own scheme and host.
	PublicURL string
	// LoginLimit bounds log-in attempts per client address and e-mail; the
	// zero value uses DefaultLoginLimit.
	LoginLimit RateLimit
}

// Server is the HTTP server.
type Server struct {
	app     *fiber.App
	cfg     Config
	log     *slog.Logger
	limiter *limiter
}

// New builds the fiber app with every route.
func New(cfg Config) *Server {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.LoginLimit == (RateLimit{}) {
		cfg.LoginLimit = DefaultLoginLimit()
	}
	s := &Server{cfg: cfg, log: cfg.Logger, limiter: newLimiter(cfg.LoginLimit, cfg.Clock)}
	s.app = fiber.New(fiber.Config{
		AppName:               "roadshow",
		DisableStartupMessage: true,
		ErrorHandler:          s.handleError,
		// Bodies past this are streamed, not buffered: handlers read them
		// through readBody or the deck reader, each with its own cap.
		BodyLimit:         MaxJSONBody,
		StreamRequestBody: true,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
	})
	s.app.Use(recover.New(recover.Config{EnableStackTrace: true, StackTraceHandler: func(c *fiber.Ctx, e any) {
		s.log.Error("panic", "requestId", c.Locals(requestid.ConfigDefault.ContextKey), "panic", e)
	}}))
	s.app.Use(requestid.New())
	s.app.Use(s.logRequests)
	s.app.Use(securityHeaders)
	s.app.Use(drainBody)
	s.routes()
	if cfg.UI != nil {
		s.app.Use("/", filesystem.New(filesystem.Config{
			Root:         nethttp.FS(cfg.UI),
			Index:        "index.html",
			NotFoundFile: "index.html",
			MaxAge:       0,
		}))
	}
	return s
}

// App returns the fiber app, for tests.
func (s *Server) App() *fiber.App { return s.app }

// Serve accepts connections on ln until Shutdown.
func (s *Server) Serve(ln net.Listener) error { return s.app.Listener(ln) }

// Shutdown stops accepting and waits for open requests up to ctx's deadline.
func (s *Server) Shutdown(ctx context.Context) error { return s.app.ShutdownWithContext(ctx) }

func (s *Server) routes() {
	api := s.app.Group("/api/v1")
	api.Get("/industries", s.getIndustries)
	api.Get("/options", s.getOptions)
	api.Post("/auth/register", s.register)
	api.Post("/auth/login", s.login)

	// Every other route requires a valid token and names its roles: deny by
	// default.
	all := []roadshow.Role{roadshow.RoleApplicant, roadshow.RoleJudge, roadshow.RoleInvestor, roadshow.RoleOrganizer}
	org := s.allow(roadshow.RoleOrganizer)
	applicant := s.allow(roadshow.RoleApplicant)
	api.Get("/me", s.allow(all...), s.me)
	api.Post("/users", org, s.createUser)

	api.Post("/applications", applicant, s.createApplication)
	api.Get("/applications", s.allow(roadshow.RoleApplicant, roadshow.RoleOrganizer), s.listApplications)
	api.Get("/applications/summary", org, s.applicationSummary)
	api.Get("/applications/:id", s.allow(all...), s.getApplication)
	api.Patch("/applications/:id", applicant, s.updateApplication)
	api.Post("/applications/:id/submit", applicant, s.submitApplication)
	api.Post("/applications/:id/withdraw", applicant, s.withdrawApplication)
	api.Put("/applications/:id/deck", applicant, s.putDeck)
	api.Get("/applications/:id/deck", s.allow(all...), s.getDeck)
	api.Patch("/applications/:id/screening", org, s.screenApplication)
	api.Post("/applications/:id/conflicts", s.allow(roadshow.RoleJudge, roadshow.RoleOrganizer), s.declareConflict)
	api.Get("/applications/:id/conflicts", org, s.listConflicts)

	api.Get("/users", org, s.listUsers)
	api.Get("/edition", s.allow(all...), s.getEdition)
	api.Put("/edition", org, s.putEdition)

	judge := s.allow(roadshow.RoleJudge)
	api.Post("/sessions/plan", org, s.planSessions)
	api.Get("/sessions", s.allow(all...), s.listSessions)
	api.Get("/sessions/:id", s.allow(all...), s.getSession)
	api.Post("/sessions/:id/start", org, s.sessionAction((*roadshow.Sessions).Start))
	api.Post("/sessions/:id/next", org, s.sessionAction((*roadshow.Sessions).Next))
	api.Post("/sessions/:id/end", org, s.sessionAction((*roadshow.Sessions).End))
	api.Post("/sessions/:id/cancel", org, s.sessionAction((*roadshow.Sessions).Cancel))
	api.Post("/sessions/:id/move", org, s.moveTeam)
	api.Put("/sessions/:id/order", org, s.reorderSession)
	api.Post("/sessions/:id/judges", org, s.participant(roadshow.RoleJudge, true))
	api.Delete("/sessions/:id/judges/:userId", org, s.participant(roadshow.RoleJudge, false))
	api.Post("/sessions/:id/investors", org, s.participant(roadshow.RoleInvestor, true))
	api.Delete("/sessions/:id/investors/:userId", org, s.participant(roadshow.RoleInvestor, false))
	api.Get("/sessions/:id/progress", s.allow(roadshow.RoleJudge, roadshow.RoleOrganizer), s.sessionProgress)
	api.Get("/sessions/:id/scores", judge, s.myScores)
	api.Put("/sessions/:id/scores/:applicationId", judge, s.saveScore)
	api.Post("/sessions/:id/scores/:applicationId/final", judge, s.finalizeScore)
	api.Get("/sessions/:id/score-log", org, s.scoreLog)
	api.Get("/sessions/:id/results", s.allow(all...), s.sessionResults)
	api.Post("/sessions/:id/results/publish", org, s.sessionAction((*roadshow.Sessions).Publish))
	// The event stream authenticates itself (a token in the query).
	api.Get("/sessions/:id/events", s.eventsUpgrade, websocket.New(s.events, websocket.Config{ReadBufferSize: 1024, WriteBufferSize: 4096}))
	api.Get("/results", org, s.industryResults)

	api.Get("/me/calendar-link", s.allow(all...), s.calendarLink)
	// The feed authenticates itself: a bearer token or a calendar token.
	api.Get("/me/calendar.ics", s.calendar)
	api.Get("/exports/applications.csv", org, s.exportApplications)
	api.Get("/exports/results.csv", org, s.exportResults)

	// Unknown API paths are JSON 404s, never the UI's index page.
	api.Use(func(c *fiber.Ctx) error {
		return roadshow.Errorf(roadshow.ENOTFOUND, "No such API route: %s %s.", c.Method(), c.Path())
	})
}

// longCtx is for the few calls that read many documents (planning,
// rankings, exports).
func longCtx(c *fiber.Ctx) (context.Context, context.CancelFunc) {
	return context.WithTimeout(c.UserContext(), 2*time.Minute)
}

// storeCtx gives a handler's store calls a deadline: fasthttp's own context
// is never cancelled.
func storeCtx(c *fiber.Ctx) (context.Context, context.CancelFunc) {
	return context.WithTimeout(c.UserContext(), StoreTimeout)
}
