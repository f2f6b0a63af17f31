package roadshow

import (
	"bytes"
	"io"
)

// pdfReader passes a PDF through while checking it: the bytes must start with
// the PDF header, end with an end-of-file marker and stay under a size limit.
// It checks while streaming, so an upload is never held whole in memory.
type pdfReader struct {
	r    io.Reader
	max  int64
	n    int64
	head []byte
	tail []byte // the last bytes seen, for the %%EOF check
	err  error
}

// NewPDFReader wraps r. Reads fail with ETOOLARGE past max bytes and with
// EUNPROCESSABLE when the content is not a PDF.
func NewPDFReader(r io.Reader, max int64) io.Reader {
	return &pdfReader{r: r, max: max}
}

const pdfTailLen = 1024

func (p *pdfReader) Read(b []byte) (int, error) {
	if p.err != nil {
		return 0, p.err
	}
	n, err := p.r.Read(b)
	p.n += int64(n)
	if p.n > p.max {
		p.err = NewError(ETOOLARGE, "application.deck_too_large", Args{"maxMB": p.max >> 20})
		return 0, p.err
	}
	if len(p.head) < 5 {
		need := min(5-len(p.head), n)
		p.head = append(p.head, b[:need]...)
		if len(p.head) == 5 && string(p.head) != "%PDF-" {
			p.err = FieldErrors(EUNPROCESSABLE, "application.deck_not_pdf", map[string]Message{"deck": Msg("application.deck_file_not_pdf", nil)})
			return 0, p.err
		}
	}
	p.tail = append(p.tail, b[:n]...)
	if len(p.tail) > pdfTailLen {
		p.tail = append(p.tail[:0], p.tail[len(p.tail)-pdfTailLen:]...)
	}
	if err == io.EOF {
		if len(p.head) < 5 || !bytes.Contains(p.tail, []byte("%%EOF")) {
			p.err = FieldErrors(EUNPROCESSABLE, "application.deck_incomplete", map[string]Message{"deck": Msg("application.deck_file_incomplete", nil)})
			return 0, p.err
		}
	}
	return n, err
}
