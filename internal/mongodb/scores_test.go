package mongodb_test

import (
	"context"
	"fmt"
	"maps"
	"reflect"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/roadshow/roadshow/internal/mongodb"
	"github.com/roadshow/roadshow/roadshow"
)

// scoreRubric is a two-criterion rubric for the store's tests.
var scoreRubric = roadshow.Rubric{Criteria: []roadshow.Criterion{
	{Key: "team", NameEN: "Team", NameZH: "团队", Weight: 1, Min: 1, Max: 10},
	{Key: "market", NameEN: "Market", NameZH: "市场", Weight: 1, Min: 1, Max: 10},
}}

func save(values map[string]int, comment string, at time.Time) roadshow.ScoreChange {
	return roadshow.SaveChange(roadshow.Score{Values: values, Comment: comment, UpdatedAt: at})
}

func TestUpdateScore(t *testing.T) {
	t.Parallel()
	for _, m := range writerModes {
		t.Run(m.name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			st := MustDB(t, m.singleWriter).Scores()
			sess, judge, other, app := newHexID(), newHexID(), newHexID(), newHexID()
			mine := roadshow.ScoreKey{SessionID: sess, JudgeID: judge, ApplicationID: app}
			theirs := roadshow.ScoreKey{SessionID: sess, JudgeID: other, ApplicationID: app}

			got, err := st.ScoresByID(ctx, []string{mine.ID()})
			Must(t, err)
			if got == nil || len(got) != 0 {
				t.Fatalf("ScoresByID before any score: got %#v, want []", got)
			}
			version := func(sc *roadshow.Score, err error) *roadshow.Score {
				t.Helper()
				Must(t, err)
				if sc.ID != mine.ID() && sc.ID != theirs.ID() {
					t.Fatalf("id: got %s", sc.ID)
				}
				return sc
			}
			// A partial save, then a complete one: each a version.
			version(st.UpdateScore(ctx, mine, save(map[string]int{"team": 5}, "first", t0), nil))
			version(st.UpdateScore(ctx, mine, save(map[string]int{"team": 7, "market": 6}, "second", t0.Add(time.Minute)), nil))
			version(st.UpdateScore(ctx, theirs, save(map[string]int{"team": 3}, "", t0.Add(2*time.Minute)), nil))
			// "final" for a version the judge no longer sees is refused.
			_, err = st.UpdateScore(ctx, mine, roadshow.FinalChange(1, scoreRubric, t0.Add(3*time.Minute)), nil)
			MustCode(t, err, roadshow.ECONFLICT)
			if key := roadshow.ErrorMsg(err).Key; key != "score.newer_save" {
				t.Fatalf("final of an old version: got %q, want score.newer_save", key)
			}
			final := version(st.UpdateScore(ctx, mine, roadshow.FinalChange(2, scoreRubric, t0.Add(3*time.Minute)), nil))
			if !final.Final || final.FinalBy != roadshow.FinalByJudge || final.Comment != "second" {
				t.Fatalf("final: got %+v", final)
			}
			// Repeating it changes nothing.
			again := version(st.UpdateScore(ctx, mine, roadshow.FinalChange(2, scoreRubric, t0.Add(4*time.Minute)), nil))
			if !reflect.DeepEqual(again, final) {
				t.Fatalf("final again:\ngot  %+v\nwant %+v", again, final)
			}
			_, err = st.UpdateScore(ctx, mine, save(map[string]int{"team": 1}, "too late", t0.Add(4*time.Minute)), nil)
			MustCode(t, err, roadshow.ECONFLICT)
			// An incomplete score is not finalised at the end; a complete one is.
			kept := version(st.UpdateScore(ctx, theirs, roadshow.EndChange(scoreRubric, t0.Add(5*time.Minute)), nil))
			if kept.Final {
				t.Fatalf("an incomplete score was finalised at the end: %+v", kept)
			}
			version(st.UpdateScore(ctx, theirs, save(map[string]int{"team": 3, "market": 4}, "", t0.Add(6*time.Minute)), nil))
			ended := version(st.UpdateScore(ctx, theirs, roadshow.EndChange(scoreRubric, t0.Add(7*time.Minute)), nil))
			if !ended.Final || ended.FinalBy != roadshow.FinalBySessionEnd {
				t.Fatalf("end: got %+v, want final by the session's end", ended)
			}

			got, err = st.ScoresByID(ctx, []string{theirs.ID(), "missing", mine.ID(), theirs.ID()})
			Must(t, err)
			wantScores := []*roadshow.Score{
				{ID: theirs.ID(), SessionID: sess, JudgeID: other, ApplicationID: app, Values: map[string]int{"team": 3, "market": 4},
					Final: true, FinalBy: roadshow.FinalBySessionEnd, Version: 3, UpdatedAt: t0.Add(7 * time.Minute).UTC()},
				{ID: mine.ID(), SessionID: sess, JudgeID: judge, ApplicationID: app, Values: map[string]int{"team": 7, "market": 6},
					Comment: "second", Final: true, FinalBy: roadshow.FinalByJudge, Version: 3, UpdatedAt: t0.Add(3 * time.Minute).UTC()},
			}
			if !reflect.DeepEqual(got, wantScores) {
				t.Fatalf("ScoresByID:\ngot  %s\nwant %s", dump(got), dump(wantScores))
			}

			log, err := st.ScoreLog(ctx, sess)
			Must(t, err)
			type row struct {
				judge   string
				version int
				comment string
				final   string
				at      time.Time
			}
			var gotRows []row
			for _, e := range log {
				if e.ID != roadshow.ScoreLogID(roadshow.ScoreID(sess, e.JudgeID, app), e.Version) || e.SessionID != sess || e.ApplicationID != app || e.At.Location() != time.UTC {
					t.Fatalf("log entry: got %+v", e)
				}
				gotRows = append(gotRows, row{e.JudgeID, e.Version, e.Comment, e.FinalBy, e.At})
			}
			wantRows := []row{
				{judge, 1, "first", "", t0.UTC()},
				{judge, 2, "second", "", t0.Add(time.Minute).UTC()},
				{other, 1, "", "", t0.Add(2 * time.Minute).UTC()},
				{judge, 3, "second", roadshow.FinalByJudge, t0.Add(3 * time.Minute).UTC()},
				{other, 2, "", "", t0.Add(6 * time.Minute).UTC()},
				{other, 3, "", roadshow.FinalBySessionEnd, t0.Add(7 * time.Minute).UTC()},
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

// TestUpdateScoreCheck: the session check runs against the stored session and
// its refusal writes nothing, neither score nor log entry.
func TestUpdateScoreCheck(t *testing.T) {
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
			key := roadshow.ScoreKey{SessionID: se.ID, JudgeID: judge, ApplicationID: app}
			_, err := scores.UpdateScore(ctx, key, save(map[string]int{"team": 5}, "", t0), live)
			Must(t, err)
			_, err = st.UpdateSession(ctx, se.ID, func(s *roadshow.Session) error { s.State = roadshow.SessionEnded; return nil })
			Must(t, err)
			_, err = scores.UpdateScore(ctx, key, save(map[string]int{"team": 6}, "", t0), live)
			MustCode(t, err, roadshow.ECONFLICT)
			log, err := scores.ScoreLog(ctx, se.ID)
			Must(t, err)
			if len(log) != 1 {
				t.Fatalf("a refused save was logged: %d entries", len(log))
			}
			missing := key
			missing.SessionID = newHexID()
			_, err = scores.UpdateScore(ctx, missing, save(map[string]int{"team": 5}, "", t0), live)
			MustCode(t, err, roadshow.ENOTFOUND)
		})
	}
}

// TestScoreFinalLocksLastAcknowledgedSave is the concurrency test of
// "final": many judges' tabs save and finalise one score at once, each
// "final" naming the version its tab last saw acknowledged. Whatever the
// interleaving, on both write paths (the in-process lock of the embedded
// store, and the MongoDB path, which relies only on the atomic insert of a
// log entry under its version's _id), the stored final score holds exactly
// the values of the last save that was acknowledged, no acknowledged save
// came after it, every acknowledged "final" named that save, and the log is
// one unbroken chain of versions ending in the final.
func TestScoreFinalLocksLastAcknowledgedSave(t *testing.T) {
	t.Parallel()
	const (
		savers     = 8
		saves      = 12 // per saver
		finalizers = 4
	)
	for _, m := range writerModes {
		t.Run(m.name, func(t *testing.T) {
			t.Parallel()
			st := MustDB(t, m.singleWriter).Scores()
			// Rounds differ in how many tabs save and from which version
			// on the finalizers press "final", so that finals land early,
			// late and between saves under the embedded store's lock.
			for round, r := range []struct{ savers, from int }{{savers, 1}, {4, 30}, {2, 12}, {1, 5}} {
				key := roadshow.ScoreKey{SessionID: newHexID(), JudgeID: newHexID(), ApplicationID: newHexID()}
				acked := mustRaceScore(t, st, key, r.savers, saves, finalizers, r.from, round)
				checkFinalIsLastSave(t, st, key, acked)
			}
		})
	}
}

// raceResult is what the racing writers were told.
type raceResult struct {
	mu     sync.Mutex
	saves  map[int]map[string]int // acknowledged saves: version -> values
	finals []int                  // the version each acknowledged "final" named
	last   int                    // the highest acknowledged save version yet
	// acked is closed (and replaced) at every acknowledged save, to wake
	// the finalizers without their spinning.
	acked chan struct{}
	// refused counts the finals refused for a newer save, and the saves
	// refused for a final: the race happened.
	refusedFinals, refusedSaves atomic.Int64
}

// mustRaceScore runs savers and finalizers against one score at once and
// returns what they were acknowledged. Each finalizer presses "final" for
// the latest acknowledged save it knows of, from version from on.
func mustRaceScore(tb testing.TB, st *mongodb.ScoreStore, key roadshow.ScoreKey, savers, saves, finalizers, from, round int) *raceResult {
	tb.Helper()
	ctx := context.Background()
	res := &raceResult{saves: map[int]map[string]int{}, acked: make(chan struct{})}
	var wg, saving sync.WaitGroup
	errs := make(chan error, savers*saves+finalizers)
	start, saved := make(chan struct{}), make(chan struct{})
	for s := range savers {
		wg.Add(1)
		saving.Add(1)
		go func() {
			defer wg.Done()
			defer saving.Done()
			<-start
			for i := range saves {
				values := map[string]int{"team": 1 + (s+i)%10, "market": 1 + (s*saves+i+round)%10}
				sc, err := st.UpdateScore(ctx, key, save(values, fmt.Sprintf("saver %d save %d", s, i), t0), nil)
				switch {
				case roadshow.ErrorMsg(err).Key == "score.final":
					res.refusedSaves.Add(1)
					return // locked: nothing more to save
				case err != nil:
					errs <- fmt.Errorf("saver %d: %w", s, err)
					return
				}
				if !reflect.DeepEqual(sc.Values, values) {
					errs <- fmt.Errorf("saver %d: acknowledged %v, sent %v", s, sc.Values, values)
				}
				res.mu.Lock()
				res.saves[sc.Version] = maps.Clone(values)
				res.last = max(res.last, sc.Version)
				close(res.acked)
				res.acked = make(chan struct{})
				res.mu.Unlock()
			}
		}()
	}
	for f := range finalizers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			tried := 0
			for {
				res.mu.Lock()
				seen, acked := res.last, res.acked
				res.mu.Unlock()
				if seen == tried || seen < from {
					select { // wait for the next acknowledged save
					case <-acked:
						continue
					case <-saved:
						return
					}
				}
				tried = seen
				sc, err := st.UpdateScore(ctx, key, roadshow.FinalChange(seen, scoreRubric, t0), nil)
				switch key := roadshow.ErrorMsg(err).Key; {
				case key == "score.newer_save":
					res.refusedFinals.Add(1)
					continue // refused, and says why
				case key == "score.final":
					continue
				case err != nil:
					errs <- fmt.Errorf("finalizer %d: %w", f, err)
					return
				case !sc.Final || sc.Version != seen+1:
					errs <- fmt.Errorf("finalizer %d: final of version %d acknowledged as %+v", f, seen, sc)
					return
				}
				res.mu.Lock()
				res.finals = append(res.finals, seen)
				res.mu.Unlock()
			}
		}()
	}
	close(start)
	saving.Wait()
	close(saved)
	wg.Wait()
	close(errs)
	for err := range errs {
		tb.Fatal(err)
	}
	if len(res.finals) == 0 {
		// Nobody got a word in: the judge finalises what they saw last.
		sc, err := st.UpdateScore(ctx, key, roadshow.FinalChange(res.last, scoreRubric, t0), nil)
		Must(tb, err)
		res.finals = append(res.finals, sc.Version-1)
	}
	return res
}

// checkFinalIsLastSave checks the stored score and its log against what
// the writers were acknowledged.
func checkFinalIsLastSave(tb testing.TB, st *mongodb.ScoreStore, key roadshow.ScoreKey, res *raceResult) {
	tb.Helper()
	ctx := context.Background()
	got, err := st.ScoresByID(ctx, []string{key.ID()})
	Must(tb, err)
	if len(got) != 1 || !got[0].Final {
		tb.Fatalf("stored score: got %s, want one final score", dump(got))
	}
	final := got[0]
	base := final.Version - 1
	if !reflect.DeepEqual(final.Values, res.saves[base]) {
		tb.Fatalf("the final holds %v (version %d), but the save acknowledged as version %d was %v", final.Values, final.Version, base, res.saves[base])
	}
	if res.last != base {
		tb.Fatalf("a save was acknowledged as version %d after the final of version %d", res.last, base)
	}
	for _, v := range res.finals {
		if v != base {
			tb.Fatalf("a final of version %d was acknowledged, but the stored final is of version %d", v, base)
		}
	}
	log, err := st.ScoreLog(ctx, key.SessionID)
	Must(tb, err)
	versions := map[int]*roadshow.ScoreLogEntry{}
	for _, e := range log {
		if versions[e.Version] != nil {
			tb.Fatalf("version %d logged twice", e.Version)
		}
		versions[e.Version] = e
	}
	if len(versions) != final.Version {
		tb.Fatalf("log: %d versions, want 1..%d", len(versions), final.Version)
	}
	for v := 1; v <= final.Version; v++ {
		e := versions[v]
		switch {
		case e == nil:
			tb.Fatalf("log: version %d missing", v)
		case e.Final != (v == final.Version):
			tb.Fatalf("log: version %d final %v", v, e.Final)
		case v < final.Version && !reflect.DeepEqual(e.Values, res.saves[v]):
			tb.Fatalf("log: version %d holds %v, acknowledged %v", v, e.Values, res.saves[v])
		}
	}
	tb.Logf("%d versions, final of version %d, %d acknowledged finals; %d finals refused for a newer save, %d saves refused for the final",
		final.Version, base, len(res.finals), res.refusedFinals.Load(), res.refusedSaves.Load())
}
