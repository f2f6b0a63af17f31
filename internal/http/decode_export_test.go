package http

import (
	"reflect"

	"github.com/gofiber/fiber/v2"
)

// DecodeJSON is decodeJSON, for the fuzz tests of package http_test.
func DecodeJSON(c *fiber.Ctx, v any) error { return decodeJSON(c, v) }

// RequestTypes makes a new value of each type a handler decodes a JSON body
// into, in a fixed order (the fuzz test's corpus names them by index): the
// request bodies of the OpenAPI document's routes, whose coverage test
// keeps them complete.
func RequestTypes() []func() any {
	var out []func() any
	seen := map[reflect.Type]bool{}
	for _, rt := range apiRoutes() {
		if rt.body == nil {
			continue
		}
		t := reflect.TypeOf(rt.body)
		if t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		if seen[t] {
			continue
		}
		seen[t] = true
		out = append(out, func() any { return reflect.New(t).Interface() })
	}
	return out
}
