package roadshow_test

import (
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/roadshow/roadshow/roadshow"
)

func TestCountPDFPages(t *testing.T) {
	pageObjs := func(n int) string {
		return strings.Repeat("1 0 obj\n<< /Type /Page /Parent 2 0 R >>\nendobj\n", n)
	}
	for _, tc := range []struct {
		name string
		pdf  string
		want int
	}{
		{"page tree count wins", "%PDF-1.4\n<< /Type /Pages /Kids [3 0 R] /Count 12 >>\n" + pageObjs(3), 12},
		{"largest count is the root's", "<< /Type /Pages /Count 4 >> << /Type /Pages /Count 9 >>", 9},
		{"page objects without a count", "%PDF-1.4\n" + pageObjs(5), 5},
		{"no space before Page", "<</Type/Page/Parent 2 0 R>>\n<</Type/Page>>", 2},
		{"Pages is not a page", "<< /Type /Pages >> << /Type /PageLabel >>", 0},
		{"compressed: nothing visible", "%PDF-1.5\nstream\nx\x9c\x01\x02endstream", 0},
		{"split across blocks", strings.Repeat("x", 256<<10-8) + pageObjs(2) + strings.Repeat("y", 256<<10-3) + "<< /Type /Page >>", 3},
		{"count split across blocks", strings.Repeat("x", 256<<10-4) + "/Count 77 ", 77},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, r := range []io.Reader{strings.NewReader(tc.pdf), iotest.OneByteReader(strings.NewReader(tc.pdf))} {
				got, err := roadshow.CountPDFPages(r)
				if err != nil || got != tc.want {
					t.Fatalf("CountPDFPages = %d, %v; want %d", got, err, tc.want)
				}
			}
		})
	}
}
