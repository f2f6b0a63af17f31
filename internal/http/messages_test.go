package http_test

import (
	"testing"
	"time"

	"github.com/roadshow/roadshow/roadshow"
)

// TestMessagesAndFlags: what the server says comes with its key and
// arguments, and what a reader may do comes as flags the domain computed.
func TestMessagesAndFlags(t *testing.T) {
	t.Parallel()
	deadline := time.Now().Add(-time.Hour).UTC().Truncate(time.Second)
	s := MustServer(t, serverOpts{})
	ada := s.MustApplicant(t, "ada@example.com")
	org := s.MustStaff(t, roadshow.RoleOrganizer, "org@example.com")
	judge := s.MustStaff(t, roadshow.RoleJudge, "judge@example.com")

	// A draft tells its owner what they may do and what is still missing.
	var draft struct {
		roadshow.Application
		Can              roadshow.ApplicationActions `json:"can"`
		MissingForSubmit map[string]roadshow.Message `json:"missingForSubmit"`
	}
	s.Must(t, 201, "POST", "/applications", ada.Token, map[string]any{"title": "Kelp", "industry": "smart-ocean"}).JSON(t, &draft)
	if want := (roadshow.ApplicationActions{Edit: true, Submit: true, Withdraw: true}); draft.Can != want {
		t.Errorf("can: got %+v, want %+v", draft.Can, want)
	}
	if m := draft.MissingForSubmit["summary"]; m.Key != "field.required_to_submit" || m.Message == "" {
		t.Errorf("missingForSubmit: got %+v, want summary required", draft.MissingForSubmit)
	}
	r := s.Must(t, 422, "POST", "/applications/"+draft.ID+"/submit", ada.Token, nil).ErrorReply(t)
	if r.Error.Key != "application.incomplete" || r.Error.Fields["team"].Key != "application.team_required" {
		t.Errorf("incomplete submit: got %+v", r.Error)
	}
	// Limits come from the constants, as arguments.
	long := make([]byte, roadshow.MaxSummaryLen+1)
	for i := range long {
		long[i] = 'x'
	}
	r = s.Must(t, 422, "PATCH", "/applications/"+draft.ID, ada.Token, map[string]any{"summary": string(long)}).ErrorReply(t)
	if f := r.Error.Fields["summary"]; f.Key != "field.max_length" || f.Args["max"] != float64(roadshow.MaxSummaryLen) {
		t.Errorf("summary too long: got %+v", f)
	}

	// The deadline in force comes as an argument: an instant in RFC 3339.
	d := deadline.Format(time.RFC3339)
	full := s.MustCreateApp(t, ada, completeApplication("smart-ocean"))
	s.Must(t, 200, "PUT", "/edition", org.Token, map[string]any{"deadline": d})
	r = s.Must(t, 409, "POST", "/applications/"+full.ID+"/submit", ada.Token, nil).ErrorReply(t)
	if r.Error.Key != "application.deadline_passed" || r.Error.Args["deadline"] != d {
		t.Errorf("late submit: got %+v, want application.deadline_passed with deadline %s", r.Error, d)
	}
	s.Must(t, 200, "GET", "/applications/"+full.ID, ada.Token, nil).JSON(t, &draft)
	if draft.Can.Submit || draft.Can.Edit {
		t.Errorf("after the deadline: got can %+v, want neither edit nor submit", draft.Can)
	}

	// A wrong role meets the domain's own rule.
	r = s.Must(t, 403, "PUT", "/edition", judge.Token, map[string]any{"name": "X"}).ErrorReply(t)
	if r.Error.Key != "edition.organizers_only" {
		t.Errorf("judge edits the edition: got key %q", r.Error.Key)
	}
	// The decoder's refusals have keys too.
	r = s.Must(t, 400, "POST", "/auth/register", "", map[string]any{"email": "x@example.com", "role": "organizer"}).ErrorReply(t)
	if r.Error.Key != "request.json_unknown_field" || r.Error.Args["field"] != "role" || r.Error.Fields["role"].Key != "request.field_not_accepted" {
		t.Errorf("unknown field: got %+v", r.Error)
	}

	// The form limits are the domain's.
	var opts struct {
		StaffRoles []roadshow.Role `json:"staffRoles"`
		Limits     map[string]any  `json:"limits"`
	}
	s.Must(t, 200, "GET", "/options", "", nil).JSON(t, &opts)
	if opts.Limits["summary"] != float64(roadshow.MaxSummaryLen) || opts.Limits["comment"] != float64(roadshow.MaxCommentLen) || len(opts.StaffRoles) != 3 {
		t.Errorf("options: got %+v", opts)
	}
}

// TestSessionFlags: organizers are told which controls apply, judges which
// teams they may score, as the session moves on.
func TestSessionFlags(t *testing.T) {
	t.Parallel()
	s := MustServer(t, serverOpts{})
	e := MustEdition(t, s, "metaverse", []string{"Europe/Berlin", "Europe/Paris"})
	se := e.liveSession(t)
	base := "/sessions/" + se.ID
	get := func(u user) roadshow.Session {
		var got roadshow.Session
		s.Must(t, 200, "GET", base, u.Token, nil).JSON(t, &got)
		return got
	}
	got := get(e.org)
	if got.Can == nil || !got.Can.Start || got.Can.Next || !got.Can.Move || got.Can.PublishResults {
		t.Fatalf("scheduled, organizer: got can %+v", got.Can)
	}
	got = roadshow.Session{}
	s.Must(t, 200, "POST", base+"/start", e.org.Token, nil).JSON(t, &got)
	if got.Can == nil || got.Can.Start || !got.Can.Next || !got.Can.End || got.Can.Move {
		t.Fatalf("live, organizer: got can %+v", got.Can)
	}
	got = get(e.judges[0])
	if got.Can == nil || len(got.Can.Score) != 1 || got.Can.Score[0] != got.Slots[0].ApplicationID || got.Can.Start {
		t.Fatalf("live, judge: got can %+v, want the first team only", got.Can)
	}
	if inv := get(e.investor); inv.Can != nil {
		t.Fatalf("live, investor: got can %+v, want none", inv.Can)
	}
	r := s.Must(t, 409, "POST", base+"/start", e.org.Token, nil).ErrorReply(t)
	if r.Error.Key != "session.start_not_scheduled" || r.Error.Args["state"] != string(roadshow.SessionLive) {
		t.Fatalf("start twice: got %+v", r.Error)
	}
}
