package roadshow

import (
	"context"
	"fmt"
	"math"
)

// Screening: the organizers' list (search, sort, filter, count), the queue
// of applications waiting for a decision, neighbours for previous/next,
// single and bulk decisions with their history, and duplicates. All of it
// is for organizers only (EFORBIDDEN for others).

// Search returns a page of the organizers' list. Returns EFORBIDDEN for
// other roles, EINVALID for a bad filter, order or cursor.
func (s *ApplicationService) Search(ctx context.Context, actor Actor, in ApplicationSearch) (ApplicationListPage, error) {
	if err := CanScreenApplications(actor); err != nil {
		return ApplicationListPage{}, err
	}
	q, err := in.query()
	if err != nil {
		return ApplicationListPage{}, err
	}
	rows, err := s.Store.SearchApplications(ctx, q)
	if err != nil {
		return ApplicationListPage{}, fmt.Errorf("search applications: %w", err)
	}
	page := ApplicationListPage{Items: rows.Items, Total: rows.Total}
	if page.Items == nil {
		page.Items = []ApplicationRow{}
	}
	if rows.More && len(rows.Items) > 0 {
		k := rows.Items[len(rows.Items)-1].Key(q.Sort)
		page.NextCursor = k.EncodeCursor()
	}
	return page, nil
}

// Neighbors returns the rows before and after application id in the list
// as in filters and orders it (cursor and limit are ignored), so that the
// detail page can step through the list. Returns ENOTFOUND for an unknown
// id, EFORBIDDEN for other roles.
func (s *ApplicationService) Neighbors(ctx context.Context, actor Actor, id string, in ApplicationSearch) (ApplicationNeighbors, error) {
	if err := CanScreenApplications(actor); err != nil {
		return ApplicationNeighbors{}, err
	}
	in.Cursor, in.Limit = "", 1
	q, err := in.query()
	if err != nil {
		return ApplicationNeighbors{}, err
	}
	a, err := s.load(ctx, id)
	if err != nil {
		return ApplicationNeighbors{}, err
	}
	row := a.Row()
	k := row.Key(q.Sort)
	q.After, q.NoTotal = &k, true
	var out ApplicationNeighbors
	for _, reverse := range []bool{false, true} {
		q.Reverse = reverse
		rows, err := s.Store.SearchApplications(ctx, q)
		if err != nil {
			return ApplicationNeighbors{}, fmt.Errorf("neighbours of application %s: %w", id, err)
		}
		if len(rows.Items) == 0 {
			continue
		}
		r := rows.Items[0]
		if reverse {
			out.Prev = &r
		} else {
			out.Next = &r
		}
	}
	return out, nil
}

// QueueNext returns the oldest submitted application still waiting for a
// decision, after application after (by submission; "" from the start, so
// that a skipped one is not offered again at once), and how many wait.
// Returns EFORBIDDEN for other roles, ENOTFOUND for an unknown after.
func (s *ApplicationService) QueueNext(ctx context.Context, actor Actor, after string) (ScreeningQueueNext, error) {
	if err := CanScreenApplications(actor); err != nil {
		return ScreeningQueueNext{}, err
	}
	q := ApplicationQuery{Statuses: []Status{StatusSubmitted}, Sort: SortSubmitted, Limit: 1}
	if after != "" {
		a, err := s.load(ctx, after)
		if err != nil {
			return ScreeningQueueNext{}, err
		}
		row := a.Row()
		k := row.Key(SortSubmitted)
		q.After = &k
	}
	rows, err := s.Store.SearchApplications(ctx, q)
	if err != nil {
		return ScreeningQueueNext{}, fmt.Errorf("screening queue: %w", err)
	}
	out := ScreeningQueueNext{Remaining: rows.Total}
	if len(rows.Items) == 0 && after != "" {
		// Past the end: wrap around to the oldest still waiting.
		q.After = nil
		if rows, err = s.Store.SearchApplications(ctx, q); err != nil {
			return ScreeningQueueNext{}, fmt.Errorf("screening queue: %w", err)
		}
	}
	if len(rows.Items) > 0 {
		r := rows.Items[0]
		out.Next = &r
	}
	return out, nil
}

// Screen records an organizer's eligibility decision on a submitted (or
// already screened) application, made on the version in.Version the
// organizer saw; the previous decision stays in the history. Returns
// EFORBIDDEN for other roles, EUNPROCESSABLE for a bad decision, ECONFLICT
// for drafts and withdrawn applications and when another decision was
// recorded meanwhile (application.screening_changed).
func (s *ApplicationService) Screen(ctx context.Context, actor Actor, id string, in ScreeningInput) (*ApplicationView, error) {
	if err := CanScreenApplications(actor); err != nil {
		return nil, err
	}
	in.Normalize()
	if err := in.Validate(); err != nil {
		return nil, err
	}
	a, err := s.screenOne(ctx, actor, s.screenerName(ctx, actor), id, in)
	if err != nil {
		return nil, err
	}
	return s.view(ctx, actor, a)
}

// ScreenMany records one decision on many applications, each on the
// version the organizer saw; each stands or fails on its own. Returns
// EFORBIDDEN for other roles, EUNPROCESSABLE for a bad decision or list.
func (s *ApplicationService) ScreenMany(ctx context.Context, actor Actor, items []BulkScreeningItem, in ScreeningInput) (BulkScreeningResponse, error) {
	if err := CanScreenApplications(actor); err != nil {
		return BulkScreeningResponse{}, err
	}
	in.Normalize()
	in.Version = nil
	var v Validator
	v.Merge("", in.Validate())
	v.Check(len(items) > 0, "items", "application.bulk_empty", nil)
	v.Check(len(items) <= MaxBulkScreening, "items", "application.bulk_too_many", Args{"max": MaxBulkScreening})
	seen := map[string]bool{}
	for i, it := range items {
		f := "items[" + itoa(i) + "]"
		v.Check(it.Version == nil || *it.Version >= 0, f+".version", "application.screening_version", nil)
		v.Check(!seen[it.ID], f+".id", "application.bulk_repeated", nil)
		seen[it.ID] = true
	}
	if err := v.Err(EUNPROCESSABLE, "field.invalid"); err != nil {
		return BulkScreeningResponse{}, err
	}
	name := s.screenerName(ctx, actor)
	out := BulkScreeningResponse{Results: make([]BulkScreeningResult, 0, len(items))}
	for _, it := range items {
		one := in
		one.Version = it.Version
		res := BulkScreeningResult{ID: it.ID}
		a, err := s.screenOne(ctx, actor, name, it.ID, one)
		switch code := ErrorCode(err); code {
		case "":
			row := a.Row()
			res.Row = &row
			out.Done++
		case EINTERNAL:
			return BulkScreeningResponse{}, err
		default:
			m := ErrorMsg(err)
			res.Error, res.Code = &m, code
			out.Failed++
		}
		out.Results = append(out.Results, res)
	}
	return out, nil
}

// screenOne writes one checked decision.
func (s *ApplicationService) screenOne(ctx context.Context, actor Actor, byName, id string, in ScreeningInput) (*Application, error) {
	if !ValidID(id) {
		return nil, NewError(ENOTFOUND, "application.not_found", nil)
	}
	a, err := s.load(ctx, id)
	if err != nil {
		return nil, err
	}
	seen := in.Seen()
	if err := a.CanRescreen(seen); err != nil {
		return nil, err
	}
	now := s.Clock.Now()
	sc := a.NextScreening(in, actor, byName, now)
	a, err = s.write(ctx, id, ApplicationCond{Statuses: screenableStatuses(), ScreeningVersion: &seen},
		ApplicationChange{Status: in.Decision, Screening: &sc, UpdatedAt: now},
		func(cur *Application) error { return cur.CanRescreen(seen) })
	if err != nil {
		return nil, err
	}
	if a.Status == StatusIneligible {
		if err := s.release(ctx, a); err != nil {
			return nil, err
		}
	}
	s.Notify.ScreeningDecided(ctx, a)
	return a, nil
}

// screenerName is the organizer's name as the history shows it ("" when
// it cannot be read: the id is kept anyway).
func (s *ApplicationService) screenerName(ctx context.Context, actor Actor) string {
	if s.Users == nil {
		return ""
	}
	u, err := s.Users.UserByID(ctx, actor.UserID)
	if err != nil {
		return ""
	}
	return u.Name
}

// Duplicates lists the applications that may be the same team as
// application id: the same e-mail domain of the applicant (free-mail
// domains aside) or a very similar title (SimilarTitles), drafts aside.
// Returns EFORBIDDEN for other roles, ENOTFOUND for an unknown id.
func (s *ApplicationService) Duplicates(ctx context.Context, actor Actor, id string) (DuplicateList, error) {
	if err := CanScreenApplications(actor); err != nil {
		return DuplicateList{}, err
	}
	a, err := s.load(ctx, id)
	if err != nil {
		return DuplicateList{}, err
	}
	found := map[string]*Duplicate{}
	var order []string
	add := func(r ApplicationRow, why DuplicateReason, score float64) {
		if r.ID == a.ID || r.Status == StatusDraft {
			return
		}
		d := found[r.ID]
		if d == nil {
			d = &Duplicate{Row: r}
			found[r.ID] = d
			order = append(order, r.ID)
		}
		d.Reasons = append(d.Reasons, why)
		if score > d.Similarity {
			d.Similarity = score
		}
	}
	// Similar titles: the rows carry the titles; the index serves them.
	all, err := s.Store.SearchApplications(ctx, ApplicationQuery{Sort: SortSubmitted, Limit: math.MaxInt32, NoTotal: true})
	if err != nil {
		return DuplicateList{}, fmt.Errorf("duplicates of %s: %w", id, err)
	}
	mine := TitleTrigrams(a.Title)
	for _, r := range all.Items {
		if sim := Jaccard(mine, TitleTrigrams(r.Title)); sim >= TitleSimilarityThreshold {
			add(r, DuplicateTitle, sim)
		}
	}
	// The same company domain: the applicants whose e-mail ends with it.
	domain := ""
	if s.Users != nil {
		if owner, err := s.Users.UserByID(ctx, a.OwnerID); err == nil {
			domain = CompanyDomain(owner.Email)
		} else if ErrorCode(err) != ENOTFOUND {
			return DuplicateList{}, err
		}
	}
	if domain != "" {
		users, err := s.Users.ListUsers(ctx, UserFilter{Role: RoleApplicant, Query: "@" + domain, Limit: MaxDuplicateOwners})
		if err != nil {
			return DuplicateList{}, fmt.Errorf("duplicates of %s: %w", id, err)
		}
		for _, u := range users.Items {
			if CompanyDomain(u.Email) != domain {
				continue // "@acme.com" also matches "@acme.com.evil"
			}
			page, err := s.Store.ListApplications(ctx, ApplicationFilter{OwnerID: u.ID, Limit: MaxPageSize})
			if err != nil {
				return DuplicateList{}, fmt.Errorf("duplicates of %s: %w", id, err)
			}
			for _, o := range page.Items {
				add(o.Row(), DuplicateDomain, 0)
			}
		}
	}
	out := DuplicateList{Domain: domain, Items: make([]Duplicate, 0, len(order))}
	for _, k := range order {
		out.Items = append(out.Items, *found[k])
	}
	return out, nil
}
