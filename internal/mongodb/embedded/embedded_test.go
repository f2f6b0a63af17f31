package embedded_test

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo"
	"go.mongodb.org/mongo-driver/mongo/options"
	_ "modernc.org/sqlite"

	"github.com/roadshow/roadshow/internal/mongodb/embedded"
)

// The statements FerretDB v1.24.2's SQLite backend runs for operations by _id, character for
// character (internal/backends/sqlite/collection.go and query.go; prepareSelectClause puts two
// spaces after SELECT when there is no comment). %s is the quoted table name.
const (
	ferretSelectByID = `SELECT  _ferretdb_sjson FROM %s WHERE _ferretdb_sjson->'$._id' = ?`
	ferretUpdateByID = `UPDATE %s SET _ferretdb_sjson = ? WHERE _ferretdb_sjson->'$._id' = ?`
	ferretDeleteByID = `DELETE FROM %s WHERE _ferretdb_sjson->'$._id' IN (?)`
)

// MustStart starts a server on dir and closes it when the test ends.
func MustStart(tb testing.TB, dir string, logger *slog.Logger) *embedded.Server {
	tb.Helper()

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	s, err := embedded.Start(ctx, embedded.Options{Dir: dir, Logger: logger})
	if err != nil {
		tb.Fatalf("Start: %v", err)
	}

	tb.Cleanup(func() {
		if err := s.Close(); err != nil {
			tb.Errorf("Close: %v", err)
		}
	})

	return s
}

// MustConnect connects a client to s and disconnects it when the test ends
// (before the server closes, since cleanups run last-in first-out).
func MustConnect(tb testing.TB, s *embedded.Server) *mongo.Client {
	tb.Helper()

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()

	c, err := mongo.Connect(ctx, options.Client().ApplyURI(s.URI()).SetDialer(s.Dialer()))
	if err != nil {
		tb.Fatalf("Connect: %v", err)
	}

	tb.Cleanup(func() { MustDisconnect(tb, c) })

	return c
}

// MustDisconnect disconnects c; doing it twice is harmless.
func MustDisconnect(tb testing.TB, c *mongo.Client) {
	tb.Helper()

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()

	if err := c.Disconnect(ctx); err != nil && !errors.Is(err, mongo.ErrClientDisconnected) {
		tb.Errorf("Disconnect: %v", err)
	}
}

// MustOpenSQLite opens FerretDB's file for database in dir beside the running server.
func MustOpenSQLite(tb testing.TB, dir, database string) *sql.DB {
	tb.Helper()

	path := filepath.Join(dir, database+".sqlite")
	if _, err := os.Stat(path); err != nil {
		tb.Fatalf("database file: %v", err)
	}

	u := url.URL{Scheme: "file", Path: filepath.ToSlash(path), RawQuery: "mode=rw&_pragma=busy_timeout(10000)"}

	db, err := sql.Open("sqlite", u.String())
	if err != nil {
		tb.Fatalf("open %s: %v", path, err)
	}

	db.SetMaxOpenConns(1)
	tb.Cleanup(func() { _ = db.Close() })

	return db
}

// MustTableName returns the SQLite table FerretDB keeps collection in.
func MustTableName(tb testing.TB, db *sql.DB, collection string) string {
	tb.Helper()

	var table string
	if err := db.QueryRow(`SELECT table_name FROM _ferretdb_collections WHERE name = ?`, collection).Scan(&table); err != nil {
		tb.Fatalf("table of collection %s: %v", collection, err)
	}

	return table
}

// MustQueryPlan returns the details of EXPLAIN QUERY PLAN for query, one per line.
func MustQueryPlan(tb testing.TB, db *sql.DB, query string) string {
	tb.Helper()

	// EXPLAIN plans with the schema the connection has cached and, unlike a real statement,
	// does not check it against the file: read the schema first so that indexes created by
	// other connections since this one last ran a statement are seen. (db has one connection.)
	var n int
	if err := db.QueryRow(`SELECT count(*) FROM sqlite_schema`).Scan(&n); err != nil {
		tb.Fatalf("read schema: %v", err)
	}

	args := make([]any, strings.Count(query, "?"))
	for i := range args {
		args[i] = `"x"`
	}

	rows, err := db.Query("EXPLAIN QUERY PLAN "+query, args...)
	if err != nil {
		tb.Fatalf("explain %s: %v", query, err)
	}
	defer rows.Close()

	var details []string

	for rows.Next() {
		var id, parent, notUsed int
		var detail string

		if err := rows.Scan(&id, &parent, &notUsed, &detail); err != nil {
			tb.Fatalf("explain %s: %v", query, err)
		}

		details = append(details, detail)
	}

	if err := rows.Err(); err != nil {
		tb.Fatalf("explain %s: %v", query, err)
	}

	return strings.Join(details, "\n")
}

func quote(s string) string {
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}

// byIDStatements returns FerretDB's statements by _id on table: select, update, delete.
func byIDStatements(table string) []string {
	t := quote(table)

	return []string{
		fmt.Sprintf(ferretSelectByID, t),
		fmt.Sprintf(ferretUpdateByID, t),
		fmt.Sprintf(ferretDeleteByID, t),
	}
}

func MustInsertDocs(tb testing.TB, coll *mongo.Collection, n int) []string {
	tb.Helper()

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()

	ids := make([]string, n)
	docs := make([]any, n)
	body := strings.Repeat("x", 1000)

	for i := range n {
		ids[i] = fmt.Sprintf("%s-%06d", coll.Name(), i)
		docs[i] = bson.D{
			{Key: "_id", Value: ids[i]},
			{Key: "status", Value: "draft"},
			{Key: "n", Value: 0},
			{Key: "body", Value: body},
		}
	}

	if _, err := coll.InsertMany(ctx, docs); err != nil {
		tb.Fatalf("insert into %s: %v", coll.Name(), err)
	}

	return ids
}

func TestEnsureIDIndexes(t *testing.T) {
	t.Parallel()

	dir := t.TempDir()
	s := MustStart(t, dir, slog.New(slog.NewTextHandler(t.Output(), nil)))
	client := MustConnect(t, s)

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()

	const database = "roadshow"

	collections := []string{"applications", "Scores.v2"}
	for _, name := range collections {
		MustInsertDocs(t, client.Database(database).Collection(name), 50)
	}

	db := MustOpenSQLite(t, dir, database)

	tables := map[string]string{}
	for _, name := range collections {
		tables[name] = MustTableName(t, db, name)
	}

	// Without our index SQLite scans: this is what the test would catch if EnsureIDIndexes
	// did nothing or used another expression.
	for _, name := range collections {
		for _, q := range byIDStatements(tables[name]) {
			plan := MustQueryPlan(t, db, q)
			if !strings.Contains(plan, "SCAN") || strings.Contains(plan, "USING") {
				t.Errorf("before EnsureIDIndexes: plan of %q\ngot:  %q\nwant: a SCAN without an index", q, plan)
			}
		}
	}

	if err := s.EnsureIDIndexes(ctx, database); err != nil {
		t.Fatalf("EnsureIDIndexes: %v", err)
	}

	for _, name := range collections {
		wantIndex := tables[name] + "_rs_id"

		for _, q := range byIDStatements(tables[name]) {
			plan := MustQueryPlan(t, db, q)
			if !strings.Contains(plan, "USING INDEX "+wantIndex) && !strings.Contains(plan, "USING COVERING INDEX "+wantIndex) {
				t.Errorf("after EnsureIDIndexes: plan of %q\ngot:  %q\nwant: USING INDEX %s", q, plan, wantIndex)
			}

			if strings.Contains(plan, "SCAN") {
				t.Errorf("after EnsureIDIndexes: plan of %q\ngot:  %q\nwant: no SCAN", q, plan)
			}
		}
	}

	// Idempotent: a second call adds nothing and fails on nothing.
	if err := s.EnsureIDIndexes(ctx, database); err != nil {
		t.Fatalf("EnsureIDIndexes again: %v", err)
	}

	var nIndexes int
	if err := db.QueryRow(`SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND name LIKE '%\_rs\_id' ESCAPE '\'`).Scan(&nIndexes); err != nil {
		t.Fatalf("count indexes: %v", err)
	}

	if got, want := nIndexes, len(collections); got != want {
		t.Errorf("indexes: got %d, want %d", got, want)
	}

	// The server still works through the new index: reads, updates, the unique constraint.
	apps := client.Database(database).Collection("applications")

	res, err := apps.UpdateOne(ctx, bson.D{{Key: "_id", Value: "applications-000007"}}, bson.D{{Key: "$set", Value: bson.D{{Key: "n", Value: 7}}}})
	if err != nil {
		t.Fatalf("UpdateOne: %v", err)
	}

	if res.MatchedCount != 1 || res.ModifiedCount != 1 {
		t.Errorf("UpdateOne: got matched %d modified %d, want 1 1", res.MatchedCount, res.ModifiedCount)
	}

	var got struct {
		N int `bson:"n"`
	}
	if err := apps.FindOne(ctx, bson.D{{Key: "_id", Value: "applications-000007"}}).Decode(&got); err != nil {
		t.Fatalf("FindOne: %v", err)
	}

	if got.N != 7 {
		t.Errorf("n: got %d, want 7", got.N)
	}

	_, err = apps.InsertOne(ctx, bson.D{{Key: "_id", Value: "applications-000007"}})
	if !mongo.IsDuplicateKeyError(err) {
		t.Errorf("duplicate insert: got %v, want a duplicate key error", err)
	}

	if _, err := apps.DeleteOne(ctx, bson.D{{Key: "_id", Value: "applications-000008"}}); err != nil {
		t.Fatalf("DeleteOne: %v", err)
	}

	// A collection created later is covered by the next call.
	MustInsertDocs(t, client.Database(database).Collection("later"), 3)

	later := MustTableName(t, db, "later")
	if plan := MustQueryPlan(t, db, byIDStatements(later)[0]); !strings.Contains(plan, "SCAN") {
		t.Errorf("new collection before EnsureIDIndexes: got plan %q, want SCAN", plan)
	}

	if err := s.EnsureIDIndexes(ctx, database); err != nil {
		t.Fatalf("EnsureIDIndexes after new collection: %v", err)
	}

	if plan := MustQueryPlan(t, db, byIDStatements(later)[0]); !strings.Contains(plan, "USING INDEX "+later+"_rs_id") {
		t.Errorf("new collection after EnsureIDIndexes: got plan %q, want USING INDEX %s_rs_id", plan, later)
	}

	// Dropping and recreating a collection reuses the table name: the index must come back.
	if err := client.Database(database).Collection("later").Drop(ctx); err != nil {
		t.Fatalf("Drop: %v", err)
	}

	MustInsertDocs(t, client.Database(database).Collection("later"), 3)

	if err := s.EnsureIDIndexes(ctx, database); err != nil {
		t.Fatalf("EnsureIDIndexes after recreating a collection: %v", err)
	}

	later = MustTableName(t, db, "later")
	if plan := MustQueryPlan(t, db, byIDStatements(later)[0]); !strings.Contains(plan, "USING INDEX "+later+"_rs_id") {
		t.Errorf("recreated collection: got plan %q, want USING INDEX %s_rs_id", plan, later)
	}
}

func TestEnsureIDIndexesDatabases(t *testing.T) {
	t.Parallel()

	dir := t.TempDir()
	s := MustStart(t, dir, slog.New(slog.NewTextHandler(t.Output(), nil)))

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()

	t.Run("Missing", func(t *testing.T) {
		if err := s.EnsureIDIndexes(ctx, "nothing_here"); err != nil {
			t.Errorf("got %v, want nil", err)
		}

		if _, err := os.Stat(filepath.Join(dir, "nothing_here.sqlite")); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("database file: got %v, want it not to exist", err)
		}
	})

	for _, name := range []string{"", "../x", "a/b", "a.b", "a b", strings.Repeat("a", 64)} {
		t.Run(fmt.Sprintf("Invalid%q", name), func(t *testing.T) {
			if err := s.EnsureIDIndexes(ctx, name); err == nil {
				t.Errorf("got nil, want an error")
			}
		})
	}
}

func TestRestart(t *testing.T) {
	t.Parallel()

	dir := t.TempDir()
	logger := slog.New(slog.NewTextHandler(t.Output(), nil))

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()

	const database = "roadshow"

	{
		s, err := embedded.Start(ctx, embedded.Options{Dir: dir, Logger: logger})
		if err != nil {
			t.Fatalf("Start: %v", err)
		}

		client, err := mongo.Connect(ctx, options.Client().ApplyURI(s.URI()).SetDialer(s.Dialer()))
		if err != nil {
			t.Fatalf("Connect: %v", err)
		}

		MustInsertDocs(t, client.Database(database).Collection("applications"), 10)

		if err := s.EnsureIDIndexes(ctx, database); err != nil {
			t.Fatalf("EnsureIDIndexes: %v", err)
		}

		MustDisconnect(t, client)

		if err := s.Close(); err != nil {
			t.Fatalf("Close: %v", err)
		}
	}

	s := MustStart(t, dir, logger)
	client := MustConnect(t, s)
	apps := client.Database(database).Collection("applications")

	var got bson.M
	if err := apps.FindOne(ctx, bson.D{{Key: "_id", Value: "applications-000003"}}).Decode(&got); err != nil {
		t.Fatalf("FindOne after restart: %v", err)
	}

	if got["status"] != "draft" {
		t.Errorf("status: got %v, want draft", got["status"])
	}

	n, err := apps.CountDocuments(ctx, bson.D{})
	if err != nil {
		t.Fatalf("CountDocuments: %v", err)
	}

	if n != 10 {
		t.Errorf("count: got %d, want 10", n)
	}

	// FerretDB reopens a file that carries our extra index, keeps writing, and the index stays.
	if _, err := apps.InsertOne(ctx, bson.D{{Key: "_id", Value: "after-restart"}}); err != nil {
		t.Fatalf("InsertOne after restart: %v", err)
	}

	db := MustOpenSQLite(t, dir, database)
	table := MustTableName(t, db, "applications")

	if plan := MustQueryPlan(t, db, byIDStatements(table)[0]); !strings.Contains(plan, "USING INDEX "+table+"_rs_id") {
		t.Errorf("after restart: got plan %q, want USING INDEX %s_rs_id", plan, table)
	}

	if err := s.EnsureIDIndexes(ctx, database); err != nil {
		t.Errorf("EnsureIDIndexes after restart: %v", err)
	}
}

// Not parallel: it counts the goroutines of the whole process.
func TestClose(t *testing.T) {
	baseline := runtime.NumGoroutine()

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()

	s, err := embedded.Start(ctx, embedded.Options{Dir: t.TempDir(), Logger: slog.New(slog.NewTextHandler(t.Output(), nil))})
	if err != nil {
		t.Fatalf("Start: %v", err)
	}

	client, err := mongo.Connect(ctx, options.Client().ApplyURI(s.URI()).SetDialer(s.Dialer()))
	if err != nil {
		t.Fatalf("Connect: %v", err)
	}

	MustInsertDocs(t, client.Database("roadshow").Collection("applications"), 5)

	if err := s.EnsureIDIndexes(ctx, "roadshow"); err != nil {
		t.Fatalf("EnsureIDIndexes: %v", err)
	}

	if n := runtime.NumGoroutine(); n <= baseline {
		t.Fatalf("goroutines while running: got %d, want more than the baseline %d", n, baseline)
	}

	MustDisconnect(t, client)

	for i := range 3 {
		if err := s.Close(); err != nil {
			t.Errorf("Close #%d: got %v, want nil", i+1, err)
		}
	}

	if err := s.EnsureIDIndexes(ctx, "roadshow"); !errors.Is(err, embedded.ErrClosed) {
		t.Errorf("EnsureIDIndexes after Close: got %v, want ErrClosed", err)
	}

	deadline := time.Now().Add(10 * time.Second)
	for {
		n := runtime.NumGoroutine()
		if n <= baseline {
			break
		}

		if time.Now().After(deadline) {
			buf := make([]byte, 1<<20)
			t.Fatalf("goroutines after Close: got %d, want at most %d\n%s", n, baseline, buf[:runtime.Stack(buf, true)])
		}

		runtime.Gosched()
		time.Sleep(10 * time.Millisecond) // polling interval, not synchronisation
	}

	// The socket is released: nothing accepts connections on it any more.
	if conn, err := s.Dialer().DialContext(context.Background(), "unix", ""); err == nil {
		_ = conn.Close()
		t.Errorf("dial the socket after Close: got a connection, want an error")
	}
}

// syncBuffer is an io.Writer safe for concurrent use.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()

	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()

	return b.buf.String()
}

func TestFerretDBLogIsQuiet(t *testing.T) {
	t.Parallel()

	var out syncBuffer

	// The application's handler lets everything through; only the package may filter.
	logger := slog.New(slog.NewTextHandler(&out, &slog.HandlerOptions{Level: slog.LevelDebug}))

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()

	s, err := embedded.Start(ctx, embedded.Options{Dir: t.TempDir(), Logger: logger})
	if err != nil {
		t.Fatalf("Start: %v", err)
	}

	client, err := mongo.Connect(ctx, options.Client().ApplyURI(s.URI()).SetDialer(s.Dialer()))
	if err != nil {
		t.Fatalf("Connect: %v", err)
	}

	coll := client.Database("roadshow").Collection("applications")
	MustInsertDocs(t, coll, 3)

	// A failing command (ok: 0): FerretDB dumps the whole response at warning level.
	err = client.Database("roadshow").RunCommand(ctx, bson.D{{Key: "noSuchCommand", Value: 1}}).Err()
	if err == nil {
		t.Fatalf("unknown command: got nil, want an error")
	}

	_, err = coll.Aggregate(ctx, mongo.Pipeline{{{Key: "$lookup", Value: bson.D{
		{Key: "from", Value: "x"}, {Key: "localField", Value: "a"}, {Key: "foreignField", Value: "b"}, {Key: "as", Value: "c"},
	}}}})
	if err == nil {
		t.Fatalf("$lookup: got nil, want an error (unsupported by FerretDB v1.24)")
	}

	MustDisconnect(t, client)

	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}

	logs := out.String()

	for _, line := range strings.Split(strings.TrimSpace(logs), "\n") {
		if !strings.Contains(line, "component=ferretdb") {
			continue
		}

		if !strings.Contains(line, "level=WARN") && !strings.Contains(line, "level=ERROR") {
			t.Errorf("FerretDB line below warning level: %s", line)
		}
	}

	for _, dump := range []string{"Request header", "Request message", "Response header", "Response message", "noSuchCommand", "applications-000001"} {
		if strings.Contains(logs, dump) {
			t.Errorf("logs contain %q:\n%s", dump, logs)
		}
	}

	if !strings.Contains(logs, "embedded mongodb started") {
		t.Errorf("logs: got %q, want our own start message", logs)
	}
}

// TestOneProcessPerDataDirectory: a second server on the same directory is
// refused with a clear message until the first one closes.
func TestOneProcessPerDataDirectory(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	first := MustStart(t, dir, nil)
	_, err := embedded.Start(context.Background(), embedded.Options{Dir: dir})
	if err == nil || !strings.Contains(err.Error(), "in use by another roadshow process") {
		t.Fatalf("second start on the same directory: got %v", err)
	}
	if err := first.Close(); err != nil {
		t.Fatal(err)
	}
	second, err := embedded.Start(context.Background(), embedded.Options{Dir: dir})
	if err != nil {
		t.Fatalf("start after close: %v", err)
	}
	second.Close()
}
