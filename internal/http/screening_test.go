package http_test

import (
	"bytes"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/roadshow/roadshow/roadshow"
)

// screeningFixture is an organizer and a few submitted applications of
// three applicants, two of one company domain.
type screeningFixture struct {
	s              *testServer
	org, judge     user
	ada, bob, carl user
	apps           map[string]roadshow.Application // by title
	draft          roadshow.Application
}

func newScreeningFixture(t *testing.T) *screeningFixture {
	t.Helper()
	s := MustServer(t, serverOpts{})
	f := &screeningFixture{s: s, apps: map[string]roadshow.Application{}}
	f.org = s.MustStaff(t, roadshow.RoleOrganizer, "org@example.com")
	f.judge = s.MustStaff(t, roadshow.RoleJudge, "judge@example.com")
	f.ada = s.MustApplicant(t, "ada@acme-robotics.com")
	f.bob = s.MustApplicant(t, "bob@acme-robotics.com")
	f.carl = s.MustApplicant(t, "carl@gmail.com")
	for _, spec := range []struct {
		who            user
		title, country string
		member         string
	}{
		{f.ada, "Solar Grid AI", "DE", "Ada Lovelace"},
		{f.carl, "Ocean Drone", "JP", "Kenji Sato"},
		{f.bob, "Mirror World", "US", "Bob Stone"},
		{f.carl, "SolarGrid AI Ltd.", "GB", "Carl Friedrich"},
		{f.carl, "Bio Sensors", "US", "Dana Scully"},
	} {
		body := completeApplication("digital-tech")
		body["title"], body["country"] = spec.title, spec.country
		body["team"] = []map[string]any{{"name": spec.member, "role": "CEO", "nationality": "DE", "bio": "Engineer."}}
		a := s.MustCreateApp(t, spec.who, body)
		s.Clock.Advance(time.Minute) // distinct submission times, in this order
		var sub roadshow.Application
		s.Must(t, 200, "POST", "/applications/"+a.ID+"/submit", spec.who.Token, nil).JSON(t, &sub)
		f.apps[spec.title] = sub
	}
	f.draft = s.MustCreateApp(t, f.ada, map[string]any{"title": "Half-done draft", "industry": "digital-tech"})
	return f
}

func (f *screeningFixture) search(t *testing.T, query string) roadshow.ApplicationListPage {
	t.Helper()
	var p roadshow.ApplicationListPage
	f.s.Must(t, 200, "GET", "/applications/search"+query, f.org.Token, nil).JSON(t, &p)
	return p
}

func titles(rows []roadshow.ApplicationRow) []string {
	out := []string{}
	for _, r := range rows {
		out = append(out, r.Title)
	}
	return out
}

func TestSearchApplicationsAPI(t *testing.T) {
	t.Parallel()
	f := newScreeningFixture(t)
	s := f.s

	// Drafts are left out unless asked for; the total counts the filter.
	p := f.search(t, "")
	if p.Total != 5 || len(p.Items) != 5 || slices.Contains(titles(p.Items), "Half-done draft") {
		t.Fatalf("default list: total %d, %v", p.Total, titles(p.Items))
	}
	if got := titles(p.Items); got[0] != "Bio Sensors" || got[4] != "Solar Grid AI" {
		t.Fatalf("default order is newest submission first: %v", got)
	}
	if p := f.search(t, "?status=all"); p.Total != 6 {
		t.Fatalf("status=all: total %d, want 6", p.Total)
	}
	if p := f.search(t, "?status=draft"); p.Total != 1 || p.Items[0].ID != f.draft.ID {
		t.Fatalf("status=draft: %+v", p)
	}
	// Search: title, summary, team names, country; every term must match.
	for q, want := range map[string][]string{
		"solar":          {"Solar Grid AI", "SolarGrid AI Ltd."},
		"kenji":          {"Ocean Drone"},
		"us":             {"Bio Sensors", "Mirror World"},
		"factory solar":  {"Solar Grid AI", "SolarGrid AI Ltd."},
		"nothing-at-all": {},
	} {
		got := titles(f.search(t, "?sort=title&q="+url.QueryEscape(q)).Items)
		if !slices.Equal(got, want) {
			t.Fatalf("q=%q: got %v, want %v", q, got, want)
		}
	}
	// Orders, and keyset pages of two that add up to the whole list.
	for sort, want := range map[string][]string{
		"title":      {"Bio Sensors", "Mirror World", "Ocean Drone", "Solar Grid AI", "SolarGrid AI Ltd."},
		"-country":   {"Bio Sensors", "Mirror World", "Ocean Drone", "SolarGrid AI Ltd.", "Solar Grid AI"},
		"submitted":  {"Solar Grid AI", "Ocean Drone", "Mirror World", "SolarGrid AI Ltd.", "Bio Sensors"},
		"-submitted": {"Bio Sensors", "SolarGrid AI Ltd.", "Mirror World", "Ocean Drone", "Solar Grid AI"},
	} {
		var got []string
		cursor := ""
		for pages := 0; pages < 5; pages++ {
			p := f.search(t, "?limit=2&sort="+sort+"&cursor="+url.QueryEscape(cursor))
			if p.Total != 5 {
				t.Fatalf("sort %s: total %d", sort, p.Total)
			}
			got = append(got, titles(p.Items)...)
			if cursor = p.NextCursor; cursor == "" {
				break
			}
		}
		if !slices.Equal(got, want) {
			t.Fatalf("sort %s: got %v, want %v", sort, got, want)
		}
	}

	// Bad queries change nothing and say what is wrong.
	for _, q := range []string{"?sort=size", "?sort=--title", "?status=maybe", "?industry=nope", "?limit=500", "?limit=x",
		"?cursor=not-a-cursor", "?q=" + strings.Repeat("x", roadshow.MaxSearchText+1), "?q=a%00b"} {
		if r := s.Do(t, "GET", "/applications/search"+q, f.org.Token, nil); r.Status != 400 {
			t.Fatalf("GET /applications/search%s: got %d, want 400: %s", q, r.Status, r.Body)
		}
	}
	s.Must(t, 403, "GET", "/applications/search", f.ada.Token, nil)
	s.Must(t, 403, "GET", "/applications/search", f.judge.Token, nil)
	s.Must(t, 401, "GET", "/applications/search", "", nil)

	// Neighbours follow the list's order and filter.
	var nb roadshow.ApplicationNeighbors
	s.Must(t, 200, "GET", "/applications/"+f.apps["Ocean Drone"].ID+"/neighbors?sort=title", f.org.Token, nil).JSON(t, &nb)
	if nb.Prev == nil || nb.Prev.Title != "Mirror World" || nb.Next == nil || nb.Next.Title != "Solar Grid AI" {
		t.Fatalf("neighbours by title: %+v", nb)
	}
	s.Must(t, 200, "GET", "/applications/"+f.apps["Solar Grid AI"].ID+"/neighbors?sort=title&q=solar", f.org.Token, nil).JSON(t, &nb)
	if nb.Prev != nil || nb.Next == nil || nb.Next.Title != "SolarGrid AI Ltd." {
		t.Fatalf("neighbours in a search: %+v", nb)
	}
	s.Must(t, 400, "GET", "/applications/"+f.apps["Solar Grid AI"].ID+"/neighbors?sort=bogus", f.org.Token, nil)
	s.Must(t, 404, "GET", "/applications/000000000000000000000000/neighbors", f.org.Token, nil)
	s.Must(t, 404, "GET", "/applications/not-an-id/neighbors", f.org.Token, nil)
	s.Must(t, 403, "GET", "/applications/"+f.apps["Solar Grid AI"].ID+"/neighbors", f.ada.Token, nil)
}

func TestScreeningQueueAndHistory(t *testing.T) {
	t.Parallel()
	f := newScreeningFixture(t)
	s := f.s
	first := f.apps["Solar Grid AI"]

	// The queue starts with the oldest submission.
	var q roadshow.ScreeningQueueNext
	s.Must(t, 200, "GET", "/applications/queue/next", f.org.Token, nil).JSON(t, &q)
	if q.Next == nil || q.Next.ID != first.ID || q.Remaining != 5 {
		t.Fatalf("queue: %+v", q)
	}
	// Skipping moves on; past the end it wraps round.
	s.Must(t, 200, "GET", "/applications/queue/next?after="+first.ID, f.org.Token, nil).JSON(t, &q)
	if q.Next == nil || q.Next.Title != "Ocean Drone" {
		t.Fatalf("after the first: %+v", q)
	}
	s.Must(t, 200, "GET", "/applications/queue/next?after="+f.apps["Bio Sensors"].ID, f.org.Token, nil).JSON(t, &q)
	if q.Next == nil || q.Next.ID != first.ID {
		t.Fatalf("after the last: %+v", q)
	}
	s.Must(t, 404, "GET", "/applications/queue/next?after=nope", f.org.Token, nil)
	s.Must(t, 404, "GET", "/applications/queue/next?after=000000000000000000000000", f.org.Token, nil)
	s.Must(t, 403, "GET", "/applications/queue/next", f.ada.Token, nil)

	path := "/applications/" + first.ID + "/screening"
	// Bad decisions change nothing.
	for _, tc := range []struct {
		body any
		want int
		key  string
	}{
		{map[string]any{"decision": 5}, 400, ""},
		{map[string]any{"decision": "eligible", "version": "0"}, 400, ""},
		{map[string]any{"decision": "eligible", "extra": true}, 400, ""},
		{[]any{"eligible"}, 400, ""},
		{map[string]any{}, 422, ""},
		{map[string]any{"decision": "ineligible"}, 422, ""},
		{map[string]any{"decision": "ineligible", "reason": "bad_vibes"}, 422, ""},
		{map[string]any{"decision": "eligible", "version": -1}, 422, ""},
		{map[string]any{"decision": "eligible", "note": strings.Repeat("n", roadshow.MaxScreeningNote+1)}, 422, ""},
		{map[string]any{"decision": "eligible", "note": strings.Repeat("n", 2<<20)}, 413, ""},
	} {
		r := s.Do(t, "PATCH", path, f.org.Token, tc.body)
		if r.Status != tc.want {
			t.Fatalf("%.80v: got %d, want %d: %.300s", tc.body, r.Status, tc.want, r.Body)
		}
	}
	s.Must(t, 403, "PATCH", path, f.ada.Token, map[string]any{"decision": "eligible"})
	s.Must(t, 403, "PATCH", path, f.judge.Token, map[string]any{"decision": "eligible"})
	s.Must(t, 404, "PATCH", "/applications/000000000000000000000000/screening", f.org.Token, map[string]any{"decision": "eligible"})
	if got := s.MustGetApp(t, f.org, first.ID); got.Status != roadshow.StatusSubmitted || got.ScreeningVersion != 0 {
		t.Fatalf("refused decisions changed it: %+v", got)
	}

	// A first decision, then one made on the same version is refused.
	var v1 roadshow.Application
	s.Must(t, 200, "PATCH", path, f.org.Token, map[string]any{"decision": "eligible", "note": "Fits."}).JSON(t, &v1)
	if v1.ScreeningVersion != 1 || v1.Screening.Version != 1 || v1.Screening.ByName == "" {
		t.Fatalf("first decision: %+v", v1)
	}
	r := s.Must(t, 409, "PATCH", path, f.org.Token, map[string]any{"decision": "ineligible", "reason": "duplicate", "version": 0})
	if r.Key(t) != "application.screening_changed" {
		t.Fatalf("stale decision: %s", r.Body)
	}
	// Omitting the version counts as a first decision: refused too.
	s.Must(t, 409, "PATCH", path, f.org.Token, map[string]any{"decision": "ineligible", "reason": "duplicate"})
	var view struct {
		roadshow.Application
		History []roadshow.Screening `json:"screeningHistory"`
	}
	s.Must(t, 200, "PATCH", path, f.org.Token, map[string]any{"decision": "ineligible", "reason": "duplicate", "note": "Same as SolarGrid.", "version": 1}).JSON(t, &view)
	if view.Status != roadshow.StatusIneligible || view.ScreeningVersion != 2 || len(view.History) != 2 ||
		view.History[0].Decision != roadshow.StatusEligible || view.History[1].Reason != roadshow.ReasonDuplicate || view.History[1].By != f.org.ID {
		t.Fatalf("changed decision: %+v", view)
	}
	// The history is the organizers'; the owner reads the current decision.
	if r := s.Must(t, 200, "GET", "/applications/"+first.ID, f.ada.Token, nil); bytes.Contains(r.Body, []byte("screeningHistory")) {
		t.Fatalf("the owner reads the history: %s", r.Body)
	}
	if r := s.Must(t, 200, "GET", "/applications/"+first.ID, f.org.Token, nil); !bytes.Contains(r.Body, []byte(`"reason":"duplicate"`)) {
		t.Fatalf("the organizer does not read the history: %s", r.Body)
	}
	s.Must(t, 200, "GET", "/applications/queue/next", f.org.Token, nil).JSON(t, &q)
	if q.Remaining != 4 || q.Next == nil || q.Next.Title != "Ocean Drone" {
		t.Fatalf("queue after a decision: %+v", q)
	}
}

func TestBulkScreeningAPI(t *testing.T) {
	t.Parallel()
	f := newScreeningFixture(t)
	s := f.s
	ocean, mirror := f.apps["Ocean Drone"], f.apps["Mirror World"]
	s.Must(t, 200, "PATCH", "/applications/"+mirror.ID+"/screening", f.org.Token, map[string]any{"decision": "eligible"})
	item := func(id string, v int) map[string]any { return map[string]any{"id": id, "version": v} }
	body := func(items ...map[string]any) map[string]any {
		return map[string]any{"decision": "ineligible", "reason": "out_of_scope", "note": "Outside the zone's industries.", "items": items}
	}
	// Each item stands on its own: stale version, draft and unknown id fail.
	var res roadshow.BulkScreeningResponse
	s.Must(t, 200, "POST", "/applications/screening/bulk", f.org.Token, body(
		item(ocean.ID, 0), item(mirror.ID, 0), item(f.draft.ID, 0), item("000000000000000000000000", 0), item("x", 0),
	)).JSON(t, &res)
	if res.Done != 1 || res.Failed != 4 || res.Results[0].Row == nil || res.Results[0].Row.Status != roadshow.StatusIneligible ||
		res.Results[1].Code != "conflict" || res.Results[1].Error.Key != "application.screening_changed" ||
		res.Results[2].Code != "conflict" || res.Results[3].Code != "not_found" || res.Results[4].Code != "not_found" {
		t.Fatalf("bulk: %+v", res)
	}
	if got := s.MustGetApp(t, f.org, mirror.ID); got.Status != roadshow.StatusEligible {
		t.Fatalf("a stale bulk item changed %s", got.Status)
	}
	many := make([]map[string]any, roadshow.MaxBulkScreening+1)
	for i := range many {
		many[i] = item(fmt.Sprintf("%024x", i), 0)
	}
	for _, tc := range []struct {
		body any
		want int
	}{
		{body(), 422},
		{body(item(ocean.ID, 1), item(ocean.ID, 1)), 422},
		{body(many...), 422},
		{map[string]any{"decision": "eligible", "version": 1, "items": []any{item(ocean.ID, 1)}}, 422},
		{map[string]any{"decision": "ineligible", "items": []any{item(ocean.ID, 1)}}, 422},
		{map[string]any{"decision": "eligible", "items": "all"}, 400},
		{map[string]any{"decision": "eligible", "items": []any{map[string]any{"id": 7}}}, 400},
		{map[string]any{"decision": "eligible", "items": []any{item(ocean.ID, 1)}, "note": strings.Repeat("n", 2<<20)}, 413},
	} {
		if r := s.Do(t, "POST", "/applications/screening/bulk", f.org.Token, tc.body); r.Status != tc.want {
			t.Fatalf("%.120v: got %d, want %d: %.300s", tc.body, r.Status, tc.want, r.Body)
		}
	}
	s.Must(t, 403, "POST", "/applications/screening/bulk", f.ada.Token, body(item(ocean.ID, 1)))
	s.Must(t, 401, "POST", "/applications/screening/bulk", "", body(item(ocean.ID, 1)))
	if got := s.MustGetApp(t, f.org, ocean.ID); got.ScreeningVersion != 1 {
		t.Fatalf("refused bulk requests changed it: %+v", got)
	}
}

func TestDuplicatesAPI(t *testing.T) {
	t.Parallel()
	f := newScreeningFixture(t)
	s := f.s
	var d roadshow.DuplicateList
	s.Must(t, 200, "GET", "/applications/"+f.apps["Solar Grid AI"].ID+"/duplicates", f.org.Token, nil).JSON(t, &d)
	got := map[string][]roadshow.DuplicateReason{}
	for _, it := range d.Items {
		got[it.Row.Title] = it.Reasons
	}
	if d.Domain != "acme-robotics.com" || len(got) != 2 || !slices.Equal(got["SolarGrid AI Ltd."], []roadshow.DuplicateReason{roadshow.DuplicateTitle}) ||
		!slices.Equal(got["Mirror World"], []roadshow.DuplicateReason{roadshow.DuplicateDomain}) {
		t.Fatalf("duplicates of Solar Grid AI: %+v", d)
	}
	// Free mail says nothing; different titles are not flagged.
	d = roadshow.DuplicateList{}
	s.Must(t, 200, "GET", "/applications/"+f.apps["Bio Sensors"].ID+"/duplicates", f.org.Token, nil).JSON(t, &d)
	if d.Domain != "" || len(d.Items) != 0 {
		t.Fatalf("duplicates of Bio Sensors: %+v", d)
	}
	s.Must(t, 403, "GET", "/applications/"+f.apps["Bio Sensors"].ID+"/duplicates", f.carl.Token, nil)
	s.Must(t, 404, "GET", "/applications/000000000000000000000000/duplicates", f.org.Token, nil)
}

func TestDeckInlineLink(t *testing.T) {
	t.Parallel()
	f := newScreeningFixture(t)
	s := f.s
	a := s.MustCreateApp(t, f.ada, completeApplication("digital-tech"))
	pdf := []byte("%PDF-1.4\n1 0 obj << /Type /Pages /Kids [2 0 R 3 0 R 4 0 R] /Count 3 >> endobj\n%%EOF\n")
	if r := s.Do(t, "PUT", "/applications/"+a.ID+"/deck", f.ada.Token, bytes.NewReader(pdf), "Content-Type", "application/pdf"); r.Status != 200 {
		t.Fatalf("upload: %d %s", r.Status, r.Body)
	}
	var link struct {
		URL       string    `json:"url"`
		ExpiresAt time.Time `json:"expiresAt"`
		Size      int64     `json:"size"`
		Pages     int       `json:"pages"`
	}
	s.Must(t, 201, "POST", "/applications/"+a.ID+"/deck/link", f.org.Token, nil).JSON(t, &link)
	if link.Pages != 3 || link.Size != int64(len(pdf)) || !strings.HasPrefix(link.URL, "/api/v1/applications/"+a.ID+"/deck/view?t=") ||
		link.ExpiresAt.Sub(s.Clock.Now()) > 10*time.Minute {
		t.Fatalf("link: %+v", link)
	}
	path := strings.TrimPrefix(link.URL, "/api/v1")
	// No header needed: the link is the credential.
	r := s.Do(t, "GET", path, "", nil)
	if r.Status != 200 || !bytes.Equal(r.Body, pdf) || r.Header.Get("Content-Type") != "application/pdf" ||
		!strings.HasPrefix(r.Header.Get("Content-Disposition"), "inline") || r.Header.Get("X-Frame-Options") != "SAMEORIGIN" ||
		r.Header.Get("Content-Security-Policy") != "frame-ancestors 'self'" {
		t.Fatalf("view: %d %v", r.Status, r.Header)
	}
	// The download still works, and still may not be framed.
	r = s.Must(t, 200, "GET", "/applications/"+a.ID+"/deck", f.org.Token, nil)
	if r.Header.Get("X-Frame-Options") != "DENY" {
		t.Fatalf("download headers: %v", r.Header)
	}
	_, tok, _ := strings.Cut(path, "?t=")
	tok, _ = url.QueryUnescape(tok)
	other := s.MustCreateApp(t, f.bob, completeApplication("digital-tech"))
	for name, p := range map[string]string{
		"no token":          "/applications/" + a.ID + "/deck/view",
		"tampered":          "/applications/" + a.ID + "/deck/view?t=" + url.QueryEscape(tok[:len(tok)-2]+"AA"),
		"other application": "/applications/" + other.ID + "/deck/view?t=" + url.QueryEscape(tok),
		"garbage":           "/applications/" + a.ID + "/deck/view?t=a.b.c",
	} {
		if r := s.Do(t, "GET", p, "", nil); r.Status != 401 {
			t.Fatalf("%s: got %d, want 401: %s", name, r.Status, r.Body)
		}
	}
	// Someone who may not read the deck gets no link.
	s.Must(t, 404, "POST", "/applications/"+a.ID+"/deck/link", f.bob.Token, nil)
	s.Must(t, 404, "POST", "/applications/"+a.ID+"/deck/link", f.judge.Token, nil)
	s.Must(t, 401, "POST", "/applications/"+a.ID+"/deck/link", "", nil)
	s.Must(t, 404, "POST", "/applications/"+other.ID+"/deck/link", f.org.Token, nil) // no deck
	s.Must(t, 404, "POST", "/applications/nope/deck/link", f.org.Token, nil)
	// It expires in minutes.
	s.Clock.Advance(11 * time.Minute)
	if r := s.Do(t, "GET", path, "", nil); r.Status != 401 {
		t.Fatalf("expired link: got %d", r.Status)
	}
}
