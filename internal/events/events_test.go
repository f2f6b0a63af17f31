package events_test

import (
	"testing"

	"github.com/roadshow/roadshow/internal/events"
	"github.com/roadshow/roadshow/roadshow"
)

func TestHubDeliversBySessionAndAudience(t *testing.T) {
	t.Parallel()
	h := events.NewHub()
	org := h.Subscribe("s1", true)
	judge := h.Subscribe("s1", false)
	other := h.Subscribe("s2", true)
	h.Publish(roadshow.Event{Type: roadshow.EventProgress, SessionID: "s1"})
	h.Publish(roadshow.Event{Type: roadshow.EventScores, SessionID: "s1", OrganizersOnly: true})
	if got := len(org.C()); got != 2 {
		t.Errorf("organizer: got %d events, want 2", got)
	}
	if got := len(judge.C()); got != 1 {
		t.Errorf("judge: got %d events, want 1 (no score values)", got)
	}
	if ev := <-judge.C(); ev.Type != roadshow.EventProgress {
		t.Errorf("judge got %q", ev.Type)
	}
	if got := len(other.C()); got != 0 {
		t.Errorf("other session: got %d events, want 0", got)
	}
	org.Close()
	org.Close()
	drained := 0
	for range org.C() { // ends only if Close closed the channel
		drained++
	}
	if drained != 2 {
		t.Errorf("drained %d buffered events after close, want 2", drained)
	}
	if got := h.Count("s1"); got != 1 {
		t.Errorf("count: got %d, want 1", got)
	}
}

func TestHubDropsSlowSubscriber(t *testing.T) {
	t.Parallel()
	h := events.NewHub()
	slow := h.Subscribe("s", false)
	for i := 0; i < events.Buffer+5; i++ {
		h.Publish(roadshow.Event{Type: roadshow.EventProgress, SessionID: "s"}) // never blocks
	}
	n := 0
	for range slow.C() {
		n++
	}
	if n != events.Buffer {
		t.Fatalf("got %d buffered events before the drop, want %d", n, events.Buffer)
	}
	if h.Count("s") != 0 {
		t.Fatalf("slow subscriber not removed")
	}
}

// Closing the hub (at shutdown) ends every subscription, buffered events
// still readable, and any made after it; publishing then reaches nobody.
func TestHubClose(t *testing.T) {
	t.Parallel()
	h := events.NewHub()
	a, b := h.Subscribe("s1", true), h.Subscribe("s2", false)
	h.Publish(roadshow.Event{Type: roadshow.EventProgress, SessionID: "s1"})
	h.Close()
	h.Close()
	got := 0
	for range a.C() {
		got++
	}
	for range b.C() {
	}
	if got != 1 {
		t.Errorf("events read after close: got %d, want the 1 buffered", got)
	}
	late := h.Subscribe("s1", true)
	if _, ok := <-late.C(); ok {
		t.Error("a subscription after close delivered an event")
	}
	late.Close()
	h.Publish(roadshow.Event{Type: roadshow.EventProgress, SessionID: "s1"})
	if n := h.Count("s1") + h.Count("s2"); n != 0 {
		t.Errorf("subscribers after close: %d", n)
	}
}
