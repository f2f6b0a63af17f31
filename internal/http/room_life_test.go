package http_test

import (
	"testing"
	"time"

	"github.com/pion/webrtc/v3"
)

// roomHas reports whether a room message lists userID, and with how many
// tracks.
func roomHas(m map[string]any, userID string) (in bool, tracks int) {
	room, _ := m["room"].(map[string]any)
	parts, _ := room["participants"].([]any)
	for _, p := range parts {
		p, _ := p.(map[string]any)
		if p["userId"] == userID {
			ts, _ := p["tracks"].([]any)
			return true, len(ts)
		}
	}
	return false, 0
}

// nextRoom returns the next room message for which cond holds.
func (p *livePage) nextRoom(tb testing.TB, what string, cond func(m map[string]any) bool) {
	tb.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if cond(p.next(tb, "room")) {
			return
		}
	}
	tb.Fatalf("no room message with %s", what)
}

// A room's whole life on the real server and store: a publisher shows in
// everyone's room list with its tracks and disappears when it ends its
// publication; /end sends everyone away, and the relay is back where it
// was before the session started (no room, participant, track or
// goroutine left).
func TestRoomLifeOverTheServer(t *testing.T) {
	e, id := liveEdition(t)
	s := e.s
	base := s.Relay.Stats()
	s.Must(t, 200, "POST", "/sessions/"+id+"/start", e.org.Token, nil)

	page := openPage(t, s, id, roomToken(t, s, id, e.judges[0]))
	page.next(t, "welcome")
	pub := s.mustWHIP(t, id, e.teams[0].Token, webrtc.MimeTypeVP8)
	page.nextRoom(t, "the team's camera and microphone", func(m map[string]any) bool {
		in, n := roomHas(m, e.teams[0].ID)
		return in && n == 2
	})
	waitClosed(t, page.keys, 10*time.Second, "the team's keyframe on the judge's page")
	player := s.mustWHEP(t, id, roomToken(t, s, id, e.investor))
	waitClosed(t, player.keyframe, 10*time.Second, "the team's keyframe at the investor's player")

	if code := s.deleteResource(t, pub.location, e.teams[0].Token); code != 200 {
		t.Fatalf("DELETE the publication: got %d, want 200", code)
	}
	page.nextRoom(t, "the team gone", func(m map[string]any) bool {
		in, _ := roomHas(m, e.teams[0].ID)
		return !in
	})
	if st := s.Relay.Stats(); st.Tracks != 0 || st.Participants != 2 {
		t.Fatalf("after the team left: %d tracks, %d participants; want 0 and 2 (the judge, the investor)", st.Tracks, st.Participants)
	}

	// A live session cannot be cancelled (only a scheduled one, which has
	// no room yet): it ends.
	if r := s.Do(t, "POST", "/sessions/"+id+"/cancel", e.org.Token, map[string]any{"reason": "x"}); r.Status != 409 {
		t.Fatalf("cancel a live session: got %d, want 409", r.Status)
	}
	s.Must(t, 200, "POST", "/sessions/"+id+"/end", e.org.Token, nil)
	if bye, _ := page.next(t, "bye")["bye"].(map[string]any); bye["key"] != "room.session_ended" {
		t.Fatalf("bye at the end: got %v, want room.session_ended", bye)
	}
	waitUntil(t, 10*time.Second, "the relay back at its baseline", func() bool {
		st := s.Relay.Stats()
		return st.Rooms == base.Rooms && st.Participants == 0 && st.Tracks == 0 && st.Goroutines == base.Goroutines
	})
	waitUntil(t, 10*time.Second, "the investor's player to be closed", func() bool {
		return player.pc.ConnectionState() != webrtc.PeerConnectionStateConnected
	})
	if code := s.deleteResource(t, player.location, e.investor.Token); code != 404 {
		t.Fatalf("DELETE the player after the end: got %d, want 404", code)
	}
	if r := s.Do(t, "POST", "/sessions/"+id+"/whep", e.investor.Token, nil, "Content-Type", "application/sdp"); r.Status != 409 {
		t.Fatalf("WHEP after the end: got %d, want 409: %s", r.Status, r.Body)
	}
}

// A team's page learns from the server when its slot is live (can.present),
// instead of working it out from the session's state and slots.
func TestTeamIsToldWhenToPresent(t *testing.T) {
	e, id := liveEdition(t)
	s := e.s
	present := func(u user) bool {
		var se struct {
			Can *struct{ Present bool }
		}
		s.Must(t, 200, "GET", "/sessions/"+id, u.Token, nil).JSON(t, &se)
		return se.Can != nil && se.Can.Present
	}
	if present(e.teams[0]) || present(e.teams[1]) {
		t.Fatal("before the start: a team is told to present")
	}
	s.Must(t, 200, "POST", "/sessions/"+id+"/start", e.org.Token, nil)
	if !present(e.teams[0]) || present(e.teams[1]) {
		t.Fatalf("first slot live: got present %v, %v; want true, false", present(e.teams[0]), present(e.teams[1]))
	}
	s.Must(t, 200, "POST", "/sessions/"+id+"/next", e.org.Token, nil)
	if present(e.teams[0]) || !present(e.teams[1]) {
		t.Fatalf("second slot live: got present %v, %v; want false, true", present(e.teams[0]), present(e.teams[1]))
	}
	s.Must(t, 200, "POST", "/sessions/"+id+"/end", e.org.Token, nil)
	if present(e.teams[1]) {
		t.Fatal("after the end: the team is told to present")
	}
}
