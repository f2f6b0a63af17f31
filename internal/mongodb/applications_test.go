package mongodb_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/roadshow/roadshow/roadshow"
	"go.mongodb.org/mongo-driver/bson"
)

// TestListingSameOnBothPaths checks that the in-memory index of the
// single-writer mode pages exactly like the query MongoDB would run.
func TestListingSameOnBothPaths(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	results := map[bool]map[string][]string{}
	for _, single := range []bool{true, false} {
		db := MustDB(t, single)
		st := db.Applications()
		owners := []string{"0000000000000000000000a1", "0000000000000000000000a2"}
		inds := []string{"digital-tech", "smart-ocean", "metaverse"}
		var ids []string
		for i := 0; i < 40; i++ {
			a := &roadshow.Application{OwnerID: owners[i%2], Title: fmt.Sprint("A", i), Industry: inds[i%3], Status: roadshow.StatusDraft, Team: []roadshow.TeamMember{}, CreatedAt: time.Now()}
			Must(t, st.CreateApplication(ctx, a))
			ids = append(ids, a.ID)
		}
		// Move some through the life cycle so that statuses differ.
		for i, id := range ids {
			if i%4 == 0 {
				_, err := st.UpdateApplication(ctx, id, roadshow.ApplicationCond{Statuses: []roadshow.Status{roadshow.StatusDraft}},
					roadshow.ApplicationChange{Status: roadshow.StatusSubmitted, UpdatedAt: time.Now()})
				Must(t, err)
			}
		}
		filters := map[string]roadshow.ApplicationFilter{
			"All":           {},
			"Owner":         {OwnerID: owners[1]},
			"Industry":      {Industry: "smart-ocean"},
			"Status":        {Status: roadshow.StatusSubmitted},
			"IndustryState": {Industry: "digital-tech", Status: roadshow.StatusDraft},
			"Nothing":       {Industry: "clean-energy"},
		}
		got := map[string][]string{}
		for name, f := range filters {
			f.Limit = 7
			var seen []string
			for pages := 0; pages < 20; pages++ {
				page, err := st.ListApplications(ctx, f)
				Must(t, err)
				for _, a := range page.Items {
					if !((f.OwnerID == "" || a.OwnerID == f.OwnerID) && (f.Industry == "" || a.Industry == f.Industry) && (f.Status == "" || a.Status == f.Status)) {
						t.Fatalf("%s: %+v does not match", name, a)
					}
					seen = append(seen, a.Title)
				}
				if page.NextCursor == "" {
					break
				}
				f.Cursor = page.NextCursor
			}
			got[name] = seen
		}
		results[single] = got
		if n := len(got["All"]); n != 40 {
			t.Fatalf("single=%v: listed %d of 40", single, n)
		}
		counts, err := st.CountApplications(ctx)
		Must(t, err)
		Must(t, st.Recount(ctx))
		recounted, err := st.CountApplications(ctx)
		Must(t, err)
		if fmt.Sprint(counts) != fmt.Sprint(recounted) {
			t.Fatalf("single=%v: counters %v, recount %v", single, counts, recounted)
		}
		Must(t, st.RepairCounters(ctx))
		repaired, err := st.CountApplications(ctx)
		Must(t, err)
		if fmt.Sprint(counts) != fmt.Sprint(repaired) {
			t.Fatalf("single=%v: counters %v, repaired %v", single, counts, repaired)
		}
	}
	for name, want := range results[false] {
		if got := results[true][name]; !slices.Equal(got, want) {
			t.Errorf("%s: index pages %v, query pages %v", name, got, want)
		}
	}
}

func TestSetApplicationSession(t *testing.T) {
	t.Parallel()
	for _, m := range writerModes {
		t.Run(m.name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			db := MustDB(t, m.singleWriter)
			st := db.Applications()
			a := MustCreateApplication(t, db, "life-health", roadshow.StatusEligible, "")
			s1, s2 := newHexID(), newHexID()
			sessionOf := func() string {
				t.Helper()
				got, err := db.Applications().ApplicationByID(ctx, a.ID)
				Must(t, err)
				return got.SessionID
			}
			empty := ""

			Must(t, st.SetApplicationSession(ctx, a.ID, s1, &empty))
			if got := sessionOf(); got != s1 {
				t.Fatalf("sessionId: got %q, want %q", got, s1)
			}
			MustCode(t, st.SetApplicationSession(ctx, a.ID, s2, &empty), roadshow.ECONFLICT)
			MustCode(t, st.SetApplicationSession(ctx, a.ID, s2, &s2), roadshow.ECONFLICT)
			if got := sessionOf(); got != s1 {
				t.Fatalf("sessionId after refused changes: got %q, want %q", got, s1)
			}
			Must(t, st.SetApplicationSession(ctx, a.ID, s2, &s1))
			if got := sessionOf(); got != s2 {
				t.Fatalf("sessionId: got %q, want %q", got, s2)
			}
			Must(t, st.SetApplicationSession(ctx, a.ID, "", nil))
			if got := sessionOf(); got != "" {
				t.Fatalf("sessionId after clearing: got %q, want empty", got)
			}

			// A document written before applications had a sessionId counts as "".
			legacy := newHexID()
			_, err := db.Database().Collection("applications").InsertOne(ctx, bson.D{
				{Key: "_id", Value: legacy}, {Key: "status", Value: "eligible"}, {Key: "industry", Value: "life-health"},
			})
			Must(t, err)
			MustCode(t, st.SetApplicationSession(ctx, legacy, s2, &s1), roadshow.ECONFLICT)
			Must(t, st.SetApplicationSession(ctx, legacy, s1, &empty))

			missing := newHexID()
			MustCode(t, st.SetApplicationSession(ctx, missing, s1, nil), roadshow.ENOTFOUND)
			MustCode(t, st.SetApplicationSession(ctx, missing, s1, &empty), roadshow.ENOTFOUND)
			MustCode(t, st.SetApplicationSession(ctx, "bad", s1, nil), roadshow.ENOTFOUND)
		})
	}
}

func TestEligibleUnplanned(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := MustDB(t, true)
	st := db.Applications()

	got, err := st.EligibleUnplanned(ctx, nil)
	Must(t, err)
	if got == nil || len(got) != 0 {
		t.Fatalf("EligibleUnplanned on an empty store: got %#v, want []", got)
	}

	e1 := MustCreateApplication(t, db, "metaverse", roadshow.StatusEligible, "")
	MustCreateApplication(t, db, "metaverse", roadshow.StatusEligible, newHexID())
	MustCreateApplication(t, db, "metaverse", roadshow.StatusSubmitted, "")
	MustCreateApplication(t, db, "metaverse", roadshow.StatusIneligible, "")
	e2 := MustCreateApplication(t, db, "smart-ocean", roadshow.StatusEligible, "")
	e3 := MustCreateApplication(t, db, "digital-trade", roadshow.StatusEligible, "")
	legacy := newHexID() // no sessionId field at all
	_, err = db.Database().Collection("applications").InsertOne(ctx, bson.D{
		{Key: "_id", Value: legacy}, {Key: "status", Value: "eligible"}, {Key: "industry", Value: "smart-ocean"},
		{Key: "createdAt", Value: t0}, {Key: "updatedAt", Value: t0},
	})
	Must(t, err)

	tests := []struct {
		name       string
		industries []string
		want       []string
	}{
		{"All", nil, []string{e1.ID, e2.ID, e3.ID, legacy}},
		{"AllEmptyList", []string{}, []string{e1.ID, e2.ID, e3.ID, legacy}},
		{"Two", []string{"smart-ocean", "metaverse"}, []string{e1.ID, e2.ID, legacy}},
		{"None", []string{"clean-energy"}, []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := st.EligibleUnplanned(ctx, tt.industries)
			Must(t, err)
			ids := []string{}
			for _, a := range got {
				ids = append(ids, a.ID)
				if a.Team == nil || a.CreatedAt.Location() != time.UTC {
					t.Fatalf("application %s: got team %#v createdAt %v, want [] and UTC", a.ID, a.Team, a.CreatedAt)
				}
			}
			if !slices.Equal(ids, tt.want) {
				t.Fatalf("EligibleUnplanned(%v): got %v, want %v", tt.industries, ids, tt.want)
			}
		})
	}
}
