package roadshow

import (
	"context"
	"time"
)

// Notifier writes to applicants when something happens to their
// application: received, screened, given a pitch slot or moved to another
// one (with the calendar entry), and when their session's results are
// published. These mails are notifications: a person may turn them off
// (User.MailOptOut). A nil Notifier sends nothing.
type Notifier struct {
	Users UserStore
	Apps  ApplicationStore
	Post  Postbox
	Clock Clock
}

// notify sends the owner of application appID a mail of kind.
func (n *Notifier) notify(ctx context.Context, ownerID string, kind MailKind, link string, args map[string]string, attach ...MailAttachment) {
	if n == nil || n.Post == nil {
		return
	}
	u, err := n.Users.UserByID(ctx, ownerID)
	if err != nil || u.Disabled || (u.MailOptOut && !kind.Essential()) {
		return
	}
	n.Post.Post(ctx, Mail{Kind: kind, UserID: u.ID, To: u.Email, Name: u.Name, Lang: u.Lang(), Link: link, Args: args, Attachments: attach})
}

// ApplicationReceived tells the owner that a was submitted.
func (n *Notifier) ApplicationReceived(ctx context.Context, a *Application) {
	if n == nil {
		return
	}
	n.notify(ctx, a.OwnerID, MailApplicationReceived, "/#/applications/"+a.ID, map[string]string{"title": a.Title})
}

// ScreeningDecided tells the owner the organizers' decision on a.
func (n *Notifier) ScreeningDecided(ctx context.Context, a *Application) {
	if n == nil || a.Screening == nil {
		return
	}
	n.notify(ctx, a.OwnerID, MailScreeningDecision, "/#/applications/"+a.ID,
		map[string]string{"title": a.Title, "decision": string(a.Screening.Decision), "note": a.Screening.Note})
}

// SlotsChanged tells each team of se whose slot is new (not in before) or
// at another time that it pitches at its slot, with the calendar entry.
func (n *Notifier) SlotsChanged(ctx context.Context, se *Session, before []Slot) {
	if n == nil || se.State != SessionScheduled {
		return
	}
	old := map[string]Slot{}
	for _, sl := range before {
		old[sl.ApplicationID] = sl
	}
	for _, sl := range se.Slots {
		kind := MailSlotAssigned
		if o, ok := old[sl.ApplicationID]; ok {
			if o.Start.Equal(sl.Start) && o.End.Equal(sl.End) {
				continue
			}
			kind = MailSlotChanged
		}
		a, err := n.Apps.ApplicationByID(ctx, sl.ApplicationID)
		if err != nil {
			continue
		}
		entry := SlotEntry(se, sl, false)
		ics := BuildICS("Roadshow", []CalendarEntry{entry}, n.Clock.Now())
		n.notify(ctx, a.OwnerID, kind, "/#/my-sessions", map[string]string{
			"title": sl.Title, "session": se.Title, "start": sl.Start.UTC().Format(time.RFC3339),
			"end": sl.End.UTC().Format(time.RFC3339), "timezone": sl.Timezone,
		}, MailAttachment{Name: "pitch.ics", ContentType: "text/calendar; charset=utf-8; method=PUBLISH", Data: []byte(ics)})
	}
}

// ResultsPublished tells every team of se that its results are out.
func (n *Notifier) ResultsPublished(ctx context.Context, se *Session) {
	if n == nil {
		return
	}
	for _, sl := range se.Slots {
		a, err := n.Apps.ApplicationByID(ctx, sl.ApplicationID)
		if err != nil {
			continue
		}
		n.notify(ctx, a.OwnerID, MailResultsPublished, "/#/my-sessions", map[string]string{"title": sl.Title, "session": se.Title})
	}
}

// SlotEntry is the calendar entry of one team's slot, as the calendar feed
// and the slot e-mails carry it: one UID per application whatever session
// it moves to, and the slot's sequence, so that calendar apps update it.
func SlotEntry(se *Session, sl Slot, cancelled bool) CalendarEntry {
	return CalendarEntry{UID: "pitch-" + sl.ApplicationID + "@roadshow",
		Summary: "Pitch: " + sl.Title + " (" + se.Title + ")", Start: sl.Start, End: sl.End, Updated: se.UpdatedAt,
		Sequence: sl.Sequence, Cancelled: cancelled, Description: "Your pitch slot in the roadshow session " + se.Title + "."}
}
