package relay_test

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/roadshow/roadshow/internal/relay"
)

// FuzzSignalMessage: whatever a page sends, a signaling message that decodes encodes to JSON that
// decodes to the same message (the relay and the page read what the other wrote).
func FuzzSignalMessage(f *testing.F) {
	for _, s := range []string{
		`{"type":"offer","pc":"publish","sdp":"v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n","sources":{"0":"camera","1":"microphone"}}`,
		`{"type":"answer","pc":"subscribe","sdp":"v=0\r\n"}`,
		`{"type":"candidate","pc":"publish","candidate":{"candidate":"candidate:1 1 udp 2130706431 10.0.0.2 5000 typ host","sdpMid":"0","sdpMLineIndex":0,"usernameFragment":"EsAw"}}`,
		`{"type":"unpublish","source":"screen"}`,
		`{"type":"mute","source":"microphone"}`,
		`{"type":"unmute","source":"camera"}`,
		`{"type":"leave"}`,
		`{"type":"welcome","self":{"id":"p1","userId":"u1","name":"Ada","role":"applicant","via":"web","presenting":true,"tracks":[]},"iceServers":[{"urls":["turn:turn.example.com:3478?transport=tcp"],"username":"1700000000:u1","credential":"c2VjcmV0"}]}`,
		`{"type":"room","room":{"sessionId":"s1","presenting":"a1","participants":[{"id":"p1","userId":"u1","name":"Ada","role":"judge","via":"whep","presenting":false,"tracks":[{"id":"t1","source":"camera","kind":"video","codec":"VP8","muted":false}],"can":{"remove":true}}],"viewers":3}}`,
		`{"type":"muted","participant":"p1","muted":true,"by":"p2","source":"microphone"}`,
		`{"type":"error","error":{"code":"EINVALID","key":"room.bad_sdp","args":{"detail":"x"},"message":"Bad SDP."}}`,
		`{"type":"bye","bye":{"code":"ECONFLICT","key":"room.left","message":"You left."}}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var m relay.Message
		if json.Unmarshal(b, &m) != nil {
			return // the relay ignores what is not a message
		}
		enc, err := json.Marshal(m)
		if err != nil {
			t.Fatalf("encode %+v: %v", m, err)
		}
		var m2 relay.Message
		if err := json.Unmarshal(enc, &m2); err != nil {
			t.Fatalf("decode %s: %v", enc, err)
		}
		enc2, err := json.Marshal(m2)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(enc, enc2) {
			t.Fatalf("round trip:\n%s\n%s", enc, enc2)
		}
	})
}
