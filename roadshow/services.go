package roadshow

import "time"

// Stores are the persistence the services need, one store per collection
// of documents.
type Stores struct {
	Users        UserStore
	Links        AccountLinkStore
	Applications ApplicationStore
	Decks        DeckStore
	Sessions     SessionStore
	Editions     EditionStore
	Scores       ScoreStore
	Conflicts    ConflictStore
	Meetings     MeetingStore
}

// Services are the domain's services, one per noun.
type Services struct {
	Users        *UserService
	UserAdmin    *UserAdminService
	Applications *ApplicationService
	Editions     *EditionService
	Planning     *PlanningService
	Sessions     *SessionService
	Judging      *JudgingService
	Results      *ResultsService
	Rooms        *RoomService
	Meetings     *MeetingService
}

// ServiceOptions are what the services need besides the stores.
type ServiceOptions struct {
	Clock     Clock
	Passwords PasswordHasher
	// Events delivers session events to live participants; nil: none.
	Events Publisher
	// Deadline is the configured application deadline (zero: none); the
	// edition's own deadline wins.
	Deadline time.Time
	// Post sends e-mail (the outbox); nil: none.
	Post Postbox
	// Revoker forgets an account's cached token state when its earlier
	// tokens stop working; nil: none.
	Revoker TokenRevoker
}

// NewServices wires the services over one set of stores, in one place: the
// edition's deadline reaches submissions, an application that leaves the
// roadshow leaves its scheduled session, and applicants hear by e-mail of
// what happens to their applications.
func NewServices(st Stores, o ServiceOptions) *Services {
	var notify *Notifier
	if o.Post != nil {
		notify = &Notifier{Users: st.Users, Apps: st.Applications, Post: o.Post, Clock: o.Clock}
	}
	editions := &EditionService{Store: st.Editions, Clock: o.Clock, FallbackDeadline: o.Deadline}
	apps := &ApplicationService{Store: st.Applications, Decks: st.Decks, Sessions: st.Sessions, Conflicts: st.Conflicts,
		Editions: editions, Clock: o.Clock, Users: st.Users, Notify: notify}
	judging := &JudgingService{Sessions: st.Sessions, Apps: st.Applications, Applications: apps, Scores: st.Scores,
		Conflicts: st.Conflicts, Users: st.Users, Editions: editions, Clock: o.Clock, Events: o.Events}
	sessions := &SessionService{Store: st.Sessions, Apps: st.Applications, Users: st.Users, Judging: judging, Clock: o.Clock,
		Events: o.Events, Notify: notify}
	apps.Releaser = sessions
	accounts := Accounts{Store: st.Users, Links: st.Links, Passwords: o.Passwords, Clock: o.Clock, Post: o.Post, Revoker: o.Revoker}
	return &Services{
		Users:        &UserService{Accounts: accounts},
		UserAdmin:    &UserAdminService{Accounts: accounts},
		Applications: apps,
		Editions:     editions,
		Planning:     &PlanningService{Sessions: st.Sessions, Apps: st.Applications, Clock: o.Clock, Notify: notify},
		Sessions:     sessions,
		Judging:      judging,
		Results:      &ResultsService{Sessions: sessions, Judging: judging, Editions: editions, Clock: o.Clock, Events: o.Events, Notify: notify},
		Rooms:        &RoomService{Sessions: sessions, Users: st.Users, Clock: o.Clock},
		Meetings:     &MeetingService{Store: st.Meetings, Apps: st.Applications, Sessions: st.Sessions, Users: st.Users, Clock: o.Clock},
	}
}
