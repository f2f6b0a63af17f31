package mongodb_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/roadshow/roadshow/roadshow"
)

func TestSaveScore(t *testing.T) {
	t.Parallel()
	for _, m := range writerModes {
		t.Run(m.name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			st := MustDB(t, m.singleWriter).Scores()
			sess, judge, other, app := newHexID(), newHexID(), newHexID(), newHexID()

			got, err := st.ScoresByID(ctx, []string{roadshow.ScoreID(sess, judge, app)})
			Must(t, err)
			if got == nil || len(got) != 0 {
				t.Fatalf("ScoresByID before any score: got %#v, want []", got)
			}

			save := func(judge string, values map[string]int, comment string, final bool, at time.Time) error {
				return st.SaveScore(ctx, &roadshow.Score{SessionID: sess, JudgeID: judge, ApplicationID: app,
					Values: values, Comment: comment, Final: final, UpdatedAt: at}, nil)
			}
			Must(t, save(judge, map[string]int{"team": 5}, "first", false, t0))
			Must(t, save(judge, map[string]int{"team": 7, "market": 6}, "second", false, t0.Add(time.Minute)))
			Must(t, save(other, map[string]int{"team": 3}, "", false, t0.Add(2*time.Minute)))
			Must(t, save(judge, map[string]int{"team": 8, "market": 6}, "done", true, t0.Add(3*time.Minute)))
			err = save(judge, map[string]int{"team": 1}, "too late", false, t0.Add(4*time.Minute))
			MustCode(t, err, roadshow.ECONFLICT)
			// A bare code: what it means to a person is the service's to say.
			if key := roadshow.ErrorMsg(err).Key; key != "error.conflict" {
				t.Fatalf("message key: got %q, want the bare code's", key)
			}
			MustCode(t, save(judge, map[string]int{"team": 1}, "", true, t0.Add(4*time.Minute)), roadshow.ECONFLICT)

			mine, theirs := roadshow.ScoreID(sess, judge, app), roadshow.ScoreID(sess, other, app)
			got, err = st.ScoresByID(ctx, []string{theirs, "missing", mine, theirs})
			Must(t, err)
			wantScores := []*roadshow.Score{
				{ID: theirs, SessionID: sess, JudgeID: other, ApplicationID: app, Values: map[string]int{"team": 3}, UpdatedAt: t0.Add(2 * time.Minute).UTC()},
				{ID: mine, SessionID: sess, JudgeID: judge, ApplicationID: app, Values: map[string]int{"team": 8, "market": 6}, Comment: "done", Final: true, UpdatedAt: t0.Add(3 * time.Minute).UTC()},
			}
			if !reflect.DeepEqual(got, wantScores) {
				t.Fatalf("ScoresByID:\ngot  %s\nwant %s", dump(got), dump(wantScores))
			}

			log, err := st.ScoreLog(ctx, sess)
			Must(t, err)
			type row struct {
				judge   string
				comment string
				final   bool
				at      time.Time
			}
			var gotRows []row
			for _, e := range log {
				if !roadshow.ValidID(e.ID) || e.SessionID != sess || e.ApplicationID != app || e.At.Location() != time.UTC {
					t.Fatalf("log entry: got %+v", e)
				}
				gotRows = append(gotRows, row{e.JudgeID, e.Comment, e.Final, e.At})
			}
			wantRows := []row{
				{judge, "first", false, t0.UTC()},
				{judge, "second", false, t0.Add(time.Minute).UTC()},
				{other, "", false, t0.Add(2 * time.Minute).UTC()},
				{judge, "done", true, t0.Add(3 * time.Minute).UTC()},
			}
			if !reflect.DeepEqual(gotRows, wantRows) {
				t.Fatalf("ScoreLog:\ngot  %+v\nwant %+v", gotRows, wantRows)
			}
			if !reflect.DeepEqual(log[1].Values, map[string]int{"team": 7, "market": 6}) {
				t.Fatalf("log values: got %v", log[1].Values)
			}

			empty, err := st.ScoreLog(ctx, newHexID())
			Must(t, err)
			if empty == nil || len(empty) != 0 {
				t.Fatalf("ScoreLog of another session: got %#v, want []", empty)
			}
		})
	}
}

// TestSaveScoreCheck: the session check runs against the stored session and
// its refusal writes nothing, neither score nor log entry.
func TestSaveScoreCheck(t *testing.T) {
	t.Parallel()
	for _, m := range writerModes {
		t.Run(m.name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			db := MustDB(t, m.singleWriter)
			st, scores := db.Sessions(), db.Scores()
			judge, app := newHexID(), newHexID()
			se := &roadshow.Session{Industry: "metaverse", Title: "S", State: roadshow.SessionLive, CurrentSlot: 0,
				Slots: []roadshow.Slot{{ApplicationID: app}}, Judges: []string{judge}, Investors: []string{}}
			Must(t, st.CreateSession(ctx, se))
			live := func(s *roadshow.Session) error {
				if s.State != roadshow.SessionLive {
					return roadshow.NewError(roadshow.ECONFLICT, "score.session_ended", nil)
				}
				return nil
			}
			score := func() *roadshow.Score {
				return &roadshow.Score{SessionID: se.ID, JudgeID: judge, ApplicationID: app, Values: map[string]int{"team": 5}, UpdatedAt: t0}
			}
			Must(t, scores.SaveScore(ctx, score(), live))
			_, err := st.UpdateSession(ctx, se.ID, func(s *roadshow.Session) error { s.State = roadshow.SessionEnded; return nil })
			Must(t, err)
			MustCode(t, scores.SaveScore(ctx, score(), live), roadshow.ECONFLICT)
			log, err := scores.ScoreLog(ctx, se.ID)
			Must(t, err)
			if len(log) != 1 {
				t.Fatalf("a refused save was logged: %d entries", len(log))
			}
			missing := score()
			missing.SessionID = newHexID()
			MustCode(t, scores.SaveScore(ctx, missing, live), roadshow.ENOTFOUND)
		})
	}
}
