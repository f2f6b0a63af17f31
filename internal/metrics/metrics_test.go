package metrics_test

import (
	"context"
	"net/http/httptest"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/roadshow/roadshow/internal/metrics"
	"github.com/roadshow/roadshow/internal/relay"
	"github.com/roadshow/roadshow/roadshow"
	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/event"
)

// gather scrapes m's handler and parses the text format.
func gather(tb testing.TB, m *metrics.Metrics) map[string]*dto.MetricFamily {
	tb.Helper()
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	var p expfmt.TextParser
	fams, err := p.TextToMetricFamilies(rec.Body)
	if err != nil {
		tb.Fatalf("parse: %v", err)
	}
	return fams
}

// value is the value of name's series with the label pairs kv (a
// histogram's count), or -1 when there is none.
func value(fams map[string]*dto.MetricFamily, name string, kv ...string) float64 {
	f := fams[name]
	if f == nil {
		return -1
	}
next:
	for _, s := range f.GetMetric() {
		for i := 0; i+1 < len(kv); i += 2 {
			found := false
			for _, l := range s.GetLabel() {
				found = found || (l.GetName() == kv[i] && l.GetValue() == kv[i+1])
			}
			if !found {
				continue next
			}
		}
		switch {
		case s.Counter != nil:
			return s.Counter.GetValue()
		case s.Gauge != nil:
			return s.Gauge.GetValue()
		case s.Histogram != nil:
			return float64(s.Histogram.GetSampleCount())
		}
	}
	return -1
}

// The relay's totals may dip for one snapshot (a participant leaving
// between its reads); the counters the scrape reports never go down.
func TestRelayCountersNeverGoDown(t *testing.T) {
	t.Parallel()
	snapshots := []relay.Stats{
		{Rooms: 1, Forwarded: 10, NACKs: 2, ParticipantsByRole: map[roadshow.Role]int{roadshow.RoleJudge: 2}},
		{Rooms: 1, Forwarded: 7, NACKs: 1, ParticipantsByRole: map[roadshow.Role]int{roadshow.RoleJudge: 1}},
		{Rooms: 0, Forwarded: 12, NACKs: 3},
	}
	i := 0
	m := metrics.New()
	m.Register(metrics.NewRelayCollector(func() relay.Stats { st := snapshots[i]; i++; return st }))
	for _, want := range []struct{ forwarded, nacks, rooms, judges, investors float64 }{
		{10, 2, 1, 2, 0},
		{10, 2, 1, 1, 0}, // gauges follow the snapshot; counters keep their highest
		{12, 3, 0, 0, 0},
	} {
		fams := gather(t, m)
		got := []float64{value(fams, "roadshow_relay_forwarded_packets_total"), value(fams, "roadshow_relay_nacks_total"),
			value(fams, "roadshow_relay_rooms"), value(fams, "roadshow_relay_participants", "role", "judge"),
			value(fams, "roadshow_relay_participants", "role", "investor")}
		if w := []float64{want.forwarded, want.nacks, want.rooms, want.judges, want.investors}; got[0] != w[0] || got[1] != w[1] || got[2] != w[2] || got[3] != w[3] || got[4] != w[4] {
			t.Fatalf("scrape %d: got %v, want %v", i, got, w)
		}
	}
}

// The store monitor times a command by the name and collection of its
// start, counts failures, and ignores a finish it did not see start.
func TestStoreMonitor(t *testing.T) {
	t.Parallel()
	m := metrics.New()
	mon := m.StoreMonitor()
	ctx := context.Background()
	cmd := func(name, coll string) bson.Raw {
		b, err := bson.Marshal(bson.D{{Key: name, Value: coll}})
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	ping, _ := bson.Marshal(bson.D{{Key: "ping", Value: 1}})
	for _, tc := range []struct {
		conn   string
		id     int64
		name   string
		cmd    bson.Raw
		failed bool
	}{
		{"c1", 1, "find", cmd("find", "users"), false},
		{"c2", 1, "find", cmd("find", "users"), true}, // same request id, another connection
		{"c1", 2, "update", cmd("update", "applications"), false},
		{"c1", 3, "ping", ping, false},
	} {
		mon.Started(ctx, &event.CommandStartedEvent{Command: tc.cmd, CommandName: tc.name, RequestID: tc.id, ConnectionID: tc.conn})
		fin := event.CommandFinishedEvent{CommandName: tc.name, RequestID: tc.id, ConnectionID: tc.conn, Duration: 3 * time.Millisecond}
		if tc.failed {
			mon.Failed(ctx, &event.CommandFailedEvent{CommandFinishedEvent: fin})
		} else {
			mon.Succeeded(ctx, &event.CommandSucceededEvent{CommandFinishedEvent: fin})
		}
	}
	// Finished without a start: not counted.
	mon.Succeeded(ctx, &event.CommandSucceededEvent{CommandFinishedEvent: event.CommandFinishedEvent{CommandName: "find", RequestID: 9, ConnectionID: "c9"}})

	fams := gather(t, m)
	for _, tc := range []struct {
		name string
		kv   []string
		want float64
	}{
		{"roadshow_store_command_duration_seconds", []string{"command", "find", "collection", "users"}, 2},
		{"roadshow_store_command_errors_total", []string{"command", "find", "collection", "users"}, 1},
		{"roadshow_store_command_duration_seconds", []string{"command", "update", "collection", "applications"}, 1},
		{"roadshow_store_command_errors_total", []string{"command", "update", "collection", "applications"}, -1},
		{"roadshow_store_command_duration_seconds", []string{"command", "ping", "collection", "-"}, 1},
	} {
		if got := value(fams, tc.name, tc.kv...); got != tc.want {
			t.Errorf("%s%v: got %v, want %v", tc.name, tc.kv, got, tc.want)
		}
	}
}

// A nil *Metrics records nothing and needs no checks by its callers.
func TestNilMetrics(t *testing.T) {
	t.Parallel()
	var m *metrics.Metrics
	m.ObserveHTTP("/x", "GET", 200, time.Millisecond)
	m.LoginRefused("unauthorized")
	m.Register(metrics.NewOutboxCollector(nil))
	if m.StoreMonitor() != nil {
		t.Fatal("a nil *Metrics returned a store monitor")
	}
}
