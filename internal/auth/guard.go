package auth

import (
	"context"
	"sync"
	"time"

	"github.com/roadshow/roadshow/roadshow"
)

// DefaultGuardTTL is how long the Guard trusts what it read about an
// account. Changes made through this process reach it at once (Revoke);
// the TTL bounds how long a change made elsewhere (another node, a tool)
// takes to show.
const DefaultGuardTTL = 10 * time.Second

// guardMax bounds the cache; past it, stale entries are dropped.
const guardMax = 50_000

// Guard decides whether a verified token still works: the account must
// exist, not be disabled, have the token's role and be at the token's
// version (and calendar version). It caches each account's state briefly,
// so that every request does not read the store.
type Guard struct {
	lookup func(ctx context.Context, userID string) (roadshow.TokenState, error)
	ttl    time.Duration
	clock  roadshow.Clock

	mu  sync.Mutex
	m   map[string]guardEntry
	gen uint64 // raised by every Revoke: a lookup that raced one is not kept
}

type guardEntry struct {
	state roadshow.TokenState
	gone  bool
	at    time.Time
}

// NewGuard returns a guard reading accounts with lookup (ENOTFOUND for a
// deleted one) and trusting each answer for ttl (0: DefaultGuardTTL).
func NewGuard(lookup func(ctx context.Context, userID string) (roadshow.TokenState, error), ttl time.Duration, clock roadshow.Clock) *Guard {
	if ttl <= 0 {
		ttl = DefaultGuardTTL
	}
	return &Guard{lookup: lookup, ttl: ttl, clock: clock, m: map[string]guardEntry{}}
}

var _ roadshow.TokenRevoker = (*Guard)(nil)

// Check returns nil when the token a still works, EUNAUTHORIZED
// ("auth.token_revoked") when the account changed since it was issued, is
// disabled or is gone, and the store's error when it cannot tell.
func (g *Guard) Check(ctx context.Context, a Access) error {
	e, err := g.entry(ctx, a.UserID)
	if err != nil {
		return err
	}
	if e.gone || !e.state.Accepts(a.Role, a.Version, a.Calendar) {
		return roadshow.NewError(roadshow.EUNAUTHORIZED, "auth.token_revoked", nil)
	}
	return nil
}

func (g *Guard) entry(ctx context.Context, id string) (guardEntry, error) {
	now := g.clock.Now()
	g.mu.Lock()
	e, ok := g.m[id]
	gen := g.gen
	g.mu.Unlock()
	if ok && now.Sub(e.at) < g.ttl && !now.Before(e.at) {
		return e, nil
	}
	st, err := g.lookup(ctx, id)
	switch roadshow.ErrorCode(err) {
	case "":
		e = guardEntry{state: st, at: now}
	case roadshow.ENOTFOUND:
		e = guardEntry{gone: true, at: now}
	default:
		return guardEntry{}, err
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.gen != gen {
		return e, nil // a revocation raced this read: answer it, keep nothing
	}
	if len(g.m) >= guardMax {
		for k, old := range g.m {
			if now.Sub(old.at) >= g.ttl {
				delete(g.m, k)
			}
		}
	}
	g.m[id] = e
	return e, nil
}

// Revoke forgets what the guard knows of the account, so that the next
// check reads it again.
func (g *Guard) Revoke(userID string) {
	g.mu.Lock()
	delete(g.m, userID)
	g.gen++
	g.mu.Unlock()
}
