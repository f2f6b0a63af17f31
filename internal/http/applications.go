package http

import (
	"context"
	"io"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/utils"
	"github.com/roadshow/roadshow/roadshow"
)

type screeningRequest struct {
	Decision roadshow.Status `json:"decision"`
	Note     string          `json:"note"`
}

// appID reads and checks the :id parameter. A malformed id is simply not
// found: there is nothing to tell the caller beyond that.
func appID(c *fiber.Ctx) (string, error) {
	id := utils.CopyString(c.Params("id"))
	if !roadshow.ValidID(id) {
		return "", roadshow.Errorf(roadshow.ENOTFOUND, "Application not found.")
	}
	return id, nil
}

func (s *Server) createApplication(c *fiber.Ctx) error {
	var in roadshow.ApplicationInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	ctx, cancel := storeCtx(c)
	defer cancel()
	a, err := s.cfg.Applications.Create(ctx, actorOf(c), in)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(a)
}

func (s *Server) getApplication(c *fiber.Ctx) error {
	id, err := appID(c)
	if err != nil {
		return err
	}
	ctx, cancel := storeCtx(c)
	defer cancel()
	v, err := s.cfg.Sessions.ViewApplication(ctx, actorOf(c), id)
	if err != nil {
		return err
	}
	if v.Full != nil {
		return c.JSON(v.Full)
	}
	return c.JSON(v.Public)
}

func (s *Server) updateApplication(c *fiber.Ctx) error {
	id, err := appID(c)
	if err != nil {
		return err
	}
	var in roadshow.ApplicationInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	ctx, cancel := storeCtx(c)
	defer cancel()
	a, err := s.cfg.Applications.Update(ctx, actorOf(c), id, in)
	if err != nil {
		return err
	}
	return c.JSON(a)
}

func (s *Server) submitApplication(c *fiber.Ctx) error {
	return s.transition(c, s.cfg.Applications.Submit)
}

func (s *Server) withdrawApplication(c *fiber.Ctx) error {
	return s.transition(c, s.cfg.Applications.Withdraw)
}

func (s *Server) transition(c *fiber.Ctx, fn func(ctx context.Context, a roadshow.Actor, id string) (*roadshow.Application, error)) error {
	id, err := appID(c)
	if err != nil {
		return err
	}
	ctx, cancel := storeCtx(c)
	defer cancel()
	a, err := fn(ctx, actorOf(c), id)
	if err != nil {
		return err
	}
	return c.JSON(a)
}

func (s *Server) screenApplication(c *fiber.Ctx) error {
	id, err := appID(c)
	if err != nil {
		return err
	}
	var req screeningRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	ctx, cancel := storeCtx(c)
	defer cancel()
	a, err := s.cfg.Applications.Screen(ctx, actorOf(c), id, roadshow.ScreeningInput{Decision: req.Decision, Note: req.Note})
	if err != nil {
		return err
	}
	return c.JSON(a)
}

func (s *Server) listApplications(c *fiber.Ctx) error {
	f := roadshow.ApplicationFilter{
		Industry: utils.CopyString(c.Query("industry")),
		Status:   roadshow.Status(utils.CopyString(c.Query("status"))),
		Cursor:   utils.CopyString(c.Query("cursor")),
	}
	if l := c.Query("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 {
			return roadshow.FieldErrors(roadshow.EINVALID, "Invalid filter.", map[string]string{"limit": "Use a limit between 1 and 200."})
		}
		f.Limit = n
	}
	ctx, cancel := storeCtx(c)
	defer cancel()
	page, err := s.cfg.Applications.List(ctx, actorOf(c), f)
	if err != nil {
		return err
	}
	return c.JSON(page)
}

func (s *Server) applicationSummary(c *fiber.Ctx) error {
	ctx, cancel := storeCtx(c)
	defer cancel()
	sum, err := s.cfg.Applications.Summary(ctx, actorOf(c))
	if err != nil {
		return err
	}
	return c.JSON(sum)
}

// putDeck streams the raw PDF body into the deck store through the PDF
// check: the upload is never held whole in memory.
func (s *Server) putDeck(c *fiber.Ctx) error {
	c.Locals(drainLimitKey, int64(roadshow.MaxDeckSize))
	id, err := appID(c)
	if err != nil {
		return err
	}
	ct := strings.ToLower(string(c.Request().Header.ContentType()))
	if ct != "application/pdf" && ct != "application/octet-stream" {
		return roadshow.FieldErrors(roadshow.EUNPROCESSABLE, "The deck must be a PDF file.", map[string]string{"deck": "Send the PDF with Content-Type: application/pdf."})
	}
	if n := c.Request().Header.ContentLength(); n > roadshow.MaxDeckSize {
		return roadshow.Errorf(roadshow.ETOOLARGE, "The deck is larger than %d MB.", roadshow.MaxDeckSize>>20)
	}
	var body io.Reader
	if bs := bodyStream(c); bs != nil {
		body = bs
	} else {
		body = strings.NewReader(string(c.Body()))
	}
	// The upload streams from the client as it is stored: the deadline must
	// cover a slow connection, not one store call (each chunk write still
	// has its own).
	ctx, cancel := longCtx(c)
	defer cancel()
	a, err := s.cfg.Applications.PutDeck(ctx, actorOf(c), id, roadshow.NewPDFReader(body, roadshow.MaxDeckSize))
	if err != nil {
		return err
	}
	return c.JSON(a)
}

func (s *Server) getDeck(c *fiber.Ctx) error {
	id, err := appID(c)
	if err != nil {
		return err
	}
	ctx, cancel := storeCtx(c)
	defer cancel()
	rc, info, err := s.cfg.Sessions.OpenDeck(ctx, actorOf(c), id)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "application/pdf")
	c.Set(fiber.HeaderContentDisposition, `inline; filename="deck-`+id+`.pdf"`)
	c.Set(fiber.HeaderETag, `"`+info.SHA256+`"`)
	c.Set("Cache-Control", "private, no-store")
	// fasthttp reads the store chunk by chunk while it writes the response,
	// and closes rc when done.
	c.Context().SetBodyStream(rc, int(info.Size))
	return nil
}
