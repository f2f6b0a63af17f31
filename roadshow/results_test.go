package roadshow

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

// uniformScore is judge's score for app with every criterion of the default
// rubric set to v, so its weighted total is exactly v.
func uniformScore(judge, app string, v int) JudgeScore {
	return JudgeScore{JudgeID: judge, ApplicationID: app, Values: rubricValues(v, v, v, v, v)}
}

// wantScoringResult is the expected Result; Judges nil means "check it is empty".
type wantScoringResult struct {
	app         string
	rank, count int
	mean, zmean float64
	judges      []JudgeTotal
}

// sqrtThreeHalves = sqrt(3/2) = 1.2247448713915890: the z-score of the top and bottom
// of three evenly spaced totals (deviations d, 0, -d; population sd = d*sqrt(2/3);
// z = d / (d*sqrt(2/3)) = sqrt(3/2)).
var sqrtThreeHalves = math.Sqrt(1.5)

func TestComputeResults(t *testing.T) {
	t.Parallel()
	rubric := DefaultRubric()
	tests := []struct {
		name string
		in   ResultInput
		want []wantScoringResult // in output order
	}{
		{
			// A wide-spreading judge must not decide alone.
			// j1: A=10 B=4  mean 7,   deviations +3 -3,     sd 3   -> zA=+1 zB=-1
			// j2: A=6  B=7  mean 6.5, deviations -0.5 +0.5, sd 0.5 -> zA=-1 zB=+1
			// j3: A=5  B=6  mean 5.5, deviations -0.5 +0.5, sd 0.5 -> zA=-1 zB=+1
			// A: mean (10+6+5)/3 = 7,    zMean (+1-1-1)/3 = -1/3
			// B: mean (4+7+6)/3  = 17/3, zMean (-1+1+1)/3 = +1/3
			// B ranks first although its mean is lower: two of three judges preferred it.
			name: "ZScoresBeatRawMean",
			in: ResultInput{
				Rubric: rubric, Applications: []string{"A", "B"}, Judges: []string{"j1", "j2", "j3"},
				Scores: []JudgeScore{
					uniformScore("j1", "A", 10), uniformScore("j1", "B", 4),
					uniformScore("j2", "A", 6), uniformScore("j2", "B", 7),
					uniformScore("j3", "A", 5), uniformScore("j3", "B", 6),
				},
			},
			want: []wantScoringResult{
				{app: "B", rank: 1, count: 3, mean: 17.0 / 3, zmean: 1.0 / 3, judges: []JudgeTotal{{"j1", 4, -1}, {"j2", 7, 1}, {"j3", 6, 1}}},
				{app: "A", rank: 2, count: 3, mean: 7, zmean: -1.0 / 3, judges: []JudgeTotal{{"j1", 10, 1}, {"j2", 6, -1}, {"j3", 5, -1}}},
			},
		},
		{
			// j1: A=8 B=6  C=4  mean 6, deviations +2 0 -2, var (4+0+4)/3 = 8/3, sd 1.63299
			//     zA = 2/sqrt(8/3) = sqrt(3/2), zB = 0, zC = -sqrt(3/2)
			// j2: A=9 B=10 C=8  mean 9, deviations 0 +1 -1, var (0+1+1)/3 = 2/3, sd 0.81650
			//     zA = 0, zB = 1/sqrt(2/3) = sqrt(3/2), zC = -sqrt(3/2)
			// A: mean 8.5, zMean sqrt(3/2)/2 = 0.61237
			// B: mean 8,   zMean sqrt(3/2)/2 = 0.61237 (computed through another sqrt: may differ in the last bits)
			// C: mean 6,   zMean -sqrt(3/2)
			// A and B tie on zMean; the higher mean (8.5 > 8) puts A first.
			name: "TieOnZMeanBrokenByMean",
			in: ResultInput{
				Rubric: rubric, Applications: []string{"B", "A", "C"}, Judges: []string{"j2", "j1"},
				Scores: []JudgeScore{
					uniformScore("j1", "A", 8), uniformScore("j1", "B", 6), uniformScore("j1", "C", 4),
					uniformScore("j2", "A", 9), uniformScore("j2", "B", 10), uniformScore("j2", "C", 8),
				},
			},
			want: []wantScoringResult{
				{app: "A", rank: 1, count: 2, mean: 8.5, zmean: sqrtThreeHalves / 2, judges: []JudgeTotal{{"j1", 8, sqrtThreeHalves}, {"j2", 9, 0}}},
				{app: "B", rank: 2, count: 2, mean: 8, zmean: sqrtThreeHalves / 2, judges: []JudgeTotal{{"j1", 6, 0}, {"j2", 10, sqrtThreeHalves}}},
				{app: "C", rank: 3, count: 2, mean: 6, zmean: -sqrtThreeHalves, judges: []JudgeTotal{{"j1", 4, -sqrtThreeHalves}, {"j2", 8, -sqrtThreeHalves}}},
			},
		},
		{
			// j1 scored A=7 and B=7: sd 0, z 0 for both. j2 scored only B: z 0.
			// A: count 1, mean 7, zMean 0.  B: count 2, mean 7, zMean 0.
			// Equal zMean and mean; B was scored by more judges, so B first despite its later slot.
			name: "TieOnZMeanAndMeanBrokenByCount",
			in: ResultInput{
				Rubric: rubric, Applications: []string{"A", "B"}, Judges: []string{"j1", "j2"},
				Scores: []JudgeScore{
					uniformScore("j1", "A", 7), uniformScore("j1", "B", 7), uniformScore("j2", "B", 7),
				},
			},
			want: []wantScoringResult{
				{app: "B", rank: 1, count: 2, mean: 7, zmean: 0, judges: []JudgeTotal{{"j1", 7, 0}, {"j2", 7, 0}}},
				{app: "A", rank: 2, count: 1, mean: 7, zmean: 0, judges: []JudgeTotal{{"j1", 7, 0}}},
			},
		},
		{
			// j1: A=8 B=8 C=5  mean 7, deviations +1 +1 -2, var (1+1+4)/3 = 2, sd sqrt(2)
			//     zA = zB = 1/sqrt(2), zC = -2/sqrt(2)
			// j2: A=6 B=6 C=9  mean 7, deviations -1 -1 +2, sd sqrt(2)
			//     zA = zB = -1/sqrt(2), zC = +2/sqrt(2)
			// Every team: mean 7, zMean 0, count 2. Slot order decides: A, B, C,
			// whatever the order of the scores and judges in the input.
			name: "FullTieBrokenBySlot",
			in: ResultInput{
				Rubric: rubric, Applications: []string{"A", "B", "C"}, Judges: []string{"j2", "j1"},
				Scores: []JudgeScore{
					uniformScore("j2", "C", 9), uniformScore("j1", "C", 5),
					uniformScore("j2", "B", 6), uniformScore("j1", "B", 8),
					uniformScore("j2", "A", 6), uniformScore("j1", "A", 8),
				},
			},
			want: []wantScoringResult{
				{app: "A", rank: 1, count: 2, mean: 7, zmean: 0, judges: []JudgeTotal{{"j1", 8, 1 / math.Sqrt2}, {"j2", 6, -1 / math.Sqrt2}}},
				{app: "B", rank: 2, count: 2, mean: 7, zmean: 0, judges: []JudgeTotal{{"j1", 8, 1 / math.Sqrt2}, {"j2", 6, -1 / math.Sqrt2}}},
				{app: "C", rank: 3, count: 2, mean: 7, zmean: 0, judges: []JudgeTotal{{"j1", 5, -math.Sqrt2}, {"j2", 9, math.Sqrt2}}},
			},
		},
		{
			// A Latin square: each judge gives 6, 4 and 3 to different teams.
			// Each judge: mean 13/3, deviations 5/3 -1/3 -4/3, var (25+1+16)/9/3 = 14/9, sd sqrt(14)/3 = 1.24722,
			// z = 5/sqrt(14), -1/sqrt(14), -4/sqrt(14);
			// every team: mean 13/3, zMean 0 on paper. In floating point the three
			// z-sums are added in different orders and come out as 2.2e-16,
			// 3.0e-16 and 2.6e-16: without the 9-decimal tie rule, that noise
			// would rank B, C, A. Tied, the slot order decides: A, B, C.
			name: "SummationNoiseIsATie",
			in: ResultInput{
				Rubric: rubric, Applications: []string{"A", "B", "C"}, Judges: []string{"j1", "j2", "j3"},
				Scores: []JudgeScore{
					uniformScore("j1", "A", 6), uniformScore("j1", "B", 4), uniformScore("j1", "C", 3),
					uniformScore("j2", "A", 4), uniformScore("j2", "B", 3), uniformScore("j2", "C", 6),
					uniformScore("j3", "A", 3), uniformScore("j3", "B", 6), uniformScore("j3", "C", 4),
				},
			},
			want: []wantScoringResult{
				{app: "A", rank: 1, count: 3, mean: 13.0 / 3, zmean: 0, judges: []JudgeTotal{{"j1", 6, 5 / math.Sqrt(14)}, {"j2", 4, -1 / math.Sqrt(14)}, {"j3", 3, -4 / math.Sqrt(14)}}},
				{app: "B", rank: 2, count: 3, mean: 13.0 / 3, zmean: 0, judges: []JudgeTotal{{"j1", 4, -1 / math.Sqrt(14)}, {"j2", 3, -4 / math.Sqrt(14)}, {"j3", 6, 5 / math.Sqrt(14)}}},
				{app: "C", rank: 3, count: 3, mean: 13.0 / 3, zmean: 0, judges: []JudgeTotal{{"j1", 3, -4 / math.Sqrt(14)}, {"j2", 6, 5 / math.Sqrt(14)}, {"j3", 4, -1 / math.Sqrt(14)}}},
			},
		},
		{
			// j3 declared a conflict with B but a score for B is stored: it is ignored.
			// j1: A=9 B=5  mean 7,   sd 2   -> zA=+1 zB=-1
			// j2: A=6 B=7  mean 6.5, sd 0.5 -> zA=-1 zB=+1
			// j3: A=4 only (B ignored): one team -> z 0
			// A: count 3, mean (9+6+4)/3 = 19/3, zMean (1-1+0)/3 = 0
			// B: count 2, mean (5+7)/2 = 6,     zMean (-1+1)/2 = 0
			// A first by mean. Had j3's B=10 counted (j3: mean 7, sd 3, zA=-1 zB=+1),
			// B would lead with zMean +1/3 against A's -1/3.
			name: "ConflictIgnored",
			in: ResultInput{
				Rubric: rubric, Applications: []string{"A", "B"}, Judges: []string{"j1", "j2", "j3"},
				Scores: []JudgeScore{
					uniformScore("j1", "A", 9), uniformScore("j1", "B", 5),
					uniformScore("j2", "A", 6), uniformScore("j2", "B", 7),
					uniformScore("j3", "A", 4), uniformScore("j3", "B", 10),
				},
				Conflicts: map[string]map[string]bool{"j3": {"B": true}, "j1": {"Z": true}},
			},
			want: []wantScoringResult{
				{app: "A", rank: 1, count: 3, mean: 19.0 / 3, zmean: 0, judges: []JudgeTotal{{"j1", 9, 1}, {"j2", 6, -1}, {"j3", 4, 0}}},
				{app: "B", rank: 2, count: 2, mean: 6, zmean: 0, judges: []JudgeTotal{{"j1", 5, -1}, {"j2", 7, 1}}},
			},
		},
		{
			// j1 gives every team 7.35 through different values:
			//   (25*8 + 20*6 + 20*7 + 25*9 + 10*5)/100 = 735/100
			//   (25*8 + 20*7 + 20*6 + 25*9 + 10*5)/100 = 735/100
			//   (25*8 + 20*5 + 20*8 + 25*9 + 10*5)/100 = 735/100
			// sd 0 (up to rounding noise) -> z 0 for all: j1 carries no ranking information.
			// j2: A=9 B=7 C=8  mean 8, deviations +1 -1 0, sd sqrt(2/3) -> zA=+sqrt(3/2) zB=-sqrt(3/2) zC=0
			// A: mean (7.35+9)/2 = 8.175, zMean sqrt(3/2)/2
			// C: mean (7.35+8)/2 = 7.675, zMean 0
			// B: mean (7.35+7)/2 = 7.175, zMean -sqrt(3/2)/2
			name: "AllEqualJudge",
			in: ResultInput{
				Rubric: rubric, Applications: []string{"A", "B", "C"}, Judges: []string{"j1", "j2"},
				Scores: []JudgeScore{
					{JudgeID: "j1", ApplicationID: "A", Values: rubricValues(8, 6, 7, 9, 5)},
					{JudgeID: "j1", ApplicationID: "B", Values: rubricValues(8, 7, 6, 9, 5)},
					{JudgeID: "j1", ApplicationID: "C", Values: rubricValues(8, 5, 8, 9, 5)},
					uniformScore("j2", "A", 9), uniformScore("j2", "B", 7), uniformScore("j2", "C", 8),
				},
			},
			want: []wantScoringResult{
				{app: "A", rank: 1, count: 2, mean: 8.175, zmean: sqrtThreeHalves / 2, judges: []JudgeTotal{{"j1", 7.35, 0}, {"j2", 9, sqrtThreeHalves}}},
				{app: "C", rank: 2, count: 2, mean: 7.675, zmean: 0, judges: []JudgeTotal{{"j1", 7.35, 0}, {"j2", 8, 0}}},
				{app: "B", rank: 3, count: 2, mean: 7.175, zmean: -sqrtThreeHalves / 2, judges: []JudgeTotal{{"j1", 7.35, 0}, {"j2", 7, -sqrtThreeHalves}}},
			},
		},
		{
			// C (slot 2 of 3) was scored by nobody: rank 0, listed after the ranked teams.
			// j1: A=8 B=6  mean 7, sd 1 -> zA=+1 zB=-1
			name: "TeamNobodyScored",
			in: ResultInput{
				Rubric: rubric, Applications: []string{"A", "C", "B", "D"}, Judges: []string{"j1", "j2"},
				Scores: []JudgeScore{uniformScore("j1", "A", 8), uniformScore("j1", "B", 6)},
			},
			want: []wantScoringResult{
				{app: "A", rank: 1, count: 1, mean: 8, zmean: 1, judges: []JudgeTotal{{"j1", 8, 1}}},
				{app: "B", rank: 2, count: 1, mean: 6, zmean: -1, judges: []JudgeTotal{{"j1", 6, -1}}},
				{app: "C", rank: 0},
				{app: "D", rank: 0},
			},
		},
		{
			// Drafts count like final scores: j1's B and all of j2 are drafts.
			// j1: A=8 B=6 -> zA=+1 zB=-1;  j2: A=5 B=9 (mean 7, sd 2) -> zA=-1 zB=+1
			// A: mean 6.5, zMean 0;  B: mean 7.5, zMean 0 -> B first by mean.
			name: "DraftsCount",
			in: ResultInput{
				Rubric: rubric, Applications: []string{"A", "B"}, Judges: []string{"j1", "j2"},
				Scores: []JudgeScore{
					{JudgeID: "j1", ApplicationID: "A", Values: rubricValues(8, 8, 8, 8, 8), Final: true},
					uniformScore("j1", "B", 6), uniformScore("j2", "A", 5), uniformScore("j2", "B", 9),
				},
			},
			want: []wantScoringResult{
				{app: "B", rank: 1, count: 2, mean: 7.5, zmean: 0, judges: []JudgeTotal{{"j1", 6, -1}, {"j2", 9, 1}}},
				{app: "A", rank: 2, count: 2, mean: 6.5, zmean: 0, judges: []JudgeTotal{{"j1", 8, 1}, {"j2", 5, -1}}},
			},
		},
		{
			// Left out: a judge not in the session (jX), an application not in the
			// session (Z), incomplete and out-of-range values. A repeated pair: the
			// last entry wins (j1/A: 3 then 9). Duplicate ids in the input are merged.
			// j1: A=9 B=5 -> zA=+1 zB=-1.
			name: "IgnoredScores",
			in: ResultInput{
				Rubric: rubric, Applications: []string{"A", "B", "A"}, Judges: []string{"j1", "j2", "j1"},
				Scores: []JudgeScore{
					uniformScore("j1", "A", 3),
					uniformScore("jX", "A", 1),
					uniformScore("j1", "Z", 1),
					{JudgeID: "j2", ApplicationID: "A", Values: map[string]int{"innovation": 10}},
					{JudgeID: "j2", ApplicationID: "B", Values: rubricValues(10, 10, 10, 10, 11)},
					uniformScore("j1", "B", 5),
					uniformScore("j1", "A", 9),
				},
			},
			want: []wantScoringResult{
				{app: "A", rank: 1, count: 1, mean: 9, zmean: 1, judges: []JudgeTotal{{"j1", 9, 1}}},
				{app: "B", rank: 2, count: 1, mean: 5, zmean: -1, judges: []JudgeTotal{{"j1", 5, -1}}},
			},
		},
		{
			// One judge, one team: the judge's sd is undefined, z = 0.
			name: "OneJudgeOneTeam",
			in: ResultInput{
				Rubric: rubric, Applications: []string{"A"}, Judges: []string{"j1"},
				Scores: []JudgeScore{uniformScore("j1", "A", 6)},
			},
			want: []wantScoringResult{{app: "A", rank: 1, count: 1, mean: 6, zmean: 0, judges: []JudgeTotal{{"j1", 6, 0}}}},
		},
		{
			name: "NoJudges",
			in: ResultInput{
				Rubric: rubric, Applications: []string{"A", "B"},
				Scores: []JudgeScore{uniformScore("j1", "A", 6)},
			},
			want: []wantScoringResult{{app: "A"}, {app: "B"}},
		},
		{
			name: "Empty",
			in:   ResultInput{Rubric: rubric},
			want: []wantScoringResult{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := ComputeResults(tt.in)
			checkScoringResults(t, got, tt.want)
		})
	}
}

func checkScoringResults(t *testing.T, got Results, want []wantScoringResult) {
	t.Helper()
	if want := ResultsTieBreak(); !reflect.DeepEqual(got.TieBreak, want) {
		t.Errorf("TieBreak: got %+v, want %+v", got.TieBreak, want)
	}
	if got.Results == nil {
		t.Errorf("Results: got nil, want a (possibly empty) slice")
	}
	var order []string
	for _, r := range got.Results {
		order = append(order, r.ApplicationID)
	}
	if len(got.Results) != len(want) {
		t.Fatalf("got %d results %v, want %d", len(got.Results), order, len(want))
	}
	const eps = 1e-9
	near := func(a, b float64) bool { return math.Abs(a-b) <= eps }
	for i, w := range want {
		r := got.Results[i]
		if r.ApplicationID != w.app {
			t.Fatalf("results[%d]: got %q, want %q (order %v)", i, r.ApplicationID, w.app, order)
		}
		if r.Rank != w.rank || r.Count != w.count || !near(r.Mean, w.mean) || !near(r.ZMean, w.zmean) {
			t.Errorf("%s: got rank %d count %d mean %.12f zMean %.12f, want rank %d count %d mean %.12f zMean %.12f",
				w.app, r.Rank, r.Count, r.Mean, r.ZMean, w.rank, w.count, w.mean, w.zmean)
		}
		if r.Judges == nil {
			t.Errorf("%s: Judges is nil, want a (possibly empty) slice", w.app)
		}
		if len(r.Judges) != len(w.judges) {
			t.Errorf("%s: judges got %v, want %v", w.app, r.Judges, w.judges)
			continue
		}
		for k, wj := range w.judges {
			gj := r.Judges[k]
			if gj.JudgeID != wj.JudgeID || !near(gj.Total, wj.Total) || !near(gj.Z, wj.Z) {
				t.Errorf("%s: judges[%d] got %+v, want %+v", w.app, k, gj, wj)
			}
		}
	}
}

// randomScoringSession builds a session of nApps teams and nJudges judges on the
// default rubric, where each judge scores each team with probability 0.9,
// has a conflict with it with probability 0.05, and leaves some drafts.
func randomScoringSession(rng *rand.Rand, prefix string, nApps, nJudges int) ResultInput {
	in := ResultInput{Rubric: DefaultRubric(), Conflicts: map[string]map[string]bool{}}
	for a := range nApps {
		in.Applications = append(in.Applications, prefix+"app"+strconv.Itoa(a))
	}
	for j := range nJudges {
		judge := prefix + "judge" + strconv.Itoa(j)
		in.Judges = append(in.Judges, judge)
		harshness := rng.IntN(3) // some judges are harsh, some lenient
		for _, app := range in.Applications {
			if rng.Float64() < 0.05 {
				if in.Conflicts[judge] == nil {
					in.Conflicts[judge] = map[string]bool{}
				}
				in.Conflicts[judge][app] = true
			}
			if rng.Float64() < 0.9 {
				v := func() int { return min(10, max(1, 1+harshness+rng.IntN(8))) }
				in.Scores = append(in.Scores, JudgeScore{
					JudgeID: judge, ApplicationID: app,
					Values: rubricValues(v(), v(), v(), v(), v()),
					Final:  rng.Float64() < 0.7,
				})
			}
		}
	}
	return in
}

// The ranking is a pure function of the scores, not of the order they arrive in.
func TestComputeResultsOrderIndependent(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(1, 2))
	for range 200 {
		in := randomScoringSession(rng, "", 1+rng.IntN(8), 1+rng.IntN(6))
		want := ComputeResults(in)
		shuffled := in
		shuffled.Scores = append([]JudgeScore(nil), in.Scores...)
		shuffled.Judges = append([]string(nil), in.Judges...)
		rng.Shuffle(len(shuffled.Scores), func(i, j int) { shuffled.Scores[i], shuffled.Scores[j] = shuffled.Scores[j], shuffled.Scores[i] })
		rng.Shuffle(len(shuffled.Judges), func(i, j int) { shuffled.Judges[i], shuffled.Judges[j] = shuffled.Judges[j], shuffled.Judges[i] })
		if got := ComputeResults(shuffled); !reflect.DeepEqual(got, want) {
			t.Fatalf("shuffled input changed the results:\ngot  %+v\nwant %+v", got, want)
		}
	}
}

// Invariants on random sessions: ranks 1..k distinct for scored teams, then
// the unscored ones with rank 0; z-scores of a judge average to 0 and have
// population variance 1 (or are all 0); no NaN; the JSON encodes.
func TestComputeResultsInvariants(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(3, 4))
	for range 300 {
		in := randomScoringSession(rng, "", rng.IntN(9), rng.IntN(6))
		got := ComputeResults(in)
		if len(got.Results) != len(in.Applications) {
			t.Fatalf("got %d results, want %d", len(got.Results), len(in.Applications))
		}
		zs := map[string][]float64{}
		unscored := false
		for i, r := range got.Results {
			if r.Count == 0 {
				unscored = true
				if r.Rank != 0 {
					t.Fatalf("%s: unscored with rank %d, want 0", r.ApplicationID, r.Rank)
				}
				continue
			}
			if unscored || r.Rank != i+1 {
				t.Fatalf("results[%d] %s: rank %d, want %d, unscored teams last", i, r.ApplicationID, r.Rank, i+1)
			}
			for _, j := range r.Judges {
				if in.Conflicts[j.JudgeID][r.ApplicationID] {
					t.Fatalf("%s: conflicted judge %s counted", r.ApplicationID, j.JudgeID)
				}
				zs[j.JudgeID] = append(zs[j.JudgeID], j.Z)
			}
			for _, f := range []float64{r.Mean, r.ZMean} {
				if math.IsNaN(f) || math.IsInf(f, 0) {
					t.Fatalf("%s: non-finite value in %+v", r.ApplicationID, r)
				}
			}
		}
		for judge, z := range zs {
			var sum, sq float64
			for _, x := range z {
				sum += x
				sq += x * x
			}
			n := float64(len(z))
			if math.Abs(sum/n) > 1e-9 || (sq != 0 && math.Abs(sq/n-1) > 1e-9) {
				t.Fatalf("judge %s: z %v has mean %v and variance %v, want 0 and 1 (or all 0)", judge, z, sum/n, sq/n)
			}
		}
		if _, err := json.Marshal(got); err != nil {
			t.Fatalf("json: %v", err)
		}
	}
}

func TestResultsJSON(t *testing.T) {
	t.Parallel()
	got := ComputeResults(ResultInput{
		Rubric: DefaultRubric(), Applications: []string{"A", "B"}, Judges: []string{"j1"},
		Scores: []JudgeScore{uniformScore("j1", "A", 8)},
	})
	b, err := json.Marshal(got)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"results":[` +
		`{"applicationId":"A","judges":[{"judgeId":"j1","total":8,"z":0}],"count":1,"mean":8,"zMean":0,"rank":1},` +
		`{"applicationId":"B","judges":[],"count":0,"mean":0,"zMean":0,"rank":0}],"tieBreak":`
	if !strings.HasPrefix(string(b), want) {
		t.Errorf("got %s\nwant prefix %s", b, want)
	}
	empty, _ := json.Marshal(ComputeResults(ResultInput{}))
	if !strings.HasPrefix(string(empty), `{"results":[],`) {
		t.Errorf("empty: got %s, want results []", empty)
	}
}

func TestCanScore(t *testing.T) {
	t.Parallel()
	// live, slot 2 of the session is on air, the judge scores slot 1
	ok := ScoreContext{SessionState: SessionLive, CurrentSlot: 2, SlotIndex: 1, JudgeAssigned: true}
	with := func(f func(*ScoreContext)) ScoreContext { c := ok; f(&c); return c }
	tests := []struct {
		name string
		ctx  ScoreContext
		code string // "" means allowed
		msg  string
	}{
		{"EarlierSlot", ok, "", ""},
		{"CurrentSlot", with(func(c *ScoreContext) { c.SlotIndex = 2 }), "", ""},
		{"FirstSlotLive", with(func(c *ScoreContext) { c.CurrentSlot, c.SlotIndex = 0, 0 }), "", ""},
		{"ErrSlotNotStarted", with(func(c *ScoreContext) { c.SlotIndex = 3 }), ECONFLICT, "This slot has not started yet."},
		{"ErrSlotNotStartedNoCurrent", with(func(c *ScoreContext) { c.CurrentSlot, c.SlotIndex = -1, 0 }), ECONFLICT, "This slot has not started yet."},
		{"ErrSessionScheduled", with(func(c *ScoreContext) { c.SessionState, c.CurrentSlot = SessionScheduled, -1 }), ECONFLICT, "Session is not live."},
		{"ErrSessionUnknownState", with(func(c *ScoreContext) { c.SessionState = "" }), ECONFLICT, "Session is not live."},
		{"ErrSessionEnded", with(func(c *ScoreContext) { c.SessionState, c.CurrentSlot = SessionEnded, -1 }), ECONFLICT, "Session has ended."},
		{"ErrScoreFinal", with(func(c *ScoreContext) { c.Locked = true }), ECONFLICT, "Score is final and can no longer be changed."},
		{"ErrScoreFinalAfterEnd", with(func(c *ScoreContext) { c.Locked, c.SessionState = true, SessionEnded }), ECONFLICT, "Score is final and can no longer be changed."},
		{"ErrConflictOfInterest", with(func(c *ScoreContext) { c.Conflict = true }), EFORBIDDEN, "conflict of interest"},
		{"ErrConflictBeatsState", with(func(c *ScoreContext) { c.Conflict, c.SessionState = true, SessionEnded }), EFORBIDDEN, "conflict of interest"},
		{"ErrNotInSession", with(func(c *ScoreContext) { c.SlotIndex = -1 }), ENOTFOUND, "not found"},
		{"ErrNotInSessionWithConflict", with(func(c *ScoreContext) { c.SlotIndex, c.Conflict = -1, true }), ENOTFOUND, "not found"},
		{"ErrNotAssignedJudge", with(func(c *ScoreContext) { c.JudgeAssigned = false }), EFORBIDDEN, "assigned"},
		{"ErrNotAssignedBeatsEverything", ScoreContext{SessionState: SessionEnded, CurrentSlot: -1, SlotIndex: -1, Conflict: true, Locked: true}, EFORBIDDEN, "assigned"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := CanScore(tt.ctx)
			if got := ErrorCode(err); got != tt.code {
				t.Fatalf("code: got %q (%v), want %q", got, err, tt.code)
			}
			if got := ErrorMessage(err); !strings.Contains(got, tt.msg) {
				t.Errorf("message: got %q, want it to contain %q", got, tt.msg)
			}
		})
	}
}
