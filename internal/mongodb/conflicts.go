package mongodb

import (
	"context"

	"github.com/roadshow/roadshow/roadshow"
	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo"
	"go.mongodb.org/mongo-driver/mongo/options"
)

// ConflictStore implements roadshow.ConflictStore: the conflicts
// collection, one document per judge and application under a deterministic
// _id. ConflictsOf filters on the application: a scan on the embedded
// store, for organizers only.
type ConflictStore struct{ db *DB }

// Conflicts returns the conflict store.
func (db *DB) Conflicts() *ConflictStore { return &ConflictStore{db: db} }

var _ roadshow.ConflictStore = (*ConflictStore)(nil)

// AddConflict stores c under its deterministic id (which it sets). Declaring
// the same conflict again keeps the first declaration and returns nil.
func (s *ConflictStore) AddConflict(ctx context.Context, c *roadshow.Conflict) error {
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
func (s *ConflictStore) ConflictsByID(ctx context.Context, ids []string) ([]*roadshow.Conflict, error) {
	ctx, cancel := s.db.op(ctx)
	defer cancel()
	return findByIDs(ctx, s.db.db.Collection(colConflicts), "conflicts", ids, normalizeConflict)
}

// ConflictsOf lists the conflicts declared on an application, by id. It
// scans the conflicts on the embedded store.
func (s *ConflictStore) ConflictsOf(ctx context.Context, applicationID string) ([]*roadshow.Conflict, error) {
	ctx, cancel := s.db.op(ctx)
	defer cancel()
	return findAll(ctx, s.db.db.Collection(colConflicts), "conflicts", bson.D{{Key: "applicationId", Value: applicationID}},
		options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}), normalizeConflict)
}

// normalizeConflict gives times in UTC.
func normalizeConflict(c *roadshow.Conflict) *roadshow.Conflict {
	c.At = c.At.UTC()
	return c
}
