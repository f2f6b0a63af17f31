package main

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/binary"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"runtime"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/pion/ice/v2"
	"github.com/pion/interceptor"
	"github.com/pion/interceptor/pkg/nack"
	"github.com/pion/interceptor/pkg/report"
	"github.com/pion/rtp"
	"github.com/pion/transport/v2"
	"github.com/pion/transport/v2/stdnet"
	"github.com/pion/webrtc/v3"
	"github.com/roadshow/roadshow/internal/synthmedia"
)

// The shape and limits of a load test.
const (
	loadtestMaxViewers   = 900 // a room holds 1,000 participants
	loadtestMaxRingPkts  = 60_000
	loadtestRepairWait   = 1500 * time.Millisecond // after the publisher stops: NACKs every 100 ms
	loadtestJoinTimeout  = 20 * time.Second
	loadtestReadyTimeout = 90 * time.Second
	loadtestMediaTimeout = 15 * time.Second // publisher connected and heard by the server
	loadtestHTTPTimeout  = 30 * time.Second
	loadtestStopTimeout  = 20 * time.Second
	loadtestCleanupConc  = 16 // concurrent DELETEs and closes
	loadtestPassword     = "roadshow-loadtest-2026"
	loadtestMTU          = 1200 // pion's packetizer payload size

	// loadtestMinDelivery is the delivery below which a run counts as
	// losing packets: the window's edges are not the same instant at the
	// publisher and at the viewers, and a server that queues 100 ms more
	// at the end than at the start of a 20 s window delivers 99.5 % by
	// its end.
	loadtestMinDelivery = 99.5

	// loadtestToolBound is the tool's CPU (% of one core) from which its
	// own queueing may show in the figures.
	loadtestToolBound = 90
)

// loadtestTargets are issue 7's targets for this machine kind.
var loadtestTargets = struct {
	CPUMsPerStreamSecond float64 `json:"serverCpuMsPerStreamSecond"`
	CPUAtViewers         int     `json:"cpuTargetAtViewers"`
	LossPercent          float64 `json:"lossPercent"`
	KeyframeP95Ms        float64 `json:"joinToKeyframeP95Ms"`
	RSSPerViewerMB       float64 `json:"rssGrowthPerViewerMB"`
}{2.5, 200, 0, 150, 0.3}

// loadtestOptions is the command line of roadshow loadtest.
type loadtestOptions struct {
	Viewers   []int
	Rate      float64 // joins per second
	Window    time.Duration
	Warmup    time.Duration
	Bitrate   int
	Codec     string // vp8 or h264
	ServerCPU int    // the core the spawned server is pinned to; -1: not pinned
	JSON      string
	Profile   string // the tool's own CPU profile

	// A server already running, instead of spawning one per run.
	URL           string
	PID           int
	AdminEmail    string
	AdminPassword string

	Args []string // as given, for the report
}

// parseLoadtestFlags reads the command line of roadshow loadtest; the
// password may come from ROADSHOW_ADMIN_PASSWORD instead.
func parseLoadtestFlags(fs *flag.FlagSet, args []string, getenv func(string) string) (loadtestOptions, error) {
	o := loadtestOptions{Args: args}
	viewers := fs.String("viewers", "25,50,100,200", "numbers of WHEP viewers, one run each")
	fs.Float64Var(&o.Rate, "rate", 20, "viewer joins per second")
	fs.DurationVar(&o.Window, "window", 20*time.Second, "the steady window measured once every viewer joined")
	fs.DurationVar(&o.Warmup, "warmup", 3*time.Second, "wait after the last join before the window")
	fs.IntVar(&o.Bitrate, "bitrate", 1_500_000, "bits per second of the synthetic video")
	fs.StringVar(&o.Codec, "codec", "vp8", "video codec of the publisher: vp8 or h264")
	fs.IntVar(&o.ServerCPU, "server-cpu", 0, "core the spawned server is pinned to (taskset -c, GOMAXPROCS=1); -1: not pinned")
	fs.StringVar(&o.JSON, "json", "", "also write the figures as JSON to this file")
	fs.StringVar(&o.Profile, "cpuprofile", "", "write this tool's CPU profile (pprof) to this file, to see what the viewers cost")
	fs.StringVar(&o.URL, "url", "", "measure a server already running at this address (e.g. http://127.0.0.1:8080) instead of spawning one")
	fs.IntVar(&o.PID, "pid", 0, "with --url: the server's process id, for its CPU time and memory (0: not measured)")
	fs.StringVar(&o.AdminEmail, "admin-email", getenv("ROADSHOW_ADMIN_EMAIL"), "with --url: an organizer's e-mail (ROADSHOW_ADMIN_EMAIL)")
	fs.StringVar(&o.AdminPassword, "admin-password", "", "with --url: that organizer's password (or ROADSHOW_ADMIN_PASSWORD)")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("loadtest: unexpected argument %q", fs.Arg(0))
	}
	if o.AdminPassword == "" {
		o.AdminPassword = getenv("ROADSHOW_ADMIN_PASSWORD")
	}
	var err error
	if o.Viewers, err = parseViewers(*viewers); err != nil {
		return o, err
	}
	o.Codec = strings.ToLower(o.Codec)
	switch {
	case o.Rate <= 0 || o.Rate > 1000:
		return o, fmt.Errorf("--rate: want joins per second in (0, 1000], got %v", o.Rate)
	case o.Window < time.Second:
		return o, fmt.Errorf("--window: want at least 1s, got %s", o.Window)
	case o.Warmup < 0 || o.Warmup > time.Minute:
		return o, fmt.Errorf("--warmup: want 0s to 1m, got %s", o.Warmup)
	case o.Bitrate < 50_000 || o.Bitrate > 20_000_000:
		return o, fmt.Errorf("--bitrate: want 50000 to 20000000 bits per second, got %d", o.Bitrate)
	case o.Codec != "vp8" && o.Codec != "h264":
		return o, fmt.Errorf("--codec: want vp8 or h264, got %q", o.Codec)
	case o.ServerCPU < -1:
		return o, fmt.Errorf("--server-cpu: want a core number or -1, got %d", o.ServerCPU)
	case o.URL != "" && (o.AdminEmail == "" || o.AdminPassword == ""):
		return o, errors.New("--url needs an organizer: --admin-email and --admin-password (or ROADSHOW_ADMIN_PASSWORD)")
	case o.URL == "" && o.PID != 0:
		return o, errors.New("--pid goes with --url; a spawned server is measured anyway")
	}
	if o.URL != "" {
		if u, err := url.Parse(o.URL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return o, fmt.Errorf("--url: want an http(s) address such as http://127.0.0.1:8080, got %q", o.URL)
		}
		o.URL = strings.TrimRight(o.URL, "/")
	}
	// Frames remembers 65,536 sequence numbers per stream: the window must
	// fit, with room for the joins before it.
	if pkts := o.Window.Seconds() * videoPacketRate(o.Bitrate); pkts > loadtestMaxRingPkts {
		return o, fmt.Errorf("--window: %s of video at %d bit/s is %.0f packets per stream, more than the %d a receiver counts; shorten the window", o.Window, o.Bitrate, pkts, loadtestMaxRingPkts)
	}
	return o, nil
}

// parseViewers reads "25,50,100,200".
func parseViewers(s string) ([]int, error) {
	var ns []int
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		n, err := strconv.Atoi(f)
		if err != nil || n < 1 || n > loadtestMaxViewers {
			return nil, fmt.Errorf("--viewers: want comma-separated counts between 1 and %d, got %q", loadtestMaxViewers, f)
		}
		ns = append(ns, n)
	}
	if len(ns) == 0 {
		return nil, errors.New("--viewers: give at least one count, e.g. 25,50,100,200")
	}
	return ns, nil
}

// videoPacketRate estimates the video packets per second at a bitrate: the
// frames split into packets of loadtestMTU bytes, the last one partial.
func videoPacketRate(bitrate int) float64 {
	perFrame := math.Ceil(float64(bitrate) / 8 / synthmedia.FPS / loadtestMTU)
	return max(perFrame, 1) * synthmedia.FPS
}

// loadtest runs one measurement per viewer count and prints the table.
func loadtest(ctx context.Context, o loadtestOptions, stdout, stderr io.Writer) error {
	progress := func(format string, args ...any) { fmt.Fprintf(stderr, "loadtest: "+format+"\n", args...) }
	rep := loadtestReport{Command: loadtestCommandLine(o.Args), Machine: readMachine(), Targets: loadtestTargets}
	rep.Codec, rep.Bitrate = o.Codec, o.Bitrate
	if o.URL == "" {
		rep.Server = serverCommand(o.ServerCPU)
		if extra := passedSettings(os.Environ(), serverSettings(0, "", "", "")); len(extra) > 0 {
			rep.Server += "; inherited: " + strings.Join(extra, " ")
		}
		if o.ServerCPU >= 0 && cpuListHas(rep.Machine.ToolCPUs, o.ServerCPU) {
			progress("warning: this tool may run on the server's core %d (allowed: %s); run it as: taskset -c %s roadshow loadtest ...", o.ServerCPU, rep.Machine.ToolCPUs, otherCPUs(rep.Machine.CPUs, o.ServerCPU))
		}
	} else {
		rep.Server = "already running at " + o.URL
		if o.PID > 0 {
			rep.Server += fmt.Sprintf(", pid %d", o.PID)
		}
	}
	if o.Profile != "" {
		f, err := os.Create(o.Profile)
		if err != nil {
			return fmt.Errorf("loadtest: %w", err)
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return fmt.Errorf("loadtest: %w", err)
		}
		defer pprof.StopCPUProfile()
	}
	for _, n := range o.Viewers {
		row, err := loadtestRun(ctx, o, n, progress)
		if err != nil {
			return fmt.Errorf("loadtest with %d viewers: %w", n, err)
		}
		rep.Rows = append(rep.Rows, row)
	}
	writeLoadtestReport(stdout, &rep)
	if o.JSON != "" {
		b, err := json.MarshalIndent(&rep, "", "  ")
		if err != nil {
			return err
		}
		if err := os.WriteFile(o.JSON, append(b, '\n'), 0o644); err != nil {
			return fmt.Errorf("loadtest: %w", err)
		}
	}
	return nil
}

// loadtestRun measures one viewer count on a fresh session: on a server
// already running (--url), or on a server of its own.
func loadtestRun(ctx context.Context, o loadtestOptions, n int, progress func(string, ...any)) (loadtestRow, error) {
	if o.URL != "" {
		api := &ltClient{base: o.URL + "/api/v1", hc: &http.Client{Timeout: loadtestHTTPTimeout}}
		defer api.hc.CloseIdleConnections()
		ed, err := setupEdition(ctx, api, o.AdminEmail, o.AdminPassword)
		if err != nil {
			return loadtestRow{}, err
		}
		return loadtestEdition(ctx, o, n, api, ed, o.PID, progress)
	}
	dir, err := os.MkdirTemp("", "roadshow-loadtest-")
	if err != nil {
		return loadtestRow{}, fmt.Errorf("loadtest: %w", err)
	}
	defer os.RemoveAll(dir)
	email, password := "organizer-"+randomHex(4)+"@loadtest.roadshow", loadtestPassword
	// The edition is set up on one server process and measured on a second
	// one over the same data: the first one's password hashing leaves tens
	// of MB that the Go runtime gives back to the system only much later,
	// which would hide the viewers' memory.
	srv, err := startServer(ctx, o.ServerCPU, dir, email, password)
	if err != nil {
		return loadtestRow{}, err
	}
	api := &ltClient{base: srv.base + "/api/v1", hc: &http.Client{Timeout: loadtestHTTPTimeout}}
	ed, err := setupEdition(ctx, api, email, password)
	api.hc.CloseIdleConnections()
	if stopErr := srv.stop(); err == nil && stopErr != nil {
		err = fmt.Errorf("stopping the server after the set-up: %w", stopErr)
	}
	if err != nil {
		return loadtestRow{}, err
	}
	if srv, err = startServer(ctx, o.ServerCPU, dir, email, password); err != nil {
		return loadtestRow{}, err
	}
	defer func() {
		if err := srv.stop(); err != nil {
			progress("N=%d: stopping the server: %v", n, err)
		}
	}()
	progress("N=%d: server pid %d at %s", n, srv.pid, srv.base)
	api = &ltClient{base: srv.base + "/api/v1", hc: &http.Client{Timeout: loadtestHTTPTimeout}}
	defer api.hc.CloseIdleConnections()
	return loadtestEdition(ctx, o, n, api, ed, srv.pid, progress)
}

// loadtestEdition measures n viewers on the live session ed of the server
// api calls, then ends the session.
func loadtestEdition(ctx context.Context, o loadtestOptions, n int, api *ltClient, ed *loadEdition, pid int, progress func(string, ...any)) (loadtestRow, error) {
	defer func() {
		ectx, cancel := context.WithTimeout(context.Background(), loadtestHTTPTimeout)
		defer cancel()
		if err := api.do(ectx, http.MethodPost, "/sessions/"+ed.SessionID+"/end", ed.OrganizerToken, nil, nil, http.StatusOK); err != nil {
			progress("N=%d: ending session %s: %v", n, ed.SessionID, err)
		}
	}()
	tg := loadTarget{
		WHIP: api.base + "/sessions/" + ed.SessionID + "/whip", WHEP: api.base + "/sessions/" + ed.SessionID + "/whep",
		PublisherToken: ed.ApplicantToken, ViewerToken: ed.OrganizerToken, PID: pid, Loopback: isLoopbackURL(api.base),
	}
	p := measureParams{Viewers: n, Rate: o.Rate, Warmup: o.Warmup, Window: o.Window, Bitrate: o.Bitrate, Codec: o.Codec}
	row, err := measure(ctx, tg, p, func(format string, args ...any) { progress(fmt.Sprintf("N=%d: ", n)+format, args...) })
	if err != nil {
		return row, err
	}
	// Every resource was deleted: the room is empty as its moderator
	// sees it.
	if row.LeftInRoom, err = roomParticipants(ctx, api, ed); err != nil {
		return row, err
	}
	return row, nil
}

// roomParticipants counts who is in the session's live room, as an
// organizer sees it.
func roomParticipants(ctx context.Context, c *ltClient, ed *loadEdition) (int, error) {
	var out struct {
		Room struct {
			Participants []json.RawMessage `json:"participants"`
			Viewers      int               `json:"viewers"`
		} `json:"room"`
	}
	if err := c.do(ctx, http.MethodGet, "/sessions/"+ed.SessionID+"/live/room", ed.OrganizerToken, nil, &out, http.StatusOK); err != nil {
		return 0, err
	}
	return len(out.Room.Participants) + out.Room.Viewers, nil
}

// The measurement core: one publisher over WHIP, N viewers over WHEP.

// loadTarget is where measure publishes and watches.
type loadTarget struct {
	WHIP, WHEP     string // endpoint URLs
	PublisherToken string // may publish on the stage (the live team)
	ViewerToken    string // may watch; opens every WHEP connection
	PID            int    // the server process, for /proc; 0: not measured
	Loopback       bool   // the server is on this machine: loopback candidates only
}

// measureParams is the shape of one run.
type measureParams struct {
	Viewers        int
	Rate           float64
	Warmup, Window time.Duration
	Bitrate        int
	Codec          string
}

// measure publishes, joins the viewers, measures the steady window and
// cleans up: every WHEP and WHIP resource is deleted before it returns,
// even when it fails.
func measure(ctx context.Context, tg loadTarget, p measureParams, progress func(string, ...any)) (row loadtestRow, err error) {
	row.Viewers = p.Viewers
	hc := &http.Client{Timeout: loadtestJoinTimeout, Transport: &http.Transport{MaxIdleConnsPerHost: 64, IdleConnTimeout: time.Minute}}
	defer hc.CloseIdleConnections()

	pubAPI, sent, err := newPublisherAPI(tg.Loopback)
	if err != nil {
		return row, err
	}
	recvAPI, err := newReceiverAPI(tg.Loopback)
	if err != nil {
		return row, err
	}
	cert, err := newCertificate()
	if err != nil {
		return row, err
	}

	mime := webrtc.MimeTypeVP8
	if p.Codec == "h264" {
		mime = webrtc.MimeTypeH264
	}
	pub, err := newLoadPublisher(pubAPI, sent, mime, p.Bitrate)
	if err != nil {
		return row, err
	}
	receivers := make([]*loadReceiver, 0, p.Viewers)
	defer func() {
		// Whatever happened: every resource deleted, every connection
		// closed, every goroutine of ours gone.
		deleted, failed := cleanupReceivers(hc, tg.ViewerToken, receivers)
		row.Deleted += deleted
		row.DeleteFailures += failed
		if pub.location != "" {
			if err := deleteResource(hc, pub.location, tg.PublisherToken); err != nil {
				row.DeleteFailures++
				progress("DELETE %s: %v", pub.location, err)
			} else {
				row.Deleted++
			}
		}
		pub.close()
	}()
	progress("publishing %s at %d bit/s and Opus over WHIP", mime, p.Bitrate)
	if err := pub.publish(ctx, hc, tg); err != nil {
		return row, err
	}

	rssStart, rssOK := readRSS(tg.PID)
	kfBefore := pub.video.Requests.Load()
	row.KeyframeRequestsAtPublish = kfBefore

	progress("joining %d viewers at %g per second", p.Viewers, p.Rate)
	var wg sync.WaitGroup
	interval := time.Duration(float64(time.Second) / p.Rate)
	joinStart, toolJoin0 := time.Now(), toolCPU()
	tick := time.NewTicker(interval)
	for i := 0; i < p.Viewers; i++ {
		if i > 0 {
			select {
			case <-tick.C:
			case <-ctx.Done():
			}
		}
		if ctx.Err() != nil {
			break
		}
		r := &loadReceiver{}
		receivers = append(receivers, r)
		wg.Add(1)
		go func() {
			defer wg.Done()
			jctx, cancel := context.WithTimeout(ctx, loadtestJoinTimeout)
			defer cancel()
			r.join(jctx, recvAPI, cert, hc, tg)
		}()
	}
	tick.Stop()
	wg.Wait()
	joinWall, toolJoin := time.Since(joinStart), toolCPU()-toolJoin0
	row.ToolCPUJoinPercent = percentOf(toolJoin, joinWall)
	if err := ctx.Err(); err != nil {
		return row, err
	}
	var joinErr error
	for _, r := range receivers {
		if r.err != nil {
			row.FailedJoins++
			joinErr = r.err
		} else {
			row.Joined++
		}
	}
	progress("%d joined in %.1f s, %d failed", row.Joined, joinWall.Seconds(), row.FailedJoins)
	if row.Joined == 0 {
		return row, fmt.Errorf("no viewer could join: %w", joinErr)
	}
	if joinErr != nil {
		progress("a join failed: %v", joinErr)
	}

	if err := sleepCtx(ctx, p.Warmup); err != nil {
		return row, err
	}
	progress("measuring a %s window", p.Window)
	m0 := markWindow(tg.PID, pub, receivers)
	if err := sleepCtx(ctx, p.Window); err != nil {
		return row, err
	}
	m1 := markWindow(tg.PID, pub, receivers)
	rssEnd, rssEndOK := readRSS(tg.PID)
	row.KeyframeRequests = pub.video.Requests.Load() - kfBefore
	row.KeyframesSent = pub.video.Keyframes.Load()

	// Repairs of the window's last losses still come after the publisher
	// stops.
	pub.stopMedia()
	if err := sleepCtx(ctx, loadtestRepairWait); err != nil {
		return row, err
	}
	progress("deleting %d WHEP resources and the WHIP one", row.Joined)
	deleted, failed := cleanupReceivers(hc, tg.ViewerToken, receivers)
	row.Deleted, row.DeleteFailures = deleted, failed
	receivers = nil // cleaned up; the deferred cleanup skips them

	computeWindow(&row, m0, m1)
	if rssOK && rssEndOK {
		row.RSSStartMB, row.RSSEndMB = ptr(mb(rssStart)), ptr(mb(rssEnd))
		row.RSSPerViewerMB = ptr((mb(rssEnd) - mb(rssStart)) / float64(row.Joined))
	}
	return row, nil
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// windowMark is what is counted at one edge of the steady window.
type windowMark struct {
	at        time.Time
	serverCPU time.Duration
	serverOK  bool
	toolCPU   time.Duration
	sent      [2]uint64 // packets the publisher sent: video, audio
	receivers []*loadReceiver
	highest   [][2]uint64 // per receiver: the highest extended sequence number, video and audio
	packets   uint64      // packets received by every receiver, repairs included
}

func markWindow(pid int, pub *loadPublisher, rs []*loadReceiver) windowMark {
	m := windowMark{receivers: rs, highest: make([][2]uint64, len(rs))}
	for i, r := range rs {
		for k, t := range r.tracks() {
			m.highest[i][k] = t.highest.Load()
			m.packets += t.packets.Load()
		}
	}
	m.sent = [2]uint64{pub.sent.video.Load(), pub.sent.audio.Load()}
	m.serverCPU, m.serverOK = readCPU(pid)
	m.toolCPU = toolCPU()
	m.at = time.Now()
	return m
}

// computeWindow turns the two marks and what the receivers got into the
// figures of a row. The receivers' readers have ended.
func computeWindow(row *loadtestRow, m0, m1 windowMark) {
	wall := m1.at.Sub(m0.at)
	row.WindowSeconds = wall.Seconds()
	row.StreamSeconds = float64(row.Joined) * wall.Seconds()
	row.PacketsReceived = m1.packets - m0.packets
	row.ToolCPUPercent = percentOf(m1.toolCPU-m0.toolCPU, wall)
	if m0.serverOK && m1.serverOK {
		cpu := m1.serverCPU - m0.serverCPU
		row.ServerCPUMs = ptr(float64(cpu) / 1e6)
		row.ServerCPUPercent = ptr(percentOf(cpu, wall))
		if row.StreamSeconds > 0 {
			row.CPUMsPerStreamSecond = ptr(float64(cpu) / 1e6 / row.StreamSeconds)
		}
		if row.PacketsReceived > 0 {
			row.CPUUsPerPacket = ptr(float64(cpu) / 1e3 / float64(row.PacketsReceived))
		}
	}
	var delivered uint64
	losses := [2]*lossFigure{&row.VideoLoss, &row.AudioLoss}
	var toPacket, toKeyframe, toAnswer []float64
	for i, r := range m0.receivers {
		if r.err != nil {
			continue // never joined
		}
		for k, t := range r.tracks() {
			if t.frames == nil {
				continue
			}
			h0, h1 := m0.highest[i][k], m1.highest[i][k]
			if h1 == 0 {
				continue // nothing arrived by the window's end: not delivered
			}
			if h0 == 0 {
				h0 = t.frames.First() - 1 // the stream began inside the window
			}
			missing, ok := t.frames.MissingIn(h0, h1)
			if !ok {
				row.Notes = appendOnce(row.Notes, "a stream's window was not countable (too many packets)")
				continue
			}
			expected := int(h1 - h0)
			losses[k].Expected += expected
			losses[k].Missing += missing
			delivered += uint64(expected - missing)
		}
		toAnswer = append(toAnswer, ms(r.answerAt.Sub(r.joinAt)))
		if first := r.firstPacket(); !first.IsZero() {
			toPacket = append(toPacket, ms(first.Sub(r.joinAt)))
		}
		if kf := r.firstKeyframe(); !kf.IsZero() {
			toKeyframe = append(toKeyframe, ms(kf.Sub(r.joinAt)))
		} else {
			row.NoKeyframe++
		}
	}
	for _, l := range losses {
		if l.Expected > 0 {
			l.Percent = 100 * float64(l.Missing) / float64(l.Expected)
		}
	}
	row.Delivered = delivered
	row.Sent = uint64(row.Joined) * ((m1.sent[0] - m0.sent[0]) + (m1.sent[1] - m0.sent[1]))
	if row.Sent > 0 {
		row.DeliveryPercent = 100 * float64(row.Delivered) / float64(row.Sent)
	}
	row.JoinToAnswer = quantilesOf(toAnswer)
	row.JoinToFirstPacket = quantilesOf(toPacket)
	row.JoinToKeyframe = quantilesOf(toKeyframe)
}

func appendOnce(notes []string, s string) []string {
	if slices.Contains(notes, s) {
		return notes
	}
	return append(notes, s)
}

func percentOf(d, wall time.Duration) float64 {
	if wall <= 0 {
		return 0
	}
	return 100 * float64(d) / float64(wall)
}

func ptr[T any](v T) *T { return &v }

// mb is bytes in MB (10^6 bytes).
func mb(b uint64) float64 { return float64(b) / 1e6 }

// The publisher.

// loadPublisher publishes synthetic video and Opus over WHIP: a keyframe
// first, then only when the server asks.
type loadPublisher struct {
	api      *webrtc.API
	sent     *sentCounter
	pc       *webrtc.PeerConnection
	video    *synthmedia.Video
	audio    *synthmedia.Audio
	location string

	cancel context.CancelFunc // stops the media
	media  sync.WaitGroup     // the media goroutines
	rtcp   sync.WaitGroup     // the RTCP readers; end with the connection
	once   sync.Once
}

func newLoadPublisher(api *webrtc.API, sent *sentCounter, mime string, bitrate int) (*loadPublisher, error) {
	v, err := synthmedia.NewVideo(mime, "camera", "loadtest", bitrate)
	if err != nil {
		return nil, err
	}
	a, err := synthmedia.NewAudio("microphone", "loadtest")
	if err != nil {
		return nil, err
	}
	return &loadPublisher{api: api, sent: sent, video: v, audio: a, cancel: func() {}}, nil
}

// publish offers, waits until the connection is up, starts the media and
// waits until the server reports receiving it.
func (p *loadPublisher) publish(ctx context.Context, hc *http.Client, tg loadTarget) error {
	pc, err := p.api.NewPeerConnection(webrtc.Configuration{})
	if err != nil {
		return fmt.Errorf("publisher: %w", err)
	}
	p.pc = pc
	connected := make(chan struct{})
	var once sync.Once
	pc.OnConnectionStateChange(func(s webrtc.PeerConnectionState) {
		if s == webrtc.PeerConnectionStateConnected {
			once.Do(func() { close(connected) })
		}
	})
	var senders [2]*webrtc.RTPSender
	for i, t := range []webrtc.TrackLocal{p.video.Track(), p.audio.Track()} {
		tr, err := pc.AddTransceiverFromTrack(t, webrtc.RTPTransceiverInit{Direction: webrtc.RTPTransceiverDirectionSendonly})
		if err != nil {
			return fmt.Errorf("publisher: %w", err)
		}
		senders[i] = tr.Sender()
	}
	// pion retransmits and reports only when each sender's RTCP is read.
	p.rtcp.Add(2)
	go func() { defer p.rtcp.Done(); p.video.ReadRTCP(senders[0]) }()
	go func() { defer p.rtcp.Done(); drainRTCP(senders[1].Read) }()
	offer, err := gatheredOffer(ctx, pc)
	if err != nil {
		return fmt.Errorf("publisher: %w", err)
	}
	answer, loc, err := postSDP(ctx, hc, tg.WHIP, tg.PublisherToken, offer)
	if err != nil {
		return err
	}
	p.location = loc
	if err := pc.SetRemoteDescription(webrtc.SessionDescription{Type: webrtc.SDPTypeAnswer, SDP: answer}); err != nil {
		return fmt.Errorf("publisher: the WHIP answer: %w", err)
	}
	wait, cancel := context.WithTimeout(ctx, loadtestMediaTimeout)
	defer cancel()
	select {
	case <-connected:
	case <-wait.Done():
		return errors.New("publisher: not connected to the server within " + loadtestMediaTimeout.String())
	}
	mctx, stop := context.WithCancel(context.Background())
	p.cancel = stop
	p.media.Add(2)
	go func() { defer p.media.Done(); p.video.Run(mctx) }()
	go func() { defer p.media.Done(); p.audio.Run(mctx) }()
	// The server's first receiver report: it gets the packets.
	for p.video.Reports.Load() == 0 {
		if err := sleepCtx(wait, 20*time.Millisecond); err != nil {
			return errors.New("publisher: the server reported no reception within " + loadtestMediaTimeout.String())
		}
	}
	return nil
}

func (p *loadPublisher) stopMedia() {
	p.cancel()
	p.media.Wait()
}

// close stops everything and waits for the goroutines.
func (p *loadPublisher) close() {
	p.once.Do(func() {
		p.stopMedia()
		if p.pc != nil {
			_ = p.pc.Close()
		}
		p.rtcp.Wait()
	})
}

// sentCounter counts the RTP packets a peer connection sends per kind,
// retransmissions excluded (it sits outside the NACK responder).
type sentCounter struct {
	interceptor.NoOp
	video, audio atomic.Uint64
}

func (c *sentCounter) NewInterceptor(string) (interceptor.Interceptor, error) { return c, nil }

func (c *sentCounter) BindLocalStream(info *interceptor.StreamInfo, w interceptor.RTPWriter) interceptor.RTPWriter {
	n := &c.audio
	if strings.HasPrefix(strings.ToLower(info.MimeType), "video/") {
		n = &c.video
	}
	return interceptor.RTPWriterFunc(func(h *rtp.Header, payload []byte, a interceptor.Attributes) (int, error) {
		k, err := w.Write(h, payload, a)
		if err == nil {
			n.Add(1)
		}
		return k, err
	})
}

// newPublisherAPI is a browser-like stack: default codecs and interceptors.
func newPublisherAPI(loopback bool) (*webrtc.API, *sentCounter, error) {
	m := &webrtc.MediaEngine{}
	if err := m.RegisterDefaultCodecs(); err != nil {
		return nil, nil, err
	}
	ir := &interceptor.Registry{}
	if err := webrtc.RegisterDefaultInterceptors(m, ir); err != nil {
		return nil, nil, err
	}
	sent := &sentCounter{}
	ir.Add(sent) // registered last: outermost, it sees what the track writes
	return webrtc.NewAPI(webrtc.WithMediaEngine(m), webrtc.WithInterceptorRegistry(ir), webrtc.WithSettingEngine(loadSettings(loopback))), sent, nil
}

// The viewers.

// newReceiverAPI is the viewers' stack: a NACK generator and receiver
// reports only, so that no viewer ever asks for a keyframe.
func newReceiverAPI(loopback bool) (*webrtc.API, error) {
	m := &webrtc.MediaEngine{}
	if err := m.RegisterDefaultCodecs(); err != nil {
		return nil, err
	}
	ir := &interceptor.Registry{}
	ir.Add(&attributesReuser{}) // first: innermost, under the others
	gen, err := nack.NewGeneratorInterceptor()
	if err != nil {
		return nil, err
	}
	ir.Add(gen)
	rr, err := report.NewReceiverInterceptor()
	if err != nil {
		return nil, err
	}
	ir.Add(rr)
	return webrtc.NewAPI(webrtc.WithMediaEngine(m), webrtc.WithInterceptorRegistry(ir), webrtc.WithSettingEngine(loadSettings(loopback))), nil
}

// loadSettings: IPv4 UDP host candidates without mDNS, loopback included
// (only loopback when the server is on this machine).
func loadSettings(loopback bool) webrtc.SettingEngine {
	var s webrtc.SettingEngine
	if n, err := stdnet.NewNet(); err == nil {
		s.SetNet(roomyNet{n})
	}
	s.SetIncludeLoopbackCandidate(true)
	s.SetICEMulticastDNSMode(ice.MulticastDNSModeDisabled)
	s.SetNetworkTypes([]webrtc.NetworkType{webrtc.NetworkTypeUDP4})
	if loopback {
		s.SetIPFilter(func(ip net.IP) bool { return ip.IsLoopback() })
	}
	return s
}

// roomyNet gives every viewer's socket a receive buffer of 1 MB: with 200
// viewers on one core, the tool must not lose at its own sockets what the
// server delivered (the kernel's default is about 200 KB).
type roomyNet struct{ transport.Net }

func (n roomyNet) ListenUDP(network string, laddr *net.UDPAddr) (transport.UDPConn, error) {
	c, err := n.Net.ListenUDP(network, laddr)
	if err == nil {
		_ = c.SetReadBuffer(1 << 20)
	}
	return c, err
}

// attributesReuser gives each received stream one attribute map, cleared
// for every packet, where pion's NACK generator would make a new map per
// packet.
type attributesReuser struct{ interceptor.NoOp }

func (*attributesReuser) NewInterceptor(string) (interceptor.Interceptor, error) {
	return &attributesReuser{}, nil
}

func (*attributesReuser) BindRemoteStream(_ *interceptor.StreamInfo, r interceptor.RTPReader) interceptor.RTPReader {
	attrs := interceptor.Attributes{}
	return interceptor.RTPReaderFunc(func(b []byte, a interceptor.Attributes) (int, interceptor.Attributes, error) {
		n, got, err := r.Read(b, a)
		if err != nil || got != nil {
			return n, got, err
		}
		clear(attrs)
		return n, attrs, nil
	})
}

// newCertificate is the one DTLS certificate every viewer shares: making
// one per connection costs a key generation each.
func newCertificate() (webrtc.Certificate, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return webrtc.Certificate{}, err
	}
	c, err := webrtc.GenerateCertificate(key)
	if err != nil {
		return webrtc.Certificate{}, err
	}
	return *c, nil
}

// loadReceiver is one WHEP viewer.
type loadReceiver struct {
	pc       *webrtc.PeerConnection
	location string
	joinAt   time.Time // the WHEP POST was sent
	answerAt time.Time // its answer was read
	err      error

	video, audio trackReader

	mu      sync.Mutex
	closed  bool
	readers sync.WaitGroup
}

func (r *loadReceiver) tracks() [2]*trackReader { return [2]*trackReader{&r.video, &r.audio} }

// join offers to receive video and audio and posts the offer.
func (r *loadReceiver) join(ctx context.Context, api *webrtc.API, cert webrtc.Certificate, hc *http.Client, tg loadTarget) {
	pc, err := api.NewPeerConnection(webrtc.Configuration{Certificates: []webrtc.Certificate{cert}})
	if err != nil {
		r.err = err
		return
	}
	r.pc = pc
	for _, k := range []webrtc.RTPCodecType{webrtc.RTPCodecTypeVideo, webrtc.RTPCodecTypeAudio} {
		if _, err := pc.AddTransceiverFromKind(k, webrtc.RTPTransceiverInit{Direction: webrtc.RTPTransceiverDirectionRecvonly}); err != nil {
			r.err = err
			return
		}
	}
	pc.OnTrack(r.onTrack)
	offer, err := gatheredOffer(ctx, pc)
	if err != nil {
		r.err = err
		return
	}
	r.joinAt = time.Now()
	answer, loc, err := postSDP(ctx, hc, tg.WHEP, tg.ViewerToken, offer)
	r.answerAt = time.Now()
	if err != nil {
		r.err = err
		return
	}
	r.location = loc
	if err := pc.SetRemoteDescription(webrtc.SessionDescription{Type: webrtc.SDPTypeAnswer, SDP: answer}); err != nil {
		r.err = fmt.Errorf("the WHEP answer: %w", err)
	}
}

// onTrack reads a track until the connection closes; pion calls it on a
// goroutine of its own.
func (r *loadReceiver) onTrack(track *webrtc.TrackRemote, recv *webrtc.RTPReceiver) {
	t := &r.audio
	if track.Kind() == webrtc.RTPCodecTypeVideo {
		t = &r.video
	}
	r.mu.Lock()
	if r.closed || t.frames != nil {
		r.mu.Unlock()
		return
	}
	t.frames = synthmedia.NewFrames(track.Codec().MimeType)
	r.readers.Add(2)
	r.mu.Unlock()
	go func() { defer r.readers.Done(); drainRTCP(recv.Read) }()
	defer r.readers.Done()
	t.read(track)
}

// close closes the connection and waits for the readers.
func (r *loadReceiver) close() {
	r.mu.Lock()
	r.closed = true
	r.mu.Unlock()
	if r.pc != nil {
		_ = r.pc.Close()
	}
	r.readers.Wait()
}

func (r *loadReceiver) firstPacket() time.Time {
	a, v := r.audio.firstAt, r.video.firstAt
	if a.IsZero() || !v.IsZero() && v.Before(a) {
		return v
	}
	return a
}

func (r *loadReceiver) firstKeyframe() time.Time {
	if r.video.frames == nil {
		return time.Time{}
	}
	return r.video.frames.FirstKeyframe
}

// trackReader is what one viewer receives on one track. Its reader
// goroutine owns frames and firstAt; others read the atomics.
type trackReader struct {
	frames  *synthmedia.Frames
	firstAt time.Time
	highest atomic.Uint64 // frames.Highest()
	packets atomic.Uint64
}

// read reads packets into one reused buffer until the track ends.
func (t *trackReader) read(track *webrtc.TrackRemote) {
	buf := make([]byte, 1500)
	pt := uint8(track.PayloadType())
	video := track.Kind() == webrtc.RTPCodecTypeVideo
	for {
		n, _, err := track.Read(buf)
		if err != nil {
			return
		}
		seq, ts, mark, payload, ok := parseRTP(buf[:n])
		if !ok {
			continue
		}
		if p := buf[1] & 0x7f; p != pt {
			pt = p // the stage switched codecs
			t.frames.SetMime(track.Codec().MimeType)
		}
		// The clock is read only while a first is still to come.
		var now time.Time
		if t.firstAt.IsZero() || video && t.frames.FirstKeyframe.IsZero() {
			now = time.Now()
			if t.firstAt.IsZero() {
				t.firstAt = now
			}
		}
		t.frames.AddPacket(seq, ts, mark, payload, now)
		t.highest.Store(t.frames.Highest())
		t.packets.Add(1)
	}
}

// parseRTP reads what Frames needs from an RTP packet (RFC 3550 §5.1):
// the payload without CSRCs, header extension and padding.
func parseRTP(b []byte) (seq uint16, ts uint32, marker bool, payload []byte, ok bool) {
	if len(b) < 12 || b[0]>>6 != 2 {
		return 0, 0, false, nil, false
	}
	off := 12 + 4*int(b[0]&0x0f)
	if b[0]&0x10 != 0 {
		if len(b) < off+4 {
			return 0, 0, false, nil, false
		}
		off += 4 + 4*int(binary.BigEndian.Uint16(b[off+2:]))
	}
	end := len(b)
	if off > end {
		return 0, 0, false, nil, false
	}
	if b[0]&0x20 != 0 {
		pad := int(b[end-1])
		if pad == 0 || pad > end-off {
			return 0, 0, false, nil, false
		}
		end -= pad
	}
	return binary.BigEndian.Uint16(b[2:]), binary.BigEndian.Uint32(b[4:]), b[1]&0x80 != 0, b[off:end], true
}

// drainRTCP reads RTCP until the connection closes: pion's interceptors
// see it only when it is read.
func drainRTCP(read func([]byte) (int, interceptor.Attributes, error)) {
	buf := make([]byte, 1500)
	for {
		if _, _, err := read(buf); err != nil {
			return
		}
	}
}

// cleanupReceivers deletes every viewer's WHEP resource, then closes the
// connections and waits for their readers.
func cleanupReceivers(hc *http.Client, token string, rs []*loadReceiver) (deleted, failed int) {
	var mu sync.Mutex
	sem := make(chan struct{}, loadtestCleanupConc)
	var wg sync.WaitGroup
	for _, r := range rs {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			if r.location != "" {
				err := deleteResource(hc, r.location, token)
				mu.Lock()
				if err != nil {
					failed++
				} else {
					deleted++
				}
				mu.Unlock()
			}
			r.close()
		}()
	}
	wg.Wait()
	return deleted, failed
}

// WHIP and WHEP over HTTP.

// gatheredOffer makes pc's offer with every candidate in it: the tool does
// not trickle.
func gatheredOffer(ctx context.Context, pc *webrtc.PeerConnection) (string, error) {
	offer, err := pc.CreateOffer(nil)
	if err != nil {
		return "", err
	}
	gathered := webrtc.GatheringCompletePromise(pc)
	if err := pc.SetLocalDescription(offer); err != nil {
		return "", err
	}
	select {
	case <-gathered:
	case <-ctx.Done():
		return "", fmt.Errorf("gather candidates: %w", ctx.Err())
	}
	return pc.LocalDescription().SDP, nil
}

// postSDP posts an offer to a WHIP or WHEP endpoint and returns the answer
// and the resource's absolute URL (RFC 9725: 201 Created with Location).
func postSDP(ctx context.Context, hc *http.Client, endpoint, token, offer string) (answer, location string, err error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, strings.NewReader(offer))
	if err != nil {
		return "", "", err
	}
	req.Header.Set("Content-Type", "application/sdp")
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := hc.Do(req)
	if err != nil {
		return "", "", err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return "", "", fmt.Errorf("POST %s: %w", endpoint, err)
	}
	if resp.StatusCode != http.StatusCreated {
		return "", "", newAPIError(http.MethodPost, endpoint, resp.StatusCode, body)
	}
	loc := resp.Header.Get("Location")
	if loc == "" {
		return "", "", fmt.Errorf("POST %s: 201 without a Location", endpoint)
	}
	u, err := resp.Request.URL.Parse(loc)
	if err != nil {
		return "", "", fmt.Errorf("POST %s: Location %q: %w", endpoint, loc, err)
	}
	return string(body), u.String(), nil
}

// deleteResource ends a WHIP or WHEP resource.
func deleteResource(hc *http.Client, location, token string) error {
	ctx, cancel := context.WithTimeout(context.Background(), loadtestHTTPTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodDelete, location, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode/100 != 2 {
		return newAPIError(http.MethodDelete, location, resp.StatusCode, body)
	}
	return nil
}

// apiError is a refusal in the project's one error shape.
type apiError struct {
	Method, URL string
	Status      int
	Code, Key   string
	Message     string
}

func newAPIError(method, u string, status int, body []byte) *apiError {
	e := &apiError{Method: method, URL: u, Status: status}
	var shape struct {
		Error struct {
			Code    string `json:"code"`
			Key     string `json:"key"`
			Message string `json:"message"`
		} `json:"error"`
	}
	if json.Unmarshal(body, &shape) == nil && shape.Error.Code != "" {
		e.Code, e.Key, e.Message = shape.Error.Code, shape.Error.Key, shape.Error.Message
	} else {
		e.Message = strings.TrimSpace(string(body[:min(len(body), 200)]))
	}
	return e
}

func (e *apiError) Error() string {
	return fmt.Sprintf("%s %s: %d %s %s: %s", e.Method, e.URL, e.Status, e.Code, e.Key, e.Message)
}

// The edition: an applicant whose team presents, an organizer who watches.

// ltClient calls the JSON API.
type ltClient struct {
	base string // ends in /api/v1
	hc   *http.Client
}

// do sends in as JSON and decodes the answer into out; any status but want
// is an error.
func (c *ltClient) do(ctx context.Context, method, path, token string, in, out any, want int) error {
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return err
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, body)
	if err != nil {
		return err
	}
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 8<<20))
	if err != nil {
		return fmt.Errorf("%s %s: %w", method, path, err)
	}
	if resp.StatusCode != want {
		return newAPIError(method, path, resp.StatusCode, b)
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			return fmt.Errorf("%s %s: decode answer: %w", method, path, err)
		}
	}
	return nil
}

func (c *ltClient) login(ctx context.Context, email, password string) (string, error) {
	var out struct {
		Token string `json:"token"`
	}
	if err := c.do(ctx, http.MethodPost, "/auth/login", "", map[string]string{"email": email, "password": password}, &out, http.StatusOK); err != nil {
		return "", err
	}
	if out.Token == "" {
		return "", errors.New("POST /auth/login: no token")
	}
	return out.Token, nil
}

// loadEdition is a live session whose live slot is the applicant's team.
type loadEdition struct {
	SessionID      string
	ApplicationID  string
	ApplicantToken string
	OrganizerToken string
}

// setupEdition registers an applicant, submits an application, screens it
// eligible, plans a session with it and starts the session; when the
// planner put other teams first (a server with data), it moves on to this
// team's slot.
func setupEdition(ctx context.Context, c *ltClient, adminEmail, adminPassword string) (*loadEdition, error) {
	org, err := c.login(ctx, adminEmail, adminPassword)
	if err != nil {
		return nil, fmt.Errorf("organizer login: %w", err)
	}
	email := "team-" + randomHex(6) + "@loadtest.roadshow"
	if err := c.do(ctx, http.MethodPost, "/auth/register", "", map[string]string{
		"email": email, "password": loadtestPassword, "name": "Load Test Team", "country": "DE",
	}, nil, http.StatusAccepted); err != nil {
		return nil, err
	}
	team, err := c.login(ctx, email, loadtestPassword)
	if err != nil {
		return nil, err
	}
	var app struct {
		ID string `json:"id"`
	}
	if err := c.do(ctx, http.MethodPost, "/applications", team, map[string]any{
		"title": "Load test pitch", "summary": "Synthetic video and audio for the relay's load test.",
		"industry": "digital-tech", "stage": "prototype", "country": "DE", "timezone": "Asia/Shanghai",
		"team":        []map[string]string{{"name": "Lena Last", "role": "CEO", "nationality": "DE", "bio": "Sends synthetic frames."}},
		"fundingAsk":  map[string]any{"amount": 500000, "currency": "EUR"},
		"landingPlan": "None: this is a load test.",
	}, &app, http.StatusCreated); err != nil {
		return nil, err
	}
	if err := c.do(ctx, http.MethodPost, "/applications/"+app.ID+"/submit", team, nil, nil, http.StatusOK); err != nil {
		return nil, err
	}
	if err := c.do(ctx, http.MethodPatch, "/applications/"+app.ID+"/screening", org, map[string]string{"decision": "eligible", "note": "load test"}, nil, http.StatusOK); err != nil {
		return nil, err
	}
	var plan struct {
		Sessions []loadSession `json:"sessions"`
	}
	if err := c.do(ctx, http.MethodPost, "/sessions/plan", org, map[string]any{
		"firstStart": loadtestFirstStart(time.Now()), "industries": []string{"digital-tech"},
	}, &plan, http.StatusCreated); err != nil {
		return nil, err
	}
	var se *loadSession
	for i := range plan.Sessions {
		if plan.Sessions[i].slotOf(app.ID) >= 0 {
			se = &plan.Sessions[i]
		}
	}
	if se == nil {
		return nil, fmt.Errorf("POST /sessions/plan: application %s was not planned", app.ID)
	}
	slot := se.slotOf(app.ID)
	var live loadSession
	if err := c.do(ctx, http.MethodPost, "/sessions/"+se.ID+"/start", org, nil, &live, http.StatusOK); err != nil {
		return nil, err
	}
	for live.CurrentSlot < slot {
		if err := c.do(ctx, http.MethodPost, "/sessions/"+se.ID+"/next", org, nil, &live, http.StatusOK); err != nil {
			return nil, err
		}
	}
	if live.State != "live" {
		return nil, fmt.Errorf("POST /sessions/%s/start: state %q, want live", se.ID, live.State)
	}
	return &loadEdition{SessionID: se.ID, ApplicationID: app.ID, ApplicantToken: team, OrganizerToken: org}, nil
}

// loadSession is what the tool reads of a session.
type loadSession struct {
	ID          string `json:"id"`
	State       string `json:"state"`
	CurrentSlot int    `json:"currentSlot"`
	Slots       []struct {
		ApplicationID string `json:"applicationId"`
	} `json:"slots"`
}

func (s *loadSession) slotOf(appID string) int {
	for i, sl := range s.Slots {
		if sl.ApplicationID == appID {
			return i
		}
	}
	return -1
}

// loadtestFirstStart is tomorrow 10:00 in Dalian (+08:00).
func loadtestFirstStart(now time.Time) string {
	cst := time.FixedZone("+08:00", 8*3600)
	d := now.In(cst).AddDate(0, 0, 1)
	return time.Date(d.Year(), d.Month(), d.Day(), 10, 0, 0, 0, cst).Format(time.RFC3339)
}

// The server process.

// serverProc is a roadshow serve started for one run.
type serverProc struct {
	cmd    *exec.Cmd
	base   string
	pid    int
	out    *tailBuffer
	exited chan struct{}
	err    error // set when exited is closed
}

// serverSettings are the settings the tool gives a server it spawns.
func serverSettings(port int, dir, adminEmail, adminPassword string) map[string]string {
	return map[string]string{
		"ROADSHOW_ADDR":            "127.0.0.1:" + strconv.Itoa(port),
		"ROADSHOW_DATA_DIR":        dir,
		"ROADSHOW_ADMIN_EMAIL":     adminEmail,
		"ROADSHOW_ADMIN_PASSWORD":  adminPassword,
		"ROADSHOW_WEBRTC_LOOPBACK": "true",
		// The viewers are on this machine: one address, as a server on one
		// public interface has.
		"ROADSHOW_WEBRTC_LISTEN_IP": "127.0.0.1",
		"ROADSHOW_LOG_LEVEL":        "warn",
	}
}

// serverCommand describes how a server is started, for the report.
func serverCommand(cpu int) string {
	cmd := "roadshow serve"
	if cpu >= 0 {
		cmd = fmt.Sprintf("GOMAXPROCS=1 taskset -c %d roadshow serve", cpu)
	}
	return "a new `" + cmd + "` per run with ROADSHOW_ADDR=127.0.0.1:<free port>, ROADSHOW_DATA_DIR=<new temp dir>, " +
		"ROADSHOW_WEBRTC_LOOPBACK=true, ROADSHOW_WEBRTC_LISTEN_IP=127.0.0.1, ROADSHOW_LOG_LEVEL=warn and a generated first organizer; the edition is set up " +
		"through the API on a first process, then measured on a second one over the same data"
}

// startServer starts this binary's serve on a free loopback port with the
// data directory dir, pinned to cpu unless it is -1, and waits until it
// answers.
func startServer(ctx context.Context, cpu int, dir, adminEmail, adminPassword string) (*serverProc, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("find this program: %w", err)
	}
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	name, args := exe, []string{"serve"}
	if cpu >= 0 {
		ts, err := exec.LookPath("taskset")
		if err != nil {
			return nil, errors.New("taskset (util-linux) is needed to pin the server; install it or pass --server-cpu -1")
		}
		name, args = ts, []string{"-c", strconv.Itoa(cpu), exe, "serve"}
	}
	s := &serverProc{base: "http://" + net.JoinHostPort("127.0.0.1", strconv.Itoa(port)), out: &tailBuffer{max: 32 << 10}, exited: make(chan struct{})}
	s.cmd = exec.Command(name, args...)
	s.cmd.Env = serverEnv(os.Environ(), serverSettings(port, dir, adminEmail, adminPassword), cpu >= 0)
	s.cmd.Stdout, s.cmd.Stderr = s.out, s.out
	if err := s.cmd.Start(); err != nil {
		return nil, fmt.Errorf("start the server: %w", err)
	}
	s.pid = s.cmd.Process.Pid // taskset execs the server: the same process
	go func() {
		s.err = s.cmd.Wait()
		close(s.exited)
	}()
	if err := s.waitReady(ctx); err != nil {
		_ = s.stop()
		return nil, err
	}
	return s, nil
}

// serverEnv is the parent's environment with set in place of the same
// keys, without an external store (each run's store is new) and, when
// pinned, with GOMAXPROCS=1. Other ROADSHOW_* settings pass through, e.g.
// ROADSHOW_WEBRTC_BATCH to compare relay variants.
func serverEnv(parent []string, set map[string]string, pinned bool) []string {
	var env []string
	for _, kv := range parent {
		k, _, _ := strings.Cut(kv, "=")
		if _, ok := set[k]; ok || serverEnvDropped(k) || pinned && k == "GOMAXPROCS" {
			continue
		}
		env = append(env, kv)
	}
	if pinned {
		env = append(env, "GOMAXPROCS=1")
	}
	keys := make([]string, 0, len(set))
	for k := range set {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		env = append(env, k+"="+set[k])
	}
	return env
}

// serverEnvDropped: settings of the parent that a spawned server must not
// see, because the tool sets up its own store and organizer.
func serverEnvDropped(k string) bool {
	switch k {
	case "ROADSHOW_MONGO_URI", "ROADSHOW_MONGO_DB", "ROADSHOW_JWT_SECRET", "ROADSHOW_DEADLINE":
		return true
	}
	return false
}

// passedSettings lists the parent's ROADSHOW_* settings a spawned server
// inherits, for the report; secrets by name only.
func passedSettings(parent []string, set map[string]string) []string {
	var out []string
	for _, kv := range parent {
		k, v, _ := strings.Cut(kv, "=")
		if _, ok := set[k]; ok || !strings.HasPrefix(k, "ROADSHOW_") || serverEnvDropped(k) {
			continue
		}
		if strings.Contains(k, "SECRET") || strings.Contains(k, "PASSWORD") {
			v = "***"
		}
		out = append(out, k+"="+v)
	}
	slices.Sort(out)
	return out
}

// waitReady polls GET /api/v1/industries until it answers 200.
func (s *serverProc) waitReady(ctx context.Context) error {
	hc := &http.Client{Timeout: 2 * time.Second}
	defer hc.CloseIdleConnections()
	deadline := time.Now().Add(loadtestReadyTimeout)
	for {
		resp, err := hc.Get(s.base + "/api/v1/industries")
		if err == nil {
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case <-s.exited:
			return fmt.Errorf("the server exited: %v\n%s", s.err, s.out)
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("the server did not answer within %s\n%s", loadtestReadyTimeout, s.out)
		}
	}
}

// stop asks the server to shut down and kills it if it does not.
func (s *serverProc) stop() error {
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.exited:
	case <-time.After(loadtestStopTimeout):
		_ = s.cmd.Process.Kill()
		<-s.exited
		return fmt.Errorf("the server did not stop within %s and was killed\n%s", loadtestStopTimeout, s.out)
	}
	var ee *exec.ExitError
	if s.err != nil && !errors.As(s.err, &ee) {
		return s.err
	}
	if ee != nil && !ee.Success() {
		return fmt.Errorf("the server exited with %v\n%s", s.err, s.out)
	}
	return nil
}

func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("find a free port: %w", err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// tailBuffer keeps the last max bytes written to it.
type tailBuffer struct {
	mu  sync.Mutex
	max int
	b   []byte
}

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.b = append(t.b, p...)
	if over := len(t.b) - t.max; over > 0 {
		t.b = append(t.b[:0], t.b[over:]...)
	}
	return len(p), nil
}

func (t *tailBuffer) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return string(t.b)
}

func isLoopbackURL(s string) bool {
	u, err := url.Parse(s)
	if err != nil {
		return false
	}
	h := u.Hostname()
	if h == "localhost" {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}

// /proc.

// readCPU is a process's CPU time, user and system, every thread
// including those that ended, from /proc/<pid>/stat. (/proc/<pid>/schedstat
// would count the main thread only.)
func readCPU(pid int) (time.Duration, bool) {
	if pid <= 0 {
		return 0, false
	}
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, false
	}
	ticks, err := parseProcStat(b)
	if err != nil {
		return 0, false
	}
	return time.Duration(ticks) * time.Second / time.Duration(clockTicks()), true
}

// parseProcStat returns utime + stime (fields 14 and 15, in clock ticks)
// of a /proc/<pid>/stat line. The command name, field 2, is in parentheses
// and may itself hold spaces and parentheses.
func parseProcStat(b []byte) (uint64, error) {
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return 0, errors.New("/proc stat: no command name")
	}
	f := strings.Fields(string(b[i+1:]))
	// f[0] is field 3 (state): utime is field 14, f[11].
	if len(f) < 13 {
		return 0, fmt.Errorf("/proc stat: %d fields after the name, want at least 13", len(f))
	}
	u, err1 := strconv.ParseUint(f[11], 10, 64)
	s, err2 := strconv.ParseUint(f[12], 10, 64)
	if err := errors.Join(err1, err2); err != nil {
		return 0, fmt.Errorf("/proc stat: %w", err)
	}
	return u + s, nil
}

var clockTicks = sync.OnceValue(func() int64 {
	out, err := exec.Command("getconf", "CLK_TCK").Output()
	if err == nil {
		if n, err := strconv.ParseInt(strings.TrimSpace(string(out)), 10, 64); err == nil && n > 0 {
			return n
		}
	}
	return 100 // USER_HZ on every Linux architecture Go supports
})

// readRSS is a process's resident memory (VmRSS) in bytes.
func readRSS(pid int) (uint64, bool) {
	if pid <= 0 {
		return 0, false
	}
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, false
	}
	v, err := parseStatusKB(b, "VmRSS")
	if err != nil {
		return 0, false
	}
	return v * 1024, true
}

// parseStatusKB reads a "Key:  123 kB" line of /proc/<pid>/status.
func parseStatusKB(b []byte, key string) (uint64, error) {
	for _, line := range strings.Split(string(b), "\n") {
		k, v, ok := strings.Cut(line, ":")
		if !ok || k != key {
			continue
		}
		f := strings.Fields(v)
		if len(f) != 2 || f[1] != "kB" {
			return 0, fmt.Errorf("/proc status: %s: want a number of kB, got %q", key, strings.TrimSpace(v))
		}
		n, err := strconv.ParseUint(f[0], 10, 64)
		if err != nil {
			return 0, fmt.Errorf("/proc status: %s: %w", key, err)
		}
		return n, nil
	}
	return 0, fmt.Errorf("/proc status: no %s", key)
}

// parseStatusField returns the value of a "Key:\tvalue" line.
func parseStatusField(b []byte, key string) string {
	for _, line := range strings.Split(string(b), "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok && k == key {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

// toolCPU is this process's CPU time, user and system.
func toolCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// machineInfo describes where the figures were measured.
type machineInfo struct {
	CPUs     int    `json:"cpus"`     // online, as nproc --all
	Model    string `json:"model"`    // /proc/cpuinfo "model name"
	ToolCPUs string `json:"toolCpus"` // the cores this tool may run on (Cpus_allowed_list)
	Go       string `json:"go"`
	OS       string `json:"os"`
}

func readMachine() machineInfo {
	m := machineInfo{CPUs: runtime.NumCPU(), Go: runtime.Version(), OS: runtime.GOOS + "/" + runtime.GOARCH}
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		if n, model := parseCPUInfo(b); n > 0 {
			m.CPUs, m.Model = n, model
		}
	}
	if b, err := os.ReadFile("/proc/self/status"); err == nil {
		m.ToolCPUs = parseStatusField(b, "Cpus_allowed_list")
	}
	return m
}

// parseCPUInfo counts the processors of /proc/cpuinfo and returns the first
// model name.
func parseCPUInfo(b []byte) (cpus int, model string) {
	for _, line := range strings.Split(string(b), "\n") {
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		switch strings.TrimSpace(k) {
		case "processor":
			cpus++
		case "model name":
			if model == "" {
				model = strings.TrimSpace(v)
			}
		}
	}
	return cpus, model
}

// cpuListHas reports whether a list such as "0-1,4" holds cpu; an empty
// or unreadable list might hold anything.
func cpuListHas(list string, cpu int) bool {
	if strings.TrimSpace(list) == "" {
		return true
	}
	for _, part := range strings.Split(list, ",") {
		lo, hi, isRange := strings.Cut(strings.TrimSpace(part), "-")
		a, err := strconv.Atoi(lo)
		if err != nil {
			return true
		}
		b := a
		if isRange {
			if b, err = strconv.Atoi(hi); err != nil {
				return true
			}
		}
		if cpu >= a && cpu <= b {
			return true
		}
	}
	return false
}

// otherCPUs lists the cores but one, for taskset -c.
func otherCPUs(n, except int) string {
	var s []string
	for i := 0; i < n; i++ {
		if i != except {
			s = append(s, strconv.Itoa(i))
		}
	}
	if len(s) == 0 {
		return "0"
	}
	return strings.Join(s, ",")
}

// Figures and the report.

// errNoSamples is the percentile of nothing.
var errNoSamples = errors.New("no samples")

// percentile is the nearest-rank percentile p (0 < p <= 100) of sorted
// values: the smallest value with at least p % of the values at or below it.
func percentile(sorted []float64, p float64) (float64, error) {
	if len(sorted) == 0 {
		return 0, errNoSamples
	}
	if p <= 0 || p > 100 {
		return 0, fmt.Errorf("percentile %v: want 0 < p <= 100", p)
	}
	rank := int(math.Ceil(p / 100 * float64(len(sorted))))
	return sorted[max(rank, 1)-1], nil
}

// quantiles are the p50 and p95 of a latency in milliseconds; nil without
// samples.
type quantiles struct {
	P50     *float64 `json:"p50Ms"`
	P95     *float64 `json:"p95Ms"`
	Samples int      `json:"samples"`
}

func quantilesOf(v []float64) quantiles {
	s := slices.Clone(v)
	slices.Sort(s)
	q := quantiles{Samples: len(s)}
	if p, err := percentile(s, 50); err == nil {
		q.P50 = ptr(p)
	}
	if p, err := percentile(s, 95); err == nil {
		q.P95 = ptr(p)
	}
	return q
}

// lossFigure is what never arrived of one kind of stream over the window,
// summed over the viewers.
type lossFigure struct {
	Expected int     `json:"expected"`
	Missing  int     `json:"missing"`
	Percent  float64 `json:"percent"`
}

// loadtestRow is the figures of one run. Server figures are nil when the
// server's process is not known.
type loadtestRow struct {
	Viewers       int     `json:"viewers"`
	Joined        int     `json:"joined"`
	FailedJoins   int     `json:"failedJoins"`
	WindowSeconds float64 `json:"windowSeconds"`
	StreamSeconds float64 `json:"streamSeconds"` // joined viewers x window

	ServerCPUMs          *float64 `json:"serverCpuMs"`
	ServerCPUPercent     *float64 `json:"serverCpuPercent"` // of one core
	CPUMsPerStreamSecond *float64 `json:"serverCpuMsPerStreamSecond"`
	CPUUsPerPacket       *float64 `json:"serverCpuUsPerPacket"`
	PacketsReceived      uint64   `json:"packetsReceived"` // by every viewer in the window, repairs included

	Sent            uint64     `json:"sent"`      // the publisher's packets in the window x joined viewers
	Delivered       uint64     `json:"delivered"` // distinct packets of the window the viewers got
	DeliveryPercent float64    `json:"deliveryPercent"`
	VideoLoss       lossFigure `json:"videoLoss"`
	AudioLoss       lossFigure `json:"audioLoss"`

	JoinToAnswer      quantiles `json:"joinToAnswer"`
	JoinToFirstPacket quantiles `json:"joinToFirstPacket"`
	JoinToKeyframe    quantiles `json:"joinToKeyframe"`
	NoKeyframe        int       `json:"noKeyframe"` // joined viewers without a complete keyframe

	KeyframeRequestsAtPublish uint64 `json:"keyframeRequestsAtPublish"` // before the first join
	KeyframeRequests          uint64 `json:"keyframeRequests"`          // from the first join to the window's end
	KeyframesSent             uint64 `json:"keyframesSent"`

	RSSStartMB     *float64 `json:"rssStartMB"`
	RSSEndMB       *float64 `json:"rssEndMB"`
	RSSPerViewerMB *float64 `json:"rssPerViewerMB"`

	ToolCPUPercent     float64 `json:"toolCpuPercent"`     // of one core, over the window
	ToolCPUJoinPercent float64 `json:"toolCpuJoinPercent"` // while joining

	Deleted        int      `json:"deleted"` // WHEP and WHIP resources
	DeleteFailures int      `json:"deleteFailures"`
	LeftInRoom     int      `json:"leftInRoom"` // participants in the room after the deletes
	Notes          []string `json:"notes,omitempty"`
}

// loadtestReport is the whole output.
type loadtestReport struct {
	Command string        `json:"command"`
	Server  string        `json:"server"`
	Codec   string        `json:"codec"`
	Bitrate int           `json:"bitrate"`
	Machine machineInfo   `json:"machine"`
	Targets any           `json:"targets"`
	Rows    []loadtestRow `json:"rows"`
}

// loadtestCommandLine is the command as given, with a password on it
// blanked out.
func loadtestCommandLine(args []string) string {
	s := []string{"roadshow", "loadtest"}
	secret := false
	for _, a := range args {
		switch {
		case secret:
			a, secret = "***", false
		case a == "--admin-password" || a == "-admin-password":
			secret = true
		case strings.HasPrefix(a, "--admin-password=") || strings.HasPrefix(a, "-admin-password="):
			a = a[:strings.IndexByte(a, '=')+1] + "***"
		}
		if a == "" || strings.ContainsAny(a, " \t\"'$\\") {
			a = strconv.Quote(a)
		}
		s = append(s, a)
	}
	return strings.Join(s, " ")
}

// missedTargets names the targets a row misses.
func missedTargets(r loadtestRow) []string {
	var m []string
	t := loadtestTargets
	if r.CPUMsPerStreamSecond != nil && r.Viewers >= t.CPUAtViewers && *r.CPUMsPerStreamSecond > t.CPUMsPerStreamSecond {
		m = append(m, "cpu")
	}
	if r.VideoLoss.Percent > t.LossPercent || r.AudioLoss.Percent > t.LossPercent {
		m = append(m, "loss")
	}
	if r.Sent > 0 && r.DeliveryPercent < loadtestMinDelivery {
		m = append(m, "delivery")
	}
	if r.JoinToKeyframe.P95 == nil || *r.JoinToKeyframe.P95 > t.KeyframeP95Ms || r.NoKeyframe > 0 {
		m = append(m, "keyframe")
	}
	if r.RSSPerViewerMB != nil && *r.RSSPerViewerMB > t.RSSPerViewerMB {
		m = append(m, "rss")
	}
	if r.FailedJoins > 0 || r.DeleteFailures > 0 || r.LeftInRoom > 0 {
		m = append(m, "errors")
	}
	return m
}

// writeLoadtestReport prints the header, the Markdown table and the
// definitions.
func writeLoadtestReport(w io.Writer, rep *loadtestReport) {
	fmt.Fprintf(w, "Roadshow relay load test\n\n")
	fmt.Fprintf(w, "- command: `%s`\n", rep.Command)
	fmt.Fprintf(w, "- machine: %d CPUs (nproc --all), %s; tool allowed on CPUs %s; %s %s\n", rep.Machine.CPUs, rep.Machine.Model, rep.Machine.ToolCPUs, rep.Machine.Go, rep.Machine.OS)
	fmt.Fprintf(w, "- server: %s\n", rep.Server)
	fmt.Fprintf(w, "- media: one WHIP publisher, synthetic %s at %d bit/s, %d fps, keyframes only on request, and Opus 20 ms; viewers over WHEP with a NACK generator and receiver reports, never PLI/FIR\n\n", strings.ToUpper(rep.Codec), rep.Bitrate, synthmedia.FPS)
	fmt.Fprint(w, formatLoadtestTable(rep.Rows))
	t := loadtestTargets
	fmt.Fprintf(w, "\nTargets (issue 7): <= %.1f ms server CPU per stream-second at N = %d; %g %% loss; p95 join -> keyframe <= %g ms; <= %.1f MB RSS growth per viewer.\n", t.CPUMsPerStreamSecond, t.CPUAtViewers, t.LossPercent, t.KeyframeP95Ms, t.RSSPerViewerMB)
	fmt.Fprint(w, loadtestDefinitions)
}

const loadtestDefinitions = `
Definitions: the window starts after every viewer joined plus the warm-up. A stream-second is one viewer's
audio and video for one second (joined viewers x window). CPU is the server's utime+stime over the window
(/proc/<pid>/stat, every thread); us/pkt divides it by the packets all viewers received in the window,
repairs included. Loss: per viewer and stream, the sequence numbers after the highest received at the
window's start up to the highest at its end that never arrived, not even repaired by the end of the run
(the publisher stops after the window, then 1.5 s for repairs). Delivery: distinct packets of the window
received / (packets the publisher sent in the window x joined viewers). Join is the moment the WHEP POST
is sent; first packet is the first RTP packet of either track; keyframe is the first video keyframe whose
packets all arrived. Percentiles are nearest-rank. RSS is the server's VmRSS with the publisher
sending, before the first join, and at the window's end (a spawned server measures on a process that
did not hash the set-up's passwords); RSS MB / viewer is their difference / joined viewers;
MB = 10^6 bytes. Tool CPU is this process's CPU over the window, % of one core.
Targets missed: delivery counts below 99.5 % (the window's edges are not the same instant at the
publisher and the viewers); cpu is judged at N >= 200 only; "tool-bound" marks a run where this tool
used 90 % or more of its core, so that its own queueing may show in the latencies.
`

// formatLoadtestTable is the Markdown table, one row per run.
func formatLoadtestTable(rows []loadtestRow) string {
	var b strings.Builder
	b.WriteString("| N | CPU ms / stream-s | CPU us / pkt | delivery % | loss video % | loss audio % | join->1st pkt p50 / p95 ms | join->keyframe p50 / p95 ms | keyframe requests | RSS start / end MB | RSS MB / viewer | tool CPU % | targets missed |\n")
	b.WriteString("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n")
	for _, r := range rows {
		n := strconv.Itoa(r.Viewers)
		if r.Joined != r.Viewers {
			n = fmt.Sprintf("%d (%d joined)", r.Viewers, r.Joined)
		}
		kf := fmt.Sprintf("%s / %s", optf(r.JoinToKeyframe.P50, 0), optf(r.JoinToKeyframe.P95, 0))
		if r.NoKeyframe > 0 {
			kf += fmt.Sprintf(" (%d none)", r.NoKeyframe)
		}
		missed := strings.Join(missedTargets(r), ", ")
		if missed == "" {
			missed = "none"
		}
		if r.ToolCPUPercent >= loadtestToolBound || r.ToolCPUJoinPercent >= loadtestToolBound {
			missed += " (tool-bound)"
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %.2f | %.3f | %.3f | %s / %s | %s | %d | %s / %s | %s | %.0f | %s |\n",
			n, optf(r.CPUMsPerStreamSecond, 2), optf(r.CPUUsPerPacket, 2), r.DeliveryPercent, r.VideoLoss.Percent, r.AudioLoss.Percent,
			optf(r.JoinToFirstPacket.P50, 0), optf(r.JoinToFirstPacket.P95, 0), kf, r.KeyframeRequests,
			optf(r.RSSStartMB, 1), optf(r.RSSEndMB, 1), optf(r.RSSPerViewerMB, 3), r.ToolCPUPercent, missed)
	}
	return b.String()
}

// optf formats an optional figure; n/a when it is missing.
func optf(v *float64, decimals int) string {
	if v == nil {
		return "n/a"
	}
	return strconv.FormatFloat(*v, 'f', decimals, 64)
}
