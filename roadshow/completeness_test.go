package roadshow_test

import (
	"reflect"
	"testing"

	"github.com/roadshow/roadshow/roadshow"
)

// completenessRubric has two criteria: {"x": v} alone is a partial score.
var completenessRubric = roadshow.Rubric{Criteria: []roadshow.Criterion{
	{Key: "x", Weight: 1, Min: 1, Max: 10}, {Key: "y", Weight: 1, Min: 1, Max: 10},
}}

func completenessSession(judges ...string) *roadshow.Session {
	return &roadshow.Session{ID: "s1", State: roadshow.SessionEnded, Judges: judges,
		Slots: []roadshow.Slot{{ApplicationID: "a1", Title: "Alpha"}, {ApplicationID: "a2", Title: "Beta"}}}
}

func scoreOf(judge, app string, final bool, values map[string]int) *roadshow.Score {
	return &roadshow.Score{SessionID: "s1", JudgeID: judge, ApplicationID: app, Values: values, Final: final}
}

func TestCompleteness(t *testing.T) {
	t.Parallel()
	full := map[string]int{"x": 7, "y": 6}
	half := map[string]int{"x": 7}
	names := map[string]string{"j1": "Ada", "j2": "Bo", "j3": "Cy"}
	type team struct {
		states             []roadshow.ScoreState
		complete, final    int
		missing, conflicts int
	}
	type judge struct{ scored, final, partial, conflicts, teams int }
	for _, tt := range []struct {
		name   string
		in     roadshow.CompletenessInput
		teams  []team
		judges []judge
		gaps   []string // English messages, in order
	}{
		{
			name: "AllFinal",
			in: roadshow.CompletenessInput{Session: completenessSession("j1", "j2"), Rubric: completenessRubric, JudgeNames: names,
				Scores: []*roadshow.Score{scoreOf("j1", "a1", true, full), scoreOf("j1", "a2", true, full), scoreOf("j2", "a1", true, full), scoreOf("j2", "a2", false, full)}},
			teams: []team{
				{[]roadshow.ScoreState{"final", "final"}, 2, 2, 0, 0},
				{[]roadshow.ScoreState{"final", "complete"}, 2, 1, 0, 0},
			},
			judges: []judge{{2, 2, 0, 0, 2}, {2, 1, 0, 0, 2}},
		},
		{
			// The demo session of issue 9, on two teams: Bo declared a
			// conflict with Beta, Cy scored nobody, Ada left Beta half done.
			name: "ConflictIdleJudgeAndPartial",
			in: roadshow.CompletenessInput{Session: completenessSession("j1", "j2", "j3"), Rubric: completenessRubric, JudgeNames: names,
				Scores: []*roadshow.Score{scoreOf("j1", "a1", true, full), scoreOf("j1", "a2", false, half), scoreOf("j2", "a1", false, full),
					scoreOf("j2", "a2", false, full), scoreOf("j9", "a1", true, full)},
				Conflicts: []*roadshow.Conflict{{JudgeID: "j2", ApplicationID: "a2", Reason: "Former colleague."}}},
			teams: []team{
				{[]roadshow.ScoreState{"final", "complete", "missing"}, 2, 1, 1, 0},
				{[]roadshow.ScoreState{"partial", "conflict", "missing"}, 0, 0, 2, 1},
			},
			judges: []judge{{1, 1, 1, 0, 2}, {1, 0, 0, 1, 1}, {0, 0, 0, 0, 2}},
			gaps: []string{
				`No judge scored "Beta" completely: it will not be ranked.`,
				"Cy scored none of the 2 teams they could score.",
				`Ada's score for "Beta" is incomplete and does not count.`,
			},
		},
		{
			name:   "NoJudges",
			in:     roadshow.CompletenessInput{Session: completenessSession(), Rubric: completenessRubric},
			teams:  []team{{[]roadshow.ScoreState{}, 0, 0, 0, 0}, {[]roadshow.ScoreState{}, 0, 0, 0, 0}},
			judges: []judge{},
			gaps:   []string{"No judge is assigned to this session."},
		},
		{
			// A judge without a name (account gone) is named by id.
			name: "MissingOne",
			in: roadshow.CompletenessInput{Session: completenessSession("j1", "jx"), Rubric: completenessRubric, JudgeNames: names,
				Scores: []*roadshow.Score{scoreOf("j1", "a1", true, full), scoreOf("j1", "a2", true, full), scoreOf("jx", "a2", true, full)}},
			teams: []team{
				{[]roadshow.ScoreState{"final", "missing"}, 1, 1, 1, 0},
				{[]roadshow.ScoreState{"final", "final"}, 2, 2, 0, 0},
			},
			judges: []judge{{2, 2, 0, 0, 2}, {1, 1, 0, 0, 2}},
			gaps:   []string{`jx has no score for "Alpha".`},
		},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rep := roadshow.Completeness(tt.in)
			var gotTeams []team
			for _, tc := range rep.Teams {
				states := []roadshow.ScoreState{}
				for _, st := range tc.Judges {
					states = append(states, st.State)
					if st.State == roadshow.ScoreStateConflict && st.Reason == "" {
						t.Errorf("%s: a conflict without its reason", tc.Title)
					}
				}
				gotTeams = append(gotTeams, team{states, tc.Complete, tc.Final, tc.Missing, tc.Conflicts})
			}
			if !reflect.DeepEqual(gotTeams, tt.teams) {
				t.Errorf("teams:\ngot  %+v\nwant %+v", gotTeams, tt.teams)
			}
			gotJudges := []judge{}
			for _, j := range rep.Judges {
				gotJudges = append(gotJudges, judge{j.Scored, j.Final, j.Partial, j.Conflicts, j.Teams})
			}
			if !reflect.DeepEqual(gotJudges, tt.judges) {
				t.Errorf("judges:\ngot  %+v\nwant %+v", gotJudges, tt.judges)
			}
			var gaps []string
			for _, g := range rep.Gaps {
				gaps = append(gaps, g.Message)
			}
			if !reflect.DeepEqual(gaps, tt.gaps) {
				t.Errorf("gaps:\ngot  %q\nwant %q", gaps, tt.gaps)
			}
			if (rep.GapsDigest == "") != (len(tt.gaps) == 0) {
				t.Errorf("digest %q for %d gaps", rep.GapsDigest, len(tt.gaps))
			}
			// Publishing: without gaps freely, with gaps only when exactly these are confirmed.
			wantErr(t, roadshow.CanPublishWithGaps(rep, rep.GapsDigest), "", "")
			if len(tt.gaps) > 0 {
				wantErr(t, roadshow.CanPublishWithGaps(rep, ""), roadshow.ECONFLICT, "results.gaps_unconfirmed")
				wantErr(t, roadshow.CanPublishWithGaps(rep, "0123456789abcdef"), roadshow.ECONFLICT, "results.gaps_unconfirmed")
			} else {
				wantErr(t, roadshow.CanPublishWithGaps(rep, ""), "", "")
			}
		})
	}
}

// TestGapsDigest: the same gaps give the same digest; another gap, or the
// same gap about another team, another one.
func TestGapsDigest(t *testing.T) {
	t.Parallel()
	a := []roadshow.Message{roadshow.Msg("results.gap_missing", roadshow.Args{"judge": "Ada", "team": "Alpha"})}
	b := []roadshow.Message{roadshow.Msg("results.gap_missing", roadshow.Args{"team": "Alpha", "judge": "Ada"})}
	c := []roadshow.Message{roadshow.Msg("results.gap_missing", roadshow.Args{"judge": "Ada", "team": "Beta"})}
	if roadshow.GapsDigest(a) != roadshow.GapsDigest(b) || roadshow.GapsDigest(a) == roadshow.GapsDigest(c) || roadshow.GapsDigest(append(a, c...)) == roadshow.GapsDigest(a) {
		t.Fatalf("digests: %s %s %s", roadshow.GapsDigest(a), roadshow.GapsDigest(b), roadshow.GapsDigest(c))
	}
	if roadshow.GapsDigest(nil) != "" {
		t.Fatal("no gaps, a digest")
	}
}

func TestScoreRules(t *testing.T) {
	t.Parallel()
	saved := &roadshow.Score{Version: 3, Values: map[string]int{"x": 4, "y": 5}}
	partial := &roadshow.Score{Version: 2, Values: map[string]int{"x": 4}}
	final := &roadshow.Score{Version: 4, Values: map[string]int{"x": 4, "y": 5}, Final: true, FinalBy: roadshow.FinalByJudge}
	published, ended := completenessSession(), completenessSession()
	at := mustTime(t, "2026-01-12T10:00:00Z")
	published.PublishedAt = &at
	for _, tt := range []struct {
		name      string
		err       error
		code, key string
	}{
		{"Save", roadshow.CanSaveScore(saved), "", ""},
		{"SaveFirst", roadshow.CanSaveScore(nil), "", ""},
		{"ErrSaveFinal", roadshow.CanSaveScore(final), roadshow.ECONFLICT, "score.final"},
		{"Finalize", roadshow.CanFinalizeScore(saved, 3, completenessRubric), "", ""},
		{"ErrNewerSaveExists", roadshow.CanFinalizeScore(saved, 2, completenessRubric), roadshow.ECONFLICT, "score.newer_save"},
		{"ErrVersionUnknown", roadshow.CanFinalizeScore(saved, 4, completenessRubric), roadshow.ECONFLICT, "score.version_unknown"},
		{"ErrNothingSaved", roadshow.CanFinalizeScore(nil, 1, completenessRubric), roadshow.ECONFLICT, "score.save_first"},
		{"ErrAlreadyFinal", roadshow.CanFinalizeScore(final, 4, completenessRubric), roadshow.ECONFLICT, "score.final"},
		{"ErrIncomplete", roadshow.CanFinalizeScore(partial, 2, completenessRubric), roadshow.ECONFLICT, "score.incomplete_final"},
		{"Withdraw", published.CanWithdrawResults(), "", ""},
		{"ErrWithdrawUnpublished", ended.CanWithdrawResults(), roadshow.ECONFLICT, "results.withdraw_not_published"},
		{"ReviewCompleteness", roadshow.CanReviewCompleteness(roadshow.Actor{UserID: "o", Role: roadshow.RoleOrganizer}), "", ""},
		{"ErrReviewCompletenessJudge", roadshow.CanReviewCompleteness(roadshow.Actor{UserID: "j", Role: roadshow.RoleJudge}), roadshow.EFORBIDDEN, "results.completeness_organizers_only"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			wantErr(t, tt.err, tt.code, tt.key)
		})
	}
	// A "final" repeated after its answer was lost finds its own final.
	if !final.FinalizedFrom(3) || final.FinalizedFrom(2) || saved.FinalizedFrom(2) {
		t.Fatal("FinalizedFrom")
	}
	if !saved.FinalizesAtEnd(completenessRubric) || partial.FinalizesAtEnd(completenessRubric) || final.FinalizesAtEnd(completenessRubric) {
		t.Fatal("FinalizesAtEnd: complete non-final scores only")
	}
}
