package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// mustBuild builds this command into a temporary directory: the shutdown
// is about the process (signals, exit code), so the tests run the binary.
func mustBuild(tb testing.TB) string {
	tb.Helper()
	bin := filepath.Join(tb.TempDir(), "roadshow")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	if out, err := cmd.CombinedOutput(); err != nil {
		tb.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// startBinary runs "bin serve" on a free loopback port over a new data
// directory with a first organizer, and waits until it answers.
func startBinary(tb testing.TB, bin, admin string, extra map[string]string) *serverProc {
	tb.Helper()
	port, err := freePort()
	if err != nil {
		tb.Fatal(err)
	}
	set := serverSettings(port, tb.TempDir(), admin, loadtestPassword)
	set["ROADSHOW_LOG_LEVEL"] = "info"
	for k, v := range extra {
		set[k] = v
	}
	s := &serverProc{base: "http://127.0.0.1:" + fmt.Sprint(port), out: &tailBuffer{max: 64 << 10}, exited: make(chan struct{})}
	s.cmd = exec.Command(bin, "serve")
	s.cmd.Env = serverEnv(os.Environ(), set, false)
	s.cmd.Stdout, s.cmd.Stderr = s.out, s.out
	if err := s.cmd.Start(); err != nil {
		tb.Fatal(err)
	}
	s.pid = s.cmd.Process.Pid
	go func() {
		s.err = s.cmd.Wait()
		close(s.exited)
	}()
	tb.Cleanup(func() {
		select {
		case <-s.exited:
		default:
			_ = s.cmd.Process.Kill()
			<-s.exited
		}
	})
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	if err := s.waitReady(ctx); err != nil {
		tb.Fatal(err)
	}
	return s
}

// exitCode waits up to d for the process to end and returns its exit code.
func (s *serverProc) exitCode(tb testing.TB, d time.Duration) int {
	tb.Helper()
	select {
	case <-s.exited:
	case <-time.After(d):
		tb.Fatalf("the server did not exit within %s\n%s", d, s.out)
	}
	var ee *exec.ExitError
	if errors.As(s.err, &ee) {
		return ee.ExitCode()
	}
	if s.err != nil {
		tb.Fatalf("wait: %v", s.err)
	}
	return 0
}

// startedRequest opens a connection and sends a log-in's headers with
// "Expect: 100-continue": the server's "100 Continue" proves it has read
// them and is in the request. The body is the caller's to send.
func startedRequest(tb testing.TB, base, body string) (net.Conn, *bufio.Reader) {
	tb.Helper()
	u, _ := url.Parse(base)
	conn, err := net.DialTimeout("tcp", u.Host, 10*time.Second)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { conn.Close() })
	_ = conn.SetDeadline(time.Now().Add(2 * time.Minute))
	fmt.Fprintf(conn, "POST /api/v1/auth/login HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\nExpect: 100-continue\r\n\r\n", u.Host, len(body))
	br := bufio.NewReader(conn)
	line, err := br.ReadString('\n')
	if err != nil || !strings.Contains(line, " 100 ") {
		tb.Fatalf("want 100 Continue, got %q, %v", line, err)
	}
	if blank, err := br.ReadString('\n'); err != nil || blank != "\r\n" {
		tb.Fatalf("after 100 Continue: %q, %v", blank, err)
	}
	return conn, br
}

// TestGracefulShutdown signals the real binary while a request is in
// flight and a participant is in a live room: the participant is told the
// server restarts, the request completes, and the process exits with 0.
func TestGracefulShutdown(t *testing.T) {
	bin := mustBuild(t)
	const admin = "organizer@shutdown.roadshow"
	srv := startBinary(t, bin, admin, map[string]string{"ROADSHOW_SHUTDOWN_TIMEOUT": "60s"})
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	c := &ltClient{base: srv.base + "/api/v1", hc: &http.Client{Timeout: time.Minute}}
	defer c.hc.CloseIdleConnections()
	ed, err := setupEdition(ctx, c, admin, loadtestPassword)
	if err != nil {
		t.Fatal(err)
	}

	// The live team's page in the room.
	var tok struct{ Token string }
	if err := c.do(ctx, http.MethodPost, "/sessions/"+ed.SessionID+"/live/token", ed.ApplicantToken, nil, &tok, http.StatusCreated); err != nil {
		t.Fatal(err)
	}
	ws, _, err := websocket.DefaultDialer.DialContext(ctx, "ws"+strings.TrimPrefix(c.base, "http")+"/sessions/"+ed.SessionID+"/live?token="+tok.Token, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	msgs := make(chan map[string]any, 64)
	go func() {
		defer close(msgs)
		for {
			var m map[string]any
			if err := ws.ReadJSON(&m); err != nil {
				return
			}
			msgs <- m
		}
	}()
	next := func(typ string) map[string]any {
		t.Helper()
		deadline := time.After(30 * time.Second)
		for {
			select {
			case m, ok := <-msgs:
				if !ok {
					t.Fatalf("the room socket closed before a %q message\n%s", typ, srv.out)
				}
				if m["type"] == typ {
					return m
				}
			case <-deadline:
				t.Fatalf("no %q message\n%s", typ, srv.out)
			}
		}
	}
	next("welcome")
	// The team's session page follows the session's events too.
	events, _, err := websocket.DefaultDialer.DialContext(ctx, "ws"+strings.TrimPrefix(c.base, "http")+"/sessions/"+ed.SessionID+"/events?token="+ed.ApplicantToken, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer events.Close()
	eventsEnd := make(chan error, 1)
	go func() {
		for {
			if _, _, err := events.ReadMessage(); err != nil {
				eventsEnd <- err
				return
			}
		}
	}()

	// A log-in whose body has not arrived yet.
	body := fmt.Sprintf(`{"email": %q, "password": %q}`, admin, loadtestPassword)
	conn, br := startedRequest(t, srv.base, body)

	if err := srv.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	bye := next("bye")
	if b, _ := bye["bye"].(map[string]any); b == nil || b["key"] != "room.server_closing" {
		t.Errorf("bye: got %v, want the key room.server_closing", bye)
	}
	select {
	case err := <-eventsEnd:
		if !websocket.IsCloseError(err, websocket.CloseTryAgainLater) {
			t.Errorf("the event stream ended with %v, want close 1013 (reconnect)", err)
		}
	case <-time.After(30 * time.Second):
		t.Errorf("the event stream did not end at shutdown\n%s", srv.out)
	}
	// New connections are refused once the listener closed...
	deadline := time.Now().Add(30 * time.Second)
	for {
		nc, err := net.DialTimeout("tcp", strings.TrimPrefix(srv.base, "http://"), time.Second)
		if err != nil {
			break
		}
		nc.Close()
		if time.Now().After(deadline) {
			t.Fatalf("the server still accepts connections after SIGTERM\n%s", srv.out)
		}
		time.Sleep(20 * time.Millisecond) // polling the listener, not synchronising with it
	}
	// ...while the request in flight finishes.
	if _, err := conn.Write([]byte(body)); err != nil {
		t.Fatalf("send the rest of the body: %v", err)
	}
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		t.Fatalf("the request in flight got no answer: %v\n%s", err, srv.out)
	}
	var login struct{ Token string }
	if err := json.NewDecoder(resp.Body).Decode(&login); err != nil || resp.StatusCode != 200 || login.Token == "" {
		t.Fatalf("the request in flight: got %d, %v", resp.StatusCode, err)
	}
	resp.Body.Close()
	conn.Close()

	if code := srv.exitCode(t, time.Minute); code != 0 {
		t.Fatalf("exit code %d, want 0\n%s", code, srv.out)
	}
	for _, want := range []string{"shutting down", "roadshow stopped"} {
		if !strings.Contains(srv.out.String(), want) {
			t.Errorf("the log lacks %q:\n%s", want, srv.out)
		}
	}
}

// TestSecondSignalExitsAtOnce: a request that never finishes holds the
// graceful shutdown; a second signal ends the process without waiting for
// it (the shutdown deadline is far away).
func TestSecondSignalExitsAtOnce(t *testing.T) {
	bin := mustBuild(t)
	srv := startBinary(t, bin, "organizer@signal.roadshow", map[string]string{"ROADSHOW_SHUTDOWN_TIMEOUT": "10m"})
	startedRequest(t, srv.base, `{"email": "x@example.com", "password": "never-sent-1"}`)
	if err := srv.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	// The first signal is being handled: the shutdown has begun.
	deadline := time.Now().Add(30 * time.Second)
	for !strings.Contains(srv.out.String(), "shutting down") {
		if time.Now().After(deadline) {
			t.Fatalf("no shutdown after SIGTERM\n%s", srv.out)
		}
		time.Sleep(20 * time.Millisecond) // polling the log
	}
	select {
	case <-srv.exited:
		t.Fatalf("the server exited with a request in flight and 10 minutes to go\n%s", srv.out)
	default:
	}
	if err := srv.cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	if code := srv.exitCode(t, 30*time.Second); code != 1 {
		t.Fatalf("exit code %d, want 1\n%s", code, srv.out)
	}
	if !strings.Contains(srv.out.String(), "second signal") {
		t.Errorf("the log does not say why it exited:\n%s", srv.out)
	}
}
