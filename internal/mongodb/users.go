package mongodb

import (
	"context"
	"errors"
	"fmt"
	"strings"
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
	ID              string        `bson:"_id"`
	Email           string        `bson:"email"`
	Name            string        `bson:"name"`
	Organization    string        `bson:"organization"`
	Country         string        `bson:"country"`
	Timezone        string        `bson:"timezone"`
	Language        string        `bson:"language"`
	Role            roadshow.Role `bson:"role"`
	Disabled        bool          `bson:"disabled"`
	EmailConfirmed  *time.Time    `bson:"emailConfirmedAt"`
	MailOptOut      bool          `bson:"mailOptOut"`
	PasswordHash    string        `bson:"passwordHash"`
	TokenVersion    int           `bson:"tokenVersion"`
	CalendarVersion int           `bson:"calendarVersion"`
	CreatedAt       time.Time     `bson:"createdAt"`
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
	doc := userDoc{ID: id, Email: key, Name: u.Name, Organization: u.Organization, Country: u.Country, Timezone: u.Timezone,
		Language: u.Language, Role: u.Role, Disabled: u.Disabled, EmailConfirmed: u.EmailConfirmed, MailOptOut: u.MailOptOut,
		PasswordHash: u.PasswordHash, TokenVersion: u.TokenVersion, CalendarVersion: u.CalendarVersion, CreatedAt: u.CreatedAt}
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

// ListUsers returns a page of accounts, oldest first (by _id), of a role
// and containing a text, case-insensitively, in the name, e-mail or
// organization. The text is matched in Go: it scans the accounts of the
// role, which is what the embedded store does for any filter anyway
// (organizers only; a few thousand accounts).
func (s *UserStore) ListUsers(ctx context.Context, f roadshow.UserFilter) (roadshow.UserPage, error) {
	ctx, cancel := s.db.op(ctx)
	defer cancel()
	filter := bson.D{}
	if f.Role != "" {
		filter = append(filter, bson.E{Key: "role", Value: f.Role})
	}
	if f.Cursor != "" {
		filter = append(filter, bson.E{Key: "_id", Value: bson.D{{Key: "$gt", Value: f.Cursor}}})
	}
	cur, err := s.db.db.Collection(colUsers).Find(ctx, filter, options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}))
	if err != nil {
		return roadshow.UserPage{}, translate(err, "users")
	}
	defer cur.Close(context.WithoutCancel(ctx))
	q := strings.ToLower(f.Query)
	page := roadshow.UserPage{Items: []*roadshow.User{}}
	for cur.Next(ctx) {
		var d userDoc
		if err := cur.Decode(&d); err != nil {
			return roadshow.UserPage{}, fmt.Errorf("decode user: %w", err)
		}
		if q != "" && !strings.Contains(strings.ToLower(d.Name+"\n"+d.Email+"\n"+d.Organization), q) {
			continue
		}
		if len(page.Items) == f.Limit {
			page.NextCursor = page.Items[len(page.Items)-1].ID
			break
		}
		page.Items = append(page.Items, d.user())
	}
	if err := cur.Err(); err != nil {
		return roadshow.UserPage{}, translate(err, "users")
	}
	return page, nil
}

// UpdateUser applies ch to the account by _id: one $set and $inc. On the
// embedded store FerretDB applies $inc as an unlocked read-modify-write, so
// the change holds this process's lock of the account.
func (s *UserStore) UpdateUser(ctx context.Context, id string, ch roadshow.UserChange) (*roadshow.User, error) {
	if !roadshow.ValidID(id) {
		return nil, roadshow.CodeError(roadshow.ENOTFOUND)
	}
	ctx, cancel := s.db.op(ctx)
	defer cancel()
	if s.db.locks != nil {
		defer s.db.locks.lock("user:" + id)()
	}
	set := bson.D{}
	add := func(key string, v any, ok bool) {
		if ok {
			set = append(set, bson.E{Key: key, Value: v})
		}
	}
	str := func(p *string) (string, bool) {
		if p == nil {
			return "", false
		}
		return *p, true
	}
	v, ok := str(ch.Name)
	add("name", v, ok)
	v, ok = str(ch.Organization)
	add("organization", v, ok)
	v, ok = str(ch.Country)
	add("country", v, ok)
	v, ok = str(ch.Timezone)
	add("timezone", v, ok)
	v, ok = str(ch.Language)
	add("language", v, ok)
	v, ok = str(ch.PasswordHash)
	add("passwordHash", v, ok)
	if ch.Role != nil {
		add("role", *ch.Role, true)
	}
	if ch.Disabled != nil {
		add("disabled", *ch.Disabled, true)
	}
	if ch.MailOptOut != nil {
		add("mailOptOut", *ch.MailOptOut, true)
	}
	if ch.EmailConfirmed != nil {
		add("emailConfirmedAt", *ch.EmailConfirmed, true)
	}
	inc := bson.D{}
	if ch.BumpTokens {
		inc = append(inc, bson.E{Key: "tokenVersion", Value: 1})
	}
	if ch.BumpCalendar {
		inc = append(inc, bson.E{Key: "calendarVersion", Value: 1})
	}
	update := bson.D{}
	if len(set) > 0 {
		update = append(update, bson.E{Key: "$set", Value: set})
	}
	if len(inc) > 0 {
		update = append(update, bson.E{Key: "$inc", Value: inc})
	}
	var d userDoc
	col := s.db.db.Collection(colUsers)
	if len(update) == 0 {
		if err := col.FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&d); err != nil {
			return nil, translate(err, "user")
		}
		return d.user(), nil
	}
	err := col.FindOneAndUpdate(ctx, bson.D{{Key: "_id", Value: id}}, update,
		options.FindOneAndUpdate().SetReturnDocument(options.After)).Decode(&d)
	if err != nil {
		return nil, translate(err, "user")
	}
	return d.user(), nil
}

func (d *userDoc) user() *roadshow.User {
	u := &roadshow.User{ID: d.ID, Email: d.Email, Name: d.Name, Organization: d.Organization, Country: d.Country,
		Timezone: d.Timezone, Language: d.Language, Role: d.Role, Disabled: d.Disabled, MailOptOut: d.MailOptOut,
		PasswordHash: d.PasswordHash, PasswordSet: d.PasswordHash != "", TokenVersion: d.TokenVersion,
		CalendarVersion: d.CalendarVersion, CreatedAt: d.CreatedAt.UTC()}
	if d.EmailConfirmed != nil {
		t := d.EmailConfirmed.UTC()
		u.EmailConfirmed = &t
	}
	return u
}
