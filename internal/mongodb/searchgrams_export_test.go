package mongodb

import (
	"context"

	"go.mongodb.org/mongo-driver/bson"
)

// DropSearchGrams removes every application's search pieces, as a store
// written before they existed has none.
func (db *DB) DropSearchGrams(ctx context.Context) error {
	_, err := db.db.Collection(colApps).UpdateMany(ctx, bson.D{},
		bson.D{{Key: "$unset", Value: bson.D{{Key: fieldSearchGrams, Value: ""}}}})
	return err
}

// SearchGramsOf returns the stored pieces of an application.
func (db *DB) SearchGramsOf(ctx context.Context, id string) ([]string, error) {
	var d struct {
		SearchGrams []string `bson:"searchGrams"`
	}
	err := db.db.Collection(colApps).FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&d)
	return d.SearchGrams, err
}

// Grams exposes the pieces of a word.
func Grams(s string) []string { return grams(s) }
