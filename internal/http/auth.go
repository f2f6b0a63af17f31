package http

import (
	"context"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/utils"
	"github.com/roadshow/roadshow/roadshow"
)

type registerRequest struct {
	Email    string `json:"email"`
	Password string `json:"password"`
	Name     string `json:"name"`
	Country  string `json:"country"`
}

type loginRequest struct {
	Email    string `json:"email"`
	Password string `json:"password"`
}

type loginResponse struct {
	Token     string         `json:"token"`
	ExpiresAt time.Time      `json:"expiresAt"`
	User      *roadshow.User `json:"user"`
}

type createUserRequest struct {
	Email    string        `json:"email"`
	Password string        `json:"password"`
	Name     string        `json:"name"`
	Role     roadshow.Role `json:"role"`
	Country  string        `json:"country"`
}

// register makes an applicant account. The request type has no role field,
// and unknown fields are refused, so nobody can give themself a role.
func (s *Server) register(ctx context.Context, _ roadshow.Actor, req registerRequest) (*roadshow.User, error) {
	return s.svc.Users.Register(ctx, roadshow.NewUser{Email: req.Email, Password: req.Password, Name: req.Name, Country: req.Country})
}

// invite lets an organizer create a judge, investor or organizer account.
func (s *Server) invite(ctx context.Context, a roadshow.Actor, req createUserRequest) (*roadshow.User, error) {
	return s.svc.Users.Invite(ctx, a, roadshow.NewUser{Email: req.Email, Password: req.Password, Name: req.Name, Country: req.Country, Role: req.Role})
}

func (s *Server) listUsers(c call) (listResponse[*roadshow.User], error) {
	users, err := s.svc.Users.People(c.ctx, c.actor, roadshow.Role(utils.CopyString(c.c.Query("role"))))
	return listResponse[*roadshow.User]{Items: users}, err
}

// login exchanges credentials for an access token, a few attempts at a
// time per client and e-mail.
func (s *Server) login(c *fiber.Ctx) error {
	var req loginRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	key := roadshow.NormalizeEmail(req.Email)
	if len(key) > roadshow.MaxEmailLen {
		// No account has such an address; one bucket for all of them keeps
		// the limiter's memory bounded.
		key = "(too long)"
	}
	if ok, wait := s.limiter.allow(c.IP() + "|" + key); !ok {
		secs := int(wait.Seconds()) + 1
		c.Set(fiber.HeaderRetryAfter, strconv.Itoa(secs))
		return roadshow.NewError(roadshow.ERATELIMITED, "auth.rate_limited", roadshow.Args{"seconds": secs})
	}
	ctx, cancel := storeCtx(c)
	defer cancel()
	u, err := s.svc.Users.Authenticate(ctx, req.Email, req.Password)
	if err != nil {
		return err
	}
	token, exp, err := s.cfg.Tokens.Issue(u)
	if err != nil {
		return err
	}
	return c.JSON(loginResponse{Token: token, ExpiresAt: exp, User: u})
}

type optionsResponse struct {
	Stages     []string          `json:"stages"`
	Statuses   []roadshow.Status `json:"statuses"`
	Countries  []string          `json:"countries"`
	Currencies []string          `json:"currencies"`
	Roles      []roadshow.Role   `json:"roles"`
	// StaffRoles are the roles organizers invite (CanInvite).
	StaffRoles []roadshow.Role `json:"staffRoles"`
	Limits     optionsLimits   `json:"limits"`
}

// optionsLimits are the limits the domain enforces that forms show as they
// are filled in (character counters, upload size), so that the pages never
// type them again.
type optionsLimits struct {
	Title           int   `json:"title"`
	Summary         int   `json:"summary"`
	LandingPlan     int   `json:"landingPlan"`
	URL             int   `json:"url"`
	Email           int   `json:"email"`
	Name            int   `json:"name"`
	MemberRole      int   `json:"memberRole"`
	Bio             int   `json:"bio"`
	TeamMembers     int   `json:"teamMembers"`
	FundingAmount   int64 `json:"fundingAmount"`
	DeckBytes       int   `json:"deckBytes"`
	ScreeningNote   int   `json:"screeningNote"`
	PasswordMin     int   `json:"passwordMin"`
	PasswordMax     int   `json:"passwordMax"`
	Comment         int   `json:"comment"`
	ConflictReason  int   `json:"conflictReason"`
	EditionName     int   `json:"editionName"`
	Criteria        int   `json:"criteria"`
	CriterionName   int   `json:"criterionName"`
	CriterionWeight int   `json:"criterionWeight"`
	ScoreMin        int   `json:"scoreMin"`
	ScoreMax        int   `json:"scoreMax"`
	// The planner's options and the window of every team's local day.
	PlanMaxPerSession  int    `json:"planMaxPerSession"`
	PlanMinSlotMinutes int    `json:"planMinSlotMinutes"`
	PlanMaxSlotMinutes int    `json:"planMaxSlotMinutes"`
	PlanMaxDays        int    `json:"planMaxDays"`
	PlanMaxTracks      int    `json:"planMaxTracks"`
	LocalDayFrom       string `json:"localDayFrom"`
	LocalDayTo         string `json:"localDayTo"`
}

func (s *Server) getIndustries(c *fiber.Ctx) error {
	return c.JSON(roadshow.Industries())
}

func (s *Server) getOptions(c *fiber.Ctx) error {
	return c.JSON(optionsResponse{
		Stages: roadshow.Stages(), Statuses: roadshow.Statuses(), Countries: roadshow.Countries(),
		Currencies: roadshow.Currencies(),
		Roles:      []roadshow.Role{roadshow.RoleApplicant, roadshow.RoleJudge, roadshow.RoleInvestor, roadshow.RoleOrganizer},
		StaffRoles: staffRoles(),
		Limits: optionsLimits{
			Title: roadshow.MaxTitleLen, Summary: roadshow.MaxSummaryLen, LandingPlan: roadshow.MaxLandingPlanLen,
			URL: roadshow.MaxURLLen, Email: roadshow.MaxEmailLen,
			Name: roadshow.MaxNameLen, MemberRole: roadshow.MaxMemberRoleLen, Bio: roadshow.MaxBioLen,
			TeamMembers: roadshow.MaxTeamMembers, FundingAmount: roadshow.MaxFundingAmount, DeckBytes: roadshow.MaxDeckSize,
			ScreeningNote: roadshow.MaxScreeningNote, PasswordMin: roadshow.MinPasswordLen, PasswordMax: roadshow.MaxPasswordLen,
			Comment: roadshow.MaxCommentLen, ConflictReason: roadshow.MaxConflictReason, EditionName: roadshow.MaxEditionNameLen,
			Criteria: roadshow.RubricMaxCriteria, CriterionName: roadshow.RubricMaxNameLen, CriterionWeight: roadshow.RubricMaxWeight,
			ScoreMin: roadshow.RubricScaleMin, ScoreMax: roadshow.RubricScaleMax,
			PlanMaxPerSession: roadshow.PlanMaxPerSession, PlanMaxDays: roadshow.PlanMaxDays, PlanMaxTracks: roadshow.PlanMaxTracks,
			PlanMinSlotMinutes: int(roadshow.PlanMinSlotLength / time.Minute), PlanMaxSlotMinutes: int(roadshow.PlanMaxSlotLength / time.Minute),
			LocalDayFrom: roadshow.ClockText(roadshow.PlanLocalDayStart), LocalDayTo: roadshow.ClockText(roadshow.PlanLocalDayEnd),
		},
	})
}

// staffRoles are the roles an organizer may invite.
func staffRoles() []roadshow.Role {
	var out []roadshow.Role
	for _, r := range []roadshow.Role{roadshow.RoleApplicant, roadshow.RoleJudge, roadshow.RoleInvestor, roadshow.RoleOrganizer} {
		if r.Staff() {
			out = append(out, r)
		}
	}
	return out
}
