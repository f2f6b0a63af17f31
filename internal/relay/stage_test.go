package relay_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/pion/webrtc/v3"
	"github.com/roadshow/roadshow/internal/relay"
	"github.com/roadshow/roadshow/roadshow"
)

func codeOf(err error) string { return roadshow.ErrorCode(err) }

// The stage follows the live team: the same WHEP connection carries team
// B's media after /next, with one SSRC and unbroken sequence numbers and
// timestamps, whether B uses A's codec or the other one.
func TestStageFollowsTheLiveTeam(t *testing.T) {
	for _, tc := range []struct{ name, a, b string }{
		{"SameCodec", webrtc.MimeTypeVP8, webrtc.MimeTypeVP8},
		{"OtherCodec", webrtc.MimeTypeVP8, webrtc.MimeTypeH264},
		{"H264ToVP8", webrtc.MimeTypeH264, webrtc.MimeTypeVP8},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRelay(t)
			s := newSession(0)
			if _, _, err := newWHIP(t, r, s.snapshot(), peer(teamA), tc.a); err != nil {
				t.Fatal(err)
			}
			w, err := newWHEP(t, r, s.snapshot(), peer(investor))
			if err != nil {
				t.Fatal(err)
			}
			waitChan(t, w.video.keyframe, 5*time.Second, "team A's keyframe on the stage")
			w.video.mu.Lock()
			before := w.video.frames.Keyframes
			w.video.mu.Unlock()

			s.change(r, func(se *roadshow.Session) { se.CurrentSlot = 1 })
			if _, _, err := newWHIP(t, r, s.snapshot(), peer(teamB), tc.b); err != nil {
				t.Fatal(err)
			}
			waitFor(t, 5*time.Second, "team B's keyframe on the stage", func() bool {
				w.video.mu.Lock()
				defer w.video.mu.Unlock()
				return w.video.frames.Keyframes > before && w.video.mime == tc.b
			})
			waitFor(t, 5*time.Second, "more of team B", func() bool { return w.video.packets.Load() > 200 })
			w.video.mu.Lock()
			defer w.video.mu.Unlock()
			if len(w.video.ssrcs) != 1 {
				t.Errorf("SSRCs: got %d, want 1", len(w.video.ssrcs))
			}
			if w.video.seqJumps != 0 || w.video.tsBack != 0 {
				t.Errorf("continuity: got %d sequence jumps and %d timestamps going back, want 0 and 0", w.video.seqJumps, w.video.tsBack)
			}
			if want := 1; tc.a != tc.b {
				want = 2
				if len(w.video.pts) != want {
					t.Errorf("payload types: got %v, want %d", w.video.pts, want)
				}
			}
		})
	}
}

// Who may do what is the session's rule, enforced on every join.
func TestRefusals(t *testing.T) {
	r := newRelay(t)
	s := newSession(0)
	removed := newSession(0)
	removed.se.ID = "session-2"
	removed.se.Removed = []roadshow.RoomRemoval{{UserID: "investor", Reason: "recording the pitch"}}
	scheduled := newSession(-1)
	scheduled.se.ID = "session-3"
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	pc := newPC(t, clientAPI(t))
	if _, err := pc.AddTransceiverFromKind(webrtc.RTPCodecTypeVideo, webrtc.RTPTransceiverInit{Direction: webrtc.RTPTransceiverDirectionSendonly}); err != nil {
		t.Fatal(err)
	}
	good := offer(t, pc)
	tests := []struct {
		name  string
		se    *roadshow.Session
		who   roadshow.Actor
		whip  bool
		offer string
		want  string
	}{
		{"ErrInvestorPublishes", s.snapshot(), investor, true, good, roadshow.EFORBIDDEN},
		{"ErrTeamNotLivePublishes", s.snapshot(), teamB, true, good, roadshow.EFORBIDDEN},
		{"ErrTeamNotLiveWatches", s.snapshot(), teamB, false, good, roadshow.EFORBIDDEN},
		{"ErrStranger", s.snapshot(), stranger, false, good, roadshow.ENOTFOUND},
		{"ErrOtherJudge", s.snapshot(), roadshow.Actor{UserID: "judge-2", Role: roadshow.RoleJudge}, false, good, roadshow.ENOTFOUND},
		{"ErrNotLive", scheduled.snapshot(), judge, true, good, roadshow.ECONFLICT},
		{"ErrRemoved", removed.snapshot(), investor, false, good, roadshow.EFORBIDDEN},
		{"ErrMalformedSDP", s.snapshot(), teamA, true, "v=0\r\nthis is not SDP", roadshow.EINVALID},
		{"ErrEmptySDP", s.snapshot(), judge, false, "", roadshow.EINVALID},
		{"ErrNoMedia", s.snapshot(), judge, false, "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n", roadshow.EINVALID},
		{"JudgePublishes", s.snapshot(), judge, true, good, ""},
		{"InvestorWatches", s.snapshot(), investor, false, good, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var err error
			if tc.whip {
				_, _, err = r.WHIP(ctx, tc.se, peer(tc.who), tc.offer)
			} else {
				_, _, err = r.WHEP(ctx, tc.se, peer(tc.who), tc.offer)
			}
			if got := codeOf(err); got != tc.want {
				t.Fatalf("got %q (%v), want %q", got, err, tc.want)
			}
			if tc.who != judge && tc.who != investor && tc.offer == good {
				if _, err := r.Join(tc.se, peer(tc.who)); codeOf(err) != tc.want {
					t.Fatalf("join: got %q (%v), want %q", codeOf(err), err, tc.want)
				}
			}
		})
	}
	// A room token's ceiling holds even when the session would allow more.
	p := peer(judge)
	p.Ceiling = roadshow.RoomGrant{Subscribe: true}
	if _, _, err := r.WHIP(ctx, s.snapshot(), p, good); codeOf(err) != roadshow.EFORBIDDEN {
		t.Fatalf("judge with a watch-only token publishing: got %v, want %s", err, roadshow.EFORBIDDEN)
	}
}

// After /next the previous team's media stops at once, it is told why,
// and the next team publishes without anyone else reconnecting.
func TestNextSlotEndsThePreviousTeam(t *testing.T) {
	r := newRelay(t)
	s := newSession(0)
	a, err := join(t, r, s.snapshot(), peer(teamA))
	if err != nil {
		t.Fatal(err)
	}
	aw := a.message(relay.MsgWelcome, 5*time.Second, nil)
	a.publish(webrtc.MimeTypeVP8, roadshow.SourceCamera, roadshow.SourceMicrophone)
	j, err := join(t, r, s.snapshot(), peer(judge))
	if err != nil {
		t.Fatal(err)
	}
	fromA := j.trackOf(aw.Self.ID, "video", 5*time.Second)
	waitChan(t, fromA.keyframe, 5*time.Second, "team A's keyframe at the judge")

	s.change(r, func(se *roadshow.Session) { se.CurrentSlot = 1 })
	atChange := fromA.packets.Load()
	bye := a.message(relay.MsgBye, 5*time.Second, nil)
	if bye.Bye.Key != "room.slot_ended" {
		t.Fatalf("team A's bye: got %q, want room.slot_ended", bye.Bye.Key)
	}
	a.pub.cancel() // A's page would stop sending now
	waitFor(t, 5*time.Second, "team A to leave the judge's room", func() bool {
		m := j.message(relay.MsgRoom, 5*time.Second, nil)
		_ = m
		info, _ := r.Room(s.se.ID)
		for _, p := range info.Participants {
			if p.ID == aw.Self.ID {
				return false
			}
		}
		return true
	})
	// Packets already on the wire may land; nothing more than those.
	if after := fromA.packets.Load(); after-atChange > 30 {
		t.Fatalf("team A's packets after /next: got %d, want at most the few in flight", after-atChange)
	}
	if _, err := join(t, r, s.snapshot(), peer(teamA)); codeOf(err) != roadshow.EFORBIDDEN {
		t.Fatalf("team A rejoining: got %v, want %s", err, roadshow.EFORBIDDEN)
	}
	b, err := join(t, r, s.snapshot(), peer(teamB))
	if err != nil {
		t.Fatal(err)
	}
	bw := b.message(relay.MsgWelcome, 5*time.Second, nil)
	b.publish(webrtc.MimeTypeVP8, roadshow.SourceCamera, roadshow.SourceMicrophone)
	fromB := j.trackOf(bw.Self.ID, "video", 5*time.Second)
	waitChan(t, fromB.keyframe, 5*time.Second, "team B's keyframe at the judge")
}

// Organizers mute a track (it stops, everyone is told, it resumes at a
// keyframe with unbroken sequence numbers) and remove a participant, who
// is told why and cannot come back.
func TestMuteAndRemove(t *testing.T) {
	r := newRelay(t)
	s := newSession(0)
	a, err := join(t, r, s.snapshot(), peer(teamA))
	if err != nil {
		t.Fatal(err)
	}
	aw := a.message(relay.MsgWelcome, 5*time.Second, nil)
	a.publish(webrtc.MimeTypeVP8, roadshow.SourceCamera, roadshow.SourceMicrophone)
	inv, err := join(t, r, s.snapshot(), peer(investor))
	if err != nil {
		t.Fatal(err)
	}
	video := inv.trackOf(aw.Self.ID, "video", 5*time.Second)
	waitChan(t, video.keyframe, 5*time.Second, "a keyframe at the investor")

	if err := r.Mute(s.snapshot(), peer(judge), aw.Self.ID, roadshow.SourceCamera, true); codeOf(err) != roadshow.EFORBIDDEN {
		t.Fatalf("a judge muting: got %v, want %s", err, roadshow.EFORBIDDEN)
	}
	if err := r.Mute(s.snapshot(), peer(organizer), "nobody", roadshow.SourceCamera, true); codeOf(err) != roadshow.ENOTFOUND {
		t.Fatalf("muting nobody: got %v, want %s", err, roadshow.ENOTFOUND)
	}
	if err := r.Mute(s.snapshot(), peer(organizer), aw.Self.ID, roadshow.SourceCamera, true); err != nil {
		t.Fatal(err)
	}
	m := inv.message(relay.MsgMuted, 5*time.Second, nil)
	if m.Participant != aw.Self.ID || m.Source != roadshow.SourceCamera || !*m.Muted || m.By != organizer.UserID {
		t.Fatalf("muted message: got %+v", m)
	}
	a.message(relay.MsgMuted, 5*time.Second, nil)
	video.mu.Lock()
	keys := video.frames.Keyframes
	video.mu.Unlock()
	if err := r.Mute(s.snapshot(), peer(organizer), aw.Self.ID, roadshow.SourceCamera, false); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 5*time.Second, "a keyframe after unmuting", func() bool {
		video.mu.Lock()
		defer video.mu.Unlock()
		return video.frames.Keyframes > keys
	})
	video.mu.Lock()
	if video.seqJumps != 0 {
		t.Errorf("sequence jumps across the mute: got %d, want 0", video.seqJumps)
	}
	video.mu.Unlock()

	s.change(r, func(se *roadshow.Session) {
		se.Removed = append(se.Removed, roadshow.RoomRemoval{UserID: investor.UserID, Reason: "recording the pitch", By: organizer.UserID})
	})
	bye := inv.message(relay.MsgBye, 5*time.Second, nil)
	if bye.Bye.Key != "room.removed" || bye.Bye.Args["reason"] != "recording the pitch" || !strings.Contains(bye.Bye.Message.Message, "recording the pitch") {
		t.Fatalf("bye: got %+v", bye.Bye)
	}
	if _, err := join(t, r, s.snapshot(), peer(investor)); codeOf(err) != roadshow.EFORBIDDEN {
		t.Fatalf("rejoining after removal: got %v, want %s", err, roadshow.EFORBIDDEN)
	}
	_ = fmt.Sprint
}

// A moderator's room lists, per participant, whether the rules let them
// remove that participant (organizers cannot be removed); nobody else gets
// those flags.
func TestModeratorSeesWhomToRemove(t *testing.T) {
	r := newRelay(t)
	s := newSession(0)
	org, err := join(t, r, s.snapshot(), peer(organizer))
	if err != nil {
		t.Fatal(err)
	}
	j, err := join(t, r, s.snapshot(), peer(judge))
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range []roadshow.Actor{investor, teamA} {
		if _, err := join(t, r, s.snapshot(), peer(a)); err != nil {
			t.Fatal(err)
		}
	}
	want := map[string]bool{organizer.UserID: false, judge.UserID: true, investor.UserID: true, teamA.UserID: true}
	check := func(what string, info relay.RoomInfo) bool {
		if len(info.Participants) != len(want) {
			return false
		}
		for _, p := range info.Participants {
			if p.Can == nil {
				t.Fatalf("%s: %s has no flags for the moderator", what, p.UserID)
			}
			if p.Can.Remove != want[p.UserID] {
				t.Fatalf("%s: may remove %s: got %v, want %v", what, p.UserID, p.Can.Remove, want[p.UserID])
			}
		}
		return true
	}
	org.message(relay.MsgRoom, 5*time.Second, func(m relay.Message) bool { return check("the organizer's page", *m.Room) })
	info, ok := r.Room(s.snapshot().ID)
	if !ok || !check("Relay.Room", info) {
		t.Fatalf("Relay.Room: got %+v (%v), want the four participants", info, ok)
	}
	jm := j.message(relay.MsgRoom, 5*time.Second, func(m relay.Message) bool { return len(m.Room.Participants) >= 2 })
	for _, p := range jm.Room.Participants {
		if p.Can != nil {
			t.Fatalf("the judge sees moderator flags on %s: %+v", p.UserID, p.Can)
		}
	}
}
