package mongodb_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/roadshow/roadshow/roadshow"
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
