package http_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/roadshow/roadshow/roadshow"
)

// What a judge writes for the team reaches that team once results are
// published, without the judge's name; the judge's private comment never
// leaves the organizers, and nobody else reads the team's feedback.
func TestTeamFeedback(t *testing.T) {
	e, id := liveEdition(t)
	s := e.s
	base := "/sessions/" + id
	judge := e.judges[0]
	body := func(v int, private, forTeam string) map[string]any {
		b := scoreBody(v)
		b["comment"], b["teamComment"] = private, forTeam
		return b
	}
	s.Must(t, 200, "POST", base+"/start", e.org.Token, nil)
	s.Must(t, 422, "PUT", base+"/scores/"+e.apps[0].ID, judge.Token, body(7, "", strings.Repeat("x", 20_000)))
	s.Must(t, 200, "PUT", base+"/scores/"+e.apps[0].ID, judge.Token, body(7, "PRIVATE-A: weak cap table", "Strong market analysis."))
	s.Must(t, 200, "POST", base+"/next", e.org.Token, nil)
	s.Must(t, 200, "PUT", base+"/scores/"+e.apps[1].ID, judge.Token, body(6, "PRIVATE-B", "Show more traction."))
	s.Must(t, 200, "POST", base+"/end", e.org.Token, nil)

	// Nothing before publication.
	s.Must(t, 403, "GET", base+"/results", e.teams[0].Token, nil)
	var rep roadshow.CompletenessReport
	s.Must(t, 200, "GET", base+"/completeness", e.org.Token, nil).JSON(t, &rep)
	s.Must(t, 200, "POST", base+"/results/publish", e.org.Token, map[string]any{"confirmGaps": rep.GapsDigest})

	for i, want := range [][]string{{"Strong market analysis."}, {"Show more traction."}} {
		r := s.Must(t, 200, "GET", base+"/results", e.teams[i].Token, nil)
		var v roadshow.ResultsView
		r.JSON(t, &v)
		if len(v.Teams) != 1 || v.Teams[0].ApplicationID != e.apps[i].ID || !slices.Equal(v.Teams[0].Feedback, want) {
			t.Fatalf("team %d's results: got %+v, want its own feedback %v", i, v.Teams, want)
		}
		for _, leak := range []string{"PRIVATE", judge.ID, judge.Email} {
			if strings.Contains(string(r.Body), leak) {
				t.Fatalf("team %d's results carry %q: %s", i, leak, r.Body)
			}
		}
	}
	r := s.Must(t, 200, "GET", base+"/results", e.investor.Token, nil)
	if strings.Contains(string(r.Body), "feedback") || strings.Contains(string(r.Body), "traction") {
		t.Fatalf("the investor reads the teams' feedback: %s", r.Body)
	}
}
