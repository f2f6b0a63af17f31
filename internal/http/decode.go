package http

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/roadshow/roadshow/roadshow"
)

// readBody reads at most max bytes of the request body. Bodies are streamed
// (see New), so this is where the JSON size limit is enforced.
func readBody(c *fiber.Ctx, max int64) ([]byte, error) {
	if n := c.Request().Header.ContentLength(); n > int(max) {
		return nil, tooLarge(max)
	}
	r := bodyStream(c)
	if r == nil {
		b := c.Body()
		if int64(len(b)) > max {
			return nil, tooLarge(max)
		}
		return b, nil
	}
	b, err := io.ReadAll(io.LimitReader(r, max+1))
	if err != nil {
		return nil, roadshow.NewError(roadshow.EINVALID, "request.body_unreadable", nil)
	}
	if int64(len(b)) > max {
		return nil, tooLarge(max)
	}
	return b, nil
}

func tooLarge(max int64) error {
	return roadshow.NewError(roadshow.ETOOLARGE, "request.body_too_large", roadshow.Args{"maxKB": max >> 10})
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
		return roadshow.NewError(roadshow.EINVALID, "request.json_content_type", nil)
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return roadshow.NewError(roadshow.EINVALID, "request.body_empty", nil)
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return jsonError(err)
	}
	if _, err := dec.Token(); dec.More() || err != io.EOF {
		return roadshow.NewError(roadshow.EINVALID, "request.json_one_object", nil)
	}
	return nil
}

func jsonError(err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return roadshow.NewError(roadshow.EINVALID, "request.json_malformed_at", roadshow.Args{"offset": syn.Offset})
	case errors.As(err, &typ):
		want := roadshow.Args{"type": typeName(typ.Type.Kind().String())}
		if typ.Field == "" {
			return roadshow.NewError(roadshow.EINVALID, "request.json_type", want)
		}
		return &roadshow.Error{Code: roadshow.EINVALID,
			Msg:    roadshow.Msg("request.json_field_type", roadshow.Args{"field": typ.Field, "type": want["type"]}),
			Fields: map[string]roadshow.Message{typ.Field: roadshow.Msg("request.json_wrong_type", want)}}
	case errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF):
		return roadshow.NewError(roadshow.EINVALID, "request.json_truncated", nil)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return &roadshow.Error{Code: roadshow.EINVALID,
			Msg:    roadshow.Msg("request.json_unknown_field", roadshow.Args{"field": name}),
			Fields: map[string]roadshow.Message{name: roadshow.Msg("request.field_not_accepted", nil)}}
	}
	return roadshow.NewError(roadshow.EINVALID, "request.json_malformed", nil)
}

// typeName is the JSON type a Go kind decodes from, as a word the message
// tables translate.
func typeName(kind string) string {
	switch kind {
	case "string":
		return "string"
	case "int", "int64", "int32", "uint", "uint64", "float64":
		return "number"
	case "bool":
		return "boolean"
	case "slice", "array":
		return "array"
	case "struct", "map", "ptr":
		return "object"
	}
	return "value"
}
