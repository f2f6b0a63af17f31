package roadshow

import "time"

// Stores are the persistence the services need.
type Stores struct {
	Users        UserService
	Applications ApplicationStore
	Decks        DeckStore
	Sessions     SessionStore
}

// NewServices wires the application and session services over one set of
// stores, in one place: the edition's deadline reaches submissions, and an
// application that leaves the roadshow leaves its scheduled session.
// deadline is the configured fallback deadline (zero: none); events may be
// nil (no live participants to tell).
func NewServices(st Stores, clock Clock, events Publisher, deadline time.Time) (*Applications, *Sessions) {
	sessions := &Sessions{Store: st.Sessions, Apps: st.Applications, Decks: st.Decks, Users: st.Users, Clock: clock, Events: events}
	apps := &Applications{Store: st.Applications, Decks: st.Decks, Clock: clock, Deadline: deadline, Editions: st.Sessions, Sessions: sessions}
	return apps, sessions
}
