package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/roadshow/roadshow/internal/mongodb"
	"github.com/roadshow/roadshow/internal/mongodb/embedded"
)

// backup writes the store to out as an archive (mongodb.DB.Backup). The embedded store is backed
// up online: a consistent copy of its file is taken beside the running server (or with none
// running) and read through a second embedded server of its own, so the archive is one point in
// time and the server's lock is never touched. An external MongoDB is read collection after
// collection.
func backup(ctx context.Context, cfg config, out, tmpDir string, stdout, stderr io.Writer) error {
	if out == "" {
		return errors.New("backup: --out FILE is required")
	}
	if _, err := os.Lstat(out); err == nil {
		return fmt.Errorf("backup: %s exists; choose another file", out)
	}
	log := newLogger(stderr, cfg.LogLevel)

	var db *mongodb.DB
	if cfg.MongoURI != "" {
		var err error
		if db, err = mongodb.Open(ctx, cfg.MongoURI, cfg.MongoDB, mongodb.Options{}); err != nil {
			return err
		}
	} else {
		snap, err := os.MkdirTemp(tmpDir, "roadshow-backup-")
		if err != nil {
			return fmt.Errorf("backup: %w", err)
		}
		defer os.RemoveAll(snap)
		if err := embedded.Snapshot(ctx, cfg.DataDir, cfg.MongoDB, snap); errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("backup: no store in %s (ROADSHOW_DATA_DIR) for database %s", cfg.DataDir, cfg.MongoDB)
		} else if err != nil {
			return fmt.Errorf("backup: %w", err)
		}
		srv, err := embedded.Start(ctx, embedded.Options{Dir: snap, Logger: log})
		if err != nil {
			return fmt.Errorf("backup: read the copy: %w", err)
		}
		defer srv.Close()
		if db, err = mongodb.Open(ctx, srv.URI(), cfg.MongoDB, mongodb.Options{Dialer: srv.Dialer()}); err != nil {
			return err
		}
	}
	defer func() {
		cctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = db.Close(cctx)
	}()

	// Written beside its final name and renamed when complete: a failed backup leaves no file
	// that looks like an archive. 0600: it holds password hashes.
	f, err := os.CreateTemp(filepath.Dir(out), "."+filepath.Base(out)+".*")
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	done := false
	defer func() {
		if !done {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	m, err := db.Backup(ctx, f, time.Now(), tmpDir)
	if err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	if err := os.Rename(f.Name(), out); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	done = true
	fmt.Fprintf(stdout, "backed up %d documents of %d collections and %d decks to %s\n", m.Documents(), len(m.Collections), len(m.Decks), out)
	return nil
}

// restore writes the archive in into the store (mongodb.DB.Restore). On the embedded store
// opening it takes the data directory's lock, so a running server makes it fail before anything
// is read; stop the server first (an external MongoDB cannot tell: stop every server yourself).
func restore(ctx context.Context, cfg config, in string, force bool, stdout, stderr io.Writer) error {
	if in == "" {
		return errors.New("restore: --in FILE is required")
	}
	f, err := os.Open(in)
	if err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	defer f.Close()
	st, err := openStore(ctx, cfg, newLogger(stderr, cfg.LogLevel))
	if err != nil {
		return err
	}
	defer st.Close()
	m, err := st.db.Restore(ctx, f, mongodb.RestoreOptions{Force: force})
	if errors.Is(err, mongodb.ErrNotEmpty) {
		return fmt.Errorf("restore: %w (pass --force to replace them)", err)
	} else if err != nil {
		return err
	}
	if st.embedded != nil {
		if err := st.embedded.EnsureIDIndexes(ctx, cfg.MongoDB); err != nil {
			return err
		}
	}
	fmt.Fprintf(stdout, "restored %d documents of %d collections and %d decks from %s (taken %s from database %s)\n",
		m.Documents(), len(m.Collections), len(m.Decks), in, m.CreatedAt.Format(time.RFC3339), m.Database)
	return nil
}
