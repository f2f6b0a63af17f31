package relay

import (
	"errors"

	"github.com/pion/webrtc/v3"
	"github.com/roadshow/roadshow/roadshow"
)

// Message is one JSON message of the signaling protocol between a web page
// and the relay, in either direction. Each participant has two peer
// connections: "publish", where the page makes the offers, and
// "subscribe", where the relay does; one offerer per connection means
// offers never cross (no glare).
//
// Page to relay: offer (pc publish; sources maps each transceiver mid to a
// source), answer (pc subscribe), candidate, unpublish (source), mute and
// unmute (its own source), leave.
//
// Relay to page: welcome (self, grant, room, iceServers), offer (pc
// subscribe), answer (pc publish), candidate, room (who is in the room and
// what they publish, after every change), grant (after a change of the
// session), muted, error, bye (reason; the relay closes the connection).
type Message struct {
	Type      string                          `json:"type"`
	PC        string                          `json:"pc,omitempty"`
	SDP       string                          `json:"sdp,omitempty"`
	Candidate *webrtc.ICECandidateInit        `json:"candidate,omitempty"`
	Sources   map[string]roadshow.MediaSource `json:"sources,omitempty"`
	Source    roadshow.MediaSource            `json:"source,omitempty"`

	Self       *ParticipantInfo    `json:"self,omitempty"`
	Grant      *roadshow.RoomGrant `json:"grant,omitempty"`
	Room       *RoomInfo           `json:"room,omitempty"`
	ICEServers []webrtc.ICEServer  `json:"iceServers,omitempty"`

	Participant string `json:"participant,omitempty"` // muted: whose track
	Muted       *bool  `json:"muted,omitempty"`
	By          string `json:"by,omitempty"` // muted: the moderator's participant id

	Error *Problem `json:"error,omitempty"`
	Bye   *Problem `json:"bye,omitempty"`
}

// Message types.
const (
	MsgWelcome   = "welcome"
	MsgOffer     = "offer"
	MsgAnswer    = "answer"
	MsgCandidate = "candidate"
	MsgRoom      = "room"
	MsgGrant     = "grant"
	MsgMuted     = "muted"
	MsgError     = "error"
	MsgBye       = "bye"
	MsgUnpublish = "unpublish"
	MsgMute      = "mute"
	MsgUnmute    = "unmute"
	MsgLeave     = "leave"
)

// The two peer connections of a web participant.
const (
	PCPublish   = "publish"
	PCSubscribe = "subscribe"
)

// Problem tells a page what went wrong or why it must leave: a code, and a
// message key with its arguments that the page translates, with the English
// text for other clients.
type Problem struct {
	Code string `json:"code"`
	roadshow.Message
}

// ProblemOf is what a page is told about err.
func ProblemOf(err error) *Problem {
	var re *roadshow.Error
	if errors.As(err, &re) {
		return &Problem{Code: re.Code, Message: re.Msg}
	}
	return &Problem{Code: roadshow.EINTERNAL, Message: roadshow.Msg("room.internal", nil)}
}

// Reasons a participant leaves the room.
var (
	byeLeft          = roadshow.NewError(roadshow.ECONFLICT, "room.left", nil)
	byeEnded         = roadshow.NewError(roadshow.ECONFLICT, "room.session_ended", nil)
	byeSlotEnded     = roadshow.NewError(roadshow.EFORBIDDEN, "room.slot_ended", nil)
	byeNotAllowed    = roadshow.NewError(roadshow.EFORBIDDEN, "room.no_longer_allowed", nil)
	byeReplaced      = roadshow.NewError(roadshow.ECONFLICT, "room.replaced", nil)
	byeSlow          = roadshow.NewError(roadshow.ECONFLICT, "room.too_slow", nil)
	byeTimeout       = roadshow.NewError(roadshow.ECONFLICT, "room.signaling_timeout", nil)
	byeDisconnected  = roadshow.NewError(roadshow.ECONFLICT, "room.disconnected", nil)
	byeServerClosing = roadshow.NewError(roadshow.ECONFLICT, "room.server_closing", nil)
	byeRevoked       = roadshow.NewError(roadshow.EUNAUTHORIZED, "auth.token_revoked", nil)
)

// RoomInfo is who is in a room and what they publish.
type RoomInfo struct {
	SessionID string `json:"sessionId"`
	// Presenting is the application whose slot is live.
	Presenting   string            `json:"presenting,omitempty"`
	Participants []ParticipantInfo `json:"participants"`
	// Viewers counts those watching without publishing who are not listed.
	Viewers int `json:"viewers"`
}

// ParticipantInfo is one participant as the others see them.
type ParticipantInfo struct {
	ID         string        `json:"id"`
	UserID     string        `json:"userId"`
	Name       string        `json:"name"`
	Role       roadshow.Role `json:"role"`
	Via        string        `json:"via"` // web, whip, whep
	Presenting bool          `json:"presenting"`
	Tracks     []TrackInfo   `json:"tracks"`
	// Can tells a moderator what they may do with this participant (nil
	// for everyone else), so that pages show the buttons the rules allow.
	Can *ParticipantActions `json:"can,omitempty"`
}

// ParticipantActions is what a moderator may do with a participant.
type ParticipantActions struct {
	Remove bool `json:"remove"` // take them out of the room (roadshow.CanRemoveFromRoom)
}

// TrackInfo is one published track. A subscriber's ontrack event shows ID
// as the track's id and the participant's id as its stream's id.
type TrackInfo struct {
	ID     string               `json:"id"`
	Source roadshow.MediaSource `json:"source"`
	Kind   string               `json:"kind"`
	Codec  string               `json:"codec"`
	Muted  bool                 `json:"muted"`
}
