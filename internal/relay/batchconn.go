package relay

import (
	"net"
	"sync"

	"golang.org/x/net/ipv4"
)

// Batching: a fan-out writes one packet to every receiver in a row, and
// each write to a UDP socket is a system call. batchConn queues the writes
// and one goroutine sends the queue with sendmmsg, many packets a call.
const (
	batchSize     = 64   // packets one sendmmsg call takes
	batchMaxQueue = 2048 // packets waiting; beyond, writers wait as on a full socket buffer
)

// batchConn is a UDP socket whose WriteTo queues the packet and returns;
// reads pass through. Its writer goroutine is stopped and waited for by
// Close.
type batchConn struct {
	*net.UDPConn
	pc *ipv4.PacketConn

	mu      sync.Mutex
	queue   []ipv4.Message // packets waiting; each Buffers, of one buffer, came from free
	free    [][][]byte     // Buffers to reuse, so that a write allocates nothing
	closing bool
	space   *sync.Cond // signalled when the writer took the queue

	kick chan struct{}
	done chan struct{}
}

func newBatchConn(c *net.UDPConn) *batchConn {
	b := &batchConn{UDPConn: c, pc: ipv4.NewPacketConn(c), kick: make(chan struct{}, 1), done: make(chan struct{})}
	b.space = sync.NewCond(&b.mu)
	go b.run()
	return b
}

// WriteTo queues a copy of p for addr.
func (b *batchConn) WriteTo(p []byte, addr net.Addr) (int, error) {
	b.mu.Lock()
	if b.closing {
		b.mu.Unlock()
		return 0, net.ErrClosed
	}
	for len(b.queue) >= batchMaxQueue && !b.closing {
		b.space.Wait()
	}
	if b.closing {
		b.mu.Unlock()
		return 0, net.ErrClosed
	}
	var bufs [][]byte
	if n := len(b.free); n > 0 {
		bufs, b.free = b.free[n-1], b.free[:n-1]
	} else {
		bufs = [][]byte{make([]byte, maxPacket)}
	}
	bufs[0] = bufs[0][:copy(bufs[0][:cap(bufs[0])], p)]
	b.queue = append(b.queue, ipv4.Message{Buffers: bufs, Addr: addr})
	// Under the lock, so that Close cannot close kick in between.
	select {
	case b.kick <- struct{}{}:
	default:
	}
	b.mu.Unlock()
	return len(p), nil
}

// run sends what is queued until Close.
func (b *batchConn) run() {
	defer close(b.done)
	var out []ipv4.Message
	for {
		_, open := <-b.kick
		b.mu.Lock()
		out, b.queue = b.queue, out[:0]
		b.space.Broadcast()
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
			// Kept for good: at most batchMaxQueue of them (3 MB), and a
			// burst then costs the garbage collector nothing.
			b.free = append(b.free, out[i].Buffers)
			out[i] = ipv4.Message{}
		}
		b.mu.Unlock()
		if !open {
			return
		}
	}
}

// Close stops the writer, after what is queued, and closes the socket.
func (b *batchConn) Close() error {
	b.mu.Lock()
	if b.closing {
		b.mu.Unlock()
		return nil
	}
	b.closing = true
	b.space.Broadcast()
	b.mu.Unlock()
	close(b.kick)
	<-b.done
	return b.UDPConn.Close()
}
