package relay

import (
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

// Problem tells a page what went wrong or why it must leave: a code, a
// message key with arguments the page translates, and the English text.
type Problem struct {
	Code    string         `json:"code"`
	Key     string         `json:"key"`
	Args    map[string]any `json:"args,omitempty"`
	Message string         `json:"message"`
}

// Reasons a participant leaves the room.
var (
	byeLeft          = &Problem{Code: roadshow.ECONFLICT, Key: "room.left", Message: "You left the room."}
	byeEnded         = &Problem{Code: roadshow.ECONFLICT, Key: "room.session_ended", Message: "The session has ended."}
	byeSlotEnded     = &Problem{Code: roadshow.EFORBIDDEN, Key: "room.slot_ended", Message: "Your slot has ended; thank you for your pitch."}
	byeNotAllowed    = &Problem{Code: roadshow.EFORBIDDEN, Key: "room.no_longer_allowed", Message: "You are no longer part of this session."}
	byeReplaced      = &Problem{Code: roadshow.ECONFLICT, Key: "room.replaced", Message: "You joined this room from another window or device."}
	byeSlow          = &Problem{Code: roadshow.ECONFLICT, Key: "room.too_slow", Message: "Your connection fell too far behind; reconnect."}
	byeTimeout       = &Problem{Code: roadshow.ECONFLICT, Key: "room.signaling_timeout", Message: "Your browser stopped answering; reconnect."}
	byeDisconnected  = &Problem{Code: roadshow.ECONFLICT, Key: "room.disconnected", Message: "Your media connection was lost; reconnect."}
	byeServerClosing = &Problem{Code: roadshow.ECONFLICT, Key: "room.server_closing", Message: "The server is restarting; reconnect in a moment."}
)

func byeRemoved(reason string) *Problem {
	return &Problem{Code: roadshow.EFORBIDDEN, Key: "room.removed", Args: map[string]any{"reason": reason},
		Message: "An organizer removed you from this session's live room: " + reason}
}

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

func (p *Problem) Error() string { return "relay: " + p.Key + ": " + p.Message }
