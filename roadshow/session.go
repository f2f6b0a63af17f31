package roadshow

import (
	"context"
	"time"
)

// SessionState is where a pitch session is.
type SessionState string

const (
	SessionScheduled SessionState = "scheduled"
	SessionLive      SessionState = "live"
	SessionEnded     SessionState = "ended"
	SessionCancelled SessionState = "cancelled"
)

// Slot is one team's pitch inside a session: [Start, End).
type Slot struct {
	ApplicationID string    `json:"applicationId" bson:"applicationId"`
	Title         string    `json:"title" bson:"title"`
	Country       string    `json:"country,omitempty" bson:"country"`
	Timezone      string    `json:"timezone,omitempty" bson:"timezone"`
	Start         time.Time `json:"start" bson:"start"`
	End           time.Time `json:"end" bson:"end"`
}

// Session is one online pitch session of one industry.
type Session struct {
	ID         string       `json:"id" bson:"_id"`
	Industry   string       `json:"industry" bson:"industry"`
	Title      string       `json:"title" bson:"title"`
	Start      time.Time    `json:"start" bson:"start"`
	End        time.Time    `json:"end" bson:"end"`
	SlotLength int          `json:"slotMinutes" bson:"slotMinutes"`
	Slots      []Slot       `json:"slots" bson:"slots"`
	State      SessionState `json:"state" bson:"state"`
	// CurrentSlot is the index of the live slot, -1 when none is live.
	CurrentSlot   int        `json:"currentSlot" bson:"currentSlot"`
	SlotStartedAt *time.Time `json:"slotStartedAt" bson:"slotStartedAt"`
	Judges        []string   `json:"judges" bson:"judges"`
	Investors     []string   `json:"investors" bson:"investors"`
	PublishedAt   *time.Time `json:"publishedAt" bson:"publishedAt"`
	// Removed lists who organizers removed from the live room (organizers'
	// view only).
	Removed   []RoomRemoval `json:"removed,omitempty" bson:"removed,omitempty"`
	Version   int           `json:"version" bson:"version"`
	CreatedAt time.Time     `json:"createdAt" bson:"createdAt"`
	UpdatedAt time.Time     `json:"updatedAt" bson:"updatedAt"`
}

// SlotIndex returns the index of the application's slot, or -1.
func (s *Session) SlotIndex(applicationID string) int {
	for i, sl := range s.Slots {
		if sl.ApplicationID == applicationID {
			return i
		}
	}
	return -1
}

// HasJudge reports whether the user is assigned to judge the session.
func (s *Session) HasJudge(userID string) bool { return contains(s.Judges, userID) }

// HasInvestor reports whether the user is invited to watch the session.
func (s *Session) HasInvestor(userID string) bool { return contains(s.Investors, userID) }

// Published reports whether the results have been published.
func (s *Session) Published() bool { return s.PublishedAt != nil }

// Retime lays the slots back to back from the session's start, after a
// move or reorder, and sets the session's end.
func (s *Session) Retime() {
	d := time.Duration(s.SlotLength) * time.Minute
	for i := range s.Slots {
		s.Slots[i].Start = s.Start.Add(time.Duration(i) * d)
		s.Slots[i].End = s.Slots[i].Start.Add(d)
	}
	s.End = s.Start.Add(time.Duration(len(s.Slots)) * d)
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// Edition is the roadshow's one configuration document.
type Edition struct {
	Name     string     `json:"name" bson:"name"`
	Deadline *time.Time `json:"deadline" bson:"deadline"`
	Rubric   Rubric     `json:"rubric" bson:"rubric"`
	// RubricLocked is set by the first score; the rubric cannot change after.
	RubricLocked bool      `json:"rubricLocked" bson:"rubricLocked"`
	UpdatedAt    time.Time `json:"updatedAt" bson:"updatedAt"`
}

// DefaultEdition is what a new installation starts with.
func DefaultEdition() Edition {
	return Edition{Name: "Innovation Week Talent Roadshow", Rubric: DefaultRubric()}
}

// Score is one judge's score of one team in one session. Its id is
// deterministic (session:judge:application), so saving again overwrites.
type Score struct {
	ID            string         `json:"-" bson:"_id"`
	SessionID     string         `json:"sessionId" bson:"sessionId"`
	JudgeID       string         `json:"judgeId" bson:"judgeId"`
	ApplicationID string         `json:"applicationId" bson:"applicationId"`
	Values        map[string]int `json:"values" bson:"values"`
	Comment       string         `json:"comment" bson:"comment"`
	Final         bool           `json:"final" bson:"final"`
	UpdatedAt     time.Time      `json:"updatedAt" bson:"updatedAt"`
}

// ScoreID is the deterministic id of a score.
func ScoreID(sessionID, judgeID, applicationID string) string {
	return sessionID + ":" + judgeID + ":" + applicationID
}

// ScoreLogEntry is one saved score, appended and never changed, so that a
// ranking can be recomputed and defended later.
type ScoreLogEntry struct {
	ID            string         `json:"id" bson:"_id"`
	SessionID     string         `json:"sessionId" bson:"sessionId"`
	JudgeID       string         `json:"judgeId" bson:"judgeId"`
	ApplicationID string         `json:"applicationId" bson:"applicationId"`
	Values        map[string]int `json:"values" bson:"values"`
	Comment       string         `json:"comment" bson:"comment"`
	Final         bool           `json:"final" bson:"final"`
	At            time.Time      `json:"at" bson:"at"`
}

// Conflict is a judge's declared conflict of interest with an application.
type Conflict struct {
	ID            string    `json:"-" bson:"_id"`
	JudgeID       string    `json:"judgeId" bson:"judgeId"`
	ApplicationID string    `json:"applicationId" bson:"applicationId"`
	Reason        string    `json:"reason" bson:"reason"`
	DeclaredBy    string    `json:"declaredBy" bson:"declaredBy"`
	At            time.Time `json:"at" bson:"at"`
}

// ConflictID is the deterministic id of a conflict.
func ConflictID(judgeID, applicationID string) string { return judgeID + ":" + applicationID }

// SessionChange mutates a session read under the store's condition. It
// returns an error to abort the update without writing.
type SessionChange func(s *Session) error

// SessionCheck tells whether something may happen in a session's current
// state; its error is returned as it is.
type SessionCheck func(s *Session) error

// SessionStore persists sessions, scores, conflicts and the edition.
type SessionStore interface {
	// CreateSession stores s and sets its ID.
	CreateSession(ctx context.Context, s *Session) error
	// SessionByID returns ENOTFOUND when there is no such session.
	SessionByID(ctx context.Context, id string) (*Session, error)
	// UpdateSession reads the session, applies change and writes it back
	// only if nobody changed it meanwhile (version check); returns the new
	// state. Errors from change are returned as they are.
	UpdateSession(ctx context.Context, id string, change SessionChange) (*Session, error)
	// ListSessions returns sessions in start order; zero filter fields
	// match everything.
	ListSessions(ctx context.Context, f SessionFilter) ([]*Session, error)

	// SetApplicationSession records (or, with sessionID "", clears) the
	// session an application pitches in. With expect set, only when the
	// current value equals expect (ECONFLICT otherwise).
	SetApplicationSession(ctx context.Context, applicationID, sessionID string, expect *string) error
	// EligibleUnplanned lists eligible applications without a session.
	EligibleUnplanned(ctx context.Context, industries []string) ([]*Application, error)

	// Edition returns the edition, or DefaultEdition when none was saved.
	Edition(ctx context.Context) (Edition, error)
	// SaveEdition writes the edition; with rubric changes it fails with
	// ECONFLICT once the rubric is locked.
	SaveEdition(ctx context.Context, e Edition, rubricChanged bool) (Edition, error)
	// LockRubric marks the rubric as used.
	LockRubric(ctx context.Context) error

	// SaveScore upserts a score unless it is final (ECONFLICT) and appends
	// it to the log. check, when set, runs against the current session
	// first; its error aborts the save. With a single writer the check and
	// the write are atomic with respect to session changes; against MongoDB
	// they are two steps.
	SaveScore(ctx context.Context, sc *Score, check SessionCheck) error
	// ScoresByID returns the scores with the given ids that exist.
	ScoresByID(ctx context.Context, ids []string) ([]*Score, error)
	// ScoreLog returns a session's log, oldest first.
	ScoreLog(ctx context.Context, sessionID string) ([]*ScoreLogEntry, error)

	// AddConflict stores a conflict (idempotent).
	AddConflict(ctx context.Context, c *Conflict) error
	// ConflictsByID returns the conflicts with the given ids that exist.
	ConflictsByID(ctx context.Context, ids []string) ([]*Conflict, error)
	// ConflictsOf lists the conflicts declared on an application.
	ConflictsOf(ctx context.Context, applicationID string) ([]*Conflict, error)

	// UsersByRole lists accounts of a role, by name.
	UsersByRole(ctx context.Context, r Role) ([]*User, error)
}

// SessionFilter selects sessions.
type SessionFilter struct {
	Industry string
	Judge    string // sessions this user judges
	Investor string // sessions this user watches
	IDs      []string
}
