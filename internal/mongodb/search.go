package mongodb

import (
	"context"
	"regexp"

	"github.com/roadshow/roadshow/roadshow"
	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo/options"
)

// SearchApplications returns a window of the organizers' list. With the
// in-memory index (the embedded store) it is answered from memory, rows
// included: no document is read. Against MongoDB the filter and the order
// go to the server (the indexes of migrate serve status, industry and the
// orders; a search term of three letters or more is looked up in the
// multikey index of the applications' search pieces, see searchgrams.go,
// and checked with case-insensitive regular expressions over title,
// summary, team names and country; a shorter term by the expressions
// alone).
func (s *ApplicationStore) SearchApplications(ctx context.Context, q roadshow.ApplicationQuery) (roadshow.ApplicationRows, error) {
	if s.db.apps != nil {
		return s.db.apps.search(q), nil
	}
	ctx, cancel := s.db.op(ctx)
	defer cancel()
	filter := searchFilter(q)
	field, dbField := q.Sort.Field(), sortField(q.Sort.Field())
	desc := q.Sort.Desc() != q.Reverse
	dir := 1
	if desc {
		dir = -1
	}
	page := filter
	if q.After != nil {
		page = append(append(bson.D{}, filter...), keysetFilter(field, dbField, *q.After, desc))
	}
	opts := options.Find().SetSort(bson.D{{Key: dbField, Value: dir}, {Key: "_id", Value: dir}}).
		SetProjection(indexProjection())
	if q.Limit < 1<<30 {
		opts.SetLimit(int64(q.Limit) + 1)
	}
	rows, err := findAll(ctx, s.db.db.Collection(colApps), "applications", page, opts, func(a *roadshow.Application) roadshow.ApplicationRow {
		return normalize(a).Row()
	})
	if err != nil {
		return roadshow.ApplicationRows{}, err
	}
	out := roadshow.ApplicationRows{Items: rows}
	if len(rows) > q.Limit {
		out.Items, out.More = rows[:q.Limit], true
	}
	if !q.NoTotal {
		n, err := s.db.db.Collection(colApps).CountDocuments(ctx, filter)
		if err != nil {
			return roadshow.ApplicationRows{}, translate(err, "applications")
		}
		out.Total = int(n)
	}
	return out, nil
}

// searchFilter is the filter of q without its window.
func searchFilter(q roadshow.ApplicationQuery) bson.D {
	f := bson.D{}
	if q.Industry != "" {
		f = append(f, bson.E{Key: "industry", Value: q.Industry})
	}
	if len(q.Statuses) > 0 {
		f = append(f, bson.E{Key: "status", Value: bson.D{{Key: "$in", Value: q.Statuses}}})
	}
	if len(q.Terms) > 0 {
		and := bson.A{}
		for _, t := range q.Terms {
			re := bson.D{{Key: "$regex", Value: regexp.QuoteMeta(t)}, {Key: "$options", Value: "i"}}
			term := bson.D{{Key: "$or", Value: bson.A{
				bson.D{{Key: "title", Value: re}}, bson.D{{Key: "summary", Value: re}},
				bson.D{{Key: "team.name", Value: re}}, bson.D{{Key: "country", Value: re}},
			}}}
			if g := termGrams(t); g.Key != "" {
				term = append(bson.D{g}, term...)
			}
			and = append(and, term)
		}
		f = append(f, bson.E{Key: "$and", Value: and})
	}
	return f
}

// sortField is the stored field of an order.
func sortField(f roadshow.ApplicationSort) string {
	switch f {
	case roadshow.SortTitle:
		return "title"
	case roadshow.SortCountry:
		return "country"
	case roadshow.SortIndustry:
		return "industry"
	}
	return "submittedAt"
}

// keysetFilter selects what comes after k in the order (before it when
// desc). The submission order falls back to creation for drafts, which
// have no submission time: on the server those sort as null, first.
func keysetFilter(field roadshow.ApplicationSort, dbField string, k roadshow.ApplicationKey, desc bool) bson.E {
	cmp, idCmp := "$gt", "$gt"
	if desc {
		cmp, idCmp = "$lt", "$lt"
	}
	var v any = k.Value
	if field == roadshow.SortSubmitted {
		t, ok := k.Time()
		if !ok {
			return bson.E{Key: "_id", Value: bson.D{{Key: idCmp, Value: k.ID}}}
		}
		v = t
	}
	or := bson.A{
		bson.D{{Key: dbField, Value: bson.D{{Key: cmp, Value: v}}}},
		bson.D{{Key: dbField, Value: v}, {Key: "_id", Value: bson.D{{Key: idCmp, Value: k.ID}}}},
	}
	return bson.E{Key: "$or", Value: or}
}
