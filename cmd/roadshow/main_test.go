package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/roadshow/roadshow/internal/mongodb/embedded"
	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo"
	"go.mongodb.org/mongo-driver/mongo/options"
)

// syncBuffer collects a command's output from several goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func envOf(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

// running is a serve command started by MustServe.
type running struct {
	URL     string
	Log     *syncBuffer
	cancel  context.CancelFunc
	err     error
	stopped chan struct{} // closed when run has returned; err is set then
}

// Stop shuts the server down and waits for run to return.
func (r *running) Stop(tb testing.TB) {
	tb.Helper()
	r.cancel()
	select {
	case <-r.stopped:
		if r.err != nil {
			tb.Fatalf("serve returned %v\n%s", r.err, r.Log)
		}
	case <-time.After(30 * time.Second):
		tb.Fatalf("serve did not stop\n%s", r.Log)
	}
}

// MustServe runs the real command line ("roadshow serve") on a loopback port
// (a free one unless env has ROADSHOW_ADDR).
func MustServe(tb testing.TB, env map[string]string) *running {
	tb.Helper()
	if env["ROADSHOW_ADDR"] == "" {
		env["ROADSHOW_ADDR"] = "127.0.0.1:0" // a test that restarts the server gives its own
	}
	ctx, cancel := context.WithCancel(context.Background())
	r := &running{Log: &syncBuffer{}, cancel: cancel, stopped: make(chan struct{})}
	ready := make(chan string, 1)
	go func() {
		defer close(r.stopped)
		r.err = run(ctx, []string{"serve"}, envOf(env), strings.NewReader(""), io.Discard, r.Log, func(u string) { ready <- u })
	}()
	select {
	case r.URL = <-ready:
	case <-r.stopped:
		cancel()
		tb.Fatalf("serve failed: %v\n%s", r.err, r.Log)
	case <-time.After(60 * time.Second):
		cancel()
		tb.Fatalf("serve did not start\n%s", r.Log)
	}
	tb.Cleanup(func() {
		cancel()
		select {
		case <-r.stopped:
		case <-time.After(30 * time.Second):
			tb.Errorf("serve did not stop\n%s", r.Log)
		}
	})
	return r
}

// call sends a JSON request and decodes the JSON reply into out (if not nil).
func call(tb testing.TB, method, url, token string, body, out any) int {
	tb.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			tb.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, url, rd)
	if err != nil {
		tb.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		tb.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		tb.Fatal(err)
	}
	if out != nil && resp.StatusCode < 300 {
		if err := json.Unmarshal(data, out); err != nil {
			tb.Fatalf("%s %s: decode %s: %v", method, url, data, err)
		}
	}
	return resp.StatusCode
}

func login(tb testing.TB, base, email, password string) (string, int) {
	tb.Helper()
	var out struct {
		Token string `json:"token"`
	}
	status := call(tb, "POST", base+"/api/v1/auth/login", "", map[string]string{"email": email, "password": password}, &out)
	return out.Token, status
}

func TestHelpListsEverySetting(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	err := run(context.Background(), []string{"--help"}, envOf(nil), strings.NewReader(""), &out, io.Discard, nil)
	if err == nil || !strings.Contains(err.Error(), "help") {
		t.Fatalf("got %v, want flag.ErrHelp", err)
	}
	for _, s := range settings() {
		if !strings.Contains(out.String(), s.env) {
			t.Errorf("--help does not list %s:\n%s", s.env, out.String())
		}
	}
	for _, want := range []string{"ROADSHOW_ADDR", ":8080", "ROADSHOW_DATA_DIR", "./data", "--mongo-uri", "roadshow demo"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("--help lacks %q", want)
		}
	}
}

func TestConfigFlagsWinOverEnvironment(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		env     map[string]string
		args    []string
		wantErr string
		check   func(c config) bool
	}{
		{"Defaults", nil, nil, "", func(c config) bool {
			return c.Addr == ":8080" && c.DataDir == "./data" && c.MongoURI == "" && c.Deadline.IsZero()
		}},
		{"EnvUsed", map[string]string{"ROADSHOW_ADDR": ":9000"}, nil, "", func(c config) bool { return c.Addr == ":9000" }},
		{"FlagWins", map[string]string{"ROADSHOW_ADDR": ":9000"}, []string{"--addr", ":9100"}, "", func(c config) bool { return c.Addr == ":9100" }},
		{"Deadline", map[string]string{"ROADSHOW_DEADLINE": "2026-12-01T16:00:00+08:00"}, nil, "", func(c config) bool { return c.Deadline.Equal(time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)) }},
		{"ErrBadDeadline", map[string]string{"ROADSHOW_DEADLINE": "tomorrow"}, nil, "ROADSHOW_DEADLINE", nil},
		{"ErrBadTTL", map[string]string{"ROADSHOW_TOKEN_TTL": "forever"}, nil, "ROADSHOW_TOKEN_TTL", nil},
		{"ErrHalfAdmin", map[string]string{"ROADSHOW_ADMIN_EMAIL": "a@b.example"}, nil, "ROADSHOW_ADMIN_PASSWORD", nil},
		{"PublicURL", map[string]string{"ROADSHOW_PUBLIC_URL": "https://roadshow.example.com/"}, nil, "", func(c config) bool { return c.PublicURL == "https://roadshow.example.com" }},
		{"ErrPublicURL", map[string]string{"ROADSHOW_PUBLIC_URL": "roadshow.example.com"}, nil, "ROADSHOW_PUBLIC_URL", nil},
		{"TrustedProxies", map[string]string{"ROADSHOW_TRUSTED_PROXIES": "127.0.0.1, 10.0.0.0/8"}, nil, "", func(c config) bool {
			return len(c.TrustedProxies) == 2 && c.TrustedProxies[1] == "10.0.0.0/8"
		}},
		{"ErrTrustedProxies", map[string]string{"ROADSHOW_TRUSTED_PROXIES": "proxy.example"}, nil, "ROADSHOW_TRUSTED_PROXIES", nil},
		{"SMTP", map[string]string{"ROADSHOW_SMTP_HOST": "smtp.example.com", "ROADSHOW_SMTP_USERNAME": "u", "ROADSHOW_SMTP_PASSWORD": "p"},
			[]string{"--smtp-port", "2525"}, "", func(c config) bool {
				return c.SMTP.Host == "smtp.example.com" && c.SMTP.Port == 2525 && c.SMTP.TLS == "starttls" && c.SMTP.Password == "p"
			}},
		{"ErrSMTPTLS", map[string]string{"ROADSHOW_SMTP_HOST": "smtp.example.com", "ROADSHOW_SMTP_TLS": "maybe"}, nil, "ROADSHOW_SMTP_", nil},
		{"ErrSMTPFrom", map[string]string{"ROADSHOW_SMTP_HOST": "smtp.example.com", "ROADSHOW_SMTP_FROM": "not an address"}, nil, "ROADSHOW_SMTP_", nil},
		{"ErrPasswordSlots", map[string]string{"ROADSHOW_PASSWORD_SLOTS": "many"}, nil, "ROADSHOW_PASSWORD_SLOTS", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs := newFlagSet()
			c, err := parseConfig(fs, tt.args, envOf(tt.env))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("got %v, want an error naming %s", err, tt.wantErr)
				}
				return
			}
			if err != nil || !tt.check(c) {
				t.Fatalf("got %+v, %v", c, err)
			}
		})
	}
}

// TestRestartKeepsEverything writes through the API, restarts the real
// command on the same data directory and reads everything back, with the
// same token (the signing key survived) and the bootstrap not repeated.
func TestRestartKeepsEverything(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	env := map[string]string{"ROADSHOW_DATA_DIR": dir, "ROADSHOW_ADMIN_EMAIL": "admin@example.com", "ROADSHOW_ADMIN_PASSWORD": "first-password-1"}
	srv := MustServe(t, env)
	api := srv.URL + "/api/v1"
	if status := call(t, "POST", api+"/auth/register", "", map[string]string{"email": "ada@example.com", "password": "correct-horse-1", "name": "Ada", "country": "GB"}, nil); status != 202 {
		t.Fatalf("register: %d", status)
	}
	token, status := login(t, srv.URL, "ada@example.com", "correct-horse-1")
	if status != 200 {
		t.Fatalf("login: %d", status)
	}
	var app struct {
		ID string `json:"id"`
	}
	if status := call(t, "POST", api+"/applications", token, map[string]string{"title": "Tidal sensors", "industry": "smart-ocean"}, &app); status != 201 {
		t.Fatalf("create: %d", status)
	}
	srv.Stop(t)

	// Same directory, another admin password: the organizer is not touched.
	env["ROADSHOW_ADMIN_PASSWORD"] = "second-password-2"
	srv = MustServe(t, env)
	api = srv.URL + "/api/v1"
	var got struct {
		Title    string `json:"title"`
		Industry string `json:"industry"`
	}
	if status := call(t, "GET", api+"/applications/"+app.ID, token, nil, &got); status != 200 || got.Title != "Tidal sensors" || got.Industry != "smart-ocean" {
		t.Fatalf("after restart: %d %+v", status, got)
	}
	if _, status := login(t, srv.URL, "admin@example.com", "first-password-1"); status != 200 {
		t.Fatalf("first organizer password no longer works: %d", status)
	}
	if _, status := login(t, srv.URL, "admin@example.com", "second-password-2"); status != 401 {
		t.Fatalf("bootstrap overwrote the organizer's password: %d", status)
	}
	orgToken, _ := login(t, srv.URL, "admin@example.com", "first-password-1")
	var sum struct {
		Total int `json:"total"`
	}
	if status := call(t, "GET", api+"/applications/summary", orgToken, nil, &sum); status != 200 || sum.Total != 1 {
		t.Fatalf("summary after restart: %d %+v", status, sum)
	}
	srv.Stop(t)
	if strings.Contains(srv.Log.String(), "Request ") || strings.Contains(srv.Log.String(), "Response ") {
		t.Errorf("the embedded store dumped requests into the log:\n%s", srv.Log)
	}
}

func TestDemoFillsAnEdition(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	env := map[string]string{"ROADSHOW_DATA_DIR": dir}
	var out syncBuffer
	if err := run(context.Background(), []string{"demo", "--applications", "60"}, envOf(env), strings.NewReader(""), &out, io.Discard, nil); err != nil {
		t.Fatalf("demo: %v", err)
	}
	if !strings.Contains(out.String(), "organizer@demo.roadshow") || !strings.Contains(out.String(), demoPassword) {
		t.Fatalf("demo does not print logins:\n%s", out.String())
	}
	if strings.Contains(out.String(), " 0 pitch sessions") {
		t.Fatalf("demo planned no sessions:\n%s", out.String())
	}
	// It names a session to try live and the logins of its teams.
	_, tryLive, ok := strings.Cut(out.String(), "To try a live pitch")
	firstTeam := ""
	for _, f := range strings.Fields(tryLive) {
		if strings.HasSuffix(f, "@demo.roadshow") && strings.HasPrefix(f, "team") {
			firstTeam = f
			break
		}
	}
	if !ok || firstTeam == "" {
		t.Fatalf("demo does not say how to try a live pitch:\n%s", out.String())
	}
	// A second run refuses: demo only fills an empty store.
	if err := run(context.Background(), []string{"demo"}, envOf(env), strings.NewReader(""), io.Discard, io.Discard, nil); err == nil {
		t.Fatal("demo ran twice on the same store")
	}
	srv := MustServe(t, env)
	token, status := login(t, srv.URL, "organizer@demo.roadshow", demoPassword)
	if status != 200 {
		t.Fatalf("demo organizer login: %d", status)
	}
	teamToken, status := login(t, srv.URL, firstTeam, demoPassword)
	var teamSessions struct {
		Items []struct {
			Title string `json:"title"`
		} `json:"items"`
	}
	if status != 200 || call(t, "GET", srv.URL+"/api/v1/sessions", teamToken, nil, &teamSessions) != 200 || len(teamSessions.Items) == 0 ||
		!strings.Contains(tryLive, teamSessions.Items[0].Title) {
		t.Fatalf("the team %s (login %d) pitches in %+v, want the session the demo names:\n%s", firstTeam, status, teamSessions, tryLive)
	}
	var sum struct {
		Total      int `json:"total"`
		Industries []struct {
			Code  string `json:"code"`
			Total int    `json:"total"`
		} `json:"industries"`
		Totals map[string]int `json:"totals"`
	}
	if status := call(t, "GET", srv.URL+"/api/v1/applications/summary", token, nil, &sum); status != 200 {
		t.Fatalf("summary: %d", status)
	}
	if sum.Total != 60 {
		t.Fatalf("total: got %d, want 60", sum.Total)
	}
	for _, ind := range sum.Industries {
		if ind.Total == 0 {
			t.Errorf("industry %s has no applications", ind.Code)
		}
	}
	for _, st := range []string{"draft", "submitted", "eligible", "ineligible", "withdrawn"} {
		if sum.Totals[st] == 0 {
			t.Errorf("no application is %s", st)
		}
	}
	var page struct {
		Items []struct {
			Country string `json:"country"`
		} `json:"items"`
	}
	call(t, "GET", srv.URL+"/api/v1/applications?limit=60", token, nil, &page)
	countries := map[string]bool{}
	for _, a := range page.Items {
		countries[a.Country] = true
	}
	if len(countries) < 10 {
		t.Errorf("teams come from only %d countries", len(countries))
	}
	judgeToken, status := login(t, srv.URL, "judge1@demo.roadshow", demoPassword)
	if status != 200 {
		t.Fatalf("demo judge login: %d", status)
	}
	var sessions struct {
		Items []struct {
			Industry string `json:"industry"`
			Slots    []any  `json:"slots"`
		} `json:"items"`
	}
	if status := call(t, "GET", srv.URL+"/api/v1/sessions", judgeToken, nil, &sessions); status != 200 || len(sessions.Items) == 0 {
		t.Fatalf("demo judge sees %d sessions (status %d)", len(sessions.Items), status)
	}
	srv.Stop(t)
}

func TestUserAdd(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	env := map[string]string{"ROADSHOW_DATA_DIR": dir}
	var out bytes.Buffer
	err := run(context.Background(), []string{"user", "add", "--role", "organizer", "--email", "lin@example.com", "--name", "Lin"},
		envOf(env), strings.NewReader("a-long-password-1\n"), &out, io.Discard, nil)
	if err != nil || !strings.Contains(out.String(), "created organizer lin@example.com") {
		t.Fatalf("got %v, %q", err, out.String())
	}
	err = run(context.Background(), []string{"user", "add", "--role", "organizer", "--email", "x@example.com", "--name", "X"},
		envOf(env), strings.NewReader("short\n"), io.Discard, io.Discard, nil)
	if err == nil {
		t.Fatal("a short password was accepted")
	}
	srv := MustServe(t, env)
	if _, status := login(t, srv.URL, "lin@example.com", "a-long-password-1"); status != 200 {
		t.Fatalf("login: %d", status)
	}
	srv.Stop(t)
}

// TestExternalMongoURI: with ROADSHOW_MONGO_URI the server uses that store
// and embeds nothing (no database files appear in the data directory).
func TestExternalMongoURI(t *testing.T) {
	t.Parallel()
	// The driver lower-cases the host of a URI, the socket path included:
	// a directory without capitals (t.TempDir has the test's name).
	extDir, err := os.MkdirTemp("", "external-store-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(extDir) })
	external, err := embedded.Start(context.Background(), embedded.Options{Dir: extDir, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { external.Close() })
	dataDir := t.TempDir()
	srv := MustServe(t, map[string]string{"ROADSHOW_DATA_DIR": dataDir, "ROADSHOW_MONGO_URI": external.URI(), "ROADSHOW_MONGO_DB": "elsewhere"})
	if status := call(t, "POST", srv.URL+"/api/v1/auth/register", "", map[string]string{"email": "ext@example.com", "password": "correct-horse-1", "name": "Ext", "country": "SG"}, nil); status != 202 {
		t.Fatalf("register: %d", status)
	}
	srv.Stop(t)
	entries, err := os.ReadDir(dataDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.Name() != "jwt.key" {
			t.Errorf("data directory holds %s: something was embedded", e.Name())
		}
	}
	// The account is in the external store's database.
	client, err := mongo.Connect(context.Background(), options.Client().ApplyURI(external.URI()).SetDialer(external.Dialer()))
	if err != nil {
		t.Fatal(err)
	}
	defer client.Disconnect(context.Background())
	n, err := client.Database("elsewhere").Collection("users").CountDocuments(context.Background(), bson.D{})
	if err != nil || n != 1 {
		t.Fatalf("users in the external store: %d, %v", n, err)
	}
}
