// Package metrics is Roadshow's Prometheus instrumentation: one registry of
// its own (never the library's global default), the HTTP, store and log-in
// series the server records as it works, and collectors that read the
// relay's and the outbox's counters when Prometheus scrapes.
package metrics

import (
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

const namespace = "roadshow"

// Metrics holds the registry and the series recorded as the server works.
// A nil *Metrics records nothing, so that parts built without it (tests,
// tools) need no checks.
type Metrics struct {
	reg *prometheus.Registry

	httpRequests  *prometheus.CounterVec
	httpDuration  *prometheus.HistogramVec
	storeDuration *prometheus.HistogramVec
	storeErrors   *prometheus.CounterVec
	loginRefusals *prometheus.CounterVec
}

// New returns the metrics with the Go runtime's and the process's own
// series registered beside Roadshow's.
func New() *Metrics {
	m := &Metrics{reg: prometheus.NewRegistry()}
	m.httpRequests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Namespace: namespace, Subsystem: "http", Name: "requests_total",
		Help: "HTTP requests answered, by route pattern, method and status.",
	}, []string{"route", "method", "status"})
	m.httpDuration = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Namespace: namespace, Subsystem: "http", Name: "request_duration_seconds",
		Help:    "Time from a request's arrival to its handler's return (a streamed body may still be on its way), by route pattern and method.",
		Buckets: []float64{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10},
	}, []string{"route", "method"})
	m.storeDuration = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Namespace: namespace, Subsystem: "store", Name: "command_duration_seconds",
		Help:    "Store commands as the driver sent them, by command (find, insert, update, ...) and collection.",
		Buckets: []float64{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5},
	}, []string{"command", "collection"})
	m.storeErrors = prometheus.NewCounterVec(prometheus.CounterOpts{
		Namespace: namespace, Subsystem: "store", Name: "command_errors_total",
		Help: "Store commands that failed, by command and collection.",
	}, []string{"command", "collection"})
	m.loginRefusals = prometheus.NewCounterVec(prometheus.CounterOpts{
		Namespace: namespace, Subsystem: "auth", Name: "login_refusals_total",
		Help: "Log-ins refused, by reason: the error code answered (unauthorized: wrong credentials or a disabled account; rate_limited: a limit or the password slots; invalid: a malformed request).",
	}, []string{"reason"})
	m.reg.MustRegister(m.httpRequests, m.httpDuration, m.storeDuration, m.storeErrors, m.loginRefusals,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{Namespace: namespace}))
	return m
}

// Register adds a collector (the relay's, the outbox's) to the registry.
func (m *Metrics) Register(c prometheus.Collector) {
	if m != nil {
		m.reg.MustRegister(c)
	}
}

// Handler serves the registry in the Prometheus text format (or
// OpenMetrics, when the scraper asks for it).
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg, EnableOpenMetrics: true})
}

// ObserveHTTP records one answered request. route is the registered
// pattern (e.g. /api/v1/applications/:id), never the path itself, so that
// ids do not become series.
func (m *Metrics) ObserveHTTP(route, method string, status int, took time.Duration) {
	if m == nil {
		return
	}
	m.httpRequests.WithLabelValues(route, method, strconv.Itoa(status)).Inc()
	m.httpDuration.WithLabelValues(route, method).Observe(took.Seconds())
}

// LoginRefused counts a refused log-in by the error code it was answered.
func (m *Metrics) LoginRefused(reason string) {
	if m == nil {
		return
	}
	m.loginRefusals.WithLabelValues(reason).Inc()
}
