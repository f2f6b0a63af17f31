package relay_test

import (
	"testing"
	"time"

	"github.com/pion/webrtc/v3"
)

func TestWHIPToWHEP(t *testing.T) {
	r := newRelay(t)
	s := newSession(0)
	pub, _, err := newWHIP(t, r, s.snapshot(), peer(teamA), webrtc.MimeTypeVP8)
	if err != nil {
		t.Fatal(err)
	}
	w, err := newWHEP(t, r, s.snapshot(), peer(investor))
	if err != nil {
		t.Fatal(err)
	}
	waitChan(t, w.video.keyframe, 5*time.Second, "a keyframe at the WHEP player")
	waitFor(t, 5*time.Second, "audio at the WHEP player", func() bool { return w.audio.packets.Load() > 10 })
	_ = pub
}
