package relay

import (
	"net"
	"testing"
	"time"
)

// Every packet written reaches its address, in order per destination, and
// Close sends what is queued before it returns.
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
	const n = 300
	for i := 0; i < n; i++ {
		for _, r := range recv {
			if _, err := b.WriteTo([]byte{byte(i), byte(i >> 8)}, r.LocalAddr()); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := b.WriteTo([]byte{1}, recv[0].LocalAddr()); err == nil {
		t.Fatal("a write after Close: got no error")
	}
	buf := make([]byte, 16)
	for ri, r := range recv {
		for i := 0; i < n; i++ {
			_ = r.SetReadDeadline(time.Now().Add(5 * time.Second))
			m, _, err := r.ReadFrom(buf)
			if err != nil {
				t.Fatalf("receiver %d, packet %d: %v", ri, i, err)
			}
			if got := int(buf[0]) | int(buf[1])<<8; m != 2 || got != i {
				t.Fatalf("receiver %d: got packet %d, want %d", ri, got, i)
			}
		}
	}
}
