package relay_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/pion/webrtc/v3"

	"github.com/roadshow/roadshow/internal/relay"
)

const turnTestSecret = "test-secret-0123456789"

// --- credentials -----------------------------------------------------------

func TestTURNCredentialCoturnVector(t *testing.T) {
	t.Parallel()
	// Computed independently:
	// echo -n "1700000000:alice" | openssl dgst -sha1 -hmac "0123456789abcdef-shared" -binary | base64
	username, credential, err := relay.NewTURNCredential("0123456789abcdef-shared", "alice", time.Unix(1700000000, 0))
	if err != nil {
		t.Fatal(err)
	}
	if want := "1700000000:alice"; username != want {
		t.Errorf("username: got %q, want %q", username, want)
	}
	if want := "TKdZKEkthk+YGeyP+0faMjLZKgI="; credential != want {
		t.Errorf("credential: got %q, want %q", credential, want)
	}
}

func TestVerifyTURNCredential(t *testing.T) {
	t.Parallel()
	now := time.Unix(1800000000, 0)
	mint := func(user string, expires time.Time) (string, string) {
		u, c, err := relay.NewTURNCredential(turnTestSecret, user, expires)
		if err != nil {
			t.Fatal(err)
		}
		return u, c
	}
	aliceUser, aliceCred := mint("alice", now.Add(time.Hour))
	bobUser, _ := mint("bob", now.Add(time.Hour))
	expiredUser, expiredCred := mint("alice", now.Add(-time.Second))
	lastSecondUser, lastSecondCred := mint("alice", now)
	farUser, farCred := mint("alice", now.Add(relay.MaxCredentialTTL+time.Minute))
	maxUser, maxCred := mint("alice", now.Add(relay.MaxCredentialTTL))
	tampered := []byte(aliceCred)
	tampered[3] ^= 1

	tests := []struct {
		name       string
		username   string
		credential string
		secret     string
		wantUser   string
		wantErr    error
	}{
		{"Valid", aliceUser, aliceCred, turnTestSecret, "alice", nil},
		{"ValidAtMaxLifetime", maxUser, maxCred, turnTestSecret, "alice", nil},
		{"ErrCredentialExpired", expiredUser, expiredCred, turnTestSecret, "", relay.ErrCredentialExpired},
		{"ErrCredentialExpiredAtExpiry", lastSecondUser, lastSecondCred, turnTestSecret, "", relay.ErrCredentialExpired},
		{"ErrCredentialTooLong", farUser, farCred, turnTestSecret, "", relay.ErrCredentialTooLong},
		{"ErrCredentialMismatchTampered", aliceUser, string(tampered), turnTestSecret, "", relay.ErrCredentialMismatch},
		{"ErrCredentialMismatchWrongUser", bobUser, aliceCred, turnTestSecret, "", relay.ErrCredentialMismatch},
		{"ErrCredentialMismatchWrongSecret", aliceUser, aliceCred, "another-secret-0123456789", "", relay.ErrCredentialMismatch},
		{"ErrCredentialMismatchNotBase64", aliceUser, "!!!", turnTestSecret, "", relay.ErrCredentialMismatch},
		{"ErrCredentialMismatchEmpty", aliceUser, "", turnTestSecret, "", relay.ErrCredentialMismatch},
		{"ErrCredentialMalformedNoUser", "1800003600", aliceCred, turnTestSecret, "", relay.ErrCredentialMalformed},
		{"ErrCredentialMalformedEmptyUser", "1800003600:", aliceCred, turnTestSecret, "", relay.ErrCredentialMalformed},
		{"ErrCredentialMalformedExpiry", "18000036x0:alice", aliceCred, turnTestSecret, "", relay.ErrCredentialMalformed},
		{"ErrCredentialMalformedSignedExpiry", "+1800003600:alice", aliceCred, turnTestSecret, "", relay.ErrCredentialMalformed},
		{"ErrCredentialMalformedEmpty", "", aliceCred, turnTestSecret, "", relay.ErrCredentialMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			user, err := relay.VerifyTURNCredential(tt.secret, tt.username, tt.credential, now)
			if !errors.Is(err, tt.wantErr) || user != tt.wantUser {
				t.Errorf("got (%q, %v), want (%q, %v)", user, err, tt.wantUser, tt.wantErr)
			}
		})
	}
}

func TestNewTURNCredentialRefusesBadUserIDs(t *testing.T) {
	t.Parallel()
	for _, id := range []string{"", "a b", "a\r\nb", "é", strings.Repeat("x", 129)} {
		if _, _, err := relay.NewTURNCredential(turnTestSecret, id, time.Now()); !errors.Is(err, relay.ErrCredentialMalformed) {
			t.Errorf("user id %q: got %v, want %v", id, err, relay.ErrCredentialMalformed)
		}
	}
}

func TestICEConfigServers(t *testing.T) {
	t.Parallel()
	now := time.Unix(1800000000, 0)
	cfg := relay.ICEConfig{
		STUNURLs:      []string{"stun:stun.example.net:3478"},
		TURNURLs:      []string{"turn:203.0.113.7:3478?transport=udp", "turn:203.0.113.7:3478?transport=tcp", "turns:turn.example.net:5349"},
		Secret:        turnTestSecret,
		CredentialTTL: time.Hour,
	}
	servers, err := cfg.Servers("alice", now)
	if err != nil {
		t.Fatal(err)
	}
	if len(servers) != 2 || servers[0].Username != "" || servers[0].Credential != "" {
		t.Fatalf("got %+v, want a STUN entry without credentials and a TURN entry", servers)
	}
	turnServer := servers[1]
	if want := "1800003600:alice"; turnServer.Username != want {
		t.Errorf("username: got %q, want %q", turnServer.Username, want)
	}
	if user, err := relay.VerifyTURNCredential(turnTestSecret, turnServer.Username, turnServer.Credential, now); err != nil || user != "alice" {
		t.Errorf("verify: got (%q, %v), want (alice, nil)", user, err)
	}

	js, err := json.Marshal(servers)
	if err != nil {
		t.Fatal(err)
	}
	want := `[{"urls":["stun:stun.example.net:3478"]},{"urls":["turn:203.0.113.7:3478?transport=udp","turn:203.0.113.7:3478?transport=tcp","turns:turn.example.net:5349"],"username":"1800003600:alice","credential":"` + turnServer.Credential + `"}]`
	if string(js) != want {
		t.Errorf("json:\n got %s\nwant %s", js, want)
	}
	if strings.Contains(string(js), turnTestSecret) {
		t.Error("the secret leaked into the JSON")
	}

	w := relay.WebRTCServers(servers)
	if len(w) != 2 || w[1].Username != turnServer.Username || w[1].Credential != turnServer.Credential ||
		w[1].CredentialType != webrtc.ICECredentialTypePassword {
		t.Errorf("webrtc servers: got %+v", w)
	}

	empty, err := relay.ICEConfig{}.Servers("alice", now)
	if err != nil || empty == nil || len(empty) != 0 {
		t.Errorf("no servers: got (%#v, %v), want an empty non-nil slice", empty, err)
	}
}

func TestICEConfigValidate(t *testing.T) {
	t.Parallel()
	ok := relay.ICEConfig{TURNURLs: []string{"turn:127.0.0.1:3478?transport=udp"}, Secret: turnTestSecret}
	tests := []struct {
		name string
		edit func(*relay.ICEConfig)
		ok   bool
	}{
		{"Valid", func(*relay.ICEConfig) {}, true},
		{"ValidTURNS", func(c *relay.ICEConfig) { c.TURNURLs = []string{"turns:turn.example.net:5349?transport=tcp"} }, true},
		{"ErrNoSecret", func(c *relay.ICEConfig) { c.Secret = "" }, false},
		{"ErrShortSecret", func(c *relay.ICEConfig) { c.Secret = "short" }, false},
		{"ErrTURNSchemeInSTUN", func(c *relay.ICEConfig) { c.STUNURLs = []string{"turn:127.0.0.1:3478"} }, false},
		{"ErrSTUNSchemeInTURN", func(c *relay.ICEConfig) { c.TURNURLs = []string{"stun:127.0.0.1:3478"} }, false},
		{"ErrBadTransport", func(c *relay.ICEConfig) { c.TURNURLs = []string{"turn:127.0.0.1:3478?transport=sctp"} }, false},
		{"ErrNotAURL", func(c *relay.ICEConfig) { c.TURNURLs = []string{"http://127.0.0.1/"} }, false},
		{"ErrTTLTooLong", func(c *relay.ICEConfig) { c.CredentialTTL = relay.MaxCredentialTTL + time.Second }, false},
		{"ErrTTLNegative", func(c *relay.ICEConfig) { c.CredentialTTL = -time.Second }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cfg := ok
			tt.edit(&cfg)
			if err := cfg.Validate(); (err == nil) != tt.ok {
				t.Errorf("got %v, want ok=%v", err, tt.ok)
			}
		})
	}
}

func TestLinkHeaders(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		servers []relay.ICEServer
		want    []string
		wantErr bool
	}{
		{
			name:    "STUNWithoutCredentials",
			servers: []relay.ICEServer{{URLs: []string{"stun:stun.example.net"}}},
			want:    []string{`<stun:stun.example.net>; rel="ice-server"`},
		},
		{
			name:    "TURNOneValuePerURL",
			servers: []relay.ICEServer{{URLs: []string{"turn:203.0.113.7:3478?transport=udp", "turn:203.0.113.7:3478?transport=tcp"}, Username: "1800003600:alice", Credential: "TKdZKEkthk+YGeyP+0faMjLZKgI="}},
			want: []string{
				`<turn:203.0.113.7:3478?transport=udp>; rel="ice-server"; username="1800003600:alice"; credential="TKdZKEkthk+YGeyP+0faMjLZKgI="; credential-type="password"`,
				`<turn:203.0.113.7:3478?transport=tcp>; rel="ice-server"; username="1800003600:alice"; credential="TKdZKEkthk+YGeyP+0faMjLZKgI="; credential-type="password"`,
			},
		},
		{
			name:    "QuotesAndBackslashesEscaped",
			servers: []relay.ICEServer{{URLs: []string{"turn:h:1"}, Username: `1:a"b\c`, Credential: `x;y="z"`}},
			want:    []string{`<turn:h:1>; rel="ice-server"; username="1:a\"b\\c"; credential="x;y=\"z\""; credential-type="password"`},
		},
		{
			name:    "EmptyCredentialStillQuoted",
			servers: []relay.ICEServer{{URLs: []string{"turn:h:1"}, Username: "1:a"}},
			want:    []string{`<turn:h:1>; rel="ice-server"; username="1:a"; credential=""; credential-type="password"`},
		},
		{name: "NoServers", servers: nil, want: nil},
		{name: "ErrCRLFInUsername", servers: []relay.ICEServer{{URLs: []string{"turn:h:1"}, Username: "1:a\r\nSet-Cookie: x", Credential: "c"}}, wantErr: true},
		{name: "ErrNULInCredential", servers: []relay.ICEServer{{URLs: []string{"turn:h:1"}, Username: "1:a", Credential: "c\x00"}}, wantErr: true},
		{name: "ErrNonASCII", servers: []relay.ICEServer{{URLs: []string{"turn:h:1"}, Username: "1:é", Credential: "c"}}, wantErr: true},
		{name: "ErrAngleBracketInURL", servers: []relay.ICEServer{{URLs: []string{"turn:h:1>; rel=x"}}}, wantErr: true},
		{name: "ErrSpaceInURL", servers: []relay.ICEServer{{URLs: []string{"turn:h :1"}}}, wantErr: true},
		{name: "ErrEmptyURL", servers: []relay.ICEServer{{URLs: []string{""}}}, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := relay.LinkHeaders(tt.servers)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err: got %v, want error=%v", err, tt.wantErr)
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}
