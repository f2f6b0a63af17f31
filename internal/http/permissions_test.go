package http_test

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/roadshow/roadshow/internal/auth"
	roadshowhttp "github.com/roadshow/roadshow/internal/http"
	"github.com/roadshow/roadshow/roadshow"
)

// The callers of the permission matrix: the applicant who owns the
// application under test, another applicant, the three staff roles, nobody,
// and someone with a well-formed token signed with another key.
const (
	asOwner     = "owner"
	asOther     = "otherApplicant"
	asJudge     = "judge"
	asInvestor  = "investor"
	asOrganizer = "organizer"
	asNobody    = "noToken"
	asForged    = "forgedToken"
)

func callers() []string {
	return []string{asOwner, asOther, asJudge, asInvestor, asOrganizer, asNobody, asForged}
}

// matrixEnv is one server with one account per role, made once per test:
// logging in costs an argon2 hash.
type matrixEnv struct {
	s        *testServer
	users    map[string]user
	password map[string]string
	forged   string
	seq      int
}

func (e *matrixEnv) token(who string) string {
	switch who {
	case asNobody:
		return ""
	case asForged:
		return e.forged
	}
	return e.users[who].Token
}

func (e *matrixEnv) freshEmail(prefix string) string {
	e.seq++
	return fmt.Sprintf("%s-%d@example.com", prefix, e.seq)
}

// draft makes a fresh complete draft owned by the owner.
func (e *matrixEnv) draft(tb testing.TB) string {
	tb.Helper()
	return e.s.MustCreateApp(tb, e.users[asOwner], completeApplication("connected-vehicles")).ID
}

func (e *matrixEnv) withDeck(tb testing.TB) string {
	tb.Helper()
	id := e.draft(tb)
	if r := e.s.Do(tb, "PUT", "/applications/"+id+"/deck", e.users[asOwner].Token, bytes.NewReader(pdfBody(2000)), "Content-Type", "application/pdf"); r.Status != 200 {
		tb.Fatalf("upload deck: got %d, want 200: %s", r.Status, r.Body)
	}
	return id
}

func (e *matrixEnv) submitted(tb testing.TB) string {
	tb.Helper()
	id := e.draft(tb)
	e.s.Must(tb, 200, "POST", "/applications/"+id+"/submit", e.users[asOwner].Token, nil)
	return id
}

// permRoute is one row of the matrix: a route as registered in http.go, how
// to make a request to it, and the status each caller must get.
type permRoute struct {
	method, path string // path as registered, under /api/v1, with :id
	// prepare makes fresh objects for one request and returns the :id, so
	// that rows and callers do not interfere.
	prepare func(e *matrixEnv, tb testing.TB) string
	body    func(e *matrixEnv, who string) any
	hdr     []string
	want    map[string]int
}

// statuses builds a want map: every caller gets def unless listed.
func statuses(def int, except map[string]int) map[string]int {
	m := map[string]int{}
	for _, who := range callers() {
		m[who] = def
		if st, ok := except[who]; ok {
			m[who] = st
		}
	}
	return m
}

// authed is the usual shape for an authenticated route: 401 without a valid
// token, 403 for roles the route does not allow, and the given statuses.
func authed(allowed map[string]int) map[string]int {
	m := statuses(403, allowed)
	m[asNobody], m[asForged] = 401, 401
	return m
}

// permMatrix lists every route of internal/http/http.go. A route added there
// without a row here fails TestPermissionMatrixCoversEveryRoute.
func permMatrix() []permRoute {
	complete := func(e *matrixEnv, who string) any { return completeApplication("clean-energy") }
	return []permRoute{
		// Public.
		{method: "GET", path: "/industries", want: statuses(200, nil)},
		{method: "GET", path: "/options", want: statuses(200, nil)},
		{method: "POST", path: "/auth/register", want: statuses(201, nil),
			body: func(e *matrixEnv, who string) any {
				return map[string]any{"email": e.freshEmail("reg"), "password": "correct-horse-1", "name": "New Founder", "country": "FR"}
			}},
		{method: "POST", path: "/auth/login", want: statuses(200, nil),
			body: func(e *matrixEnv, who string) any {
				if _, ok := e.users[who]; !ok {
					who = asOwner
				}
				return map[string]any{"email": e.users[who].Email, "password": e.password[who]}
			}},

		// Any signed-in user.
		{method: "GET", path: "/me", want: authed(map[string]int{asOwner: 200, asOther: 200, asJudge: 200, asInvestor: 200, asOrganizer: 200})},

		// Organizers.
		{method: "POST", path: "/users", want: authed(map[string]int{asOrganizer: 201}),
			body: func(e *matrixEnv, who string) any {
				return map[string]any{"email": e.freshEmail("invited"), "name": "Jo Judge", "role": "judge", "password": "judge-password-1"}
			}},
		{method: "GET", path: "/applications/summary", want: authed(map[string]int{asOrganizer: 200})},
		{method: "PATCH", path: "/applications/:id/screening", prepare: (*matrixEnv).submitted,
			body: func(e *matrixEnv, who string) any {
				return map[string]any{"decision": "eligible", "note": "Fits the zone."}
			},
			want: authed(map[string]int{asOrganizer: 200})},

		// Applicants, on their own applications; someone else's is not found.
		{method: "POST", path: "/applications", body: complete, want: authed(map[string]int{asOwner: 201, asOther: 201})},
		{method: "GET", path: "/applications", want: authed(map[string]int{asOwner: 200, asOther: 200, asOrganizer: 200})},
		{method: "PATCH", path: "/applications/:id", prepare: (*matrixEnv).draft,
			body: func(e *matrixEnv, who string) any { return map[string]any{"title": "Renamed"} },
			want: authed(map[string]int{asOwner: 200, asOther: 404})},
		{method: "POST", path: "/applications/:id/submit", prepare: (*matrixEnv).draft,
			want: authed(map[string]int{asOwner: 200, asOther: 404})},
		{method: "POST", path: "/applications/:id/withdraw", prepare: (*matrixEnv).submitted,
			want: authed(map[string]int{asOwner: 200, asOther: 404})},
		{method: "PUT", path: "/applications/:id/deck", prepare: (*matrixEnv).draft,
			body: func(e *matrixEnv, who string) any { return bytes.NewReader(pdfBody(5000)) },
			hdr:  []string{"Content-Type", "application/pdf"},
			want: authed(map[string]int{asOwner: 200, asOther: 404})},

		// Owner and organizers read; for everyone else it does not exist.
		{method: "GET", path: "/applications/:id", prepare: (*matrixEnv).draft,
			want: authed(map[string]int{asOwner: 200, asOrganizer: 200, asOther: 404, asJudge: 404, asInvestor: 404})},
		{method: "GET", path: "/applications/:id/deck", prepare: (*matrixEnv).withDeck,
			want: authed(map[string]int{asOwner: 200, asOrganizer: 200, asOther: 404, asJudge: 404, asInvestor: 404})},
	}
}

// refusalCode is the error code that goes with a refusal status.
func refusalCode(status int) string {
	return map[int]string{401: "unauthorized", 403: "forbidden", 404: "not_found"}[status]
}

func TestPermissionMatrix(t *testing.T) {
	t.Parallel()
	start := time.Now()
	s := MustServer(t, serverOpts{})
	e := &matrixEnv{s: s, users: map[string]user{}, password: map[string]string{}}
	e.users[asOwner] = s.MustApplicant(t, "owner@example.com")
	e.users[asOther] = s.MustApplicant(t, "other@example.com")
	e.password[asOwner], e.password[asOther] = "correct-horse-1", "correct-horse-1"
	for who, role := range map[string]roadshow.Role{asJudge: roadshow.RoleJudge, asInvestor: roadshow.RoleInvestor, asOrganizer: roadshow.RoleOrganizer} {
		e.users[who] = s.MustStaff(t, role, who+"@example.com")
		e.password[who] = "staff-password-1"
	}
	// A token that would be valid, for the organizer, but for its key.
	other, err := auth.NewTokens(bytes.Repeat([]byte("x"), 32), time.Hour, s.Clock)
	if err != nil {
		t.Fatal(err)
	}
	if e.forged, _, err = other.Issue(&roadshow.User{ID: e.users[asOrganizer].ID, Role: roadshow.RoleOrganizer}); err != nil {
		t.Fatal(err)
	}

	// The rows share one server, so they run one after the other.
	for _, rt := range permMatrix() {
		for _, who := range callers() {
			want, ok := rt.want[who]
			if !ok {
				t.Errorf("%s %s: no expected status for %s", rt.method, rt.path, who)
				continue
			}
			t.Run(rt.method+" "+rt.path+" as "+who, func(t *testing.T) {
				path := rt.path
				id := ""
				if rt.prepare != nil {
					id = rt.prepare(e, t)
					path = strings.Replace(path, ":id", id, 1)
				}
				var body any
				if rt.body != nil {
					body = rt.body(e, who)
				}
				before := e.snapshot(t, rt, id)
				r := s.Do(t, rt.method, path, e.token(who), body, rt.hdr...)
				if r.Status == 500 {
					t.Fatalf("got 500: %s", r.Body)
				}
				if r.Status != want {
					t.Fatalf("got status %d, want %d: %s", r.Status, want, r.Body)
				}
				if r.Status >= 400 {
					if got := r.ErrorCode(t); got != refusalCode(want) {
						t.Fatalf("got code %q, want %q: %s", got, refusalCode(want), r.Body)
					}
					if after := e.snapshot(t, rt, id); after != before {
						t.Fatalf("a refused request changed stored data: got %s, want %s", after, before)
					}
				}
				if rt.path == "/users" && r.Status != 201 {
					email := body.(map[string]any)["email"].(string)
					if _, err := s.DB.Users().UserByEmail(context.Background(), email); roadshow.ErrorCode(err) != roadshow.ENOTFOUND {
						t.Fatalf("a refused invitation made an account: got %v, want not found", err)
					}
				}
			})
		}
	}

	// Methods a path is not registered for never succeed nor fail with a
	// 500: they are a JSON 404, or a refusal from a route whose template also
	// matches the path (PATCH /applications/summary is PATCH /applications/:id).
	registered := map[string]bool{}
	for _, r := range appRoutes(t) {
		registered[r] = true
	}
	id := e.draft(t)
	paths := map[string]bool{}
	for _, rt := range permMatrix() {
		paths[rt.path] = true
	}
	for path := range paths {
		for _, m := range []string{"GET", "POST", "PUT", "PATCH", "DELETE"} {
			if registered[m+" "+path] {
				continue
			}
			for _, who := range []string{asNobody, asOwner, asOrganizer} {
				p := strings.Replace(path, ":id", id, 1)
				r := s.Do(t, m, p, e.token(who), nil)
				if code := refusalCode(r.Status); code == "" || r.ErrorCode(t) != code {
					t.Errorf("%s %s as %s: got %d, want 401, 403 or 404 with its code: %s", m, path, who, r.Status, r.Body)
				}
			}
		}
	}
	t.Logf("permission matrix: %v", time.Since(start))
}

// snapshot returns what a refused request must leave unchanged.
func (e *matrixEnv) snapshot(tb testing.TB, rt permRoute, id string) string {
	tb.Helper()
	switch {
	case id != "":
		return string(e.s.Must(tb, 200, "GET", "/applications/"+id, e.users[asOwner].Token, nil).Body)
	case rt.method == "POST" && rt.path == "/applications":
		return string(e.s.Must(tb, 200, "GET", "/applications/summary", e.users[asOrganizer].Token, nil).Body)
	}
	return ""
}

// appRoutes returns the API routes the app registers, as "METHOD /path"
// under /api/v1, HEAD left out (fiber adds one beside every GET).
func appRoutes(tb testing.TB) []string {
	tb.Helper()
	const prefix = "/api/v1"
	var routes []string
	gets := map[string]bool{}
	var heads []string
	for _, r := range roadshowhttp.New(roadshowhttp.Config{}).App().GetRoutes(true) {
		switch r.Method {
		case "HEAD":
			heads = append(heads, r.Path)
			continue
		case "GET":
			gets[r.Path] = true
		}
		if !strings.HasPrefix(r.Path, prefix+"/") {
			tb.Errorf("route %s %s is outside %s", r.Method, r.Path, prefix)
			continue
		}
		routes = append(routes, r.Method+" "+strings.TrimPrefix(r.Path, prefix))
	}
	for _, p := range heads {
		if !gets[p] {
			tb.Errorf("route HEAD %s has no GET beside it: add it to the permission matrix", p)
		}
	}
	sort.Strings(routes)
	return slices.Compact(routes)
}

// TestPermissionMatrixCoversEveryRoute fails when a route is registered in
// http.go without a row in permMatrix, or a row names a route that is gone.
func TestPermissionMatrixCoversEveryRoute(t *testing.T) {
	t.Parallel()
	registered := appRoutes(t)
	var inMatrix []string
	for _, rt := range permMatrix() {
		inMatrix = append(inMatrix, rt.method+" "+rt.path)
	}
	sort.Strings(inMatrix)
	if len(registered) < 10 {
		t.Fatalf("got %d routes from the app, want the API's: %v", len(registered), registered)
	}
	for _, r := range registered {
		if !slices.Contains(inMatrix, r) {
			t.Errorf("route %s is registered but has no row in permMatrix", r)
		}
	}
	for _, r := range inMatrix {
		if !slices.Contains(registered, r) {
			t.Errorf("permMatrix row %s is not a registered route", r)
		}
	}
	if dup := len(inMatrix) - len(slices.Compact(slices.Clone(inMatrix))); dup != 0 {
		t.Errorf("permMatrix has %d duplicate rows: %v", dup, inMatrix)
	}
}
