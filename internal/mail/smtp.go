package mail

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"time"

	gomail "github.com/wneessen/go-mail"

	"github.com/roadshow/roadshow/roadshow"
)

// TLS modes of the SMTP connection.
const (
	TLSStartTLS = "starttls" // plain connection upgraded with STARTTLS, required (port 587)
	TLSImplicit = "tls"      // TLS from the first byte (port 465)
	TLSNone     = "none"     // no encryption: a local relay or Mailpit only
)

// SMTPConfig is where and how mail is handed over.
type SMTPConfig struct {
	Host     string
	Port     int
	Username string // with Password: SMTP AUTH (the best mechanism the server offers)
	Password string
	From     string // "Roadshow <roadshow@example.com>"
	TLS      string // TLSStartTLS (default), TLSImplicit or TLSNone
	Timeout  time.Duration
	// TLSConfig, when set, verifies the server's certificate (tests trust
	// their own CA); nil: the system's roots.
	TLSConfig *tls.Config
}

// SMTP sends outbox messages through one SMTP server, a connection per
// batch.
type SMTP struct {
	cfg SMTPConfig
}

// NewSMTP checks cfg and returns a sender.
func NewSMTP(cfg SMTPConfig) (*SMTP, error) {
	if cfg.Host == "" {
		return nil, errors.New("smtp: no host")
	}
	if cfg.TLS == "" {
		cfg.TLS = TLSStartTLS
	}
	if cfg.TLS != TLSStartTLS && cfg.TLS != TLSImplicit && cfg.TLS != TLSNone {
		return nil, fmt.Errorf("smtp: TLS mode %q: want starttls, tls or none", cfg.TLS)
	}
	if cfg.Port == 0 {
		cfg.Port = map[string]int{TLSStartTLS: 587, TLSImplicit: 465, TLSNone: 25}[cfg.TLS]
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = 30 * time.Second
	}
	if err := gomail.NewMsg().From(cfg.From); err != nil {
		return nil, fmt.Errorf("smtp: from address %q: %w", cfg.From, err)
	}
	return &SMTP{cfg: cfg}, nil
}

func (s *SMTP) client() (*gomail.Client, error) {
	opts := []gomail.Option{gomail.WithPort(s.cfg.Port), gomail.WithTimeout(s.cfg.Timeout)}
	switch s.cfg.TLS {
	case TLSImplicit:
		opts = append(opts, gomail.WithSSL())
	case TLSNone:
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	default:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	}
	if s.cfg.TLSConfig != nil {
		tc := s.cfg.TLSConfig.Clone()
		if tc.ServerName == "" {
			tc.ServerName = s.cfg.Host
		}
		opts = append(opts, gomail.WithTLSConfig(tc))
	}
	if s.cfg.Username != "" {
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover),
			gomail.WithUsername(s.cfg.Username), gomail.WithPassword(s.cfg.Password))
	}
	return gomail.NewClient(s.cfg.Host, opts...)
}

// message builds the MIME message of m: text and HTML alternatives, the
// attachments, a Message-ID made from the outbox id (so that a message
// sent twice after a crash is one message to the recipient's mail program)
// and the extra headers (List-Unsubscribe).
func (s *SMTP) message(m *roadshow.OutboxMessage) (*gomail.Msg, error) {
	msg := gomail.NewMsg()
	if err := msg.From(s.cfg.From); err != nil {
		return nil, err
	}
	if err := msg.To(m.To); err != nil {
		return nil, err
	}
	msg.Subject(m.Subject)
	msg.SetDateWithValue(m.CreatedAt)
	msg.SetMessageIDWithValue(m.ID + "@roadshow")
	msg.SetBodyString(gomail.TypeTextPlain, m.Text)
	msg.AddAlternativeString(gomail.TypeTextHTML, m.HTML)
	for k, v := range m.Headers {
		msg.SetGenHeader(gomail.Header(k), v)
	}
	for _, a := range m.Attachments {
		if err := msg.AttachReader(a.Name, bytes.NewReader(a.Data), gomail.WithFileContentType(gomail.ContentType(a.ContentType))); err != nil {
			return nil, err
		}
	}
	return msg, nil
}

// Send hands one message to the server. A refusal the server calls
// permanent is wrapped in errPermanent.
func (s *SMTP) Send(ctx context.Context, m *roadshow.OutboxMessage) error {
	msg, err := s.message(m)
	if err != nil {
		return permanent{err}
	}
	c, err := s.client()
	if err != nil {
		return err
	}
	err = c.DialAndSendWithContext(ctx, msg)
	var se *gomail.SendError
	if errors.As(err, &se) && !se.IsTemp() && se.Reason != gomail.ErrConnCheck && se.Reason != gomail.ErrSMTPMailFrom {
		return permanent{err}
	}
	return err
}

// permanent is a refusal that retrying will not change.
type permanent struct{ error }

func (p permanent) Unwrap() error { return p.error }
