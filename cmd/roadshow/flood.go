package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// flood measures what a log-in flood does to everyone else: clients
// goroutines, each posing as its own client address (X-Forwarded-For from
// a trusted proxy on 127.0.0.1, so that only the hashing slots and the
// global limit stand in their way), send attempts log-ins each with unknown
// e-mails and wrong passwords, while one signed-in user keeps reading its
// account and its applications. It reports the user's latencies and
// statuses, the flood's answers and the process's peak memory. It runs on
// a fresh embedded store in a temporary directory, on loopback only.
func flood(ctx context.Context, cfg config, clients, attempts int, stdout, stderr io.Writer) error {
	if clients < 1 || clients > 5000 || attempts < 1 || attempts > 100 {
		return fmt.Errorf("flood: want 1..5000 clients and 1..100 attempts each, got %d and %d", clients, attempts)
	}
	progress := func(format string, args ...any) { fmt.Fprintf(stderr, "flood: "+format+"\n", args...) }
	tmp, err := os.MkdirTemp("", "roadshow-flood-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	fcfg := cfg
	fcfg.DataDir, fcfg.MongoURI, fcfg.AdminEmail, fcfg.AdminPassword = tmp, "", "", ""
	fcfg.TrustedProxies = []string{"127.0.0.1"}
	fcfg.SMTP.Host = ""
	log := newLogger(io.Discard, cfg.LogLevel)
	st, err := openStore(ctx, fcfg, log)
	if err != nil {
		return err
	}
	defer st.Close()
	local, err := startLocal(ctx, fcfg, st, log)
	if err != nil {
		return err
	}
	defer local.Close()
	api := local.API
	hc := &http.Client{Timeout: 2 * time.Minute, Transport: &http.Transport{MaxIdleConnsPerHost: clients + 4, MaxConnsPerHost: clients + 4}}
	post := func(path, body, xff string) (int, []byte, error) {
		req, err := http.NewRequestWithContext(ctx, "POST", api+path, strings.NewReader(body))
		if err != nil {
			return 0, nil, err
		}
		req.Header.Set("Content-Type", "application/json")
		if xff != "" {
			req.Header.Set("X-Forwarded-For", xff)
		}
		resp, err := hc.Do(req)
		if err != nil {
			return 0, nil, err
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, b, nil
	}
	progress("signing in the user who keeps working")
	if st, b, err := post("/auth/register", `{"email":"user@flood.roadshow","password":"`+benchPassword+`","name":"Flood User","country":"DE"}`, "192.0.2.1"); err != nil || st != 202 {
		return fmt.Errorf("register: %d %s %v", st, b, err)
	}
	token, err := (&benchClient{base: api, hc: hc}).login(ctx, "user@flood.roadshow")
	if err != nil {
		return err
	}

	progress("%d clients x %d bad log-ins, %d password slots, on %d CPUs", clients, attempts, max(fcfg.PasswordSlots, 0), runtime.NumCPU())
	var floodCounts sync.Map // status -> *int64
	count := func(st int) {
		v, _ := floodCounts.LoadOrStore(st, new(int64))
		atomic.AddInt64(v.(*int64), 1)
	}
	var wg sync.WaitGroup
	begin := make(chan struct{})
	for i := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-begin
			xff := fmt.Sprintf("10.%d.%d.%d", i/65536%256, i/256%256, i%256)
			for j := range attempts {
				st, _, err := post("/auth/login", fmt.Sprintf(`{"email":"nobody%d-%d@flood.roadshow","password":"guess-number-%d"}`, i, j, j), xff)
				if err != nil {
					st = 0
				}
				count(st)
			}
		}()
	}
	done := make(chan struct{})
	var lat []time.Duration
	userStatus := map[int]int{}
	var userWG sync.WaitGroup
	userWG.Add(1)
	go func() {
		defer userWG.Done()
		paths := []string{"/me", "/applications"}
		for k := 0; ; k++ {
			select {
			case <-done:
				return
			default:
			}
			req, _ := http.NewRequestWithContext(ctx, "GET", api+paths[k%2], nil)
			req.Header.Set("Authorization", "Bearer "+token)
			t0 := time.Now()
			resp, err := hc.Do(req)
			st := 0
			if err == nil {
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				st = resp.StatusCode
			}
			lat = append(lat, time.Since(t0))
			userStatus[st]++
			time.Sleep(20 * time.Millisecond) // a person clicking, not a loop
		}
	}()
	t0 := time.Now()
	close(begin)
	wg.Wait()
	elapsed := time.Since(t0)
	close(done)
	userWG.Wait()

	slices.Sort(lat)
	pct := func(p float64) time.Duration {
		if len(lat) == 0 {
			return 0
		}
		return lat[min(len(lat)-1, int(float64(len(lat))*p))].Round(time.Millisecond)
	}
	fmt.Fprintf(stdout, "log-in flood: %d clients x %d attempts (%d log-ins) in %v on %d CPUs (%s/%s, %s)\n",
		clients, attempts, clients*attempts, elapsed.Round(100*time.Millisecond), runtime.NumCPU(), runtime.GOOS, runtime.GOARCH, runtime.Version())
	var sts []int
	floodCounts.Range(func(k, _ any) bool { sts = append(sts, k.(int)); return true })
	slices.Sort(sts)
	fmt.Fprintf(stdout, "  flood answers:")
	for _, s := range sts {
		v, _ := floodCounts.Load(s)
		fmt.Fprintf(stdout, " %d x %d", *v.(*int64), s)
	}
	fmt.Fprintln(stdout)
	fmt.Fprintf(stdout, "  signed-in user meanwhile: %d requests, statuses %v, latency p50 %v, p95 %v, max %v\n",
		len(lat), userStatus, pct(0.50), pct(0.95), pct(1))
	fmt.Fprintf(stdout, "  peak memory of the process (server and clients): %s\n", peakRSS())
	return nil
}

// peakRSS is the process's peak resident set size (VmHWM), or "unknown".
func peakRSS() string {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return "unknown"
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			return strings.TrimSpace(v)
		}
	}
	return "unknown"
}
