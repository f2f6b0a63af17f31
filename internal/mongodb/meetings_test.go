package mongodb_test

import (
	"context"
	"testing"
	"time"

	"github.com/roadshow/roadshow/roadshow"
)

func TestMeetings(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := MustDB(t, true).Meetings()
	inv1, inv2, app1, app2, se := newHexID(), newHexID(), newHexID(), newHexID(), newHexID()

	m, created, err := st.PutMeeting(ctx, &roadshow.Meeting{ApplicationID: app1, InvestorID: inv1, SessionID: se, Note: "seed", CreatedAt: t0, UpdatedAt: t0})
	Must(t, err)
	if !created || m.ID != roadshow.MeetingID(inv1, app1) || m.Note != "seed" || !m.CreatedAt.Equal(t0) {
		t.Fatalf("first request: got %+v (created %v), want a new request under %s", m, created, roadshow.MeetingID(inv1, app1))
	}
	// Asking again is the same request: its first time stays, the note changes.
	later := t0.Add(time.Hour)
	again, created, err := st.PutMeeting(ctx, &roadshow.Meeting{ApplicationID: app1, InvestorID: inv1, SessionID: se, Note: "series A", CreatedAt: later, UpdatedAt: later})
	Must(t, err)
	if created || again.ID != m.ID || !again.CreatedAt.Equal(t0) || !again.UpdatedAt.Equal(later) || again.Note != "series A" {
		t.Fatalf("second request: got %+v (created %v), want the first one with the new note", again, created)
	}
	_, _, err = st.PutMeeting(ctx, &roadshow.Meeting{ApplicationID: app2, InvestorID: inv1, SessionID: se, CreatedAt: later, UpdatedAt: later})
	Must(t, err)
	_, _, err = st.PutMeeting(ctx, &roadshow.Meeting{ApplicationID: app1, InvestorID: inv2, SessionID: se, CreatedAt: t0.Add(2 * time.Hour), UpdatedAt: t0})
	Must(t, err)

	all, err := st.ListMeetings(ctx, "")
	Must(t, err)
	if len(all) != 3 || all[0].InvestorID != inv2 || all[2].ID != m.ID {
		t.Fatalf("all requests, newest first: got %s", dump(all))
	}
	mine, err := st.ListMeetings(ctx, inv1)
	Must(t, err)
	if len(mine) != 2 || mine[0].ApplicationID != app2 || mine[1].ApplicationID != app1 {
		t.Fatalf("one investor's requests: got %s", dump(mine))
	}
	none, err := st.ListMeetings(ctx, newHexID())
	Must(t, err)
	if none == nil || len(none) != 0 {
		t.Fatalf("an investor without requests: got %#v, want []", none)
	}
}
