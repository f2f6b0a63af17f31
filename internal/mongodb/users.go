package mongodb

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/roadshow/roadshow/roadshow"
	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo"
	"go.mongodb.org/mongo-driver/mongo/options"
)

// UserStore implements roadshow.UserStore.
//
// E-mail uniqueness and log-in lookups go through a second collection keyed by
// the normalized e-mail, so that both are reads by _id (flat on the embedded
// store, where any other filter scans).
type UserStore struct{ db *DB }

// Users returns the user store.
func (db *DB) Users() *UserStore { return &UserStore{db: db} }

var _ roadshow.UserStore = (*UserStore)(nil)

type userDoc struct {
	ID           string        `bson:"_id"`
	Email        string        `bson:"email"`
	Name         string        `bson:"name"`
	Country      string        `bson:"country"`
	Role         roadshow.Role `bson:"role"`
	PasswordHash string        `bson:"passwordHash"`
	CreatedAt    time.Time     `bson:"createdAt"`
}

type emailDoc struct {
	ID     string `bson:"_id"`
	UserID string `bson:"userId"`
}

// CreateUser stores u and sets its ID. Returns ECONFLICT for a taken e-mail.
func (s *UserStore) CreateUser(ctx context.Context, u *roadshow.User) error {
	ctx, cancel := s.db.op(ctx)
	defer cancel()
	id := newID()
	key := roadshow.NormalizeEmail(u.Email)
	if _, err := s.db.db.Collection(colUserEmails).InsertOne(ctx, emailDoc{ID: key, UserID: id}); err != nil {
		if mongo.IsDuplicateKeyError(err) {
			return roadshow.CodeError(roadshow.ECONFLICT)
		}
		return translate(err, "user e-mail")
	}
	doc := userDoc{ID: id, Email: key, Name: u.Name, Country: u.Country, Role: u.Role, PasswordHash: u.PasswordHash, CreatedAt: u.CreatedAt}
	if _, err := s.db.db.Collection(colUsers).InsertOne(ctx, doc); err != nil {
		// Free the e-mail again so that the person can retry.
		_, _ = s.db.db.Collection(colUserEmails).DeleteOne(context.WithoutCancel(ctx), bson.D{{Key: "_id", Value: key}})
		if mongo.IsDuplicateKeyError(err) {
			return roadshow.CodeError(roadshow.ECONFLICT)
		}
		return translate(err, "user")
	}
	u.ID = id
	u.Email = key
	return nil
}

// UserByID returns ENOTFOUND when there is no such user.
func (s *UserStore) UserByID(ctx context.Context, id string) (*roadshow.User, error) {
	ctx, cancel := s.db.op(ctx)
	defer cancel()
	var d userDoc
	if err := s.db.db.Collection(colUsers).FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&d); err != nil {
		return nil, translate(err, "User")
	}
	return d.user(), nil
}

// UserByEmail returns ENOTFOUND when no account has that e-mail.
func (s *UserStore) UserByEmail(ctx context.Context, email string) (*roadshow.User, error) {
	ctx, cancel := s.db.op(ctx)
	defer cancel()
	var e emailDoc
	if err := s.db.db.Collection(colUserEmails).FindOne(ctx, bson.D{{Key: "_id", Value: roadshow.NormalizeEmail(email)}}).Decode(&e); err != nil {
		return nil, translate(err, "User")
	}
	return s.UserByID(ctx, e.UserID)
}

// HasRole reports whether any account has role r. It filters on a non-_id
// field, so it runs only at start and in tools, not per request.
func (s *UserStore) HasRole(ctx context.Context, r roadshow.Role) (bool, error) {
	ctx, cancel := s.db.op(ctx)
	defer cancel()
	err := s.db.db.Collection(colUsers).FindOne(ctx, bson.D{{Key: "role", Value: r}}, options.FindOne().SetProjection(bson.D{{Key: "_id", Value: 1}})).Err()
	if errors.Is(err, mongo.ErrNoDocuments) {
		return false, nil
	} else if err != nil {
		return false, fmt.Errorf("find user with role %s: %w", r, err)
	}
	return true, nil
}

// UsersByRole lists the accounts of a role by name (then id). It scans the
// users on the embedded store (organizers only).
func (s *UserStore) UsersByRole(ctx context.Context, r roadshow.Role) ([]*roadshow.User, error) {
	ctx, cancel := s.db.op(ctx)
	defer cancel()
	return findAll(ctx, s.db.db.Collection(colUsers), "users", bson.D{{Key: "role", Value: r}},
		options.Find().SetSort(bson.D{{Key: "name", Value: 1}, {Key: "_id", Value: 1}}), (*userDoc).user)
}

func (d *userDoc) user() *roadshow.User {
	return &roadshow.User{ID: d.ID, Email: d.Email, Name: d.Name, Country: d.Country, Role: d.Role, PasswordHash: d.PasswordHash, CreatedAt: d.CreatedAt.UTC()}
}
