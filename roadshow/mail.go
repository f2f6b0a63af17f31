package roadshow

import (
	"context"
	"time"
)

// MailKind is one of the e-mails the product sends.
type MailKind string

const (
	MailInvitation          MailKind = "invitation"           // an organizer made an account for you
	MailPasswordReset       MailKind = "password_reset"       // you asked for a new password
	MailWelcome             MailKind = "welcome"              // you registered; confirm your address
	MailAlreadyRegistered   MailKind = "already_registered"   // someone registered your address again
	MailApplicationReceived MailKind = "application_received" // your application was submitted
	MailScreeningDecision   MailKind = "screening_decision"   // an organizer screened your application
	MailSlotAssigned        MailKind = "slot_assigned"        // your team pitches at ... (with the calendar entry)
	MailSlotChanged         MailKind = "slot_changed"         // your team's slot moved (with the calendar entry)
	MailResultsPublished    MailKind = "results_published"    // your session's results are out
)

// MailKinds returns every kind, in the order above.
func MailKinds() []MailKind {
	return []MailKind{MailInvitation, MailPasswordReset, MailWelcome, MailAlreadyRegistered, MailApplicationReceived,
		MailScreeningDecision, MailSlotAssigned, MailSlotChanged, MailResultsPublished}
}

// Essential reports whether a kind of mail is about the account itself
// (invitations, resets, the address): those go out whatever the person's
// preference; the others are notifications a person may turn off.
func (k MailKind) Essential() bool {
	switch k {
	case MailInvitation, MailPasswordReset, MailWelcome, MailAlreadyRegistered:
		return true
	}
	return false
}

// Mail is one e-mail to one person, before it is written out in their
// language (internal/mail renders and queues it).
type Mail struct {
	Kind   MailKind
	UserID string // the recipient's account, for the unsubscribe link
	To     string
	Name   string
	Lang   string // LangEnglish or LangChinese
	// Link is a path of the web app (e.g. "/#/reset?token=..."): the mailer
	// puts the public address in front.
	Link string
	// Args are what the text names: "title", "decision", "note",
	// "session", "start" and "end" (RFC 3339), "timezone" (IANA), "role".
	Args        map[string]string
	Attachments []MailAttachment
	// NotAfter, when set, is when sending it stops making sense (a reset
	// link that has expired).
	NotAfter time.Time
}

// MailAttachment is a file sent with a mail, such as a calendar entry.
type MailAttachment struct {
	Name        string
	ContentType string
	Data        []byte
}

// Postbox takes mail to send. Posting never fails the action that caused
// it: the implementation keeps the mail (an outbox in the store) and logs
// what it could not keep.
type Postbox interface {
	Post(ctx context.Context, m Mail)
}

// MailStatus is what organizers see about the mail system.
type MailStatus struct {
	Enabled bool `json:"enabled"` // SMTP is configured
	Pending int  `json:"pending"` // waiting in the outbox
	Failed  int  `json:"failed"`  // given up after every retry
}

// OutboxMessage is a mail written out and waiting in the outbox until it is
// sent: kept in the store, so that a restart loses nothing. Its body may
// hold a link that acts on an account: it is deleted once sent (the sent
// log keeps only who got what, when).
type OutboxMessage struct {
	ID          string            `bson:"_id"`
	Kind        MailKind          `bson:"kind"`
	To          string            `bson:"to"`
	Subject     string            `bson:"subject"`
	Text        string            `bson:"text"`
	HTML        string            `bson:"html"`
	Headers     map[string]string `bson:"headers"`
	Attachments []MailAttachment  `bson:"attachments"`
	CreatedAt   time.Time         `bson:"createdAt"`
	NotAfter    time.Time         `bson:"notAfter"`    // not sent after this
	NextAttempt time.Time         `bson:"nextAttempt"` // not before this
	Attempts    int               `bson:"attempts"`
	LastError   string            `bson:"lastError"`
	Failed      bool              `bson:"failed"` // given up: kept for organizers to see
	// ClaimedUntil is when the sender that took the message gives it back,
	// if it has not sent it by then (it crashed).
	ClaimedUntil time.Time `bson:"claimedUntil"`
}

// OutboxStore keeps the outbox and the log of sent mail.
type OutboxStore interface {
	// AddMail stores m.
	AddMail(ctx context.Context, m *OutboxMessage) error
	// DueMail returns up to limit messages that are not failed, whose next
	// attempt is at or before now and that no sender holds.
	DueMail(ctx context.Context, now time.Time, limit int) ([]*OutboxMessage, error)
	// ClaimMail takes message id for one sender until until, unless another
	// holds it: reports whether this one got it.
	ClaimMail(ctx context.Context, id string, now, until time.Time) (bool, error)
	// MailSent removes message id from the outbox and logs that it was sent at.
	MailSent(ctx context.Context, id string, at time.Time) error
	// MailWasSent reports whether message id is in the sent log.
	MailWasSent(ctx context.Context, id string) (bool, error)
	// MailRetry records a failed attempt: the attempts, the error, the next
	// attempt, or that it failed for good.
	MailRetry(ctx context.Context, id string, attempts int, next time.Time, lastErr string, failed bool) error
	// CountMail counts the messages waiting and those given up.
	CountMail(ctx context.Context) (pending, failed int, err error)
}
