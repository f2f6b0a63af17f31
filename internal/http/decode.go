package http

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/roadshow/roadshow/roadshow"
)

// readBody reads at most max bytes of the request body. Bodies are streamed
// (see New), so this is where the JSON size limit is enforced.
func readBody(c *fiber.Ctx, max int64) ([]byte, error) {
	if n := c.Request().Header.ContentLength(); n > int(max) {
		return nil, roadshow.Errorf(roadshow.ETOOLARGE, "The request body is larger than %d KB.", max>>10)
	}
	r := bodyStream(c)
	if r == nil {
		b := c.Body()
		if int64(len(b)) > max {
			return nil, roadshow.Errorf(roadshow.ETOOLARGE, "The request body is larger than %d KB.", max>>10)
		}
		return b, nil
	}
	b, err := io.ReadAll(io.LimitReader(r, max+1))
	if err != nil {
		return nil, roadshow.Errorf(roadshow.EINVALID, "Could not read the request body.")
	}
	if int64(len(b)) > max {
		return nil, roadshow.Errorf(roadshow.ETOOLARGE, "The request body is larger than %d KB.", max>>10)
	}
	return b, nil
}

// bodyReader is a streamed request body that stays at its end once there:
// fasthttp's chunked body stream, read again after its last chunk, waits for
// a chunk the client will never send.
type bodyReader struct {
	r   io.Reader
	err error // the first error (io.EOF at the end); every later read returns it
}

func (b *bodyReader) Read(p []byte) (int, error) {
	if b.err != nil {
		return 0, b.err
	}
	n, err := b.r.Read(p)
	b.err = err
	return n, err
}

const bodyStreamKey = "bodyStream"

// bodyStream returns the request's streamed body, the same reader for every
// caller of one request, or nil when fasthttp has buffered the body.
func bodyStream(c *fiber.Ctx) *bodyReader {
	if b, ok := c.Locals(bodyStreamKey).(*bodyReader); ok {
		return b
	}
	r := c.Context().RequestBodyStream()
	if r == nil {
		return nil
	}
	b := &bodyReader{r: r}
	c.Locals(bodyStreamKey, b)
	return b
}

// decodeJSON decodes the body into v strictly: one JSON object, no unknown
// fields, the right types. Every failure is EINVALID with a message naming
// the field.
func decodeJSON(c *fiber.Ctx, v any) error {
	body, err := readBody(c, MaxJSONBody)
	if err != nil {
		return err
	}
	ct := strings.ToLower(string(c.Request().Header.ContentType()))
	if ct != "" && !strings.HasPrefix(ct, "application/json") {
		return roadshow.Errorf(roadshow.EINVALID, "Send JSON with Content-Type: application/json.")
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return roadshow.Errorf(roadshow.EINVALID, "The request body is empty; send a JSON object.")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return jsonError(err)
	}
	if dec.More() {
		return roadshow.Errorf(roadshow.EINVALID, "Send exactly one JSON object.")
	}
	if _, err := dec.Token(); err != io.EOF {
		return roadshow.Errorf(roadshow.EINVALID, "Send exactly one JSON object.")
	}
	return nil
}

func jsonError(err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return roadshow.Errorf(roadshow.EINVALID, "Malformed JSON at byte %d.", syn.Offset)
	case errors.As(err, &typ):
		field := typ.Field
		if field == "" {
			return roadshow.Errorf(roadshow.EINVALID, "Expected a JSON %s.", typeName(typ.Type.Kind().String()))
		}
		return roadshow.FieldErrors(roadshow.EINVALID, fmt.Sprintf("Field %q must be %s.", field, typeName(typ.Type.Kind().String())),
			map[string]string{field: "Wrong type: expected " + typeName(typ.Type.Kind().String()) + "."})
	case errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF):
		return roadshow.Errorf(roadshow.EINVALID, "Malformed JSON: the body ends too early.")
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.TrimPrefix(err.Error(), "json: unknown field ")
		return roadshow.FieldErrors(roadshow.EINVALID, fmt.Sprintf("Unknown field %s.", name),
			map[string]string{strings.Trim(name, `"`): "This field is not accepted."})
	}
	return roadshow.Errorf(roadshow.EINVALID, "Malformed JSON.")
}

func typeName(kind string) string {
	switch kind {
	case "string":
		return "a string"
	case "int", "int64", "int32", "uint", "uint64", "float64":
		return "a number"
	case "bool":
		return "true or false"
	case "slice", "array":
		return "a list"
	case "struct", "map", "ptr":
		return "an object"
	}
	return "another type"
}
