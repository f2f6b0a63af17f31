package roadshow_test

import (
	"strings"
	"testing"
	"time"

	"github.com/roadshow/roadshow/roadshow"
)

func TestScreeningInputValidate(t *testing.T) {
	v := func(n int) *int { return &n }
	for _, tc := range []struct {
		name   string
		in     roadshow.ScreeningInput
		fields []string // the fields refused; none: valid
	}{
		{"eligible, nothing else", roadshow.ScreeningInput{Decision: roadshow.StatusEligible}, nil},
		{"eligible with a reason", roadshow.ScreeningInput{Decision: roadshow.StatusEligible, Reason: roadshow.ReasonOther, Version: v(2)}, nil},
		{"ineligible with a reason", roadshow.ScreeningInput{Decision: roadshow.StatusIneligible, Reason: roadshow.ReasonDuplicate}, nil},
		{"ineligible without a reason", roadshow.ScreeningInput{Decision: roadshow.StatusIneligible}, []string{"reason"}},
		{"unknown reason", roadshow.ScreeningInput{Decision: roadshow.StatusEligible, Reason: "vibes"}, []string{"reason"}},
		{"not a decision", roadshow.ScreeningInput{Decision: roadshow.StatusSubmitted}, []string{"decision"}},
		{"negative version", roadshow.ScreeningInput{Decision: roadshow.StatusEligible, Version: v(-1)}, []string{"version"}},
		{"long note", roadshow.ScreeningInput{Decision: roadshow.StatusEligible, Note: strings.Repeat("é", roadshow.MaxScreeningNote+1)}, []string{"note"}},
		{"control characters", roadshow.ScreeningInput{Decision: roadshow.StatusEligible, Note: "a\x00b"}, []string{"note"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.in.Validate()
			got := roadshow.ErrorFields(err)
			if len(got) != len(tc.fields) {
				t.Fatalf("got %v, want fields %v", got, tc.fields)
			}
			for _, f := range tc.fields {
				if _, ok := got[f]; !ok {
					t.Fatalf("got %v, want %s refused", got, f)
				}
			}
		})
	}
}

func TestCanRescreen(t *testing.T) {
	screened := &roadshow.Screening{Decision: roadshow.StatusEligible, ByName: "Olga", Version: 2}
	for _, tc := range []struct {
		name string
		app  roadshow.Application
		seen int
		want string // error key; "" allowed
	}{
		{"first decision", roadshow.Application{Status: roadshow.StatusSubmitted}, 0, ""},
		{"on the version seen", roadshow.Application{Status: roadshow.StatusEligible, ScreeningVersion: 2, Screening: screened}, 2, ""},
		{"changed meanwhile", roadshow.Application{Status: roadshow.StatusEligible, ScreeningVersion: 2, Screening: screened}, 1, "application.screening_changed"},
		{"blind on a decided one", roadshow.Application{Status: roadshow.StatusEligible, ScreeningVersion: 2, Screening: screened}, 0, "application.screening_changed"},
		{"a draft", roadshow.Application{Status: roadshow.StatusDraft}, 0, "application.screen_not_submitted"},
		{"withdrawn", roadshow.Application{Status: roadshow.StatusWithdrawn, ScreeningVersion: 1}, 1, "application.screen_not_submitted"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.app.CanRescreen(tc.seen)
			if got := roadshow.ErrorMsg(err).Key; (err == nil) != (tc.want == "") || (err != nil && got != tc.want) {
				t.Fatalf("got %v, want %q", err, tc.want)
			}
		})
	}
	a := roadshow.Application{Status: roadshow.StatusEligible, ScreeningVersion: 2}
	at := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
	next := a.NextScreening(roadshow.ScreeningInput{Decision: roadshow.StatusIneligible, Reason: roadshow.ReasonIncomplete, Note: "n"},
		roadshow.Actor{UserID: "u1", Role: roadshow.RoleOrganizer}, "Olga", at)
	if next.Version != 3 || next.By != "u1" || next.ByName != "Olga" || !next.At.Equal(at) || next.Reason != roadshow.ReasonIncomplete {
		t.Fatalf("next decision: %+v", next)
	}
}

func TestScreeningReasons(t *testing.T) {
	for _, r := range roadshow.ScreeningReasons() {
		if !r.Valid() {
			t.Errorf("%s is listed but not valid", r)
		}
	}
	for _, r := range []roadshow.ScreeningReason{"", "OUT_OF_SCOPE", "out of scope"} {
		if r.Valid() {
			t.Errorf("%q is valid", r)
		}
	}
}

func TestCanSeeScreeningHistory(t *testing.T) {
	for role, want := range map[roadshow.Role]bool{roadshow.RoleOrganizer: true, roadshow.RoleApplicant: false, roadshow.RoleJudge: false, roadshow.RoleInvestor: false} {
		if got := roadshow.CanSeeScreeningHistory(roadshow.Actor{UserID: "u", Role: role}); got != want {
			t.Errorf("%s: got %v, want %v", role, got, want)
		}
	}
}

func TestApplicationSort(t *testing.T) {
	for _, tc := range []struct {
		sort        roadshow.ApplicationSort
		valid, desc bool
		field       roadshow.ApplicationSort
	}{
		{"submitted", true, false, roadshow.SortSubmitted},
		{"-submitted", true, true, roadshow.SortSubmitted},
		{"title", true, false, roadshow.SortTitle},
		{"-country", true, true, roadshow.SortCountry},
		{"industry", true, false, roadshow.SortIndustry},
		{"--title", false, true, "-title"},
		{"size", false, false, "size"},
		{"", false, false, ""},
	} {
		if tc.sort.Valid() != tc.valid || tc.sort.Desc() != tc.desc || tc.sort.Field() != tc.field {
			t.Errorf("%q: valid %v desc %v field %q", tc.sort, tc.sort.Valid(), tc.sort.Desc(), tc.sort.Field())
		}
	}
}

func TestApplicationCursor(t *testing.T) {
	for _, k := range []roadshow.ApplicationKey{
		{Value: "Solar Grid", ID: "0123456789abcdef01234567"},
		{Value: "", ID: "0123456789abcdef01234567"},
		{Value: "with\x00nul? no: with | and 中文", ID: "0123456789abcdef01234567"},
	} {
		got, ok := roadshow.DecodeCursor(k.EncodeCursor())
		if !ok || got != k {
			t.Errorf("%+v: round trip %+v %v", k, got, ok)
		}
	}
	for _, c := range []string{"", "!!", "bm90LWFuLWlk", roadshow.ApplicationKey{Value: "x", ID: "short"}.EncodeCursor()} {
		if _, ok := roadshow.DecodeCursor(c); ok {
			t.Errorf("%q decodes", c)
		}
	}
	sub := time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC)
	r := roadshow.ApplicationRow{ID: "0123456789abcdef01234567", Title: "T", CreatedAt: sub.Add(-time.Hour)}
	if k := r.Key(roadshow.SortSubmitted); k.Value != "2026-05-01T08:00:00.000Z" {
		t.Errorf("a draft sorts by creation: %q", k.Value)
	}
	r.SubmittedAt = &sub
	if k, _ := r.Key("-submitted").Time(); !k.Equal(sub) {
		t.Errorf("submitted key: %v", k)
	}
}

func TestSearchTerms(t *testing.T) {
	a := roadshow.Application{Title: "Solar Grid AI", Summary: "Batteries for islands", Country: "JP",
		Team: []roadshow.TeamMember{{Name: "Kenji Sato"}}}
	words := a.SearchWords()
	for q, want := range map[string]bool{
		"solar": true, "SOLAR grid": true, "kenji": true, "jp": true, "islands batteries": true, "ola": true,
		"solar wind": false, "sato kenji xyz": false, "": true, "grid-ai": true, "gridai": false,
	} {
		if got := roadshow.MatchesTerms(words, roadshow.SearchTerms(q)); got != want {
			t.Errorf("%q: got %v, want %v", q, got, want)
		}
	}
}

func TestDuplicateRules(t *testing.T) {
	for email, want := range map[string]string{
		"ada@acme-robotics.com": "acme-robotics.com", "Ada@ACME.io": "acme.io", "x@gmail.com": "",
		"x@qq.com": "", "x@yahoo.co.jp": "", "no-at-sign": "", "x@": "",
	} {
		if got := roadshow.CompanyDomain(email); got != want {
			t.Errorf("CompanyDomain(%q) = %q, want %q", email, got, want)
		}
	}
	for _, tc := range []struct {
		a, b    string
		similar bool
	}{
		{"Solar Grid AI", "SolarGrid AI Ltd.", true},
		{"Solar Grid AI", "solar-grid ai", true},
		{"Ocean Drone", "Ocean Drones Inc", true},
		{"Solar Grid AI", "Ocean Drone", false},
		{"Solar Grid AI", "Solar Farm", false},
		{"智能海洋", "智能海洋科技", false},
		{"智能海洋科技", "智能海洋科技有限", true},
		{"", "", false},
	} {
		sim := roadshow.Jaccard(roadshow.TitleTrigrams(tc.a), roadshow.TitleTrigrams(tc.b))
		if got := sim >= roadshow.TitleSimilarityThreshold; got != tc.similar {
			t.Errorf("%q ~ %q: similarity %.2f, want similar %v", tc.a, tc.b, sim, tc.similar)
		}
	}
}
