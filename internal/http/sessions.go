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
	Values      map[string]int `json:"values"`
	Comment     string         `json:"comment"`
	TeamComment string         `json:"teamComment"`
}

// finalRequest names the version of the score the judge saw acknowledged.
type finalRequest struct {
	Version *int `json:"version"`
}

// publishRequest confirms the gaps of the completeness report (its
// gapsDigest), when it has any.
type publishRequest struct {
	ConfirmGaps string `json:"confirmGaps"`
}

type withdrawRequest struct {
	Reason string `json:"reason"`
}

type progressResponse struct {
	Progress []roadshow.TeamProgress    `json:"progress"`
	Scores   []roadshow.JudgeScoreTotal `json:"scores,omitempty"`
}

func (s *Server) putEdition(ctx context.Context, a roadshow.Actor, req editionRequest) (roadshow.Edition, error) {
	in := roadshow.EditionInput{Name: req.Name, Rubric: req.Rubric}
	if req.Deadline != nil {
		if *req.Deadline == "" {
			in.ClearDeadline = true
		} else {
			d, err := parseTime(*req.Deadline, "deadline", "2026-12-01T16:00:00+08:00")
			if err != nil {
				return roadshow.Edition{}, err
			}
			in.Deadline = &d
		}
	}
	return s.svc.Editions.Save(ctx, a, in)
}

// parseTime reads an RFC 3339 time; the refusal names the field and shows
// an example.
func parseTime(s, field, example string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, roadshow.FieldErrors(roadshow.EUNPROCESSABLE, "field.invalid",
			map[string]roadshow.Message{field: roadshow.Msg("field.rfc3339", roadshow.Args{"example": example})})
	}
	return t, nil
}

func (s *Server) planSessions(c call) (roadshow.PlanResult, error) {
	var req planRequest
	if err := decodeJSON(c.c, &req); err != nil {
		return roadshow.PlanResult{}, err
	}
	in := roadshow.PlanRequest{Industries: req.Industries, MaxPerSession: req.MaxPerSession, SlotMinutes: req.SlotMinutes,
		DayStart: req.DayStart, DayEnd: req.DayEnd, Days: req.Days, Tracks: req.Tracks}
	if req.FirstStart != "" {
		t, err := parseTime(req.FirstStart, "firstStart", "2026-12-07T09:00:00+08:00")
		if err != nil {
			return roadshow.PlanResult{}, err
		}
		in.FirstStart = t
	}
	return s.svc.Planning.Plan(c.ctx, c.actor, in)
}

func (s *Server) moveTeam(ctx context.Context, a roadshow.Actor, id string, req moveRequest) (roadshow.MoveResult, error) {
	if !roadshow.ValidID(req.ApplicationID) || (req.ToSessionID != "" && !roadshow.ValidID(req.ToSessionID)) {
		return roadshow.MoveResult{}, roadshow.NewError(roadshow.ENOTFOUND, "session.move_target_not_found", nil)
	}
	return s.svc.Sessions.Move(ctx, a, id, roadshow.MoveInput{ApplicationID: req.ApplicationID, ToSessionID: req.ToSessionID, ToIndex: req.ToIndex})
}

// previewMove shows where the team ?applicationId= would pitch in each
// session it could move to.
func (s *Server) previewMove(c call) (roadshow.MovePreview, error) {
	id, err := sessionParam().read(c.c)
	if err != nil {
		return roadshow.MovePreview{}, err
	}
	appID := utils.CopyString(c.c.Query("applicationId"))
	if !roadshow.ValidID(appID) {
		return roadshow.MovePreview{}, roadshow.FieldErrors(roadshow.EUNPROCESSABLE, "session.team_not_in_session",
			map[string]roadshow.Message{"applicationId": roadshow.Msg("session.team_not_here", nil)})
	}
	return s.svc.Sessions.PreviewMove(c.ctx, c.actor, id, appID)
}

// maxOrderLen bounds a reorder request before it reaches a session: no
// session holds more teams than the planner's largest, five times over.
const maxOrderLen = roadshow.PlanMaxPerSession * 5

func (s *Server) reorderSession(ctx context.Context, a roadshow.Actor, id string, req orderRequest) (roadshow.MoveResult, error) {
	if len(req.ApplicationIDs) > maxOrderLen {
		return roadshow.MoveResult{}, roadshow.NewError(roadshow.EUNPROCESSABLE, "session.order_too_long", nil)
	}
	return s.svc.Sessions.Reorder(ctx, a, id, req.ApplicationIDs)
}

// addParticipant assigns a judge or invites an investor (role).
func (s *Server) addParticipant(role roadshow.Role) func(context.Context, roadshow.Actor, string, participantRequest) (*roadshow.Session, error) {
	return func(ctx context.Context, a roadshow.Actor, id string, req participantRequest) (*roadshow.Session, error) {
		return s.setParticipant(ctx, a, id, role, req.UserID, true)
	}
}

// removeParticipant takes a judge or an investor (role) off a session.
func (s *Server) removeParticipant(role roadshow.Role) func(call) (*roadshow.Session, error) {
	return func(c call) (*roadshow.Session, error) {
		id, err := sessionParam().read(c.c)
		if err != nil {
			return nil, err
		}
		return s.setParticipant(c.ctx, c.actor, id, role, utils.CopyString(c.c.Params("userId")), false)
	}
}

func (s *Server) setParticipant(ctx context.Context, a roadshow.Actor, id string, role roadshow.Role, userID string, add bool) (*roadshow.Session, error) {
	if !roadshow.ValidID(userID) {
		return nil, roadshow.FieldErrors(roadshow.EUNPROCESSABLE, "session.account_choose",
			map[string]roadshow.Message{"userId": roadshow.Msg("session.account_unknown", nil)})
	}
	return s.svc.Sessions.SetParticipant(ctx, a, id, role, userID, add)
}

func (s *Server) declareConflict(ctx context.Context, a roadshow.Actor, id string, req conflictRequest) (*roadshow.Conflict, error) {
	if req.JudgeID != "" && !roadshow.ValidID(req.JudgeID) {
		return nil, roadshow.FieldErrors(roadshow.EUNPROCESSABLE, "conflict.judge_choose",
			map[string]roadshow.Message{"judgeId": roadshow.Msg("conflict.not_judge", nil)})
	}
	return s.svc.Judging.DeclareConflict(ctx, a, id, req.JudgeID, req.Reason)
}

// scoreTarget reads the session and the team of a score route.
func scoreTarget(c *fiber.Ctx) (string, string, error) {
	sid, err := sessionParam().read(c)
	if err != nil {
		return "", "", err
	}
	aid, err := teamParam().read(c)
	return sid, aid, err
}

// maxScoreValues bounds the values of a score before the rubric sees them.
const maxScoreValues = 50

func (s *Server) saveScore(c call) (*roadshow.Score, error) {
	sid, aid, err := scoreTarget(c.c)
	if err != nil {
		return nil, err
	}
	var req scoreRequest
	if err := decodeJSON(c.c, &req); err != nil {
		return nil, err
	}
	if len(req.Values) > maxScoreValues {
		return nil, roadshow.NewError(roadshow.EUNPROCESSABLE, "score.too_many_values", nil)
	}
	return s.svc.Judging.SaveScore(c.ctx, c.actor, sid, aid, roadshow.ScoreInput{Values: req.Values, Comment: req.Comment, TeamComment: req.TeamComment})
}

func (s *Server) finalizeScore(c call) (*roadshow.Score, error) {
	sid, aid, err := scoreTarget(c.c)
	if err != nil {
		return nil, err
	}
	var req finalRequest
	if err := decodeJSON(c.c, &req); err != nil {
		return nil, err
	}
	if req.Version == nil || *req.Version < 1 {
		return nil, roadshow.FieldErrors(roadshow.EUNPROCESSABLE, "field.invalid",
			map[string]roadshow.Message{"version": roadshow.Msg("score.version_required", nil)})
	}
	return s.svc.Judging.FinalizeScore(c.ctx, c.actor, sid, aid, *req.Version)
}

func (s *Server) publishResults(ctx context.Context, a roadshow.Actor, id string, req publishRequest) (*roadshow.Session, error) {
	return s.svc.Results.Publish(ctx, a, id, roadshow.PublishInput{ConfirmGaps: req.ConfirmGaps})
}

func (s *Server) withdrawResults(ctx context.Context, a roadshow.Actor, id string, req withdrawRequest) (*roadshow.Session, error) {
	return s.svc.Results.Withdraw(ctx, a, id, req.Reason)
}

func (s *Server) sessionProgress(ctx context.Context, a roadshow.Actor, id string) (progressResponse, error) {
	prog, totals, err := s.svc.Judging.SessionProgress(ctx, a, id)
	return progressResponse{Progress: prog, Scores: totals}, err
}

type calendarLink struct {
	URL       string    `json:"url"`
	ExpiresAt time.Time `json:"expiresAt"`
}

// calendarLink returns a feed URL that calendar apps can poll: they cannot
// send a bearer token, so the URL carries a read-only calendar token, which
// stops working when the account's tokens are revoked or the link is
// regenerated.
func (s *Server) calendarLink(c *fiber.Ctx) error {
	ctx, cancel := storeCtx(c)
	defer cancel()
	u, err := s.svc.Users.Me(ctx, actorOf(c))
	if err != nil {
		return err
	}
	return s.sendCalendarLink(c, u)
}

// regenerateCalendarLink makes the caller's earlier calendar links stop
// working and returns a new one.
func (s *Server) regenerateCalendarLink(c *fiber.Ctx) error {
	ctx, cancel := storeCtx(c)
	defer cancel()
	u, err := s.svc.Users.RegenerateCalendar(ctx, actorOf(c))
	if err != nil {
		return err
	}
	return s.sendCalendarLink(c, u)
}

func (s *Server) sendCalendarLink(c *fiber.Ctx, u *roadshow.User) error {
	tok, exp, err := s.cfg.Tokens.IssueCalendar(u)
	if err != nil {
		return err
	}
	return c.JSON(calendarLink{URL: s.linkBase(c) + "/api/v1/me/calendar.ics?token=" + tok, ExpiresAt: exp})
}

// calendar serves the caller's sessions as iCalendar, authenticated by a
// bearer token or a calendar token in the query.
func (s *Server) calendar(c *fiber.Ctx) error {
	var actor roadshow.Actor
	if tok := c.Query("token"); tok != "" {
		a, err := s.cfg.Tokens.VerifyCalendar(tok)
		if a, err = s.checked(c, a, err); err != nil {
			return err
		}
		actor = a.Actor
	} else {
		if err := s.authenticate(c); err != nil {
			return err
		}
		actor = actorOf(c)
	}
	ctx, cancel := storeCtx(c)
	defer cancel()
	entries, err := s.svc.Sessions.CalendarEntries(ctx, actor)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "text/calendar; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, `inline; filename="roadshow.ics"`)
	return c.SendString(roadshow.BuildICS("Roadshow", entries, s.cfg.Clock.Now()))
}
