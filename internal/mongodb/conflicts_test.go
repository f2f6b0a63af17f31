package mongodb_test

import (
	"context"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/roadshow/roadshow/roadshow"
)

func TestConflicts(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := MustDB(t, true).Conflicts()
	j1, j2, app, other := newHexID(), newHexID(), newHexID(), newHexID()

	c1 := &roadshow.Conflict{JudgeID: j1, ApplicationID: app, Reason: "former employer", DeclaredBy: j1, At: t0}
	Must(t, st.AddConflict(ctx, c1))
	if c1.ID != roadshow.ConflictID(j1, app) {
		t.Fatalf("conflict id: got %q, want %q", c1.ID, roadshow.ConflictID(j1, app))
	}
	// Declaring again is fine and keeps the first declaration.
	Must(t, st.AddConflict(ctx, &roadshow.Conflict{JudgeID: j1, ApplicationID: app, Reason: "again", DeclaredBy: j1, At: t0.Add(time.Hour)}))
	Must(t, st.AddConflict(ctx, &roadshow.Conflict{JudgeID: j2, ApplicationID: app, Reason: "investor", DeclaredBy: "organizer", At: t0}))
	Must(t, st.AddConflict(ctx, &roadshow.Conflict{JudgeID: j1, ApplicationID: other, At: t0}))

	got, err := st.ConflictsByID(ctx, []string{roadshow.ConflictID(j2, other), roadshow.ConflictID(j1, app)})
	Must(t, err)
	want := &roadshow.Conflict{ID: roadshow.ConflictID(j1, app), JudgeID: j1, ApplicationID: app, Reason: "former employer", DeclaredBy: j1, At: t0.UTC()}
	if len(got) != 1 || !reflect.DeepEqual(got[0], want) {
		t.Fatalf("ConflictsByID:\ngot  %s\nwant [%+v]", dump(got), *want)
	}
	none, err := st.ConflictsByID(ctx, nil)
	Must(t, err)
	if none == nil || len(none) != 0 {
		t.Fatalf("ConflictsByID(nil): got %#v, want []", none)
	}

	of, err := st.ConflictsOf(ctx, app)
	Must(t, err)
	var judges []string
	for _, c := range of {
		judges = append(judges, c.JudgeID)
	}
	slices.Sort(judges)
	wantJudges := []string{j1, j2}
	slices.Sort(wantJudges)
	if !slices.Equal(judges, wantJudges) {
		t.Fatalf("ConflictsOf: got judges %v, want %v", judges, wantJudges)
	}
	none, err = st.ConflictsOf(ctx, newHexID())
	Must(t, err)
	if none == nil || len(none) != 0 {
		t.Fatalf("ConflictsOf without conflicts: got %#v, want []", none)
	}
}
