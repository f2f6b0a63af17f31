package roadshow

import (
	"context"
	"strings"
	"unicode/utf8"
)

// RoomService admits people to the live room of a session and keeps the
// organizers' removals. It decides; the relay (internal/relay) enforces,
// deriving each participant's grant from the session (Session.RoomGrant)
// again at every change.
type RoomService struct {
	Sessions *SessionService
	Users    UserStore
	Clock    Clock
}

// RoomEntry is what the relay needs to admit one participant.
type RoomEntry struct {
	// Session is the whole session: the relay derives every grant from it.
	Session *Session
	// Own is the set of the applicant's applications in the session.
	Own map[string]bool
	// Name is how the other participants see them.
	Name string
	// Ceiling is the most they may do in the room (Session.RoomCeiling):
	// what a room token carries.
	Ceiling RoomGrant
}

// Enter returns what admits the actor to the session's room, whether it is
// live yet or not (a room token is issued ahead of time).
//
// Returns ENOTFOUND when the actor takes no part in the session, EFORBIDDEN
// when they were removed from its room, ECONFLICT when it is over,
// EUNAUTHORIZED when their account is gone.
func (s *RoomService) Enter(ctx context.Context, actor Actor, sessionID string) (RoomEntry, error) {
	se, err := s.Sessions.load(ctx, sessionID)
	if err != nil {
		return RoomEntry{}, err
	}
	own, err := s.Sessions.owned(ctx, actor, se)
	if err != nil {
		return RoomEntry{}, err
	}
	ceiling, err := se.RoomCeiling(actor, own)
	if err != nil {
		return RoomEntry{}, err
	}
	u, err := s.Users.UserByID(ctx, actor.UserID)
	if ErrorCode(err) == ENOTFOUND {
		return RoomEntry{}, NewError(EUNAUTHORIZED, "auth.account_gone", nil)
	} else if err != nil {
		return RoomEntry{}, err
	}
	return RoomEntry{Session: se, Own: own, Name: u.Name, Ceiling: ceiling}, nil
}

// RemoveInput names whom an organizer removes from a room, and why.
type RemoveInput struct {
	UserID string
	Reason string
}

// Remove takes a participant out of the session's room for good: the relay
// sends them away with the reason, and they cannot join that session's
// room again. Organizers only (CanRemoveFromRoom); removing someone twice
// keeps the first record.
//
// Returns EFORBIDDEN for other roles or an organizer as the target,
// EUNPROCESSABLE for a missing reason or someone not in the session,
// ENOTFOUND for an unknown session, ECONFLICT once it is over.
func (s *RoomService) Remove(ctx context.Context, actor Actor, sessionID string, in RemoveInput) (*Session, error) {
	if err := CanRemoveFromRoom(actor, ""); err != nil {
		return nil, err
	}
	in.Reason = strings.TrimSpace(in.Reason)
	var v Validator
	v.Text("reason", in.Reason, true)
	v.Check(Visible(in.Reason), "reason", "room.remove_reason_required", nil)
	v.Check(utf8.RuneCountInString(in.Reason) <= MaxRemovalReason, "reason", "field.max_length", Args{"max": MaxRemovalReason})
	v.Check(ValidID(in.UserID), "userId", "room.remove_not_participant", nil)
	if err := v.Err(EUNPROCESSABLE, "field.invalid"); err != nil {
		return nil, err
	}
	se, err := s.Sessions.load(ctx, sessionID)
	if err != nil {
		return nil, err
	}
	u, err := s.Users.UserByID(ctx, in.UserID)
	if ErrorCode(err) == ENOTFOUND {
		return nil, FieldErrors(EUNPROCESSABLE, "field.invalid", map[string]Message{"userId": Msg("room.remove_not_participant", nil)})
	} else if err != nil {
		return nil, err
	}
	target := Actor{UserID: u.ID, Role: u.Role}
	if err := CanRemoveFromRoom(actor, u.Role); err != nil {
		return nil, err
	}
	own, err := s.Sessions.owned(ctx, target, se)
	if err != nil {
		return nil, err
	}
	if !se.IsParticipant(target, own) {
		return nil, FieldErrors(EUNPROCESSABLE, "field.invalid", map[string]Message{"userId": Msg("room.remove_not_participant", nil)})
	}
	now := s.Clock.Now()
	se, err = s.Sessions.update(ctx, sessionID, func(se *Session) error {
		if err := se.CanRemoveFrom(); err != nil {
			return err
		}
		if se.Removal(u.ID) == nil {
			se.Removed = append(se.Removed, RoomRemoval{UserID: u.ID, Reason: in.Reason, By: actor.UserID, At: now})
			se.UpdatedAt = now
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	s.Sessions.publish(se)
	return se.View(actor, nil), nil
}
