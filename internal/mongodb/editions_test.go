package mongodb_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/roadshow/roadshow/roadshow"
)

func TestEdition(t *testing.T) {
	t.Parallel()
	for _, m := range writerModes {
		t.Run(m.name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			st := MustDB(t, m.singleWriter).Editions()

			got, err := st.Edition(ctx)
			Must(t, err)
			if want := roadshow.DefaultEdition(); !reflect.DeepEqual(got, want) {
				t.Fatalf("Edition of a new store:\ngot  %+v\nwant %+v", got, want)
			}

			deadline := t0.Add(30 * 24 * time.Hour)
			e := roadshow.DefaultEdition()
			e.Name = "Roadshow 2025"
			e.Deadline = &deadline
			e.Rubric.Criteria = e.Rubric.Criteria[:3]
			e.RubricLocked = true // not the caller's to set
			e.UpdatedAt = t0
			saved, err := st.SaveEdition(ctx, e, true)
			Must(t, err)
			want := e
			want.RubricLocked = false
			d := deadline.UTC()
			want.Deadline, want.UpdatedAt = &d, t0.UTC()
			if !reflect.DeepEqual(saved, want) {
				t.Fatalf("SaveEdition:\ngot  %+v\nwant %+v", saved, want)
			}
			got, err = st.Edition(ctx)
			Must(t, err)
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("Edition after save:\ngot  %+v\nwant %+v", got, want)
			}

			Must(t, st.LockRubric(ctx))
			Must(t, st.LockRubric(ctx)) // again: no error
			got, err = st.Edition(ctx)
			Must(t, err)
			want.RubricLocked = true
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("Edition after LockRubric:\ngot  %+v\nwant %+v", got, want)
			}

			changed := got
			changed.Rubric.Criteria = roadshow.DefaultRubric().Criteria
			_, err = st.SaveEdition(ctx, changed, true)
			MustCode(t, err, roadshow.ECONFLICT)
			// A bare code: what it means to a person is the service's to say.
			if key := roadshow.ErrorMsg(err).Key; key != "error.conflict" {
				t.Fatalf("message key: got %q, want the bare code's", key)
			}

			// Other fields still change, and the lock stays.
			renamed := got
			renamed.Name = "Roadshow 2025 (autumn)"
			renamed.RubricLocked = false
			saved, err = st.SaveEdition(ctx, renamed, false)
			Must(t, err)
			want.Name = renamed.Name
			if !reflect.DeepEqual(saved, want) {
				t.Fatalf("SaveEdition without rubric change:\ngot  %+v\nwant %+v", saved, want)
			}
			got, err = st.Edition(ctx)
			Must(t, err)
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("Edition:\ngot  %+v\nwant %+v", got, want)
			}
		})
	}
}

func TestLockRubricFirst(t *testing.T) {
	t.Parallel()
	for _, m := range writerModes {
		t.Run(m.name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			st := MustDB(t, m.singleWriter).Editions()
			Must(t, st.LockRubric(ctx))
			got, err := st.Edition(ctx)
			Must(t, err)
			want := roadshow.DefaultEdition()
			want.RubricLocked = true
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("Edition after LockRubric on a new store:\ngot  %+v\nwant %+v", got, want)
			}
			_, err = st.SaveEdition(ctx, roadshow.DefaultEdition(), true)
			MustCode(t, err, roadshow.ECONFLICT)
		})
	}
}
