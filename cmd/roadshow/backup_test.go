package main

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/rand"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/roadshow/roadshow/internal/mongodb"
	"github.com/roadshow/roadshow/internal/mongodb/embedded"
	"github.com/roadshow/roadshow/roadshow"
	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/bson/primitive"
)

// MustOpenEmbedded opens the store in dir the way serve does, and closes it when the test ends
// or when the returned function is called.
func MustOpenEmbedded(tb testing.TB, dir string) (*mongodb.DB, func()) {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	st, err := openStore(ctx, config{DataDir: dir, MongoDB: "roadshow"}, newLogger(io.Discard, 0))
	if err != nil {
		tb.Fatalf("open store in %s: %v", dir, err)
	}
	closed := false
	closeFn := func() {
		if !closed {
			closed = true
			st.Close()
		}
	}
	tb.Cleanup(closeFn)
	return st.db, closeFn
}

// MustDumpAll reads every document of every collection the stores use, as canonical Extended
// JSON by collection and _id.
func MustDumpAll(tb testing.TB, db *mongodb.DB) map[string]map[string]string {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	out := map[string]map[string]string{}
	for _, name := range mongodb.Collections() {
		docs := map[string]string{}
		cur, err := db.Database().Collection(name).Find(ctx, bson.D{})
		if err != nil {
			tb.Fatalf("dump %s: %v", name, err)
		}
		for cur.Next(ctx) {
			id, err := bson.MarshalExtJSON(bson.D{{Key: "_id", Value: cur.Current.Lookup("_id")}}, true, false)
			if err != nil {
				tb.Fatal(err)
			}
			doc, err := bson.MarshalExtJSON(cur.Current, true, false)
			if err != nil {
				tb.Fatal(err)
			}
			docs[string(id)] = string(doc)
		}
		if err := cur.Err(); err != nil {
			tb.Fatalf("dump %s: %v", name, err)
		}
		cur.Close(ctx)
		out[name] = docs
	}
	return out
}

// compareDumps reports every document that differs between two dumps.
func compareDumps(tb testing.TB, want, got map[string]map[string]string) {
	tb.Helper()
	for _, name := range mongodb.Collections() {
		if len(got[name]) != len(want[name]) {
			tb.Errorf("%s: got %d documents, want %d", name, len(got[name]), len(want[name]))
		}
		for id, w := range want[name] {
			if g, ok := got[name][id]; !ok {
				tb.Errorf("%s %s: missing after restore", name, id)
			} else if g != w {
				tb.Errorf("%s %s:\ngot  %s\nwant %s", name, id, g, w)
			}
		}
	}
}

func runCmd(tb testing.TB, env map[string]string, args ...string) (string, error) {
	tb.Helper()
	var out bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	err := run(ctx, args, envOf(env), strings.NewReader(""), &out, io.Discard, nil)
	return out.String(), err
}

// TestBackupRestoreRoundTrip fills every collection (a demo edition, decks of several chunks,
// documents of every BSON type the stores write), backs it up while the server runs, restores
// it into an empty data directory and compares every document of every collection.
func TestBackupRestoreRoundTrip(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dirA := t.TempDir()
	envA := map[string]string{"ROADSHOW_DATA_DIR": dirA}
	if _, err := runCmd(t, envA, "demo", "--applications", "12"); err != nil {
		t.Fatalf("demo: %v", err)
	}

	// Decks through the real deck store: one of three chunks (the last one short), one of one.
	dbA, closeA := MustOpenEmbedded(t, dirA)
	big := make([]byte, 600<<10)
	rand.Read(big)
	if _, err := dbA.Decks().WriteDeck(ctx, "app1", bytes.NewReader(big)); err != nil {
		t.Fatal(err)
	}
	if _, err := dbA.Decks().WriteDeck(ctx, "app2", strings.NewReader("%PDF-1.7 small deck")); err != nil {
		t.Fatal(err)
	}
	// Every collection holds something, with the types a store may write: a chunk that is not
	// part of a regular deck stays a document.
	typed := bson.D{
		{Key: "at", Value: primitive.NewDateTimeFromTime(time.Date(2026, 11, 27, 8, 30, 0, 123e6, time.UTC))},
		{Key: "i32", Value: int32(7)}, {Key: "i64", Value: int64(1) << 40}, {Key: "f", Value: 0.1},
		{Key: "bin", Value: primitive.Binary{Subtype: 0, Data: []byte{0, 1, 2, 255}}},
		{Key: "oid", Value: primitive.NewObjectID()}, {Key: "null", Value: nil}, {Key: "ok", Value: true},
		{Key: "nested", Value: bson.D{{Key: "list", Value: bson.A{"a", int64(2), bson.D{{Key: "x", Value: 1.5}}}}}},
		{Key: "text", Value: "多语言 \"quoted\"\n"},
	}
	for _, name := range mongodb.Collections() {
		if _, err := dbA.Database().Collection(name).InsertOne(ctx, append(bson.D{{Key: "_id", Value: "typed-" + name}}, typed...)); err != nil {
			t.Fatalf("insert into %s: %v", name, err)
		}
	}
	closeA()

	// Online: the server holds the data directory's lock while the backup runs.
	srv := MustServe(t, map[string]string{"ROADSHOW_DATA_DIR": dirA})
	archive := filepath.Join(t.TempDir(), "edition.tar.gz")
	out, err := runCmd(t, envA, "backup", "--out", archive)
	if err != nil {
		t.Fatalf("backup while serving: %v", err)
	}
	if !strings.Contains(out, "2 decks") {
		t.Errorf("backup says %q; want 2 decks written as files", out)
	}
	if fi, err := os.Stat(archive); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("archive: %v, mode %v; want 0600 (it holds password hashes)", err, fi.Mode().Perm())
	}
	if _, err := runCmd(t, envA, "backup", "--out", archive); err == nil {
		t.Error("backup overwrote an existing file")
	}
	// Restore refuses the running server's data directory before reading anything.
	if _, err := runCmd(t, envA, "restore", "--in", archive, "--force"); err == nil || !strings.Contains(err.Error(), "in use") {
		t.Errorf("restore into a running server's directory: got %v, want the lock's refusal", err)
	}
	srv.Stop(t)
	// What the backup saw: the server wrote at start (counters) and nothing after, as no
	// request reached it.
	dbA, closeA = MustOpenEmbedded(t, dirA)
	want := MustDumpAll(t, dbA)
	closeA()
	for _, name := range mongodb.Collections() {
		if len(want[name]) == 0 {
			t.Fatalf("collection %s is empty before the backup", name)
		}
	}
	if n := len(want["deck_chunks"]); n != 5 {
		t.Fatalf("deck_chunks holds %d documents, want 3+1+1", n)
	}

	dirB := t.TempDir()
	envB := map[string]string{"ROADSHOW_DATA_DIR": dirB}
	if out, err := runCmd(t, envB, "restore", "--in", archive); err != nil {
		t.Fatalf("restore into an empty store: %v", err)
	} else if !strings.Contains(out, "restored") {
		t.Errorf("restore says %q", out)
	}
	dbB, closeB := MustOpenEmbedded(t, dirB)
	compareDumps(t, want, MustDumpAll(t, dbB))
	var deck bytes.Buffer
	rc, _ := dbB.Decks().OpenDeck(ctx, "app1", deckInfoOf(t, want, "app1"))
	if _, err := io.Copy(&deck, rc); err != nil || !bytes.Equal(deck.Bytes(), big) {
		t.Errorf("restored deck: %d bytes, err %v; want the %d bytes written", deck.Len(), err, len(big))
	}
	closeB()

	// A store that is not empty is refused, and left as it was; --force replaces it.
	if _, err := runCmd(t, envB, "restore", "--in", archive); !errors.Is(err, mongodb.ErrNotEmpty) {
		t.Errorf("restore into a full store: got %v, want ErrNotEmpty", err)
	}
	dbB, closeB = MustOpenEmbedded(t, dirB)
	if _, err := dbB.Database().Collection("users").InsertOne(ctx, bson.D{{Key: "_id", Value: "after-restore"}}); err != nil {
		t.Fatal(err)
	}
	closeB()
	if _, err := runCmd(t, envB, "restore", "--in", archive, "--force"); err != nil {
		t.Fatalf("restore --force: %v", err)
	}
	dbB, closeB = MustOpenEmbedded(t, dirB)
	compareDumps(t, want, MustDumpAll(t, dbB))
	closeB()
}

// deckInfoOf rebuilds the DeckInfo of the one deck of app from the dump's chunk ids.
func deckInfoOf(tb testing.TB, dump map[string]map[string]string, app string) (d roadshow.DeckInfo) {
	tb.Helper()
	for id := range dump["deck_chunks"] {
		var v struct {
			ID string `bson:"_id"`
		}
		if err := bson.UnmarshalExtJSON([]byte(id), true, &v); err != nil {
			tb.Fatal(err)
		}
		parts := strings.Split(v.ID, ":")
		if len(parts) == 3 && parts[0] == app {
			d.Version = parts[1]
			d.Chunks++
		}
	}
	return d
}

// TestRestoreRefusesBadArchives changes an archive in the ways a copy can go wrong; each is
// refused and the store stays empty.
func TestRestoreRefusesBadArchives(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dirA := t.TempDir()
	dbA, closeA := MustOpenEmbedded(t, dirA)
	if _, err := dbA.Decks().WriteDeck(ctx, "app1", strings.NewReader("%PDF-1.7 deck")); err != nil {
		t.Fatal(err)
	}
	if _, err := dbA.Database().Collection("users").InsertOne(ctx, bson.D{{Key: "_id", Value: "u1"}, {Key: "email", Value: "a@example.com"}}); err != nil {
		t.Fatal(err)
	}
	var good bytes.Buffer
	if _, err := dbA.Backup(ctx, &good, time.Now(), t.TempDir()); err != nil {
		t.Fatal(err)
	}
	closeA()

	cases := map[string][]byte{
		"Truncated":     good.Bytes()[:good.Len()/2],
		"NotGzip":       []byte("users.jsonl"),
		"DeckChanged":   rewriteArchive(t, good.Bytes(), "decks/", func(b []byte) []byte { return append(bytes.Clone(b[:len(b)-1]), 'X') }),
		"DocumentAdded": rewriteArchive(t, good.Bytes(), "collections/users.jsonl", func(b []byte) []byte { return append(bytes.Clone(b), `{"_id":"u2"}`+"\n"...) }),
		"NotExtJSON":    rewriteArchive(t, good.Bytes(), "collections/users.jsonl", func(b []byte) []byte { return []byte("{not json}\n") }),
		"NoManifest":    rewriteArchive(t, good.Bytes(), "manifest.json", nil),
		"FutureVersion": rewriteArchive(t, good.Bytes(), "manifest.json", func(b []byte) []byte { return bytes.Replace(b, []byte(`"version": 1`), []byte(`"version": 2`), 1) }),
		"ExtraFile":     appendEntry(t, good.Bytes(), "collections/secrets.jsonl", []byte(`{"_id":"x"}`+"\n")),
	}
	for name, data := range cases {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			db, closeDB := MustOpenEmbedded(t, dir)
			defer closeDB()
			_, err := db.Restore(ctx, bytes.NewReader(data), mongodb.RestoreOptions{})
			if !errors.Is(err, mongodb.ErrBadArchive) {
				t.Fatalf("got %v, want ErrBadArchive", err)
			}
			for col, docs := range MustDumpAll(t, db) {
				if len(docs) > 0 {
					t.Errorf("%s holds %d documents after a refused restore", col, len(docs))
				}
			}
		})
	}
}

// rewriteArchive copies a backup archive, passing the entries whose name starts with prefix
// through change (nil drops them).
func rewriteArchive(tb testing.TB, data []byte, prefix string, change func([]byte) []byte) []byte {
	tb.Helper()
	return copyArchive(tb, data, func(tw *tar.Writer, h *tar.Header, body []byte) {
		if strings.HasPrefix(h.Name, prefix) {
			if change == nil {
				return
			}
			body = change(body)
		}
		h.Size = int64(len(body))
		if err := tw.WriteHeader(h); err != nil {
			tb.Fatal(err)
		}
		tw.Write(body)
	})
}

// appendEntry copies an archive and puts one more file before the manifest.
func appendEntry(tb testing.TB, data []byte, name string, body []byte) []byte {
	tb.Helper()
	return copyArchive(tb, data, func(tw *tar.Writer, h *tar.Header, b []byte) {
		if h.Name == "manifest.json" {
			tw.WriteHeader(&tar.Header{Name: name, Mode: 0o600, Size: int64(len(body)), Typeflag: tar.TypeReg})
			tw.Write(body)
		}
		tw.WriteHeader(h)
		tw.Write(b)
	})
}

func copyArchive(tb testing.TB, data []byte, each func(*tar.Writer, *tar.Header, []byte)) []byte {
	tb.Helper()
	gz, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		tb.Fatal(err)
	}
	tr := tar.NewReader(gz)
	var out bytes.Buffer
	gw := gzip.NewWriter(&out)
	tw := tar.NewWriter(gw)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			tb.Fatal(err)
		}
		body, err := io.ReadAll(tr)
		if err != nil {
			tb.Fatal(err)
		}
		each(tw, h, body)
	}
	tw.Close()
	gw.Close()
	return out.Bytes()
}

// TestBackupRestoreExternalMongo takes the ROADSHOW_MONGO_URI path: a backup of one database of
// a MongoDB server restored into another database of it holds every document.
func TestBackupRestoreExternalMongo(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	// The driver lower-cases the host of a URI, the socket path included (TestExternalMongoURI).
	extDir, err := os.MkdirTemp("", "external-store-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(extDir) })
	external, err := embedded.Start(ctx, embedded.Options{Dir: extDir, Logger: newLogger(io.Discard, 0)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { external.Close() })
	open := func(database string) *mongodb.DB {
		db, err := mongodb.Open(ctx, external.URI(), database, mongodb.Options{Dialer: external.Dialer()})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close(context.Background()) })
		return db
	}
	src := open("src")
	if _, err := src.Decks().WriteDeck(ctx, "app1", strings.NewReader("%PDF-1.7 deck %%EOF")); err != nil {
		t.Fatal(err)
	}
	for i, name := range mongodb.Collections() {
		if _, err := src.Database().Collection(name).InsertOne(ctx, bson.D{{Key: "_id", Value: "doc-" + name}, {Key: "n", Value: int64(i)},
			{Key: "at", Value: primitive.NewDateTimeFromTime(time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC))}}); err != nil {
			t.Fatal(err)
		}
	}
	want := MustDumpAll(t, src)

	archive := filepath.Join(t.TempDir(), "external.tar.gz")
	if _, err := runCmd(t, map[string]string{"ROADSHOW_MONGO_URI": external.URI(), "ROADSHOW_MONGO_DB": "src"}, "backup", "--out", archive); err != nil {
		t.Fatalf("backup: %v", err)
	}
	if _, err := runCmd(t, map[string]string{"ROADSHOW_MONGO_URI": external.URI(), "ROADSHOW_MONGO_DB": "dst", "ROADSHOW_DATA_DIR": t.TempDir()}, "restore", "--in", archive); err != nil {
		t.Fatalf("restore: %v", err)
	}
	compareDumps(t, want, MustDumpAll(t, open("dst")))
}
