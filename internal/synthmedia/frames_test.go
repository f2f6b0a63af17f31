package synthmedia_test

import (
	"testing"
	"time"

	"github.com/pion/rtp"
	"github.com/pion/webrtc/v3"
	"github.com/roadshow/roadshow/internal/synthmedia"
)

// pkt is one packet of a synthetic stream.
type pkt struct {
	seq     uint16
	ts      uint32
	mark    bool
	payload []byte
}

// VP8 payloads (RFC 7741): a descriptor with S set on a frame's first
// packet, then the frame tag whose low bit is 0 on keyframes.
var (
	vp8Key   = []byte{0x10, 0x10, 0x9d, 0x01, 0x2a}
	vp8Delta = []byte{0x10, 0x11, 0, 0}
	vp8Cont  = []byte{0x00, 0xaa, 0xbb}
)

// vp8Frame is a frame of n packets from seq on.
func vp8Frame(key bool, seq uint16, ts uint32, n int) []pkt {
	out := make([]pkt, n)
	for i := range out {
		p := vp8Cont
		if i == 0 {
			p = vp8Delta
			if key {
				p = vp8Key
			}
		}
		out[i] = pkt{seq: seq + uint16(i), ts: ts, mark: i == n-1, payload: p}
	}
	return out
}

// feed adds packets at 1 ms intervals from t0 and returns when the n-th
// packet (0-based) was added.
func feed(f *synthmedia.Frames, t0 time.Time, pkts []pkt) []time.Time {
	at := make([]time.Time, len(pkts))
	for i, p := range pkts {
		at[i] = t0.Add(time.Duration(i) * time.Millisecond)
		f.AddPacket(p.seq, p.ts, p.mark, p.payload, at[i])
	}
	return at
}

// without returns pkts without the one at index i, and that packet.
func without(pkts []pkt, i int) ([]pkt, pkt) {
	out := append(append([]pkt(nil), pkts[:i]...), pkts[i+1:]...)
	return out, pkts[i]
}

func TestFramesKeyframes(t *testing.T) {
	t0 := time.Unix(1_700_000_000, 0)
	key := vp8Frame(true, 100, 9000, 5)
	next := vp8Frame(false, 105, 12000, 3)
	for _, tc := range []struct {
		name          string
		pkts          []pkt
		wantKeyframes int
		wantFirstAt   int // index of the packet that completed it; -1: none
		wantMissing   int
	}{
		{"InOrder", append(append([]pkt(nil), key...), next...), 1, 4, 0},
		{"MiddleRepaired", func() []pkt {
			rest, lost := without(key, 2)
			return append(append(rest, next...), lost)
		}(), 1, 7, 0},
		{"StartRepairedAfterTheEnd", func() []pkt {
			rest, lost := without(key, 0)
			return append(append(rest, next...), lost)
		}(), 1, 7, 0},
		{"EndRepaired", func() []pkt {
			rest, lost := without(key, 4)
			return append(append(rest, next...), lost)
		}(), 1, 7, 0},
		{"ErrNeverComplete", func() []pkt {
			rest, _ := without(key, 3)
			return append(rest, next...)
		}(), 0, -1, 1},
		{"Duplicates", append(append(append([]pkt(nil), key...), key...), next...), 1, 4, 0},
		{"ErrNoKeyframe", next, 0, -1, 0},
		{"Wrap", append(vp8Frame(true, 65534, 1, 4), vp8Frame(false, 2, 3001, 2)...), 1, 3, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := synthmedia.NewFrames(webrtc.MimeTypeVP8)
			at := feed(f, t0, tc.pkts)
			if f.Keyframes != tc.wantKeyframes {
				t.Errorf("Keyframes: got %d, want %d", f.Keyframes, tc.wantKeyframes)
			}
			var want time.Time
			if tc.wantFirstAt >= 0 {
				want = at[tc.wantFirstAt]
			}
			if !f.FirstKeyframe.Equal(want) {
				t.Errorf("FirstKeyframe: got %v, want %v", f.FirstKeyframe, want)
			}
			if got := f.Missing(); got != tc.wantMissing {
				t.Errorf("Missing: got %d, want %d", got, tc.wantMissing)
			}
			if got := f.Packets; got != len(tc.pkts) {
				t.Errorf("Packets: got %d, want %d", got, len(tc.pkts))
			}
		})
	}
}

// H.264 as pion packetizes a keyframe: a STAP-A with SPS and PPS, then the
// IDR slice in FU-A fragments.
func TestFramesH264(t *testing.T) {
	stap := []byte{0x78, 0x00, 0x02, 0x67, 0x42, 0x00, 0x02, 0x68, 0xce}
	fuStart := []byte{0x7c, 0x85, 0xaa}
	fuMid := []byte{0x7c, 0x05, 0xbb}
	fuEnd := []byte{0x7c, 0x45, 0xcc}
	delta := []byte{0x41, 0x9a}
	pkts := []pkt{
		{seq: 9, ts: 0, mark: true, payload: delta},
		{seq: 10, ts: 90, payload: stap}, {seq: 11, ts: 90, payload: fuStart},
		{seq: 12, ts: 90, payload: fuMid}, {seq: 13, ts: 90, mark: true, payload: fuEnd},
		{seq: 14, ts: 3090, mark: true, payload: delta},
	}
	for _, tc := range []struct {
		name  string
		order []int
		want  int // index in order of the packet that completes the keyframe
	}{
		{"InOrder", []int{0, 1, 2, 3, 4, 5}, 4},
		{"JoinAtTheKeyframe", []int{1, 2, 3, 4, 5}, 3},
		{"ParameterSetsRepaired", []int{0, 2, 3, 4, 5, 1}, 5},
		{"IDRStartRepaired", []int{0, 1, 3, 4, 5, 2}, 5},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := synthmedia.NewFrames(webrtc.MimeTypeH264)
			var in []pkt
			for _, i := range tc.order {
				in = append(in, pkts[i])
			}
			at := feed(f, time.Unix(0, 0), in)
			if f.Keyframes != 1 || !f.FirstKeyframe.Equal(at[tc.want]) {
				t.Errorf("got %d keyframes, the first at %v; want 1 at %v", f.Keyframes, f.FirstKeyframe, at[tc.want])
			}
		})
	}
}

func TestFramesMissingIn(t *testing.T) {
	f := synthmedia.NewFrames(webrtc.MimeTypeOpus)
	now := time.Now()
	// 65,530 .. 65,535, 0 .. 99 with 3 and 50 lost: across the wrap.
	for s := 65530; s < 65536+100; s++ {
		if seq := uint16(s); seq != 3 && seq != 50 {
			f.AddPacket(seq, uint32(s)*960, false, nil, now)
		}
	}
	first, hi := f.First(), f.Highest()
	if got, want := hi-first+1, uint64(106); got != want {
		t.Fatalf("span: got %d, want %d", got, want)
	}
	for _, tc := range []struct {
		name        string
		after, upTo uint64
		want        int
		wantOK      bool
	}{
		{"Whole", first - 1, hi, 2, true},
		{"AfterTheLosses", hi - 40, hi, 0, true},
		{"OneLoss", first + 6, first + 6 + 10, 1, true},
		{"Empty", hi, hi, 0, true},
		{"ErrBeyondHighest", first, hi + 1, 0, false},
		{"ErrBackwards", hi, first, 0, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := f.MissingIn(tc.after, tc.upTo)
			if got != tc.want || ok != tc.wantOK {
				t.Errorf("MissingIn(%d, %d): got %d, %v; want %d, %v", tc.after, tc.upTo, got, ok, tc.want, tc.wantOK)
			}
		})
	}
	if got := f.Missing(); got != 2 {
		t.Errorf("Missing: got %d, want 2", got)
	}
}

// Runs far longer than the 65,536 sequence numbers remembered count right:
// old bits are cleared as the numbers are reused.
func TestFramesLongRun(t *testing.T) {
	f := synthmedia.NewFrames(webrtc.MimeTypeOpus)
	now := time.Now()
	const n = 300_500
	lost := 0
	for i := 0; i < n; i++ {
		if i%1000 == 999 {
			lost++
			continue
		}
		f.AddPacket(uint16(i), uint32(i)*960, false, nil, now)
	}
	if got := f.Missing(); got != lost {
		t.Errorf("Missing: got %d, want %d", got, lost)
	}
	hi := f.Highest()
	if got, ok := f.MissingIn(hi-10_000, hi); !ok || got != 10 {
		t.Errorf("MissingIn the last 10,000: got %d, %v; want 10, true", got, ok)
	}
	if _, ok := f.MissingIn(hi-70_000, hi); ok {
		t.Error("MissingIn beyond what is remembered: got ok, want not ok")
	}
}

// The read path of a load test with hundreds of receivers allocates
// nothing for packets that cannot start a frame, nor for audio.
func TestFramesAllocations(t *testing.T) {
	for _, tc := range []struct {
		name, mime string
	}{
		{"Video", webrtc.MimeTypeVP8},
		{"Audio", webrtc.MimeTypeOpus},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := synthmedia.NewFrames(tc.mime)
			f.AddPacket(0, 0, false, vp8Delta, time.Now())
			seq := uint16(0)
			h := rtp.Header{Timestamp: 0}
			payload := vp8Cont
			now := time.Now()
			allocs := testing.AllocsPerRun(1000, func() {
				seq++
				h.SequenceNumber = seq
				f.Add(&h, payload, now)
			})
			if allocs != 0 {
				t.Errorf("allocations per packet: got %v, want 0", allocs)
			}
		})
	}
}
