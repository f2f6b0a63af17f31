package relay

import (
	"errors"
	"strings"
	"testing"

	"github.com/pion/sdp/v3"
	"github.com/pion/webrtc/v3"
	"github.com/roadshow/roadshow/roadshow"
)

// pionOffer is a real offer: what a pion publisher (as the load tool and OBS-like clients do)
// sends, with the given kinds of media sections.
func pionOffer(tb testing.TB, kinds ...webrtc.RTPCodecType) string {
	tb.Helper()
	pc, err := webrtc.NewPeerConnection(webrtc.Configuration{})
	if err != nil {
		tb.Fatal(err)
	}
	defer pc.Close()
	for _, k := range kinds {
		if _, err := pc.AddTransceiverFromKind(k, webrtc.RTPTransceiverInit{Direction: webrtc.RTPTransceiverDirectionSendonly}); err != nil {
			tb.Fatal(err)
		}
	}
	o, err := pc.CreateOffer(nil)
	if err != nil {
		tb.Fatal(err)
	}
	return o.SDP
}

// FuzzCheckOffer: checkOffer never panics, refuses with EINVALID room.bad_sdp only, and what it
// accepts is an SDP of at least one audio or video section and at most maxTransceivers sections,
// that it accepts again once parsed and written back.
func FuzzCheckOffer(f *testing.F) {
	f.Add(pionOffer(f, webrtc.RTPCodecTypeAudio, webrtc.RTPCodecTypeVideo))
	f.Add(pionOffer(f, webrtc.RTPCodecTypeVideo))
	f.Add(pionOffer(f))
	f.Add("v=0\r\no=- 0 0 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\n")
	f.Add("")
	f.Fuzz(func(t *testing.T, offer string) {
		err := checkOffer(offer)
		if err != nil {
			var re *roadshow.Error
			if !errors.As(err, &re) || re.Code != roadshow.EINVALID || re.Msg.Key != "room.bad_sdp" {
				t.Fatalf("checkOffer(%q) = %v, want EINVALID room.bad_sdp", offer, err)
			}
			return
		}
		var sd sdp.SessionDescription
		if err := sd.Unmarshal([]byte(offer)); err != nil {
			t.Fatalf("accepted an offer pion cannot read: %v", err)
		}
		media := 0
		for _, m := range sd.MediaDescriptions {
			if m.MediaName.Media == "audio" || m.MediaName.Media == "video" {
				media++
			}
		}
		if media == 0 || len(sd.MediaDescriptions) > maxTransceivers || len(offer) > maxSDP {
			t.Fatalf("accepted an offer of %d bytes with %d sections, %d of them audio or video", len(offer), len(sd.MediaDescriptions), media)
		}
		again, err := sd.Marshal()
		if err != nil {
			t.Fatalf("marshal an accepted offer: %v", err)
		}
		if len(again) <= maxSDP {
			if err := checkOffer(string(again)); err != nil {
				t.Fatalf("the accepted offer, written back, is refused: %v\n%q", err, again)
			}
		}
	})
}

// FuzzParseSDPFragment: a trickle fragment yields at most maxTrickle candidates, each a single
// line starting "candidate:", and writing them back as a fragment reads the same candidates.
func FuzzParseSDPFragment(f *testing.F) {
	// RFC 8840's example fragment, and what OBS Studio and browsers PATCH.
	f.Add("a=ice-ufrag:EsAw\r\na=ice-pwd:P2uYro0UCOQ4zxjKXaWCBui1\r\nm=audio 9 RTP/AVP 0\r\na=mid:0\r\na=candidate:1387637174 1 udp 2122260223 192.0.2.1 61764 typ host generation 0 ufrag EsAw network-id 1\r\na=candidate:3471623853 1 udp 2122194687 198.51.100.2 61765 typ host generation 0 ufrag EsAw network-id 2\r\na=candidate:473322822 1 tcp 1518280447 192.0.2.1 9 typ host tcptype active generation 0 ufrag EsAw network-id 1\r\na=end-of-candidates\r\n")
	f.Add("a=mid:1\na=candidate:2 1 UDP 1694498815 203.0.113.7 50000 typ srflx raddr 10.0.0.2 rport 50000\n")
	f.Add("a=candidate:1 1 udp 2130706431 10.0.0.2 5000 typ host\r\n")
	f.Add("")
	f.Fuzz(func(t *testing.T, frag string) {
		got := ParseSDPFragment(frag)
		if len(got) > maxTrickle {
			t.Fatalf("%d candidates, more than %d", len(got), maxTrickle)
		}
		var b strings.Builder
		for _, c := range got {
			if !strings.HasPrefix(c.Candidate, "candidate:") || strings.Contains(c.Candidate, "\n") {
				t.Fatalf("candidate %q", c.Candidate)
			}
			if c.SDPMid != nil {
				if *c.SDPMid == "" || strings.Contains(*c.SDPMid, "\n") {
					t.Fatalf("mid %q", *c.SDPMid)
				}
				b.WriteString("a=mid:" + *c.SDPMid + "\r\n")
			} else {
				b.WriteString("a=mid:\r\n")
			}
			b.WriteString("a=" + c.Candidate + "\r\n")
		}
		again := ParseSDPFragment(b.String())
		if len(again) != len(got) {
			t.Fatalf("written back, %d candidates become %d", len(got), len(again))
		}
		for i := range got {
			if again[i].Candidate != got[i].Candidate || (again[i].SDPMid == nil) != (got[i].SDPMid == nil) ||
				(got[i].SDPMid != nil && *again[i].SDPMid != *got[i].SDPMid) {
				t.Fatalf("candidate %d: %+v written back reads %+v", i, got[i], again[i])
			}
		}
	})
}
