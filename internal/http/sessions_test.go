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

	s.Must(t, 200, "PUT", base+"/scores/"+first, j0.Token, scoreBody(6))
	s.Must(t, 200, "PUT", base+"/scores/"+first, j0.Token, scoreBody(8))  // autosave overwrites
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
	s.Must(t, 200, "POST", base+"/scores/"+first+"/final", j0.Token, nil)
	s.Must(t, 409, "PUT", base+"/scores/"+first, j0.Token, scoreBody(2))
	s.Must(t, 409, "POST", base+"/scores/"+third+"/final", j0.Token, nil)

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
	if prog.Scores != nil || prog.Progress[0].Scored != 2 || prog.Progress[1].Judges != 2 {
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
	s.Must(t, 409, "POST", base+"/results/publish", e.org.Token, nil) // still live
	s.Must(t, 200, "POST", base+"/end", e.org.Token, nil)
	s.Must(t, 409, "PUT", base+"/scores/"+second, j1.Token, scoreBody(9)) // ended
	s.Must(t, 200, "POST", base+"/results/publish", e.org.Token, nil)

	var own roadshow.ResultsView
	s.Must(t, 200, "GET", base+"/results", e.teams[0].Token, nil).JSON(t, &own)
	if len(own.Teams) != 1 || own.Teams[0].ApplicationID != e.apps[0].ID || own.Teams[0].ZMean != nil {
		t.Fatalf("applicant results: %+v", own)
	}
	var inv roadshow.ResultsView
	s.Must(t, 200, "GET", base+"/results", e.investor.Token, nil).JSON(t, &inv)
	if len(inv.Teams) != 3 || inv.Teams[0].Judges != nil {
		t.Fatalf("investor results: %+v", inv)
	}
	outsiderTeam := s.MustApplicant(t, "nobody@example.com")
	s.Must(t, 404, "GET", base+"/results", outsiderTeam.Token, nil)

	var log struct{ Items []roadshow.ScoreLogEntry }
	s.Must(t, 200, "GET", base+"/score-log", e.org.Token, nil).JSON(t, &log)
	// In order: j0 first (6), first (8), second (5); j1 first, second; j0 final.
	// Refused saves leave no trace.
	if len(log.Items) != 6 {
		t.Fatalf("score log has %d entries, want 6: %+v", len(log.Items), log.Items)
	}
	if !log.Items[5].Final || log.Items[0].Values["team"] != 6 || log.Items[1].Values["team"] != 8 {
		t.Fatalf("score log order: %+v", log.Items)
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
	resp, err := http.Get(link.URL)
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
	fresh := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}, Timeout: 10 * time.Second}
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
	s.Must(t, 200, "PATCH", "/applications/"+ineligible+"/screening", e.org.Token, map[string]any{"decision": "ineligible", "note": "Out of scope."})
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
