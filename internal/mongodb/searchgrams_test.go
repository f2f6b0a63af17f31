package mongodb_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/roadshow/roadshow/internal/mongodb"
	"github.com/roadshow/roadshow/roadshow"
)

func TestGrams(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"ab", nil},
		{"abc", []string{"abc"}},
		{"grid", []string{"gri", "rid"}},
		{"aaaa", []string{"aaa"}},
		{"大连高新区", []string{"大连高", "连高新", "高新区"}},
	} {
		if got := mongodb.Grams(tt.in); !slices.Equal(got, tt.want) {
			t.Errorf("Grams(%q): got %q, want %q", tt.in, got, tt.want)
		}
	}
}

// Without the in-memory index, the search pieces follow every edit of the
// fields they come from, a store written before them is given them by
// BackfillSearch, and the search answers the same either way.
func TestSearchPiecesFollowEdits(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := MustDB(t, false)
	st := db.Applications()
	a := &roadshow.Application{OwnerID: "0000000000000000000000a1", Title: "Tidal Grid", Industry: "smart-ocean",
		Status: roadshow.StatusDraft, Summary: "Turbines", Country: "JP", CreatedAt: time.Now().UTC()}
	Must(t, st.CreateApplication(ctx, a))
	find := func(q string) []string {
		t.Helper()
		res, err := st.SearchApplications(ctx, roadshow.ApplicationQuery{Terms: roadshow.SearchTerms(q), Sort: roadshow.SortTitle, Limit: 10})
		Must(t, err)
		var ids []string
		for _, r := range res.Items {
			ids = append(ids, r.ID)
		}
		return ids
	}
	if got := find("rbine"); !slices.Equal(got, []string{a.ID}) {
		t.Fatalf("search within a summary word: got %v", got)
	}
	summary, team := "Wave sensors", []roadshow.TeamMember{{Name: "Kenji Sato"}}
	_, err := st.UpdateApplication(ctx, a.ID, roadshow.ApplicationCond{},
		roadshow.ApplicationChange{Input: &roadshow.ApplicationInput{Summary: &summary, Team: &team}, UpdatedAt: time.Now().UTC()})
	Must(t, err)
	if got := find("rbine"); len(got) != 0 {
		t.Fatalf("a word edited away is still found: %v", got)
	}
	for _, q := range []string{"sensor", "sato", "tidal grid", "jp"} {
		if got := find(q); !slices.Equal(got, []string{a.ID}) {
			t.Fatalf("search %q after the edit: got %v", q, got)
		}
	}
	stored, err := db.SearchGramsOf(ctx, a.ID)
	Must(t, err)
	if !slices.Contains(stored, "sat") || slices.Contains(stored, "tur") {
		t.Fatalf("stored pieces after the edit: %v", stored)
	}

	Must(t, db.DropSearchGrams(ctx))
	if got := find("sensor"); len(got) != 0 {
		t.Fatalf("without pieces the index finds nothing, got %v", got)
	}
	Must(t, db.BackfillSearch(ctx))
	if got := find("sensor"); !slices.Equal(got, []string{a.ID}) {
		t.Fatalf("after the backfill: got %v", got)
	}
}
