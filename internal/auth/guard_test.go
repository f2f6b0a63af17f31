package auth_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/roadshow/roadshow/internal/auth"
	"github.com/roadshow/roadshow/roadshow"
)

func TestGuard(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	clock := &fakeClock{t: time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC)}
	var mu sync.Mutex
	lookups := 0
	state := map[string]roadshow.TokenState{"u1": {Role: roadshow.RoleJudge}}
	g := auth.NewGuard(func(_ context.Context, id string) (roadshow.TokenState, error) {
		mu.Lock()
		defer mu.Unlock()
		lookups++
		st, ok := state[id]
		if !ok {
			return st, roadshow.CodeError(roadshow.ENOTFOUND)
		}
		return st, nil
	}, time.Minute, clock)
	access := func(id string, role roadshow.Role, ver, cal int) auth.Access {
		return auth.Access{Actor: roadshow.Actor{UserID: id, Role: role}, Version: ver, Calendar: cal}
	}
	set := func(st roadshow.TokenState) {
		mu.Lock()
		state["u1"] = st
		mu.Unlock()
	}
	for _, tt := range []struct {
		name   string
		before func()
		a      auth.Access
		ok     bool
	}{
		{"Current", nil, access("u1", roadshow.RoleJudge, 0, -1), true},
		{"ErrDeleted", nil, access("gone", roadshow.RoleJudge, 0, -1), false},
		{"ErrOtherRole", nil, access("u1", roadshow.RoleOrganizer, 0, -1), false},
		{"CachedUntilRevoked", func() { set(roadshow.TokenState{Role: roadshow.RoleJudge, TokenVersion: 1}) }, access("u1", roadshow.RoleJudge, 0, -1), true},
		{"ErrRevoked", func() { g.Revoke("u1") }, access("u1", roadshow.RoleJudge, 0, -1), false},
		{"NewToken", nil, access("u1", roadshow.RoleJudge, 1, -1), true},
		{"Calendar", nil, access("u1", roadshow.RoleJudge, 1, 0), true},
		{"ErrCalendarRegenerated", func() {
			set(roadshow.TokenState{Role: roadshow.RoleJudge, TokenVersion: 1, CalendarVersion: 1})
			g.Revoke("u1")
		}, access("u1", roadshow.RoleJudge, 1, 0), false},
		{"ErrDisabled", func() {
			set(roadshow.TokenState{Role: roadshow.RoleJudge, TokenVersion: 1, CalendarVersion: 1, Disabled: true})
			g.Revoke("u1")
		}, access("u1", roadshow.RoleJudge, 1, -1), false},
		{"ErrDisabledAfterTTL", func() {
			g.Revoke("u1")
			set(roadshow.TokenState{Role: roadshow.RoleJudge, TokenVersion: 1})
			g.Check(ctx, access("u1", roadshow.RoleJudge, 1, -1))
			set(roadshow.TokenState{Role: roadshow.RoleJudge, TokenVersion: 1, Disabled: true})
			clock.t = clock.t.Add(time.Minute) // a change made elsewhere shows after the TTL
		}, access("u1", roadshow.RoleJudge, 1, -1), false},
	} {
		if tt.before != nil {
			tt.before()
		}
		err := g.Check(ctx, tt.a)
		if got := err == nil; got != tt.ok {
			t.Fatalf("%s: got %v, want ok %v", tt.name, err, tt.ok)
		}
		if err != nil && roadshow.ErrorCode(err) != roadshow.EUNAUTHORIZED {
			t.Fatalf("%s: got code %s, want unauthorized", tt.name, roadshow.ErrorCode(err))
		}
	}
	before := lookups
	for range 100 {
		g.Check(ctx, access("u1", roadshow.RoleJudge, 1, -1))
	}
	if lookups != before {
		t.Fatalf("got %d lookups for 100 checks within the TTL, want 0 (cached)", lookups-before)
	}
}

// TestPasswordsBusy: with every slot taken, a hash waits, then answers
// ERATELIMITED ("auth.busy") instead of queueing without end.
func TestPasswordsBusy(t *testing.T) {
	t.Parallel()
	p := auth.NewPasswords(1, 50*time.Millisecond)
	release := make(chan struct{})
	started := make(chan struct{})
	go func() {
		// Hold the one slot through a context that ends when told.
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		close(started)
		hash, _ := p.HashPassword(ctx, "correct-horse-1")
		_ = hash
		<-release
	}()
	<-started
	// Whichever call loses the race for the slot gets a busy answer within
	// its wait; at least one of a burst does.
	busy := 0
	var wg sync.WaitGroup
	var mu sync.Mutex
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := p.CheckPassword(context.Background(), "", "wrong-password-1"); err != nil {
				if roadshow.ErrorCode(err) != roadshow.ERATELIMITED || roadshow.ErrorMsg(err).Key != "auth.busy" {
					t.Errorf("got %v, want auth.busy", err)
				}
				mu.Lock()
				busy++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	close(release)
	if busy == 0 {
		t.Fatal("8 concurrent checks on one slot with a 50 ms wait: got no busy answer, want some")
	}
	if got := p.Normalize("ｐａｓｓ\u00A0ｗｏｒｄ"); got != "pass word" {
		t.Fatalf("Normalize: got %q, want NFKC %q", got, "pass word")
	}
}
