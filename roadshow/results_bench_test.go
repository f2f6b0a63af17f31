package roadshow

import (
	"math/rand/v2"
	"strconv"
	"testing"
)

// BenchmarkComputeResults measures the aggregation of one session (6 teams x 5
// judges, the planner's default) and of an industry-wide edition of 2,000
// applications: 340 sessions (300 of 6 teams, 40 of 5) computed one by one,
// as GET /results and the results export do.
func BenchmarkComputeResults(b *testing.B) {
	b.Run("Session6x5", func(b *testing.B) {
		in := randomScoringSession(rand.New(rand.NewPCG(7, 8)), "", 6, 5)
		b.ReportAllocs()
		for b.Loop() {
			ComputeResults(in)
		}
	})
	b.Run("Edition2000Apps340Sessions", func(b *testing.B) {
		rng := rand.New(rand.NewPCG(9, 10))
		var sessions []ResultInput
		apps := 0
		for s := range 340 {
			n := 6
			if s >= 300 {
				n = 5
			}
			sessions = append(sessions, randomScoringSession(rng, "s"+strconv.Itoa(s)+"-", n, 5))
			apps += n
		}
		if apps != 2000 {
			b.Fatalf("built %d applications, want 2000", apps)
		}
		b.ReportAllocs()
		for b.Loop() {
			for _, in := range sessions {
				ComputeResults(in)
			}
		}
	})
}
