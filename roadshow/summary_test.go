package roadshow_test

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/roadshow/roadshow/roadshow"
)

func TestBuildSummary(t *testing.T) {
	t.Parallel()
	type counts = map[string]map[roadshow.Status]int
	for _, tt := range []struct {
		name   string
		counts counts
		// want gives the non-zero cells; every other cell must be 0.
		want counts
	}{
		{"Nil", nil, counts{}},
		{"Empty", counts{}, counts{}},
		{"EmptyRows", counts{"metaverse": {}, "digital-tech": nil}, counts{}},
		{"Counts", counts{
			"digital-tech":  {roadshow.StatusDraft: 3, roadshow.StatusSubmitted: 2},
			"digital-trade": {roadshow.StatusWithdrawn: 1, roadshow.StatusEligible: 4, roadshow.StatusIneligible: 5},
		}, counts{
			"digital-tech":  {roadshow.StatusDraft: 3, roadshow.StatusSubmitted: 2},
			"digital-trade": {roadshow.StatusWithdrawn: 1, roadshow.StatusEligible: 4, roadshow.StatusIneligible: 5},
		}},
		{"NegativeShownAsZero", counts{
			"smart-ocean": {roadshow.StatusDraft: -2, roadshow.StatusSubmitted: 7},
			"life-health": {roadshow.StatusEligible: -1},
		}, counts{
			"smart-ocean": {roadshow.StatusSubmitted: 7},
		}},
		{"UnknownIndustryIgnored", counts{"space": {roadshow.StatusDraft: 9}, "": {roadshow.StatusDraft: 1}}, counts{}},
		{"UnknownStatusIgnored", counts{"metaverse": {"deleted": 9, roadshow.StatusDraft: 1}}, counts{"metaverse": {roadshow.StatusDraft: 1}}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := roadshow.BuildSummary(tt.counts)
			var codes []string
			wantTotals := map[roadshow.Status]int{}
			wantTotal := 0
			for _, row := range got.Industries {
				codes = append(codes, row.Code)
				if row.NameEN == "" || row.NameZH == "" {
					t.Errorf("%s: got names %q, %q, want both", row.Code, row.NameEN, row.NameZH)
				}
				if len(row.Counts) != len(roadshow.Statuses()) {
					t.Errorf("%s: got counts %v, want every status", row.Code, row.Counts)
				}
				rowTotal := 0
				for _, st := range roadshow.Statuses() {
					n, ok := row.Counts[st]
					if w := tt.want[row.Code][st]; !ok || n != w {
						t.Errorf("%s/%s: got %d (present %v), want %d", row.Code, st, n, ok, w)
					}
					rowTotal += tt.want[row.Code][st]
					wantTotals[st] += tt.want[row.Code][st]
				}
				if row.Total != rowTotal {
					t.Errorf("%s total: got %d, want %d", row.Code, row.Total, rowTotal)
				}
				wantTotal += rowTotal
			}
			var wantCodes []string
			for _, ind := range roadshow.Industries() {
				wantCodes = append(wantCodes, ind.Code)
			}
			if !slices.Equal(codes, wantCodes) {
				t.Fatalf("got industries %v, want all nine in order %v", codes, wantCodes)
			}
			if len(got.Totals) != len(roadshow.Statuses()) {
				t.Errorf("got totals %v, want every status", got.Totals)
			}
			for _, st := range roadshow.Statuses() {
				if n, ok := got.Totals[st]; !ok || n != wantTotals[st] {
					t.Errorf("total %s: got %d (present %v), want %d", st, n, ok, wantTotals[st])
				}
			}
			if got.Total != wantTotal {
				t.Errorf("total: got %d, want %d", got.Total, wantTotal)
			}
		})
	}
}

func TestBuildSummaryJSON(t *testing.T) {
	t.Parallel()
	b, err := json.Marshal(roadshow.BuildSummary(nil))
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Industries []struct {
			Code   string         `json:"code"`
			NameEn string         `json:"nameEn"`
			NameZh string         `json:"nameZh"`
			Counts map[string]int `json:"counts"`
			Total  *int           `json:"total"`
		} `json:"industries"`
		Totals map[string]int `json:"totals"`
		Total  *int           `json:"total"`
	}
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Industries) != 9 || got.Total == nil || len(got.Totals) != 5 {
		t.Fatalf("got %s, want nine industries, five totals and a total", b)
	}
	for _, row := range got.Industries {
		if row.Code == "" || row.NameEn == "" || row.NameZh == "" || row.Total == nil || len(row.Counts) != 5 {
			t.Fatalf("got row %+v in %s, want code, names, total and five counts", row, b)
		}
	}
}

func TestValidID(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		id   string
		want bool
	}{
		{"0123456789abcdef01234567", true},
		{"ffffffffffffffffffffffff", true},
		{"000000000000000000000000", true},
		{"", false},
		{"0123456789abcdef0123456", false},
		{"0123456789abcdef012345678", false},
		{"0123456789ABCDEF01234567", false},
		{"0123456789abcdef0123456g", false},
		{"{$ne:1}aaaaaaaaaaaaaaaaa", false},
		{"../../../../../etc/pass", false},
		{"0123456789abcdef 1234567", false},
		{"0123456789abcdef0123456\x00", false},
		{"é123456789abcdef0123456", false}, // 24 bytes, not 24 hex digits
	} {
		if got := roadshow.ValidID(tt.id); got != tt.want {
			t.Errorf("ValidID(%q): got %v, want %v", tt.id, got, tt.want)
		}
	}
}

// fakeClock is settable.
type fakeClock struct{ t time.Time }

func (c *fakeClock) Now() time.Time { return c.t }

// memStore is an in-memory ApplicationStore with the conditions of the real one.
type memStore struct {
	apps   map[string]*roadshow.Application
	next   int
	calls  int
	filter roadshow.ApplicationFilter // the last filter listed
	counts map[string]map[roadshow.Status]int
}

func newMemStore() *memStore { return &memStore{apps: map[string]*roadshow.Application{}} }

func clone(a *roadshow.Application) *roadshow.Application {
	b, _ := json.Marshal(a)
	var c roadshow.Application
	_ = json.Unmarshal(b, &c)
	return &c
}

func (m *memStore) CreateApplication(ctx context.Context, a *roadshow.Application) error {
	m.calls++
	m.next++
	a.ID = fmt.Sprintf("%024x", m.next)
	m.apps[a.ID] = clone(a)
	return nil
}

func (m *memStore) ApplicationByID(ctx context.Context, id string) (*roadshow.Application, error) {
	m.calls++
	a, ok := m.apps[id]
	if !ok {
		return nil, roadshow.CodeError(roadshow.ENOTFOUND)
	}
	return clone(a), nil
}

func (m *memStore) UpdateApplication(ctx context.Context, id string, cond roadshow.ApplicationCond, ch roadshow.ApplicationChange) (*roadshow.Application, error) {
	m.calls++
	a, ok := m.apps[id]
	if !ok || (cond.OwnerID != "" && a.OwnerID != cond.OwnerID) {
		return nil, roadshow.CodeError(roadshow.ENOTFOUND)
	}
	if len(cond.Statuses) > 0 && !slices.Contains(cond.Statuses, a.Status) {
		return nil, roadshow.CodeError(roadshow.ECONFLICT)
	}
	if cond.ScreeningVersion != nil && a.ScreeningVersion != *cond.ScreeningVersion {
		return nil, roadshow.CodeError(roadshow.ECONFLICT)
	}
	if ch.Input != nil {
		ch.Input.Apply(a)
	}
	if ch.Status != "" {
		a.Status = ch.Status
	}
	if ch.Screening != nil {
		a.Screening = ch.Screening
		a.ScreeningVersion = ch.Screening.Version
		a.ScreeningHistory = append(a.ScreeningHistory, *ch.Screening)
	}
	if ch.Deck != nil {
		a.Deck = ch.Deck
	}
	if ch.SubmittedAt != nil {
		a.SubmittedAt = ch.SubmittedAt
	}
	a.UpdatedAt = ch.UpdatedAt
	return clone(a), nil
}

func (m *memStore) ListApplications(ctx context.Context, f roadshow.ApplicationFilter) (roadshow.ApplicationPage, error) {
	m.calls++
	m.filter = f
	return roadshow.ApplicationPage{Items: []*roadshow.Application{}}, nil
}

// SearchApplications filters in memory; order and windows are the real
// stores' (tested in internal/mongodb).
func (m *memStore) SearchApplications(ctx context.Context, q roadshow.ApplicationQuery) (roadshow.ApplicationRows, error) {
	m.calls++
	var out roadshow.ApplicationRows
	for _, a := range m.apps {
		r := a.Row()
		if q.Matches(&r) && roadshow.MatchesTerms(a.SearchWords(), q.Terms) {
			out.Total++
			if len(out.Items) < q.Limit {
				out.Items = append(out.Items, r)
			}
		}
	}
	return out, nil
}

func (m *memStore) CountApplications(ctx context.Context) (map[string]map[roadshow.Status]int, error) {
	m.calls++
	return m.counts, nil
}

func (m *memStore) SetApplicationSession(ctx context.Context, applicationID, sessionID string, expect *string) error {
	m.calls++
	a, ok := m.apps[applicationID]
	if !ok {
		return roadshow.CodeError(roadshow.ENOTFOUND)
	}
	if expect != nil && a.SessionID != *expect {
		return roadshow.CodeError(roadshow.ECONFLICT)
	}
	a.SessionID = sessionID
	return nil
}

func (m *memStore) EligibleUnplanned(ctx context.Context, industries []string) ([]*roadshow.Application, error) {
	m.calls++
	out := []*roadshow.Application{}
	for _, a := range m.apps {
		if a.Status == roadshow.StatusEligible && a.SessionID == "" && (len(industries) == 0 || slices.Contains(industries, a.Industry)) {
			out = append(out, clone(a))
		}
	}
	return out, nil
}

// memEditions is an EditionStore that holds the default edition.
type memEditions struct{ e roadshow.Edition }

func (m *memEditions) Edition(ctx context.Context) (roadshow.Edition, error) { return m.e, nil }

func (m *memEditions) SaveEdition(ctx context.Context, e roadshow.Edition, rubricChanged bool) (roadshow.Edition, error) {
	if rubricChanged && m.e.RubricLocked {
		return roadshow.Edition{}, roadshow.CodeError(roadshow.ECONFLICT)
	}
	e.RubricLocked = m.e.RubricLocked
	m.e = e
	return e, nil
}

func (m *memEditions) LockRubric(ctx context.Context) error {
	m.e.RubricLocked = true
	return nil
}

// service returns an ApplicationService over a fresh, empty memStore and
// the default edition (no deadline).
func service(tb testing.TB) (*roadshow.ApplicationService, *memStore, *fakeClock) {
	tb.Helper()
	clock := &fakeClock{t: time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC)}
	store := newMemStore()
	editions := &roadshow.EditionService{Store: &memEditions{e: roadshow.DefaultEdition()}, Clock: clock}
	return &roadshow.ApplicationService{Store: store, Editions: editions, Clock: clock}, store, clock
}

// actors returns two applicants (ada, bob), a judge, an investor and an organizer.
func actors() (ada, bob, judge, investor, org roadshow.Actor) {
	return roadshow.Actor{UserID: "ada", Role: roadshow.RoleApplicant},
		roadshow.Actor{UserID: "bob", Role: roadshow.RoleApplicant},
		roadshow.Actor{UserID: "judge", Role: roadshow.RoleJudge},
		roadshow.Actor{UserID: "investor", Role: roadshow.RoleInvestor},
		roadshow.Actor{UserID: "org", Role: roadshow.RoleOrganizer}
}

func completeInput() roadshow.ApplicationInput {
	a := completeApp()
	return roadshow.ApplicationInput{
		Title: &a.Title, Summary: &a.Summary, Industry: &a.Industry, Stage: &a.Stage, Country: &a.Country,
		Timezone: &a.Timezone, Team: &a.Team, FundingAsk: a.FundingAsk, LandingPlan: &a.LandingPlan,
		Website: &a.Website, VideoURL: &a.VideoURL,
	}
}

func mustCreate(tb testing.TB, s *roadshow.ApplicationService, actor roadshow.Actor, in roadshow.ApplicationInput) *roadshow.Application {
	tb.Helper()
	a, err := s.Create(context.Background(), actor, in)
	if err != nil {
		tb.Fatalf("create: %v", err)
	}
	return a.Application
}

func wantCode(tb testing.TB, err error, want string) {
	tb.Helper()
	if got := roadshow.ErrorCode(err); got != want {
		tb.Fatalf("got %v (code %q), want code %q", err, got, want)
	}
}

func TestApplicationsCreate(t *testing.T) {
	t.Parallel()
	ada, _, judge, investor, org := actors()
	ctx := context.Background()
	for _, tt := range []struct {
		name   string
		actor  roadshow.Actor
		in     roadshow.ApplicationInput
		code   string
		fields []string
	}{
		{"ErrJudge", judge, completeInput(), roadshow.EFORBIDDEN, nil},
		{"ErrInvestor", investor, completeInput(), roadshow.EFORBIDDEN, nil},
		{"ErrOrganizer", org, completeInput(), roadshow.EFORBIDDEN, nil},
		{"ErrNoActor", roadshow.Actor{}, completeInput(), roadshow.EFORBIDDEN, nil},
		{"ErrEmpty", ada, roadshow.ApplicationInput{}, roadshow.EUNPROCESSABLE, []string{"title", "industry"}},
		{"ErrBlankTitle", ada, roadshow.ApplicationInput{Title: ptr("   "), Industry: ptr("metaverse")}, roadshow.EUNPROCESSABLE, []string{"title"}},
		{"ErrBadFields", ada, roadshow.ApplicationInput{Title: ptr("T"), Industry: ptr("space"), Country: ptr("XX")},
			roadshow.EUNPROCESSABLE, []string{"industry", "country"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s, store, _ := service(t)
			_, err := s.Create(ctx, tt.actor, tt.in)
			if tt.fields != nil {
				wantFields(t, err, tt.code, tt.fields)
			} else {
				wantCode(t, err, tt.code)
			}
			if store.calls != 0 {
				t.Fatalf("got %d store calls, want none for a refused request", store.calls)
			}
		})
	}
	t.Run("Draft", func(t *testing.T) {
		s, store, clock := service(t)
		a := mustCreate(t, s, ada, roadshow.ApplicationInput{Title: ptr("  Ocean drones "), Industry: ptr("smart-ocean"), Country: ptr("jp")})
		if a.ID == "" || a.OwnerID != "ada" || a.Status != roadshow.StatusDraft || a.Title != "Ocean drones" || a.Country != "JP" {
			t.Fatalf("got %+v, want ada's normalized draft with an id", a)
		}
		if !a.CreatedAt.Equal(clock.t) || !a.UpdatedAt.Equal(clock.t) || a.SubmittedAt != nil {
			t.Fatalf("got created %v updated %v submitted %v, want %v, %v, nil", a.CreatedAt, a.UpdatedAt, a.SubmittedAt, clock.t, clock.t)
		}
		if a.Team == nil {
			t.Fatal("got team nil, want [] (encodes as an empty list)")
		}
		if len(store.apps) != 1 {
			t.Fatalf("got %d stored, want 1", len(store.apps))
		}
	})
}

func TestApplicationsGet(t *testing.T) {
	t.Parallel()
	ada, bob, judge, investor, org := actors()
	s, _, _ := service(t)
	a := mustCreate(t, s, ada, completeInput())
	for _, tt := range []struct {
		name  string
		actor roadshow.Actor
		id    string
		want  string
	}{
		{"Owner", ada, a.ID, ""},
		{"Organizer", org, a.ID, ""},
		{"ErrOtherApplicant", bob, a.ID, roadshow.ENOTFOUND},
		{"ErrJudge", judge, a.ID, roadshow.ENOTFOUND},
		{"ErrInvestor", investor, a.ID, roadshow.ENOTFOUND},
		{"ErrNoActor", roadshow.Actor{}, a.ID, roadshow.ENOTFOUND},
		{"ErrMissing", ada, "ffffffffffffffffffffffff", roadshow.ENOTFOUND},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := s.Get(context.Background(), tt.actor, tt.id)
			wantCode(t, err, tt.want)
			if err == nil && (got.Full == nil || got.Full.ID != a.ID) {
				t.Fatalf("got %+v, want the whole of %s", got, a.ID)
			}
		})
	}
}

func TestApplicationsUpdate(t *testing.T) {
	t.Parallel()
	ada, bob, judge, investor, org := actors()
	ctx := context.Background()
	for _, tt := range []struct {
		name   string
		actor  roadshow.Actor
		in     roadshow.ApplicationInput
		status roadshow.Status // of the stored application first
		code   string
	}{
		{"Owner", ada, roadshow.ApplicationInput{Title: ptr(" New ")}, roadshow.StatusDraft, ""},
		{"ClearOptionalField", ada, roadshow.ApplicationInput{Summary: ptr("")}, roadshow.StatusDraft, ""},
		{"ErrClearTitle", ada, roadshow.ApplicationInput{Title: ptr(" ")}, roadshow.StatusDraft, roadshow.EUNPROCESSABLE},
		{"ErrClearIndustry", ada, roadshow.ApplicationInput{Industry: ptr("")}, roadshow.StatusDraft, roadshow.EUNPROCESSABLE},
		{"ErrBadStage", ada, roadshow.ApplicationInput{Stage: ptr("unicorn")}, roadshow.StatusDraft, roadshow.EUNPROCESSABLE},
		{"ErrOtherApplicant", bob, roadshow.ApplicationInput{Title: ptr("Stolen")}, roadshow.StatusDraft, roadshow.ENOTFOUND},
		{"ErrOrganizer", org, roadshow.ApplicationInput{Title: ptr("X")}, roadshow.StatusDraft, roadshow.EFORBIDDEN},
		{"ErrJudge", judge, roadshow.ApplicationInput{Title: ptr("X")}, roadshow.StatusDraft, roadshow.EFORBIDDEN},
		{"ErrInvestor", investor, roadshow.ApplicationInput{Title: ptr("X")}, roadshow.StatusDraft, roadshow.EFORBIDDEN},
		{"ErrSubmitted", ada, roadshow.ApplicationInput{Title: ptr("X")}, roadshow.StatusSubmitted, roadshow.ECONFLICT},
		{"ErrWithdrawn", ada, roadshow.ApplicationInput{Title: ptr("X")}, roadshow.StatusWithdrawn, roadshow.ECONFLICT},
		{"ErrEligible", ada, roadshow.ApplicationInput{Title: ptr("X")}, roadshow.StatusEligible, roadshow.ECONFLICT},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s, store, clock := service(t)
			a := mustCreate(t, s, ada, completeInput())
			store.apps[a.ID].Status = tt.status
			before := clone(store.apps[a.ID])
			clock.t = clock.t.Add(time.Minute)
			got, err := s.Update(ctx, tt.actor, a.ID, tt.in)
			wantCode(t, err, tt.code)
			if err != nil {
				if after := store.apps[a.ID]; !jsonSame(after, before) {
					t.Fatalf("a refused update changed the application: got %+v, want %+v", after, before)
				}
				return
			}
			want := before
			tt.in.Normalize()
			tt.in.Apply(want)
			want.UpdatedAt = clock.t
			if !jsonSame(got.Application, want) {
				t.Fatalf("got %+v, want %+v", got.Application, want)
			}
		})
	}
}

func jsonSame(a, b any) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return string(x) == string(y)
}

func TestApplicationsSubmit(t *testing.T) {
	t.Parallel()
	ada, bob, judge, investor, org := actors()
	ctx := context.Background()
	deadline := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		name     string
		actor    roadshow.Actor
		in       roadshow.ApplicationInput
		status   roadshow.Status
		deadline time.Time
		now      time.Time
		code     string
		fields   []string
	}{
		{"Complete", ada, completeInput(), roadshow.StatusDraft, time.Time{}, time.Time{}, "", nil},
		{"BeforeDeadline", ada, completeInput(), roadshow.StatusDraft, deadline, deadline.Add(-time.Millisecond), "", nil},
		{"ErrAtDeadline", ada, completeInput(), roadshow.StatusDraft, deadline, deadline, roadshow.ECONFLICT, nil},
		{"ErrAfterDeadline", ada, completeInput(), roadshow.StatusDraft, deadline, deadline.Add(time.Hour), roadshow.ECONFLICT, nil},
		{"ErrIncomplete", ada, roadshow.ApplicationInput{Title: ptr("T"), Industry: ptr("metaverse")}, roadshow.StatusDraft, time.Time{}, time.Time{},
			roadshow.EUNPROCESSABLE, []string{"summary", "stage", "country", "timezone", "team", "fundingAsk", "landingPlan"}},
		{"ErrSubmitted", ada, completeInput(), roadshow.StatusSubmitted, time.Time{}, time.Time{}, roadshow.ECONFLICT, nil},
		{"ErrWithdrawn", ada, completeInput(), roadshow.StatusWithdrawn, time.Time{}, time.Time{}, roadshow.ECONFLICT, nil},
		{"ErrIneligible", ada, completeInput(), roadshow.StatusIneligible, time.Time{}, time.Time{}, roadshow.ECONFLICT, nil},
		{"ErrOtherApplicant", bob, completeInput(), roadshow.StatusDraft, time.Time{}, time.Time{}, roadshow.ENOTFOUND, nil},
		{"ErrOrganizer", org, completeInput(), roadshow.StatusDraft, time.Time{}, time.Time{}, roadshow.EFORBIDDEN, nil},
		{"ErrInvestor", investor, completeInput(), roadshow.StatusDraft, time.Time{}, time.Time{}, roadshow.EFORBIDDEN, nil},
		{"ErrJudge", judge, completeInput(), roadshow.StatusDraft, time.Time{}, time.Time{}, roadshow.EFORBIDDEN, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s, store, clock := service(t)
			s.Editions.FallbackDeadline = tt.deadline
			a := mustCreate(t, s, ada, tt.in)
			store.apps[a.ID].Status = tt.status
			before := clone(store.apps[a.ID])
			if !tt.now.IsZero() {
				clock.t = tt.now
			}
			got, err := s.Submit(ctx, tt.actor, a.ID)
			if tt.fields != nil {
				wantFields(t, err, tt.code, tt.fields)
			} else {
				wantCode(t, err, tt.code)
			}
			if err != nil {
				if after := store.apps[a.ID]; !jsonSame(after, before) {
					t.Fatalf("a refused submission changed the application: got %+v, want %+v", after, before)
				}
				return
			}
			if got.Status != roadshow.StatusSubmitted || got.SubmittedAt == nil || !got.SubmittedAt.Equal(clock.t) || !got.UpdatedAt.Equal(clock.t) {
				t.Fatalf("got status %s submitted %v updated %v, want submitted at %v", got.Status, got.SubmittedAt, got.UpdatedAt, clock.t)
			}
			_, err = s.Submit(ctx, tt.actor, a.ID)
			wantCode(t, err, roadshow.ECONFLICT)
		})
	}
}

func TestApplicationsWithdraw(t *testing.T) {
	t.Parallel()
	ada, bob, judge, investor, org := actors()
	ctx := context.Background()
	for _, tt := range []struct {
		name   string
		actor  roadshow.Actor
		status roadshow.Status
		code   string
	}{
		{"Draft", ada, roadshow.StatusDraft, ""},
		{"Submitted", ada, roadshow.StatusSubmitted, ""},
		{"Eligible", ada, roadshow.StatusEligible, ""},
		{"Ineligible", ada, roadshow.StatusIneligible, ""},
		{"ErrWithdrawn", ada, roadshow.StatusWithdrawn, roadshow.ECONFLICT},
		{"ErrOtherApplicant", bob, roadshow.StatusDraft, roadshow.ENOTFOUND},
		{"ErrOrganizer", org, roadshow.StatusSubmitted, roadshow.EFORBIDDEN},
		{"ErrJudge", judge, roadshow.StatusSubmitted, roadshow.EFORBIDDEN},
		{"ErrInvestor", investor, roadshow.StatusSubmitted, roadshow.EFORBIDDEN},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s, store, _ := service(t)
			a := mustCreate(t, s, ada, completeInput())
			store.apps[a.ID].Status = tt.status
			got, err := s.Withdraw(ctx, tt.actor, a.ID)
			wantCode(t, err, tt.code)
			if err != nil {
				if st := store.apps[a.ID].Status; st != tt.status {
					t.Fatalf("got status %s after a refused withdrawal, want %s", st, tt.status)
				}
				return
			}
			if got.Status != roadshow.StatusWithdrawn {
				t.Fatalf("got %s, want withdrawn", got.Status)
			}
		})
	}
}

func TestApplicationsScreen(t *testing.T) {
	t.Parallel()
	ada, _, judge, investor, org := actors()
	ctx := context.Background()
	for _, tt := range []struct {
		name   string
		actor  roadshow.Actor
		status roadshow.Status
		in     roadshow.ScreeningInput
		code   string
	}{
		{"Eligible", org, roadshow.StatusSubmitted, roadshow.ScreeningInput{Decision: roadshow.StatusEligible, Note: " Fits the zone. "}, ""},
		{"Ineligible", org, roadshow.StatusSubmitted, roadshow.ScreeningInput{Decision: roadshow.StatusIneligible, Reason: roadshow.ReasonOutOfScope}, ""},
		{"ChangeOfMind", org, roadshow.StatusEligible, roadshow.ScreeningInput{Decision: roadshow.StatusIneligible, Reason: roadshow.ReasonIncomplete}, ""},
		{"ErrIneligibleWithoutReason", org, roadshow.StatusSubmitted, roadshow.ScreeningInput{Decision: roadshow.StatusIneligible}, roadshow.EUNPROCESSABLE},
		{"NoteMaxLength", org, roadshow.StatusSubmitted, roadshow.ScreeningInput{Decision: roadshow.StatusEligible, Note: strings.Repeat("注", roadshow.MaxScreeningNote)}, ""},
		{"ErrApplicant", ada, roadshow.StatusSubmitted, roadshow.ScreeningInput{Decision: roadshow.StatusEligible}, roadshow.EFORBIDDEN},
		{"ErrJudge", judge, roadshow.StatusSubmitted, roadshow.ScreeningInput{Decision: roadshow.StatusEligible}, roadshow.EFORBIDDEN},
		{"ErrInvestor", investor, roadshow.StatusSubmitted, roadshow.ScreeningInput{Decision: roadshow.StatusEligible}, roadshow.EFORBIDDEN},
		{"ErrDecisionDraft", org, roadshow.StatusSubmitted, roadshow.ScreeningInput{Decision: roadshow.StatusDraft}, roadshow.EUNPROCESSABLE},
		{"ErrDecisionWithdrawn", org, roadshow.StatusSubmitted, roadshow.ScreeningInput{Decision: roadshow.StatusWithdrawn}, roadshow.EUNPROCESSABLE},
		{"ErrDecisionEmpty", org, roadshow.StatusSubmitted, roadshow.ScreeningInput{}, roadshow.EUNPROCESSABLE},
		{"ErrNoteTooLong", org, roadshow.StatusSubmitted, roadshow.ScreeningInput{Decision: roadshow.StatusEligible, Note: strings.Repeat("注", roadshow.MaxScreeningNote+1)}, roadshow.EUNPROCESSABLE},
		{"ErrDraft", org, roadshow.StatusDraft, roadshow.ScreeningInput{Decision: roadshow.StatusEligible}, roadshow.ECONFLICT},
		{"ErrWithdrawn", org, roadshow.StatusWithdrawn, roadshow.ScreeningInput{Decision: roadshow.StatusEligible}, roadshow.ECONFLICT},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s, store, clock := service(t)
			a := mustCreate(t, s, ada, completeInput())
			store.apps[a.ID].Status = tt.status
			clock.t = clock.t.Add(time.Hour)
			got, err := s.Screen(ctx, tt.actor, a.ID, tt.in)
			wantCode(t, err, tt.code)
			if err != nil {
				if st := store.apps[a.ID]; st.Status != tt.status || st.Screening != nil {
					t.Fatalf("got status %s screening %v after a refused screening, want %s, nil", st.Status, st.Screening, tt.status)
				}
				return
			}
			want := roadshow.Screening{Decision: tt.in.Decision, Reason: tt.in.Reason, Note: strings.TrimSpace(tt.in.Note), By: "org", At: clock.t, Version: 1}
			if got.Status != tt.in.Decision || got.Screening == nil || !jsonSame(*got.Screening, want) {
				t.Fatalf("got status %s screening %+v, want %s, %+v", got.Status, got.Screening, tt.in.Decision, want)
			}
		})
	}
	t.Run("ErrMissing", func(t *testing.T) {
		s, _, _ := service(t)
		_, err := s.Screen(ctx, org, "ffffffffffffffffffffffff", roadshow.ScreeningInput{Decision: roadshow.StatusEligible})
		wantCode(t, err, roadshow.ENOTFOUND)
	})
}

func TestApplicationsList(t *testing.T) {
	t.Parallel()
	ada, _, judge, investor, org := actors()
	ctx := context.Background()
	for _, tt := range []struct {
		name   string
		actor  roadshow.Actor
		f      roadshow.ApplicationFilter
		code   string
		fields []string
		want   roadshow.ApplicationFilter // what reaches the store
	}{
		{"Organizer", org, roadshow.ApplicationFilter{Industry: "metaverse", Status: roadshow.StatusSubmitted, Limit: 10},
			"", nil, roadshow.ApplicationFilter{Industry: "metaverse", Status: roadshow.StatusSubmitted, Limit: 10}},
		{"OrganizerByOwner", org, roadshow.ApplicationFilter{OwnerID: "ada"}, "", nil,
			roadshow.ApplicationFilter{OwnerID: "ada", Limit: roadshow.DefaultPageSize}},
		{"ApplicantSeesOwn", ada, roadshow.ApplicationFilter{}, "", nil, roadshow.ApplicationFilter{OwnerID: "ada", Limit: roadshow.DefaultPageSize}},
		{"ApplicantCannotAskForOthers", ada, roadshow.ApplicationFilter{OwnerID: "bob"}, "", nil,
			roadshow.ApplicationFilter{OwnerID: "ada", Limit: roadshow.DefaultPageSize}},
		{"MaxPage", org, roadshow.ApplicationFilter{Limit: roadshow.MaxPageSize, Cursor: "0123456789abcdef01234567"}, "", nil,
			roadshow.ApplicationFilter{Limit: roadshow.MaxPageSize, Cursor: "0123456789abcdef01234567"}},
		{"ErrJudge", judge, roadshow.ApplicationFilter{}, roadshow.EFORBIDDEN, nil, roadshow.ApplicationFilter{}},
		{"ErrInvestor", investor, roadshow.ApplicationFilter{}, roadshow.EFORBIDDEN, nil, roadshow.ApplicationFilter{}},
		{"ErrUnknownIndustry", org, roadshow.ApplicationFilter{Industry: "space"}, roadshow.EINVALID, []string{"industry"}, roadshow.ApplicationFilter{}},
		{"ErrUnknownStatus", org, roadshow.ApplicationFilter{Status: "lost"}, roadshow.EINVALID, []string{"status"}, roadshow.ApplicationFilter{}},
		{"ErrLimitTooLarge", org, roadshow.ApplicationFilter{Limit: roadshow.MaxPageSize + 1}, roadshow.EINVALID, []string{"limit"}, roadshow.ApplicationFilter{}},
		{"ErrNegativeLimit", ada, roadshow.ApplicationFilter{Limit: -1}, roadshow.EINVALID, []string{"limit"}, roadshow.ApplicationFilter{}},
		{"ErrCursor", org, roadshow.ApplicationFilter{Cursor: `{"$gt":""}`}, roadshow.EINVALID, []string{"cursor"}, roadshow.ApplicationFilter{}},
		{"ErrEverything", ada, roadshow.ApplicationFilter{Industry: "x", Status: "x", Limit: 1000, Cursor: "x"}, roadshow.EINVALID,
			[]string{"industry", "status", "limit", "cursor"}, roadshow.ApplicationFilter{}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s, store, _ := service(t)
			page, err := s.List(ctx, tt.actor, tt.f)
			if tt.fields != nil {
				wantFields(t, err, tt.code, tt.fields)
			} else {
				wantCode(t, err, tt.code)
			}
			if err != nil {
				if store.calls != 0 {
					t.Fatalf("got %d store calls, want none for a refused listing", store.calls)
				}
				return
			}
			if store.filter != tt.want {
				t.Fatalf("got filter %+v, want %+v", store.filter, tt.want)
			}
			if page.Items == nil {
				t.Fatal("got items nil, want []")
			}
		})
	}
}

func TestApplicationsSummary(t *testing.T) {
	t.Parallel()
	ada, bob, judge, investor, org := actors()
	ctx := context.Background()
	for _, actor := range []roadshow.Actor{ada, bob, judge, investor, {}} {
		s, store, _ := service(t)
		_, err := s.Summary(ctx, actor)
		wantCode(t, err, roadshow.EFORBIDDEN)
		if store.calls != 0 {
			t.Fatalf("%s: got %d store calls, want none", actor.Role, store.calls)
		}
	}
	s, store, _ := service(t)
	store.counts = map[string]map[roadshow.Status]int{"clean-energy": {roadshow.StatusSubmitted: 4, roadshow.StatusDraft: -1}}
	got, err := s.Summary(ctx, org)
	if err != nil {
		t.Fatal(err)
	}
	if want := roadshow.BuildSummary(store.counts); !jsonSame(got, want) {
		t.Fatalf("got %+v, want %+v", got, want)
	}
	if got.Total != 4 {
		t.Fatalf("got total %d, want 4", got.Total)
	}
}
