package http

import (
	"context"
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
	Language string `json:"language"`
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
	Language string        `json:"language"`
}

type forgotRequest struct {
	Email string `json:"email"`
}

type resetRequest struct {
	Token    string `json:"token"`
	Password string `json:"password"`
}

type confirmRequest struct {
	Token string `json:"token"`
}

type passwordRequest struct {
	CurrentPassword string `json:"currentPassword"`
	Password        string `json:"password"`
}

type messageResponse struct {
	Message roadshow.Message `json:"message"`
}

// emailKey is the bucket key of an address: its normal form, and one
// bucket for every address too long to be one (memory stays bounded).
func emailKey(email string) string {
	key := roadshow.NormalizeEmail(email)
	if len(key) > roadshow.MaxEmailLen {
		return "(too long)"
	}
	return key
}

// register makes an applicant account. The request type has no role field,
// and unknown fields are refused, so nobody can give themself a role. A
// new and a taken address get the same 202 answer (see
// UserService.Register); registrations are limited per client address and
// their mail per address.
func (s *Server) register(ctx context.Context, req registerRequest) (roadshow.RegisterResult, error) {
	return s.svc.Users.Register(ctx, roadshow.NewUser{Email: req.Email, Password: req.Password, Name: req.Name,
		Country: req.Country, Language: req.Language})
}

// clientLimit guards a public call per client address.
func (s *Server) clientLimit(c *fiber.Ctx) error {
	return limited(c, take(s.limits.signUpClient, s.clientIP(c)))
}

// mailLimit guards the public calls that send account mail: a bucket per
// client address and one per recipient.
func (s *Server) mailLimit(email func() string) func(c *fiber.Ctx) error {
	return func(c *fiber.Ctx) error {
		return limited(c, take(s.limits.signUpClient, s.clientIP(c)), take(s.limits.mailAddress, emailKey(email())))
	}
}

// invite lets an organizer create a judge, investor or organizer account;
// the person gets an e-mail to choose a password.
func (s *Server) invite(ctx context.Context, a roadshow.Actor, req createUserRequest) (*roadshow.AccountView, error) {
	return s.svc.UserAdmin.Invite(ctx, a, roadshow.NewUser{Email: req.Email, Password: req.Password, Name: req.Name,
		Country: req.Country, Role: req.Role, Language: req.Language})
}

func (s *Server) listUsers(c call) (listResponse[*roadshow.User], error) {
	users, err := s.svc.Users.People(c.ctx, c.actor, roadshow.Role(utils.CopyString(c.c.Query("role"))))
	return listResponse[*roadshow.User]{Items: users}, err
}

// listAccounts is the organizers' list of accounts: ?role=&q=&limit=&cursor=.
func (s *Server) listAccounts(c call) (roadshow.AccountPage, error) {
	f := roadshow.UserFilter{
		Role:   roadshow.Role(utils.CopyString(c.c.Query("role"))),
		Query:  utils.CopyString(c.c.Query("q")),
		Cursor: utils.CopyString(c.c.Query("cursor")),
	}
	f.Limit = queryLimit(c.c)
	return s.svc.UserAdmin.List(c.ctx, c.actor, f)
}

func accountParam() param {
	return param{name: "id", missing: roadshow.NewError(roadshow.ENOTFOUND, "user.not_found", nil)}
}

// mailStatus tells organizers whether e-mail is on and what waits.
func (s *Server) mailStatus(c call) (roadshow.MailStatus, error) {
	if err := roadshow.CanListUsers(c.actor); err != nil {
		return roadshow.MailStatus{}, roadshow.NewError(roadshow.EFORBIDDEN, "mail.organizers_only", nil)
	}
	if s.cfg.MailStatus == nil {
		return roadshow.MailStatus{}, nil
	}
	return s.cfg.MailStatus(c.ctx)
}

// login exchanges credentials for an access token. Attempts are limited
// per client address, per account and globally (see routes), and the
// password check waits for a hashing slot (429 with Retry-After when none
// frees up).
func (s *Server) login(ctx context.Context, req loginRequest) (loginResponse, error) {
	release, err := s.cfg.LoginSlots.Acquire(ctx)
	if err != nil {
		return loginResponse{}, err
	}
	defer release()
	u, err := s.svc.Users.Authenticate(ctx, req.Email, req.Password)
	if err != nil {
		return loginResponse{}, err
	}
	return s.signIn(u)
}

// loginLimit guards log-ins: globally, per client address, per account.
func (s *Server) loginLimit(email func() string) func(c *fiber.Ctx) error {
	return func(c *fiber.Ctx) error {
		return limited(c, take(s.limits.loginGlobal, ""), take(s.limits.loginClient, s.clientIP(c)),
			take(s.limits.loginAccount, emailKey(email())))
	}
}

// signIn answers a new access token for u.
func (s *Server) signIn(u *roadshow.User) (loginResponse, error) {
	token, exp, err := s.cfg.Tokens.Issue(u)
	if err != nil {
		return loginResponse{}, err
	}
	return loginResponse{Token: token, ExpiresAt: exp, User: u}, nil
}

// forgot mails a password-reset link; the answer is the same whether or
// not an account uses the address.
func (s *Server) forgot(ctx context.Context, req forgotRequest) (messageResponse, error) {
	return messageResponse{Message: s.svc.Users.RequestReset(ctx, req.Email)}, nil
}

// reset sets a new password with a reset or invitation link and signs in.
func (s *Server) reset(ctx context.Context, req resetRequest) (loginResponse, error) {
	u, err := s.svc.Users.ResetPassword(ctx, req.Token, req.Password)
	if err != nil {
		return loginResponse{}, err
	}
	return s.signIn(u)
}

// confirm records that the address of an account was confirmed.
func (s *Server) confirm(ctx context.Context, _ roadshow.Actor, req confirmRequest) (messageResponse, error) {
	if _, err := s.svc.Users.ConfirmEmail(ctx, req.Token); err != nil {
		return messageResponse{}, err
	}
	return messageResponse{Message: roadshow.Msg("user.email_confirmed", nil)}, nil
}

// unsubscribe turns off notifications for the account of ?token= (the
// List-Unsubscribe link, RFC 8058 one-click: mail programs POST to it).
func (s *Server) unsubscribe(c *fiber.Ctx) error {
	id, err := s.cfg.Tokens.VerifyUnsubscribe(c.Query("token"))
	if err != nil {
		return err
	}
	ctx, cancel := storeCtx(c)
	defer cancel()
	if err := s.svc.Users.Unsubscribe(ctx, id); err != nil {
		return err
	}
	return c.JSON(messageResponse{Message: roadshow.Msg("user.unsubscribed", nil)})
}

// changePassword sets a new password for the caller, who proves the
// current one; every earlier token stops working, and the caller gets a
// new one.
func (s *Server) changePassword(ctx context.Context, a roadshow.Actor, req passwordRequest) (loginResponse, error) {
	u, err := s.svc.Users.ChangePassword(ctx, a, req.CurrentPassword, req.Password)
	if err != nil {
		return loginResponse{}, err
	}
	return s.signIn(u)
}

type optionsResponse struct {
	Stages     []string          `json:"stages"`
	Statuses   []roadshow.Status `json:"statuses"`
	Countries  []string          `json:"countries"`
	Currencies []string          `json:"currencies"`
	Roles      []roadshow.Role   `json:"roles"`
	// StaffRoles are the roles organizers invite (CanInvite).
	StaffRoles []roadshow.Role `json:"staffRoles"`
	// ScreeningReasons are the reasons a screening decision names.
	ScreeningReasons []roadshow.ScreeningReason `json:"screeningReasons"`
	Limits           optionsLimits              `json:"limits"`
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
		Currencies:       roadshow.Currencies(),
		Roles:            roadshow.Roles(),
		StaffRoles:       staffRoles(),
		ScreeningReasons: roadshow.ScreeningReasons(),
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
