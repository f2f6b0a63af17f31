package roadshow

import (
	"context"
	"strings"
	"unicode/utf8"
)

// MeetingService records investors' requests to meet the teams they saw
// pitch, and lists them for organizers (all) and investors (their own).
type MeetingService struct {
	Store    MeetingStore
	Apps     ApplicationStore
	Sessions SessionStore
	Users    UserStore
	Clock    Clock
}

// MeetingInput is what an investor says with a request.
type MeetingInput struct {
	Note string
}

// Request records that the investor asks to meet the team of the
// application (CanRequestMeeting). Asking again keeps the first request and
// takes the new note; created tells which happened.
//
// Returns EFORBIDDEN for other roles, EUNPROCESSABLE for a note that is too
// long, ENOTFOUND when the application does not exist for the investor (it
// pitches in no session they are invited to).
func (s *MeetingService) Request(ctx context.Context, actor Actor, appID string, in MeetingInput) (view *MeetingView, created bool, err error) {
	if err := CanRequestMeeting(actor, nil, appID); ErrorCode(err) == EFORBIDDEN {
		return nil, false, err
	}
	in.Note = strings.TrimSpace(in.Note)
	if utf8.RuneCountInString(in.Note) > MaxMeetingNote {
		return nil, false, FieldErrors(EUNPROCESSABLE, "field.invalid",
			map[string]Message{"note": Msg("field.max_length", Args{"max": MaxMeetingNote})})
	}
	a, err := s.Apps.ApplicationByID(ctx, appID)
	if err != nil {
		return nil, false, Rekey(err, ENOTFOUND, "application.not_found", nil)
	}
	var se *Session
	if a.SessionID != "" {
		se, err = s.Sessions.SessionByID(ctx, a.SessionID)
		if ErrorCode(err) == ENOTFOUND {
			se = nil
		} else if err != nil {
			return nil, false, err
		}
	}
	if err := CanRequestMeeting(actor, se, appID); err != nil {
		return nil, false, err
	}
	now := s.Clock.Now()
	m, created, err := s.Store.PutMeeting(ctx, &Meeting{
		ApplicationID: a.ID, InvestorID: actor.UserID, SessionID: se.ID, Note: in.Note, CreatedAt: now, UpdatedAt: now,
	})
	if err != nil {
		return nil, false, err
	}
	return &MeetingView{Meeting: m, Title: a.Title, Industry: a.Industry}, created, nil
}

// List returns the meeting requests the actor may see, newest first:
// organizers all of them, with who asks; investors their own.
// Returns EFORBIDDEN for other roles.
func (s *MeetingService) List(ctx context.Context, actor Actor) ([]*MeetingView, error) {
	if err := CanListMeetings(actor); err != nil {
		return nil, err
	}
	investor := ""
	if actor.Is(RoleInvestor) {
		investor = actor.UserID
	}
	list, err := s.Store.ListMeetings(ctx, investor)
	if err != nil {
		return nil, err
	}
	// A list holds a few requests per investor: the titles and names are
	// read by id, once each.
	apps := map[string]*Application{}
	users := map[string]*User{}
	out := make([]*MeetingView, 0, len(list))
	for _, m := range list {
		v := &MeetingView{Meeting: m}
		a, ok := apps[m.ApplicationID]
		if !ok {
			a, err = s.Apps.ApplicationByID(ctx, m.ApplicationID)
			if err != nil && ErrorCode(err) != ENOTFOUND {
				return nil, err
			}
			apps[m.ApplicationID] = a
		}
		if a != nil {
			v.Title, v.Industry = a.Title, a.Industry
		}
		if actor.Is(RoleOrganizer) {
			u, ok := users[m.InvestorID]
			if !ok {
				u, err = s.Users.UserByID(ctx, m.InvestorID)
				if err != nil && ErrorCode(err) != ENOTFOUND {
					return nil, err
				}
				users[m.InvestorID] = u
			}
			if u != nil {
				v.InvestorName, v.InvestorEmail = u.Name, u.Email
			}
		}
		out = append(out, v)
	}
	return out, nil
}
