package relay

import (
	"net"
	"testing"
	"time"
)

// Inside a batch, writes wait for Flush and then all arrive, in order per
// destination; outside one they leave at once.
func TestBatchConnDelivers(t *testing.T) {
	t.Parallel()
	recv := make([]*net.UDPConn, 3)
	for i := range recv {
		c, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
		if err != nil {
			t.Fatal(err)
		}
		_ = c.SetReadBuffer(4 << 20)
		defer c.Close()
		recv[i] = c
	}
	raw, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	b := newBatchConn(raw)
	defer b.Close()
	const n = 300
	for i := 0; i < n; i++ {
		b.Begin()
		for _, r := range recv {
			if _, err := b.WriteTo([]byte{byte(i), byte(i >> 8)}, r.LocalAddr()); err != nil {
				t.Fatal(err)
			}
		}
		if i == 0 {
			// Nothing left before Flush.
			_ = recv[0].SetReadDeadline(time.Now().Add(20 * time.Millisecond))
			if _, _, err := recv[0].ReadFrom(make([]byte, 16)); err == nil {
				t.Fatal("a packet left before Flush")
			}
		}
		b.Flush()
	}
	// Outside a batch: at once.
	if _, err := b.WriteTo([]byte{0xff, 0xff}, recv[0].LocalAddr()); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 16)
	for ri, r := range recv {
		want := n
		if ri == 0 {
			want = n + 1
		}
		for i := 0; i < want; i++ {
			_ = r.SetReadDeadline(time.Now().Add(5 * time.Second))
			m, _, err := r.ReadFrom(buf)
			if err != nil {
				t.Fatalf("receiver %d, packet %d: %v", ri, i, err)
			}
			got := int(buf[0]) | int(buf[1])<<8
			if i == n {
				if got != 0xffff {
					t.Fatalf("the write outside a batch: got %d", got)
				}
				continue
			}
			if m != 2 || got != i {
				t.Fatalf("receiver %d: got packet %d, want %d", ri, got, i)
			}
		}
	}
}

// Batches that overlap never hold a packet back past their own Flush.
func TestBatchConnOverlapping(t *testing.T) {
	t.Parallel()
	r, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	raw, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	b := newBatchConn(raw)
	defer b.Close()
	b.Begin() // another goroutine's batch, still open
	b.Begin()
	_, _ = b.WriteTo([]byte{7}, r.LocalAddr())
	b.Flush()
	_ = r.SetReadDeadline(time.Now().Add(5 * time.Second))
	buf := make([]byte, 4)
	if n, _, err := r.ReadFrom(buf); err != nil || n != 1 || buf[0] != 7 {
		t.Fatalf("got %d %v %v, want the packet at the inner Flush", n, buf[:n], err)
	}
	b.Flush()
}
