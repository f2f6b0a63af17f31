package http_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	nethttp "net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/roadshow/roadshow/internal/auth"
	"github.com/roadshow/roadshow/internal/events"
	roadshowhttp "github.com/roadshow/roadshow/internal/http"
	"github.com/roadshow/roadshow/internal/mail"
	"github.com/roadshow/roadshow/internal/metrics"
	"github.com/roadshow/roadshow/internal/mongodb"
	"github.com/roadshow/roadshow/internal/mongodb/embedded"
	"github.com/roadshow/roadshow/internal/relay"
	"github.com/roadshow/roadshow/roadshow"
	"github.com/roadshow/roadshow/ui"
)

// testServer is a real server on a loopback port over the embedded store.
type testServer struct {
	URL    string
	DB     *mongodb.DB
	Key    []byte
	Clock  *fixedClock
	Hub    *events.Hub
	Relay  *relay.Relay
	Tokens *auth.Tokens
	// Root is the server's own address (URL is its API's); Store is the
	// embedded store (tests stop it); Metrics is set with serverOpts.Metrics.
	Root    string
	Store   *embedded.Server
	Metrics *metrics.Metrics
	client  *nethttp.Client
	raw     *nethttp.Client // no transparent decompression (see root)
}

// fixedClock is settable so that tests can move past deadlines and expiries.
type fixedClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fixedClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Advance moves the clock on by d.
func (c *fixedClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

type serverOpts struct {
	Deadline time.Time
	// Limits: zero fields are lifted (tests sign many people in from one
	// address); set one to test it.
	Limits roadshowhttp.Limits
	// Post receives the mail; nil: an outbox in the store, mail off.
	Post roadshow.Postbox
	// PublicURL and TrustedProxies as in roadshowhttp.Config.
	PublicURL      string
	TrustedProxies []string
	// PasswordSlots and PasswordWait bound the hashing (0: defaults).
	PasswordSlots int
	PasswordWait  time.Duration
	// SMTP, when set, sends the outbox's mail there (a Mailpit).
	SMTP *mail.SMTPConfig
	// ReadTimeout as in roadshowhttp.Config.
	ReadTimeout time.Duration
	// Metrics records the server's metrics (its store's, relay's and
	// outbox's included) and serves them at /metrics to metricsToken.
	Metrics bool
	// UI serves the web pages.
	UI bool
}

// metricsToken opens /metrics on a test server with serverOpts.Metrics.
const metricsToken = "metrics-token-for-tests"

// lifted returns l with every zero limit made one no test reaches.
func lifted(l roadshowhttp.Limits) roadshowhttp.Limits {
	lots := roadshowhttp.RateLimit{Burst: 1 << 20, Every: time.Millisecond}
	for _, p := range []*roadshowhttp.RateLimit{&l.LoginClient, &l.LoginAccount, &l.LoginGlobal, &l.SignUpClient, &l.MailAddress} {
		if *p == (roadshowhttp.RateLimit{}) {
			*p = lots
		}
	}
	return l
}

func MustServer(tb testing.TB, opts serverOpts) *testServer {
	tb.Helper()
	ctx := context.Background()
	dir := tb.TempDir()
	log := slog.New(slog.NewTextHandler(testLogWriter{tb}, nil))
	es, err := embedded.Start(ctx, embedded.Options{Dir: dir, Logger: log})
	if err != nil {
		tb.Fatalf("start embedded store: %v", err)
	}
	tb.Cleanup(func() { es.Close() })
	var m *metrics.Metrics
	if opts.Metrics {
		m = metrics.New()
	}
	db, err := mongodb.Open(ctx, es.URI(), "roadshow", mongodb.Options{SingleWriter: true, Dialer: es.Dialer(), Monitor: m.StoreMonitor()})
	if err != nil {
		tb.Fatalf("open store: %v", err)
	}
	tb.Cleanup(func() { db.Close(context.Background()) })
	if err := es.EnsureIDIndexes(ctx, "roadshow"); err != nil {
		tb.Fatalf("ensure indexes: %v", err)
	}
	clock := &fixedClock{t: time.Now().UTC().Truncate(time.Millisecond)}
	key := bytes.Repeat([]byte("k"), 32)
	tokens, err := auth.NewTokens(key, time.Hour, clock)
	if err != nil {
		tb.Fatal(err)
	}
	hub := events.NewHub()
	rl, err := relay.New(relay.Config{Loopback: true, Logger: log})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = rl.Close() })
	users := db.Users()
	guard := auth.NewGuard(func(ctx context.Context, id string) (roadshow.TokenState, error) {
		u, err := users.UserByID(ctx, id)
		if err != nil {
			return roadshow.TokenState{}, err
		}
		return u.TokenState(), nil
	}, 0, clock)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	base := "http://" + ln.Addr().String()
	post := opts.Post
	var outbox *mail.Outbox
	if post == nil {
		var sender mail.Sender
		if opts.SMTP != nil {
			smtp, err := mail.NewSMTP(*opts.SMTP)
			if err != nil {
				tb.Fatal(err)
			}
			sender = smtp
		}
		outbox = mail.NewOutbox(mail.Config{Store: db.Outbox(), Sender: sender, BaseURL: base, Clock: clock, Logger: log,
			Unsubscribe: func(id string) (string, error) {
				tok, err := tokens.IssueUnsubscribe(id)
				return base + "/api/v1/mail/unsubscribe?token=" + tok, err
			}})
		outbox.Start()
		tb.Cleanup(outbox.Close)
		post = outbox
	}
	services := roadshow.NewServices(db.Stores(), roadshow.ServiceOptions{Clock: clock,
		Passwords: auth.NewPasswords(opts.PasswordSlots, opts.PasswordWait),
		Events:    roadshow.Publishers{hub, rl}, Deadline: opts.Deadline, Post: post, Revoker: roadshow.TokenRevokers{guard, rl}})
	cfg := roadshowhttp.Config{
		Services:       services,
		Hub:            hub,
		Tokens:         tokens,
		Guard:          guard,
		Clock:          clock,
		Logger:         log,
		Limits:         lifted(opts.Limits),
		Relay:          rl,
		PublicURL:      opts.PublicURL,
		TrustedProxies: opts.TrustedProxies,
		ReadTimeout:    opts.ReadTimeout,
		LoginSlots:     auth.NewSlots(opts.PasswordSlots, opts.PasswordWait),
		Ping:           db.Ping,
	}
	if outbox != nil {
		cfg.MailStatus = outbox.Status
	}
	if opts.UI {
		cfg.UI = ui.FS()
	}
	if m != nil {
		cfg.Metrics, cfg.MetricsToken = m, metricsToken
		m.Register(metrics.NewRelayCollector(rl.Stats))
		if outbox != nil {
			m.Register(metrics.NewOutboxCollector(outbox))
		}
	}
	cfg.FallbackURL = base
	srv := roadshowhttp.New(cfg)
	done := make(chan struct{})
	go func() { defer close(done); _ = srv.Serve(ln) }()
	tb.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
		<-done
	})
	return &testServer{URL: "http://" + ln.Addr().String() + "/api/v1", DB: db, Key: key, Clock: clock, Hub: hub, Relay: rl,
		Tokens: tokens, Root: base, Store: es, Metrics: m, client: &nethttp.Client{Timeout: 60 * time.Second,
			// Every response a test gets is checked against the OpenAPI document.
			Transport: openAPICheck{tb: tb, doc: loadAPIDoc(tb), next: nethttp.DefaultTransport}},
		raw: rawClient(tb)}
}

// rawClient is a client that shows the bytes as sent: it neither asks for
// gzip nor decompresses (nor checks them against the OpenAPI document,
// which describes the decoded bodies).
func rawClient(tb testing.TB) *nethttp.Client {
	tr := &nethttp.Transport{DisableCompression: true}
	tb.Cleanup(tr.CloseIdleConnections)
	return &nethttp.Client{Transport: tr, Timeout: 60 * time.Second}
}

// response is a decoded reply.
type response struct {
	Status int
	Header nethttp.Header
	Body   []byte
}

func (r response) JSON(tb testing.TB, v any) {
	tb.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		tb.Fatalf("decode %s: %v", r.Body, err)
	}
}

// errorReply is the one shape of every error.
type errorReply struct {
	Error struct {
		Code    string                      `json:"code"`
		Key     string                      `json:"key"`
		Args    map[string]any              `json:"args"`
		Message string                      `json:"message"`
		Fields  map[string]roadshow.Message `json:"fields"`
	} `json:"error"`
}

// ErrorReply decodes an error reply, checking its shape: a code, a
// registered message key with its arguments, the English message, and the
// same for every field.
func (r response) ErrorReply(tb testing.TB) errorReply {
	tb.Helper()
	var e errorReply
	r.JSON(tb, &e)
	if e.Error.Code == "" || e.Error.Message == "" || e.Error.Key == "" || e.Error.Args == nil {
		tb.Fatalf("error reply without code, key, args or message: %s", r.Body)
	}
	if _, ok := roadshow.MessageTemplate(e.Error.Key); !ok {
		tb.Fatalf("error reply with an unregistered key %q: %s", e.Error.Key, r.Body)
	}
	for f, m := range e.Error.Fields {
		if _, ok := roadshow.MessageTemplate(m.Key); !ok || m.Message == "" {
			tb.Fatalf("field %s: no registered key or no message: %s", f, r.Body)
		}
	}
	return e
}

// ErrorCode returns the code of an error reply, checking its shape.
func (r response) ErrorCode(tb testing.TB) string {
	tb.Helper()
	return r.ErrorReply(tb).Error.Code
}

// Key returns the message key of an error reply, checking its shape.
func (r response) Key(tb testing.TB) string {
	tb.Helper()
	return r.ErrorReply(tb).Error.Key
}

// Fields returns the English message of each field error of an error reply.
func (r response) Fields(tb testing.TB) map[string]string {
	tb.Helper()
	out := map[string]string{}
	for f, m := range r.ErrorReply(tb).Error.Fields {
		out[f] = m.Message
	}
	return out
}

// Do sends a request; body may be nil, a []byte, an io.Reader or a value to encode as JSON.
func (s *testServer) Do(tb testing.TB, method, path, token string, body any, hdr ...string) response {
	tb.Helper()
	var r io.Reader
	ct := ""
	switch b := body.(type) {
	case nil:
	case []byte:
		r, ct = bytes.NewReader(b), "application/json"
	case string:
		r, ct = strings.NewReader(b), "application/json"
	case io.Reader:
		r = b
	default:
		buf, err := json.Marshal(b)
		if err != nil {
			tb.Fatal(err)
		}
		r, ct = bytes.NewReader(buf), "application/json"
	}
	req, err := nethttp.NewRequest(method, s.URL+path, r)
	if err != nil {
		tb.Fatal(err)
	}
	if ct != "" {
		req.Header.Set("Content-Type", ct)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return send(tb, s.client, req, hdr...)
}

// send sets the header pairs hdr on req, sends it with c and reads the
// whole answer.
func send(tb testing.TB, c *nethttp.Client, req *nethttp.Request, hdr ...string) response {
	tb.Helper()
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := c.Do(req)
	if err != nil {
		tb.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		tb.Fatalf("%s %s: read body: %v", req.Method, req.URL.Path, err)
	}
	return response{Status: resp.StatusCode, Header: resp.Header, Body: data}
}

// Must sends a request and fails unless the status is want.
func (s *testServer) Must(tb testing.TB, want int, method, path, token string, body any) response {
	tb.Helper()
	r := s.Do(tb, method, path, token, body)
	if r.Status != want {
		tb.Fatalf("%s %s: got status %d, want %d: %s", method, path, r.Status, want, r.Body)
	}
	return r
}

// user is a logged-in account.
type user struct {
	ID, Email, Token string
	Role             roadshow.Role
}

// MustApplicant registers and logs in an applicant.
func (s *testServer) MustApplicant(tb testing.TB, email string) user {
	tb.Helper()
	s.Must(tb, 202, "POST", "/auth/register", "", map[string]any{"email": email, "password": "correct-horse-1", "name": "Ada Founder", "country": "DE"})
	return s.MustLogin(tb, email, "correct-horse-1")
}

// MustStaff creates an organizer, judge or investor directly in the store and logs in.
func (s *testServer) MustStaff(tb testing.TB, role roadshow.Role, email string) user {
	tb.Helper()
	hash, err := auth.HashPassword("staff-password-1")
	if err != nil {
		tb.Fatal(err)
	}
	u := &roadshow.User{Email: email, Name: string(role), Role: role, PasswordHash: hash, CreatedAt: s.Clock.Now()}
	if err := s.DB.Users().CreateUser(context.Background(), u); err != nil {
		tb.Fatal(err)
	}
	return s.MustLogin(tb, email, "staff-password-1")
}

func (s *testServer) MustLogin(tb testing.TB, email, password string) user {
	tb.Helper()
	var out struct {
		Token string        `json:"token"`
		User  roadshow.User `json:"user"`
	}
	s.Must(tb, 200, "POST", "/auth/login", "", map[string]any{"email": email, "password": password}).JSON(tb, &out)
	return user{ID: out.User.ID, Email: out.User.Email, Token: out.Token, Role: out.User.Role}
}

// completeApplication is a body that passes submission.
func completeApplication(industry string) map[string]any {
	return map[string]any{
		"title": "Edge AI inspection", "summary": "Vision inspection on the factory edge.",
		"industry": industry, "stage": "pilot", "country": "DE", "timezone": "Europe/Berlin",
		"team":        []map[string]any{{"name": "Ada", "role": "CEO", "nationality": "DE", "bio": "Engineer."}},
		"fundingAsk":  map[string]any{"amount": 500000, "currency": "EUR"},
		"landingPlan": "Subsidiary in the zone in 2027.", "website": "https://example.com",
	}
}

func (s *testServer) MustCreateApp(tb testing.TB, u user, body map[string]any) roadshow.Application {
	tb.Helper()
	var a roadshow.Application
	s.Must(tb, 201, "POST", "/applications", u.Token, body).JSON(tb, &a)
	return a
}

func (s *testServer) MustGetApp(tb testing.TB, u user, id string) roadshow.Application {
	tb.Helper()
	var a roadshow.Application
	s.Must(tb, 200, "GET", "/applications/"+id, u.Token, nil).JSON(tb, &a)
	return a
}

func jsonEqual(tb testing.TB, a, b any) bool {
	tb.Helper()
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return bytes.Equal(x, y)
}

// testLogWriter sends the server's log to the test's log, shown on failure.
type testLogWriter struct{ tb testing.TB }

func (w testLogWriter) Write(p []byte) (int, error) {
	w.tb.Helper()
	w.tb.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

// Raw sends a request over a plain connection and returns the status. The
// body is written concurrently with reading the reply, so a server that
// answers early (413) and closes is observed the way a careful client sees it.
func (s *testServer) Raw(tb testing.TB, method, path, token, contentType string, body []byte, withLength bool) int {
	tb.Helper()
	u, err := url.Parse(s.URL + path)
	if err != nil {
		tb.Fatal(err)
	}
	conn, err := net.DialTimeout("tcp", u.Host, 10*time.Second)
	if err != nil {
		tb.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(60 * time.Second))
	var hdr strings.Builder
	fmt.Fprintf(&hdr, "%s %s HTTP/1.1\r\nHost: %s\r\nAuthorization: Bearer %s\r\nContent-Type: %s\r\n", method, u.RequestURI(), u.Host, token, contentType)
	if withLength {
		fmt.Fprintf(&hdr, "Content-Length: %d\r\n\r\n", len(body))
	} else {
		hdr.WriteString("Transfer-Encoding: chunked\r\n\r\n")
	}
	go func() {
		if _, err := io.WriteString(conn, hdr.String()); err != nil {
			return
		}
		for off := 0; off < len(body); off += 64 << 10 {
			chunk := body[off:min(off+64<<10, len(body))]
			var err error
			if withLength {
				_, err = conn.Write(chunk)
			} else {
				_, err = fmt.Fprintf(conn, "%x\r\n%s\r\n", len(chunk), chunk)
			}
			if err != nil {
				return // the server answered and closed: expected for refused bodies
			}
		}
		if !withLength {
			_, _ = io.WriteString(conn, "0\r\n\r\n")
		}
	}()
	resp, err := nethttp.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		tb.Fatalf("%s %s: read response: %v", method, path, err)
	}
	resp.Body.Close()
	return resp.StatusCode
}
