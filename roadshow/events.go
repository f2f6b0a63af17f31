package roadshow

import "time"

// Event types sent to the participants of a live session.
const (
	EventSession  = "session"  // the session's state, current slot and timer start
	EventProgress = "progress" // how many judges have scored each team
	EventScores   = "scores"   // score values: organizers only
	EventResults  = "results"  // results were published
	EventTimer    = "timer"    // the live slot's clock, once a second
)

// Timer is the clock of the live slot.
type Timer struct {
	Slot             int       `json:"slot"`
	StartedAt        time.Time `json:"startedAt"`
	EndsAt           time.Time `json:"endsAt"`
	RemainingSeconds int       `json:"remainingSeconds"` // negative when over time
}

// TimerOf returns the clock of a live session's current slot, or nil.
func TimerOf(se *Session, now time.Time) *Timer {
	if se == nil || se.State != SessionLive || se.SlotStartedAt == nil || se.CurrentSlot < 0 {
		return nil
	}
	ends := se.SlotStartedAt.Add(time.Duration(se.SlotLength) * time.Minute)
	rem := ends.Sub(now)
	secs := int(rem / time.Second)
	if rem > 0 && rem%time.Second != 0 {
		secs++
	}
	return &Timer{Slot: se.CurrentSlot, StartedAt: *se.SlotStartedAt, EndsAt: ends, RemainingSeconds: secs}
}

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
	Timer          *Timer            `json:"timer,omitempty"`
}

// TeamProgress counts the judges who have scored a team.
type TeamProgress struct {
	ApplicationID string `json:"applicationId"`
	Scored        int    `json:"scored"`  // complete scores
	Final         int    `json:"final"`   // complete and final
	Partial       int    `json:"partial"` // started, not complete: they count nowhere
	Judges        int    `json:"judges"`  // judges who may score it (assigned, no conflict)
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

// Publishers hands each event to every publisher in turn: the in-process
// event hub and the live relay.
type Publishers []Publisher

// Publish implements Publisher.
func (ps Publishers) Publish(ev Event) {
	for _, p := range ps {
		if p != nil {
			p.Publish(ev)
		}
	}
}
