package roadshow

import "time"

// Event types sent to the participants of a live session.
const (
	EventSession  = "session"  // the session's state, current slot and timer start
	EventProgress = "progress" // how many judges have scored each team
	EventScores   = "scores"   // score values: organizers only
	EventResults  = "results"  // results were published
)

// Event is one thing that happened in a session.
type Event struct {
	Type      string    `json:"type"`
	SessionID string    `json:"sessionId"`
	At        time.Time `json:"at"`
	// OrganizersOnly events carry score values and go to organizers alone.
	OrganizersOnly bool              `json:"-"`
	Session        *Session          `json:"session,omitempty"`
	Progress       []TeamProgress    `json:"progress,omitempty"`
	Scores         []JudgeScoreTotal `json:"scores,omitempty"`
}

// TeamProgress counts the judges who have scored a team.
type TeamProgress struct {
	ApplicationID string `json:"applicationId"`
	Scored        int    `json:"scored"`
	Final         int    `json:"final"`
	Judges        int    `json:"judges"` // judges who may score it (assigned, no conflict)
}

// JudgeScoreTotal is one judge's weighted total for one team.
type JudgeScoreTotal struct {
	ApplicationID string  `json:"applicationId"`
	JudgeID       string  `json:"judgeId"`
	Total         float64 `json:"total"`
	Final         bool    `json:"final"`
}

// Publisher delivers session events to the connected participants.
type Publisher interface {
	Publish(ev Event)
}
