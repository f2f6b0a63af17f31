package roadshow

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
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
	app                string
	rank, count, panel int
	mean, zmean        float64
	judges             []JudgeTotal
	// score is the RankScore when set; otherwise it must be zmean * count / panel.
	score *float64
	// low and high are the spread when set; otherwise the lowest and highest of judges.
	low, high *float64
}

func f(x float64) *float64 { return &x }

// sheetOf is judge's uniform scores of the teams A, B, C, ... in turn.
func sheetOf(judge string, totals ...int) []JudgeScore {
	var out []JudgeScore
	for i, v := range totals {
		out = append(out, uniformScore(judge, string(rune('A'+i)), v))
	}
	return out
}

// xy is judge's score for app on the two-criterion rubric {x, y}.
func xy(judge, app string, x, y int) JudgeScore {
	return JudgeScore{JudgeID: judge, ApplicationID: app, Values: map[string]int{"x": x, "y": y}}
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
		eps  float64             // the precision of the hand-computed figures; 1e-9 unless set
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
				{app: "B", rank: 1, count: 3, panel: 3, mean: 17.0 / 3, zmean: 1.0 / 3, judges: []JudgeTotal{{"j1", 4, -1}, {"j2", 7, 1}, {"j3", 6, 1}}},
				{app: "A", rank: 2, count: 3, panel: 3, mean: 7, zmean: -1.0 / 3, judges: []JudgeTotal{{"j1", 10, 1}, {"j2", 6, -1}, {"j3", 5, -1}}},
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
				{app: "A", rank: 1, count: 2, panel: 2, mean: 8.5, zmean: sqrtThreeHalves / 2, judges: []JudgeTotal{{"j1", 8, sqrtThreeHalves}, {"j2", 9, 0}}},
				{app: "B", rank: 2, count: 2, panel: 2, mean: 8, zmean: sqrtThreeHalves / 2, judges: []JudgeTotal{{"j1", 6, 0}, {"j2", 10, sqrtThreeHalves}}},
				{app: "C", rank: 3, count: 2, panel: 2, mean: 6, zmean: -sqrtThreeHalves, judges: []JudgeTotal{{"j1", 4, -sqrtThreeHalves}, {"j2", 8, -sqrtThreeHalves}}},
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
				{app: "B", rank: 1, count: 2, panel: 2, mean: 7, zmean: 0, judges: []JudgeTotal{{"j1", 7, 0}, {"j2", 7, 0}}},
				{app: "A", rank: 2, count: 1, panel: 2, mean: 7, zmean: 0, judges: []JudgeTotal{{"j1", 7, 0}}},
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
				{app: "A", rank: 1, count: 2, panel: 2, mean: 7, zmean: 0, judges: []JudgeTotal{{"j1", 8, 1 / math.Sqrt2}, {"j2", 6, -1 / math.Sqrt2}}},
				{app: "B", rank: 2, count: 2, panel: 2, mean: 7, zmean: 0, judges: []JudgeTotal{{"j1", 8, 1 / math.Sqrt2}, {"j2", 6, -1 / math.Sqrt2}}},
				{app: "C", rank: 3, count: 2, panel: 2, mean: 7, zmean: 0, judges: []JudgeTotal{{"j1", 5, -math.Sqrt2}, {"j2", 9, math.Sqrt2}}},
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
				{app: "A", rank: 1, count: 3, panel: 3, mean: 13.0 / 3, zmean: 0, judges: []JudgeTotal{{"j1", 6, 5 / math.Sqrt(14)}, {"j2", 4, -1 / math.Sqrt(14)}, {"j3", 3, -4 / math.Sqrt(14)}}},
				{app: "B", rank: 2, count: 3, panel: 3, mean: 13.0 / 3, zmean: 0, judges: []JudgeTotal{{"j1", 4, -1 / math.Sqrt(14)}, {"j2", 3, -4 / math.Sqrt(14)}, {"j3", 6, 5 / math.Sqrt(14)}}},
				{app: "C", rank: 3, count: 3, panel: 3, mean: 13.0 / 3, zmean: 0, judges: []JudgeTotal{{"j1", 3, -4 / math.Sqrt(14)}, {"j2", 6, 5 / math.Sqrt(14)}, {"j3", 4, -1 / math.Sqrt(14)}}},
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
				{app: "A", rank: 1, count: 3, panel: 3, mean: 19.0 / 3, zmean: 0, judges: []JudgeTotal{{"j1", 9, 1}, {"j2", 6, -1}, {"j3", 4, 0}}},
				{app: "B", rank: 2, count: 2, panel: 3, mean: 6, zmean: 0, judges: []JudgeTotal{{"j1", 5, -1}, {"j2", 7, 1}}},
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
				{app: "A", rank: 1, count: 2, panel: 2, mean: 8.175, zmean: sqrtThreeHalves / 2, judges: []JudgeTotal{{"j1", 7.35, 0}, {"j2", 9, sqrtThreeHalves}}},
				{app: "C", rank: 2, count: 2, panel: 2, mean: 7.675, zmean: 0, judges: []JudgeTotal{{"j1", 7.35, 0}, {"j2", 8, 0}}},
				{app: "B", rank: 3, count: 2, panel: 2, mean: 7.175, zmean: -sqrtThreeHalves / 2, judges: []JudgeTotal{{"j1", 7.35, 0}, {"j2", 7, -sqrtThreeHalves}}},
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
				{app: "A", rank: 1, count: 1, panel: 1, mean: 8, zmean: 1, judges: []JudgeTotal{{"j1", 8, 1}}},
				{app: "B", rank: 2, count: 1, panel: 1, mean: 6, zmean: -1, judges: []JudgeTotal{{"j1", 6, -1}}},
				{app: "C", rank: 0, panel: 1},
				{app: "D", rank: 0, panel: 1},
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
				{app: "B", rank: 1, count: 2, panel: 2, mean: 7.5, zmean: 0, judges: []JudgeTotal{{"j1", 6, -1}, {"j2", 9, 1}}},
				{app: "A", rank: 2, count: 2, panel: 2, mean: 6.5, zmean: 0, judges: []JudgeTotal{{"j1", 8, 1}, {"j2", 5, -1}}},
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
				{app: "A", rank: 1, count: 1, panel: 1, mean: 9, zmean: 1, judges: []JudgeTotal{{"j1", 9, 1}}},
				{app: "B", rank: 2, count: 1, panel: 1, mean: 5, zmean: -1, judges: []JudgeTotal{{"j1", 5, -1}}},
			},
		},
		{
			// The demo edition's "Digital technology #1" (issue 9): judge jB
			// scored nobody, judge jA declared a conflict with T2, so T2 was
			// scored by jC alone. Rubric: x weight 7, y weight 3, total
			// (7x + 3y) / 10.
			// jC: T1 (8,4) 6.8, T2 (7,6) 6.7, T3 (8,6) 7.4, T4 (5,4) 4.7, T5 (6,5) 5.7, T6 (5,4) 4.7
			//     mean 36/6 = 6.0, deviations .8 .7 1.4 -1.3 -.3 -1.3, squares sum 6.56,
			//     sd sqrt(6.56/6) = 1.045626
			//     z: T1 .765092, T2 .669456, T3 1.338911, T4 -1.243275, T5 -.286910, T6 -1.243275
			// jA: T1 (6,5) 5.7, T3 (7,5) 6.4, T4 (8,8) 8.0, T5 (8,6) 7.4, T6 (4,8) 5.2
			//     mean 32.7/5 = 6.54, deviations -.84 -.14 1.46 .86 -1.34, squares sum 5.392,
			//     sd sqrt(5.392/5) = 1.038460
			//     z: T1 -.808890, T3 -.134815, T4 1.405927, T5 .828149, T6 -1.290372
			// Panel: jA and jC (jB scored nobody) = 2.
			// T2: one judge, mean 6.70, zMean .669456, but rankScore .669456/2 = .334728
			// T3: two judges, mean (7.4+6.4)/2 = 6.90, zMean (1.338911-.134815)/2 = .602048 = rankScore
			// By the mean z-score alone T2 (.669) would rank above T3 (.602), on one
			// judge's opinion; with the missing judge counted as average, T3 ranks
			// first and T2 second. Then T5 (.270620), T4 (.081326), T1 (-.021899), T6 (-1.266823).
			name: "DemoOneJudgeDoesNotWin",
			in: ResultInput{
				Rubric:       Rubric{Criteria: []Criterion{{Key: "x", Weight: 7, Min: 1, Max: 10}, {Key: "y", Weight: 3, Min: 1, Max: 10}}},
				Applications: []string{"T1", "T2", "T3", "T4", "T5", "T6"}, Judges: []string{"jA", "jB", "jC"},
				Scores: []JudgeScore{
					xy("jC", "T1", 8, 4), xy("jC", "T2", 7, 6), xy("jC", "T3", 8, 6), xy("jC", "T4", 5, 4), xy("jC", "T5", 6, 5), xy("jC", "T6", 5, 4),
					xy("jA", "T1", 6, 5), xy("jA", "T2", 9, 9), xy("jA", "T3", 7, 5), xy("jA", "T4", 8, 8), xy("jA", "T5", 8, 6), xy("jA", "T6", 4, 8),
					{JudgeID: "jB", ApplicationID: "T1", Values: map[string]int{"x": 9}}, // partial: counts nowhere
				},
				Conflicts: map[string]map[string]bool{"jA": {"T2": true}},
			},
			want: []wantScoringResult{
				{app: "T3", rank: 1, count: 2, panel: 2, mean: 6.9, zmean: 0.602048, judges: []JudgeTotal{{"jA", 6.4, -0.134815}, {"jC", 7.4, 1.338911}}},
				{app: "T2", rank: 2, count: 1, panel: 2, mean: 6.7, zmean: 0.669456, score: f(0.334728), judges: []JudgeTotal{{"jC", 6.7, 0.669456}}},
				{app: "T5", rank: 3, count: 2, panel: 2, mean: 6.55, zmean: 0.270620, judges: []JudgeTotal{{"jA", 7.4, 0.828149}, {"jC", 5.7, -0.286910}}},
				{app: "T4", rank: 4, count: 2, panel: 2, mean: 6.35, zmean: 0.081326, judges: []JudgeTotal{{"jA", 8.0, 1.405927}, {"jC", 4.7, -1.243275}}},
				{app: "T1", rank: 5, count: 2, panel: 2, mean: 6.25, zmean: -0.021899, judges: []JudgeTotal{{"jA", 5.7, -0.808890}, {"jC", 6.8, 0.765092}}},
				{app: "T6", rank: 6, count: 2, panel: 2, mean: 4.95, zmean: -1.266823, judges: []JudgeTotal{{"jA", 5.2, -1.290372}, {"jC", 4.7, -1.243275}}},
			},
			eps: 1e-6, // six decimals
		},
		{
			// Shrinking in proportion to the judges missing, with three on the panel.
			// j1: A=9 B=7 C=5, mean 7, sd sqrt(8/3) -> z sqrt(3/2), 0, -sqrt(3/2)
			// j2: A=8 B=6,     mean 7, sd 1         -> z 1, -1      (conflict with C)
			// j3: B=8 C=6,     mean 7, sd 1         -> z 1, -1      (conflict with A)
			// A: zsum sqrt(3/2)+1 = 2.224745, rankScore /3 = .741582 (zMean 1.112372)
			// B: zsum 0-1+1 = 0,              rankScore 0
			// C: zsum -sqrt(3/2)-1,           rankScore -.741582
			name: "ShrinkByJudgesMissing",
			in: ResultInput{
				Rubric: rubric, Applications: []string{"C", "B", "A"}, Judges: []string{"j1", "j2", "j3"},
				// Each judge's A, B, C (j2's C and j3's A are conflicts, ignored).
				Scores:    slices.Concat(sheetOf("j1", 9, 7, 5), sheetOf("j2", 8, 6, 1), sheetOf("j3", 1, 8, 6)),
				Conflicts: map[string]map[string]bool{"j2": {"C": true}, "j3": {"A": true}},
			},
			want: []wantScoringResult{
				{app: "A", rank: 1, count: 2, panel: 3, mean: 8.5, zmean: (sqrtThreeHalves + 1) / 2, judges: []JudgeTotal{{"j1", 9, sqrtThreeHalves}, {"j2", 8, 1}}},
				{app: "B", rank: 2, count: 3, panel: 3, mean: 7, zmean: 0, judges: []JudgeTotal{{"j1", 7, 0}, {"j2", 6, -1}, {"j3", 8, 1}}},
				{app: "C", rank: 3, count: 2, panel: 3, mean: 5.5, zmean: -(sqrtThreeHalves + 1) / 2, judges: []JudgeTotal{{"j1", 5, -sqrtThreeHalves}, {"j3", 6, -1}}},
			},
		},
		{
			// One judge, one team: the judge's sd is undefined, z = 0.
			name: "OneJudgeOneTeam",
			in: ResultInput{
				Rubric: rubric, Applications: []string{"A"}, Judges: []string{"j1"},
				Scores: []JudgeScore{uniformScore("j1", "A", 6)},
			},
			want: []wantScoringResult{{app: "A", rank: 1, count: 1, panel: 1, mean: 6, zmean: 0, judges: []JudgeTotal{{"j1", 6, 0}}}},
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
			eps := tt.eps
			if eps == 0 {
				eps = 1e-9
			}
			checkScoringResults(t, got, tt.want, eps)
		})
	}
}

func checkScoringResults(t *testing.T, got Results, want []wantScoringResult, eps float64) {
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
		score := 0.0
		if w.panel > 0 {
			score = w.zmean * float64(w.count) / float64(w.panel)
		}
		if w.score != nil {
			score = *w.score
		}
		if r.Panel != w.panel || !near(r.RankScore, score) {
			t.Errorf("%s: got panel %d rankScore %.12f, want panel %d rankScore %.12f", w.app, r.Panel, r.RankScore, w.panel, score)
		}
		low, high := 0.0, 0.0
		for k, j := range w.judges {
			if k == 0 || j.Total < low {
				low = j.Total
			}
			high = max(high, j.Total)
		}
		if w.low != nil {
			low, high = *w.low, *w.high
		}
		if !near(r.Low, low) || !near(r.High, high) {
			t.Errorf("%s: got spread %.12f-%.12f, want %.12f-%.12f", w.app, r.Low, r.High, low, high)
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
		`{"applicationId":"A","judges":[{"judgeId":"j1","total":8,"z":0}],"count":1,"panel":1,"mean":8,"low":8,"high":8,"zMean":0,"rankScore":0,"rank":1},` +
		`{"applicationId":"B","judges":[],"count":0,"panel":1,"mean":0,"low":0,"high":0,"zMean":0,"rankScore":0,"rank":0}],"tieBreak":`
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
