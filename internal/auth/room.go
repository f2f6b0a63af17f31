package auth

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/roadshow/roadshow/roadshow"
)

// RoomAudience is the audience of room tokens: they open one session's live
// room (its WebSocket, WHIP and WHEP) and nothing else.
const RoomAudience = "roadshow-room"

// DefaultRoomTTL is how long a room token opens the room. The room checks
// the session's state on every join, and follows it afterwards, so the token
// only needs to outlast the wait before a presenter starts OBS Studio.
const DefaultRoomTTL = 4 * time.Hour

// RoomClaims are the claims of a room token: the session and the most its
// holder may do there (LiveKit calls these grants).
type RoomClaims struct {
	Role    roadshow.Role      `json:"role"`
	Version int                `json:"ver"`
	Session string             `json:"sid"`
	Grant   roadshow.RoomGrant `json:"grant"`
	jwt.RegisteredClaims
}

// IssueRoom returns a room token for the holder of access in one session,
// carrying grant as the ceiling of what they may do there, and the token
// version of the access token it was asked with (so that it is revoked
// with it).
func (t *Tokens) IssueRoom(a Access, sessionID string, grant roadshow.RoomGrant, ttl time.Duration) (string, time.Time, error) {
	now := t.clock.Now()
	exp := now.Add(ttl)
	jti := make([]byte, 16)
	if _, err := rand.Read(jti); err != nil {
		return "", time.Time{}, fmt.Errorf("room token id: %w", err)
	}
	claims := RoomClaims{
		Role: a.Role, Version: a.Version, Session: sessionID, Grant: grant,
		RegisteredClaims: jwt.RegisteredClaims{
			Subject: a.UserID, Issuer: Issuer, Audience: jwt.ClaimStrings{RoomAudience},
			IssuedAt: jwt.NewNumericDate(now), ExpiresAt: jwt.NewNumericDate(exp), ID: hex.EncodeToString(jti),
		},
	}
	s, err := jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString(t.key)
	if err != nil {
		return "", time.Time{}, fmt.Errorf("sign room token: %w", err)
	}
	return s, exp, nil
}

// VerifyRoom checks a room token (HS256 only, issuer, audience, expiry) for
// the given session and returns its holder and grant. EUNAUTHORIZED for any
// failure, a token of another session included.
func (t *Tokens) VerifyRoom(token, sessionID string) (roadshow.Actor, roadshow.RoomGrant, error) {
	a, g, err := t.VerifyRoomAccess(token, sessionID)
	return a.Actor, g, err
}

// VerifyRoomAccess is VerifyRoom with the token's version and expiry.
func (t *Tokens) VerifyRoomAccess(token, sessionID string) (Access, roadshow.RoomGrant, error) {
	var c RoomClaims
	_, err := jwt.ParseWithClaims(token, &c, func(*jwt.Token) (any, error) { return t.key, nil },
		jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}),
		jwt.WithIssuer(Issuer),
		jwt.WithAudience(RoomAudience),
		jwt.WithExpirationRequired(),
		jwt.WithIssuedAt(),
		jwt.WithTimeFunc(t.clock.Now),
	)
	if err != nil || c.Subject == "" || !c.Role.Valid() || c.Session == "" {
		return Access{}, roadshow.RoomGrant{}, roadshow.NewError(roadshow.EUNAUTHORIZED, "auth.room_token_invalid", nil)
	}
	if c.Session != sessionID {
		return Access{}, roadshow.RoomGrant{}, roadshow.NewError(roadshow.EUNAUTHORIZED, "auth.room_token_other_session", nil)
	}
	for _, src := range c.Grant.Publish {
		if !src.Valid() {
			return Access{}, roadshow.RoomGrant{}, roadshow.NewError(roadshow.EUNAUTHORIZED, "auth.room_token_invalid", nil)
		}
	}
	return Access{Actor: roadshow.Actor{UserID: c.Subject, Role: c.Role}, Version: c.Version, Calendar: -1, ExpiresAt: c.ExpiresAt.Time}, c.Grant, nil
}
