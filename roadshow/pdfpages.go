package roadshow

import (
	"io"
	"regexp"
	"strconv"
)

// pdfCount finds "/Count n" (the page tree's count) and pdfPage "/Type
// /Page" (one page object, not /Pages).
var (
	pdfCount = regexp.MustCompile(`/Count\s+(\d+)`)
	pdfPage  = regexp.MustCompile(`/Type\s*/Page(?:[^s\w]|$)`)
)

// CountPDFPages estimates the pages of a PDF without a PDF library: the
// largest /Count of a page tree (the root's), else the number of page
// objects. It reads r line by line (a deck is at most MaxDeckSize) and
// answers 0 when neither is visible, as in a PDF whose objects all sit in
// compressed object streams; the page then shows no count.
func CountPDFPages(r io.Reader) (int, error) {
	// Blocks overlap by pdfOverlap bytes (longer than any match): a match
	// is counted in the block where it starts before the overlap, so that
	// one split across two blocks is seen once.
	const pdfOverlap = 64
	maxCount, pages := 0, 0
	buf := make([]byte, 256<<10)
	var carry []byte
	for {
		n, err := io.ReadFull(r, buf)
		data := append(carry, buf[:n]...)
		last := err == io.EOF || err == io.ErrUnexpectedEOF
		if err != nil && !last {
			return 0, err
		}
		cut := len(data)
		if !last && cut > pdfOverlap {
			cut -= pdfOverlap
		}
		for _, m := range pdfCount.FindAllSubmatchIndex(data, -1) {
			if m[0] >= cut {
				break
			}
			if c, cerr := strconv.Atoi(string(data[m[2]:m[3]])); cerr == nil && c > maxCount {
				maxCount = c
			}
		}
		for _, m := range pdfPage.FindAllIndex(data, -1) {
			if m[0] >= cut {
				break
			}
			pages++
		}
		if last {
			break
		}
		carry = append(carry[:0:0], data[cut:]...)
	}
	if maxCount > 0 {
		return maxCount, nil
	}
	return pages, nil
}
