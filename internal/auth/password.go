// Package auth issues and verifies access tokens (JWT, HS256) and hashes
// passwords with argon2id.
package auth

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"runtime"
	"strings"
	"time"

	"github.com/roadshow/roadshow/roadshow"
	"golang.org/x/crypto/argon2"
	"golang.org/x/text/unicode/norm"
)

// argon2id parameters: the OWASP minimum (19 MiB, two passes, one lane).
const (
	argonMemory  = 19 * 1024
	argonTime    = 2
	argonThreads = 1
	argonKeyLen  = 32
	saltLen      = 16
)

// HashPassword returns an encoded argon2id hash with a fresh random salt, in
// the PHC string format so the parameters can change later.
func HashPassword(password string) (string, error) {
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("read salt: %w", err)
	}
	key := argon2.IDKey([]byte(password), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, argonMemory, argonTime, argonThreads, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// Passwords hashes and checks passwords for the domain
// (roadshow.PasswordHasher) with HashPassword and CheckPassword, a few at a
// time: each argon2id run takes 19 MiB and a core for tens of
// milliseconds, so a flood of log-ins would otherwise exhaust memory and
// starve every other request. A call waits at most Wait for one of Slots
// slots and otherwise answers ERATELIMITED ("auth.busy"), which the HTTP
// layer sends as 429 with Retry-After.
type Passwords struct {
	slots *Slots
}

// Slots bound how many of an expensive thing run at once: Acquire waits at
// most its wait for one and otherwise answers ERATELIMITED ("auth.busy",
// with the seconds to wait), which the HTTP layer sends as 429 with
// Retry-After.
type Slots struct {
	c    chan struct{}
	wait time.Duration
}

// NewSlots returns n slots (n < 1: the number of CPUs) with a wait of wait
// (0: DefaultPasswordWait).
func NewSlots(n int, wait time.Duration) *Slots {
	if n < 1 {
		n = runtime.NumCPU()
	}
	if wait <= 0 {
		wait = DefaultPasswordWait
	}
	return &Slots{c: make(chan struct{}, n), wait: wait}
}

// Acquire takes a slot and returns its release, or ERATELIMITED after the
// wait (or when ctx ends first).
func (s *Slots) Acquire(ctx context.Context) (func(), error) {
	select {
	case s.c <- struct{}{}:
		return func() { <-s.c }, nil
	default:
	}
	t := time.NewTimer(s.wait)
	defer t.Stop()
	select {
	case s.c <- struct{}{}:
		return func() { <-s.c }, nil
	case <-t.C:
	case <-ctx.Done():
	}
	return nil, roadshow.NewError(roadshow.ERATELIMITED, "auth.busy", roadshow.Args{"seconds": busyRetry})
}

// DefaultPasswordWait is how long a hash waits for a free slot.
const DefaultPasswordWait = 2 * time.Second

// NewPasswords returns a hasher that runs at most slots hashes at once
// (slots < 1: the number of CPUs) and waits at most wait (0:
// DefaultPasswordWait) for a free slot.
func NewPasswords(slots int, wait time.Duration) *Passwords {
	return &Passwords{slots: NewSlots(slots, wait)}
}

var _ roadshow.PasswordHasher = (*Passwords)(nil)

// Normalize returns the NFKC form of password (NIST SP 800-63B, 5.1.1.2),
// in which it is checked, hashed and compared.
func (p *Passwords) Normalize(password string) string { return norm.NFKC.String(password) }

// busyRetry is the Retry-After, in seconds, of a busy answer.
const busyRetry = 2

// HashPassword returns an argon2id hash of password (see HashPassword).
func (p *Passwords) HashPassword(ctx context.Context, password string) (string, error) {
	release, err := p.slots.Acquire(ctx)
	if err != nil {
		return "", err
	}
	defer release()
	return HashPassword(password)
}

// CheckPassword reports whether password matches hash (see CheckPassword).
func (p *Passwords) CheckPassword(ctx context.Context, hash, password string) (bool, error) {
	release, err := p.slots.Acquire(ctx)
	if err != nil {
		return false, err
	}
	defer release()
	return CheckPassword(hash, password), nil
}

// dummyHash is compared against when an account does not exist, so that a
// login for an unknown e-mail costs as long as one with a wrong password.
const dummyHash = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$Yk2uYbDyL1q1h6yOsdJzO9bXkJyWU3C0nS3Ci0lc4tU"

// CheckPassword reports whether password matches the encoded hash. An empty
// hash is checked against a dummy so that timing does not reveal it.
func CheckPassword(encoded, password string) bool {
	if encoded == "" {
		checkHash(dummyHash, password)
		return false
	}
	return checkHash(encoded, password)
}

func checkHash(encoded, password string) bool {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false
	}
	var m uint32
	var t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil || m > 1<<20 || t == 0 || t > 10 || p == 0 {
		return false
	}
	b64 := base64.RawStdEncoding
	salt, err := b64.DecodeString(parts[4])
	if err != nil {
		return false
	}
	want, err := b64.DecodeString(parts[5])
	if err != nil || len(want) == 0 {
		return false
	}
	got := argon2.IDKey([]byte(password), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}
