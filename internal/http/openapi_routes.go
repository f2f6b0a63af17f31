package http

import (
	"github.com/gofiber/fiber/v2"
	"github.com/roadshow/roadshow/internal/relay"
	"github.com/roadshow/roadshow/roadshow"
)

// apiRoutes is the OpenAPI document's list of routes: one entry for each
// route routes() registers, with the Go types it reads and answers. Adding
// a route: copy the entry of a route like it, name its request and answer
// types (a zero value of each), the roles that may call it (as the
// permission matrix in permissions_test.go has them) and the error statuses
// it gives beyond those of its kind (errorStatuses). A route outside
// /api/v1 (a health check) sets root and its full path. The tests say what
// is missing or wrong.
func apiRoutes() []apiRoute {
	const (
		applicant = string(roadshow.RoleApplicant)
		judge     = string(roadshow.RoleJudge)
		investor  = string(roadshow.RoleInvestor)
		organizer = string(roadshow.RoleOrganizer)
	)
	everyone := []string{applicant, judge, investor, organizer}
	organizers := []string{organizer}
	participants := everyone // of the session: its teams, judges, investors, and organizers
	conflict, tooMany, busy := fiber.StatusConflict, fiber.StatusTooManyRequests, fiber.StatusServiceUnavailable
	forbidden := fiber.StatusForbidden
	limit := queryParam{name: "limit", integer: true, desc: "The page size (capped)."}
	cursor := queryParam{name: "cursor", desc: "Where the page starts: nextCursor of the page before."}
	session := json200(&roadshow.Session{}, "The session as the caller may see it.")
	appView := json200(&roadshow.ApplicationView{}, "The application.")
	sdpAnswer := answer{status: fiber.StatusCreated, media: "application/sdp", desc: "The SDP answer.",
		headers: map[string]string{"Location": "The resource, for PATCH (trickle ICE) and DELETE.",
			"Link": "The ICE servers (RFC 9725), one header each."}}
	csv := func(desc string) answer {
		return answer{status: fiber.StatusOK, media: "text/csv", desc: desc,
			headers: map[string]string{"Content-Disposition": "attachment, with the file name"}}
	}
	return []apiRoute{
		{method: "GET", path: "/openapi.json", summary: "This document.", roles: []string{anyone}, auth: authNone,
			ok: []answer{json200(map[string]any{}, "The OpenAPI 3.1 document.")}},

		// Public.
		{method: "GET", path: "/industries", summary: "The industries applications pitch in.", roles: []string{anyone}, auth: authNone,
			ok: []answer{json200([]roadshow.Industry{}, "Every industry, the core first.")}},
		{method: "GET", path: "/options", summary: "The choices and limits of the forms.", roles: []string{anyone}, auth: authNone,
			ok: []answer{json200(optionsResponse{}, "Stages, statuses, countries, currencies, roles and field limits.")}},
		{method: "POST", path: "/auth/register", summary: "Sign up as an applicant; a confirmation mail follows.", roles: []string{anyone}, auth: authNone,
			body: registerRequest{}, errs: []int{conflict, tooMany},
			ok: []answer{{status: fiber.StatusAccepted, body: roadshow.RegisterResult{}, desc: "Registered, or the address is taken (the same answer, so that it tells no one which)."}}},
		{method: "POST", path: "/auth/login", summary: "Sign in with e-mail and password.", roles: []string{anyone}, auth: authNone,
			body: loginRequest{}, errs: []int{tooMany, busy, fiber.StatusUnauthorized, fiber.StatusForbidden},
			ok: []answer{json200(loginResponse{}, "An access token and the account.")}},
		{method: "POST", path: "/auth/forgot", summary: "Ask for a password reset link by mail.", roles: []string{anyone}, auth: authNone,
			body: forgotRequest{}, errs: []int{tooMany},
			ok: []answer{{status: fiber.StatusAccepted, body: messageResponse{}, desc: "The same answer whether the account exists or not."}}},
		{method: "POST", path: "/auth/reset", summary: "Set a new password with a reset link's token.", roles: []string{anyone}, auth: authNone,
			body: resetRequest{}, errs: []int{tooMany},
			ok: []answer{json200(loginResponse{}, "Signed in with the new password.")}},
		{method: "POST", path: "/auth/confirm", summary: "Confirm an e-mail address with the mail's token.", roles: []string{anyone}, auth: authNone,
			body: confirmRequest{},
			ok:   []answer{json200(messageResponse{}, "Confirmed.")}},
		{method: "POST", path: "/mail/unsubscribe", summary: "One-click unsubscribe (RFC 8058) from a mail's link.", roles: []string{anyone}, auth: authUnsubscribe,
			errs: []int{fiber.StatusNotFound},
			ok:   []answer{json200(messageResponse{}, "Unsubscribed.")}},

		// WebSockets, the calendar feed, WHIP and WHEP: tokens of their own.
		{method: "GET", path: "/sessions/:id/events", summary: "The session's events as a WebSocket: a snapshot, then every change and the slot timer.",
			roles: participants, auth: authEventsQuery, errs: []int{forbidden}, // a page of another site
			ok: []answer{upgraded("Upgraded to a WebSocket; the server sends JSON events (x-websocket-messages): a snapshot, then every change.",
				roadshow.Event{})}},
		{method: "GET", path: "/me/calendar.ics", summary: "The caller's sessions as an iCalendar feed.", roles: everyone, auth: authCalendar,
			ok: []answer{{status: fiber.StatusOK, media: "text/calendar", desc: "The feed."}}},
		{method: "GET", path: "/sessions/:id/live", summary: "The live room's signaling and events as a WebSocket.", roles: participants, auth: authRoomQuery,
			errs: []int{conflict, forbidden},
			ok: []answer{upgraded("Upgraded to a WebSocket: the relay's signaling messages both ways and the session's events from the server (x-websocket-messages).",
				relay.Message{}, roadshow.Event{})}},
		{method: "POST", path: "/sessions/:id/whip", summary: "Publish a camera and microphone (WHIP, RFC 9725): the live team, judges, organizers.",
			roles: []string{applicant, judge, organizer}, auth: authMedia, media: "application/sdp", errs: []int{conflict, busy},
			ok: []answer{sdpAnswer}},
		{method: "POST", path: "/sessions/:id/whep", summary: "Watch the session (WHEP).", roles: participants, auth: authMedia,
			media: "application/sdp", errs: []int{conflict, busy, forbidden},
			ok: []answer{sdpAnswer}},
		{method: "OPTIONS", path: "/sessions/:id/whip", summary: "What a WHIP client may send.", roles: []string{anyone}, auth: authNone,
			ok: []answer{{status: fiber.StatusNoContent, desc: "Allowed.", headers: map[string]string{"Accept-Post": "application/sdp", "Allow": "OPTIONS, POST"}}}},
		{method: "OPTIONS", path: "/sessions/:id/whep", summary: "What a WHEP client may send.", roles: []string{anyone}, auth: authNone,
			ok: []answer{{status: fiber.StatusNoContent, desc: "Allowed.", headers: map[string]string{"Accept-Post": "application/sdp", "Allow": "OPTIONS, POST"}}}},
		{method: "PATCH", path: "/sessions/:id/whip/:resource", summary: "Trickle ICE candidates (RFC 8840) to one's own publication.",
			roles: participants, auth: authMedia, media: "application/trickle-ice-sdpfrag",
			ok: []answer{{status: fiber.StatusNoContent, desc: "Added."}}},
		{method: "DELETE", path: "/sessions/:id/whip/:resource", summary: "Stop one's own publication.", roles: participants, auth: authMedia,
			ok: []answer{{status: fiber.StatusOK, desc: "Stopped."}}},
		{method: "PATCH", path: "/sessions/:id/whep/:resource", summary: "Trickle ICE candidates (RFC 8840) to one's own playback.",
			roles: participants, auth: authMedia, media: "application/trickle-ice-sdpfrag",
			ok: []answer{{status: fiber.StatusNoContent, desc: "Added."}}},
		{method: "DELETE", path: "/sessions/:id/whep/:resource", summary: "Stop one's own playback.", roles: participants, auth: authMedia,
			ok: []answer{{status: fiber.StatusOK, desc: "Stopped."}}},

		// Any signed-in caller.
		{method: "GET", path: "/me", summary: "The caller's account.", roles: everyone,
			ok: []answer{json200(&roadshow.User{}, "The account.")}},
		{method: "PATCH", path: "/me", summary: "Change the caller's profile.", roles: everyone, body: roadshow.ProfileInput{},
			ok: []answer{json200(&roadshow.User{}, "The account.")}},
		{method: "POST", path: "/me/password", summary: "Change the caller's password; other tokens stop working.", roles: everyone,
			body: passwordRequest{}, errs: []int{busy},
			ok: []answer{json200(loginResponse{}, "A new access token.")}},
		{method: "GET", path: "/me/calendar-link", summary: "The caller's calendar feed URL.", roles: everyone,
			ok: []answer{json200(calendarLink{}, "The URL, with a calendar token.")}},
		{method: "POST", path: "/me/calendar-link", summary: "A new calendar feed URL; the earlier ones stop working.", roles: everyone,
			ok: []answer{json200(calendarLink{}, "The URL, with a calendar token.")}},
		{method: "GET", path: "/edition", summary: "The edition: name, deadline, rubric.", roles: everyone,
			ok: []answer{json200(roadshow.Edition{}, "The edition.")}},
		{method: "GET", path: "/sessions", summary: "The sessions the caller takes part in (all, for organizers).", roles: everyone,
			ok: []answer{json200(listResponse[*roadshow.Session]{}, "The sessions.")}},

		// Organizers.
		{method: "POST", path: "/users", summary: "Invite a judge, investor or organizer.", roles: organizers, body: createUserRequest{},
			errs: []int{conflict, busy},
			ok:   []answer{json201(&roadshow.AccountView{}, "The account; the invitation is mailed.")}},
		{method: "GET", path: "/users", summary: "People of a role, to assign.", roles: organizers,
			query: []queryParam{{name: "role", desc: "judge, investor, organizer or applicant."}},
			ok:    []answer{json200(listResponse[*roadshow.User]{}, "The people.")}},
		{method: "GET", path: "/accounts", summary: "Accounts, a page at a time, newest first.", roles: organizers,
			query: []queryParam{{name: "role", desc: "Only this role."}, {name: "q", desc: "Name or e-mail contains."}, cursor, limit},
			ok:    []answer{json200(roadshow.AccountPage{}, "A page of accounts.")}},
		{method: "PATCH", path: "/accounts/:id", summary: "Disable, enable, change the role or name of an account.", roles: organizers,
			body: roadshow.UserEdit{}, errs: []int{conflict},
			ok: []answer{json200(&roadshow.AccountView{}, "The account.")}},
		{method: "POST", path: "/accounts/:id/send-access", summary: "Mail an account a link to set its password.", roles: organizers,
			errs: []int{conflict, fiber.StatusUnprocessableEntity},
			ok:   []answer{json200(&roadshow.AccountView{}, "The account.")}},
		{method: "GET", path: "/mail/status", summary: "Whether mail is on and what waits to be sent.", roles: organizers,
			ok: []answer{json200(roadshow.MailStatus{}, "The outbox's state.")}},
		{method: "PUT", path: "/edition", summary: "Change the edition's name, deadline or rubric.", roles: organizers,
			body: editionRequest{}, errs: []int{conflict},
			ok: []answer{json200(roadshow.Edition{}, "The edition.")}},
		{method: "GET", path: "/applications/summary", summary: "Counts of applications by status and industry.", roles: organizers,
			ok: []answer{json200(roadshow.Summary{}, "The counts.")}},
		{method: "PATCH", path: "/applications/:id/screening", summary: "Screen a submitted application.", roles: organizers,
			body: screeningRequest{}, errs: []int{conflict},
			ok: []answer{appView}},
		{method: "GET", path: "/applications/:id/conflicts", summary: "The judges' declared conflicts with an application.", roles: organizers,
			ok: []answer{json200(listResponse[*roadshow.Conflict]{}, "The conflicts.")}},
		{method: "GET", path: "/results", summary: "The ranking of an industry across its sessions.", roles: organizers,
			query: []queryParam{{name: "industry", desc: "The industry code."}},
			ok:    []answer{json200(roadshow.ResultsView{}, "The ranking.")}},
		{method: "GET", path: "/exports/applications.csv", summary: "Every application as CSV.", roles: organizers,
			ok: []answer{csv("The applications.")}},
		{method: "GET", path: "/exports/results.csv", summary: "Every session's results as CSV.", roles: organizers,
			ok: []answer{csv("The results.")}},
		{method: "POST", path: "/sessions/plan", summary: "Plan sessions for the eligible applications.", roles: organizers,
			body: planRequest{}, errs: []int{conflict},
			ok: []answer{json201(roadshow.PlanResult{}, "The sessions made and what could not be placed.")}},
		{method: "POST", path: "/sessions/:id/start", summary: "Start a scheduled session.", roles: organizers, errs: []int{conflict},
			ok: []answer{session}},
		{method: "POST", path: "/sessions/:id/next", summary: "Move a live session to its next team.", roles: organizers, errs: []int{conflict},
			ok: []answer{session}},
		{method: "POST", path: "/sessions/:id/end", summary: "End a live session.", roles: organizers, errs: []int{conflict},
			ok: []answer{session}},
		{method: "POST", path: "/sessions/:id/cancel", summary: "Cancel a scheduled session.", roles: organizers, errs: []int{conflict},
			ok: []answer{session}},
		{method: "POST", path: "/sessions/:id/move", summary: "Move a team to another slot or session.", roles: organizers,
			body: moveRequest{}, errs: []int{conflict},
			ok: []answer{json200(roadshow.MoveResult{}, "The sessions changed.")}},
		{method: "GET", path: "/sessions/:id/move-preview", summary: "Where a team would pitch in each session it could move to.", roles: organizers,
			query: []queryParam{{name: "applicationId", desc: "The team's application.", required: true}},
			errs:  []int{conflict, fiber.StatusUnprocessableEntity},
			ok:    []answer{json200(roadshow.MovePreview{}, "The choices.")}},
		{method: "PUT", path: "/sessions/:id/order", summary: "Set the order the teams pitch in.", roles: organizers,
			body: orderRequest{}, errs: []int{conflict},
			ok: []answer{json200(roadshow.MoveResult{}, "The session changed.")}},
		{method: "POST", path: "/sessions/:id/judges", summary: "Assign a judge.", roles: organizers, body: participantRequest{}, errs: []int{conflict},
			ok: []answer{session}},
		{method: "DELETE", path: "/sessions/:id/judges/:userId", summary: "Take a judge off.", roles: organizers, errs: []int{conflict},
			ok: []answer{session}},
		{method: "POST", path: "/sessions/:id/investors", summary: "Invite an investor.", roles: organizers, body: participantRequest{}, errs: []int{conflict},
			ok: []answer{session}},
		{method: "DELETE", path: "/sessions/:id/investors/:userId", summary: "Take an investor off.", roles: organizers, errs: []int{conflict},
			ok: []answer{session}},
		{method: "POST", path: "/sessions/:id/results/publish", summary: "Publish an ended session's results (confirming its gaps, if any).", roles: organizers,
			body: publishRequest{}, errs: []int{conflict},
			ok: []answer{session}},
		{method: "POST", path: "/sessions/:id/results/withdraw", summary: "Withdraw published results, with a reason.", roles: organizers,
			body: withdrawRequest{}, errs: []int{conflict},
			ok: []answer{session}},
		{method: "GET", path: "/sessions/:id/completeness", summary: "Which scores are missing before publishing.", roles: organizers,
			ok: []answer{json200(roadshow.CompletenessReport{}, "The report.")}},
		{method: "GET", path: "/sessions/:id/score-log", summary: "Every change to the session's scores.", roles: organizers,
			ok: []answer{json200(listResponse[*roadshow.ScoreLogEntry]{}, "The log.")}},
		{method: "POST", path: "/sessions/:id/live/remove", summary: "Remove a participant from the live room for good.", roles: organizers,
			body: removeRequest{}, errs: []int{conflict},
			ok: []answer{session}},
		{method: "GET", path: "/sessions/:id/live/room", summary: "Who is in the live room and what they publish.", roles: organizers,
			ok: []answer{json200(liveRoomResponse{}, "The room.")}},
		{method: "POST", path: "/sessions/:id/live/mute", summary: "Mute or unmute what a participant publishes.", roles: organizers,
			body: muteRequest{}, errs: []int{conflict},
			ok: []answer{json200(liveRoomResponse{}, "The room.")}},

		// Participants of a session.
		{method: "GET", path: "/sessions/:id", summary: "A session, as its participants may see it.", roles: participants,
			ok: []answer{session}},
		{method: "GET", path: "/sessions/:id/results", summary: "A session's results: organizers at any time, participants once published.",
			roles: participants, errs: []int{forbidden}, ok: []answer{json200(roadshow.ResultsView{}, "The results.")}},
		{method: "POST", path: "/sessions/:id/live/token", summary: "A room token for the live room: the WebSocket, WHIP and WHEP.",
			roles: participants, errs: []int{conflict, forbidden},
			ok: []answer{json201(roomAccess{}, "The token, what it allows, the ICE servers and the URLs.")}},
		{method: "GET", path: "/sessions/:id/ice", summary: "The STUN and TURN servers for the live room.", roles: participants,
			ok: []answer{json200(iceResponse{}, "The servers, with fresh credentials.")}},

		// Judges.
		{method: "GET", path: "/sessions/:id/progress", summary: "Who has scored which team.", roles: []string{judge, organizer},
			ok: []answer{json200(progressResponse{}, "The progress.")}},
		{method: "GET", path: "/sessions/:id/scores", summary: "The caller's scores in the session.", roles: []string{judge},
			ok: []answer{json200(listResponse[*roadshow.Score]{}, "The scores.")}},
		{method: "PUT", path: "/sessions/:id/scores/:applicationId", summary: "Save a score for the team pitching.", roles: []string{judge},
			body: scoreRequest{}, errs: []int{conflict},
			ok: []answer{json200(&roadshow.Score{}, "The score.")}},
		{method: "POST", path: "/sessions/:id/scores/:applicationId/final", summary: "Make a saved score final.", roles: []string{judge},
			body: finalRequest{}, errs: []int{conflict},
			ok: []answer{json200(&roadshow.Score{}, "The score.")}},
		{method: "POST", path: "/applications/:id/conflicts", summary: "Declare a conflict of interest (a judge for themself, an organizer for a judge).",
			roles: []string{judge, organizer}, body: conflictRequest{}, errs: []int{conflict},
			ok: []answer{json201(&roadshow.Conflict{}, "The conflict.")}},

		// Investors.
		{method: "POST", path: "/applications/:id/meetings", summary: "Ask to meet a team of a session one watches; asking again updates the note.",
			roles: []string{investor}, body: meetingRequest{}, errs: []int{conflict},
			ok: []answer{json201(&roadshow.MeetingView{}, "Asked."), json200(&roadshow.MeetingView{}, "Asked before: the note is updated.")}},
		{method: "GET", path: "/meetings", summary: "Meeting requests: an investor's own, or all for organizers.", roles: []string{investor, organizer},
			ok: []answer{json200(listResponse[*roadshow.MeetingView]{}, "The requests.")}},

		// Applicants, on their own applications.
		{method: "POST", path: "/applications", summary: "Start an application.", roles: []string{applicant},
			body: roadshow.ApplicationInput{}, errs: []int{conflict},
			ok: []answer{json201(&roadshow.ApplicationView{}, "The draft.")}},
		{method: "GET", path: "/applications", summary: "Applications: an applicant's own, or all for organizers.", roles: []string{applicant, organizer},
			query: []queryParam{{name: "industry", desc: "Only this industry."}, {name: "status", desc: "Only this status."}, cursor, limit},
			ok:    []answer{json200(roadshow.ApplicationPage{}, "A page of applications.")}},
		{method: "GET", path: "/applications/:id", summary: "An application: in full for its owner and organizers, its public part for a session's judges and investors.",
			roles: everyone, ok: []answer{{status: fiber.StatusOK, desc: "The application, in full or its public part.",
				anyOf: []any{roadshow.ApplicationView{}, roadshow.PublicApplication{}}}}},
		{method: "PATCH", path: "/applications/:id", summary: "Change a draft.", roles: []string{applicant}, body: roadshow.ApplicationInput{}, errs: []int{conflict},
			ok: []answer{appView}},
		{method: "POST", path: "/applications/:id/submit", summary: "Submit a complete draft before the deadline.", roles: []string{applicant},
			errs: []int{conflict, fiber.StatusUnprocessableEntity},
			ok:   []answer{appView}},
		{method: "POST", path: "/applications/:id/withdraw", summary: "Withdraw a submitted application.", roles: []string{applicant}, errs: []int{conflict},
			ok: []answer{appView}},
		{method: "PUT", path: "/applications/:id/deck", summary: "Upload the pitch deck (a PDF).", roles: []string{applicant},
			media: "application/pdf", errs: []int{conflict, fiber.StatusUnprocessableEntity},
			ok: []answer{appView}},
		{method: "GET", path: "/applications/:id/deck", summary: "Download the pitch deck.", roles: []string{applicant, organizer},
			ok: []answer{{status: fiber.StatusOK, media: "application/pdf", desc: "The PDF.", headers: map[string]string{"ETag": "The SHA-256 of the file."}}}},
	}
}
