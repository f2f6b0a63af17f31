package auth

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/roadshow/roadshow/roadshow"
)

// Token audiences. Room tokens for live sessions use their own audience so an
// access token can never be replayed as one, nor the other way round.
const (
	Issuer           = "roadshow"
	AccessAudience   = "roadshow-api"
	CalendarAudience = "roadshow-calendar"
	// CalendarTTL is long: calendar apps poll a feed URL for months and
	// cannot log in. The token only reads the feed.
	CalendarTTL = 180 * 24 * time.Hour
)

// Claims are the claims of an access or calendar token: the account's
// token version when it was issued ("ver"), and for calendar tokens the
// calendar version ("cal"). A token whose versions the account no longer
// has stops working (see Guard).
type Claims struct {
	Role    roadshow.Role `json:"role"`
	Version int           `json:"ver"`
	Cal     *int          `json:"cal,omitempty"`
	jwt.RegisteredClaims
}

// Access is a verified token: who it names, the versions it carries and
// when it expires.
type Access struct {
	roadshow.Actor
	Version   int
	Calendar  int // the calendar version of a calendar token; -1 for others
	ExpiresAt time.Time
}

// Tokens issues and verifies HS256 access tokens.
type Tokens struct {
	key   []byte
	ttl   time.Duration
	clock roadshow.Clock
}

// NewTokens returns a token issuer. The key must be at least 32 bytes.
func NewTokens(key []byte, ttl time.Duration, clock roadshow.Clock) (*Tokens, error) {
	if len(key) < 32 {
		return nil, errors.New("jwt key: need at least 32 bytes")
	}
	return &Tokens{key: key, ttl: ttl, clock: clock}, nil
}

// Issue returns a signed access token for u and its expiry.
func (t *Tokens) Issue(u *roadshow.User) (string, time.Time, error) {
	return t.issue(u.ID, u.Role, u.TokenVersion, nil, AccessAudience, t.ttl)
}

// IssueCalendar returns a token that can only read u's calendar feed.
func (t *Tokens) IssueCalendar(u *roadshow.User) (string, time.Time, error) {
	cal := u.CalendarVersion
	return t.issue(u.ID, u.Role, u.TokenVersion, &cal, CalendarAudience, CalendarTTL)
}

// VerifyCalendar checks a calendar-feed token.
func (t *Tokens) VerifyCalendar(token string) (Access, error) {
	return t.verify(token, CalendarAudience)
}

func (t *Tokens) issue(sub string, role roadshow.Role, version int, cal *int, audience string, ttl time.Duration) (string, time.Time, error) {
	now := t.clock.Now()
	exp := now.Add(ttl)
	jti := make([]byte, 16)
	if _, err := rand.Read(jti); err != nil {
		return "", time.Time{}, fmt.Errorf("token id: %w", err)
	}
	claims := Claims{
		Role: role, Version: version, Cal: cal,
		RegisteredClaims: jwt.RegisteredClaims{
			Subject:   sub,
			Issuer:    Issuer,
			Audience:  jwt.ClaimStrings{audience},
			IssuedAt:  jwt.NewNumericDate(now),
			ExpiresAt: jwt.NewNumericDate(exp),
			ID:        hex.EncodeToString(jti),
		},
	}
	s, err := jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString(t.key)
	if err != nil {
		return "", time.Time{}, fmt.Errorf("sign token: %w", err)
	}
	return s, exp, nil
}

// Verify checks a token's signature (HS256 only), issuer, audience and expiry
// and returns the actor it names. Every failure is EUNAUTHORIZED. Whether
// the account still accepts the token is the Guard's to say.
func (t *Tokens) Verify(token string) (roadshow.Actor, error) {
	a, err := t.verify(token, AccessAudience)
	return a.Actor, err
}

// VerifyAccess is Verify, with the versions and expiry of the token.
func (t *Tokens) VerifyAccess(token string) (Access, error) {
	return t.verify(token, AccessAudience)
}

func (t *Tokens) verify(token, audience string) (Access, error) {
	var c Claims
	_, err := jwt.ParseWithClaims(token, &c, func(*jwt.Token) (any, error) { return t.key, nil },
		jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}),
		jwt.WithIssuer(Issuer),
		jwt.WithAudience(audience),
		jwt.WithExpirationRequired(),
		jwt.WithIssuedAt(),
		jwt.WithTimeFunc(t.clock.Now),
	)
	if err != nil || c.Subject == "" || !c.Role.Valid() || (audience == CalendarAudience) != (c.Cal != nil) {
		return Access{}, roadshow.NewError(roadshow.EUNAUTHORIZED, "auth.session_expired", nil)
	}
	a := Access{Actor: roadshow.Actor{UserID: c.Subject, Role: c.Role}, Version: c.Version, Calendar: -1, ExpiresAt: c.ExpiresAt.Time}
	if c.Cal != nil {
		a.Calendar = *c.Cal
	}
	return a, nil
}

// LoadOrCreateKey returns the signing key: from secret when set, else from
// the file dir/jwt.key, created (mode 0600) with 32 random bytes on first
// start so that tokens survive restarts.
func LoadOrCreateKey(secret, dir string) ([]byte, error) {
	if secret != "" {
		if len(secret) < 32 {
			return nil, errors.New("ROADSHOW_JWT_SECRET: use at least 32 characters")
		}
		return []byte(secret), nil
	}
	path := filepath.Join(dir, "jwt.key")
	b, err := os.ReadFile(path)
	if err == nil {
		key, derr := hex.DecodeString(string(b))
		if derr != nil || len(key) < 32 {
			return nil, fmt.Errorf("read %s: not a valid key", path)
		}
		return key, nil
	}
	if !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("read jwt key: %w", err)
	}
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return nil, fmt.Errorf("generate jwt key: %w", err)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("create data dir: %w", err)
	}
	// Write the key to a private temporary file and link it into place, so
	// that the key file never exists half-written: a crash or a concurrent
	// first start must not leave an empty jwt.key that fails every later start.
	f, err := os.CreateTemp(dir, ".jwt.key-*") // mode 0600
	if err != nil {
		return nil, fmt.Errorf("create jwt key: %w", err)
	}
	defer os.Remove(f.Name())
	if _, err := f.WriteString(hex.EncodeToString(key)); err != nil {
		f.Close()
		return nil, fmt.Errorf("write jwt key: %w", err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return nil, fmt.Errorf("write jwt key: %w", err)
	}
	if err := f.Close(); err != nil {
		return nil, fmt.Errorf("write jwt key: %w", err)
	}
	if err := os.Link(f.Name(), path); err != nil {
		if errors.Is(err, os.ErrExist) {
			return LoadOrCreateKey("", dir) // another start won: use its key
		}
		// A file system without hard links: rename, which is atomic too.
		if err := os.Rename(f.Name(), path); err != nil {
			return nil, fmt.Errorf("create jwt key: %w", err)
		}
	}
	return key, nil
}

// UnsubscribeAudience is the audience of the tokens in the unsubscribe
// links of notification mails: they turn off notifications for one
// account and do nothing else.
const (
	UnsubscribeAudience = "roadshow-unsubscribe"
	UnsubscribeTTL      = 365 * 24 * time.Hour
)

// IssueUnsubscribe returns the token of an account's unsubscribe link.
func (t *Tokens) IssueUnsubscribe(userID string) (string, error) {
	s, _, err := t.issue(userID, roadshow.RoleApplicant, 0, nil, UnsubscribeAudience, UnsubscribeTTL)
	return s, err
}

// VerifyUnsubscribe checks an unsubscribe token and returns its account.
func (t *Tokens) VerifyUnsubscribe(token string) (string, error) {
	a, err := t.verify(token, UnsubscribeAudience)
	if err != nil {
		return "", roadshow.NewError(roadshow.EUNPROCESSABLE, "user.link_invalid", nil)
	}
	return a.UserID, nil
}
