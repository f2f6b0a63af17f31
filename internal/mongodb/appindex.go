package mongodb

import (
	"context"
	"fmt"
	"sort"
	"sync"

	"github.com/roadshow/roadshow/roadshow"
	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo/options"
)

// appIndex is an in-memory secondary index of the applications, kept when
// this process is the store's only writer (Options.SingleWriter).
//
// Why: the embedded FerretDB answers every query but {_id: value} by reading
// the whole collection in Go, sorting included: the organizer's first page
// took 3.9 s at 20,000 applications (roadshow bench). With the index a page
// is found in memory and its documents read by _id (flat). Against MongoDB
// the compound indexes of migrate do this job and no index is kept here.
//
// It holds a few strings per application (about 2 MB at 20,000), is built
// by one scan at start, and every write of the store updates it under the
// document's lock.
type appIndex struct {
	mu      sync.RWMutex
	entries []appEntry // ascending by id; ids are time-ordered ObjectIDs
}

type appEntry struct {
	ID       string          `bson:"_id"`
	OwnerID  string          `bson:"ownerId"`
	Industry string          `bson:"industry"`
	Status   roadshow.Status `bson:"status"`
}

func (e appEntry) matches(f roadshow.ApplicationFilter) bool {
	return (f.OwnerID == "" || e.OwnerID == f.OwnerID) &&
		(f.Industry == "" || e.Industry == f.Industry) &&
		(f.Status == "" || e.Status == f.Status)
}

// put inserts or replaces the entry of a.
func (x *appIndex) put(a *roadshow.Application) {
	e := appEntry{ID: a.ID, OwnerID: a.OwnerID, Industry: a.Industry, Status: a.Status}
	x.mu.Lock()
	defer x.mu.Unlock()
	i := sort.Search(len(x.entries), func(i int) bool { return x.entries[i].ID >= e.ID })
	if i < len(x.entries) && x.entries[i].ID == e.ID {
		x.entries[i] = e
		return
	}
	x.entries = append(x.entries, appEntry{})
	copy(x.entries[i+1:], x.entries[i:])
	x.entries[i] = e
}

// page returns the ids of up to limit matching applications older than
// cursor (all when cursor is ""), newest first, and whether more follow.
func (x *appIndex) page(f roadshow.ApplicationFilter) ([]string, bool) {
	x.mu.RLock()
	defer x.mu.RUnlock()
	end := len(x.entries)
	if f.Cursor != "" {
		end = sort.Search(len(x.entries), func(i int) bool { return x.entries[i].ID >= f.Cursor })
	}
	ids := make([]string, 0, f.Limit)
	for i := end - 1; i >= 0; i-- {
		if x.entries[i].matches(f) {
			if len(ids) == f.Limit {
				return ids, true
			}
			ids = append(ids, x.entries[i].ID)
		}
	}
	return ids, false
}

// counts tallies industry and status, for Recount.
func (x *appIndex) counts() map[string]map[roadshow.Status]int {
	x.mu.RLock()
	defer x.mu.RUnlock()
	out := map[string]map[roadshow.Status]int{}
	for _, e := range x.entries {
		if out[e.Industry] == nil {
			out[e.Industry] = map[roadshow.Status]int{}
		}
		out[e.Industry][e.Status]++
	}
	return out
}

// load replaces the index with one scan of the collection.
func (x *appIndex) load(ctx context.Context, db *DB) error {
	cur, err := db.db.Collection(colApps).Find(ctx, bson.D{},
		options.Find().SetProjection(bson.D{{Key: "ownerId", Value: 1}, {Key: "industry", Value: 1}, {Key: "status", Value: 1}}))
	if err != nil {
		return fmt.Errorf("index applications: %w", err)
	}
	var entries []appEntry
	if err := cur.All(ctx, &entries); err != nil {
		return fmt.Errorf("index applications: %w", err)
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].ID < entries[j].ID })
	x.mu.Lock()
	defer x.mu.Unlock()
	x.entries = entries
	return nil
}
