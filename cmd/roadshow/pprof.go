package main

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"runtime"
	"time"

	"github.com/roadshow/roadshow/internal/metrics"
)

// servePprof serves Go's profiler on addr until stop is called, for
// profiling the relay under load.
func servePprof(addr string, log *slog.Logger) (stop func(), err error) {
	// A heap profile fine enough to tell what each viewer costs.
	runtime.MemProfileRate = 4096
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	// What the memory of the process is made of, beside the heap profile:
	// stacks, heap in use and held, what was returned to the system.
	mux.HandleFunc("/debug/memstats", func(w http.ResponseWriter, r *http.Request) {
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		fmt.Fprintf(w, "goroutines %d\nheap_inuse %d\nheap_idle %d\nheap_released %d\nstack_inuse %d\nsys %d\nnum_gc %d\ngc_cpu_fraction %.4f\n",
			runtime.NumGoroutine(), m.HeapInuse, m.HeapIdle, m.HeapReleased, m.StackInuse, m.Sys, m.NumGC, m.GCCPUFraction)
	})
	return serveLocal(addr, "ROADSHOW_PPROF_ADDR", mux, func(a string) {
		log.Warn("the profiler is served", "addr", a)
	})
}

// serveMetrics serves the Prometheus scrape at /metrics on addr (a port
// of its own, kept off the public network) until stop is called.
func serveMetrics(addr string, m *metrics.Metrics, log *slog.Logger) (stop func(), err error) {
	mux := http.NewServeMux()
	mux.Handle("/metrics", m.Handler())
	return serveLocal(addr, "ROADSHOW_METRICS_ADDR", mux, func(a string) {
		log.Info("metrics are served", "url", "http://"+a+"/metrics")
	})
}

// serveLocal serves h on a listener of its own at addr (setting names the
// setting it came from, for the error) until stop is called; listening is
// told the address it got.
func serveLocal(addr, setting string, h http.Handler, listening func(addr string)) (stop func(), err error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", setting, err)
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = srv.Serve(ln)
	}()
	listening(ln.Addr().String())
	return func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
		<-done
	}, nil
}
