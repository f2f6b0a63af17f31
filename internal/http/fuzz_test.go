package http_test

import (
	"bytes"
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"

	roadshowhttp "github.com/roadshow/roadshow/internal/http"
	"github.com/roadshow/roadshow/roadshow"
)

// decodeBody runs the request decoder on body sent with content type ct.
func decodeBody(app *fiber.App, ct string, body []byte, v any) error {
	rc := &fasthttp.RequestCtx{}
	rc.Request.Header.SetMethod("POST")
	if ct != "" {
		rc.Request.Header.SetContentType(ct)
	}
	rc.Request.SetBody(body)
	c := app.AcquireCtx(rc)
	defer app.ReleaseCtx(c)
	return roadshowhttp.DecodeJSON(c, v)
}

// FuzzDecodeJSON feeds every request type's decoder arbitrary bodies. A refusal is a domain
// error (EINVALID or ETOOLARGE) with a registered message key; an accepted body was valid JSON
// within the size limit, and what it decoded to encodes and decodes back to the same value.
func FuzzDecodeJSON(f *testing.F) {
	seeds := []string{
		`{"email":"ada@example.com","password":"correct-horse-1","name":"Ada","country":"GB","language":"en"}`,
		`{"email":"ada@example.com","password":"correct-horse-1"}`,
		`{"email":"judge@example.com","password":"judge-password-1","name":"Jo","role":"judge","country":"DE"}`,
		`{"email":"ada@example.com"}`,
		`{"token":"eyJhbGciOiJIUzI1NiJ9.e30.x","password":"new-password-22"}`,
		`{"token":"eyJhbGciOiJIUzI1NiJ9.e30.x"}`,
		`{"currentPassword":"correct-horse-1","password":"correct-horse-2"}`,
		`{"name":"Roadshow 2026","deadline":"2026-12-01T16:00:00+08:00","rubric":{"criteria":[{"key":"team","nameEn":"Team","nameZh":"团队","weight":0.2,"min":1,"max":10}]}}`,
		`{"industries":["smart-ocean","clean-energy"],"maxPerSession":8,"slotMinutes":15,"firstStart":"2026-12-07T09:00:00+08:00","dayStart":"09:00","dayEnd":"17:00","days":5,"tracks":2}`,
		`{"applicationId":"65a1f0c2e4b0a1b2c3d4e5f6","toSessionId":"65a1f0c2e4b0a1b2c3d4e5f7","toIndex":2}`,
		`{"applicationIds":["65a1f0c2e4b0a1b2c3d4e5f6","65a1f0c2e4b0a1b2c3d4e5f7"]}`,
		`{"userId":"65a1f0c2e4b0a1b2c3d4e5f6"}`,
		`{"judgeId":"65a1f0c2e4b0a1b2c3d4e5f6","reason":"Former employer"}`,
		`{"values":{"innovation":8,"market":7,"team":9},"comment":"Strong team","teamComment":"Great pitch"}`,
		`{"version":3}`,
		`{"confirmGaps":"3f2a"}`,
		`{"reason":"A score was entered for the wrong team."}`,
		`{"decision":"eligible","note":"Fits the smart-ocean track"}`,
		`{"note":"We would like to discuss a seed round."}`,
		`{"participantId":"p1","source":"microphone","muted":true}`,
		`{"userId":"65a1f0c2e4b0a1b2c3d4e5f6","reason":"Disrupting the session"}`,
		`{"title":"Tidal sensors","summary":"Low-cost sensors","industry":"smart-ocean","stage":"seed","country":"GB","timezone":"Europe/London","team":[{"name":"Ada","role":"CEO"}],"fundingAsk":{"amount":500000,"currency":"USD"},"website":"https://example.com"}`,
		`{"name":"Ada Lovelace","organization":"Analytical","country":"GB","timezone":"Europe/London","language":"zh","mailOptOut":true}`,
		`{"name":"Jo","role":"investor","disabled":false}`,
	}
	n := len(roadshowhttp.RequestTypes())
	// Every seed against every request type: a body meant for one route is
	// what a client may send to another.
	for _, s := range seeds {
		for i := range n {
			f.Add(uint8(i), "application/json", []byte(s))
		}
	}
	f.Add(uint8(0), "text/plain", []byte(`{"email":"a@example.com"}`))
	f.Add(uint8(1), "", []byte(`{"email":"a@example.com"} {}`))
	f.Add(uint8(13), "application/json; charset=utf-8", []byte(`{"values":{"team":"9"}}`))
	f.Add(uint8(2), "application/json", []byte(`{"email":"a@example.com","admin":true}`))
	f.Add(uint8(7), "application/json", []byte(`{"name":`))

	app := fiber.New()
	keys := roadshow.MessageKeys()
	f.Fuzz(func(t *testing.T, kind uint8, ct string, body []byte) {
		newReq := roadshowhttp.RequestTypes()[int(kind)%n]
		v := newReq()
		err := decodeBody(app, ct, body, v)
		if err != nil {
			var re *roadshow.Error
			if !errorsAs(err, &re) {
				t.Fatalf("decode %q: %T %v is not a domain error", body, err, err)
			}
			if re.Code != roadshow.EINVALID && re.Code != roadshow.ETOOLARGE {
				t.Fatalf("decode %q: code %s, want EINVALID or ETOOLARGE", body, re.Code)
			}
			if _, ok := slices.BinarySearch(keys, re.Msg.Key); !ok || re.Msg.Message == "" {
				t.Fatalf("decode %q: message key %q is not registered (message %q)", body, re.Msg.Key, re.Msg.Message)
			}
			for field, m := range re.Fields {
				if _, ok := slices.BinarySearch(keys, m.Key); !ok {
					t.Fatalf("decode %q: field %s has unregistered key %q", body, field, m.Key)
				}
			}
			return
		}
		if len(body) > roadshowhttp.MaxJSONBody {
			t.Fatalf("accepted a body of %d bytes, over the limit %d", len(body), roadshowhttp.MaxJSONBody)
		}
		if !json.Valid(bytes.TrimSpace(body)) {
			t.Fatalf("accepted invalid JSON %q", body)
		}
		if lc := strings.ToLower(ct); lc != "" && !strings.HasPrefix(lc, "application/json") {
			t.Fatalf("accepted content type %q", ct)
		}
		enc, err := json.Marshal(v)
		if err != nil {
			t.Fatalf("encode %#v: %v", v, err)
		}
		v2 := newReq()
		if err := decodeBody(app, "application/json", enc, v2); err != nil {
			t.Fatalf("decode of the re-encoded %s: %v", enc, err)
		}
		if !reflect.DeepEqual(v, v2) {
			t.Fatalf("round trip changed the request:\nbody %q\nfirst  %#v\nsecond %#v", body, v, v2)
		}
	})
}

func errorsAs(err error, target **roadshow.Error) bool {
	e, ok := err.(*roadshow.Error)
	if ok {
		*target = e
	}
	return ok
}
