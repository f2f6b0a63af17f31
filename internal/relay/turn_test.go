package relay_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/pion/logging"
	"github.com/pion/rtp"
	"github.com/pion/turn/v2"
	"github.com/pion/webrtc/v3"

	"github.com/roadshow/roadshow/internal/relay"
)

const (
	turnTestSecret = "test-secret-0123456789"
	// The relay range sits below Linux's ephemeral ports (32768-60999) so that
	// allocations do not collide with the peers' own sockets.
	turnRelayMin = 20000
	turnRelayMax = 24999
	// turnTestTimeout bounds every wait; it is a deadline, not an expectation.
	turnTestTimeout = 20 * time.Second
)

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

// --- the embedded TURN server ----------------------------------------------

func TestTURNConfigRefusals(t *testing.T) {
	t.Parallel()
	ok := relay.TURNConfig{PublicIP: "127.0.0.1", ListenIP: "127.0.0.1", UDPPort: 1, RelayPortMin: turnRelayMin, RelayPortMax: turnRelayMax, Secret: turnTestSecret}
	tests := []struct {
		name string
		edit func(*relay.TURNConfig)
	}{
		{"ErrNoPublicIP", func(c *relay.TURNConfig) { c.PublicIP = "" }},
		{"ErrPublicIPv6", func(c *relay.TURNConfig) { c.PublicIP = "2001:db8::1" }},
		{"ErrPublicIPUnspecified", func(c *relay.TURNConfig) { c.PublicIP = "0.0.0.0" }},
		{"ErrPublicHostname", func(c *relay.TURNConfig) { c.PublicIP = "turn.example.net" }},
		{"ErrListenIP", func(c *relay.TURNConfig) { c.ListenIP = "localhost" }},
		{"ErrNoPorts", func(c *relay.TURNConfig) { c.UDPPort, c.TCPPort = 0, 0 }},
		{"ErrPortRange", func(c *relay.TURNConfig) { c.TCPPort = 70000 }},
		{"ErrRelayRangeReversed", func(c *relay.TURNConfig) { c.RelayPortMin, c.RelayPortMax = 30000, 29999 }},
		{"ErrRelayRangeHalf", func(c *relay.TURNConfig) { c.RelayPortMin, c.RelayPortMax = 0, 29999 }},
		{"ErrShortSecret", func(c *relay.TURNConfig) { c.Secret = "short" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cfg := ok
			tt.edit(&cfg)
			srv, err := relay.StartTURN(context.Background(), cfg)
			if err == nil {
				srv.Close()
				t.Fatal("got a running server, want an error")
			}
		})
	}
}

func TestTURNURLs(t *testing.T) {
	t.Parallel()
	srv, port := MustStartTURN(t, true, true, nil)
	want := []string{
		"turn:127.0.0.1:" + port + "?transport=udp",
		"turn:127.0.0.1:" + port + "?transport=tcp",
	}
	if got := srv.URLs(); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("got %v, want %v", got, want)
	}
	if err := (relay.ICEConfig{TURNURLs: srv.URLs(), Secret: turnTestSecret}).Validate(); err != nil {
		t.Errorf("the server's URLs do not validate: %v", err)
	}
}

// TestTURNRelayOnlyMedia connects two pion peers that may only use relay
// candidates through the embedded server, once per transport, and sends RTP.
func TestTURNRelayOnlyMedia(t *testing.T) {
	t.Parallel()
	for _, transport := range []string{"udp", "tcp"} {
		t.Run(strings.ToUpper(transport), func(t *testing.T) {
			t.Parallel()
			ctx, cancel := context.WithTimeout(context.Background(), turnTestTimeout)
			defer cancel()

			// Everything pion says, down to debug, goes to logs, to show that
			// neither the secret nor a credential is ever logged.
			logs := &turnSyncBuffer{}
			logger := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
			srv, _ := MustStartTURN(t, transport == "udp", transport == "tcp", func(c *relay.TURNConfig) {
				c.Logger, c.Verbose = logger, true
			})
			ice := relay.ICEConfig{TURNURLs: srv.URLs(), Secret: turnTestSecret, CredentialTTL: time.Hour}
			pubServers := MustTURNICEServers(t, ice, "publisher")
			subServers := MustTURNICEServers(t, ice, "viewer")

			pub := NewTURNRelayPeer(t, relay.WebRTCServers(pubServers))
			sub := NewTURNRelayPeer(t, relay.WebRTCServers(subServers))

			track, err := webrtc.NewTrackLocalStaticRTP(webrtc.RTPCodecCapability{MimeType: webrtc.MimeTypeVP8, ClockRate: 90000}, "video", "pitch")
			if err != nil {
				t.Fatal(err)
			}
			sender, err := pub.AddTrack(track)
			if err != nil {
				t.Fatal(err)
			}
			go turnDrainRTCP(sender) // ends when pub closes
			if _, err := sub.AddTransceiverFromKind(webrtc.RTPCodecTypeVideo, webrtc.RTPTransceiverInit{Direction: webrtc.RTPTransceiverDirectionRecvonly}); err != nil {
				t.Fatal(err)
			}
			packets := make(chan *rtp.Packet, 64)
			sub.OnTrack(func(remote *webrtc.TrackRemote, _ *webrtc.RTPReceiver) {
				for {
					p, _, err := remote.ReadRTP()
					if err != nil {
						return
					}
					select {
					case packets <- p:
					default:
					}
				}
			})

			pubConnected, subConnected := turnICEConnected(pub), turnICEConnected(sub)
			MustTURNConnect(ctx, t, pub, sub)
			for name, c := range map[string]<-chan error{"publisher": pubConnected, "viewer": subConnected} {
				select {
				case err := <-c:
					if err != nil {
						t.Fatalf("%s: %v", name, err)
					}
				case <-ctx.Done():
					t.Fatalf("%s: ICE did not connect: %v", name, ctx.Err())
				}
			}

			// Send until five packets have arrived; the ticker paces the
			// sender, nothing waits on it.
			payload := []byte{0x10, 0x00, 0x9d, 0x01, 0x2a, 0x10, 0x00, 0x10, 0x00, 0xde, 0xad}
			tick := time.NewTicker(10 * time.Millisecond)
			defer tick.Stop()
			received := 0
			for seq := uint16(1); received < 5; {
				select {
				case p := <-packets:
					if !bytes.Equal(p.Payload, payload) {
						t.Fatalf("payload: got %x, want %x", p.Payload, payload)
					}
					received++
				case <-tick.C:
					err := track.WriteRTP(&rtp.Packet{
						Header:  rtp.Header{Version: 2, Marker: true, SequenceNumber: seq, Timestamp: uint32(seq) * 3000},
						Payload: payload,
					})
					if err != nil {
						t.Fatal(err)
					}
					seq++
				case <-ctx.Done():
					t.Fatalf("received %d packets before the deadline, want 5", received)
				}
			}

			for name, pc := range map[string]*webrtc.PeerConnection{"publisher": pub, "viewer": sub} {
				local, remote, relayProto := turnSelectedPair(t, pc)
				if local != webrtc.ICECandidateTypeRelay || remote != webrtc.ICECandidateTypeRelay {
					t.Errorf("%s: selected pair %s -> %s, want relay -> relay", name, local, remote)
				}
				if relayProto != transport {
					t.Errorf("%s: relay protocol to the TURN server: got %q, want %q", name, relayProto, transport)
				}
			}
			if n := srv.AllocationCount(); n < 2 {
				t.Errorf("allocations: got %d, want at least 2", n)
			}

			pub.Close()
			sub.Close()
			srv.Close()
			for _, s := range append(pubServers, subServers...) {
				if s.Credential != "" && strings.Contains(logs.String(), s.Credential) {
					t.Error("a credential was logged")
				}
			}
			if strings.Contains(logs.String(), turnTestSecret) {
				t.Error("the secret was logged")
			}
			if !strings.Contains(logs.String(), "scope=turn") {
				t.Error("verbose: pion's debug messages did not reach the logger")
			}
		})
	}
}

// TestTURNRefusesBadCredentials gives a relay-only peer credentials the
// server must refuse: it gathers no relay candidate, so it cannot connect.
// The valid row shows the check can see a relay candidate at all.
func TestTURNRefusesBadCredentials(t *testing.T) {
	t.Parallel()
	// The handler takes everything; the server itself must pass on only
	// warnings and errors, and the refusals are neither.
	logs := &turnSyncBuffer{}
	srv, _ := MustStartTURN(t, true, true, func(c *relay.TURNConfig) {
		c.Logger = slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	})
	now := time.Now()
	good := relay.ICEConfig{TURNURLs: srv.URLs(), Secret: turnTestSecret, CredentialTTL: time.Hour}
	server := func(username, credential string) []relay.ICEServer {
		return []relay.ICEServer{{URLs: srv.URLs(), Username: username, Credential: credential}}
	}
	valid := MustTURNICEServers(t, good, "alice")[0]
	farUser, farCred, err := relay.NewTURNCredential(turnTestSecret, "alice", now.Add(relay.MaxCredentialTTL+time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	expiredUser, expiredCred, err := relay.NewTURNCredential(turnTestSecret, "alice", now.Add(-time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	bob := MustTURNICEServers(t, good, "bob")[0]
	tampered := []byte(valid.Credential)
	tampered[0] ^= 1
	wrongSecret := good
	wrongSecret.Secret = "not-the-secret-0123456789"

	tests := []struct {
		name      string
		servers   []relay.ICEServer
		wantRelay bool
	}{
		{"Valid", server(valid.Username, valid.Credential), true},
		{"ErrWrongSecret", MustTURNICEServers(t, wrongSecret, "alice"), false},
		{"ErrCredentialExpired", server(expiredUser, expiredCred), false},
		{"ErrCredentialTooLong", server(farUser, farCred), false},
		{"ErrTamperedCredential", server(valid.Username, string(tampered)), false},
		{"ErrWrongUser", server(bob.Username, valid.Credential), false},
		{"ErrMalformedUsername", server("alice", valid.Credential), false},
	}
	t.Run("Peers", func(t *testing.T) {
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				t.Parallel()
				ctx, cancel := context.WithTimeout(context.Background(), turnTestTimeout)
				defer cancel()
				pc := NewTURNRelayPeer(t, relay.WebRTCServers(tt.servers))
				if _, err := pc.AddTransceiverFromKind(webrtc.RTPCodecTypeVideo, webrtc.RTPTransceiverInit{Direction: webrtc.RTPTransceiverDirectionRecvonly}); err != nil {
					t.Fatal(err)
				}
				sdp := MustTURNGatherOffer(ctx, t, pc)
				if got := strings.Count(sdp, "typ relay"); (got > 0) != tt.wantRelay {
					t.Errorf("relay candidates: got %d, want some=%v", got, tt.wantRelay)
				}
			})
		}
	})
	srv.Close()
	// pion's messages carry a scope attribute; ours do not.
	if l := logs.String(); strings.Contains(l, "scope=") {
		t.Errorf("pion logged below warning level or a per-packet error:\n%s", l)
	}
}

// TestTURNRefusesLoopbackPeers checks that an authenticated client cannot use
// the server to reach its loopback or link-local neighbours, but can reach the
// address the server announces (where the SFU answers).
func TestTURNRefusesLoopbackPeers(t *testing.T) {
	t.Parallel()
	srv, port := MustStartTURN(t, true, false, nil)
	ice := relay.ICEConfig{TURNURLs: srv.URLs(), Secret: turnTestSecret}
	relayConn, _ := MustTURNAllocate(t, "udp", "127.0.0.1:"+port, MustTURNICEServers(t, ice, "alice")[0])

	tests := []struct {
		name string
		peer string
		ok   bool
	}{
		{"PublicIP", "127.0.0.1:9", true},
		{"ErrOtherLoopback", "127.0.0.2:9", false},
		{"ErrLinkLocalMetadata", "169.254.169.254:80", false},
		{"ErrMulticast", "224.0.0.1:9", false},
		{"ErrUnspecified", "0.0.0.0:9", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			addr, err := net.ResolveUDPAddr("udp4", tt.peer)
			if err != nil {
				t.Fatal(err)
			}
			_, err = relayConn.WriteTo([]byte("x"), addr)
			if (err == nil) != tt.ok {
				t.Errorf("write to %s: got %v, want ok=%v", tt.peer, err, tt.ok)
			}
		})
	}
}

// TestTURNCloseReleasesEverything leaves an allocation over each transport
// and an idle TCP connection open on the server (pion/turn's own Close leaves
// accepted connections open), closes it, and waits for the goroutine count
// to return to where it was.
func TestTURNCloseReleasesEverything(t *testing.T) {
	// Not parallel: it counts the process's goroutines.
	base := runtime.NumGoroutine()

	srv, port := MustStartTURN(t, true, true, nil)
	addr := "127.0.0.1:" + port
	ice := relay.ICEConfig{TURNURLs: srv.URLs(), Secret: turnTestSecret}
	creds := MustTURNICEServers(t, ice, "alice")[0]
	_, dropUDP := MustTURNAllocate(t, "udp", addr, creds)
	_, dropTCP := MustTURNAllocate(t, "tcp", addr, creds)
	idle, err := net.Dial("tcp4", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer idle.Close()
	dropUDP()
	dropTCP()
	// The allocations outlive their clients: only their lifetime or Close ends them.
	if got := srv.AllocationCount(); got != 2 {
		t.Fatalf("allocations: got %d, want 2", got)
	}

	if err := srv.Close(); err != nil {
		t.Fatalf("close: %v", err)
	}
	if err := srv.Close(); err != nil {
		t.Fatalf("second close: %v", err)
	}

	if err := idle.SetReadDeadline(time.Now().Add(turnTestTimeout)); err != nil {
		t.Fatal(err)
	}
	if n, err := idle.Read(make([]byte, 1)); !errors.Is(err, io.EOF) && !errors.Is(err, syscall.ECONNRESET) {
		t.Errorf("idle connection after Close: read (%d, %v), want EOF", n, err)
	}
	turnWaitFor(t, "allocations to be released", func() bool { return srv.AllocationCount() == 0 })
	turnWaitFor(t, "goroutines back to the baseline", func() bool { return runtime.NumGoroutine() <= base })
}

// --- helpers -----------------------------------------------------------------

// MustStartTURN starts a server on 127.0.0.1 with the transports asked for on
// one free port, announcing 127.0.0.1, and closes it when the test ends.
func MustStartTURN(tb testing.TB, udp, tcp bool, edit func(*relay.TURNConfig)) (*relay.TURNServer, string) {
	tb.Helper()
	for attempt := 0; ; attempt++ {
		port := turnFreePort(tb)
		cfg := relay.TURNConfig{
			PublicIP:     "127.0.0.1",
			ListenIP:     "127.0.0.1",
			RelayPortMin: turnRelayMin,
			RelayPortMax: turnRelayMax,
			Secret:       turnTestSecret,
			Logger:       slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})),
		}
		if udp {
			cfg.UDPPort = port
		}
		if tcp {
			cfg.TCPPort = port
		}
		if edit != nil {
			edit(&cfg)
		}
		srv, err := relay.StartTURN(context.Background(), cfg)
		if errors.Is(err, syscall.EADDRINUSE) && attempt < 10 {
			continue // another test took the port between turnFreePort and here
		}
		if err != nil {
			tb.Fatal(err)
		}
		tb.Cleanup(func() { srv.Close() })

		return srv, strconv.Itoa(port)
	}
}

// turnFreePort returns a port free for both UDP and TCP on 127.0.0.1 a moment ago.
func turnFreePort(tb testing.TB) int {
	tb.Helper()
	for range 20 {
		ln, err := net.Listen("tcp4", "127.0.0.1:0")
		if err != nil {
			tb.Fatal(err)
		}
		port := ln.Addr().(*net.TCPAddr).Port
		pc, err := net.ListenPacket("udp4", ln.Addr().String())
		ln.Close()
		if err == nil {
			pc.Close()
			return port
		}
	}
	tb.Fatal("no port free for both UDP and TCP")

	return 0
}

func MustTURNICEServers(tb testing.TB, cfg relay.ICEConfig, userID string) []relay.ICEServer {
	tb.Helper()
	servers, err := cfg.Servers(userID, time.Now())
	if err != nil {
		tb.Fatal(err)
	}

	return servers
}

// NewTURNRelayPeer returns a peer that may use relay candidates only, closed when
// the test ends.
func NewTURNRelayPeer(tb testing.TB, servers []webrtc.ICEServer) *webrtc.PeerConnection {
	tb.Helper()
	var se webrtc.SettingEngine
	se.SetIncludeLoopbackCandidate(true)
	se.LoggerFactory = turnQuietPion{}
	var me webrtc.MediaEngine
	if err := me.RegisterDefaultCodecs(); err != nil {
		tb.Fatal(err)
	}
	api := webrtc.NewAPI(webrtc.WithSettingEngine(se), webrtc.WithMediaEngine(&me))
	pc, err := api.NewPeerConnection(webrtc.Configuration{
		ICEServers:         servers,
		ICETransportPolicy: webrtc.ICETransportPolicyRelay,
	})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { pc.Close() })

	return pc
}

// MustTURNGatherOffer sets an offer as pc's local description and returns it
// once every candidate is gathered.
func MustTURNGatherOffer(ctx context.Context, tb testing.TB, pc *webrtc.PeerConnection) string {
	tb.Helper()
	offer, err := pc.CreateOffer(nil)
	if err != nil {
		tb.Fatal(err)
	}
	gathered := webrtc.GatheringCompletePromise(pc)
	if err := pc.SetLocalDescription(offer); err != nil {
		tb.Fatal(err)
	}
	select {
	case <-gathered:
	case <-ctx.Done():
		tb.Fatalf("gathering: %v", ctx.Err())
	}

	return pc.LocalDescription().SDP
}

// MustTURNConnect runs a non-trickle offer/answer between two peers.
func MustTURNConnect(ctx context.Context, tb testing.TB, offerer, answerer *webrtc.PeerConnection) {
	tb.Helper()
	offer := MustTURNGatherOffer(ctx, tb, offerer)
	if err := answerer.SetRemoteDescription(webrtc.SessionDescription{Type: webrtc.SDPTypeOffer, SDP: offer}); err != nil {
		tb.Fatal(err)
	}
	answer, err := answerer.CreateAnswer(nil)
	if err != nil {
		tb.Fatal(err)
	}
	gathered := webrtc.GatheringCompletePromise(answerer)
	if err := answerer.SetLocalDescription(answer); err != nil {
		tb.Fatal(err)
	}
	select {
	case <-gathered:
	case <-ctx.Done():
		tb.Fatalf("gathering the answer: %v", ctx.Err())
	}
	if err := offerer.SetRemoteDescription(*answerer.LocalDescription()); err != nil {
		tb.Fatal(err)
	}
}

// turnICEConnected reports once: nil when pc's ICE connects, an error when it fails.
func turnICEConnected(pc *webrtc.PeerConnection) <-chan error {
	c := make(chan error, 1)
	var once sync.Once
	pc.OnICEConnectionStateChange(func(s webrtc.ICEConnectionState) {
		switch s {
		case webrtc.ICEConnectionStateConnected:
			once.Do(func() { c <- nil })
		case webrtc.ICEConnectionStateFailed:
			once.Do(func() { c <- errors.New("ICE failed") })
		}
	})

	return c
}

func turnDrainRTCP(s *webrtc.RTPSender) {
	buf := make([]byte, 1500)
	for {
		if _, _, err := s.Read(buf); err != nil {
			return
		}
	}
}

// turnSelectedPair returns the types of pc's selected candidate pair and the
// protocol its local relay candidate speaks to the TURN server.
func turnSelectedPair(tb testing.TB, pc *webrtc.PeerConnection) (local, remote webrtc.ICECandidateType, relayProto string) {
	tb.Helper()
	var transport *webrtc.DTLSTransport
	if s := pc.GetSenders(); len(s) > 0 {
		transport = s[0].Transport()
	} else if r := pc.GetReceivers(); len(r) > 0 {
		transport = r[0].Transport()
	}
	if transport == nil {
		tb.Fatal("no transport")
	}
	pair, err := transport.ICETransport().GetSelectedCandidatePair()
	if err != nil || pair == nil {
		tb.Fatalf("selected pair: %v, %v", pair, err)
	}
	for _, s := range pc.GetStats() {
		if c, ok := s.(webrtc.ICECandidateStats); ok && c.Type == webrtc.StatsTypeLocalCandidate &&
			c.IP == pair.Local.Address && c.Port == int32(pair.Local.Port) {
			relayProto = c.RelayProtocol
		}
	}

	return pair.Local.Typ, pair.Remote.Typ, relayProto
}

// MustTURNAllocate authenticates to the server at addr with a pion TURN client
// over network and allocates a relay socket. drop ends the client as a
// vanished one would, without deallocating: its socket first, so that the
// relay connection's Close cannot reach the server. drop also runs when the
// test ends.
func MustTURNAllocate(tb testing.TB, network, addr string, creds relay.ICEServer) (relayConn net.PacketConn, drop func()) {
	tb.Helper()
	var conn net.PacketConn
	switch network {
	case "udp":
		pc, err := net.ListenPacket("udp4", "127.0.0.1:0")
		if err != nil {
			tb.Fatal(err)
		}
		conn = pc
	case "tcp":
		c, err := net.Dial("tcp4", addr)
		if err != nil {
			tb.Fatal(err)
		}
		conn = turn.NewSTUNConn(c)
	default:
		tb.Fatalf("network %q", network)
	}
	client, err := turn.NewClient(&turn.ClientConfig{
		STUNServerAddr: addr,
		TURNServerAddr: addr,
		Conn:           conn,
		Username:       creds.Username,
		Password:       creds.Credential,
		LoggerFactory:  turnQuietPion{},
	})
	if err != nil {
		conn.Close()
		tb.Fatal(err)
	}
	if err := client.Listen(); err != nil {
		conn.Close()
		tb.Fatal(err)
	}
	relayConn, err = client.Allocate()
	if err != nil {
		conn.Close()
		client.Close()
		tb.Fatalf("allocate over %s: %v", network, err)
	}
	var once sync.Once
	drop = func() {
		once.Do(func() {
			conn.Close()
			relayConn.Close()
			client.Close()
		})
	}
	tb.Cleanup(drop)

	return relayConn, drop
}

// turnWaitFor polls cond until it holds or the test's deadline passes.
func turnWaitFor(tb testing.TB, what string, cond func() bool) {
	tb.Helper()
	deadline := time.Now().Add(turnTestTimeout)
	for !cond() {
		if time.Now().After(deadline) {
			tb.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond) // polling interval, not synchronisation
	}
}

type turnSyncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *turnSyncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *turnSyncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// turnQuietPion keeps the test peers' and clients' own pion logs out of the output.
type turnQuietPion struct{}

func (turnQuietPion) NewLogger(string) logging.LeveledLogger {
	l := logging.NewDefaultLeveledLoggerForScope("", logging.LogLevelDisabled, io.Discard)
	return l
}
