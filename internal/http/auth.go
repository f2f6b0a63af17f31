package http

import (
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"
	"github.com/roadshow/roadshow/internal/auth"
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
func (s *Server) register(c *fiber.Ctx) error {
	var req registerRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	u, err := s.createAccount(c, roadshow.NewUser{Email: req.Email, Password: req.Password, Name: req.Name, Country: req.Country, Role: roadshow.RoleApplicant})
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(u)
}

// createUser lets an organizer invite a judge, investor or organizer.
func (s *Server) createUser(c *fiber.Ctx) error {
	var req createUserRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	if req.Role == roadshow.RoleApplicant || !req.Role.Valid() {
		return roadshow.FieldErrors(roadshow.EUNPROCESSABLE, "Some fields need attention.",
			map[string]string{"role": "Choose judge, investor or organizer; applicants register themselves."})
	}
	u, err := s.createAccount(c, roadshow.NewUser{Email: req.Email, Password: req.Password, Name: req.Name, Country: req.Country, Role: req.Role})
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(u)
}

func (s *Server) createAccount(c *fiber.Ctx, nu roadshow.NewUser) (*roadshow.User, error) {
	if err := nu.Validate(); err != nil {
		return nil, err
	}
	hash, err := auth.HashPassword(nu.Password)
	if err != nil {
		return nil, err
	}
	u := &roadshow.User{Email: nu.Email, Name: nu.Name, Country: nu.Country, Role: nu.Role, PasswordHash: hash, CreatedAt: s.cfg.Clock.Now()}
	ctx, cancel := storeCtx(c)
	defer cancel()
	if err := s.cfg.Users.CreateUser(ctx, u); err != nil {
		return nil, err
	}
	return u, nil
}

// login exchanges credentials for an access token. A wrong password and an
// unknown e-mail get the same answer in about the same time.
func (s *Server) login(c *fiber.Ctx) error {
	var req loginRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	email := roadshow.NormalizeEmail(req.Email)
	key := email
	if len(key) > roadshow.MaxEmailLen {
		// No account has such an address; one bucket for all of them keeps
		// the limiter's memory bounded.
		key = "(too long)"
	}
	if ok, wait := s.limiter.allow(c.IP() + "|" + key); !ok {
		c.Set(fiber.HeaderRetryAfter, strconv.Itoa(int(wait.Seconds())+1))
		return roadshow.Errorf(roadshow.ERATELIMITED, "Too many log-in attempts. Try again in %d seconds.", int(wait.Seconds())+1)
	}
	bad := roadshow.Errorf(roadshow.EUNAUTHORIZED, "Wrong e-mail or password.")
	// The password limit counts characters, as at registration.
	if email == "" || utf8.RuneCountInString(req.Password) > roadshow.MaxPasswordLen || len(email) > roadshow.MaxEmailLen {
		auth.CheckPassword("", req.Password)
		return bad
	}
	ctx, cancel := storeCtx(c)
	defer cancel()
	u, err := s.cfg.Users.UserByEmail(ctx, email)
	if roadshow.ErrorCode(err) == roadshow.ENOTFOUND {
		auth.CheckPassword("", req.Password)
		return bad
	} else if err != nil {
		return err
	}
	if !auth.CheckPassword(u.PasswordHash, req.Password) {
		return bad
	}
	token, exp, err := s.cfg.Tokens.Issue(u)
	if err != nil {
		return err
	}
	return c.JSON(loginResponse{Token: token, ExpiresAt: exp, User: u})
}

func (s *Server) me(c *fiber.Ctx) error {
	ctx, cancel := storeCtx(c)
	defer cancel()
	u, err := s.cfg.Users.UserByID(ctx, actorOf(c).UserID)
	if roadshow.ErrorCode(err) == roadshow.ENOTFOUND {
		return roadshow.Errorf(roadshow.EUNAUTHORIZED, "Your account no longer exists.")
	}
	if err != nil {
		return err
	}
	return c.JSON(u)
}

type optionsResponse struct {
	Stages     []string          `json:"stages"`
	Statuses   []roadshow.Status `json:"statuses"`
	Countries  []string          `json:"countries"`
	Currencies []string          `json:"currencies"`
	Roles      []roadshow.Role   `json:"roles"`
}

func (s *Server) getIndustries(c *fiber.Ctx) error {
	return c.JSON(roadshow.Industries())
}

func (s *Server) getOptions(c *fiber.Ctx) error {
	return c.JSON(optionsResponse{
		Stages: roadshow.Stages(), Statuses: roadshow.Statuses(), Countries: roadshow.Countries(),
		Currencies: roadshow.Currencies(),
		Roles:      []roadshow.Role{roadshow.RoleApplicant, roadshow.RoleJudge, roadshow.RoleInvestor, roadshow.RoleOrganizer},
	})
}
