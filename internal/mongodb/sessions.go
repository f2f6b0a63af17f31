package mongodb

import (
	"cmp"
	"context"
	"slices"
	"time"

	"github.com/roadshow/roadshow/roadshow"
	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo/options"
)

// SessionStore implements roadshow.SessionStore: the sessions collection,
// and only it.
//
// A session is one document read and written by _id, flat on the embedded
// store. ListSessions without ids filters on other fields: on the embedded
// store it scans the collection, which is acceptable for the organizer-only,
// per-edition sizes it serves; on MongoDB the indexes of migrate serve it.
//
// Conditional writes follow Options.SingleWriter: with it, the condition is
// checked on a read by _id under the document's in-process lock and the write
// goes by _id alone. Without it, the condition is in the write's filter.
// FerretDB evaluates such a filter in Go between a read and a separate write
// (no atomicity), so the filtered path is only safe on MongoDB. The stores of
// other collections follow the same rule (see editions.go, scores.go,
// applications.go).
type SessionStore struct{ db *DB }

// Sessions returns the session store.
func (db *DB) Sessions() *SessionStore { return &SessionStore{db: db} }

var _ roadshow.SessionStore = (*SessionStore)(nil)

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
		return nil, roadshow.CodeError(roadshow.ENOTFOUND)
	}
	ctx, cancel := s.db.op(ctx)
	defer cancel()
	return s.sessionByID(ctx, id)
}

func (s *SessionStore) sessionByID(ctx context.Context, id string) (*roadshow.Session, error) {
	return s.db.sessionByID(ctx, id)
}

// sessionByID reads a session by _id; the score store reads one too.
func (db *DB) sessionByID(ctx context.Context, id string) (*roadshow.Session, error) {
	var sess roadshow.Session
	if err := db.db.Collection(colSessions).FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&sess); err != nil {
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
		return nil, roadshow.CodeError(roadshow.ENOTFOUND)
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
			return nil, roadshow.CodeError(roadshow.ENOTFOUND)
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
	return nil, roadshow.CodeError(roadshow.ECONFLICT)
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

func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}
