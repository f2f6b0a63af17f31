package http

import (
	"strconv"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/roadshow/roadshow/roadshow"
)

// RateLimit is a token bucket: Burst attempts at once, then one more every Every.
type RateLimit struct {
	Burst int
	Every time.Duration
}

// Limits are the buckets in front of the public account routes. Log-ins
// are limited per client address (one client trying many accounts), per
// account (many clients trying one account) and globally (a flood from
// everywhere); registrations and reset requests per client address, and
// the mail they cause per address (nobody's inbox gets flooded).
type Limits struct {
	LoginClient  RateLimit
	LoginAccount RateLimit
	LoginGlobal  RateLimit
	SignUpClient RateLimit // registrations and reset requests
	MailAddress  RateLimit // account mail (welcome, reset) to one address
}

// DefaultLimits are generous for people, useless for guessing: 20 quick
// log-ins from one address then one every 3 s; 10 at one account then one
// a minute; 100 a second overall (more than two cores can hash anyway:
// the password slots bound the work, these bound the queue); 10
// registrations or reset requests from one address, then one every 30 s;
// 3 account mails to one address, then one every 10 minutes.
func DefaultLimits() Limits {
	return Limits{
		LoginClient:  RateLimit{Burst: 20, Every: 3 * time.Second},
		LoginAccount: RateLimit{Burst: 10, Every: time.Minute},
		LoginGlobal:  RateLimit{Burst: 200, Every: 10 * time.Millisecond},
		SignUpClient: RateLimit{Burst: 10, Every: 30 * time.Second},
		MailAddress:  RateLimit{Burst: 3, Every: 10 * time.Minute},
	}
}

func (l Limits) withDefaults() Limits {
	d := DefaultLimits()
	for _, f := range []struct{ have, def *RateLimit }{
		{&l.LoginClient, &d.LoginClient}, {&l.LoginAccount, &d.LoginAccount}, {&l.LoginGlobal, &d.LoginGlobal},
		{&l.SignUpClient, &d.SignUpClient}, {&l.MailAddress, &d.MailAddress},
	} {
		if *f.have == (RateLimit{}) {
			*f.have = *f.def
		}
	}
	return l
}

// limiters are the buckets of a Server.
type limiters struct {
	loginClient, loginAccount, loginGlobal, signUpClient, mailAddress *limiter
}

func newLimiters(l Limits, clock roadshow.Clock) limiters {
	return limiters{
		loginClient: newLimiter(l.LoginClient, clock), loginAccount: newLimiter(l.LoginAccount, clock),
		loginGlobal: newLimiter(l.LoginGlobal, clock), signUpClient: newLimiter(l.SignUpClient, clock),
		mailAddress: newLimiter(l.MailAddress, clock),
	}
}

// limited returns the 429 of the first bucket without a token, with
// Retry-After set; nil when every bucket had one. Buckets are only taken
// from while the earlier ones allowed.
func limited(c *fiber.Ctx, checks ...func() (bool, time.Duration)) error {
	for _, check := range checks {
		if ok, wait := check(); !ok {
			secs := int(wait.Seconds()) + 1
			c.Set(fiber.HeaderRetryAfter, strconv.Itoa(secs))
			return roadshow.NewError(roadshow.ERATELIMITED, "auth.rate_limited", roadshow.Args{"seconds": secs})
		}
	}
	return nil
}

// take is a check of limited: a token of l for key.
func take(l *limiter, key string) func() (bool, time.Duration) {
	return func() (bool, time.Duration) { return l.allow(key) }
}

// limiter holds one bucket per key. It is owned by a Server; stale buckets
// are dropped as it grows, so memory stays bounded without a goroutine.
type limiter struct {
	mu      sync.Mutex
	limit   RateLimit
	clock   roadshow.Clock
	buckets map[string]*bucket
}

type bucket struct {
	tokens float64
	at     time.Time
}

const maxBuckets = 100_000

func newLimiter(l RateLimit, clock roadshow.Clock) *limiter {
	return &limiter{limit: l, clock: clock, buckets: map[string]*bucket{}}
}

// allow takes a token for key, or reports how long until one is free.
func (l *limiter) allow(key string) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.clock.Now()
	b := l.buckets[key]
	if b == nil {
		if len(l.buckets) >= maxBuckets {
			l.sweep(now)
		}
		b = &bucket{tokens: float64(l.limit.Burst), at: now}
		l.buckets[key] = b
	}
	b.tokens = min(float64(l.limit.Burst), b.tokens+float64(now.Sub(b.at))/float64(l.limit.Every))
	b.at = now
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	wait := time.Duration((1 - b.tokens) * float64(l.limit.Every))
	return false, wait
}

// sweep drops buckets that have refilled completely: they hold no state.
func (l *limiter) sweep(now time.Time) {
	full := time.Duration(l.limit.Burst) * l.limit.Every
	for k, b := range l.buckets {
		if now.Sub(b.at) >= full {
			delete(l.buckets, k)
		}
	}
	if len(l.buckets) >= maxBuckets {
		// Still full (a flood of distinct keys): start over rather than grow.
		clear(l.buckets)
	}
}
