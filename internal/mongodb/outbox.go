package mongodb

import (
	"context"
	"time"

	"github.com/roadshow/roadshow/roadshow"
	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo/options"
)

// OutboxStore implements roadshow.OutboxStore. Sent messages leave the
// outbox for the sent log (without their bodies), so that the outbox stays
// small: its queries filter on other fields than _id, which the embedded
// store answers by scanning the collection.
type OutboxStore struct{ db *DB }

// Outbox returns the outbox store.
func (db *DB) Outbox() *OutboxStore { return &OutboxStore{db: db} }

var _ roadshow.OutboxStore = (*OutboxStore)(nil)

type sentDoc struct {
	ID     string            `bson:"_id"`
	Kind   roadshow.MailKind `bson:"kind"`
	To     string            `bson:"to"`
	SentAt time.Time         `bson:"sentAt"`
}

// AddMail stores m, giving it an id when it has none.
func (s *OutboxStore) AddMail(ctx context.Context, m *roadshow.OutboxMessage) error {
	ctx, cancel := s.db.op(ctx)
	defer cancel()
	if m.ID == "" {
		m.ID = newID()
	}
	if m.Attachments == nil {
		m.Attachments = []roadshow.MailAttachment{}
	}
	_, err := s.db.db.Collection(colOutbox).InsertOne(ctx, m)
	return translate(err, "outbox")
}

// DueMail returns the messages to send now, oldest first.
func (s *OutboxStore) DueMail(ctx context.Context, now time.Time, limit int) ([]*roadshow.OutboxMessage, error) {
	ctx, cancel := s.db.op(ctx)
	defer cancel()
	filter := bson.D{
		{Key: "failed", Value: false},
		{Key: "nextAttempt", Value: bson.D{{Key: "$lte", Value: now}}},
		{Key: "claimedUntil", Value: bson.D{{Key: "$lte", Value: now}}},
	}
	return findAll(ctx, s.db.db.Collection(colOutbox), "outbox", filter,
		options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}).SetLimit(int64(limit)),
		func(m *roadshow.OutboxMessage) *roadshow.OutboxMessage { return m })
}

// ClaimMail takes message id until until, unless a sender holds it.
func (s *OutboxStore) ClaimMail(ctx context.Context, id string, now, until time.Time) (bool, error) {
	ctx, cancel := s.db.op(ctx)
	defer cancel()
	if s.db.locks != nil {
		defer s.db.locks.lock("mail:" + id)()
	}
	res, err := s.db.db.Collection(colOutbox).UpdateOne(ctx,
		bson.D{{Key: "_id", Value: id}, {Key: "claimedUntil", Value: bson.D{{Key: "$lte", Value: now}}}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "claimedUntil", Value: until}}}})
	if err != nil {
		return false, translate(err, "outbox")
	}
	return res.ModifiedCount == 1, nil
}

// MailSent logs the message as sent and removes it from the outbox. The log
// is written first: a crash between the two leaves a logged message in the
// outbox, which the next sender finds in the log and does not send again.
func (s *OutboxStore) MailSent(ctx context.Context, id string, at time.Time) error {
	ctx, cancel := s.db.op(ctx)
	defer cancel()
	var m roadshow.OutboxMessage
	if err := s.db.db.Collection(colOutbox).FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&m); err != nil {
		return translate(err, "outbox")
	}
	_, err := s.db.db.Collection(colMailSent).UpdateOne(ctx, bson.D{{Key: "_id", Value: id}},
		bson.D{{Key: "$set", Value: sentDoc{ID: id, Kind: m.Kind, To: m.To, SentAt: at}}}, options.Update().SetUpsert(true))
	if err != nil {
		return translate(err, "sent mail")
	}
	_, err = s.db.db.Collection(colOutbox).DeleteOne(ctx, bson.D{{Key: "_id", Value: id}})
	return translate(err, "outbox")
}

// MailWasSent reports whether message id is in the sent log.
func (s *OutboxStore) MailWasSent(ctx context.Context, id string) (bool, error) {
	ctx, cancel := s.db.op(ctx)
	defer cancel()
	err := s.db.db.Collection(colMailSent).FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Err()
	if roadshow.ErrorCode(translate(err, "")) == roadshow.ENOTFOUND {
		return false, nil
	}
	return err == nil, translate(err, "sent mail")
}

// MailRetry records a failed attempt.
func (s *OutboxStore) MailRetry(ctx context.Context, id string, attempts int, next time.Time, lastErr string, failed bool) error {
	ctx, cancel := s.db.op(ctx)
	defer cancel()
	_, err := s.db.db.Collection(colOutbox).UpdateOne(ctx, bson.D{{Key: "_id", Value: id}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "attempts", Value: attempts}, {Key: "nextAttempt", Value: next},
			{Key: "lastError", Value: lastErr}, {Key: "failed", Value: failed}, {Key: "claimedUntil", Value: time.Time{}}}}})
	return translate(err, "outbox")
}

// CountMail counts the messages waiting and those given up.
func (s *OutboxStore) CountMail(ctx context.Context) (pending, failed int, err error) {
	ctx, cancel := s.db.op(ctx)
	defer cancel()
	col := s.db.db.Collection(colOutbox)
	f, err := col.CountDocuments(ctx, bson.D{{Key: "failed", Value: true}})
	if err != nil {
		return 0, 0, translate(err, "outbox")
	}
	all, err := col.CountDocuments(ctx, bson.D{})
	if err != nil {
		return 0, 0, translate(err, "outbox")
	}
	return int(all - f), int(f), nil
}
