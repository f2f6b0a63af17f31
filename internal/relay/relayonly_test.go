package relay_test

import (
	"context"
	"testing"
	"time"

	"github.com/pion/webrtc/v3"
	"github.com/roadshow/roadshow/internal/relay"
)

// A founder behind a strict firewall reaches the room only through TURN:
// a relay-only player gets the stage through the embedded TURN server, over
// UDP and over TCP (corporate networks often allow nothing else).
func TestRelayOnlyThroughEmbeddedTURN(t *testing.T) {
	for _, transport := range []string{"udp", "tcp"} {
		t.Run(transport, func(t *testing.T) {
			srv, _ := MustStartTURN(t, transport == "udp", transport == "tcp", nil)
			ice := relay.ICEConfig{TURNURLs: srv.URLs(), Secret: turnTestSecret}
			servers, err := ice.Servers(investor.UserID, time.Now())
			if err != nil {
				t.Fatal(err)
			}
			r := newRelay(t)
			s := newSession(0)
			if _, _, err := newWHIP(t, r, s.snapshot(), peer(teamA), webrtc.MimeTypeVP8); err != nil {
				t.Fatal(err)
			}
			pc, err := clientAPI(t).NewPeerConnection(webrtc.Configuration{
				ICEServers:         relay.WebRTCServers(servers),
				ICETransportPolicy: webrtc.ICETransportPolicyRelay,
			})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = pc.Close() })
			for _, k := range []webrtc.RTPCodecType{webrtc.RTPCodecTypeVideo, webrtc.RTPCodecTypeAudio} {
				if _, err := pc.AddTransceiverFromKind(k, webrtc.RTPTransceiverInit{Direction: webrtc.RTPTransceiverDirectionRecvonly}); err != nil {
					t.Fatal(err)
				}
			}
			video := newReceived(webrtc.MimeTypeVP8)
			pc.OnTrack(func(track *webrtc.TrackRemote, _ *webrtc.RTPReceiver) {
				if track.Kind() == webrtc.RTPCodecTypeVideo {
					read(track, video)
				}
			})
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			answer, _, err := r.WHEP(ctx, s.snapshot(), peer(investor), offer(t, pc))
			if err != nil {
				t.Fatal(err)
			}
			setAnswer(t, pc, answer)
			waitChan(t, video.keyframe, 10*time.Second, "a keyframe through TURN")
			local, _, proto := turnSelectedPair(t, pc)
			if local != webrtc.ICECandidateTypeRelay || proto != transport {
				t.Fatalf("selected local candidate: got %s over %q, want relay over %q", local, proto, transport)
			}
		})
	}
}
