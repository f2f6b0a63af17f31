package http

import (
	"encoding/json"
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/utils"
	"github.com/roadshow/roadshow/roadshow"
)

// The OpenAPI document is built once at start-up from apiRoutes (see
// openapi_routes.go) and the Go types each route reads and writes, so a
// field added to a response type is in the document without anyone
// editing it. TestOpenAPICoversEveryRoute fails when a registered route has
// no entry there (or an entry no route), and every API test's responses are
// checked against the document (see server_test.go), so it cannot drift
// from what the server answers.

// apiRoute is one route as the document describes it.
type apiRoute struct {
	method, path string // as registered in routes(), under /api/v1
	// root: path is the server's own, not under /api/v1 (a health check).
	root    bool
	summary string
	// roles may call the route (when the object is theirs, as the
	// description says); anyone: no sign-in.
	roles []string
	auth  authKind
	query []queryParam
	// body is the JSON request, a zero value of the type decodeJSON reads;
	// media, when set, is the body's media type instead (SDP, PDF).
	body  any
	media string
	// ok are the answers on success; errs the error statuses the route
	// gives besides those every route of its kind gives (see errorStatuses).
	ok   []answer
	errs []int
}

// answer is one success response.
type answer struct {
	status int
	desc   string
	body   any    // JSON: a zero value of the answered type
	anyOf  []any  // JSON of one of these types (instead of body)
	media  string // another media type, its body a string
	// messages are the JSON messages a WebSocket carries, as
	// x-websocket-messages: zero values of their types.
	messages []any
	// headers the answer sets, by name, with what they carry.
	headers map[string]string
}

type queryParam struct {
	name, desc string
	integer    bool
	required   bool
}

// authKind is how a route knows its caller.
type authKind int

const (
	authBearer      authKind = iota // an access token as Authorization: Bearer
	authNone                        // public
	authCalendar                    // a Bearer access token or ?token= calendar token
	authEventsQuery                 // ?token= access token (a browser's WebSocket cannot set headers)
	authRoomQuery                   // ?token= room token, from POST /sessions/{id}/live/token
	authMedia                       // Bearer room token or access token (WHIP and WHEP clients)
	authUnsubscribe                 // ?token= unsubscribe token, from the mail's link
	authDeckLink                    // ?t= signed deck link, from POST /applications/{id}/deck/link
)

// Roles, as x-roles lists them.
const anyone = "anyone"

func json200(body any, desc string) answer {
	return answer{status: fiber.StatusOK, body: body, desc: desc}
}

func json201(body any, desc string) answer {
	return answer{status: fiber.StatusCreated, body: body, desc: desc}
}

// upgraded is a WebSocket route's answer, carrying messages.
func upgraded(desc string, messages ...any) answer {
	return answer{status: fiber.StatusSwitchingProtocols, desc: desc, messages: messages}
}

// errorStatuses are the error statuses a route answers: those of its kind
// (a path with ids, a body, a signed-in caller) and its own.
func (rt apiRoute) errorStatuses() []int {
	st := []int{fiber.StatusInternalServerError}
	if rt.body != nil || rt.media != "" {
		st = append(st, fiber.StatusBadRequest, fiber.StatusRequestEntityTooLarge)
	}
	if len(rt.query) > 0 {
		st = append(st, fiber.StatusBadRequest) // a filter it does not know
	}
	for _, a := range rt.ok {
		if a.status == fiber.StatusSwitchingProtocols {
			st = append(st, fiber.StatusBadRequest) // no upgrade, or a refused one
		}
	}
	if rt.body != nil {
		st = append(st, fiber.StatusUnprocessableEntity)
	}
	if strings.Contains(rt.path, ":") && rt.method != fiber.MethodOptions {
		st = append(st, fiber.StatusNotFound)
	}
	if rt.auth != authNone {
		st = append(st, fiber.StatusUnauthorized)
		// The sign-in gate only says who calls; a route some roles may not
		// call refuses the others. (Routes open to every role add 403
		// themselves where a state refuses.)
		if !everyRole(rt.roles) {
			st = append(st, fiber.StatusForbidden)
		}
	}
	st = append(st, rt.errs...)
	slices.Sort(st)
	return slices.Compact(st)
}

// apiPrefix is where routes() puts the API.
const apiPrefix = "/api/v1"

// everyRole reports whether roles name every signed-in role.
func everyRole(roles []string) bool {
	for _, r := range []roadshow.Role{roadshow.RoleApplicant, roadshow.RoleJudge, roadshow.RoleInvestor, roadshow.RoleOrganizer} {
		if !slices.Contains(roles, string(r)) {
			return false
		}
	}
	return true
}

var pathParam = regexp.MustCompile(`:([A-Za-z]+)`)

// openAPIPath turns a fiber path into the document's: /x/:id to /x/{id}.
func openAPIPath(p string) string { return pathParam.ReplaceAllString(p, "{$1}") }

var paramDesc = map[string]string{
	"id":            "The id of the object the path names (24 hex digits).",
	"userId":        "The id of an account.",
	"applicationId": "The id of an application.",
	"resource":      "The WHIP or WHEP resource, from the Location of the POST's answer.",
}

// openAPIDocument builds the document for routes.
func openAPIDocument(routes []apiRoute) ([]byte, error) {
	sc := newSchemas(enums())
	errRef := sc.response(reflect.TypeFor[errorBody]())
	paths := map[string]any{}
	errResponses := map[string]any{}
	for _, rt := range routes {
		p := openAPIPath(apiPrefix + rt.path)
		if rt.root {
			p = openAPIPath(rt.path)
		}
		item, _ := paths[p].(map[string]any)
		if item == nil {
			item = map[string]any{}
			paths[p] = item
		}
		m := strings.ToLower(rt.method)
		if _, dup := item[m]; dup {
			return nil, fmt.Errorf("openapi: %s %s twice", rt.method, rt.path)
		}
		item[m] = rt.operation(sc)
		for _, st := range rt.errorStatuses() {
			r := map[string]any{
				"description": errorDescription(st),
				"content":     map[string]any{"application/json": map[string]any{"schema": errRef}},
			}
			if st == fiber.StatusTooManyRequests {
				r["headers"] = map[string]any{"Retry-After": map[string]any{"description": "Seconds to wait.", "schema": map[string]any{"type": "integer"}}}
			}
			errResponses[errorResponseName(st)] = r
		}
	}
	// The codes an error may carry.
	var codes []string
	for code := range codeStatus {
		codes = append(codes, code)
	}
	sort.Strings(codes)
	detail := sc.components["ErrorDetail"].(map[string]any)
	detail["properties"].(map[string]any)["code"] = map[string]any{"type": "string", "enum": codes}
	doc := map[string]any{
		"openapi":           "3.1.0",
		"jsonSchemaDialect": "https://spec.openapis.org/oas/3.1/dialect/base",
		"info": map[string]any{
			"title":   "Roadshow API",
			"version": "1",
			"description": "The API of the online talent-project roadshow. Every error answers in one shape " +
				"(components/schemas/ErrorBody): a code, a message key with its arguments for translation, the English " +
				"message, and the same per field. x-roles lists the roles that may call each operation; whether the " +
				"object is theirs is decided per request (someone else's object is not found).",
		},
		"servers": []any{map[string]any{"url": "/"}},
		"paths":   paths,
		"components": map[string]any{
			"schemas":         sc.components,
			"responses":       errResponses,
			"securitySchemes": securitySchemes,
		},
	}
	return json.MarshalIndent(doc, "", " ")
}

// enums lists the values of the domain's string types with a fixed set.
func enums() map[reflect.Type][]string {
	strs := func(vals ...string) []string { return vals }
	var statuses []string
	for _, st := range roadshow.Statuses() {
		statuses = append(statuses, string(st))
	}
	return map[reflect.Type][]string{
		reflect.TypeFor[roadshow.Status](): statuses,
		reflect.TypeFor[roadshow.Role](): strs(string(roadshow.RoleApplicant), string(roadshow.RoleJudge),
			string(roadshow.RoleInvestor), string(roadshow.RoleOrganizer)),
		reflect.TypeFor[roadshow.SessionState](): strs(string(roadshow.SessionScheduled), string(roadshow.SessionLive),
			string(roadshow.SessionEnded), string(roadshow.SessionCancelled)),
		reflect.TypeFor[roadshow.MediaSource](): strs(string(roadshow.SourceCamera), string(roadshow.SourceMicrophone),
			string(roadshow.SourceScreen)),
	}
}

var securitySchemes = map[string]any{
	"bearer": map[string]any{"type": "http", "scheme": "bearer", "bearerFormat": "JWT",
		"description": "An access token from POST /auth/login (or /auth/reset, /me/password)."},
	"calendarToken": map[string]any{"type": "apiKey", "in": "query", "name": "token",
		"description": "A read-only calendar token, in the URL from GET /me/calendar-link."},
	"accessTokenQuery": map[string]any{"type": "apiKey", "in": "query", "name": "token",
		"description": "An access token in the query: browsers cannot set headers on a WebSocket."},
	"roomToken": map[string]any{"type": "apiKey", "in": "query", "name": "token",
		"description": "A room token from POST /sessions/{id}/live/token."},
	"roomBearer": map[string]any{"type": "http", "scheme": "bearer", "bearerFormat": "JWT",
		"description": "A room token from POST /sessions/{id}/live/token (what OBS Studio is given) or an access token."},
	"unsubscribeToken": map[string]any{"type": "apiKey", "in": "query", "name": "token",
		"description": "The token of the unsubscribe link of a mail (RFC 8058 one-click)."},
	"deckLink": map[string]any{"type": "apiKey", "in": "query", "name": "t",
		"description": "A signed deck link from POST /applications/{id}/deck/link: an <iframe> cannot send a Bearer header."},
}

func (rt apiRoute) security() []any {
	req := func(names ...string) []any {
		var out []any
		for _, n := range names {
			out = append(out, map[string]any{n: []any{}})
		}
		return out
	}
	switch rt.auth {
	case authNone:
		return []any{}
	case authCalendar:
		return req("bearer", "calendarToken")
	case authEventsQuery:
		return req("accessTokenQuery")
	case authRoomQuery:
		return req("roomToken")
	case authMedia:
		return req("roomBearer")
	case authUnsubscribe:
		return req("unsubscribeToken")
	case authDeckLink:
		return req("deckLink")
	}
	return req("bearer")
}

func (rt apiRoute) operation(sc *schemas) map[string]any {
	roles := rt.roles
	desc := rt.summary + "\n\nRoles: " + strings.Join(roles, ", ") + "."
	op := map[string]any{
		"operationId": operationID(rt.method, rt.path),
		"summary":     rt.summary,
		"description": desc,
		"x-roles":     roles,
		"security":    rt.security(),
		"tags":        []any{tag(rt.path)},
	}
	var params []any
	for _, m := range pathParam.FindAllStringSubmatch(rt.path, -1) {
		params = append(params, map[string]any{"name": m[1], "in": "path", "required": true,
			"description": paramDesc[m[1]], "schema": map[string]any{"type": "string"}})
	}
	for _, q := range rt.query {
		ty := "string"
		if q.integer {
			ty = "integer"
		}
		params = append(params, map[string]any{"name": q.name, "in": "query", "required": q.required,
			"description": q.desc, "schema": map[string]any{"type": ty}})
	}
	switch rt.auth {
	case authCalendar:
		params = append(params, map[string]any{"name": "token", "in": "query", "description": "A calendar token, instead of the Authorization header.", "schema": map[string]any{"type": "string"}})
	case authEventsQuery, authRoomQuery, authUnsubscribe:
		params = append(params, map[string]any{"name": "token", "in": "query", "required": true, "schema": map[string]any{"type": "string"}})
	case authDeckLink:
		params = append(params, map[string]any{"name": "t", "in": "query", "required": true, "schema": map[string]any{"type": "string"}})
	}
	if params != nil {
		op["parameters"] = params
	}
	switch {
	case rt.body != nil:
		op["requestBody"] = map[string]any{"required": true, "content": map[string]any{
			"application/json": map[string]any{"schema": sc.request(reflect.TypeOf(rt.body))}}}
	case rt.media != "":
		op["requestBody"] = map[string]any{"required": true, "content": map[string]any{
			rt.media: map[string]any{"schema": map[string]any{"type": "string"}}}}
	}
	responses := map[string]any{}
	for _, a := range rt.ok {
		r := map[string]any{"description": a.desc}
		switch {
		case a.body != nil:
			// A handler answers a value, never null.
			r["content"] = map[string]any{"application/json": map[string]any{"schema": notNull(sc.response(reflect.TypeOf(a.body)))}}
		case a.anyOf != nil:
			var alts []any
			for _, b := range a.anyOf {
				alts = append(alts, sc.response(reflect.TypeOf(b)))
			}
			r["content"] = map[string]any{"application/json": map[string]any{"schema": map[string]any{"anyOf": alts}}}
		case a.media != "":
			r["content"] = map[string]any{a.media: map[string]any{"schema": map[string]any{"type": "string"}}}
		}
		if len(a.messages) > 0 {
			var alts []any
			for _, m := range a.messages {
				alts = append(alts, notNull(sc.response(reflect.TypeOf(m))))
			}
			r["x-websocket-messages"] = map[string]any{"anyOf": alts}
		}
		if len(a.headers) > 0 {
			h := map[string]any{}
			for name, d := range a.headers {
				// The handlers always set them, but for Link: none when there
				// are no ICE servers to list.
				h[name] = map[string]any{"description": d, "required": name != "Link", "schema": map[string]any{"type": "string"}}
			}
			r["headers"] = h
		}
		responses[strconv.Itoa(a.status)] = r
	}
	for _, st := range rt.errorStatuses() {
		responses[strconv.Itoa(st)] = map[string]any{"$ref": "#/components/responses/" + errorResponseName(st)}
	}
	op["responses"] = responses
	return op
}

// errorResponseName names the error answer of status st among the
// components: Error404.
func errorResponseName(st int) string { return "Error" + strconv.Itoa(st) }

func errorDescription(st int) string {
	switch st {
	case fiber.StatusBadRequest:
		return "The request is malformed (JSON, content type, a WebSocket route called without the upgrade)."
	case fiber.StatusUnauthorized:
		return "No valid token."
	case fiber.StatusForbidden:
		return "The caller's role or the object's state does not allow it."
	case fiber.StatusNotFound:
		return "The object does not exist, or not for the caller."
	case fiber.StatusConflict:
		return "The object's state does not allow it now."
	case fiber.StatusRequestEntityTooLarge:
		return "The body is too large."
	case fiber.StatusUnprocessableEntity:
		return "The request is well-formed but its values are refused; fields says which."
	case fiber.StatusTooManyRequests:
		return "Too many attempts; Retry-After says when to try again."
	case fiber.StatusServiceUnavailable:
		return "The server is too busy to take it now; try again shortly."
	}
	return utils.StatusMessage(st)
}

// operationID is the method and the path in camel case: POST
// /sessions/:id/live/token is postSessionsIdLiveToken.
func operationID(method, path string) string {
	var b strings.Builder
	b.WriteString(strings.ToLower(method))
	for _, part := range strings.FieldsFunc(path, func(r rune) bool { return r == '/' || r == '-' || r == ':' || r == '.' }) {
		b.WriteString(exported(part))
	}
	return b.String()
}

// tag groups operations by the first part of their path.
func tag(path string) string {
	p := strings.Split(strings.TrimPrefix(path, "/"), "/")[0]
	if p == "me" || p == "users" || p == "accounts" {
		return "accounts"
	}
	return p
}

// openAPIRoutes lists the document's routes as "METHOD /path" (fiber
// syntax), sorted, for the coverage test.
func openAPIRoutes() []string {
	var out []string
	for _, rt := range apiRoutes() {
		out = append(out, rt.method+" "+rt.path)
	}
	sort.Strings(out)
	return out
}

// getOpenAPI serves the document.
func (s *Server) getOpenAPI(c *fiber.Ctx) error {
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSONCharsetUTF8)
	return c.Send(s.openapi)
}
