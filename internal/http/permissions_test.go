package http_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/roadshow/roadshow/internal/auth"
	roadshowhttp "github.com/roadshow/roadshow/internal/http"
	"github.com/roadshow/roadshow/roadshow"
)

// The callers of the permission matrix: the applicant who owns the
// application under test (and has a slot in the session under test),
// another applicant, a judge assigned to the session under test and one who
// is not, an investor invited to it and one who is not, an organizer,
// nobody, and someone with a well-formed token signed with another key.
const (
	asOwner       = "owner"
	asOther       = "otherApplicant"
	asJudge       = "judge"
	asOutJudge    = "unassignedJudge"
	asInvestor    = "investor"
	asOutInvestor = "uninvitedInvestor"
	asOrganizer   = "organizer"
	asNobody      = "noToken"
	asForged      = "forgedToken"
)

func callers() []string {
	return []string{asOwner, asOther, asJudge, asOutJudge, asInvestor, asOutInvestor, asOrganizer, asNobody, asForged}
}

// The industries of the sessions the matrix plans: its session fixtures,
// and the row that plans. No other row makes applications of these
// industries eligible, so each planning run places only what the matrix
// meant it to.
const (
	fixtureIndustry = "life-health"
	planIndustry    = "metaverse"
)

// matrixEnv is one server with one account per caller, made once per test:
// logging in costs an argon2 hash.
type matrixEnv struct {
	s        *testServer
	users    map[string]user
	password map[string]string
	forged   string
	// spareJudge and spareInvestor are accounts that are no caller, for the
	// rows that add a participant.
	spareJudge, spareInvestor string
	// shared holds session fixtures, by state, for the rows that only read.
	shared map[string]target
	seq    int
	day    int // the day the last fixture was planned on
	// sendOffer and recvOffer are SDP offers of a WHIP and a WHEP client.
	sendOffer, recvOffer string
}

// target is what a row's prepare made for one request.
type target struct {
	id      string            // the :id of the path
	appID   string            // :applicationId, and an application a refusal must leave unchanged
	userID  string            // :userId
	res     string            // :resource, a WHIP or WHEP resource
	session *roadshow.Session // the session under test, as organizers see it
	digest  string            // the gaps of its completeness report
	query   string            // added to the row's query (a token made for this request)
	secret  string            // the secret of an account link made for this request
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

// eligible makes a fresh application of the owner in industry, submitted
// and screened eligible, so that the next planning run places it.
func (e *matrixEnv) eligible(tb testing.TB, industry string) string {
	tb.Helper()
	body := completeApplication(industry)
	e.seq++
	body["title"] = fmt.Sprintf("Matrix team %d", e.seq)
	id := e.s.MustCreateApp(tb, e.users[asOwner], body).ID
	e.s.Must(tb, 200, "POST", "/applications/"+id+"/submit", e.users[asOwner].Token, nil)
	e.s.Must(tb, 200, "PATCH", "/applications/"+id+"/screening", e.users[asOrganizer].Token, map[string]any{"decision": "eligible"})
	return id
}

// planBody plans one industry on day day (counted from a Monday in 2030):
// up to 20 teams a session, so that all of one run's teams share a session,
// and room for every session the matrix makes. Each fixture plans its own
// day, so that no planning run fills the free seats of an earlier
// fixture's session and no two fixtures overlap (their judge and investor
// take part in all of them).
func planBody(industry string, day int) map[string]any {
	return map[string]any{"industries": []string{industry}, "firstStart": time.Date(2030, 3, 4, 0, 0, 0, 0, time.UTC).AddDate(0, 0, day).Format(time.RFC3339),
		"maxPerSession": 20, "days": 1, "tracks": 100}
}

// session plans a fresh session holding teams new applications of the
// owner, assigns the judge, invites the investor, and takes the session to
// state: scheduled, live, ended or published.
func (e *matrixEnv) session(tb testing.TB, teams int, state string) target {
	tb.Helper()
	org := e.users[asOrganizer].Token
	var mine []string
	for range teams {
		mine = append(mine, e.eligible(tb, fixtureIndustry))
	}
	var res roadshow.PlanResult
	e.day++
	e.s.Must(tb, 201, "POST", "/sessions/plan", org, planBody(fixtureIndustry, e.day)).JSON(tb, &res)
	var se *roadshow.Session
	for _, c := range res.Sessions {
		if c.SlotIndex(mine[0]) >= 0 {
			se = c
		}
	}
	if se == nil {
		tb.Fatalf("plan placed no session with %s: %+v", mine[0], res)
	}
	for _, id := range mine {
		if se.SlotIndex(id) < 0 {
			tb.Fatalf("plan split the fixture's teams: %s is not in session %s", id, se.ID)
		}
	}
	base := "/sessions/" + se.ID
	e.s.Must(tb, 200, "POST", base+"/judges", org, map[string]any{"userId": e.users[asJudge].ID})
	e.s.Must(tb, 200, "POST", base+"/investors", org, map[string]any{"userId": e.users[asInvestor].ID})
	steps := map[string][]string{"scheduled": nil, "live": {"start"}, "ended": {"start", "end"}, "published": {"start", "end", "results/publish"}}
	st, ok := steps[state]
	if !ok {
		tb.Fatalf("unknown session state %q", state)
	}
	for _, step := range st {
		var body any
		if step == "results/publish" {
			// Nobody scored: publishing confirms the gaps.
			var rep roadshow.CompletenessReport
			e.s.Must(tb, 200, "GET", base+"/completeness", org, nil).JSON(tb, &rep)
			body = map[string]any{"confirmGaps": rep.GapsDigest}
		}
		e.s.Must(tb, 200, "POST", base+"/"+step, org, body)
	}
	var out roadshow.Session
	e.s.Must(tb, 200, "GET", base, org, nil).JSON(tb, &out)
	return target{id: out.ID, appID: out.Slots[0].ApplicationID, session: &out}
}

// prepareFunc makes the objects for one request. refused tells whether the
// request must be refused: then it may use shared objects, which the
// matrix checks it leaves unchanged.
type prepareFunc func(e *matrixEnv, tb testing.TB, refused bool) target

// onApp makes an application prepare step into a target.
func onApp(f func(*matrixEnv, testing.TB) string) prepareFunc {
	return func(e *matrixEnv, tb testing.TB, refused bool) target {
		id := f(e, tb)
		return target{id: id, appID: id}
	}
}

// fresh prepares a new session in state for a request that must succeed
// (its success changes the session), and the shared session in that state
// for one that must be refused. then, if given, adjusts the target.
func fresh(teams int, state string, then ...func(*matrixEnv, testing.TB, target) target) prepareFunc {
	return func(e *matrixEnv, tb testing.TB, refused bool) target {
		var tg target
		if refused {
			tg = shared(state)(e, tb, refused)
		} else {
			tg = e.session(tb, teams, state)
		}
		for _, f := range then {
			tg = f(e, tb, tg)
		}
		return tg
	}
}

// shared prepares the shared session in state, for rows that only read.
func shared(state string) prepareFunc {
	return func(e *matrixEnv, tb testing.TB, refused bool) target {
		tg, ok := e.shared[state]
		if !ok {
			tb.Fatalf("no shared %s session", state)
		}
		return tg
	}
}

// onFirstApp makes the target the session's first application.
func onFirstApp(e *matrixEnv, tb testing.TB, tg target) target {
	tg.id = tg.appID
	return tg
}

// sharedApp prepares the first application of the shared session in state.
func sharedApp(state string) prepareFunc {
	return func(e *matrixEnv, tb testing.TB, refused bool) target {
		return onFirstApp(e, tb, shared(state)(e, tb, refused))
	}
}

// permRoute is one row of the matrix: a route as registered in http.go, how
// to make a request to it, and the status each caller must get.
type permRoute struct {
	method, path string // path as registered, under /api/v1, with :id
	// variant tells apart rows of one route in different situations.
	variant string
	query   string // appended to the path, with its "?"
	// prepare makes the objects for one request (fresh ones where a
	// request changes them), so that rows and callers do not interfere.
	prepare prepareFunc
	body    func(e *matrixEnv, who string, tg target) any
	hdr     []string
	want    map[string]int
	// check looks further at a reply with the wanted status: what a caller
	// sees, not only whether they may.
	check func(tb testing.TB, e *matrixEnv, who string, r response)
}

func (rt permRoute) name() string {
	if rt.variant != "" {
		return rt.method + " " + rt.path + " (" + rt.variant + ")"
	}
	return rt.method + " " + rt.path
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

// signedIn gives every signed-in caller st.
func signedIn(st int) map[string]int {
	return authed(map[string]int{asOwner: st, asOther: st, asJudge: st, asOutJudge: st, asInvestor: st, asOutInvestor: st, asOrganizer: st})
}

// participantsOnly is a read of the session under test: its participants
// and organizers see it; for everyone else it does not exist.
func participantsOnly(participant int) map[string]int {
	return authed(map[string]int{asOwner: participant, asJudge: participant, asInvestor: participant, asOrganizer: 200,
		asOther: 404, asOutJudge: 404, asOutInvestor: 404})
}

// livePeople is a live-room route: the session's participants get
// participant, organizers organizer, and for everyone else the session
// does not exist.
func livePeople(participant, organizer int) map[string]int {
	return authed(map[string]int{asOwner: participant, asJudge: participant, asInvestor: participant, asOrganizer: organizer,
		asOther: 404, asOutJudge: 404, asOutInvestor: 404})
}

// ownerOnly is a WHIP or WHEP resource route: its maker (the owner) gets
// st, everyone else not found.
func ownerOnly(st int) map[string]int {
	return statuses(404, map[string]int{asOwner: st, asNobody: 401, asForged: 401})
}

// ownResource makes a WHIP or WHEP resource of the owner in the shared
// live session.
func ownResource(kind string) prepareFunc {
	return func(e *matrixEnv, tb testing.TB, refused bool) target {
		tg := shared("live")(e, tb, refused)
		offer := e.recvOffer
		if kind == "whip" {
			offer = e.sendOffer
		}
		r := e.s.postSDP(tb, "/sessions/"+tg.id+"/"+kind, e.users[asOwner].Token, offer)
		if r.Status != 201 {
			tb.Fatalf("%s: got %d: %s", kind, r.Status, r.Body)
		}
		loc := r.Header.Get("Location")
		tg.res = loc[strings.LastIndexByte(loc, '/')+1:]
		return tg
	}
}

// outsider reports whether the caller takes part in none of the matrix's
// sessions.
func outsider(who string) bool {
	return who == asOther || who == asOutJudge || who == asOutInvestor
}

// permMatrix lists every route of internal/http/http.go. A route added there
// without a row here fails TestPermissionMatrixCoversEveryRoute.
func permMatrix() []permRoute {
	complete := func(e *matrixEnv, who string, tg target) any { return completeApplication("clean-energy") }
	return []permRoute{
		// Public.
		{method: "GET", path: "/openapi.json", want: statuses(200, nil)},
		{method: "GET", path: "/industries", want: statuses(200, nil)},
		{method: "GET", path: "/options", want: statuses(200, nil)},
		{method: "POST", path: "/auth/register", want: statuses(202, nil),
			body: func(e *matrixEnv, who string, tg target) any {
				return map[string]any{"email": e.freshEmail("reg"), "password": "correct-horse-1", "name": "New Founder", "country": "FR"}
			}},
		{method: "POST", path: "/auth/login", want: statuses(200, nil),
			body: func(e *matrixEnv, who string, tg target) any {
				if _, ok := e.users[who]; !ok {
					who = asOwner
				}
				return map[string]any{"email": e.users[who].Email, "password": e.password[who]}
			}},

		// The account links mailed to people, and the unsubscribe link:
		// anyone holding one may use it.
		{method: "POST", path: "/auth/forgot", want: statuses(202, nil),
			body: func(e *matrixEnv, who string, tg target) any { return map[string]any{"email": e.freshEmail("forgot")} }},
		{method: "POST", path: "/auth/reset", prepare: withLink(roadshow.LinkReset), want: statuses(200, nil),
			body: func(e *matrixEnv, who string, tg target) any {
				return map[string]any{"token": tg.secret, "password": "a-new-long-password-7"}
			}},
		{method: "POST", path: "/auth/reset", variant: "used link", want: statuses(422, nil),
			body: func(e *matrixEnv, who string, tg target) any {
				return map[string]any{"token": strings.Repeat("A", 43), "password": "a-new-long-password-7"}
			}},
		{method: "POST", path: "/auth/confirm", prepare: withLink(roadshow.LinkConfirm), want: statuses(200, nil),
			body: func(e *matrixEnv, who string, tg target) any { return map[string]any{"token": tg.secret} }},
		{method: "POST", path: "/mail/unsubscribe", want: statuses(200, nil),
			prepare: func(e *matrixEnv, tb testing.TB, refused bool) target {
				tok, err := e.s.Tokens.IssueUnsubscribe(e.freshAccount(tb).ID)
				if err != nil {
					tb.Fatal(err)
				}
				return target{query: "?token=" + tok}
			}},

		// Any signed-in user.
		{method: "GET", path: "/me", want: signedIn(200)},
		{method: "PATCH", path: "/me", want: signedIn(200),
			body: func(e *matrixEnv, who string, tg target) any { return map[string]any{"organization": "Matrix Ltd"} }},
		// A wrong current password: a right one would revoke the caller's
		// token for the rows after (TestRevokedTokens changes it).
		{method: "POST", path: "/me/password", want: signedIn(422),
			body: func(e *matrixEnv, who string, tg target) any {
				return map[string]any{"currentPassword": "not-my-password", "password": "a-new-long-password-7"}
			}},
		{method: "POST", path: "/me/calendar-link", want: signedIn(200)},
		{method: "GET", path: "/edition", want: signedIn(200)},
		{method: "GET", path: "/me/calendar-link", want: signedIn(200)},
		// The feed authenticates itself; each caller gets their own sessions.
		{method: "GET", path: "/me/calendar.ics", want: signedIn(200),
			check: func(tb testing.TB, e *matrixEnv, who string, r response) {
				if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/calendar") {
					tb.Fatalf("got Content-Type %q, want text/calendar", ct)
				}
				// One confirmed event per session the caller sees, or, for
				// an applicant, per own slot; none for outsiders. (Cancelled
				// sessions and slots are sent cancelled.)
				var list struct{ Items []roadshow.Session }
				e.s.Must(tb, 200, "GET", "/sessions", e.token(who), nil).JSON(tb, &list)
				want := 0
				for _, se := range list.Items {
					switch {
					case se.State == roadshow.SessionCancelled:
					case who == asOwner || who == asOther:
						for _, sl := range se.Slots {
							if sl.ApplicationID != "" {
								want++
							}
						}
					default:
						want++
					}
				}
				if got := bytes.Count(r.Body, []byte("STATUS:CONFIRMED")); got != want || (want == 0) != outsider(who) {
					tb.Fatalf("feed has %d events, want %d (outsider %v):\n%s", got, want, outsider(who), r.Body)
				}
			}},
		{method: "GET", path: "/sessions", want: signedIn(200),
			check: func(tb testing.TB, e *matrixEnv, who string, r response) {
				var list struct{ Items []roadshow.Session }
				r.JSON(tb, &list)
				if got, want := len(list.Items) > 0, !outsider(who); got != want {
					tb.Fatalf("sees sessions: got %v (%d), want %v", got, len(list.Items), want)
				}
				for _, se := range list.Items {
					if who != asOrganizer && who != asJudge && (len(se.Judges) != 0 || len(se.Investors) != 0) {
						tb.Fatalf("sees who judges and watches session %s: %v %v", se.ID, se.Judges, se.Investors)
					}
				}
			}},

		// Organizers.
		{method: "POST", path: "/users", want: authed(map[string]int{asOrganizer: 201}),
			body: func(e *matrixEnv, who string, tg target) any {
				return map[string]any{"email": e.freshEmail("invited"), "name": "Jo Judge", "role": "judge", "password": "judge-password-1"}
			}},
		{method: "GET", path: "/users", query: "?role=judge", want: authed(map[string]int{asOrganizer: 200})},
		{method: "GET", path: "/accounts", query: "?q=example", want: authed(map[string]int{asOrganizer: 200}),
			check: func(tb testing.TB, e *matrixEnv, who string, r response) {
				if bytes.Contains(r.Body, []byte("argon2")) || bytes.Contains(r.Body, []byte("passwordHash")) {
					tb.Fatalf("the list leaks password hashes: %.300s", r.Body)
				}
			}},
		{method: "PATCH", path: "/accounts/:id", prepare: onAccount, want: authed(map[string]int{asOrganizer: 200}),
			body: func(e *matrixEnv, who string, tg target) any { return map[string]any{"name": "Renamed Founder"} }},
		{method: "POST", path: "/accounts/:id/send-access", prepare: onAccount, want: authed(map[string]int{asOrganizer: 200})},
		{method: "GET", path: "/mail/status", want: authed(map[string]int{asOrganizer: 200})},
		{method: "PUT", path: "/edition", want: authed(map[string]int{asOrganizer: 200}),
			body: func(e *matrixEnv, who string, tg target) any { return map[string]any{"name": "Roadshow 2030"} }},
		{method: "GET", path: "/applications/summary", want: authed(map[string]int{asOrganizer: 200})},
		{method: "PATCH", path: "/applications/:id/screening", prepare: onApp((*matrixEnv).submitted),
			body: func(e *matrixEnv, who string, tg target) any {
				return map[string]any{"decision": "eligible", "note": "Fits the zone."}
			},
			want: authed(map[string]int{asOrganizer: 200})},
		{method: "GET", path: "/applications/:id/conflicts", prepare: sharedApp("scheduled"), want: authed(map[string]int{asOrganizer: 200})},
		{method: "GET", path: "/applications/search", query: "?q=matrix&sort=title", want: authed(map[string]int{asOrganizer: 200})},
		{method: "GET", path: "/applications/queue/next", want: authed(map[string]int{asOrganizer: 200})},
		{method: "GET", path: "/applications/:id/neighbors", prepare: onApp((*matrixEnv).submitted), want: authed(map[string]int{asOrganizer: 200})},
		{method: "GET", path: "/applications/:id/duplicates", prepare: onApp((*matrixEnv).submitted), want: authed(map[string]int{asOrganizer: 200})},
		{method: "POST", path: "/applications/screening/bulk", prepare: onApp((*matrixEnv).submitted),
			body: func(e *matrixEnv, who string, tg target) any {
				return map[string]any{"decision": "ineligible", "reason": "out_of_scope", "items": []map[string]any{{"id": tg.id, "version": 0}}}
			},
			want: authed(map[string]int{asOrganizer: 200})},
		{method: "GET", path: "/results", query: "?industry=" + fixtureIndustry, want: authed(map[string]int{asOrganizer: 200})},
		{method: "GET", path: "/exports/applications.csv", want: authed(map[string]int{asOrganizer: 200})},
		{method: "GET", path: "/exports/results.csv", want: authed(map[string]int{asOrganizer: 200})},
		{method: "POST", path: "/sessions/plan",
			prepare: func(e *matrixEnv, tb testing.TB, refused bool) target {
				return target{appID: e.eligible(tb, planIndustry)}
			},
			body: func(e *matrixEnv, who string, tg target) any { return planBody(planIndustry, 0) },
			want: authed(map[string]int{asOrganizer: 201})},

		// Organizers run sessions: each request gets a session in the state
		// the action needs, so that only the organizer's succeeds.
		{method: "POST", path: "/sessions/:id/start", prepare: fresh(1, "scheduled"), want: authed(map[string]int{asOrganizer: 200})},
		{method: "POST", path: "/sessions/:id/next", prepare: fresh(2, "live"), want: authed(map[string]int{asOrganizer: 200})},
		{method: "POST", path: "/sessions/:id/end", prepare: fresh(1, "live"), want: authed(map[string]int{asOrganizer: 200})},
		{method: "POST", path: "/sessions/:id/cancel", prepare: fresh(1, "scheduled"), want: authed(map[string]int{asOrganizer: 200})},
		{method: "POST", path: "/sessions/:id/move", prepare: fresh(2, "scheduled"), want: authed(map[string]int{asOrganizer: 200}),
			body: func(e *matrixEnv, who string, tg target) any {
				return map[string]any{"applicationId": tg.session.Slots[0].ApplicationID, "toIndex": len(tg.session.Slots) - 1}
			}},
		{method: "GET", path: "/sessions/:id/move-preview", prepare: shared("scheduled"), want: authed(map[string]int{asOrganizer: 200}),
			query: "?applicationId=:applicationId"},
		{method: "PUT", path: "/sessions/:id/order", prepare: fresh(2, "scheduled"), want: authed(map[string]int{asOrganizer: 200}),
			body: func(e *matrixEnv, who string, tg target) any {
				var ids []string
				for _, sl := range slices.Backward(tg.session.Slots) {
					ids = append(ids, sl.ApplicationID)
				}
				return map[string]any{"applicationIds": ids}
			}},
		{method: "POST", path: "/sessions/:id/judges", prepare: fresh(1, "scheduled"), want: authed(map[string]int{asOrganizer: 200}),
			body: func(e *matrixEnv, who string, tg target) any { return map[string]any{"userId": e.spareJudge} }},
		{method: "DELETE", path: "/sessions/:id/judges/:userId", want: authed(map[string]int{asOrganizer: 200}),
			prepare: fresh(1, "scheduled", func(e *matrixEnv, tb testing.TB, tg target) target {
				tg.userID = e.users[asJudge].ID
				return tg
			})},
		{method: "POST", path: "/sessions/:id/investors", prepare: fresh(1, "scheduled"), want: authed(map[string]int{asOrganizer: 200}),
			body: func(e *matrixEnv, who string, tg target) any { return map[string]any{"userId": e.spareInvestor} }},
		{method: "DELETE", path: "/sessions/:id/investors/:userId", want: authed(map[string]int{asOrganizer: 200}),
			prepare: fresh(1, "scheduled", func(e *matrixEnv, tb testing.TB, tg target) target {
				tg.userID = e.users[asInvestor].ID
				return tg
			})},
		{method: "POST", path: "/sessions/:id/results/publish", want: authed(map[string]int{asOrganizer: 200}),
			prepare: fresh(1, "ended", func(e *matrixEnv, tb testing.TB, tg target) target {
				var rep roadshow.CompletenessReport
				e.s.Must(tb, 200, "GET", "/sessions/"+tg.id+"/completeness", e.users[asOrganizer].Token, nil).JSON(tb, &rep)
				tg.digest = rep.GapsDigest
				return tg
			}),
			body: func(e *matrixEnv, who string, tg target) any { return map[string]any{"confirmGaps": tg.digest} }},
		{method: "POST", path: "/sessions/:id/results/withdraw", prepare: fresh(1, "published"), want: authed(map[string]int{asOrganizer: 200}),
			body: func(e *matrixEnv, who string, tg target) any {
				return map[string]any{"reason": "Scores entered for the wrong team."}
			}},
		{method: "GET", path: "/sessions/:id/completeness", prepare: shared("ended"), want: authed(map[string]int{asOrganizer: 200})},
		{method: "GET", path: "/sessions/:id/score-log", prepare: shared("live"), want: authed(map[string]int{asOrganizer: 200})},

		// Sessions are read by their participants; for everyone else they
		// do not exist.
		{method: "GET", path: "/sessions/:id", prepare: shared("scheduled"), want: participantsOnly(200),
			check: func(tb testing.TB, e *matrixEnv, who string, r response) {
				var se roadshow.Session
				r.JSON(tb, &se)
				if (who == asOwner || who == asInvestor) && (len(se.Judges) != 0 || len(se.Investors) != 0) {
					tb.Fatalf("sees who judges and watches: %v %v", se.Judges, se.Investors)
				}
			}},
		{method: "GET", path: "/applications/:id", variant: "in a session", prepare: sharedApp("scheduled"), want: participantsOnly(200),
			check: func(tb testing.TB, e *matrixEnv, who string, r response) {
				if who == asInvestor && bytes.Contains(r.Body, []byte("landingPlan")) {
					tb.Fatalf("investor reads private fields: %s", r.Body)
				}
				// The investor's page shows "Request a meeting" from this flag.
				if got, want := bytes.Contains(r.Body, []byte(`"can":{"requestMeeting":true}`)), who == asInvestor; got != want {
					tb.Fatalf("%s: may request a meeting: got %v, want %v: %s", who, got, want, r.Body)
				}
			}},
		// Results: organizers at any time; participants once published.
		{method: "GET", path: "/sessions/:id/results", variant: "before publishing", prepare: shared("ended"), want: participantsOnly(403)},
		{method: "GET", path: "/sessions/:id/results", variant: "published", prepare: shared("published"), want: participantsOnly(200),
			check: func(tb testing.TB, e *matrixEnv, who string, r response) {
				if who != asOrganizer && (bytes.Contains(r.Body, []byte(`"zMean"`)) || bytes.Contains(r.Body, []byte(`"judges"`))) {
					tb.Fatalf("sees the organizers' detail: %s", r.Body)
				}
			}},

		// Judges of the session; for other judges it does not exist.
		{method: "GET", path: "/sessions/:id/progress", prepare: shared("live"),
			want: authed(map[string]int{asJudge: 200, asOutJudge: 404, asOrganizer: 200})},
		{method: "GET", path: "/sessions/:id/scores", prepare: shared("live"),
			want: authed(map[string]int{asJudge: 200, asOutJudge: 404})},
		// Scoring needs a live session and an assigned judge.
		{method: "PUT", path: "/sessions/:id/scores/:applicationId", prepare: fresh(1, "live"),
			body: func(e *matrixEnv, who string, tg target) any { return scoreBody(7) },
			want: authed(map[string]int{asJudge: 200, asOutJudge: 403})},
		{method: "POST", path: "/sessions/:id/scores/:applicationId/final",
			prepare: fresh(1, "live", func(e *matrixEnv, tb testing.TB, tg target) target {
				e.s.Must(tb, 200, "PUT", "/sessions/"+tg.id+"/scores/"+tg.appID, e.users[asJudge].Token, scoreBody(6))
				return tg
			}),
			body: func(e *matrixEnv, who string, tg target) any { return map[string]any{"version": 1} },
			want: authed(map[string]int{asJudge: 200, asOutJudge: 403})},
		// A judge declares a conflict on an application of their session,
		// an organizer for a judge.
		{method: "POST", path: "/applications/:id/conflicts", want: authed(map[string]int{asJudge: 201, asOutJudge: 404, asOrganizer: 201}),
			prepare: fresh(1, "scheduled", onFirstApp),
			body: func(e *matrixEnv, who string, tg target) any {
				if who == asOrganizer {
					return map[string]any{"judgeId": e.users[asJudge].ID, "reason": "Former colleague."}
				}
				return map[string]any{"reason": "Former colleague."}
			}},
		// The event stream: a plain request without the upgrade is refused
		// before anything else (the WebSocket's own checks are in
		// TestPermissionMatrix after the rows, and in TestEventsWebSocket).
		{method: "GET", path: "/sessions/:id/events", prepare: shared("scheduled"), want: statuses(400, nil)},

		// The live room. Its participants get a room token and the ICE
		// servers; organizers see, mute and remove.
		{method: "POST", path: "/sessions/:id/live/token", prepare: shared("scheduled"), want: livePeople(201, 201)},
		{method: "POST", path: "/sessions/:id/live/token", variant: "ended", prepare: shared("ended"), want: livePeople(409, 409)},
		{method: "GET", path: "/sessions/:id/ice", prepare: shared("scheduled"), want: livePeople(200, 200)},
		{method: "GET", path: "/sessions/:id/live/room", prepare: shared("live"), want: livePeople(403, 200)},
		{method: "POST", path: "/sessions/:id/live/mute", want: livePeople(403, 200),
			prepare: fresh(1, "live", func(e *matrixEnv, tb testing.TB, tg target) target {
				p := e.s.mustWHIP(tb, tg.id, e.users[asOwner].Token, "video/VP8")
				tg.res = p.location[strings.LastIndexByte(p.location, '/')+1:]
				waitUntil(tb, 10*time.Second, "the camera in the room", func() bool {
					info, _ := e.s.Relay.Room(tg.id)
					for _, pi := range info.Participants {
						if pi.ID == tg.res && len(pi.Tracks) == 2 {
							return true
						}
					}
					return false
				})
				return tg
			}),
			body: func(e *matrixEnv, who string, tg target) any {
				return map[string]any{"participantId": tg.res, "source": "camera", "muted": true}
			}},
		{method: "POST", path: "/sessions/:id/live/remove", prepare: fresh(1, "live"), want: authed(map[string]int{asOrganizer: 200}),
			body: func(e *matrixEnv, who string, tg target) any {
				return map[string]any{"userId": e.users[asInvestor].ID, "reason": "Recording the pitch."}
			}},
		// The page's socket: a plain request without the upgrade is refused
		// first (the socket's own checks are in TestLiveSocket).
		{method: "GET", path: "/sessions/:id/live", prepare: shared("live"), want: statuses(400, nil)},
		// WHIP publishes (the live team, judges, organizers); WHEP watches.
		{method: "POST", path: "/sessions/:id/whip", prepare: shared("live"), hdr: []string{"Content-Type", "application/sdp"},
			body: func(e *matrixEnv, who string, tg target) any { return strings.NewReader(e.sendOffer) },
			want: authed(map[string]int{asOwner: 201, asJudge: 201, asOrganizer: 201, asInvestor: 403, asOther: 404, asOutJudge: 404, asOutInvestor: 404})},
		{method: "POST", path: "/sessions/:id/whep", prepare: shared("live"), hdr: []string{"Content-Type", "application/sdp"},
			body: func(e *matrixEnv, who string, tg target) any { return strings.NewReader(e.recvOffer) },
			want: livePeople(201, 201)},
		{method: "OPTIONS", path: "/sessions/:id/whip", prepare: shared("live"), want: statuses(204, nil)},
		{method: "OPTIONS", path: "/sessions/:id/whep", prepare: shared("live"), want: statuses(204, nil)},
		// A resource is its maker's; for anyone else it does not exist.
		{method: "PATCH", path: "/sessions/:id/whip/:resource", prepare: ownResource("whip"), hdr: []string{"Content-Type", "application/trickle-ice-sdpfrag"},
			body: func(e *matrixEnv, who string, tg target) any { return strings.NewReader("a=end-of-candidates\r\n") },
			want: ownerOnly(204)},
		{method: "DELETE", path: "/sessions/:id/whip/:resource", prepare: ownResource("whip"), want: ownerOnly(200)},
		{method: "PATCH", path: "/sessions/:id/whep/:resource", prepare: ownResource("whep"), hdr: []string{"Content-Type", "application/trickle-ice-sdpfrag"},
			body: func(e *matrixEnv, who string, tg target) any { return strings.NewReader("a=end-of-candidates\r\n") },
			want: ownerOnly(204)},
		{method: "DELETE", path: "/sessions/:id/whep/:resource", prepare: ownResource("whep"), want: ownerOnly(200)},

		// Investors ask to meet the teams of the sessions they watch; for an
		// investor of other sessions the team does not exist. Asking again is
		// the same request (200), with the new note.
		{method: "POST", path: "/applications/:id/meetings", prepare: sharedApp("live"),
			body: func(e *matrixEnv, who string, tg target) any { return map[string]any{"note": "Seed round, Q3."} },
			want: authed(map[string]int{asInvestor: 201, asOutInvestor: 404}),
			check: func(tb testing.TB, e *matrixEnv, who string, r response) {
				var first roadshow.MeetingView
				r.JSON(tb, &first)
				if first.InvestorID != e.users[who].ID || first.Title == "" || first.Note != "Seed round, Q3." {
					tb.Fatalf("got %+v, want the investor's request with the team's title and the note", first)
				}
				var again roadshow.MeetingView
				e.s.Must(tb, 200, "POST", "/applications/"+first.ApplicationID+"/meetings", e.token(who), map[string]any{"note": "After the demo."}).JSON(tb, &again)
				if again.ID != first.ID || !again.CreatedAt.Equal(first.CreatedAt) || again.Note != "After the demo." {
					tb.Fatalf("asking again: got %+v, want the same request (%s) with the new note", again, first.ID)
				}
			}},
		// Organizers list every request, investors their own.
		{method: "GET", path: "/meetings", want: authed(map[string]int{asOrganizer: 200, asInvestor: 200, asOutInvestor: 200}),
			check: func(tb testing.TB, e *matrixEnv, who string, r response) {
				var list struct{ Items []roadshow.MeetingView }
				r.JSON(tb, &list)
				if who != asOutInvestor && len(list.Items) == 0 {
					tb.Fatalf("%s sees no meeting request, want the investor's", who)
				}
				for _, m := range list.Items {
					if who != asOrganizer && m.InvestorID != e.users[who].ID {
						tb.Fatalf("%s sees another investor's request: %+v", who, m)
					}
					if (who == asOrganizer) != (m.InvestorName != "") {
						tb.Fatalf("%s: investorName %q (only organizers see who asks)", who, m.InvestorName)
					}
				}
			}},

		// Applicants, on their own applications; someone else's is not found.
		{method: "POST", path: "/applications", body: complete, want: authed(map[string]int{asOwner: 201, asOther: 201})},
		{method: "GET", path: "/applications", want: authed(map[string]int{asOwner: 200, asOther: 200, asOrganizer: 200})},
		{method: "PATCH", path: "/applications/:id", prepare: onApp((*matrixEnv).draft),
			body: func(e *matrixEnv, who string, tg target) any { return map[string]any{"title": "Renamed"} },
			want: authed(map[string]int{asOwner: 200, asOther: 404})},
		{method: "POST", path: "/applications/:id/submit", prepare: onApp((*matrixEnv).draft),
			want: authed(map[string]int{asOwner: 200, asOther: 404})},
		{method: "POST", path: "/applications/:id/withdraw", prepare: onApp((*matrixEnv).submitted),
			want: authed(map[string]int{asOwner: 200, asOther: 404})},
		{method: "POST", path: "/applications/:id/reopen", prepare: onApp((*matrixEnv).submitted),
			want: authed(map[string]int{asOwner: 200, asOther: 404})},
		{method: "PUT", path: "/applications/:id/deck", prepare: onApp((*matrixEnv).draft),
			body: func(e *matrixEnv, who string, tg target) any { return bytes.NewReader(pdfBody(5000)) },
			hdr:  []string{"Content-Type", "application/pdf"},
			want: authed(map[string]int{asOwner: 200, asOther: 404})},

		// Owner and organizers read a draft; for everyone else it does not exist.
		{method: "GET", path: "/applications/:id", prepare: onApp((*matrixEnv).draft),
			want: authed(map[string]int{asOwner: 200, asOrganizer: 200, asOther: 404, asJudge: 404, asOutJudge: 404, asInvestor: 404, asOutInvestor: 404})},
		{method: "GET", path: "/applications/:id/deck", prepare: onApp((*matrixEnv).withDeck),
			want: authed(map[string]int{asOwner: 200, asOrganizer: 200, asOther: 404, asJudge: 404, asOutJudge: 404, asInvestor: 404, asOutInvestor: 404})},
		{method: "POST", path: "/applications/:id/deck/link", prepare: onApp((*matrixEnv).withDeck),
			want: authed(map[string]int{asOwner: 201, asOrganizer: 201, asOther: 404, asJudge: 404, asOutJudge: 404, asInvestor: 404, asOutInvestor: 404})},
		// The signed link is the credential (an <iframe> sends no header):
		// whoever holds it reads that deck, until it expires.
		{method: "GET", path: "/applications/:id/deck/view", want: statuses(200, nil),
			prepare: func(e *matrixEnv, tb testing.TB, refused bool) target {
				id := e.withDeck(tb)
				var link struct{ URL string }
				e.s.Must(tb, 201, "POST", "/applications/"+id+"/deck/link", e.users[asOrganizer].Token, nil).JSON(tb, &link)
				_, q, _ := strings.Cut(link.URL, "?")
				return target{id: id, appID: id, query: "?" + q}
			}},
	}
}

// refusalCode is the error code that goes with a refusal status.
func refusalCode(status int) string {
	return map[int]string{401: "unauthorized", 403: "forbidden", 404: "not_found", 409: "conflict"}[status]
}

// errorCode is the error code that goes with an error status of the matrix.
func errorCode(status int) string {
	switch status {
	case 400:
		return "invalid"
	case 422:
		return "unprocessable"
	}
	return refusalCode(status)
}

// freshAccount makes a new applicant account, for a row that changes one.
func (e *matrixEnv) freshAccount(tb testing.TB) user {
	tb.Helper()
	return e.s.MustApplicant(tb, e.freshEmail("account"))
}

// onAccount prepares a fresh account as the row's :id.
func onAccount(e *matrixEnv, tb testing.TB, refused bool) target {
	return target{id: e.freshAccount(tb).ID}
}

// withLink prepares a fresh account and an account link of purpose for it.
func withLink(purpose roadshow.LinkPurpose) prepareFunc {
	return func(e *matrixEnv, tb testing.TB, refused bool) target {
		u := e.freshAccount(tb)
		secret, id, err := roadshow.NewLinkSecret()
		if err != nil {
			tb.Fatal(err)
		}
		now := e.s.Clock.Now()
		if err := e.s.DB.Links().CreateLink(context.Background(), &roadshow.AccountLink{ID: id, Purpose: purpose, UserID: u.ID,
			CreatedAt: now, ExpiresAt: now.Add(10 * time.Minute)}); err != nil {
			tb.Fatal(err)
		}
		return target{id: u.ID, secret: secret}
	}
}

// fillPath puts the target's ids into a registered path.
func fillPath(path string, tg target) string {
	return strings.NewReplacer(":applicationId", tg.appID, ":userId", tg.userID, ":resource", tg.res, ":id", tg.id).Replace(path)
}

func newMatrixEnv(t *testing.T) *matrixEnv {
	t.Helper()
	s := MustServer(t, serverOpts{})
	e := &matrixEnv{s: s, users: map[string]user{}, password: map[string]string{}, shared: map[string]target{}}
	e.users[asOwner] = s.MustApplicant(t, "owner@example.com")
	e.users[asOther] = s.MustApplicant(t, "other@example.com")
	e.password[asOwner], e.password[asOther] = "correct-horse-1", "correct-horse-1"
	for who, role := range map[string]roadshow.Role{asJudge: roadshow.RoleJudge, asOutJudge: roadshow.RoleJudge,
		asInvestor: roadshow.RoleInvestor, asOutInvestor: roadshow.RoleInvestor, asOrganizer: roadshow.RoleOrganizer} {
		e.users[who] = s.MustStaff(t, role, who+"@example.com")
		e.password[who] = "staff-password-1"
	}
	// Accounts that never log in: no password hash needed.
	for _, spare := range []struct {
		id   *string
		role roadshow.Role
	}{{&e.spareJudge, roadshow.RoleJudge}, {&e.spareInvestor, roadshow.RoleInvestor}} {
		u := &roadshow.User{Email: "spare-" + string(spare.role) + "@example.com", Name: "Spare", Role: spare.role, PasswordHash: "unused", CreatedAt: s.Clock.Now()}
		if err := s.DB.Users().CreateUser(context.Background(), u); err != nil {
			t.Fatal(err)
		}
		*spare.id = u.ID
	}
	// A token that would be valid, for the organizer, but for its key.
	other, err := auth.NewTokens(bytes.Repeat([]byte("x"), 32), time.Hour, s.Clock)
	if err != nil {
		t.Fatal(err)
	}
	if e.forged, _, err = other.Issue(&roadshow.User{ID: e.users[asOrganizer].ID, Role: roadshow.RoleOrganizer}); err != nil {
		t.Fatal(err)
	}
	for _, state := range []string{"scheduled", "live", "ended", "published"} {
		e.shared[state] = e.session(t, 2, state)
	}
	_, e.sendOffer = mediaOffer(t, true)
	_, e.recvOffer = mediaOffer(t, false)
	// Scores in the sessions that are read, so that results, progress and
	// the score log have something to show.
	live := e.shared["live"]
	e.s.Must(t, 200, "PUT", "/sessions/"+live.id+"/scores/"+live.appID, e.users[asJudge].Token, scoreBody(8))
	return e
}

func TestPermissionMatrix(t *testing.T) {
	t.Parallel()
	start := time.Now()
	e := newMatrixEnv(t)
	s := e.s

	// The rows share one server, so they run one after the other.
	for _, rt := range permMatrix() {
		for _, who := range callers() {
			want, ok := rt.want[who]
			if !ok {
				t.Errorf("%s: no expected status for %s", rt.name(), who)
				continue
			}
			t.Run(rt.name()+" as "+who, func(t *testing.T) {
				var tg target
				if rt.prepare != nil {
					tg = rt.prepare(e, t, want >= 400)
				}
				path := fillPath(rt.path, tg) + fillPath(rt.query, tg) + tg.query
				var body any
				if rt.body != nil {
					body = rt.body(e, who, tg)
				}
				var before string
				if want >= 400 {
					before = e.snapshot(t, rt, tg)
				}
				r := s.Do(t, rt.method, path, e.token(who), body, rt.hdr...)
				if r.Status == 500 {
					t.Fatalf("got 500: %s", r.Body)
				}
				if r.Status != want {
					t.Fatalf("got status %d, want %d: %s", r.Status, want, r.Body)
				}
				if r.Status >= 400 {
					if got := r.ErrorCode(t); got != errorCode(want) {
						t.Fatalf("got code %q, want %q: %s", got, errorCode(want), r.Body)
					}
					// A wrong role meets the domain's rule, which says what
					// it is, not a gate's generic refusal.
					if key := r.ErrorReply(t).Error.Key; want == 403 && key == "error.forbidden" {
						t.Fatalf("got the generic refusal %q, want the rule's own message: %s", key, r.Body)
					}
					if after := e.snapshot(t, rt, tg); after != before {
						t.Fatalf("a refused request changed stored data: got %s, want %s", after, before)
					}
				} else if rt.check != nil {
					rt.check(t, e, who, r)
				}
				if rt.method == "POST" && rt.path == "/users" && r.Status != 201 {
					email := body.(map[string]any)["email"].(string)
					if _, err := s.DB.Users().UserByEmail(context.Background(), email); roadshow.ErrorCode(err) != roadshow.ENOTFOUND {
						t.Fatalf("a refused invitation made an account: got %v, want not found", err)
					}
				}
			})
		}
	}

	// The event stream takes its token in the query and lets in the
	// session's participants (the team with a slot, its judge and
	// investor, organizers), with exact refusals.
	se := e.shared["scheduled"].id
	wsWant := statuses(404, map[string]int{asOwner: 101, asJudge: 101, asInvestor: 101, asOrganizer: 101, asNobody: 401, asForged: 401})
	for _, who := range callers() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		conn, resp, err := websocket.DefaultDialer.DialContext(ctx, wsURL(s, se, e.token(who)), nil)
		cancel()
		got := 0
		if resp != nil {
			got = resp.StatusCode
		}
		if conn != nil {
			conn.Close()
		}
		if got != wsWant[who] {
			t.Errorf("WebSocket as %s: got status %d (%v), want %d", who, got, err, wsWant[who])
		}
	}
	// A page of this site (same host in Origin) may connect.
	host := strings.TrimPrefix(strings.TrimSuffix(s.URL, "/api/v1"), "http://")
	conn, resp, err := websocket.DefaultDialer.Dial(wsURL(s, se, e.token(asOrganizer)), http.Header{"Origin": {"http://" + host}})
	if err != nil {
		t.Errorf("WebSocket from the site's own origin: %v (%+v)", err, resp)
	} else {
		conn.Close()
	}

	// The calendar link's token opens the feed without a bearer token; one
	// signed with another key does not.
	for _, who := range callers() {
		if who == asNobody || who == asForged {
			continue
		}
		var link struct{ URL string }
		s.Must(t, 200, "GET", "/me/calendar-link", e.token(who), nil).JSON(t, &link)
		if r := s.Do(t, "GET", strings.TrimPrefix(link.URL, s.URL), "", nil); r.Status != 200 {
			t.Errorf("calendar link of %s: got %d, want 200: %s", who, r.Status, r.Body)
		}
	}
	other, err := auth.NewTokens(bytes.Repeat([]byte("x"), 32), time.Hour, s.Clock)
	if err != nil {
		t.Fatal(err)
	}
	forgedCal, _, err := other.IssueCalendar(&roadshow.User{ID: e.users[asOrganizer].ID, Role: roadshow.RoleOrganizer})
	if err != nil {
		t.Fatal(err)
	}
	for name, tok := range map[string]string{"forged": forgedCal, "access token": e.token(asOrganizer), "garbage": "x"} {
		if r := s.Do(t, "GET", "/me/calendar.ics?token="+tok, "", nil); r.Status != 401 || r.ErrorCode(t) != "unauthorized" {
			t.Errorf("calendar with a %s ?token=: got %d, want 401: %s", name, r.Status, r.Body)
		}
	}

	// Methods a path is not registered for never succeed nor fail with a
	// 500: they are a 405 with Allow naming the path's methods (not this
	// one), or a refusal from a route whose template also matches the path
	// (PATCH /applications/summary is PATCH /applications/:id).
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
				p := fillPath(path, target{id: id, appID: id, userID: id})
				r := s.Do(t, m, p, e.token(who), nil)
				if r.Status == 405 {
					allow := r.Header.Get("Allow")
					if r.Key(t) != "request.method_not_allowed" || allow == "" || slices.Contains(strings.Split(allow, ", "), m) {
						t.Errorf("%s %s as %s: got 405 with Allow %q: %s", m, path, who, allow, r.Body)
					}
					continue
				}
				if code := refusalCode(r.Status); code == "" || r.ErrorCode(t) != code {
					t.Errorf("%s %s as %s: got %d, want 405, or 401, 403 or 404 with its code: %s", m, path, who, r.Status, r.Body)
				}
			}
		}
	}
	t.Logf("permission matrix: %v", time.Since(start))
}

// snapshot returns what a refused request must leave unchanged.
func (e *matrixEnv) snapshot(tb testing.TB, rt permRoute, tg target) string {
	tb.Helper()
	org := e.users[asOrganizer].Token
	var parts []string
	get := func(path string) {
		parts = append(parts, string(e.s.Must(tb, 200, "GET", path, org, nil).Body))
	}
	if tg.appID != "" {
		get("/applications/" + tg.appID)
		get("/applications/" + tg.appID + "/conflicts")
	}
	if tg.session != nil {
		get("/sessions/" + tg.session.ID)
		get("/sessions/" + tg.session.ID + "/score-log")
	}
	switch {
	case rt.method == "POST" && rt.path == "/applications":
		get("/applications/summary")
	case rt.path == "/edition":
		get("/edition")
	case rt.path == "/sessions/plan":
		get("/sessions")
	}
	return strings.Join(parts, "\n")
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
		if r.Path == "/healthz" || r.Path == "/readyz" {
			continue // public by design: load balancers ask them (ops_test.go)
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
	var inMatrix, names []string
	for _, rt := range permMatrix() {
		inMatrix = append(inMatrix, rt.method+" "+rt.path)
		names = append(names, rt.name())
		if len(rt.want) != len(callers()) {
			t.Errorf("%s: got statuses for %d callers, want %d", rt.name(), len(rt.want), len(callers()))
		}
	}
	sort.Strings(inMatrix)
	sort.Strings(names)
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
	if dup := len(names) - len(slices.Compact(slices.Clone(names))); dup != 0 {
		t.Errorf("permMatrix has %d duplicate rows (give variants a name): %v", dup, names)
	}
}
