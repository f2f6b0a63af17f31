package roadshow

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"time"
)

// An account link is what an e-mail hands a person to act on their account
// without signing in: set a password (an invitation), choose a new one (a
// reset) or confirm the address. The link carries a random secret; the
// store keeps only its SHA-256, so that a copy of the database opens no
// account. A link works once, until it expires, and only while the account
// is at the token version it was made for (a password set since, or a
// disabled account, voids it).

// LinkPurpose is what an account link does.
type LinkPurpose string

const (
	LinkReset   LinkPurpose = "reset"
	LinkInvite  LinkPurpose = "invite"
	LinkConfirm LinkPurpose = "confirm"
)

// How long each kind of link works. A reset link is short-lived: it is as
// good as the password for its lifetime.
const (
	ResetLinkTTL   = 45 * time.Minute
	InviteLinkTTL  = 7 * 24 * time.Hour
	ConfirmLinkTTL = 7 * 24 * time.Hour
)

// AccountLink is a stored link: ID is the hex SHA-256 of its secret.
type AccountLink struct {
	ID           string      `bson:"_id"`
	Purpose      LinkPurpose `bson:"purpose"`
	UserID       string      `bson:"userId"`
	TokenVersion int         `bson:"tokenVersion"`
	CreatedAt    time.Time   `bson:"createdAt"`
	ExpiresAt    time.Time   `bson:"expiresAt"`
}

// NewLinkSecret returns a fresh secret for a link (43 URL-safe characters,
// 256 random bits) and the id under which the link is stored.
func NewLinkSecret() (secret, id string, err error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", "", err
	}
	secret = base64.RawURLEncoding.EncodeToString(b)
	return secret, LinkID(secret), nil
}

// LinkID is the stored id of a link's secret.
func LinkID(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// ValidLinkSecret reports whether s has the shape of a link secret, so that
// nothing else reaches the store.
func ValidLinkSecret(s string) bool {
	if len(s) != 43 {
		return false
	}
	_, err := base64.RawURLEncoding.DecodeString(s)
	return err == nil
}

// Usable reports whether l may act on u at now for purpose: EUNPROCESSABLE
// with the one message "user.link_invalid" otherwise (used, expired, for
// another purpose, or the account changed since).
func (l *AccountLink) Usable(purposes []LinkPurpose, u *User, now time.Time) error {
	ok := now.Before(l.ExpiresAt) && !u.Disabled && u.ID == l.UserID && u.TokenVersion == l.TokenVersion
	purposeOK := false
	for _, p := range purposes {
		purposeOK = purposeOK || p == l.Purpose
	}
	return unless(ok && purposeOK, NewError(EUNPROCESSABLE, "user.link_invalid", nil))
}

// AccountLinkStore keeps account links.
type AccountLinkStore interface {
	// CreateLink stores l.
	CreateLink(ctx context.Context, l *AccountLink) error
	// LinkByID returns ENOTFOUND when there is no such link.
	LinkByID(ctx context.Context, id string) (*AccountLink, error)
	// DeleteLink removes the link and reports whether it was there: of two
	// concurrent uses, exactly one gets true.
	DeleteLink(ctx context.Context, id string) (bool, error)
}
