package http

import (
	"context"
	"net/url"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/utils"
	"github.com/roadshow/roadshow/internal/auth"
	"github.com/roadshow/roadshow/roadshow"
)

// The organizers' screening: the searchable list, the queue, neighbours for
// previous/next, single and bulk decisions, duplicates, and the deck read
// inline through a signed link.

type screeningRequest struct {
	Decision roadshow.Status          `json:"decision"`
	Reason   roadshow.ScreeningReason `json:"reason"`
	Note     string                   `json:"note"`
	// Version is the screeningVersion the organizer saw (absent: 0, a
	// first decision).
	Version *int `json:"version"`
}

func (r screeningRequest) input() roadshow.ScreeningInput {
	return roadshow.ScreeningInput{Decision: r.Decision, Reason: r.Reason, Note: r.Note, Version: r.Version}
}

type bulkScreeningRequest struct {
	screeningRequest
	Items []roadshow.BulkScreeningItem `json:"items"`
}

func (s *Server) screen(ctx context.Context, a roadshow.Actor, id string, req screeningRequest) (*roadshow.ApplicationView, error) {
	return s.svc.Applications.Screen(ctx, a, id, req.input())
}

func (s *Server) screenMany(ctx context.Context, a roadshow.Actor, req bulkScreeningRequest) (roadshow.BulkScreeningResponse, error) {
	if req.Version != nil {
		// Each item carries its own version; one for all would be a guess.
		return roadshow.BulkScreeningResponse{}, roadshow.FieldErrors(roadshow.EUNPROCESSABLE, "field.invalid",
			map[string]roadshow.Message{"version": roadshow.Msg("application.screening_version", nil)})
	}
	return s.svc.Applications.ScreenMany(ctx, a, req.Items, req.input())
}

// searchOf reads the list's query string.
func searchOf(c *fiber.Ctx) roadshow.ApplicationSearch {
	return roadshow.ApplicationSearch{
		Text:     utils.CopyString(c.Query("q")),
		Industry: utils.CopyString(c.Query("industry")),
		Status:   utils.CopyString(c.Query("status")),
		Sort:     utils.CopyString(c.Query("sort")),
		Cursor:   utils.CopyString(c.Query("cursor")),
		Limit:    queryLimit(c),
	}
}

func (s *Server) searchApplications(c call) (roadshow.ApplicationListPage, error) {
	return s.svc.Applications.Search(c.ctx, c.actor, searchOf(c.c))
}

func (s *Server) applicationNeighbors(c call) (roadshow.ApplicationNeighbors, error) {
	id, err := applicationParam().read(c.c)
	if err != nil {
		return roadshow.ApplicationNeighbors{}, err
	}
	return s.svc.Applications.Neighbors(c.ctx, c.actor, id, searchOf(c.c))
}

func (s *Server) queueNext(c call) (roadshow.ScreeningQueueNext, error) {
	after := utils.CopyString(c.c.Query("after"))
	if after != "" && !roadshow.ValidID(after) {
		return roadshow.ScreeningQueueNext{}, roadshow.NewError(roadshow.ENOTFOUND, "application.not_found", nil)
	}
	return s.svc.Applications.QueueNext(c.ctx, c.actor, after)
}

// deckLink is a signed link to read a deck inline, with what the page
// shows beside it.
type deckLink struct {
	URL       string    `json:"url"`
	ExpiresAt time.Time `json:"expiresAt"`
	Size      int64     `json:"size"`
	Pages     int       `json:"pages"` // 0: not known
}

// deckLink signs a link to the deck for the caller, who must be allowed to
// read it now (the same rule as the download). The deck is read once to
// count its pages.
func (s *Server) deckLink(c *fiber.Ctx) error {
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
	pages, err := roadshow.CountPDFPages(rc)
	rc.Close()
	if err != nil {
		return err
	}
	tok, exp := s.cfg.Tokens.SignDeck(accessOf(c), id, info.SHA256, auth.DeckLinkTTL)
	return c.Status(fiber.StatusCreated).JSON(deckLink{
		URL:       "/api/v1/applications/" + id + "/deck/view?t=" + url.QueryEscape(tok),
		ExpiresAt: exp, Size: info.Size, Pages: pages,
	})
}

// viewDeck serves a deck to a signed link (see deckLink), inline, for the
// browser's own PDF viewer in a same-origin frame. The link names the
// viewer, whose account must still accept its token and who must still be
// allowed to read the deck; a deck replaced since is not served.
func (s *Server) viewDeck(c *fiber.Ctx) error {
	id, err := applicationParam().read(c)
	if err != nil {
		return err
	}
	a, sha, err := s.cfg.Tokens.VerifyDeck(c.Query("t"), id)
	if a, err = s.checked(c, a, err); err != nil {
		return err
	}
	ctx, cancel := storeCtx(c)
	defer cancel()
	rc, info, err := s.svc.Applications.OpenDeck(ctx, a.Actor, id)
	if err != nil {
		return err
	}
	if info.SHA256 != sha {
		rc.Close()
		return roadshow.NewError(roadshow.ENOTFOUND, "application.deck_link_invalid", nil)
	}
	c.Set(fiber.HeaderContentType, "application/pdf")
	c.Set(fiber.HeaderContentDisposition, `inline; filename="deck-`+id+`.pdf"`)
	c.Set(fiber.HeaderETag, `"`+info.SHA256+`"`)
	c.Set("Cache-Control", "private, no-store")
	// Framed by our own pages only (the app's default is DENY / 'none').
	c.Set(fiber.HeaderXFrameOptions, "SAMEORIGIN")
	c.Set(fiber.HeaderContentSecurityPolicy, "frame-ancestors 'self'")
	c.Context().SetBodyStream(readCloser{rc, rc}, int(info.Size))
	return nil
}
