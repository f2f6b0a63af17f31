package mongodb

import (
	"context"
	"fmt"
	"slices"
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
	entries []*appEntry // ascending by id; ids are time-ordered ObjectIDs
	// orders holds, per sort field, the entries ascending by that field's
	// key; built on first use, then kept sorted by put (a decision changes
	// the status only and moves nothing).
	orders map[roadshow.ApplicationSort][]*appEntry
	// slots numbers the entries for the word index (an entry keeps its
	// slot when replaced).
	slots []*appEntry
	words *wordIndex
}

func newAppIndex() *appIndex { return &appIndex{words: newWordIndex()} }

// appEntry is what the index keeps of an application: its list row and the
// words the organizers' search looks in (roadshow.SearchWords).
type appEntry struct {
	row   roadshow.ApplicationRow
	words []string
	slot  int32
}

func (e *appEntry) matches(f roadshow.ApplicationFilter) bool {
	return (f.OwnerID == "" || e.row.OwnerID == f.OwnerID) &&
		(f.Industry == "" || e.row.Industry == f.Industry) &&
		(f.Status == "" || e.row.Status == f.Status)
}

func newEntry(a *roadshow.Application) *appEntry {
	return &appEntry{row: a.Row(), words: a.SearchWords()}
}

// sameKeys reports whether e and o sort alike in every order.
func (e *appEntry) sameKeys(o *appEntry) bool {
	return e.row.Title == o.row.Title && e.row.Country == o.row.Country && e.row.Industry == o.row.Industry &&
		e.row.SortTime().Equal(o.row.SortTime())
}

// put inserts or replaces the entry of a, and moves it in each order
// built so far (an insertion into a sorted slice, not a new sort).
func (x *appIndex) put(a *roadshow.Application) {
	e := newEntry(a)
	x.mu.Lock()
	defer x.mu.Unlock()
	i := sort.Search(len(x.entries), func(i int) bool { return x.entries[i].row.ID >= e.row.ID })
	if i < len(x.entries) && x.entries[i].row.ID == e.row.ID {
		old := x.entries[i]
		e.slot = old.slot
		if !slices.Equal(old.words, e.words) {
			x.words.set(e.slot, e.words, old.words)
			if x.words.needsRebuild() {
				defer x.rebuildWords()
			}
		}
		if !old.sameKeys(e) {
			for field, o := range x.orders {
				x.orders[field] = insertOrdered(removeOrdered(o, old, field), old, e, field)
			}
		}
		*old = *e // in place: the orders and slots hold this pointer
		return
	}
	e.slot = int32(len(x.slots))
	x.slots = append(x.slots, e)
	x.words.set(e.slot, e.words, nil)
	x.entries = slices.Insert(x.entries, i, e)
	for field, o := range x.orders {
		x.orders[field] = insertOrdered(o, e, e, field)
	}
}

// removeOrdered removes e from o, sorted by field.
func removeOrdered(o []*appEntry, e *appEntry, field roadshow.ApplicationSort) []*appEntry {
	k := e.row.Key(field)
	j := sort.Search(len(o), func(j int) bool { return !o[j].row.Key(field).Less(k) })
	if j < len(o) && o[j] == e {
		return slices.Delete(o, j, j+1)
	}
	return o
}

// insertOrdered inserts p, whose row will be that of by, into o sorted by
// field.
func insertOrdered(o []*appEntry, p, by *appEntry, field roadshow.ApplicationSort) []*appEntry {
	k := by.row.Key(field)
	j := sort.Search(len(o), func(j int) bool { return k.Less(o[j].row.Key(field)) })
	return slices.Insert(o, j, p)
}

// rebuildWords renumbers the slots and rebuilds the word index from the
// entries. Called with the write lock held.
func (x *appIndex) rebuildWords() {
	x.slots = make([]*appEntry, len(x.entries))
	x.words = newWordIndex()
	for i, e := range x.entries {
		e.slot = int32(i)
		x.slots[i] = e
		x.words.set(e.slot, e.words, nil)
	}
}

// page returns the ids of up to limit matching applications older than
// cursor (all when cursor is ""), newest first, and whether more follow.
func (x *appIndex) page(f roadshow.ApplicationFilter) ([]string, bool) {
	x.mu.RLock()
	defer x.mu.RUnlock()
	end := len(x.entries)
	if f.Cursor != "" {
		end = sort.Search(len(x.entries), func(i int) bool { return x.entries[i].row.ID >= f.Cursor })
	}
	ids := make([]string, 0, f.Limit)
	for i := end - 1; i >= 0; i-- {
		if x.entries[i].matches(f) {
			if len(ids) == f.Limit {
				return ids, true
			}
			ids = append(ids, x.entries[i].row.ID)
		}
	}
	return ids, false
}

// order returns the entries ascending by field, building it if needed.
// Called with the read lock held; it may drop and retake it.
func (x *appIndex) order(field roadshow.ApplicationSort) []*appEntry {
	if o, ok := x.orders[field]; ok {
		return o
	}
	x.mu.RUnlock()
	x.mu.Lock()
	if _, ok := x.orders[field]; !ok {
		keyed := make([]struct {
			k roadshow.ApplicationKey
			e *appEntry
		}, len(x.entries))
		for i, e := range x.entries {
			keyed[i].k, keyed[i].e = e.row.Key(field), e
		}
		sort.Slice(keyed, func(i, j int) bool { return keyed[i].k.Less(keyed[j].k) })
		o := make([]*appEntry, len(keyed))
		for i := range keyed {
			o[i] = keyed[i].e
		}
		if x.orders == nil {
			x.orders = map[roadshow.ApplicationSort][]*appEntry{}
		}
		x.orders[field] = o
	}
	x.mu.Unlock()
	x.mu.RLock()
	if o, ok := x.orders[field]; ok {
		return o
	}
	// A write dropped the orders between the two locks: build again.
	return x.order(field)
}

// search answers SearchApplications from memory in one walk of the order:
// the matches before q.After (in the walk's direction) only count towards
// the total; the next q.Limit after it are the page. Without a total the
// walk starts at q.After and stops at the page's end.
func (x *appIndex) search(q roadshow.ApplicationQuery) roadshow.ApplicationRows {
	x.mu.RLock()
	defer x.mu.RUnlock()
	field := q.Sort.Field()
	o := x.order(field)
	desc := q.Sort.Desc() != q.Reverse
	// from is the first position of the page in the walk, step its direction.
	from, i, step := 0, 0, 1
	if desc {
		from, i, step = len(o)-1, len(o)-1, -1
	}
	if q.After != nil {
		k := *q.After
		if desc {
			// the last position whose key is before k
			from = sort.Search(len(o), func(i int) bool { return !o[i].row.Key(field).Less(k) }) - 1
		} else {
			// the first position whose key is after k
			from = sort.Search(len(o), func(i int) bool { return k.Less(o[i].row.Key(field)) })
		}
	}
	if q.NoTotal {
		i = from
	}
	words := x.words.match(q.Terms, len(x.slots))
	out := roadshow.ApplicationRows{Items: make([]roadshow.ApplicationRow, 0, min(q.Limit, len(o)))}
	for ; i >= 0 && i < len(o); i += step {
		e := o[i]
		if !q.Matches(&e.row) || (words != nil && !words.has(e.slot)) {
			continue
		}
		out.Total++
		if (i-from)*step < 0 {
			continue // before the page
		}
		if len(out.Items) < q.Limit {
			out.Items = append(out.Items, e.row)
		} else {
			out.More = true
			if q.NoTotal {
				break
			}
		}
	}
	if q.NoTotal {
		out.Total = 0
	}
	return out
}

// counts tallies industry and status, for Recount.
func (x *appIndex) counts() map[string]map[roadshow.Status]int {
	x.mu.RLock()
	defer x.mu.RUnlock()
	out := map[string]map[roadshow.Status]int{}
	for _, e := range x.entries {
		if out[e.row.Industry] == nil {
			out[e.row.Industry] = map[roadshow.Status]int{}
		}
		out[e.row.Industry][e.row.Status]++
	}
	return out
}

// indexProjection is what load reads of each application: the row and the
// search text.
func indexProjection() bson.D {
	p := bson.D{}
	for _, f := range []string{"ownerId", "title", "summary", "team.name", "industry", "stage", "country", "status",
		"screeningVersion", "createdAt", "submittedAt"} {
		p = append(p, bson.E{Key: f, Value: 1})
	}
	return p
}

// load replaces the index with one scan of the collection.
func (x *appIndex) load(ctx context.Context, db *DB) error {
	cur, err := db.db.Collection(colApps).Find(ctx, bson.D{}, options.Find().SetProjection(indexProjection()))
	if err != nil {
		return fmt.Errorf("index applications: %w", err)
	}
	defer cur.Close(context.WithoutCancel(ctx))
	var entries []*appEntry
	for cur.Next(ctx) {
		var a roadshow.Application
		if err := cur.Decode(&a); err != nil {
			return fmt.Errorf("index applications: %w", err)
		}
		entries = append(entries, newEntry(normalize(&a)))
	}
	if err := cur.Err(); err != nil {
		return fmt.Errorf("index applications: %w", err)
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].row.ID < entries[j].row.ID })
	x.mu.Lock()
	defer x.mu.Unlock()
	x.entries = entries
	x.orders = nil
	x.rebuildWords()
	return nil
}
