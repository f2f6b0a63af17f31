package roadshow

import (
	"context"
	"io"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Status is where an application is in its life.
type Status string

const (
	StatusDraft      Status = "draft"
	StatusSubmitted  Status = "submitted"
	StatusEligible   Status = "eligible"
	StatusIneligible Status = "ineligible"
	StatusWithdrawn  Status = "withdrawn"
)

// Statuses returns every status in life-cycle order.
func Statuses() []Status {
	return []Status{StatusDraft, StatusSubmitted, StatusEligible, StatusIneligible, StatusWithdrawn}
}

// Valid reports whether s is a known status.
func (s Status) Valid() bool {
	return slices.Contains(Statuses(), s)
}

// Stages a venture may be at, earliest first.
const stageList = "idea prototype pilot revenue scaling"

// Stages returns the accepted stage values.
func Stages() []string { return strings.Fields(stageList) }

// IsStage reports whether s is an accepted stage.
func IsStage(s string) bool {
	for _, t := range Stages() {
		if s == t {
			return true
		}
	}
	return false
}

// Field limits. They bound storage and keep pages readable.
const (
	MaxTitleLen       = 200
	MaxSummaryLen     = 2000
	MaxLandingPlanLen = 5000
	MaxURLLen         = 2048
	MaxTeamMembers    = 20
	MaxMemberRoleLen  = 100
	MaxBioLen         = 1000
	MaxScreeningNote  = 2000
	MaxFundingAmount  = 1_000_000_000_000
)

// TeamMember is one person of an applying team.
type TeamMember struct {
	Name        string `json:"name" bson:"name"`
	Role        string `json:"role" bson:"role"`
	Nationality string `json:"nationality" bson:"nationality"`
	Bio         string `json:"bio" bson:"bio"`
}

// Money is an amount in whole units of an ISO 4217 currency.
type Money struct {
	Amount   int64  `json:"amount" bson:"amount"`
	Currency string `json:"currency" bson:"currency"`
}

// Screening is an organizer's eligibility decision.
type Screening struct {
	Decision Status          `json:"decision" bson:"decision"`
	Reason   ScreeningReason `json:"reason,omitempty" bson:"reason,omitempty"`
	Note     string          `json:"note" bson:"note"`
	By       string          `json:"by" bson:"by"`
	ByName   string          `json:"byName,omitempty" bson:"byName,omitempty"`
	At       time.Time       `json:"at" bson:"at"`
	// Version counts the decisions on the application, this one included.
	Version int `json:"version" bson:"version"`
}

// DeckInfo describes an uploaded pitch deck; the bytes live in the deck store.
type DeckInfo struct {
	Size       int64     `json:"size" bson:"size"`
	SHA256     string    `json:"sha256" bson:"sha256"`
	UploadedAt time.Time `json:"uploadedAt" bson:"uploadedAt"`
	Version    string    `json:"-" bson:"version"`
	Chunks     int       `json:"-" bson:"chunks"`
}

// Application is a team's application to the roadshow.
type Application struct {
	ID          string       `json:"id" bson:"_id"`
	OwnerID     string       `json:"ownerId" bson:"ownerId"`
	Title       string       `json:"title" bson:"title"`
	Summary     string       `json:"summary" bson:"summary"`
	Industry    string       `json:"industry" bson:"industry"`
	Stage       string       `json:"stage" bson:"stage"`
	Country     string       `json:"country" bson:"country"`
	Timezone    string       `json:"timezone" bson:"timezone"`
	Team        []TeamMember `json:"team" bson:"team"`
	FundingAsk  *Money       `json:"fundingAsk" bson:"fundingAsk"`
	LandingPlan string       `json:"landingPlan" bson:"landingPlan"`
	Website     string       `json:"website" bson:"website"`
	VideoURL    string       `json:"videoUrl" bson:"videoUrl"`
	Status      Status       `json:"status" bson:"status"`
	Screening   *Screening   `json:"screening" bson:"screening"`
	// ScreeningVersion counts the decisions recorded (0: never screened);
	// a decision names the version it was made on (see CanRescreen).
	ScreeningVersion int `json:"screeningVersion" bson:"screeningVersion"`
	// ScreeningHistory is every decision, oldest first, the current one
	// last; organizers read it on the ApplicationView.
	ScreeningHistory []Screening `json:"-" bson:"screeningHistory,omitempty"`
	Deck             *DeckInfo   `json:"deck" bson:"deck"`
	SessionID        string      `json:"sessionId" bson:"sessionId"` // the pitch session it is planned into
	// LastSessionID is the session it was last taken out of without
	// moving to another (cancelled, or the team left): its calendar entry
	// is sent cancelled.
	LastSessionID string     `json:"-" bson:"lastSessionId,omitempty"`
	CreatedAt     time.Time  `json:"createdAt" bson:"createdAt"`
	UpdatedAt     time.Time  `json:"updatedAt" bson:"updatedAt"`
	SubmittedAt   *time.Time `json:"submittedAt" bson:"submittedAt"`
	// History lists what happened to it beyond its fields (reopenings).
	History []ApplicationEvent `json:"history,omitempty" bson:"history,omitempty"`
}

// ApplicationInput carries the fields an applicant writes. A nil field is
// left as it is, so the same type serves creation and PATCH.
type ApplicationInput struct {
	Title       *string       `json:"title"`
	Summary     *string       `json:"summary"`
	Industry    *string       `json:"industry"`
	Stage       *string       `json:"stage"`
	Country     *string       `json:"country"`
	Timezone    *string       `json:"timezone"`
	Team        *[]TeamMember `json:"team"`
	FundingAsk  *Money        `json:"fundingAsk"`
	LandingPlan *string       `json:"landingPlan"`
	Website     *string       `json:"website"`
	VideoURL    *string       `json:"videoUrl"`
}

// Normalize trims white space and upper-cases codes so that validation and
// storage see one form.
func (in *ApplicationInput) Normalize() {
	for _, p := range []*string{in.Summary, in.Industry, in.Stage, in.Timezone, in.LandingPlan, in.Website, in.VideoURL} {
		if p != nil {
			*p = strings.TrimSpace(*p)
		}
	}
	if in.Title != nil {
		*in.Title = CleanLine(*in.Title)
	}
	if in.Country != nil {
		*in.Country = strings.ToUpper(strings.TrimSpace(*in.Country))
	}
	if in.FundingAsk != nil {
		in.FundingAsk.Currency = strings.ToUpper(strings.TrimSpace(in.FundingAsk.Currency))
	}
	if in.Team != nil {
		for i := range *in.Team {
			m := &(*in.Team)[i]
			m.Name = CleanLine(m.Name)
			m.Role = CleanLine(m.Role)
			m.Nationality = strings.ToUpper(strings.TrimSpace(m.Nationality))
			m.Bio = strings.TrimSpace(m.Bio)
		}
	}
}

// Validate checks the format of every field that is present. Empty strings
// are allowed in a draft (they clear the field); completeness is checked at
// submission by MissingForSubmit.
func (in *ApplicationInput) Validate() error {
	var v Validator
	checkLen := func(p *string, field string, max int) {
		if p != nil && utf8.RuneCountInString(*p) > max {
			v.Add(field, "field.max_length", Args{"max": max})
		}
	}
	checkLen(in.Title, "title", MaxTitleLen)
	checkLen(in.Summary, "summary", MaxSummaryLen)
	checkLen(in.LandingPlan, "landingPlan", MaxLandingPlanLen)
	for _, f := range []struct {
		p         *string
		field     string
		multiline bool
	}{{in.Title, "title", false}, {in.Summary, "summary", true}, {in.LandingPlan, "landingPlan", true},
		{in.Industry, "industry", false}, {in.Stage, "stage", false}, {in.Timezone, "timezone", false},
		{in.Website, "website", false}, {in.VideoURL, "videoUrl", false}} {
		if f.p != nil {
			v.Text(f.field, *f.p, f.multiline)
		}
	}
	if in.Industry != nil && *in.Industry != "" && !IsIndustry(*in.Industry) {
		v.Add("industry", "application.industry_choose", nil)
	}
	if in.Stage != nil && *in.Stage != "" && !IsStage(*in.Stage) {
		v.Add("stage", "application.stage_choose", nil)
	}
	if in.Country != nil && *in.Country != "" && !IsCountry(*in.Country) {
		v.Add("country", "application.country_code", nil)
	}
	if in.Timezone != nil && *in.Timezone != "" && !IsTimezone(*in.Timezone) {
		v.Add("timezone", "application.timezone_name", nil)
	}
	for _, u := range []struct {
		p     *string
		field string
	}{{in.Website, "website"}, {in.VideoURL, "videoUrl"}} {
		if u.p != nil && *u.p != "" && !ValidWebURL(*u.p) {
			v.Add(u.field, "field.web_url", nil)
		}
	}
	if in.Team != nil {
		if len(*in.Team) > MaxTeamMembers {
			v.Add("team", "application.team_too_large", Args{"max": MaxTeamMembers})
		}
		for i, m := range *in.Team {
			if i >= MaxTeamMembers {
				break
			}
			p := "team[" + itoa(i) + "]."
			v.Text(p+"name", m.Name, false)
			v.Text(p+"role", m.Role, false)
			v.Text(p+"bio", m.Bio, true)
			v.Check(Visible(m.Name), p+"name", "application.member_name_required", nil)
			v.Check(utf8.RuneCountInString(m.Name) <= MaxNameLen, p+"name", "field.max_length", Args{"max": MaxNameLen})
			v.Check(utf8.RuneCountInString(m.Role) <= MaxMemberRoleLen, p+"role", "field.max_length", Args{"max": MaxMemberRoleLen})
			v.Check(m.Nationality == "" || IsCountry(m.Nationality), p+"nationality", "application.nationality_code", nil)
			v.Check(utf8.RuneCountInString(m.Bio) <= MaxBioLen, p+"bio", "field.max_length", Args{"max": MaxBioLen})
		}
	}
	if in.FundingAsk != nil {
		v.Check(in.FundingAsk.Amount >= 0 && in.FundingAsk.Amount <= MaxFundingAmount, "fundingAsk.amount",
			"application.amount_range", Args{"min": 0, "max": MaxFundingAmount})
		v.Check(IsCurrency(in.FundingAsk.Currency), "fundingAsk.currency", "application.currency_choose", nil)
	}
	return v.Err(EUNPROCESSABLE, "field.invalid")
}

// Apply copies the present fields of in onto a.
func (in *ApplicationInput) Apply(a *Application) {
	set := func(dst *string, src *string) {
		if src != nil {
			*dst = *src
		}
	}
	set(&a.Title, in.Title)
	set(&a.Summary, in.Summary)
	set(&a.Industry, in.Industry)
	set(&a.Stage, in.Stage)
	set(&a.Country, in.Country)
	set(&a.Timezone, in.Timezone)
	set(&a.LandingPlan, in.LandingPlan)
	set(&a.Website, in.Website)
	set(&a.VideoURL, in.VideoURL)
	if in.Team != nil {
		a.Team = append([]TeamMember(nil), (*in.Team)...)
	}
	if in.FundingAsk != nil {
		m := *in.FundingAsk
		a.FundingAsk = &m
	}
}

// MissingForSubmit names every required field that is empty or invalid, so
// the applicant can fix them all at once.
func (a *Application) MissingForSubmit() error {
	var v Validator
	in := ApplicationInput{
		Title: &a.Title, Summary: &a.Summary, Industry: &a.Industry, Stage: &a.Stage,
		Country: &a.Country, Timezone: &a.Timezone, Team: &a.Team, FundingAsk: a.FundingAsk,
		LandingPlan: &a.LandingPlan, Website: &a.Website, VideoURL: &a.VideoURL,
	}
	v.Merge("", in.Validate())
	required := func(ok bool, field string) { v.Check(ok, field, "field.required_to_submit", nil) }
	required(Visible(a.Title), "title")
	required(Visible(a.Summary), "summary")
	required(a.Industry != "", "industry")
	required(a.Stage != "", "stage")
	required(a.Country != "", "country")
	required(a.Timezone != "", "timezone")
	v.Check(len(a.Team) > 0, "team", "application.team_required", nil)
	for i, m := range a.Team {
		required(Visible(m.Role), "team["+itoa(i)+"].role")
	}
	required(a.FundingAsk != nil, "fundingAsk")
	required(Visible(a.LandingPlan), "landingPlan")
	return v.Err(EUNPROCESSABLE, "application.incomplete")
}

// ValidWebURL reports whether s is an absolute http or https URL with a host.
func ValidWebURL(s string) bool {
	if len(s) > MaxURLLen {
		return false
	}
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" && u.User == nil
}

// Public returns the part of an application that investors may read.
func (a *Application) Public() PublicApplication {
	return PublicApplication{
		ID: a.ID, Title: a.Title, Summary: a.Summary, Industry: a.Industry, Stage: a.Stage,
		Country: a.Country, Website: a.Website, VideoURL: a.VideoURL, FundingAsk: a.FundingAsk,
	}
}

// PublicApplication is the allow-listed view for investors.
type PublicApplication struct {
	ID         string `json:"id"`
	Title      string `json:"title"`
	Summary    string `json:"summary"`
	Industry   string `json:"industry"`
	Stage      string `json:"stage"`
	Country    string `json:"country"`
	Website    string `json:"website"`
	VideoURL   string `json:"videoUrl"`
	FundingAsk *Money `json:"fundingAsk"`
	// Can tells an investor what they may do with the team (nil for
	// judges, who read the public part after declaring a conflict).
	Can *PublicActions `json:"can,omitempty"`
}

// PublicActions is what a reader of the public part may do with the team.
type PublicActions struct {
	RequestMeeting bool `json:"requestMeeting"` // ask to meet the team (CanRequestMeeting)
}

func itoa(n int) string { return strconv.Itoa(n) }

// The statuses from which each change may happen. The rules below read
// them, and services hand them to the store as the condition of the write,
// so that a change racing another is judged by the state it lands in.
func editableStatuses() []Status { return []Status{StatusDraft} }
func screenableStatuses() []Status {
	return []Status{StatusSubmitted, StatusEligible, StatusIneligible}
}
func withdrawableStatuses() []Status {
	return []Status{StatusDraft, StatusSubmitted, StatusEligible, StatusIneligible}
}

// CanCreateApplication reports whether actor may start an application:
// applicants only (EFORBIDDEN).
func CanCreateApplication(actor Actor) error {
	return unless(actor.Is(RoleApplicant), NewError(EFORBIDDEN, "application.create_applicants_only", nil))
}

// CanChangeApplication reports whether actor may change a as its owner
// (edit, upload a deck, submit, withdraw): EFORBIDDEN for other roles,
// ENOTFOUND for another applicant's application, which does not exist for
// them. With a nil a it answers for the role alone, before anything is read.
func CanChangeApplication(actor Actor, a *Application) error {
	if !actor.Is(RoleApplicant) {
		return NewError(EFORBIDDEN, "application.owners_only", nil)
	}
	if a != nil && a.OwnerID != actor.UserID {
		return NewError(ENOTFOUND, "application.not_found", nil)
	}
	return nil
}

// CanEditApplication reports whether actor may edit a now: its owner, while
// it is a draft (ECONFLICT after).
func CanEditApplication(actor Actor, a *Application) error {
	if err := CanChangeApplication(actor, a); err != nil {
		return err
	}
	return a.CanEdit()
}

// CanEdit reports whether the application's fields may change: only a
// draft's (ECONFLICT).
func (a *Application) CanEdit() error {
	return unless(slices.Contains(editableStatuses(), a.Status), NewError(ECONFLICT, "application.edit_not_draft", nil))
}

// CanChangeDeck reports whether the pitch deck may change: only a draft's
// (ECONFLICT).
func (a *Application) CanChangeDeck() error {
	return unless(slices.Contains(editableStatuses(), a.Status), NewError(ECONFLICT, "application.deck_not_draft", nil))
}

// CanSubmit reports whether the application may be submitted at now:
// ECONFLICT once the deadline (zero: none) has passed or when it is no
// longer a draft. Completeness is MissingForSubmit's.
func (a *Application) CanSubmit(deadline, now time.Time) error {
	if err := CanWriteApplications(deadline, now); err != nil {
		return err
	}
	if !slices.Contains(editableStatuses(), a.Status) {
		return NewError(ECONFLICT, "application.already_status", Args{"status": a.Status})
	}
	return nil
}

// CanWithdraw reports whether the application may be withdrawn: ECONFLICT
// when it already is.
func (a *Application) CanWithdraw() error {
	return unless(slices.Contains(withdrawableStatuses(), a.Status), NewError(ECONFLICT, "application.already_withdrawn", nil))
}

// CanScreen reports whether the application may be screened: submitted or
// already screened (ECONFLICT for drafts and withdrawn ones).
func (a *Application) CanScreen() error {
	return unless(slices.Contains(screenableStatuses(), a.Status), NewError(ECONFLICT, "application.screen_not_submitted", nil))
}

// CanScreenApplications reports whether actor may screen applications:
// organizers only (EFORBIDDEN).
func CanScreenApplications(actor Actor) error {
	return unless(actor.Is(RoleOrganizer), NewError(EFORBIDDEN, "application.screen_organizers_only", nil))
}

// CanListApplications reports whether actor may list applications:
// organizers (all of them) and applicants (their own); EFORBIDDEN for others.
func CanListApplications(actor Actor) error {
	return unless(actor.Is(RoleOrganizer, RoleApplicant), NewError(EFORBIDDEN, "application.list_forbidden", nil))
}

// CanSeeSummary reports whether actor may see the 1+8 grid of counts:
// organizers only (EFORBIDDEN).
func CanSeeSummary(actor Actor) error {
	return unless(actor.Is(RoleOrganizer), NewError(EFORBIDDEN, "application.summary_organizers_only", nil))
}

// CanExport reports whether actor may export the edition's applications and
// results: organizers only (EFORBIDDEN).
func CanExport(actor Actor) error {
	return unless(actor.Is(RoleOrganizer), NewError(EFORBIDDEN, "application.export_organizers_only", nil))
}

// Access is how much of an application someone may read.
type Access int

const (
	AccessNone   Access = iota // it does not exist for them
	AccessPublic               // PublicApplication: what investors read
	AccessFull                 // everything, the pitch deck included
)

// CanReadApplication says how much of a the actor may read. Owners and
// organizers read all of it. The judges of its session read all of it, or
// only its public part once they declared a conflict of interest with it;
// the investors of its session read its public part. Anyone else reads
// nothing. se is the application's session (nil when it has none) and
// conflict tells whether the actor has a conflict with a.
func CanReadApplication(actor Actor, a *Application, se *Session, conflict bool) Access {
	switch {
	case actor.Is(RoleOrganizer), actor.Is(RoleApplicant) && a.OwnerID == actor.UserID:
		return AccessFull
	case se == nil || se.ID != a.SessionID:
		return AccessNone
	case actor.Is(RoleJudge) && se.HasJudge(actor.UserID):
		if conflict {
			return AccessPublic
		}
		return AccessFull
	case actor.Is(RoleInvestor) && se.HasInvestor(actor.UserID):
		return AccessPublic
	}
	return AccessNone
}

// ApplicationActions tells the reader of an application what they may do
// with it now, so that pages show the buttons the rules allow.
type ApplicationActions struct {
	Edit     bool `json:"edit"`     // change its fields and its pitch deck
	Submit   bool `json:"submit"`   // submit it (missingForSubmit lists what is left)
	Withdraw bool `json:"withdraw"` // take it out of the roadshow
	Screen   bool `json:"screen"`   // record an eligibility decision
	Reopen   bool `json:"reopen"`   // take it back to draft (CanReopenApplication)
}

// Actions returns what actor may do with a at now, given the deadline in
// force (zero: none).
func (a *Application) Actions(actor Actor, deadline, now time.Time) ApplicationActions {
	owner := CanChangeApplication(actor, a) == nil
	return ApplicationActions{
		Edit:     CanEditApplication(actor, a) == nil && CanWriteApplications(deadline, now) == nil,
		Submit:   owner && a.CanSubmit(deadline, now) == nil,
		Withdraw: owner && a.CanWithdraw() == nil,
		Screen:   CanScreenApplications(actor) == nil && a.CanScreen() == nil,
		Reopen:   owner && a.CanReopen(deadline, now) == nil,
	}
}

// ApplicationView is a whole application as one reader sees it: the
// application, what they may do with it and, for its owner while it is a
// draft, the fields still missing for submission (with the messages
// MissingForSubmit gives).
type ApplicationView struct {
	*Application
	Can              ApplicationActions `json:"can"`
	MissingForSubmit map[string]Message `json:"missingForSubmit,omitempty"`
	// Owner is who applied, for organizers (to contact the team).
	Owner *ApplicationOwner `json:"owner,omitempty"`
	// History is every screening decision, oldest first, for organizers.
	History []Screening `json:"screeningHistory,omitempty"`
}

// ApplicationOwner is the applicant behind an application, as organizers
// see it.
type ApplicationOwner struct {
	Name           string     `json:"name"`
	Email          string     `json:"email"`
	EmailConfirmed *time.Time `json:"emailConfirmedAt"`
}

// CanSeeApplicant reports whether actor may see who applied (name and
// e-mail): organizers only.
func CanSeeApplicant(actor Actor) bool { return actor.Is(RoleOrganizer) }

// View returns a as actor sees it at now.
func (a *Application) View(actor Actor, deadline, now time.Time) *ApplicationView {
	v := &ApplicationView{Application: a, Can: a.Actions(actor, deadline, now)}
	if CanSeeScreeningHistory(actor) {
		v.History = a.ScreeningHistory
		if v.History == nil {
			v.History = []Screening{}
		}
	}
	if v.Can.Edit {
		v.MissingForSubmit = ErrorFields(a.MissingForSubmit())
	}
	return v
}

// ApplicationFilter selects a page of applications. OwnerID restricts the
// page to one applicant's applications.
type ApplicationFilter struct {
	OwnerID  string
	Industry string
	Status   Status
	Limit    int
	Cursor   string // the id of the last item of the previous page
}

// ApplicationPage is one page of a keyset-paginated listing, newest first.
type ApplicationPage struct {
	Items      []*Application `json:"items"`
	NextCursor string         `json:"nextCursor"`
}

// ApplicationCond is the condition under which a stored application changes:
// an update that does not match it changes nothing.
type ApplicationCond struct {
	OwnerID  string   // when set, only the owner's application matches
	Statuses []Status // when set, the current status must be one of these
	// ScreeningVersion, when set, must equal the stored one.
	ScreeningVersion *int
}

// ApplicationChange is what an update writes. Nil fields stay unchanged.
type ApplicationChange struct {
	Input  *ApplicationInput
	Status Status
	// Screening, when set, becomes the current decision, is appended to
	// the history and sets ScreeningVersion to its Version.
	Screening   *Screening
	Deck        *DeckInfo
	SubmittedAt *time.Time
	UpdatedAt   time.Time
	// ClearSubmittedAt removes the submission time (a reopened draft).
	ClearSubmittedAt bool
	// Event, when set, is appended to the history.
	Event *ApplicationEvent
}

// ApplicationStore persists applications and keeps the per-industry and
// per-status counters in step with them. It returns bare codes (CodeError);
// the service says what they mean.
type ApplicationStore interface {
	// CreateApplication stores a and sets its ID.
	CreateApplication(ctx context.Context, a *Application) error
	// ApplicationByID returns ENOTFOUND if there is no such application.
	ApplicationByID(ctx context.Context, id string) (*Application, error)
	// UpdateApplication applies ch atomically when cond holds and returns the
	// result. Returns ENOTFOUND if the application does not exist or belongs
	// to someone else, ECONFLICT if its status is not one of cond.Statuses.
	UpdateApplication(ctx context.Context, id string, cond ApplicationCond, ch ApplicationChange) (*Application, error)
	// ListApplications returns a page, newest first.
	ListApplications(ctx context.Context, f ApplicationFilter) (ApplicationPage, error)
	// SearchApplications returns a window of the organizers' list: the
	// rows matching q in its order after q.After (before it when
	// q.Reverse), whether more follow, and the count of every match unless
	// q.NoTotal.
	SearchApplications(ctx context.Context, q ApplicationQuery) (ApplicationRows, error)
	// CountApplications returns the counters: industry -> status -> count.
	CountApplications(ctx context.Context) (map[string]map[Status]int, error)
	// SetApplicationSession records (or, with sessionID "", clears) the
	// session an application pitches in. With expect set, only when the
	// current value equals expect (ECONFLICT otherwise); clearing it then
	// keeps the session left as LastSessionID.
	SetApplicationSession(ctx context.Context, applicationID, sessionID string, expect *string) error
	// EligibleUnplanned lists eligible applications without a session.
	EligibleUnplanned(ctx context.Context, industries []string) ([]*Application, error)
}

// DeckStore keeps pitch decks, in chunks, never whole in memory.
type DeckStore interface {
	// WriteDeck stores the bytes read from r under a new version for the
	// application and returns their description. The caller records it on
	// the application and then deletes the previous version.
	WriteDeck(ctx context.Context, applicationID string, r io.Reader) (DeckInfo, error)
	// OpenDeck streams a stored version. Returns ENOTFOUND if it is missing.
	OpenDeck(ctx context.Context, applicationID string, d DeckInfo) (io.ReadCloser, error)
	// DeleteDeck removes a stored version; missing chunks are not an error.
	DeleteDeck(ctx context.Context, applicationID string, d DeckInfo) error
}
