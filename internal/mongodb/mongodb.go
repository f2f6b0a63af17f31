// Package mongodb implements the roadshow stores on go.mongodb.org/mongo-driver.
// The same code runs against the embedded FerretDB and a real MongoDB, so it
// uses only what both support (see the README, "Layout"): single-document
// conditional updates, $inc counters and reads by _id on hot paths.
package mongodb

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"sync"
	"time"

	"github.com/roadshow/roadshow/roadshow"
	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/bson/primitive"
	"go.mongodb.org/mongo-driver/event"
	"go.mongodb.org/mongo-driver/mongo"
	"go.mongodb.org/mongo-driver/mongo/options"
)

// Collection names.
const (
	colUsers      = "users"
	colUserEmails = "user_emails"
	colApps       = "applications"
	colCounters   = "counters"
	colDeckChunks = "deck_chunks"
	colSessions   = "sessions"
	colScores     = "scores"
	colScoreLog   = "score_log"
	colConflicts  = "conflicts"
	colSettings   = "settings"
	colLinks      = "account_links"
	colOutbox     = "outbox"
	colMailSent   = "mail_sent"
	colMeetings   = "meetings"
)

// DefaultTimeout bounds every store call whose caller gave no shorter deadline.
const DefaultTimeout = 5 * time.Second

// DB is a connection to one database. It is safe for concurrent use.
type DB struct {
	client  *mongo.Client
	db      *mongo.Database
	timeout time.Duration
	// locks is set when this process is the database's only writer (the
	// embedded store lives inside the process). See Options.SingleWriter.
	locks *stripedMutex
	// apps indexes the applications in memory, with locks (see appIndex).
	apps *appIndex
}

// Options tune Open.
type Options struct {
	// SingleWriter declares that no other process writes to the database, as
	// with the embedded store. Conditional updates then check their
	// condition under an in-process lock per document and write by _id
	// alone: FerretDB answers any filter other than a bare _id by scanning
	// the whole collection (measured: 143 ms per update at 8,000
	// documents, 0.7 ms by _id). Against MongoDB, leave it false: the
	// condition goes into the filter, where indexes serve it.
	SingleWriter bool
	// Dialer, when set, makes every connection (the embedded store's
	// Unix socket; see embedded.Server.Dialer).
	Dialer options.ContextDialer
	// Monitor, when set, sees every command the driver sends (metrics).
	Monitor *event.CommandMonitor
}

// Open connects to uri, pings, and creates the collections and indexes the
// stores need (idempotently).
func Open(ctx context.Context, uri, database string, opts Options) (*DB, error) {
	co := options.Client().ApplyURI(uri).SetTimeout(30 * time.Second)
	if opts.Dialer != nil {
		co.SetDialer(opts.Dialer)
	}
	if opts.Monitor != nil {
		co.SetMonitor(opts.Monitor)
	}
	client, err := mongo.Connect(ctx, co)
	if err != nil {
		return nil, fmt.Errorf("connect to %s: %w", redact(uri), err)
	}
	db := &DB{client: client, db: client.Database(database), timeout: DefaultTimeout}
	if opts.SingleWriter {
		db.locks = &stripedMutex{}
		db.apps = newAppIndex()
	}
	pctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	if err := client.Ping(pctx, nil); err != nil {
		_ = client.Disconnect(context.Background())
		return nil, fmt.Errorf("ping %s: %w", redact(uri), err)
	}
	if err := db.migrate(ctx); err != nil {
		_ = client.Disconnect(context.Background())
		return nil, err
	}
	if db.apps != nil {
		lctx, cancel := context.WithTimeout(ctx, 5*time.Minute)
		defer cancel()
		if err := db.apps.load(lctx, db); err != nil {
			_ = client.Disconnect(context.Background())
			return nil, err
		}
	}
	return db, nil
}

// Ping asks the server to answer, within ctx's deadline (readiness checks).
func (db *DB) Ping(ctx context.Context) error {
	if err := db.client.Ping(ctx, nil); err != nil {
		return fmt.Errorf("ping store: %w", err)
	}
	return nil
}

// Close disconnects.
func (db *DB) Close(ctx context.Context) error {
	return db.client.Disconnect(ctx)
}

// Stores returns every store of the database, as the domain's services take
// them.
func (db *DB) Stores() roadshow.Stores {
	return roadshow.Stores{
		Users: db.Users(), Links: db.Links(), Applications: db.Applications(), Decks: db.Decks(), Sessions: db.Sessions(),
		Editions: db.Editions(), Scores: db.Scores(), Conflicts: db.Conflicts(), Meetings: db.Meetings(),
	}
}

// Database returns the underlying database, for tools and benchmarks.
func (db *DB) Database() *mongo.Database { return db.db }

// Collections lists every collection the stores use.
func Collections() []string {
	return []string{colUsers, colUserEmails, colApps, colCounters, colDeckChunks,
		colSessions, colScores, colScoreLog, colConflicts, colSettings, colLinks, colOutbox, colMailSent, colMeetings}
}

func (db *DB) migrate(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	existing, err := db.db.ListCollectionNames(ctx, bson.D{})
	if err != nil {
		return fmt.Errorf("list collections: %w", err)
	}
	have := map[string]bool{}
	for _, n := range existing {
		have[n] = true
	}
	for _, name := range Collections() {
		if have[name] {
			continue
		}
		if err := db.db.CreateCollection(ctx, name); err != nil && !isNamespaceExists(err) {
			return fmt.Errorf("create collection %s: %w", name, err)
		}
	}
	indexes := map[string][]mongo.IndexModel{
		colUsers: {
			{Keys: bson.D{{Key: "email", Value: 1}}, Options: options.Index().SetUnique(true).SetName("email_unique")},
			{Keys: bson.D{{Key: "role", Value: 1}}, Options: options.Index().SetName("role")},
		},
		colApps: {
			{Keys: bson.D{{Key: "ownerId", Value: 1}, {Key: "_id", Value: -1}}, Options: options.Index().SetName("owner_id")},
			{Keys: bson.D{{Key: "industry", Value: 1}, {Key: "status", Value: 1}, {Key: "_id", Value: -1}}, Options: options.Index().SetName("industry_status_id")},
			{Keys: bson.D{{Key: "status", Value: 1}, {Key: "_id", Value: -1}}, Options: options.Index().SetName("status_id")},
			// The organizers' list orders (see SearchApplications).
			{Keys: bson.D{{Key: "status", Value: 1}, {Key: "submittedAt", Value: 1}, {Key: "_id", Value: 1}}, Options: options.Index().SetName("status_submitted_id")},
			{Keys: bson.D{{Key: "title", Value: 1}, {Key: "_id", Value: 1}}, Options: options.Index().SetName("title_id")},
			{Keys: bson.D{{Key: "country", Value: 1}, {Key: "_id", Value: 1}}, Options: options.Index().SetName("country_id")},
			// The organizers' search without the in-memory index (see searchgrams.go).
			{Keys: bson.D{{Key: fieldSearchGrams, Value: 1}}, Options: options.Index().SetName("search_grams")},
			// EligibleUnplanned: status and sessionId by equality, industry by $in, then _id order.
			{Keys: bson.D{{Key: "status", Value: 1}, {Key: "sessionId", Value: 1}, {Key: "industry", Value: 1}, {Key: "_id", Value: 1}}, Options: options.Index().SetName("status_session_industry_id")},
		},
		colSessions: {
			{Keys: bson.D{{Key: "industry", Value: 1}, {Key: "start", Value: 1}}, Options: options.Index().SetName("industry_start")},
			{Keys: bson.D{{Key: "judges", Value: 1}}, Options: options.Index().SetName("judges")},
			{Keys: bson.D{{Key: "investors", Value: 1}}, Options: options.Index().SetName("investors")},
		},
		colScoreLog: {
			{Keys: bson.D{{Key: "sessionId", Value: 1}, {Key: "seq", Value: 1}}, Options: options.Index().SetName("session_seq")},
		},
		colConflicts: {
			{Keys: bson.D{{Key: "applicationId", Value: 1}}, Options: options.Index().SetName("application")},
		},
		colMeetings: {
			{Keys: bson.D{{Key: "investorId", Value: 1}, {Key: "createdAt", Value: -1}}, Options: options.Index().SetName("investor_created")},
		},
	}
	for col, models := range indexes {
		if err := ensureIndexes(ctx, db.db.Collection(col), models); err != nil {
			return err
		}
	}
	return nil
}

// ensureIndexes creates the indexes a collection lacks, one at a time.
// FerretDB v1.24 panics when one createIndexes command names two indexes
// that already exist (it deletes from a shrinking slice by the original
// position), so existing ones are skipped and the rest created singly.
func ensureIndexes(ctx context.Context, col *mongo.Collection, models []mongo.IndexModel) error {
	specs, err := col.Indexes().ListSpecifications(ctx)
	if err != nil {
		return fmt.Errorf("list indexes on %s: %w", col.Name(), err)
	}
	have := map[string]bool{}
	for _, s := range specs {
		have[s.Name] = true
	}
	for _, m := range models {
		if m.Options != nil && m.Options.Name != nil && have[*m.Options.Name] {
			continue
		}
		if _, err := col.Indexes().CreateOne(ctx, m); err != nil {
			return fmt.Errorf("create index on %s: %w", col.Name(), err)
		}
	}
	return nil
}

func isNamespaceExists(err error) bool {
	var ce mongo.CommandError
	return errors.As(err, &ce) && (ce.Code == 48 || ce.Name == "NamespaceExists")
}

// op gives a store call its deadline.
func (db *DB) op(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(ctx, db.timeout)
}

// newID returns a new sortable id (an ObjectID in hex: time-ordered, so
// keyset pages by _id come out newest first).
func newID() string { return primitive.NewObjectID().Hex() }

// translate maps driver errors to domain errors; nothing above this package
// sees a driver error. The stores return bare codes (roadshow.CodeError):
// what the code means to a person is the calling service's to say.
func translate(err error, what string) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, mongo.ErrNoDocuments):
		return roadshow.CodeError(roadshow.ENOTFOUND)
	case mongo.IsDuplicateKeyError(err):
		return roadshow.CodeError(roadshow.ECONFLICT)
	case errors.Is(err, context.DeadlineExceeded) || mongo.IsTimeout(err):
		return fmt.Errorf("%s: store timed out: %w", what, err)
	}
	return fmt.Errorf("%s: %w", what, err)
}

func redact(uri string) string {
	if opts := options.Client().ApplyURI(uri); opts.Hosts != nil {
		return fmt.Sprintf("mongodb://%v", opts.Hosts)
	}
	return "mongodb"
}

// stripedMutex serializes changes to the same document within the process.
type stripedMutex struct {
	mu [64]sync.Mutex
}

func (s *stripedMutex) lock(id string) func() {
	h := fnv.New32a()
	h.Write([]byte(id))
	m := &s.mu[h.Sum32()%uint32(len(s.mu))]
	m.Lock()
	return m.Unlock
}

// findAll runs a query and decodes every document into a T, converting each
// with conv; the result is [] (never nil) when nothing matches.
func findAll[T, R any](ctx context.Context, col *mongo.Collection, what string, filter bson.D, opts *options.FindOptions, conv func(*T) R) ([]R, error) {
	cur, err := col.Find(ctx, filter, opts)
	if err != nil {
		return nil, translate(err, what)
	}
	defer cur.Close(context.WithoutCancel(ctx))
	out := []R{}
	for cur.Next(ctx) {
		var v T
		if err := cur.Decode(&v); err != nil {
			return nil, fmt.Errorf("decode %s: %w", what, err)
		}
		out = append(out, conv(&v))
	}
	if err := cur.Err(); err != nil {
		return nil, translate(err, what)
	}
	return out, nil
}

// byIDParallel bounds the concurrent reads of findByIDs: enough to overlap
// round trips, few enough to leave the embedded store's two cores to others.
const byIDParallel = 4

// findByIDs reads the documents with the given ids, each by _id (flat on the
// embedded store, where $in would scan), a few at a time. Missing ids and
// repeats are skipped; the result follows the order of ids and is [] (never
// nil) when none exist.
func findByIDs[T, R any](ctx context.Context, col *mongo.Collection, what string, ids []string, conv func(*T) R) ([]R, error) {
	return readEach(ctx, ids, func(ctx context.Context, id string) (R, bool, error) {
		var v T
		var zero R
		err := col.FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&v)
		switch {
		case errors.Is(err, mongo.ErrNoDocuments):
			return zero, false, nil
		case err != nil:
			return zero, false, translate(err, what)
		}
		return conv(&v), true, nil
	})
}

// readEach calls read for each id, a few at a time (byIDParallel), skipping
// empty ids and repeats, and returns what was found in the order of ids: []
// (never nil) when nothing was. The first error wins.
func readEach[R any](ctx context.Context, ids []string, read func(ctx context.Context, id string) (R, bool, error)) ([]R, error) {
	seen := make(map[string]bool, len(ids))
	uniq := make([]string, 0, len(ids))
	for _, id := range ids {
		if id != "" && !seen[id] {
			seen[id] = true
			uniq = append(uniq, id)
		}
	}
	found := make([]R, len(uniq))
	ok := make([]bool, len(uniq))
	errs := make([]error, len(uniq))
	sem := make(chan struct{}, byIDParallel)
	var wg sync.WaitGroup
	for i, id := range uniq {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			found[i], ok[i], errs[i] = read(ctx, id)
		}()
	}
	wg.Wait()
	out := []R{}
	for i := range uniq {
		if errs[i] != nil {
			return nil, errs[i]
		}
		if ok[i] {
			out = append(out, found[i])
		}
	}
	return out, nil
}
