package mongodb

import (
	"cmp"
	"context"
	"errors"
	"slices"
	"time"

	"github.com/roadshow/roadshow/roadshow"
	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo"
	"go.mongodb.org/mongo-driver/mongo/options"
)

// SessionStore implements roadshow.SessionStore.
//
// Hot paths (a session, a score, a conflict, the edition) are single
// documents read and written by _id, flat on the embedded store; scores and
// conflicts have deterministic ids so that a judge's sheet is a set of known
// _ids. The listings (sessions, score log, conflicts of an application,
// eligible applications, users by role) filter on other fields: on the
// embedded store they scan their collection, which is acceptable for the
// organizer-only, per-edition sizes they serve; on MongoDB the indexes of
// migrate serve them.
//
// Conditional writes follow Options.SingleWriter: with it, the condition is
// checked on a read by _id under the document's in-process lock and the write
// goes by _id alone. Without it, the condition is in the write's filter.
// FerretDB evaluates such a filter in Go between a read and a separate write
// (no atomicity), so the filtered path is only safe on MongoDB.
type SessionStore struct{ db *DB }

// Sessions returns the session store.
func (db *DB) Sessions() *SessionStore { return &SessionStore{db: db} }

var _ roadshow.SessionStore = (*SessionStore)(nil)

// editionID is the _id of the edition document in the settings collection.
const editionID = "edition"

// updateRetries is how often UpdateSession retries after losing a race on
// the filtered (MongoDB) path before it gives up with ECONFLICT.
const updateRetries = 5

// CreateSession stores sess and sets its ID (and empty lists for nil ones).
func (s *SessionStore) CreateSession(ctx context.Context, sess *roadshow.Session) error {
	ctx, cancel := s.db.op(ctx)
	defer cancel()
	sess.ID = newID()
	normalizeSession(sess)
	if _, err := s.db.db.Collection(colSessions).InsertOne(ctx, sess); err != nil {
		sess.ID = ""
		return translate(err, "Session")
	}
	return nil
}

// SessionByID returns ENOTFOUND when there is no such session.
func (s *SessionStore) SessionByID(ctx context.Context, id string) (*roadshow.Session, error) {
	if !roadshow.ValidID(id) {
		return nil, roadshow.Errorf(roadshow.ENOTFOUND, "Session not found.")
	}
	ctx, cancel := s.db.op(ctx)
	defer cancel()
	return s.sessionByID(ctx, id)
}

func (s *SessionStore) sessionByID(ctx context.Context, id string) (*roadshow.Session, error) {
	var sess roadshow.Session
	if err := s.db.db.Collection(colSessions).FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&sess); err != nil {
		return nil, translate(err, "Session")
	}
	return normalizeSession(&sess), nil
}

// UpdateSession reads the session, applies change and writes the result
// with the version incremented, unless the session changed meanwhile.
// Errors from change are returned unchanged and nothing is written. change
// may run more than once (after a lost race) and, with SingleWriter, runs
// under the session's lock: it must not call the store. Returns ENOTFOUND
// for a missing session, ECONFLICT when the session kept changing.
func (s *SessionStore) UpdateSession(ctx context.Context, id string, change roadshow.SessionChange) (*roadshow.Session, error) {
	if !roadshow.ValidID(id) {
		return nil, roadshow.Errorf(roadshow.ENOTFOUND, "Session not found.")
	}
	ctx, cancel := s.db.op(ctx)
	defer cancel()
	col := s.db.db.Collection(colSessions)
	if s.db.locks != nil {
		defer s.db.locks.lock(id)()
		cur, err := s.sessionByID(ctx, id)
		if err != nil {
			return nil, err
		}
		version := cur.Version
		if err := change(cur); err != nil {
			return nil, err
		}
		cur.ID, cur.Version = id, version+1
		normalizeSession(cur)
		res, err := col.ReplaceOne(ctx, bson.D{{Key: "_id", Value: id}}, cur)
		if err != nil {
			return nil, translate(err, "Session")
		}
		if res.MatchedCount == 0 {
			return nil, roadshow.Errorf(roadshow.ENOTFOUND, "Session not found.")
		}
		return cur, nil
	}
	for range 1 + updateRetries {
		cur, err := s.sessionByID(ctx, id)
		if err != nil {
			return nil, err
		}
		version := cur.Version
		if err := change(cur); err != nil {
			return nil, err
		}
		cur.ID, cur.Version = id, version+1
		normalizeSession(cur)
		res, err := col.ReplaceOne(ctx, bson.D{{Key: "_id", Value: id}, {Key: "version", Value: version}}, cur)
		if err != nil {
			return nil, translate(err, "Session")
		}
		if res.MatchedCount > 0 {
			return cur, nil
		}
	}
	return nil, roadshow.Errorf(roadshow.ECONFLICT, "The session changed meanwhile; reload and try again.")
}

// ListSessions returns the sessions matching f in start order (then by id).
// With f.IDs it reads each session by _id; otherwise it filters, which scans
// the collection on the embedded store.
func (s *SessionStore) ListSessions(ctx context.Context, f roadshow.SessionFilter) ([]*roadshow.Session, error) {
	ctx, cancel := s.db.op(ctx)
	defer cancel()
	out := []*roadshow.Session{}
	if len(f.IDs) > 0 {
		seen := make(map[string]bool, len(f.IDs))
		for _, id := range f.IDs {
			if seen[id] || !roadshow.ValidID(id) {
				continue
			}
			seen[id] = true
			sess, err := s.sessionByID(ctx, id)
			if roadshow.ErrorCode(err) == roadshow.ENOTFOUND {
				continue
			} else if err != nil {
				return nil, err
			}
			if (f.Industry == "" || sess.Industry == f.Industry) &&
				(f.Judge == "" || sess.HasJudge(f.Judge)) &&
				(f.Investor == "" || sess.HasInvestor(f.Investor)) {
				out = append(out, sess)
			}
		}
		slices.SortFunc(out, func(a, b *roadshow.Session) int {
			if c := a.Start.Compare(b.Start); c != 0 {
				return c
			}
			return cmp.Compare(a.ID, b.ID)
		})
		return out, nil
	}
	filter := bson.D{}
	if f.Industry != "" {
		filter = append(filter, bson.E{Key: "industry", Value: f.Industry})
	}
	if f.Judge != "" {
		filter = append(filter, bson.E{Key: "judges", Value: f.Judge})
	}
	if f.Investor != "" {
		filter = append(filter, bson.E{Key: "investors", Value: f.Investor})
	}
	opts := options.Find().SetSort(bson.D{{Key: "start", Value: 1}, {Key: "_id", Value: 1}})
	return findAll(ctx, s.db.db.Collection(colSessions), "sessions", filter, opts, normalizeSession)
}

// SetApplicationSession records (or, with sessionID "", clears) the session
// an application pitches in. With expect set, only when the current value
// equals *expect. Returns ENOTFOUND for a missing application, ECONFLICT
// when the current value differs from *expect.
func (s *SessionStore) SetApplicationSession(ctx context.Context, applicationID, sessionID string, expect *string) error {
	if !roadshow.ValidID(applicationID) {
		return roadshow.Errorf(roadshow.ENOTFOUND, "Application not found.")
	}
	ctx, cancel := s.db.op(ctx)
	defer cancel()
	col := s.db.db.Collection(colApps)
	byID := bson.D{{Key: "_id", Value: applicationID}}
	set := bson.D{{Key: "$set", Value: bson.D{{Key: "sessionId", Value: sessionID}}}}
	mismatch := func() error {
		return roadshow.Errorf(roadshow.ECONFLICT, "The application's session changed meanwhile; reload and try again.")
	}
	switch {
	case expect == nil:
		// Unconditional: one write by _id.
	case s.db.locks != nil:
		defer s.db.locks.lock(applicationID)()
		cur, err := s.applicationSession(ctx, applicationID)
		if err != nil {
			return err
		}
		if cur != *expect {
			return mismatch()
		}
	default:
		filter := append(bson.D{}, byID...)
		if *expect == "" {
			// A document written before the field existed has none.
			filter = append(filter, bson.E{Key: "sessionId", Value: bson.D{{Key: "$in", Value: bson.A{"", nil}}}})
		} else {
			filter = append(filter, bson.E{Key: "sessionId", Value: *expect})
		}
		res, err := col.UpdateOne(ctx, filter, set)
		if err != nil {
			return translate(err, "Application")
		}
		if res.MatchedCount > 0 {
			return nil
		}
		if _, err := s.applicationSession(ctx, applicationID); err != nil {
			return err
		}
		return mismatch()
	}
	res, err := col.UpdateOne(ctx, byID, set)
	if err != nil {
		return translate(err, "Application")
	}
	if res.MatchedCount == 0 {
		return roadshow.Errorf(roadshow.ENOTFOUND, "Application not found.")
	}
	return nil
}

// applicationSession reads an application's sessionId by _id.
func (s *SessionStore) applicationSession(ctx context.Context, id string) (string, error) {
	var doc struct {
		SessionID string `bson:"sessionId"`
	}
	err := s.db.db.Collection(colApps).FindOne(ctx, bson.D{{Key: "_id", Value: id}},
		options.FindOne().SetProjection(bson.D{{Key: "sessionId", Value: 1}})).Decode(&doc)
	if err != nil {
		return "", translate(err, "Application")
	}
	return doc.SessionID, nil
}

// EligibleUnplanned lists the eligible applications without a session, of
// the given industries (all when none are given), by _id. It scans the
// applications on the embedded store; planning is an organizer's action.
func (s *SessionStore) EligibleUnplanned(ctx context.Context, industries []string) ([]*roadshow.Application, error) {
	ctx, cancel := s.db.op(ctx)
	defer cancel()
	filter := bson.D{
		{Key: "status", Value: roadshow.StatusEligible},
		{Key: "sessionId", Value: bson.D{{Key: "$in", Value: bson.A{"", nil}}}},
	}
	if len(industries) > 0 {
		filter = append(filter, bson.E{Key: "industry", Value: bson.D{{Key: "$in", Value: industries}}})
	}
	return findAll(ctx, s.db.db.Collection(colApps), "applications", filter, options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}), normalize)
}

type editionDoc struct {
	ID               string `bson:"_id"`
	roadshow.Edition `bson:",inline"`
}

// Edition returns the stored edition, or roadshow.DefaultEdition when none
// was saved.
func (s *SessionStore) Edition(ctx context.Context) (roadshow.Edition, error) {
	ctx, cancel := s.db.op(ctx)
	defer cancel()
	e, _, err := s.edition(ctx)
	return e, err
}

// edition reads the edition document; found is false when it does not exist.
func (s *SessionStore) edition(ctx context.Context) (e roadshow.Edition, found bool, err error) {
	var doc editionDoc
	err = s.db.db.Collection(colSettings).FindOne(ctx, bson.D{{Key: "_id", Value: editionID}}).Decode(&doc)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return roadshow.DefaultEdition(), false, nil
	} else if err != nil {
		return roadshow.Edition{}, false, translate(err, "Edition")
	}
	return normalizeEdition(doc.Edition), true, nil
}

// SaveEdition writes e and returns what is stored. RubricLocked is never
// taken from e: it stays as stored. Returns ECONFLICT when rubricChanged and
// the rubric is locked.
func (s *SessionStore) SaveEdition(ctx context.Context, e roadshow.Edition, rubricChanged bool) (roadshow.Edition, error) {
	ctx, cancel := s.db.op(ctx)
	defer cancel()
	col := s.db.db.Collection(colSettings)
	byID := bson.D{{Key: "_id", Value: editionID}}
	if s.db.locks != nil {
		defer s.db.locks.lock(editionID)()
		stored, _, err := s.edition(ctx)
		if err != nil {
			return roadshow.Edition{}, err
		}
		if rubricChanged && stored.RubricLocked {
			return roadshow.Edition{}, errRubricLocked()
		}
		e.RubricLocked = stored.RubricLocked
		e = normalizeEdition(e)
		if _, err := col.ReplaceOne(ctx, byID, editionDoc{ID: editionID, Edition: e}, options.Replace().SetUpsert(true)); err != nil {
			return roadshow.Edition{}, translate(err, "Edition")
		}
		return e, nil
	}
	// Filtered path: never write rubricLocked (but on insert), so that a
	// concurrent LockRubric cannot be undone.
	set := bson.D{{Key: "name", Value: e.Name}, {Key: "deadline", Value: e.Deadline}, {Key: "updatedAt", Value: e.UpdatedAt}}
	filter := byID
	var onInsert bson.D
	if rubricChanged {
		set = append(set, bson.E{Key: "rubric", Value: e.Rubric})
		filter = append(append(bson.D{}, byID...), bson.E{Key: "rubricLocked", Value: bson.D{{Key: "$ne", Value: true}}})
		onInsert = bson.D{{Key: "rubricLocked", Value: false}}
	} else {
		onInsert = bson.D{{Key: "rubric", Value: e.Rubric}, {Key: "rubricLocked", Value: false}}
	}
	_, err := col.UpdateOne(ctx, filter, bson.D{{Key: "$set", Value: set}, {Key: "$setOnInsert", Value: onInsert}}, options.Update().SetUpsert(true))
	if mongo.IsDuplicateKeyError(err) {
		// The filter missed an existing document: the rubric is locked.
		return roadshow.Edition{}, errRubricLocked()
	} else if err != nil {
		return roadshow.Edition{}, translate(err, "Edition")
	}
	stored, _, err := s.edition(ctx)
	return stored, err
}

func errRubricLocked() error {
	return roadshow.Errorf(roadshow.ECONFLICT, "The rubric can no longer change: scores have been given.")
}

// LockRubric marks the rubric as used, writing the default edition first if
// none was saved. It never fails because the rubric is already locked.
func (s *SessionStore) LockRubric(ctx context.Context) error {
	ctx, cancel := s.db.op(ctx)
	defer cancel()
	if s.db.locks != nil {
		// SaveEdition replaces the document under this lock.
		defer s.db.locks.lock(editionID)()
	}
	def := roadshow.DefaultEdition()
	_, err := s.db.db.Collection(colSettings).UpdateOne(ctx, bson.D{{Key: "_id", Value: editionID}}, bson.D{
		{Key: "$set", Value: bson.D{{Key: "rubricLocked", Value: true}}},
		{Key: "$setOnInsert", Value: bson.D{
			{Key: "name", Value: def.Name},
			{Key: "deadline", Value: def.Deadline},
			{Key: "rubric", Value: def.Rubric},
			{Key: "updatedAt", Value: def.UpdatedAt},
		}},
	}, options.Update().SetUpsert(true))
	return translate(err, "Edition")
}

// SaveScore upserts sc under its deterministic id (which it sets) unless the
// stored score is final, then appends it to the session's score log.
// Returns ECONFLICT when the stored score is final.
func (s *SessionStore) SaveScore(ctx context.Context, sc *roadshow.Score, check roadshow.SessionCheck) error {
	ctx, cancel := s.db.op(ctx)
	defer cancel()
	sc.ID = roadshow.ScoreID(sc.SessionID, sc.JudgeID, sc.ApplicationID)
	if sc.Values == nil {
		sc.Values = map[string]int{}
	}
	if s.db.locks != nil {
		// Under the session's lock, which every session change also takes:
		// a score and "end session" cannot interleave.
		defer s.db.locks.lock(sc.SessionID)()
	}
	if check != nil {
		se, err := s.sessionByID(ctx, sc.SessionID)
		if err != nil {
			return err
		}
		if err := check(se); err != nil {
			return err
		}
	}
	if err := s.saveScore(ctx, sc); err != nil {
		return err
	}
	entry := roadshow.ScoreLogEntry{
		ID: newID(), SessionID: sc.SessionID, JudgeID: sc.JudgeID, ApplicationID: sc.ApplicationID,
		Values: sc.Values, Comment: sc.Comment, Final: sc.Final, At: sc.UpdatedAt,
	}
	if _, err := s.db.db.Collection(colScoreLog).InsertOne(ctx, entry); err != nil {
		return translate(err, "Score log entry")
	}
	return nil
}

func (s *SessionStore) saveScore(ctx context.Context, sc *roadshow.Score) error {
	col := s.db.db.Collection(colScores)
	if s.db.locks != nil {
		// The caller holds the session's lock, which covers its scores.
		var cur struct {
			Final bool `bson:"final"`
		}
		err := col.FindOne(ctx, bson.D{{Key: "_id", Value: sc.ID}},
			options.FindOne().SetProjection(bson.D{{Key: "final", Value: 1}})).Decode(&cur)
		switch {
		case errors.Is(err, mongo.ErrNoDocuments):
		case err != nil:
			return translate(err, "Score")
		case cur.Final:
			return errScoreFinal()
		}
		_, err = col.ReplaceOne(ctx, bson.D{{Key: "_id", Value: sc.ID}}, sc, options.Replace().SetUpsert(true))
		return translate(err, "Score")
	}
	// A final score does not match the filter, so the upsert tries to
	// insert a second document with its _id: a duplicate key.
	_, err := col.ReplaceOne(ctx, bson.D{{Key: "_id", Value: sc.ID}, {Key: "final", Value: bson.D{{Key: "$ne", Value: true}}}},
		sc, options.Replace().SetUpsert(true))
	if mongo.IsDuplicateKeyError(err) {
		return errScoreFinal()
	}
	return translate(err, "Score")
}

func errScoreFinal() error {
	return roadshow.Errorf(roadshow.ECONFLICT, "Score is final and can no longer be changed.")
}

// ScoresByID returns the scores with the given ids that exist, in the order
// of ids, each read by _id.
func (s *SessionStore) ScoresByID(ctx context.Context, ids []string) ([]*roadshow.Score, error) {
	ctx, cancel := s.db.op(ctx)
	defer cancel()
	return findByIDs(ctx, s.db.db.Collection(colScores), "scores", ids, normalizeScore)
}

// ScoreLog returns a session's score log, oldest first. It scans the log on
// the embedded store (organizers only).
func (s *SessionStore) ScoreLog(ctx context.Context, sessionID string) ([]*roadshow.ScoreLogEntry, error) {
	ctx, cancel := s.db.op(ctx)
	defer cancel()
	return findAll(ctx, s.db.db.Collection(colScoreLog), "score log", bson.D{{Key: "sessionId", Value: sessionID}},
		options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}), normalizeLogEntry)
}

// AddConflict stores c under its deterministic id (which it sets). Declaring
// the same conflict again keeps the first declaration and returns nil.
func (s *SessionStore) AddConflict(ctx context.Context, c *roadshow.Conflict) error {
	ctx, cancel := s.db.op(ctx)
	defer cancel()
	c.ID = roadshow.ConflictID(c.JudgeID, c.ApplicationID)
	_, err := s.db.db.Collection(colConflicts).InsertOne(ctx, c)
	if mongo.IsDuplicateKeyError(err) {
		return nil
	}
	return translate(err, "Conflict")
}

// ConflictsByID returns the conflicts with the given ids that exist, in the
// order of ids, each read by _id.
func (s *SessionStore) ConflictsByID(ctx context.Context, ids []string) ([]*roadshow.Conflict, error) {
	ctx, cancel := s.db.op(ctx)
	defer cancel()
	return findByIDs(ctx, s.db.db.Collection(colConflicts), "conflicts", ids, normalizeConflict)
}

// ConflictsOf lists the conflicts declared on an application, by id. It
// scans the conflicts on the embedded store.
func (s *SessionStore) ConflictsOf(ctx context.Context, applicationID string) ([]*roadshow.Conflict, error) {
	ctx, cancel := s.db.op(ctx)
	defer cancel()
	return findAll(ctx, s.db.db.Collection(colConflicts), "conflicts", bson.D{{Key: "applicationId", Value: applicationID}},
		options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}), normalizeConflict)
}

// UsersByRole lists the accounts of a role by name (then id). It scans the
// users on the embedded store (organizers only).
func (s *SessionStore) UsersByRole(ctx context.Context, r roadshow.Role) ([]*roadshow.User, error) {
	ctx, cancel := s.db.op(ctx)
	defer cancel()
	return findAll(ctx, s.db.db.Collection(colUsers), "users", bson.D{{Key: "role", Value: r}},
		options.Find().SetSort(bson.D{{Key: "name", Value: 1}, {Key: "_id", Value: 1}}), (*userDoc).user)
}

// normalizeSession gives empty lists as [] and times in UTC.
func normalizeSession(s *roadshow.Session) *roadshow.Session {
	if s.Slots == nil {
		s.Slots = []roadshow.Slot{}
	}
	if s.Judges == nil {
		s.Judges = []string{}
	}
	if s.Investors == nil {
		s.Investors = []string{}
	}
	for i := range s.Slots {
		s.Slots[i].Start = s.Slots[i].Start.UTC()
		s.Slots[i].End = s.Slots[i].End.UTC()
	}
	s.Start, s.End = s.Start.UTC(), s.End.UTC()
	s.CreatedAt, s.UpdatedAt = s.CreatedAt.UTC(), s.UpdatedAt.UTC()
	s.SlotStartedAt = utcPtr(s.SlotStartedAt)
	s.PublishedAt = utcPtr(s.PublishedAt)
	return s
}

func normalizeEdition(e roadshow.Edition) roadshow.Edition {
	if e.Rubric.Criteria == nil {
		e.Rubric.Criteria = []roadshow.Criterion{}
	}
	e.Deadline = utcPtr(e.Deadline)
	e.UpdatedAt = e.UpdatedAt.UTC()
	return e
}

func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

// normalizeScore gives empty values as {} and times in UTC.
func normalizeScore(sc *roadshow.Score) *roadshow.Score {
	if sc.Values == nil {
		sc.Values = map[string]int{}
	}
	sc.UpdatedAt = sc.UpdatedAt.UTC()
	return sc
}

// normalizeLogEntry gives empty values as {} and times in UTC.
func normalizeLogEntry(e *roadshow.ScoreLogEntry) *roadshow.ScoreLogEntry {
	if e.Values == nil {
		e.Values = map[string]int{}
	}
	e.At = e.At.UTC()
	return e
}

// normalizeConflict gives times in UTC.
func normalizeConflict(c *roadshow.Conflict) *roadshow.Conflict {
	c.At = c.At.UTC()
	return c
}
