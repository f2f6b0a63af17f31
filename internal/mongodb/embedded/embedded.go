// Package embedded runs an embedded FerretDB (SQLite handler) inside the process, so that the
// application speaks the MongoDB wire protocol through go.mongodb.org/mongo-driver without an
// external database.
//
// The server listens only on a Unix domain socket in the data directory (<Dir>/mongodb.sock,
// mode 0600, in a directory of mode 0700), so that no other user of the machine can reach it:
// FerretDB asks for no credentials, and a client other than this process would also bypass its
// locks and in-memory index. It keeps one SQLite file per MongoDB database in the data directory
// (<Dir>/<database>.sqlite). Its URI is never logged.
//
// FerretDB v1.24 creates each collection's _id index on the expression
// _ferretdb_sjson->"_id", but filters on _ferretdb_sjson->'$._id', so SQLite scans the whole
// table for every operation by _id. [Server.EnsureIDIndexes] adds the index SQLite can use.
package embedded

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"
	"go.mongodb.org/mongo-driver/mongo"
	"go.mongodb.org/mongo-driver/mongo/options"
	"go.mongodb.org/mongo-driver/mongo/readpref"
	_ "modernc.org/sqlite" // registers the "sqlite" database/sql driver (the one FerretDB uses)
)

const (
	// SocketName is the file name of the server's Unix socket in the data directory.
	SocketName = "mongodb.sock"

	// maxSocketPath is the longest socket path every Unix accepts (sun_path is 104 bytes on
	// macOS and the BSDs, 108 on Linux, with the terminating NUL).
	maxSocketPath = 103

	// startTimeout bounds the wait for the server to answer a ping in Start,
	// in addition to the deadline of the caller's context.
	startTimeout = 15 * time.Second

	// busyTimeout is how long EnsureIDIndexes waits for FerretDB's own connections
	// to release a lock on the database file (FerretDB uses 10 s itself).
	busyTimeout = 10 * time.Second

	// sqliteExt is the file name extension FerretDB gives each database file
	// (internal/backends/sqlite/metadata/pool: filenameExtension).
	sqliteExt = ".sqlite"

	// collectionsTable is FerretDB's metadata table in each database file, with columns
	// name (collection name), table_name (SQLite table) and settings (JSON)
	// (internal/backends/sqlite/metadata/registry.go: metadataTableName).
	collectionsTable = "_ferretdb_collections"

	// idExpr is, character for character, the expression FerretDB's SQLite backend filters on
	// in queries, updates and deletes by _id (metadata.IDColumn = DefaultColumn + "->'$._id'").
	// SQLite uses an expression index only when the query's expression matches the indexed one.
	idExpr = `_ferretdb_sjson->'$._id'`

	// idIndexSuffix is appended to the table name to name our index.
	idIndexSuffix = "_rs_id"
)

// databaseNameRe is FerretDB's rule for database names (internal/backends/validation.go).
// It also guarantees that <Dir>/<database>.sqlite stays inside Dir.
var databaseNameRe = regexp.MustCompile(`^[a-zA-Z0-9_-]{1,63}$`)

// newMu serialises ferretdb.New, which writes a process-wide variable
// (version.Get().Package = "embedded") without synchronisation.
var newMu sync.Mutex

// ErrClosed is returned by EnsureIDIndexes after Close.
var ErrClosed = errors.New("embedded mongodb server closed")

// Options configures Start.
type Options struct {
	Dir    string       // data directory; SQLite files go in Dir (created 0700 if missing)
	Logger *slog.Logger // for our own messages; nil means slog.Default(). FerretDB gets a copy filtered to warnings and errors.
}

// Server is a running embedded FerretDB. Create it with Start and stop it with Close.
type Server struct {
	dir    string
	uri    string
	logger *slog.Logger

	cancel context.CancelFunc
	done   chan struct{} // closed when FerretDB's Run has returned
	lock   *os.File      // holds the data directory's exclusive lock

	mu     sync.Mutex // serialises EnsureIDIndexes (DDL) and guards closed
	closed bool

	closeOnce sync.Once
}

// Start starts FerretDB with its SQLite files in opts.Dir on 127.0.0.1 and a port chosen by the
// operating system. It returns once the server answers a ping, or an error when ctx ends first.
// The caller must Close the server.
func Start(ctx context.Context, opts Options) (*Server, error) {
	logger := opts.Logger
	if logger == nil {
		logger = slog.Default()
	}

	if opts.Dir == "" {
		return nil, errors.New("start embedded mongodb: no data directory")
	}

	dir, err := filepath.Abs(opts.Dir)
	if err != nil {
		return nil, fmt.Errorf("start embedded mongodb: data directory %q: %w", opts.Dir, err)
	}

	// FerretDB takes the directory as an SQLite URI ("file:/dir/") that it parses with net/url
	// and hands to SQLite without re-escaping; these characters would change its meaning.
	if strings.ContainsAny(dir, "?#%") {
		return nil, fmt.Errorf("start embedded mongodb: data directory %q must not contain '?', '#' or '%%'", dir)
	}

	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("start embedded mongodb: create data directory: %w", err)
	}

	// One process per data directory: a second one would run its own
	// FerretDB on the same files, and this process's single-writer locks
	// and in-memory index would no longer see every write.
	lock, err := lockDir(dir)
	if err != nil {
		return nil, err
	}
	started := false
	defer func() {
		if !started {
			lock.Close()
		}
	}()

	sock := filepath.Join(dir, SocketName)
	if len(sock) > maxSocketPath {
		return nil, fmt.Errorf("start embedded mongodb: the socket path %s is longer than %d bytes; use a shorter ROADSHOW_DATA_DIR", sock, maxSocketPath)
	}
	// A socket left by a process that died: the lock says it is no longer in use.
	if err := os.Remove(sock); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("start embedded mongodb: remove the old socket: %w", err)
	}
	if err := os.Chmod(dir, 0o700); err != nil {
		return nil, fmt.Errorf("start embedded mongodb: protect the data directory: %w", err)
	}

	sqliteURL := "file:" + filepath.ToSlash(dir)
	if !strings.HasSuffix(sqliteURL, "/") {
		sqliteURL += "/"
	}

	newMu.Lock()
	f, err := ferretdb.New(&ferretdb.Config{
		// FerretDB listens in New; no TCP listener at all.
		Listener:  ferretdb.ListenerConfig{Unix: sock},
		Logger:    slog.New(newQuietHandler(logger.Handler())).With(slog.String("component", "ferretdb")),
		Handler:   "sqlite",
		SQLiteURL: sqliteURL,
	})
	newMu.Unlock()

	if err != nil {
		return nil, fmt.Errorf("start embedded mongodb: %w", err)
	}

	// Not derived from ctx: ctx bounds the start, not the server's life.
	runCtx, cancel := context.WithCancel(context.Background())

	s := &Server{
		dir:    dir,
		uri:    "mongodb://" + url.QueryEscape(sock) + "/",
		logger: logger,
		cancel: cancel,
		done:   make(chan struct{}),
		lock:   lock,
	}
	started = true // from here on Close releases the lock

	go func() {
		defer close(s.done)

		// Run returns after the listener, every connection and the SQLite databases are closed.
		if err := f.Run(runCtx); err != nil {
			logger.Error("embedded mongodb stopped", slog.Any("err", err))
		}
	}()

	// The socket was made with the process's umask: only its owner may connect.
	if err := os.Chmod(sock, 0o600); err != nil {
		_ = s.Close()
		return nil, fmt.Errorf("start embedded mongodb: protect the socket: %w", err)
	}

	if err := ping(ctx, s.uri, s.Dialer()); err != nil {
		_ = s.Close()
		return nil, fmt.Errorf("start embedded mongodb: %w", err)
	}

	logger.Info("embedded mongodb started", slog.String("dir", dir))

	return s, nil
}

// ping connects to uri with dialer, pings the server and disconnects.
func ping(ctx context.Context, uri string, dialer options.ContextDialer) error {
	ctx, cancel := context.WithTimeout(ctx, startTimeout)
	defer cancel()

	client, err := mongo.Connect(ctx, options.Client().ApplyURI(uri).SetDirect(true).SetDialer(dialer))
	if err != nil {
		return fmt.Errorf("connect: %w", err)
	}

	err = client.Ping(ctx, readpref.Primary())

	if derr := client.Disconnect(context.WithoutCancel(ctx)); err == nil && derr != nil {
		err = derr
	}

	if err != nil {
		return fmt.Errorf("ping: %w", err)
	}

	return nil
}

// Dialer returns the dialer that reaches the server's socket. Connect with it: the driver
// lower-cases the host of a URI, a socket path included, so a data directory with capital
// letters would not be found from the URI alone.
func (s *Server) Dialer() options.ContextDialer {
	sock := filepath.Join(s.dir, SocketName)
	return socketDialer(sock)
}

// socketDialer dials the Unix socket at path whatever address it is asked for.
type socketDialer string

// DialContext implements options.ContextDialer.
func (d socketDialer) DialContext(ctx context.Context, _, _ string) (net.Conn, error) {
	var nd net.Dialer
	return nd.DialContext(ctx, "unix", string(d))
}

// URI returns the connection string of the server: mongodb://<url-escaped socket path>/, to
// use with Dialer. Never log it.
func (s *Server) URI() string {
	return s.uri
}

// Close stops FerretDB and waits until its goroutines have returned and its database files are
// closed. Disconnect clients first: FerretDB gives connections that are still open up to
// 3 seconds before it closes them. Calling Close again does nothing and returns nil.
func (s *Server) Close() error {
	s.closeOnce.Do(func() {
		s.mu.Lock()
		s.closed = true
		s.mu.Unlock()

		s.cancel()
		<-s.done
		if s.lock != nil {
			s.lock.Close() // releases the flock
		}
	})

	return nil
}

// EnsureIDIndexes creates, for every collection of database that lacks it, a unique index on
// the exact expression FerretDB's SQLite backend filters on for _id, so that reads, updates and
// deletes by _id stop scanning the table. Call it after the collections exist (and again after
// creating new ones): collections created later are not covered. It is idempotent; when every
// collection already has the index it costs one small query.
//
// FerretDB pushes only a filter of exactly {_id: <string or ObjectID>} down to SQL; any other
// filter (another field beside _id, or an integer _id) still scans, index or not.
//
// Returns nil when the database does not exist yet, ErrClosed after Close.
func (s *Server) EnsureIDIndexes(ctx context.Context, database string) error {
	if !databaseNameRe.MatchString(database) {
		return fmt.Errorf("ensure _id indexes: invalid database name %q", database)
	}

	// One DDL run at a time per server; also keeps Close from racing a run.
	s.mu.Lock()
	defer s.mu.Unlock()

	if s.closed {
		return ErrClosed
	}

	path := filepath.Join(s.dir, database+sqliteExt)

	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return nil
	} else if err != nil {
		return fmt.Errorf("ensure _id indexes in %s: %w", database, err)
	}

	n, err := ensureIDIndexes(ctx, path)
	if err != nil {
		return fmt.Errorf("ensure _id indexes in %s: %w", database, err)
	}

	if n > 0 {
		s.logger.Info("created _id indexes", slog.String("database", database), slog.Int("count", n))
	}

	return nil
}

// ensureIDIndexes opens the SQLite file at path (without creating it) beside FerretDB's own
// connections and creates the missing indexes. It returns how many it created.
func ensureIDIndexes(ctx context.Context, path string) (int, error) {
	db, err := sql.Open("sqlite", sqliteURI(path))
	if err != nil {
		return 0, err
	}
	defer db.Close()

	// One connection, so that the pragmas set in the URI apply to every statement.
	db.SetMaxOpenConns(1)

	var hasMeta bool

	// FerretDB creates the file before its metadata table: nothing to do in that window.
	err = db.QueryRowContext(ctx,
		`SELECT EXISTS (SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?)`,
		collectionsTable,
	).Scan(&hasMeta)
	if err != nil {
		return 0, fmt.Errorf("read schema: %w", err)
	}

	if !hasMeta {
		return 0, nil
	}

	// Tables whose index is missing, in one query: the common case (nothing to do) stays cheap.
	rows, err := db.QueryContext(ctx, `
		SELECT c.table_name
		FROM `+quoteIdent(collectionsTable)+` AS c
		WHERE NOT EXISTS (
			SELECT 1 FROM sqlite_schema AS s
			WHERE s.type = 'index' AND s.tbl_name = c.table_name AND s.name = c.table_name || ?
		)
		ORDER BY c.table_name`,
		idIndexSuffix,
	)
	if err != nil {
		return 0, fmt.Errorf("list collections: %w", err)
	}

	var tables []string

	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			rows.Close()
			return 0, fmt.Errorf("list collections: %w", err)
		}

		tables = append(tables, t)
	}

	if err := rows.Close(); err != nil {
		return 0, fmt.Errorf("list collections: %w", err)
	}

	if err := rows.Err(); err != nil {
		return 0, fmt.Errorf("list collections: %w", err)
	}

	created := 0

	for _, t := range tables {
		if _, err := db.ExecContext(ctx, idIndexSQL(t)); err != nil {
			// The collection may have been dropped since the listing.
			var exists bool

			qerr := db.QueryRowContext(ctx,
				`SELECT EXISTS (SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?)`, t,
			).Scan(&exists)
			if qerr == nil && !exists {
				continue
			}

			return created, fmt.Errorf("create index on table %s: %w", t, err)
		}

		created++
	}

	return created, nil
}

// sqliteURI returns the URI with which this package opens a FerretDB database file beside
// FerretDB: read-write without creating the file, with a busy timeout so that it waits for
// FerretDB's locks instead of failing with SQLITE_BUSY. The file is in WAL mode (FerretDB sets it,
// and it persists in the file), so readers and one writer proceed concurrently.
func sqliteURI(path string) string {
	q := url.Values{}
	q.Set("mode", "rw")
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", busyTimeout.Milliseconds()))

	u := url.URL{Scheme: "file", Path: filepath.ToSlash(path), RawQuery: q.Encode()}

	return u.String()
}

// idIndexSQL returns the statement that creates the _id index on the given collection table.
func idIndexSQL(table string) string {
	return fmt.Sprintf(`CREATE UNIQUE INDEX IF NOT EXISTS %s ON %s (%s)`,
		quoteIdent(table+idIndexSuffix), quoteIdent(table), idExpr)
}

// quoteIdent quotes an SQLite identifier.
func quoteIdent(s string) string {
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}

// lockDir takes an exclusive, non-blocking lock on dir/roadshow.lock. The
// lock is the open file's: it goes away with the process, so a crash never
// leaves a stale lock behind.
func lockDir(dir string) (*os.File, error) {
	f, err := os.OpenFile(filepath.Join(dir, "roadshow.lock"), os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("start embedded mongodb: lock data directory: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("start embedded mongodb: the data directory %s is in use by another roadshow process; stop it first or use another ROADSHOW_DATA_DIR", dir)
		}
		return nil, fmt.Errorf("start embedded mongodb: lock data directory: %w", err)
	}
	return f, nil
}
