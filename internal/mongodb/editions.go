package mongodb

import (
	"context"
	"errors"

	"github.com/roadshow/roadshow/roadshow"
	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo"
	"go.mongodb.org/mongo-driver/mongo/options"
)

// EditionStore implements roadshow.EditionStore: the edition document of
// the settings collection, read and written by its _id.
type EditionStore struct{ db *DB }

// Editions returns the edition store.
func (db *DB) Editions() *EditionStore { return &EditionStore{db: db} }

var _ roadshow.EditionStore = (*EditionStore)(nil)

// editionID is the _id of the edition document in the settings collection.
const editionID = "edition"

type editionDoc struct {
	ID               string `bson:"_id"`
	roadshow.Edition `bson:",inline"`
}

// Edition returns the stored edition, or roadshow.DefaultEdition when none
// was saved.
func (s *EditionStore) Edition(ctx context.Context) (roadshow.Edition, error) {
	ctx, cancel := s.db.op(ctx)
	defer cancel()
	e, _, err := s.edition(ctx)
	return e, err
}

// edition reads the edition document; found is false when it does not exist.
func (s *EditionStore) edition(ctx context.Context) (e roadshow.Edition, found bool, err error) {
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
func (s *EditionStore) SaveEdition(ctx context.Context, e roadshow.Edition, rubricChanged bool) (roadshow.Edition, error) {
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
	return roadshow.CodeError(roadshow.ECONFLICT)
}

// LockRubric marks the rubric as used, writing the default edition first if
// none was saved. It never fails because the rubric is already locked.
func (s *EditionStore) LockRubric(ctx context.Context) error {
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

func normalizeEdition(e roadshow.Edition) roadshow.Edition {
	if e.Rubric.Criteria == nil {
		e.Rubric.Criteria = []roadshow.Criterion{}
	}
	e.Deadline = utcPtr(e.Deadline)
	e.UpdatedAt = e.UpdatedAt.UTC()
	return e
}
