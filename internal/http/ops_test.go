package http_test

import (
	"bytes"
	"io"
	nethttp "net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pion/webrtc/v3"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
)

// root sends a request to a path outside the API (s.Root + path); hdr are
// header name, value pairs. The client does not decompress: tests see the
// bytes sent.
func (s *testServer) root(tb testing.TB, method, path string, body io.Reader, hdr ...string) response {
	tb.Helper()
	req, err := nethttp.NewRequest(method, s.Root+path, body)
	if err != nil {
		tb.Fatal(err)
	}
	return send(tb, s.raw, req, hdr...)
}

// scrape reads /metrics with the token and parses the text format.
func (s *testServer) scrape(tb testing.TB) map[string]*dto.MetricFamily {
	tb.Helper()
	r := s.root(tb, "GET", "/metrics", nil, "Authorization", "Bearer "+metricsToken, "Accept", "text/plain")
	if r.Status != 200 {
		tb.Fatalf("GET /metrics: got %d %s", r.Status, r.Body)
	}
	var p expfmt.TextParser
	fams, err := p.TextToMetricFamilies(bytes.NewReader(r.Body))
	if err != nil {
		tb.Fatalf("parse /metrics: %v\n%s", err, r.Body)
	}
	return fams
}

// sample returns the value of the series of family name whose labels
// include want (a counter's or gauge's value, a histogram's count), and
// whether there is one.
func sample(fams map[string]*dto.MetricFamily, name string, want map[string]string) (float64, bool) {
	f := fams[name]
	if f == nil {
		return 0, false
	}
	for _, m := range f.GetMetric() {
		match := true
		for k, v := range want {
			found := false
			for _, l := range m.GetLabel() {
				if l.GetName() == k && l.GetValue() == v {
					found = true
				}
			}
			match = match && found
		}
		if !match {
			continue
		}
		switch {
		case m.Counter != nil:
			return m.Counter.GetValue(), true
		case m.Gauge != nil:
			return m.Gauge.GetValue(), true
		case m.Histogram != nil:
			return float64(m.Histogram.GetSampleCount()), true
		}
	}
	return 0, false
}

func TestHealthAndReadiness(t *testing.T) {
	s := MustServer(t, serverOpts{})
	var h struct {
		Status string
		Checks map[string]string
	}
	r := s.root(t, "GET", "/healthz", nil)
	if r.Status != 200 || !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		t.Fatalf("/healthz: got %d %s %s", r.Status, r.Header.Get("Content-Type"), r.Body)
	}
	r.JSON(t, &h)
	if h.Status != "ok" {
		t.Fatalf("/healthz: got %s", r.Body)
	}
	r = s.root(t, "GET", "/readyz", nil)
	r.JSON(t, &h)
	if r.Status != 200 || h.Status != "ok" || h.Checks["store"] != "ok" || h.Checks["relay"] != "ok" {
		t.Fatalf("/readyz: got %d %s", r.Status, r.Body)
	}

	// The store stops answering: not ready (the process is still up).
	if err := s.Store.Close(); err != nil {
		t.Fatal(err)
	}
	r = s.root(t, "GET", "/readyz", nil)
	h = struct {
		Status string
		Checks map[string]string
	}{}
	r.JSON(t, &h)
	if r.Status != 503 || h.Status != "unavailable" || h.Checks["store"] == "ok" || h.Checks["relay"] != "ok" {
		t.Fatalf("/readyz without a store: got %d %s, want 503 naming the store", r.Status, r.Body)
	}
	if r := s.root(t, "GET", "/healthz", nil); r.Status != 200 {
		t.Fatalf("/healthz without a store: got %d, want 200", r.Status)
	}

	// The relay closed: not ready either.
	_ = s.Relay.Close()
	r = s.root(t, "GET", "/readyz", nil)
	r.JSON(t, &h)
	if r.Status != 503 || h.Checks["relay"] != "not accepting" {
		t.Fatalf("/readyz with the relay closed: got %d %s", r.Status, r.Body)
	}
}

func TestMetricsNeedTheToken(t *testing.T) {
	s := MustServer(t, serverOpts{Metrics: true})
	for _, tc := range []struct{ name, auth string }{
		{"ErrNoToken", ""},
		{"ErrWrongToken", "Bearer wrong-token-for-metrics"},
		{"ErrAccessTokenIsNotIt", "Bearer " + s.MustApplicant(t, "ada@example.com").Token},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var hdr []string
			if tc.auth != "" {
				hdr = []string{"Authorization", tc.auth}
			}
			r := s.root(t, "GET", "/metrics", nil, hdr...)
			if r.Status != 401 || r.ErrorCode(t) != "unauthorized" {
				t.Fatalf("got %d %s, want 401", r.Status, r.Body)
			}
		})
	}
	// A server without metrics has no /metrics at all.
	plain := MustServer(t, serverOpts{})
	if r := plain.root(t, "GET", "/metrics", nil, "Authorization", "Bearer "+metricsToken); r.Status != 404 {
		t.Fatalf("/metrics without metrics configured: got %d, want 404", r.Status)
	}
}

// TestMetrics scrapes /metrics after API traffic, refused log-ins and a
// live room with a publisher and a viewer, and checks the series by name.
func TestMetrics(t *testing.T) {
	e, id := liveEditionWith(t, serverOpts{Metrics: true})
	s := e.s
	if r := s.Do(t, "POST", "/auth/login", "", map[string]any{"email": e.teams[0].Email, "password": "wrong-password-1"}); r.Status != 401 {
		t.Fatalf("bad log-in: got %d", r.Status)
	}
	if r := s.Do(t, "POST", "/auth/login", "", `{"email": 3}`); r.Status != 400 {
		t.Fatalf("malformed log-in: got %d", r.Status)
	}
	s.Must(t, 200, "GET", "/applications/"+e.apps[0].ID, e.org.Token, nil)
	s.Must(t, 404, "GET", "/no/such/"+e.apps[0].ID, e.org.Token, nil)
	s.Must(t, 200, "POST", "/sessions/"+id+"/start", e.org.Token, nil)
	pub := s.mustWHIP(t, id, e.teams[0].Token, webrtc.MimeTypeVP8)
	player := s.mustWHEP(t, id, roomToken(t, s, id, e.investor))
	waitClosed(t, player.keyframe, 10*time.Second, "the keyframe at the WHEP player")
	waitUntil(t, 10*time.Second, "packets forwarded", func() bool { return s.Relay.Stats().Forwarded > 20 })

	fams := s.scrape(t)
	for _, tc := range []struct {
		name   string
		labels map[string]string
		min    float64
	}{
		{"roadshow_http_requests_total", map[string]string{"route": "/api/v1/applications/:id", "method": "GET", "status": "200"}, 1},
		{"roadshow_http_requests_total", map[string]string{"route": "/api/v1/auth/login", "method": "POST", "status": "401"}, 1},
		{"roadshow_http_request_duration_seconds", map[string]string{"route": "/api/v1/sessions/:id/start", "method": "POST"}, 1},
		{"roadshow_store_command_duration_seconds", map[string]string{"command": "find", "collection": "users"}, 1},
		{"roadshow_auth_login_refusals_total", map[string]string{"reason": "unauthorized"}, 1},
		{"roadshow_http_requests_total", map[string]string{"route": "unmatched", "method": "GET", "status": "404"}, 1},
		{"roadshow_auth_login_refusals_total", map[string]string{"reason": "invalid"}, 1},
		{"roadshow_relay_rooms", nil, 1},
		{"roadshow_relay_participants", map[string]string{"role": "applicant"}, 1},
		{"roadshow_relay_participants", map[string]string{"role": "investor"}, 1},
		{"roadshow_relay_participants", map[string]string{"role": "judge"}, 0},
		{"roadshow_relay_forwarded_packets_total", nil, 20},
		{"roadshow_relay_forwarded_bytes_total", nil, 20 * 12},
		{"roadshow_relay_received_packets_total", nil, 20},
		{"roadshow_relay_keyframe_requests_total", nil, 0},
		{"roadshow_relay_nacks_total", nil, 0},
		{"roadshow_relay_publisher_packets_lost_total", nil, 0},
		{"roadshow_relay_receiver_loss_ratio_max", nil, 0},
		// The edition's registrations queued mail; it is off in tests.
		{"roadshow_mail_outbox_pending", nil, 1},
		{"roadshow_mail_send_failures_total", nil, 0},
		{"roadshow_mail_outbox_readable", nil, 1},
	} {
		v, ok := sample(fams, tc.name, tc.labels)
		if !ok || v < tc.min {
			t.Errorf("%s%v: got %v (present %v), want >= %v", tc.name, tc.labels, v, ok, tc.min)
		}
	}
	// Routes are patterns: no id becomes a label.
	id24 := regexp.MustCompile(`[0-9a-f]{24}`)
	for _, m := range fams["roadshow_http_requests_total"].GetMetric() {
		for _, l := range m.GetLabel() {
			if id24.MatchString(l.GetValue()) {
				t.Errorf("a label holds an id: %s=%s", l.GetName(), l.GetValue())
			}
		}
	}

	// Counters do not go down when the room empties.
	before, _ := sample(fams, "roadshow_relay_forwarded_packets_total", nil)
	pub.stop()
	s.Must(t, 200, "POST", "/sessions/"+id+"/end", e.org.Token, nil)
	waitUntil(t, 10*time.Second, "the room to close", func() bool { return s.Relay.Stats().Rooms == 0 })
	fams = s.scrape(t)
	if after, _ := sample(fams, "roadshow_relay_forwarded_packets_total", nil); after < before {
		t.Errorf("forwarded packets after the room closed: got %v, want >= %v", after, before)
	}
	if v, _ := sample(fams, "roadshow_relay_rooms", nil); v != 0 {
		t.Errorf("rooms after the end: got %v, want 0", v)
	}
	// The scrape answers in the Prometheus text format, as scrapers ask.
	r := s.root(t, "GET", "/metrics", nil, "Authorization", "Bearer "+metricsToken)
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/plain") {
		t.Errorf("Content-Type: got %q", ct)
	}
}
