package http

import (
	"encoding"
	"encoding/json"
	"reflect"
	"strings"
	"time"
	"unicode"
)

// schemas turns Go types into JSON Schemas (2020-12, as OpenAPI 3.1 uses
// them) the way encoding/json writes and reads them, so that the document
// follows the types the handlers really use. Named structs that are
// answered become components, referenced by $ref; request bodies are
// inlined, without "required" (the domain, not the decoder, says what is
// missing, with its own message).
type schemas struct {
	components map[string]any
	names      map[reflect.Type]string
	// enums are the values of the string types that have a fixed set.
	enums map[reflect.Type][]string
}

func newSchemas(enums map[reflect.Type][]string) *schemas {
	return &schemas{components: map[string]any{}, names: map[reflect.Type]string{}, enums: enums}
}

var (
	timeType      = reflect.TypeFor[time.Time]()
	jsonMarshaler = reflect.TypeFor[json.Marshaler]()
	textMarshaler = reflect.TypeFor[encoding.TextMarshaler]()
)

// response is the schema of what encoding/json writes for t: every field
// without omitempty is present, nil pointers, slices and maps are null, and
// no other property appears.
func (s *schemas) response(t reflect.Type) map[string]any {
	return s.of(t, false)
}

// request is the schema of what decodeJSON accepts into t: any subset of
// its fields, unknown ones refused.
func (s *schemas) request(t reflect.Type) map[string]any {
	return s.of(t, true)
}

func (s *schemas) of(t reflect.Type, req bool) map[string]any {
	if t.Kind() == reflect.Pointer {
		return nullable(s.of(t.Elem(), req))
	}
	if t == timeType {
		return map[string]any{"type": "string", "format": "date-time"}
	}
	// A type that writes itself: its JSON is its own affair (any value),
	// or a string for a TextMarshaler. (Pointer-receiver methods are left
	// out: encoding/json calls them only on addressable values.)
	if t.Implements(jsonMarshaler) {
		return map[string]any{}
	}
	if t.Implements(textMarshaler) {
		return map[string]any{"type": "string"}
	}
	switch t.Kind() {
	case reflect.Interface:
		return map[string]any{}
	case reflect.Bool:
		return map[string]any{"type": "boolean"}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return map[string]any{"type": "integer"}
	case reflect.Float32, reflect.Float64:
		return map[string]any{"type": "number"}
	case reflect.String:
		if vals, ok := s.enums[t]; ok {
			return map[string]any{"type": "string", "enum": vals}
		}
		return map[string]any{"type": "string"}
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Uint8 {
			return map[string]any{"type": []any{"string", "null"}, "contentEncoding": "base64"}
		}
		return map[string]any{"type": []any{"array", "null"}, "items": s.of(t.Elem(), req)}
	case reflect.Array:
		return map[string]any{"type": "array", "items": s.of(t.Elem(), req), "minItems": t.Len(), "maxItems": t.Len()}
	case reflect.Map:
		return map[string]any{"type": []any{"object", "null"}, "additionalProperties": s.of(t.Elem(), req)}
	case reflect.Struct:
		if req || t.Name() == "" || strings.Contains(t.Name(), "[") {
			return s.object(t, req)
		}
		return s.ref(t)
	}
	panic("openapi: no schema for " + t.String())
}

// ref registers t's schema as a component once and refers to it.
func (s *schemas) ref(t reflect.Type) map[string]any {
	name, ok := s.names[t]
	if !ok {
		name = componentName(t)
		for taken := true; taken; {
			taken = false
			for _, n := range s.names {
				if n == name {
					// Two packages with one type name: the second is qualified.
					name = exported(lastPathElem(t.PkgPath())) + name
					taken = true
					break
				}
			}
		}
		s.names[t] = name
		s.components[name] = nil // placeholder: t may refer to itself
		s.components[name] = s.object(t, false)
	}
	return map[string]any{"$ref": "#/components/schemas/" + name}
}

// object is a struct's schema: its JSON fields, embedded structs' fields
// promoted as encoding/json does.
func (s *schemas) object(t reflect.Type, req bool) map[string]any {
	props := map[string]any{}
	var required []string
	for _, f := range jsonFields(t) {
		sch := s.of(f.typ, req)
		if !req && f.omitempty {
			sch = notNull(sch)
		}
		props[f.name] = sch
		if !req && !f.omitempty {
			required = append(required, f.name)
		}
	}
	out := map[string]any{"type": "object", "properties": props, "additionalProperties": false}
	if len(required) > 0 {
		out["required"] = required
	}
	return out
}

type jsonField struct {
	name      string
	typ       reflect.Type
	omitempty bool
}

// jsonFields lists the fields encoding/json writes for struct t, outer
// fields winning over promoted ones of the same name.
func jsonFields(t reflect.Type) []jsonField {
	var out []jsonField
	seen := map[string]bool{}
	var promoted []jsonField
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" {
			et := f.Type
			if et.Kind() == reflect.Pointer {
				et = et.Elem()
			}
			if et.Kind() == reflect.Struct {
				promoted = append(promoted, jsonFields(et)...)
				continue
			}
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		seen[name] = true
		out = append(out, jsonField{name: name, typ: f.Type, omitempty: strings.Contains(","+opts+",", ",omitempty,")})
	}
	for _, f := range promoted {
		if !seen[f.name] {
			seen[f.name] = true
			out = append(out, f)
		}
	}
	return out
}

// nullable lets sch also be null.
func nullable(sch map[string]any) map[string]any {
	if _, ok := sch["$ref"]; ok {
		return map[string]any{"anyOf": []any{sch, map[string]any{"type": "null"}}}
	}
	if len(sch) == 0 {
		return sch
	}
	out := clone(sch)
	switch ty := sch["type"].(type) {
	case string:
		out["type"] = []any{ty, "null"}
	case []any:
		if !containsNull(ty) {
			out["type"] = append(append([]any{}, ty...), "null")
		}
	}
	return out
}

// notNull drops null from sch: encoding/json leaves out an omitempty
// field rather than write null.
func notNull(sch map[string]any) map[string]any {
	if alts, ok := sch["anyOf"].([]any); ok && len(alts) == 2 {
		if ref, ok := alts[0].(map[string]any); ok {
			return ref
		}
	}
	ty, ok := sch["type"].([]any)
	if !ok {
		return sch
	}
	var kept []any
	for _, x := range ty {
		if x != "null" {
			kept = append(kept, x)
		}
	}
	out := clone(sch)
	if len(kept) == 1 {
		out["type"] = kept[0]
	} else {
		out["type"] = kept
	}
	return out
}

func containsNull(ty []any) bool {
	for _, x := range ty {
		if x == "null" {
			return true
		}
	}
	return false
}

func clone(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

func componentName(t reflect.Type) string { return exported(t.Name()) }

func exported(s string) string {
	if s == "" {
		return s
	}
	r := []rune(s)
	r[0] = unicode.ToUpper(r[0])
	return string(r)
}

func lastPathElem(p string) string {
	if i := strings.LastIndexByte(p, '/'); i >= 0 {
		return p[i+1:]
	}
	return p
}
