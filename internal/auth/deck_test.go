package auth_test

import (
	"bytes"
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"github.com/roadshow/roadshow/internal/auth"
	"github.com/roadshow/roadshow/roadshow"
)

func TestDeckLinks(t *testing.T) {
	t.Parallel()
	clock := &fakeClock{t: time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)}
	key := bytes.Repeat([]byte("k"), 32)
	tokens, err := auth.NewTokens(key, time.Hour, clock)
	if err != nil {
		t.Fatal(err)
	}
	other, err := auth.NewTokens(bytes.Repeat([]byte("o"), 32), time.Hour, clock)
	if err != nil {
		t.Fatal(err)
	}
	const app, sha = "0123456789abcdef01234567", "c0ffee"
	viewer := auth.Access{Actor: roadshow.Actor{UserID: "00000000000000000000000a", Role: roadshow.RoleOrganizer}, Version: 3}
	tok, exp := tokens.SignDeck(viewer, app, sha, auth.DeckLinkTTL)
	if !exp.Equal(clock.t.Add(auth.DeckLinkTTL)) {
		t.Fatalf("expires %v", exp)
	}
	a, gotSHA, err := tokens.VerifyDeck(tok, app)
	if err != nil || gotSHA != sha || a.UserID != viewer.UserID || a.Role != viewer.Role || a.Version != 3 {
		t.Fatalf("round trip: %+v %q %v", a, gotSHA, err)
	}
	p64, m64, _ := strings.Cut(tok, ".")
	payload, _ := base64.RawURLEncoding.DecodeString(p64)
	forged := base64.RawURLEncoding.EncodeToString([]byte(strings.Replace(string(payload), "|organizer|", "|judge|", 1))) + "." + m64
	otherTok, _ := other.SignDeck(viewer, app, sha, auth.DeckLinkTTL)
	jwt, _, err := tokens.Issue(&roadshow.User{ID: viewer.UserID, Role: roadshow.RoleOrganizer})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, token, app string
		after            time.Duration
	}{
		{"another application", tok, "0123456789abcdef01234568", 0},
		{"changed payload", forged, app, 0},
		{"another key", otherTok, app, 0},
		{"an access token", jwt, app, 0},
		{"empty", "", app, 0},
		{"no signature", p64, app, 0},
		{"not base64", "***.***", app, 0},
		{"expired", tok, app, auth.DeckLinkTTL},
	} {
		clock.t = time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC).Add(tc.after)
		if _, _, err := tokens.VerifyDeck(tc.token, tc.app); roadshow.ErrorCode(err) != roadshow.EUNAUTHORIZED {
			t.Errorf("%s: got %v, want EUNAUTHORIZED", tc.name, err)
		}
	}
}
