package mongodb

import (
	"context"

	"github.com/roadshow/roadshow/roadshow"
	"go.mongodb.org/mongo-driver/bson"
)

// LinkStore implements roadshow.AccountLinkStore: the account links mailed
// to people, by the SHA-256 of their secret (reads and deletes by _id).
type LinkStore struct{ db *DB }

// Links returns the account link store.
func (db *DB) Links() *LinkStore { return &LinkStore{db: db} }

var _ roadshow.AccountLinkStore = (*LinkStore)(nil)

// CreateLink stores l.
func (s *LinkStore) CreateLink(ctx context.Context, l *roadshow.AccountLink) error {
	ctx, cancel := s.db.op(ctx)
	defer cancel()
	_, err := s.db.db.Collection(colLinks).InsertOne(ctx, l)
	return translate(err, "account link")
}

// LinkByID returns ENOTFOUND when there is no such link.
func (s *LinkStore) LinkByID(ctx context.Context, id string) (*roadshow.AccountLink, error) {
	ctx, cancel := s.db.op(ctx)
	defer cancel()
	var l roadshow.AccountLink
	if err := s.db.db.Collection(colLinks).FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&l); err != nil {
		return nil, translate(err, "account link")
	}
	l.CreatedAt, l.ExpiresAt = l.CreatedAt.UTC(), l.ExpiresAt.UTC()
	return &l, nil
}

// DeleteLink removes the link and reports whether it was there. On the
// embedded store the delete holds this process's lock of the link, so that
// of two concurrent uses exactly one sees it.
func (s *LinkStore) DeleteLink(ctx context.Context, id string) (bool, error) {
	ctx, cancel := s.db.op(ctx)
	defer cancel()
	if s.db.locks != nil {
		defer s.db.locks.lock("link:" + id)()
	}
	res, err := s.db.db.Collection(colLinks).DeleteOne(ctx, bson.D{{Key: "_id", Value: id}})
	if err != nil {
		return false, translate(err, "account link")
	}
	return res.DeletedCount == 1, nil
}
