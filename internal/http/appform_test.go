package http_test

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"
	"time"

	"github.com/roadshow/roadshow/roadshow"
)

// appView is an application as its owner reads it, with the flags the form
// follows.
type appView struct {
	roadshow.Application
	Can roadshow.ApplicationActions `json:"can"`
}

func (s *testServer) mustView(tb testing.TB, u user, id string) appView {
	tb.Helper()
	var v appView
	s.Must(tb, 200, "GET", "/applications/"+id, u.Token, nil).JSON(tb, &v)
	return v
}

// TestAutosavePartialDraft: the form saves whatever the applicant has typed
// so far; a draft with most fields empty is accepted, completeness waits for
// Submit.
func TestAutosavePartialDraft(t *testing.T) {
	t.Parallel()
	s := MustServer(t, serverOpts{})
	ada := s.MustApplicant(t, "ada@example.com")
	a := s.MustCreateApp(t, ada, map[string]any{"title": "Half typed", "industry": "metaverse"})
	for _, body := range []map[string]any{
		{"summary": "We are wri"},
		{"summary": "We are writing", "team": []map[string]any{{"name": "Ada", "role": ""}}},
		{"country": "", "stage": "", "landingPlan": "", "website": ""},
	} {
		s.Must(t, 200, "PATCH", "/applications/"+a.ID, ada.Token, body)
	}
	v := s.mustView(t, ada, a.ID)
	if v.Summary != "We are writing" || len(v.Team) != 1 || v.Status != roadshow.StatusDraft || !v.Can.Edit {
		t.Fatalf("got %+v", v)
	}
	r := s.Must(t, 422, "POST", "/applications/"+a.ID+"/submit", ada.Token, nil)
	if f := r.Fields(t); f["team[0].role"] == "" || f["landingPlan"] == "" {
		t.Fatalf("submit named %v", f)
	}
}

// TestDeadlineRefusesWrites: after the deadline an applicant can neither
// start, edit, upload to, submit nor reopen an application, the page is told
// so by its flags, and nothing changes.
func TestDeadlineRefusesWrites(t *testing.T) {
	t.Parallel()
	s := MustServer(t, serverOpts{Deadline: time.Now().Add(10 * time.Minute)})
	ada := s.MustApplicant(t, "ada@example.com")
	draft := s.MustCreateApp(t, ada, map[string]any{"title": "Draft", "industry": "metaverse"})
	sub := s.MustCreateApp(t, ada, completeApplication("clean-energy"))
	s.Must(t, 200, "POST", "/applications/"+sub.ID+"/submit", ada.Token, nil)
	if v := s.mustView(t, ada, draft.ID); !v.Can.Edit || !v.Can.Submit {
		t.Fatalf("before the deadline: %+v", v.Can)
	}
	if v := s.mustView(t, ada, sub.ID); !v.Can.Reopen {
		t.Fatalf("before the deadline: %+v", v.Can)
	}
	// The pages read the deadline in force (here the configured one) from the edition.
	var ed struct {
		Deadline        *time.Time `json:"deadline"`
		DeadlineInForce *time.Time `json:"deadlineInForce"`
	}
	s.Must(t, 200, "GET", "/edition", ada.Token, nil).JSON(t, &ed)
	if ed.Deadline != nil || ed.DeadlineInForce == nil || ed.DeadlineInForce.Sub(s.Clock.Now()) <= 0 {
		t.Fatalf("edition: %+v", ed)
	}
	s.Clock.Advance(ed.DeadlineInForce.Sub(s.Clock.Now())) // the deadline itself refuses
	draftBefore, subBefore := s.MustGetApp(t, ada, draft.ID), s.MustGetApp(t, ada, sub.ID)

	for _, tt := range []struct {
		name, method, path string
		body               any
	}{
		{"Create", "POST", "/applications", map[string]any{"title": "Late", "industry": "metaverse"}},
		{"Edit", "PATCH", "/applications/" + draft.ID, map[string]any{"summary": "late"}},
		{"Submit", "POST", "/applications/" + draft.ID + "/submit", nil},
		{"Reopen", "POST", "/applications/" + sub.ID + "/reopen", nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := s.Must(t, 409, tt.method, tt.path, ada.Token, tt.body)
			if k := r.Key(t); k != "application.deadline_passed" {
				t.Fatalf("got key %q: %s", k, r.Body)
			}
		})
	}
	t.Run("Deck", func(t *testing.T) {
		r := s.Do(t, "PUT", "/applications/"+draft.ID+"/deck", ada.Token, bytes.NewReader(pdfBody(100)), "Content-Type", "application/pdf")
		if r.Status != 409 || r.Key(t) != "application.deadline_passed" {
			t.Fatalf("got %d %s", r.Status, r.Body)
		}
	})
	if v := s.mustView(t, ada, draft.ID); v.Can.Edit || v.Can.Submit || !v.Can.Withdraw {
		t.Fatalf("after the deadline: %+v", v.Can)
	}
	if v := s.mustView(t, ada, sub.ID); v.Can.Reopen {
		t.Fatalf("after the deadline: %+v", v.Can)
	}
	var page roadshow.ApplicationPage
	s.Must(t, 200, "GET", "/applications", ada.Token, nil).JSON(t, &page)
	if len(page.Items) != 2 {
		t.Fatalf("got %d applications, want 2", len(page.Items))
	}
	if got := s.MustGetApp(t, ada, draft.ID); !jsonEqual(t, got, draftBefore) {
		t.Fatalf("draft changed: %+v", got)
	}
	if got := s.MustGetApp(t, ada, sub.ID); !jsonEqual(t, got, subBefore) {
		t.Fatalf("submitted application changed: %+v", got)
	}
	// Withdrawing stays possible: it asks nothing more of the organizers.
	s.Must(t, 200, "POST", "/applications/"+draft.ID+"/withdraw", ada.Token, nil)
}

// TestReopen: the owner takes a submitted application back to draft before
// the deadline, the history says so, and it can be edited and submitted
// again; nobody else can, and not once it is screened.
func TestReopen(t *testing.T) {
	t.Parallel()
	s := MustServer(t, serverOpts{Deadline: time.Now().Add(30 * time.Minute)})
	ada := s.MustApplicant(t, "ada@example.com")
	bob := s.MustApplicant(t, "bob@example.com")
	org := s.MustStaff(t, roadshow.RoleOrganizer, "org@example.com")
	judge := s.MustStaff(t, roadshow.RoleJudge, "judge@example.com")
	a := s.MustCreateApp(t, ada, completeApplication("metaverse"))

	s.Must(t, 409, "POST", "/applications/"+a.ID+"/reopen", ada.Token, nil) // a draft
	var sub roadshow.Application
	s.Must(t, 200, "POST", "/applications/"+a.ID+"/submit", ada.Token, nil).JSON(t, &sub)
	submitted := s.MustGetApp(t, ada, a.ID)

	t.Run("Refused", func(t *testing.T) {
		for _, tt := range []struct {
			name   string
			token  string
			path   string
			body   any
			status int
			hdr    []string
		}{
			{"OtherApplicant", bob.Token, "/applications/" + a.ID + "/reopen", nil, 404, nil},
			{"Organizer", org.Token, "/applications/" + a.ID + "/reopen", nil, 403, nil},
			{"Judge", judge.Token, "/applications/" + a.ID + "/reopen", nil, 403, nil},
			{"SignedOut", "", "/applications/" + a.ID + "/reopen", nil, 401, nil},
			{"MissingID", ada.Token, "/applications/0123456789abcdef01234567/reopen", nil, 404, nil},
			{"MalformedID", ada.Token, "/applications/%7B%24ne%3A1%7D/reopen", nil, 404, nil},
		} {
			t.Run(tt.name, func(t *testing.T) {
				r := s.Do(t, "POST", tt.path, tt.token, tt.body, tt.hdr...)
				if r.Status != tt.status {
					t.Fatalf("got %d, want %d: %s", r.Status, tt.status, r.Body)
				}
				r.ErrorCode(t)
			})
		}
		if got := s.MustGetApp(t, ada, a.ID); !jsonEqual(t, got, submitted) {
			t.Fatalf("changed: %+v", got)
		}
	})

	s.Clock.Advance(time.Minute)
	var re appView
	s.Must(t, 200, "POST", "/applications/"+a.ID+"/reopen", ada.Token, nil).JSON(t, &re)
	if re.Status != roadshow.StatusDraft || re.SubmittedAt != nil || !re.Can.Edit || !re.Can.Submit || re.Can.Reopen {
		t.Fatalf("reopened: %+v", re)
	}
	if len(re.History) != 1 || re.History[0].Kind != roadshow.EventReopened || re.History[0].By != ada.ID ||
		re.History[0].SubmittedAt == nil || !re.History[0].SubmittedAt.Equal(*sub.SubmittedAt) || !re.History[0].At.Equal(s.Clock.Now()) {
		t.Fatalf("history: %+v", re.History)
	}
	// Organizers read the history too.
	var seen appView
	s.Must(t, 200, "GET", "/applications/"+a.ID, org.Token, nil).JSON(t, &seen)
	if len(seen.History) != 1 {
		t.Fatalf("organizer sees %+v", seen.History)
	}
	s.Must(t, 409, "POST", "/applications/"+a.ID+"/reopen", ada.Token, nil) // a draft again
	s.Must(t, 409, "PATCH", "/applications/"+a.ID+"/screening", org.Token, map[string]any{"decision": "eligible"})
	s.Must(t, 200, "PATCH", "/applications/"+a.ID, ada.Token, map[string]any{"summary": "Sharper."})
	s.Must(t, 200, "POST", "/applications/"+a.ID+"/submit", ada.Token, nil)

	// Screened: the decision stands on what was submitted.
	s.Must(t, 200, "PATCH", "/applications/"+a.ID+"/screening", org.Token, map[string]any{"decision": "ineligible", "reason": "out_of_scope", "note": "Out of scope."})
	r := s.Must(t, 409, "POST", "/applications/"+a.ID+"/reopen", ada.Token, nil)
	if k := r.Key(t); k != "application.reopen_screened" {
		t.Fatalf("got %q", k)
	}
	if v := s.mustView(t, ada, a.ID); v.Can.Reopen || v.Status != roadshow.StatusIneligible {
		t.Fatalf("screened: %+v", v)
	}

	// The counters followed the round trip.
	var sum roadshow.Summary
	s.Must(t, 200, "GET", "/applications/summary", org.Token, nil).JSON(t, &sum)
	for _, row := range sum.Industries {
		for _, st := range roadshow.Statuses() {
			want := 0
			if row.Code == "metaverse" && st == roadshow.StatusIneligible {
				want = 1
			}
			if got := row.Counts[st]; got != want {
				t.Errorf("%s/%s: got %d, want %d", row.Code, st, got, want)
			}
		}
	}
}

// TestResultsCSV: the results export states the ranking rule once above the
// header, and under each team's ranking row one row per judge with the
// value of each criterion and both comments; the team row carries each
// criterion's mean.
func TestResultsCSV(t *testing.T) {
	t.Parallel()
	s := MustServer(t, serverOpts{})
	e := MustEdition(t, s, "smart-ocean", []string{"Asia/Tokyo", "Asia/Seoul"})
	se := e.liveSession(t)
	base := "/sessions/" + se.ID
	s.Must(t, 200, "POST", base+"/start", e.org.Token, nil)
	first := se.Slots[0].ApplicationID
	body := scoreBody(6)
	body["teamComment"] = "=Great pitch"
	s.Must(t, 200, "PUT", base+"/scores/"+first, e.judges[0].Token, body)
	s.Must(t, 200, "PUT", base+"/scores/"+first, e.judges[1].Token, scoreBody(9))

	r := s.Must(t, 200, "GET", "/exports/results.csv", e.org.Token, nil)
	// Every record is as wide as the header, the comment line included.
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(r.Body, []byte("\xef\xbb\xbf")))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) < 2 || strings.Join(rows[0][1:], "") != "" || !strings.HasPrefix(rows[0][0], "# Ranking and tie-break: Only complete scores count.") {
		t.Fatalf("the first line is not the ranking rule: %q", rows[0])
	}
	header := rows[1]
	col := map[string]int{}
	for i, h := range header {
		col[h] = i
	}
	crits := roadshow.DefaultRubric().Criteria
	for _, want := range []string{"row", "judge_id", "counts", "comment", "team_comment", "criterion_" + crits[0].Key} {
		if _, ok := col[want]; !ok {
			t.Fatalf("no column %q in %q", want, header)
		}
	}
	if _, ok := col["tie_break"]; ok {
		t.Fatalf("the rule is still on every row: %q", header)
	}
	var team []string
	var judges [][]string
	for _, row := range rows[2:] {
		if len(row) != len(header) {
			t.Fatalf("row of %d cells, header of %d: %q", len(row), len(header), row)
		}
		if row[col["application_id"]] != first {
			continue
		}
		switch row[col["row"]] {
		case "team":
			team = row
		case "judge":
			judges = append(judges, row)
		}
	}
	if team == nil || len(judges) != 2 {
		t.Fatalf("team %q, judges %q", team, judges)
	}
	if got := team[col["criterion_"+crits[0].Key]]; got != "7.5000" {
		t.Errorf("criterion mean: got %q, want 7.5000", got)
	}
	byJudge := map[string][]string{}
	for _, j := range judges {
		byJudge[j[col["judge_id"]]] = j
	}
	j0 := byJudge[e.judges[0].ID]
	if j0 == nil || j0[col["criterion_"+crits[0].Key]] != "6" || j0[col["comment"]] != "Clear pitch." || j0[col["team_comment"]] != "'=Great pitch" || j0[col["counts"]] != "true" {
		t.Errorf("judge row: %q", j0)
	}
}
