package http

import (
	"github.com/gofiber/fiber/v2"
	"github.com/roadshow/roadshow/roadshow"
)

type meetingRequest struct {
	Note string `json:"note"`
}

// requestMeeting records an investor's request to meet a team: 201 the
// first time, 200 when they asked before (the note is replaced).
func (s *Server) requestMeeting(c *fiber.Ctx) error {
	id, err := applicationParam().read(c)
	if err != nil {
		return err
	}
	var req meetingRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	ctx, cancel := storeCtx(c)
	defer cancel()
	m, created, err := s.svc.Meetings.Request(ctx, actorOf(c), id, roadshow.MeetingInput{Note: req.Note})
	if err != nil {
		return err
	}
	status := fiber.StatusOK
	if created {
		status = fiber.StatusCreated
	}
	return c.Status(status).JSON(m)
}

// listMeetings answers the meeting requests the caller may see.
func (s *Server) listMeetings(c call) (listResponse[*roadshow.MeetingView], error) {
	list, err := s.svc.Meetings.List(c.ctx, c.actor)
	return listResponse[*roadshow.MeetingView]{Items: list}, err
}
