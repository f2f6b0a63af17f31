package http

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"
)

type schemaInner struct {
	Deep string `json:"deep"`
}

type schemaEmbedded struct {
	Promoted string `json:"promoted"`
	Shadowed int    `json:"plain"` // the outer field of this name wins
}

type schemaKind string

type schemaOuter struct {
	schemaEmbedded
	Plain    string            `json:"plain"`
	Optional string            `json:"optional,omitempty"`
	Ptr      *int              `json:"ptr"`
	PtrOmit  *int              `json:"ptrOmit,omitempty"`
	List     []int             `json:"list"`
	ListOmit []int             `json:"listOmit,omitempty"`
	Map      map[string]bool   `json:"map"`
	When     time.Time         `json:"when"`
	Any      any               `json:"any"`
	Bytes    []byte            `json:"bytes"`
	Inner    schemaInner       `json:"inner"`
	InnerPtr *schemaInner      `json:"innerPtr"`
	Kind     schemaKind        `json:"kind"`
	Secret   string            `json:"-"`
	Untagged int               // written as "Untagged"
	hidden   int               // unexported: never written
	Self     *schemaOuter      `json:"self,omitempty"`
	Named    map[string]string `json:"named,omitempty"`
	WhenPtr  *time.Time        `json:"whenPtr"`
	Own      schemaOwn         `json:"own"`
	Text     schemaText        `json:"text"`
}

// schemaOwn writes itself: its schema cannot be read off its fields.
type schemaOwn struct{ N int }

func (schemaOwn) MarshalJSON() ([]byte, error) { return []byte(`"own"`), nil }

// schemaText writes itself as a string.
type schemaText struct{ N int }

func (schemaText) MarshalText() ([]byte, error) { return []byte("text"), nil }

// TestSchemaOfAResponse checks each rule of the schema generator against
// what encoding/json writes.
func TestSchemaOfAResponse(t *testing.T) {
	sc := newSchemas(map[reflect.Type][]string{reflect.TypeFor[schemaKind](): {"a", "b"}})
	top := sc.response(reflect.TypeFor[schemaOuter]())
	if top["$ref"] != "#/components/schemas/SchemaOuter" {
		t.Fatalf("a named struct is a component: got %v", top)
	}
	obj := sc.components["SchemaOuter"].(map[string]any)
	props := obj["properties"].(map[string]any)
	js := func(v any) string { b, _ := json.Marshal(v); return string(b) }
	tests := []struct {
		field, want string
	}{
		{"plain", `{"type":"string"}`},
		{"promoted", `{"type":"string"}`},
		{"optional", `{"type":"string"}`},
		{"ptr", `{"type":["integer","null"]}`},
		{"ptrOmit", `{"type":"integer"}`},
		{"list", `{"items":{"type":"integer"},"type":["array","null"]}`},
		{"listOmit", `{"items":{"type":"integer"},"type":"array"}`},
		{"map", `{"additionalProperties":{"type":"boolean"},"type":["object","null"]}`},
		{"when", `{"format":"date-time","type":"string"}`},
		{"any", `{}`},
		{"bytes", `{"contentEncoding":"base64","type":["string","null"]}`},
		{"inner", `{"$ref":"#/components/schemas/SchemaInner"}`},
		{"innerPtr", `{"anyOf":[{"$ref":"#/components/schemas/SchemaInner"},{"type":"null"}]}`},
		{"kind", `{"enum":["a","b"],"type":"string"}`},
		{"Untagged", `{"type":"integer"}`},
		{"self", `{"$ref":"#/components/schemas/SchemaOuter"}`},
		{"whenPtr", `{"format":"date-time","type":["string","null"]}`},
		{"own", `{}`},
		{"text", `{"type":"string"}`},
	}
	for _, tt := range tests {
		if got := js(props[tt.field]); got != tt.want {
			t.Errorf("%s: got %s, want %s", tt.field, got, tt.want)
		}
	}
	for _, absent := range []string{"Secret", "-", "hidden", "Shadowed", "schemaEmbedded"} {
		if _, ok := props[absent]; ok {
			t.Errorf("%s: in the schema, but encoding/json never writes it", absent)
		}
	}
	if len(props) != len(tests)+1 { // and "named"
		t.Errorf("got %d properties, want %d: %s", len(props), len(tests)+1, js(props))
	}
	req := js(obj["required"])
	for _, f := range []string{"plain", "promoted", "ptr", "list", "map", "when", "inner", "kind", "Untagged"} {
		if !strings.Contains(req, `"`+f+`"`) {
			t.Errorf("%s: not required, but always written", f)
		}
	}
	for _, f := range []string{"optional", "ptrOmit", "listOmit", "self", "named"} {
		if strings.Contains(req, `"`+f+`"`) {
			t.Errorf("%s: required, but omitempty", f)
		}
	}
	if obj["additionalProperties"] != false {
		t.Errorf("a response allows properties its type does not have")
	}
}

// TestSchemaOfARequest: request bodies are inlined and require nothing.
func TestSchemaOfARequest(t *testing.T) {
	sc := newSchemas(nil)
	got := sc.request(reflect.TypeFor[schemaInner]())
	if _, ok := got["$ref"]; ok || got["required"] != nil || got["additionalProperties"] != false {
		t.Errorf("got %v, want an inline object that requires nothing and refuses unknown fields", got)
	}
	if len(sc.components) != 0 {
		t.Errorf("a request made components: %v", sc.components)
	}
}

type schemaTwin struct{ A int }

// TestSchemaNamesCollide: two types of one name from two packages get two
// components.
func TestSchemaNamesCollide(t *testing.T) {
	sc := newSchemas(nil)
	sc.names[reflect.TypeFor[struct{ B int }]()] = "SchemaTwin" // as if another package's SchemaTwin came first
	sc.components["SchemaTwin"] = map[string]any{}
	ref := sc.response(reflect.TypeFor[schemaTwin]())
	if ref["$ref"] != "#/components/schemas/HttpSchemaTwin" {
		t.Errorf("got %v, want the package-qualified name", ref)
	}
}

// TestOpenAPIDocumentRefusesDuplicates: a route listed twice is an error,
// not a silently overwritten operation.
func TestOpenAPIDocumentRefusesDuplicates(t *testing.T) {
	rt := apiRoute{method: "GET", path: "/x", roles: []string{anyone}, auth: authNone, ok: []answer{json200(schemaInner{}, "x")}}
	if _, err := openAPIDocument([]apiRoute{rt, rt}); err == nil {
		t.Errorf("a duplicate route was taken")
	}
	if _, err := openAPIDocument([]apiRoute{rt}); err != nil {
		t.Errorf("one route: %v", err)
	}
}

func TestOperationID(t *testing.T) {
	tests := []struct{ method, path, want string }{
		{"POST", "/sessions/:id/live/token", "postSessionsIdLiveToken"},
		{"GET", "/exports/applications.csv", "getExportsApplicationsCsv"},
		{"GET", "/sessions/:id/move-preview", "getSessionsIdMovePreview"},
	}
	for _, tt := range tests {
		if got := operationID(tt.method, tt.path); got != tt.want {
			t.Errorf("%s %s: got %s, want %s", tt.method, tt.path, got, tt.want)
		}
	}
}

// TestOpenAPIDocumentPaths: API routes sit under /api/v1 with {params};
// a root route (a health check) at its own path.
func TestOpenAPIDocumentPaths(t *testing.T) {
	routes := []apiRoute{
		{method: "GET", path: "/sessions/:id/scores/:applicationId", roles: []string{anyone}, auth: authNone, ok: []answer{json200(schemaInner{}, "x")}},
		{method: "GET", path: "/healthz", root: true, roles: []string{anyone}, auth: authNone, ok: []answer{json200(schemaInner{}, "x")}},
	}
	b, err := openAPIDocument(routes)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Paths map[string]map[string]struct {
			Parameters []struct{ Name, In string }
		}
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	op, ok := doc.Paths["/api/v1/sessions/{id}/scores/{applicationId}"]["get"]
	if !ok || len(op.Parameters) != 2 || op.Parameters[0].Name != "id" || op.Parameters[1].Name != "applicationId" || op.Parameters[1].In != "path" {
		t.Errorf("API route: got %+v in %v", op, doc.Paths)
	}
	if _, ok := doc.Paths["/healthz"]["get"]; !ok || len(doc.Paths) != 2 {
		t.Errorf("root route: got %v", doc.Paths)
	}
}
