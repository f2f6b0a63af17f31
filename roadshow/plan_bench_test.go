package roadshow_test

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/roadshow/roadshow/roadshow"
)

// planEdition2000 is an edition of 2,000 applications across the nine
// industries and 20 time zones, planned over two weeks in four parallel rooms.
func planEdition2000(tb testing.TB) ([]roadshow.PlanTeam, roadshow.PlanOptions) {
	tb.Helper()
	r := rand.New(rand.NewPCG(2000, 9))
	teams := planRandomTeams(r, 2000, planZones()[:20], planIndustries())
	opts := roadshow.PlanOptions{FirstStart: planDalian(tb, 2025, time.October, 20, 8, 0), Tracks: 4}
	return teams, opts
}

func BenchmarkPlanSessions2000(b *testing.B) {
	teams, opts := planEdition2000(b)
	var plan roadshow.Plan
	for b.Loop() {
		var err error
		if plan, err = roadshow.PlanSessions(teams, nil, opts); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(plan.Sessions)), "sessions")
	b.ReportMetric(float64(len(plan.Unplaced)), "unplaced")
}

func TestPlanSessionsEdition2000(t *testing.T) {
	t.Parallel()
	teams, opts := planEdition2000(t)
	start := time.Now()
	plan, err := roadshow.PlanSessions(teams, nil, opts)
	elapsed := time.Since(start)
	if err != nil {
		t.Fatalf("PlanSessions: %v", err)
	}
	mustValidPlan(t, teams, nil, opts, plan, false)
	if len(plan.Unplaced) > 0 {
		t.Errorf("got %d unplaced, want 0; first %+v", len(plan.Unplaced), plan.Unplaced[0])
	}
	sizes := map[int]int{}
	for _, s := range plan.Sessions {
		sizes[len(s.Slots)]++
	}
	t.Logf("%d teams: %d sessions, sizes %v, %d unplaced, in %v", len(teams), len(plan.Sessions), sizes, len(plan.Unplaced), elapsed)
}
