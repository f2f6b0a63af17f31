package http_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/pion/webrtc/v3"
	"github.com/roadshow/roadshow/internal/auth"
	"github.com/roadshow/roadshow/internal/relay"
	"github.com/roadshow/roadshow/roadshow"
)

// liveEdition is a session of two teams, with a judge and an investor,
// planned; start it to go live.
func liveEdition(tb testing.TB) (*edition, string) {
	tb.Helper()
	return liveEditionWith(tb, serverOpts{})
}

// liveEditionWith is liveEdition on a server with opts.
func liveEditionWith(tb testing.TB, opts serverOpts) (*edition, string) {
	tb.Helper()
	s := MustServer(tb, opts)
	e := MustEdition(tb, s, "smart-ocean", []string{"Asia/Shanghai", "Asia/Shanghai"})
	res := e.plan(tb, map[string]any{"firstStart": time.Now().Add(24 * time.Hour).UTC().Format(time.RFC3339), "maxPerSession": 6})
	if len(res.Sessions) != 1 || len(res.Sessions[0].Slots) != 2 {
		tb.Fatalf("plan: got %+v, want one session of two teams", res)
	}
	id := res.Sessions[0].ID
	s.Must(tb, 200, "POST", "/sessions/"+id+"/judges", e.org.Token, map[string]any{"userId": e.judges[0].ID})
	s.Must(tb, 200, "POST", "/sessions/"+id+"/investors", e.org.Token, map[string]any{"userId": e.investor.ID})
	// The team in slot 0 presents first.
	if res.Sessions[0].Slots[0].ApplicationID != e.apps[0].ID {
		e.teams[0], e.teams[1] = e.teams[1], e.teams[0]
		e.apps[0], e.apps[1] = e.apps[1], e.apps[0]
	}
	return e, id
}

func roomToken(tb testing.TB, s *testServer, id string, u user) string {
	tb.Helper()
	var a struct {
		Token string
		Grant roadshow.RoomGrant
	}
	s.Must(tb, 201, "POST", "/sessions/"+id+"/live/token", u.Token, nil).JSON(tb, &a)
	return a.Token
}

// WHIP and WHEP over HTTP as RFC 9725 has them, with the project's
// refusals, and the stage carrying the next team on the same connection.
func TestWHIPAndWHEP(t *testing.T) {
	e, id := liveEdition(t)
	s := e.s
	_, offer := mediaOffer(t, true)

	// Before the session starts: 409 for those who may take part.
	r := s.postSDP(t, "/sessions/"+id+"/whip", e.teams[0].Token, offer)
	if r.Status != 409 || r.ErrorCode(t) != "conflict" {
		t.Fatalf("WHIP before the start: got %d %s, want 409", r.Status, r.Body)
	}
	s.Must(t, 200, "POST", "/sessions/"+id+"/start", e.org.Token, nil)

	stranger := s.MustApplicant(t, "stranger@example.com")
	outJudge := s.MustStaff(t, roadshow.RoleJudge, "outjudge@example.com")
	for _, tc := range []struct {
		name, path, token, ct, body string
		status                      int
		code                        string
	}{
		{"ErrNoToken", "/whip", "", "application/sdp", offer, 401, "unauthorized"},
		{"ErrGarbageToken", "/whip", "garbage", "application/sdp", offer, 401, "unauthorized"},
		{"ErrInvestorPublishes", "/whip", e.investor.Token, "application/sdp", offer, 403, "forbidden"},
		{"ErrTeamNotLivePublishes", "/whip", e.teams[1].Token, "application/sdp", offer, 403, "forbidden"},
		{"ErrTeamNotLiveWatches", "/whep", e.teams[1].Token, "application/sdp", offer, 403, "forbidden"},
		{"ErrStranger", "/whip", stranger.Token, "application/sdp", offer, 404, "not_found"},
		{"ErrOtherJudge", "/whep", outJudge.Token, "application/sdp", offer, 404, "not_found"},
		{"ErrMalformedSDP", "/whip", e.teams[0].Token, "application/sdp", "v=0\r\nnonsense", 400, "invalid"},
		{"ErrNotSDP", "/whep", e.investor.Token, "application/json", `{"sdp": "x"}`, 400, "invalid"},
		{"ErrTooLarge", "/whep", e.investor.Token, "application/sdp", strings.Repeat("a", 70<<10), 413, "too_large"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := s.Do(t, "POST", "/sessions/"+id+tc.path, tc.token, strings.NewReader(tc.body), "Content-Type", tc.ct)
			if r.Status != tc.status || r.ErrorCode(t) != tc.code {
				t.Fatalf("got %d %s, want %d %s", r.Status, r.Body, tc.status, tc.code)
			}
			r.ErrorReply(t) // the one shape, with a registered key
		})
	}
	if r := s.Do(t, "POST", "/sessions/0123456789abcdef01234567/whep", e.investor.Token, strings.NewReader(offer), "Content-Type", "application/sdp"); r.Status != 404 {
		t.Fatalf("WHEP of an unknown session: got %d, want 404", r.Status)
	}
	if r := s.Do(t, "OPTIONS", "/sessions/"+id+"/whip", "", nil); r.Status != 204 || r.Header.Get("Accept-Post") != "application/sdp" {
		t.Fatalf("OPTIONS: got %d %v", r.Status, r.Header)
	}

	// The live team publishes H.264 from "OBS" with its access token; an
	// investor watches with a room token.
	pubA := s.mustWHIP(t, id, e.teams[0].Token, webrtc.MimeTypeH264)
	if !strings.HasPrefix(pubA.location, "/api/v1/sessions/"+id+"/whip/") {
		t.Fatalf("Location: got %q", pubA.location)
	}
	player := s.mustWHEP(t, id, roomToken(t, s, id, e.investor))
	waitClosed(t, player.keyframe, 10*time.Second, "team A's keyframe at the WHEP player")

	// Next team: the same WHEP connection carries B's VP8.
	before := player.keyframes()
	s.Must(t, 200, "POST", "/sessions/"+id+"/next", e.org.Token, nil)
	if code := s.deleteResource(t, pubA.location, e.teams[0].Token); code != 404 {
		t.Fatalf("team A's publication after /next: DELETE got %d, want 404 (it ended with the slot)", code)
	}
	pubB := s.mustWHIP(t, id, roomToken(t, s, id, e.teams[1]), webrtc.MimeTypeVP8)
	waitUntil(t, 10*time.Second, "team B's keyframe on the same WHEP connection", func() bool { return player.keyframes() > before })
	player.mu.Lock()
	if len(player.ssrcs) != 1 {
		t.Errorf("SSRCs seen by the player: got %d, want 1", len(player.ssrcs))
	}
	player.mu.Unlock()

	// DELETE: only the resource's owner.
	if code := s.deleteResource(t, pubB.location, e.investor.Token); code != 404 {
		t.Fatalf("DELETE someone else's resource: got %d, want 404", code)
	}
	if code := s.deleteResource(t, pubB.location, ""); code != 401 {
		t.Fatalf("DELETE without a token: got %d, want 401", code)
	}
	if code := s.deleteResource(t, pubB.location, e.teams[1].Token); code != 200 {
		t.Fatalf("DELETE own resource: got %d, want 200", code)
	}
	if code := s.deleteResource(t, pubB.location, e.teams[1].Token); code != 404 {
		t.Fatalf("DELETE twice: got %d, want 404", code)
	}
	s.Must(t, 200, "POST", "/sessions/"+id+"/end", e.org.Token, nil)
	waitUntil(t, 10*time.Second, "the room to close", func() bool { return s.Relay.Stats().Rooms == 0 })
	if code := s.deleteResource(t, player.location, e.investor.Token); code != 404 {
		t.Fatalf("DELETE after the end: got %d, want 404", code)
	}
}

// livePage is a web page on the live WebSocket: it answers the relay's
// offers and keeps the other messages.
type livePage struct {
	conn *websocket.Conn
	pc   *webrtc.PeerConnection
	msgs chan map[string]any
	keys chan struct{}
}

func dialLive(tb testing.TB, s *testServer, id, token string) (*websocket.Conn, int) {
	tb.Helper()
	u := "ws" + strings.TrimPrefix(s.URL, "http") + "/sessions/" + id + "/live?token=" + token
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, resp, err := websocket.DefaultDialer.DialContext(ctx, u, nil)
	if err != nil {
		if resp == nil {
			tb.Fatalf("dial: %v", err)
		}
		return nil, resp.StatusCode
	}
	return c, resp.StatusCode
}

func openPage(tb testing.TB, s *testServer, id, token string) *livePage {
	tb.Helper()
	c, status := dialLive(tb, s, id, token)
	if c == nil {
		tb.Fatalf("live socket: got %d, want 101", status)
	}
	p := &livePage{conn: c, pc: newPeer(tb), msgs: make(chan map[string]any, 1024), keys: make(chan struct{}, 16)}
	p.pc.OnTrack(func(track *webrtc.TrackRemote, _ *webrtc.RTPReceiver) {
		if track.Kind() != webrtc.RTPCodecTypeVideo {
			return
		}
		buf := make([]byte, 1500)
		for {
			n, _, err := track.Read(buf)
			if err != nil {
				return
			}
			if n > 12 && relay.IsKeyframe(track.Codec().MimeType, buf[12:n]) {
				select {
				case p.keys <- struct{}{}:
				default:
				}
			}
		}
	})
	tb.Cleanup(func() { c.Close() })
	go func() {
		defer close(p.msgs)
		for {
			_, b, err := c.ReadMessage()
			if err != nil {
				return
			}
			var m map[string]any
			if json.Unmarshal(b, &m) != nil {
				continue
			}
			if m["type"] == "offer" && m["pc"] == "subscribe" {
				if err := p.pc.SetRemoteDescription(webrtc.SessionDescription{Type: webrtc.SDPTypeOffer, SDP: m["sdp"].(string)}); err != nil {
					continue
				}
				a, _ := p.pc.CreateAnswer(nil)
				g := webrtc.GatheringCompletePromise(p.pc)
				_ = p.pc.SetLocalDescription(a)
				<-g
				out, _ := json.Marshal(map[string]any{"type": "answer", "pc": "subscribe", "sdp": p.pc.LocalDescription().SDP})
				_ = c.WriteMessage(websocket.TextMessage, out)
				continue
			}
			p.msgs <- m
		}
	}()
	return p
}

// next returns the next message of type typ (and skips others).
func (p *livePage) next(tb testing.TB, typ string) map[string]any {
	tb.Helper()
	deadline := time.After(10 * time.Second)
	for {
		select {
		case m, ok := <-p.msgs:
			if !ok {
				tb.Fatalf("the socket closed before a %q message", typ)
			}
			if m["type"] == typ {
				return m
			}
		case <-deadline:
			tb.Fatalf("no %q message", typ)
		}
	}
}

// The page's socket: a room token in the query, refusals before the
// upgrade, the session's events and the relay's signaling on one stream,
// media on the subscribe connection, and removal by an organizer.
func TestLiveSocket(t *testing.T) {
	e, id := liveEdition(t)
	s := e.s
	judgeToken := roomToken(t, s, id, e.judges[0])
	if _, st := dialLive(t, s, id, judgeToken); st != 409 {
		t.Fatalf("before the start: got %d, want 409", st)
	}
	s.Must(t, 200, "POST", "/sessions/"+id+"/start", e.org.Token, nil)
	// A room token, valid but for another session.
	tokens, err := auth.NewTokens(s.Key, time.Hour, s.Clock)
	if err != nil {
		t.Fatal(err)
	}
	otherToken, _, err := tokens.IssueRoom(auth.Access{Actor: roadshow.Actor{UserID: e.org.ID, Role: roadshow.RoleOrganizer}}, "0123456789abcdef01234567", roadshow.RoomGrant{Subscribe: true}, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	teamBToken := roomToken(t, s, id, e.teams[1])
	for name, tc := range map[string]struct {
		token string
		want  int
	}{
		"ErrNoToken":         {"", 401},
		"ErrAccessToken":     {e.judges[0].Token, 401},
		"ErrOtherSession":    {otherToken, 401},
		"ErrTeamNotLiveYet":  {teamBToken, 403},
		"JudgeWithRoomToken": {judgeToken, 101},
	} {
		c, st := dialLive(t, s, id, tc.token)
		if c != nil {
			c.Close()
		}
		if st != tc.want {
			t.Errorf("%s: got %d, want %d", name, st, tc.want)
		}
	}
	if r := s.Do(t, "POST", "/sessions/"+id+"/live/token", e.teams[1].Token, nil); r.Status != 201 {
		t.Fatalf("a team whose slot comes later gets a token ahead of time: got %d", r.Status)
	}

	pub := s.mustWHIP(t, id, e.teams[0].Token, webrtc.MimeTypeVP8)
	page := openPage(t, s, id, judgeToken)
	if ev := page.next(t, "session"); ev["session"] == nil {
		t.Fatalf("first message: got %v, want the session", ev)
	}
	w := page.next(t, "welcome")
	grant := w["grant"].(map[string]any)
	if grant["moderate"] == true || len(grant["publish"].([]any)) != 2 {
		t.Fatalf("judge's grant: got %v", grant)
	}
	page.next(t, "timer")
	waitClosed(t, page.keys, 10*time.Second, "the team's keyframe on the judge's page")

	// The organizer sees the room, mutes the team's camera, then removes
	// the judge.
	var room struct {
		Live bool
		Room relay.RoomInfo
	}
	s.Must(t, 200, "GET", "/sessions/"+id+"/live/room", e.org.Token, nil).JSON(t, &room)
	var teamID string
	for _, p := range room.Room.Participants {
		if p.UserID == e.teams[0].ID {
			teamID = p.ID
		}
	}
	if !room.Live || teamID == "" {
		t.Fatalf("room: got %+v", room)
	}
	if r := s.Do(t, "GET", "/sessions/"+id+"/live/room", e.judges[0].Token, nil); r.Status != 403 {
		t.Fatalf("room as a judge: got %d, want 403", r.Status)
	}
	if r := s.Do(t, "POST", "/sessions/"+id+"/live/mute", e.judges[0].Token, map[string]any{"participantId": teamID, "source": "camera", "muted": true}); r.Status != 403 {
		t.Fatalf("mute as a judge: got %d, want 403: %s", r.Status, r.Body)
	}
	if r := s.Do(t, "POST", "/sessions/"+id+"/live/mute", e.org.Token, map[string]any{"participantId": teamID, "source": "speaker", "muted": true}); r.Status != 422 {
		t.Fatalf("mute an unknown source: got %d, want 422: %s", r.Status, r.Body)
	}
	s.Must(t, 200, "POST", "/sessions/"+id+"/live/mute", e.org.Token, map[string]any{"participantId": teamID, "source": "camera", "muted": true})
	if m := page.next(t, "muted"); m["participant"] != teamID || m["source"] != "camera" || m["muted"] != true {
		t.Fatalf("muted message: got %v", m)
	}
	if r := s.Do(t, "POST", "/sessions/"+id+"/live/remove", e.judges[0].Token, map[string]any{"userId": e.investor.ID, "reason": "x"}); r.Status != 403 {
		t.Fatalf("remove as a judge: got %d, want 403", r.Status)
	}
	if r := s.Do(t, "POST", "/sessions/"+id+"/live/remove", e.org.Token, map[string]any{"userId": e.judges[0].ID}); r.Status != 422 {
		t.Fatalf("remove without a reason: got %d, want 422", r.Status)
	}
	if r := s.Do(t, "POST", "/sessions/"+id+"/live/remove", e.org.Token, map[string]any{"userId": e.org.ID, "reason": "no"}); r.Status != 403 {
		t.Fatalf("remove an organizer: got %d, want 403", r.Status)
	}
	s.Must(t, 200, "POST", "/sessions/"+id+"/live/remove", e.org.Token, map[string]any{"userId": e.judges[0].ID, "reason": "Left the microphone open"})
	bye := page.next(t, "bye")["bye"].(map[string]any)
	if bye["key"] != "room.removed" || !strings.Contains(bye["message"].(string), "Left the microphone open") {
		t.Fatalf("bye: got %v", bye)
	}
	if r := s.Do(t, "POST", "/sessions/"+id+"/live/token", e.judges[0].Token, nil); r.Status != 403 {
		t.Fatalf("token after removal: got %d, want 403", r.Status)
	}
	if _, st := dialLive(t, s, id, judgeToken); st != 403 {
		t.Fatalf("rejoin after removal: got %d, want 403", st)
	}
	var se roadshow.Session
	s.Must(t, 200, "GET", "/sessions/"+id, e.org.Token, nil).JSON(t, &se)
	if len(se.Removed) != 1 || se.Removed[0].UserID != e.judges[0].ID {
		t.Fatalf("removals on the session: got %+v", se.Removed)
	}
	_ = pub
}

// A WHIP encoder or WHEP player makes no request after its offer, so the
// relay itself sends away the connections of an account whose tokens were
// revoked; a change that leaves the tokens alone (a new calendar link)
// sends no one away.
func TestRevokedAccountLeavesTheRoom(t *testing.T) {
	e, id := liveEdition(t)
	s := e.s
	s.Must(t, 200, "POST", "/sessions/"+id+"/start", e.org.Token, nil)
	pub := s.mustWHIP(t, id, e.teams[0].Token, webrtc.MimeTypeVP8)
	investor := s.mustWHEP(t, id, roomToken(t, s, id, e.investor))
	judge := s.mustWHEP(t, id, e.judges[0].Token)
	waitClosed(t, investor.keyframe, 10*time.Second, "the team's keyframe at the investor's player")
	waitClosed(t, judge.keyframe, 10*time.Second, "the team's keyframe at the judge's player")
	if n := s.Relay.Stats().Participants; n != 3 {
		t.Fatalf("participants: got %d, want 3", n)
	}

	s.Must(t, 200, "POST", "/me/calendar-link", e.judges[0].Token, nil)
	if n := s.Relay.Stats().Participants; n != 3 {
		t.Fatalf("participants after the judge's new calendar link: got %d, want 3", n)
	}

	s.Must(t, 200, "PATCH", "/accounts/"+e.investor.ID, e.org.Token, map[string]any{"disabled": true})
	if n := s.Relay.Stats().Participants; n != 2 {
		t.Fatalf("participants once the investor is disabled: got %d, want 2", n)
	}
	waitUntil(t, 10*time.Second, "the disabled investor's player to be closed", func() bool {
		return investor.pc.ConnectionState() != webrtc.PeerConnectionStateConnected
	})

	s.Must(t, 200, "POST", "/me/password", e.teams[0].Token, map[string]any{"currentPassword": "correct-horse-1", "password": "a-better-password-1"})
	if n := s.Relay.Stats().Participants; n != 1 {
		t.Fatalf("participants once the team changed its password: got %d, want 1", n)
	}
	team := s.MustLogin(t, e.teams[0].Email, "a-better-password-1")
	if code := s.deleteResource(t, pub.location, team.Token); code != 404 {
		t.Fatalf("the team's earlier publication: DELETE got %d, want 404 (it ended with the old tokens)", code)
	}
	if code := s.deleteResource(t, judge.location, e.judges[0].Token); code != 200 {
		t.Fatalf("the judge's player: DELETE got %d, want 200 (still watching)", code)
	}
}
