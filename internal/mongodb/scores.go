package mongodb

import (
	"context"
	"errors"

	"github.com/roadshow/roadshow/roadshow"
	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo"
	"go.mongodb.org/mongo-driver/mongo/options"
)

// ScoreStore implements roadshow.ScoreStore: the scores collection (one
// document per session, judge and application, under a deterministic _id,
// so that a judge's sheet is a set of known _ids) and the score log (one
// document per version of a score, under the _id roadshow.ScoreLogID). It
// reads the session a score belongs to, under that session's lock, but
// never writes it.
//
// The log is what decides which write a version belongs to: a write claims
// version v+1 by inserting the log entry with that _id, and an insert is
// atomic on both stores, whereas FerretDB applies a filtered update as an
// unlocked read and write. So versions form one unbroken chain 1, 2, 3, ...
// in which each write saw the one before it: a "final" for version v can
// only land as v+1, right after the save the judge saw, and a save that
// raced it either took v+1 first (the final is refused and says so) or
// finds the final when it reads again. The score document is the latest
// version, written after its log entry. With SingleWriter both happen under
// the session's lock and the document is always the latest version; without
// it the document may lag its log for a moment (or be overwritten by a
// slower writer on FerretDB), so readers follow the log from the document's
// version to the end of the chain.
type ScoreStore struct{ db *DB }

// Scores returns the score store.
func (db *DB) Scores() *ScoreStore { return &ScoreStore{db: db} }

var _ roadshow.ScoreStore = (*ScoreStore)(nil)

// scoreRetries bounds how often UpdateScore reads again after another write
// took the version it wanted, before it gives up with ECONFLICT.
const scoreRetries = 50

// UpdateScore writes the next version of a score; see roadshow.ScoreStore.
func (s *ScoreStore) UpdateScore(ctx context.Context, key roadshow.ScoreKey, change roadshow.ScoreChange, check roadshow.SessionCheck) (*roadshow.Score, error) {
	ctx, cancel := s.db.op(ctx)
	defer cancel()
	if s.db.locks != nil {
		// Under the session's lock, which every session change also takes:
		// a score and "end session" cannot interleave, and no other write
		// of this score can take the version this one claims.
		defer s.db.locks.lock(key.SessionID)()
	}
	if check != nil {
		se, err := s.db.sessionByID(ctx, key.SessionID)
		if err != nil {
			return nil, err
		}
		if err := check(se); err != nil {
			return nil, err
		}
	}
	id := key.ID()
	for range scoreRetries {
		cur, err := s.latest(ctx, id)
		if err != nil {
			return nil, err
		}
		next, err := change(cur)
		if err != nil {
			return nil, err
		}
		if next == nil {
			return cur, nil
		}
		next.ID, next.SessionID, next.JudgeID, next.ApplicationID = id, key.SessionID, key.JudgeID, key.ApplicationID
		next.Version = 1
		if cur != nil {
			next.Version = cur.Version + 1
		}
		if next.Values == nil {
			next.Values = map[string]int{}
		}
		entry := next.LogEntry()
		entry.Seq = newID()
		_, err = s.db.db.Collection(colScoreLog).InsertOne(ctx, entry)
		if mongo.IsDuplicateKeyError(err) {
			continue // another write took this version: read again
		} else if err != nil {
			return nil, translate(err, "Score log entry")
		}
		if err := s.writeLatest(ctx, next); err != nil {
			return nil, err
		}
		return normalizeScore(next), nil
	}
	return nil, roadshow.CodeError(roadshow.ECONFLICT)
}

// writeLatest stores sc, whose log entry is written, as the score document,
// unless (without SingleWriter) a later version is there already.
func (s *ScoreStore) writeLatest(ctx context.Context, sc *roadshow.Score) error {
	col := s.db.db.Collection(colScores)
	filter := bson.D{{Key: "_id", Value: sc.ID}}
	if s.db.locks == nil {
		// A later version stored first does not match, and the upsert
		// then collides with its _id: that version stays.
		filter = append(filter, bson.E{Key: "version", Value: bson.D{{Key: "$lt", Value: sc.Version}}})
	}
	_, err := col.ReplaceOne(ctx, filter, sc, options.Replace().SetUpsert(true))
	if mongo.IsDuplicateKeyError(err) {
		return nil
	}
	return translate(err, "Score")
}

// latest returns the latest version of a score, nil when it has none: the
// score document, then whatever versions the log holds after it.
func (s *ScoreStore) latest(ctx context.Context, id string) (*roadshow.Score, error) {
	var head *roadshow.Score
	var doc roadshow.Score
	err := s.db.db.Collection(colScores).FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&doc)
	switch {
	case errors.Is(err, mongo.ErrNoDocuments):
	case err != nil:
		return nil, translate(err, "Score")
	default:
		head = &doc
	}
	return s.follow(ctx, id, head)
}

// follow returns the last version of the chain that starts after head (nil:
// none) in the log, or head when the log holds nothing later.
func (s *ScoreStore) follow(ctx context.Context, id string, head *roadshow.Score) (*roadshow.Score, error) {
	v := 0
	if head != nil {
		v = head.Version
	}
	log := s.db.db.Collection(colScoreLog)
	for {
		var e roadshow.ScoreLogEntry
		err := log.FindOne(ctx, bson.D{{Key: "_id", Value: roadshow.ScoreLogID(id, v+1)}}).Decode(&e)
		if errors.Is(err, mongo.ErrNoDocuments) {
			break
		} else if err != nil {
			return nil, translate(err, "Score log entry")
		}
		head = e.Score()
		v++
	}
	if head == nil {
		return nil, nil
	}
	return normalizeScore(head), nil
}

// ScoresByID returns the latest version of the scores with the given ids
// that exist, in the order of ids, each read by _id. Without SingleWriter,
// each also looks in the log for versions newer than its document.
func (s *ScoreStore) ScoresByID(ctx context.Context, ids []string) ([]*roadshow.Score, error) {
	ctx, cancel := s.db.op(ctx)
	defer cancel()
	if s.db.locks != nil {
		return findByIDs(ctx, s.db.db.Collection(colScores), "scores", ids, normalizeScore)
	}
	return readEach(ctx, ids, func(ctx context.Context, id string) (*roadshow.Score, bool, error) {
		sc, err := s.latest(ctx, id)
		return sc, sc != nil, err
	})
}

// ScoreLog returns a session's score log in the order it was written
// (entries' seq, an ObjectID made at the write). It scans the log on
// the embedded store (organizers only).
func (s *ScoreStore) ScoreLog(ctx context.Context, sessionID string) ([]*roadshow.ScoreLogEntry, error) {
	ctx, cancel := s.db.op(ctx)
	defer cancel()
	return findAll(ctx, s.db.db.Collection(colScoreLog), "score log", bson.D{{Key: "sessionId", Value: sessionID}},
		options.Find().SetSort(bson.D{{Key: "seq", Value: 1}}), normalizeLogEntry)
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
