package embedded

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// Snapshot copies the database file of database in the data directory dir into dst (a directory
// that must exist and hold no such file), as one consistent point-in-time image, with SQLite's
// VACUUM INTO. It does not need the data directory's lock: in WAL mode a reader neither waits for
// nor blocks the running server's writer, so a second process can take it while the server serves.
// Start a Server on dst to read the copy through the MongoDB protocol.
//
// Run it as the user that owns the data directory (it is mode 0700). It returns an error wrapping
// fs.ErrNotExist when the database file does not exist.
func Snapshot(ctx context.Context, dir, database, dst string) error {
	if !databaseNameRe.MatchString(database) {
		return fmt.Errorf("snapshot: invalid database name %q", database)
	}
	src := filepath.Join(dir, database+sqliteExt)
	if _, err := os.Stat(src); err != nil {
		return fmt.Errorf("snapshot %s: %w", src, err)
	}
	out := filepath.Join(dst, database+sqliteExt)
	if _, err := os.Stat(out); err == nil {
		return fmt.Errorf("snapshot: %s already exists", out)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("snapshot: %w", err)
	}

	db, err := sql.Open("sqlite", sqliteURI(src))
	if err != nil {
		return fmt.Errorf("snapshot %s: %w", src, err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)

	// VACUUM INTO reads the source in one read transaction: the copy is the database as of its
	// start, with no half-written transaction of the server's.
	if _, err := db.ExecContext(ctx, `VACUUM INTO ?`, out); err != nil {
		_ = os.Remove(out)
		return fmt.Errorf("snapshot %s: %w", src, err)
	}
	if err := os.Chmod(out, 0o600); err != nil {
		return fmt.Errorf("snapshot: %w", err)
	}
	return nil
}
