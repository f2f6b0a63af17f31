package http

import (
	"io"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/roadshow/roadshow/roadshow"
)

// byteRange is one range of a Range header, resolved against a size: the
// bytes from start to end, both included.
type byteRange struct{ start, end int64 }

// parseRange reads a "bytes=" Range header of one range against a file of
// size bytes. ok is false when the header is absent or not one that this
// server honours (another unit, several ranges, a malformed one): the whole
// file is sent then, as RFC 9110 allows. satisfiable is false for a range
// outside the file (416).
func parseRange(header string, size int64) (r byteRange, ok, satisfiable bool) {
	spec, found := strings.CutPrefix(strings.TrimSpace(header), "bytes=")
	if !found || strings.Contains(spec, ",") {
		return r, false, false
	}
	first, last, found := strings.Cut(strings.TrimSpace(spec), "-")
	if !found {
		return r, false, false
	}
	if first == "" { // the last n bytes
		n, err := strconv.ParseInt(last, 10, 64)
		if err != nil || n < 0 {
			return r, false, false
		}
		if n == 0 || size == 0 {
			return r, true, false
		}
		return byteRange{max(size-n, 0), size - 1}, true, true
	}
	start, err := strconv.ParseInt(first, 10, 64)
	if err != nil || start < 0 {
		return r, false, false
	}
	end := size - 1
	if last != "" {
		if end, err = strconv.ParseInt(last, 10, 64); err != nil || end < start {
			return r, false, false
		}
		end = min(end, size-1)
	}
	if start >= size {
		return r, true, false
	}
	return byteRange{start, end}, true, true
}

// sendDeck answers a deck from rc (size bytes, etag its quoted hash): 304
// when the client has this version (If-None-Match), one byte range (206)
// when asked for it and the client's copy is this version (If-Range), 416
// for a range outside it, else the whole. It closes rc.
func sendDeck(c *fiber.Ctx, rc io.ReadCloser, size int64, etag string) error {
	c.Set(fiber.HeaderETag, etag)
	c.Set(fiber.HeaderAcceptRanges, "bytes")
	if etagMatches(c.Get(fiber.HeaderIfNoneMatch), etag) {
		rc.Close()
		return c.SendStatus(fiber.StatusNotModified)
	}
	h := c.Get(fiber.HeaderRange)
	if ir := c.Get(fiber.HeaderIfRange); ir != "" && strings.TrimSpace(ir) != etag {
		h = "" // the client's part is of another version: send it all
	}
	r, ok, satisfiable := parseRange(h, size)
	switch {
	case ok && !satisfiable:
		rc.Close()
		c.Set(fiber.HeaderContentRange, "bytes */"+strconv.FormatInt(size, 10))
		setSecurityHeaders(c)
		m := roadshow.Msg("request.range_unsatisfiable", roadshow.Args{"size": size})
		return c.Status(fiber.StatusRequestedRangeNotSatisfiable).JSON(errorBody{Error: detailOf(roadshow.EINVALID, m, nil)})
	case ok:
		// The store streams chunks in order: skip to the start. A deck is
		// a few MB at most, and a viewer asks for its parts in order.
		if _, err := io.CopyN(io.Discard, rc, r.start); err != nil {
			rc.Close()
			return err
		}
		c.Set(fiber.HeaderContentRange, "bytes "+strconv.FormatInt(r.start, 10)+"-"+strconv.FormatInt(r.end, 10)+"/"+strconv.FormatInt(size, 10))
		c.Status(fiber.StatusPartialContent)
		n := r.end - r.start + 1
		c.Context().SetBodyStream(readCloser{io.LimitReader(rc, n), rc}, int(n))
		return nil
	}
	// fasthttp reads the store chunk by chunk while it writes the
	// response, and closes rc when done.
	c.Context().SetBodyStream(rc, int(size))
	return nil
}

// readCloser reads from r and closes c.
type readCloser struct {
	io.Reader
	c io.Closer
}

func (r readCloser) Close() error { return r.c.Close() }
