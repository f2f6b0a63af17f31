package http

import (
	"context"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/utils"
	"github.com/roadshow/roadshow/roadshow"
)

type editionRequest struct {
	Name     *string          `json:"name"`
	Deadline *string          `json:"deadline"` // RFC 3339, or "" to clear
	Rubric   *roadshow.Rubric `json:"rubric"`
}

type planRequest struct {
	Industries    []string `json:"industries"`
	MaxPerSession int      `json:"maxPerSession"`
	SlotMinutes   int      `json:"slotMinutes"`
	FirstStart    string   `json:"firstStart"`
	DayStart      string   `json:"dayStart"`
	DayEnd        string   `json:"dayEnd"`
	Days          int      `json:"days"`
	Tracks        int      `json:"tracks"`
}

type moveRequest struct {
	ApplicationID string `json:"applicationId"`
	ToSessionID   string `json:"toSessionId"`
	ToIndex       int    `json:"toIndex"`
}

type orderRequest struct {
	ApplicationIDs []string `json:"applicationIds"`
}

type participantRequest struct {
	UserID string `json:"userId"`
}

type conflictRequest struct {
	JudgeID string `json:"judgeId"`
	Reason  string `json:"reason"`
}

type scoreRequest struct {
	Values  map[string]int `json:"values"`
	Comment string         `json:"comment"`
}

type listResponse[T any] struct {
	Items []T `json:"items"`
}

type progressResponse struct {
	Progress []roadshow.TeamProgress    `json:"progress"`
	Scores   []roadshow.JudgeScoreTotal `json:"scores,omitempty"`
}

// sessionID reads and checks :id as a session id.
func sessionID(c *fiber.Ctx) (string, error) {
	id := utils.CopyString(c.Params("id"))
	if !roadshow.ValidID(id) {
		return "", roadshow.Errorf(roadshow.ENOTFOUND, "Session not found.")
	}
	return id, nil
}

func (s *Server) getEdition(c *fiber.Ctx) error {
	ctx, cancel := storeCtx(c)
	defer cancel()
	e, err := s.cfg.Sessions.Edition(ctx)
	if err != nil {
		return err
	}
	return c.JSON(e)
}

func (s *Server) putEdition(c *fiber.Ctx) error {
	var req editionRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	in := roadshow.EditionInput{Name: req.Name, Rubric: req.Rubric}
	if req.Deadline != nil {
		if *req.Deadline == "" {
			in.ClearDeadline = true
		} else {
			d, err := time.Parse(time.RFC3339, *req.Deadline)
			if err != nil {
				return roadshow.FieldErrors(roadshow.EUNPROCESSABLE, "Some fields need attention.", map[string]string{"deadline": "Use RFC 3339, e.g. 2026-12-01T16:00:00+08:00."})
			}
			in.Deadline = &d
		}
	}
	ctx, cancel := storeCtx(c)
	defer cancel()
	e, err := s.cfg.Sessions.SaveEdition(ctx, actorOf(c), in)
	if err != nil {
		return err
	}
	return c.JSON(e)
}

func (s *Server) planSessions(c *fiber.Ctx) error {
	var req planRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	in := roadshow.PlanRequest{Industries: req.Industries, MaxPerSession: req.MaxPerSession, SlotMinutes: req.SlotMinutes,
		DayStart: req.DayStart, DayEnd: req.DayEnd, Days: req.Days, Tracks: req.Tracks}
	if req.FirstStart != "" {
		t, err := time.Parse(time.RFC3339, req.FirstStart)
		if err != nil {
			return roadshow.FieldErrors(roadshow.EUNPROCESSABLE, "Some fields need attention.", map[string]string{"firstStart": "Use RFC 3339, e.g. 2026-12-07T09:00:00+08:00."})
		}
		in.FirstStart = t
	}
	ctx, cancel := longCtx(c)
	defer cancel()
	res, err := s.cfg.Sessions.Plan(ctx, actorOf(c), in)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(res)
}

func (s *Server) listSessions(c *fiber.Ctx) error {
	ctx, cancel := storeCtx(c)
	defer cancel()
	list, err := s.cfg.Sessions.List(ctx, actorOf(c))
	if err != nil {
		return err
	}
	return c.JSON(listResponse[*roadshow.Session]{Items: list})
}

func (s *Server) getSession(c *fiber.Ctx) error {
	id, err := sessionID(c)
	if err != nil {
		return err
	}
	ctx, cancel := storeCtx(c)
	defer cancel()
	se, err := s.cfg.Sessions.Get(ctx, actorOf(c), id)
	if err != nil {
		return err
	}
	return c.JSON(se)
}

// sessionAction runs one of the organizer's controls (start, next, end, ...).
func (s *Server) sessionAction(fn func(*roadshow.Sessions, context.Context, roadshow.Actor, string) (*roadshow.Session, error)) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, err := sessionID(c)
		if err != nil {
			return err
		}
		ctx, cancel := storeCtx(c)
		defer cancel()
		se, err := fn(s.cfg.Sessions, ctx, actorOf(c), id)
		if err != nil {
			return err
		}
		return c.JSON(se)
	}
}

func (s *Server) moveTeam(c *fiber.Ctx) error {
	id, err := sessionID(c)
	if err != nil {
		return err
	}
	var req moveRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	if !roadshow.ValidID(req.ApplicationID) || (req.ToSessionID != "" && !roadshow.ValidID(req.ToSessionID)) {
		return roadshow.Errorf(roadshow.ENOTFOUND, "Application or session not found.")
	}
	ctx, cancel := storeCtx(c)
	defer cancel()
	res, err := s.cfg.Sessions.Move(ctx, actorOf(c), id, roadshow.MoveInput{ApplicationID: req.ApplicationID, ToSessionID: req.ToSessionID, ToIndex: req.ToIndex})
	if err != nil {
		return err
	}
	return c.JSON(res)
}

func (s *Server) reorderSession(c *fiber.Ctx) error {
	id, err := sessionID(c)
	if err != nil {
		return err
	}
	var req orderRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	if len(req.ApplicationIDs) > roadshow.PlanMaxPerSession*5 {
		return roadshow.Errorf(roadshow.EUNPROCESSABLE, "Too many teams.")
	}
	ctx, cancel := storeCtx(c)
	defer cancel()
	res, err := s.cfg.Sessions.Reorder(ctx, actorOf(c), id, req.ApplicationIDs)
	if err != nil {
		return err
	}
	return c.JSON(res)
}

// participant adds (add) or removes a judge or investor.
func (s *Server) participant(role roadshow.Role, add bool) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, err := sessionID(c)
		if err != nil {
			return err
		}
		var userID string
		if add {
			var req participantRequest
			if err := decodeJSON(c, &req); err != nil {
				return err
			}
			userID = req.UserID
		} else {
			userID = utils.CopyString(c.Params("userId"))
		}
		if !roadshow.ValidID(userID) {
			return roadshow.FieldErrors(roadshow.EUNPROCESSABLE, "Choose an account.", map[string]string{"userId": "Unknown account."})
		}
		ctx, cancel := storeCtx(c)
		defer cancel()
		se, err := s.cfg.Sessions.SetParticipant(ctx, actorOf(c), id, role, userID, add)
		if err != nil {
			return err
		}
		return c.JSON(se)
	}
}

func (s *Server) listUsers(c *fiber.Ctx) error {
	ctx, cancel := storeCtx(c)
	defer cancel()
	users, err := s.cfg.Sessions.People(ctx, actorOf(c), roadshow.Role(c.Query("role")))
	if err != nil {
		return err
	}
	return c.JSON(listResponse[*roadshow.User]{Items: users})
}

func (s *Server) declareConflict(c *fiber.Ctx) error {
	id, err := appID(c)
	if err != nil {
		return err
	}
	var req conflictRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	if req.JudgeID != "" && !roadshow.ValidID(req.JudgeID) {
		return roadshow.FieldErrors(roadshow.EUNPROCESSABLE, "Choose a judge.", map[string]string{"judgeId": "Not a judge."})
	}
	ctx, cancel := storeCtx(c)
	defer cancel()
	conflict, err := s.cfg.Sessions.DeclareConflict(ctx, actorOf(c), id, req.JudgeID, req.Reason)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(conflict)
}

func (s *Server) listConflicts(c *fiber.Ctx) error {
	id, err := appID(c)
	if err != nil {
		return err
	}
	ctx, cancel := storeCtx(c)
	defer cancel()
	list, err := s.cfg.Sessions.Conflicts(ctx, actorOf(c), id)
	if err != nil {
		return err
	}
	return c.JSON(listResponse[*roadshow.Conflict]{Items: list})
}

func scoreTarget(c *fiber.Ctx) (string, string, error) {
	sid, err := sessionID(c)
	if err != nil {
		return "", "", err
	}
	aid := utils.CopyString(c.Params("applicationId"))
	if !roadshow.ValidID(aid) {
		return "", "", roadshow.Errorf(roadshow.ENOTFOUND, "That team is not in this session.")
	}
	return sid, aid, nil
}

func (s *Server) saveScore(c *fiber.Ctx) error {
	sid, aid, err := scoreTarget(c)
	if err != nil {
		return err
	}
	var req scoreRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	if len(req.Values) > 50 {
		return roadshow.Errorf(roadshow.EUNPROCESSABLE, "Too many criteria.")
	}
	ctx, cancel := storeCtx(c)
	defer cancel()
	sc, err := s.cfg.Sessions.SaveScore(ctx, actorOf(c), sid, aid, roadshow.ScoreInput{Values: req.Values, Comment: req.Comment})
	if err != nil {
		return err
	}
	return c.JSON(sc)
}

func (s *Server) finalizeScore(c *fiber.Ctx) error {
	sid, aid, err := scoreTarget(c)
	if err != nil {
		return err
	}
	ctx, cancel := storeCtx(c)
	defer cancel()
	sc, err := s.cfg.Sessions.FinalizeScore(ctx, actorOf(c), sid, aid)
	if err != nil {
		return err
	}
	return c.JSON(sc)
}

func (s *Server) myScores(c *fiber.Ctx) error {
	id, err := sessionID(c)
	if err != nil {
		return err
	}
	ctx, cancel := storeCtx(c)
	defer cancel()
	list, err := s.cfg.Sessions.MyScores(ctx, actorOf(c), id)
	if err != nil {
		return err
	}
	return c.JSON(listResponse[*roadshow.Score]{Items: list})
}

func (s *Server) scoreLog(c *fiber.Ctx) error {
	id, err := sessionID(c)
	if err != nil {
		return err
	}
	ctx, cancel := storeCtx(c)
	defer cancel()
	list, err := s.cfg.Sessions.ScoreLog(ctx, actorOf(c), id)
	if err != nil {
		return err
	}
	return c.JSON(listResponse[*roadshow.ScoreLogEntry]{Items: list})
}

func (s *Server) sessionProgress(c *fiber.Ctx) error {
	id, err := sessionID(c)
	if err != nil {
		return err
	}
	ctx, cancel := storeCtx(c)
	defer cancel()
	prog, totals, err := s.cfg.Sessions.SessionProgress(ctx, actorOf(c), id)
	if err != nil {
		return err
	}
	return c.JSON(progressResponse{Progress: prog, Scores: totals})
}

func (s *Server) sessionResults(c *fiber.Ctx) error {
	id, err := sessionID(c)
	if err != nil {
		return err
	}
	ctx, cancel := storeCtx(c)
	defer cancel()
	res, err := s.cfg.Sessions.Results(ctx, actorOf(c), id)
	if err != nil {
		return err
	}
	return c.JSON(res)
}

func (s *Server) industryResults(c *fiber.Ctx) error {
	ctx, cancel := longCtx(c)
	defer cancel()
	res, err := s.cfg.Sessions.IndustryResults(ctx, actorOf(c), utils.CopyString(c.Query("industry")))
	if err != nil {
		return err
	}
	return c.JSON(res)
}

type calendarLink struct {
	URL       string    `json:"url"`
	ExpiresAt time.Time `json:"expiresAt"`
}

// calendarLink returns a feed URL that calendar apps can poll: they cannot
// send a bearer token, so the URL carries a read-only calendar token.
func (s *Server) calendarLink(c *fiber.Ctx) error {
	tok, exp, err := s.cfg.Tokens.IssueCalendar(actorOf(c))
	if err != nil {
		return err
	}
	base := s.cfg.PublicURL
	if base == "" {
		base = c.BaseURL()
	}
	return c.JSON(calendarLink{URL: base + "/api/v1/me/calendar.ics?token=" + tok, ExpiresAt: exp})
}

// calendar serves the caller's sessions as iCalendar, authenticated by a
// bearer token or a calendar token in the query.
func (s *Server) calendar(c *fiber.Ctx) error {
	var actor roadshow.Actor
	if tok := c.Query("token"); tok != "" {
		a, err := s.cfg.Tokens.VerifyCalendar(tok)
		if err != nil {
			return err
		}
		actor = a
	} else {
		if err := s.authenticate(c); err != nil {
			return err
		}
		actor = actorOf(c)
	}
	ctx, cancel := storeCtx(c)
	defer cancel()
	entries, err := s.cfg.Sessions.CalendarEntries(ctx, actor)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "text/calendar; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, `inline; filename="roadshow.ics"`)
	return c.SendString(roadshow.BuildICS("Roadshow", entries, s.cfg.Clock.Now()))
}
