package http

import (
	"sync"
	"time"

	"github.com/roadshow/roadshow/roadshow"
)

// RateLimit is a token bucket: Burst attempts at once, then one more every Every.
type RateLimit struct {
	Burst int
	Every time.Duration
}

// DefaultLoginLimit allows 10 quick attempts per client and e-mail, then one
// a minute: plenty for a person who mistyped, useless for guessing.
func DefaultLoginLimit() RateLimit { return RateLimit{Burst: 10, Every: time.Minute} }

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
}
