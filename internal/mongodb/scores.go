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
// so that a judge's sheet is a set of known _ids) and the score log. It
// reads the session a score belongs to, under that session's lock, but
// never writes it.
type ScoreStore struct{ db *DB }

// Scores returns the score store.
func (db *DB) Scores() *ScoreStore { return &ScoreStore{db: db} }

var _ roadshow.ScoreStore = (*ScoreStore)(nil)

// SaveScore upserts sc under its deterministic id (which it sets) unless the
// stored score is final, then appends it to the session's score log.
// Returns ECONFLICT when the stored score is final.
func (s *ScoreStore) SaveScore(ctx context.Context, sc *roadshow.Score, check roadshow.SessionCheck) error {
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
		se, err := s.db.sessionByID(ctx, sc.SessionID)
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

func (s *ScoreStore) saveScore(ctx context.Context, sc *roadshow.Score) error {
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
	return roadshow.CodeError(roadshow.ECONFLICT)
}

// ScoresByID returns the scores with the given ids that exist, in the order
// of ids, each read by _id.
func (s *ScoreStore) ScoresByID(ctx context.Context, ids []string) ([]*roadshow.Score, error) {
	ctx, cancel := s.db.op(ctx)
	defer cancel()
	return findByIDs(ctx, s.db.db.Collection(colScores), "scores", ids, normalizeScore)
}

// ScoreLog returns a session's score log, oldest first. It scans the log on
// the embedded store (organizers only).
func (s *ScoreStore) ScoreLog(ctx context.Context, sessionID string) ([]*roadshow.ScoreLogEntry, error) {
	ctx, cancel := s.db.op(ctx)
	defer cancel()
	return findAll(ctx, s.db.db.Collection(colScoreLog), "score log", bson.D{{Key: "sessionId", Value: sessionID}},
		options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}), normalizeLogEntry)
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
