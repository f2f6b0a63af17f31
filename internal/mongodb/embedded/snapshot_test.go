package embedded_test

import (
	"context"
	"errors"
	"io/fs"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/bson"

	"github.com/roadshow/roadshow/internal/mongodb/embedded"
)

// TestSnapshotWhileServing copies the database while its server runs and holds the data
// directory's lock, then reads the copy through a second server: every document is there, and
// writes after the snapshot are not.
func TestSnapshotWhileServing(t *testing.T) {
	t.Parallel()

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()

	dir := t.TempDir()
	live := MustStart(t, dir, nil)
	coll := MustConnect(t, live).Database("db").Collection("c")
	ids := MustInsertDocs(t, coll, 300)

	dst := t.TempDir()
	if err := embedded.Snapshot(ctx, dir, "db", dst); err != nil {
		t.Fatalf("Snapshot: %v", err)
	}
	if _, err := coll.InsertOne(ctx, bson.D{{Key: "_id", Value: "after"}}); err != nil {
		t.Fatal(err)
	}
	if err := embedded.Snapshot(ctx, dir, "db", dst); err == nil {
		t.Error("a second Snapshot into the same directory succeeded; want an error (the copy exists)")
	}

	copyColl := MustConnect(t, MustStart(t, dst, nil)).Database("db").Collection("c")
	var got []bson.M
	cur, err := copyColl.Find(ctx, bson.D{})
	if err != nil {
		t.Fatal(err)
	}
	if err := cur.All(ctx, &got); err != nil {
		t.Fatal(err)
	}
	if len(got) != len(ids) {
		t.Fatalf("snapshot holds %d documents, want %d", len(got), len(ids))
	}
	seen := map[string]bool{}
	for _, d := range got {
		seen[d["_id"].(string)] = true
	}
	for _, id := range ids {
		if !seen[id] {
			t.Errorf("document %s missing from the snapshot", id)
		}
	}
	if seen["after"] {
		t.Error("the snapshot holds a document written after it was taken")
	}

	if err := embedded.Snapshot(ctx, dir, "nosuch", t.TempDir()); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Snapshot of a missing database: got %v, want fs.ErrNotExist", err)
	}
	if err := embedded.Snapshot(ctx, dir, "../db", t.TempDir()); err == nil {
		t.Error("Snapshot accepted the database name ../db")
	}
}
