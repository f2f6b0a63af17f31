package roadshow

import (
	"net/url"
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
	for _, t := range Statuses() {
		if s == t {
			return true
		}
	}
	return false
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
	Decision Status    `json:"decision" bson:"decision"`
	Note     string    `json:"note" bson:"note"`
	By       string    `json:"by" bson:"by"`
	At       time.Time `json:"at" bson:"at"`
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
	Deck        *DeckInfo    `json:"deck" bson:"deck"`
	SessionID   string       `json:"sessionId" bson:"sessionId"` // the pitch session it is planned into
	CreatedAt   time.Time    `json:"createdAt" bson:"createdAt"`
	UpdatedAt   time.Time    `json:"updatedAt" bson:"updatedAt"`
	SubmittedAt *time.Time   `json:"submittedAt" bson:"submittedAt"`
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
	for _, p := range []*string{in.Title, in.Summary, in.Industry, in.Stage, in.Timezone, in.LandingPlan, in.Website, in.VideoURL} {
		if p != nil {
			*p = strings.TrimSpace(*p)
		}
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
			m.Name = strings.TrimSpace(m.Name)
			m.Role = strings.TrimSpace(m.Role)
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
			v.Add(field, "Use at most "+itoa(max)+" characters.")
		}
	}
	checkLen(in.Title, "title", MaxTitleLen)
	checkLen(in.Summary, "summary", MaxSummaryLen)
	checkLen(in.LandingPlan, "landingPlan", MaxLandingPlanLen)
	if in.Industry != nil && *in.Industry != "" && !IsIndustry(*in.Industry) {
		v.Add("industry", "Choose one of the nine 1+8 industries.")
	}
	if in.Stage != nil && *in.Stage != "" && !IsStage(*in.Stage) {
		v.Add("stage", "Choose idea, prototype, pilot, revenue or scaling.")
	}
	if in.Country != nil && *in.Country != "" && !IsCountry(*in.Country) {
		v.Add("country", "Use an ISO 3166-1 country code such as DE.")
	}
	if in.Timezone != nil && *in.Timezone != "" && !IsTimezone(*in.Timezone) {
		v.Add("timezone", "Use an IANA time zone such as Europe/Berlin.")
	}
	for _, u := range []struct {
		p     *string
		field string
	}{{in.Website, "website"}, {in.VideoURL, "videoUrl"}} {
		if u.p != nil && *u.p != "" && !ValidWebURL(*u.p) {
			v.Add(u.field, "Use a full http:// or https:// address.")
		}
	}
	if in.Team != nil {
		if len(*in.Team) > MaxTeamMembers {
			v.Add("team", "List at most 20 members.")
		}
		for i, m := range *in.Team {
			if i >= MaxTeamMembers {
				break
			}
			p := "team[" + itoa(i) + "]."
			v.Check(m.Name != "", p+"name", "Enter the member's name.")
			v.Check(utf8.RuneCountInString(m.Name) <= MaxNameLen, p+"name", "Use at most 100 characters.")
			v.Check(utf8.RuneCountInString(m.Role) <= MaxMemberRoleLen, p+"role", "Use at most 100 characters.")
			v.Check(m.Nationality == "" || IsCountry(m.Nationality), p+"nationality", "Use an ISO 3166-1 country code such as JP.")
			v.Check(utf8.RuneCountInString(m.Bio) <= MaxBioLen, p+"bio", "Use at most 1000 characters.")
		}
	}
	if in.FundingAsk != nil {
		v.Check(in.FundingAsk.Amount >= 0 && in.FundingAsk.Amount <= MaxFundingAmount, "fundingAsk.amount", "Enter an amount between 0 and 1,000,000,000,000.")
		v.Check(IsCurrency(in.FundingAsk.Currency), "fundingAsk.currency", "Choose a currency such as USD, EUR or CNY.")
	}
	return v.Err(EUNPROCESSABLE, "Some fields need attention.")
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
	if err := in.Validate(); err != nil {
		for f, m := range ErrorFields(err) {
			v.Add(f, m)
		}
	}
	required := "This field is required to submit."
	v.Check(a.Title != "", "title", required)
	v.Check(a.Summary != "", "summary", required)
	v.Check(a.Industry != "", "industry", required)
	v.Check(a.Stage != "", "stage", required)
	v.Check(a.Country != "", "country", required)
	v.Check(a.Timezone != "", "timezone", required)
	v.Check(len(a.Team) > 0, "team", "Add at least one team member.")
	for i, m := range a.Team {
		v.Check(m.Role != "", "team["+itoa(i)+"].role", required)
	}
	v.Check(a.FundingAsk != nil, "fundingAsk", required)
	v.Check(a.LandingPlan != "", "landingPlan", required)
	return v.Err(EUNPROCESSABLE, "The application is not complete.")
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
}

func itoa(n int) string { return strconv.Itoa(n) }
