package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net"
	"net/http"
	"net/url"
	"os"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/roadshow/roadshow/internal/auth"
	roadshowhttp "github.com/roadshow/roadshow/internal/http"
	"github.com/roadshow/roadshow/roadshow"
	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/bson/primitive"
	"go.mongodb.org/mongo-driver/mongo"
	"go.mongodb.org/mongo-driver/mongo/options"
)

// The shape of a bench run.
const (
	benchClients     = 4                // concurrent clients of the write figures
	benchApplicants  = 10               // applicant accounts the API clients share
	benchReads       = 20               // timed requests per read endpoint and size ...
	benchMinReads    = 5                // ... or fewer, but at least this many,
	benchReadBudget  = 30 * time.Second // once one endpoint has taken this long
	benchDriverReads = 3                // timed driver queries per size (each may take seconds)
	benchBatch       = 1000             // documents per InsertMany of the bulk load
	benchIndustry    = "digital-tech"
	benchPassword    = "roadshow-bench-2026"
	benchMaxSize     = 200_000
	benchMaxSubmits  = 100_000

	// benchAppsCollection is the collection of internal/mongodb's
	// ApplicationStore; the bulk load writes into it directly, and the
	// summary check after Recount proves the name right.
	benchAppsCollection = "applications"
	benchRawCollection  = "bench_raw_inserts"
)

// bench measures, on a fresh store that it removes at the end:
//   - applications created and submitted per second through the HTTP API,
//     against raw driver inserts of the same documents into the same store;
//   - the latency of the organizer's list page and summary at each of sizes.
//
// The embedded store lives in a new temporary directory, never the data
// directory; with ROADSHOW_MONGO_URI it uses a new database there and drops
// it. Everything listens on and talks to loopback only.
func bench(ctx context.Context, cfg config, sizes string, submits int, stdout, stderr io.Writer) error {
	ns, err := parseBenchSizes(sizes)
	if err != nil {
		return err
	}
	if submits < 1 || submits > benchMaxSubmits {
		return fmt.Errorf("--submits: want 1..%d, got %d", benchMaxSubmits, submits)
	}
	progress := func(format string, args ...any) { fmt.Fprintf(stderr, "bench: "+format+"\n", args...) }
	log := newLogger(stderr, cfg.LogLevel)

	tmp, err := os.MkdirTemp("", "roadshow-bench-")
	if err != nil {
		return fmt.Errorf("bench: %w", err)
	}
	defer os.RemoveAll(tmp)
	bcfg := cfg
	bcfg.DataDir = tmp
	bcfg.MongoDB = "roadshow_bench_" + randomHex(6)
	bcfg.Deadline = time.Time{} // a past deadline would refuse every submission
	bcfg.AdminEmail, bcfg.AdminPassword = "", ""

	st, err := openStore(ctx, bcfg, log)
	if err != nil {
		return err
	}
	defer st.Close()
	if st.embedded == nil {
		defer func() {
			dctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			if err := st.db.Database().Drop(dctx); err != nil {
				progress("could not drop database %s: %v", bcfg.MongoDB, err)
			}
		}()
	}

	clock := roadshow.SystemClock{}
	// Every bench client signs in from 127.0.0.1: lift the per-address limits.
	bcfg.limits = benchLimits()
	local, err := startLocal(ctx, bcfg, st, log)
	if err != nil {
		return err
	}
	defer local.Close()
	api := &benchClient{base: local.API, hc: &http.Client{
		Timeout:   2 * time.Minute,
		Transport: &http.Transport{MaxIdleConnsPerHost: benchClients + 1, IdleConnTimeout: time.Minute},
	}}
	defer api.hc.CloseIdleConnections()

	storeName := "external MongoDB (ROADSHOW_MONGO_URI), database " + bcfg.MongoDB + ", dropped at the end"
	if st.embedded != nil {
		storeName = "embedded " + ferretDBVersion() + " (SQLite handler), fresh temporary directory, removed at the end"
	}
	fmt.Fprintf(stdout, "Roadshow benchmark (roadshow bench --sizes %s --submits %d)\n", joinInts(ns), submits)
	fmt.Fprintf(stdout, "  machine  %s/%s, %d CPUs (GOMAXPROCS %d)\n", runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), runtime.GOMAXPROCS(0))
	fmt.Fprintf(stdout, "  go       %s\n", runtime.Version())
	fmt.Fprintf(stdout, "  store    %s\n", storeName)
	fmt.Fprintf(stdout, "  server   the real HTTP API on %s, loopback\n", api.base)

	// Accounts: applicants register and log in through the API; the
	// organizer is created as "roadshow user add" does, then logs in.
	progress("registering %d applicants and an organizer", benchApplicants)
	applicants := make([]benchAccount, benchApplicants)
	for i := range applicants {
		email := fmt.Sprintf("applicant%02d@bench.roadshow", i+1)
		if _, err := api.do(ctx, http.MethodPost, "/auth/register", "", map[string]string{
			"email": email, "password": benchPassword, "name": fmt.Sprintf("Bench Applicant %d", i+1), "country": "DE",
		}, nil); err != nil {
			return err
		}
		token, id, err := api.loginID(ctx, email)
		if err != nil {
			return err
		}
		applicants[i] = benchAccount{id: id, token: token}
	}
	orgEmail := "organizer@bench.roadshow"
	if _, err := users(st.db, clock).AddStaff(ctx, roadshow.NewUser{Email: orgEmail, Password: benchPassword, Name: "Bench Organizer", Role: roadshow.RoleOrganizer}); err != nil {
		return fmt.Errorf("create organizer: %w", err)
	}
	orgToken, err := api.login(ctx, orgEmail)
	if err != nil {
		return err
	}

	// 1. Create + submit through the API.
	progress("creating and submitting %d applications through the API (%d clients)", submits, benchClients)
	apiIDs := make([]string, submits)
	apiRun, err := runConcurrently(ctx, submits, benchClients, func(ctx context.Context, i int) (time.Duration, error) {
		acc := applicants[i%len(applicants)]
		in := benchInput(benchApplication(i, acc.id, clock.Now()))
		var a roadshow.Application
		d1, err := api.do(ctx, http.MethodPost, "/applications", acc.token, in, &a)
		if err != nil {
			return 0, err
		}
		if a.Status != roadshow.StatusDraft || !roadshow.ValidID(a.ID) {
			return 0, fmt.Errorf("POST /applications: got id %q status %q, want a draft", a.ID, a.Status)
		}
		d2, err := api.do(ctx, http.MethodPost, "/applications/"+a.ID+"/submit", acc.token, nil, &a)
		if err != nil {
			return 0, err
		}
		if a.Status != roadshow.StatusSubmitted {
			return 0, fmt.Errorf("POST /applications/%s/submit: got status %q, want submitted", a.ID, a.Status)
		}
		apiIDs[i] = a.ID
		return d1 + d2, nil
	})
	if err != nil {
		return fmt.Errorf("API throughput: %w", err)
	}

	// 2. The same documents, inserted one at a time with the driver into a
	// scratch collection with the same indexes.
	progress("inserting %d documents with the driver (%d clients)", submits, benchClients)
	raw, err := newRawCollection(ctx, st, bcfg.MongoDB)
	if err != nil {
		return err
	}
	rawRun, err := runConcurrently(ctx, submits, benchClients, func(ctx context.Context, i int) (time.Duration, error) {
		now := clock.Now()
		a := benchApplication(i, applicants[i%len(applicants)].id, now)
		a.ID = primitive.NewObjectID().Hex()
		a.Status, a.SubmittedAt = roadshow.StatusSubmitted, &now
		start := time.Now()
		_, err := raw.InsertOne(ctx, a)
		return time.Since(start), err
	})
	if err != nil {
		return fmt.Errorf("driver inserts: %w", err)
	}
	if err := raw.Drop(ctx); err != nil {
		return fmt.Errorf("drop %s: %w", raw.Name(), err)
	}

	fmt.Fprintf(stdout, "\nWrites: %d applications, %d concurrent clients, %d applicant accounts\n", submits, benchClients, benchApplicants)
	fmt.Fprintf(stdout, "  %-48s %7s %9s %9s %9s %9s\n", "what", "count", "elapsed s", "per s", "p50 ms", "p95 ms")
	apiRate, rawRate := apiRun.rate(), rawRun.rate()
	fmt.Fprintf(stdout, "  %-48s %7d %9.2f %9.1f %9.2f %9.2f\n", "API create+submit (POST /applications, /submit)", submits, apiRun.elapsed.Seconds(), apiRate, ms(apiRun.pct(50)), ms(apiRun.pct(95)))
	fmt.Fprintf(stdout, "  %-48s %7d %9.2f %9.1f %9.2f %9.2f\n", "driver InsertOne (same documents)", submits, rawRun.elapsed.Seconds(), rawRate, ms(rawRun.pct(50)), ms(rawRun.pct(95)))
	fmt.Fprintf(stdout, "  ratio API/driver %.3f (one API application costs %.1f driver inserts)\n", apiRate/rawRate, rawRate/apiRate)

	// 3. The organizer's pages at each size.
	fmt.Fprintf(stdout, "\nReads: the organizer over HTTP, one client, %d timed requests after an untimed warm-up (fewer past %s);\n", benchReads, benchReadBudget)
	fmt.Fprintf(stdout, "  the server gives each store call %s. The driver row runs page 1's query directly, without a deadline.\n", roadshowhttp.StoreTimeout)
	fmt.Fprintf(stdout, "  %12s %-66s %3s %6s %9s %9s %9s\n", "applications", "request", "n", "failed", "p50 ms", "p95 ms", "max ms")
	ids := slices.Clone(apiIDs)
	count := submits
	var notes []string
	for _, size := range ns {
		if size < count {
			progress("the store already holds %d applications; measuring at %d instead of %d", count, count, size)
		}
		n := max(size-count, 0)
		progress("loading %d applications (to %d)", n, count+n)
		loaded, insert, err := bulkLoad(ctx, st, count, n, applicants)
		if err != nil {
			return err
		}
		ids = append(ids, loaded...)
		count += n
		start := time.Now()
		if err := st.db.Applications().Recount(ctx); err != nil {
			return err
		}
		recount := time.Since(start)
		start = time.Now()
		if st.embedded != nil {
			if err := st.embedded.EnsureIDIndexes(ctx, bcfg.MongoDB); err != nil {
				return err
			}
		}
		index := time.Since(start)
		fmt.Fprintf(stdout, "  %12d bulk load: %d inserted in %.2f s (InsertMany, %d per batch), Recount %.2f s, EnsureIDIndexes %.2f s\n",
			count, n, insert.Seconds(), benchBatch, recount.Seconds(), index.Seconds())

		progress("timing the organizer's list and summary at %d applications", count)
		// Page 1 ends at the 50th newest id: ids are ObjectIDs in hex, whose
		// order is their creation order.
		slices.Sort(ids)
		cursor := ""
		if count > 50 {
			cursor = ids[count-50]
		}
		filtered := "/applications?industry=" + benchIndustry + "&status=submitted&limit=50"
		endpoints := []struct {
			what, path string
			check      func([]byte) error
		}{
			{"GET /applications?limit=50", "/applications?limit=50", func(b []byte) error {
				return checkPage(b, func(p roadshow.ApplicationPage) bool {
					return len(p.Items) == min(50, count) && p.NextCursor == cursor
				})
			}},
			{"GET " + filtered, filtered, func(b []byte) error {
				return checkPage(b, func(p roadshow.ApplicationPage) bool {
					for _, a := range p.Items {
						if a.Industry != benchIndustry || a.Status != roadshow.StatusSubmitted {
							return false
						}
					}
					return len(p.Items) > 0
				})
			}},
			{"GET /applications?limit=50&cursor=<end of page 1> (page 2)", "/applications?limit=50&cursor=" + url.QueryEscape(cursor), func(b []byte) error {
				return checkPage(b, func(p roadshow.ApplicationPage) bool {
					return len(p.Items) == min(50, count-50) && p.Items[0].ID < cursor
				})
			}},
			{"GET /applications/summary", "/applications/summary", func(b []byte) error {
				var sum roadshow.Summary
				if err := json.Unmarshal(b, &sum); err != nil {
					return err
				}
				if sum.Total != count {
					return fmt.Errorf("summary total %d, want %d: the counters do not match the applications", sum.Total, count)
				}
				return nil
			}},
		}
		// The organizers' screening list (issue 12): search, sort, filter
		// and the total per filter, answered from the in-memory index on
		// the embedded store.
		searchPage := func(want func(p roadshow.ApplicationListPage) bool) func([]byte) error {
			return func(b []byte) error {
				var p roadshow.ApplicationListPage
				if err := json.Unmarshal(b, &p); err != nil {
					return err
				}
				if !want(p) {
					return fmt.Errorf("unexpected page: %d items, total %d", len(p.Items), p.Total)
				}
				return nil
			}
		}
		full := func(p roadshow.ApplicationListPage) bool { return len(p.Items) == min(50, p.Total) && p.Total > 0 }
		// "#77" may match nothing in a small store (its one match a draft).
		some := func(p roadshow.ApplicationListPage) bool { return len(p.Items) == min(50, p.Total) }
		var first roadshow.ApplicationListPage
		if _, err := api.do(ctx, http.MethodGet, "/applications/search?limit=50&sort=title", orgToken, nil, &first); err != nil {
			return err
		}
		for _, e := range []struct {
			what, path string
			want       func(roadshow.ApplicationListPage) bool
		}{
			{"GET /applications/search?limit=50 (no drafts, newest first, total)", "/applications/search?limit=50", full},
			{"GET /applications/search?q=dalian&limit=50 (matches all)", "/applications/search?q=dalian&limit=50", full},
			{"GET /applications/search?q=%2377&limit=50 (matches few)", "/applications/search?q=%2377&limit=50", some},
			{"GET /applications/search?sort=title&status=submitted&limit=50", "/applications/search?sort=title&status=submitted&limit=50", full},
			{"GET /applications/search?sort=title&limit=50&cursor=<page 1> (page 2)", "/applications/search?sort=title&limit=50&cursor=" + url.QueryEscape(first.NextCursor), some},
		} {
			endpoints = append(endpoints, struct {
				what, path string
				check      func([]byte) error
			}{e.what, e.path, searchPage(e.want)})
		}
		for _, e := range endpoints {
			if cursor == "" && strings.Contains(e.path, "cursor=") {
				continue // one page only: there is no second page
			}
			rs, err := timeReads(ctx, benchReads, func(ctx context.Context) (time.Duration, error) {
				d, body, err := api.raw(ctx, http.MethodGet, e.path, orgToken, nil)
				if err == nil {
					err = e.check(body)
					if err != nil {
						err = fmt.Errorf("GET %s: %w", e.path, err)
					}
				}
				return d, err
			})
			if err != nil {
				return err
			}
			fmt.Fprintf(stdout, "  %12d %-66s %3d %6d %9.2f %9.2f %9.2f\n", count, e.what, len(rs.lat), rs.failed, ms(rs.pct(50)), ms(rs.pct(95)), ms(rs.max()))
			if rs.failed > 0 {
				notes = append(notes, fmt.Sprintf("at %d applications, %d of %d requests %s failed: %v", count, rs.failed, len(rs.lat), e.what, rs.firstErr))
			}
		}
		col := st.db.Database().Collection(benchAppsCollection)
		rs, err := timeReads(ctx, benchDriverReads, func(ctx context.Context) (time.Duration, error) {
			ctx, cancel := context.WithTimeout(ctx, 5*time.Minute)
			defer cancel()
			start := time.Now()
			cur, err := col.Find(ctx, bson.D{}, options.Find().SetSort(bson.D{{Key: "_id", Value: -1}}).SetLimit(51))
			if err != nil {
				return 0, fmt.Errorf("driver find: %w", err)
			}
			var docs []bson.Raw
			if err := cur.All(ctx, &docs); err != nil {
				return 0, fmt.Errorf("driver find: %w", err)
			}
			if len(docs) != min(51, count) {
				return 0, fmt.Errorf("driver find: got %d documents, want %d", len(docs), min(51, count))
			}
			return time.Since(start), nil
		})
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "  %12d %-66s %3d %6d %9.2f %9.2f %9.2f\n", count, "driver Find {} sort {_id: -1} limit 51 (page 1's query)", len(rs.lat), rs.failed, ms(rs.pct(50)), ms(rs.pct(95)), ms(rs.max()))
	}
	for _, n := range notes {
		fmt.Fprintf(stdout, "  note: %s\n", n)
	}
	progress("done")
	return nil
}

// parseBenchSizes reads "2000,20000" into distinct sizes, smallest first.
func parseBenchSizes(s string) ([]int, error) {
	var ns []int
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		n, err := strconv.Atoi(f)
		if err != nil || n < 1 || n > benchMaxSize {
			return nil, fmt.Errorf("--sizes: want comma-separated counts between 1 and %d, got %q", benchMaxSize, f)
		}
		ns = append(ns, n)
	}
	if len(ns) == 0 {
		return nil, errors.New("--sizes: give at least one size, e.g. 2000,20000")
	}
	slices.Sort(ns)
	return slices.Compact(ns), nil
}

func joinInts(ns []int) string {
	s := make([]string, len(ns))
	for i, n := range ns {
		s[i] = strconv.Itoa(n)
	}
	return strings.Join(s, ",")
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // never fails (crypto/rand)
	return hex.EncodeToString(b)
}

// ferretDBVersion names the embedded server with the version this binary
// was built with.
func ferretDBVersion() string {
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, d := range bi.Deps {
			if d.Path == "github.com/FerretDB/FerretDB" {
				return "FerretDB " + d.Version
			}
		}
	}
	return "FerretDB"
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// benchAccount is a logged-in account.
type benchAccount struct{ id, token string }

// benchClient calls the API over loopback HTTP.
type benchClient struct {
	base string // ends in /api/v1
	hc   *http.Client
}

// do sends body as JSON and decodes a 2xx answer into out. It returns the
// time from sending the request to having read the whole answer.
func (c *benchClient) do(ctx context.Context, method, path, token string, body, out any) (time.Duration, error) {
	d, data, err := c.raw(ctx, method, path, token, body)
	if err != nil {
		return 0, err
	}
	if out != nil {
		if err := json.Unmarshal(data, out); err != nil {
			return 0, fmt.Errorf("%s %s: decode answer: %w", method, path, err)
		}
	}
	return d, nil
}

func (c *benchClient) raw(ctx context.Context, method, path, token string, body any) (time.Duration, []byte, error) {
	var r io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return 0, nil, err
		}
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, r)
	if err != nil {
		return 0, nil, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	start := time.Now()
	resp, err := c.hc.Do(req)
	if err != nil {
		return 0, nil, fmt.Errorf("%s %s: %w", method, path, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	d := time.Since(start)
	if err != nil {
		return 0, nil, fmt.Errorf("%s %s: read answer: %w", method, path, err)
	}
	if resp.StatusCode/100 != 2 {
		if len(data) > 300 {
			data = data[:300]
		}
		return d, nil, &benchStatusError{what: method + " " + path, status: resp.Status, body: string(data)}
	}
	return d, data, nil
}

// benchStatusError is an answer other than 2xx.
type benchStatusError struct{ what, status, body string }

func (e *benchStatusError) Error() string { return e.what + ": " + e.status + ": " + e.body }

// checkPage decodes a list page and checks it with ok.
func checkPage(b []byte, ok func(roadshow.ApplicationPage) bool) error {
	var p roadshow.ApplicationPage
	if err := json.Unmarshal(b, &p); err != nil {
		return err
	}
	if !ok(p) {
		return fmt.Errorf("unexpected page: %d items, nextCursor %q", len(p.Items), p.NextCursor)
	}
	return nil
}

func (c *benchClient) login(ctx context.Context, email string) (string, error) {
	token, _, err := c.loginID(ctx, email)
	return token, err
}

// loginID logs in and returns the token and the account's id.
func (c *benchClient) loginID(ctx context.Context, email string) (string, string, error) {
	var out struct {
		Token string `json:"token"`
		User  struct {
			ID string `json:"id"`
		} `json:"user"`
	}
	if _, err := c.do(ctx, http.MethodPost, "/auth/login", "", map[string]string{"email": email, "password": benchPassword}, &out); err != nil {
		return "", "", err
	}
	if out.Token == "" {
		return "", "", fmt.Errorf("log in %s: no token", email)
	}
	return out.Token, out.User.ID, nil
}

// benchLimits are rate limits no bench run meets: its clients all come
// from one address.
func benchLimits() roadshowhttp.Limits {
	lots := roadshowhttp.RateLimit{Burst: 1 << 20, Every: time.Millisecond}
	return roadshowhttp.Limits{LoginClient: lots, LoginAccount: lots, LoginGlobal: lots, SignUpClient: lots, MailAddress: lots}
}

// benchStats is a run's wall time and the latency of each of its operations.
type benchStats struct {
	elapsed time.Duration
	lat     []time.Duration // sorted
}

func (s benchStats) rate() float64 { return float64(len(s.lat)) / s.elapsed.Seconds() }

// pct returns the p-th percentile by nearest rank.
func (s benchStats) pct(p float64) time.Duration {
	if len(s.lat) == 0 {
		return 0
	}
	i := int(math.Ceil(p/100*float64(len(s.lat)))) - 1
	return s.lat[min(max(i, 0), len(s.lat)-1)]
}

func (s benchStats) max() time.Duration {
	if len(s.lat) == 0 {
		return 0
	}
	return s.lat[len(s.lat)-1]
}

// runConcurrently runs op for i in [0, n) on the given number of goroutines
// and returns the wall time and the latencies op reports. The first error
// stops the run.
func runConcurrently(ctx context.Context, n, clients int, op func(ctx context.Context, i int) (time.Duration, error)) (benchStats, error) {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	lat := make([]time.Duration, n)
	var next atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	for range min(clients, n) {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= n || ctx.Err() != nil {
					return
				}
				d, err := op(ctx, i)
				if err != nil {
					cancel(err)
					return
				}
				lat[i] = d
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	if err := context.Cause(ctx); err != nil {
		return benchStats{}, err
	}
	slices.Sort(lat)
	return benchStats{elapsed: elapsed, lat: lat}, nil
}

// readStats are the figures of timeReads.
type readStats struct {
	benchStats
	failed   int   // requests answered with a status other than 2xx
	firstErr error // the first of those
}

// timeReads runs op once untimed, then up to n timed times, but stops after
// benchMinReads once benchReadBudget has passed. Answers other than 2xx
// count as failed (their time is kept: it is what the user waited); any
// other error stops the run.
func timeReads(ctx context.Context, n int, op func(context.Context) (time.Duration, error)) (readStats, error) {
	var rs readStats
	start := time.Now()
	for i := 0; i <= n; i++ {
		if i > benchMinReads && time.Since(start) > benchReadBudget {
			break
		}
		d, err := op(ctx)
		var se *benchStatusError
		switch {
		case errors.As(err, &se):
			if i > 0 {
				rs.failed++
				if rs.firstErr == nil {
					rs.firstErr = err
				}
			}
		case err != nil:
			return rs, err
		}
		if i > 0 { // the first one warms up
			rs.lat = append(rs.lat, d)
		}
	}
	rs.elapsed = time.Since(start)
	slices.Sort(rs.lat)
	return rs, nil
}

// newRawCollection creates the scratch collection of the driver figure with
// the indexes of the applications collection, so that an insert costs the
// same index work.
func newRawCollection(ctx context.Context, st *store, database string) (*mongo.Collection, error) {
	db := st.db.Database()
	if err := db.CreateCollection(ctx, benchRawCollection); err != nil {
		return nil, fmt.Errorf("create %s: %w", benchRawCollection, err)
	}
	raw := db.Collection(benchRawCollection)
	specs, err := db.Collection(benchAppsCollection).Indexes().ListSpecifications(ctx)
	if err != nil {
		return nil, fmt.Errorf("list indexes of %s: %w", benchAppsCollection, err)
	}
	for _, s := range specs {
		if s.Name == "_id_" {
			continue
		}
		opts := options.Index().SetName(s.Name)
		if s.Unique != nil && *s.Unique {
			opts.SetUnique(true)
		}
		if _, err := raw.Indexes().CreateOne(ctx, mongo.IndexModel{Keys: s.KeysDocument, Options: opts}); err != nil {
			return nil, fmt.Errorf("create index %s on %s: %w", s.Name, benchRawCollection, err)
		}
	}
	if st.embedded != nil {
		if err := st.embedded.EnsureIDIndexes(ctx, database); err != nil {
			return nil, err
		}
	}
	return raw, nil
}

// bulkLoad inserts n applications into the applications collection with
// InsertMany, bypassing the counters (the caller recounts), and returns
// their ids and the time it took.
func bulkLoad(ctx context.Context, st *store, from, n int, owners []benchAccount) ([]string, time.Duration, error) {
	col := st.db.Database().Collection(benchAppsCollection)
	ids := make([]string, 0, n)
	start := time.Now()
	created := time.Now().Add(-time.Duration(n) * time.Minute)
	for done := 0; done < n; {
		batch := make([]any, 0, min(benchBatch, n-done))
		for len(batch) < cap(batch) {
			i := from + done + len(batch)
			at := created.Add(time.Duration(done+len(batch)) * time.Minute)
			a := benchApplication(i, owners[i%len(owners)].id, at)
			a.ID = primitive.NewObjectID().Hex()
			ids = append(ids, a.ID)
			a.Status = benchStatus(i)
			if a.Status != roadshow.StatusDraft {
				t := at.Add(time.Hour)
				a.SubmittedAt = &t
			}
			if a.Status == roadshow.StatusEligible || a.Status == roadshow.StatusIneligible {
				a.Screening = &roadshow.Screening{Decision: a.Status, Note: "Screened by the benchmark.", By: "bench", At: at.Add(2 * time.Hour)}
			}
			batch = append(batch, a)
		}
		if _, err := col.InsertMany(ctx, batch); err != nil {
			return nil, 0, fmt.Errorf("bulk load: %w", err)
		}
		done += len(batch)
	}
	return ids, time.Since(start), nil
}

// benchStatus spreads the loaded applications over the statuses as a real
// edition would: most submitted or screened, some drafts, a few withdrawn.
func benchStatus(i int) roadshow.Status {
	switch r := (i * 37) % 100; {
	case r < 15:
		return roadshow.StatusDraft
	case r < 45:
		return roadshow.StatusSubmitted
	case r < 80:
		return roadshow.StatusEligible
	case r < 93:
		return roadshow.StatusIneligible
	default:
		return roadshow.StatusWithdrawn
	}
}

// benchApplication returns the i-th application of the benchmark as a draft:
// complete enough to submit, about 1 KB stored, spread over the nine
// industries and the demo's team bases.
func benchApplication(i int, owner string, now time.Time) *roadshow.Application {
	bases, ideas, inds := demoBases(), demoIdeas(), roadshow.Industries()
	b := bases[i%len(bases)]
	ind := inds[i%len(inds)]
	idea := ideas[ind.Code][(i/len(inds))%len(ideas[ind.Code])]
	founder := b.first[i%len(b.first)] + " " + b.last[(i/2)%len(b.last)]
	cto := b.first[(i+1)%len(b.first)] + " " + b.last[(i/3+1)%len(b.last)]
	return &roadshow.Application{
		OwnerID:  owner,
		Title:    fmt.Sprintf("%s #%d", idea[0], i+1),
		Summary:  fmt.Sprintf("%s builds %s. Founded in %s; %d pilot customers; seeking partners in the Dalian high-tech zone's %s cluster and a first reference customer among the zone's enterprises.", founder, idea[1], b.country, 1+i%12, ind.NameEN),
		Industry: ind.Code,
		Stage:    roadshow.Stages()[i%len(roadshow.Stages())],
		Country:  b.country,
		Timezone: b.timezone,
		Team: []roadshow.TeamMember{
			{Name: founder, Role: "CEO and co-founder", Nationality: b.country, Bio: "Previously led product at a listed " + ind.NameEN + " company; 10 years in the field."},
			{Name: cto, Role: "CTO", Nationality: b.country, Bio: "PhD; built the core technology and leads a team of eight engineers."},
		},
		FundingAsk:  &roadshow.Money{Amount: int64(100_000 * (1 + i%50)), Currency: []string{"USD", "EUR", "CNY", "GBP", "JPY", "SGD"}[i%6]},
		LandingPlan: "Register a subsidiary in the zone within six months, hire a local team of 5-10, run a pilot with a zone enterprise, and set up R&D with a Dalian university.",
		Website:     fmt.Sprintf("https://team%05d.example.com", i+1),
		Status:      roadshow.StatusDraft,
		CreatedAt:   now,
		UpdatedAt:   now,
	}
}

// benchInput is what an applicant sends to create a.
func benchInput(a *roadshow.Application) roadshow.ApplicationInput {
	return roadshow.ApplicationInput{
		Title: &a.Title, Summary: &a.Summary, Industry: &a.Industry, Stage: &a.Stage,
		Country: &a.Country, Timezone: &a.Timezone, Team: &a.Team, FundingAsk: a.FundingAsk,
		LandingPlan: &a.LandingPlan, Website: &a.Website,
	}
}

// localServer is the whole server on a loopback port over st, with a fresh
// signing key, for the measuring subcommands (bench, flood).
type localServer struct {
	API   string // http://127.0.0.1:PORT/api/v1
	close func()
}

// Close stops the server, the outbox's sender and the relay.
func (l *localServer) Close() { l.close() }

func startLocal(ctx context.Context, cfg config, st *store, log *slog.Logger) (*localServer, error) {
	clock := roadshow.SystemClock{}
	tokens, err := auth.NewTokens([]byte(randomHex(32)), cfg.TokenTTL, clock)
	if err != nil {
		return nil, err
	}
	lv, err := startLive(ctx, cfg.Live, []byte(randomHex(32)), log)
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		lv.Close()
		return nil, fmt.Errorf("listen: %w", err)
	}
	srv, outbox, err := newHTTPServer(cfg, st, tokens, clock, log, lv, baseURL(ln.Addr()), nil)
	if err != nil {
		ln.Close()
		lv.Close()
		return nil, err
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	return &localServer{API: baseURL(ln.Addr()) + "/api/v1", close: func() {
		sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = srv.Shutdown(sctx)
		<-errc
		outbox.Close()
		lv.Close()
	}}, nil
}
