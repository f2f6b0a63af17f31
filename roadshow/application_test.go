package roadshow_test

import (
	"encoding/json"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"
	_ "time/tzdata" // IsTimezone must not depend on the host's zone files

	"github.com/roadshow/roadshow/roadshow"
)

func ptr[T any](v T) *T { return &v }

// fieldNames returns the sorted field names of err's field errors.
func fieldNames(err error) []string {
	var names []string
	for f := range roadshow.ErrorFields(err) {
		names = append(names, f)
	}
	sort.Strings(names)
	return names
}

// wantFields fails unless err has code and names exactly the fields want
// (nil want: err must be nil).
func wantFields(tb testing.TB, err error, code string, want []string) {
	tb.Helper()
	if want == nil {
		if err != nil {
			tb.Fatalf("got error %v, want nil", err)
		}
		return
	}
	if got := roadshow.ErrorCode(err); got != code {
		tb.Fatalf("got code %q (%v), want %q", got, err, code)
	}
	want = slices.Clone(want)
	sort.Strings(want)
	if got := fieldNames(err); !slices.Equal(got, want) {
		tb.Fatalf("got fields %v, want %v (%v)", got, want, roadshow.ErrorFields(err))
	}
	for f, msg := range roadshow.ErrorFields(err) {
		if strings.TrimSpace(msg.Message) == "" || msg.Key == "" {
			tb.Errorf("field %s: empty message", f)
		}
	}
}

// completeApp is an application that passes MissingForSubmit.
func completeApp() *roadshow.Application {
	return &roadshow.Application{
		ID: "0123456789abcdef01234567", OwnerID: "owner", Status: roadshow.StatusDraft,
		Title: "Edge AI inspection", Summary: "Vision inspection on the factory edge.",
		Industry: "digital-tech", Stage: "pilot", Country: "DE", Timezone: "Europe/Berlin",
		Team:        []roadshow.TeamMember{{Name: "Ada", Role: "CEO", Nationality: "DE", Bio: "Engineer."}},
		FundingAsk:  &roadshow.Money{Amount: 500_000, Currency: "EUR"},
		LandingPlan: "Subsidiary in the zone in 2027.",
		Website:     "https://example.com", VideoURL: "https://video.example.com/pitch",
	}
}

func TestStatus(t *testing.T) {
	t.Parallel()
	want := []roadshow.Status{"draft", "submitted", "eligible", "ineligible", "withdrawn"}
	if got := roadshow.Statuses(); !slices.Equal(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for _, tt := range []struct {
		s    roadshow.Status
		want bool
	}{
		{"draft", true}, {"withdrawn", true}, {"eligible", true},
		{"", false}, {"Draft", false}, {"deleted", false}, {" draft", false},
	} {
		if got := tt.s.Valid(); got != tt.want {
			t.Errorf("Status(%q).Valid(): got %v, want %v", tt.s, got, tt.want)
		}
	}
}

func TestIsStage(t *testing.T) {
	t.Parallel()
	want := []string{"idea", "prototype", "pilot", "revenue", "scaling"}
	if got := roadshow.Stages(); !slices.Equal(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for _, tt := range []struct {
		s    string
		want bool
	}{
		{"idea", true}, {"scaling", true}, {"", false}, {"Idea", false}, {"growth", false}, {"idea prototype", false},
	} {
		if got := roadshow.IsStage(tt.s); got != tt.want {
			t.Errorf("IsStage(%q): got %v, want %v", tt.s, got, tt.want)
		}
	}
}

func TestIndustries(t *testing.T) {
	t.Parallel()
	want := []string{"digital-tech", "metaverse", "connected-vehicles", "clean-energy", "life-health",
		"culture-tourism", "smart-ocean", "high-end-equipment", "digital-trade"}
	var got []string
	for _, ind := range roadshow.Industries() {
		got = append(got, ind.Code)
		if ind.NameEN == "" || ind.NameZH == "" {
			t.Errorf("%s: missing a name: %+v", ind.Code, ind)
		}
		if ind.Core != (ind.Code == "digital-tech") {
			t.Errorf("%s: got core %v", ind.Code, ind.Core)
		}
		if !roadshow.IsIndustry(ind.Code) {
			t.Errorf("IsIndustry(%q): got false, want true", ind.Code)
		}
	}
	if !slices.Equal(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	// The table cannot be changed through the returned slice.
	roadshow.Industries()[0].Code = "changed"
	if got := roadshow.Industries()[0].Code; got != "digital-tech" {
		t.Fatalf("got %q after changing a returned slice, want digital-tech", got)
	}
	for _, code := range []string{"", "Digital-Tech", "space", "1", "digital-tech "} {
		if roadshow.IsIndustry(code) {
			t.Errorf("IsIndustry(%q): got true, want false", code)
		}
	}
}

func TestApplicationInputNormalize(t *testing.T) {
	t.Parallel()
	in := roadshow.ApplicationInput{
		Title: ptr("  Edge AI \n"), Summary: ptr("\tSummary "), Industry: ptr(" metaverse "), Stage: ptr(" pilot"),
		Country: ptr(" de "), Timezone: ptr(" Europe/Berlin "), LandingPlan: ptr(" plan "),
		Website: ptr(" https://example.com "), VideoURL: ptr(" https://v.example.com "),
		Team:       &[]roadshow.TeamMember{{Name: " Ada ", Role: " CEO ", Nationality: " jp ", Bio: " Bio. "}},
		FundingAsk: &roadshow.Money{Amount: 7, Currency: " eur "},
	}
	in.Normalize()
	want := roadshow.ApplicationInput{
		Title: ptr("Edge AI"), Summary: ptr("Summary"), Industry: ptr("metaverse"), Stage: ptr("pilot"),
		Country: ptr("DE"), Timezone: ptr("Europe/Berlin"), LandingPlan: ptr("plan"),
		Website: ptr("https://example.com"), VideoURL: ptr("https://v.example.com"),
		Team:       &[]roadshow.TeamMember{{Name: "Ada", Role: "CEO", Nationality: "JP", Bio: "Bio."}},
		FundingAsk: &roadshow.Money{Amount: 7, Currency: "EUR"},
	}
	if !reflect.DeepEqual(in, want) {
		got, _ := json.Marshal(in)
		w, _ := json.Marshal(want)
		t.Fatalf("got %s, want %s", got, w)
	}

	// Absent fields stay absent.
	var empty roadshow.ApplicationInput
	empty.Normalize()
	if !reflect.DeepEqual(empty, roadshow.ApplicationInput{}) {
		t.Fatalf("got %+v, want the zero input", empty)
	}
}

func TestApplicationInputValidate(t *testing.T) {
	t.Parallel()
	long := func(n int) *string { return ptr(strings.Repeat("é", n)) } // runes, not bytes
	members := func(n int) *[]roadshow.TeamMember {
		team := make([]roadshow.TeamMember, n)
		for i := range team {
			team[i] = roadshow.TeamMember{Name: "M", Role: "R"}
		}
		return &team
	}
	for _, tt := range []struct {
		name string
		in   roadshow.ApplicationInput
		want []string // nil: valid
	}{
		{"Empty", roadshow.ApplicationInput{}, nil},
		{"EmptyStringsClearADraft", roadshow.ApplicationInput{Title: ptr(""), Industry: ptr(""), Stage: ptr(""), Country: ptr(""),
			Timezone: ptr(""), Website: ptr(""), VideoURL: ptr(""), Team: &[]roadshow.TeamMember{}}, nil},
		{"Complete", roadshow.ApplicationInput{
			Title: ptr("T"), Summary: ptr("S"), Industry: ptr("smart-ocean"), Stage: ptr("revenue"), Country: ptr("SG"),
			Timezone: ptr("Asia/Singapore"), Team: &[]roadshow.TeamMember{{Name: "A", Role: "CTO", Nationality: "KR"}},
			FundingAsk: &roadshow.Money{Amount: 0, Currency: "SGD"}, LandingPlan: ptr("P"),
			Website: ptr("http://example.com"), VideoURL: ptr("https://youtu.be/x"),
		}, nil},
		{"MaxLengths", roadshow.ApplicationInput{Title: long(roadshow.MaxTitleLen), Summary: long(roadshow.MaxSummaryLen),
			LandingPlan: long(roadshow.MaxLandingPlanLen)}, nil},
		{"ErrTitleTooLong", roadshow.ApplicationInput{Title: long(roadshow.MaxTitleLen + 1)}, []string{"title"}},
		{"ErrSummaryTooLong", roadshow.ApplicationInput{Summary: long(roadshow.MaxSummaryLen + 1)}, []string{"summary"}},
		{"ErrLandingPlanTooLong", roadshow.ApplicationInput{LandingPlan: long(roadshow.MaxLandingPlanLen + 1)}, []string{"landingPlan"}},
		{"ErrUnknownIndustry", roadshow.ApplicationInput{Industry: ptr("space")}, []string{"industry"}},
		{"ErrUnknownStage", roadshow.ApplicationInput{Stage: ptr("growth")}, []string{"stage"}},
		{"ErrUnknownCountry", roadshow.ApplicationInput{Country: ptr("XX")}, []string{"country"}},
		{"ErrLowerCaseCountry", roadshow.ApplicationInput{Country: ptr("de")}, []string{"country"}},
		{"ErrCountryName", roadshow.ApplicationInput{Country: ptr("Germany")}, []string{"country"}},
		{"ErrTimezone", roadshow.ApplicationInput{Timezone: ptr("Mars/Olympus")}, []string{"timezone"}},
		{"ErrTimezoneLocal", roadshow.ApplicationInput{Timezone: ptr("Local")}, []string{"timezone"}},
		{"ErrWebsiteScheme", roadshow.ApplicationInput{Website: ptr("javascript:alert(1)")}, []string{"website"}},
		{"ErrVideoURLRelative", roadshow.ApplicationInput{VideoURL: ptr("/video.mp4")}, []string{"videoUrl"}},
		{"ErrTooManyMembers", roadshow.ApplicationInput{Team: members(roadshow.MaxTeamMembers + 1)}, []string{"team"}},
		{"MaxMembers", roadshow.ApplicationInput{Team: members(roadshow.MaxTeamMembers)}, nil},
		{"ErrMemberWithoutName", roadshow.ApplicationInput{Team: &[]roadshow.TeamMember{{Role: "CEO"}, {Name: ""}}},
			[]string{"team[0].name", "team[1].name"}},
		{"ErrMemberFields", roadshow.ApplicationInput{Team: &[]roadshow.TeamMember{{
			Name: *long(roadshow.MaxNameLen + 1), Role: *long(roadshow.MaxMemberRoleLen + 1),
			Nationality: "Japan", Bio: *long(roadshow.MaxBioLen + 1)}}},
			[]string{"team[0].name", "team[0].role", "team[0].nationality", "team[0].bio"}},
		{"MemberWithoutNationality", roadshow.ApplicationInput{Team: &[]roadshow.TeamMember{{Name: "A"}}}, nil},
		{"ErrNegativeFunding", roadshow.ApplicationInput{FundingAsk: &roadshow.Money{Amount: -1, Currency: "USD"}}, []string{"fundingAsk.amount"}},
		{"ErrHugeFunding", roadshow.ApplicationInput{FundingAsk: &roadshow.Money{Amount: roadshow.MaxFundingAmount + 1, Currency: "USD"}}, []string{"fundingAsk.amount"}},
		{"MaxFunding", roadshow.ApplicationInput{FundingAsk: &roadshow.Money{Amount: roadshow.MaxFundingAmount, Currency: "CNY"}}, nil},
		{"ErrCurrency", roadshow.ApplicationInput{FundingAsk: &roadshow.Money{Amount: 1, Currency: "BTC"}}, []string{"fundingAsk.currency"}},
		{"ErrCurrencyMissing", roadshow.ApplicationInput{FundingAsk: &roadshow.Money{Amount: 1}}, []string{"fundingAsk.currency"}},
		{"ErrEverything", roadshow.ApplicationInput{
			Title: long(roadshow.MaxTitleLen + 1), Summary: long(roadshow.MaxSummaryLen + 1), Industry: ptr("x"), Stage: ptr("x"),
			Country: ptr("x"), Timezone: ptr("x"), Website: ptr("x"), VideoURL: ptr("x"), LandingPlan: long(roadshow.MaxLandingPlanLen + 1),
			FundingAsk: &roadshow.Money{Amount: -5, Currency: "x"},
		}, []string{"title", "summary", "industry", "stage", "country", "timezone", "website", "videoUrl", "landingPlan",
			"fundingAsk.amount", "fundingAsk.currency"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			wantFields(t, tt.in.Validate(), roadshow.EUNPROCESSABLE, tt.want)
		})
	}
}

func TestApplicationInputApply(t *testing.T) {
	t.Parallel()
	t.Run("NilFieldsKeepValues", func(t *testing.T) {
		a := completeApp()
		before := *completeApp()
		(&roadshow.ApplicationInput{}).Apply(a)
		if !reflect.DeepEqual(*a, before) {
			t.Fatalf("got %+v, want %+v", *a, before)
		}
	})
	t.Run("EveryFieldCopied", func(t *testing.T) {
		a := completeApp()
		team := []roadshow.TeamMember{{Name: "Bo", Role: "CTO"}, {Name: "Cy", Role: "COO"}}
		money := roadshow.Money{Amount: 9, Currency: "JPY"}
		in := roadshow.ApplicationInput{
			Title: ptr("T2"), Summary: ptr("S2"), Industry: ptr("clean-energy"), Stage: ptr("idea"), Country: ptr("JP"),
			Timezone: ptr("Asia/Tokyo"), Team: &team, FundingAsk: &money, LandingPlan: ptr("L2"),
			Website: ptr(""), VideoURL: ptr("https://v2.example.com"),
		}
		in.Apply(a)
		want := completeApp()
		want.Title, want.Summary, want.Industry, want.Stage, want.Country = "T2", "S2", "clean-energy", "idea", "JP"
		want.Timezone, want.LandingPlan, want.Website, want.VideoURL = "Asia/Tokyo", "L2", "", "https://v2.example.com"
		want.Team = []roadshow.TeamMember{{Name: "Bo", Role: "CTO"}, {Name: "Cy", Role: "COO"}}
		want.FundingAsk = &roadshow.Money{Amount: 9, Currency: "JPY"}
		if !reflect.DeepEqual(a, want) {
			t.Fatalf("got %+v, want %+v", a, want)
		}
		// The application does not share memory with the input.
		team[0].Name = "changed"
		money.Amount = 1
		if a.Team[0].Name != "Bo" || a.FundingAsk.Amount != 9 {
			t.Fatalf("got team %v, funding %v after changing the input: Apply aliases it", a.Team, *a.FundingAsk)
		}
	})
	t.Run("EmptyTeamClears", func(t *testing.T) {
		a := completeApp()
		(&roadshow.ApplicationInput{Team: &[]roadshow.TeamMember{}}).Apply(a)
		if len(a.Team) != 0 {
			t.Fatalf("got team %v, want empty", a.Team)
		}
	})
	t.Run("StatusAndOwnerUntouched", func(t *testing.T) {
		// The input type has no status, owner, screening or deck: JSON with
		// those keys cannot change them.
		var in roadshow.ApplicationInput
		body := `{"title":"x","status":"eligible","ownerId":"someone","screening":{"decision":"eligible"},"id":"ffffffffffffffffffffffff"}`
		if err := json.Unmarshal([]byte(body), &in); err != nil {
			t.Fatal(err)
		}
		a := completeApp()
		in.Apply(a)
		if a.Status != roadshow.StatusDraft || a.OwnerID != "owner" || a.Screening != nil || a.ID != "0123456789abcdef01234567" {
			t.Fatalf("got status %s, owner %s, screening %v, id %s: want them unchanged", a.Status, a.OwnerID, a.Screening, a.ID)
		}
	})
}

func TestMissingForSubmit(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name   string
		change func(a *roadshow.Application)
		want   []string // nil: complete
	}{
		{"Complete", func(a *roadshow.Application) {}, nil},
		{"OptionalLinksMayBeEmpty", func(a *roadshow.Application) { a.Website, a.VideoURL = "", "" }, nil},
		{"ZeroFundingIsAnAsk", func(a *roadshow.Application) { a.FundingAsk.Amount = 0 }, nil},
		{"ErrEverythingMissing", func(a *roadshow.Application) {
			*a = roadshow.Application{ID: a.ID, OwnerID: a.OwnerID, Status: a.Status}
		}, []string{"title", "summary", "industry", "stage", "country", "timezone", "team", "fundingAsk", "landingPlan"}},
		{"ErrTitleMissing", func(a *roadshow.Application) { a.Title = "" }, []string{"title"}},
		{"ErrSummaryMissing", func(a *roadshow.Application) { a.Summary = "" }, []string{"summary"}},
		{"ErrSummaryTooLong", func(a *roadshow.Application) { a.Summary = strings.Repeat("x", roadshow.MaxSummaryLen+1) }, []string{"summary"}},
		{"ErrIndustryMissing", func(a *roadshow.Application) { a.Industry = "" }, []string{"industry"}},
		{"ErrIndustryUnknown", func(a *roadshow.Application) { a.Industry = "space" }, []string{"industry"}},
		{"ErrStageMissing", func(a *roadshow.Application) { a.Stage = "" }, []string{"stage"}},
		{"ErrCountryMissing", func(a *roadshow.Application) { a.Country = "" }, []string{"country"}},
		{"ErrTimezoneMissing", func(a *roadshow.Application) { a.Timezone = "" }, []string{"timezone"}},
		{"ErrTimezoneInvalid", func(a *roadshow.Application) { a.Timezone = "Europe/Atlantis" }, []string{"timezone"}},
		{"ErrTeamEmpty", func(a *roadshow.Application) { a.Team = nil }, []string{"team"}},
		{"ErrMemberRoleMissing", func(a *roadshow.Application) {
			a.Team = append(a.Team, roadshow.TeamMember{Name: "Bo"}, roadshow.TeamMember{Name: "Cy", Role: "CFO"}, roadshow.TeamMember{Name: "Di"})
		}, []string{"team[1].role", "team[3].role"}},
		{"ErrMemberNameMissing", func(a *roadshow.Application) { a.Team[0].Name = "" }, []string{"team[0].name"}},
		{"ErrFundingMissing", func(a *roadshow.Application) { a.FundingAsk = nil }, []string{"fundingAsk"}},
		{"ErrFundingInvalid", func(a *roadshow.Application) { a.FundingAsk = &roadshow.Money{Amount: -1, Currency: "XXX"} },
			[]string{"fundingAsk.amount", "fundingAsk.currency"}},
		{"ErrLandingPlanMissing", func(a *roadshow.Application) { a.LandingPlan = "" }, []string{"landingPlan"}},
		{"ErrWebsiteInvalid", func(a *roadshow.Application) { a.Website = "ftp://example.com" }, []string{"website"}},
		{"ErrVideoURLInvalid", func(a *roadshow.Application) { a.VideoURL = "example.com/video" }, []string{"videoUrl"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			a := completeApp()
			tt.change(a)
			before, _ := json.Marshal(a)
			wantFields(t, a.MissingForSubmit(), roadshow.EUNPROCESSABLE, tt.want)
			if after, _ := json.Marshal(a); string(after) != string(before) {
				t.Fatalf("MissingForSubmit changed the application: got %s, want %s", after, before)
			}
		})
	}
}

func TestValidWebURL(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		url  string
		want bool
	}{
		{"https://example.com", true},
		{"http://example.com/path?q=1#frag", true},
		{"https://sub.example.co.uk:8443/x", true},
		{"https://例え.jp/", true},
		{"HTTPS://EXAMPLE.COM", true}, // url.Parse lower-cases the scheme
		{"", false},
		{"example.com", false},
		{"//example.com/x", false},
		{"/relative/path", false},
		{"ftp://example.com", false},
		{"javascript:alert(1)", false},
		{"data:text/html,<script>alert(1)</script>", false},
		{"mailto:a@example.com", false},
		{"https://", false},
		{"https:///path", false},
		{"https://user:pass@example.com", false},
		{"https://user@example.com", false},
		{"http://exa mple.com", false},
		{"https://example.com/" + strings.Repeat("a", roadshow.MaxURLLen), false},
		{("https://example.com/" + strings.Repeat("a", roadshow.MaxURLLen))[:roadshow.MaxURLLen], true},
	} {
		if got := roadshow.ValidWebURL(tt.url); got != tt.want {
			t.Errorf("ValidWebURL(%.60q): got %v, want %v", tt.url, got, tt.want)
		}
	}
}

func TestIsCountry(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		code string
		want bool
	}{
		{"US", true}, {"JP", true}, {"GB", true}, {"DE", true}, {"SG", true}, {"CA", true}, {"IL", true},
		{"KR", true}, {"FR", true}, {"AU", true}, {"CN", true}, {"AD", true}, {"ZW", true},
		{"", false}, {"us", false}, {"Us", false}, {"UK", false}, {"XX", false}, {"EU", false},
		{"USA", false}, {"U", false}, {"D E", false}, {"1A", false}, {" US", false},
		{"S ", false}, {"D\x00", false},
	} {
		if got := roadshow.IsCountry(tt.code); got != tt.want {
			t.Errorf("IsCountry(%q): got %v, want %v", tt.code, got, tt.want)
		}
	}
	cs := roadshow.Countries()
	if len(cs) != 249 {
		t.Errorf("got %d countries, want the 249 assigned ISO 3166-1 codes", len(cs))
	}
	if !slices.IsSorted(cs) {
		t.Errorf("got %v, want sorted", cs)
	}
	for _, c := range cs {
		if !roadshow.IsCountry(c) {
			t.Errorf("IsCountry(%q): got false for a listed country", c)
		}
	}
}

func TestIsTimezone(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name string
		want bool
	}{
		{"Europe/Berlin", true}, {"America/New_York", true}, {"Asia/Shanghai", true}, {"Asia/Tokyo", true},
		{"America/Argentina/Buenos_Aires", true}, {"UTC", true}, {"Etc/GMT+8", true},
		{"", false}, {"Local", false}, {"EST", false}, {"GMT", false}, {"europe/berlin", false},
		{"Europe/Atlantis", false}, {"Mars/Olympus", false}, {"../../../etc/passwd", false},
		{"/etc/localtime", false}, {"Europe/Berlin ", false}, {"Europe/" + strings.Repeat("x", 64), false},
	} {
		if got := roadshow.IsTimezone(tt.name); got != tt.want {
			t.Errorf("IsTimezone(%q): got %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestIsCurrency(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		code string
		want bool
	}{
		{"USD", true}, {"EUR", true}, {"CNY", true}, {"JPY", true}, {"GBP", true}, {"SGD", true}, {"AED", true},
		{"", false}, {"usd", false}, {"US", false}, {"USDX", false}, {"BTC", false}, {"USD EUR", false},
		{"SD ", false}, {" US", false}, {"D A", false}, {"RMB", false},
	} {
		if got := roadshow.IsCurrency(tt.code); got != tt.want {
			t.Errorf("IsCurrency(%q): got %v, want %v", tt.code, got, tt.want)
		}
	}
	for _, c := range roadshow.Currencies() {
		if !roadshow.IsCurrency(c) {
			t.Errorf("IsCurrency(%q): got false for a listed currency", c)
		}
	}
}

func TestApplicationPublic(t *testing.T) {
	t.Parallel()
	a := completeApp()
	a.Screening = &roadshow.Screening{Decision: roadshow.StatusEligible, Note: "internal note", By: "org"}
	a.Deck = &roadshow.DeckInfo{Size: 1, SHA256: "abc"}
	b, err := json.Marshal(a.Public())
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	var keys []string
	for k := range got {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	want := []string{"country", "fundingAsk", "id", "industry", "stage", "summary", "title", "videoUrl", "website"}
	if !slices.Equal(keys, want) {
		t.Fatalf("got keys %v, want %v", keys, want)
	}
	if strings.Contains(string(b), "internal note") || strings.Contains(string(b), "owner") {
		t.Fatalf("got %s: the public view leaks private fields", b)
	}
}
