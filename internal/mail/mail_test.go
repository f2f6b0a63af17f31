package mail_test

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"io"
	"log/slog"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/roadshow/roadshow/internal/mail"
	"github.com/roadshow/roadshow/internal/mailpit"
	"github.com/roadshow/roadshow/internal/mongodb"
	"github.com/roadshow/roadshow/internal/mongodb/embedded"
	"github.com/roadshow/roadshow/roadshow"
)

// stepClock is a clock that moves only when told, safe for the sender's
// goroutine to read.
type stepClock struct{ ns atomic.Int64 }

func newStepClock(t time.Time) *stepClock {
	c := &stepClock{}
	c.ns.Store(t.UnixNano())
	return c
}

func (c *stepClock) Now() time.Time      { return time.Unix(0, c.ns.Load()).UTC() }
func (c *stepClock) add(d time.Duration) { c.ns.Add(int64(d)) }

func MustStore(tb testing.TB) *mongodb.DB {
	tb.Helper()
	ctx := context.Background()
	es, err := embedded.Start(ctx, embedded.Options{Dir: tb.TempDir(), Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { es.Close() })
	db, err := mongodb.Open(ctx, es.URI(), "roadshow", mongodb.Options{SingleWriter: true, Dialer: es.Dialer()})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close(context.Background()) })
	return db
}

func TestRender(t *testing.T) {
	t.Parallel()
	for _, kind := range roadshow.MailKinds() {
		for _, lang := range []string{"en", "zh"} {
			t.Run(string(kind)+"/"+lang, func(t *testing.T) {
				m := roadshow.Mail{Kind: kind, Name: "Ada <b>", Lang: lang, Link: "/#/x", Args: map[string]string{
					"title": "Tidal <drones>", "session": "Smart ocean #1", "start": "2026-12-07T01:00:00Z", "end": "2026-12-07T01:15:00Z",
					"timezone": "Europe/Berlin", "decision": "eligible", "note": "Strong team.", "role": "judge"}}
				r, err := mail.Render(m, "https://roadshow.example/#/x?token=abc")
				if err != nil {
					t.Fatal(err)
				}
				if r.Subject == "" || strings.ContainsAny(r.Subject, "{}\n") {
					t.Errorf("subject %q", r.Subject)
				}
				if strings.Contains(r.Text, "{") || strings.Contains(r.HTML, "{name}") {
					t.Errorf("an unfilled placeholder:\n%s", r.Text)
				}
				if !strings.Contains(r.Text, "https://roadshow.example/#/x?token=abc") || !strings.Contains(r.HTML, `href="https://roadshow.example/#/x?token=abc"`) {
					t.Errorf("no link in\n%s\n%s", r.Text, r.HTML)
				}
				if strings.Contains(r.HTML, "<b>") || strings.Contains(r.HTML, "<drones>") {
					t.Errorf("text not escaped in the HTML: %s", r.HTML)
				}
				if lang == "zh" && !strings.ContainsAny(r.Subject+r.Text, "的您请") {
					t.Errorf("zh mail without Chinese: %s", r.Text)
				}
				if strings.Contains(r.Text, "2026-12-07T") {
					t.Errorf("times must be written for people: %s", r.Text)
				}
			})
		}
	}
}

// certFiles writes a self-signed certificate for 127.0.0.1 and returns its
// files and a pool that trusts it.
func certFiles(t *testing.T) (cert, key string, pool *x509.CertPool) {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "127.0.0.1"},
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, DNSNames: []string{"localhost"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IsCA: true, BasicConstraintsValid: true}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &k.PublicKey, k)
	if err != nil {
		t.Fatal(err)
	}
	kd, err := x509.MarshalECPrivateKey(k)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	cert, key = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	if err := os.WriteFile(cert, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(key, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kd}), 0o600); err != nil {
		t.Fatal(err)
	}
	c, _ := x509.ParseCertificate(der)
	pool = x509.NewCertPool()
	pool.AddCert(c)
	return cert, key, pool
}

// TestOutboxThroughMailpit sends through a real SMTP server that requires
// STARTTLS and authentication: text and HTML, the calendar entry, the
// unsubscribe headers on notifications only, the recipient's language;
// each message arrives once and leaves the outbox.
func TestOutboxThroughMailpit(t *testing.T) {
	t.Parallel()
	cert, key, pool := certFiles(t)
	mp := mailpit.Start(t, mailpit.Options{TLSCert: cert, TLSKey: key, RequireSTARTTLS: true, AuthAnyPassword: true})
	db := MustStore(t)
	smtp, err := mail.NewSMTP(mail.SMTPConfig{Host: mp.SMTPHost, Port: mp.SMTPPort, TLS: mail.TLSStartTLS, Username: "roadshow",
		Password: "secret", From: "Roadshow <roadshow@example.com>", TLSConfig: &tls.Config{RootCAs: pool}})
	if err != nil {
		t.Fatal(err)
	}
	o := mail.NewOutbox(mail.Config{Store: db.Outbox(), Sender: smtp, BaseURL: "https://roadshow.example",
		Unsubscribe: func(id string) (string, error) {
			return "https://roadshow.example/api/v1/mail/unsubscribe?token=t-" + id, nil
		},
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	ctx := context.Background()
	o.Post(ctx, roadshow.Mail{Kind: roadshow.MailPasswordReset, UserID: "u1", To: "ada@example.com", Name: "Ada", Lang: "en", Link: "/#/reset?token=abc"})
	ics := roadshow.BuildICS("Roadshow", []roadshow.CalendarEntry{{UID: "s-a@roadshow", Summary: "Pitch", Start: time.Date(2026, 12, 7, 1, 0, 0, 0, time.UTC),
		End: time.Date(2026, 12, 7, 1, 15, 0, 0, time.UTC)}}, time.Now())
	o.Post(ctx, roadshow.Mail{Kind: roadshow.MailSlotAssigned, UserID: "u2", To: "li@example.com", Name: "李", Lang: "zh", Link: "/#/my-sessions",
		Args:        map[string]string{"title": "潮汐", "session": "智慧海洋 #1", "start": "2026-12-07T01:00:00Z", "end": "2026-12-07T01:15:00Z", "timezone": "Asia/Shanghai"},
		Attachments: []roadshow.MailAttachment{{Name: "pitch.ics", ContentType: "text/calendar; charset=utf-8; method=PUBLISH", Data: []byte(ics)}}})
	o.Start()
	defer o.Close()

	reset := mp.WaitFor(t, "ada@example.com", "password", 1)
	if link := mailpit.LinkWith(reset.Text, "/#/reset?token="); link != "https://roadshow.example/#/reset?token=abc" {
		t.Errorf("reset link: got %q in\n%s", link, reset.Text)
	}
	if !strings.Contains(reset.HTML, "https://roadshow.example/#/reset?token=abc") {
		t.Errorf("no link in the HTML part: %s", reset.HTML)
	}
	h, err := mp.Headers(ctx, reset.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(h["List-Unsubscribe"]) != 0 {
		t.Errorf("an account mail with List-Unsubscribe: %v", h["List-Unsubscribe"])
	}
	slot := mp.WaitFor(t, "li@example.com", "路演时段", 1)
	if !strings.Contains(slot.Text, "2026年12月7日 09:00 (Asia/Shanghai)") {
		t.Errorf("zh slot mail: %s", slot.Text)
	}
	h, err = mp.Headers(ctx, slot.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(h["List-Unsubscribe"], ""); got != "<https://roadshow.example/api/v1/mail/unsubscribe?token=t-u2>" ||
		strings.Join(h["List-Unsubscribe-Post"], "") != "List-Unsubscribe=One-Click" {
		t.Errorf("notification headers: %v", h)
	}
	if len(slot.Attachments) != 1 || !strings.HasPrefix(slot.Attachments[0].ContentType, "text/calendar") {
		t.Fatalf("attachments: %+v", slot.Attachments)
	}
	part, err := mp.Part(ctx, slot.ID, slot.Attachments[0].PartID)
	if err != nil || !bytes.Contains(part, []byte("BEGIN:VEVENT")) {
		t.Fatalf("the calendar entry: %s %v", part, err)
	}
	// Sent once, and gone from the outbox.
	deadline := time.Now().Add(20 * time.Second)
	for {
		st, err := o.Status(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if st.Pending == 0 && st.Failed == 0 && st.Enabled {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("outbox after sending: %+v", st)
		}
		time.Sleep(50 * time.Millisecond) // polling interval
	}
	o.Kick()
	if list, _ := mp.Messages(ctx); len(list) != 2 {
		t.Fatalf("got %d messages in Mailpit, want 2 (each sent once)", len(list))
	}
}

// flakySender fails the first fails attempts, then records what it sends.
type flakySender struct {
	mu    sync.Mutex
	fails int
	sent  map[string]int
	calls chan struct{}
}

func (f *flakySender) Send(_ context.Context, m *roadshow.OutboxMessage) error {
	f.mu.Lock()
	defer func() {
		f.mu.Unlock()
		select {
		case f.calls <- struct{}{}:
		default:
		}
	}()
	if f.fails > 0 {
		f.fails--
		return errors.New("421 try again later")
	}
	f.sent[m.ID]++
	return nil
}

func (f *flakySender) count() (n int, max int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, c := range f.sent {
		n += c
		max = maxInt(max, c)
	}
	return n, max
}

func maxInt(a, b int) int {
	if a > b {
		return a
	}
	return b
}

// TestOutboxRetriesAndSurvivesRestart: mail posted while mail is off waits
// in the store; a later process sends it; a failed attempt is retried after
// the backoff, and the message is sent once.
func TestOutboxRetriesAndSurvivesRestart(t *testing.T) {
	t.Parallel()
	db := MustStore(t)
	ctx := context.Background()
	clock := newStepClock(time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC))
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	off := mail.NewOutbox(mail.Config{Store: db.Outbox(), Clock: clock, Logger: quiet})
	off.Start() // mail is off: nothing runs
	off.Post(ctx, roadshow.Mail{Kind: roadshow.MailWelcome, UserID: "u1", To: "ada@example.com", Name: "Ada", Lang: "en", Link: "/#/confirm?token=x"})
	off.Close()
	if st, _ := off.Status(ctx); st.Enabled || st.Pending != 1 {
		t.Fatalf("with mail off: got %+v, want one message waiting", st)
	}

	// "Restart" with a sender whose server refuses the first attempt.
	f := &flakySender{fails: 1, sent: map[string]int{}, calls: make(chan struct{}, 16)}
	on := mail.NewOutbox(mail.Config{Store: db.Outbox(), Sender: f, Clock: clock, Logger: quiet})
	on.Start()
	defer on.Close()
	<-f.calls // the failed attempt
	waitStatus := func(want func(roadshow.MailStatus) bool) {
		t.Helper()
		deadline := time.Now().Add(20 * time.Second)
		for {
			st, err := on.Status(ctx)
			if err == nil && want(st) {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("outbox: got %+v %v", st, err)
			}
			time.Sleep(20 * time.Millisecond) // polling interval
		}
	}
	// Not before the backoff: kicking the sender sends nothing.
	on.Kick()
	if n, _ := f.count(); n != 0 {
		t.Fatalf("sent %d before the backoff, want 0", n)
	}
	clock.add(mail.Backoff(1) + time.Second)
	on.Kick()
	<-f.calls
	waitStatus(func(st roadshow.MailStatus) bool { return st.Pending == 0 })
	for range 3 {
		on.Kick()
	}
	if n, most := f.count(); n != 1 || most != 1 {
		t.Fatalf("got %d sends (at most %d of one message), want the one message sent once", n, most)
	}
	if got := []time.Duration{mail.Backoff(1), mail.Backoff(2), mail.Backoff(3), mail.Backoff(20)}; got[0] != 30*time.Second ||
		got[1] != time.Minute || got[2] != 2*time.Minute || got[3] != time.Hour {
		t.Fatalf("backoff: got %v, want 30s, 1m, 2m and at most 1h", got)
	}
}
