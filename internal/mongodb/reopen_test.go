package mongodb_test

import (
	"context"
	"testing"
	"time"

	"github.com/roadshow/roadshow/roadshow"
)

// TestReopenOnBothPaths: taking an application back to draft removes its
// submission time and appends to its history, in the answer and in what is
// read back, on both write paths; a second reopening meets the condition.
func TestReopenOnBothPaths(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	for _, single := range []bool{true, false} {
		st := MustDB(t, single).Applications()
		now := time.Now().UTC().Truncate(time.Millisecond)
		a := &roadshow.Application{OwnerID: "0000000000000000000000a1", Title: "T", Industry: "metaverse", Status: roadshow.StatusDraft, Team: []roadshow.TeamMember{}, CreatedAt: now}
		Must(t, st.CreateApplication(ctx, a))
		_, err := st.UpdateApplication(ctx, a.ID, roadshow.ApplicationCond{Statuses: []roadshow.Status{roadshow.StatusDraft}},
			roadshow.ApplicationChange{Status: roadshow.StatusSubmitted, SubmittedAt: &now, UpdatedAt: now})
		Must(t, err)
		cond := roadshow.ApplicationCond{OwnerID: a.OwnerID, Statuses: []roadshow.Status{roadshow.StatusSubmitted}}
		for i := 1; i <= 2; i++ {
			ev := &roadshow.ApplicationEvent{Kind: roadshow.EventReopened, By: a.OwnerID, At: now.Add(time.Duration(i) * time.Minute), SubmittedAt: &now}
			got, err := st.UpdateApplication(ctx, a.ID, cond, roadshow.ApplicationChange{Status: roadshow.StatusDraft, ClearSubmittedAt: true, Event: ev, UpdatedAt: ev.At})
			Must(t, err)
			read, err := st.ApplicationByID(ctx, a.ID)
			Must(t, err)
			for name, x := range map[string]*roadshow.Application{"answer": got, "read": read} {
				if x.Status != roadshow.StatusDraft || x.SubmittedAt != nil || len(x.History) != i || !x.History[i-1].At.Equal(ev.At) ||
					x.History[i-1].Kind != roadshow.EventReopened || x.History[i-1].SubmittedAt == nil || !x.History[i-1].SubmittedAt.Equal(now) {
					t.Fatalf("single=%v, reopening %d, %s: %+v", single, i, name, x)
				}
			}
			// A draft is not reopened again.
			if _, err := st.UpdateApplication(ctx, a.ID, cond, roadshow.ApplicationChange{Status: roadshow.StatusDraft, ClearSubmittedAt: true, Event: ev, UpdatedAt: ev.At}); roadshow.ErrorCode(err) != roadshow.ECONFLICT {
				t.Fatalf("single=%v: reopening a draft: %v", single, err)
			}
			_, err = st.UpdateApplication(ctx, a.ID, roadshow.ApplicationCond{Statuses: []roadshow.Status{roadshow.StatusDraft}},
				roadshow.ApplicationChange{Status: roadshow.StatusSubmitted, SubmittedAt: &now, UpdatedAt: now})
			Must(t, err)
		}
	}
}
