// Package events fans session events out to the participants connected in
// this process. A slow subscriber never blocks a publisher: when its buffer
// is full it is dropped (its channel closed) and its client reconnects and
// reloads the state.
package events

import (
	"sync"

	"github.com/roadshow/roadshow/roadshow"
)

// Buffer is how many events a subscriber may lag behind.
const Buffer = 64

// Hub implements roadshow.Publisher.
type Hub struct {
	mu     sync.Mutex
	subs   map[string]map[*Subscription]struct{}
	closed bool // see Close
}

var _ roadshow.Publisher = (*Hub)(nil)

// NewHub returns an empty hub.
func NewHub() *Hub { return &Hub{subs: map[string]map[*Subscription]struct{}{}} }

// Subscription receives one session's events.
type Subscription struct {
	hub       *Hub
	session   string
	organizer bool
	c         chan roadshow.Event
	closeOnce sync.Once
}

// C delivers the events; it is closed when the subscription ends.
func (s *Subscription) C() <-chan roadshow.Event { return s.c }

// Subscribe starts receiving a session's events. Organizers also get the
// events meant for organizers only (score values).
func (h *Hub) Subscribe(sessionID string, organizer bool) *Subscription {
	s := &Subscription{hub: h, session: sessionID, organizer: organizer, c: make(chan roadshow.Event, Buffer)}
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		s.closeOnce.Do(func() { close(s.c) })
		return s
	}
	if h.subs[sessionID] == nil {
		h.subs[sessionID] = map[*Subscription]struct{}{}
	}
	h.subs[sessionID][s] = struct{}{}
	return s
}

// Close ends the subscription; safe to call more than once.
func (s *Subscription) Close() {
	s.hub.mu.Lock()
	defer s.hub.mu.Unlock()
	s.hub.remove(s)
}

// remove drops s; the caller holds h.mu.
func (h *Hub) remove(s *Subscription) {
	if set := h.subs[s.session]; set != nil {
		delete(set, s)
		if len(set) == 0 {
			delete(h.subs, s.session)
		}
	}
	s.closeOnce.Do(func() { close(s.c) })
}

// Close ends every subscription, and every one made after it, as a slow
// subscriber's ends: each stream tells its client to reconnect, which at a
// shutdown finds the next server.
func (h *Hub) Close() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.closed = true
	for _, set := range h.subs {
		for s := range set {
			h.remove(s)
		}
	}
}

// Publish delivers ev to the session's subscribers without blocking.
func (h *Hub) Publish(ev roadshow.Event) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for s := range h.subs[ev.SessionID] {
		if ev.OrganizersOnly && !s.organizer {
			continue
		}
		select {
		case s.c <- ev:
		default:
			h.remove(s) // too slow: it will reconnect and reload
		}
	}
}

// Count returns the number of subscribers of a session, for tests and metrics.
func (h *Hub) Count(sessionID string) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.subs[sessionID])
}
