package relay

import (
	"net"
	"sync"

	"golang.org/x/net/ipv4"
)

// batchSize is how many packets one sendmmsg call takes.
const batchSize = 64

// batchConn is a UDP socket that sends the packets of a fan-out together:
// between Begin and Flush, every WriteTo, from any goroutine, queues a copy
// and Flush sends the queue with sendmmsg, many packets a system call.
// Outside a batch, WriteTo writes at once. A published track's reader opens
// a batch around each packet it forwards (see Relay.batch), so the writes
// of one packet to every receiver leave in a few calls, from the reader's
// own goroutine, with no hand-off.
type batchConn struct {
	*net.UDPConn
	pc *ipv4.PacketConn

	mu    sync.Mutex
	depth int              // open batches
	queue []ipv4.Message   // packets waiting; each Buffers, of one buffer, came from free
	free  [][][]byte       // Buffers to reuse, so that a write allocates nothing
	spare [][]ipv4.Message // queues to reuse; a queue being sent is nobody else's
}

func newBatchConn(c *net.UDPConn) *batchConn {
	return &batchConn{UDPConn: c, pc: ipv4.NewPacketConn(c)}
}

// Begin opens a batch; every Begin needs its Flush.
func (b *batchConn) Begin() {
	b.mu.Lock()
	b.depth++
	b.mu.Unlock()
}

// WriteTo queues a copy of p for addr while a batch is open, and writes it
// at once otherwise.
func (b *batchConn) WriteTo(p []byte, addr net.Addr) (int, error) {
	b.mu.Lock()
	if b.depth == 0 {
		b.mu.Unlock()
		return b.UDPConn.WriteTo(p, addr)
	}
	var bufs [][]byte
	if n := len(b.free); n > 0 {
		bufs, b.free = b.free[n-1], b.free[:n-1]
	} else {
		bufs = [][]byte{make([]byte, maxPacket)}
	}
	bufs[0] = bufs[0][:copy(bufs[0][:cap(bufs[0])], p)]
	b.queue = append(b.queue, ipv4.Message{Buffers: bufs, Addr: addr})
	b.mu.Unlock()
	return len(p), nil
}

// Flush closes a batch and sends everything queued, other batches' packets
// too: batches of several goroutines may overlap without end, and no packet
// may wait for them all to close.
func (b *batchConn) Flush() {
	b.mu.Lock()
	b.depth--
	if len(b.queue) == 0 {
		b.mu.Unlock()
		return
	}
	out := b.queue
	b.queue = nil
	if n := len(b.spare); n > 0 {
		b.queue, b.spare = b.spare[n-1], b.spare[:n-1]
	}
	b.mu.Unlock()
	for i := 0; i < len(out); {
		n, err := b.pc.WriteBatch(out[i:min(i+batchSize, len(out))], 0)
		if err != nil || n == 0 {
			n = 1 // skip the packet the kernel refused (an unreachable address)
		}
		i += n
	}
	b.mu.Lock()
	for i := range out {
		b.free = append(b.free, out[i].Buffers)
		out[i] = ipv4.Message{}
	}
	b.spare = append(b.spare, out[:0])
	b.mu.Unlock()
}
