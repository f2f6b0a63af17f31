package relay

import (
	"strings"

	"github.com/pion/webrtc/v3"
)

// maxTrickle bounds the candidates one fragment may carry.
const maxTrickle = 64

// ParseSDPFragment reads the ICE candidates of a trickle SDP fragment
// (RFC 8840, what WHIP and WHEP clients PATCH): each a=candidate line,
// with the mid of the media section it follows.
func ParseSDPFragment(frag string) []webrtc.ICECandidateInit {
	var out []webrtc.ICECandidateInit
	mid := ""
	for _, line := range strings.Split(frag, "\n") {
		line = strings.TrimSpace(line)
		switch {
		case strings.HasPrefix(line, "a=mid:"):
			mid = strings.TrimPrefix(line, "a=mid:")
		case strings.HasPrefix(line, "a=candidate:") && len(out) < maxTrickle:
			m := mid
			c := webrtc.ICECandidateInit{Candidate: strings.TrimPrefix(line, "a=")}
			if m != "" {
				c.SDPMid = &m
			}
			out = append(out, c)
		}
	}
	return out
}
