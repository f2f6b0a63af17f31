package http_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/roadshow/roadshow/roadshow"
)

// edition is a running roadshow: an organizer, judges, an investor and
// eligible teams in several time zones.
type edition struct {
	s         *testServer
	org       user
	judges    []user
	investor  user
	teams     []user
	apps      []roadshow.Application
	sessionID string
}

func MustEdition(tb testing.TB, s *testServer, industry string, zones []string) *edition {
	tb.Helper()
	e := &edition{s: s, org: s.MustStaff(tb, roadshow.RoleOrganizer, "org@example.com"), investor: s.MustStaff(tb, roadshow.RoleInvestor, "inv@example.com")}
	for i := 0; i < 3; i++ {
		e.judges = append(e.judges, s.MustStaff(tb, roadshow.RoleJudge, fmt.Sprintf("judge%d@example.com", i)))
	}
	for i, tz := range zones {
		u := s.MustApplicant(tb, fmt.Sprintf("team%d@example.com", i))
		body := completeApplication(industry)
		body["title"] = fmt.Sprintf("Team %d", i)
		body["timezone"] = tz
		a := s.MustCreateApp(tb, u, body)
		s.Must(tb, 200, "POST", "/applications/"+a.ID+"/submit", u.Token, nil)
		s.Must(tb, 200, "PATCH", "/applications/"+a.ID+"/screening", e.org.Token, map[string]any{"decision": "eligible"})
		e.teams = append(e.teams, u)
		e.apps = append(e.apps, a)
	}
	return e
}

func (e *edition) plan(tb testing.TB, body map[string]any) roadshow.PlanResult {
	tb.Helper()
	var res roadshow.PlanResult
	e.s.Must(tb, 201, "POST", "/sessions/plan", e.org.Token, body).JSON(tb, &res)
	return res
}

func TestPlanAndReplan(t *testing.T) {
	t.Parallel()
	s := MustServer(t, serverOpts{})
	e := MustEdition(t, s, "clean-energy", []string{"Europe/Berlin", "Europe/London", "Asia/Tokyo", "Asia/Singapore", "Europe/Paris", "Asia/Seoul", "Pacific/Honolulu"})
	first := time.Date(2030, 3, 4, 0, 0, 0, 0, time.UTC).Format(time.RFC3339)
	res := e.plan(t, map[string]any{"firstStart": first, "maxPerSession": 3, "dayStart": "08:00", "dayEnd": "22:00", "days": 1})
	placed := 0
	for _, se := range res.Sessions {
		if se.Industry != "clean-energy" || len(se.Slots) > 3 || se.State != roadshow.SessionScheduled {
			t.Fatalf("bad session %+v", se)
		}
		for _, sl := range se.Slots {
			loc, _ := time.LoadLocation(sl.Timezone)
			if h := sl.Start.In(loc).Hour(); h < 8 || sl.End.In(loc).Add(-time.Minute).Hour() >= 22 {
				t.Errorf("%s pitches at %s local time", sl.Title, sl.Start.In(loc).Format("15:04"))
			}
			placed++
		}
	}
	if placed+len(res.Unplaced) != len(e.apps) {
		t.Fatalf("placed %d + unplaced %d != %d teams", placed, len(res.Unplaced), len(e.apps))
	}
	for _, u := range res.Unplaced {
		if u.Reason == "" {
			t.Errorf("unplaced without a reason: %+v", u)
		}
	}
	// Each placed application now names its session.
	for _, se := range res.Sessions {
		for _, sl := range se.Slots {
			var a roadshow.Application
			s.Must(t, 200, "GET", "/applications/"+sl.ApplicationID, e.org.Token, nil).JSON(t, &a)
			if a.SessionID != se.ID {
				t.Errorf("application %s: sessionId %q, want %q", a.ID, a.SessionID, se.ID)
			}
		}
	}
	// Planning again creates nothing for the placed teams.
	again := e.plan(t, map[string]any{"firstStart": first, "maxPerSession": 3, "days": 1})
	for _, se := range again.Sessions {
		for _, sl := range se.Slots {
			for _, old := range res.Sessions {
				if old.SlotIndex(sl.ApplicationID) >= 0 {
					t.Fatalf("re-plan moved %s", sl.ApplicationID)
				}
			}
		}
	}
	var list struct{ Items []roadshow.Session }
	s.Must(t, 200, "GET", "/sessions", e.org.Token, nil).JSON(t, &list)
	if len(list.Items) != len(res.Sessions)+len(again.Sessions) {
		t.Fatalf("got %d sessions, want %d", len(list.Items), len(res.Sessions)+len(again.Sessions))
	}
	// Bad plans are refused with field errors and create nothing.
	for _, body := range []map[string]any{{}, {"firstStart": "soon"}, {"firstStart": first, "industries": []string{"space"}}, {"firstStart": first, "maxPerSession": 500}, {"firstStart": first, "dayStart": "25:00"}} {
		r := s.Do(t, "POST", "/sessions/plan", e.org.Token, body)
		if r.Status != 422 && r.Status != 400 {
			t.Errorf("%v: got %d %s", body, r.Status, r.Body)
		}
	}
	s.Must(t, 403, "POST", "/sessions/plan", e.judges[0].Token, map[string]any{"firstStart": first})
}

// liveSession plans one session of the edition's teams, assigns the judges
// and the investor, and returns it.
func (e *edition) liveSession(tb testing.TB) roadshow.Session {
	tb.Helper()
	res := e.plan(tb, map[string]any{"firstStart": time.Date(2030, 3, 4, 0, 0, 0, 0, time.UTC).Format(time.RFC3339), "maxPerSession": 6, "days": 3})
	if len(res.Sessions) != 1 {
		tb.Fatalf("want one session, got %d (unplaced %v)", len(res.Sessions), res.Unplaced)
	}
	se := res.Sessions[0]
	for _, j := range e.judges {
		e.s.Must(tb, 200, "POST", "/sessions/"+se.ID+"/judges", e.org.Token, map[string]any{"userId": j.ID})
	}
	e.s.Must(tb, 200, "POST", "/sessions/"+se.ID+"/investors", e.org.Token, map[string]any{"userId": e.investor.ID})
	e.sessionID = se.ID
	return *se
}

func scoreBody(v int) map[string]any {
	vals := map[string]int{}
	for _, c := range roadshow.DefaultRubric().Criteria {
		vals[c.Key] = v
	}
	return map[string]any{"values": vals, "comment": "Clear pitch."}
}

func TestJudgingFlow(t *testing.T) {
	t.Parallel()
	s := MustServer(t, serverOpts{})
	e := MustEdition(t, s, "smart-ocean", []string{"Asia/Tokyo", "Asia/Seoul", "Asia/Singapore"})
	se := e.liveSession(t)
	base := "/sessions/" + se.ID
	j0, j1, j2 := e.judges[0], e.judges[1], e.judges[2]
	first, second, third := se.Slots[0].ApplicationID, se.Slots[1].ApplicationID, se.Slots[2].ApplicationID

	// Judges read the applications of their session; investors the public part.
	var full roadshow.Application
	s.Must(t, 200, "GET", "/applications/"+first, j0.Token, nil).JSON(t, &full)
	if full.LandingPlan == "" {
		t.Fatal("judge cannot read the landing plan")
	}
	r := s.Must(t, 200, "GET", "/applications/"+first, e.investor.Token, nil)
	if bytes.Contains(r.Body, []byte("landingPlan")) || bytes.Contains(r.Body, []byte("ownerId")) {
		t.Fatalf("investor sees private fields: %s", r.Body)
	}
	outsider := s.MustStaff(t, roadshow.RoleJudge, "outsider@example.com")
	s.Must(t, 404, "GET", "/applications/"+first, outsider.Token, nil)
	var invView roadshow.Session
	s.Must(t, 200, "GET", base, e.investor.Token, nil).JSON(t, &invView)
	for _, sl := range invView.Slots {
		if sl.Timezone != "" {
			t.Fatalf("investor sees a team's time zone: %+v", sl)
		}
	}

	// A conflict hides the private part from that judge.
	s.Must(t, 201, "POST", "/applications/"+second+"/conflicts", j2.Token, map[string]any{"reason": "Former colleague."})
	r = s.Must(t, 200, "GET", "/applications/"+second, j2.Token, nil)
	if bytes.Contains(r.Body, []byte("landingPlan")) {
		t.Fatalf("conflicted judge sees private fields: %s", r.Body)
	}
	s.Must(t, 404, "GET", "/applications/"+second+"/deck", j2.Token, nil)

	// Nothing can be scored before the session starts.
	s.Must(t, 409, "PUT", base+"/scores/"+first, j0.Token, scoreBody(7))
	s.Must(t, 403, "POST", base+"/start", j0.Token, nil)
	var live roadshow.Session
	s.Must(t, 200, "POST", base+"/start", e.org.Token, nil).JSON(t, &live)
	if live.State != roadshow.SessionLive || live.CurrentSlot != 0 {
		t.Fatalf("got %+v", live)
	}
	// The rubric is still free to change before the first score...
	s.Must(t, 200, "PUT", "/edition", e.org.Token, map[string]any{"rubric": roadshow.DefaultRubric()})

	var saved roadshow.Score
	s.Must(t, 200, "PUT", base+"/scores/"+first, j0.Token, scoreBody(6)).JSON(t, &saved)
	if saved.Version != 1 || !saved.Complete {
		t.Fatalf("first save: got version %d complete %v, want 1 true", saved.Version, saved.Complete)
	}
	s.Must(t, 200, "PUT", base+"/scores/"+first, j0.Token, scoreBody(8)).JSON(t, &saved) // autosave overwrites
	if saved.Version != 2 || saved.Values["team"] != 8 {
		t.Fatalf("second save: got %+v, want version 2", saved)
	}
	s.Must(t, 409, "PUT", base+"/scores/"+second, j0.Token, scoreBody(8)) // not started
	s.Must(t, 403, "PUT", base+"/scores/"+first, outsider.Token, scoreBody(8))
	s.Must(t, 403, "PUT", base+"/scores/"+first, e.org.Token, scoreBody(8))
	bad := scoreBody(11)
	if f := s.Must(t, 422, "PUT", base+"/scores/"+first, j1.Token, bad).Fields(t); len(f) == 0 {
		t.Fatal("out-of-range score without field errors")
	}
	unknown := scoreBody(5)
	unknown["values"].(map[string]int)["charisma"] = 5
	s.Must(t, 422, "PUT", base+"/scores/"+first, j1.Token, unknown)
	s.Must(t, 400, "PUT", base+"/scores/"+first, j1.Token, `{"values": {"team": "ten"}}`)

	// ...and locked after it.
	changed := roadshow.DefaultRubric()
	changed.Criteria[0].Weight = 50
	s.Must(t, 409, "PUT", "/edition", e.org.Token, map[string]any{"rubric": changed})

	s.Must(t, 200, "POST", base+"/next", e.org.Token, nil)
	s.Must(t, 200, "PUT", base+"/scores/"+second, j0.Token, scoreBody(5))
	s.Must(t, 403, "PUT", base+"/scores/"+second, j2.Token, scoreBody(9)) // conflict
	s.Must(t, 200, "PUT", base+"/scores/"+first, j1.Token, scoreBody(4))  // an earlier slot is fine
	s.Must(t, 200, "PUT", base+"/scores/"+second, j1.Token, scoreBody(6))
	// A partial score is saved as it is, and counts nowhere.
	var partial roadshow.Score
	s.Must(t, 200, "PUT", base+"/scores/"+first, j2.Token, map[string]any{"values": map[string]int{"team": 7}}).JSON(t, &partial)
	if partial.Complete || partial.Version != 1 || len(partial.Values) != 1 {
		t.Fatalf("partial save: got %+v", partial)
	}
	if key := s.Must(t, 409, "POST", base+"/scores/"+first+"/final", j2.Token, map[string]any{"version": 1}).Key(t); key != "score.incomplete_final" {
		t.Fatalf("final of a partial score: got %q", key)
	}
	// "final" names the version the judge saw: an older one is refused.
	s.Must(t, 400, "POST", base+"/scores/"+first+"/final", j0.Token, nil)
	s.Must(t, 422, "POST", base+"/scores/"+first+"/final", j0.Token, map[string]any{})
	if key := s.Must(t, 409, "POST", base+"/scores/"+first+"/final", j0.Token, map[string]any{"version": 1}).Key(t); key != "score.newer_save" {
		t.Fatalf("final of an old version: got %q", key)
	}
	var final roadshow.Score
	s.Must(t, 200, "POST", base+"/scores/"+first+"/final", j0.Token, map[string]any{"version": 2}).JSON(t, &final)
	if !final.Final || final.Version != 3 || final.Values["team"] != 8 || final.FinalBy != roadshow.FinalByJudge {
		t.Fatalf("final: got %+v", final)
	}
	s.Must(t, 200, "POST", base+"/scores/"+first+"/final", j0.Token, map[string]any{"version": 2}) // repeated: the same
	s.Must(t, 409, "PUT", base+"/scores/"+first, j0.Token, scoreBody(2))
	s.Must(t, 409, "POST", base+"/scores/"+third+"/final", j0.Token, map[string]any{"version": 1})

	// Judges see their own scores only.
	var mine struct{ Items []roadshow.Score }
	s.Must(t, 200, "GET", base+"/scores", j1.Token, nil).JSON(t, &mine)
	for _, sc := range mine.Items {
		if sc.JudgeID != j1.ID {
			t.Fatalf("judge 1 sees a score of %s", sc.JudgeID)
		}
	}
	if len(mine.Items) != 2 {
		t.Fatalf("judge 1 has %d scores, want 2", len(mine.Items))
	}
	var prog struct {
		Progress []roadshow.TeamProgress
		Scores   []roadshow.JudgeScoreTotal
	}
	s.Must(t, 200, "GET", base+"/progress", j1.Token, nil).JSON(t, &prog)
	if prog.Scores != nil || prog.Progress[0].Scored != 2 || prog.Progress[0].Partial != 1 || prog.Progress[1].Judges != 2 {
		t.Fatalf("judge progress: %+v", prog)
	}

	// Results: organizers at any time, others only after publishing.
	var res roadshow.ResultsView
	s.Must(t, 200, "GET", base+"/results", e.org.Token, nil).JSON(t, &res)
	if len(res.Teams) != 3 || res.TieBreak == "" || res.Teams[0].Rank != 1 {
		t.Fatalf("results: %+v", res)
	}
	s.Must(t, 403, "GET", base+"/results", e.teams[0].Token, nil)
	s.Must(t, 403, "GET", base+"/results", e.investor.Token, nil)
	s.Must(t, 409, "POST", base+"/results/publish", e.org.Token, map[string]any{}) // still live
	s.Must(t, 200, "POST", base+"/end", e.org.Token, nil)
	s.Must(t, 409, "PUT", base+"/scores/"+second, j1.Token, scoreBody(9)) // ended

	// The completeness report names the gaps; publishing with gaps needs
	// them confirmed, exactly.
	var rep roadshow.CompletenessReport
	s.Must(t, 200, "GET", base+"/completeness", e.org.Token, nil).JSON(t, &rep)
	var gaps []string
	for _, g := range rep.Gaps {
		gaps = append(gaps, g.Key)
	}
	wantGaps := []string{"results.gap_team_unscored", "results.gap_judge_idle", "results.gap_missing", "results.gap_missing"}
	if !slices.Equal(gaps, wantGaps) || rep.GapsDigest == "" {
		t.Fatalf("gaps: got %v (%q), want %v", gaps, rep.GapsDigest, wantGaps)
	}
	if st := rep.Teams[1].Judges[2]; st.State != roadshow.ScoreStateConflict || st.Reason != "Former colleague." {
		t.Fatalf("the conflict in the report: got %+v", st)
	}
	if j := rep.Judges[0]; j.Scored != 2 || j.Final != 2 || j.Teams != 3 {
		t.Fatalf("judge 0 in the report: got %+v", j)
	}
	s.Must(t, 403, "GET", base+"/completeness", j0.Token, nil)
	if key := s.Must(t, 409, "POST", base+"/results/publish", e.org.Token, map[string]any{}).Key(t); key != "results.gaps_unconfirmed" {
		t.Fatalf("publish with unconfirmed gaps: got %q", key)
	}
	s.Must(t, 409, "POST", base+"/results/publish", e.org.Token, map[string]any{"confirmGaps": "0123456789abcdef"})
	var published roadshow.Session
	s.Must(t, 200, "POST", base+"/results/publish", e.org.Token, map[string]any{"confirmGaps": rep.GapsDigest}).JSON(t, &published)
	if published.PublishedAt == nil || len(published.ResultsLog) != 1 || len(published.ResultsLog[0].Gaps) != 4 || published.ResultsLog[0].By != e.org.ID {
		t.Fatalf("publication: got %+v", published)
	}

	var own roadshow.ResultsView
	s.Must(t, 200, "GET", base+"/results", e.teams[0].Token, nil).JSON(t, &own)
	if len(own.Teams) != 1 || own.Teams[0].ApplicationID != e.apps[0].ID || own.Teams[0].ZMean != nil || own.Teams[0].Of != 2 || own.Teams[0].Count != 2 {
		t.Fatalf("applicant results: %+v", own)
	}
	var inv roadshow.ResultsView
	s.Must(t, 200, "GET", base+"/results", e.investor.Token, nil).JSON(t, &inv)
	if len(inv.Teams) != 3 || inv.Teams[0].Judges != nil || inv.Teams[0].Count != 2 || inv.Teams[0].Panel != 2 || inv.Teams[0].High < inv.Teams[0].Low {
		t.Fatalf("investor results: %+v", inv)
	}
	outsiderTeam := s.MustApplicant(t, "nobody@example.com")
	s.Must(t, 404, "GET", base+"/results", outsiderTeam.Token, nil)

	// Withdrawn, with a reason: the participants no longer see them.
	s.Must(t, 422, "POST", base+"/results/withdraw", e.org.Token, map[string]any{"reason": " "})
	s.Must(t, 403, "POST", base+"/results/withdraw", j0.Token, map[string]any{"reason": "Mistake."})
	var withdrawn roadshow.Session
	s.Must(t, 200, "POST", base+"/results/withdraw", e.org.Token, map[string]any{"reason": "A judge's scores were entered for the wrong team."}).JSON(t, &withdrawn)
	if withdrawn.PublishedAt != nil || len(withdrawn.ResultsLog) != 2 || withdrawn.ResultsLog[1].Action != roadshow.ResultsWithdrawn || withdrawn.ResultsLog[1].Reason == "" {
		t.Fatalf("withdrawal: got %+v", withdrawn)
	}
	s.Must(t, 409, "POST", base+"/results/withdraw", e.org.Token, map[string]any{"reason": "Again."})
	for _, who := range []string{e.teams[0].Token, e.investor.Token, j1.Token} {
		s.Must(t, 403, "GET", base+"/results", who, nil)
	}
	var judgeView roadshow.Session
	s.Must(t, 200, "GET", base, j1.Token, nil).JSON(t, &judgeView)
	if judgeView.ResultsLog != nil {
		t.Fatalf("a judge sees the results log: %+v", judgeView.ResultsLog)
	}
	s.Must(t, 200, "POST", base+"/results/publish", e.org.Token, map[string]any{"confirmGaps": rep.GapsDigest})
	s.Must(t, 200, "GET", base+"/results", e.investor.Token, nil)

	var log struct{ Items []roadshow.ScoreLogEntry }
	s.Must(t, 200, "GET", base+"/score-log", e.org.Token, nil).JSON(t, &log)
	// In order: j0 first (6), first (8); j2's partial first; j0 second (5);
	// j1 first, second; j0's final; then, at the end, the three complete
	// scores that were not final (j0 second, j1 first and second), and not
	// j2's partial one. Refused saves leave no trace.
	if len(log.Items) != 10 {
		t.Fatalf("score log has %d entries, want 10: %+v", len(log.Items), log.Items)
	}
	if !log.Items[6].Final || log.Items[6].FinalBy != roadshow.FinalByJudge || log.Items[0].Values["team"] != 6 || log.Items[1].Values["team"] != 8 {
		t.Fatalf("score log order: %+v", log.Items)
	}
	for _, e := range log.Items[7:] {
		if !e.Final || e.FinalBy != roadshow.FinalBySessionEnd || e.JudgeID == j2.ID {
			t.Fatalf("finalised at the end: got %+v", e)
		}
	}
	s.Must(t, 403, "GET", base+"/score-log", j0.Token, nil)

	var ind roadshow.ResultsView
	s.Must(t, 200, "GET", "/results?industry=smart-ocean", e.org.Token, nil).JSON(t, &ind)
	if len(ind.Teams) != 2 { // the third team was never scored
		t.Fatalf("industry results: %+v", ind)
	}
}

func TestSessionAdjustments(t *testing.T) {
	t.Parallel()
	s := MustServer(t, serverOpts{})
	e := MustEdition(t, s, "digital-trade", []string{"Europe/Berlin", "Europe/Paris", "Europe/Madrid", "Europe/Rome"})
	res := e.plan(t, map[string]any{"firstStart": time.Date(2030, 3, 4, 0, 0, 0, 0, time.UTC).Format(time.RFC3339), "maxPerSession": 2, "days": 2})
	if len(res.Sessions) != 2 {
		t.Fatalf("got %d sessions", len(res.Sessions))
	}
	a, b := res.Sessions[0], res.Sessions[1]
	moving := a.Slots[0].ApplicationID
	var moved roadshow.MoveResult
	s.Must(t, 200, "POST", "/sessions/"+a.ID+"/move", e.org.Token, map[string]any{"applicationId": moving, "toSessionId": b.ID, "toIndex": 0}).JSON(t, &moved)
	if len(moved.Sessions) != 2 || len(moved.Sessions[0].Slots) != 1 || moved.Sessions[1].Slots[0].ApplicationID != moving {
		t.Fatalf("move: %+v", moved)
	}
	var app roadshow.Application
	s.Must(t, 200, "GET", "/applications/"+moving, e.org.Token, nil).JSON(t, &app)
	if app.SessionID != b.ID {
		t.Fatalf("application still points at %s", app.SessionID)
	}
	bs := moved.Sessions[1]
	order := []string{bs.Slots[2].ApplicationID, bs.Slots[0].ApplicationID, bs.Slots[1].ApplicationID}
	var re roadshow.MoveResult
	s.Must(t, 200, "PUT", "/sessions/"+b.ID+"/order", e.org.Token, map[string]any{"applicationIds": order}).JSON(t, &re)
	if re.Sessions[0].Slots[0].ApplicationID != order[0] || !re.Sessions[0].Slots[1].Start.Equal(re.Sessions[0].Slots[0].End) {
		t.Fatalf("reorder: %+v", re.Sessions[0].Slots)
	}
	s.Must(t, 422, "PUT", "/sessions/"+b.ID+"/order", e.org.Token, map[string]any{"applicationIds": order[:2]})
	// Applicants see their slot, and the other teams by title only.
	owner := e.teams[0]
	var list struct{ Items []roadshow.Session }
	s.Must(t, 200, "GET", "/sessions", owner.Token, nil).JSON(t, &list)
	if len(list.Items) != 1 {
		t.Fatalf("applicant sees %d sessions", len(list.Items))
	}
	mineSeen := 0
	for _, sl := range list.Items[0].Slots {
		if sl.ApplicationID == e.apps[0].ID {
			mineSeen++
		} else if sl.ApplicationID != "" || sl.Timezone != "" {
			t.Fatalf("applicant sees another team's details: %+v", sl)
		}
	}
	if mineSeen != 1 {
		t.Fatalf("applicant does not see their own slot")
	}
	s.Must(t, 200, "POST", "/sessions/"+a.ID+"/cancel", e.org.Token, nil)
	s.Must(t, 409, "POST", "/sessions/"+a.ID+"/start", e.org.Token, nil)
	// Cancelling frees the team for the next planning run.
	var left roadshow.Application
	s.Must(t, 200, "GET", "/applications/"+a.Slots[1].ApplicationID, e.org.Token, nil).JSON(t, &left)
	if left.SessionID != "" {
		t.Fatalf("cancelled session still holds %s", left.ID)
	}
	// Participants must have the right role.
	s.Must(t, 422, "POST", "/sessions/"+b.ID+"/judges", e.org.Token, map[string]any{"userId": e.investor.ID})
	s.Must(t, 200, "POST", "/sessions/"+b.ID+"/judges", e.org.Token, map[string]any{"userId": e.judges[0].ID})
	s.Must(t, 200, "DELETE", "/sessions/"+b.ID+"/judges/"+e.judges[0].ID, e.org.Token, nil)
	s.Must(t, 404, "DELETE", "/sessions/"+b.ID+"/judges/"+e.judges[0].ID, e.org.Token, nil)
}

func TestCalendarAndExports(t *testing.T) {
	t.Parallel()
	s := MustServer(t, serverOpts{})
	e := MustEdition(t, s, "life-health", []string{"Asia/Jerusalem", "Europe/Berlin"})
	e.liveSession(t)
	var link struct{ URL string }
	s.Must(t, 200, "GET", "/me/calendar-link", e.judges[0].Token, nil).JSON(t, &link)
	resp, err := (&http.Client{Transport: s.checked(t, http.DefaultTransport)}).Get(link.URL)
	if err != nil {
		t.Fatal(err)
	}
	var body bytes.Buffer
	_, _ = body.ReadFrom(resp.Body)
	resp.Body.Close()
	ics := body.String()
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/calendar") {
		t.Fatalf("feed: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	for _, want := range []string{"BEGIN:VCALENDAR\r\n", "VERSION:2.0\r\n", "PRODID:", "BEGIN:VEVENT\r\n", "DTSTART:2030", "Z\r\n", "END:VCALENDAR\r\n"} {
		if !strings.Contains(ics, want) {
			t.Errorf("calendar lacks %q:\n%s", want, ics)
		}
	}
	for _, line := range strings.Split(ics, "\r\n") {
		if len(line) > 75 {
			t.Errorf("unfolded line of %d octets: %q", len(line), line)
		}
	}
	// A calendar token is not an access token, nor the other way round.
	tok := link.URL[strings.Index(link.URL, "token=")+6:]
	s.Must(t, 401, "GET", "/me", tok, nil)
	s.Must(t, 401, "GET", "/me/calendar.ics?token="+e.judges[0].Token, "", nil)
	s.Must(t, 200, "GET", "/me/calendar.ics", e.teams[0].Token, nil)
	s.Must(t, 401, "GET", "/me/calendar.ics", "", nil)

	r := s.Must(t, 200, "GET", "/exports/applications.csv", e.org.Token, nil)
	if !bytes.HasPrefix(r.Body, []byte("\xef\xbb\xbf")) {
		t.Fatal("applications.csv has no byte-order mark")
	}
	rows, err := csv.NewReader(bytes.NewReader(r.Body[3:])).ReadAll()
	if err != nil || len(rows) != 3 || !strings.Contains(strings.Join(rows[1], ","), "生命健康") {
		t.Fatalf("applications.csv: %v %v", err, rows)
	}
	r = s.Must(t, 200, "GET", "/exports/results.csv", e.org.Token, nil)
	if !bytes.HasPrefix(r.Body, []byte("\xef\xbb\xbf")) {
		t.Fatal("results.csv has no byte-order mark")
	}
	s.Must(t, 403, "GET", "/exports/results.csv", e.judges[0].Token, nil)
}

// wsURL turns the API base into the session's WebSocket address.
func wsURL(s *testServer, sessionID, token string) string {
	return "ws" + strings.TrimPrefix(s.URL, "http") + "/sessions/" + sessionID + "/events?token=" + token
}

func readEvent(tb testing.TB, c *websocket.Conn, want string) roadshow.Event {
	tb.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		_ = c.SetReadDeadline(deadline)
		_, data, err := c.ReadMessage()
		if err != nil {
			tb.Fatalf("waiting for %q: %v", want, err)
		}
		var ev roadshow.Event
		if err := json.Unmarshal(data, &ev); err != nil {
			tb.Fatal(err)
		}
		if ev.Type == want {
			return ev
		}
	}
	tb.Fatalf("no %q event", want)
	return roadshow.Event{}
}

func TestEventsWebSocket(t *testing.T) {
	t.Parallel()
	s := MustServer(t, serverOpts{})
	e := MustEdition(t, s, "metaverse", []string{"Europe/London", "Europe/Lisbon"})
	se := e.liveSession(t)
	dial := func(token string, hdr http.Header) (*websocket.Conn, *http.Response, error) {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		return websocket.DefaultDialer.DialContext(ctx, wsURL(s, se.ID, token), hdr)
	}
	stranger := s.MustApplicant(t, "stranger@example.com")
	for name, tok := range map[string]string{"NoToken": "", "ApplicantWithoutSlot": stranger.Token, "Garbage": "x"} {
		if _, resp, err := dial(tok, nil); err == nil || resp == nil || resp.StatusCode < 400 {
			t.Errorf("%s: connected (err %v)", name, err)
		}
	}
	if _, resp, err := dial(e.org.Token, http.Header{"Origin": {"https://evil.example"}}); err == nil || resp.StatusCode != 403 {
		t.Errorf("cross-site origin: %v", err)
	}
	// A handshake the upgrader refuses (no key, an unknown version) is the
	// client's mistake, not an internal error.
	path := strings.TrimPrefix(wsURL(s, se.ID, e.org.Token), "ws"+strings.TrimPrefix(s.URL, "http"))
	r := s.Do(t, "GET", path, "", nil, "Connection", "Upgrade", "Upgrade", "websocket", "Sec-WebSocket-Version", "12")
	if r.Status != 400 || r.ErrorCode(t) != "invalid" {
		t.Errorf("bad handshake: got %d %s, want 400 invalid", r.Status, r.Body)
	}
	org, _, err := dial(e.org.Token, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer org.Close()
	judge, _, err := dial(e.judges[1].Token, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer judge.Close()
	// The investor and the teams follow the session too (a team waiting for
	// its slot sees it come), but not its scoring.
	investor, _, err := dial(e.investor.Token, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer investor.Close()
	team, _, err := dial(e.teams[0].Token, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer team.Close()
	all := []*websocket.Conn{org, judge, investor, team}
	for _, c := range all {
		if ev := readEvent(t, c, roadshow.EventSession); ev.Session == nil || ev.Session.State != roadshow.SessionScheduled {
			t.Fatalf("snapshot: %+v", ev)
		}
	}
	s.Must(t, 200, "POST", "/sessions/"+se.ID+"/start", e.org.Token, nil)
	for _, c := range all {
		if ev := readEvent(t, c, roadshow.EventSession); ev.Session.State != roadshow.SessionLive {
			t.Fatalf("start: %+v", ev.Session)
		}
		if ev := readEvent(t, c, roadshow.EventTimer); ev.Timer == nil || ev.Timer.RemainingSeconds <= 0 {
			t.Fatalf("timer: %+v", ev.Timer)
		}
	}
	s.Must(t, 200, "PUT", "/sessions/"+se.ID+"/scores/"+se.Slots[0].ApplicationID, e.judges[0].Token, scoreBody(7))
	ev := readEvent(t, org, roadshow.EventScores)
	if len(ev.Scores) != 1 || ev.Scores[0].Total != 7 {
		t.Fatalf("organizer scores: %+v", ev.Scores)
	}
	ev = readEvent(t, judge, roadshow.EventProgress)
	if ev.Progress[0].Scored != 1 {
		t.Fatalf("judge progress: %+v", ev.Progress)
	}
	// The judge's stream never carries score values; the investor's and the
	// team's carry no scoring at all.
	s.Must(t, 200, "PUT", "/sessions/"+se.ID+"/scores/"+se.Slots[0].ApplicationID, e.judges[2].Token, scoreBody(3))
	quiet := time.Now().Add(2 * time.Second)
	for name, c := range map[string]*websocket.Conn{"judge": judge, "investor": investor, "team": team} {
		_ = c.SetReadDeadline(quiet)
		for {
			_, data, err := c.ReadMessage()
			if err != nil {
				break
			}
			if bytes.Contains(data, []byte(`"type":"scores"`)) || bytes.Contains(data, []byte(`"total"`)) {
				t.Fatalf("%s received score values: %s", name, data)
			}
			if name != "judge" && bytes.Contains(data, []byte(`"type":"progress"`)) {
				t.Fatalf("%s received scoring progress: %s", name, data)
			}
		}
	}
}

// A subscriber dropped for being slow is told to reconnect, and the server
// lets go of the connection only after its reader has stopped: the *Conn is
// pooled by the WebSocket middleware once the handler returns (run with -race).
func TestEventsWebSocketDroppedSubscriber(t *testing.T) {
	t.Parallel()
	s := MustServer(t, serverOpts{})
	e := MustEdition(t, s, "connected-vehicles", []string{"Europe/Berlin"})
	se := e.liveSession(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, _, err := websocket.DefaultDialer.DialContext(ctx, wsURL(s, se.ID, e.org.Token), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	readEvent(t, c, roadshow.EventScores) // the snapshot is written
	// Flood the session's events without reading them until the hub drops
	// the subscriber.
	for i := 0; s.Hub.Count(se.ID) > 0; i++ {
		if i > 1_000_000 {
			t.Fatal("the slow subscriber was never dropped")
		}
		s.Hub.Publish(roadshow.Event{Type: roadshow.EventProgress, SessionID: se.ID, Progress: []roadshow.TeamProgress{{ApplicationID: strings.Repeat("x", 1000)}}})
	}
	_ = c.SetReadDeadline(time.Now().Add(10 * time.Second))
	for {
		_, _, err := c.ReadMessage()
		if err == nil {
			continue
		}
		if !websocket.IsCloseError(err, 1013) {
			t.Fatalf("got %v, want close 1013 (reconnect)", err)
		}
		break
	}
	// The server is still healthy: fresh connections (which reuse the
	// server's pooled buffers) are served.
	fresh := &http.Client{Transport: s.checked(t, &http.Transport{DisableKeepAlives: true}), Timeout: 10 * time.Second}
	var wg sync.WaitGroup
	for range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp, err := fresh.Get(s.URL + "/industries")
			if err != nil {
				t.Error(err)
				return
			}
			resp.Body.Close()
			if resp.StatusCode != 200 {
				t.Errorf("industries: got %d", resp.StatusCode)
			}
		}()
	}
	wg.Wait()
	c2, _, err := websocket.DefaultDialer.DialContext(ctx, wsURL(s, se.ID, e.org.Token), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c2.Close()
	readEvent(t, c2, roadshow.EventSession)
}

// Cells a spreadsheet would run as a formula (= + - @ first) are exported as
// text; numbers stay numbers.
func TestExportsNeutralizeFormulas(t *testing.T) {
	t.Parallel()
	s := MustServer(t, serverOpts{})
	e := MustEdition(t, s, "digital-tech", nil)
	u := s.MustApplicant(t, "formula@example.com")
	body := completeApplication("digital-tech")
	body["title"] = `=HYPERLINK("https://evil.example","Click")`
	body["team"] = []map[string]any{{"name": "@SUM(1+1)*cmd|' /C calc'!A0", "role": "+CEO", "nationality": "DE", "bio": "x"}}
	a := s.MustCreateApp(t, u, body)
	s.Must(t, 200, "POST", "/applications/"+a.ID+"/submit", u.Token, nil)
	s.Must(t, 200, "PATCH", "/applications/"+a.ID+"/screening", e.org.Token, map[string]any{"decision": "eligible", "note": "-2+3"})
	se := e.liveSession(t)
	s.Must(t, 200, "POST", "/sessions/"+se.ID+"/start", e.org.Token, nil)
	s.Must(t, 200, "PUT", "/sessions/"+se.ID+"/scores/"+a.ID, e.judges[0].Token, scoreBody(7))
	s.Must(t, 200, "POST", "/sessions/"+se.ID+"/end", e.org.Token, nil)

	for _, export := range []string{"applications.csv", "results.csv"} {
		r := s.Must(t, 200, "GET", "/exports/"+export, e.org.Token, nil)
		rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(r.Body, []byte("\xef\xbb\xbf")))).ReadAll()
		if err != nil || len(rows) < 2 {
			t.Fatalf("%s: %v %v", export, err, rows)
		}
		sawTitle := false
		for _, row := range rows[1:] {
			for _, cell := range row {
				if cell == `'=HYPERLINK("https://evil.example","Click")` {
					sawTitle = true
				}
				if cell == "" || !strings.ContainsAny(cell[:1], "=+-@\t\r") {
					continue
				}
				if _, err := strconv.ParseFloat(cell, 64); err != nil {
					t.Errorf("%s: cell %q would run as a formula", export, cell)
				}
			}
		}
		if !sawTitle {
			t.Errorf("%s: the title is not exported as text: %v", export, rows)
		}
	}
}

// Times that JSON cannot carry (years past 9999 or before 1 once in UTC) are
// refused, rather than stored and breaking every later read with a 500.
func TestTimesOutOfRangeRefused(t *testing.T) {
	t.Parallel()
	s := MustServer(t, serverOpts{})
	e := MustEdition(t, s, "smart-ocean", []string{"Asia/Tokyo"})
	for _, deadline := range []string{"9999-12-31T23:00:00-05:00", "0000-01-01T00:30:00+01:00"} {
		s.Must(t, 422, "PUT", "/edition", e.org.Token, map[string]any{"deadline": deadline})
		s.Must(t, 200, "GET", "/edition", e.teams[0].Token, nil)
	}
	for _, first := range []string{"9999-12-31T20:00:00Z", "9999-12-31T23:00:00-05:00"} {
		r := s.Do(t, "POST", "/sessions/plan", e.org.Token, map[string]any{"firstStart": first, "days": 2})
		if r.Status != 422 {
			t.Fatalf("plan from %s: got %d %s", first, r.Status, r.Body)
		}
		s.Must(t, 200, "GET", "/sessions", e.org.Token, nil)
	}
}

// TestRemovedJudgeLosesTheStream: taking a judge off a session closes their
// event stream at once.
func TestRemovedJudgeLosesTheStream(t *testing.T) {
	t.Parallel()
	s := MustServer(t, serverOpts{})
	e := MustEdition(t, s, "culture-tourism", []string{"Europe/Vienna", "Europe/Prague"})
	se := e.liveSession(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, _, err := websocket.DefaultDialer.DialContext(ctx, wsURL(s, se.ID, e.judges[0].Token), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	readEvent(t, c, roadshow.EventSession)
	s.Must(t, 200, "DELETE", "/sessions/"+se.ID+"/judges/"+e.judges[0].ID, e.org.Token, nil)
	_ = c.SetReadDeadline(time.Now().Add(10 * time.Second))
	for {
		_, _, err := c.ReadMessage()
		if err == nil {
			continue
		}
		if !websocket.IsCloseError(err, websocket.ClosePolicyViolation) {
			t.Fatalf("got %v, want a policy-violation close", err)
		}
		break
	}
	if _, resp, err := websocket.DefaultDialer.DialContext(ctx, wsURL(s, se.ID, e.judges[0].Token), nil); err == nil || resp.StatusCode != 404 {
		t.Fatalf("removed judge reconnected (err %v)", err)
	}
}

// TestLeavingTeamsLeaveScheduledSessions: a withdrawn or ineligible team is
// taken out of its scheduled session (and freed); a live session keeps it.
func TestLeavingTeamsLeaveScheduledSessions(t *testing.T) {
	t.Parallel()
	s := MustServer(t, serverOpts{})
	e := MustEdition(t, s, "high-end-equipment", []string{"Asia/Tokyo", "Asia/Seoul", "Asia/Singapore", "Asia/Manila"})
	se := e.liveSession(t)
	withdrawn, ineligible, kept := se.Slots[0].ApplicationID, se.Slots[1].ApplicationID, se.Slots[2].ApplicationID
	owner := func(appID string) user {
		for i, a := range e.apps {
			if a.ID == appID {
				return e.teams[i]
			}
		}
		t.Fatalf("no owner for %s", appID)
		return user{}
	}
	s.Must(t, 200, "POST", "/applications/"+withdrawn+"/withdraw", owner(withdrawn).Token, nil)
	s.Must(t, 200, "PATCH", "/applications/"+ineligible+"/screening", e.org.Token, map[string]any{"decision": "ineligible", "reason": "out_of_scope", "note": "Out of scope.", "version": 1})
	var got roadshow.Session
	s.Must(t, 200, "GET", "/sessions/"+se.ID, e.org.Token, nil).JSON(t, &got)
	if len(got.Slots) != len(se.Slots)-2 || got.SlotIndex(withdrawn) >= 0 || got.SlotIndex(ineligible) >= 0 {
		t.Fatalf("slots after leaving: %+v", got.Slots)
	}
	if !got.Slots[0].Start.Equal(got.Start) {
		t.Fatalf("slots not re-timed: session starts %s, first slot %s", got.Start, got.Slots[0].Start)
	}
	var a roadshow.Application
	s.Must(t, 200, "GET", "/applications/"+ineligible, e.org.Token, nil).JSON(t, &a)
	if a.SessionID != "" {
		t.Fatalf("ineligible application still points at %s", a.SessionID)
	}
	// Once live, the slot stays: the pitch may have happened.
	s.Must(t, 200, "POST", "/sessions/"+se.ID+"/start", e.org.Token, nil)
	s.Must(t, 200, "POST", "/applications/"+kept+"/withdraw", owner(kept).Token, nil)
	s.Must(t, 200, "GET", "/sessions/"+se.ID, e.org.Token, nil).JSON(t, &got)
	if got.SlotIndex(kept) < 0 {
		t.Fatal("a live session lost a team")
	}
}

// TestSessionRoutesBadInput tries every session route that takes a body with
// malformed, mistyped, unknown, oversized and incomplete input: each gets a
// clear 4xx and the session does not change.
func TestSessionRoutesBadInput(t *testing.T) {
	t.Parallel()
	s := MustServer(t, serverOpts{})
	e := MustEdition(t, s, "digital-trade", []string{"Europe/Berlin", "Europe/Paris"})
	se := e.liveSession(t)
	base := "/sessions/" + se.ID
	app := se.Slots[0].ApplicationID
	huge := `{"reason": "` + strings.Repeat("x", 2<<20) + `"}`
	routes := []struct {
		method, path, token string
		complete            string // a body the route accepts, to prove the route works
	}{
		{"POST", "/sessions/plan", e.org.Token, ""},
		{"POST", base + "/move", e.org.Token, ""},
		{"PUT", base + "/order", e.org.Token, ""},
		{"POST", base + "/judges", e.org.Token, ""},
		{"POST", base + "/investors", e.org.Token, ""},
		{"POST", "/applications/" + app + "/conflicts", e.org.Token, ""},
		{"PUT", "/edition", e.org.Token, ""},
		{"PUT", base + "/scores/" + app, e.judges[0].Token, ""},
	}
	bodies := []struct {
		name   string
		body   string
		status []int
	}{
		{"Malformed", `{"x": `, []int{400}},
		{"NotAnObject", `[1, 2]`, []int{400}},
		{"Unknown", `{"role": "organizer"}`, []int{400}},
		{"WrongTypes", `{"toIndex": "first", "userId": 7, "applicationIds": "all", "values": [1], "rubric": "x", "industries": "all", "maxPerSession": "six", "judgeId": false, "name": 3}`, []int{400}},
		{"Oversized", huge, []int{413}},
		{"Empty", ``, []int{400}},
		{"Incomplete", `{}`, []int{400, 404, 409, 422, 200}},
	}
	var before roadshow.Session
	s.Must(t, 200, "GET", base, e.org.Token, nil).JSON(t, &before)
	for _, r := range routes {
		for _, b := range bodies {
			t.Run(r.method+r.path+"/"+b.name, func(t *testing.T) {
				got := s.Do(t, r.method, r.path, r.token, b.body)
				if !slices.Contains(b.status, got.Status) {
					t.Fatalf("got %d, want one of %v: %.200s", got.Status, b.status, got.Body)
				}
				if got.Status >= 400 {
					got.ErrorCode(t)
				}
			})
		}
	}
	var after roadshow.Session
	s.Must(t, 200, "GET", base, e.org.Token, nil).JSON(t, &after)
	if !jsonEqual(t, before, after) {
		t.Fatalf("bad input changed the session:\n got %+v\nwant %+v", after, before)
	}
	// Someone else's or unknown ids: not found, never a 500.
	for _, p := range []string{"/sessions/0123456789abcdef01234567", "/sessions/not-an-id", base + "/scores/0123456789abcdef01234567"} {
		got := s.Do(t, "PUT", p, e.judges[0].Token, scoreBody(5))
		if got.Status >= 500 {
			t.Fatalf("%s: %d", p, got.Status)
		}
	}
	s.Must(t, 404, "GET", "/sessions/0123456789abcdef01234567", e.org.Token, nil)
	s.Must(t, 404, "POST", "/sessions/not-an-id/start", e.org.Token, nil)
}

// TestSchedulingHolds: nobody judges or watches two sessions at once; a
// move is previewed (the team's new slot, warnings, a refusal) and refused
// when it would double-book someone; a session that loses its last team is
// cancelled; the moved team's slot says where it was and its calendar entry
// keeps its UID with a higher SEQUENCE; a cancelled slot is sent
// cancelled; the planner fills free seats before opening a session.
func TestSchedulingHolds(t *testing.T) {
	t.Parallel()
	s := MustServer(t, serverOpts{})
	zones := []string{"Europe/Berlin", "Europe/Berlin", "Europe/Berlin", "Europe/Berlin", "Europe/Berlin", "Asia/Tokyo"}
	e := MustEdition(t, s, "smart-ocean", zones)
	org := e.org.Token
	res := e.plan(t, map[string]any{"firstStart": time.Date(2030, 3, 4, 0, 0, 0, 0, time.UTC).Format(time.RFC3339), "maxPerSession": 2, "days": 1, "tracks": 2})
	// Two tracks: s1 06:45-07:15 and s2 07:00-07:30 (UTC) overlap; s3 follows s1 at 07:30.
	if len(res.Sessions) != 3 {
		t.Fatalf("plan: got %d sessions, want 3", len(res.Sessions))
	}
	s1, s2, s3 := res.Sessions[0], res.Sessions[1], res.Sessions[2]
	if !s1.Overlaps(s2) || s1.Overlaps(s3) || !s3.Start.Equal(time.Date(2030, 3, 4, 7, 30, 0, 0, time.UTC)) {
		t.Fatalf("the planner's layout changed: %v-%v, %v-%v, %v-%v", s1.Start, s1.End, s2.Start, s2.End, s3.Start, s3.End)
	}
	owner := map[string]user{}
	for i, a := range e.apps {
		owner[a.ID] = e.teams[i]
	}
	add := func(status int, se *roadshow.Session, kind, userID string) response {
		t.Helper()
		return s.Must(t, status, "POST", "/sessions/"+se.ID+"/"+kind, org, map[string]any{"userId": userID})
	}
	judge := e.judges[0]
	add(200, s1, "judges", judge.ID)
	busy := add(409, s2, "judges", judge.ID).ErrorReply(t)
	if busy.Error.Key != "session.participant_busy" || busy.Error.Args["title"] != s1.Title {
		t.Fatalf("double-booked judge: got %+v, want session.participant_busy naming %q", busy.Error, s1.Title)
	}
	add(200, s3, "judges", judge.ID)
	add(200, s2, "investors", e.investor.ID)
	add(409, s1, "investors", e.investor.ID)

	// The preview: where the team of s2's second slot would pitch.
	x := s2.Slots[1].ApplicationID
	var pre roadshow.MovePreview
	s.Must(t, 200, "GET", "/sessions/"+s2.ID+"/move-preview?applicationId="+x, org, nil).JSON(t, &pre)
	if pre.Timezone != "Europe/Berlin" || len(pre.Options) != 2 || pre.Options[0].SessionID != s1.ID || pre.Options[1].SessionID != s3.ID {
		t.Fatalf("preview: got %+v", pre)
	}
	if o := pre.Options[0]; !o.SlotStart.Equal(s1.End) || o.ToIndex != 2 || o.Blocked != nil || len(o.Warnings) != 0 || !o.End.Equal(s1.End.Add(15*time.Minute)) {
		t.Fatalf("preview into s1: got %+v", o)
	}
	s.Must(t, 403, "GET", "/sessions/"+s2.ID+"/move-preview?applicationId="+x, judge.Token, nil)
	s.Must(t, 422, "GET", "/sessions/"+s2.ID+"/move-preview?applicationId="+s1.Slots[0].ApplicationID, org, nil)

	var before, after string
	before = string(s.Must(t, 200, "GET", "/me/calendar.ics", owner[x].Token, nil).Body)
	s.Must(t, 200, "POST", "/sessions/"+s2.ID+"/move", org, map[string]any{"applicationId": x, "toSessionId": s1.ID, "toIndex": 2})
	// The team is told: its slot says where it was, in its own session view.
	var mine struct{ Items []roadshow.Session }
	s.Must(t, 200, "GET", "/sessions", owner[x].Token, nil).JSON(t, &mine)
	if len(mine.Items) != 1 || mine.Items[0].ID != s1.ID {
		t.Fatalf("the moved team's sessions: %+v", mine.Items)
	}
	sl := mine.Items[0].Slots[mine.Items[0].SlotIndex(x)]
	// (It moved to another session at the same time: no previous start.)
	if sl.ChangedAt == nil || sl.PreviousStart != nil || !sl.Start.Equal(s1.End) || sl.Sequence <= s2.Slots[1].Sequence {
		t.Fatalf("the moved slot: got %+v, want it to say it changed", sl)
	}
	after = string(s.Must(t, 200, "GET", "/me/calendar.ics", owner[x].Token, nil).Body)
	uid := "UID:pitch-" + x + "@roadshow"
	if !strings.Contains(before, uid) || !strings.Contains(after, uid) || icsSequence(t, after, uid) <= icsSequence(t, before, uid) ||
		!strings.Contains(after, "STATUS:CONFIRMED") {
		t.Fatalf("calendar entry before and after the move:\n%s\n%s", before, after)
	}

	// s1 now ends at 07:30, where s3 starts: one more team would make the
	// judge of both be in two places.
	y := s2.Slots[0].ApplicationID
	s.Must(t, 200, "GET", "/sessions/"+s2.ID+"/move-preview?applicationId="+y, org, nil).JSON(t, &pre)
	if o := pre.Options[0]; o.SessionID != s1.ID || o.Blocked == nil || o.Blocked.Key != "session.move_participant_busy" || o.Blocked.Args["name"] != string(roadshow.RoleJudge) {
		t.Fatalf("preview of a double-booking move: got %+v", o)
	}
	if key := s.Must(t, 409, "POST", "/sessions/"+s2.ID+"/move", org, map[string]any{"applicationId": y, "toSessionId": s1.ID, "toIndex": 3}).Key(t); key != "session.move_participant_busy" {
		t.Fatalf("double-booking move: got %q", key)
	}
	// Its last team gone, s2 leaves the schedule.
	var moved roadshow.MoveResult
	s.Must(t, 200, "POST", "/sessions/"+s2.ID+"/move", org, map[string]any{"applicationId": y, "toSessionId": s3.ID, "toIndex": 0}).JSON(t, &moved)
	if emptied := moved.Sessions[0]; emptied.State != roadshow.SessionCancelled || !emptied.Emptied || len(emptied.Slots) != 0 {
		t.Fatalf("the emptied session: got %+v", emptied)
	}
	feed := string(s.Must(t, 200, "GET", "/me/calendar.ics", e.investor.Token, nil).Body)
	if !strings.Contains(feed, "UID:"+s2.ID+"@roadshow") || !strings.Contains(feed, "STATUS:CANCELLED") {
		t.Fatalf("the investor's feed lacks the cancelled session:\n%s", feed)
	}

	// A cancelled session's slots are cancelled in the teams' feeds.
	s.Must(t, 200, "POST", "/sessions/"+s3.ID+"/cancel", org, nil)
	feed = string(s.Must(t, 200, "GET", "/me/calendar.ics", owner[y].Token, nil).Body)
	if !strings.Contains(feed, "UID:pitch-"+y+"@roadshow") || !strings.Contains(feed, "STATUS:CANCELLED") || strings.Contains(feed, "STATUS:CONFIRMED") {
		t.Fatalf("the team's feed after its session was cancelled:\n%s", feed)
	}

	// The teams of cancelled s3 and a newcomer are planned: they take s1's
	// three free seats (s3, which followed it, is cancelled) before a new
	// session opens for the last of them.
	late := s.MustApplicant(t, "late@example.com")
	body := completeApplication("smart-ocean")
	body["timezone"] = "Europe/Berlin"
	a := s.MustCreateApp(t, late, body)
	s.Must(t, 200, "POST", "/applications/"+a.ID+"/submit", late.Token, nil)
	s.Must(t, 200, "PATCH", "/applications/"+a.ID+"/screening", org, map[string]any{"decision": "eligible"})
	res = e.plan(t, map[string]any{"firstStart": time.Date(2030, 3, 4, 0, 0, 0, 0, time.UTC).Format(time.RFC3339), "days": 1})
	if len(res.Extended) != 1 || res.Extended[0].ID != s1.ID || len(res.Extended[0].Slots) != 6 || !res.Extended[0].Start.Equal(s1.Start) {
		t.Fatalf("plan: s1's free seats not filled: %+v", res.Extended)
	}
	if len(res.Sessions) != 1 || len(res.Sessions[0].Slots) != 1 || len(res.Unplaced) != 0 {
		t.Fatalf("plan: want one new session for the last team, got %+v (unplaced %+v)", res.Sessions, res.Unplaced)
	}
}

// icsSequence returns the SEQUENCE of the event with the given UID line.
func icsSequence(tb testing.TB, ics, uidLine string) int {
	tb.Helper()
	ev := ics[strings.Index(ics, uidLine):]
	ev = ev[:strings.Index(ev, "END:VEVENT")]
	i := strings.Index(ev, "SEQUENCE:")
	if i < 0 {
		tb.Fatalf("no SEQUENCE in %q", ev)
	}
	n, err := strconv.Atoi(strings.TrimSpace(ev[i+len("SEQUENCE:") : i+len("SEQUENCE:")+strings.Index(ev[i:], "\r\n")-len("SEQUENCE:")]))
	if err != nil {
		tb.Fatal(err)
	}
	return n
}
