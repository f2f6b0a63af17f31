package main

import (
	"context"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
)

// get fetches url with the header pairs hdr and returns the status and body.
func get(tb testing.TB, url string, hdr ...string) (int, string) {
	tb.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		tb.Fatal(err)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		tb.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// TestMetricsSettings: ROADSHOW_METRICS_ADDR serves the scrape on its own
// listener and not on the public port; ROADSHOW_METRICS_TOKEN on the public
// port to the token only.
func TestMetricsSettings(t *testing.T) {
	t.Parallel()
	port, err := freePort()
	if err != nil {
		t.Fatal(err)
	}
	addr := "127.0.0.1:" + strconv.Itoa(port)
	srv := MustServe(t, map[string]string{"ROADSHOW_DATA_DIR": t.TempDir(), "ROADSHOW_METRICS_ADDR": addr})
	if status, _ := get(t, srv.URL+"/healthz"); status != 200 {
		t.Fatalf("/healthz: %d", status)
	}
	status, body := get(t, "http://"+addr+"/metrics")
	if status != 200 || !strings.Contains(body, `roadshow_http_requests_total{method="GET",route="/healthz",status="200"}`) ||
		!strings.Contains(body, "roadshow_store_command_duration_seconds_bucket") || !strings.Contains(body, "roadshow_relay_rooms 0") {
		t.Fatalf("metrics listener: got %d\n%s", status, body)
	}
	if status, _ := get(t, srv.URL+"/metrics"); status != 404 {
		t.Fatalf("/metrics on the public port without a token configured: got %d, want 404", status)
	}

	const token = "a-token-for-the-scraper"
	srv2 := MustServe(t, map[string]string{"ROADSHOW_DATA_DIR": t.TempDir(), "ROADSHOW_METRICS_TOKEN": token})
	if status, _ := get(t, srv2.URL+"/metrics"); status != 401 {
		t.Fatalf("/metrics without the token: got %d, want 401", status)
	}
	if status, body := get(t, srv2.URL+"/metrics", "Authorization", "Bearer "+token); status != 200 || !strings.Contains(body, "roadshow_relay_participants") {
		t.Fatalf("/metrics with the token: got %d\n%.300s", status, body)
	}
}

func TestMetricsTokenTooShort(t *testing.T) {
	t.Parallel()
	err := run(context.Background(), []string{"serve"}, envOf(map[string]string{"ROADSHOW_DATA_DIR": t.TempDir(), "ROADSHOW_METRICS_TOKEN": "short"}),
		strings.NewReader(""), io.Discard, io.Discard, nil)
	if err == nil || !strings.Contains(err.Error(), "ROADSHOW_METRICS_TOKEN") {
		t.Fatalf("got %v, want a refusal naming ROADSHOW_METRICS_TOKEN", err)
	}
}
