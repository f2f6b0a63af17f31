package http_test

import (
	"testing"
)

// BenchmarkHealthz measures GET /healthz over HTTP on loopback, with and
// without the metrics recording it: what the frame middleware and a
// Prometheus observation cost a request.
func BenchmarkHealthz(b *testing.B) {
	for _, tc := range []struct {
		name    string
		metrics bool
	}{{"NoMetrics", false}, {"Metrics", true}} {
		b.Run(tc.name, func(b *testing.B) {
			s := MustServer(b, serverOpts{Metrics: tc.metrics})
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if r := s.root(b, "GET", "/healthz", nil); r.Status != 200 {
					b.Fatalf("got %d", r.Status)
				}
			}
		})
	}
}

// BenchmarkScrape measures one scrape of /metrics after some traffic: the
// registry, the relay's Stats and the outbox's store read.
func BenchmarkScrape(b *testing.B) {
	s := MustServer(b, serverOpts{Metrics: true})
	ada := s.MustApplicant(b, "ada@example.com")
	for i := 0; i < 50; i++ {
		s.Must(b, 200, "GET", "/me", ada.Token, nil)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		s.scrape(b)
	}
}

// BenchmarkStaticAsset measures GET of the largest module (i18n.js), by
// encoding: the compressed forms are made once and kept.
func BenchmarkStaticAsset(b *testing.B) {
	s := MustServer(b, serverOpts{UI: true})
	path := "/s/" + assetVersion(b, s) + "/i18n.js"
	for _, enc := range []string{"identity", "gzip", "br"} {
		b.Run(enc, func(b *testing.B) {
			var n int
			for i := 0; i < b.N; i++ {
				r := s.root(b, "GET", path, nil, "Accept-Encoding", enc)
				if r.Status != 200 {
					b.Fatalf("got %d", r.Status)
				}
				n = len(r.Body)
			}
			b.ReportMetric(float64(n), "bytes/op")
		})
	}
}
