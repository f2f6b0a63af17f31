package relay

import (
	"sync"
	"time"
)

// maxPacket is the largest RTP packet the relay keeps; pion reads at most
// its receive MTU (1460 bytes).
const maxPacket = 1500

// Keyframe replay: a joiner gets the packets since the last keyframe at once
// when that keyframe is recent and the packets after it are few; otherwise
// the publisher is asked for a new keyframe (once for every joiner waiting).
const (
	replayMaxAge     = time.Second
	replayMaxPackets = 400
)

// packetCache keeps the newest packets of one published track, indexed by
// extended sequence number, for NACK repairs and keyframe replays. One
// goroutine (the track's reader) writes; repairs read under the read lock.
type packetCache struct {
	mu    sync.RWMutex
	slots []cacheSlot
	mask  uint64

	highest uint64 // extended sequence number of the newest packet; 0: none yet

	keyframe   uint64 // first packet of the newest keyframe; 0: none
	keyframeTS uint32
	keyframeAt time.Time

	// gaps counts the packets skipped when a newer one arrived, filled the
	// late ones that came after all: their difference is what the
	// publisher's path lost (for metrics; updated under mu by put).
	gaps, filled uint64
}

type cacheSlot struct {
	ext uint64 // extended sequence number stored here; 0: empty
	n   uint16
	buf [maxPacket]byte
}

// newPacketCache keeps size packets; size must be a power of two.
func newPacketCache(size int) *packetCache {
	return &packetCache{slots: make([]cacheSlot, size), mask: uint64(size - 1)}
}

// unwrap extends seq to the extended sequence number nearest to the newest
// one. Extended numbers start at 1<<16 so that the first cycle has room
// below it for late packets.
func (c *packetCache) unwrap(seq uint16) uint64 {
	if c.highest == 0 {
		return 1<<16 | uint64(seq)
	}
	ext := c.highest&^0xffff | uint64(seq)
	switch {
	case ext+0x8000 < c.highest:
		ext += 1 << 16
	case ext > c.highest+0x8000 && ext >= 1<<16:
		ext -= 1 << 16
	}
	return ext
}

// put stores a packet and returns its extended number; fresh is false for a
// duplicate or a packet too old to keep. Only the reader goroutine calls it.
func (c *packetCache) put(seq uint16, ts uint32, pkt []byte, keyframe bool, now time.Time) (ext uint64, fresh bool) {
	if len(pkt) > maxPacket {
		return 0, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	ext = c.unwrap(seq)
	if c.highest != 0 && ext+uint64(len(c.slots)) <= c.highest {
		return ext, false
	}
	s := &c.slots[ext&c.mask]
	if s.ext == ext {
		return ext, false
	}
	s.ext, s.n = ext, uint16(copy(s.buf[:], pkt))
	switch {
	case c.highest == 0:
	case ext > c.highest+1:
		c.gaps += ext - c.highest - 1
	case ext < c.highest:
		c.filled++
	}
	if ext > c.highest {
		c.highest = ext
	}
	if keyframe {
		switch {
		case c.keyframe == 0 || ts != c.keyframeTS && ext > c.keyframe:
			c.keyframe, c.keyframeTS, c.keyframeAt = ext, ts, now
		case ts == c.keyframeTS && ext < c.keyframe:
			// An earlier packet of the same keyframe, late (a repair).
			c.keyframe = ext
		}
	}
	return ext, true
}

// slot returns the packet stored under ext, or nil. Only the reader
// goroutine, the one writer, may call it without the lock.
func (c *packetCache) slot(ext uint64) []byte {
	s := &c.slots[ext&c.mask]
	if s.ext != ext {
		return nil
	}
	return s.buf[:s.n]
}

// copySeq copies the packet with sequence number seq into dst, for a repair
// from any goroutine.
func (c *packetCache) copySeq(seq uint16, dst []byte) int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if c.highest == 0 {
		return 0
	}
	ext := c.unwrap(seq)
	s := &c.slots[ext&c.mask]
	if s.ext != ext {
		return 0
	}
	return copy(dst, s.buf[:s.n])
}

// replayStart returns where a joiner's replay starts: the newest keyframe
// when it is recent, few packets old and still whole in the cache. Only the
// reader goroutine calls it.
func (c *packetCache) replayStart(now time.Time) (uint64, bool) {
	if c.keyframe == 0 || now.Sub(c.keyframeAt) > replayMaxAge {
		return 0, false
	}
	if c.highest-c.keyframe >= replayMaxPackets || c.highest-c.keyframe >= uint64(len(c.slots)) {
		return 0, false
	}
	return c.keyframe, true
}

// hasReplay is replayStart for other goroutines.
func (c *packetCache) hasReplay(now time.Time) bool {
	c.mu.RLock()
	defer c.mu.RUnlock()
	_, ok := c.replayStart(now)
	return ok
}

// lost is how many packets never arrived (or arrived too late to keep).
func (c *packetCache) lost() uint64 {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if c.filled >= c.gaps {
		return 0
	}
	return c.gaps - c.filled
}
