package roadshow

import (
	"context"
	"time"
)

// Actor is the authenticated caller of a service method.
type Actor struct {
	UserID string
	Role   Role
}

// Is reports whether the actor has one of the roles.
func (a Actor) Is(roles ...Role) bool {
	for _, r := range roles {
		if a.Role == r {
			return true
		}
	}
	return false
}

type actorKey struct{}

// NewContextWithActor returns a copy of ctx that carries a.
func NewContextWithActor(ctx context.Context, a Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

// ActorFromContext returns the actor of ctx, if any.
func ActorFromContext(ctx context.Context) (Actor, bool) {
	a, ok := ctx.Value(actorKey{}).(Actor)
	return a, ok && a.UserID != ""
}

// Clock tells the time; tests give a fixed one.
type Clock interface {
	Now() time.Time
}

// SystemClock is the wall clock, in UTC and to the millisecond (what BSON keeps).
type SystemClock struct{}

// Now returns the current time.
func (SystemClock) Now() time.Time { return time.Now().UTC().Truncate(time.Millisecond) }

// ValidID reports whether s has the shape of a stored id (24 hex digits).
func ValidID(s string) bool {
	if len(s) != 24 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}

// unless returns nil when ok, else refusal: the shape of every rule, so
// that a rule is one line saying what it allows and what it answers
// otherwise (the refusal is built either way; it is small).
func unless(ok bool, refusal *Error) error {
	if ok {
		return nil
	}
	return refusal
}
