package auth

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"strconv"
	"strings"
	"time"

	"github.com/roadshow/roadshow/roadshow"
)

// DeckLinkTTL is how long a signed deck link opens the deck: long enough to
// read it beside the application, short enough that a copied link is soon
// dead. The page asks for a new one when it opens the deck again.
const DeckLinkTTL = 10 * time.Minute

// deckKeyLabel derives the deck links' key from the token key, so that a
// deck link is never a valid JWT signature nor the other way round.
const deckKeyLabel = "roadshow deck link v1"

// SignDeck returns a token that lets the holder of access read one version
// of one application's deck until it expires. An <iframe> cannot send a
// Bearer header; this token goes in the URL instead, bound to the deck (its
// application and SHA-256) and to the viewer (account, role and token
// version, so that revoking the account revokes the link).
func (t *Tokens) SignDeck(a Access, applicationID, sha string, ttl time.Duration) (string, time.Time) {
	exp := t.clock.Now().Add(ttl).Truncate(time.Second)
	payload := strings.Join([]string{applicationID, sha, a.UserID, string(a.Role), strconv.Itoa(a.Version),
		strconv.FormatInt(exp.Unix(), 10)}, "|")
	return base64.RawURLEncoding.EncodeToString([]byte(payload)) + "." + base64.RawURLEncoding.EncodeToString(t.deckMAC(payload)), exp
}

// VerifyDeck checks a deck token for applicationID and returns the viewer
// and the deck version (SHA-256) it opens. EUNAUTHORIZED for any failure:
// a bad signature, another application's token, an expired one.
func (t *Tokens) VerifyDeck(token, applicationID string) (Access, string, error) {
	bad := roadshow.NewError(roadshow.EUNAUTHORIZED, "application.deck_link_invalid", nil)
	p64, m64, ok := strings.Cut(token, ".")
	if !ok {
		return Access{}, "", bad
	}
	payload, err1 := base64.RawURLEncoding.DecodeString(p64)
	mac, err2 := base64.RawURLEncoding.DecodeString(m64)
	if err1 != nil || err2 != nil || !hmac.Equal(mac, t.deckMAC(string(payload))) {
		return Access{}, "", bad
	}
	f := strings.Split(string(payload), "|")
	if len(f) != 6 || f[0] != applicationID {
		return Access{}, "", bad
	}
	ver, err1 := strconv.Atoi(f[4])
	exp, err2 := strconv.ParseInt(f[5], 10, 64)
	role := roadshow.Role(f[3])
	expires := time.Unix(exp, 0)
	if err1 != nil || err2 != nil || !role.Valid() || f[2] == "" || !t.clock.Now().Before(expires) {
		return Access{}, "", bad
	}
	return Access{Actor: roadshow.Actor{UserID: f[2], Role: role}, Version: ver, Calendar: -1, ExpiresAt: expires}, f[1], nil
}

func (t *Tokens) deckMAC(payload string) []byte {
	k := hmac.New(sha256.New, t.key)
	k.Write([]byte(deckKeyLabel))
	m := hmac.New(sha256.New, k.Sum(nil))
	m.Write([]byte(payload))
	return m.Sum(nil)
}
