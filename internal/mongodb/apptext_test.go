package mongodb

import (
	"fmt"
	"testing"
	"time"

	"github.com/roadshow/roadshow/roadshow"
	"go.mongodb.org/mongo-driver/bson/primitive"
)

// TestWordIndexRebuild edits applications until the skipped postings force
// a rebuild, and checks that search still finds each by its latest words
// only.
func TestWordIndexRebuild(t *testing.T) {
	x := newAppIndex()
	base := time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
	var apps []*roadshow.Application
	for i := 0; i < 10; i++ {
		at := base.Add(time.Duration(i) * time.Minute)
		a := &roadshow.Application{ID: primitive.NewObjectIDFromTimestamp(at).Hex(), Title: fmt.Sprintf("first%d", i),
			Status: roadshow.StatusSubmitted, CreatedAt: at, SubmittedAt: &at}
		x.put(a)
		apps = append(apps, a)
	}
	x.search(roadshow.ApplicationQuery{Sort: roadshow.SortTitle, Limit: 1}) // build an order too
	rebuilt := false
	for round := 0; round < 300; round++ {
		for i, a := range apps {
			a.Title = fmt.Sprintf("round%d app%d", round, i)
			x.put(a)
		}
		if x.words.stale == 0 && round > 0 {
			rebuilt = true
		}
	}
	if !rebuilt {
		t.Fatalf("no rebuild: stale %d, live %d", x.words.stale, x.words.live)
	}
	for q, want := range map[string]int{"round299": 10, "app3": 1, "round298": 0, "first1": 0, "round299 app9": 1} {
		res := x.search(roadshow.ApplicationQuery{Sort: roadshow.SortTitle, Terms: roadshow.SearchTerms(q), Limit: 50})
		if res.Total != want || len(res.Items) != want {
			t.Errorf("%q: total %d, %d rows; want %d", q, res.Total, len(res.Items), want)
		}
	}
	res := x.search(roadshow.ApplicationQuery{Sort: roadshow.SortTitle, Limit: 50})
	if res.Total != 10 || res.Items[0].Title != "round299 app0" || res.Items[9].Title != "round299 app9" {
		t.Fatalf("by title after edits: %+v", res.Items)
	}
}
