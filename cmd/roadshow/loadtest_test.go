package main

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestPercentile(t *testing.T) {
	for _, tc := range []struct {
		name    string
		sorted  []float64
		p       float64
		want    float64
		wantErr error
	}{
		{"ErrNoSamples", nil, 50, 0, errNoSamples},
		{"One", []float64{7}, 95, 7, nil},
		{"P50Odd", []float64{1, 2, 3, 4, 5}, 50, 3, nil},
		{"P50Even", []float64{1, 2, 3, 4}, 50, 2, nil},
		{"P95Of20", []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20}, 95, 19, nil},
		{"P95Of200", seq(200), 95, 190, nil},
		{"P100", []float64{1, 5, 9}, 100, 9, nil},
		{"SmallP", []float64{1, 5, 9}, 1, 1, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := percentile(tc.sorted, tc.p)
			if !errors.Is(err, tc.wantErr) || got != tc.want {
				t.Errorf("percentile(%v, %v): got %v, %v; want %v, %v", tc.sorted, tc.p, got, err, tc.want, tc.wantErr)
			}
		})
	}
	if _, err := percentile([]float64{1}, 0); err == nil {
		t.Error("percentile 0: got no error")
	}
}

func seq(n int) []float64 {
	s := make([]float64, n)
	for i := range s {
		s[i] = float64(i + 1)
	}
	return s
}

func TestParseProcStat(t *testing.T) {
	tail := " S 1 1234 1234 0 -1 4194560 5000 0 0 0 250 75 0 0 20 0 12 0 100 1000000 2000 18446744073709551615\n"
	for _, tc := range []struct {
		name    string
		in      string
		want    uint64
		wantErr bool
	}{
		{"Plain", "1234 (roadshow)" + tail, 325, false},
		{"NameWithSpacesAndParens", "1234 (a) b (c)" + tail, 325, false},
		{"ErrNoName", "1234 roadshow S 1", 0, true},
		{"ErrTruncated", "1234 (roadshow) S 1 1234 1234 0", 0, true},
		{"ErrNotNumbers", "1234 (roadshow) S 1 1234 1234 0 -1 4194560 5000 0 0 0 x y 0", 0, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := parseProcStat([]byte(tc.in))
			if (err != nil) != tc.wantErr || got != tc.want {
				t.Errorf("got %d, %v; want %d, error %v", got, err, tc.want, tc.wantErr)
			}
		})
	}
	// The real file of this process parses.
	b, err := os.ReadFile("/proc/self/stat")
	if err != nil {
		t.Skip("no /proc")
	}
	if _, err := parseProcStat(b); err != nil {
		t.Errorf("/proc/self/stat: %v", err)
	}
	if _, ok := readCPU(os.Getpid()); !ok {
		t.Error("readCPU of this process: not ok")
	}
}

func TestParseStatusKB(t *testing.T) {
	status := "Name:\troadshow\nVmPeak:\t  200000 kB\nVmRSS:\t   51234 kB\nThreads:\t12\nCpus_allowed_list:\t0-1\n"
	for _, tc := range []struct {
		name, in, key string
		want          uint64
		wantErr       bool
	}{
		{"VmRSS", status, "VmRSS", 51234, false},
		{"ErrMissing", "Name:\tx\n", "VmRSS", 0, true},
		{"ErrNoUnit", "VmRSS:\t51234\n", "VmRSS", 0, true},
		{"ErrNotANumber", "VmRSS:\tlots kB\n", "VmRSS", 0, true},
		{"ErrPrefixOnly", "VmRSSx:\t1 kB\n", "VmRSS", 0, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := parseStatusKB([]byte(tc.in), tc.key)
			if (err != nil) != tc.wantErr || got != tc.want {
				t.Errorf("got %d, %v; want %d, error %v", got, err, tc.want, tc.wantErr)
			}
		})
	}
	if got := parseStatusField([]byte(status), "Cpus_allowed_list"); got != "0-1" {
		t.Errorf("Cpus_allowed_list: got %q, want 0-1", got)
	}
	if rss, ok := readRSS(os.Getpid()); !ok || rss == 0 {
		t.Errorf("readRSS of this process: got %d, %v", rss, ok)
	}
}

func TestParseCPUInfo(t *testing.T) {
	in := "processor\t: 0\nvendor_id\t: AuthenticAMD\nmodel name\t: AMD EPYC 7B13\n\nprocessor\t: 1\nmodel name\t: AMD EPYC 7B13\n"
	if n, model := parseCPUInfo([]byte(in)); n != 2 || model != "AMD EPYC 7B13" {
		t.Errorf("got %d, %q; want 2, AMD EPYC 7B13", n, model)
	}
	for _, tc := range []struct {
		name, list string
		cpu        int
		want       bool
	}{
		{"Range", "0-1", 1, true},
		{"NotInRange", "2-3", 1, false},
		{"List", "0,2,4-5", 4, true},
		{"NotInList", "0,2,4-5", 3, false},
		{"Unknown", "", 0, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := cpuListHas(tc.list, tc.cpu); got != tc.want {
				t.Errorf("cpuListHas(%q, %d): got %v, want %v", tc.list, tc.cpu, got, tc.want)
			}
		})
	}
}

func TestParseRTP(t *testing.T) {
	hdr := []byte{0x80, 0xe0, 0x12, 0x34, 0, 0, 0x01, 0x00, 0xaa, 0xbb, 0xcc, 0xdd}
	for _, tc := range []struct {
		name        string
		in          []byte
		wantPayload string
		wantOK      bool
	}{
		{"Plain", cat(hdr, []byte("abc")), "abc", true},
		{"CSRCAndExtension", cat([]byte{0x91}, hdr[1:], []byte{1, 2, 3, 4}, []byte{0xbe, 0xde, 0, 1, 9, 9, 9, 9}, []byte("xy")), "xy", true},
		{"Padding", cat([]byte{0xa0}, hdr[1:], []byte("pay"), []byte{0, 0, 3}), "pay", true},
		{"ErrShort", hdr[:11], "", false},
		{"ErrVersion", cat([]byte{0x40}, hdr[1:], []byte("abc")), "", false},
		{"ErrExtensionTooLong", cat([]byte{0x90}, hdr[1:], []byte{0xbe, 0xde, 0, 9}), "", false},
		{"ErrPaddingTooLong", cat([]byte{0xa0}, hdr[1:], []byte{9}), "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			seq, ts, mark, payload, ok := parseRTP(tc.in)
			if ok != tc.wantOK || string(payload) != tc.wantPayload {
				t.Fatalf("got payload %q, %v; want %q, %v", payload, ok, tc.wantPayload, tc.wantOK)
			}
			if ok && (seq != 0x1234 || ts != 0x100 || !mark) {
				t.Errorf("got seq %#x ts %#x marker %v; want 0x1234 0x100 true", seq, ts, mark)
			}
		})
	}
	allocs := testing.AllocsPerRun(100, func() { _, _, _, _, _ = parseRTP(hdr) })
	if allocs != 0 {
		t.Errorf("parseRTP allocations: got %v, want 0", allocs)
	}
}

func cat(parts ...[]byte) []byte {
	var b []byte
	for _, p := range parts {
		b = append(b, p...)
	}
	return b
}

func TestParseLoadtestFlags(t *testing.T) {
	env := envOf(map[string]string{"ROADSHOW_ADMIN_PASSWORD": "from-the-env"})
	for _, tc := range []struct {
		name    string
		args    []string
		wantErr string
	}{
		{"Defaults", nil, ""},
		{"Remote", []string{"--url", "http://127.0.0.1:8080/", "--pid", "42", "--admin-email", "o@example.com"}, ""},
		{"ErrViewersZero", []string{"--viewers", "0"}, "--viewers"},
		{"ErrViewersNotANumber", []string{"--viewers", "25,many"}, "--viewers"},
		{"ErrRate", []string{"--rate", "0"}, "--rate"},
		{"ErrCodec", []string{"--codec", "av1"}, "--codec"},
		{"ErrWindowTooLong", []string{"--window", "20m"}, "--window"},
		{"ErrURLWithoutOrganizer", []string{"--url", "http://127.0.0.1:8080"}, "--admin-email"},
		{"ErrPIDWithoutURL", []string{"--pid", "42"}, "--pid"},
		{"ErrArgument", []string{"now"}, "unexpected"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o, err := parseLoadtestFlags(newFlagSet(), tc.args, env)
			if tc.wantErr == "" {
				if err != nil {
					t.Fatal(err)
				}
				if len(o.Viewers) == 0 || o.Rate != 20 || o.Window != 20*time.Second || o.AdminPassword != "from-the-env" || strings.HasSuffix(o.URL, "/") {
					t.Errorf("got %+v", o)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("got %v, want an error about %s", err, tc.wantErr)
			}
		})
	}
}

func TestFormatLoadtestTable(t *testing.T) {
	full := loadtestRow{
		Viewers: 200, Joined: 200, CPUMsPerStreamSecond: ptr(2.1234), CPUUsPerPacket: ptr(9.87),
		Sent: 1000, Delivered: 1000, DeliveryPercent: 100, VideoLoss: lossFigure{Expected: 700, Percent: 0}, AudioLoss: lossFigure{Expected: 300},
		JoinToFirstPacket: quantiles{P50: ptr(31.4), P95: ptr(48.6), Samples: 200},
		JoinToKeyframe:    quantiles{P50: ptr(40.2), P95: ptr(95.5), Samples: 200},
		KeyframeRequests:  3, RSSStartMB: ptr(42.04), RSSEndMB: ptr(80.11), RSSPerViewerMB: ptr(0.19035), ToolCPUPercent: 61.4,
	}
	missing := loadtestRow{
		Viewers: 25, Joined: 24, FailedJoins: 1, Sent: 1000, Delivered: 950, DeliveryPercent: 95,
		VideoLoss: lossFigure{Expected: 700, Missing: 7, Percent: 1}, JoinToKeyframe: quantiles{P50: ptr(200.0), P95: ptr(400.0), Samples: 23},
		NoKeyframe: 1, ToolCPUPercent: 5,
	}
	got := formatLoadtestTable([]loadtestRow{full, missing})
	want := "| N | CPU ms / stream-s | CPU us / pkt | delivery % | loss video % | loss audio % | join->1st pkt p50 / p95 ms | join->keyframe p50 / p95 ms | keyframe requests | RSS start / end MB | RSS MB / viewer | tool CPU % | targets missed |\n" +
		"|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n" +
		"| 200 | 2.12 | 9.87 | 100.00 | 0.000 | 0.000 | 31 / 49 | 40 / 96 | 3 | 42.0 / 80.1 | 0.190 | 61 | none |\n" +
		"| 25 (24 joined) | n/a | n/a | 95.00 | 1.000 | 0.000 | n/a / n/a | 200 / 400 (1 none) | 0 | n/a / n/a | n/a | 5 | loss, delivery, keyframe, errors |\n"
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	for _, tc := range []struct {
		name string
		row  loadtestRow
		want string
	}{
		{"CPUJudgedAt200", loadtestRow{Viewers: 200, CPUMsPerStreamSecond: ptr(2.6), JoinToKeyframe: quantiles{P95: ptr(1.0)}}, "cpu"},
		{"CPUNotJudgedBelow200", loadtestRow{Viewers: 100, CPUMsPerStreamSecond: ptr(2.6), JoinToKeyframe: quantiles{P95: ptr(1.0)}}, ""},
		{"RSS", loadtestRow{Viewers: 25, RSSPerViewerMB: ptr(0.31), JoinToKeyframe: quantiles{P95: ptr(1.0)}}, "rss"},
		{"ErrNoKeyframe", loadtestRow{Viewers: 25}, "keyframe"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := strings.Join(missedTargets(tc.row), ", "); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestServerEnv(t *testing.T) {
	parent := []string{"PATH=/bin", "GOMAXPROCS=8", "ROADSHOW_MONGO_URI=mongodb://elsewhere", "ROADSHOW_ADDR=:8080",
		"ROADSHOW_WEBRTC_BATCH=false", "ROADSHOW_TURN_SECRET=s3cret-s3cret-s3cret"}
	set := serverSettings(4242, "/tmp/d", "o@example.com", "pw")
	for _, tc := range []struct {
		name   string
		pinned bool
		want   []string
		absent []string
	}{
		{"Pinned", true, []string{"PATH=/bin", "GOMAXPROCS=1", "ROADSHOW_ADDR=127.0.0.1:4242", "ROADSHOW_DATA_DIR=/tmp/d", "ROADSHOW_WEBRTC_BATCH=false", "ROADSHOW_WEBRTC_LOOPBACK=true"},
			[]string{"GOMAXPROCS=8", "ROADSHOW_MONGO_URI=mongodb://elsewhere", "ROADSHOW_ADDR=:8080"}},
		{"NotPinned", false, []string{"GOMAXPROCS=8", "ROADSHOW_ADDR=127.0.0.1:4242"}, []string{"GOMAXPROCS=1", "ROADSHOW_MONGO_URI=mongodb://elsewhere"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			env := serverEnv(parent, set, tc.pinned)
			for _, w := range tc.want {
				if !slices.Contains(env, w) {
					t.Errorf("%s missing from %v", w, env)
				}
			}
			for _, a := range tc.absent {
				if slices.Contains(env, a) {
					t.Errorf("%s in %v", a, env)
				}
			}
		})
	}
	got := strings.Join(passedSettings(parent, set), " ")
	if want := "ROADSHOW_TURN_SECRET=*** ROADSHOW_WEBRTC_BATCH=false"; got != want {
		t.Errorf("passed settings: got %q, want %q", got, want)
	}
}

func TestLoadtestCommandLine(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"Quoted", []string{"--viewers", "25,50", "--json", "out file.json"}, `roadshow loadtest --viewers 25,50 --json "out file.json"`},
		{"PasswordBlanked", []string{"--admin-password", "hunter2hunter2", "--viewers", "3"}, `roadshow loadtest --admin-password *** --viewers 3`},
		{"PasswordWithEqualsBlanked", []string{"-admin-password=hunter2hunter2"}, `roadshow loadtest -admin-password=***`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := loadtestCommandLine(tc.args); got != tc.want {
				t.Errorf("got %s, want %s", got, tc.want)
			}
		})
	}
}

// The tool end to end against the real server (run, as main_test.go
// starts it): the edition set up through the API, a publisher over WHIP,
// three viewers over WHEP; packets and keyframes arrive, the figures are
// computed, and every resource is deleted. No timing is asserted: figures
// belong in the README.
func TestLoadtestAgainstServer(t *testing.T) {
	const admin = "organizer@loadtest.roadshow"
	srv := MustServe(t, map[string]string{
		"ROADSHOW_DATA_DIR": t.TempDir(), "ROADSHOW_LOG_LEVEL": "warn", "ROADSHOW_WEBRTC_LOOPBACK": "true",
		"ROADSHOW_ADMIN_EMAIL": admin, "ROADSHOW_ADMIN_PASSWORD": loadtestPassword,
	})
	c := &ltClient{base: srv.URL + "/api/v1", hc: &http.Client{Timeout: time.Minute}}
	defer c.hc.CloseIdleConnections()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	ed, err := setupEdition(ctx, c, admin, loadtestPassword)
	if err != nil {
		t.Fatal(err)
	}
	var se loadSession
	if err := c.do(ctx, http.MethodGet, "/sessions/"+ed.SessionID, ed.OrganizerToken, nil, &se, http.StatusOK); err != nil {
		t.Fatal(err)
	}
	if se.State != "live" || se.slotOf(ed.ApplicationID) != se.CurrentSlot {
		t.Fatalf("session: got %+v, want live with application %s in the live slot", se, ed.ApplicationID)
	}

	const n = 3
	tg := loadTarget{
		WHIP: c.base + "/sessions/" + ed.SessionID + "/whip", WHEP: c.base + "/sessions/" + ed.SessionID + "/whep",
		PublisherToken: ed.ApplicantToken, ViewerToken: ed.OrganizerToken, PID: os.Getpid(), Loopback: true,
	}
	var log strings.Builder
	row, err := measure(ctx, tg, measureParams{Viewers: n, Rate: 20, Warmup: 300 * time.Millisecond, Window: time.Second, Bitrate: 1_500_000, Codec: "vp8"},
		func(format string, args ...any) { log.WriteString(strings.TrimSpace(format) + "\n") })
	if err != nil {
		t.Fatalf("measure: %v\n%s\n%s", err, log.String(), srv.Log)
	}
	if b, err := json.Marshal(row); err == nil {
		t.Logf("%s", b)
	}
	if row.Joined != n || row.FailedJoins != 0 {
		t.Errorf("joined %d, failed %d; want %d and 0", row.Joined, row.FailedJoins, n)
	}
	if row.PacketsReceived == 0 || row.VideoLoss.Expected == 0 || row.AudioLoss.Expected == 0 || row.Sent == 0 || row.Delivered == 0 {
		t.Errorf("nothing counted in the window: %+v", row)
	}
	if row.JoinToFirstPacket.Samples != n || row.JoinToKeyframe.Samples != n || row.NoKeyframe != 0 {
		t.Errorf("join figures: first packet %d samples, keyframe %d, none %d; want %d, %d, 0", row.JoinToFirstPacket.Samples, row.JoinToKeyframe.Samples, row.NoKeyframe, n, n)
	}
	if row.CPUMsPerStreamSecond == nil || row.CPUUsPerPacket == nil || row.RSSPerViewerMB == nil {
		t.Errorf("server figures missing with a known process: %+v", row)
	}
	if row.Deleted != n+1 || row.DeleteFailures != 0 {
		t.Errorf("deleted %d, %d failed; want %d and 0", row.Deleted, row.DeleteFailures, n+1)
	}
	if left, err := roomParticipants(ctx, c, ed); err != nil || left != 0 {
		t.Errorf("participants in the room after the run: got %d, %v; want 0", left, err)
	}
	if out := formatLoadtestTable([]loadtestRow{row}); !strings.Contains(out, "| 3 |") {
		t.Errorf("table: %s", out)
	}

	// A refusal comes back in the one error shape.
	_, _, err = postSDP(ctx, c.hc, tg.WHIP, ed.OrganizerToken, "v=0")
	var ae *apiError
	if !errors.As(err, &ae) || ae.Code == "" || ae.Status/100 != 4 {
		t.Errorf("an unusable offer: got %v, want a 4xx in the error shape", err)
	}
}
