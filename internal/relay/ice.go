package relay

import (
	"crypto/hmac"
	"crypto/sha1" //nolint:gosec // the TURN REST convention (coturn's use-auth-secret) is HMAC-SHA1
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/pion/stun"
	"github.com/pion/webrtc/v3"
)

const (
	// DefaultCredentialTTL is how long TURN credentials last when ICEConfig does
	// not say. A TURN client must re-authenticate every refresh of its allocation,
	// so the credentials must outlive the longest session a participant stays in.
	DefaultCredentialTTL = 12 * time.Hour

	// MaxCredentialTTL caps credential lifetimes: a leaked credential is only
	// worth so much, and the TURN server refuses anything expiring later.
	MaxCredentialTTL = 48 * time.Hour

	// maxUserIDLen keeps TURN usernames well inside STUN's 513-byte USERNAME.
	maxUserIDLen = 128

	// minSecretLen is the shortest shared secret accepted: anyone who guesses it
	// can mint credentials for the relay.
	minSecretLen = 16
)

// Errors of VerifyTURNCredential (and of the embedded TURN server's
// authentication, which logs them at debug level only).
var (
	ErrCredentialExpired   = errors.New("relay: TURN credential expired")
	ErrCredentialTooLong   = errors.New("relay: TURN credential expires too far in the future")
	ErrCredentialMismatch  = errors.New("relay: TURN credential does not match its username")
	ErrCredentialMalformed = errors.New("relay: TURN username is not <unix expiry>:<user id>")
)

// ICEConfig says which ICE servers participants get and how their TURN
// credentials are made. The TURN URLs may point at the embedded server
// (TURNServer.URLs), at an external coturn with static-auth-secret set to
// Secret, or both.
type ICEConfig struct {
	STUNURLs      []string      // stun: or stuns: URLs, handed out without credentials
	TURNURLs      []string      // turn: or turns: URLs, e.g. turn:203.0.113.7:3478?transport=tcp
	Secret        string        `json:"-"` // shared with the TURN servers; required when TURNURLs is set
	CredentialTTL time.Duration // lifetime of each credential; 0 means DefaultCredentialTTL
}

// ICEServer is one entry of RTCConfiguration.iceServers as a browser expects it.
type ICEServer struct {
	URLs       []string `json:"urls"`
	Username   string   `json:"username,omitempty"`
	Credential string   `json:"credential,omitempty"`
}

// Validate reports the first problem with c.
func (c ICEConfig) Validate() error {
	for _, u := range c.STUNURLs {
		if err := checkURL(u, stun.SchemeTypeSTUN, stun.SchemeTypeSTUNS); err != nil {
			return err
		}
	}
	for _, u := range c.TURNURLs {
		if err := checkURL(u, stun.SchemeTypeTURN, stun.SchemeTypeTURNS); err != nil {
			return err
		}
	}
	if len(c.TURNURLs) > 0 && len(c.Secret) < minSecretLen {
		return fmt.Errorf("ice: TURN servers need a shared secret of at least %d bytes", minSecretLen)
	}
	if c.CredentialTTL < 0 || c.CredentialTTL > MaxCredentialTTL {
		return fmt.Errorf("ice: credential lifetime %s is outside (0, %s]", c.CredentialTTL, MaxCredentialTTL)
	}

	return nil
}

// checkURL parses u as pion (and so the browser) will, and checks its scheme.
func checkURL(u string, schemes ...stun.SchemeType) error {
	parsed, err := stun.ParseURI(u)
	if err != nil {
		return fmt.Errorf("ice: url %q: %w", u, err)
	}
	for _, s := range schemes {
		if parsed.Scheme == s {
			return nil
		}
	}

	return fmt.Errorf("ice: url %q: scheme %s, want one of %v", u, parsed.Scheme, schemes)
}

// Servers returns the ICE servers for userID, with TURN credentials valid from
// now for c.CredentialTTL. The result is never nil, so it encodes as [].
func (c ICEConfig) Servers(userID string, now time.Time) ([]ICEServer, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	servers := []ICEServer{}
	if len(c.STUNURLs) > 0 {
		servers = append(servers, ICEServer{URLs: append([]string(nil), c.STUNURLs...)})
	}
	if len(c.TURNURLs) > 0 {
		ttl := c.CredentialTTL
		if ttl == 0 {
			ttl = DefaultCredentialTTL
		}
		username, credential, err := NewTURNCredential(c.Secret, userID, now.Add(ttl))
		if err != nil {
			return nil, err
		}
		servers = append(servers, ICEServer{
			URLs:       append([]string(nil), c.TURNURLs...),
			Username:   username,
			Credential: credential,
		})
	}

	return servers, nil
}

// WebRTCServers converts servers for a pion webrtc.Configuration.
func WebRTCServers(servers []ICEServer) []webrtc.ICEServer {
	out := make([]webrtc.ICEServer, 0, len(servers))
	for _, s := range servers {
		w := webrtc.ICEServer{URLs: append([]string(nil), s.URLs...)}
		if s.Username != "" || s.Credential != "" {
			w.Username = s.Username
			w.Credential = s.Credential
			w.CredentialType = webrtc.ICECredentialTypePassword
		}
		out = append(out, w)
	}

	return out
}

// NewTURNCredential returns TURN REST API credentials for userID that expire
// at expires: username "<unix expiry>:<userID>" and credential
// base64(HMAC-SHA1(secret, username)), as coturn's use-auth-secret expects.
// A user ID is 1 to 128 bytes of printable ASCII without spaces, since it
// travels in STUN messages and in HTTP headers.
func NewTURNCredential(secret, userID string, expires time.Time) (username, credential string, err error) {
	if !validUserID(userID) {
		return "", "", fmt.Errorf("ice: user id %q: %w", userID, ErrCredentialMalformed)
	}
	username = strconv.FormatInt(expires.Unix(), 10) + ":" + userID

	return username, turnPassword(secret, username), nil
}

// VerifyTURNCredential checks credentials made by NewTURNCredential and
// returns their user ID. It returns ErrCredentialMalformed,
// ErrCredentialExpired, ErrCredentialTooLong (expiry more than
// MaxCredentialTTL after now) or ErrCredentialMismatch.
func VerifyTURNCredential(secret, username, credential string, now time.Time) (userID string, err error) {
	userID, err = checkTURNUsername(username, now)
	if err != nil {
		return "", err
	}
	got, err := base64.StdEncoding.DecodeString(credential)
	if err != nil || !hmac.Equal(got, turnMAC(secret, username)) {
		return "", ErrCredentialMismatch
	}

	return userID, nil
}

// checkTURNUsername checks the form and the expiry of a TURN REST username,
// everything but the credential, which the TURN server checks through
// STUN's MESSAGE-INTEGRITY instead of receiving it.
func checkTURNUsername(username string, now time.Time) (userID string, err error) {
	expiry, userID, ok := strings.Cut(username, ":")
	if !ok || !allDigits(expiry) || !validUserID(userID) {
		return "", ErrCredentialMalformed
	}
	exp, err := strconv.ParseInt(expiry, 10, 64)
	if err != nil {
		return "", ErrCredentialMalformed
	}
	switch {
	case exp <= now.Unix():
		return "", ErrCredentialExpired
	case exp > now.Add(MaxCredentialTTL).Unix():
		return "", ErrCredentialTooLong
	}

	return userID, nil
}

func turnMAC(secret, username string) []byte {
	mac := hmac.New(sha1.New, []byte(secret))
	mac.Write([]byte(username)) // a hash never fails to write

	return mac.Sum(nil)
}

func turnPassword(secret, username string) string {
	return base64.StdEncoding.EncodeToString(turnMAC(secret, username))
}

func allDigits(s string) bool {
	if s == "" || len(s) > 19 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}

	return true
}

func validUserID(s string) bool {
	if s == "" || len(s) > maxUserIDLen {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] <= ' ' || s[i] > '~' {
			return false
		}
	}

	return true
}

// LinkHeaders renders servers as the Link header values a WHIP or WHEP
// server returns (RFC 9725 section 4.6), one per URL:
//
//	<turn:203.0.113.7:3478?transport=udp>; rel="ice-server"; username="..."; credential="..."; credential-type="password"
//
// It refuses what a header cannot carry safely (control characters, which
// would let a value end the header, and non-ASCII) rather than mangle it.
func LinkHeaders(servers []ICEServer) ([]string, error) {
	var out []string
	for _, s := range servers {
		var params string
		if s.Username != "" || s.Credential != "" {
			user, err := quoteParam(s.Username)
			if err != nil {
				return nil, fmt.Errorf("ice: link header username: %w", err)
			}
			cred, err := quoteParam(s.Credential)
			if err != nil {
				return nil, fmt.Errorf("ice: link header credential: %w", err)
			}
			params = "; username=" + user + "; credential=" + cred + `; credential-type="password"`
		}
		for _, u := range s.URLs {
			if !validLinkTarget(u) {
				return nil, fmt.Errorf("ice: link header url %q: not a plain URI", u)
			}
			out = append(out, "<"+u+`>; rel="ice-server"`+params)
		}
	}

	return out, nil
}

// quoteParam makes s an HTTP quoted-string (RFC 9110 section 5.6.4): quotes and
// backslashes escaped, no control characters.
func quoteParam(s string) (string, error) {
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c < ' ' || c > '~':
			return "", fmt.Errorf("byte %#x at %d cannot be quoted", c, i)
		case c == '"' || c == '\\':
			b.WriteByte('\\')
		}
		b.WriteByte(c)
	}
	b.WriteByte('"')

	return b.String(), nil
}

// validLinkTarget reports whether u can stand between < and > in a Link header.
func validLinkTarget(u string) bool {
	if u == "" {
		return false
	}
	for i := 0; i < len(u); i++ {
		if c := u[i]; c <= ' ' || c > '~' || c == '<' || c == '>' || c == '"' {
			return false
		}
	}

	return true
}
