package mongodb

import (
	"archive/tar"
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"os"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/bson/bsontype"
	"go.mongodb.org/mongo-driver/mongo"
	"go.mongodb.org/mongo-driver/mongo/options"
)

// A backup archive is a gzip-compressed tar (format version 1) holding:
//
//	decks/<application>/<version>.pdf  each stored deck's bytes, reassembled from its chunks
//	collections/<name>.jsonl           every document of a collection, one a line, in canonical
//	                                   MongoDB Extended JSON v2 (so dates, 64-bit integers and
//	                                   binary data come back with their types)
//	manifest.json                      last, since it carries every other file's count and checksum
//
// Decks leave deck_chunks as files so that an archive can be read with tar and a PDF viewer;
// chunks that do not form a regular deck (an _id of another shape, a gap, extra fields) stay in
// collections/deck_chunks.jsonl, so nothing is lost either way.
const (
	BackupFormat  = "roadshow-backup"
	BackupVersion = 1

	backupManifest = "manifest.json"
	// maxBackupLine bounds one line of a collection file: a 16 MiB BSON document of binary data
	// grows by a third in base64.
	maxBackupLine = 32 << 20
	// maxManifest bounds the manifest file.
	maxManifest = 64 << 20
	// restoreBatch is how many documents one insert carries.
	restoreBatch = 500
)

// ErrBadArchive is wrapped by Restore's errors about the archive itself (nothing was written).
var ErrBadArchive = errors.New("not a valid roadshow backup")

// ErrNotEmpty is wrapped by Restore's error when the store holds documents and Force is unset.
var ErrNotEmpty = errors.New("the store is not empty")

// deckNameRe is what an application id or deck version may look like to become a file name.
var deckNameRe = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)

// BackupManifest describes an archive. Counts and checksums cover the files as stored.
type BackupManifest struct {
	Format      string             `json:"format"`
	Version     int                `json:"version"`
	CreatedAt   time.Time          `json:"createdAt"`
	Database    string             `json:"database"`
	Collections []BackupCollection `json:"collections"`
	Decks       []BackupDeck       `json:"decks"`
}

// BackupCollection is one collection's file.
type BackupCollection struct {
	Name   string `json:"name"`
	File   string `json:"file"`
	Count  int64  `json:"count"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

// BackupDeck is one deck's file and how its chunks were cut.
type BackupDeck struct {
	Application string `json:"application"`
	Version     string `json:"version"`
	File        string `json:"file"`
	Chunks      int    `json:"chunks"`
	ChunkSize   int    `json:"chunkSize"`
	Size        int64  `json:"size"`
	SHA256      string `json:"sha256"`
}

// Documents is the number of documents the archive restores, deck chunks included.
func (m BackupManifest) Documents() int64 {
	var n int64
	for _, c := range m.Collections {
		n += c.Count
	}
	for _, d := range m.Decks {
		n += int64(d.Chunks)
	}
	return n
}

func collectionFile(name string) string { return "collections/" + name + ".jsonl" }

func deckFile(app, version string) string { return "decks/" + app + "/" + version + ".pdf" }

// Backup writes every collection the stores use (Collections) to w as an archive. It reads
// collection after collection, so against a server that is being written to, the archive is not
// one point in time: back up a consistent copy (embedded.Snapshot) or a stopped server, or use
// mongodump against a replica set. Temporary files go to tmpDir ("" for the system's).
func (db *DB) Backup(ctx context.Context, w io.Writer, now time.Time, tmpDir string) (BackupManifest, error) {
	m := BackupManifest{Format: BackupFormat, Version: BackupVersion, CreatedAt: now.UTC(), Database: db.db.Name(),
		Collections: []BackupCollection{}, Decks: []BackupDeck{}}
	gz := gzip.NewWriter(w)
	tw := tar.NewWriter(gz)
	put := func(name string, s *spool) error {
		return s.copyTo(tw, name, m.CreatedAt)
	}

	asFiles, err := db.backupDecks(ctx, &m, tmpDir, put)
	if err != nil {
		return BackupManifest{}, err
	}
	for _, name := range Collections() {
		c, err := db.backupCollection(ctx, name, asFiles, tmpDir, put)
		if err != nil {
			return BackupManifest{}, err
		}
		m.Collections = append(m.Collections, c)
	}

	mj, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return BackupManifest{}, err
	}
	if err := tw.WriteHeader(&tar.Header{Name: backupManifest, Mode: 0o600, Size: int64(len(mj)), ModTime: m.CreatedAt, Typeflag: tar.TypeReg}); err != nil {
		return BackupManifest{}, fmt.Errorf("write backup: %w", err)
	}
	if _, err := tw.Write(mj); err != nil {
		return BackupManifest{}, fmt.Errorf("write backup: %w", err)
	}
	if err := tw.Close(); err != nil {
		return BackupManifest{}, fmt.Errorf("write backup: %w", err)
	}
	if err := gz.Close(); err != nil {
		return BackupManifest{}, fmt.Errorf("write backup: %w", err)
	}
	return m, nil
}

// backupCollection writes one collection's documents, except the deck chunks already written as
// files (skip).
func (db *DB) backupCollection(ctx context.Context, name string, skip map[string]bool, tmpDir string, put func(string, *spool) error) (BackupCollection, error) {
	c := BackupCollection{Name: name, File: collectionFile(name)}
	s, err := newSpool(tmpDir)
	if err != nil {
		return c, err
	}
	defer s.Close()
	// A cursor, not one deadline for the whole collection: its size has no bound here.
	cur, err := db.db.Collection(name).Find(ctx, bson.D{})
	if err != nil {
		return c, fmt.Errorf("back up %s: %w", name, err)
	}
	defer cur.Close(context.WithoutCancel(ctx))
	for cur.Next(ctx) {
		if name == colDeckChunks {
			if id, ok := cur.Current.Lookup("_id").StringValueOK(); ok && skip[id] {
				continue
			}
		}
		line, err := bson.MarshalExtJSON(cur.Current, true, false)
		if err != nil {
			return c, fmt.Errorf("back up %s: %w", name, err)
		}
		s.Write(line)
		s.Write([]byte{'\n'})
		c.Count++
	}
	if err := cur.Err(); err != nil {
		return c, fmt.Errorf("back up %s: %w", name, err)
	}
	c.Size, c.SHA256 = s.n, s.sum()
	return c, put(c.File, s)
}

// chunkKey names a deck: its application and version.
type chunkKey struct{ app, version string }

// parseChunkID splits application:version:index (chunkID's format).
func parseChunkID(id string) (chunkKey, int, bool) {
	j := strings.LastIndexByte(id, ':')
	if j < 0 {
		return chunkKey{}, 0, false
	}
	i := strings.LastIndexByte(id[:j], ':')
	if i < 0 {
		return chunkKey{}, 0, false
	}
	app, version := id[:i], id[i+1:j]
	n, err := strconv.Atoi(id[j+1:])
	// Only ids chunkID writes: a restore writes the chunk back under chunkID's id.
	if err != nil || n < 0 || chunkID(app, version, n) != id || !deckNameRe.MatchString(app) || !deckNameRe.MatchString(version) {
		return chunkKey{}, 0, false
	}
	return chunkKey{app, version}, n, true
}

// backupDecks writes each regular deck as a file and returns the _ids of the chunks it wrote.
func (db *DB) backupDecks(ctx context.Context, m *BackupManifest, tmpDir string, put func(string, *spool) error) (map[string]bool, error) {
	col := db.db.Collection(colDeckChunks)
	// Ids only, then each chunk by _id: a deck is read one chunk at a time, and the embedded
	// store answers reads by _id from its index.
	cur, err := col.Find(ctx, bson.D{}, options.Find().SetProjection(bson.D{{Key: "_id", Value: 1}}))
	if err != nil {
		return nil, fmt.Errorf("back up decks: %w", err)
	}
	groups := map[chunkKey][]int{}
	for cur.Next(ctx) {
		id, ok := cur.Current.Lookup("_id").StringValueOK()
		if !ok {
			continue
		}
		if k, i, ok := parseChunkID(id); ok {
			groups[k] = append(groups[k], i)
		}
	}
	err = cur.Err()
	cur.Close(context.WithoutCancel(ctx))
	if err != nil {
		return nil, fmt.Errorf("back up decks: %w", err)
	}

	keys := make([]chunkKey, 0, len(groups))
	for k, idx := range groups {
		slices.Sort(idx)
		if idx[0] == 0 && idx[len(idx)-1] == len(idx)-1 { // sorted, so no gap and no repeat
			keys = append(keys, k)
		}
	}
	slices.SortFunc(keys, func(a, b chunkKey) int {
		return strings.Compare(a.app+":"+a.version, b.app+":"+b.version)
	})

	written := map[string]bool{}
	for _, k := range keys {
		d, ok, err := db.backupDeck(ctx, k, len(groups[k]), tmpDir, put)
		if err != nil {
			return nil, err
		}
		if !ok {
			continue // irregular: its chunks go to deck_chunks.jsonl
		}
		m.Decks = append(m.Decks, d)
		for i := range d.Chunks {
			written[chunkID(k.app, k.version, i)] = true
		}
	}
	return written, nil
}

// backupDeck writes one deck's file when its chunks are regular: each holds exactly _id and
// binary data, all as long as the first but the last, which is not longer. ok is false otherwise,
// and when a chunk vanished since the listing (a deck being replaced on a live store).
func (db *DB) backupDeck(ctx context.Context, k chunkKey, chunks int, tmpDir string, put func(string, *spool) error) (BackupDeck, bool, error) {
	d := BackupDeck{Application: k.app, Version: k.version, File: deckFile(k.app, k.version), Chunks: chunks}
	s, err := newSpool(tmpDir)
	if err != nil {
		return d, false, err
	}
	defer s.Close()
	col := db.db.Collection(colDeckChunks)
	for i := range chunks {
		octx, cancel := db.op(ctx)
		raw, err := col.FindOne(octx, bson.D{{Key: "_id", Value: chunkID(k.app, k.version, i)}}).Raw()
		cancel()
		if errors.Is(err, mongo.ErrNoDocuments) {
			return d, false, nil
		}
		if err != nil {
			return d, false, fmt.Errorf("back up deck %s/%s: %w", k.app, k.version, err)
		}
		data, ok := chunkData(raw)
		if !ok || len(data) == 0 || (i > 0 && len(data) > d.ChunkSize) || (i < chunks-1 && i > 0 && len(data) != d.ChunkSize) {
			return d, false, nil
		}
		if i == 0 {
			d.ChunkSize = len(data)
		}
		s.Write(data)
	}
	d.Size, d.SHA256 = s.n, s.sum()
	// A one-chunk deck says nothing about the size it was cut at: use ours (or its own size,
	// up to the 16 MiB a document may hold, which checkManifest allows).
	if chunks == 1 {
		d.ChunkSize = max(deckChunkSize, int(d.Size))
	}
	return d, true, put(d.File, s)
}

// chunkData returns a chunk document's data when the document is exactly {_id: string,
// data: binary of subtype 0}, which is what restoring from a file writes back.
func chunkData(raw bson.Raw) ([]byte, bool) {
	elems, err := raw.Elements()
	if err != nil || len(elems) != 2 || elems[0].Key() != "_id" || elems[1].Key() != "data" {
		return nil, false
	}
	if elems[0].Value().Type != bsontype.String {
		return nil, false
	}
	sub, data, ok := elems[1].Value().BinaryOK()
	if !ok || sub != 0 {
		return nil, false
	}
	return data, true
}

// RestoreOptions tune Restore.
type RestoreOptions struct {
	// Force empties every collection first when the store holds documents; without it Restore
	// refuses a store that is not empty.
	Force bool
}

// Restore reads an archive written by Backup and writes its documents and decks. It reads the
// whole archive first and checks it against its manifest (every file listed and present, counts,
// sizes, SHA-256, every line a document with an _id, known collections only); a bad archive
// changes nothing. It refuses a store that holds documents unless opts.Force is set. Stop the
// server first: on the embedded store, opening it takes the data directory's lock, which
// refuses a running server; and a DB opened with SingleWriter keeps an in-memory index that
// Restore does not update, so close it afterwards.
func (db *DB) Restore(ctx context.Context, r io.ReadSeeker, opts RestoreOptions) (BackupManifest, error) {
	m, err := readBackup(r, nil, nil, nil)
	if err != nil {
		return BackupManifest{}, err
	}

	var full []string
	for _, name := range Collections() {
		octx, cancel := db.op(ctx)
		n, err := db.db.Collection(name).CountDocuments(octx, bson.D{}, options.Count().SetLimit(1))
		cancel()
		if err != nil {
			return m, fmt.Errorf("restore: count %s: %w", name, err)
		}
		if n > 0 {
			full = append(full, name)
		}
	}
	if len(full) > 0 {
		if !opts.Force {
			return m, fmt.Errorf("%w: %s hold documents; restore into an empty store, or force it to replace them", ErrNotEmpty, strings.Join(full, ", "))
		}
		for _, name := range full {
			// Its own deadline: one call deletes the whole collection.
			octx, cancel := context.WithTimeout(ctx, 10*time.Minute)
			_, err := db.db.Collection(name).DeleteMany(octx, bson.D{})
			cancel()
			if err != nil {
				return m, fmt.Errorf("restore: empty %s: %w", name, err)
			}
		}
	}

	if _, err := r.Seek(0, io.SeekStart); err != nil {
		return m, fmt.Errorf("restore: %w", err)
	}
	w := &restoreWriter{ctx: ctx, db: db}
	m2, err := readBackup(r, &m, w.doc, w.chunk)
	if err == nil {
		err = w.flush()
	}
	if err == nil && !manifestsEqual(m, m2) {
		err = fmt.Errorf("%w: the archive changed while it was being restored", ErrBadArchive)
	}
	if err != nil {
		return m, fmt.Errorf("restore (the store holds part of the archive now; restore again with force): %w", err)
	}
	return m, nil
}

func manifestsEqual(a, b BackupManifest) bool {
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return bytes.Equal(ja, jb)
}

// restoreWriter inserts documents in batches and deck chunks one by one.
type restoreWriter struct {
	ctx     context.Context
	db      *DB
	col     string
	pending []any
	size    int
}

func (w *restoreWriter) doc(col string, raw bson.Raw) error {
	if col != w.col || len(w.pending) >= restoreBatch || w.size+len(raw) > 8<<20 {
		if err := w.flush(); err != nil {
			return err
		}
		w.col = col
	}
	w.pending = append(w.pending, raw)
	w.size += len(raw)
	return nil
}

func (w *restoreWriter) flush() error {
	if len(w.pending) == 0 {
		return nil
	}
	octx, cancel := context.WithTimeout(w.ctx, time.Minute)
	defer cancel()
	if _, err := w.db.db.Collection(w.col).InsertMany(octx, w.pending); err != nil {
		return fmt.Errorf("restore %s: %w", w.col, err)
	}
	w.pending, w.size = w.pending[:0], 0
	return nil
}

func (w *restoreWriter) chunk(d BackupDeck, i int, data []byte) error {
	octx, cancel := w.db.op(w.ctx)
	defer cancel()
	if _, err := w.db.db.Collection(colDeckChunks).InsertOne(octx, chunkDoc{ID: chunkID(d.Application, d.Version, i), Data: data}); err != nil {
		return fmt.Errorf("restore deck %s/%s: %w", d.Application, d.Version, err)
	}
	return nil
}

// entryStat is what reading one archive file found.
type entryStat struct {
	size   int64
	sha256 string
	count  int64
}

// readBackup reads the archive in r and checks it against its manifest, which it returns. A
// first pass checks it with want, doc and chunk nil; a second pass gives the first's manifest
// as want (it says how decks were cut, and comes last in the archive) and receives each
// document and deck chunk as it is read.
func readBackup(r io.Reader, want *BackupManifest, doc func(col string, raw bson.Raw) error, chunk func(d BackupDeck, i int, data []byte) error) (BackupManifest, error) {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%w: %s", ErrBadArchive, fmt.Sprintf(format, args...))
	}
	gz, err := gzip.NewReader(r)
	if err != nil {
		return BackupManifest{}, bad("not gzip: %v", err)
	}
	defer gz.Close()
	tr := tar.NewReader(gz)
	known := map[string]bool{}
	for _, c := range Collections() {
		known[c] = true
	}
	decks := map[string]BackupDeck{}
	if want != nil {
		for _, d := range want.Decks {
			decks[d.File] = d
		}
	}

	var m *BackupManifest
	seen := map[string]entryStat{}
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return BackupManifest{}, bad("%v", err)
		}
		if h.Typeflag != tar.TypeReg {
			return BackupManifest{}, bad("%s is not a regular file", h.Name)
		}
		if m != nil {
			return BackupManifest{}, bad("%s follows the manifest", h.Name)
		}
		if _, dup := seen[h.Name]; dup {
			return BackupManifest{}, bad("%s appears twice", h.Name)
		}
		var st entryStat
		switch {
		case h.Name == backupManifest:
			if h.Size > maxManifest {
				return BackupManifest{}, bad("the manifest is %d bytes", h.Size)
			}
			var mm BackupManifest
			dec := json.NewDecoder(io.LimitReader(tr, maxManifest))
			dec.DisallowUnknownFields()
			if err := dec.Decode(&mm); err != nil {
				return BackupManifest{}, bad("manifest: %v", err)
			}
			m = &mm
			continue
		case strings.HasPrefix(h.Name, "collections/") && strings.HasSuffix(h.Name, ".jsonl"):
			name := strings.TrimSuffix(strings.TrimPrefix(h.Name, "collections/"), ".jsonl")
			if !known[name] {
				return BackupManifest{}, bad("unknown collection %q", name)
			}
			st, err = readCollection(tr, name, doc)
		case strings.HasPrefix(h.Name, "decks/"):
			var d *BackupDeck
			if want != nil {
				dd, ok := decks[h.Name]
				if !ok {
					return BackupManifest{}, bad("%s is not in the manifest", h.Name)
				}
				d = &dd
			}
			st, err = readDeck(tr, d, chunk)
		default:
			return BackupManifest{}, bad("unexpected file %s", h.Name)
		}
		if err != nil {
			if errors.Is(err, errWrite) {
				return BackupManifest{}, err
			}
			return BackupManifest{}, bad("%s: %v", h.Name, err)
		}
		seen[h.Name] = st
	}
	if m == nil {
		return BackupManifest{}, bad("no manifest")
	}
	if err := checkManifest(*m, seen, known); err != nil {
		return BackupManifest{}, bad("%v", err)
	}
	return *m, nil
}

// errWrite marks an error of the store, not of the archive, from the second pass.
var errWrite = errors.New("write")

// readCollection reads a collection file: each line one canonical Extended JSON document with
// an _id.
func readCollection(r io.Reader, name string, doc func(string, bson.Raw) error) (entryStat, error) {
	h := sha256.New()
	br := bufio.NewReaderSize(io.TeeReader(r, h), 64<<10)
	var st entryStat
	var line []byte
	for {
		chunk, err := br.ReadSlice('\n')
		if err == bufio.ErrBufferFull {
			if len(line)+len(chunk) > maxBackupLine {
				return st, fmt.Errorf("line %d is longer than %d bytes", st.count+1, maxBackupLine)
			}
			line = append(line, chunk...)
			continue
		}
		line = append(line, chunk...)
		st.size += int64(len(line))
		if err == io.EOF {
			if len(line) > 0 {
				return st, fmt.Errorf("line %d does not end with a newline", st.count+1)
			}
			break
		}
		if err != nil {
			return st, err
		}
		var raw bson.Raw
		if err := bson.UnmarshalExtJSON(line[:len(line)-1], true, &raw); err != nil {
			return st, fmt.Errorf("line %d: %v", st.count+1, err)
		}
		if _, err := raw.LookupErr("_id"); err != nil {
			return st, fmt.Errorf("line %d: no _id", st.count+1)
		}
		st.count++
		if doc != nil {
			if err := doc(name, raw); err != nil {
				return st, fmt.Errorf("%w: %w", errWrite, err)
			}
		}
		line = nil
	}
	st.sha256 = hex.EncodeToString(h.Sum(nil))
	return st, nil
}

// readDeck reads a deck file; with d set, it cuts it into d's chunks and hands them to chunk.
func readDeck(r io.Reader, d *BackupDeck, chunk func(BackupDeck, int, []byte) error) (entryStat, error) {
	h := sha256.New()
	var st entryStat
	if d == nil {
		n, err := io.Copy(h, r)
		st.size, st.sha256 = n, hex.EncodeToString(h.Sum(nil))
		return st, err
	}
	buf := make([]byte, d.ChunkSize)
	for i := 0; ; i++ {
		n, err := io.ReadFull(r, buf)
		if n > 0 {
			h.Write(buf[:n])
			st.size += int64(n)
			// The manifest was checked in the first pass; the file still has to match it.
			if i >= d.Chunks {
				return st, fmt.Errorf("more than %d chunks", d.Chunks)
			}
			if chunk != nil {
				if err := chunk(*d, i, buf[:n]); err != nil {
					return st, fmt.Errorf("%w: %w", errWrite, err)
				}
			}
		}
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			break
		}
		if err != nil {
			return st, err
		}
	}
	st.sha256 = hex.EncodeToString(h.Sum(nil))
	return st, nil
}

// checkManifest checks the manifest against itself and against what the archive held.
func checkManifest(m BackupManifest, seen map[string]entryStat, known map[string]bool) error {
	if m.Format != BackupFormat {
		return fmt.Errorf("format %q, want %q", m.Format, BackupFormat)
	}
	if m.Version != BackupVersion {
		return fmt.Errorf("format version %d; this roadshow reads version %d", m.Version, BackupVersion)
	}
	listed := map[string]bool{}
	check := func(file string, size int64, sum string) error {
		if listed[file] {
			return fmt.Errorf("%s listed twice", file)
		}
		listed[file] = true
		st, ok := seen[file]
		switch {
		case !ok:
			return fmt.Errorf("%s is missing", file)
		case st.size != size:
			return fmt.Errorf("%s has %d bytes, the manifest says %d", file, st.size, size)
		case st.sha256 != sum:
			return fmt.Errorf("%s has SHA-256 %s, the manifest says %s", file, st.sha256, sum)
		}
		return nil
	}
	for _, c := range m.Collections {
		if !known[c.Name] || c.File != collectionFile(c.Name) {
			return fmt.Errorf("unknown collection %q (%s)", c.Name, c.File)
		}
		if err := check(c.File, c.Size, c.SHA256); err != nil {
			return err
		}
		if n := seen[c.File].count; n != c.Count {
			return fmt.Errorf("%s holds %d documents, the manifest says %d", c.File, n, c.Count)
		}
	}
	for _, d := range m.Decks {
		if !deckNameRe.MatchString(d.Application) || !deckNameRe.MatchString(d.Version) || d.File != deckFile(d.Application, d.Version) {
			return fmt.Errorf("deck %q/%q: bad name or file %q", d.Application, d.Version, d.File)
		}
		if d.ChunkSize < 1 || d.ChunkSize > 16<<20 || d.Size < 1 || int64(d.Chunks) != (d.Size+int64(d.ChunkSize)-1)/int64(d.ChunkSize) {
			return fmt.Errorf("deck %s: %d bytes do not make %d chunks of %d", d.File, d.Size, d.Chunks, d.ChunkSize)
		}
		if err := check(d.File, d.Size, d.SHA256); err != nil {
			return err
		}
	}
	for file := range seen {
		if !listed[file] {
			return fmt.Errorf("%s is not in the manifest", file)
		}
	}
	return nil
}

// spool collects one archive file in a temporary file, since a tar header needs its size first.
type spool struct {
	f   *os.File
	w   *bufio.Writer
	h   hash.Hash
	n   int64
	err error
}

func newSpool(dir string) (*spool, error) {
	f, err := os.CreateTemp(dir, "roadshow-backup-*")
	if err != nil {
		return nil, fmt.Errorf("back up: %w", err)
	}
	return &spool{f: f, w: bufio.NewWriterSize(f, 256<<10), h: sha256.New()}, nil
}

// Write keeps the first error for copyTo.
func (s *spool) Write(p []byte) {
	if s.err != nil {
		return
	}
	s.h.Write(p)
	n, err := s.w.Write(p)
	s.n += int64(n)
	s.err = err
}

func (s *spool) sum() string { return hex.EncodeToString(s.h.Sum(nil)) }

func (s *spool) copyTo(tw *tar.Writer, name string, mod time.Time) error {
	if s.err == nil {
		s.err = s.w.Flush()
	}
	if s.err != nil {
		return fmt.Errorf("back up %s: %w", name, s.err)
	}
	if _, err := s.f.Seek(0, io.SeekStart); err != nil {
		return fmt.Errorf("back up %s: %w", name, err)
	}
	if err := tw.WriteHeader(&tar.Header{Name: path.Clean(name), Mode: 0o600, Size: s.n, ModTime: mod, Typeflag: tar.TypeReg}); err != nil {
		return fmt.Errorf("write backup: %w", err)
	}
	if _, err := io.Copy(tw, s.f); err != nil {
		return fmt.Errorf("write backup: %w", err)
	}
	return nil
}

func (s *spool) Close() {
	s.f.Close()
	os.Remove(s.f.Name())
}
