package mongodb

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/roadshow/roadshow/roadshow"
	"go.mongodb.org/mongo-driver/bson/primitive"
)

// BenchmarkIndexSearch measures the in-memory index answering the
// organizers' list (SearchApplications on the embedded store) at 2,000 and
// 20,000 applications: the work of one page of 50 with its total, without
// HTTP. Besides ns/op it reports the p50 and p95 of the iterations.
//
//	go test ./internal/mongodb/ -run '^$' -bench IndexSearch -benchtime 200x
func BenchmarkIndexSearch(b *testing.B) {
	countries := roadshow.Countries()
	inds := roadshow.Industries()
	statuses := []roadshow.Status{roadshow.StatusDraft, roadshow.StatusSubmitted, roadshow.StatusSubmitted, roadshow.StatusEligible, roadshow.StatusIneligible}
	notDrafts := []roadshow.Status{roadshow.StatusSubmitted, roadshow.StatusEligible, roadshow.StatusIneligible, roadshow.StatusWithdrawn}
	for _, n := range []int{2000, 20000} {
		x := newAppIndex()
		base := time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
		for i := 0; i < n; i++ {
			at := base.Add(time.Duration(i) * time.Minute)
			a := &roadshow.Application{
				ID: primitive.NewObjectIDFromTimestamp(at).Hex(), OwnerID: "000000000000000000000001",
				Title:    fmt.Sprintf("Venture %d of the %s cluster", i, inds[i%len(inds)].NameEN),
				Summary:  fmt.Sprintf("Team %d builds edge inspection for factories; founded in %s; seeking partners in the Dalian high-tech zone and a first reference customer among the zone's enterprises.", i, countries[i%len(countries)]),
				Team:     []roadshow.TeamMember{{Name: fmt.Sprintf("Founder %d", i)}, {Name: fmt.Sprintf("Engineer %d", i)}},
				Industry: inds[i%len(inds)].Code, Country: countries[i%len(countries)], Status: statuses[i%len(statuses)],
				CreatedAt: at,
			}
			if a.Status != roadshow.StatusDraft {
				sub := at.Add(time.Hour)
				a.SubmittedAt = &sub
			}
			x.put(a)
		}
		for _, q := range []struct {
			name string
			q    roadshow.ApplicationQuery
		}{
			{"default", roadshow.ApplicationQuery{Statuses: notDrafts, Sort: roadshow.DefaultApplicationSort}},
			{"title", roadshow.ApplicationQuery{Statuses: []roadshow.Status{roadshow.StatusSubmitted}, Sort: roadshow.SortTitle}},
			{"searchAll", roadshow.ApplicationQuery{Statuses: notDrafts, Sort: roadshow.DefaultApplicationSort, Terms: roadshow.SearchTerms("dalian")}},
			{"searchFew", roadshow.ApplicationQuery{Statuses: notDrafts, Sort: roadshow.DefaultApplicationSort, Terms: roadshow.SearchTerms("founder 77")}},
		} {
			b.Run(fmt.Sprintf("n=%d/%s", n, q.name), func(b *testing.B) {
				q.q.Limit = 50
				x.search(q.q) // builds the order once, as the first request after a write does
				lat := make([]time.Duration, 0, b.N)
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					start := time.Now()
					res := x.search(q.q)
					lat = append(lat, time.Since(start))
					if res.Total == 0 {
						b.Fatal("no match")
					}
				}
				b.StopTimer()
				slices.Sort(lat)
				b.ReportMetric(float64(lat[len(lat)/2].Microseconds()), "p50-µs")
				b.ReportMetric(float64(lat[len(lat)*95/100].Microseconds()), "p95-µs")
			})
		}
		// A creation (or an edit of a sorted field) drops the orders: the
		// next page re-sorts.
		b.Run(fmt.Sprintf("n=%d/afterCreate", n), func(b *testing.B) {
			q := roadshow.ApplicationQuery{Statuses: notDrafts, Sort: roadshow.DefaultApplicationSort, Limit: 50}
			for i := 0; i < b.N; i++ {
				at := base.Add(time.Duration(n+i) * time.Minute)
				x.put(&roadshow.Application{ID: primitive.NewObjectIDFromTimestamp(at).Hex(), Title: "New", Status: roadshow.StatusSubmitted, SubmittedAt: &at, CreatedAt: at})
				x.search(q)
			}
		})
	}
}
