// Command roadshow runs the Roadshow platform: the API, the web UI and the
// embedded store, plus tools (demo data, accounts, benchmarks).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"
	"time"
	_ "time/tzdata" // time zones do not depend on the host (Docker images have none)

	"github.com/roadshow/roadshow/internal/auth"
	"github.com/roadshow/roadshow/internal/events"
	roadshowhttp "github.com/roadshow/roadshow/internal/http"
	"github.com/roadshow/roadshow/internal/mail"
	"github.com/roadshow/roadshow/internal/metrics"
	"github.com/roadshow/roadshow/internal/mongodb"
	"github.com/roadshow/roadshow/internal/mongodb/embedded"
	"github.com/roadshow/roadshow/roadshow"
	"github.com/roadshow/roadshow/ui"
	"go.mongodb.org/mongo-driver/event"
)

func main() {
	// The first SIGTERM or SIGINT shuts down gracefully (see serve); a
	// second one exits at once.
	ctx, cancel := context.WithCancel(context.Background())
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	go func() {
		<-sigs
		cancel()
		<-sigs
		fmt.Fprintln(os.Stderr, "roadshow: second signal: exiting now")
		os.Exit(1)
	}()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr, nil); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "roadshow:", err)
		}
		os.Exit(2)
	}
}

// run is the whole program; tests call it with their own environment. When
// ready is non-nil, serve calls it with the base URL once it accepts
// connections.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer, ready func(baseURL string)) error {
	cmd := "serve"
	if len(args) > 0 && len(args[0]) > 0 && args[0][0] != '-' {
		cmd, args = args[0], args[1:]
	}
	fs := newFlagSet()
	fs.SetOutput(stderr)
	fs.Usage = func() { usage(stdout, fs) }
	switch cmd {
	case "serve":
		cfg, err := parseConfig(fs, args, getenv)
		if err != nil {
			return err
		}
		return serve(ctx, cfg, stderr, ready)
	case "demo":
		n := fs.Int("applications", 200, "how many applications to create")
		cfg, err := parseConfig(fs, args, getenv)
		if err != nil {
			return err
		}
		return demo(ctx, cfg, *n, stdout, stderr)
	case "user":
		if len(args) == 0 || args[0] != "add" {
			return errors.New(`usage: roadshow user add --role organizer --email E --name N`)
		}
		role := fs.String("role", "organizer", "role of the new account: organizer, judge or investor")
		email := fs.String("email", "", "e-mail of the new account")
		name := fs.String("name", "", "name of the new account")
		cfg, err := parseConfig(fs, args[1:], getenv)
		if err != nil {
			return err
		}
		return addUser(ctx, cfg, roadshow.Role(*role), *email, *name, getenv("ROADSHOW_USER_PASSWORD"), stdin, stdout, stderr)
	case "bench":
		sizes := fs.String("sizes", "2000,20000", "collection sizes at which to measure the list and summary latency")
		submits := fs.Int("submits", 300, "applications to create and submit through the API for the throughput figure")
		cfg, err := parseConfig(fs, args, getenv)
		if err != nil {
			return err
		}
		return bench(ctx, cfg, *sizes, *submits, stdout, stderr)
	case "loadtest":
		o, err := parseLoadtestFlags(fs, args, getenv)
		if err != nil {
			return err
		}
		return loadtest(ctx, o, stdout, stderr)
	case "flood":
		clients := fs.Int("clients", 400, "concurrent clients sending bad log-ins, each from its own address")
		attempts := fs.Int("attempts", 3, "bad log-ins each client sends, one after the other")
		cfg, err := parseConfig(fs, args, getenv)
		if err != nil {
			return err
		}
		return flood(ctx, cfg, *clients, *attempts, stdout, stderr)
	case "backup":
		out := fs.String("out", "", "archive to write (a .tar.gz); it must not exist")
		tmp := fs.String("tmp-dir", "", "directory for the store's copy and temporary files (default: the system's)")
		cfg, err := parseConfig(fs, args, getenv)
		if err != nil {
			return err
		}
		return backup(ctx, cfg, *out, *tmp, stdout, stderr)
	case "restore":
		in := fs.String("in", "", "archive written by roadshow backup")
		force := fs.Bool("force", false, "replace the contents of a store that is not empty")
		cfg, err := parseConfig(fs, args, getenv)
		if err != nil {
			return err
		}
		return restore(ctx, cfg, *in, *force, stdout, stderr)
	case "help":
		usage(stdout, fs)
		return nil
	}
	return fmt.Errorf("unknown command %q; see roadshow --help", cmd)
}

func newFlagSet() *flag.FlagSet {
	fs := flag.NewFlagSet("roadshow", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return fs
}

func newLogger(w io.Writer, level slog.Level) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: level}))
}

// store is an open database, embedded or external.
type store struct {
	db       *mongodb.DB
	embedded *embedded.Server
}

// openStore connects to ROADSHOW_MONGO_URI, or starts the embedded server
// under the data directory and connects to it.
func openStore(ctx context.Context, cfg config, log *slog.Logger) (*store, error) {
	return openStoreWatched(ctx, cfg, log, nil)
}

// openStoreWatched is openStore with the driver's commands seen by monitor
// (nil: none).
func openStoreWatched(ctx context.Context, cfg config, log *slog.Logger, monitor *event.CommandMonitor) (*store, error) {
	if cfg.MongoURI != "" {
		db, err := mongodb.Open(ctx, cfg.MongoURI, cfg.MongoDB, mongodb.Options{Monitor: monitor})
		if err != nil {
			return nil, err
		}
		if err := db.BackfillSearch(ctx); err != nil {
			_ = db.Close(context.Background())
			return nil, err
		}
		return &store{db: db}, nil
	}
	srv, err := embedded.Start(ctx, embedded.Options{Dir: cfg.DataDir, Logger: log})
	if err != nil {
		return nil, fmt.Errorf("start embedded store: %w", err)
	}
	db, err := mongodb.Open(ctx, srv.URI(), cfg.MongoDB, mongodb.Options{SingleWriter: true, Dialer: srv.Dialer(), Monitor: monitor})
	if err != nil {
		srv.Close()
		return nil, err
	}
	// The collections exist now: give their tables the _id index FerretDB's
	// queries can use (README, "Layout"; internal/mongodb/embedded).
	if err := srv.EnsureIDIndexes(ctx, cfg.MongoDB); err != nil {
		db.Close(context.Background())
		srv.Close()
		return nil, fmt.Errorf("index embedded store: %w", err)
	}
	return &store{db: db, embedded: srv}, nil
}

func (s *store) Close() {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_ = s.db.Close(ctx)
	if s.embedded != nil {
		_ = s.embedded.Close()
	}
}

func serve(ctx context.Context, cfg config, stderr io.Writer, ready func(string)) error {
	log := newLogger(stderr, cfg.LogLevel)
	m := metrics.New()
	st, err := openStoreWatched(ctx, cfg, log, m.StoreMonitor())
	if err != nil {
		return err
	}
	defer st.Close()
	clock := roadshow.SystemClock{}
	if err := st.db.Applications().RepairCounters(ctx); err != nil {
		return err
	}
	if err := bootstrap(ctx, cfg, users(st.db, clock), log); err != nil {
		return err
	}
	key, err := auth.LoadOrCreateKey(cfg.JWTSecret, cfg.DataDir)
	if err != nil {
		return err
	}
	tokens, err := auth.NewTokens(key, cfg.TokenTTL, clock)
	if err != nil {
		return err
	}
	lv, err := startLive(ctx, cfg.Live, key, log)
	if err != nil {
		return err
	}
	defer lv.Close()
	if cfg.PprofAddr != "" {
		stop, err := servePprof(cfg.PprofAddr, log)
		if err != nil {
			return err
		}
		defer stop()
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.Addr, err)
	}
	base := baseURL(ln.Addr())
	srv, outbox, err := newHTTPServer(cfg, st, tokens, clock, log, lv, base, m)
	if err != nil {
		ln.Close()
		return err
	}
	m.Register(metrics.NewRelayCollector(lv.relay.Stats))
	m.Register(metrics.NewOutboxCollector(outbox))
	if cfg.MetricsAddr != "" {
		stop, err := serveMetrics(cfg.MetricsAddr, m, log)
		if err != nil {
			ln.Close()
			return err
		}
		defer stop()
	}
	outbox.Start()
	defer outbox.Close()
	if cfg.PublicURL == "" {
		log.Info("ROADSHOW_PUBLIC_URL is unset: links in e-mails point at " + base + "; set it to the address people use")
	}
	log.Info("roadshow is serving", "url", base, "dataDir", cfg.DataDir, "embeddedStore", st.embedded != nil,
		"webrtcUDP", fmt.Sprint(lv.relay.UDPAddrs()), "turn", lv.turn != nil, "mail", outbox.Enabled())
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	if ready != nil {
		ready(base)
	}
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdown(srv, errc, lv, outbox, cfg.ShutdownTimeout, stderr, log)
	return nil
}

// shutdown stops serving in the order that loses nothing: the live rooms'
// participants hear that the server restarts (their pages reconnect to the
// next one), the listener closes and the requests in flight get until the
// deadline to finish, then the outbox sends what is due. The caller closes
// the store after. Past the deadline, what still runs is cut off.
func shutdown(srv *roadshowhttp.Server, errc <-chan error, lv *live, outbox *mail.Outbox, timeout time.Duration, stderr io.Writer, log *slog.Logger) {
	log.Info("shutting down: finishing the requests in flight", "timeout", timeout)
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	// The relay's bye ("room.server_closing") ends each room socket; the
	// pages show it and reconnect. (The TURN server closes with the rest.)
	_ = lv.relay.Close()
	if err := srv.Shutdown(ctx); err != nil {
		log.Warn("requests still in flight at the shutdown deadline were cut off", "err", err)
	} else {
		<-errc
	}
	outbox.Close()
	outbox.Flush(ctx)
	log.Info("roadshow stopped")
	// slog writes through unbuffered; a file may still hold it in the
	// kernel's cache: ask for it to be written.
	if f, ok := stderr.(*os.File); ok {
		_ = f.Sync()
	}
}

// newHTTPServer wires the stores, the domain services, the outbox and the
// HTTP server, the same way for serve and bench. base is the server's own
// address, for links when ROADSHOW_PUBLIC_URL is unset. The caller starts
// and closes the outbox's sender.
func newHTTPServer(cfg config, st *store, tokens *auth.Tokens, clock roadshow.Clock, log *slog.Logger, lv *live, base string, m *metrics.Metrics) (*roadshowhttp.Server, *mail.Outbox, error) {
	hub := events.NewHub()
	linkBase := cfg.PublicURL
	if linkBase == "" {
		linkBase = base
	}
	var sender mail.Sender
	if cfg.SMTP.Host != "" {
		smtp, err := mail.NewSMTP(cfg.SMTP)
		if err != nil {
			return nil, nil, err
		}
		sender = smtp
	}
	outbox := mail.NewOutbox(mail.Config{Store: st.db.Outbox(), Sender: sender, BaseURL: linkBase, Clock: clock, Logger: log,
		Unsubscribe: func(userID string) (string, error) {
			tok, err := tokens.IssueUnsubscribe(userID)
			return linkBase + "/api/v1/mail/unsubscribe?token=" + tok, err
		}})
	userStore := st.db.Users()
	guard := auth.NewGuard(func(ctx context.Context, id string) (roadshow.TokenState, error) {
		u, err := userStore.UserByID(ctx, id)
		if err != nil {
			return roadshow.TokenState{}, err
		}
		return u.TokenState(), nil
	}, 0, clock)
	// Session changes reach the pages' event streams and the live rooms; a
	// revoked account is forgotten by the guard, then leaves the rooms its
	// token no longer admits it to.
	services := roadshow.NewServices(st.db.Stores(), roadshow.ServiceOptions{
		Clock: clock, Passwords: auth.NewPasswords(cfg.PasswordSlots, 0), Events: roadshow.Publishers{hub, lv.relay},
		Deadline: cfg.Deadline, Post: outbox, Revoker: roadshow.TokenRevokers{guard, lv.relay},
	})
	return roadshowhttp.New(roadshowhttp.Config{
		Services:       services,
		Hub:            hub,
		Tokens:         tokens,
		Guard:          guard,
		MailStatus:     outbox.Status,
		Clock:          clock,
		Logger:         log,
		UI:             ui.FS(),
		PublicURL:      cfg.PublicURL,
		FallbackURL:    base,
		TrustedProxies: cfg.TrustedProxies,
		Limits:         cfg.limits,
		LoginSlots:     auth.NewSlots(cfg.PasswordSlots, 0),
		Relay:          lv.relay,
		ICE:            lv.ice,
		RoomTokenTTL:   cfg.Live.RoomTokenTTL,
		Ping:           st.db.Ping,
		Metrics:        m,
		MetricsToken:   cfg.MetricsToken,
	}), outbox, nil
}

// users is the account service over the database, for the commands that
// make accounts without a server.
func users(db *mongodb.DB, clock roadshow.Clock) *roadshow.UserService {
	return &roadshow.UserService{Accounts: roadshow.Accounts{Store: db.Users(), Links: db.Links(), Passwords: auth.NewPasswords(0, time.Minute), Clock: clock}}
}

func baseURL(a net.Addr) string {
	tcp, ok := a.(*net.TCPAddr)
	if !ok {
		return "http://" + a.String()
	}
	host := tcp.IP.String()
	if tcp.IP.IsUnspecified() {
		host = "localhost"
	}
	return fmt.Sprintf("http://%s", net.JoinHostPort(host, fmt.Sprint(tcp.Port)))
}

// bootstrap creates the first organizer from ROADSHOW_ADMIN_EMAIL and
// ROADSHOW_ADMIN_PASSWORD when no organizer exists. It never changes an
// existing account.
func bootstrap(ctx context.Context, cfg config, users *roadshow.UserService, log *slog.Logger) error {
	has, err := users.HasOrganizer(ctx)
	if err != nil {
		return err
	}
	if has {
		return nil
	}
	if cfg.AdminEmail == "" {
		log.Warn("no organizer account exists yet; create one with: roadshow user add --role organizer --email you@example.com --name \"Your Name\" (or set ROADSHOW_ADMIN_EMAIL and ROADSHOW_ADMIN_PASSWORD)")
		return nil
	}
	_, err = users.AddStaff(ctx, roadshow.NewUser{Email: cfg.AdminEmail, Password: cfg.AdminPassword, Name: "Organizer", Role: roadshow.RoleOrganizer})
	if roadshow.ErrorCode(err) == roadshow.ECONFLICT {
		log.Warn("ROADSHOW_ADMIN_EMAIL belongs to an existing account; it was left unchanged", "email", cfg.AdminEmail)
		return nil
	} else if err != nil {
		return fmt.Errorf("create first organizer: %w", err)
	}
	log.Info("created the first organizer", "email", roadshow.NormalizeEmail(cfg.AdminEmail))
	return nil
}

func addUser(ctx context.Context, cfg config, role roadshow.Role, email, name, password string, stdin io.Reader, stdout, stderr io.Writer) error {
	if password == "" {
		fmt.Fprint(stderr, "Password (at least 10 characters): ")
		var line string
		if _, err := fmt.Fscanln(stdin, &line); err != nil {
			return fmt.Errorf("read password: %w", err)
		}
		password = line
	}
	log := newLogger(stderr, cfg.LogLevel)
	st, err := openStore(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer st.Close()
	u, err := users(st.db, roadshow.SystemClock{}).AddStaff(ctx, roadshow.NewUser{Email: email, Password: password, Name: name, Role: role})
	if err != nil {
		return explain(err)
	}
	fmt.Fprintf(stdout, "created %s %s (%s)\n", u.Role, u.Email, u.ID)
	return nil
}

// explain writes a domain error for the terminal: its message and each
// field's, in English.
func explain(err error) error {
	fields := roadshow.ErrorFields(err)
	if len(fields) == 0 {
		return err
	}
	names := make([]string, 0, len(fields))
	for f := range fields {
		names = append(names, f)
	}
	slices.Sort(names)
	parts := make([]string, 0, len(names))
	for _, f := range names {
		parts = append(parts, f+": "+fields[f].Message)
	}
	return fmt.Errorf("%s %s", roadshow.ErrorMessage(err), strings.Join(parts, "; "))
}
