package mongodb_test

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/roadshow/roadshow/roadshow"
)

// TestSearchSameOnBothPaths pages the organizers' list in every order and
// both directions on the in-memory index and on the server's query, and
// checks each against an order computed here.
func TestSearchSameOnBothPaths(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	base := time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC)
	countries := []string{"JP", "US", "GB", "DE"}
	inds := []string{"digital-tech", "smart-ocean", "metaverse"}
	titles := []string{"Solar Grid", "Ocean Drone", "Mirror World", "solar farm"}
	for _, single := range []bool{true, false} {
		t.Run(fmt.Sprint("singleWriter=", single), func(t *testing.T) {
			t.Parallel()
			db := MustDB(t, single)
			st := db.Applications()
			var all []roadshow.ApplicationRow
			texts := map[string][]string{}
			for i := 0; i < 30; i++ {
				a := &roadshow.Application{
					OwnerID: "0000000000000000000000a1", Title: fmt.Sprint(titles[i%4], " ", i%5), Industry: inds[i%3],
					Country: countries[i%4], Status: roadshow.StatusDraft, Summary: fmt.Sprint("summary number ", i),
					Team: []roadshow.TeamMember{{Name: fmt.Sprint("Member", i%7)}}, CreatedAt: base.Add(time.Duration(i) * time.Minute),
				}
				Must(t, st.CreateApplication(ctx, a))
				if i%5 != 0 {
					// Submission times out of creation order, some equal.
					at := base.Add(time.Duration(100-i%6) * time.Hour)
					b, err := st.UpdateApplication(ctx, a.ID, roadshow.ApplicationCond{},
						roadshow.ApplicationChange{Status: roadshow.StatusSubmitted, SubmittedAt: &at, UpdatedAt: at})
					Must(t, err)
					a = b
				}
				all = append(all, a.Row())
				texts[a.ID] = a.SearchWords()
			}
			queries := map[string]roadshow.ApplicationQuery{
				"submitted":       {Statuses: []roadshow.Status{roadshow.StatusSubmitted}, Sort: roadshow.SortSubmitted},
				"-submitted":      {Statuses: []roadshow.Status{roadshow.StatusSubmitted}, Sort: "-submitted"},
				"title":           {Sort: roadshow.SortTitle},
				"-country":        {Sort: "-country"},
				"industry+search": {Sort: roadshow.SortIndustry, Terms: roadshow.SearchTerms("SOLAR")},
				"terms":           {Sort: roadshow.SortTitle, Terms: roadshow.SearchTerms("member3 jp")},
				"none":            {Sort: roadshow.SortTitle, Terms: []string{"nothing-like-it"}},
			}
			for name, q := range queries {
				var want []string
				var rows []roadshow.ApplicationRow
				for _, r := range all {
					if q.Matches(&r) && roadshow.MatchesTerms(texts[r.ID], q.Terms) {
						rows = append(rows, r)
					}
				}
				sort.Slice(rows, func(i, j int) bool {
					ki, kj := rows[i].Key(q.Sort), rows[j].Key(q.Sort)
					if q.Sort.Desc() {
						return kj.Less(ki)
					}
					return ki.Less(kj)
				})
				for _, r := range rows {
					want = append(want, r.ID)
				}
				// Forward, 4 at a time.
				var got []string
				q.Limit = 4
				for pages := 0; pages < 20; pages++ {
					res, err := st.SearchApplications(ctx, q)
					Must(t, err)
					if res.Total != len(want) {
						t.Fatalf("%s: total %d, want %d", name, res.Total, len(want))
					}
					for _, r := range res.Items {
						got = append(got, r.ID)
					}
					if !res.More {
						break
					}
					k := res.Items[len(res.Items)-1].Key(q.Sort)
					q.After = &k
				}
				if !slices.Equal(got, want) {
					t.Fatalf("%s: forward\n got %v\nwant %v", name, got, want)
				}
				// Backwards from each row: the previous one.
				for i := range rows {
					k := rows[i].Key(q.Sort)
					res, err := st.SearchApplications(ctx, roadshow.ApplicationQuery{Terms: q.Terms, Statuses: q.Statuses, Sort: q.Sort,
						After: &k, Reverse: true, Limit: 1, NoTotal: true})
					Must(t, err)
					var prev string
					if len(res.Items) > 0 {
						prev = res.Items[0].ID
					}
					wantPrev := ""
					if i > 0 {
						wantPrev = want[i-1]
					}
					if prev != wantPrev {
						t.Fatalf("%s: previous of %d is %q, want %q", name, i, prev, wantPrev)
					}
				}
			}
		})
	}
}

// TestScreeningVersion checks that a decision lands only on the version it
// was made on, and that every decision is kept in order.
func TestScreeningVersion(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	for _, single := range []bool{true, false} {
		t.Run(fmt.Sprint("singleWriter=", single), func(t *testing.T) {
			t.Parallel()
			db := MustDB(t, single)
			st := db.Applications()
			a := MustCreateApplication(t, db, "digital-tech", roadshow.StatusSubmitted, "")
			decide := func(seen int, d roadshow.Status) error {
				v := seen
				sc := roadshow.Screening{Decision: d, Note: strings.Repeat("n", seen+1), By: "0000000000000000000000b1", At: time.Now(), Version: seen + 1}
				_, err := st.UpdateApplication(ctx, a.ID, roadshow.ApplicationCond{ScreeningVersion: &v},
					roadshow.ApplicationChange{Status: d, Screening: &sc, UpdatedAt: time.Now()})
				return err
			}
			Must(t, decide(0, roadshow.StatusEligible))
			MustCode(t, decide(0, roadshow.StatusIneligible), roadshow.ECONFLICT)
			Must(t, decide(1, roadshow.StatusIneligible))
			MustCode(t, decide(1, roadshow.StatusEligible), roadshow.ECONFLICT)
			got, err := st.ApplicationByID(ctx, a.ID)
			Must(t, err)
			if got.ScreeningVersion != 2 || got.Status != roadshow.StatusIneligible || len(got.ScreeningHistory) != 2 ||
				got.ScreeningHistory[0].Decision != roadshow.StatusEligible || got.ScreeningHistory[1].Note != "nn" ||
				got.Screening.Version != 2 {
				t.Fatalf("after two decisions: %+v", got)
			}
			// The index followed the status.
			res, err := st.SearchApplications(ctx, roadshow.ApplicationQuery{Statuses: []roadshow.Status{roadshow.StatusIneligible}, Sort: roadshow.SortTitle, Limit: 5})
			Must(t, err)
			if res.Total != 1 || res.Items[0].ScreeningVersion != 2 {
				t.Fatalf("search after decisions: %+v", res)
			}
		})
	}
}

// TestIndexOrdersFollowWrites checks that the orders the index keeps follow
// creations and edits made after they were built.
func TestIndexOrdersFollowWrites(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := MustDB(t, true)
	st := db.Applications()
	var ids []string
	for _, title := range []string{"Mango", "Kiwi", "Lime"} {
		a := &roadshow.Application{OwnerID: "0000000000000000000000a1", Title: title, Status: roadshow.StatusDraft, CreatedAt: time.Now()}
		Must(t, st.CreateApplication(ctx, a))
		ids = append(ids, a.ID)
	}
	byTitle := func() []string {
		res, err := st.SearchApplications(ctx, roadshow.ApplicationQuery{Sort: roadshow.SortTitle, Limit: 10})
		Must(t, err)
		var got []string
		for _, r := range res.Items {
			got = append(got, r.Title)
		}
		return got
	}
	if got := byTitle(); !slices.Equal(got, []string{"Kiwi", "Lime", "Mango"}) {
		t.Fatalf("built: %v", got)
	}
	title := "Apple"
	_, err := st.UpdateApplication(ctx, ids[0], roadshow.ApplicationCond{}, roadshow.ApplicationChange{Input: &roadshow.ApplicationInput{Title: &title}, UpdatedAt: time.Now()})
	Must(t, err)
	Must(t, st.CreateApplication(ctx, &roadshow.Application{OwnerID: "0000000000000000000000a1", Title: "Zucchini", Status: roadshow.StatusDraft, CreatedAt: time.Now()}))
	Must(t, st.CreateApplication(ctx, &roadshow.Application{OwnerID: "0000000000000000000000a1", Title: "Banana", Status: roadshow.StatusDraft, CreatedAt: time.Now()}))
	if got := byTitle(); !slices.Equal(got, []string{"Apple", "Banana", "Kiwi", "Lime", "Zucchini"}) {
		t.Fatalf("after writes: %v", got)
	}
	res, err := st.SearchApplications(ctx, roadshow.ApplicationQuery{Sort: roadshow.SortTitle, Terms: roadshow.SearchTerms("appl"), Limit: 10})
	Must(t, err)
	if res.Total != 1 || res.Items[0].ID != ids[0] {
		t.Fatalf("search after a rename: %+v", res)
	}
	res, err = st.SearchApplications(ctx, roadshow.ApplicationQuery{Sort: roadshow.SortTitle, Terms: roadshow.SearchTerms("mango"), Limit: 10})
	Must(t, err)
	if res.Total != 0 {
		t.Fatalf("the old title still matches: %+v", res)
	}
}
