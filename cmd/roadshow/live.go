package main

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"log/slog"
	"time"

	"github.com/pion/webrtc/v3"
	"github.com/roadshow/roadshow/internal/relay"
)

// live is the live side of the server: the relay (SFU) and, when
// configured, the embedded TURN server, with the ICE servers handed to
// participants.
type live struct {
	relay *relay.Relay
	turn  *relay.TURNServer
	ice   relay.ICEConfig
}

// startLive starts the relay and the embedded TURN server. jwtKey seeds the
// embedded TURN server's secret when none is configured.
func startLive(ctx context.Context, lc liveConfig, jwtKey []byte, log *slog.Logger) (*live, error) {
	l := &live{ice: relay.ICEConfig{STUNURLs: lc.STUNURLs, TURNURLs: lc.TURNURLs, Secret: lc.TURNSecret}}
	if lc.TURNPublicIP != "" {
		if l.ice.Secret == "" {
			// Derived, not stored: only this server needs it, and it stays
			// the same across restarts as the JWT key does.
			mac := hmac.New(sha256.New, jwtKey)
			mac.Write([]byte("roadshow turn credentials"))
			l.ice.Secret = hex.EncodeToString(mac.Sum(nil))
		}
		turn, err := relay.StartTURN(ctx, relay.TURNConfig{
			PublicIP: lc.TURNPublicIP, ListenIP: lc.TURNListenIP, UDPPort: lc.TURNUDPPort, TCPPort: lc.TURNTCPPort,
			RelayPortMin: lc.TURNRelayMin, RelayPortMax: lc.TURNRelayMax, Secret: l.ice.Secret, Logger: log,
		})
		if err != nil {
			return nil, fmt.Errorf("start TURN server: %w", err)
		}
		l.turn = turn
		l.ice.TURNURLs = append(turn.URLs(), l.ice.TURNURLs...)
	}
	if err := l.ice.Validate(); err != nil {
		l.Close()
		return nil, fmt.Errorf("ICE servers: %w", err)
	}
	r, err := relay.New(relay.Config{
		UDPPort: lc.UDPPort, PortMin: lc.PortMin, PortMax: lc.PortMax, PublicIPs: lc.PublicIPs, Loopback: lc.Loopback, Unbatched: !lc.Batch,
		ICEServers: func(userID string) []webrtc.ICEServer {
			list, err := l.ice.Servers(userID, time.Now())
			if err != nil {
				return nil
			}
			return relay.WebRTCServers(list)
		},
		Logger: log,
	})
	if err != nil {
		l.Close()
		return nil, err
	}
	l.relay = r
	return l, nil
}

// Close sends every participant away and stops the servers.
func (l *live) Close() {
	if l.relay != nil {
		_ = l.relay.Close()
	}
	if l.turn != nil {
		_ = l.turn.Close()
	}
}
