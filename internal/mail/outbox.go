package mail

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/roadshow/roadshow/roadshow"
)

// Sending limits.
const (
	// MaxAttempts is how often a message is tried before it is given up.
	MaxAttempts = 10
	// firstRetry doubles with each attempt, up to maxRetry.
	firstRetry = 30 * time.Second
	maxRetry   = time.Hour
	// keepFor is how long a message waits at most (mail off, server down):
	// news of a slot from last week helps nobody.
	keepFor = 7 * 24 * time.Hour
	// claimFor is how long a sender holds a message it is sending.
	claimFor = 2 * time.Minute
	// pollEvery is how often the sender looks for due messages when nothing
	// woke it.
	pollEvery = 5 * time.Second
	batch     = 20
)

// Sender hands a message to a mail server (SMTP does).
type Sender interface {
	Send(ctx context.Context, m *roadshow.OutboxMessage) error
}

// Config is what an Outbox needs.
type Config struct {
	Store roadshow.OutboxStore
	// Sender sends; nil: mail is off (messages wait in the outbox).
	Sender Sender
	// BaseURL is put in front of the links of the mails (the public URL).
	BaseURL string
	// Unsubscribe returns the one-click unsubscribe URL of an account, for
	// the List-Unsubscribe header of notifications; nil: none.
	Unsubscribe func(userID string) (string, error)
	Clock       roadshow.Clock
	Logger      *slog.Logger
}

// Outbox is the postbox of the services (roadshow.Postbox): it writes each
// mail out in the recipient's language and keeps it in the store; its
// sender goroutine (Start, Close) sends what is due, retrying with
// exponential backoff, and moves each sent message to the sent log.
type Outbox struct {
	cfg  Config
	log  *slog.Logger
	wake chan struct{}

	// sent and failures count this process's attempts (see Counts).
	sent, failures atomic.Uint64

	mu      sync.Mutex
	stop    chan struct{}
	done    chan struct{}
	started bool
}

// NewOutbox returns an outbox; Start runs its sender.
func NewOutbox(cfg Config) *Outbox {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Clock == nil {
		cfg.Clock = roadshow.SystemClock{}
	}
	return &Outbox{cfg: cfg, log: cfg.Logger.With("component", "mail"), wake: make(chan struct{}, 1)}
}

var _ roadshow.Postbox = (*Outbox)(nil)

// Enabled reports whether mail is sent (a sender is configured).
func (o *Outbox) Enabled() bool { return o.cfg.Sender != nil }

// Post writes m out and keeps it in the outbox. It logs, and never returns,
// what goes wrong: the action that caused the mail has happened. The log
// names the kind and the recipient's account, never the link.
func (o *Outbox) Post(ctx context.Context, m roadshow.Mail) {
	msg, err := o.compose(m)
	if err == nil {
		err = o.cfg.Store.AddMail(context.WithoutCancel(ctx), msg)
	}
	if err != nil {
		o.log.Error("could not queue mail", "kind", m.Kind, "userId", m.UserID, "err", err)
		return
	}
	select {
	case o.wake <- struct{}{}:
	default:
	}
}

// compose renders m into an outbox message.
func (o *Outbox) compose(m roadshow.Mail) (*roadshow.OutboxMessage, error) {
	link := ""
	if m.Link != "" {
		link = o.cfg.BaseURL + m.Link
	}
	r, err := Render(m, link)
	if err != nil {
		return nil, err
	}
	now := o.cfg.Clock.Now()
	msg := &roadshow.OutboxMessage{Kind: m.Kind, To: m.To, Subject: r.Subject, Text: r.Text, HTML: r.HTML,
		Headers: map[string]string{}, Attachments: m.Attachments, CreatedAt: now, NotAfter: now.Add(keepFor), NextAttempt: now}
	if !m.NotAfter.IsZero() && m.NotAfter.Before(msg.NotAfter) {
		msg.NotAfter = m.NotAfter
	}
	if !m.Kind.Essential() && o.cfg.Unsubscribe != nil && m.UserID != "" {
		if u, err := o.cfg.Unsubscribe(m.UserID); err == nil {
			msg.Headers["List-Unsubscribe"] = "<" + u + ">"
			msg.Headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
		}
	}
	return msg, nil
}

// Kick makes the sender look for due messages now.
func (o *Outbox) Kick() {
	select {
	case o.wake <- struct{}{}:
	default:
	}
}

// Status tells organizers whether mail is on and how much waits.
func (o *Outbox) Status(ctx context.Context) (roadshow.MailStatus, error) {
	pending, failed, err := o.cfg.Store.CountMail(ctx)
	return roadshow.MailStatus{Enabled: o.Enabled(), Pending: pending, Failed: failed}, err
}

// Counts returns how many messages this process sent and how many of its
// attempts failed (each retry counts), since it started.
func (o *Outbox) Counts() (sent, failures uint64) { return o.sent.Load(), o.failures.Load() }

// Start runs the sender until Close; without a sender it logs that mail is
// off and runs nothing.
func (o *Outbox) Start() {
	if o.cfg.Sender == nil {
		o.log.Warn("e-mail is off: set ROADSHOW_SMTP_HOST (and ROADSHOW_SMTP_FROM, ROADSHOW_SMTP_USERNAME, ROADSHOW_SMTP_PASSWORD) to send it; mail waits in the outbox meanwhile")
		return
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.started {
		return
	}
	o.started = true
	o.stop, o.done = make(chan struct{}), make(chan struct{})
	go o.run()
}

// Close stops the sender and waits for it: a message being sent is
// finished or given back (its claim lapses) first.
func (o *Outbox) Close() {
	o.mu.Lock()
	started := o.started
	o.started = false
	o.mu.Unlock()
	if !started {
		return
	}
	close(o.stop)
	<-o.done
}

// Flush sends what is due now, until ctx ends. It is for shutdown, after
// Close (no sender runs beside it): mail queued by the last requests goes
// out instead of waiting for the next start. What is not sent stays in the
// store, as always.
func (o *Outbox) Flush(ctx context.Context) {
	if o.cfg.Sender == nil {
		return
	}
	o.sendDue(ctx)
}

func (o *Outbox) run() {
	defer close(o.done)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		<-o.stop
		cancel()
	}()
	t := time.NewTicker(pollEvery)
	defer t.Stop()
	for {
		o.sendDue(ctx)
		select {
		case <-o.stop:
			return
		case <-o.wake:
		case <-t.C:
		}
	}
}

// sendDue sends every message that is due, a batch at a time.
func (o *Outbox) sendDue(ctx context.Context) {
	for ctx.Err() == nil {
		now := o.cfg.Clock.Now()
		due, err := o.cfg.Store.DueMail(ctx, now, batch)
		if err != nil {
			if ctx.Err() == nil {
				o.log.Warn("read the outbox", "err", err)
			}
			return
		}
		for _, m := range due {
			if ctx.Err() != nil {
				return
			}
			o.sendOne(ctx, m)
		}
		if len(due) < batch {
			return
		}
	}
}

// sendOne claims, sends and records one message.
func (o *Outbox) sendOne(ctx context.Context, m *roadshow.OutboxMessage) {
	now := o.cfg.Clock.Now()
	if ok, err := o.cfg.Store.ClaimMail(ctx, m.ID, now, now.Add(claimFor)); err != nil || !ok {
		return // another sender has it, or the store is unwell: next round
	}
	if sent, err := o.cfg.Store.MailWasSent(ctx, m.ID); err != nil {
		return
	} else if sent {
		_ = o.cfg.Store.MailSent(ctx, m.ID, now) // a crash came between logging and removing it
		return
	}
	if !now.Before(m.NotAfter) {
		o.log.Warn("mail expired unsent", "kind", m.Kind, "id", m.ID, "attempts", m.Attempts)
		_ = o.cfg.Store.MailRetry(ctx, m.ID, m.Attempts, now, "expired before it could be sent", true)
		return
	}
	sctx, cancel := context.WithTimeout(ctx, time.Minute)
	err := o.cfg.Sender.Send(sctx, m)
	cancel()
	if err == nil {
		o.sent.Add(1)
		if err := o.cfg.Store.MailSent(context.WithoutCancel(ctx), m.ID, o.cfg.Clock.Now()); err != nil {
			o.log.Error("mail sent but not recorded; it may be sent again", "id", m.ID, "err", err)
		}
		return
	}
	o.failures.Add(1)
	attempts := m.Attempts + 1
	var perm permanent
	failed := attempts >= MaxAttempts || errors.As(err, &perm)
	next := now.Add(Backoff(attempts))
	level := slog.LevelInfo
	if failed {
		level = slog.LevelWarn
	}
	o.log.Log(ctx, level, "mail not sent", "kind", m.Kind, "id", m.ID, "attempts", attempts, "givenUp", failed, "err", err)
	if err := o.cfg.Store.MailRetry(context.WithoutCancel(ctx), m.ID, attempts, next, err.Error(), failed); err != nil {
		o.log.Warn("record a mail attempt", "id", m.ID, "err", err)
	}
}

// Backoff is the wait after the n-th failed attempt: 30 s, doubling, at
// most an hour.
func Backoff(n int) time.Duration {
	d := firstRetry
	for i := 1; i < n && d < maxRetry; i++ {
		d *= 2
	}
	return min(d, maxRetry)
}
