package http

import (
	"context"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/roadshow/roadshow/internal/auth"
	"github.com/roadshow/roadshow/internal/relay"
	"github.com/roadshow/roadshow/roadshow"
)

// roomAccess is what a participant needs to enter a session's live room:
// a room token (for the WebSocket, WHIP and WHEP), what it allows, the ICE
// servers to try, and where to connect.
type roomAccess struct {
	Token      string             `json:"token"`
	ExpiresAt  time.Time          `json:"expiresAt"`
	Grant      roadshow.RoomGrant `json:"grant"`
	ICEServers []relay.ICEServer  `json:"iceServers"`
	// WebSocket is the signaling path; add ?token=.
	WebSocket string `json:"websocket"`
	// WHIP and WHEP are the URLs for OBS Studio and WHEP players (send the
	// token as Authorization: Bearer).
	WHIP string `json:"whip"`
	WHEP string `json:"whep"`
}

type iceResponse struct {
	ICEServers []relay.ICEServer `json:"iceServers"`
}

type liveRoomResponse struct {
	Live bool           `json:"live"`
	Room relay.RoomInfo `json:"room"`
}

type muteRequest struct {
	ParticipantID string               `json:"participantId"`
	Source        roadshow.MediaSource `json:"source"`
	Muted         *bool                `json:"muted"`
}

type removeRequest struct {
	UserID string `json:"userId"`
	Reason string `json:"reason"`
}

// iceServers lists the STUN and TURN servers for a user, with fresh
// credentials.
func (s *Server) iceServers(userID string) ([]relay.ICEServer, error) {
	return s.cfg.ICE.Servers(userID, s.cfg.Clock.Now())
}

// roomToken issues a room token for the caller in the session: the most
// they may ever do there (Session.RoomCeiling), so a presenter can set up
// OBS Studio before their slot; each join checks the session's state.
func (s *Server) roomToken(ctx context.Context, actor roadshow.Actor, id string) (roomAccess, error) {
	entry, err := s.svc.Rooms.Enter(ctx, actor, id)
	if err != nil {
		return roomAccess{}, err
	}
	tok, exp, err := s.cfg.Tokens.IssueRoom(accessFrom(ctx), id, entry.Ceiling, s.cfg.RoomTokenTTL)
	if err != nil {
		return roomAccess{}, err
	}
	ice, err := s.iceServers(actor.UserID)
	if err != nil {
		return roomAccess{}, err
	}
	base := "/api/v1/sessions/" + id
	return roomAccess{Token: tok, ExpiresAt: exp, Grant: entry.Ceiling, ICEServers: ice,
		WebSocket: base + "/live", WHIP: s.publicBase() + base + "/whip", WHEP: s.publicBase() + base + "/whep"}, nil
}

// publicBase is the public URL when configured, else empty: the page then
// completes the WHIP and WHEP paths with its own origin.
func (s *Server) publicBase() string { return s.cfg.PublicURL }

// ice lists the ICE servers for a participant of the session.
func (s *Server) ice(ctx context.Context, actor roadshow.Actor, id string) (iceResponse, error) {
	if _, err := s.svc.Rooms.Enter(ctx, actor, id); err != nil {
		return iceResponse{}, err
	}
	list, err := s.iceServers(actor.UserID)
	return iceResponse{ICEServers: list}, err
}

// liveRoom tells a moderator who is in the room and what they publish.
func (s *Server) liveRoom(ctx context.Context, actor roadshow.Actor, id string) (liveRoomResponse, error) {
	entry, err := s.svc.Rooms.Enter(ctx, actor, id)
	if err != nil {
		return liveRoomResponse{}, err
	}
	if err := entry.Ceiling.CanModerate(); err != nil {
		return liveRoomResponse{}, err
	}
	info, live := s.cfg.Relay.Room(id)
	if !live {
		info = relay.RoomInfo{SessionID: id, Participants: []relay.ParticipantInfo{}}
	}
	return liveRoomResponse{Live: live, Room: info}, nil
}

// mute mutes or unmutes what a participant publishes (moderators).
func (s *Server) mute(ctx context.Context, actor roadshow.Actor, id string, req muteRequest) (liveRoomResponse, error) {
	var v roadshow.Validator
	v.Check(req.ParticipantID != "" && len(req.ParticipantID) <= 64, "participantId", "field.required", nil)
	v.Check(req.Source.Valid(), "source", "room.unknown_source", nil)
	v.Check(req.Muted != nil, "muted", "field.required", nil)
	if err := v.Err(roadshow.EUNPROCESSABLE, "field.invalid"); err != nil {
		return liveRoomResponse{}, err
	}
	entry, err := s.svc.Rooms.Enter(ctx, actor, id)
	if err != nil {
		return liveRoomResponse{}, err
	}
	if err := entry.Ceiling.CanModerate(); err != nil {
		return liveRoomResponse{}, err
	}
	by := relay.Peer{Actor: actor, Name: entry.Name, Own: entry.Own, Ceiling: entry.Ceiling}
	if err := s.cfg.Relay.Mute(entry.Session, by, req.ParticipantID, req.Source, *req.Muted); err != nil {
		return liveRoomResponse{}, err
	}
	return s.liveRoom(ctx, actor, id)
}

// remove takes a participant out of the room for good (organizers).
func (s *Server) remove(ctx context.Context, actor roadshow.Actor, id string, req removeRequest) (*roadshow.Session, error) {
	return s.svc.Rooms.Remove(ctx, actor, id, roadshow.RemoveInput{UserID: req.UserID, Reason: req.Reason})
}

// roomBearer authenticates a WHIP or WHEP request: a room token of this
// session (what OBS Studio is given) or an access token (API clients). It
// returns the caller and the ceiling of what the token allows; an access
// token's ceiling is whatever the session allows the caller.
func (s *Server) roomBearer(c *fiber.Ctx, sessionID string) (auth.Access, *roadshow.RoomGrant, error) {
	scheme, token, ok := strings.Cut(c.Get(fiber.HeaderAuthorization), " ")
	token = strings.TrimSpace(token)
	if !ok || !strings.EqualFold(scheme, "Bearer") || token == "" {
		return auth.Access{}, nil, roadshow.NewError(roadshow.EUNAUTHORIZED, "auth.login_required", nil)
	}
	if a, grant, err := s.cfg.Tokens.VerifyRoomAccess(token, sessionID); err == nil {
		if a, err = s.checked(c, a, nil); err != nil {
			return auth.Access{}, nil, err
		}
		return a, &grant, nil
	} else if roadshow.ErrorCode(err) == roadshow.EUNAUTHORIZED && strings.Contains(roadshow.ErrorMsg(err).Key, "other_session") {
		return auth.Access{}, nil, err
	}
	a, err := s.verifyAccess(c, token)
	if err != nil {
		return auth.Access{}, nil, err
	}
	return a, nil, nil
}

// admit checks, before any SDP is read, that the caller may be in the
// room now: the session's state decides (404, 403, 409). The peer keeps
// the token it came with, which the relay asks again when the account's
// tokens are revoked.
func (s *Server) admit(ctx context.Context, access auth.Access, id string, tokenGrant *roadshow.RoomGrant) (relay.Peer, *roadshow.Session, error) {
	actor := access.Actor
	entry, err := s.svc.Rooms.Enter(ctx, actor, id)
	if err != nil {
		return relay.Peer{}, nil, err
	}
	if _, err := entry.Session.RoomGrant(actor, entry.Own); err != nil {
		return relay.Peer{}, nil, err
	}
	ceiling := entry.Ceiling
	if tokenGrant != nil {
		ceiling = tokenGrant.Within(entry.Ceiling)
	}
	valid := func() bool { return s.stillValid(access, s.cfg.Clock.Now()) }
	return relay.Peer{Actor: actor, Name: entry.Name, Own: entry.Own, Ceiling: ceiling, Valid: valid}, entry.Session, nil
}

// maxSDP bounds an offer; a browser's is a few KB.
const maxSDP = 64 << 10

// media answers a WHIP (publish) or WHEP offer (RFC 9725): 201 with the SDP
// answer, its resource in Location and the ICE servers in Link headers.
func (s *Server) media(kind string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, err := sessionParam().read(c)
		if err != nil {
			return err
		}
		access, tokenGrant, err := s.roomBearer(c, id)
		if err != nil {
			return err
		}
		actor := access.Actor
		ctx, cancel := context.WithTimeout(c.UserContext(), StoreTimeout)
		defer cancel()
		peer, se, err := s.admit(ctx, access, id, tokenGrant)
		if err != nil {
			return err
		}
		if ct := strings.ToLower(strings.TrimSpace(strings.Split(string(c.Request().Header.ContentType()), ";")[0])); ct != "application/sdp" {
			return roadshow.NewError(roadshow.EINVALID, "request.sdp_content_type", nil)
		}
		body, err := readBody(c, maxSDP)
		if err != nil {
			return err
		}
		var answer, res string
		if kind == "whip" {
			answer, res, err = s.cfg.Relay.WHIP(ctx, se, peer, string(body))
		} else {
			answer, res, err = s.cfg.Relay.WHEP(ctx, se, peer, string(body))
		}
		if err != nil {
			return err
		}
		if servers, err := s.iceServers(actor.UserID); err == nil {
			if links, err := relay.LinkHeaders(servers); err == nil {
				for _, l := range links {
					c.Response().Header.Add(fiber.HeaderLink, l)
				}
			}
		}
		c.Set(fiber.HeaderLocation, "/api/v1/sessions/"+id+"/"+kind+"/"+res)
		c.Set(fiber.HeaderContentType, "application/sdp")
		return c.Status(fiber.StatusCreated).SendString(answer)
	}
}

// resourceParam is a WHIP or WHEP resource id, as the relay makes them.
func resourceParam(c *fiber.Ctx) (string, error) {
	res := c.Params("resource")
	if len(res) != 24 || strings.Trim(res, "0123456789abcdef") != "" {
		return "", roadshow.NewError(roadshow.ENOTFOUND, "room.no_such_resource", nil)
	}
	return strings.Clone(res), nil
}

// mediaResource reads what a request on a WHIP or WHEP resource names: the
// session, the caller (by a room or access token) and the resource.
func (s *Server) mediaResource(c *fiber.Ctx) (id string, caller roadshow.Actor, res string, err error) {
	if id, err = sessionParam().read(c); err != nil {
		return "", roadshow.Actor{}, "", err
	}
	access, _, err := s.roomBearer(c, id)
	if err != nil {
		return "", roadshow.Actor{}, "", err
	}
	if res, err = resourceParam(c); err != nil {
		return "", roadshow.Actor{}, "", err
	}
	return id, access.Actor, res, nil
}

// hangup ends a WHIP publication or a WHEP playback: DELETE on its
// resource, by whoever made it.
func (s *Server) hangup(c *fiber.Ctx) error {
	id, actor, res, err := s.mediaResource(c)
	if err != nil {
		return err
	}
	if err := s.cfg.Relay.Hangup(id, res, actor.UserID); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusOK)
}

// trickle adds the ICE candidates of a PATCH with an SDP fragment
// (application/trickle-ice-sdpfrag, RFC 8840) to a WHIP or WHEP resource.
func (s *Server) trickle(c *fiber.Ctx) error {
	id, actor, res, err := s.mediaResource(c)
	if err != nil {
		return err
	}
	if ct := strings.ToLower(string(c.Request().Header.ContentType())); !strings.HasPrefix(ct, "application/trickle-ice-sdpfrag") {
		return roadshow.NewError(roadshow.EINVALID, "request.sdpfrag_content_type", nil)
	}
	body, err := readBody(c, maxSDP)
	if err != nil {
		return err
	}
	if err := s.cfg.Relay.Trickle(id, res, actor.UserID, relay.ParseSDPFragment(string(body))); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

// mediaOptions answers a WHIP or WHEP client's OPTIONS: what it may post.
func mediaOptions(c *fiber.Ctx) error {
	c.Set("Accept-Post", "application/sdp")
	c.Set(fiber.HeaderAllow, "OPTIONS, POST")
	return c.SendStatus(fiber.StatusNoContent)
}
