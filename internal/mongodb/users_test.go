package mongodb_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/roadshow/roadshow/roadshow"
)

func TestUsersByRole(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := MustDB(t, true)
	for i, name := range []string{"Zhang Wei", "Ada Lovelace", "Mei Lin", "Bob"} {
		role := roadshow.RoleJudge
		if name == "Bob" {
			role = roadshow.RoleInvestor
		}
		Must(t, db.Users().CreateUser(ctx, &roadshow.User{Email: fmt.Sprintf("u%d@example.com", i), Name: name, Role: role, PasswordHash: "x", CreatedAt: t0}))
	}
	got, err := db.Users().UsersByRole(ctx, roadshow.RoleJudge)
	Must(t, err)
	var names []string
	for _, u := range got {
		if u.Role != roadshow.RoleJudge || u.CreatedAt.Location() != time.UTC || u.ID == "" {
			t.Fatalf("user: got %+v", u)
		}
		names = append(names, u.Name)
	}
	if want := []string{"Ada Lovelace", "Mei Lin", "Zhang Wei"}; !slices.Equal(names, want) {
		t.Fatalf("UsersByRole(judge): got %v, want %v", names, want)
	}
	none, err := db.Users().UsersByRole(ctx, roadshow.RoleOrganizer)
	Must(t, err)
	if none == nil || len(none) != 0 {
		t.Fatalf("UsersByRole(organizer): got %#v, want []", none)
	}
}
