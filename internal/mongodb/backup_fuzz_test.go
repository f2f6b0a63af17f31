package mongodb_test

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/roadshow/roadshow/internal/mongodb"
)

// makeArchive writes a backup archive of the given collection files and decks (by file name)
// with a manifest that describes them.
func makeArchive(tb testing.TB, cols map[string]string, decks map[string][]byte, chunkSize int) []byte {
	tb.Helper()
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	put := func(name string, b []byte) string {
		if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o600, Size: int64(len(b)), Typeflag: tar.TypeReg}); err != nil {
			tb.Fatal(err)
		}
		tw.Write(b)
		s := sha256.Sum256(b)
		return hex.EncodeToString(s[:])
	}
	m := mongodb.BackupManifest{Format: mongodb.BackupFormat, Version: mongodb.BackupVersion, CreatedAt: time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC), Database: "roadshow"}
	for app, b := range decks {
		file := "decks/" + app + "/65a1f0c2e4b0a1b2c3d4e5f6.pdf"
		m.Decks = append(m.Decks, mongodb.BackupDeck{Application: app, Version: "65a1f0c2e4b0a1b2c3d4e5f6", File: file,
			Chunks: (len(b) + chunkSize - 1) / chunkSize, ChunkSize: chunkSize, Size: int64(len(b)), SHA256: put(file, b)})
	}
	for name, body := range cols {
		file := "collections/" + name + ".jsonl"
		m.Collections = append(m.Collections, mongodb.BackupCollection{Name: name, File: file,
			Count: int64(bytes.Count([]byte(body), []byte("\n"))), Size: int64(len(body)), SHA256: put(file, []byte(body))})
	}
	mj, err := json.Marshal(m)
	if err != nil {
		tb.Fatal(err)
	}
	put("manifest.json", mj)
	tw.Close()
	gz.Close()
	return buf.Bytes()
}

// FuzzReadBackup: whatever the archive, checking it never panics and refuses with
// ErrBadArchive; what it accepts, the writing pass reads the same way, handing over exactly
// the documents and deck chunks the manifest counts.
func FuzzReadBackup(f *testing.F) {
	users := `{"_id":"u1","email":"ada@example.com","createdAt":{"$date":{"$numberLong":"1764201600000"}},"n":{"$numberLong":"42"}}` + "\n" +
		`{"_id":{"$oid":"65a1f0c2e4b0a1b2c3d4e5f6"},"data":{"$binary":{"base64":"AAEC","subType":"00"}}}` + "\n"
	f.Add(makeArchive(f, map[string]string{"users": users, "settings": ""}, map[string][]byte{"app1": []byte("%PDF-1.7 deck %%EOF")}, 8))
	f.Add(makeArchive(f, map[string]string{"sessions": `{"_id":"s1","judges":["j1"]}` + "\n"}, nil, 4))
	f.Add(makeArchive(f, map[string]string{"users": `{"no_id":1}` + "\n"}, nil, 4))
	f.Add([]byte{0x1f, 0x8b})
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := mongodb.ReadBackup(bytes.NewReader(data))
		if err != nil {
			if !errors.Is(err, mongodb.ErrBadArchive) {
				t.Fatalf("refused with %v, want ErrBadArchive", err)
			}
			return
		}
		var wantDocs, wantChunks int64
		for _, c := range m.Collections {
			wantDocs += c.Count
		}
		for _, d := range m.Decks {
			wantChunks += int64(d.Chunks)
		}
		docs, chunks, err := mongodb.ReadBackupAgain(bytes.NewReader(data), m)
		if err != nil {
			t.Fatalf("accepted, then the writing pass fails: %v", err)
		}
		if docs != wantDocs || chunks != wantChunks {
			t.Fatalf("the writing pass hands over %d documents and %d chunks, the manifest counts %d and %d", docs, chunks, wantDocs, wantChunks)
		}
	})
}

// TestReadBackupSeeds: the fuzz test's well-formed seed passes the check, so the fuzzer starts
// from archives that reach the writing pass.
func TestReadBackupSeeds(t *testing.T) {
	t.Parallel()
	data := makeArchive(t, map[string]string{"users": `{"_id":"u1"}` + "\n" + `{"_id":"u2"}` + "\n"}, map[string][]byte{"app1": []byte("%PDF-1.7 deck %%EOF")}, 8)
	m, err := mongodb.ReadBackup(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	docs, chunks, err := mongodb.ReadBackupAgain(bytes.NewReader(data), m)
	if err != nil || docs != 2 || chunks != 3 {
		t.Fatalf("got %d documents, %d chunks, %v; want 2, 3 (19 bytes in chunks of 8)", docs, chunks, err)
	}
}
