// Package mailpit runs Mailpit (github.com/axllent/mailpit), a real SMTP
// server that catches mail, for tests, and reads what arrived through its
// HTTP API. Tests find the binary through ROADSHOW_TEST_MAILPIT, the PATH
// or $GOPATH/bin; without one they skip, except in CI (CI=true), where
// .ci/run installs it and its absence is a failure.
package mailpit

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Version is the Mailpit the project installs (.ci/run, README).
const Version = "v1.33.1"

// Options are the SMTP server's demands.
type Options struct {
	// TLSCert and TLSKey (PEM files) make it offer STARTTLS, and
	// RequireSTARTTLS makes it insist.
	TLSCert, TLSKey string
	RequireSTARTTLS bool
	// AuthAnyPassword makes it accept SMTP AUTH with any user and password.
	AuthAnyPassword bool
}

// Server is a running Mailpit.
type Server struct {
	SMTPHost string
	SMTPPort int
	API      string // http://127.0.0.1:PORT
	hc       *http.Client
}

// Binary returns the path of the mailpit binary, or "".
func Binary() string {
	if p := os.Getenv("ROADSHOW_TEST_MAILPIT"); p != "" {
		return p
	}
	if p, err := exec.LookPath("mailpit"); err == nil {
		return p
	}
	gopath := os.Getenv("GOPATH")
	if gopath == "" {
		if home, err := os.UserHomeDir(); err == nil {
			gopath = filepath.Join(home, "go")
		}
	}
	if p := filepath.Join(gopath, "bin", "mailpit"); gopath != "" {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	return ""
}

// Require returns the binary, skipping tb when there is none (failing it
// in CI).
func Require(tb testing.TB) string {
	tb.Helper()
	bin := Binary()
	if bin == "" {
		msg := "tests with e-mail need Mailpit " + Version + " (go install github.com/axllent/mailpit@" + Version +
			", or set ROADSHOW_TEST_MAILPIT to its path); none was found"
		if os.Getenv("CI") == "true" {
			tb.Fatal(msg)
		}
		tb.Skip(msg)
	}
	return bin
}

// freePort returns a loopback port that was free a moment ago.
func freePort(tb testing.TB) int {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// Start runs a Mailpit for tb on loopback ports; it stops with the test.
func Start(tb testing.TB, o Options) *Server {
	tb.Helper()
	bin := Require(tb)
	for attempt := 0; ; attempt++ {
		smtpPort, httpPort := freePort(tb), freePort(tb)
		args := []string{"--smtp", "127.0.0.1:" + strconv.Itoa(smtpPort), "--listen", "127.0.0.1:" + strconv.Itoa(httpPort),
			"--database", filepath.Join(tb.TempDir(), "mailpit.db"), "--quiet", "--smtp-disable-rdns"}
		if o.TLSCert != "" {
			args = append(args, "--smtp-tls-cert", o.TLSCert, "--smtp-tls-key", o.TLSKey)
		}
		if o.RequireSTARTTLS {
			args = append(args, "--smtp-require-starttls")
		}
		if o.AuthAnyPassword {
			args = append(args, "--smtp-auth-accept-any")
			if o.TLSCert == "" {
				args = append(args, "--smtp-auth-allow-insecure")
			}
		}
		cmd := exec.Command(bin, args...)
		var out strings.Builder
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Start(); err != nil {
			tb.Fatalf("start mailpit: %v", err)
		}
		exited := make(chan struct{})
		go func() { _ = cmd.Wait(); close(exited) }()
		s := &Server{SMTPHost: "127.0.0.1", SMTPPort: smtpPort, API: "http://127.0.0.1:" + strconv.Itoa(httpPort),
			hc: &http.Client{Timeout: 10 * time.Second}}
		if s.ready(exited) {
			tb.Cleanup(func() {
				_ = cmd.Process.Kill()
				<-exited
			})
			return s
		}
		_ = cmd.Process.Kill()
		<-exited
		if attempt == 2 {
			tb.Fatalf("mailpit did not start: %s", out.String())
		}
	}
}

// ready waits until both the API and the SMTP port answer.
func (s *Server) ready(exited <-chan struct{}) bool {
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case <-exited:
			return false
		default:
		}
		if resp, err := s.hc.Get(s.API + "/api/v1/messages"); err == nil {
			resp.Body.Close()
			if c, err := net.DialTimeout("tcp", net.JoinHostPort(s.SMTPHost, strconv.Itoa(s.SMTPPort)), time.Second); err == nil {
				c.Close()
				return resp.StatusCode == 200
			}
		}
		time.Sleep(50 * time.Millisecond) // polling interval
	}
	return false
}

// Address is a sender or recipient.
type Address struct {
	Name    string `json:"Name"`
	Address string `json:"Address"`
}

// Summary is a message in the list.
type Summary struct {
	ID      string    `json:"ID"`
	Subject string    `json:"Subject"`
	To      []Address `json:"To"`
}

// Attachment is an attached file.
type Attachment struct {
	FileName    string `json:"FileName"`
	ContentType string `json:"ContentType"`
	PartID      string `json:"PartID"`
}

// Message is one message as Mailpit parsed it.
type Message struct {
	ID          string       `json:"ID"`
	MessageID   string       `json:"MessageID"`
	Subject     string       `json:"Subject"`
	From        Address      `json:"From"`
	To          []Address    `json:"To"`
	Text        string       `json:"Text"`
	HTML        string       `json:"HTML"`
	Attachments []Attachment `json:"Attachments"`
}

func (s *Server) get(ctx context.Context, path string, v any) error {
	req, err := http.NewRequestWithContext(ctx, "GET", s.API+path, nil)
	if err != nil {
		return err
	}
	resp, err := s.hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode != 200 {
		return fmt.Errorf("GET %s: %d %s", path, resp.StatusCode, b)
	}
	return json.Unmarshal(b, v)
}

// Messages lists what arrived, newest first.
func (s *Server) Messages(ctx context.Context) ([]Summary, error) {
	var out struct {
		Messages []Summary `json:"messages"`
	}
	err := s.get(ctx, "/api/v1/messages?limit=500", &out)
	return out.Messages, err
}

// Message reads one message.
func (s *Server) Message(ctx context.Context, id string) (Message, error) {
	var m Message
	err := s.get(ctx, "/api/v1/message/"+url.PathEscape(id), &m)
	return m, err
}

// Headers reads one message's headers.
func (s *Server) Headers(ctx context.Context, id string) (map[string][]string, error) {
	var h map[string][]string
	err := s.get(ctx, "/api/v1/message/"+url.PathEscape(id)+"/headers", &h)
	return h, err
}

// Part reads an attachment's bytes.
func (s *Server) Part(ctx context.Context, id, part string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, "GET", s.API+"/api/v1/message/"+url.PathEscape(id)+"/part/"+url.PathEscape(part), nil)
	if err != nil {
		return nil, err
	}
	resp, err := s.hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	return io.ReadAll(resp.Body)
}

// WaitFor polls until n messages to address have arrived whose subject
// contains subject, and returns the newest of them.
func (s *Server) WaitFor(tb testing.TB, to, subject string, n int) Message {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	for {
		list, err := s.Messages(ctx)
		if err != nil && ctx.Err() == nil {
			tb.Logf("mailpit: %v", err)
		}
		var found []Summary
		for _, m := range list {
			for _, a := range m.To {
				if strings.EqualFold(a.Address, to) && strings.Contains(m.Subject, subject) {
					found = append(found, m)
				}
			}
		}
		if len(found) >= n {
			m, err := s.Message(ctx, found[0].ID)
			if err != nil {
				tb.Fatal(err)
			}
			return m
		}
		select {
		case <-ctx.Done():
			tb.Fatalf("mailpit: %d message(s) to %s with %q in the subject did not arrive (have %d: %+v)", n, to, subject, len(found), list)
		case <-time.After(100 * time.Millisecond): // polling interval
		}
	}
}

// LinkWith returns the first http(s) link in text that contains part.
func LinkWith(text, part string) string {
	for _, f := range strings.Fields(text) {
		f = strings.Trim(f, "<>\"'()")
		if (strings.HasPrefix(f, "http://") || strings.HasPrefix(f, "https://")) && strings.Contains(f, part) {
			return f
		}
	}
	return ""
}
