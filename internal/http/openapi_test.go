package http_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	nethttp "net/http"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
	roadshowhttp "github.com/roadshow/roadshow/internal/http"
)

// apiDoc is the OpenAPI document as the server serves it, loaded and
// checked by kin-openapi once for all tests.
type apiDoc struct {
	doc    *openapi3.T
	router routers.Router
	errors *openapi3.Schema // the one error shape
}

var (
	apiDocOnce sync.Once
	apiDocVal  *apiDoc
	apiDocErr  error
)

// loadAPIDoc fetches GET /api/v1/openapi.json from a server made without a
// store (the document does not depend on one) and loads it.
func loadAPIDoc(tb testing.TB) *apiDoc {
	tb.Helper()
	apiDocOnce.Do(func() {
		apiDocVal, apiDocErr = fetchAPIDoc()
	})
	if apiDocErr != nil {
		tb.Fatalf("openapi: %v", apiDocErr)
	}
	return apiDocVal
}

func fetchAPIDoc() (*apiDoc, error) {
	app := roadshowhttp.New(roadshowhttp.Config{}).App()
	resp, err := app.Test(httptestRequest("GET", "/api/v1/openapi.json"), -1)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		return nil, fmt.Errorf("GET /api/v1/openapi.json: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(data)
	if err != nil {
		return nil, fmt.Errorf("load: %w", err)
	}
	if !doc.IsOpenAPI31OrLater() {
		return nil, fmt.Errorf("version %q, want 3.1", doc.OpenAPI)
	}
	if err := doc.Validate(context.Background()); err != nil {
		return nil, fmt.Errorf("validate: %w", err)
	}
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		return nil, fmt.Errorf("router: %w", err)
	}
	// The bodies that are no JSON are strings to the document.
	for _, ct := range []string{"application/pdf", "application/sdp", "application/trickle-ice-sdpfrag", "text/calendar", "text/csv"} {
		openapi3filter.RegisterBodyDecoder(ct, openapi3filter.FileBodyDecoder)
	}
	errRef := doc.Components.Schemas["ErrorBody"]
	if errRef == nil || errRef.Value == nil {
		return nil, fmt.Errorf("no ErrorBody schema")
	}
	return &apiDoc{doc: doc, router: router, errors: errRef.Value}, nil
}

func httptestRequest(method, path string) *nethttp.Request {
	req, _ := nethttp.NewRequest(method, "http://roadshow.test"+path, nil)
	return req
}

// check validates one response against the document: its status must be
// documented for the route, its headers and body must match. A request the
// document has no route for (an unknown path, a wrong method) must be
// answered with an error in the one shape.
func (d *apiDoc) check(req *nethttp.Request, sent []byte, status int, header nethttp.Header, body []byte) error {
	if req.Method == nethttp.MethodHead {
		return nil
	}
	route, params, err := d.router.FindRoute(req)
	if err != nil {
		if !strings.HasPrefix(req.URL.Path, "/api/") {
			return nil // a web page
		}
		if status < 400 {
			return fmt.Errorf("no route in the document, yet answered %d", status)
		}
		var v any
		if err := json.Unmarshal(body, &v); err != nil {
			return fmt.Errorf("no route in the document; the error is no JSON: %v", err)
		}
		if err := d.errors.VisitJSON(v, openapi3.EnableJSONSchema2020()); err != nil {
			return fmt.Errorf("no route in the document; the error is not in the one shape: %v", err)
		}
		return nil
	}
	if status >= 200 && status < 300 && sent != nil {
		// The server took the request: the document must take it too.
		r := req.Clone(context.Background())
		r.Body = io.NopCloser(bytes.NewReader(sent))
		in := &openapi3filter.RequestValidationInput{Request: r, PathParams: params, Route: route,
			Options: &openapi3filter.Options{MultiError: true, AuthenticationFunc: openapi3filter.NoopAuthenticationFunc}}
		if err := openapi3filter.ValidateRequest(context.Background(), in); err != nil {
			return fmt.Errorf("the request it accepted is not as the document says: %w", err)
		}
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route,
			Options: &openapi3filter.Options{ExcludeRequestBody: true}},
		Status:  status,
		Header:  header,
		Body:    io.NopCloser(bytes.NewReader(body)),
		Options: &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true},
	}
	return openapi3filter.ValidateResponse(context.Background(), in)
}

// openAPICheck is the test client's transport: every response any API
// test receives through testServer's client is checked against the
// document, and a mismatch fails the test that made the request.
type openAPICheck struct {
	tb   testing.TB
	doc  *apiDoc
	next nethttp.RoundTripper
}

// checked wraps a test's own transport in the same check.
func (s *testServer) checked(tb testing.TB, next nethttp.RoundTripper) nethttp.RoundTripper {
	return openAPICheck{tb: tb, doc: loadAPIDoc(tb), next: next}
}

func (c openAPICheck) RoundTrip(req *nethttp.Request) (*nethttp.Response, error) {
	// A copy of the request's body, when it can be had, to check it too.
	var sent []byte
	if req.Body == nil || req.Body == nethttp.NoBody {
		sent = []byte{}
	} else if req.GetBody != nil {
		if rc, err := req.GetBody(); err == nil {
			sent, _ = io.ReadAll(rc)
			rc.Close()
		}
	}
	resp, err := c.next.RoundTrip(req)
	if err != nil {
		return resp, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(body))
	if err != nil {
		return resp, nil // the caller sees the short body
	}
	if err := c.doc.check(req, sent, resp.StatusCode, resp.Header, body); err != nil {
		shown := body
		if len(shown) > 600 {
			shown = shown[:600]
		}
		c.tb.Errorf("openapi: %s %s answered %d, not as the document says: %v\nbody: %s", req.Method, req.URL.Path, resp.StatusCode, err, shown)
	}
	return resp, nil
}

// TestOpenAPICoversEveryRoute fails when a route the app registers is not
// in the document, or the document lists a route the app does not have.
// The only exemptions: HEAD, which fiber adds beside every GET, and the web
// pages: the app's shell at / and each of its files, under its plain name
// and under the versioned prefix /s/<version>/.
func TestOpenAPICoversEveryRoute(t *testing.T) {
	t.Parallel()
	d := loadAPIDoc(t)
	ui := fstest.MapFS{"index.html": {Data: []byte("<!doctype html>")}, "app.js": {Data: []byte("export {}")}}
	page := func(path string) bool {
		if path == "/" || strings.HasPrefix(path, "/s/:version/") {
			return true
		}
		_, err := fs.Stat(ui, strings.TrimPrefix(path, "/"))
		return err == nil
	}
	var registered []string
	for _, r := range roadshowhttp.New(roadshowhttp.Config{UI: ui}).App().GetRoutes(true) {
		if r.Method == "HEAD" || page(r.Path) {
			continue
		}
		registered = append(registered, r.Method+" "+openAPIPath(r.Path))
	}
	sort.Strings(registered)
	registered = slices.Compact(registered)
	var documented []string
	for path, item := range d.doc.Paths.Map() {
		for method := range item.Operations() {
			documented = append(documented, method+" "+path)
		}
	}
	sort.Strings(documented)
	if len(registered) < 60 {
		t.Fatalf("got %d API routes from the app, want them all: %v", len(registered), registered)
	}
	for _, r := range registered {
		if !slices.Contains(documented, r) {
			t.Errorf("route %s is registered but not in the OpenAPI document (add it to apiRoutes in openapi_routes.go)", r)
		}
	}
	for _, r := range documented {
		if !slices.Contains(registered, r) {
			t.Errorf("the OpenAPI document lists %s, which is not a registered route", r)
		}
	}
}

// openAPIPath turns fiber's /x/:id into the document's /x/{id}.
func openAPIPath(p string) string {
	parts := strings.Split(p, "/")
	for i, s := range parts {
		if strings.HasPrefix(s, ":") {
			parts[i] = "{" + s[1:] + "}"
		}
	}
	return strings.Join(parts, "/")
}

// TestOpenAPIDescribesEachOperation checks what the document says of each
// operation beyond its schemas: who may call it, how it authenticates, and
// that WebSockets answer 101.
func TestOpenAPIDescribesEachOperation(t *testing.T) {
	t.Parallel()
	d := loadAPIDoc(t)
	known := []string{"anyone", "applicant", "judge", "investor", "organizer"}
	for path, item := range d.doc.Paths.Map() {
		for method, op := range item.Operations() {
			name := method + " " + path
			roles, ok := op.Extensions["x-roles"].([]any)
			if !ok || len(roles) == 0 {
				t.Errorf("%s: no x-roles", name)
			}
			for _, r := range roles {
				if s, _ := r.(string); !slices.Contains(known, s) || !strings.Contains(op.Description, s) {
					t.Errorf("%s: role %v unknown or not in the description", name, r)
				}
			}
			if op.Security == nil {
				t.Errorf("%s: no security requirement (an empty list for public routes)", name)
			}
			if op.Responses.Status(500) == nil {
				t.Errorf("%s: no 500 in the error shape", name)
			}
			if strings.HasSuffix(path, "/events") || strings.HasSuffix(path, "/live") {
				if method != "GET" || op.Responses.Status(101) == nil {
					t.Errorf("%s: a WebSocket route is a GET answering 101", name)
				}
			}
		}
	}
	if d.doc.Paths.Find("/api/v1/sessions/{id}/whip").Post.RequestBody.Value.Content.Get("application/sdp") == nil {
		t.Errorf("WHIP takes no application/sdp body")
	}
	for _, name := range []string{"bearer", "calendarToken", "roomToken"} {
		if d.doc.Components.SecuritySchemes[name] == nil {
			t.Errorf("no security scheme %s", name)
		}
	}
}

// rolesBeyondMatrix are routes whose x-roles rightly name more roles than
// succeed in the permission matrix, and why.
var rolesBeyondMatrix = map[string]string{
	"PATCH /api/v1/sessions/{id}/whip/{resource}":  "the matrix makes resources as the owner only; any participant who made one may",
	"DELETE /api/v1/sessions/{id}/whip/{resource}": "as above",
	"PATCH /api/v1/sessions/{id}/whep/{resource}":  "as above",
	"DELETE /api/v1/sessions/{id}/whep/{resource}": "as above",
}

// TestOpenAPIRolesMatchPermissions holds the document's x-roles to the
// permission matrix: a role may call a route when one of its callers gets a
// success there.
func TestOpenAPIRolesMatchPermissions(t *testing.T) {
	t.Parallel()
	d := loadAPIDoc(t)
	roleOf := map[string]string{asOwner: "applicant", asOther: "applicant", asJudge: "judge", asOutJudge: "judge",
		asInvestor: "investor", asOutInvestor: "investor", asOrganizer: "organizer", asNobody: "anyone"}
	allowed := map[string][]string{}
	for _, rt := range permMatrix() {
		key := rt.method + " " + openAPIPath("/api/v1"+rt.path)
		if _, ok := allowed[key]; !ok {
			allowed[key] = []string{}
		}
		for who, st := range rt.want {
			if st >= 200 && st < 300 && roleOf[who] != "" {
				allowed[key] = append(allowed[key], roleOf[who])
			}
		}
	}
	compared := 0
	for key, roles := range allowed {
		method, path, _ := strings.Cut(key, " ")
		item := d.doc.Paths.Find(path)
		if item == nil || item.GetOperation(method) == nil {
			continue // TestOpenAPICoversEveryRoute says so
		}
		compared++
		var got []string
		for _, r := range item.GetOperation(method).Extensions["x-roles"].([]any) {
			got = append(got, r.(string))
		}
		sort.Strings(roles)
		roles = slices.Compact(roles)
		if slices.Contains(roles, "anyone") {
			roles = []string{"anyone"}
		}
		sort.Strings(got)
		if len(roles) == 0 {
			continue // no caller succeeds in the matrix (a WebSocket without the upgrade): nothing to compare
		}
		if _, ok := rolesBeyondMatrix[key]; ok {
			for _, r := range roles {
				if !slices.Contains(got, r) {
					t.Errorf("%s: x-roles %v leaves out %s, whom the permission matrix lets succeed", key, got, r)
				}
			}
			continue
		}
		if !slices.Equal(got, roles) {
			t.Errorf("%s: x-roles %v, but the permission matrix lets %v succeed", key, got, roles)
		}
	}
	if compared < 60 {
		t.Errorf("compared %d routes with the permission matrix, want them all", compared)
	}
}

// TestOpenAPICheckRefuses shows that the check the test client runs fails
// on what the document does not allow, so that a passing API test means
// its responses matched.
func TestOpenAPICheckRefuses(t *testing.T) {
	t.Parallel()
	d := loadAPIDoc(t)
	json := nethttp.Header{"Content-Type": {"application/json; charset=utf-8"}}
	errBody := `{"error":{"code":"not_found","key":"application.not_found","args":{},"message":"Application not found."}}`
	const id = "/api/v1/applications/6b09b270748d77b1399839b0"
	good := []struct {
		name, method, path string
		status             int
		header             nethttp.Header
		body               string
	}{
		{"a documented error", "GET", id, 404, json, errBody},
		{"an unknown path's error", "GET", "/api/v1/nowhere", 404, json, errBody},
		{"industries", "GET", "/api/v1/industries", 200, json, `[{"code":"x","nameEn":"X","nameZh":"X","core":false}]`},
	}
	for _, tt := range good {
		if err := d.check(httptestRequest(tt.method, tt.path), nil, tt.status, tt.header, []byte(tt.body)); err != nil {
			t.Errorf("%s: refused: %v", tt.name, err)
		}
	}
	bad := []struct {
		name, method, path string
		status             int
		header             nethttp.Header
		body               string
	}{
		{"an undocumented status", "GET", id, 409, json, errBody},
		{"an error in another shape", "GET", id, 404, json, `{"message":"not found"}`},
		{"a missing field", "GET", "/api/v1/industries", 200, json, `[{"code":"x","nameEn":"X","nameZh":"X"}]`},
		{"an extra field", "GET", "/api/v1/industries", 200, json, `[{"code":"x","nameEn":"X","nameZh":"X","core":false,"secret":1}]`},
		{"a wrong type", "GET", "/api/v1/industries", 200, json, `[{"code":1,"nameEn":"X","nameZh":"X","core":false}]`},
		{"another content type", "GET", "/api/v1/industries", 200, nethttp.Header{"Content-Type": {"text/html"}}, `<p>`},
		{"success on an unknown path", "GET", "/api/v1/nowhere", 200, json, `{}`},
		{"an unknown path's error in another shape", "GET", "/api/v1/nowhere", 404, json, `{"message":"not found"}`},
	}
	for _, tt := range bad {
		if err := d.check(httptestRequest(tt.method, tt.path), nil, tt.status, tt.header, []byte(tt.body)); err == nil {
			t.Errorf("%s: accepted", tt.name)
		}
	}
	// A request the server took must be one the document takes.
	for _, sent := range []string{`{"unknownField":1}`, `{"name":1}`, ``} {
		req := httptestRequest("PATCH", "/api/v1/me")
		req.Header.Set("Content-Type", "application/json")
		err := d.check(req, []byte(sent), 200, json, []byte(`{}`))
		if err == nil || !strings.Contains(err.Error(), "the request it accepted") {
			t.Errorf("PATCH /me with %s taken: got %v, want the request refused", sent, err)
		}
	}
}
