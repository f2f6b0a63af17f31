package embedded_test

import (
	"context"
	"fmt"
	"log/slog"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo"
)

// BenchmarkUpdateByID updates one document of about 1 KB by its _id, in a collection of
// 100, 1,000 and 8,000 documents, without and with the index EnsureIDIndexes creates.
// Without it every update scans the table, so its time grows with the collection; with it the
// time should stay flat. "index=true,cond" adds a second field to the filter
// ({_id, status}, as a conditional state change would): FerretDB v1.24 then does not push the
// filter down to SQL at all and scans in Go, index or not.
//
// The documents are inserted once per size, before any timer runs.
func BenchmarkUpdateByID(b *testing.B) {
	logger := slog.New(slog.DiscardHandler)

	for _, n := range []int{100, 1000, 8000} {
		b.Run(fmt.Sprintf("docs=%d", n), func(b *testing.B) {
			s := MustStart(b, b.TempDir(), logger)
			client := MustConnect(b, s)

			plain := client.Database("plain").Collection("applications")
			indexed := client.Database("indexed").Collection("applications")

			ids := MustInsertDocs(b, plain, n)
			MustInsertDocs(b, indexed, n)

			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
			defer cancel()

			if err := s.EnsureIDIndexes(ctx, "indexed"); err != nil {
				b.Fatalf("EnsureIDIndexes: %v", err)
			}

			run := func(b *testing.B, coll *mongo.Collection, withStatus bool) {
				for i := 0; b.Loop(); i++ {
					// Spread over the whole collection (7919 is a prime, coprime with every n):
					// a scan that stops at the first match must not look cheap.
					id := ids[(i*7919)%n]

					filter := bson.D{{Key: "_id", Value: id}}
					if withStatus {
						filter = append(filter, bson.E{Key: "status", Value: "draft"})
					}

					res, err := coll.UpdateOne(ctx, filter, bson.D{{Key: "$set", Value: bson.D{{Key: "n", Value: i + 1}}}})
					if err != nil {
						b.Fatalf("UpdateOne: %v", err)
					}

					if res.MatchedCount != 1 {
						b.Fatalf("UpdateOne %s: matched %d, want 1", id, res.MatchedCount)
					}
				}
			}

			b.Run("index=false", func(b *testing.B) { run(b, plain, false) })
			b.Run("index=true", func(b *testing.B) { run(b, indexed, false) })
			b.Run("index=true,cond", func(b *testing.B) { run(b, indexed, true) })
		})
	}
}

// BenchmarkEnsureIDIndexesNoop measures EnsureIDIndexes when every collection already has
// its index (the common case at each start).
func BenchmarkEnsureIDIndexesNoop(b *testing.B) {
	s := MustStart(b, b.TempDir(), slog.New(slog.DiscardHandler))
	client := MustConnect(b, s)

	for _, name := range []string{"applications", "scores", "sessions", "users"} {
		MustInsertDocs(b, client.Database("roadshow").Collection(name), 10)
	}

	ctx := context.Background()

	if err := s.EnsureIDIndexes(ctx, "roadshow"); err != nil {
		b.Fatalf("EnsureIDIndexes: %v", err)
	}

	for b.Loop() {
		if err := s.EnsureIDIndexes(ctx, "roadshow"); err != nil {
			b.Fatalf("EnsureIDIndexes: %v", err)
		}
	}
}
