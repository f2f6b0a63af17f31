package roadshow

import (
	"slices"
	"time"
)

// MediaSource names what a published track carries. A browser says which
// source each of its tracks is; a WHIP publisher (OBS Studio) sends one
// microphone and one camera.
type MediaSource string

const (
	SourceCamera     MediaSource = "camera"
	SourceMicrophone MediaSource = "microphone"
	SourceScreen     MediaSource = "screen"
)

// MediaSources returns every source, in the order pages show them.
func MediaSources() []MediaSource {
	return []MediaSource{SourceCamera, SourceMicrophone, SourceScreen}
}

// Valid reports whether m is a known source.
func (m MediaSource) Valid() bool { return slices.Contains(MediaSources(), m) }

// Audio reports whether the source carries sound (the others carry video).
func (m MediaSource) Audio() bool { return m == SourceMicrophone }

// RoomGrant is what one participant may do in a session's live room. The
// server derives it from the session (Session.RoomGrant); room tokens carry
// it as a ceiling, and the relay enforces it and derives it again whenever
// the session changes, so a grant never outlives the state that gave it.
type RoomGrant struct {
	// Publish lists the sources the participant may send.
	Publish []MediaSource `json:"publish"`
	// Subscribe: the participant receives the room's media.
	Subscribe bool `json:"subscribe"`
	// Moderate: the participant may mute others and remove them.
	Moderate bool `json:"moderate"`
	// Presenting is the application whose slot is live, when the participant
	// is its team; the stage follows it.
	Presenting string `json:"presenting,omitempty"`
}

// CanPublish reports whether the grant lets its holder send src.
func (g RoomGrant) CanPublish(src MediaSource) bool { return slices.Contains(g.Publish, src) }

// CanModerate tells whether the grant lets its holder mute and remove
// others (organizers; see roleGrant).
func (g RoomGrant) CanModerate() error {
	return unless(g.Moderate, NewError(EFORBIDDEN, "room.moderate_forbidden", nil))
}

// Lists reports whether a holder of g sees another participant by name in
// the room's list: moderators see everyone; the others see those who
// publish or may speak (organizers, judges, the live team) and only a count
// of the other viewers, so that the investors watching are not shown to the
// teams. role and grant are the other participant's; publishing, whether
// they send anything now.
func (g RoomGrant) Lists(role Role, grant RoomGrant, publishing bool) bool {
	return g.Moderate || publishing || role == RoleOrganizer || role == RoleJudge || grant.Presenting != ""
}

// Within returns what g allows that limit allows too: a room token's grant
// is a ceiling, and the session's state (limit) decides what is left of it
// now.
func (g RoomGrant) Within(limit RoomGrant) RoomGrant {
	out := RoomGrant{Publish: []MediaSource{}, Subscribe: g.Subscribe && limit.Subscribe, Moderate: g.Moderate && limit.Moderate}
	for _, src := range g.Publish {
		if limit.CanPublish(src) {
			out.Publish = append(out.Publish, src)
		}
	}
	// Which team presents is a fact of the session, not a right: it comes
	// from the state.
	out.Presenting = limit.Presenting
	return out
}

// RoomRemoval records a participant an organizer removed from a session's
// live room: they cannot join that session's room again.
type RoomRemoval struct {
	UserID string    `json:"userId" bson:"userId"`
	Reason string    `json:"reason" bson:"reason"`
	By     string    `json:"by" bson:"by"`
	At     time.Time `json:"at" bson:"at"`
}

// MaxRemovalReason bounds the reason an organizer gives for a removal.
const MaxRemovalReason = 500

// LiveApplicationID returns the application whose slot is live, or "".
func (s *Session) LiveApplicationID() string {
	if s.State != SessionLive || s.CurrentSlot < 0 || s.CurrentSlot >= len(s.Slots) {
		return ""
	}
	return s.Slots[s.CurrentSlot].ApplicationID
}

// Removal returns the record of the user's removal from the room, or nil.
func (s *Session) Removal(userID string) *RoomRemoval {
	for i := range s.Removed {
		if s.Removed[i].UserID == userID {
			return &s.Removed[i]
		}
	}
	return nil
}

// roleGrant is what each role may do in a live room: the team whose slot
// is live publishes camera, microphone and screen; judges and organizers
// camera and microphone (for questions); investors only receive; organizers
// moderate.
func roleGrant(r Role) RoomGrant {
	switch r {
	case RoleOrganizer:
		return RoomGrant{Publish: []MediaSource{SourceCamera, SourceMicrophone}, Subscribe: true, Moderate: true}
	case RoleJudge:
		return RoomGrant{Publish: []MediaSource{SourceCamera, SourceMicrophone}, Subscribe: true}
	case RoleApplicant:
		return RoomGrant{Publish: MediaSources(), Subscribe: true}
	}
	return RoomGrant{Publish: []MediaSource{}, Subscribe: true}
}

// RoomCeiling returns the most the actor may ever do in the session's room:
// what a room token carries. It is issued before the session goes live too,
// so that a presenter can set up OBS Studio ahead of the slot; RoomGrant
// narrows it to what the state allows at each moment. own is the set of the
// actor's applications (applicants).
//
// Returns ENOTFOUND when the actor is not part of the session, EFORBIDDEN
// when they were removed from its room, ECONFLICT when the session is over.
func (s *Session) RoomCeiling(a Actor, own map[string]bool) (RoomGrant, error) {
	if !s.IsParticipant(a, own) {
		return RoomGrant{}, NewError(ENOTFOUND, "session.not_found", nil)
	}
	if r := s.Removal(a.UserID); r != nil {
		return RoomGrant{}, NewError(EFORBIDDEN, "room.removed", Args{"reason": r.Reason})
	}
	if s.State == SessionEnded || s.State == SessionCancelled {
		return RoomGrant{}, NewError(ECONFLICT, "session.closed", Args{"state": s.State})
	}
	return roleGrant(a.Role), nil
}

// RoomGrant returns what the actor may do in the session's live room now.
// own is the set of the actor's applications (applicants; the caller has
// established ownership). See roleGrant; an applicant takes part only while
// their team's slot is live.
//
// Returns ENOTFOUND when the actor is not part of the session (the session
// does not exist for them), EFORBIDDEN when they were removed from the room
// or are an applicant whose slot is not live, ECONFLICT when the session is
// not live.
func (s *Session) RoomGrant(a Actor, own map[string]bool) (RoomGrant, error) {
	if _, err := s.RoomCeiling(a, own); err != nil {
		return RoomGrant{}, err
	}
	if s.State != SessionLive {
		return RoomGrant{}, NewError(ECONFLICT, "session.not_live", nil)
	}
	g := roleGrant(a.Role)
	if a.Is(RoleApplicant) {
		live := s.LiveApplicationID()
		if !own[live] {
			return RoomGrant{}, NewError(EFORBIDDEN, "room.team_not_live", nil)
		}
		g.Presenting = live
	}
	return g, nil
}

// CanRemoveFromRoom tells whether actor may remove a user with the given
// role from a session's room: organizers remove anyone but other
// organizers.
func CanRemoveFromRoom(actor Actor, target Role) error {
	if !actor.Is(RoleOrganizer) {
		return NewError(EFORBIDDEN, "room.remove_organizers_only", nil)
	}
	if target == RoleOrganizer {
		return NewError(EFORBIDDEN, "room.remove_organizer", nil)
	}
	return nil
}

// CanRemoveFrom tells whether participants may be removed from the
// session's room now: not once it is over.
func (s *Session) CanRemoveFrom() error {
	if s.State == SessionEnded || s.State == SessionCancelled {
		return NewError(ECONFLICT, "session.closed", Args{"state": s.State})
	}
	return nil
}
