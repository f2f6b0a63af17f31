package http

import (
	"context"
	"io"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/utils"
	"github.com/roadshow/roadshow/roadshow"
)

// getApplication answers the whole application, with what the caller may
// do with it, or only its public part.
func (s *Server) getApplication(ctx context.Context, a roadshow.Actor, id string) (any, error) {
	read, err := s.svc.Applications.Get(ctx, a, id)
	if err != nil {
		return nil, err
	}
	if read.Full != nil {
		return read.Full, nil
	}
	return read.Public, nil
}

func (s *Server) listApplications(c call) (roadshow.ApplicationPage, error) {
	f := roadshow.ApplicationFilter{
		Industry: utils.CopyString(c.c.Query("industry")),
		Status:   roadshow.Status(utils.CopyString(c.c.Query("status"))),
		Cursor:   utils.CopyString(c.c.Query("cursor")),
	}
	f.Limit = queryLimit(c.c)
	return s.svc.Applications.List(c.ctx, c.actor, f)
}

// putDeck streams the raw PDF body into the deck store through the PDF
// check: the upload is never held whole in memory.
func (s *Server) putDeck(c *fiber.Ctx) error {
	c.Locals(drainLimitKey, int64(roadshow.MaxDeckSize))
	id, err := applicationParam().read(c)
	if err != nil {
		return err
	}
	ct := strings.ToLower(string(c.Request().Header.ContentType()))
	if ct != "application/pdf" && ct != "application/octet-stream" {
		return roadshow.FieldErrors(roadshow.EUNPROCESSABLE, "application.deck_not_pdf",
			map[string]roadshow.Message{"deck": roadshow.Msg("application.deck_content_type", nil)})
	}
	if n := c.Request().Header.ContentLength(); n > roadshow.MaxDeckSize {
		return roadshow.NewError(roadshow.ETOOLARGE, "application.deck_too_large", roadshow.Args{"maxMB": roadshow.MaxDeckSize >> 20})
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
	a, err := s.svc.Applications.PutDeck(ctx, actorOf(c), id, roadshow.NewPDFReader(body, roadshow.MaxDeckSize))
	if err != nil {
		return err
	}
	return c.JSON(a)
}

func (s *Server) getDeck(c *fiber.Ctx) error {
	id, err := applicationParam().read(c)
	if err != nil {
		return err
	}
	ctx, cancel := storeCtx(c)
	defer cancel()
	rc, info, err := s.svc.Applications.OpenDeck(ctx, actorOf(c), id)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "application/pdf")
	c.Set(fiber.HeaderContentDisposition, `inline; filename="deck-`+id+`.pdf"`)
	// Private, and revalidated each time: the deck may change while the
	// application is a draft, and 304 costs nothing to send.
	c.Set("Cache-Control", "private, no-cache")
	return sendDeck(c, rc, info.Size, `"`+info.SHA256+`"`)
}
