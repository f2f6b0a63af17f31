package mongodb

import (
	"context"
	"fmt"
	"slices"

	"github.com/roadshow/roadshow/roadshow"
	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo"
	"go.mongodb.org/mongo-driver/mongo/options"
)

// Against MongoDB (no in-memory index) the organizers' search is served by
// a multikey index on each application's searchGrams: the three-letter
// pieces of its search words (roadshow.Application.SearchWords; a shorter
// word is a piece of its own). A term occurs within a word only if the word
// holds every piece of the term, so {searchGrams: {$all: pieces of the
// term}} finds, through the index, a superset of the applications that
// match; the regular expressions of searchFilter then keep the exact ones.
// Terms of one or two letters have no piece and are matched by the
// expressions alone.

// fieldSearchGrams is the stored field; it is not part of the domain's
// type, and the store keeps it in step with every write of the fields it
// comes from.
const fieldSearchGrams = "searchGrams"

// gramLen is the length of a piece, in characters.
const gramLen = 3

// grams returns the distinct pieces of s, nil when s is shorter than
// gramLen characters.
func grams(s string) []string {
	r := []rune(s)
	if len(r) < gramLen {
		return nil
	}
	out := make([]string, 0, len(r)-gramLen+1)
	for i := 0; i+gramLen <= len(r); i++ {
		out = append(out, string(r[i:i+gramLen]))
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// searchGrams is what an application stores for the index: the pieces of
// its words, and its short words whole.
func searchGrams(a *roadshow.Application) []string {
	out := []string{}
	for _, w := range a.SearchWords() {
		if g := grams(w); g != nil {
			out = append(out, g...)
		} else {
			out = append(out, w)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// termGrams is the index's part of a term's condition; nil: the index
// cannot help with it.
func termGrams(term string) bson.E {
	g := grams(term)
	if g == nil {
		return bson.E{}
	}
	return bson.E{Key: fieldSearchGrams, Value: bson.D{{Key: "$all", Value: g}}}
}

// appDoc is an application as the server stores it when there is no
// in-memory index: with its pieces.
type appDoc struct {
	roadshow.Application `bson:",inline"`
	SearchGrams          []string `bson:"searchGrams"`
}

// setSearchGrams brings the stored pieces of a in step with its fields.
func (s *ApplicationStore) setSearchGrams(ctx context.Context, a *roadshow.Application) error {
	_, err := s.db.db.Collection(colApps).UpdateOne(ctx, bson.D{{Key: "_id", Value: a.ID}},
		bson.D{{Key: "$set", Value: bson.D{{Key: fieldSearchGrams, Value: searchGrams(a)}}}})
	return translate(err, "Application")
}

// BackfillSearch gives the search pieces to the applications that have
// none: written before the field existed, or restored from a backup of the
// embedded store. The server calls it at start against MongoDB; the backup
// and restore commands, which must not change what they copy, do not.
func (db *DB) BackfillSearch(ctx context.Context) error {
	if db.apps != nil {
		return nil // the in-memory index serves the search
	}
	col := db.db.Collection(colApps)
	cur, err := col.Find(ctx, bson.D{{Key: fieldSearchGrams, Value: bson.D{{Key: "$exists", Value: false}}}})
	if err != nil {
		return fmt.Errorf("find applications without search pieces: %w", err)
	}
	defer cur.Close(context.WithoutCancel(ctx))
	var writes []mongo.WriteModel
	flush := func() error {
		if len(writes) == 0 {
			return nil
		}
		_, err := col.BulkWrite(ctx, writes, options.BulkWrite().SetOrdered(false))
		writes = writes[:0]
		if err != nil {
			return fmt.Errorf("write search pieces: %w", err)
		}
		return nil
	}
	for cur.Next(ctx) {
		var a roadshow.Application
		if err := cur.Decode(&a); err != nil {
			return fmt.Errorf("decode application: %w", err)
		}
		writes = append(writes, mongo.NewUpdateOneModel().SetFilter(bson.D{{Key: "_id", Value: a.ID}}).
			SetUpdate(bson.D{{Key: "$set", Value: bson.D{{Key: fieldSearchGrams, Value: searchGrams(&a)}}}}))
		if len(writes) == 500 {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	if err := cur.Err(); err != nil {
		return fmt.Errorf("read applications: %w", err)
	}
	return flush()
}
