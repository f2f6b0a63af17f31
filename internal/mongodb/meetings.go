package mongodb

import (
	"context"
	"time"

	"github.com/roadshow/roadshow/roadshow"
	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo"
	"go.mongodb.org/mongo-driver/mongo/options"
)

// MeetingStore implements roadshow.MeetingStore: the meetings collection,
// one document per investor and application under a deterministic _id.
// ListMeetings filters on the investor: a scan on the embedded store, where
// an edition has a few hundred requests.
type MeetingStore struct{ db *DB }

// Meetings returns the meeting store.
func (db *DB) Meetings() *MeetingStore { return &MeetingStore{db: db} }

var _ roadshow.MeetingStore = (*MeetingStore)(nil)

// PutMeeting inserts m under its deterministic id (which it sets); when the
// investor asked before, it keeps the first request's creation time and
// takes the new note. It returns the stored meeting and whether it is new.
func (s *MeetingStore) PutMeeting(ctx context.Context, m *roadshow.Meeting) (*roadshow.Meeting, bool, error) {
	ctx, cancel := s.db.op(ctx)
	defer cancel()
	m.ID = roadshow.MeetingID(m.InvestorID, m.ApplicationID)
	col := s.db.db.Collection(colMeetings)
	if s.db.locks != nil {
		defer s.db.locks.lock(m.ID)()
	}
	_, err := col.InsertOne(ctx, m)
	if err == nil {
		out := *m
		return normalizeMeeting(&out), true, nil
	}
	if !mongo.IsDuplicateKeyError(err) {
		return nil, false, translate(err, "Meeting")
	}
	var stored roadshow.Meeting
	err = col.FindOneAndUpdate(ctx, bson.D{{Key: "_id", Value: m.ID}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "note", Value: m.Note}, {Key: "updatedAt", Value: m.UpdatedAt}}}},
		options.FindOneAndUpdate().SetReturnDocument(options.After)).Decode(&stored)
	if err != nil {
		return nil, false, translate(err, "Meeting")
	}
	return normalizeMeeting(&stored), false, nil
}

// ListMeetings lists one investor's requests, or everyone's, newest first.
func (s *MeetingStore) ListMeetings(ctx context.Context, investorID string) ([]*roadshow.Meeting, error) {
	ctx, cancel := s.db.op(ctx)
	defer cancel()
	filter := bson.D{}
	if investorID != "" {
		filter = bson.D{{Key: "investorId", Value: investorID}}
	}
	return findAll(ctx, s.db.db.Collection(colMeetings), "meetings", filter,
		options.Find().SetSort(bson.D{{Key: "createdAt", Value: -1}, {Key: "_id", Value: 1}}), normalizeMeeting)
}

// normalizeMeeting gives times in UTC.
func normalizeMeeting(m *roadshow.Meeting) *roadshow.Meeting {
	m.CreatedAt, m.UpdatedAt = m.CreatedAt.UTC().Truncate(time.Millisecond), m.UpdatedAt.UTC().Truncate(time.Millisecond)
	return m
}
